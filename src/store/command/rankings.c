/* Ranking schemes (see store/command/rankings.h). */
#include "store/command/rankings.h"
#include "store/stmt.h"

#include <string.h>

#define SCHEME_COLS                                                                                \
	"id, name, level, region_code, top_n, items, note, status, created_by, created_at, "       \
	"updated_at"

static void scheme_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct scheme_row *r = row;
	r->id = db_col_int(st, 0);
	r->name = sql_str(st, a, 1);
	r->level = sql_str(st, a, 2);
	r->region_code = sql_str(st, a, 3);
	r->top_n = db_col_int(st, 4);
	r->items = sql_str(st, a, 5);
	r->note = sql_str(st, a, 6);
	r->status = sql_str(st, a, 7);
	r->created_by = db_col_int(st, 8);
	r->created_at = db_col_int(st, 9);
	r->updated_at = db_col_int(st, 10);
}

enum db_result store_schemes_get(struct db *db, struct arena *a, int64_t id, struct scheme_row *out)
{
	return sql_one(db, a, "SELECT " SCHEME_COLS " FROM ranking_schemes WHERE id = ?",
	               ARGS(ARG_INT(id)), scheme_read, out);
}

enum db_result store_schemes_list(struct db *db, struct arena *a, struct scheme_row **rows,
                                  size_t *n)
{
	return sql_all(db, a, "SELECT " SCHEME_COLS " FROM ranking_schemes ORDER BY id DESC",
	               NO_ARGS, scheme_read, sizeof **rows, 1000, (void **)rows, n);
}

enum db_result store_schemes_insert(struct db *db, struct scheme_row *r)
{
	return sql_insert(
	    db,
	    "INSERT INTO ranking_schemes(name, level, region_code, top_n, items, note, "
	    "status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?)",
	    ARGS(ARG_TEXT(r->name), ARG_TEXT(r->level), ARG_TEXT(r->region_code), ARG_INT(r->top_n),
	         ARG_TEXT(r->items), ARG_OPT_TEXT(r->note), ARG_TEXT(r->status),
	         ARG_NONZERO(r->created_by), ARG_INT(r->created_at), ARG_INT(r->updated_at)),
	    &r->id);
}

enum db_result store_schemes_update(struct db *db, const struct scheme_row *r)
{
	return sql_change(db,
	                  "UPDATE ranking_schemes SET name = ?, top_n = ?, items = ?, note = ?, "
	                  "status = ?, updated_at = ? WHERE id = ?",
	                  ARGS(ARG_TEXT(r->name), ARG_INT(r->top_n), ARG_TEXT(r->items),
	                       ARG_OPT_TEXT(r->note), ARG_TEXT(r->status), ARG_INT(r->updated_at),
	                       ARG_INT(r->id)));
}

#define ADJ_COLS                                                                                   \
	"id, scheme_id, region_code, period, points, reason, evidence, photos, status, "           \
	"entered_by, entered_by_name, approved_by, approved_by_name, approved_at, created_at, "    \
	"updated_at"

static void adjustment_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct adjustment_row *r = row;
	r->id = db_col_int(st, 0);
	r->scheme_id = db_col_int(st, 1);
	r->region_code = sql_str(st, a, 2);
	r->period = db_col_int(st, 3);
	r->points = db_col_double(st, 4);
	r->reason = sql_str(st, a, 5);
	r->evidence = sql_str(st, a, 6);
	r->photos = sql_str(st, a, 7);
	r->status = sql_str(st, a, 8);
	r->entered_by = db_col_int(st, 9);
	r->entered_by_name = sql_str(st, a, 10);
	r->approved_by = db_col_int(st, 11);
	r->approved_by_name = sql_str(st, a, 12);
	r->approved_at = db_col_int(st, 13);
	r->created_at = db_col_int(st, 14);
	r->updated_at = db_col_int(st, 15);
}

enum db_result store_adjustments_get(struct db *db, struct arena *a, int64_t id,
                                     struct adjustment_row *out)
{
	return sql_one(db, a, "SELECT " ADJ_COLS " FROM ranking_adjustments WHERE id = ?",
	               ARGS(ARG_INT(id)), adjustment_read, out);
}

enum db_result store_adjustments_insert(struct db *db, struct adjustment_row *r)
{
	return sql_insert(
	    db,
	    "INSERT INTO ranking_adjustments(scheme_id, region_code, period, points, reason, "
	    "evidence, photos, status, entered_by, entered_by_name, created_at, updated_at) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)",
	    ARGS(ARG_INT(r->scheme_id), ARG_TEXT(r->region_code), ARG_INT(r->period),
	         ARG_REAL(r->points), ARG_TEXT(r->reason), ARG_TEXT(r->evidence),
	         ARG_OPT_TEXT(r->photos), ARG_INT(r->entered_by), ARG_OPT_TEXT(r->entered_by_name),
	         ARG_INT(r->created_at), ARG_INT(r->updated_at)),
	    &r->id);
}

enum db_result store_adjustments_approve(struct db *db, int64_t id, int64_t by, const char *by_name,
                                         int64_t at)
{
	return sql_change(
	    db,
	    "UPDATE ranking_adjustments SET status = 'approved', approved_by = ?, "
	    "approved_by_name = ?, approved_at = ?, updated_at = ? WHERE id = ? AND "
	    "status = 'pending'",
	    ARGS(ARG_INT(by), ARG_OPT_TEXT(by_name), ARG_INT(at), ARG_INT(at), ARG_INT(id)));
}

enum db_result store_adjustments_list(struct db *db, struct arena *a, int64_t scheme, int64_t first,
                                      int64_t last, const char *region, bool approved_only,
                                      struct adjustment_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " ADJ_COLS " FROM ranking_adjustments WHERE scheme_id = ?1 AND "
	               "period >= ?2 AND period <= ?3 AND region_code >= ?4 AND region_code < ?5 "
	               "AND (?6 = 0 OR status = 'approved') ORDER BY region_code, id",
	               ARGS(ARG_INT(scheme), ARG_INT(first), ARG_INT(last), ARG_TEXT(region),
	                    ARG_TEXT(sql_prefix_end(a, region)), ARG_INT(approved_only)),
	               adjustment_read, sizeof **rows, 5000, (void **)rows, n);
}

static void publication_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct publication_row *r = row;
	r->id = db_col_int(st, 0);
	r->scheme_id = db_col_int(st, 1);
	r->parent_code = sql_str(st, a, 2);
	r->period = sql_str(st, a, 3);
	r->version = db_col_int(st, 4);
	r->body = sql_str(st, a, 5);
	r->published_by = db_col_int(st, 6);
	r->published_by_name = sql_str(st, a, 7);
	r->published_at = db_col_int(st, 8);
}

enum db_result store_publications_list(struct db *db, struct arena *a, int64_t scheme,
                                       const char *parent, const char *period, bool with_body,
                                       struct publication_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT id, scheme_id, parent_code, period, version, CASE WHEN ?4 = 1 THEN "
	    "body END, published_by, published_by_name, published_at FROM "
	    "ranking_publications WHERE scheme_id = ?1 AND parent_code = ?2 AND period "
	    "= ?3 ORDER BY version",
	    ARGS(ARG_INT(scheme), ARG_TEXT(parent), ARG_TEXT(period), ARG_INT(with_body)),
	    publication_read, sizeof **rows, 1000, (void **)rows, n);
}

enum db_result store_publications_insert(struct db *db, struct publication_row *r)
{
	enum db_result res =
	    sql_int(db,
	            "SELECT coalesce(max(version), 0) + 1 FROM "
	            "ranking_publications WHERE scheme_id = ? AND parent_code = ? "
	            "AND period = ?",
	            ARGS(ARG_INT(r->scheme_id), ARG_TEXT(r->parent_code), ARG_TEXT(r->period)),
	            &r->version);
	if (res != DB_OK)
		return res;
	return sql_insert(
	    db,
	    "INSERT INTO ranking_publications(scheme_id, parent_code, period, version, "
	    "body, published_by, published_by_name, published_at) VALUES (?, ?, ?, ?, "
	    "?, ?, ?, ?)",
	    ARGS(ARG_INT(r->scheme_id), ARG_TEXT(r->parent_code), ARG_TEXT(r->period),
	         ARG_INT(r->version), ARG_TEXT(r->body), ARG_NONZERO(r->published_by),
	         ARG_OPT_TEXT(r->published_by_name), ARG_INT(r->published_at)),
	    &r->id);
}

static void month_sum_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct month_sum *s = row;
	s->code = sql_str(st, a, 0);
	s->period = db_col_int(st, 1);
	s->n = db_col_int(st, 2);
}

enum db_result store_fact_month_sums(struct db *db, struct arena *a, const char *fact, int first,
                                     int last, const char *region, int group_len,
                                     struct month_sum **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT substr(region_code, 1, CAST(?1 AS INTEGER)) AS g, period, sum(n) "
	               "FROM indicator_facts WHERE fact = ?2 AND period >= ?3 AND period <= ?4 AND "
	               "region_code >= ?5 AND region_code < ?6 GROUP BY g, period ORDER BY g, "
	               "period",
	               ARGS(ARG_INT(group_len), ARG_TEXT(fact), ARG_INT(first), ARG_INT(last),
	                    ARG_TEXT(region), ARG_TEXT(sql_prefix_end(a, region))),
	               month_sum_read, sizeof **rows, -1, (void **)rows, n);
}

static void region_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct ranked_region *r = row;
	r->code = sql_str(st, a, 0);
	r->name = sql_str(st, a, 1);
}

enum db_result store_ranking_regions(struct db *db, struct arena *a, const char *parent, int level,
                                     struct ranked_region **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT code, name FROM regions WHERE level = ? AND status = 'active' AND "
	               "code >= ? AND code < ? ORDER BY code",
	               ARGS(ARG_INT(level), ARG_TEXT(parent), ARG_TEXT(sql_prefix_end(a, parent))),
	               region_read, sizeof **rows, -1, (void **)rows, n);
}
