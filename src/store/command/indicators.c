/* Indicators (see store/command/indicators.h): definitions, the sums of migration 20's facts
 * (one key range of indicator_facts per fact: (fact, period, region_code) is its primary key)
 * and manual figures. */
#include "store/command/indicators.h"
#include "store/stmt.h"

#include <string.h>

#define IND_COLS                                                                                   \
	"code, name, name_en, description, numerator, denominator, factor, direction, target, "    \
	"band_green, band_yellow, period_type, min_denominator, case_filter, builtin, sort, "      \
	"created_at, updated_at"

static void indicator_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct indicator_row *r = row;
	r->code = sql_str(st, a, 0);
	r->name = sql_str(st, a, 1);
	r->name_en = sql_str(st, a, 2);
	r->description = sql_str(st, a, 3);
	r->numerator = sql_str(st, a, 4);
	r->denominator = sql_str(st, a, 5);
	r->factor = db_col_int(st, 6);
	r->direction = sql_str(st, a, 7);
	r->has_target = !db_col_null(st, 8);
	r->target = r->has_target ? db_col_double(st, 8) : 0;
	r->has_bands = !db_col_null(st, 9) && !db_col_null(st, 10);
	r->green = r->has_bands ? db_col_double(st, 9) : 0;
	r->yellow = r->has_bands ? db_col_double(st, 10) : 0;
	r->period_type = sql_str(st, a, 11);
	r->min_denominator = db_col_int(st, 12);
	r->case_filter = sql_str(st, a, 13);
	r->builtin = db_col_int(st, 14) != 0;
	r->sort = db_col_int(st, 15);
	r->created_at = db_col_int(st, 16);
	r->updated_at = db_col_int(st, 17);
}

enum db_result store_indicators_list(struct db *db, struct arena *a, struct indicator_row **rows,
                                     size_t *n)
{
	return sql_all(db, a, "SELECT " IND_COLS " FROM indicators ORDER BY sort, code", NO_ARGS,
	               indicator_read, sizeof **rows, -1, (void **)rows, n);
}

enum db_result store_indicators_get(struct db *db, struct arena *a, const char *code,
                                    struct indicator_row *out)
{
	return sql_one(db, a, "SELECT " IND_COLS " FROM indicators WHERE code = ?",
	               ARGS(ARG_TEXT(code)), indicator_read, out);
}

#define OPT_REAL(has, v) ((has) ? ARG_REAL(v) : ARG_NULL)

enum db_result store_indicators_insert(struct db *db, const struct indicator_row *r)
{
	return sql_run(db,
	               "INSERT INTO indicators(" IND_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	               "?, ?, ?, ?, 0, (SELECT COALESCE(max(sort), 0) + 1 FROM indicators), ?, ?)",
	               ARGS(ARG_TEXT(r->code), ARG_TEXT(r->name), ARG_TEXT(r->name_en),
	                    ARG_OPT_TEXT(r->description), ARG_TEXT(r->numerator),
	                    ARG_TEXT(r->denominator), ARG_INT(r->factor), ARG_TEXT(r->direction),
	                    OPT_REAL(r->has_target, r->target), OPT_REAL(r->has_bands, r->green),
	                    OPT_REAL(r->has_bands, r->yellow), ARG_TEXT(r->period_type),
	                    ARG_INT(r->min_denominator), ARG_OPT_TEXT(r->case_filter),
	                    ARG_INT(r->created_at), ARG_INT(r->updated_at)));
}

enum db_result store_indicators_update(struct db *db, const struct indicator_row *r)
{
	return sql_change(db,
	                  "UPDATE indicators SET name = ?, name_en = ?, description = ?, "
	                  "numerator = ?, denominator = ?, factor = ?, direction = ?, target = ?, "
	                  "band_green = ?, band_yellow = ?, period_type = ?, min_denominator = ?, "
	                  "updated_at = ? WHERE code = ?",
	                  ARGS(ARG_TEXT(r->name), ARG_TEXT(r->name_en),
	                       ARG_OPT_TEXT(r->description), ARG_TEXT(r->numerator),
	                       ARG_TEXT(r->denominator), ARG_INT(r->factor), ARG_TEXT(r->direction),
	                       OPT_REAL(r->has_target, r->target), OPT_REAL(r->has_bands, r->green),
	                       OPT_REAL(r->has_bands, r->yellow), ARG_TEXT(r->period_type),
	                       ARG_INT(r->min_denominator), ARG_INT(r->updated_at),
	                       ARG_TEXT(r->code)));
}

static void sum_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct fact_sum *s = row;
	s->code = sql_str(st, a, 0);
	s->n = db_col_int(st, 1);
}

enum db_result store_fact_sums(struct db *db, struct arena *a, const char *fact, int first,
                               int last, const char *region, int group_len, struct fact_sum **rows,
                               size_t *n)
{
	return sql_all(db, a,
	               "SELECT substr(region_code, 1, CAST(?1 AS INTEGER)) AS g, sum(n) FROM "
	               "indicator_facts WHERE fact = ?2 AND period >= ?3 AND period <= ?4 AND "
	               "region_code >= ?5 AND region_code < ?6 GROUP BY g ORDER BY g",
	               ARGS(ARG_INT(group_len), ARG_TEXT(fact), ARG_INT(first), ARG_INT(last),
	                    ARG_TEXT(region), ARG_TEXT(sql_prefix_end(a, region))),
	               sum_read, sizeof **rows, -1, (void **)rows, n);
}

enum db_result store_sweep_sums(struct db *db, struct arena *a, const char *last_day,
                                const char *region, int group_len, struct fact_sum **rows,
                                size_t *n)
{
	/* Each grid's latest sweep: a sweep's worklist is every house under its region, so the
	 * sweeps of the grid, its community, street or district cover it; the newest begun by the
	 * period's end counts for the grid, and the grids' counts add up. */
	return sql_all(
	    db, a,
	    "SELECT substr(c.region_code, 1, CAST(?1 AS INTEGER)) AS g, sum(c.n) FROM "
	    "sweep_house_counts c WHERE c.region_code >= ?3 AND c.region_code < ?4 AND "
	    "c.sweep_id = (SELECT s.id FROM sweeps s WHERE s.region_code IN "
	    "(substr(c.region_code, 1, 6), substr(c.region_code, 1, 9), "
	    "substr(c.region_code, 1, 12), c.region_code) AND s.starts_on <= ?2 ORDER BY "
	    "s.starts_on DESC, s.id DESC LIMIT 1) GROUP BY g ORDER BY g",
	    ARGS(ARG_INT(group_len), ARG_TEXT(last_day), ARG_TEXT(region),
	         ARG_TEXT(sql_prefix_end(a, region))),
	    sum_read, sizeof **rows, -1, (void **)rows, n);
}

#define FIG_COLS                                                                                   \
	"id, fact, region_code, period, value, source, note, status, entered_by, "                 \
	"entered_by_name, "                                                                        \
	"approved_by, approved_by_name, approved_at, created_at, updated_at"

static void figure_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct figure_row *f = row;
	f->id = db_col_int(st, 0);
	f->fact = sql_str(st, a, 1);
	f->region_code = sql_str(st, a, 2);
	f->period = db_col_int(st, 3);
	f->value = db_col_int(st, 4);
	f->source = sql_str(st, a, 5);
	f->note = sql_str(st, a, 6);
	f->status = sql_str(st, a, 7);
	f->entered_by = db_col_int(st, 8);
	f->entered_by_name = sql_str(st, a, 9);
	f->approved_by = db_col_int(st, 10);
	f->approved_by_name = sql_str(st, a, 11);
	f->approved_at = db_col_int(st, 12);
	f->created_at = db_col_int(st, 13);
	f->updated_at = db_col_int(st, 14);
}

enum db_result store_figures_get(struct db *db, struct arena *a, int64_t id, struct figure_row *out)
{
	return sql_one(db, a, "SELECT " FIG_COLS " FROM indicator_figures WHERE id = ?",
	               ARGS(ARG_INT(id)), figure_read, out);
}

enum db_result store_figures_insert(struct db *db, struct figure_row *r)
{
	return sql_insert(
	    db,
	    "INSERT INTO indicator_figures(fact, region_code, period, value, source, "
	    "note, status, entered_by, entered_by_name, created_at, updated_at) VALUES "
	    "(?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)",
	    ARGS(ARG_TEXT(r->fact), ARG_TEXT(r->region_code), ARG_INT(r->period), ARG_INT(r->value),
	         ARG_TEXT(r->source), ARG_OPT_TEXT(r->note), ARG_INT(r->entered_by),
	         ARG_OPT_TEXT(r->entered_by_name), ARG_INT(r->created_at), ARG_INT(r->updated_at)),
	    &r->id);
}

enum db_result store_figures_correct(struct db *db, const struct figure_row *r)
{
	return sql_change(
	    db,
	    "UPDATE indicator_figures SET value = ?, source = ?, note = ?, "
	    "status = 'pending', entered_by = ?, entered_by_name = ?, approved_by = "
	    "NULL, approved_by_name = NULL, approved_at = 0, updated_at = ? WHERE id = ?",
	    ARGS(ARG_INT(r->value), ARG_TEXT(r->source), ARG_OPT_TEXT(r->note),
	         ARG_INT(r->entered_by), ARG_OPT_TEXT(r->entered_by_name), ARG_INT(r->updated_at),
	         ARG_INT(r->id)));
}

enum db_result store_figures_approve(struct db *db, int64_t id, int64_t by, const char *by_name,
                                     int64_t at)
{
	return sql_change(
	    db,
	    "UPDATE indicator_figures SET status = 'approved', approved_by = ?, "
	    "approved_by_name = ?, approved_at = ?, updated_at = ? WHERE id = ? AND "
	    "status = 'pending'",
	    ARGS(ARG_INT(by), ARG_OPT_TEXT(by_name), ARG_INT(at), ARG_INT(at), ARG_INT(id)));
}

enum db_result store_figures_list(struct db *db, struct arena *a, const char *region,
                                  const char *status, const char *fact, int64_t before, int limit,
                                  struct figure_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " FIG_COLS " FROM indicator_figures WHERE region_code >= ?1 AND "
	               "region_code < ?2 AND (CAST(?3 AS TEXT) IS NULL OR status = ?3) AND "
	               "(CAST(?4 AS TEXT) IS NULL OR fact = ?4) AND (CAST(?5 AS BIGINT) = 0 OR "
	               "id < ?5) ORDER BY id DESC LIMIT ?6",
	               ARGS(ARG_TEXT(region), ARG_TEXT(sql_prefix_end(a, region)),
	                    ARG_OPT_TEXT(status), ARG_OPT_TEXT(fact), ARG_INT(before),
	                    ARG_INT(limit)),
	               figure_read, sizeof **rows, -1, (void **)rows, n);
}

static void grid_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct fact_sum *g = row;
	g->code = sql_str(st, a, 0);
	g->name = sql_str(st, a, 1);
}

enum db_result store_indicator_grids(struct db *db, struct arena *a, const char *region,
                                     struct fact_sum **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT code, name FROM regions WHERE level = 3 AND status = 'active' AND "
	               "code >= ? AND code < ? ORDER BY code",
	               ARGS(ARG_TEXT(region), ARG_TEXT(sql_prefix_end(a, region))), grid_read,
	               sizeof **rows, -1, (void **)rows, n);
}
