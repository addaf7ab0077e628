/* The service catalogue (便民服务事项) and online service requests (在线办理) with their
 * timeline. */
#include "store/services/services.h"

#include <string.h>

#include "store/dialect.h"
#include "store/stmt.h"

#define S(col) sql_str(st, a, col)

/* ---- items ---- */

#define ITEM_COLS                                                                                  \
	"i.id, i.region_code, (SELECT name FROM regions WHERE code = i.region_code), i.level, "    \
	"i.name, i.description, i.materials, i.time_limit_days, i.active, "                        \
	"coalesce(i.created_by, 0), i.created_at, i.updated_at"

static void item_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct service_item_row *it = p;
	memset(it, 0, sizeof *it);
	it->id = db_col_int(st, 0);
	it->region_code = S(1);
	it->region_name = S(2);
	it->level = S(3);
	it->name = S(4);
	it->description = S(5);
	it->materials = S(6);
	it->time_limit_days = db_col_int(st, 7);
	it->active = db_col_int(st, 8) != 0;
	it->created_by = db_col_int(st, 9);
	it->created_at = db_col_int(st, 10);
	it->updated_at = db_col_int(st, 11);
}

enum db_result store_service_items_insert(struct db *db, struct service_item_row *it)
{
	return sql_insert(
	    db,
	    "INSERT INTO service_items(region_code, level, name, description, materials, "
	    "time_limit_days, active, created_by, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_TEXT(it->region_code), ARG_TEXT(it->level), ARG_TEXT(it->name),
	         ARG_OPT_TEXT(it->description), ARG_TEXT(it->materials ? it->materials : "[]"),
	         ARG_INT(it->time_limit_days), ARG_BOOL(it->active), ARG_NONZERO(it->created_by),
	         ARG_INT(it->created_at), ARG_INT(it->updated_at)),
	    &it->id);
}

enum db_result store_service_items_get(struct db *db, struct arena *a, int64_t id,
                                       struct service_item_row *out)
{
	return sql_one(db, a, "SELECT " ITEM_COLS " FROM service_items i WHERE i.id = ?",
	               ARGS(ARG_INT(id)), item_read, out);
}

enum db_result store_service_items_update(struct db *db, const struct service_item_row *it)
{
	return sql_run(db,
	               "UPDATE service_items SET name = ?, description = ?, materials = ?, "
	               "time_limit_days = ?, active = ?, updated_at = ? WHERE id = ?",
	               ARGS(ARG_TEXT(it->name), ARG_OPT_TEXT(it->description),
	                    ARG_TEXT(it->materials), ARG_INT(it->time_limit_days),
	                    ARG_BOOL(it->active), ARG_INT(it->updated_at), ARG_INT(it->id)));
}

enum db_result store_service_items_walk(struct db *db, struct arena *a, const struct scopes *sc,
                                        bool all, struct page_after after, int limit,
                                        struct service_item_row **rows, size_t *n)
{
	return sql_walk(db, a,
	                "SELECT " ITEM_COLS " FROM service_items i WHERE (i.region_code, i.id) > "
	                "(?3, ?4) AND i.region_code < ?2 AND " SQL_WALK_LO
	                " AND (?5 = 1 OR i.active = 1) ORDER BY i.region_code, i.id LIMIT ?6",
	                6, sc, after, limit, ARGS(ARG_BOOL(all)), item_read, sizeof **rows,
	                (void **)rows, n);
}

enum db_result store_service_items_for_grid(struct db *db, struct arena *a, const char *grid,
                                            int64_t after_id, int limit,
                                            struct service_item_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " ITEM_COLS " FROM service_items i WHERE i.region_code IN "
	               "(substr(?1, 1, 12), substr(?1, 1, 9)) AND i.active = 1 AND i.id > ?2 "
	               "ORDER BY i.id LIMIT ?3",
	               ARGS(ARG_TEXT(grid), ARG_INT(after_id), ARG_INT((int64_t)limit)), item_read,
	               sizeof **rows, limit, (void **)rows, n);
}

/* ---- requests ---- */

#define REQUEST_COLS                                                                               \
	"q.id, q.item_id, q.user_id, coalesce(q.resident_id, 0), q.started_at, q.due_at, "         \
	"coalesce(q.closed_at, 0), coalesce(q.rating, 0), q.created_at, q.updated_at, "            \
	"q.item_region, q.region_code, q.note, q.photos, q.status, q.rating_comment, i.name, "     \
	"i.level, (SELECT name FROM regions WHERE code = q.region_code), (SELECT display_name "    \
	"FROM users WHERE id = q.user_id), i.time_limit_days, (SELECT name FROM residents WHERE "  \
	"id = q.resident_id), (SELECT region_code FROM residents WHERE id = q.resident_id)"

#define REQUEST_FROM " FROM service_requests q JOIN service_items i ON i.id = q.item_id "

static void request_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct service_request_row *q = p;
	memset(q, 0, sizeof *q);
	q->id = db_col_int(st, 0);
	q->item_id = db_col_int(st, 1);
	q->user_id = db_col_int(st, 2);
	q->resident_id = db_col_int(st, 3);
	q->started_at = db_col_int(st, 4);
	q->due_at = db_col_int(st, 5);
	q->closed_at = db_col_int(st, 6);
	q->rating = db_col_int(st, 7);
	q->created_at = db_col_int(st, 8);
	q->updated_at = db_col_int(st, 9);
	q->item_region = S(10);
	q->region_code = S(11);
	q->note = S(12);
	q->photos = S(13);
	q->status = S(14);
	q->rating_comment = S(15);
	q->item_name = S(16);
	q->item_level = S(17);
	q->region_name = S(18);
	q->applicant_name = S(19);
	q->time_limit_days = db_col_int(st, 20);
	q->resident_name = S(21);
	q->resident_region = S(22);
}

enum db_result store_service_requests_insert(struct db *db, struct service_request_row *q)
{
	return sql_insert(
	    db,
	    "INSERT INTO service_requests(item_id, item_region, region_code, user_id, resident_id, "
	    "note, photos, status, started_at, due_at, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_INT(q->item_id), ARG_TEXT(q->item_region), ARG_TEXT(q->region_code),
	         ARG_INT(q->user_id), ARG_NONZERO(q->resident_id), ARG_OPT_TEXT(q->note),
	         ARG_OPT_TEXT(q->photos), ARG_TEXT(q->status), ARG_INT(q->started_at),
	         ARG_INT(q->due_at), ARG_INT(q->created_at), ARG_INT(q->updated_at)),
	    &q->id);
}

enum db_result store_service_requests_get(struct db *db, struct arena *a, int64_t id,
                                          struct service_request_row *out)
{
	return sql_one(db, a, "SELECT " REQUEST_COLS REQUEST_FROM "WHERE q.id = ?",
	               ARGS(ARG_INT(id)), request_read, out);
}

enum db_result store_service_requests_move(struct db *db, const struct service_request_row *q,
                                           const char *from)
{
	return sql_change(db,
	                  "UPDATE service_requests SET status = ?, started_at = ?, due_at = ?, "
	                  "closed_at = ?, rating = ?, rating_comment = ?, updated_at = ? "
	                  "WHERE id = ? AND status = ?",
	                  ARGS(ARG_TEXT(q->status), ARG_INT(q->started_at), ARG_INT(q->due_at),
	                       ARG_NONZERO(q->closed_at), ARG_NONZERO(q->rating),
	                       ARG_OPT_TEXT(q->rating_comment), ARG_INT(q->updated_at),
	                       ARG_INT(q->id), ARG_TEXT(from)));
}

enum db_result store_service_requests_walk(struct db *db, struct arena *a, const struct scopes *sc,
                                           const struct service_request_filter *f,
                                           struct page_after after, int limit,
                                           struct service_request_row **rows, size_t *n)
{
	return sql_walk(
	    db, a,
	    "SELECT " REQUEST_COLS REQUEST_FROM
	    "WHERE (q.region_code, q.id) > (?3, ?4) AND q.region_code < ?2 AND " SQL_WALK_LO
	    " AND (CAST(?5 AS TEXT) IS NULL OR q.status = ?5) AND (CAST(?6 AS BIGINT) = 0 OR "
	    "q.item_id = ?6) AND (CAST(?7 AS BIGINT) = 0 OR (q.status IN ('submitted', "
	    "'accepted') AND q.due_at < ?7)) ORDER BY q.region_code, q.id LIMIT ?8",
	    8, sc, after, limit,
	    ARGS(ARG_OPT_TEXT(f->status), ARG_INT(f->item_id), ARG_INT(f->overdue_at)),
	    request_read, sizeof **rows, (void **)rows, n);
}

enum db_result store_service_requests_of_user(struct db *db, struct arena *a, int64_t user_id,
                                              int64_t before, int limit,
                                              struct service_request_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " REQUEST_COLS REQUEST_FROM
	               "WHERE q.user_id = ?1 AND (?2 = 0 OR q.id < ?2) ORDER BY q.id DESC LIMIT ?3",
	               ARGS(ARG_INT(user_id), ARG_INT(before), ARG_INT((int64_t)limit)),
	               request_read, sizeof **rows, limit, (void **)rows, n);
}

/* ---- the timeline ---- */

static void event_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct service_request_event_row *e = p;
	memset(e, 0, sizeof *e);
	e->id = db_col_int(st, 0);
	e->request_id = db_col_int(st, 1);
	e->at = db_col_int(st, 2);
	e->user_id = db_col_int(st, 3);
	e->role = S(4);
	e->action = S(5);
	e->from_status = S(6);
	e->to_status = S(7);
	e->comment = S(8);
	e->photos = S(9);
	e->user_name = S(10);
}

enum db_result store_service_request_events_add(struct db *db, struct service_request_event_row *e)
{
	enum db_result r = sql_insert(
	    db,
	    "INSERT INTO service_request_events(request_id, at, user_id, role, action, "
	    "from_status, to_status, comment, photos) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_INT(e->request_id), ARG_INT(e->at), ARG_NONZERO(e->user_id),
	         ARG_OPT_TEXT(e->role), ARG_TEXT(e->action), ARG_OPT_TEXT(e->from_status),
	         ARG_TEXT(e->to_status), ARG_OPT_TEXT(e->comment), ARG_OPT_TEXT(e->photos)),
	    &e->id);
	for (size_t i = 0; r == DB_OK && i < e->nhashes; i++)
		r = sql_run(db,
		            SQL_INSERT_IGNORE " service_request_photos(hash, request_id) "
		                              "VALUES (?, ?)" SQL_IGNORE_END,
		            ARGS(ARG_TEXT(e->hashes[i]), ARG_INT(e->request_id)));
	return r;
}

enum db_result store_service_request_events_list(struct db *db, struct arena *a, int64_t request_id,
                                                 struct service_request_event_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT e.id, e.request_id, e.at, coalesce(e.user_id, 0), e.role, e.action, "
	               "e.from_status, e.to_status, e.comment, e.photos, (SELECT display_name FROM "
	               "users WHERE id = e.user_id) FROM service_request_events e WHERE "
	               "e.request_id = ? ORDER BY e.id LIMIT 500",
	               ARGS(ARG_INT(request_id)), event_read, sizeof **rows, 500, (void **)rows, n);
}
