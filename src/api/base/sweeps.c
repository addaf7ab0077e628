/* /api/v1/sweeps: door-to-door sweeps (扫楼). A campaign over a region gives
 * every grid a worklist of its houses; a visit records the house's use, its
 * occupants (added, updated, moved out — through the same rules as the
 * residents API), hazards (each may open a case or a rectification item) and
 * photos, all in one transaction; progress counts houses visited per region
 * ("一户不漏") and records not verified for N days. */
#include "api/base/base.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/region.h"
#include "store/platform/regions.h"
#include "store/base/sweeps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The caller reaches some part of region with a base-data role. */
static bool overlaps_scope(const struct api_ctx *ctx, const char *region)
{
	struct scopes sc;
	base_scopes(ctx, BASE_READERS, region, &sc);
	return sc.n > 0;
}

static json_t *sweep_json(const struct sweep_row *s)
{
	json_t *o = json_object();
	json_set_int(o, "id", s->id);
	json_set_str(o, "name", s->name);
	json_set_str(o, "region_code", s->region_code);
	json_set_str(o, "starts_on", s->starts_on);
	json_set_str(o, "ends_on", s->ends_on);
	json_set_str(o, "status", s->status);
	json_set_str(o, "note", s->note);
	json_set_time(o, "created_at", s->created_at);
	json_set_time(o, "updated_at", s->updated_at);
	return o;
}

/* Adds houses, visited and rate over the part of the sweep the caller sees. */
static bool add_totals(struct http_req *req, const struct sweep_row *s, json_t *o)
{
	struct api_ctx *ctx = api_ctx(req);
	struct scopes sc;
	base_scopes(ctx, BASE_READERS, s->region_code, &sc);
	int64_t houses = 0, visited = 0;
	for (int i = 0; i < sc.n; i++) {
		struct coverage_row *rows;
		size_t n;
		if (store_sweep_coverage(ctx->db, &req->arena, s->id, sc.prefix[i],
		                         (int)strlen(sc.prefix[i]), &rows, &n) != DB_OK)
			return false;
		for (size_t k = 0; k < n; k++) {
			houses += rows[k].houses;
			visited += rows[k].visited;
		}
	}
	json_set_int(o, "houses", houses);
	json_set_int(o, "visited", visited);
	json_object_set_new(o, "rate", json_real((double)rate_tenths(visited, houses) / 10.0));
	return true;
}

/* The answer of a sweep write: the store error, else audited as sweep:id and answered status
 * with the sweep and its totals. */
static void respond_written(struct http_req *req, enum db_result r, int status,
                            const struct sweep_row *s)
{
	if (!api_stored(req, r))
		return;
	api_ctx(req)->audit_object = arena_printf(&req->arena, "sweep:%lld", (long long)s->id);
	json_t *o = sweep_json(s);
	add_totals(req, s, o);
	api_json(req, status, o);
}

void sweeps_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct sweep_row s;
	memset(&s, 0, sizeof s);
	s.name = api_string(&in, "name", true, 100, NULL);
	s.region_code = api_string(&in, "region_code", true, 15, NULL);
	s.starts_on = api_string(&in, "starts_on", true, 10, NULL);
	s.ends_on = api_string(&in, "ends_on", true, 10, NULL);
	s.note = api_string(&in, "note", false, 500, NULL);
	if (s.starts_on && !base_valid_date(s.starts_on))
		api_field_error(&in, "starts_on", "date", "须为 YYYY-MM-DD 格式的日期");
	if (s.ends_on && !base_valid_date(s.ends_on))
		api_field_error(&in, "ends_on", "date", "须为 YYYY-MM-DD 格式的日期");
	else if (s.starts_on && s.ends_on && strcmp(s.ends_on, s.starts_on) < 0)
		api_field_error(&in, "ends_on", "range", "结束日期不能早于开始日期");
	if (s.region_code)
		api_region_field(req, &in, "region_code", s.region_code, BASE_MANAGERS);
	if (!api_input_end(req, &in))
		goto out;
	s.status = "open";
	s.created_by = ctx->who.user_id;
	s.created_at = s.updated_at = time_now();
	enum db_result r = store_sweeps_insert(ctx->db, &s);
	respond_written(req, r, 201, &s);
out:
	api_input_free(&in);
}

void sweeps_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *status = http_query(req, "status");
	if (status && *status && strcmp(status, "open") != 0 && strcmp(status, "closed") != 0) {
		api_problem(req, 400, "status 须为 open 或 closed");
		return;
	}
	/* Paged like every list (newest first, the cursor an id): a malformed limit or a cursor
	 * the server did not hand out is 400, never ignored. */
	int limit;
	int64_t before;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &before))
		return;
	struct sweep_row *rows;
	size_t n;
	enum db_result r = store_sweeps_all(ctx->db, &req->arena, status && *status ? status : NULL,
	                                    200, &rows, &n);
	if (!api_stored(req, r))
		return;
	json_t *items = json_array();
	const char *next = NULL;
	int64_t last = 0;
	for (size_t i = 0; i < n; i++) {
		if ((before && rows[i].id >= before) || !overlaps_scope(ctx, rows[i].region_code))
			continue;
		if ((int)json_array_size(items) == limit) {
			next = arena_printf(&req->arena, "%lld", (long long)last);
			break;
		}
		json_t *o = sweep_json(&rows[i]);
		add_totals(req, &rows[i], o);
		json_array_append_new(items, o);
		last = rows[i].id;
	}
	api_json(req, 200, api_list(items, next));
}

/* A sweep is seen by whoever reaches some part of its region (a grid worker sees a district's
 * sweep through their grid's worklist). */
static bool sweep_visible(struct http_req *req, const void *obj)
{
	return overlaps_scope(api_ctx(req), ((const struct sweep_row *)obj)->region_code);
}

API_LOADER(sweep, "扫楼行动", BASE_READERS, sweep_visible, struct sweep_row, store_sweeps_get,
           region_code)

bool base_sweep_load(struct http_req *req, struct sweep_row *s)
{
	return sweep_from_path(req, s);
}

void sweeps_get_h(struct http_req *req)
{
	struct sweep_row s;
	if (!base_sweep_load(req, &s))
		return;
	json_t *o = sweep_json(&s);
	if (!add_totals(req, &s, o)) {
		json_decref(o);
		api_store_error(req, DB_ERROR);
		return;
	}
	api_json(req, 200, o);
}

void sweeps_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct sweep_row s;
	if (!base_sweep_load(req, &s))
		return;
	struct api_input in;
	if (!api_write_begin(req, BASE_MANAGERS, s.region_code,
	                     "只有发起区划的管理人员可以修改扫楼行动", &in))
		return;
	bool has_note;
	const char *name = api_string(&in, "name", false, 100, NULL);
	const char *ends = api_string(&in, "ends_on", false, 10, NULL);
	const char *status = api_string(&in, "status", false, 10, NULL);
	const char *note = api_string(&in, "note", false, 500, &has_note);
	if (ends && (!base_valid_date(ends) || strcmp(ends, s.starts_on) < 0))
		api_field_error(&in, "ends_on", "date", "须为不早于开始日期的 YYYY-MM-DD 日期");
	if (status && strcmp(status, "open") != 0 && strcmp(status, "closed") != 0)
		api_field_error(&in, "status", "enum", "状态须为 open 或 closed");
	if (!api_input_end(req, &in))
		goto out;
	if (name)
		s.name = name;
	if (ends)
		s.ends_on = ends;
	if (status)
		s.status = status;
	if (has_note)
		s.note = note;
	s.updated_at = time_now();
	enum db_result r = store_sweeps_update(ctx->db, &s);
	respond_written(req, r, 200, &s);
out:
	api_input_free(&in);
}

void sweeps_worklist_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct sweep_row s;
	if (!base_sweep_load(req, &s))
		return;
	struct base_page pg;
	if (!base_page_query(req, &pg))
		return;
	const char *state = http_query(req, "state");
	if (state && strcmp(state, "all") == 0)
		state = NULL;
	else if (state && strcmp(state, "pending") != 0 && strcmp(state, "visited") != 0) {
		api_problem(req, 400, "state 须为 pending、visited 或 all");
		return;
	}
	/* The sweep's region, narrowed to the requested one and to the caller's reach. */
	const char *within = s.region_code;
	if (pg.region && region_covers(s.region_code, pg.region))
		within = pg.region;
	else if (pg.region && !region_covers(pg.region, s.region_code)) {
		api_json(req, 200, api_list(json_array(), NULL));
		return;
	}
	struct scopes sc;
	base_scopes(ctx, BASE_READERS, within, &sc);
	struct work_item *rows;
	size_t n;
	enum db_result r = store_sweep_worklist(ctx->db, &req->arena, s.id, &sc, state, pg.after,
	                                        pg.limit, &rows, &n);
	if (!api_stored(req, r))
		return;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = house_json(&req->arena, &rows[i].house);
		if (rows[i].visit.id) {
			json_t *v = json_object();
			json_set_int(v, "id", rows[i].visit.id);
			json_set_time(v, "at", rows[i].visit.at);
			json_set_str(v, "outcome", rows[i].visit.outcome);
			json_set_str(v, "visitor", rows[i].visit.visitor);
			json_object_set_new(o, "visit", v);
		} else {
			json_object_set_new(o, "visit", json_null());
		}
		json_array_append_new(items, o);
	}
	api_json(req, 200,
	         api_list(items,
	                  n ? base_next_cursor(&req->arena, n, pg.limit,
	                                       rows[n - 1].house.region_code, rows[n - 1].house.id)
	                    : NULL));
}

static const char *region_name(struct http_req *req, const char *code)
{
	struct region_row reg;
	if (store_regions_get(api_ctx(req)->db, &req->arena, code, &reg) == DB_ROW)
		return reg.name;
	return NULL;
}

static int child_len(const char *code)
{
	size_t n = strlen(code);
	return n == 6 ? 9 : n == 9 ? 12 : 15;
}

struct progress_totals {
	int64_t houses, visited, stale_r, stale_h;
};

/* The coverage under prefix p, grouped by regions of glen digits, into items and t; false
 * when the store failed. */
static bool progress_scope(struct http_req *req, const struct sweep_row *s, const char *p, int glen,
                           int64_t cutoff, json_t *items, struct progress_totals *t)
{
	struct api_ctx *ctx = api_ctx(req);
	struct coverage_row *rows;
	size_t n;
	int64_t sr = 0, sh = 0;
	if (store_sweep_coverage(ctx->db, &req->arena, s->id, p, glen, &rows, &n) != DB_OK ||
	    store_stale_counts(ctx->db, p, cutoff, &sr, &sh) != DB_OK)
		return false;
	t->stale_r += sr;
	t->stale_h += sh;
	for (size_t i = 0; i < n; i++) {
		t->houses += rows[i].houses;
		t->visited += rows[i].visited;
		json_t *o = json_object();
		json_set_str(o, "region_code", rows[i].region_code);
		json_set_str(o, "name", region_name(req, rows[i].region_code));
		json_set_str(o, "level", region_level_code(region_level_of(rows[i].region_code)));
		json_set_int(o, "houses", rows[i].houses);
		json_set_int(o, "visited", rows[i].visited);
		json_set_int(o, "never_visited", rows[i].houses - rows[i].visited);
		json_object_set_new(
		    o, "rate",
		    json_real((double)rate_tenths(rows[i].visited, rows[i].houses) / 10.0));
		json_array_append_new(items, o);
	}
	return true;
}

void sweeps_progress_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct sweep_row s;
	if (!base_sweep_load(req, &s))
		return;
	const char *region;
	if (!base_region_param(req, &region))
		return;
	int64_t stale_days = 90;
	if (!api_query_int(req, "stale_days", 1, 3650, &stale_days, NULL))
		return;
	/* The region shown: the one asked for, else the sweep's, narrowed to the caller. */
	const char *within = region ? region : s.region_code;
	if (!region_covers(s.region_code, within) && !region_covers(within, s.region_code)) {
		api_problem(req, 404, "该区划不在本次扫楼范围内");
		return;
	}
	if (region_covers(within, s.region_code))
		within = s.region_code;
	struct scopes sc;
	base_scopes(ctx, BASE_READERS, within, &sc);
	if (sc.n == 0) {
		api_problem(req, 404, "该区划不在您的管辖范围内");
		return;
	}
	if (sc.n == 1)
		within = sc.prefix[0];
	json_t *items = json_array();
	struct progress_totals t = {0, 0, 0, 0};
	int64_t cutoff = time_now() - (int64_t)stale_days * 86400;
	for (int k = 0; k < sc.n; k++) {
		const char *p = sc.prefix[k];
		int glen = sc.n == 1 ? child_len(p) : (int)strlen(p);
		if (!progress_scope(req, &s, p, glen > 15 ? 15 : glen, cutoff, items, &t)) {
			json_decref(items);
			api_store_error(req, DB_ERROR);
			return;
		}
	}
	json_t *totals = json_object();
	json_set_int(totals, "houses", t.houses);
	json_set_int(totals, "visited", t.visited);
	json_set_int(totals, "never_visited", t.houses - t.visited);
	json_object_set_new(totals, "rate",
	                    json_real((double)rate_tenths(t.visited, t.houses) / 10.0));
	json_set_int(totals, "stale_residents", t.stale_r);
	json_set_int(totals, "stale_houses", t.stale_h);
	json_set_int(totals, "stale_days", stale_days);
	json_t *o = json_object();
	json_set_int(o, "sweep_id", s.id);
	json_set_str(o, "region_code", within);
	json_set_str(o, "region_name", region_name(req, within));
	json_object_set_new(o, "totals", totals);
	json_object_set_new(o, "items", items);
	api_json(req, 200, o);
}
