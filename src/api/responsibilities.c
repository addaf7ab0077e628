/* /api/v1/responsibilities: the responsibility list (权责清单) — rules from
 * (category, tier, handling level, region) to a handling unit and deadlines.
 * Admins and the district command centre maintain it; rules are retired, never
 * deleted, because cases keep the rule that routed them. */
#include "api/api.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "store/cases.h"
#include "store/regions.h"

#include <stdlib.h>
#include <string.h>

static json_t *rule_json(const struct rule_row *r)
{
	json_t *o = json_object();
	json_set_int(o, "id", r->rule.id);
	json_set_str(o, "category", r->rule.category);
	json_set_str(o, "tier",
	             r->rule.tier >= 0 ? case_tier_code((enum case_tier)r->rule.tier) : NULL);
	json_set_str(o, "level",
	             r->rule.level >= 0 ? region_level_code((enum region_level)r->rule.level)
	                                : NULL);
	json_set_str(o, "region_code", r->rule.region_code);
	json_set_str(o, "unit", r->rule.unit);
	json_set_int(o, "accept_hours", r->rule.accept_hours);
	json_set_int(o, "handle_hours", r->rule.handle_hours);
	json_set_str(o, "note", r->note);
	json_set_time(o, "updated_at", r->updated_at);
	return o;
}

void rules_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct rule_row *rows;
	size_t n;
	enum db_result r = rules_list(ctx->db, &req->arena, &rows, &n);
	if (r != DB_OK) {
		api_store_error(req, r);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, rule_json(&rows[i]));
	api_json(req, 200, api_list(items, NULL));
}

/* Reads a rule's fields (all of them: a rule is replaced whole). */
static void read_rule(struct http_req *req, struct api_input *in, struct rule_row *r)
{
	struct api_ctx *ctx = api_ctx(req);
	bool has;
	r->rule.category = api_string(in, "category", false, 32, NULL);
	if (r->rule.category && !*r->rule.category)
		r->rule.category = NULL;
	if (r->rule.category) {
		struct category_row c;
		if (categories_get(ctx->db, &req->arena, r->rule.category, &c) != DB_ROW)
			api_field_error(in, "category", "unknown", "事件类别不存在");
	}
	const char *tier = api_string(in, "tier", false, 16, &has);
	r->rule.tier = -1;
	if (tier && *tier) {
		enum case_tier t;
		if (case_tier_parse(tier, &t))
			r->rule.tier = t;
		else
			api_field_error(in, "tier", "enum", "层级须为 minor、private 或 major");
	}
	const char *level = api_string(in, "level", false, 16, NULL);
	r->rule.level = -1;
	if (level && *level) {
		enum region_level l;
		if (region_level_parse(level, &l))
			r->rule.level = l;
		else
			api_field_error(in, "level", "enum",
			                "处置层级须为 grid、community、street 或 district");
	}
	r->rule.region_code = api_string(in, "region_code", false, 15, NULL);
	if (r->rule.region_code && !*r->rule.region_code)
		r->rule.region_code = NULL;
	if (r->rule.region_code) {
		struct region_row reg;
		if (regions_get(ctx->db, &req->arena, r->rule.region_code, &reg) != DB_ROW)
			api_field_error(in, "region_code", "unknown", "区划不存在");
		else if (!api_reaches(ctx, ROLES_MANAGERS, r->rule.region_code))
			api_field_error(in, "region_code", "scope", "该区划超出您的管辖范围");
	}
	r->rule.unit = api_string(in, "unit", true, 64, NULL);
	api_int(in, "accept_hours", true, 0, 24 * 30, &r->rule.accept_hours, NULL);
	api_int(in, "handle_hours", true, 1, 24 * 365, &r->rule.handle_hours, NULL);
	r->note = api_string(in, "note", false, 200, NULL);
}

void rules_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct rule_row r;
	memset(&r, 0, sizeof r);
	read_rule(req, &in, &r);
	if (!api_input_end(req, &in))
		goto out;
	r.created_at = r.updated_at = time_now();
	enum db_result res = rules_insert(ctx->db, &r);
	if (res != DB_OK) {
		api_store_error(req, res);
		goto out;
	}
	ctx->audit_object = arena_printf(&req->arena, "responsibility:%lld", (long long)r.rule.id);
	api_json(req, 201, rule_json(&r));
out:
	api_input_free(&in);
}

static bool rule_id(struct http_req *req, int64_t *id)
{
	const char *s = http_param(req, "id");
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || !*s || *end || v <= 0) {
		api_problem(req, 404, "规则不存在");
		return false;
	}
	*id = v;
	return true;
}

void rules_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t id;
	if (!rule_id(req, &id))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct rule_row r;
	memset(&r, 0, sizeof r);
	read_rule(req, &in, &r);
	if (!api_input_end(req, &in))
		goto out;
	r.rule.id = id;
	r.updated_at = time_now();
	enum db_result res = rules_update(ctx->db, &r);
	if (res == DB_DONE) {
		api_problem(req, 404, "规则不存在");
		goto out;
	}
	if (res != DB_OK) {
		api_store_error(req, res);
		goto out;
	}
	rules_get(ctx->db, &req->arena, id, &r);
	ctx->audit_object = arena_printf(&req->arena, "responsibility:%lld", (long long)id);
	api_json(req, 200, rule_json(&r));
out:
	api_input_free(&in);
}

void rules_delete_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t id;
	if (!rule_id(req, &id))
		return;
	enum db_result res = rules_retire(ctx->db, id, time_now());
	if (res == DB_DONE) {
		api_problem(req, 404, "规则不存在");
		return;
	}
	if (res != DB_OK) {
		api_store_error(req, res);
		return;
	}
	ctx->audit_object = arena_printf(&req->arena, "responsibility:%lld", (long long)id);
	api_no_content(req);
}
