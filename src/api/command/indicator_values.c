/* GET /api/v1/indicators/{code}/values?region=CODE&period=YYYY-MM|YYYY-Qn|YYYY[&compare=yoy]
 * [&format=pdf]: the indicator for the region and each of its children (as JSON, or as a
 * printable PDF: indicator_values_pdf.c). Each fact is one key range of
 * indicator_facts (migration 20) grouped by the children's code length; the region's own
 * counts are the sum over every group (a retired grid's facts, or a manual figure entered for
 * the region itself, count for it though no child shows them). */
#include "api/command/command.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/indicator.h"
#include "store/command/indicators.h"
#include "store/platform/regions.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* A fact's sums by child, and the total. */
struct sums {
	struct fact_sum *rows;
	size_t n;
	int64_t total;
};

static enum db_result fact_sums(struct http_req *req, const char *fact, const struct period *p,
                                const char *region, int group_len, struct sums *out)
{
	struct db *db = api_ctx(req)->db;
	const struct fact_def *f = indicator_fact(fact);
	enum db_result r;
	memset(out, 0, sizeof *out);
	if (!f)
		return DB_OK; /* a definition never names an unknown fact (checked on write) */
	if (f->kind == FACT_STOCK)
		r = store_fact_sums(db, &req->arena, fact, 0, 0, region, group_len, &out->rows,
		                    &out->n);
	else if (f->kind == FACT_SWEEP) {
		/* the last day of the period, Asia/Shanghai */
		time_t t = (time_t)(period_end(p) + 28800 - 86400);
		struct tm tm;
		gmtime_r(&t, &tm);
		char day[16];
		strftime(day, sizeof day, "%Y-%m-%d", &tm);
		r = store_sweep_sums(db, &req->arena, day, region, group_len, &out->rows, &out->n);
	} else
		r = store_fact_sums(db, &req->arena, fact, p->first, p->last, region, group_len,
		                    &out->rows, &out->n);
	for (size_t i = 0; i < out->n; i++)
		out->total += out->rows[i].n;
	return r;
}

/* The sum of code among s's rows (in code order; codes asked in code order, from *k on). */
static int64_t sum_of(const struct sums *s, size_t *k, const char *code)
{
	while (*k < s->n && strcmp(s->rows[*k].code, code) < 0)
		(*k)++;
	return *k < s->n && strcmp(s->rows[*k].code, code) == 0 ? s->rows[*k].n : 0;
}

/* The columns: the region's children, or with ?level=grid every active grid under it. */
struct column {
	const char *code, *name;
};

static enum db_result columns(struct http_req *req, const struct region_row *reg, bool grids,
                              struct column **out, size_t *n)
{
	struct db *db = api_ctx(req)->db;
	*n = 0;
	if (grids || reg->level == REGION_GRID) {
		struct fact_sum *g = NULL;
		size_t ng = 0;
		enum db_result r = reg->level == REGION_GRID
		                       ? DB_OK
		                       : store_indicator_grids(db, &req->arena, reg->code, &g, &ng);
		*out = arena_alloc(&req->arena, sizeof **out * (ng + 1));
		for (size_t i = 0; i < ng; i++)
			(*out)[(*n)++] = (struct column){g[i].code, g[i].name};
		return r;
	}
	struct region_row *kids = NULL;
	size_t nk = 0;
	enum db_result r =
	    store_regions_children(db, &req->arena, reg->code, NULL, 10000, &kids, &nk);
	*out = arena_alloc(&req->arena, sizeof **out * (nk + 1));
	for (size_t i = 0; i < nk; i++)
		if (!kids[i].status || strcmp(kids[i].status, "retired") != 0)
			(*out)[(*n)++] = (struct column){kids[i].code, kids[i].name};
	return r;
}

static double rounded(double v)
{
	return round(v * 10000) / 10000;
}

/* One item's numbers: {numerator, denominator, value}; *has and *v the value. */
static void numbers_set(json_t *o, const struct indicator_row *ind, int64_t num, int64_t den,
                        bool *has, double *v)
{
	json_set_int(o, "numerator", num);
	json_set_int(o, "denominator", den);
	*has = indicator_value(num, den, ind->factor, v);
	json_object_set_new(o, "value", *has ? json_real(rounded(*v)) : json_null());
}

static json_t *item_json(const struct indicator_row *ind, const char *code, const char *name,
                         int64_t num, int64_t den, const int64_t *prev)
{
	json_t *o = json_object();
	json_set_str(o, "region_code", code);
	if (name)
		json_set_str(o, "region_name", name);
	bool has;
	double v;
	numbers_set(o, ind, num, den, &has, &v);
	json_set_bool(o, "too_few", indicator_too_few(den, ind->min_denominator));
	const char *band = has ? band_name(indicator_band(v, strcmp(ind->direction, "higher") == 0,
	                                                  ind->has_bands, ind->green, ind->yellow))
	                       : NULL;
	json_object_set_new(o, "band", band ? json_string(band) : json_null());
	if (prev) {
		json_t *p = json_object();
		bool phas;
		double pv;
		numbers_set(p, ind, prev[0], prev[1], &phas, &pv);
		json_object_set_new(o, "previous", p);
		json_object_set_new(
		    o, "change", has && phas ? json_real(rounded(v) - rounded(pv)) : json_null());
	}
	return o;
}

/* The period asked for, or the current one of the indicator's type; false after 400. */
static bool read_period(struct http_req *req, const struct indicator_row *ind, struct period *p)
{
	const char *s = http_query(req, "period");
	if (s) {
		if (period_parse(s, p))
			return true;
		api_problem(req, 400, "period 须为 YYYY-MM、YYYY-Qn 或 YYYY");
		return false;
	}
	enum period_type t = PERIOD_MONTH;
	period_type_parse(ind->period_type, &t);
	*p = period_of(t, time_now());
	return true;
}

/* The query's options, answered 400 when one has a value other than the one it allows. */
struct values_query {
	const char *compare; /* "yoy": also the same period a year before */
	const char *format;  /* "pdf": a printable table instead of JSON */
	const char *level;   /* "grid": every grid below instead of the children */
};

static bool read_values_query(struct http_req *req, struct values_query *q)
{
	static const struct {
		const char *name, *only, *message;
	} opts[] = {{"compare", "yoy", "compare 只能为 yoy"},
	            {"format", "pdf", "format 只能为 pdf"},
	            {"level", "grid", "level 只能为 grid"}};
	const char **out[] = {&q->compare, &q->format, &q->level};
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		*out[i] = http_query(req, opts[i].name);
		if (*out[i] && strcmp(*out[i], opts[i].only) != 0) {
			api_problem(req, 400, opts[i].message);
			return false;
		}
	}
	return true;
}

/* Numerator and denominator sums of the period (and of the year before, on compare), by
 * region code prefixes of group_len. */
struct values_sums {
	struct sums num, den, pnum, pden;
};

static enum db_result values_sums_load(struct http_req *req, const struct indicator_row *ind,
                                       const struct period *p, const struct period *prev,
                                       const char *region, int group_len, bool compare,
                                       struct values_sums *s)
{
	memset(&s->pnum, 0, sizeof s->pnum);
	memset(&s->pden, 0, sizeof s->pden);
	enum db_result r = fact_sums(req, ind->numerator, p, region, group_len, &s->num);
	if (r == DB_OK)
		r = fact_sums(req, ind->denominator, p, region, group_len, &s->den);
	if (r == DB_OK && compare)
		r = fact_sums(req, ind->numerator, prev, region, group_len, &s->pnum);
	if (r == DB_OK && compare)
		r = fact_sums(req, ind->denominator, prev, region, group_len, &s->pden);
	return r;
}

/* The region's own row first, then one per column (none below a grid). */
static json_t *values_items(const struct indicator_row *ind, const struct region_row *reg,
                            const struct column *cols, size_t nc, struct values_sums *s,
                            bool compare)
{
	json_t *items = json_array();
	int64_t pr[2] = {s->pnum.total, s->pden.total};
	json_array_append_new(items, item_json(ind, reg->code, reg->name, s->num.total,
	                                       s->den.total, compare ? pr : NULL));
	size_t k[4] = {0, 0, 0, 0};
	for (size_t i = 0; i < nc && reg->level != REGION_GRID; i++) {
		int64_t kp[2] = {sum_of(&s->pnum, &k[2], cols[i].code),
		                 sum_of(&s->pden, &k[3], cols[i].code)};
		json_array_append_new(items, item_json(ind, cols[i].code, cols[i].name,
		                                       sum_of(&s->num, &k[0], cols[i].code),
		                                       sum_of(&s->den, &k[1], cols[i].code),
		                                       compare ? kp : NULL));
	}
	return items;
}

void indicators_values_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct indicator_row ind;
	const char *code = http_param(req, "code");
	enum db_result r = indicator_code_ok(code)
	                       ? store_indicators_get(ctx->db, &req->arena, code, &ind)
	                       : DB_DONE;
	if (r == DB_DONE) {
		api_problem(req, 404, "指标不存在");
		return;
	}
	struct values_query q;
	if (!api_stored(req, r == DB_ROW ? DB_OK : r) || !read_values_query(req, &q))
		return;
	struct period p, prev;
	const char *region = dashboard_region(req);
	if (!region || !read_period(req, &ind, &p))
		return;
	prev = period_previous_year(&p);
	struct region_row reg;
	struct column *cols = NULL;
	size_t nc = 0;
	r = store_regions_get(ctx->db, &req->arena, region, &reg);
	if (r == DB_DONE) {
		api_problem(req, 404, "区划不存在");
		return;
	}
	int group_len = reg.level == REGION_GRID || q.level ? 15 : (int)strlen(region) + 3;
	if (r == DB_ROW)
		r = columns(req, &reg, q.level != NULL, &cols, &nc);
	struct values_sums sums;
	if (r == DB_OK)
		r = values_sums_load(req, &ind, &p, &prev, region, group_len, q.compare, &sums);
	if (!api_stored(req, r))
		return;
	json_t *o = json_object();
	char ps[8];
	period_format(&p, ps);
	json_set_str(o, "indicator", ind.code);
	json_set_str(o, "region", region);
	json_set_str(o, "period", ps);
	json_set_int(o, "factor", ind.factor);
	if (q.compare) {
		period_format(&prev, ps);
		json_set_str(o, "previous_period", ps);
	}
	json_object_set_new(o, "items", values_items(&ind, &reg, cols, nc, &sums, q.compare));
	if (q.format)
		indicator_values_pdf(req, &ind, reg.name, o);
	else
		api_json(req, 200, o);
}
