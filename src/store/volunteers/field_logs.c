/* Field logs of visits and patrols (民情走访, 巡查). */
#include "store/volunteers/volunteers.h"

#include <string.h>

#include "store/stmt.h"

#define S(col) sql_str(st, a, col)

#define LOG_COLS                                                                                   \
	"f.id, f.region_code, (SELECT name FROM regions WHERE code = f.region_code), f.kind, "     \
	"f.address, f.lat IS NOT NULL, coalesce(f.lat, 0), coalesce(f.lon, 0), f.seen_at, f.day, " \
	"f.note, f.photos, coalesce(f.case_id, 0), f.user_id, (SELECT display_name FROM users "    \
	"WHERE id = f.user_id), f.created_at"

static void log_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct field_log_row *f = p;
	memset(f, 0, sizeof *f);
	f->id = db_col_int(st, 0);
	f->region_code = S(1);
	f->region_name = S(2);
	f->kind = S(3);
	f->address = S(4);
	f->has_location = db_col_int(st, 5) != 0;
	f->lat = db_col_double(st, 6);
	f->lon = db_col_double(st, 7);
	f->seen_at = db_col_int(st, 8);
	f->day = db_col_int(st, 9);
	f->note = S(10);
	f->photos = S(11);
	f->case_id = db_col_int(st, 12);
	f->user_id = db_col_int(st, 13);
	f->user_name = S(14);
	f->created_at = db_col_int(st, 15);
}

enum db_result store_field_logs_insert(struct db *db, struct field_log_row *f)
{
	return sql_insert(
	    db,
	    "INSERT INTO field_logs(region_code, kind, address, lat, lon, seen_at, day, note, "
	    "photos, case_id, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_TEXT(f->region_code), ARG_TEXT(f->kind), ARG_OPT_TEXT(f->address),
	         f->has_location ? ARG_REAL(f->lat) : ARG_NULL,
	         f->has_location ? ARG_REAL(f->lon) : ARG_NULL, ARG_INT(f->seen_at),
	         ARG_INT(f->day), ARG_TEXT(f->note), ARG_OPT_TEXT(f->photos),
	         ARG_NONZERO(f->case_id), ARG_INT(f->user_id), ARG_INT(f->created_at)),
	    &f->id);
}

enum db_result store_field_logs_get(struct db *db, struct arena *a, int64_t id,
                                    struct field_log_row *out)
{
	return sql_one(db, a, "SELECT " LOG_COLS " FROM field_logs f WHERE f.id = ?",
	               ARGS(ARG_INT(id)), log_read, out);
}

enum db_result store_field_logs_set_case(struct db *db, int64_t id, int64_t case_id)
{
	return sql_change(db, "UPDATE field_logs SET case_id = ? WHERE id = ? AND case_id IS NULL",
	                  ARGS(ARG_INT(case_id), ARG_INT(id)));
}

enum db_result store_field_logs_of_user(struct db *db, struct arena *a, int64_t user_id,
                                        int64_t from_day, int64_t to_day,
                                        struct field_log_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " LOG_COLS
	               " FROM field_logs f WHERE f.user_id = ? AND f.day >= ? AND "
	               "f.day <= ? ORDER BY f.day DESC, f.id DESC LIMIT 5000",
	               ARGS(ARG_INT(user_id), ARG_INT(from_day), ARG_INT(to_day)), log_read,
	               sizeof **rows, 5000, (void **)rows, n);
}

static void worker_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct field_worker_row *w = p;
	memset(w, 0, sizeof *w);
	w->user_id = db_col_int(st, 0);
	w->name = S(1);
	w->entries = db_col_int(st, 2);
	w->visits = db_col_int(st, 3);
	w->patrols = db_col_int(st, 4);
	w->cases = db_col_int(st, 5);
}

enum db_result store_field_logs_workers(struct db *db, struct arena *a, const char *prefix,
                                        int64_t from_day, int64_t to_day,
                                        struct field_worker_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT f.user_id, (SELECT display_name FROM users WHERE id = f.user_id), count(*), "
	    "CAST(sum(CASE WHEN f.kind = 'visit' THEN 1 ELSE 0 END) AS BIGINT), "
	    "CAST(sum(CASE WHEN f.kind = 'patrol' THEN 1 ELSE 0 END) AS BIGINT), count(f.case_id) "
	    "FROM field_logs f WHERE f.region_code >= ? AND f.region_code < ? AND f.day >= ? AND "
	    "f.day <= ? GROUP BY f.user_id ORDER BY f.user_id LIMIT 2000",
	    ARGS(ARG_TEXT(prefix), ARG_TEXT(sql_prefix_end(a, prefix)), ARG_INT(from_day),
	         ARG_INT(to_day)),
	    worker_read, sizeof **rows, 2000, (void **)rows, n);
}
