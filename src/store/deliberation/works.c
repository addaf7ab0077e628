/* 民筹 (the ledger of pledges and spending), 民办 (tasks), 民评 (ratings), objections during a
 * 公示 period, the disclosure list and the account's household. */
#include "store/deliberation/deliberation.h"

#include <string.h>

#include "store/stmt.h"

#define S(col) sql_str(st, a, col)

static void ledger_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct ledger_row *l = p;
	l->id = db_col_int(st, 0);
	l->topic_id = db_col_int(st, 1);
	l->amount = db_col_int(st, 2);
	l->user_id = db_col_int(st, 3);
	l->household_id = db_col_int(st, 4);
	l->created_at = db_col_int(st, 5);
	l->region_code = S(6);
	l->kind = S(7);
	l->resource = S(8);
	l->note = S(9);
}

enum db_result store_ledger_insert(struct db *db, struct ledger_row *l)
{
	return sql_insert(db,
	                  "INSERT INTO topic_ledger(topic_id, region_code, kind, resource, amount, "
	                  "note, user_id, household_id, created_at) "
	                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                  ARGS(ARG_INT(l->topic_id), ARG_TEXT(l->region_code), ARG_TEXT(l->kind),
	                       ARG_TEXT(l->resource), ARG_INT(l->amount), ARG_OPT_TEXT(l->note),
	                       ARG_ID(l->user_id), ARG_ID(l->household_id), ARG_INT(l->created_at)),
	                  &l->id);
}

enum db_result store_ledger_list(struct db *db, struct arena *a, int64_t topic_id,
                                 struct ledger_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT id, topic_id, amount, coalesce(user_id, 0), coalesce(household_id, "
	               "0), created_at, region_code, kind, resource, note FROM topic_ledger WHERE "
	               "topic_id = ? ORDER BY id LIMIT 1000",
	               ARGS(ARG_INT(topic_id)), ledger_read, sizeof **rows, 1000, (void **)rows, n);
}

static void totals_read(struct db_stmt *st, struct arena *a, void *p)
{
	(void)a;
	struct ledger_totals *t = p;
	t->pledged_money = db_col_int(st, 0);
	t->pledged_labour = db_col_int(st, 1);
	t->spent_money = db_col_int(st, 2);
	t->pledges = db_col_int(st, 3);
}

enum db_result store_ledger_totals(struct db *db, int64_t topic_id, struct ledger_totals *out)
{
	struct arena a;
	arena_init(&a);
	memset(out, 0, sizeof *out);
	enum db_result r = sql_one(
	    db, &a,
	    "SELECT coalesce(sum(CASE WHEN kind = 'pledge' AND resource = 'money' THEN amount "
	    "END), "
	    "0), coalesce(sum(CASE WHEN kind = 'pledge' AND resource = 'labour' THEN amount END), "
	    "0), coalesce(sum(CASE WHEN kind = 'spend' THEN amount END), 0), "
	    "coalesce(sum(CASE WHEN kind = 'pledge' THEN 1 END), 0) FROM topic_ledger WHERE "
	    "topic_id = ?",
	    ARGS(ARG_INT(topic_id)), totals_read, out);
	arena_free(&a);
	return r == DB_ROW ? DB_OK : r;
}

/* ---- tasks ---- */

static void task_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct topic_task_row *t = p;
	t->id = db_col_int(st, 0);
	t->topic_id = db_col_int(st, 1);
	t->done_at = db_col_int(st, 2);
	t->created_by = db_col_int(st, 3);
	t->created_at = db_col_int(st, 4);
	t->region_code = S(5);
	t->title = S(6);
	t->owner = S(7);
	t->deadline = S(8);
}

#define TASK_COLS                                                                                  \
	"id, topic_id, coalesce(done_at, 0), coalesce(created_by, 0), created_at, region_code, "   \
	"title, owner, deadline"

enum db_result store_topic_tasks_insert(struct db *db, struct topic_task_row *t)
{
	return sql_insert(db,
	                  "INSERT INTO topic_tasks(topic_id, region_code, title, owner, deadline, "
	                  "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	                  ARGS(ARG_INT(t->topic_id), ARG_TEXT(t->region_code), ARG_TEXT(t->title),
	                       ARG_TEXT(t->owner), ARG_TEXT(t->deadline), ARG_ID(t->created_by),
	                       ARG_INT(t->created_at)),
	                  &t->id);
}

enum db_result store_topic_tasks_get(struct db *db, struct arena *a, int64_t id,
                                     struct topic_task_row *out)
{
	return sql_one(db, a, "SELECT " TASK_COLS " FROM topic_tasks WHERE id = ?",
	               ARGS(ARG_INT(id)), task_read, out);
}

enum db_result store_topic_tasks_done(struct db *db, int64_t id, int64_t now)
{
	return sql_change(db, "UPDATE topic_tasks SET done_at = ? WHERE id = ? AND done_at IS NULL",
	                  ARGS(ARG_INT(now), ARG_INT(id)));
}

enum db_result store_topic_tasks_list(struct db *db, struct arena *a, int64_t topic_id,
                                      struct topic_task_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " TASK_COLS " FROM topic_tasks WHERE topic_id = ? ORDER BY id "
	               "LIMIT 200",
	               ARGS(ARG_INT(topic_id)), task_read, sizeof **rows, 200, (void **)rows, n);
}

/* ---- ratings ---- */

enum db_result store_topic_rate(struct db *db, int64_t topic_id, int64_t user_id,
                                const char *rating, const char *comment, int64_t now)
{
	return sql_run(db,
	               "INSERT INTO topic_ratings(topic_id, user_id, rating, comment, created_at) "
	               "VALUES (?, ?, ?, ?, ?) ON CONFLICT(topic_id, user_id) DO UPDATE SET "
	               "rating = excluded.rating, comment = excluded.comment, "
	               "created_at = excluded.created_at",
	               ARGS(ARG_INT(topic_id), ARG_INT(user_id), ARG_TEXT(rating),
	                    ARG_OPT_TEXT(comment), ARG_INT(now)));
}

static void ratings_read(struct db_stmt *st, struct arena *a, void *p)
{
	(void)a;
	int64_t *o = p;
	o[0] = db_col_int(st, 0);
	o[1] = db_col_int(st, 1);
	o[2] = db_col_int(st, 2);
}

enum db_result store_topic_ratings(struct db *db, int64_t topic_id, int64_t out[3])
{
	struct arena a;
	arena_init(&a);
	out[0] = out[1] = out[2] = 0;
	enum db_result r = sql_one(
	    db, &a,
	    "SELECT coalesce(sum(CASE WHEN rating = 'satisfied' THEN 1 END), 0), "
	    "coalesce(sum(CASE WHEN rating = 'basic' THEN 1 END), 0), coalesce(sum(CASE WHEN "
	    "rating = 'unsatisfied' THEN 1 END), 0) FROM topic_ratings WHERE topic_id = ?",
	    ARGS(ARG_INT(topic_id)), ratings_read, out);
	arena_free(&a);
	return r == DB_ROW ? DB_OK : r;
}

/* ---- objections ---- */

static void objection_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct objection_row *o = p;
	o->id = db_col_int(st, 0);
	o->topic_id = db_col_int(st, 1);
	o->user_id = db_col_int(st, 2);
	o->created_at = db_col_int(st, 3);
	o->body = S(4);
}

enum db_result store_objections_insert(struct db *db, struct objection_row *o)
{
	return sql_insert(db,
	                  "INSERT INTO topic_objections(topic_id, user_id, body, created_at) "
	                  "VALUES (?, ?, ?, ?)",
	                  ARGS(ARG_INT(o->topic_id), ARG_ID(o->user_id), ARG_TEXT(o->body),
	                       ARG_INT(o->created_at)),
	                  &o->id);
}

enum db_result store_objections_list(struct db *db, struct arena *a, int64_t topic_id,
                                     struct objection_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT id, topic_id, coalesce(user_id, 0), created_at, body FROM "
	               "topic_objections WHERE topic_id = ? ORDER BY id LIMIT 500",
	               ARGS(ARG_INT(topic_id)), objection_read, sizeof **rows, 500, (void **)rows,
	               n);
}

/* ---- disclosure ---- */

static void disclosed_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct topic_row *t = p;
	t->id = db_col_int(st, 0);
	t->supports = db_col_int(st, 1);
	t->target_money = db_col_int(st, 2);
	t->target_labour = db_col_int(st, 3);
	t->public_until = db_col_int(st, 4);
	t->stage_since = db_col_int(st, 5);
	t->created_at = db_col_int(st, 6);
	t->updated_at = db_col_int(st, 7);
	t->region_code = S(8);
	t->region_name = S(9);
	t->procedure = S(10);
	t->stage = S(11);
	t->title = S(12);
}

enum db_result store_topics_disclosed(struct db *db, struct arena *a, const char *prefix,
                                      struct topic_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT t.id, t.supports, t.target_money, t.target_labour, t.public_until, "
	    "t.stage_since, t.created_at, t.updated_at, t.region_code, (SELECT name FROM regions "
	    "WHERE code = t.region_code), t.procedure, t.stage, t.title FROM topics t WHERE "
	    "t.region_code >= ?1 AND t.region_code < ?2 AND (t.stage IN ('pledging', 'executing', "
	    "'evaluating', 'closed', 'resolved', 'resolution_public', 'result_public') OR EXISTS "
	    "(SELECT 1 FROM ballots b WHERE b.topic_id = t.id AND b.status = 'closed')) ORDER BY "
	    "t.id DESC LIMIT 200",
	    ARGS(ARG_TEXT(prefix), ARG_TEXT(sql_prefix_end(a, prefix))), disclosed_read,
	    sizeof **rows, 200, (void **)rows, n);
}

static void voter_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct topic_voter *v = p;
	v->resident_id = db_col_int(st, 0);
	v->household_id = db_col_int(st, 1);
	v->birth_year = db_col_int(st, 2);
	v->region_code = S(3);
	v->active = db_col_int(st, 4) != 0;
}

enum db_result store_topic_voter(struct db *db, struct arena *a, int64_t user_id,
                                 struct topic_voter *out)
{
	memset(out, 0, sizeof *out);
	enum db_result r = sql_one(
	    db, a,
	    "SELECT r.id, coalesce(r.household_id, 0), coalesce(r.birth_year, 0), r.region_code, "
	    "CASE WHEN r.status = 'active' THEN 1 ELSE 0 END FROM users u JOIN residents r ON "
	    "r.id = u.resident_id WHERE u.id = ?",
	    ARGS(ARG_INT(user_id)), voter_read, out);
	return r == DB_DONE ? DB_OK : r == DB_ROW ? DB_OK : r;
}
