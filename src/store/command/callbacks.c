/* Callbacks (回访抽查): see callbacks.h. */
#include "store/command/callbacks.h"

#include <string.h>

#include "domain/case_flow.h"
#include "store/stmt.h"

#define S(col) sql_str(st, a, col)

static void population_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct callback_case *c = p;
	c->id = db_col_int(st, 0);
	c->region_code = S(1);
	c->unit = S(2);
}

enum db_result store_callback_population(struct db *db, struct arena *a, const char *region,
                                         int64_t from, int64_t to, struct callback_case **rows,
                                         size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT id, region_code, coalesce(unit, '') FROM cases WHERE region_code >= ?1 "
	    "AND region_code < ?2 AND status = ?3 AND closed_at >= ?4 AND closed_at < ?5 "
	    "ORDER BY id",
	    ARGS(ARG_TEXT(region), ARG_TEXT(sql_prefix_end(a, region)), ARG_INT(CASE_CLOSED),
	         ARG_INT(from), ARG_INT(to)),
	    population_read, sizeof **rows, -1, (void **)rows, n);
}

#define SAMPLE_COLS                                                                                \
	"s.id, s.region_code, (SELECT name FROM regions WHERE code = s.region_code), s.period, "   \
	"s.size, s.seed, s.population, s.drawn, (SELECT count(*) FROM callback_items i WHERE "     \
	"i.sample_id = s.id AND i.outcome IS NOT NULL), (SELECT count(*) FROM callback_items i "   \
	"WHERE i.sample_id = s.id AND i.outcome = 'contradicted'), coalesce(s.created_by, 0), "    \
	"(SELECT display_name FROM users WHERE id = s.created_by), s.created_at"

static void sample_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct callback_sample_row *s = p;
	memset(s, 0, sizeof *s);
	s->id = db_col_int(st, 0);
	s->region_code = S(1);
	s->region_name = S(2);
	s->period = db_col_int(st, 3);
	s->size = db_col_int(st, 4);
	s->seed = S(5);
	s->population = db_col_int(st, 6);
	s->drawn = db_col_int(st, 7);
	s->recorded = db_col_int(st, 8);
	s->contradicted = db_col_int(st, 9);
	s->created_by = db_col_int(st, 10);
	s->created_by_name = S(11);
	s->created_at = db_col_int(st, 12);
}

enum db_result store_callback_samples_insert(struct db *db, struct callback_sample_row *s)
{
	return sql_insert(
	    db,
	    "INSERT INTO callback_samples(region_code, period, size, seed, population, "
	    "drawn, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_TEXT(s->region_code), ARG_INT(s->period), ARG_INT(s->size), ARG_TEXT(s->seed),
	         ARG_INT(s->population), ARG_INT(s->drawn), ARG_NONZERO(s->created_by),
	         ARG_INT(s->created_at)),
	    &s->id);
}

enum db_result store_callback_samples_get(struct db *db, struct arena *a, int64_t id,
                                          struct callback_sample_row *out)
{
	return sql_one(db, a, "SELECT " SAMPLE_COLS " FROM callback_samples s WHERE s.id = ?",
	               ARGS(ARG_INT(id)), sample_read, out);
}

enum db_result store_callback_samples_list(struct db *db, struct arena *a, const struct scopes *sc,
                                           int64_t before, int limit,
                                           struct callback_sample_row **rows, size_t *n)
{
	return sql_newest(db, a,
	                  "SELECT " SAMPLE_COLS
	                  " FROM callback_samples s WHERE s.region_code >= ?1 AND "
	                  "s.region_code < ?2 AND (CAST(?3 AS BIGINT) = 0 OR s.id < ?3) "
	                  "ORDER BY s.id DESC LIMIT ?4",
	                  sc, before, limit, sample_read, sizeof **rows, (void **)rows, n);
}

enum db_result store_callback_units_fill(struct db *db, int64_t sample_id, const char *region,
                                         int64_t from, int64_t to)
{
	struct arena a;
	arena_init(&a);
	const char *hi = sql_prefix_end(&a, region);
	enum db_result r =
	    hi ? sql_run(db,
	                 "INSERT INTO callback_units(sample_id, unit, population) SELECT ?1, "
	                 "coalesce(unit, ''), count(*) FROM cases WHERE region_code >= ?2 AND "
	                 "region_code < ?3 AND status = ?4 AND closed_at >= ?5 AND closed_at < ?6 "
	                 "GROUP BY coalesce(unit, '')",
	                 ARGS(ARG_INT(sample_id), ARG_TEXT(region), ARG_TEXT(hi),
	                      ARG_INT(CASE_CLOSED), ARG_INT(from), ARG_INT(to)))
	       : DB_ERROR;
	arena_free(&a);
	return r;
}

enum db_result store_callback_items_insert(struct db *db, const struct callback_item_row *it)
{
	return sql_run(
	    db,
	    "INSERT INTO callback_items(sample_id, case_id, position, region_code, unit, "
	    "recorded_at) VALUES (?, ?, ?, ?, ?, 0)",
	    ARGS(ARG_INT(it->sample_id), ARG_INT(it->case_id), ARG_INT(it->position),
	         ARG_TEXT(it->region_code), ARG_TEXT(it->unit)));
}

#define ITEM_COLS                                                                                  \
	"i.sample_id, i.case_id, i.position, i.region_code, i.unit, c.number, c.category, "        \
	"(SELECT name FROM categories WHERE code = c.category), c.closed_at, i.outcome, i.note, "  \
	"coalesce(i.recorded_by, 0), i.recorded_at, s.period"
#define ITEM_FROM                                                                                  \
	" FROM callback_items i JOIN cases c ON c.id = i.case_id JOIN callback_samples s ON "      \
	"s.id = i.sample_id "

static void item_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct callback_item_row *it = p;
	memset(it, 0, sizeof *it);
	it->sample_id = db_col_int(st, 0);
	it->case_id = db_col_int(st, 1);
	it->position = db_col_int(st, 2);
	it->region_code = S(3);
	it->unit = S(4);
	it->number = S(5);
	it->category = S(6);
	it->category_name = S(7);
	it->closed_at = db_col_int(st, 8);
	it->outcome = S(9);
	it->note = S(10);
	it->recorded_by = db_col_int(st, 11);
	it->recorded_at = db_col_int(st, 12);
	it->period = db_col_int(st, 13);
}

enum db_result store_callback_items_list(struct db *db, struct arena *a, int64_t sample_id,
                                         struct callback_item_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " ITEM_COLS ITEM_FROM "WHERE i.sample_id = ? ORDER BY i.position",
	               ARGS(ARG_INT(sample_id)), item_read, sizeof **rows, -1, (void **)rows, n);
}

enum db_result store_callback_items_get(struct db *db, struct arena *a, int64_t sample_id,
                                        int64_t case_id, struct callback_item_row *out)
{
	return sql_one(db, a,
	               "SELECT " ITEM_COLS ITEM_FROM "WHERE i.sample_id = ? AND i.case_id = ?",
	               ARGS(ARG_INT(sample_id), ARG_INT(case_id)), item_read, out);
}

static bool is(const char *outcome, const char *what)
{
	return outcome && strcmp(outcome, what) == 0;
}

static int reached(const char *outcome)
{
	return is(outcome, "confirmed") || is(outcome, "contradicted");
}

enum db_result store_fact_add(struct db *db, const char *fact, int64_t period, const char *region,
                              int64_t delta)
{
	if (delta == 0)
		return DB_OK;
	return sql_run(
	    db,
	    "INSERT INTO indicator_facts(fact, period, region_code, n) VALUES (?, ?, ?, ?) "
	    "ON CONFLICT(fact, period, region_code) DO UPDATE SET n = indicator_facts.n + "
	    "excluded.n",
	    ARGS(ARG_TEXT(fact), ARG_INT(period), ARG_TEXT(region), ARG_INT(delta)));
}

enum db_result store_callback_items_record(struct db *db, const struct callback_item_row *it,
                                           const char *was_outcome, const char *reason,
                                           const char *user_name)
{
	enum db_result r = sql_change(
	    db,
	    "UPDATE callback_items SET outcome = ?, note = ?, recorded_by = ?, recorded_at = ? "
	    "WHERE sample_id = ? AND case_id = ?",
	    ARGS(ARG_TEXT(it->outcome), ARG_OPT_TEXT(it->note), ARG_NONZERO(it->recorded_by),
	         ARG_INT(it->recorded_at), ARG_INT(it->sample_id), ARG_INT(it->case_id)));
	if (r != DB_OK)
		return r;
	r = sql_run(db,
	            "INSERT INTO callback_item_history(sample_id, case_id, outcome, note, reason, "
	            "user_id, user_name, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	            ARGS(ARG_INT(it->sample_id), ARG_INT(it->case_id), ARG_TEXT(it->outcome),
	                 ARG_OPT_TEXT(it->note), ARG_OPT_TEXT(reason), ARG_NONZERO(it->recorded_by),
	                 ARG_OPT_TEXT(user_name), ARG_INT(it->recorded_at)));
	if (r != DB_OK)
		return r;
	r = store_fact_add(db, "callback_done", it->period, it->region_code,
	                   reached(it->outcome) - reached(was_outcome));
	if (r != DB_OK)
		return r;
	return store_fact_add(db, "callback_contradicted", it->period, it->region_code,
	                      is(it->outcome, "contradicted") - is(was_outcome, "contradicted"));
}

static void history_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct callback_history_row *h = p;
	h->case_id = db_col_int(st, 0);
	h->outcome = S(1);
	h->note = S(2);
	h->reason = S(3);
	h->user_id = db_col_int(st, 4);
	h->user_name = S(5);
	h->at = db_col_int(st, 6);
}

enum db_result store_callback_history(struct db *db, struct arena *a, int64_t sample_id,
                                      struct callback_history_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT case_id, outcome, note, reason, coalesce(user_id, 0), user_name, at "
	               "FROM callback_item_history WHERE sample_id = ? ORDER BY case_id, id",
	               ARGS(ARG_INT(sample_id)), history_read, sizeof **rows, -1, (void **)rows, n);
}

static void unit_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct callback_unit_row *u = p;
	u->unit = S(0);
	u->population = db_col_int(st, 1);
	u->n = db_col_int(st, 2);
	u->confirmed = db_col_int(st, 3);
	u->contradicted = db_col_int(st, 4);
	u->unreachable = db_col_int(st, 5);
}

enum db_result store_callback_units_result(struct db *db, struct arena *a, int64_t sample_id,
                                           struct callback_unit_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT u.unit, u.population, count(*), "
	    "sum(CASE WHEN i.outcome = 'confirmed' THEN 1 ELSE 0 END), "
	    "sum(CASE WHEN i.outcome = 'contradicted' THEN 1 ELSE 0 END), "
	    "sum(CASE WHEN i.outcome = 'unreachable' THEN 1 ELSE 0 END) "
	    "FROM callback_units u JOIN callback_items i ON i.sample_id = u.sample_id AND "
	    "i.unit = u.unit WHERE u.sample_id = ? GROUP BY u.unit, u.population ORDER BY u.unit",
	    ARGS(ARG_INT(sample_id)), unit_read, sizeof **rows, -1, (void **)rows, n);
}

static void text_read(struct db_stmt *st, struct arena *a, void *p)
{
	*(const char **)p = S(0);
}

enum db_result store_case_callback(struct db *db, struct arena *a, int64_t case_id,
                                   const char **out)
{
	*out = NULL;
	enum db_result r =
	    sql_one(db, a,
	            "SELECT outcome FROM callback_items WHERE case_id = ? AND outcome IS NOT NULL "
	            "ORDER BY CASE WHEN outcome = 'contradicted' THEN 0 ELSE 1 END, recorded_at "
	            "DESC LIMIT 1",
	            ARGS(ARG_INT(case_id)), text_read, out);
	return r == DB_ROW || r == DB_DONE ? DB_OK : r;
}
