/* Grid worker assessment (see store/command/worker_assessment.h). */
#include "store/command/worker_assessment.h"
#include "store/stmt.h"

#include <string.h>

static void worker_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct worker_row *r = row;
	r->user_id = db_col_int(st, 0);
	r->name = sql_str(st, a, 1);
	r->grid_code = sql_str(st, a, 2);
	r->grid_name = sql_str(st, a, 3);
}

enum db_result store_workers_list(struct db *db, struct arena *a, const char *region,
                                  int64_t user_id, struct worker_row **rows, size_t *n)
{
	struct worker_row *all;
	size_t total = 0;
	enum db_result r =
	    sql_all(db, a,
	            "SELECT u.id, u.display_name, g.region_code, rg.name FROM grants g "
	            "JOIN users u ON u.id = g.user_id AND u.disabled = 0 "
	            "LEFT JOIN regions rg ON rg.code = g.region_code "
	            "WHERE g.role = 'grid_worker' AND g.region_code >= ?1 AND g.region_code < ?2 "
	            "AND (?3 = 0 OR g.user_id = ?3) ORDER BY u.id, g.region_code",
	            ARGS(ARG_TEXT(region), ARG_TEXT(sql_prefix_end(a, region)), ARG_INT(user_id)),
	            worker_read, sizeof *all, 20000, (void **)&all, &total);
	if (r != DB_OK)
		return r;
	size_t k = 0;
	for (size_t i = 0; i < total; i++)
		if (!k || all[k - 1].user_id != all[i].user_id)
			all[k++] = all[i];
	*rows = all;
	*n = k;
	return DB_OK;
}

static void count_read(struct db_stmt *st, struct arena *a, void *row)
{
	(void)a;
	struct worker_count *r = row;
	r->user_id = db_col_int(st, 0);
	r->kind = db_col_int(st, 1);
	r->n = db_col_int(st, 2);
}

/* ?1 ?2 the region's range, ?3 one user or 0, ?4 ?5 the instants, ?6 the month, ?7 closed. */
#define WORKERS_CTE                                                                                \
	"WITH w AS (SELECT DISTINCT user_id FROM grants WHERE role = 'grid_worker' AND "           \
	"region_code >= ?1 AND region_code < ?2 AND (?3 = 0 OR user_id = ?3)) "

enum db_result store_worker_counts(struct db *db, struct arena *a, const char *region,
                                   int64_t user_id, int64_t from, int64_t to, int64_t month,
                                   int64_t closed, struct worker_count **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    WORKERS_CTE
	    "SELECT w.user_id, 0, count(*) FROM w JOIN case_events e ON e.actor_id = w.user_id "
	    "AND e.action = 'report' AND e.at >= ?4 AND e.at < ?5 GROUP BY w.user_id "
	    "UNION ALL "
	    "SELECT w.user_id, 1, count(*) FROM w JOIN sweep_visits v ON v.visitor_id = w.user_id "
	    "AND v.at >= ?4 AND v.at < ?5 AND v.outcome = 'visited' GROUP BY w.user_id "
	    "UNION ALL "
	    "SELECT w.user_id, 2, count(*) FROM w JOIN care_visits cv ON cv.user_id = w.user_id "
	    "AND cv.created_at >= ?4 AND cv.created_at < ?5 GROUP BY w.user_id "
	    "UNION ALL "
	    "SELECT w.user_id, 3, count(DISTINCT e.case_id) FROM w JOIN case_events e ON "
	    "e.actor_id = w.user_id AND e.action = 'handle' AND e.at >= ?4 AND e.at < ?5 "
	    "GROUP BY w.user_id "
	    "UNION ALL "
	    "SELECT w.user_id, 4, count(DISTINCT e.case_id) FROM w JOIN case_events e ON "
	    "e.actor_id = w.user_id AND e.action = 'handle' AND e.at >= ?4 AND e.at < ?5 "
	    "JOIN cases c ON c.id = e.case_id AND c.status = ?7 AND c.handled_at > 0 AND "
	    "c.handled_at <= c.handle_due GROUP BY w.user_id "
	    "UNION ALL "
	    "SELECT w.user_id, 5 + CAST(ci.outcome = 'contradicted' AS INTEGER), count(*) "
	    "FROM callback_samples cs JOIN callback_items ci ON ci.sample_id = cs.id "
	    "JOIN w ON EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = ci.case_id AND "
	    "e.action = 'handle' AND e.actor_id = w.user_id) "
	    "WHERE cs.period = ?6 AND ci.outcome IN ('confirmed', 'contradicted') "
	    "GROUP BY w.user_id, ci.outcome",
	    ARGS(ARG_TEXT(region), ARG_TEXT(sql_prefix_end(a, region)), ARG_INT(user_id),
	         ARG_INT(from), ARG_INT(to), ARG_INT(month), ARG_INT(closed)),
	    count_read, sizeof **rows, -1, (void **)rows, n);
}

static void record_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct worker_record *r = row;
	r->id = db_col_int(st, 0);
	r->label = sql_str(st, a, 1);
	r->region_code = sql_str(st, a, 2);
	r->at = db_col_int(st, 3);
	r->ref = db_col_int(st, 4);
}

enum db_result store_worker_records(struct db *db, struct arena *a, int64_t user_id, int kind,
                                    int64_t from, int64_t to, int64_t month, int64_t closed,
                                    int limit, struct worker_record **rows, size_t *n)
{
	void **out = (void **)rows;
	switch (kind) {
	case WC_REPORTS:
	case WC_HANDLED:
	case WC_ON_TIME:
		return sql_all(
		    db, a,
		    "SELECT c.id, c.number, c.region_code, max(e.at), c.status FROM "
		    "case_events e JOIN cases c ON c.id = e.case_id WHERE "
		    "e.actor_id = ?1 AND e.action = ?2 AND e.at >= ?3 AND e.at < ?4 AND "
		    "(?5 = 0 OR (c.status = ?6 AND c.handled_at > 0 AND "
		    "c.handled_at <= c.handle_due)) GROUP BY c.id, c.number, "
		    "c.region_code, c.status ORDER BY max(e.at) DESC, c.id DESC",
		    ARGS(ARG_INT(user_id), ARG_TEXT(kind == WC_REPORTS ? "report" : "handle"),
		         ARG_INT(from), ARG_INT(to), ARG_INT(kind == WC_ON_TIME), ARG_INT(closed)),
		    record_read, sizeof **rows, limit, out, n);
	case WC_SWEEPS:
		return sql_all(db, a,
		               "SELECT v.id, CAST(v.house_id AS TEXT), v.region_code, v.at, "
		               "v.sweep_id FROM sweep_visits v WHERE v.visitor_id = ?1 AND "
		               "v.at >= ?2 AND v.at < ?3 AND v.outcome = 'visited' "
		               "ORDER BY v.at DESC, v.id DESC",
		               ARGS(ARG_INT(user_id), ARG_INT(from), ARG_INT(to)), record_read,
		               sizeof **rows, limit, out, n);
	case WC_CARE:
		return sql_all(db, a,
		               "SELECT cv.id, CAST(cv.target_id AS TEXT), cv.region_code, "
		               "cv.created_at, cv.target_id FROM care_visits cv WHERE "
		               "cv.user_id = ?1 AND cv.created_at >= ?2 AND cv.created_at < ?3 "
		               "ORDER BY cv.created_at DESC, cv.id DESC",
		               ARGS(ARG_INT(user_id), ARG_INT(from), ARG_INT(to)), record_read,
		               sizeof **rows, limit, out, n);
	case WC_CALLBACKS_REACHED:
	case WC_CALLBACKS_CONTRADICTED:
		return sql_all(
		    db, a,
		    "SELECT c.id, c.number, c.region_code, ci.recorded_at, ci.sample_id FROM "
		    "callback_samples cs JOIN callback_items ci ON ci.sample_id = cs.id JOIN cases "
		    "c "
		    "ON c.id = ci.case_id WHERE cs.period = ?1 AND (ci.outcome = 'contradicted' OR "
		    "(?2 = 0 AND ci.outcome = 'confirmed')) AND EXISTS (SELECT 1 FROM case_events "
		    "e "
		    "WHERE e.case_id = ci.case_id AND e.action = 'handle' AND e.actor_id = ?3) "
		    "ORDER BY ci.recorded_at DESC, c.id DESC",
		    ARGS(ARG_INT(month), ARG_INT(kind == WC_CALLBACKS_CONTRADICTED),
		         ARG_INT(user_id)),
		    record_read, sizeof **rows, limit, out, n);
	default:
		*rows = NULL;
		*n = 0;
		return DB_OK;
	}
}
