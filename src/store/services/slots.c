/* Appointment slots (预约时段) and their bookings. */
#include "store/services/services.h"

#include <string.h>

#include "store/stmt.h"

#define S(col) sql_str(st, a, col)

#define SLOT_COLS                                                                                  \
	"s.id, s.service, s.region_code, (SELECT name FROM regions WHERE code = s.region_code), "  \
	"s.place, s.starts_at, s.ends_at, s.capacity, (SELECT count(*) FROM service_bookings b "   \
	"WHERE b.slot_id = s.id AND b.status = 'booked'), s.status, coalesce(s.created_by, 0), "   \
	"s.created_at, s.updated_at, s.kind, coalesce(s.reception_day_id, 0)"

static void slot_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct service_slot_row *s = p;
	memset(s, 0, sizeof *s);
	s->id = db_col_int(st, 0);
	s->service = S(1);
	s->region_code = S(2);
	s->region_name = S(3);
	s->place = S(4);
	s->starts_at = db_col_int(st, 5);
	s->ends_at = db_col_int(st, 6);
	s->capacity = db_col_int(st, 7);
	s->booked = db_col_int(st, 8);
	s->cancelled = strcmp(db_col_text(st, 9), "cancelled") == 0;
	s->created_by = db_col_int(st, 10);
	s->created_at = db_col_int(st, 11);
	s->updated_at = db_col_int(st, 12);
	s->kind = S(13);
	s->reception_day_id = db_col_int(st, 14);
}

enum db_result store_service_slots_insert(struct db *db, struct service_slot_row *s)
{
	return sql_insert(
	    db,
	    "INSERT INTO service_slots(service, region_code, place, starts_at, ends_at, "
	    "capacity, status, created_by, created_at, updated_at, kind, reception_day_id) "
	    "VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)",
	    ARGS(ARG_TEXT(s->service), ARG_TEXT(s->region_code), ARG_TEXT(s->place),
	         ARG_INT(s->starts_at), ARG_INT(s->ends_at), ARG_INT(s->capacity),
	         ARG_NONZERO(s->created_by), ARG_INT(s->created_at), ARG_INT(s->updated_at),
	         ARG_TEXT(s->kind ? s->kind : "service"), ARG_NONZERO(s->reception_day_id)),
	    &s->id);
}

enum db_result store_service_slots_get(struct db *db, struct arena *a, int64_t id,
                                       struct service_slot_row *out)
{
	return sql_one(db, a, "SELECT " SLOT_COLS " FROM service_slots s WHERE s.id = ?",
	               ARGS(ARG_INT(id)), slot_read, out);
}

enum db_result store_service_slots_of_day(struct db *db, struct arena *a, int64_t day_id,
                                          struct service_slot_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " SLOT_COLS " FROM service_slots s WHERE s.reception_day_id = ? "
	               "ORDER BY s.starts_at, s.id",
	               ARGS(ARG_INT(day_id)), slot_read, sizeof **rows, -1, (void **)rows, n);
}

enum db_result store_service_slot_of_day(struct db *db, struct arena *a, int64_t day_id, int64_t id,
                                         struct service_slot_row *out)
{
	return sql_one(
	    db, a,
	    "SELECT " SLOT_COLS " FROM service_slots s WHERE s.reception_day_id = ?1 AND "
	    "s.id = coalesce((SELECT new_id FROM reception_moved_ids WHERE what = 'slot' "
	    "AND old_id = ?2), ?2)",
	    ARGS(ARG_INT(day_id), ARG_INT(id)), slot_read, out);
}

enum db_result store_service_slots_cancel_day(struct db *db, int64_t day_id, int64_t now)
{
	return sql_run(db,
	               "UPDATE service_slots SET status = 'cancelled', updated_at = ? WHERE "
	               "reception_day_id = ?",
	               ARGS(ARG_INT(now), ARG_INT(day_id)));
}

enum db_result store_service_slots_walk(struct db *db, struct arena *a, const struct scopes *sc,
                                        const struct service_slot_filter *f,
                                        struct page_after after, int limit,
                                        struct service_slot_row **rows, size_t *n)
{
	return sql_walk(
	    db, a,
	    "SELECT " SLOT_COLS " FROM service_slots s WHERE (s.region_code, s.id) > (?3, ?4) AND "
	    "s.region_code < ?2 AND " SQL_WALK_LO
	    " AND (CAST(?5 AS TEXT) IS NULL OR s.service = ?5) "
	    "AND (CAST(?6 AS BIGINT) = 0 OR s.ends_at > ?6) AND (CAST(?7 AS BIGINT) = 0 OR "
	    "s.starts_at < ?7) AND (CAST(?8 AS TEXT) IS NULL OR s.kind = ?8) "
	    "ORDER BY s.region_code, s.id LIMIT ?9",
	    9, sc, after, limit,
	    ARGS(ARG_OPT_TEXT(f->service), ARG_INT(f->from), ARG_INT(f->to), ARG_OPT_TEXT(f->kind)),
	    slot_read, sizeof **rows, (void **)rows, n);
}

enum db_result store_service_slots_for_grid(struct db *db, struct arena *a, const char *grid,
                                            const struct service_slot_filter *f, int64_t after_id,
                                            int limit, struct service_slot_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT " SLOT_COLS
	    " FROM service_slots s WHERE substr(?1, 1, length(s.region_code)) = "
	    "s.region_code AND s.status = 'open' AND (CAST(?2 AS TEXT) IS NULL OR s.service = ?2) "
	    "AND s.ends_at > ?3 AND (CAST(?4 AS BIGINT) = 0 OR s.starts_at < ?4) AND s.id > ?5 "
	    "AND (CAST(?7 AS TEXT) IS NULL OR s.kind = ?7) ORDER BY s.id LIMIT ?6",
	    ARGS(ARG_TEXT(grid), ARG_OPT_TEXT(f->service), ARG_INT(f->from), ARG_INT(f->to),
	         ARG_INT(after_id), ARG_INT((int64_t)limit), ARG_OPT_TEXT(f->kind)),
	    slot_read, sizeof **rows, limit, (void **)rows, n);
}

/* ---- bookings ---- */

#define BOOKING_COLS BOOKING_COLS_USER("b.user_id")
/* USER: the account column (the reminders read the account linked to a staff-booked
 * resident in its place). */
#define BOOKING_COLS_USER(USER)                                                                    \
	"b.id, b.slot_id, b.region_code, b.person, coalesce(" USER ", 0), "                        \
	"coalesce(b.resident_id, 0), coalesce(b.booked_by, 0), b.status, coalesce(b.attended, "    \
	"-1), b.reminded_at, b.created_at, b.updated_at, s.service, s.place, s.starts_at, "        \
	"s.ends_at, r.name, r.region_code, (SELECT display_name FROM users WHERE id = "            \
	"b.user_id), "                                                                             \
	"b.topic, coalesce(b.reception_day_id, 0), s.kind"

#define BOOKING_FROM                                                                               \
	" FROM service_bookings b JOIN service_slots s ON s.id = b.slot_id LEFT JOIN residents r " \
	"ON r.id = b.resident_id "

static void booking_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct service_booking_row *b = p;
	memset(b, 0, sizeof *b);
	b->id = db_col_int(st, 0);
	b->slot_id = db_col_int(st, 1);
	b->region_code = S(2);
	b->person = S(3);
	b->user_id = db_col_int(st, 4);
	b->resident_id = db_col_int(st, 5);
	b->booked_by = db_col_int(st, 6);
	b->cancelled = strcmp(db_col_text(st, 7), "cancelled") == 0;
	b->attended = (int)db_col_int(st, 8);
	b->reminded_at = db_col_int(st, 9);
	b->created_at = db_col_int(st, 10);
	b->updated_at = db_col_int(st, 11);
	b->service = S(12);
	b->place = S(13);
	b->starts_at = db_col_int(st, 14);
	b->ends_at = db_col_int(st, 15);
	b->resident_name = S(16);
	b->resident_region = S(17);
	b->account_name = S(18);
	b->topic = S(19);
	b->reception_day_id = db_col_int(st, 20);
	b->kind = S(21);
}

enum db_result store_service_bookings_insert(struct db *db, struct service_booking_row *b)
{
	return sql_insert(
	    db,
	    "INSERT INTO service_bookings(slot_id, region_code, person, user_id, resident_id, "
	    "booked_by, status, reminded_at, created_at, updated_at, reception_day_id, topic) "
	    "VALUES (?, ?, ?, ?, ?, ?, 'booked', 0, ?, ?, ?, ?)",
	    ARGS(ARG_INT(b->slot_id), ARG_TEXT(b->region_code), ARG_TEXT(b->person),
	         ARG_NONZERO(b->user_id), ARG_NONZERO(b->resident_id), ARG_NONZERO(b->booked_by),
	         ARG_INT(b->created_at), ARG_INT(b->created_at), ARG_NONZERO(b->reception_day_id),
	         ARG_OPT_TEXT(b->topic)),
	    &b->id);
}

enum db_result store_service_bookings_get(struct db *db, struct arena *a, int64_t id,
                                          struct service_booking_row *out)
{
	return sql_one(db, a, "SELECT " BOOKING_COLS BOOKING_FROM "WHERE b.id = ?",
	               ARGS(ARG_INT(id)), booking_read, out);
}

enum db_result store_reception_booking_get(struct db *db, struct arena *a, int64_t id,
                                           struct service_booking_row *out)
{
	return sql_one(db, a,
	               "SELECT " BOOKING_COLS BOOKING_FROM
	               "WHERE b.id = coalesce((SELECT new_id FROM reception_moved_ids WHERE what = "
	               "'booking' AND old_id = ?1), ?1) AND b.reception_day_id IS NOT NULL",
	               ARGS(ARG_INT(id)), booking_read, out);
}

enum db_result store_service_bookings_of_day(struct db *db, struct arena *a, int64_t day_id,
                                             struct service_booking_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " BOOKING_COLS BOOKING_FROM
	               "WHERE b.reception_day_id = ? AND b.status = 'booked' ORDER BY b.id DESC",
	               ARGS(ARG_INT(day_id)), booking_read, sizeof **rows, -1, (void **)rows, n);
}

enum db_result store_reception_bookings_of_user(struct db *db, struct arena *a, int64_t user_id,
                                                int64_t resident_id,
                                                struct service_booking_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT " BOOKING_COLS BOOKING_FROM
	    "WHERE (b.user_id = ?1 OR (CAST(?2 AS BIGINT) <> 0 AND b.resident_id = ?2)) AND "
	    "b.reception_day_id IS NOT NULL ORDER BY b.id DESC LIMIT 500",
	    ARGS(ARG_INT(user_id), ARG_INT(resident_id)), booking_read, sizeof **rows, 500,
	    (void **)rows, n);
}

enum db_result store_service_bookings_cancel(struct db *db, int64_t id, int64_t now)
{
	return sql_change(db,
	                  "UPDATE service_bookings SET status = 'cancelled', updated_at = ? "
	                  "WHERE id = ? AND status = 'booked'",
	                  ARGS(ARG_INT(now), ARG_INT(id)));
}

enum db_result store_service_bookings_attend(struct db *db, int64_t id, bool attended, int64_t now)
{
	return sql_change(db,
	                  "UPDATE service_bookings SET attended = ?, updated_at = ? WHERE id = ?",
	                  ARGS(ARG_BOOL(attended), ARG_INT(now), ARG_INT(id)));
}

enum db_result store_service_bookings_of_slot(struct db *db, struct arena *a, int64_t slot_id,
                                              struct service_booking_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " BOOKING_COLS BOOKING_FROM
	               "WHERE b.slot_id = ? AND b.status = 'booked' ORDER BY b.id",
	               ARGS(ARG_INT(slot_id)), booking_read, sizeof **rows, -1, (void **)rows, n);
}

enum db_result store_service_bookings_of_user(struct db *db, struct arena *a, int64_t user_id,
                                              int64_t resident_id, int64_t from,
                                              struct service_booking_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT " BOOKING_COLS BOOKING_FROM
	    "WHERE (b.user_id = ?1 OR (CAST(?2 AS BIGINT) <> 0 AND b.resident_id = ?2)) AND "
	    "s.ends_at > ?3 ORDER BY s.starts_at, b.id LIMIT 200",
	    ARGS(ARG_INT(user_id), ARG_INT(resident_id), ARG_INT(from)), booking_read,
	    sizeof **rows, 200, (void **)rows, n);
}

enum db_result store_service_bookings_day(struct db *db, struct arena *a, const struct scopes *sc,
                                          int64_t from, int64_t to,
                                          struct service_booking_row **rows, size_t *n)
{
	*n = 0;
	*rows = NULL;
	for (int i = 0; i < sc->n; i++) {
		struct service_booking_row *part;
		size_t m;
		enum db_result r = sql_all(
		    db, a,
		    "SELECT " BOOKING_COLS BOOKING_FROM
		    "WHERE s.starts_at >= ?3 AND s.starts_at < ?4 AND s.region_code >= ?1 AND "
		    "s.region_code < ?2 AND b.status = 'booked' ORDER BY s.starts_at, b.id LIMIT "
		    "2000",
		    ARGS(ARG_TEXT(sc->prefix[i]), ARG_TEXT(sql_prefix_end(a, sc->prefix[i])),
		         ARG_INT(from), ARG_INT(to)),
		    booking_read, sizeof *part, 2000, (void **)&part, &m);
		if (r != DB_OK)
			return r;
		if (m == 0)
			continue;
		struct service_booking_row *all = arena_alloc(a, (*n + m) * sizeof all[0]);
		if (*n)
			memcpy(all, *rows, *n * sizeof all[0]);
		memcpy(all + *n, part, m * sizeof all[0]);
		*rows = all;
		*n += m;
	}
	return DB_OK;
}

#define REMIND_USER                                                                                \
	"coalesce(b.user_id, (SELECT u.id FROM users u WHERE u.resident_id = b.resident_id))"

enum db_result store_service_reminders_due(struct db *db, struct arena *a, int64_t now,
                                           int64_t ahead, int limit,
                                           struct service_booking_row **rows, size_t *n)
{
	/* The account told: the one that booked, or the one speaking for the resident staff
	 * booked for (users.resident_id is unique). */
	return sql_all(db, a,
	               "SELECT " BOOKING_COLS_USER(REMIND_USER) BOOKING_FROM
	               "WHERE s.starts_at > ?1 AND s.starts_at <= ?2 AND s.status = 'open' AND "
	               "b.status = 'booked' AND b.reminded_at = 0 AND " REMIND_USER " IS NOT NULL "
	               "ORDER BY s.starts_at, b.id LIMIT ?3",
	               ARGS(ARG_INT(now), ARG_INT(now + ahead), ARG_INT((int64_t)limit)),
	               booking_read, sizeof **rows, limit, (void **)rows, n);
}

enum db_result store_service_bookings_reminded(struct db *db, int64_t id, int64_t now)
{
	return sql_run(db, "UPDATE service_bookings SET reminded_at = ? WHERE id = ?",
	               ARGS(ARG_INT(now), ARG_INT(id)));
}
