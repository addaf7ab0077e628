/* Satisfaction surveys (满意度测评): see surveys.h. */
#include "store/command/surveys.h"

#include <string.h>

#include "store/stmt.h"

#define S(col) sql_str(st, a, col)

static void population_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct survey_household *h = p;
	h->id = db_col_int(st, 0);
	h->grid = S(1);
}

enum db_result store_survey_population(struct db *db, struct arena *a, const char *region,
                                       struct survey_household **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT h.id, h.region_code FROM households h WHERE h.region_code >= ?1 AND "
	    "h.region_code < ?2 AND EXISTS (SELECT 1 FROM residents r WHERE "
	    "r.household_id = h.id AND r.status = 'active') ORDER BY h.region_code, h.id",
	    ARGS(ARG_TEXT(region), ARG_TEXT(sql_prefix_end(a, region))), population_read,
	    sizeof **rows, -1, (void **)rows, n);
}

#define SURVEY_COLS                                                                                \
	"s.id, s.title, s.region_code, (SELECT name FROM regions WHERE code = s.region_code), "    \
	"s.period, s.per_grid, s.seed, s.questions, s.population, s.drawn, (SELECT count(*) FROM " \
	"survey_responses r WHERE r.survey_id = s.id), coalesce(s.created_by, 0), (SELECT "        \
	"display_name FROM users WHERE id = s.created_by), s.created_at"

static void survey_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct survey_row *s = p;
	memset(s, 0, sizeof *s);
	s->id = db_col_int(st, 0);
	s->title = S(1);
	s->region_code = S(2);
	s->region_name = S(3);
	s->period = db_col_int(st, 4);
	s->per_grid = db_col_int(st, 5);
	s->seed = S(6);
	s->questions = S(7);
	s->population = db_col_int(st, 8);
	s->drawn = db_col_int(st, 9);
	s->responses = db_col_int(st, 10);
	s->created_by = db_col_int(st, 11);
	s->created_by_name = S(12);
	s->created_at = db_col_int(st, 13);
}

enum db_result store_surveys_insert(struct db *db, struct survey_row *s)
{
	return sql_insert(
	    db,
	    "INSERT INTO surveys(title, region_code, period, per_grid, seed, questions, "
	    "population, drawn, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?)",
	    ARGS(ARG_TEXT(s->title), ARG_TEXT(s->region_code), ARG_INT(s->period),
	         ARG_INT(s->per_grid), ARG_TEXT(s->seed), ARG_TEXT(s->questions),
	         ARG_INT(s->population), ARG_INT(s->drawn), ARG_NONZERO(s->created_by),
	         ARG_INT(s->created_at)),
	    &s->id);
}

enum db_result store_surveys_get(struct db *db, struct arena *a, int64_t id, struct survey_row *out)
{
	return sql_one(db, a, "SELECT " SURVEY_COLS " FROM surveys s WHERE s.id = ?",
	               ARGS(ARG_INT(id)), survey_read, out);
}

enum db_result store_surveys_list(struct db *db, struct arena *a, const struct scopes *sc,
                                  int64_t before, int limit, struct survey_row **rows, size_t *n)
{
	return sql_newest(db, a,
	                  "SELECT " SURVEY_COLS " FROM surveys s WHERE s.region_code >= ?1 AND "
	                  "s.region_code < ?2 AND (CAST(?3 AS BIGINT) = 0 OR s.id < ?3) "
	                  "ORDER BY s.id DESC LIMIT ?4",
	                  sc, before, limit, survey_read, sizeof **rows, (void **)rows, n);
}

enum db_result store_survey_households_insert(struct db *db, int64_t survey_id,
                                              const struct survey_sampled *h)
{
	return sql_run(
	    db,
	    "INSERT INTO survey_households(survey_id, household_id, grid_code, position, "
	    "population) VALUES (?, ?, ?, ?, ?)",
	    ARGS(ARG_INT(survey_id), ARG_INT(h->household_id), ARG_TEXT(h->grid),
	         ARG_INT(h->position), ARG_INT(h->population)));
}

#define SAMPLED_COLS                                                                               \
	"sh.household_id, sh.grid_code, (SELECT name FROM regions WHERE code = sh.grid_code), "    \
	"(SELECT coalesce(hs.address, b.name || ' ' || hs.unit || ' ' || hs.room) FROM "           \
	"households h JOIN houses hs ON hs.id = h.house_id JOIN buildings b ON b.id = "            \
	"hs.building_id WHERE h.id = sh.household_id), sh.position, sh.population, CASE WHEN "     \
	"EXISTS (SELECT 1 FROM survey_responses r WHERE r.survey_id = sh.survey_id AND "           \
	"r.household_id = sh.household_id) THEN 1 ELSE 0 END"

static void sampled_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct survey_sampled *h = p;
	h->household_id = db_col_int(st, 0);
	h->grid = S(1);
	h->grid_name = S(2);
	h->address = S(3);
	h->position = db_col_int(st, 4);
	h->population = db_col_int(st, 5);
	h->answered = db_col_int(st, 6) != 0;
}

enum db_result store_survey_households_list(struct db *db, struct arena *a, int64_t survey_id,
                                            struct survey_sampled **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " SAMPLED_COLS " FROM survey_households sh WHERE sh.survey_id = ? "
	               "ORDER BY sh.grid_code, sh.position",
	               ARGS(ARG_INT(survey_id)), sampled_read, sizeof **rows, -1, (void **)rows, n);
}

enum db_result store_survey_households_get(struct db *db, struct arena *a, int64_t survey_id,
                                           int64_t household_id, struct survey_sampled *out)
{
	return sql_one(db, a,
	               "SELECT " SAMPLED_COLS
	               " FROM survey_households sh WHERE sh.survey_id = ? AND sh.household_id = ?",
	               ARGS(ARG_INT(survey_id), ARG_INT(household_id)), sampled_read, out);
}

enum db_result store_survey_responses_insert(struct db *db, int64_t survey_id, int64_t household_id,
                                             const char *grid, const int64_t *answers, size_t n,
                                             const char *answers_json, const char *channel,
                                             int64_t entered_by, int64_t at)
{
	enum db_result r = sql_run(
	    db,
	    "INSERT INTO survey_responses(survey_id, household_id, grid_code, answers, "
	    "channel, entered_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_INT(survey_id), ARG_INT(household_id), ARG_TEXT(grid), ARG_TEXT(answers_json),
	         ARG_TEXT(channel), ARG_NONZERO(entered_by), ARG_INT(at)));
	for (size_t i = 0; i < n && r == DB_OK; i++)
		r = sql_run(
		    db,
		    "INSERT INTO survey_answers(survey_id, household_id, grid_code, question, "
		    "answer) VALUES (?, ?, ?, ?, ?)",
		    ARGS(ARG_INT(survey_id), ARG_INT(household_id), ARG_TEXT(grid),
		         ARG_INT((int64_t)i), ARG_INT(answers[i])));
	return r;
}

static void count_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct survey_count *c = p;
	c->question = db_col_int(st, 0);
	c->grid = S(1);
	c->answer = db_col_int(st, 2);
	c->n = db_col_int(st, 3);
}

enum db_result store_survey_counts(struct db *db, struct arena *a, int64_t survey_id,
                                   struct survey_count **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT question, grid_code, answer, count(*) FROM survey_answers WHERE "
	               "survey_id = ? GROUP BY question, grid_code, answer ORDER BY 1, 2, 3",
	               ARGS(ARG_INT(survey_id)), count_read, sizeof **rows, -1, (void **)rows, n);
}

static void grid_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct survey_grid *g = p;
	g->grid = S(0);
	g->name = S(1);
	g->population = db_col_int(st, 2);
	g->drawn = db_col_int(st, 3);
	g->responses = db_col_int(st, 4);
}

enum db_result store_survey_grids(struct db *db, struct arena *a, int64_t survey_id,
                                  struct survey_grid **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT sh.grid_code, (SELECT name FROM regions WHERE code = sh.grid_code), "
	    "max(sh.population), count(*), (SELECT count(*) FROM survey_responses r WHERE "
	    "r.survey_id = sh.survey_id AND r.grid_code = sh.grid_code) FROM survey_households sh "
	    "WHERE sh.survey_id = ? GROUP BY sh.survey_id, sh.grid_code ORDER BY sh.grid_code",
	    ARGS(ARG_INT(survey_id)), grid_read, sizeof **rows, -1, (void **)rows, n);
}

enum db_result store_user_household(struct db *db, int64_t user_id, int64_t *household_id)
{
	return sql_int(db, "SELECT coalesce(household_id, 0) FROM users WHERE id = ?",
	               ARGS(ARG_INT(user_id)), household_id);
}

static void survey_mine_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct survey_mine *m = p;
	survey_read(st, a, &m->s);
	m->answered = db_col_int(st, 14) != 0;
}

enum db_result store_surveys_of_household(struct db *db, struct arena *a, int64_t household_id,
                                          struct survey_mine **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " SURVEY_COLS ", CASE WHEN EXISTS (SELECT 1 FROM survey_responses "
	               "r WHERE r.survey_id = s.id AND r.household_id = sh.household_id) THEN 1 "
	               "ELSE 0 END FROM survey_households sh JOIN surveys s ON s.id = "
	               "sh.survey_id WHERE sh.household_id = ? ORDER BY s.id DESC",
	               ARGS(ARG_INT(household_id)), survey_mine_read, sizeof **rows, 200,
	               (void **)rows, n);
}
