/* The dashboard's counts (see store/command/dashboard.h). Every query reads the rollups of
 * migration 15 — rows of the region itself, or of its children as one key range — and, for
 * the part of today up to now, the open cases due (or turning yellow) today from an
 * expression index. */
#include "store/command/dashboard.h"
#include "store/stmt.h"

#include <string.h>

/* The end of the prefix range of region: the next byte after '9'. */
static void prefix_end(const char *region, char out[32])
{
	size_t n = strnlen(region, 30);
	memcpy(out, region, n);
	out[n] = ';';
	out[n + 1] = '\0';
}

/* The state's deadline (acceptance while reported, 0; handling in the other open states) and
 * the instant a case turns yellow, 80 % of the time allowed: now ≥ created + 4/5 (due −
 * created), rounded up to a whole second (a case made after its deadline turns overdue
 * straight away). Written exactly as the expression indexes cases_due_at and cases_warn_at
 * of migration 15, so that the planner uses them. */
#define DUE "(CASE WHEN status = 0 THEN accept_due ELSE handle_due END)"
#define WARN                                                                                       \
	"(CASE WHEN created_at > (CASE WHEN status = 0 THEN accept_due ELSE handle_due END) THEN " \
	"(CASE WHEN status = 0 THEN accept_due ELSE handle_due END) + 1 ELSE (4 * (CASE WHEN "     \
	"status = 0 THEN accept_due ELSE handle_due END) + created_at + 4) / 5 END)"
#define OPEN_ONLY "status NOT IN (2, 7)"

static void open_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct dashboard_open *o = row;
	o->code = sql_str(st, a, 0);
	o->open = db_col_int(st, 1);
	o->supervised = db_col_int(st, 2);
	o->overdue = db_col_int(st, 3);
	/* yellow or worse, less the overdue: the not yet overdue ones (every overdue case has
	 * turned yellow before) */
	o->warning = db_col_int(st, 4) - o->overdue;
}

enum db_result store_dashboard_open(struct db *db, struct arena *a, const char *region,
                                    size_t child_len, int64_t now, struct dashboard_open **rows,
                                    size_t *n)
{
	char upper[32];
	prefix_end(region, upper);
	int64_t today = now / 86400;
	/* Overdue at now: the open cases due on a day before today, from case_open_due, and
	 * those due today before now, from the index; yellow the same. Those two compare
	 * region_code || '', not the column, so that no region index applies and the planner
	 * takes the deadline index (a range of today's deadlines, all regions) over cases_open
	 * (every open case of the region) or cases_district_id (every case). */
	return sql_all(
	    db, a,
	    "SELECT code, sum(o), sum(s), sum(d), sum(w) FROM ("
	    " SELECT region_code AS code, open AS o, supervised AS s, 0 AS d, 0 AS w"
	    " FROM case_open_counts WHERE len = ?3 AND region_code >= ?1 AND region_code < ?2"
	    " UNION ALL"
	    " SELECT region_code, 0, 0, CASE WHEN kind = 0 THEN n ELSE 0 END,"
	    " CASE WHEN kind = 1 THEN n ELSE 0 END FROM case_open_due"
	    " WHERE len = ?3 AND region_code >= ?1 AND region_code < ?2 AND day < ?4"
	    " UNION ALL"
	    " SELECT substr(region_code, 1, CAST(?3 AS INTEGER)), 0, 0, 1, 0 FROM cases "
	    "WHERE " OPEN_ONLY " AND " DUE " >= ?5 AND " DUE
	    " < ?6 AND region_code || '' >= ?1 AND region_code || '' < ?2"
	    " UNION ALL"
	    " SELECT substr(region_code, 1, CAST(?3 AS INTEGER)), 0, 0, 0, 1 FROM cases "
	    "WHERE " OPEN_ONLY " AND " WARN " >= ?5 AND " WARN
	    " <= ?6 AND region_code || '' >= ?1 AND region_code || '' < ?2"
	    ") t GROUP BY code ORDER BY code",
	    ARGS(ARG_TEXT(region), ARG_TEXT(upper), ARG_INT((int64_t)child_len), ARG_INT(today),
	         ARG_INT(today * 86400), ARG_INT(now)),
	    open_read, sizeof **rows, -1, (void **)rows, n);
}

static void category_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct dashboard_category *c = row;
	c->category = sql_str(st, a, 0);
	c->name = sql_str(st, a, 1);
	c->open = db_col_int(st, 2);
	c->reported = db_col_int(st, 3);
}

enum db_result store_dashboard_categories(struct db *db, struct arena *a, const char *region,
                                          int64_t from_day, int64_t to_day,
                                          struct dashboard_category **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT t.category, c.name, sum(t.open), sum(t.reported) FROM ("
	               " SELECT category, open, 0 AS reported FROM case_open_counts"
	               " WHERE len = ?2 AND region_code = ?1"
	               " UNION ALL"
	               " SELECT category, 0, reported FROM case_rollup_days"
	               " WHERE len = ?2 AND region_code = ?1 AND day >= ?3 AND day <= ?4) t "
	               "LEFT JOIN categories c ON c.code = t.category GROUP BY t.category, c.name "
	               "HAVING sum(t.open) > 0 OR sum(t.reported) > 0 ORDER BY 3 DESC, 4 DESC, 1",
	               ARGS(ARG_TEXT(region), ARG_INT((int64_t)strlen(region)), ARG_INT(from_day),
	                    ARG_INT(to_day)),
	               category_read, sizeof **rows, -1, (void **)rows, n);
}

static void day_read(struct db_stmt *st, struct arena *a, void *row)
{
	(void)a;
	struct dashboard_day *d = row;
	d->day = db_col_int(st, 0);
	d->reported = db_col_int(st, 1);
	d->closed = db_col_int(st, 2);
}

enum db_result store_dashboard_days(struct db *db, struct arena *a, const char *region,
                                    int64_t from_day, int64_t to_day, struct dashboard_day **rows,
                                    size_t *n)
{
	return sql_all(db, a,
	               "SELECT day, sum(reported), sum(closed) FROM case_rollup_days"
	               " WHERE len = ?2 AND region_code = ?1 AND day >= ?3 AND day <= ?4"
	               " GROUP BY day ORDER BY day",
	               ARGS(ARG_TEXT(region), ARG_INT((int64_t)strlen(region)), ARG_INT(from_day),
	                    ARG_INT(to_day)),
	               day_read, sizeof **rows, -1, (void **)rows, n);
}

static void households_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct dashboard_households *h = row;
	h->code = sql_str(st, a, 0);
	h->households = db_col_int(st, 1);
}

enum db_result store_dashboard_households(struct db *db, struct arena *a, const char *region,
                                          size_t child_len, struct dashboard_households **rows,
                                          size_t *n)
{
	char upper[32];
	prefix_end(region, upper);
	return sql_all(
	    db, a,
	    "SELECT substr(code, 1, ?3), coalesce(sum(planned_households), 0) FROM regions"
	    " WHERE code >= ?1 AND code < ?2 AND level = 3 AND status = 'active'"
	    " GROUP BY substr(code, 1, ?3) ORDER BY 1",
	    ARGS(ARG_TEXT(region), ARG_TEXT(upper), ARG_INT((int64_t)child_len)), households_read,
	    sizeof **rows, -1, (void **)rows, n);
}

static void change_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct dashboard_change *c = row;
	c->id = db_col_int(st, 0);
	c->region_code = sql_str(st, a, 1);
}

enum db_result store_dashboard_changes(struct db *db, struct arena *a, int64_t after_id, int limit,
                                       struct dashboard_change **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT e.id, c.region_code FROM case_events e JOIN cases c ON c.id = "
	               "e.case_id WHERE e.id > ? ORDER BY e.id LIMIT ?",
	               ARGS(ARG_INT(after_id), ARG_INT(limit)), change_read, sizeof **rows, -1,
	               (void **)rows, n);
}

static void crossing_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct dashboard_change *c = row;
	c->id = 0;
	c->region_code = sql_str(st, a, 0);
}

enum db_result store_dashboard_crossings(struct db *db, struct arena *a, int64_t from, int64_t to,
                                         int limit, struct dashboard_change **rows, size_t *n)
{
	/* Two ranges of the expression indexes cases_due_at and cases_warn_at, bounded as
	 * store_dashboard_open counts: overdue once the deadline is past (due < now), yellow
	 * from the instant itself (warn <= now). */
	return sql_all(db, a,
	               "SELECT region_code FROM cases WHERE " OPEN_ONLY " AND " DUE
	               " >= ?1 AND " DUE
	               " < ?2 UNION SELECT region_code FROM cases WHERE " OPEN_ONLY " AND " WARN
	               " > ?1 AND " WARN " <= ?2 LIMIT ?3",
	               ARGS(ARG_INT(from), ARG_INT(to), ARG_INT(limit)), crossing_read,
	               sizeof **rows, -1, (void **)rows, n);
}

enum db_result store_dashboard_last_change(struct db *db, int64_t *id)
{
	return sql_int(db, "SELECT max(id) FROM case_events", NO_ARGS, id);
}
