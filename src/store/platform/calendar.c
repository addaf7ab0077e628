/* The working-day calendar's rows (store/platform/calendar.h). */
#include "store/platform/calendar.h"
#include "store/stmt.h"

#include <string.h>

#define CAL_COLS "day, kind, name, provisional, updated_by, updated_at"

static void calendar_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct calendar_row *r = row;
	r->day = sql_str(st, a, 0);
	r->kind = sql_str(st, a, 1);
	r->name = sql_str(st, a, 2);
	r->provisional = db_col_int(st, 3) != 0;
	r->updated_by = db_col_int(st, 4);
	r->updated_at = db_col_int(st, 5);
}

enum db_result store_calendar_version(struct db *db, int64_t *version)
{
	return sql_int(db, "SELECT version FROM calendar_version WHERE id = 1", NO_ARGS, version);
}

enum db_result store_calendar_list(struct db *db, struct arena *a, const char *from, const char *to,
                                   struct calendar_row **rows, size_t *n)
{
	/* Dates compare as text: YYYY-MM-DD sorts in date order. */
	return sql_all(db, a,
	               "SELECT " CAL_COLS " FROM calendar_days WHERE day >= ?1 AND day < ?2 "
	               "ORDER BY day",
	               ARGS(ARG_TEXT(from ? from : "0000-00-00"), ARG_TEXT(to ? to : "9999-99-99")),
	               calendar_read, sizeof **rows, -1, (void **)rows, n);
}

enum db_result store_calendar_load(struct db *db, struct arena *a, struct work_calendar *out)
{
	struct calendar_row *rows;
	size_t n;
	enum db_result r = store_calendar_list(db, a, NULL, NULL, &rows, &n);
	if (r != DB_OK)
		return r;
	struct calendar_day *d = arena_alloc(a, sizeof *d * (n ? n : 1));
	if (!d)
		return DB_ERROR;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t day;
		if (!deadline_parse_date(rows[i].day, &day))
			continue; /* the api writes only real dates */
		d[k].day = day;
		d[k].workday = strcmp(rows[i].kind, "workday") == 0;
		k++;
	}
	out->days = d;
	out->n = k;
	return DB_OK;
}

static enum db_result bump(struct db *db)
{
	return sql_change(db, "UPDATE calendar_version SET version = version + 1 WHERE id = 1",
	                  NO_ARGS);
}

enum db_result store_calendar_put(struct db *db, const struct calendar_row *row, bool *created)
{
	bool exists;
	enum db_result r = sql_exists(db, "SELECT 1 FROM calendar_days WHERE day = ?",
	                              ARGS(ARG_TEXT(row->day)), &exists);
	if (r != DB_OK)
		return r;
	*created = !exists;
	r = sql_run(
	    db,
	    "INSERT INTO calendar_days(day, kind, name, provisional, updated_by, updated_at) "
	    "VALUES (?1, ?2, ?3, 0, ?4, ?5) ON CONFLICT(day) DO UPDATE SET "
	    "kind = excluded.kind, name = excluded.name, provisional = 0, "
	    "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
	    ARGS(ARG_TEXT(row->day), ARG_TEXT(row->kind), ARG_TEXT(row->name),
	         ARG_ID(row->updated_by), ARG_INT(row->updated_at)));
	return r == DB_OK ? bump(db) : r;
}

enum db_result store_calendar_delete(struct db *db, const char *day)
{
	enum db_result r =
	    sql_change(db, "DELETE FROM calendar_days WHERE day = ?", ARGS(ARG_TEXT(day)));
	return r == DB_OK ? bump(db) : r;
}
