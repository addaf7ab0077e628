/* Store tests: indicators (store/command/indicators.c), on a temporary database brought to the
 * newest schema by the real migrations: the built-in definitions and an added one, the facts
 * the triggers of migration 20 keep as cases change (sums per grid and per community, a case
 * moved to another grid, a month apart), and manual figures counted only while approved. */
#include "store_fixture.h"

#include "store/cases/cases.h"
#include "store/command/indicators.h"
#include "store/stmt.h"

#define GRID2 "110101001001002"
#define MONTH 202611 /* NOW is 2026-11-23 in Asia/Shanghai */

static int64_t add_case(struct fixture *f, const char *number, const char *grid, int64_t at)
{
	struct case_row c;
	memset(&c, 0, sizeof c);
	c.number = number;
	c.tracking_code = number + 2;
	c.category = "environment";
	c.status = CASE_REPORTED;
	c.level = REGION_GRID;
	c.region_code = grid;
	c.description = "楼道堆物";
	c.source = "web";
	c.accept_due = at + 3600;
	c.handle_due = at + 86400;
	c.created_at = c.updated_at = at;
	assert_int_equal(store_cases_insert(f->db, &c), DB_OK);
	return c.id;
}

/* The sum of fact in the months [first, last] under region, grouped by group_len: n[i]. */
static size_t sums(struct fixture *f, const char *fact, int first, int last, const char *region,
                   int group_len, struct fact_sum **rows)
{
	size_t n = 0;
	assert_int_equal(
	    store_fact_sums(f->db, &f->a, fact, first, last, region, group_len, rows, &n), DB_OK);
	return n;
}

static int64_t total(struct fixture *f, const char *fact, int month, const char *region)
{
	struct fact_sum *rows;
	size_t n = sums(f, fact, month, month, region, (int)strlen(region), &rows);
	return n ? rows[0].n : 0;
}

static void test_definitions(void **state)
{
	struct fixture *f = *state;
	struct indicator_row *rows;
	size_t n = 0;
	assert_int_equal(store_indicators_list(f->db, &f->a, &rows, &n), DB_OK);
	assert_int_equal(n, 10);
	assert_string_equal(rows[0].code, "case_closure_rate");
	assert_true(rows[0].builtin);
	struct indicator_row r;
	assert_int_equal(store_indicators_get(f->db, &f->a, "cases_per_10k", &r), DB_ROW);
	assert_int_equal(r.factor, 10000);
	assert_string_equal(r.denominator, "residents_active");
	assert_false(r.has_bands);
	struct indicator_row mine = {.code = "hazard_share",
	                             .name = "隐患占比",
	                             .name_en = "Hazard share",
	                             .numerator = "hazards_reported",
	                             .denominator = "cases_reported",
	                             .factor = 100,
	                             .direction = "lower",
	                             .has_bands = true,
	                             .green = 10,
	                             .yellow = 30,
	                             .period_type = "month",
	                             .created_at = NOW,
	                             .updated_at = NOW};
	assert_int_equal(store_indicators_insert(f->db, &mine), DB_OK);
	assert_int_equal(store_indicators_insert(f->db, &mine), DB_CONSTRAINT);
	mine.min_denominator = 7;
	assert_int_equal(store_indicators_update(f->db, &mine), DB_OK);
	assert_int_equal(store_indicators_get(f->db, &f->a, "hazard_share", &r), DB_ROW);
	assert_int_equal(r.min_denominator, 7);
	assert_true(r.has_bands);
	assert_true(r.green == 10 && r.yellow == 30);
	assert_false(r.builtin);
	assert_int_equal(store_indicators_get(f->db, &f->a, "nothing", &r), DB_DONE);
}

static void test_case_facts(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	insert_region(f->db, GRID2, "110101001001", "第二网格");
	int64_t a = add_case(f, "SJ2026112300001", GRID, NOW);
	add_case(f, "SJ2026112300002", GRID2, NOW);
	add_case(f, "SJ2026112300003", GRID2, NOW);
	add_case(f, "SJ2026102300004", GRID, NOW - 31 * 86400); /* October */
	struct fact_sum *rows;
	assert_int_equal(sums(f, "cases_reported", MONTH, MONTH, "110101001001", 15, &rows), 2);
	assert_string_equal(rows[0].code, GRID);
	assert_int_equal(rows[0].n, 1);
	assert_string_equal(rows[1].code, GRID2);
	assert_int_equal(rows[1].n, 2);
	assert_int_equal(total(f, "cases_reported", MONTH, "110101"), 3);
	assert_int_equal(total(f, "cases_reported", MONTH - 1, "110101"), 1);
	assert_int_equal(sums(f, "cases_reported", MONTH - 1, MONTH, "110101", 6, &rows), 1);
	assert_int_equal(rows[0].n, 4);
	/* closed, then moved to the other grid: the fact follows it */
	struct case_row c;
	assert_int_equal(store_cases_get(f->db, &f->a, a, &c), DB_ROW);
	c.status = CASE_CLOSED;
	c.handled_at = NOW + 60;
	c.closed_at = NOW + 120;
	assert_int_equal(store_cases_update(f->db, &c), DB_OK);
	assert_int_equal(total(f, "cases_closed", MONTH, GRID), 1);
	assert_int_equal(total(f, "cases_closed_on_time", MONTH, GRID), 1);
	assert_int_equal(sql_run(f->db, "UPDATE cases SET region_code = ? WHERE id = ?",
	                         ARGS(ARG_TEXT(GRID2), ARG_INT(a))),
	                 DB_OK);
	assert_int_equal(total(f, "cases_closed", MONTH, GRID), 0);
	assert_int_equal(total(f, "cases_closed", MONTH, GRID2), 1);
	assert_int_equal(total(f, "cases_reported", MONTH, GRID2), 3);
	assert_int_equal(total(f, "cases_closed", MONTH, "110101001001"), 1);
}

static void test_figures(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	struct figure_row fig = {.fact = "criminal_cases",
	                         .region_code = "110101001",
	                         .period = MONTH,
	                         .value = 4,
	                         .source = "区公安分局",
	                         .entered_by = 1,
	                         .entered_by_name = "jiedao",
	                         .created_at = NOW,
	                         .updated_at = NOW};
	assert_int_equal(store_figures_insert(f->db, &fig), DB_OK);
	assert_true(fig.id > 0);
	struct figure_row dup = fig;
	assert_int_equal(store_figures_insert(f->db, &dup), DB_CONSTRAINT);
	assert_int_equal(total(f, "criminal_cases", MONTH, "110101"), 0);
	assert_int_equal(store_figures_approve(f->db, fig.id, 2, "zhihui", NOW + 1), DB_OK);
	assert_int_equal(store_figures_approve(f->db, fig.id, 2, "zhihui", NOW + 1), DB_DONE);
	assert_int_equal(total(f, "criminal_cases", MONTH, "110101"), 4);
	assert_int_equal(total(f, "criminal_cases", MONTH, "110101001"), 4);
	assert_int_equal(total(f, "criminal_cases", MONTH, "110101001001"), 0);
	struct figure_row got;
	assert_int_equal(store_figures_get(f->db, &f->a, fig.id, &got), DB_ROW);
	assert_string_equal(got.status, "approved");
	assert_int_equal(got.approved_by, 2);
	got.value = 6;
	got.updated_at = NOW + 2;
	assert_int_equal(store_figures_correct(f->db, &got), DB_OK);
	assert_int_equal(total(f, "criminal_cases", MONTH, "110101"), 0);
	assert_int_equal(store_figures_approve(f->db, fig.id, 3, "admin", NOW + 3), DB_OK);
	assert_int_equal(total(f, "criminal_cases", MONTH, "110101"), 6);
	struct figure_row *list;
	size_t n = 0;
	assert_int_equal(
	    store_figures_list(f->db, &f->a, "110101", "approved", NULL, 0, 10, &list, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].value, 6);
	assert_int_equal(
	    store_figures_list(f->db, &f->a, "110101", "pending", NULL, 0, 10, &list, &n), DB_OK);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_definitions),
	    T(test_case_facts),
	    T(test_figures),
	};
	return RUN(tests);
}
