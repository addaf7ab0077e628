/* Store tests: callbacks (store/command/callbacks.c) on a temporary database brought to the
 * newest schema: the population of a month's closed cases, a sample's items and units, an
 * outcome recorded and changed (history kept, the facts callback_done and
 * callback_contradicted moved by the difference), the case's callback flag. */
#include "store_fixture.h"

#include "store/cases/cases.h"
#include "store/command/callbacks.h"
#include "store/command/indicators.h"
#include "store/stmt.h"

#define MONTH    202611
#define IN_MONTH 1795400000 /* 2026-11-23 */

static int64_t add_closed(struct fixture *f, const char *number, const char *unit, int64_t at)
{
	struct case_row c;
	memset(&c, 0, sizeof c);
	c.number = number;
	c.tracking_code = number + 2;
	c.category = "environment";
	c.status = CASE_CLOSED;
	c.level = REGION_GRID;
	c.region_code = GRID;
	c.description = "楼道堆物";
	c.source = "web";
	c.unit = unit;
	c.accept_due = at + 3600;
	c.handle_due = at + 86400;
	c.created_at = c.updated_at = at - 86400;
	c.closed_at = at;
	assert_int_equal(store_cases_insert(f->db, &c), DB_OK);
	assert_int_equal(sql_run(f->db, "UPDATE cases SET status = ?, closed_at = ? WHERE id = ?",
	                         ARGS(ARG_INT(CASE_CLOSED), ARG_INT(at), ARG_INT(c.id))),
	                 DB_OK);
	return c.id;
}

static int64_t fact(struct fixture *f, const char *name)
{
	struct fact_sum *rows;
	size_t n = 0;
	assert_int_equal(store_fact_sums(f->db, &f->a, name, MONTH, MONTH, GRID, 15, &rows, &n),
	                 DB_OK);
	return n ? rows[0].n : 0;
}

static void test_callbacks(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t a = add_closed(f, "SJ2026112300001", "城管", IN_MONTH);
	int64_t b = add_closed(f, "SJ2026112300002", "城管", IN_MONTH);
	int64_t c = add_closed(f, "SJ2026112300003", NULL, IN_MONTH);
	add_closed(f, "SJ2026112300004", "城管", IN_MONTH - 40 * 86400); /* October */
	struct callback_case *pop;
	size_t n = 0;
	int64_t from = 1793462400, to = 1796054400; /* November 2026, Asia/Shanghai */
	assert_int_equal(store_callback_population(f->db, &f->a, "110101001", from, to, &pop, &n),
	                 DB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(pop[0].id, a);
	assert_string_equal(pop[2].unit, "");

	struct callback_sample_row s = {.region_code = "110101001",
	                                .period = MONTH,
	                                .size = 2,
	                                .seed = "42",
	                                .population = 3,
	                                .drawn = 2,
	                                .created_at = IN_MONTH};
	assert_int_equal(store_callback_samples_insert(f->db, &s), DB_OK);
	assert_int_equal(store_callback_units_fill(f->db, s.id, "110101001", from, to), DB_OK);
	int64_t drawn[2] = {c, a};
	for (int i = 0; i < 2; i++) {
		struct callback_item_row it = {.sample_id = s.id,
		                               .case_id = drawn[i],
		                               .position = i + 1,
		                               .region_code = GRID,
		                               .unit = drawn[i] == c ? "" : "城管"};
		assert_int_equal(store_callback_items_insert(f->db, &it), DB_OK);
	}
	struct callback_item_row *items;
	assert_int_equal(store_callback_items_list(f->db, &f->a, s.id, &items, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].case_id, c);
	assert_null(items[0].outcome);
	assert_int_equal(items[1].period, MONTH);

	/* contradicted, then changed to confirmed: the facts follow, the history keeps both */
	struct callback_item_row it;
	assert_int_equal(store_callback_items_get(f->db, &f->a, s.id, a, &it), DB_ROW);
	it.outcome = "contradicted";
	it.recorded_at = IN_MONTH + 10;
	assert_int_equal(store_callback_items_record(f->db, &it, NULL, NULL, "督导"), DB_OK);
	assert_int_equal(fact(f, "callback_done"), 1);
	assert_int_equal(fact(f, "callback_contradicted"), 1);
	const char *flag;
	assert_int_equal(store_case_callback(f->db, &f->a, a, &flag), DB_OK);
	assert_string_equal(flag, "contradicted");
	assert_int_equal(store_case_callback(f->db, &f->a, b, &flag), DB_OK);
	assert_null(flag);
	it.outcome = "confirmed";
	assert_int_equal(store_callback_items_record(f->db, &it, "contradicted", "误记", "督导"),
	                 DB_OK);
	assert_int_equal(fact(f, "callback_done"), 1);
	assert_int_equal(fact(f, "callback_contradicted"), 0);
	struct callback_item_row other;
	assert_int_equal(store_callback_items_get(f->db, &f->a, s.id, c, &other), DB_ROW);
	other.outcome = "unreachable";
	assert_int_equal(store_callback_items_record(f->db, &other, NULL, NULL, "督导"), DB_OK);
	assert_int_equal(fact(f, "callback_done"), 1);
	struct callback_history_row *h;
	assert_int_equal(store_callback_history(f->db, &f->a, s.id, &h, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(h[0].case_id, a);
	assert_string_equal(h[1].reason, "误记");

	/* per unit: 城管 closed 2 of the month's 3, the unnamed unit 1 */
	struct callback_unit_row *u;
	assert_int_equal(store_callback_units_result(f->db, &f->a, s.id, &u, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(u[0].unit, "");
	assert_int_equal(u[0].population, 1);
	assert_int_equal(u[0].unreachable, 1);
	assert_string_equal(u[1].unit, "城管");
	assert_int_equal(u[1].population, 2);
	assert_int_equal(u[1].confirmed, 1);

	struct callback_sample_row got;
	assert_int_equal(store_callback_samples_get(f->db, &f->a, s.id, &got), DB_ROW);
	assert_int_equal(got.recorded, 2);
	assert_int_equal(got.contradicted, 0);
	struct callback_sample_row *list;
	struct scopes mine = {.prefix = {"110101"}, .n = 1},
	              elsewhere = {.prefix = {"110102"}, .n = 1};
	assert_int_equal(store_callback_samples_list(f->db, &f->a, &mine, 0, 10, &list, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_callback_samples_list(f->db, &f->a, &elsewhere, 0, 10, &list, &n),
	                 DB_OK);
	assert_int_equal(n, 0);
}

/* Samples in two streets, read by one who holds both (and one scope within another): every
 * sample once, newest first across the scopes, pages by id. */
static void test_samples_list_over_scopes(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	insert_region(f->db, "110101002", "110101", "朝阳门街道");
	const char *regions[] = {"110101001001", "110101002", "110101001", "110101002",
	                         "110101001001"};
	int64_t ids[5];
	for (int i = 0; i < 5; i++) {
		struct callback_sample_row s = {.region_code = regions[i],
		                                .period = MONTH,
		                                .size = 1,
		                                .seed = "7",
		                                .population = 1,
		                                .drawn = 0,
		                                .created_at = IN_MONTH + i};
		assert_int_equal(store_callback_samples_insert(f->db, &s), DB_OK);
		ids[i] = s.id;
	}
	struct scopes both = {.prefix = {"110101001", "110101002", "110101001001"}, .n = 3};
	struct callback_sample_row *list;
	size_t n = 0;
	assert_int_equal(store_callback_samples_list(f->db, &f->a, &both, 0, 10, &list, &n), DB_OK);
	assert_int_equal(n, 5);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(list[i].id, ids[4 - i]);
	/* a page of two, then the next page below the last id */
	assert_int_equal(store_callback_samples_list(f->db, &f->a, &both, 0, 2, &list, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[1].id, ids[3]);
	assert_int_equal(store_callback_samples_list(f->db, &f->a, &both, ids[3], 2, &list, &n),
	                 DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, ids[2]);
	assert_int_equal(list[1].id, ids[1]);
	struct scopes none = {.n = 0};
	assert_int_equal(store_callback_samples_list(f->db, &f->a, &none, 0, 10, &list, &n), DB_OK);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_callbacks),
	    T(test_samples_list_over_scopes),
	};
	return RUN(tests);
}
