/* /api/v1/ranking-schemes and /api/v1/ranking-adjustments: ranking schemes (考核方案) — the
 * weighted indicators of a monthly ranking of the communities or streets under a region — and
 * their bonus and penalty items (加减分), entered per region and period with evidence and
 * approved by a second person, like manual figures. Managers above the ranked level (admin,
 * district, street) write within their scope; community staff read. */
#include "api/command/command.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/indicator.h"
#include "domain/ranking.h"
#include "store/command/indicators.h"
#include "store/command/rankings.h"
#include "store/platform/regions.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

bool ranking_visible(const struct api_ctx *ctx, const char *region)
{
	if (api_is_admin(ctx))
		return true;
	for (size_t i = 0; i < ctx->who.ngrants; i++) {
		const struct grant *g = &ctx->who.grants[i];
		if (!(ROLE_BIT(g->role) & RANKING_READERS))
			continue;
		if (region_covers(g->region_code, region) || region_covers(region, g->region_code))
			return true;
	}
	return false;
}

static bool scheme_visible(struct http_req *req, const void *obj)
{
	const struct scheme_row *s = obj;
	return ranking_visible(api_ctx(req), s->region_code);
}

API_LOADER(scheme, "考核方案", RANKING_READERS, scheme_visible, struct scheme_row,
           store_schemes_get, region_code)

bool ranking_scheme_load(struct http_req *req, int64_t id, bool write, struct scheme_row *out)
{
	const char *region;
	enum db_result r = id > 0 ? scheme_load(req, id, out, &region) : DB_DONE;
	if (r == DB_ROW && scheme_visible(req, out))
		return true;
	if (r == DB_ROW && write)
		api_problem(req, 403, "该考核方案不在您的管理范围内");
	else if (r == DB_ROW || r == DB_DONE)
		api_problem(req, 404, "考核方案不存在");
	else
		api_store_error(req, r);
	return false;
}

json_t *ranking_scheme_json(const struct scheme_row *s)
{
	json_t *o = json_object();
	json_set_int(o, "id", s->id);
	json_set_str(o, "name", s->name);
	json_set_str(o, "level", s->level);
	json_set_str(o, "region_code", s->region_code);
	json_set_int(o, "top_n", s->top_n);
	json_t *items = json_loads(s->items ? s->items : "[]", 0, NULL);
	json_object_set_new(o, "items", items ? items : json_array());
	if (s->note)
		json_set_str(o, "note", s->note);
	else
		json_object_set_new(o, "note", json_null());
	json_set_str(o, "status", s->status);
	json_set_time(o, "created_at", s->created_at);
	json_set_time(o, "updated_at", s->updated_at);
	return o;
}

/* A number field of an item; false (and an error on field) when absent or not a number. */
static bool item_number(struct api_input *in, json_t *item, const char *key, const char *field,
                        double *out)
{
	json_t *v = json_object_get(item, key);
	if (!json_is_number(v) || !isfinite(json_number_value(v))) {
		api_field_error(in, field, "type", "须为数字");
		return false;
	}
	*out = json_number_value(v);
	return true;
}

/* Reads and checks items: [{indicator, weight, floor, target}], an indicator that exists,
 * floor and target in its direction; the canonical JSON text, NULL after recording errors. */
static const char *read_items(struct http_req *req, struct api_input *in, bool *store_failed)
{
	json_t *items = json_object_get(in->body, "items");
	if (!json_is_array(items) || json_array_size(items) == 0 ||
	    json_array_size(items) > RANKING_MAX_ITEMS) {
		api_field_error(in, "items", "required", "须为 1 至 20 项指标");
		return NULL;
	}
	json_t *out = json_array();
	bool ok = true;
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item)
	{
		const char *f = arena_printf(&req->arena, "items[%zu]", i);
		json_t *code = json_object_get(item, "indicator");
		if (!json_is_object(item) || !json_is_string(code)) {
			api_field_error(in, f, "required",
			                "须为 {indicator, weight, floor, target}");
			ok = false;
			continue;
		}
		struct indicator_row ind;
		enum db_result r = indicator_code_ok(json_string_value(code))
		                       ? store_indicators_get(api_ctx(req)->db, &req->arena,
		                                              json_string_value(code), &ind)
		                       : DB_DONE;
		if (r != DB_ROW && r != DB_DONE) {
			*store_failed = true;
			ok = false;
			break;
		}
		if (r == DB_DONE) {
			api_field_error(in, f, "unknown", "指标不存在");
			ok = false;
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (json_equal(json_object_get(json_array_get(out, j), "indicator"),
			               code)) {
				api_field_error(in, f, "duplicate", "同一指标只能出现一次");
				ok = false;
			}
		double w, fl, t;
		if (!item_number(in, item, "weight", f, &w) ||
		    !item_number(in, item, "floor", f, &fl) ||
		    !item_number(in, item, "target", f, &t)) {
			ok = false;
			continue;
		}
		bool higher = strcmp(ind.direction, "higher") == 0;
		if (!ranking_item_ok(higher, fl, t, w)) {
			api_field_error(in, f, "range",
			                higher
			                    ? "权重须大于 0；越高越好的指标，保底值须低于目标值"
			                    : "权重须大于 0；越低越好的指标，保底值须高于目标值");
			ok = false;
			continue;
		}
		json_t *o = json_object();
		json_set_str(o, "indicator", ind.code);
		json_object_set_new(o, "weight", json_real(w));
		json_object_set_new(o, "floor", json_real(fl));
		json_object_set_new(o, "target", json_real(t));
		json_array_append_new(out, o);
	}
	const char *text = NULL;
	if (ok) {
		char *s = json_dumps(out, JSON_COMPACT);
		if (s) {
			text = arena_strdup(&req->arena, s);
			free(s);
		}
	}
	json_decref(out);
	return text;
}

/* A scheme's region must be above its level: a district for streets, a district or a street
 * for communities. */
static void check_region(struct http_req *req, struct api_input *in, const char *level,
                         const char *region, bool *store_failed)
{
	int len = ranking_level_len(level);
	struct region_row reg;
	if (!region || !len)
		return;
	enum db_result r = region_level_of(region) == REGION_NONE
	                       ? DB_DONE
	                       : store_regions_get(api_ctx(req)->db, &req->arena, region, &reg);
	if (r != DB_ROW && r != DB_DONE) {
		*store_failed = true;
		return;
	}
	if (r == DB_DONE)
		api_field_error(in, "region_code", "unknown", "区划不存在");
	else if ((int)strlen(region) >= len)
		api_field_error(in, "region_code", "level", "方案的区划须高于被评比的层级");
	else if (!api_reaches(api_ctx(req), RANKING_MANAGERS, region))
		api_field_error(in, "region_code", "scope", "该区划不在您的管理范围内");
}

void ranking_schemes_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!api_unpaged(req))
		return;
	struct scheme_row *rows;
	size_t n = 0;
	if (!api_stored(req, store_schemes_list(ctx->db, &req->arena, &rows, &n)))
		return;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		if (ranking_visible(ctx, rows[i].region_code))
			json_array_append_new(items, ranking_scheme_json(&rows[i]));
	api_json(req, 200, api_list(items, NULL));
}

void ranking_schemes_get_h(struct http_req *req)
{
	struct scheme_row s;
	if (scheme_from_path(req, &s))
		api_json(req, 200, ranking_scheme_json(&s));
}

void ranking_schemes_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct scheme_row s;
	memset(&s, 0, sizeof s);
	bool failed = false;
	s.name = api_string(&in, "name", true, 100, NULL);
	s.level = api_string(&in, "level", true, 20, NULL);
	if (s.level && !ranking_level_len(s.level))
		api_field_error(&in, "level", "enum", "level 须为 community 或 street");
	s.region_code = api_string(&in, "region_code", true, 15, NULL);
	check_region(req, &in, s.level, s.region_code, &failed);
	int64_t top = 3;
	api_int(&in, "top_n", false, 0, RANKING_MAX_TOP, &top, NULL);
	s.top_n = top;
	s.note = api_string(&in, "note", false, 1000, NULL);
	if (!failed)
		s.items = read_items(req, &in, &failed);
	if (failed) {
		api_input_free(&in);
		api_store_error(req, DB_ERROR);
		return;
	}
	if (!api_input_end(req, &in))
		goto out;
	s.status = "active";
	s.created_by = ctx->who.user_id;
	s.created_at = s.updated_at = time_now();
	if (!api_stored(req, store_schemes_insert(ctx->db, &s)))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "ranking_scheme:%lld", (long long)s.id);
	api_json(req, 201, ranking_scheme_json(&s));
out:
	api_input_free(&in);
}

void ranking_schemes_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct scheme_row s;
	if (!scheme_from_path(req, &s))
		return;
	struct api_input in;
	if (!api_write_begin(req, RANKING_MANAGERS, s.region_code, "该考核方案不在您的管理范围内",
	                     &in))
		return;
	bool present, failed = false;
	const char *v = api_string(&in, "name", false, 100, &present);
	if (v)
		s.name = v;
	else if (present)
		api_field_error(&in, "name", "required", "此项不能为空");
	int64_t top;
	if (api_int(&in, "top_n", false, 0, RANKING_MAX_TOP, &top, &present) && present)
		s.top_n = top;
	v = api_string(&in, "note", false, 1000, &present);
	if (present)
		s.note = v;
	v = api_string(&in, "status", false, 20, &present);
	if (v && strcmp(v, "active") != 0 && strcmp(v, "archived") != 0)
		api_field_error(&in, "status", "enum", "status 须为 active 或 archived");
	else if (v)
		s.status = v;
	if (json_object_get(in.body, "items"))
		s.items = read_items(req, &in, &failed);
	if (failed) {
		api_input_free(&in);
		api_store_error(req, DB_ERROR);
		return;
	}
	if (!api_input_end(req, &in))
		goto out;
	s.updated_at = time_now();
	if (!api_stored(req, store_schemes_update(ctx->db, &s)))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "ranking_scheme:%lld", (long long)s.id);
	api_json(req, 200, ranking_scheme_json(&s));
out:
	api_input_free(&in);
}

/* ---- bonus and penalty items (加减分) ---- */

/* "YYYY-MM" → YYYYMM, "YYYY" → YYYY00; false when neither. */
bool ranking_period_key(const char *s, int64_t *key)
{
	struct period p;
	if (!s || !period_parse(s, &p) || p.type == PERIOD_QUARTER)
		return false;
	*key = p.type == PERIOD_MONTH ? p.first : p.first / 100 * 100;
	return true;
}

void ranking_period_text(int64_t key, char out[8])
{
	unsigned y = (unsigned)(key / 100 % 10000), m = (unsigned)(key % 100 % 13);
	if (m)
		snprintf(out, 8, "%04u-%02u", y % 10000, m % 100);
	else
		snprintf(out, 8, "%04u", y % 10000);
}

json_t *ranking_adjustment_json(const struct adjustment_row *a)
{
	json_t *o = json_object();
	json_set_int(o, "id", a->id);
	json_set_int(o, "scheme", a->scheme_id);
	json_set_str(o, "region_code", a->region_code);
	char p[8];
	ranking_period_text(a->period, p);
	json_set_str(o, "period", p);
	json_object_set_new(o, "points", json_real(ranking_round(a->points)));
	json_set_str(o, "kind", a->points >= 0 ? "bonus" : "penalty");
	json_set_str(o, "reason", a->reason);
	json_set_str(o, "evidence", a->evidence);
	json_t *ph = a->photos ? json_loads(a->photos, 0, NULL) : NULL;
	json_object_set_new(o, "photos", ph ? ph : json_array());
	json_set_str(o, "status", a->status);
	json_set_str(o, "entered_by_name", a->entered_by_name);
	if (a->approved_by)
		json_set_str(o, "approved_by_name", a->approved_by_name);
	else
		json_object_set_new(o, "approved_by_name", json_null());
	json_set_time(o, "approved_at", a->approved_at);
	json_set_time(o, "created_at", a->created_at);
	return o;
}

API_LOADER(adjustment, "加减分项", RANKING_READERS, NULL, struct adjustment_row,
           store_adjustments_get, region_code)

void ranking_adjustments_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t scheme_id = 0, key = 0;
	if (!api_query_id(req, "scheme", &scheme_id) || !api_unpaged(req))
		return;
	const char *period = http_query(req, "period"), *region = http_query(req, "region");
	if (!scheme_id || !ranking_period_key(period, &key)) {
		api_problem(req, 400, "须给出 scheme 和 period（YYYY-MM 或 YYYY）");
		return;
	}
	struct scheme_row s;
	if (!ranking_scheme_load(req, scheme_id, false, &s))
		return;
	if (region &&
	    (region_level_of(region) == REGION_NONE || !region_covers(s.region_code, region))) {
		api_problem(req, 400, "region 须为方案范围内的区划代码");
		return;
	}
	struct adjustment_row *rows;
	size_t n = 0;
	if (!api_stored(req,
	                store_adjustments_list(ctx->db, &req->arena, s.id, key, key,
	                                       region ? region : s.region_code, false, &rows, &n)))
		return;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		if (api_reaches(ctx, RANKING_READERS, rows[i].region_code))
			json_array_append_new(items, ranking_adjustment_json(&rows[i]));
	api_json(req, 200, api_list(items, NULL));
}

void ranking_adjustments_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct adjustment_row a;
	memset(&a, 0, sizeof a);
	int64_t scheme_id = 0;
	bool has_scheme = api_int(&in, "scheme", true, 1, INT64_MAX, &scheme_id, NULL);
	a.region_code = api_string(&in, "region_code", true, 15, NULL);
	const char *period = api_string(&in, "period", true, 7, NULL);
	if (period && !ranking_period_key(period, &a.period))
		api_field_error(&in, "period", "format",
		                "period 须为 YYYY-MM（月度）或 YYYY（年度）");
	json_t *pts = json_object_get(in.body, "points");
	if (!json_is_number(pts) || !isfinite(json_number_value(pts)) ||
	    json_number_value(pts) == 0 || fabs(json_number_value(pts)) > 100)
		api_field_error(&in, "points", "range", "points 须为 -100 至 100 之间的非零数");
	else
		a.points = ranking_round(json_number_value(pts));
	a.reason = api_string(&in, "reason", true, 200, NULL);
	a.evidence = api_string(&in, "evidence", true, 2000, NULL);
	a.photos = api_photos_field(req, &in, "photos"); /* the caller's own uploads */
	struct scheme_row s;
	if (has_scheme) {
		enum db_result r = store_schemes_get(ctx->db, &req->arena, scheme_id, &s);
		if (r != DB_ROW && r != DB_DONE) {
			api_input_free(&in);
			api_store_error(req, r);
			return;
		}
		if (r == DB_DONE)
			api_field_error(&in, "scheme", "unknown", "考核方案不存在");
		else if (!ranking_visible(ctx, s.region_code))
			api_field_error(&in, "scheme", "scope", "该考核方案不在您的管理范围内");
		else if (a.region_code &&
		         ((int)strlen(a.region_code) != ranking_level_len(s.level) ||
		          !region_covers(s.region_code, a.region_code)))
			api_field_error(&in, "region_code", "level", "须为该方案评比的区划");
		else if (a.region_code && !api_reaches(ctx, RANKING_MANAGERS, a.region_code))
			api_field_error(&in, "region_code", "scope", "该区划不在您的管理范围内");
		a.scheme_id = scheme_id;
	}
	if (!api_input_end(req, &in))
		goto out;
	a.status = "pending";
	a.entered_by = ctx->who.user_id;
	a.entered_by_name = ctx->who.name;
	a.created_at = a.updated_at = time_now();
	if (!api_stored(req, store_adjustments_insert(ctx->db, &a)))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "ranking_adjustment:%lld", (long long)a.id);
	api_json(req, 201, ranking_adjustment_json(&a));
out:
	api_input_free(&in);
}

void ranking_adjustments_approve_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct adjustment_row a;
	if (!adjustment_from_path(req, &a))
		return;
	if (!api_reaches(ctx, RANKING_MANAGERS, a.region_code)) {
		api_problem(req, 403, "该加减分项不在您的管理范围内");
		return;
	}
	if (strcmp(a.status, "approved") == 0) {
		api_problem(req, 409, "该加减分项已审核");
		return;
	}
	if (a.entered_by == ctx->who.user_id) {
		api_problem(req, 409, "录入人不能审核自己录入的加减分项");
		return;
	}
	int64_t now = time_now();
	enum db_result r =
	    store_adjustments_approve(ctx->db, a.id, ctx->who.user_id, ctx->who.name, now);
	if (r == DB_DONE) {
		api_problem(req, 409, "该加减分项已审核");
		return;
	}
	if (!api_stored(req, r))
		return;
	a.status = "approved";
	a.approved_by = ctx->who.user_id;
	a.approved_by_name = ctx->who.name;
	a.approved_at = now;
	ctx->audit_object = arena_printf(&req->arena, "ranking_adjustment:%lld", (long long)a.id);
	api_json(req, 200, ranking_adjustment_json(&a));
}
