/* Unit tests for src/domain/ranking.c: points between floor and target in both directions,
 * no value, weights, ranks with ties, the red and black lists, the mean of the months. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "domain/ranking.h"

static void test_points_higher(void **state)
{
	(void)state;
	/* floor 60, target 90, weight 40 */
	assert_true(ranking_points(true, 95, 60, 90, true, 40) == 40);
	assert_true(ranking_points(true, 90, 60, 90, true, 40) == 40);
	assert_true(ranking_points(true, 75, 60, 90, true, 40) == 20);
	assert_true(ranking_points(true, 60, 60, 90, true, 40) == 0);
	assert_true(ranking_points(true, 10, 60, 90, true, 40) == 0);
	/* 2/3 of 30 = 20; 1/3 of 10 = 3.33 */
	assert_true(ranking_points(true, 80, 60, 90, true, 30) == 20);
	assert_true(ranking_points(true, 70, 60, 90, true, 10) == 3.33);
}

static void test_points_lower(void **state)
{
	(void)state;
	/* lower is better: floor 50 (none), target 10 (full) */
	assert_true(ranking_points(true, 5, 50, 10, false, 20) == 20);
	assert_true(ranking_points(true, 10, 50, 10, false, 20) == 20);
	assert_true(ranking_points(true, 30, 50, 10, false, 20) == 10);
	assert_true(ranking_points(true, 50, 50, 10, false, 20) == 0);
	assert_true(ranking_points(true, 80, 50, 10, false, 20) == 0);
}

static void test_points_null_and_bad(void **state)
{
	(void)state;
	assert_true(ranking_points(false, 0, 60, 90, true, 40) == 0);
	assert_true(ranking_points(false, 100, 60, 90, true, 40) == 0);
	/* floor and target the wrong way round for the direction: no points, refused on write */
	assert_false(ranking_item_ok(true, 90, 60, 40));
	assert_false(ranking_item_ok(false, 10, 50, 40));
	assert_false(ranking_item_ok(true, 60, 60, 40));
	assert_false(ranking_item_ok(true, 60, 90, 0));
	assert_false(ranking_item_ok(true, 60, 90, -1));
	assert_true(ranking_item_ok(true, 60, 90, 40));
	assert_true(ranking_item_ok(false, 50, 10, 0.5));
}

static void test_rank_ties(void **state)
{
	(void)state;
	double t[] = {80, 95, 80, 60, 95.004, 70};
	int rank[6], list[6];
	ranking_rank(t, 6, 2, rank, list);
	/* 95 and 95.004 tie (equal at 0.01): both 1st, then 3rd */
	assert_int_equal(rank[1], 1);
	assert_int_equal(rank[4], 1);
	assert_int_equal(rank[0], 3);
	assert_int_equal(rank[2], 3);
	assert_int_equal(rank[5], 5);
	assert_int_equal(rank[3], 6);
	assert_true(ranking_tied(t[1], t[4]));
	assert_false(ranking_tied(t[0], t[5]));
	/* red: rank ≤ 2 → the two at 95; black: fewer than 2 lower → 60 and 70 */
	assert_int_equal(list[1], 1);
	assert_int_equal(list[4], 1);
	assert_int_equal(list[0], 0);
	assert_int_equal(list[2], 0);
	assert_int_equal(list[5], -1);
	assert_int_equal(list[3], -1);
	size_t order[6];
	ranking_order(rank, 6, order);
	size_t want[] = {1, 4, 0, 2, 5, 3};
	for (int i = 0; i < 6; i++)
		assert_int_equal(order[i], want[i]);
}

static void test_rank_all_tied(void **state)
{
	(void)state;
	double t[] = {50, 50, 50};
	int rank[3], list[3];
	ranking_rank(t, 3, 1, rank, list);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(rank[i], 1);
		assert_int_equal(list[i], 1); /* all first: red, never black as well */
	}
	ranking_rank(t, 3, 0, rank, list);
	assert_int_equal(list[0], 0);
}

static void test_mean(void **state)
{
	(void)state;
	double t[] = {90, 0, 80, 70};
	bool has[] = {true, false, true, true};
	int c;
	assert_true(ranking_mean(t, has, 4, &c) == 80);
	assert_int_equal(c, 3);
	bool none[] = {false, false, false, false};
	assert_true(ranking_mean(t, none, 4, &c) == 0);
	assert_int_equal(c, 0);
	assert_int_equal(ranking_level_len("community"), 12);
	assert_int_equal(ranking_level_len("street"), 9);
	assert_int_equal(ranking_level_len("grid"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_points_higher),       cmocka_unit_test(test_points_lower),
	    cmocka_unit_test(test_points_null_and_bad), cmocka_unit_test(test_rank_ties),
	    cmocka_unit_test(test_rank_all_tied),       cmocka_unit_test(test_mean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
