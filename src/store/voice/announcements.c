/* Announcements (社区资讯) and who read them. */
#include "store/voice/voice.h"

#include <string.h>

#include "store/dialect.h"
#include "store/stmt.h"

#define S(col) sql_str(st, a, col)

/* ?1 in the read-at column is the reader (0: nobody). */
#define ANN_COLS(reader)                                                                           \
	"s.id, s.region_code, (SELECT name FROM regions WHERE code = s.region_code), s.title, "    \
	"s.body, s.publish_at, coalesce(s.created_by, 0), s.created_at, s.updated_at, (SELECT "    \
	"count(*) FROM announcement_reads r WHERE r.announcement_id = s.id), " reader

static void ann_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct announcement_row *n = p;
	memset(n, 0, sizeof *n);
	n->id = db_col_int(st, 0);
	n->region_code = S(1);
	n->region_name = S(2);
	n->title = S(3);
	n->body = S(4);
	n->publish_at = db_col_int(st, 5);
	n->created_by = db_col_int(st, 6);
	n->created_at = db_col_int(st, 7);
	n->updated_at = db_col_int(st, 8);
	n->reads = db_col_int(st, 9);
	n->read_at = db_col_int(st, 10);
}

enum db_result store_announcements_insert(struct db *db, struct announcement_row *n)
{
	return sql_insert(db,
	                  "INSERT INTO announcements(region_code, title, body, publish_at, "
	                  "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	                  ARGS(ARG_TEXT(n->region_code), ARG_TEXT(n->title), ARG_TEXT(n->body),
	                       ARG_INT(n->publish_at), ARG_NONZERO(n->created_by),
	                       ARG_INT(n->created_at), ARG_INT(n->updated_at)),
	                  &n->id);
}

enum db_result store_announcements_get(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                                       struct announcement_row *out)
{
	return sql_one(
	    db, a,
	    "SELECT " ANN_COLS(
	        "coalesce((SELECT r.read_at FROM announcement_reads r "
	        "WHERE r.announcement_id = s.id AND r.user_id = ?1), 0)") " FROM announcements s "
	                                                                  "WHERE s.id = ?2",
	    ARGS(ARG_INT(user_id), ARG_INT(id)), ann_read, out);
}

enum db_result store_announcements_walk(struct db *db, struct arena *a, const struct scopes *sc,
                                        struct page_after after, int limit,
                                        struct announcement_row **rows, size_t *n)
{
	return sql_walk(db, a,
	                "SELECT " ANN_COLS("0") " FROM announcements s WHERE (s.region_code, s.id) "
	                                        "> (?3, ?4) AND s.region_code < ?2 AND " SQL_WALK_LO
	                                        " ORDER BY s.region_code, s.id LIMIT ?5",
	                5, sc, after, limit, NULL, 0, ann_read, sizeof **rows, (void **)rows, n);
}

enum db_result store_announcements_for_grid(struct db *db, struct arena *a, const char *grid,
                                            int64_t now, int64_t user_id, int64_t before_id,
                                            int limit, struct announcement_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT " ANN_COLS(
	        "coalesce((SELECT r.read_at FROM announcement_reads r "
	        "WHERE r.announcement_id = s.id AND r.user_id = ?1), 0)") " FROM announcements s "
	                                                                  "WHERE substr(?2, 1, "
	                                                                  "length(s.region_code)) "
	                                                                  "= "
	                                                                  "s.region_code AND "
	                                                                  "s.publish_at <= ?3 AND "
	                                                                  "(CAST(?4 AS BIGINT) = 0 "
	                                                                  "OR "
	                                                                  "s.id < ?4) ORDER BY "
	                                                                  "s.id DESC LIMIT ?5",
	    ARGS(ARG_INT(user_id), ARG_TEXT(grid), ARG_INT(now), ARG_INT(before_id),
	         ARG_INT((int64_t)limit)),
	    ann_read, sizeof **rows, limit, (void **)rows, n);
}

enum db_result store_announcements_read(struct db *db, int64_t id, int64_t user_id, int64_t now)
{
	return sql_run(db,
	               SQL_INSERT_IGNORE " announcement_reads(announcement_id, user_id, read_at) "
	                                 "VALUES (?, ?, ?)" SQL_IGNORE_END,
	               ARGS(ARG_INT(id), ARG_INT(user_id), ARG_INT(now)));
}
