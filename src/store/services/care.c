/* Care targets (关爱对象) and their visits. */
#include "store/services/services.h"

#include <string.h>

#include "store/dialect.h"
#include "store/stmt.h"

#define S(col) sql_str(st, a, col)

#define TARGET_COLS                                                                                \
	"t.id, t.resident_id, t.region_code, t.kind, t.restricted, t.visit_every_days, "           \
	"t.since_day, coalesce(t.last_visit_day, 0), t.visits, t.status, "                         \
	"coalesce(t.created_by, 0), t.created_at, t.updated_at, (SELECT name FROM residents "      \
	"WHERE id = t.resident_id), (SELECT name FROM regions WHERE code = t.region_code)"

static void target_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct care_target_row *t = p;
	memset(t, 0, sizeof *t);
	t->id = db_col_int(st, 0);
	t->resident_id = db_col_int(st, 1);
	t->region_code = S(2);
	t->kind = S(3);
	t->restricted = db_col_int(st, 4) != 0;
	t->every = db_col_int(st, 5);
	t->since_day = db_col_int(st, 6);
	t->last_visit_day = db_col_int(st, 7);
	t->visits = db_col_int(st, 8);
	t->ended = strcmp(db_col_text(st, 9), "ended") == 0;
	t->created_by = db_col_int(st, 10);
	t->created_at = db_col_int(st, 11);
	t->updated_at = db_col_int(st, 12);
	t->resident_name = S(13);
	t->region_name = S(14);
}

enum db_result store_care_targets_insert(struct db *db, struct care_target_row *t)
{
	return sql_insert(
	    db,
	    "INSERT INTO care_targets(resident_id, region_code, kind, restricted, "
	    "visit_every_days, since_day, visits, status, created_by, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, 0, 'active', ?, ?, ?)",
	    ARGS(ARG_INT(t->resident_id), ARG_TEXT(t->region_code), ARG_TEXT(t->kind),
	         ARG_BOOL(t->restricted), ARG_INT(t->every), ARG_INT(t->since_day),
	         ARG_NONZERO(t->created_by), ARG_INT(t->created_at), ARG_INT(t->updated_at)),
	    &t->id);
}

enum db_result store_care_targets_get(struct db *db, struct arena *a, int64_t id,
                                      struct care_target_row *out)
{
	return sql_one(db, a, "SELECT " TARGET_COLS " FROM care_targets t WHERE t.id = ?",
	               ARGS(ARG_INT(id)), target_read, out);
}

/* The due day of a target in SQL: visit_every_days after the later of its start and its
 * last visit (domain/care.c care_due_day). */
#define DUE_DAY                                                                                    \
	"(CASE WHEN coalesce(t.last_visit_day, 0) > t.since_day THEN t.last_visit_day ELSE "       \
	"t.since_day END + t.visit_every_days)"

enum db_result store_care_targets_walk(struct db *db, struct arena *a, const struct scopes *sc,
                                       const struct care_filter *f, struct page_after after,
                                       int limit, struct care_target_row **rows, size_t *n)
{
	return sql_walk(db, a,
	                "SELECT " TARGET_COLS
	                " FROM care_targets t WHERE (t.region_code, t.id) > (?3, ?4) AND "
	                "t.region_code < ?2 AND " SQL_WALK_LO " AND t.status = 'active' AND "
	                "(CAST(?5 AS TEXT) IS NULL OR t.kind = ?5) AND (CAST(?6 AS BIGINT) = 1 OR "
	                "t.restricted = 0) AND (CAST(?7 AS BIGINT) = 0 OR " DUE_DAY " < ?8 OR "
	                "(CAST(?7 AS BIGINT) = 2 AND " DUE_DAY " < ?8 + ?9)) "
	                "ORDER BY t.region_code, t.id LIMIT ?10",
	                10, sc, after, limit,
	                ARGS(ARG_OPT_TEXT(f->kind), ARG_BOOL(f->with_restricted), ARG_INT(f->alert),
	                     ARG_INT(f->as_of_day), ARG_INT(f->soon_days)),
	                target_read, sizeof **rows, (void **)rows, n);
}

enum db_result store_care_visits_insert(struct db *db, struct care_visit_row *v)
{
	enum db_result r = sql_insert(
	    db,
	    "INSERT INTO care_visits(target_id, region_code, visited_day, note, photos, case_id, "
	    "user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_INT(v->target_id), ARG_TEXT(v->region_code), ARG_INT(v->visited_day),
	         ARG_TEXT(v->note), ARG_TEXT(v->photos), ARG_NONZERO(v->case_id),
	         ARG_NONZERO(v->user_id), ARG_INT(v->created_at)),
	    &v->id);
	if (r != DB_OK)
		return r;
	return sql_change(
	    db,
	    "UPDATE care_targets SET visits = visits + 1, last_visit_day = CASE WHEN "
	    "coalesce(last_visit_day, 0) > ?1 THEN last_visit_day ELSE ?1 END, "
	    "updated_at = ?2 WHERE id = ?3",
	    ARGS(ARG_INT(v->visited_day), ARG_INT(v->created_at), ARG_INT(v->target_id)));
}

static void visit_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct care_visit_row *v = p;
	memset(v, 0, sizeof *v);
	v->id = db_col_int(st, 0);
	v->target_id = db_col_int(st, 1);
	v->region_code = S(2);
	v->visited_day = db_col_int(st, 3);
	v->note = S(4);
	v->photos = S(5);
	v->case_id = db_col_int(st, 6);
	v->user_id = db_col_int(st, 7);
	v->created_at = db_col_int(st, 8);
	v->user_name = S(9);
}

enum db_result store_care_visits_list(struct db *db, struct arena *a, int64_t target_id,
                                      struct care_visit_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT v.id, v.target_id, v.region_code, v.visited_day, v.note, v.photos, "
	               "coalesce(v.case_id, 0), coalesce(v.user_id, 0), v.created_at, (SELECT "
	               "display_name FROM users WHERE id = v.user_id) FROM care_visits v WHERE "
	               "v.target_id = ? ORDER BY v.visited_day DESC, v.id DESC LIMIT 200",
	               ARGS(ARG_INT(target_id)), visit_read, sizeof **rows, 200, (void **)rows, n);
}

static void coverage_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct care_coverage_row *c = p;
	c->region_code = S(0);
	c->region_name = S(1);
	c->due = db_col_int(st, 2);
	c->visited = db_col_int(st, 3);
}

/* Per grid of one scope range: active targets started by the period's end, and those of them
 * visited in it; restricted kinds only when ?3 is 1. */
#define COVERAGE_SQL                                                                               \
	"SELECT t.region_code, (SELECT name FROM regions WHERE code = t.region_code), "            \
	"count(*), " SQL_COUNT_IF(                                                                 \
	    "EXISTS (SELECT 1 FROM care_visits v WHERE v.target_id = t.id AND "                    \
	    "v.visited_day >= ?4 AND v.visited_day <= ?5)") " FROM care_targets t WHERE "          \
	                                                    "t.region_code >= ?1 AND "             \
	                                                    "t.region_code < ?2 AND "              \
	                                                    "t.status = 'active' AND (CAST(?3 AS " \
	                                                    "BIGINT) = 1 OR t.restricted = 0) "    \
	                                                    "AND "                                 \
	                                                    "t.since_day <= ?5 GROUP BY "          \
	                                                    "t.region_code ORDER BY t.region_code"

enum db_result store_care_coverage(struct db *db, struct arena *a, const struct scopes *sc,
                                   bool with_restricted, int64_t from_day, int64_t to_day,
                                   struct care_coverage_row **rows, size_t *n)
{
	*n = 0;
	*rows = NULL;
	for (int i = 0; i < sc->n; i++) {
		struct care_coverage_row *part;
		size_t m;
		enum db_result r = sql_all(
		    db, a, COVERAGE_SQL,
		    ARGS(ARG_TEXT(sc->prefix[i]), ARG_TEXT(sql_prefix_end(a, sc->prefix[i])),
		         ARG_BOOL(with_restricted), ARG_INT(from_day), ARG_INT(to_day)),
		    coverage_read, sizeof *part, -1, (void **)&part, &m);
		if (r != DB_OK)
			return r;
		if (m == 0)
			continue;
		struct care_coverage_row *all = arena_alloc(a, (*n + m) * sizeof all[0]);
		if (*n)
			memcpy(all, *rows, *n * sizeof all[0]);
		memcpy(all + *n, part, m * sizeof all[0]);
		*rows = all;
		*n += m;
	}
	return DB_OK;
}
