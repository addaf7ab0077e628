/* Shared pieces of the party-building handlers (see api/party.h). */
#include "api/party/party.h"
#include "core/timeutil.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

bool party_region_query(struct http_req *req, unsigned roles, bool allow_all, const char **region)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *q = http_query(req, "region");
	if (q) {
		if (region_level_of(q) == REGION_NONE) {
			api_problem(req, 400, "region 须为有效的区划代码");
			return false;
		}
		if (!api_reaches(ctx, roles, q)) {
			api_problem(req, 404, "该区划不存在或超出您的数据范围");
			return false;
		}
		*region = q;
		return true;
	}
	if (api_is_admin(ctx) && !allow_all) {
		api_problem(req, 400, "请用 region 参数指定区划");
		return false;
	}
	*region = party_default_region(req, roles);
	if (!*region) {
		api_problem(req, 400, "请用 region 参数指定区划");
		return false;
	}
	return true;
}

const char *party_default_region(struct http_req *req, unsigned roles)
{
	struct api_ctx *ctx = api_ctx(req);
	if (api_is_admin(ctx))
		return "";
	/* The widest region among the caller's grants, when the others lie inside it. */
	const char *best = NULL;
	for (size_t i = 0; i < ctx->who.ngrants; i++) {
		const struct grant *g = &ctx->who.grants[i];
		if (!(roles & ROLE_BIT(g->role)) || !g->region_code[0])
			continue;
		if (!best || region_covers(g->region_code, best))
			best = g->region_code;
	}
	for (size_t i = 0; best && i < ctx->who.ngrants; i++) {
		const struct grant *g = &ctx->who.grants[i];
		if ((roles & ROLE_BIT(g->role)) && g->region_code[0] &&
		    !region_covers(best, g->region_code))
			best = NULL;
	}
	return best ? arena_strdup(&req->arena, best) : NULL;
}

bool party_org_visible(const struct api_ctx *ctx, const struct party_org_row *o)
{
	if (api_reaches(ctx, PARTY_STAFF, o->region_code))
		return true;
	return o->unit && ctx->who.unit[0] && strcmp(o->unit, ctx->who.unit) == 0 &&
	       (api_roles(ctx) & (PARTY_STAFF | PARTY_UNIT));
}

static bool org_visible(struct http_req *req, const void *o)
{
	return party_org_visible(api_ctx(req), o);
}

API_LOADER(org, "党组织", 0, org_visible, struct party_org_row, store_party_orgs_get, region_code)

bool party_load_org_path(struct http_req *req, bool manage, struct party_org_row *o)
{
	if (!org_from_path(req, o))
		return false;
	if (manage && !api_reaches(api_ctx(req), ROLES_MANAGERS, o->region_code)) {
		api_problem(req, 403, "该党组织不在您的管理范围内");
		return false;
	}
	return true;
}

bool party_found(struct http_req *req, enum db_result r, bool ok, const char *what)
{
	if (r != DB_ROW && r != DB_DONE) {
		api_store_error(req, r);
		return false;
	}
	if (r == DB_DONE || !ok) {
		api_problem(req, 404, arena_printf(&req->arena, "%s不存在", what));
		return false;
	}
	return true;
}

bool party_load_org(struct http_req *req, int64_t id, bool manage, struct party_org_row *o)
{
	struct api_ctx *ctx = api_ctx(req);
	enum db_result r = store_party_orgs_get(ctx->db, &req->arena, id, o);
	if (!party_found(req, r, r == DB_ROW && party_org_visible(ctx, o), "党组织"))
		return false;
	if (manage && !api_reaches(ctx, ROLES_MANAGERS, o->region_code)) {
		api_problem(req, 403, "该党组织不在您的管理范围内");
		return false;
	}
	return true;
}

bool party_org_field(struct http_req *req, struct api_input *in, const char *field, bool required,
                     struct party_org_row *o, bool *present)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t id;
	if (!party_id_field(in, field, required, &id, present))
		return false;
	if (store_party_orgs_get(ctx->db, &req->arena, id, o) != DB_ROW ||
	    !party_org_visible(ctx, o)) {
		api_field_error(in, field, "unknown", "党组织不存在");
		return false;
	}
	return true;
}

bool party_org_target(struct http_req *req, struct api_input *in, const char *field, bool required,
                      unsigned roles, struct party_org_row *o, bool *present)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t id;
	if (!party_id_field(in, field, required, &id, present))
		return false;
	if (store_party_orgs_get(ctx->db, &req->arena, id, o) != DB_ROW) {
		api_field_error(in, field, "unknown", "党组织不存在");
		return false;
	}
	/* API.md: a write naming a target outside the caller's scope is 403 (the "scope" code
	 * makes api_input_end answer 403); 422 stays for a target that does not exist. */
	if (!api_reaches(ctx, roles, o->region_code)) {
		api_field_error(in, field, "scope", "该党组织超出您的管辖范围");
		return false;
	}
	return true;
}

bool party_id_field(struct api_input *in, const char *field, bool required, int64_t *id,
                    bool *present)
{
	*id = 0;
	return api_int(in, field, required, 1, INT64_MAX, id, present);
}

const char *party_date_field(struct api_input *in, const char *field, bool required, bool *present)
{
	const char *s = api_string(in, field, required, 10, present);
	if (s && !*s)
		return NULL;
	if (s && !party_date_valid(s)) {
		api_field_error(in, field, "format", "日期格式须为 YYYY-MM-DD");
		return NULL;
	}
	return s;
}

bool party_hours_field(struct api_input *in, const char *field, bool required, double max,
                       double *out)
{
	json_t *v = json_object_get(in->body, field);
	*out = 0;
	if (!v || json_is_null(v)) {
		if (required)
			api_field_error(in, field, "required", "此项为必填");
		return false;
	}
	if (!json_is_number(v)) {
		in->type_error = true;
		api_field_error(in, field, "type", "应为数字");
		return false;
	}
	double h = json_number_value(v);
	if (!isfinite(h) || h <= 0 || h > max) {
		api_field_error(in, field, "range",
		                max >= 1000 ? "应为大于 0 的小时数"
		                            : "应为大于 0 且不超过 24 的小时数");
		return false;
	}
	*out = round(h * 10) / 10; /* tenths of an hour */
	return true;
}

void party_set_id(json_t *o, const char *key, int64_t id)
{
	if (id)
		json_set_int(o, key, id);
	else
		json_object_set_new(o, key, json_null());
}

void party_set_rate(json_t *o, const char *key, int64_t covered, int64_t total)
{
	double r = party_rate(covered, total);
	json_object_set_new(o, key, r < 0 ? json_null() : json_real(r));
}

void party_set_hours(json_t *o, const char *key, double hours)
{
	json_object_set_new(o, key, json_real(round(hours * 10) / 10));
}

json_t *party_org_json(const struct party_org_row *o)
{
	json_t *j = json_object();
	json_set_int(j, "id", o->id);
	json_set_str(j, "name", o->name);
	json_set_str(j, "kind", party_kind_code(o->kind));
	json_set_str(j, "kind_name", party_kind_name_zh(o->kind));
	party_set_id(j, "parent_id", o->parent_id);
	json_set_str(j, "parent_name", o->parent_name);
	json_set_str(j, "region_code", o->region_code);
	json_set_str(j, "region_name", o->region_name);
	party_set_id(j, "building_id", o->building_id);
	json_set_str(j, "building_name", o->building_name);
	json_set_str(j, "unit", o->unit);
	json_set_str(j, "secretary", o->secretary);
	json_set_str(j, "note", o->note);
	json_set_str(j, "status", o->active ? "active" : "dissolved");
	json_set_int(j, "child_count", o->child_count);
	json_set_int(j, "member_count", o->member_count);
	json_set_bool(j, "functional", party_kind_functional(o->kind));
	json_set_time(j, "created_at", o->created_at);
	json_set_time(j, "updated_at", o->updated_at);
	return j;
}

json_t *party_member_json(const struct party_member_row *m)
{
	json_t *j = json_object();
	json_set_int(j, "id", m->id);
	json_set_str(j, "name", m->name);
	party_set_id(j, "resident_id", m->resident_id);
	party_set_id(j, "user_id", m->user_id);
	json_set_int(j, "org_id", m->org_id);
	json_set_str(j, "org_name", m->org_name);
	party_set_id(j, "group_id", m->group_id);
	json_set_str(j, "group_name", m->group_name);
	json_set_str(j, "region_code", m->region_code);
	json_set_str(j, "status", party_member_status_code(m->status));
	json_set_str(j, "status_name", party_member_status_name_zh(m->status));
	json_set_str(j, "joined_on", m->joined_on);
	json_set_bool(j, "transferred_in", m->transferred_in);
	json_set_str(j, "note", m->note);
	json_set_time(j, "created_at", m->created_at);
	json_set_time(j, "updated_at", m->updated_at);
	return j;
}

/* The rows these pages are answered from: the cursor reads the id, their first member. */
_Static_assert(offsetof(struct party_center_row, id) == 0, "the id comes first");
_Static_assert(offsetof(struct party_member_row, id) == 0, "the id comes first");
_Static_assert(offsetof(struct cadre_row, id) == 0, "the id comes first");
_Static_assert(offsetof(struct reception_day_row, id) == 0, "the id comes first");
_Static_assert(offsetof(struct pairing_row, id) == 0, "the id comes first");
_Static_assert(offsetof(struct party_org_row, id) == 0, "the id comes first");

void party_respond_page(struct http_req *req, enum db_result r, const void *rows, size_t n,
                        size_t size, int limit, api_item_fn *item)
{
	if (!api_stored(req, r))
		return;
	api_respond_id_page(req, rows, n, size, limit, item);
}

const char *party_actor(const struct api_ctx *ctx)
{
	return ctx->who.name[0] ? ctx->who.name : NULL;
}

void party_audit(struct http_req *req, const char *kind, int64_t id)
{
	api_ctx(req)->audit_object = arena_printf(&req->arena, "%s:%lld", kind, (long long)id);
}

bool party_written(struct http_req *req, enum db_result r, const char *kind, int64_t id)
{
	if (!api_stored(req, r))
		return false;
	party_audit(req, kind, id);
	return true;
}

bool party_history_add(struct http_req *req,
                       enum db_result (*add)(struct db *db, const struct party_event_row *e),
                       struct party_event_row *e)
{
	struct api_ctx *ctx = api_ctx(req);
	e->at = time_now();
	e->actor_id = ctx->who.user_id;
	e->actor = party_actor(ctx);
	enum db_result r = add(ctx->db, e);
	if (r != DB_OK)
		api_store_error(req, r);
	return r == DB_OK;
}

enum db_result party_user_in_scope(struct http_req *req, int64_t id, struct user_row *u)
{
	struct api_ctx *ctx = api_ctx(req);
	enum db_result r = store_users_get(ctx->db, &req->arena, id, u);
	if (r != DB_ROW || api_is_admin(ctx))
		return r;
	for (size_t i = 0; i < u->ngrants; i++)
		if (u->grants[i].region_code[0] &&
		    api_reaches(ctx, ROLES_MANAGERS, u->grants[i].region_code))
			return DB_ROW;
	return DB_DONE;
}
