/* /api/v1/organisations: the 企 of 人、房、企 — businesses and organisations
 * (经营主体) in a grid, identified by their unified social credit code
 * (GB 32100, unique). The contact phone is personal data: sealed and masked. */
#include "api/base/base.h"
#include "core/json.h"
#include "core/timeutil.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static json_t *org_json(struct arena *a, const struct org_row *o, bool reveal)
{
	json_t *j = json_object();
	json_set_int(j, "id", o->id);
	json_set_str(j, "name", o->name);
	json_set_str(j, "uscc", o->uscc);
	json_set_str(j, "kind", o->kind);
	int k = code_lookup(org_kind_codes, ORG_KIND_COUNT, o->kind);
	json_set_str(j, "kind_name", k >= 0 ? org_kind_codes[k].name : NULL);
	json_set_str(j, "region_code", o->region_code);
	if (o->house_id)
		json_set_int(j, "house_id", o->house_id);
	else
		json_object_set_new(j, "house_id", json_null());
	json_set_str(j, "industry", o->industry);
	json_set_str(j, "legal_person", o->legal_person);
	const char *phone = reveal ? base_open(a, o->phone_sealed) : NULL;
	json_set_str(j, "phone", phone ? phone : o->phone_mask);
	json_set_str(j, "address", o->address);
	if (o->employees >= 0)
		json_set_int(j, "employees", o->employees);
	else
		json_object_set_new(j, "employees", json_null());
	json_set_str(j, "status", o->status);
	json_set_time(j, "verified_at", o->verified_at);
	json_set_int(j, "version", o->version);
	json_set_time(j, "created_at", o->created_at);
	json_set_time(j, "updated_at", o->updated_at);
	return j;
}

json_t *org_snapshot(struct arena *a, const struct org_row *o)
{
	json_t *j = org_json(a, o, false);
	json_object_del(j, "version");
	json_object_del(j, "created_at");
	json_object_del(j, "updated_at");
	json_object_del(j, "verified_at");
	return j;
}

/* The phone, sealed with its mask beside it; an empty one clears it. */
static void read_phone(struct arena *a, struct api_input *in, struct org_row *o)
{
	bool has;
	const char *phone = api_string(in, "phone", false, 32, &has);
	if (phone && *phone) {
		if (phone_problem(phone))
			api_field_error(in, "phone", "format", "电话号码格式不正确");
		else if (!base_seal(a, phone, &o->phone_sealed)) {
			api_field_error(in, "phone", "unavailable", "加密密钥不可用");
			in->unavailable = true;
		} else {
			char m[64];
			mask_phone(phone, m, sizeof m);
			o->phone_mask = arena_strdup(a, m);
		}
	} else if (has) {
		o->phone_sealed = (struct sealed){NULL, 0};
		o->phone_mask = NULL;
	}
}

/* Where the organisation is: a house (its grid follows) or a grid the caller may write. */
static void read_place(struct api_ctx *ctx, struct arena *a, struct api_input *in,
                       struct org_row *o)
{
	bool has;
	int64_t house_id;
	api_int(in, "house_id", false, 0, INT64_MAX, &house_id, &has);
	const char *region = api_string(in, "region_code", false, 32, NULL);
	if (has && house_id > 0) {
		struct house_row h;
		/* A house of another grid is out of scope (403), like any target there. */
		if (store_houses_get(ctx->db, a, house_id, &h) != DB_ROW)
			api_field_error(in, "house_id", "unknown", "房屋不存在");
		else if (!api_reaches(ctx, BASE_WRITERS, h.region_code))
			api_field_error(in, "house_id", "scope", "该房屋超出您的管辖范围");
		else {
			o->house_id = h.id;
			o->region_code = h.region_code;
		}
	} else {
		if (has)
			o->house_id = 0;
		if (region && base_check_grid(ctx, a, in, "region_code", region, BASE_WRITERS))
			o->region_code = region;
	}
}

/* Reads an organisation's fields into o (creating: the required ones must be there). */
void base_org_read(struct api_ctx *ctx, struct arena *a, struct api_input *in, struct org_row *o,
                   bool creating)
{
	bool has;
	const char *name = api_string(in, "name", creating, 100, NULL);
	if (name)
		o->name = name;
	const char *uscc = api_string(in, "uscc", false, 32, &has);
	if (uscc && *uscc) {
		const char *problem = uscc_problem(uscc);
		if (problem)
			api_field_error(in, "uscc", problem,
			                "统一社会信用代码须为 18 位且校验位正确（GB 32100）");
		else
			o->uscc = uscc;
	} else if (has) {
		o->uscc = NULL;
	}
	const char *kind = api_string(in, "kind", creating, 32, NULL);
	if (kind) {
		int k = code_lookup(org_kind_codes, ORG_KIND_COUNT, kind);
		if (k < 0)
			api_field_error(in, "kind", "enum",
			                "类型须为 enterprise、individual、social_org、institution、"
			                "government 或 other");
		else
			o->kind = org_kind_codes[k].code;
	}
	const char *industry = api_string(in, "industry", false, 50, &has);
	if (has)
		o->industry = industry;
	const char *legal = api_string(in, "legal_person", false, 50, &has);
	if (has)
		o->legal_person = legal;
	const char *address = api_string(in, "address", false, 200, &has);
	if (has)
		o->address = address;
	int64_t employees;
	api_int(in, "employees", false, 0, 10000000, &employees, &has);
	if (has)
		o->employees = employees;
	const char *status = api_string(in, "status", false, 16, NULL);
	if (status) {
		/* The Chinese words an export writes come back in too. */
		if (strcmp(status, "active") == 0 || strcmp(status, "在营") == 0)
			o->status = "active";
		else if (strcmp(status, "closed") == 0 || strcmp(status, "已注销") == 0)
			o->status = "closed";
		else
			api_field_error(in, "status", "enum",
			                "状态须为 active（在营）或 closed（已注销）");
	}
	read_phone(a, in, o);
	read_place(ctx, a, in, o);
	if (creating && !o->region_code && !json_array_size(in->errors))
		api_field_error(in, "region_code", "required", "须填写所在网格或房屋");
}

enum db_result base_org_save(struct api_ctx *ctx, struct arena *a, struct org_row *o,
                             const char *action, json_t *before)
{
	enum db_result r =
	    base_stamp(o->id, &o->version, &o->created_at, &o->updated_at, &o->verified_at)
	        ? store_orgs_insert(ctx->db, o)
	        : store_orgs_update(ctx->db, o);
	if (r != DB_OK)
		return r;
	return base_version_after(ctx, "organisation", o->id, o->version, action, before,
	                          org_snapshot(a, o));
}

void orgs_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct org_row o;
	memset(&o, 0, sizeof o);
	o.employees = -1;
	o.status = "active";
	base_org_read(ctx, &req->arena, &in, &o, true);
	if (!api_input_end(req, &in))
		goto out;
	enum db_result r = base_org_save(ctx, &req->arena, &o, "create", NULL);
	if (base_saved(req, r, "uscc", "该统一社会信用代码已登记", "organisation", o.id))
		api_json(req, 201, org_json(&req->arena, &o, false));
out:
	api_input_free(&in);
}

API_LOADER(org, "单位", BASE_READERS, NULL, struct org_row, store_orgs_get, region_code)

void orgs_get_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct org_row o;
	if (!org_from_path(req, &o))
		return;
	bool reveal;
	if (!api_query_bool(req, "reveal", &reveal))
		return;
	if (reveal) {
		/* Audited whether shown or refused, naming whose data it is. */
		ctx->audit_action = "organisation.reveal";
		ctx->audit_object = arena_printf(&req->arena, "organisation:%lld", (long long)o.id);
	}
	if (reveal && !api_reaches(ctx, BASE_REVEALERS, o.region_code)) {
		api_problem(req, 403, "您的角色无权查看完整的联系电话");
		return;
	}
	api_json(req, 200, org_json(&req->arena, &o, reveal));
	api_etag(req, arena_printf(&req->arena, "%lld", (long long)o.version));
}

void orgs_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct org_row o;
	if (!org_from_path(req, &o))
		return;
	struct api_input in;
	if (!api_write_begin(req, BASE_WRITERS, o.region_code, "您的角色无权修改该单位", &in))
		return;
	if (!api_if_match(req, o.version, org_json(&req->arena, &o, false))) {
		api_input_free(&in);
		return;
	}
	json_t *before = org_snapshot(&req->arena, &o);
	base_org_read(ctx, &req->arena, &in, &o, false);
	if (!api_input_end(req, &in))
		goto out;
	enum db_result r = base_org_save(ctx, &req->arena, &o, "update", before);
	if (base_saved(req, r, "uscc", "该统一社会信用代码已登记", "organisation", o.id))
		api_json(req, 200, org_json(&req->arena, &o, false));
out:
	json_decref(before);
	api_input_free(&in);
}

void orgs_history_h(struct http_req *req)
{
	struct org_row o;
	if (!org_from_path(req, &o))
		return;
	base_history_respond(req, "organisation", o.id, NULL);
}

static json_t *org_item(struct http_req *req, const void *row)
{
	return org_json(&req->arena, row, false);
}

void orgs_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct base_page pg;
	if (!base_page_query(req, &pg))
		return;
	const char *q = http_query(req, "q");
	const char *kind = http_query(req, "kind");
	if (kind && *kind) {
		int k = code_lookup(org_kind_codes, ORG_KIND_COUNT, kind);
		if (k < 0) {
			api_problem(req, 400, "kind 不在单位类型代码表中");
			return;
		}
		kind = org_kind_codes[k].code;
	}
	if (q && (!*q || strlen(q) > 200)) {
		api_problem(req, 400, "q 须为 1–200 字节的文本");
		return;
	}
	struct org_row *rows;
	size_t n;
	enum db_result r =
	    store_orgs_list(ctx->db, &req->arena, &pg.sc, q, kind, pg.after, pg.limit, &rows, &n);
	base_respond_page(req, r, rows, n, sizeof *rows, offsetof(struct org_row, region_code),
	                  pg.limit, org_item);
}
