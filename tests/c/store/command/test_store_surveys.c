/* Store tests: satisfaction surveys (store/command/surveys.c) on a temporary database brought to
 * the newest schema: the population (households with an active resident, under a region, by
 * grid), a survey read back field for field and listed by scope newest first with a cursor, the
 * drawn households (one row per household and survey, by grid and position, with an address),
 * one response per household, the answer counts and per grid figures against the responses,
 * and a resident's side: the household of an account and the surveys that drew it. */
#include "store_fixture.h"

#include "store/base/base.h"
#include "store/command/surveys.h"
#include "store/stmt.h"

#define GRID2 "110101001001002"
#define GRID3 "110101002001001"

static void seed(struct fixture *f)
{
	seed_grid(f->db);
	insert_region(f->db, GRID2, "110101001001", "第二网格");
	insert_region(f->db, "110101002", "110101", "朝阳门街道");
	insert_region(f->db, "110101002001", "110101002", "南竹杆社区");
	insert_region(f->db, GRID3, "110101002001", "第一网格");
}

/* A household in its own house of a building of grid, with one resident of status (NULL:
 * none). */
static int64_t add_household(struct fixture *f, const char *grid, const char *room,
                             const char *status)
{
	struct building_row b = {.region_code = grid,
	                         .name = "1号楼",
	                         .floors = 6,
	                         .created_at = NOW,
	                         .updated_at = NOW};
	struct building_row found;
	if (store_buildings_find(f->db, &f->a, grid, "1号楼", &found) == DB_ROW)
		b.id = found.id;
	else
		assert_int_equal(store_buildings_insert(f->db, &b), DB_OK);
	struct house_row h = {.region_code = grid,
	                      .building_id = b.id,
	                      .unit = "1",
	                      .room = room,
	                      .area = -1,
	                      .created_at = NOW,
	                      .updated_at = NOW};
	assert_int_equal(store_houses_insert(f->db, &h), DB_OK);
	struct household_row hh = {.region_code = grid,
	                           .house_id = h.id,
	                           .number = "1",
	                           .created_at = NOW,
	                           .updated_at = NOW};
	assert_int_equal(store_households_insert(f->db, &hh), DB_OK);
	if (status) {
		struct resident_row r;
		memset(&r, 0, sizeof r);
		r.region_code = grid;
		r.house_id = h.id;
		r.household_id = hh.id;
		r.name = "居民";
		r.residency = "registered";
		r.status = status;
		r.created_at = r.updated_at = NOW;
		assert_int_equal(store_residents_insert(f->db, &r), DB_OK);
	}
	return hh.id;
}

static int64_t add_survey(struct fixture *f, const char *region, int64_t by)
{
	struct survey_row s = {.title = "2026年满意度测评",
	                       .region_code = region,
	                       .period = 202611,
	                       .per_grid = 2,
	                       .seed = "1234567890123",
	                       .questions = "[{\"text\":\"满意吗\",\"options\":[\"是\",\"否\"]}]",
	                       .population = 3,
	                       .drawn = 3,
	                       .created_by = by,
	                       .created_at = NOW};
	assert_int_equal(store_surveys_insert(f->db, &s), DB_OK);
	assert_true(s.id > 0);
	return s.id;
}

static void draw(struct fixture *f, int64_t survey, int64_t household, const char *grid,
                 int64_t position, int64_t population)
{
	struct survey_sampled h = {.household_id = household,
	                           .grid = grid,
	                           .position = position,
	                           .population = population};
	assert_int_equal(store_survey_households_insert(f->db, survey, &h), DB_OK);
}

static void test_population(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t h1 = add_household(f, GRID, "101", "active");
	int64_t h5 = add_household(f, GRID2, "101", "active");
	int64_t h2 = add_household(f, GRID, "102", "active");
	add_household(f, GRID, "103", "moved_out"); /* no active resident */
	add_household(f, GRID, "104", NULL);        /* nobody */
	int64_t h6 = add_household(f, GRID3, "101", "active");
	struct survey_household *rows;
	size_t n;
	assert_int_equal(store_survey_population(f->db, &f->a, "110101001", &rows, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, h1);
	assert_string_equal(rows[0].grid, GRID);
	assert_int_equal(rows[1].id, h2);
	assert_int_equal(rows[2].id, h5);
	assert_string_equal(rows[2].grid, GRID2);
	assert_int_equal(store_survey_population(f->db, &f->a, "110101", &rows, &n), DB_OK);
	assert_int_equal(n, 4);
	assert_int_equal(rows[3].id, h6);
	assert_int_equal(store_survey_population(f->db, &f->a, "110102", &rows, &n), DB_OK);
	assert_int_equal(n, 0);
}

static void test_survey_and_list(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t user = add_user(f->db, "shequ_survey", false);
	int64_t s1 = add_survey(f, "110101001", user);
	struct survey_row got;
	assert_int_equal(store_surveys_get(f->db, &f->a, s1, &got), DB_ROW);
	assert_int_equal(got.id, s1);
	assert_string_equal(got.title, "2026年满意度测评");
	assert_string_equal(got.region_code, "110101001");
	assert_string_equal(got.region_name, "东华门街道");
	assert_int_equal(got.period, 202611);
	assert_int_equal(got.per_grid, 2);
	assert_string_equal(got.seed, "1234567890123");
	assert_string_equal(got.questions, "[{\"text\":\"满意吗\",\"options\":[\"是\",\"否\"]}]");
	assert_int_equal(got.population, 3);
	assert_int_equal(got.drawn, 3);
	assert_int_equal(got.responses, 0);
	assert_int_equal(got.created_by, user);
	assert_string_equal(got.created_by_name, "测试用户");
	assert_int_equal(got.created_at, NOW);
	assert_int_equal(store_surveys_get(f->db, &f->a, s1 + 1, &got), DB_DONE);

	int64_t s2 = add_survey(f, "110101002", 0), s3 = add_survey(f, "110101001001", 0);
	assert_int_equal(store_surveys_get(f->db, &f->a, s2, &got), DB_ROW);
	assert_int_equal(got.created_by, 0);
	assert_null(got.created_by_name);
	struct survey_row *rows;
	size_t n;
	struct scopes street = {.prefix = {"110101001"}, .n = 1};
	assert_int_equal(store_surveys_list(f->db, &f->a, &street, 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, s3);
	assert_int_equal(rows[1].id, s1);
	assert_int_equal(store_surveys_list(f->db, &f->a, &street, s3, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, s1);
	struct scopes all = {.prefix = {""}, .n = 1};
	assert_int_equal(store_surveys_list(f->db, &f->a, &all, 0, 2, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, s3);
	assert_int_equal(rows[1].id, s2);
	struct scopes other = {.prefix = {"110101002", "110102"}, .n = 2};
	assert_int_equal(store_surveys_list(f->db, &f->a, &other, 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, s2);
}

static void test_sample_and_responses(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t h1 = add_household(f, GRID, "101", "active");
	int64_t h2 = add_household(f, GRID, "102", "active");
	int64_t h5 = add_household(f, GRID2, "201", "active");
	int64_t s = add_survey(f, "110101001", 0);
	draw(f, s, h2, GRID, 1, 2);
	draw(f, s, h1, GRID, 2, 2);
	draw(f, s, h5, GRID2, 1, 1);
	struct survey_sampled dup = {
	    .household_id = h1, .grid = GRID, .position = 3, .population = 2};
	assert_int_equal(store_survey_households_insert(f->db, s, &dup), DB_CONSTRAINT);
	struct survey_sampled *hs;
	size_t n;
	assert_int_equal(store_survey_households_list(f->db, &f->a, s, &hs, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(hs[0].household_id, h2);
	assert_string_equal(hs[0].grid, GRID);
	assert_string_equal(hs[0].grid_name, "第一网格");
	assert_string_equal(hs[0].address, "1号楼 1 102");
	assert_int_equal(hs[0].position, 1);
	assert_int_equal(hs[0].population, 2);
	assert_false(hs[0].answered);
	assert_int_equal(hs[1].household_id, h1);
	assert_int_equal(hs[2].household_id, h5);
	assert_string_equal(hs[2].grid_name, "第二网格");

	/* one response per household */
	const int64_t a2[] = {0, 1}, a5[] = {1, 1};
	assert_int_equal(
	    store_survey_responses_insert(f->db, s, h2, GRID, a2, 2, "[0,1]", "phone", 3, NOW),
	    DB_OK);
	assert_int_equal(
	    store_survey_responses_insert(f->db, s, h2, GRID, a5, 2, "[1,1]", "phone", 3, NOW + 1),
	    DB_CONSTRAINT);
	assert_int_equal(
	    store_survey_responses_insert(f->db, s, h5, GRID2, a5, 2, "[1,1]", "self", 0, NOW + 2),
	    DB_OK);
	struct survey_sampled one;
	assert_int_equal(store_survey_households_get(f->db, &f->a, s, h2, &one), DB_ROW);
	assert_true(one.answered);
	assert_int_equal(store_survey_households_get(f->db, &f->a, s, h1, &one), DB_ROW);
	assert_false(one.answered);
	assert_int_equal(store_survey_households_get(f->db, &f->a, s + 1, h1, &one), DB_DONE);
	struct survey_row sr;
	assert_int_equal(store_surveys_get(f->db, &f->a, s, &sr), DB_ROW);
	assert_int_equal(sr.responses, 2);

	/* counts: per question, grid and answer; each question's counts sum to the responses */
	struct survey_count *c;
	assert_int_equal(store_survey_counts(f->db, &f->a, s, &c, &n), DB_OK);
	assert_int_equal(n, 4);
	assert_int_equal(c[0].question, 0);
	assert_string_equal(c[0].grid, GRID);
	assert_int_equal(c[0].answer, 0);
	assert_int_equal(c[0].n, 1);
	assert_int_equal(c[1].question, 0);
	assert_string_equal(c[1].grid, GRID2);
	assert_int_equal(c[1].answer, 1);
	/* the same answer to question 1 in two grids: a row per grid */
	assert_int_equal(c[2].question, 1);
	assert_string_equal(c[2].grid, GRID);
	assert_int_equal(c[2].answer, 1);
	assert_int_equal(c[3].question, 1);
	assert_string_equal(c[3].grid, GRID2);
	assert_int_equal(c[3].answer, 1);
	int64_t per_q[2] = {0, 0};
	for (size_t i = 0; i < n; i++)
		per_q[c[i].question] += c[i].n;
	assert_int_equal(per_q[0], sr.responses);
	assert_int_equal(per_q[1], sr.responses);

	struct survey_grid *g;
	assert_int_equal(store_survey_grids(f->db, &f->a, s, &g, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(g[0].grid, GRID);
	assert_string_equal(g[0].name, "第一网格");
	assert_int_equal(g[0].population, 2);
	assert_int_equal(g[0].drawn, 2);
	assert_int_equal(g[0].responses, 1);
	assert_string_equal(g[1].grid, GRID2);
	assert_int_equal(g[1].drawn, 1);
	assert_int_equal(g[1].responses, 1);
}

static void test_resident_side(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t h1 = add_household(f, GRID, "101", "active");
	int64_t h2 = add_household(f, GRID, "102", "active");
	int64_t jumin = add_user(f->db, "jumin_survey", false), other = add_user(f->db, "x", false);
	assert_int_equal(sql_run(f->db, "UPDATE users SET household_id = ? WHERE id = ?",
	                         ARGS(ARG_INT(h1), ARG_INT(jumin))),
	                 DB_OK);
	int64_t hh = -1;
	assert_int_equal(store_user_household(f->db, jumin, &hh), DB_OK);
	assert_int_equal(hh, h1);
	assert_int_equal(store_user_household(f->db, other, &hh), DB_OK);
	assert_int_equal(hh, 0);
	assert_int_equal(store_user_household(f->db, other + 1, &hh), DB_OK);
	assert_int_equal(hh, 0);

	int64_t s1 = add_survey(f, "110101001", 0), s2 = add_survey(f, "110101001001", 0),
	        s3 = add_survey(f, "110101001", 0);
	draw(f, s1, h1, GRID, 1, 2);
	draw(f, s2, h1, GRID, 1, 2);
	draw(f, s2, h2, GRID, 2, 2);
	draw(f, s3, h2, GRID, 1, 2); /* not h1's */
	const int64_t ans[] = {0};
	assert_int_equal(
	    store_survey_responses_insert(f->db, s1, h1, GRID, ans, 1, "[0]", "self", jumin, NOW),
	    DB_OK);
	/* another household's answer to s2 is not h1's */
	assert_int_equal(
	    store_survey_responses_insert(f->db, s2, h2, GRID, ans, 1, "[0]", "phone", 0, NOW),
	    DB_OK);
	struct survey_mine *rows;
	size_t n;
	assert_int_equal(store_surveys_of_household(f->db, &f->a, h1, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].s.id, s2);
	assert_false(rows[0].answered);
	assert_int_equal(rows[1].s.id, s1);
	assert_true(rows[1].answered);
	assert_int_equal(rows[1].s.responses, 1);
	assert_string_equal(rows[1].s.region_name, "东华门街道");
	assert_int_equal(store_surveys_of_household(f->db, &f->a, h2 + 100, &rows, &n), DB_OK);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_population),
	    T(test_survey_and_list),
	    T(test_sample_and_responses),
	    T(test_resident_side),
	};
	return RUN(tests);
}
