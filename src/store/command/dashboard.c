/* The dashboard's counts (see store/command/dashboard.h). Every query is one index range:
 * the region as a prefix range of codes, over the cases_open index or case_days. */
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

/* The state's deadline: acceptance while reported (0), handling in the other open states. */
#define DUE       "CASE WHEN status = 0 THEN accept_due ELSE handle_due END"
#define OPEN_ONLY " AND status NOT IN (2, 7)"

static void open_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct dashboard_open *o = row;
	o->code = sql_str(st, a, 0);
	o->open = db_col_int(st, 1);
	o->overdue = db_col_int(st, 2);
	o->warning = db_col_int(st, 3);
	o->supervised = db_col_int(st, 4);
}

enum db_result store_dashboard_open(struct db *db, struct arena *a, const char *region,
                                    size_t child_len, int64_t now, struct dashboard_open **rows,
                                    size_t *n)
{
	char upper[32];
	prefix_end(region, upper);
	return sql_all(
	    db, a,
	    "SELECT substr(region_code, 1, ?3), count(*),"
	    " sum(CASE WHEN " DUE " < ?4 THEN 1 ELSE 0 END),"
	    " sum(CASE WHEN " DUE " >= ?4 AND (?4 - created_at) * 5 >="
	    "   (" DUE " - created_at) * 4 THEN 1 ELSE 0 END),"
	    " sum(supervised) "
	    "FROM cases WHERE region_code >= ?1 AND region_code < ?2" OPEN_ONLY
	    " GROUP BY substr(region_code, 1, ?3) ORDER BY 1",
	    ARGS(ARG_TEXT(region), ARG_TEXT(upper), ARG_INT((int64_t)child_len), ARG_INT(now)),
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
	char upper[32];
	prefix_end(region, upper);
	return sql_all(db, a,
	               "SELECT t.category, c.name, sum(t.open), sum(t.reported) FROM ("
	               " SELECT category, count(*) AS open, 0 AS reported FROM cases"
	               " WHERE region_code >= ?1 AND region_code < ?2" OPEN_ONLY
	               " GROUP BY category"
	               " UNION ALL"
	               " SELECT category, 0, sum(reported) FROM case_days"
	               " WHERE day >= ?3 AND day <= ?4 AND region_code >= ?1 AND region_code < ?2"
	               " GROUP BY category) t "
	               "LEFT JOIN categories c ON c.code = t.category "
	               "GROUP BY t.category, c.name ORDER BY 3 DESC, 4 DESC, 1",
	               ARGS(ARG_TEXT(region), ARG_TEXT(upper), ARG_INT(from_day), ARG_INT(to_day)),
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
	char upper[32];
	prefix_end(region, upper);
	return sql_all(db, a,
	               "SELECT day, sum(reported), sum(closed) FROM case_days"
	               " WHERE day >= ?3 AND day <= ?4 AND region_code >= ?1 AND region_code < ?2"
	               " GROUP BY day ORDER BY day",
	               ARGS(ARG_TEXT(region), ARG_TEXT(upper), ARG_INT(from_day), ARG_INT(to_day)),
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

enum db_result store_dashboard_last_change(struct db *db, int64_t *id)
{
	return sql_int(db, "SELECT max(id) FROM case_events", NO_ARGS, id);
}
