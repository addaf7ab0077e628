/* GET /api/v1/dashboard?region=CODE: the command centre's counts for a region in the caller's
 * scope — open, overdue, warning and supervised cases, reported and closed today, a 30-day
 * trend, the children with their counts and the categories. Every figure is one index range
 * (store/command/dashboard.h), so the answer costs the same on a district of 200 000 cases
 * as on a demo. */
#include "api/command/command.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "store/command/dashboard.h"
#include "store/platform/regions.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

enum { TREND_DAYS = 30 };

/* (command.h) The region asked for, or else the caller's first dashboard grant (admin: the one top
 * region); NULL after answering the error. */
const char *dashboard_region(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *region = http_query(req, "region");
	if (region) {
		if (region_level_of(region) == REGION_NONE) {
			api_problem(req, 400, "region 须为有效的区划代码");
			return NULL;
		}
		if (!api_reaches(ctx, DASHBOARD_ROLES, region)) {
			api_problem(req, 403, "该区划超出您的数据范围");
			return NULL;
		}
		return region;
	}
	for (size_t i = 0; i < ctx->who.ngrants; i++)
		if (ROLE_BIT(ctx->who.grants[i].role) & DASHBOARD_ROLES &&
		    ctx->who.grants[i].region_code[0])
			return ctx->who.grants[i].region_code;
	struct region_row *tops;
	size_t n = 0;
	enum db_result r = store_regions_children(ctx->db, &req->arena, NULL, NULL, 2, &tops, &n);
	if (r != DB_OK) {
		api_store_error(req, r);
		return NULL;
	}
	if (n != 1) {
		api_problem(req, 400, "请用 region 参数指定区划");
		return NULL;
	}
	return tops[0].code;
}

static void day_date(int64_t day, char out[16])
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

static json_t *trend_json(const struct dashboard_day *days, size_t n, int64_t from, int64_t to)
{
	json_t *arr = json_array();
	size_t k = 0;
	for (int64_t d = from; d <= to; d++) {
		while (k < n && days[k].day < d)
			k++;
		char date[16];
		day_date(d, date);
		json_t *o = json_object();
		json_set_str(o, "date", date);
		json_set_int(o, "reported", k < n && days[k].day == d ? days[k].reported : 0);
		json_set_int(o, "closed", k < n && days[k].day == d ? days[k].closed : 0);
		json_array_append_new(arr, o);
	}
	return arr;
}

static void open_set(json_t *o, const struct dashboard_open *c)
{
	json_set_int(o, "open", c ? c->open : 0);
	json_set_int(o, "overdue", c ? c->overdue : 0);
	json_set_int(o, "warning", c ? c->warning : 0);
	json_set_int(o, "supervised", c ? c->supervised : 0);
}

/* The households of code among rows (in code order, from *k on). */
static int64_t households_of(const struct dashboard_households *h, size_t n, size_t *k,
                             const char *code)
{
	while (*k < n && strcmp(h[*k].code, code) < 0)
		(*k)++;
	return *k < n && strcmp(h[*k].code, code) == 0 ? h[*k].households : 0;
}

/* The region's children with their open counts and households (rows are in code order, as
 * are the children). */
static json_t *children_json(const struct region_row *kids, size_t nk,
                             const struct dashboard_open *rows, size_t n,
                             const struct dashboard_households *hh, size_t nh)
{
	json_t *arr = json_array();
	size_t k = 0, kh = 0;
	for (size_t i = 0; i < nk; i++) {
		if (kids[i].status && strcmp(kids[i].status, "retired") == 0)
			continue;
		while (k < n && strcmp(rows[k].code, kids[i].code) < 0)
			k++;
		json_t *o = json_object();
		json_set_str(o, "code", kids[i].code);
		json_set_str(o, "name", kids[i].name);
		open_set(o, k < n && strcmp(rows[k].code, kids[i].code) == 0 ? &rows[k] : NULL);
		json_set_int(o, "households", households_of(hh, nh, &kh, kids[i].code));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *categories_json(const struct dashboard_category *c, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_set_str(o, "code", c[i].category);
		if (c[i].name)
			json_set_str(o, "name", c[i].name);
		json_set_int(o, "open", c[i].open);
		json_set_int(o, "reported", c[i].reported);
		json_array_append_new(arr, o);
	}
	return arr;
}

void dashboard_get_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *code = dashboard_region(req);
	if (!code)
		return;
	struct region_row region, *kids = NULL;
	size_t nk = 0, nopen = 0, nall = 0, ndays = 0, ncat = 0;
	struct dashboard_open *open, *all;
	struct dashboard_day *days;
	struct dashboard_category *cats;
	struct dashboard_households *hh;
	size_t nh = 0;
	int64_t now = time_now(), today = dashboard_day_of(now), from = today - (TREND_DAYS - 1);
	enum db_result r = store_regions_get(ctx->db, &req->arena, code, &region);
	if (r == DB_DONE) {
		api_problem(req, 404, "区划不存在");
		return;
	}
	size_t len = strlen(code), child_len = region.level == REGION_GRID ? len : len + 3;
	if (r == DB_ROW)
		r = store_regions_children(ctx->db, &req->arena, code, NULL, 10000, &kids, &nk);
	if (r == DB_OK)
		r = store_dashboard_open(ctx->db, &req->arena, code, child_len, now, &open, &nopen);
	if (r == DB_OK)
		r = store_dashboard_open(ctx->db, &req->arena, code, len, now, &all, &nall);
	if (r == DB_OK)
		r = store_dashboard_days(ctx->db, &req->arena, code, from, today, &days, &ndays);
	if (r == DB_OK)
		r = store_dashboard_categories(ctx->db, &req->arena, code, from, today, &cats,
		                               &ncat);
	if (r == DB_OK)
		r = store_dashboard_households(ctx->db, &req->arena, code, child_len, &hh, &nh);
	if (!api_stored(req, r))
		return;
	int64_t households = 0;
	for (size_t i = 0; i < nh; i++)
		households += hh[i].households;
	json_t *o = json_object(), *cases = json_object();
	json_set_str(o, "region", code);
	json_set_str(o, "region_name", region.name);
	json_set_int(o, "households", households);
	char at[TIME_RFC3339_LEN];
	time_format(now, at);
	json_set_str(o, "as_of", at);
	open_set(cases, nall ? &all[0] : NULL);
	bool has_today = ndays && days[ndays - 1].day == today;
	json_set_int(cases, "reported_today", has_today ? days[ndays - 1].reported : 0);
	json_set_int(cases, "closed_today", has_today ? days[ndays - 1].closed : 0);
	json_object_set_new(o, "cases", cases);
	json_object_set_new(o, "trend", trend_json(days, ndays, from, today));
	json_object_set_new(o, "children", children_json(kids, nk, open, nopen, hh, nh));
	json_object_set_new(o, "categories", categories_json(cats, ncat));
	api_json(req, 200, o);
}
