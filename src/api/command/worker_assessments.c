/* /api/v1/worker-assessments: the grid worker assessment (网格员考核) — per grid worker and
 * month the five measures of domain/worker_assessment.h, counted from the records that name
 * the worker (store/command/worker_assessment.c), scored and ranked with the ranking
 * machinery of domain/ranking.c under the default scheme. Overseers (managers, supervisors,
 * grid leaders) read the workers under a region they reach; a grid worker reads only their own
 * row; the records behind a number are listed for drill-down; the table exports as XLSX. */
#include "api/base/export.h"
#include "api/command/command.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "core/xlsx.h"
#include "domain/case_flow.h"
#include "domain/indicator.h"
#include "domain/ranking.h"
#include "domain/region.h"
#include "domain/worker_assessment.h"
#include "store/command/worker_assessment.h"
#include "store/platform/regions.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One request's assessment: whose rows, which month. */
struct wa {
	const char *region;
	int64_t self; /* > 0: only the caller's own row */
	struct period p;
	int64_t from, to;
};

/* The first grid_worker grant of the caller; NULL when none. */
static const char *own_grid(const struct api_ctx *ctx)
{
	for (size_t i = 0; i < ctx->who.ngrants; i++)
		if (ctx->who.grants[i].role == ROLE_GRID_WORKER)
			return ctx->who.grants[i].region_code;
	return NULL;
}

/* The month (?month, default the current one) and whose rows: ?region reached by an overseer
 * grant → every worker under it; else the caller's own row when they are a grid worker whose
 * grid lies under the region (or none is given); false after answering. */
static bool wa_begin(struct http_req *req, struct wa *w)
{
	struct api_ctx *ctx = api_ctx(req);
	memset(w, 0, sizeof *w);
	const char *month = http_query(req, "month");
	if (month) {
		if (!period_parse(month, &w->p) || w->p.type != PERIOD_MONTH) {
			api_problem(req, 400, "month 须为 YYYY-MM");
			return false;
		}
	} else
		w->p = period_of(PERIOD_MONTH, time_now());
	callbacks_month_range(w->p.first, &w->from, &w->to);
	const char *region = http_query(req, "region");
	if (region && region_level_of(region) == REGION_NONE) {
		api_problem(req, 400, "region 须为区划代码");
		return false;
	}
	if (region && api_reaches(ctx, WORKER_ASSESSMENT_OVERSEERS, region)) {
		w->region = region;
		return true;
	}
	if (!region)
		for (size_t i = 0; i < ctx->who.ngrants; i++) {
			const struct grant *g = &ctx->who.grants[i];
			if (ROLE_BIT(g->role) & WORKER_ASSESSMENT_OVERSEERS) {
				w->region = g->region_code;
				return true;
			}
		}
	const char *grid = own_grid(ctx);
	if (grid && (!region || region_covers(region, grid))) {
		w->region = grid;
		w->self = ctx->who.user_id;
		return true;
	}
	api_problem(req, 403, "该区划超出您的数据范围");
	return false;
}

static json_t *scheme_json(const struct worker_item *s, size_t n)
{
	json_t *o = json_object(), *items = json_array();
	json_set_str(o, "name", "网格员月度考核（默认方案）");
	json_set_str(o, "name_en", "Grid worker monthly assessment (default scheme)");
	json_set_int(o, "top_n", WORKER_SCHEME_TOP);
	for (size_t i = 0; i < n; i++) {
		json_t *d = json_object();
		json_set_str(d, "measure", worker_measure_code(s[i].measure));
		json_set_str(d, "name", worker_measure_name(s[i].measure));
		json_set_str(d, "name_en", worker_measure_name_en(s[i].measure));
		json_set_str(d, "direction", s[i].higher ? "higher" : "lower");
		json_object_set_new(d, "weight", json_real(s[i].weight));
		json_object_set_new(d, "floor", json_real(s[i].floor));
		json_object_set_new(d, "target", json_real(s[i].target));
		json_array_append_new(items, d);
	}
	json_object_set_new(o, "items", items);
	return o;
}

static json_t *counts_json(const struct worker_counts *c)
{
	json_t *o = json_object();
	json_set_int(o, "reports", c->reports);
	json_set_int(o, "sweeps_verified", c->sweeps_verified);
	json_set_int(o, "care_visits", c->care_visits);
	json_set_int(o, "handled", c->handled);
	json_set_int(o, "handled_on_time", c->handled_on_time);
	json_set_int(o, "callbacks_reached", c->callbacks_reached);
	json_set_int(o, "callbacks_contradicted", c->callbacks_contradicted);
	return o;
}

static void add_count(struct worker_counts *c, int64_t kind, int64_t n)
{
	switch (kind) {
	case WC_REPORTS:
		c->reports += n;
		break;
	case WC_SWEEPS:
		c->sweeps_verified += n;
		break;
	case WC_CARE:
		c->care_visits += n;
		break;
	case WC_HANDLED:
		c->handled += n;
		break;
	case WC_ON_TIME:
		c->handled_on_time += n;
		break;
	case WC_CALLBACKS_REACHED:
		c->callbacks_reached += n;
		break;
	case WC_CALLBACKS_CONTRADICTED:
		c->callbacks_reached += n;
		c->callbacks_contradicted += n;
		break;
	default:
		break;
	}
}

/* The assessment of w as JSON; NULL after answering an error. */
static json_t *wa_compute(struct http_req *req, const struct wa *w)
{
	struct api_ctx *ctx = api_ctx(req);
	struct arena *ar = &req->arena;
	struct worker_row *ws;
	size_t nw = 0;
	struct worker_count *cs;
	size_t nc = 0;
	enum db_result r = store_workers_list(ctx->db, ar, w->region, w->self, &ws, &nw);
	if (r == DB_OK)
		r = store_worker_counts(ctx->db, ar, w->region, w->self, w->from, w->to, w->p.first,
		                        CASE_CLOSED, &cs, &nc);
	struct region_row reg;
	enum db_result rr = r == DB_OK ? store_regions_get(ctx->db, ar, w->region, &reg) : r;
	if (rr != DB_ROW && rr != DB_DONE) {
		api_store_error(req, rr == DB_OK ? DB_ERROR : rr);
		return NULL;
	}
	size_t ns;
	const struct worker_item *scheme = worker_scheme_default(&ns);
	size_t cells = nw ? nw : 1;
	struct worker_counts *counts = arena_alloc(ar, sizeof *counts * cells);
	double *totals = arena_alloc(ar, sizeof(double) * cells);
	json_t **rows = arena_alloc(ar, sizeof(json_t *) * cells);
	memset(counts, 0, sizeof *counts * cells);
	for (size_t i = 0; i < nc; i++) /* workers are by user id: a binary search */
	{
		size_t lo = 0, hi = nw;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (ws[mid].user_id < cs[i].user_id)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < nw && ws[lo].user_id == cs[i].user_id)
			add_count(&counts[lo], cs[i].kind, cs[i].n);
	}
	for (size_t i = 0; i < nw; i++) {
		double pts[WM_COUNT];
		bool has[WM_COUNT];
		totals[i] = worker_score(scheme, ns, &counts[i], pts, has);
		json_t *row = json_object(), *scores = json_array();
		json_set_int(row, "user_id", ws[i].user_id);
		json_set_str(row, "name", ws[i].name);
		json_set_str(row, "grid_code", ws[i].grid_code);
		json_set_str(row, "grid_name", ws[i].grid_name);
		for (size_t j = 0; j < ns; j++) {
			int64_t num, den;
			double v = 0;
			worker_measure_value(scheme[j].measure, &counts[i], &num, &den, &v);
			json_t *o = json_object();
			json_set_str(o, "measure", worker_measure_code(scheme[j].measure));
			json_set_int(o, "numerator", num);
			json_set_int(o, "denominator", den);
			json_object_set_new(o, "value",
			                    has[j] ? json_real(round(v * 100) / 100) : json_null());
			json_set_bool(o, "no_data", !has[j]);
			json_object_set_new(o, "points", json_real(pts[j]));
			json_object_set_new(o, "weight", json_real(scheme[j].weight));
			json_array_append_new(scores, o);
		}
		json_object_set_new(row, "scores", scores);
		json_object_set_new(row, "counts", counts_json(&counts[i]));
		json_object_set_new(row, "total", json_real(totals[i]));
		rows[i] = row;
	}
	json_t *o = json_object(), *rg = json_object();
	json_t **ids = arena_alloc(ar, sizeof(json_t *) * cells);
	for (size_t i = 0; i < nw; i++)
		ids[i] = json_integer(ws[i].user_id);
	json_set_str(rg, "code", w->region);
	json_set_str(rg, "name", rr == DB_ROW ? reg.name : NULL);
	json_object_set_new(o, "region", rg);
	char ps[8];
	period_format(&w->p, ps);
	json_set_str(o, "month", ps);
	json_set_bool(o, "self", w->self > 0);
	json_object_set_new(o, "scheme", scheme_json(scheme, ns));
	ranking_rows_json(ar, rows, totals, ids, nw, WORKER_SCHEME_TOP, !w->self, o);
	json_set_time(o, "computed_at", time_now());
	return o;
}

void worker_assessments_list_h(struct http_req *req)
{
	struct wa w;
	if (!wa_begin(req, &w))
		return;
	json_t *o = wa_compute(req, &w);
	if (o)
		api_json(req, 200, o);
}

static const char *num_text(struct http_req *req, json_t *v)
{
	if (!json_is_number(v))
		return "";
	return arena_printf(&req->arena, "%.2f", json_number_value(v));
}

static const char VALUE_SUFFIX[] = "（值）", POINTS_SUFFIX[] = "（得分）";

void worker_assessments_export_h(struct http_req *req)
{
	struct wa w;
	if (!wa_begin(req, &w))
		return;
	json_t *o = wa_compute(req, &w);
	if (!o)
		return;
	size_t ns;
	const struct worker_item *scheme = worker_scheme_default(&ns);
	const char *cells[XLSX_MAX_COLUMNS];
	int nc = 0;
	cells[nc++] = "名次";
	cells[nc++] = "网格员";
	cells[nc++] = "网格代码";
	cells[nc++] = "网格";
	for (size_t j = 0; j < ns; j++) {
		const char *nm = worker_measure_name(scheme[j].measure);
		cells[nc++] = arena_printf(&req->arena, "%s%s", nm, VALUE_SUFFIX);
		cells[nc++] = arena_printf(&req->arena, "%s%s", nm, POINTS_SUFFIX);
	}
	cells[nc++] = "总分";
	cells[nc++] = "红黑榜";
	struct sink s;
	if (!sink_start(&s, "网格员考核", true)) {
		json_decref(o);
		api_store_error(req, DB_ERROR);
		return;
	}
	sink_header(&s, cells, nc);
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(o, "items"), i, row)
	{
		int c = 0;
		json_t *rk = json_object_get(row, "rank");
		cells[c++] = json_is_integer(rk) ? arena_printf(&req->arena, "%lld",
		                                                (long long)json_integer_value(rk))
		                                 : "";
		cells[c++] = json_string_value(json_object_get(row, "name"));
		cells[c++] = json_string_value(json_object_get(row, "grid_code"));
		cells[c++] = json_string_value(json_object_get(row, "grid_name"));
		size_t j;
		json_t *x;
		json_array_foreach(json_object_get(row, "scores"), j, x)
		{
			cells[c++] = json_is_null(json_object_get(x, "value"))
			                 ? "无数据"
			                 : num_text(req, json_object_get(x, "value"));
			cells[c++] = num_text(req, json_object_get(x, "points"));
		}
		cells[c++] = num_text(req, json_object_get(row, "total"));
		const char *l = json_string_value(json_object_get(row, "list"));
		cells[c++] = !l ? "" : strcmp(l, "red") == 0 ? "红榜" : "黑榜";
		sink_row(&s, cells, c);
	}
	char ps[8];
	period_format(&w.p, ps);
	json_decref(o);
	int fd;
	size_t len;
	if (!sink_finish(&s, &fd, &len)) {
		api_store_error(req, DB_ERROR);
		return;
	}
	export_send_file(req, fd, len, true,
	                 arena_printf(&req->arena, "worker-assessment-%s-%s", w.region, ps));
}

/* The drill-down kinds: a measure's code or one of the counts behind the on-time rate and the
 * callbacks. */
static const struct {
	const char *code;
	int kind;
	const char *type;
} RECORD_KINDS[] = {
    {"reports", WC_REPORTS, "case"},
    {"sweeps_verified", WC_SWEEPS, "sweep_visit"},
    {"care_visits", WC_CARE, "care_visit"},
    {"handled", WC_HANDLED, "case"},
    {"on_time_rate", WC_ON_TIME, "case"},
    {"callbacks_reached", WC_CALLBACKS_REACHED, "case"},
    {"callback_failures", WC_CALLBACKS_CONTRADICTED, "case"},
};

void worker_assessments_records_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t user = 0;
	if (!api_query_id(req, "user", &user) || !api_unpaged(req))
		return;
	const char *measure = http_query(req, "measure");
	size_t k = 0, nk = sizeof RECORD_KINDS / sizeof RECORD_KINDS[0];
	while (measure && k < nk && strcmp(RECORD_KINDS[k].code, measure) != 0)
		k++;
	if (!user || !measure || k == nk) {
		api_problem(req, 400, "须给出 user 和 measure");
		return;
	}
	struct wa w;
	if (!wa_begin(req, &w))
		return;
	/* The worker must be under the rows the caller may read (their own row, for a worker). */
	struct worker_row *ws;
	size_t nw = 0;
	if (!api_stored(req, store_workers_list(ctx->db, &req->arena, w.region, user, &ws, &nw)))
		return;
	if (!nw || (w.self && w.self != user)) {
		api_problem(req, 404, "网格员不存在");
		return;
	}
	struct worker_record *rows;
	size_t n = 0;
	if (!api_stored(req,
	                store_worker_records(ctx->db, &req->arena, user, RECORD_KINDS[k].kind,
	                                     w.from, w.to, w.p.first, CASE_CLOSED, 200, &rows, &n)))
		return;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		/* a record in a region the caller does not reach is left out (counted, not shown)
		 */
		if (!api_reaches(ctx, WORKER_ASSESSMENT_READERS, rows[i].region_code))
			continue;
		json_t *o = json_object();
		json_set_str(o, "type", RECORD_KINDS[k].type);
		json_set_int(o, "id", rows[i].id);
		json_set_str(o, "region_code", rows[i].region_code);
		json_set_time(o, "at", rows[i].at);
		if (strcmp(RECORD_KINDS[k].type, "case") == 0)
			json_set_str(o, "number", rows[i].label);
		else if (RECORD_KINDS[k].kind == WC_SWEEPS) {
			json_set_int(o, "sweep_id", rows[i].ref);
			json_set_int(o, "house_id", strtoll(rows[i].label, NULL, 10));
		} else
			json_set_int(o, "care_target_id", rows[i].ref);
		json_array_append_new(items, o);
	}
	api_json(req, 200, api_list(items, NULL));
}
