/* /api/v1/care-targets: residents looked after (关爱对象: 独居老人, 残疾人, 留守儿童 …) with a
 * visit plan, the overdue list (red past due, yellow due within CARE_SOON_DAYS) and the
 * monthly coverage per grid. Kinds that are special-care groups (特殊人群) are restricted
 * like the resident tags: only managers over the grid see those targets, and lists and
 * counts leave them out for everyone else. Visits are in care_visits.c. */
#include "api/services/services.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/care.h"
#include "domain/deadline.h"

#include <stdio.h>
#include <string.h>

json_t *care_target_json(const struct care_target_row *t, int64_t as_of_day)
{
	json_t *o = json_object();
	const char *code = t->kind, *name = t->kind;
	bool restricted;
	care_kind(t->kind, &code, &name, &restricted);
	char d[11];
	json_set_int(o, "id", t->id);
	json_set_int(o, "resident_id", t->resident_id);
	json_set_str(o, "resident_name", t->resident_name);
	json_set_str(o, "region_code", t->region_code);
	json_set_str(o, "region_name", t->region_name);
	json_set_str(o, "kind", code);
	json_set_str(o, "kind_name", name);
	json_set_bool(o, "restricted", t->restricted);
	json_set_int(o, "visit_every_days", t->every);
	deadline_format_date(t->since_day, d);
	json_set_str(o, "since", d);
	if (t->last_visit_day) {
		deadline_format_date(t->last_visit_day, d);
		json_set_str(o, "last_visit_on", d);
	} else {
		json_object_set_new(o, "last_visit_on", json_null());
	}
	int64_t due = care_due_day(t->since_day, t->last_visit_day, t->every);
	deadline_format_date(due, d);
	json_set_str(o, "due_on", d);
	enum care_alert al = care_alert_at(due, as_of_day);
	json_set_str(o, "alert", care_alert_code(al));
	json_set_int(o, "days_overdue", al == CARE_OVERDUE ? as_of_day - due : 0);
	json_set_int(o, "visits", t->visits);
	json_set_str(o, "status", t->ended ? "ended" : "active");
	json_set_time(o, "created_at", t->created_at);
	return o;
}

/* Readers over the target's grid; a restricted kind only for managers over it. */
bool care_target_seen(struct http_req *req, const void *obj)
{
	const struct care_target_row *t = obj;
	struct api_ctx *ctx = api_ctx(req);
	return api_reaches(ctx, SERVICE_READERS, t->region_code) &&
	       (!t->restricted || api_reaches(ctx, BASE_RESTRICTED, t->region_code));
}

API_LOADER(target, "关爱对象", 0, care_target_seen, struct care_target_row, store_care_targets_get,
           region_code)

/* Whether every scope of sc is reached by a manager grant: then restricted kinds are listed
 * (a caller with mixed grants sees none of them, never more than they may). */
static bool scopes_restricted_ok(const struct api_ctx *ctx, const struct scopes *sc)
{
	if (sc->n == 0)
		return false;
	for (int i = 0; i < sc->n; i++)
		if (!api_reaches(ctx, BASE_RESTRICTED, sc->prefix[i]))
			return false;
	return true;
}

/* as_of query parameter (default today); false after responding 400. */
static bool as_of_param(struct http_req *req, int64_t *day)
{
	bool present;
	if (!services_query_day(req, "as_of", day, &present))
		return false;
	if (!present)
		*day = care_day_of(time_now());
	return true;
}

/* The day a list page's alerts are judged at, for its item renderer (one page at a time per
 * thread). */
static _Thread_local int64_t page_as_of;

static json_t *target_item(struct http_req *req, const void *row)
{
	(void)req;
	return care_target_json(row, page_as_of);
}

void care_targets_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct base_page pg;
	if (!base_page_query(req, &pg))
		return;
	struct care_filter f = {.soon_days = CARE_SOON_DAYS};
	bool overdue = false, due_soon = false;
	if (!api_query_bool(req, "overdue", &overdue) ||
	    !api_query_bool(req, "due_soon", &due_soon) || !as_of_param(req, &f.as_of_day))
		return;
	f.alert = overdue ? 1 : due_soon ? 2 : 0;
	const char *kind = http_query(req, "kind");
	if (kind) {
		const char *name;
		bool restricted;
		if (!care_kind(kind, &f.kind, &name, &restricted)) {
			api_problem(req, 400, "kind 不是关爱对象类别");
			return;
		}
	}
	f.with_restricted = scopes_restricted_ok(ctx, &pg.sc);
	struct care_target_row *rows;
	size_t n;
	enum db_result r = store_care_targets_walk(ctx->db, &req->arena, &pg.sc, &f, pg.after,
	                                           pg.limit, &rows, &n);
	page_as_of = f.as_of_day;
	base_respond_page(req, r, rows, n, sizeof *rows,
	                  offsetof(struct care_target_row, region_code), pg.limit, target_item);
}

/* The resident looked after: one that exists, reached by the caller as service staff. */
static void read_target_resident(struct http_req *req, struct api_input *in,
                                 struct care_target_row *t)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!api_int(in, "resident_id", true, 1, INT64_MAX, &t->resident_id, NULL))
		return;
	struct resident_row r;
	if (store_residents_get(ctx->db, &req->arena, t->resident_id, &r) != DB_ROW)
		api_field_error(in, "resident_id", "unknown", "居民不存在");
	else if (!api_reaches(ctx, SERVICE_STAFF, r.region_code))
		api_field_error(in, "resident_id", "scope", "该居民不在您的管辖范围内");
	else
		t->region_code = r.region_code;
}

void care_targets_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct care_target_row t;
	memset(&t, 0, sizeof t);
	read_target_resident(req, &in, &t);
	const char *kind = api_string(&in, "kind", true, 40, NULL), *name;
	if (kind && !care_kind(kind, &t.kind, &name, &t.restricted))
		api_field_error(&in, "kind", "unknown", "不是关爱对象类别");
	else if (kind && t.restricted && t.region_code &&
	         !api_reaches(ctx, BASE_RESTRICTED, t.region_code))
		api_field_error(&in, "kind", "scope", "您的角色无权登记该类关爱对象");
	api_int(&in, "visit_every_days", true, 1, 366, &t.every, NULL);
	bool has_since;
	const char *since = api_string(&in, "since", false, 10, &has_since);
	int64_t today = care_day_of(time_now());
	t.since_day = today;
	if (since && !deadline_parse_date(since, &t.since_day))
		api_field_error(&in, "since", "format", "日期格式须为 YYYY-MM-DD");
	else if (since && t.since_day > today)
		api_field_error(&in, "since", "range", "开始日期不能晚于今天");
	if (!api_input_end(req, &in))
		goto out;
	t.created_by = ctx->who.user_id;
	t.created_at = t.updated_at = time_now();
	enum db_result r = store_care_targets_insert(ctx->db, &t);
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409, "该居民已是此类关爱对象");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "care_target:%lld", (long long)t.id);
	store_care_targets_get(ctx->db, &req->arena, t.id, &t);
	api_json(req, 201, care_target_json(&t, today));
out:
	api_input_free(&in);
}

void care_targets_get_h(struct http_req *req)
{
	struct care_target_row t;
	if (!target_from_path(req, &t))
		return;
	int64_t day;
	if (!as_of_param(req, &day))
		return;
	json_t *o = care_target_json(&t, day);
	json_object_set_new(o, "visits_list", care_visits_json(req, t.id));
	api_json(req, 200, o);
}

void care_targets_coverage_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *region;
	if (!base_region_param(req, &region) || !api_unpaged(req))
		return;
	const char *period = http_query(req, "period");
	int y = 0, m = 0;
	char tail = 0;
	if (period && (strlen(period) != 7 || sscanf(period, "%4d-%2d%c", &y, &m, &tail) != 2 ||
	               m < 1 || m > 12 || y < 1970)) {
		api_problem(req, 400, "period 须为 YYYY-MM");
		return;
	}
	if (!period) {
		char d[11];
		deadline_format_date(care_day_of(time_now()), d);
		sscanf(d, "%4d-%2d", &y, &m);
	}
	int64_t from = deadline_day_of(y, m, 1);
	int64_t to = (m == 12 ? deadline_day_of(y + 1, 1, 1) : deadline_day_of(y, m + 1, 1)) - 1;
	struct scopes sc;
	base_scopes(ctx, SERVICE_READERS, region, &sc);
	struct care_coverage_row *rows;
	size_t n;
	enum db_result r = store_care_coverage(ctx->db, &req->arena, &sc,
	                                       scopes_restricted_ok(ctx, &sc), from, to, &rows, &n);
	if (!api_stored(req, r))
		return;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_set_str(o, "region_code", rows[i].region_code);
		json_set_str(o, "region_name", rows[i].region_name);
		json_set_int(o, "due", rows[i].due);
		json_set_int(o, "visited", rows[i].visited);
		if (rows[i].due)
			json_object_set_new(
			    o, "coverage",
			    json_real((double)rows[i].visited / (double)rows[i].due));
		else
			json_object_set_new(o, "coverage", json_null());
		json_array_append_new(items, o);
	}
	json_t *out = api_list(items, NULL);
	json_set_str(out, "period", arena_printf(&req->arena, "%04d-%02d", y, m));
	api_json(req, 200, out);
}
