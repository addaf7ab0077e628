/* Topics (议题), their timeline, supports (附议), comments and meetings (议事会). */
#include "store/deliberation/deliberation.h"

#include <stdlib.h>
#include <string.h>

#include "store/stmt.h"

#define S(col) sql_str(st, a, col)

#define TOPIC_COLS                                                                                 \
	"t.id, coalesce(t.proposer_id, 0), t.supports, t.target_money, t.target_labour, "          \
	"t.public_until, t.stage_since, t.created_at, t.updated_at, t.region_code, (SELECT name "  \
	"FROM regions WHERE code = t.region_code), t.procedure, t.stage, t.title, t.body, "        \
	"(SELECT "                                                                                 \
	"display_name FROM users WHERE id = t.proposer_id)"

static void topic_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct topic_row *t = p;
	t->id = db_col_int(st, 0);
	t->proposer_id = db_col_int(st, 1);
	t->supports = db_col_int(st, 2);
	t->target_money = db_col_int(st, 3);
	t->target_labour = db_col_int(st, 4);
	t->public_until = db_col_int(st, 5);
	t->stage_since = db_col_int(st, 6);
	t->created_at = db_col_int(st, 7);
	t->updated_at = db_col_int(st, 8);
	t->region_code = S(9);
	t->region_name = S(10);
	t->procedure = S(11);
	t->stage = S(12);
	t->title = S(13);
	t->body = S(14);
	t->proposer_name = S(15);
}

enum db_result store_topics_insert(struct db *db, struct topic_row *t)
{
	return sql_insert(db,
	                  "INSERT INTO topics(region_code, procedure, stage, title, body, "
	                  "proposer_id, supports, target_money, target_labour, public_until, "
	                  "stage_since, created_at, updated_at) "
	                  "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, 0, ?, ?, ?)",
	                  ARGS(ARG_TEXT(t->region_code), ARG_TEXT(t->procedure), ARG_TEXT(t->stage),
	                       ARG_TEXT(t->title), ARG_TEXT(t->body), ARG_ID(t->proposer_id),
	                       ARG_INT(t->target_money), ARG_INT(t->target_labour),
	                       ARG_INT(t->created_at), ARG_INT(t->created_at),
	                       ARG_INT(t->created_at)),
	                  &t->id);
}

enum db_result store_topics_get(struct db *db, struct arena *a, int64_t id, struct topic_row *out)
{
	return sql_one(db, a, "SELECT " TOPIC_COLS " FROM topics t WHERE t.id = ?",
	               ARGS(ARG_INT(id)), topic_read, out);
}

static int by_support(const void *x, const void *y)
{
	const struct topic_row *a = x, *b = y;
	if (a->supports != b->supports)
		return a->supports > b->supports ? -1 : 1;
	return a->id > b->id ? -1 : a->id < b->id;
}

static int by_newest(const void *x, const void *y)
{
	const struct topic_row *a = x, *b = y;
	return a->id > b->id ? -1 : a->id < b->id;
}

enum db_result store_topics_list(struct db *db, struct arena *a, const struct scopes *sc,
                                 const char *region, const char *stage, bool newest, int64_t offset,
                                 int limit, struct topic_row **rows, size_t *n)
{
	struct topic_row *all = NULL;
	size_t total = 0;
	int64_t want = offset + limit;
	for (int i = 0; i < sc->n; i++) {
		const char *lo = sc->prefix[i];
		if (region && strncmp(region, lo, strlen(lo)) == 0)
			lo = region; /* narrowed to a region inside the scope */
		else if (region && strncmp(lo, region, strlen(region)) != 0)
			continue;
		struct topic_row *part;
		size_t m;
		enum db_result r = sql_all(
		    db, a,
		    "SELECT " TOPIC_COLS " FROM topics t WHERE t.region_code >= ?1 AND "
		    "t.region_code < ?2 AND (CAST(?3 AS TEXT) IS NULL OR t.stage = ?3) ORDER BY "
		    "CASE WHEN ?4 = 1 THEN 0 ELSE t.supports END DESC, t.id DESC LIMIT ?5",
		    ARGS(ARG_TEXT(lo), ARG_TEXT(sql_prefix_end(a, lo)), ARG_OPT_TEXT(stage),
		         ARG_BOOL(newest), ARG_INT(want)),
		    topic_read, sizeof *part, (int)want, (void **)&part, &m);
		if (r != DB_OK)
			return r;
		if (!m)
			continue;
		struct topic_row *grown = arena_alloc(a, (total + m) * sizeof *grown);
		if (!grown)
			return DB_ERROR;
		if (total)
			memcpy(grown, all, total * sizeof *grown);
		memcpy(grown + total, part, m * sizeof *grown);
		all = grown;
		total += m;
	}
	if (total > 1)
		qsort(all, total, sizeof *all, newest ? by_newest : by_support);
	*rows = (size_t)offset < total ? all + offset : NULL;
	*n = (size_t)offset < total ? total - (size_t)offset : 0;
	if (*n > (size_t)limit)
		*n = (size_t)limit;
	return DB_OK;
}

enum db_result store_topics_set_stage(struct db *db, int64_t id, const char *stage,
                                      int64_t public_until, int64_t now)
{
	return sql_change(db,
	                  "UPDATE topics SET stage = ?, public_until = CASE WHEN ?2 > 0 THEN ?2 "
	                  "ELSE public_until END, stage_since = ?3, updated_at = ?3 WHERE id = ?4",
	                  ARGS(ARG_TEXT(stage), ARG_INT(public_until), ARG_INT(now), ARG_INT(id)));
}

enum db_result store_topics_set_targets(struct db *db, int64_t id, int64_t money, int64_t labour)
{
	return sql_change(db, "UPDATE topics SET target_money = ?, target_labour = ? WHERE id = ?",
	                  ARGS(ARG_INT(money), ARG_INT(labour), ARG_INT(id)));
}

/* ---- timeline ---- */

static void event_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct topic_event_row *e = p;
	e->id = db_col_int(st, 0);
	e->topic_id = db_col_int(st, 1);
	e->at = db_col_int(st, 2);
	e->user_id = db_col_int(st, 3);
	e->meeting_id = db_col_int(st, 4);
	e->from_stage = S(5);
	e->to_stage = S(6);
	e->comment = S(7);
	e->user_name = S(8);
}

enum db_result store_topic_events_add(struct db *db, const struct topic_event_row *e)
{
	return sql_run(db,
	               "INSERT INTO topic_events(topic_id, at, user_id, from_stage, to_stage, "
	               "comment, meeting_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
	               ARGS(ARG_INT(e->topic_id), ARG_INT(e->at), ARG_ID(e->user_id),
	                    ARG_TEXT(e->from_stage), ARG_TEXT(e->to_stage),
	                    ARG_OPT_TEXT(e->comment), ARG_ID(e->meeting_id)));
}

enum db_result store_topic_events_list(struct db *db, struct arena *a, int64_t topic_id,
                                       struct topic_event_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT e.id, e.topic_id, e.at, coalesce(e.user_id, 0), "
	               "coalesce(e.meeting_id, 0), e.from_stage, e.to_stage, e.comment, (SELECT "
	               "display_name FROM users WHERE id = e.user_id) FROM topic_events e WHERE "
	               "e.topic_id = ? ORDER BY e.id",
	               ARGS(ARG_INT(topic_id)), event_read, sizeof **rows, 500, (void **)rows, n);
}

/* ---- supports ---- */

enum db_result store_topic_supports_add(struct db *db, int64_t topic_id, int64_t user_id,
                                        int64_t now)
{
	enum db_result r = sql_run(
	    db, "INSERT INTO topic_supports(topic_id, user_id, created_at) VALUES (?, ?, ?)",
	    ARGS(ARG_INT(topic_id), ARG_INT(user_id), ARG_INT(now)));
	if (r != DB_OK)
		return r;
	return sql_run(db, "UPDATE topics SET supports = supports + 1 WHERE id = ?",
	               ARGS(ARG_INT(topic_id)));
}

enum db_result store_topic_supported(struct db *db, int64_t topic_id, int64_t user_id, bool *out)
{
	return sql_exists(db, "SELECT 1 FROM topic_supports WHERE topic_id = ? AND user_id = ?",
	                  ARGS(ARG_INT(topic_id), ARG_INT(user_id)), out);
}

/* ---- comments ---- */

#define COMMENT_COLS                                                                               \
	"c.id, c.topic_id, coalesce(c.user_id, 0), coalesce(c.hidden_by, 0), c.created_at, "       \
	"c.hidden, c.region_code, c.body, c.hidden_reason, (SELECT display_name FROM users WHERE " \
	"id = c.user_id)"

static void comment_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct topic_comment_row *c = p;
	c->id = db_col_int(st, 0);
	c->topic_id = db_col_int(st, 1);
	c->user_id = db_col_int(st, 2);
	c->hidden_by = db_col_int(st, 3);
	c->created_at = db_col_int(st, 4);
	c->hidden = db_col_int(st, 5) != 0;
	c->region_code = S(6);
	c->body = S(7);
	c->hidden_reason = S(8);
	c->user_name = S(9);
}

enum db_result store_topic_comments_insert(struct db *db, struct topic_comment_row *c)
{
	return sql_insert(
	    db,
	    "INSERT INTO topic_comments(topic_id, region_code, user_id, body, hidden, "
	    "created_at) VALUES (?, ?, ?, ?, 0, ?)",
	    ARGS(ARG_INT(c->topic_id), ARG_TEXT(c->region_code), ARG_ID(c->user_id),
	         ARG_TEXT(c->body), ARG_INT(c->created_at)),
	    &c->id);
}

enum db_result store_topic_comments_get(struct db *db, struct arena *a, int64_t id,
                                        struct topic_comment_row *out)
{
	return sql_one(db, a, "SELECT " COMMENT_COLS " FROM topic_comments c WHERE c.id = ?",
	               ARGS(ARG_INT(id)), comment_read, out);
}

enum db_result store_topic_comments_hide(struct db *db, int64_t id, const char *reason, int64_t by)
{
	return sql_change(db,
	                  "UPDATE topic_comments SET hidden = 1, hidden_reason = ?, hidden_by = ? "
	                  "WHERE id = ?",
	                  ARGS(ARG_TEXT(reason), ARG_ID(by), ARG_INT(id)));
}

enum db_result store_topic_comments_list(struct db *db, struct arena *a, int64_t topic_id,
                                         struct topic_comment_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " COMMENT_COLS
	               " FROM topic_comments c WHERE c.topic_id = ? ORDER BY c.id LIMIT 500",
	               ARGS(ARG_INT(topic_id)), comment_read, sizeof **rows, 500, (void **)rows, n);
}

/* ---- meetings ---- */

#define MEETING_COLS                                                                               \
	"m.id, m.topic_id, m.held_at, coalesce(m.created_by, 0), m.created_at, m.updated_at, "     \
	"(SELECT count(*) FROM topic_attendance x WHERE x.meeting_id = m.id), m.region_code, "     \
	"m.stage, m.venue, m.place, m.minutes, m.photos"

static void meeting_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct topic_meeting_row *m = p;
	m->id = db_col_int(st, 0);
	m->topic_id = db_col_int(st, 1);
	m->held_at = db_col_int(st, 2);
	m->created_by = db_col_int(st, 3);
	m->created_at = db_col_int(st, 4);
	m->updated_at = db_col_int(st, 5);
	m->attendance = db_col_int(st, 6);
	m->region_code = S(7);
	m->stage = S(8);
	m->venue = S(9);
	m->place = S(10);
	m->minutes = S(11);
	m->photos = S(12);
}

enum db_result store_topic_meetings_insert(struct db *db, struct topic_meeting_row *m)
{
	return sql_insert(
	    db,
	    "INSERT INTO topic_meetings(topic_id, region_code, stage, venue, held_at, "
	    "place, minutes, photos, created_by, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_INT(m->topic_id), ARG_TEXT(m->region_code), ARG_TEXT(m->stage),
	         ARG_TEXT(m->venue), ARG_INT(m->held_at), ARG_OPT_TEXT(m->place),
	         ARG_OPT_TEXT(m->minutes), ARG_OPT_TEXT(m->photos), ARG_ID(m->created_by),
	         ARG_INT(m->created_at), ARG_INT(m->created_at)),
	    &m->id);
}

enum db_result store_topic_meetings_get(struct db *db, struct arena *a, int64_t id,
                                        struct topic_meeting_row *out)
{
	return sql_one(db, a, "SELECT " MEETING_COLS " FROM topic_meetings m WHERE m.id = ?",
	               ARGS(ARG_INT(id)), meeting_read, out);
}

enum db_result store_topic_meetings_update(struct db *db, const struct topic_meeting_row *m)
{
	return sql_change(db,
	                  "UPDATE topic_meetings SET minutes = ?, photos = ?, place = ?, "
	                  "updated_at = ? WHERE id = ?",
	                  ARGS(ARG_OPT_TEXT(m->minutes), ARG_OPT_TEXT(m->photos),
	                       ARG_OPT_TEXT(m->place), ARG_INT(m->updated_at), ARG_INT(m->id)));
}

enum db_result store_topic_meetings_list(struct db *db, struct arena *a, int64_t topic_id,
                                         struct topic_meeting_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " MEETING_COLS
	               " FROM topic_meetings m WHERE m.topic_id = ? ORDER BY m.id LIMIT 200",
	               ARGS(ARG_INT(topic_id)), meeting_read, sizeof **rows, 200, (void **)rows, n);
}

enum db_result store_topic_meeting_minuted(struct db *db, int64_t topic_id, const char *stage,
                                           int64_t meeting_id, bool *out)
{
	return sql_exists(db,
	                  "SELECT 1 FROM topic_meetings WHERE topic_id = ?1 AND stage = ?2 AND "
	                  "minutes IS NOT NULL AND minutes <> '' AND (?3 = 0 OR id = ?3)",
	                  ARGS(ARG_INT(topic_id), ARG_TEXT(stage), ARG_INT(meeting_id)), out);
}

enum db_result store_topic_attendance_add(struct db *db, int64_t meeting_id, const char *person,
                                          int64_t user_id, int64_t resident_id, int64_t now)
{
	return sql_run(db,
	               "INSERT INTO topic_attendance(meeting_id, person, user_id, resident_id, "
	               "signed_at) VALUES (?, ?, ?, ?, ?)",
	               ARGS(ARG_INT(meeting_id), ARG_TEXT(person), ARG_ID(user_id),
	                    ARG_ID(resident_id), ARG_INT(now)));
}
