/* GET /api/v1/cases and /cases/counts: a listing runs over one index range per grant
 * (departments: their unit's cases, residents: their own reports) and merges them. */
#include "api/api.h"
#include "api/cases/cases.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/indicator.h"

#include <stddef.h>
#include <string.h>

/* One index range a listing runs over, with the restriction the grant behind it carries:
 * departments see their unit's cases, residents their own reports. */
struct list_scope {
	const char *region;
	const char *unit;
	int64_t reporter;
	bool reader; /* sees every case in the region */
};

/* The scopes of a listing: each grant's region (narrowed to the requested region), minus
 * scopes that a reader scope already covers. */
static size_t list_scopes(struct http_req *req, const char *region, struct list_scope *scopes)
{
	struct api_ctx *ctx = api_ctx(req);
	size_t n = 0;
	if (api_is_admin(ctx)) {
		scopes[n++] = (struct list_scope){.region = region ? region : "", .reader = true};
		return n;
	}
	for (size_t i = 0; i < ctx->who.ngrants && n < USER_MAX_GRANTS; i++) {
		const struct grant *g = &ctx->who.grants[i];
		struct list_scope sc = {.region = g->region_code, .reader = true};
		if (region && region_covers(g->region_code, region))
			sc.region = region;
		else if (region && !region_covers(region, g->region_code))
			continue;
		if (g->role == ROLE_DEPARTMENT) {
			sc.reader = false;
			sc.unit = ctx->who.unit[0] ? ctx->who.unit : "\x01"; /* no unit: nothing */
		} else if (g->role == ROLE_RESIDENT) {
			sc.reader = false;
			sc.reporter = ctx->who.user_id ? ctx->who.user_id : -1;
		}
		if (*sc.region)
			scopes[n++] = sc;
	}
	/* Drop a scope that a reader scope covers, and repeats (keeping the first). */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		bool covered = false;
		for (size_t j = 0; j < n && !covered; j++) {
			if (j == i)
				continue;
			bool same_region = strcmp(scopes[j].region, scopes[i].region) == 0;
			bool same = same_region && scopes[j].reader == scopes[i].reader &&
			            scopes[j].unit == scopes[i].unit &&
			            scopes[j].reporter == scopes[i].reporter;
			bool by_reader = scopes[j].reader &&
			                 region_covers(scopes[j].region, scopes[i].region) &&
			                 !(scopes[i].reader && same_region);
			covered = by_reader || (same && j < i);
		}
		if (!covered)
			scopes[kept++] = scopes[i];
	}
	return kept;
}

static void apply_scope(struct case_filter *f, const struct list_scope *sc)
{
	f->region = sc->region;
	f->unit = sc->unit;
	f->reporter_user_id = sc->reporter;
}

/* Reads the list filters shared by the listing and the counts. */
static bool read_filter(struct http_req *req, struct case_filter *f, const char **region)
{
	struct api_ctx *ctx = api_ctx(req);
	memset(f, 0, sizeof(*f));
	f->status = -1;
	f->now = time_now();
	*region = http_query(req, "region");
	if (*region && region_level_of(*region) == REGION_NONE) {
		api_problem(req, 400, "region 须为有效的区划代码");
		return false;
	}
	if (*region && !api_reaches(ctx, ROLES_ANY, *region)) {
		api_problem(req, 403, "该区划超出您的数据范围");
		return false;
	}
	const char *status = http_query(req, "status");
	if (status) {
		enum case_state s;
		if (!case_state_parse(status, &s)) {
			api_problem(req, 400, "status 取值无效");
			return false;
		}
		f->status = s;
	}
	f->category = http_query(req, "category");
	if (f->category && !*f->category)
		f->category = NULL;
	if (!api_query_bool(req, "overdue", &f->overdue) ||
	    !api_query_bool(req, "warning", &f->warning) ||
	    !api_query_bool(req, "supervised", &f->supervised) ||
	    !api_query_bool(req, "unclosed", &f->unclosed))
		return false;
	/* month=YYYY-MM: reported in that Asia/Shanghai month (an indicator's drill-down) */
	const char *month = http_query(req, "month");
	if (month) {
		struct period p;
		if (!period_parse(month, &p) || p.type != PERIOD_MONTH) {
			api_problem(req, 400, "month 须为 YYYY-MM");
			return false;
		}
		struct period prev = {PERIOD_MONTH, p.first - 1, p.first - 1};
		if (p.first % 100 == 1)
			prev.first = prev.last = p.first - 100 + 11;
		f->created_from = period_end(&prev);
		f->created_to = period_end(&p);
	}
	return true;
}

static void case_item(struct http_req *req, struct jw *w, const void *row)
{
	case_write(w, api_ctx(req), &req->arena, row, false);
}
_Static_assert(offsetof(struct case_row, id) == 0, "the page cursor reads the id first");

void cases_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t before;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &before))
		return;
	struct case_filter f;
	const char *region;
	if (!read_filter(req, &f, &region))
		return;
	f.before_id = before;
	f.limit = limit + 1;
	struct list_scope scopes[USER_MAX_GRANTS];
	size_t ns = list_scopes(req, region, scopes);
	/* Each scope is an index range; merge their newest-first pages. */
	struct case_row *all =
	    arena_alloc(&req->arena, sizeof(*all) * (size_t)(limit + 1) * (ns ? ns : 1));
	size_t total = 0;
	for (size_t i = 0; i < ns; i++) {
		struct case_row *rows;
		size_t n;
		apply_scope(&f, &scopes[i]);
		enum db_result r = store_cases_list(ctx->db, &req->arena, &f, &rows, &n);
		if (!api_stored(req, r))
			return;
		/* A case can come from two scopes (a unit's case inside the caller's grid). */
		total = api_rows_merge(all, total, rows, n, sizeof *rows);
	}
	/* Newest first across scopes. */
	api_rows_newest_first(all, total, sizeof *all);
	api_respond_id_page_w(req, all, total, sizeof *all, limit, case_item);
}

void cases_list_counts_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct case_filter f;
	const char *region;
	if (!read_filter(req, &f, &region))
		return;
	struct list_scope scopes[USER_MAX_GRANTS];
	size_t ns = list_scopes(req, region, scopes);
	int64_t total[CASE_STATE_COUNT] = {0}, overdue = 0, warning = 0;
	/* Sum the scopes; a restricted scope (a unit, one's own reports) loses what a reader
	 * scope inside it already counted, so no case is counted twice. */
	for (size_t i = 0; i < ns; i++) {
		for (size_t k = 0; k <= ns; k++) {
			int sign = 1;
			struct list_scope sc = scopes[i];
			if (k < ns) {
				if (k == i || scopes[i].reader || !scopes[k].reader ||
				    !region_covers(scopes[i].region, scopes[k].region))
					continue;
				sc.region = scopes[k].region;
				sign = -1;
			}
			int64_t counts[CASE_STATE_COUNT], od[CASE_STATE_COUNT],
			    wa[CASE_STATE_COUNT];
			apply_scope(&f, &sc);
			f.overdue = f.warning = false;
			enum db_result r = store_cases_count_by_status(ctx->db, &f, counts);
			f.overdue = true;
			if (r == DB_OK)
				r = store_cases_count_by_status(ctx->db, &f, od);
			f.overdue = false;
			f.warning = true;
			if (r == DB_OK)
				r = store_cases_count_by_status(ctx->db, &f, wa);
			if (!api_stored(req, r))
				return;
			for (int st = 0; st < CASE_STATE_COUNT; st++) {
				total[st] += sign * counts[st];
				overdue += sign * od[st];
				warning += sign * wa[st];
			}
		}
	}
	json_t *o = json_object(), *by = json_object();
	for (int s = 0; s < CASE_STATE_COUNT; s++)
		json_set_int(by, case_state_code((enum case_state)s), total[s]);
	json_object_set_new(o, "by_status", by);
	json_set_int(o, "overdue", overdue);
	json_set_int(o, "warning", warning);
	api_json(req, 200, o);
}
