/* Case rows and their events. Filters keep one SQL text per shape so statements
 * stay cached; a region filter is a code-prefix range, which the (status, region)
 * and (region, status) indexes serve directly. Categories and routing rules are in
 * rules.c, notifications in notifications.c, photos in photos.c. */
#include "store/cases/cases.h"
#include "store/stmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define CASE_COLS                                                                                  \
	"id, number, tracking_code, category, tier, status, level, region_code, description, "     \
	"source, lat, lon, address, reporter_name, reporter_phone, anonymous, "                    \
	"coalesce(reporter_user_id, 0), unit, coalesce(rule_id, 0), accept_due, handle_due, "      \
	"supervised, supervise_note, coalesce(merged_into, 0), rating, result, created_at, "       \
	"updated_at, accepted_at, handled_at, closed_at, reporter_sealed, publish_description, "   \
	"public_reply, coalesce(building_id, 0)"

static void case_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct case_row *c = row;
	memset(c, 0, sizeof(*c));
	c->id = db_col_int(st, 0);
	c->number = sql_str(st, a, 1);
	c->tracking_code = sql_str(st, a, 2);
	c->category = sql_str(st, a, 3);
	c->tier = (enum case_tier)db_col_int(st, 4);
	c->status = (enum case_state)db_col_int(st, 5);
	c->level = (enum region_level)db_col_int(st, 6);
	c->region_code = sql_str(st, a, 7);
	c->description = sql_str(st, a, 8);
	c->source = sql_str(st, a, 9);
	c->has_location = !db_col_null(st, 10) && !db_col_null(st, 11);
	if (c->has_location) {
		c->lat = db_col_double(st, 10);
		c->lon = db_col_double(st, 11);
	}
	c->address = sql_str(st, a, 12);
	c->reporter_name = sql_str(st, a, 13);
	struct sealed phone = sql_sealed(st, a, 14);
	c->reporter_phone = phone.p;
	c->reporter_phone_len = phone.n;
	c->anonymous = db_col_int(st, 15) != 0;
	c->reporter_user_id = db_col_int(st, 16);
	c->unit = sql_str(st, a, 17);
	c->rule_id = db_col_int(st, 18);
	c->accept_due = db_col_int(st, 19);
	c->handle_due = db_col_int(st, 20);
	c->supervised = db_col_int(st, 21) != 0;
	c->supervise_note = sql_str(st, a, 22);
	c->merged_into = db_col_int(st, 23);
	c->rating = (enum case_rating)db_col_int(st, 24);
	c->result = sql_str(st, a, 25);
	c->created_at = db_col_int(st, 26);
	c->updated_at = db_col_int(st, 27);
	c->accepted_at = db_col_int(st, 28);
	c->handled_at = db_col_int(st, 29);
	c->closed_at = db_col_int(st, 30);
	struct sealed reporter = sql_sealed(st, a, 31);
	c->reporter_sealed = reporter.p;
	c->reporter_sealed_len = reporter.n;
	c->publish_description = db_col_int(st, 32) != 0;
	c->public_reply = sql_str(st, a, 33);
	c->building_id = db_col_int(st, 34);
}

/* A list page reads its category and region names with the rows: one index lookup each inside
 * the statement instead of a statement per name. */
#define LIST_COLS                                                                                  \
	CASE_COLS ", (SELECT name FROM categories g WHERE g.code = cases.category), "              \
	          "(SELECT name FROM regions r WHERE r.code = cases.region_code)"

static void case_read_named(struct db_stmt *st, struct arena *a, void *row)
{
	case_read(st, a, row);
	struct case_row *c = row;
	c->names_read = true;
	c->category_name = sql_str(st, a, 35);
	c->region_name = sql_str(st, a, 36);
}

/* A blob column that may be absent (an empty blob is still a blob). */
static struct sql_arg opt_blob(const unsigned char *p, size_t n)
{
	return p ? ARG_BLOB(p, n) : ARG_NULL;
}

enum db_result store_cases_insert(struct db *db, struct case_row *c)
{
	return sql_insert(
	    db,
	    "INSERT INTO cases(number, tracking_code, category, tier, status, level, "
	    "region_code, description, source, lat, lon, address, reporter_name, "
	    "reporter_phone, anonymous, reporter_user_id, unit, rule_id, accept_due, "
	    "handle_due, created_at, updated_at, reporter_sealed, publish_description, "
	    "building_id) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_TEXT(c->number), ARG_TEXT(c->tracking_code), ARG_TEXT(c->category),
	         ARG_INT(c->tier), ARG_INT(c->status), ARG_INT(c->level), ARG_TEXT(c->region_code),
	         ARG_TEXT(c->description), ARG_TEXT(c->source),
	         c->has_location ? ARG_REAL(c->lat) : ARG_NULL,
	         c->has_location ? ARG_REAL(c->lon) : ARG_NULL, ARG_TEXT(c->address),
	         ARG_TEXT(c->reporter_name), opt_blob(c->reporter_phone, c->reporter_phone_len),
	         ARG_INT(c->anonymous), ARG_NONZERO(c->reporter_user_id), ARG_TEXT(c->unit),
	         ARG_NONZERO(c->rule_id), ARG_INT(c->accept_due), ARG_INT(c->handle_due),
	         ARG_INT(c->created_at), ARG_INT(c->updated_at),
	         opt_blob(c->reporter_sealed, c->reporter_sealed_len),
	         ARG_INT(c->publish_description), ARG_NONZERO(c->building_id)),
	    &c->id);
}

enum db_result store_cases_get(struct db *db, struct arena *a, int64_t id, struct case_row *out)
{
	return sql_one(db, a, "SELECT " CASE_COLS " FROM cases WHERE id = ?", ARGS(ARG_INT(id)),
	               case_read, out);
}

enum db_result store_cases_by_tracking(struct db *db, struct arena *a, const char *code,
                                       struct case_row *out)
{
	return sql_one(db, a, "SELECT " CASE_COLS " FROM cases WHERE tracking_code = ?",
	               ARGS(ARG_TEXT(code)), case_read, out);
}

enum db_result store_cases_update(struct db *db, const struct case_row *c)
{
	return sql_run(
	    db,
	    "UPDATE cases SET status = ?, level = ?, unit = ?, rule_id = ?, accept_due = ?, "
	    "handle_due = ?, supervised = ?, supervise_note = ?, merged_into = ?, rating = ?, "
	    "result = ?, updated_at = ?, accepted_at = ?, handled_at = ?, closed_at = ?, "
	    "public_reply = ? WHERE id = ?",
	    ARGS(ARG_INT(c->status), ARG_INT(c->level), ARG_TEXT(c->unit), ARG_NONZERO(c->rule_id),
	         ARG_INT(c->accept_due), ARG_INT(c->handle_due), ARG_INT(c->supervised),
	         ARG_TEXT(c->supervise_note), ARG_NONZERO(c->merged_into), ARG_INT(c->rating),
	         ARG_TEXT(c->result), ARG_INT(c->updated_at), ARG_INT(c->accepted_at),
	         ARG_INT(c->handled_at), ARG_INT(c->closed_at), ARG_TEXT(c->public_reply),
	         ARG_INT(c->id)));
}

/* The shared filter tail: ?1..?13 as bound by bind_filter(). Overdue means past
 * the deadline that applies to the state; warning means past 80 % of it. */
#define FILTER_SQL " region_code >= ?1 AND region_code < ?2" FILTER_REST
/* The same filter with the region as a prefix test that no index serves, so that a wide
 * region (a street, the district) is read newest first through (status, id, region_code)
 * instead of sorting every matching row. */
#define FILTER_SQL_WIDE                                                                            \
	" substr(region_code, 1, length(?1)) = ?1 AND CAST(?2 AS TEXT) IS NOT NULL" FILTER_REST
#define FILTER_REST                                                                                \
	" AND (CAST(?3 AS TEXT) IS NULL OR category = ?3)"                                         \
	" AND (CAST(?4 AS TEXT) IS NULL OR unit = ?4)"                                             \
	" AND (CAST(?5 AS BIGINT) IS NULL OR reporter_user_id = ?5)"                               \
	" AND (?6 = 0 OR (status = 0 AND accept_due < ?9) OR"                                      \
	"      (status IN (1, 3, 4, 5, 6) AND handle_due < ?9))"                                   \
	" AND (?7 = 0 OR (status = 0 AND ?9 <= accept_due AND"                                     \
	"        (?9 - created_at) * 5 >= (accept_due - created_at) * 4) OR"                       \
	"      (status IN (1, 3, 4, 5, 6) AND ?9 <= handle_due AND"                                \
	"        (?9 - created_at) * 5 >= (handle_due - created_at) * 4))"                         \
	" AND (?8 = 0 OR supervised = 1)"                                                          \
	" AND id < ?10"                                                                            \
	" AND created_at >= ?11 AND created_at < ?12"                                              \
	" AND (?13 = 0 OR status <> 7)"

enum { FILTER_ARGS = 13 };

/* The filter's parameters ?1..?10; upper holds the end of the region's prefix range. */
static void filter_args(const struct case_filter *f, char *upper, struct sql_arg *out)
{
	size_t n = strlen(f->region);
	memcpy(upper, f->region, n);
	upper[n] = ';'; /* the next byte after '9': the end of the prefix range */
	upper[n + 1] = '\0';
	const struct sql_arg args[FILTER_ARGS] = {
	    ARG_TEXT(f->region),
	    ARG_TEXT(upper),
	    ARG_TEXT(f->category),
	    ARG_TEXT(f->unit),
	    ARG_NONZERO(f->reporter_user_id),
	    ARG_INT(f->overdue),
	    ARG_INT(f->warning),
	    ARG_INT(f->supervised),
	    ARG_INT(f->now),
	    ARG_INT(f->before_id > 0 ? f->before_id : INT64_MAX),
	    ARG_INT(f->created_from),
	    ARG_INT(f->created_to > 0 ? f->created_to : INT64_MAX),
	    ARG_INT(f->unclosed),
	};
	memcpy(out, args, sizeof args);
}

/* The scope's region as an equality on the prefix of its level, matching the expression
 * indexes of migration 12, so that rows come newest first from the index: ?1 is the region,
 * ?2 only typed (PostgreSQL types every parameter from its use). */
#define REGION_LEVEL_SQL(prefix) " " prefix " = ?1 AND CAST(?2 AS TEXT) IS NOT NULL"
#define LIST_SQL(where)                                                                            \
	"SELECT " LIST_COLS " FROM cases WHERE CAST(?14 AS BIGINT) IS NULL AND" where FILTER_REST  \
	" ORDER BY id DESC LIMIT ?15"

/* Without a state filter a listing walks an index in its own order (newest first) and stops
 * after the page: a resident's own reports (reporter_user_id, id), a unit's cases (unit, id), or
 * the region's prefix of its level (migration 12). No shape sorts the scope's rows. */
static const char *list_sql(const struct case_filter *f)
{
	if (f->reporter_user_id)
		return LIST_SQL(
		    " reporter_user_id = ?5 AND region_code >= ?1 AND region_code < ?2");
	if (f->unit)
		return LIST_SQL(" unit = ?4 AND region_code >= ?1 AND region_code < ?2");
	switch (strlen(f->region)) {
	case 6:
		return LIST_SQL(REGION_LEVEL_SQL("substr(region_code, 1, 6)"));
	case 9:
		return LIST_SQL(REGION_LEVEL_SQL("substr(region_code, 1, 9)"));
	case 12:
		return LIST_SQL(REGION_LEVEL_SQL("substr(region_code, 1, 12)"));
	case 15:
		return LIST_SQL(REGION_LEVEL_SQL("region_code"));
	default: /* everything (an administrator): the table itself, newest first */
		return LIST_SQL(REGION_LEVEL_SQL("substr(region_code, 1, length(?1))"));
	}
}

enum db_result store_cases_list(struct db *db, struct arena *a, const struct case_filter *f,
                                struct case_row **rows, size_t *n)
{
	*n = 0;
	if (f->limit < 1)
		return DB_OK; /* SQLite would read a negative LIMIT as none */
	const char *sql = f->status < 0 ? list_sql(f)
	                  : strlen(f->region) <= 9
	                      ? "SELECT " LIST_COLS
	                        " FROM cases WHERE status = ?14 AND" FILTER_SQL_WIDE
	                        " ORDER BY id DESC LIMIT ?15"
	                      : "SELECT " LIST_COLS " FROM cases WHERE status = ?14 AND" FILTER_SQL
	                        " ORDER BY id DESC LIMIT ?15";
	char upper[32];
	struct sql_arg args[FILTER_ARGS + 2];
	filter_args(f, upper, args);
	/* Without a status ?14 is NULL, and the query only checks that it is. */
	args[FILTER_ARGS] = f->status >= 0 ? ARG_INT(f->status) : ARG_NULL;
	args[FILTER_ARGS + 1] = ARG_INT(f->limit);
	return sql_all(db, a, sql, args, FILTER_ARGS + 2, case_read_named, sizeof **rows, f->limit,
	               (void **)rows, n);
}

static void status_count_read(struct db_stmt *st, struct arena *a, void *row)
{
	(void)a;
	int64_t *counts = row;
	int64_t s = db_col_int(st, 0);
	if (s >= 0 && s < CASE_STATE_COUNT)
		counts[s] = db_col_int(st, 1);
}

enum db_result store_cases_count_by_status(struct db *db, const struct case_filter *f,
                                           int64_t counts[CASE_STATE_COUNT])
{
	char upper[32];
	struct sql_arg args[FILTER_ARGS];
	filter_args(f, upper, args);
	memset(counts, 0, sizeof(int64_t) * CASE_STATE_COUNT);
	struct db_stmt *st =
	    sql_open(db, "SELECT status, count(*) FROM cases WHERE" FILTER_SQL " GROUP BY status",
	             args, FILTER_ARGS);
	if (!st)
		return DB_ERROR;
	enum db_result r;
	while ((r = db_step(st)) == DB_ROW)
		status_count_read(st, NULL, counts);
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

enum db_result store_cases_last_serial(struct db *db, const char *prefix, int64_t *serial)
{
	char upper[40];
	snprintf(upper, sizeof upper, "%s;", prefix);
	struct db_stmt *st = sql_open(db,
	                              "SELECT max(number) FROM cases WHERE number >= ? "
	                              "AND number < ?",
	                              ARGS(ARG_TEXT(prefix), ARG_TEXT(upper)));
	if (!st)
		return DB_ERROR;
	enum db_result r = db_step(st);
	*serial = 0;
	if (r == DB_ROW && !db_col_null(st, 0)) {
		const char *num = db_col_text(st, 0);
		size_t pl = strlen(prefix);
		if (strlen(num) > pl)
			sscanf(num + pl, "%lld", (long long *)serial);
	}
	db_done(st);
	return r == DB_ROW ? DB_OK : r;
}

enum db_result store_cases_open_nearby(struct db *db, struct arena *a, const struct case_row *c,
                                       struct case_row **rows, size_t *n)
{
	/* Candidates: the 100 newest open cases of the category in the grid's community, read
	 * from the index of migration 11 alone; of those, the rows in the grid or in a box
	 * around the location (the caller keeps those within 50 m). */
	char community[16];
	snprintf(community, sizeof community, "%.12s", c->region_code);
	const double rad = 3.14159265358979323846 / 180.0;
	double dlat = 51.0 / 111195.0, coslat = cos(c->lat * rad);
	double dlon = dlat / (coslat > 0.01 ? coslat : 0.01);
	return sql_all(
	    db, a,
	    "SELECT " CASE_COLS " FROM cases WHERE id IN ("
	    " SELECT id FROM (SELECT id, region_code, lat, lon FROM cases"
	    "  WHERE category = ?1 AND substr(region_code, 1, 12) = ?2 AND status NOT IN (2, 7)"
	    "  AND id <> ?3 ORDER BY id DESC LIMIT 100) AS recent"
	    " WHERE region_code = ?4 OR (?5 = 1 AND lat BETWEEN ?6 AND ?7"
	    " AND lon BETWEEN ?8 AND ?9)) "
	    "ORDER BY id DESC LIMIT 10",
	    ARGS(ARG_TEXT(c->category), ARG_TEXT(community), ARG_INT(c->id),
	         ARG_TEXT(c->region_code), ARG_INT(c->has_location), ARG_REAL(c->lat - dlat),
	         ARG_REAL(c->lat + dlat), ARG_REAL(c->lon - dlon), ARG_REAL(c->lon + dlon)),
	    case_read, sizeof **rows, 10, (void **)rows, n);
}

enum db_result store_cases_in_window(struct db *db, struct arena *a, const char *category,
                                     int64_t start, int64_t end, bool public_only, int limit,
                                     struct case_row **rows, size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK; /* SQLite would read a negative LIMIT as none */
	return sql_all(db, a,
	               "SELECT " CASE_COLS " FROM cases WHERE created_at >= ? "
	               "AND created_at < ? AND (CAST(?3 AS TEXT) IS NULL OR category = ?3) "
	               "AND (?5 = 0 OR (tier <> 1 AND category IN "
	               "(SELECT code FROM categories WHERE public = 1))) "
	               "ORDER BY id DESC LIMIT ?4",
	               ARGS(ARG_INT(start), ARG_INT(end), ARG_TEXT(category), ARG_INT(limit),
	                    ARG_INT(public_only)),
	               case_read, sizeof **rows, limit, (void **)rows, n);
}

/* ---- events ---- */

/* A state column: NULL when the event changes no state (< 0). */
static struct sql_arg opt_state(int s)
{
	return s >= 0 ? ARG_INT(s) : ARG_NULL;
}

enum db_result store_case_events_add(struct db *db, const struct case_event_row *e)
{
	return sql_run(
	    db,
	    "INSERT INTO case_events(case_id, at, actor_id, actor, role, action, from_state, "
	    "to_state, comment, unit, photos, rating, note) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_INT(e->case_id), ARG_INT(e->at), ARG_NONZERO(e->actor_id), ARG_TEXT(e->actor),
	         ARG_TEXT(e->role), ARG_TEXT(e->action), opt_state(e->from_state),
	         opt_state(e->to_state), ARG_TEXT(e->comment), ARG_TEXT(e->unit),
	         ARG_TEXT(e->photos), ARG_INT(e->rating), ARG_TEXT(e->note)));
}

static void event_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct case_event_row *e = row;
	e->id = db_col_int(st, 0);
	e->case_id = db_col_int(st, 1);
	e->at = db_col_int(st, 2);
	e->actor_id = db_col_int(st, 3);
	e->actor = sql_str(st, a, 4);
	e->role = sql_str(st, a, 5);
	e->action = sql_str(st, a, 6);
	e->from_state = (int)db_col_int(st, 7);
	e->to_state = (int)db_col_int(st, 8);
	e->comment = sql_str(st, a, 9);
	e->unit = sql_str(st, a, 10);
	e->photos = sql_str(st, a, 11);
	e->rating = (int)db_col_int(st, 12);
	e->note = sql_str(st, a, 13);
}

enum db_result store_case_events_list(struct db *db, struct arena *a, int64_t case_id,
                                      struct case_event_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT id, case_id, at, coalesce(actor_id, 0), actor, role, action, "
	               "coalesce(from_state, -1), coalesce(to_state, -1), comment, unit, photos, "
	               "rating, note "
	               "FROM case_events WHERE case_id = ? ORDER BY id LIMIT 500",
	               ARGS(ARG_INT(case_id)), event_read, sizeof **rows, 500, (void **)rows, n);
}
