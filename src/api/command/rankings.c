/* /api/v1/rankings: the monthly ranking (月度评比) and the annual assessment (年度考评) of the
 * regions of a scheme's level under a parent, computed live from the indicator facts
 * (migration 20): per fact one key range of indicator_facts over the period's months, grouped
 * by the ranked regions' code and the month — the raw counts are summed before dividing, as
 * for the indicator values. domain/ranking.c turns values into points, totals into ranks.
 * Publishing freezes the answer as a new version (migration 27); both stay readable. */
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
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct rk_item {
	struct indicator_row ind;
	double weight, floor, target;
	bool higher;
	int num, den; /* indices into rk.facts */
};

struct rk {
	struct scheme_row s;
	const char *parent, *parent_name;
	int level_len;
	struct period p;
	bool annual;
	int nm;         /* months computed: the period's, up to the current month */
	int months[12]; /* YYYYMM */
	struct rk_item items[RANKING_MAX_ITEMS];
	size_t ni;
	const char *facts[2 * RANKING_MAX_ITEMS];
	size_t nf;
	struct ranked_region *regs;
	size_t nr;
	int64_t *counts; /* [fact][region][month] */
	struct adjustment_row *adj;
	size_t nadj;
};

static int64_t *count_at(struct rk *k, size_t f, size_t r, int m)
{
	return &k->counts[(f * k->nr + r) * 12 + (size_t)m];
}

static int region_index(const struct rk *k, const char *code)
{
	size_t lo = 0, hi = k->nr;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(k->regs[mid].code, code);
		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int fact_slot(struct rk *k, const char *fact)
{
	for (size_t i = 0; i < k->nf; i++)
		if (strcmp(k->facts[i], fact) == 0)
			return (int)i;
	k->facts[k->nf] = fact;
	return (int)k->nf++;
}

/* Reads the scheme's items and their indicators. */
static enum db_result load_items(struct db *db, struct arena *a, struct rk *k)
{
	json_t *items = json_loads(k->s.items ? k->s.items : "[]", 0, NULL);
	size_t i;
	json_t *it;
	enum db_result res = DB_OK;
	json_array_foreach(items, i, it)
	{
		if (k->ni >= RANKING_MAX_ITEMS)
			break;
		struct rk_item *x = &k->items[k->ni];
		const char *code = json_string_value(json_object_get(it, "indicator"));
		enum db_result r = code ? store_indicators_get(db, a, code, &x->ind) : DB_DONE;
		if (r == DB_DONE)
			continue; /* an indicator cannot be removed; nothing to count */
		if (r != DB_ROW) {
			res = r;
			break;
		}
		x->weight = json_number_value(json_object_get(it, "weight"));
		x->floor = json_number_value(json_object_get(it, "floor"));
		x->target = json_number_value(json_object_get(it, "target"));
		x->higher = strcmp(x->ind.direction, "higher") == 0;
		x->num = fact_slot(k, x->ind.numerator);
		x->den = fact_slot(k, x->ind.denominator);
		k->ni++;
	}
	json_decref(items);
	return res;
}

/* The last day of month YYYYMM as YYYY-MM-DD (Asia/Shanghai). */
static void month_last_day(int month, char out[16])
{
	struct period p = {PERIOD_MONTH, month, month};
	time_t t = (time_t)(period_end(&p) + 28800 - 86400);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

/* Fills k->counts for every fact: one grouped range per fact (per month for a sweep). */
static enum db_result load_counts(struct db *db, struct arena *a, struct rk *k)
{
	size_t cells = k->nf * k->nr * 12;
	k->counts = arena_alloc(a, sizeof(int64_t) * (cells ? cells : 1));
	memset(k->counts, 0, sizeof(int64_t) * (cells ? cells : 1));
	if (!k->nm)
		return DB_OK;
	for (size_t f = 0; f < k->nf; f++) {
		const struct fact_def *d = indicator_fact(k->facts[f]);
		if (!d)
			continue;
		enum db_result r;
		if (d->kind == FACT_SWEEP) {
			for (int m = 0; m < k->nm; m++) {
				char day[16];
				month_last_day(k->months[m], day);
				struct fact_sum *rows;
				size_t n = 0;
				r = store_sweep_sums(db, a, day, k->parent, k->level_len, &rows,
				                     &n);
				if (r != DB_OK)
					return r;
				for (size_t i = 0; i < n; i++) {
					int ri = region_index(k, rows[i].code);
					if (ri >= 0)
						*count_at(k, f, (size_t)ri, m) = rows[i].n;
				}
			}
			continue;
		}
		bool stock = d->kind == FACT_STOCK;
		struct month_sum *rows;
		size_t n = 0;
		r = store_fact_month_sums(db, a, k->facts[f], stock ? 0 : k->months[0],
		                          stock ? 0 : k->months[k->nm - 1], k->parent, k->level_len,
		                          &rows, &n);
		if (r != DB_OK)
			return r;
		for (size_t i = 0; i < n; i++) {
			int ri = region_index(k, rows[i].code);
			if (ri < 0)
				continue;
			for (int m = 0; m < k->nm; m++)
				if (stock || rows[i].period == k->months[m])
					*count_at(k, f, (size_t)ri, m) += rows[i].n;
		}
	}
	return DB_OK;
}

/* The scheme, period and parent of a request; false after answering. published: the caller
 * may also be one of the ranked (a grant under the parent). */
static bool rk_begin(struct http_req *req, struct rk *k, int64_t scheme_id, const char *period,
                     const char *parent, bool published, bool write)
{
	struct api_ctx *ctx = api_ctx(req);
	memset(k, 0, sizeof *k);
	if (!scheme_id || !period || !period_parse(period, &k->p) || k->p.type == PERIOD_QUARTER) {
		api_problem(req, 400, "须给出 scheme 和 period（YYYY-MM 或 YYYY）");
		return false;
	}
	if (!ranking_scheme_load(req, scheme_id, write, &k->s))
		return false;
	k->annual = k->p.type == PERIOD_YEAR;
	k->level_len = ranking_level_len(k->s.level);
	if (parent) {
		if (region_level_of(parent) == REGION_NONE || (int)strlen(parent) >= k->level_len ||
		    !region_covers(k->s.region_code, parent)) {
			api_problem(req, 400, "parent 须为方案范围内、高于评比层级的区划");
			return false;
		}
	} else if (api_reaches(ctx, RANKING_READERS, k->s.region_code))
		parent = k->s.region_code;
	else
		for (size_t i = 0; i < ctx->who.ngrants && !parent; i++) {
			const struct grant *g = &ctx->who.grants[i];
			if ((ROLE_BIT(g->role) & RANKING_READERS) &&
			    region_covers(k->s.region_code, g->region_code) &&
			    (int)strlen(g->region_code) < k->level_len)
				parent = g->region_code;
		}
	if (!parent && published)
		parent = k->s.region_code; /* the ranked read what was published over them */
	bool under = false;
	for (size_t i = 0; parent && published && i < ctx->who.ngrants; i++)
		under = under || ((ROLE_BIT(ctx->who.grants[i].role) & RANKING_READERS) &&
		                  region_covers(parent, ctx->who.grants[i].region_code));
	if (!parent || !(api_reaches(ctx, RANKING_READERS, parent) || under)) {
		api_problem(req, 403, "该区划超出您的数据范围");
		return false;
	}
	k->parent = parent;
	return true;
}

/* Loads what the ranking of k reads: the parent, the scheme's items, the months counted, the
 * ranked regions, their counts and the approved adjustments. */
static enum db_result rk_load(struct db *db, struct arena *ar, struct rk *k, int64_t now)
{
	struct region_row preg;
	enum db_result r = store_regions_get(db, ar, k->parent, &preg);
	if (r == DB_ROW)
		r = load_items(db, ar, k);
	else if (r == DB_OK)
		r = DB_ERROR;
	if (r != DB_OK)
		return r;
	k->parent_name = preg.name;
	int now_month = period_of(PERIOD_MONTH, now).first;
	for (int m = k->p.first; m <= k->p.last; m++)
		if (!k->annual || m <= now_month)
			k->months[k->nm++] = m;
	int level = k->level_len == 12 ? REGION_COMMUNITY : REGION_STREET;
	r = store_ranking_regions(db, ar, k->parent, level, &k->regs, &k->nr);
	if (r == DB_OK)
		r = load_counts(db, ar, k);
	int64_t first = k->annual ? k->p.first / 100 * 100 : k->p.first;
	if (r == DB_OK)
		r = store_adjustments_list(db, ar, k->s.id, first, k->p.last, k->parent, true,
		                           &k->adj, &k->nadj);
	return r;
}

/* The adjustments of region ri, walking k->adj (in region order) from *ai: their points per
 * month into madj (has marks the month), the year's into *year_adj; those the answer lists. */
static json_t *rk_adjustments(struct rk *k, size_t ri, size_t *ai, double madj[12], bool has[12],
                              double *year_adj)
{
	json_t *adjs = json_array();
	while (*ai < k->nadj && strcmp(k->adj[*ai].region_code, k->regs[ri].code) < 0)
		(*ai)++;
	for (; *ai < k->nadj && strcmp(k->adj[*ai].region_code, k->regs[ri].code) == 0; (*ai)++) {
		const struct adjustment_row *x = &k->adj[*ai];
		if (x->period % 100 == 0)
			*year_adj += x->points;
		else
			for (int m = 0; m < k->nm; m++)
				if (x->period == k->months[m]) {
					madj[m] += x->points;
					has[m] = true;
				}
		if (!k->annual || x->period % 100 == 0) {
			json_t *o = json_object();
			json_set_int(o, "id", x->id);
			json_object_set_new(o, "points", json_real(ranking_round(x->points)));
			json_set_str(o, "reason", x->reason);
			json_set_str(o, "evidence", x->evidence);
			json_array_append_new(adjs, o);
		}
	}
	return adjs;
}

/* One indicator's score of region ri in month m, with its breakdown into scores (NULL: none). */
static double rk_score(struct rk *k, size_t i, size_t ri, int m, bool *has, json_t *scores)
{
	const struct rk_item *x = &k->items[i];
	int64_t num = *count_at(k, (size_t)x->num, ri, m);
	int64_t den = *count_at(k, (size_t)x->den, ri, m);
	double v = 0;
	bool hv = indicator_value(num, den, x->ind.factor, &v);
	double pts = ranking_points(hv, v, x->floor, x->target, x->higher, x->weight);
	*has = *has || hv;
	if (scores) {
		json_t *o = json_object();
		json_set_str(o, "indicator", x->ind.code);
		json_set_int(o, "numerator", num);
		json_set_int(o, "denominator", den);
		json_object_set_new(o, "value", hv ? json_real(round(v * 100) / 100) : json_null());
		json_set_bool(o, "no_data", !hv);
		json_object_set_new(o, "points", json_real(pts));
		json_object_set_new(o, "weight", json_real(x->weight));
		json_array_append_new(scores, o);
	}
	return pts;
}

/* The annual part of a row: the mean of the months that have data, plus the year's items. */
static double rk_annual(struct rk *k, json_t *row, const double mt[12], const bool has[12],
                        double year_adj)
{
	int counted;
	double mean = ranking_mean(mt, has, (size_t)k->nm, &counted);
	json_t *ms = json_array();
	for (int m = 0; m < k->nm; m++) {
		json_t *o = json_object();
		char p[8];
		ranking_period_text(k->months[m], p);
		json_set_str(o, "period", p);
		json_object_set_new(o, "total", has[m] ? json_real(mt[m]) : json_null());
		json_array_append_new(ms, o);
	}
	json_object_set_new(row, "months", ms);
	json_set_int(row, "months_counted", counted);
	json_object_set_new(row, "monthly_mean", json_real(mean));
	json_object_set_new(row, "adjustment_points", json_real(ranking_round(year_adj)));
	return ranking_round(mean + year_adj);
}

/* The row of region ri with its total (into *total); *ai walks the adjustments. */
static json_t *rk_row(struct rk *k, size_t ri, size_t *ai, double *total)
{
	json_t *row = json_object();
	json_set_str(row, "region_code", k->regs[ri].code);
	json_set_str(row, "region_name", k->regs[ri].name);
	double mt[12] = {0}, madj[12] = {0}, year_adj = 0;
	bool has[12] = {false};
	json_t *adjs = rk_adjustments(k, ri, ai, madj, has, &year_adj);
	json_t *scores = k->annual ? NULL : json_array();
	double ipts = 0;
	for (int m = 0; m < k->nm; m++) {
		for (size_t i = 0; i < k->ni; i++)
			mt[m] += rk_score(k, i, ri, m, &has[m], scores);
		ipts += mt[m];
		mt[m] = ranking_round(mt[m] + madj[m]);
	}
	if (!k->annual) {
		double adj = k->nm ? madj[0] : 0;
		*total = ranking_round(ipts + adj);
		json_object_set_new(row, "indicator_points", json_real(ranking_round(ipts)));
		json_object_set_new(row, "adjustment_points", json_real(ranking_round(adj)));
		json_object_set_new(row, "scores", scores);
	} else {
		*total = rk_annual(k, row, mt, has, year_adj);
	}
	json_object_set_new(row, "adjustments", adjs);
	json_object_set_new(row, "total", json_real(*total));
	return row;
}

/* What the ranking is of: scheme, period, kind, parent, the indicators with their weights and,
 * for a year, the months counted. */
static json_t *rk_head(const struct rk *k)
{
	json_t *o = json_object(), *sch = json_object(), *par = json_object(), *inds = json_array();
	json_set_int(sch, "id", k->s.id);
	json_set_str(sch, "name", k->s.name);
	json_set_str(sch, "level", k->s.level);
	json_set_int(sch, "top_n", k->s.top_n);
	json_object_set_new(o, "scheme", sch);
	char ps[8];
	period_format(&k->p, ps);
	json_set_str(o, "period", ps);
	json_set_str(o, "kind", k->annual ? "annual" : "monthly");
	json_set_str(par, "code", k->parent);
	json_set_str(par, "name", k->parent_name);
	json_object_set_new(o, "parent", par);
	for (size_t i = 0; i < k->ni; i++) {
		const struct rk_item *x = &k->items[i];
		json_t *d = json_object();
		json_set_str(d, "code", x->ind.code);
		json_set_str(d, "name", x->ind.name);
		json_set_str(d, "name_en", x->ind.name_en);
		json_set_str(d, "numerator", x->ind.numerator);
		json_set_str(d, "denominator", x->ind.denominator);
		json_set_str(d, "direction", x->ind.direction);
		json_object_set_new(d, "weight", json_real(x->weight));
		json_object_set_new(d, "floor", json_real(x->floor));
		json_object_set_new(d, "target", json_real(x->target));
		json_array_append_new(inds, d);
	}
	json_object_set_new(o, "indicators", inds);
	if (k->annual) {
		json_t *ms = json_array();
		for (int m = 0; m < k->nm; m++) {
			char p[8];
			ranking_period_text(k->months[m], p);
			json_array_append_new(ms, json_string(p));
		}
		json_object_set_new(o, "months", ms);
	}
	return o;
}

/* Computes the ranking of k (scheme, parent, period set) at now into a JSON object; NULL with
 * *err set (DB_DONE: the parent is not a region). */
static json_t *rk_run(struct db *db, struct arena *ar, struct rk *k, int64_t now,
                      enum db_result *err)
{
	enum db_result r = rk_load(db, ar, k, now);
	if (r != DB_OK) {
		*err = r;
		return NULL;
	}
	size_t one = k->nr ? k->nr : 1;
	double *totals = arena_alloc(ar, sizeof(double) * one);
	json_t **rows = arena_alloc(ar, sizeof(json_t *) * one);
	size_t ai = 0; /* adjustments are in region order */
	for (size_t ri = 0; ri < k->nr; ri++)
		rows[ri] = rk_row(k, ri, &ai, &totals[ri]);
	json_t **ids = arena_alloc(ar, sizeof(json_t *) * one);
	for (size_t ri = 0; ri < k->nr; ri++)
		ids[ri] = json_string(k->regs[ri].code);
	json_t *o = rk_head(k);
	ranking_rows_json(ar, rows, totals, ids, k->nr, (int)k->s.top_n, true, o);
	return o;
}

/* rk_run for a request; NULL after answering the error. */
static json_t *rk_compute(struct http_req *req, struct rk *k)
{
	enum db_result err = DB_OK;
	json_t *o = rk_run(api_ctx(req)->db, &req->arena, k, time_now(), &err);
	if (!o && err == DB_DONE)
		api_problem(req, 404, "区划不存在");
	else if (!o)
		api_store_error(req, err);
	return o;
}

json_t *ranking_compute(struct db *db, struct arena *a, const struct scheme_row *s,
                        const char *parent, const char *period, int64_t now, enum db_result *err)
{
	struct rk *k = arena_alloc(a, sizeof *k);
	memset(k, 0, sizeof *k);
	k->s = *s;
	k->parent = parent;
	k->level_len = ranking_level_len(s->level);
	if (!period_parse(period, &k->p) || k->p.type == PERIOD_QUARTER || !k->level_len) {
		*err = DB_ERROR;
		return NULL;
	}
	k->annual = k->p.type == PERIOD_YEAR;
	return rk_run(db, a, k, now, err);
}

void rankings_get_h(struct http_req *req)
{
	int64_t scheme = 0;
	if (!api_query_id(req, "scheme", &scheme))
		return;
	struct rk k;
	if (!rk_begin(req, &k, scheme, http_query(req, "period"), http_query(req, "parent"), false,
	              false))
		return;
	json_t *o = rk_compute(req, &k);
	if (!o)
		return;
	json_set_bool(o, "published", false);
	json_set_time(o, "computed_at", time_now());
	api_json(req, 200, o);
}

static json_t *versions_json(const struct publication_row *p, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_set_int(o, "version", p[i].version);
		json_set_time(o, "published_at", p[i].published_at);
		json_set_str(o, "published_by_name", p[i].published_by_name);
		json_array_append_new(a, o);
	}
	return a;
}

/* A publication's answer: its frozen body with its version and every version. */
static json_t *publication_json(const struct publication_row *p, const struct publication_row *all,
                                size_t n)
{
	json_t *o = json_loads(p->body, 0, NULL);
	if (!o)
		o = json_object();
	json_set_bool(o, "published", true);
	json_set_int(o, "version", p->version);
	json_set_time(o, "published_at", p->published_at);
	json_set_str(o, "published_by_name", p->published_by_name);
	json_object_set_new(o, "versions", versions_json(all, n));
	return o;
}

void rankings_publish_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	int64_t scheme = 0;
	api_int(&in, "scheme", true, 1, INT64_MAX, &scheme, NULL);
	const char *period = api_string(&in, "period", true, 7, NULL);
	const char *parent = api_string(&in, "parent", false, 15, NULL);
	if (!api_input_end(req, &in)) {
		api_input_free(&in);
		return;
	}
	period = period ? arena_strdup(&req->arena, period) : NULL;
	parent = parent ? arena_strdup(&req->arena, parent) : NULL;
	api_input_free(&in);
	struct rk k;
	if (!rk_begin(req, &k, scheme, period, parent, false, true))
		return;
	if (!api_reaches(ctx, RANKING_MANAGERS, k.parent)) {
		api_problem(req, 403, "只有街道及以上的管理人员可以发布评比结果");
		return;
	}
	json_t *o = rk_compute(req, &k);
	if (!o)
		return;
	char ps[8];
	period_format(&k.p, ps);
	struct publication_row *all;
	size_t n = 0;
	enum db_result r =
	    store_publications_list(ctx->db, &req->arena, k.s.id, k.parent, ps, true, &all, &n);
	if (!api_stored(req, r)) {
		json_decref(o);
		return;
	}
	if (n) {
		/* Nothing changed since the latest version: that version stands. */
		json_t *last = json_loads(all[n - 1].body, 0, NULL);
		bool same =
		    last &&
		    json_equal(json_object_get(last, "items"), json_object_get(o, "items")) &&
		    json_equal(json_object_get(last, "indicators"),
		               json_object_get(o, "indicators"));
		json_decref(last);
		if (same) {
			json_decref(o);
			json_t *ans = publication_json(&all[n - 1], all, n);
			json_set_bool(ans, "unchanged", true);
			api_json(req, 200, ans);
			return;
		}
	}
	char *body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!body) {
		api_store_error(req, DB_ERROR);
		return;
	}
	struct publication_row p = {.scheme_id = k.s.id,
	                            .parent_code = k.parent,
	                            .period = ps,
	                            .body = arena_strdup(&req->arena, body),
	                            .published_by = ctx->who.user_id,
	                            .published_by_name = ctx->who.name,
	                            .published_at = time_now()};
	free(body);
	if (!api_stored(req, store_publications_insert(ctx->db, &p)))
		return;
	struct publication_row *all2 = arena_alloc(&req->arena, sizeof *all2 * (n + 1));
	if (n)
		memcpy(all2, all, sizeof *all2 * n);
	all2[n] = p;
	ctx->audit_object = arena_printf(&req->arena, "ranking_publication:%lld", (long long)p.id);
	api_json(req, 201, publication_json(&p, all2, n + 1));
}

/* The publication asked for (?version, else the latest) with every version; NULL after
 * answering. */
static json_t *published_answer(struct http_req *req, struct rk *k, int64_t version)
{
	char ps[8];
	period_format(&k->p, ps);
	struct publication_row *all;
	size_t n = 0;
	if (!api_stored(req, store_publications_list(api_ctx(req)->db, &req->arena, k->s.id,
	                                             k->parent, ps, true, &all, &n)))
		return NULL;
	for (size_t i = n; i-- > 0;)
		if (!version || all[i].version == version)
			return publication_json(&all[i], all, n);
	api_problem(req, 404, version ? "该版本的评比结果不存在" : "该评比结果尚未发布");
	return NULL;
}

void rankings_published_h(struct http_req *req)
{
	int64_t scheme = 0, version = 0;
	if (!api_query_id(req, "scheme", &scheme) || !api_query_id(req, "version", &version))
		return;
	struct rk k;
	if (!rk_begin(req, &k, scheme, http_query(req, "period"), http_query(req, "parent"), true,
	              false))
		return;
	json_t *o = published_answer(req, &k, version);
	if (o)
		api_json(req, 200, o);
}

/* The ranking table as a workbook or a PDF (rankings_export.c): the live ranking, or a
 * published version. */
void rankings_export_h(struct http_req *req)
{
	int64_t scheme = 0, version = 0;
	bool pub = false;
	if (!api_query_id(req, "scheme", &scheme) || !api_query_id(req, "version", &version) ||
	    !api_query_bool(req, "published", &pub))
		return;
	const char *format = http_query(req, "format");
	bool pdf = format && strcmp(format, "pdf") == 0;
	if (format && !pdf && strcmp(format, "xlsx") != 0) {
		api_problem(req, 400, "format 须为 xlsx 或 pdf");
		return;
	}
	struct rk k;
	if (!rk_begin(req, &k, scheme, http_query(req, "period"), http_query(req, "parent"),
	              pub || version, false))
		return;
	json_t *o = pub || version ? published_answer(req, &k, version) : rk_compute(req, &k);
	if (o)
		ranking_export_send(req, o, pdf);
}
