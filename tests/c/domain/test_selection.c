/* Unit tests for src/domain/selection.c: vote masks, the count, who is elected with ties at the
 * last place reported and never broken, and the public label of a household. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/selection.h"

static void test_mask(void **state)
{
	(void)state;
	assert_true(selection_mask_valid(1, 3, 1));
	assert_true(selection_mask_valid(5, 3, 2));  /* options 0 and 2 */
	assert_false(selection_mask_valid(7, 3, 2)); /* three chosen, two seats */
	assert_false(selection_mask_valid(0, 3, 2)); /* nothing chosen */
	assert_false(selection_mask_valid(8, 3, 3)); /* option 3 does not exist */
	assert_false(selection_mask_valid(-1, 3, 3));
	assert_true(selection_mask_valid((int64_t)1 << 59, 60, 1));
	assert_false(selection_mask_valid(1, 61, 1));
}

static void test_tally(void **state)
{
	(void)state;
	int64_t c[4] = {0};
	selection_tally(5, 1, c, 4);
	selection_tally(6, 2, c, 4);
	selection_tally(1, 1, c, 4);
	assert_int_equal(c[0], 2);
	assert_int_equal(c[1], 2);
	assert_int_equal(c[2], 3);
	assert_int_equal(c[3], 0);
}

static void check(const int64_t *counts, int n, int seats, const char *want, int want_n,
                  bool want_tie)
{
	enum selection_place p[8];
	bool tie;
	int e = selection_elect(counts, n, seats, p, &tie);
	char got[9] = "";
	for (int i = 0; i < n; i++)
		got[i] = p[i] == SELECT_ELECTED ? 'E' : p[i] == SELECT_TIED ? 'T' : '.';
	got[n] = '\0';
	assert_string_equal(got, want);
	assert_int_equal(e, want_n);
	assert_int_equal(tie, want_tie);
}

static void test_elect(void **state)
{
	(void)state;
	/* Clear winners. */
	check((int64_t[]){5, 3, 1, 4}, 4, 2, "E..E", 2, false);
	/* A tie at the last place: both tied, neither elected. */
	check((int64_t[]){5, 3, 3, 1}, 4, 2, "ETT.", 1, true);
	/* A tie inside the seats elects both. */
	check((int64_t[]){4, 4, 1}, 3, 2, "EE.", 2, false);
	/* A three-way tie for one seat. */
	check((int64_t[]){2, 2, 2}, 3, 1, "TTT", 0, true);
	/* Fewer nominees with votes than seats: no vote, no place. */
	check((int64_t[]){3, 0, 1}, 3, 3, "E.E", 2, false);
	/* Nobody voted. */
	check((int64_t[]){0, 0}, 2, 1, "..", 0, false);
	/* Tie below the seats is not a tie that matters. */
	check((int64_t[]){9, 1, 1}, 3, 1, "E..", 1, false);
	/* Seats covering the tie. */
	check((int64_t[]){5, 3, 3}, 3, 3, "EEE", 3, false);
}

static void test_label(void **state)
{
	(void)state;
	char b[128];
	selection_household_label("3\xe6\xa0\x8b", "", "201", "\xe5\xbc\xa0\xe4\xb8\x89", b,
	                          sizeof b);
	assert_string_equal(b, "3\xe6\xa0\x8b"
	                       "201 \xe5\xbc\xa0**\xe5\xae\xb6"); /* 3栋201 张**家 */
	selection_household_label("3\xe6\xa0\x8b", "1", "201", "Li Si", b, sizeof b);
	assert_string_equal(b, "3\xe6\xa0\x8b"
	                       "1-201 L**\xe5\xae\xb6");
	selection_household_label(NULL, NULL, NULL, NULL, b, sizeof b);
	assert_string_equal(b, " **\xe5\xae\xb6");
	/* A broken UTF-8 head name gives no surname (the label stays valid UTF-8). */
	selection_household_label("A", "", "1", "\xe5\x41", b, sizeof b);
	assert_string_equal(b, "A1 **\xe5\xae\xb6");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mask),
	    cmocka_unit_test(test_tally),
	    cmocka_unit_test(test_elect),
	    cmocka_unit_test(test_label),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
