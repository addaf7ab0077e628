/* /api/v1/rectifications: group-rental rectification items (群租房整治) per
 * house, worked with the "五个一批" methods (电话沟通, 集中约谈, 入户动员,
 * 公职人员带头整改, 联合执法整治) to a deadline, and ticked off (销号) only after
 * community staff or above verify the result. The rectification rate per
 * region is verified items over all items. */
#include "api/base/base.h"
#include "core/json.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "domain/region.h"
#include "store/platform/regions.h"
#include "store/base/sweeps.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *methods_array(const char *list)
{
	json_t *arr = json_array();
	const char *p = list ? list : "";
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len)
			json_array_append_new(arr, json_stringn(p, len));
		p += len + (comma ? 1 : 0);
	}
	return arr;
}

static json_t *rect_json(struct http_req *req, const struct rectification_row *r)
{
	json_t *o = json_object();
	json_set_int(o, "id", r->id);
	json_set_int(o, "house_id", r->house_id);
	json_set_str(o, "house_label", r->house_label);
	json_set_str(o, "region_code", r->region_code);
	json_set_str(o, "problem", r->problem);
	json_object_set_new(o, "methods", methods_array(r->methods));
	json_set_str(o, "status", r->status);
	int st = code_lookup(rectify_status_codes, RECTIFY_STATUS_COUNT, r->status);
	json_set_str(o, "status_name", st >= 0 ? rectify_status_codes[st].name : NULL);
	json_set_str(o, "deadline", r->deadline);
	json_set_str(o, "result", r->result);
	bool open = st == RECTIFY_OPEN || st == RECTIFY_RECTIFYING;
	json_set_bool(o, "overdue",
	              open && r->deadline && strcmp(r->deadline, base_today(&req->arena)) < 0);
	if (r->sweep_id)
		json_set_int(o, "sweep_id", r->sweep_id);
	else
		json_object_set_new(o, "sweep_id", json_null());
	json_set_time(o, "verified_at", r->verified_at);
	if (r->verified_by)
		json_set_int(o, "verified_by", r->verified_by);
	else
		json_object_set_new(o, "verified_by", json_null());
	json_set_time(o, "created_at", r->created_at);
	json_set_time(o, "updated_at", r->updated_at);
	return o;
}

/* A methods array of rectify_method codes as "a,b"; NULL when absent, records errors. */
static const char *read_methods(struct http_req *req, struct api_input *in, bool *given)
{
	json_t *m = json_object_get(in->body, "methods");
	*given = m && !json_is_null(m);
	if (!*given)
		return NULL;
	if (!json_is_array(m) || json_array_size(m) > RECTIFY_METHOD_COUNT) {
		api_field_error(in, "methods", "type", "应为整治方式代码数组");
		in->type_error = !json_is_array(m);
		return NULL;
	}
	bool seen[RECTIFY_METHOD_COUNT] = {false};
	size_t i;
	json_t *x;
	json_array_foreach(m, i, x)
	{
		int k =
		    code_lookup(rectify_method_codes, RECTIFY_METHOD_COUNT, json_string_value(x));
		if (k < 0) {
			api_field_error(
			    in, "methods", "enum",
			    "整治方式须为 phone、interview、home_visit、public_servant 或 "
			    "joint_enforcement");
			return NULL;
		}
		seen[k] = true;
	}
	char *out = arena_alloc(&req->arena, 128);
	out[0] = 0;
	for (int k = 0; k < RECTIFY_METHOD_COUNT; k++)
		if (seen[k]) {
			if (*out)
				strcat(out, ",");
			strcat(out, rectify_method_codes[k].code);
		}
	return out;
}

void rectifications_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct rectification_row r;
	memset(&r, 0, sizeof r);
	api_int(&in, "house_id", true, 1, INT64_MAX, &r.house_id, NULL);
	r.problem = api_string(&in, "problem", true, 500, NULL);
	r.deadline = api_string(&in, "deadline", true, 10, NULL);
	if (r.deadline && !base_valid_date(r.deadline))
		api_field_error(&in, "deadline", "date", "须为 YYYY-MM-DD 格式的日期");
	bool given;
	r.methods = read_methods(req, &in, &given);
	struct house_row h;
	if (r.house_id > 0) {
		/* A house of another grid is out of scope (403), like any target there. */
		if (store_houses_get(ctx->db, &req->arena, r.house_id, &h) != DB_ROW)
			api_field_error(&in, "house_id", "unknown", "房屋不存在");
		else if (!api_reaches(ctx, BASE_WRITERS, h.region_code))
			api_field_error(&in, "house_id", "scope", "该房屋超出您的管辖范围");
		else {
			r.region_code = h.region_code;
			r.house_label =
			    arena_printf(&req->arena, "%s%s%s", h.building_name, h.unit, h.room);
		}
	}
	if (!api_input_end(req, &in))
		goto out;
	r.status = "open";
	r.created_by = ctx->who.user_id;
	r.created_at = r.updated_at = time_now();
	enum db_result res = store_rectifications_insert(ctx->db, &r);
	struct rectification_event e = {.rectification_id = r.id,
	                                .at = r.created_at,
	                                .actor_id = ctx->who.user_id,
	                                .actor = ctx->who.name,
	                                .action = "create",
	                                .to_status = "open",
	                                .methods = r.methods};
	if (res == DB_OK) {
		e.rectification_id = r.id;
		res = store_rectification_events_add(ctx->db, &e);
	}
	if (!api_stored(req, res))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "rectification:%lld", (long long)r.id);
	api_json(req, 201, rect_json(req, &r));
out:
	api_input_free(&in);
}

static json_t *rect_item(struct http_req *req, const void *row)
{
	return rect_json(req, row);
}

void rectifications_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct base_page pg;
	if (!base_page_query(req, &pg))
		return;
	const char *status = http_query(req, "status");
	if (status && *status &&
	    code_lookup(rectify_status_codes, RECTIFY_STATUS_COUNT, status) < 0) {
		api_problem(req, 400, "status 须为 open、rectifying、rectified 或 verified");
		return;
	}
	bool overdue;
	if (!api_query_bool(req, "overdue", &overdue))
		return;
	struct rectification_row *rows;
	size_t n;
	enum db_result r = store_rectifications_list(
	    ctx->db, &req->arena, &pg.sc, status && *status ? status : NULL, overdue,
	    base_today(&req->arena), pg.after, pg.limit, &rows, &n);
	base_respond_page(req, r, rows, n, sizeof *rows,
	                  offsetof(struct rectification_row, region_code), pg.limit, rect_item);
}

API_LOADER(rect, "整治事项", BASE_READERS, NULL, struct rectification_row, store_rectifications_get,
           region_code)

static json_t *with_events(struct http_req *req, const struct rectification_row *r)
{
	json_t *o = rect_json(req, r);
	struct rectification_event *ev;
	size_t n;
	json_t *arr = json_array();
	if (store_rectification_events_list(api_ctx(req)->db, &req->arena, r->id, &ev, &n) == DB_OK)
		for (size_t i = 0; i < n; i++) {
			json_t *e = json_object();
			json_set_time(e, "at", ev[i].at);
			json_set_str(e, "actor", ev[i].actor);
			json_set_str(e, "action", ev[i].action);
			json_set_str(e, "from", ev[i].from_status);
			json_set_str(e, "to", ev[i].to_status);
			json_object_set_new(e, "methods", methods_array(ev[i].methods));
			json_set_str(e, "comment", ev[i].comment);
			json_array_append_new(arr, e);
		}
	json_object_set_new(o, "events", arr);
	return o;
}

void rectifications_get_h(struct http_req *req)
{
	struct rectification_row r;
	if (rect_from_path(req, &r))
		api_json(req, 200, with_events(req, &r));
}

void rectifications_action_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct rectification_row r;
	struct api_input in;
	if (!rect_from_path(req, &r) || !api_input_begin(req, &in))
		return;
	const char *action = api_string(&in, "action", true, 16, NULL);
	const char *result = api_string(&in, "result", false, 1000, NULL);
	const char *comment = api_string(&in, "comment", false, 500, NULL);
	bool given;
	const char *methods = read_methods(req, &in, &given);
	int act = -1;
	for (int i = 0; action && i < RECTIFY_ACTIONS; i++)
		if (strcmp(action, rectify_action_codes[i]) == 0)
			act = i;
	if (action && act < 0)
		api_field_error(&in, "action", "enum", "须为 start、rectified、verify 或 reject");
	if (!api_input_end(req, &in))
		goto out;
	/* Verifying and sending back are the tick-off side: community staff and above. */
	unsigned need =
	    act == RECTIFY_VERIFY || act == RECTIFY_REJECT ? BASE_MANAGERS : BASE_WRITERS;
	if (!api_reaches(ctx, need, r.region_code)) {
		api_problem(req, 403,
		            need == BASE_MANAGERS ? "只有社区及以上管理人员可以核验销号"
		                                  : "您的角色无权处理该整治事项");
		goto out;
	}
	int from = code_lookup(rectify_status_codes, RECTIFY_STATUS_COUNT, r.status);
	int to = from < 0 ? -1 : rectify_next((enum rectify_status)from, (enum rectify_action)act);
	if (to < 0) {
		api_problem(req, 409,
		            arena_printf(&req->arena, "当前状态（%s）不能执行该操作",
		                         from >= 0 ? rectify_status_codes[from].name : r.status));
		goto out;
	}
	int64_t now = time_now();
	const char *from_code = r.status;
	r.status = rectify_status_codes[to].code;
	if (given)
		r.methods = methods;
	if (result)
		r.result = result;
	if (to == RECTIFY_VERIFIED) {
		r.verified_by = ctx->who.user_id;
		r.verified_at = now;
	}
	r.updated_at = now;
	struct rectification_event e = {.rectification_id = r.id,
	                                .at = now,
	                                .actor_id = ctx->who.user_id,
	                                .actor = ctx->who.name,
	                                .action = action,
	                                .from_status = from_code,
	                                .to_status = r.status,
	                                .methods = given ? methods : NULL,
	                                .comment = comment ? comment : result};
	enum db_result res = store_rectifications_update(ctx->db, &r);
	if (res == DB_OK)
		res = store_rectification_events_add(ctx->db, &e);
	if (!api_stored(req, res))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "rectification:%lld", (long long)r.id);
	ctx->audit_detail = arena_printf(&req->arena, "action=%s", action);
	api_json(req, 200, with_events(req, &r));
out:
	api_input_free(&in);
}

void rectifications_stats_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *region;
	if (!base_region_param(req, &region))
		return;
	struct scopes sc;
	base_scopes(ctx, BASE_READERS, region, &sc);
	const char *today = base_today(&req->arena);
	json_t *items = json_array();
	int64_t total = 0, verified = 0, overdue = 0;
	for (int k = 0; k < sc.n; k++) {
		const char *p = sc.prefix[k];
		size_t len = strlen(p);
		int glen = sc.n == 1 ? (len == 0   ? 6
		                        : len == 6 ? 9
		                        : len == 9 ? 12
		                                   : 15)
		                     : (int)len;
		struct rectify_counts *rows;
		size_t n;
		if (store_rectification_counts(ctx->db, &req->arena, p, glen, today, &rows, &n) !=
		    DB_OK) {
			json_decref(items);
			api_store_error(req, DB_ERROR);
			return;
		}
		for (size_t i = 0; i < n; i++) {
			total += rows[i].total;
			verified += rows[i].verified;
			overdue += rows[i].overdue;
			struct region_row reg;
			json_t *o = json_object();
			json_set_str(o, "region_code", rows[i].region_code);
			json_set_str(o, "name",
			             store_regions_get(ctx->db, &req->arena, rows[i].region_code,
			                               &reg) == DB_ROW
			                 ? reg.name
			                 : NULL);
			json_set_int(o, "total", rows[i].total);
			json_set_int(o, "verified", rows[i].verified);
			json_set_int(o, "overdue", rows[i].overdue);
			json_object_set_new(
			    o, "rate",
			    json_real((double)rate_tenths(rows[i].verified, rows[i].total) / 10.0));
			json_array_append_new(items, o);
		}
	}
	json_t *totals = json_object();
	json_set_int(totals, "total", total);
	json_set_int(totals, "verified", verified);
	json_set_int(totals, "open", total - verified);
	json_set_int(totals, "overdue", overdue);
	json_object_set_new(totals, "rate", json_real((double)rate_tenths(verified, total) / 10.0));
	json_t *o = json_object();
	json_set_str(o, "region_code", sc.n == 1 && *sc.prefix[0] ? sc.prefix[0] : region);
	json_object_set_new(o, "totals", totals);
	json_object_set_new(o, "items", items);
	api_json(req, 200, o);
}
