/* Notifications: the in-app inbox (by user, or by role over a region and unit)
 * and the queue the sender drains. */
#include "store/cases/cases.h"
#include "store/stmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum db_result store_notifications_add(struct db *db, const struct notification_row *n)
{
	return sql_run(
	    db,
	    "INSERT INTO notifications(created_at, case_id, user_id, role, region_code, unit, "
	    "kind, title, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_INT(n->created_at), ARG_NONZERO(n->case_id), ARG_NONZERO(n->user_id),
	         ARG_TEXT(n->role), ARG_TEXT(n->region_code), ARG_TEXT(n->unit), ARG_TEXT(n->kind),
	         ARG_TEXT(n->title), ARG_TEXT(n->body)));
}

#define NOTE_COLS                                                                                  \
	"id, created_at, coalesce(case_id, 0), coalesce(user_id, 0), read_at, sent_at, role, "     \
	"region_code, unit, kind, title, body"

static int note_by_id(const void *x, const void *y)
{
	const struct notification_row *a = x, *b = y;
	return (a->id > b->id) - (a->id < b->id);
}

static void note_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct notification_row *r = row;
	r->id = db_col_int(st, 0);
	r->created_at = db_col_int(st, 1);
	r->case_id = db_col_int(st, 2);
	r->user_id = db_col_int(st, 3);
	r->read_at = db_col_int(st, 4);
	r->sent_at = db_col_int(st, 5);
	r->role = sql_str(st, a, 6);
	r->region_code = sql_str(st, a, 7);
	r->unit = sql_str(st, a, 8);
	r->kind = sql_str(st, a, 9);
	r->title = sql_str(st, a, 10);
	r->body = sql_str(st, a, 11);
}

enum db_result store_notifications_for(struct db *db, struct arena *a, int64_t user_id,
                                       const char *role, const char *region, const char *unit,
                                       int64_t before, int limit, struct notification_row **rows,
                                       size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK;
	int64_t below = before > 0 ? before : INT64_MAX;
	if (role) {
		char upper[24];
		snprintf(upper, sizeof upper, "%s;", region ? region : "");
		return sql_all(
		    db, a,
		    "SELECT " NOTE_COLS " FROM notifications WHERE role = ?1 AND "
		    "region_code >= ?2 AND region_code < ?3 AND "
		    "(unit IS NULL OR CAST(?4 AS TEXT) IS NULL OR unit = ?4) AND id < ?5 "
		    "ORDER BY id DESC LIMIT ?6",
		    ARGS(ARG_TEXT(role), ARG_TEXT(region ? region : ""), ARG_TEXT(upper),
		         ARG_TEXT(unit), ARG_INT(below), ARG_INT(limit)),
		    note_read, sizeof **rows, limit, (void **)rows, n);
	}
	return sql_all(db, a,
	               "SELECT " NOTE_COLS " FROM notifications WHERE user_id = ? AND "
	               "id < ? ORDER BY id DESC LIMIT ?",
	               ARGS(ARG_INT(user_id), ARG_INT(below), ARG_INT(limit)), note_read,
	               sizeof **rows, limit, (void **)rows, n);
}

enum db_result store_notifications_get(struct db *db, struct arena *a, int64_t id,
                                       struct notification_row *out)
{
	return sql_one(db, a, "SELECT " NOTE_COLS " FROM notifications WHERE id = ?",
	               ARGS(ARG_INT(id)), note_read, out);
}

enum db_result store_notifications_mark_read(struct db *db, int64_t id, int64_t now)
{
	return sql_run(db, "UPDATE notifications SET read_at = ? WHERE id = ? AND read_at = 0",
	               ARGS(ARG_INT(now), ARG_INT(id)));
}

enum db_result store_notifications_claim(struct db *db, struct arena *a, const char *claimer,
                                         int64_t now, int64_t until, int limit,
                                         struct notification_row **rows, size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK;
	/* In the caller's write transaction, the database's one writer on every backend (the
	 * advisory lock on PostgreSQL), so two senders never claim one row; rows whose claim ran
	 * out (a sender that died mid-send) are free again. */
	enum db_result r =
	    sql_all(db, a,
	            "UPDATE notifications SET claimed_by = ?1, claimed_until = ?2 WHERE id IN ("
	            "SELECT id FROM notifications WHERE sent_at = 0 AND attempts < 5 AND "
	            "claimed_until <= ?3 ORDER BY id LIMIT ?4) RETURNING " NOTE_COLS,
	            ARGS(ARG_TEXT(claimer), ARG_INT(until), ARG_INT(now), ARG_INT(limit)),
	            note_read, sizeof **rows, limit, (void **)rows, n);
	if (r == DB_OK && *n > 1)
		qsort(*rows, *n, sizeof **rows, note_by_id); /* RETURNING keeps no order */
	return r;
}

enum db_result store_notifications_mark_sent(struct db *db, int64_t id, const char *claimer,
                                             int64_t now, bool ok)
{
	return sql_run(db,
	               "UPDATE notifications SET sent_at = ?1, attempts = attempts + 1, "
	               "claimed_until = 0 WHERE id = ?2 AND claimed_by = ?3",
	               ARGS(ARG_INT(ok ? now : 0), ARG_INT(id), ARG_TEXT(claimer)));
}
