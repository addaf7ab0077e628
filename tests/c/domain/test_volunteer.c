/* Unit tests for src/domain/volunteer.c: places and the waiting list, the promotion order,
 * the check-in window and code, hours, points and the ledger's balance rule. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/volunteer.h"

static void test_place(void **state)
{
	(void)state;
	assert_int_equal(vol_signup_place(0, 5), VOL_SIGNED);
	assert_int_equal(vol_signup_place(4, 5), VOL_SIGNED);
	assert_int_equal(vol_signup_place(5, 5), VOL_WAITING);
	assert_int_equal(vol_signup_place(6, 5), VOL_WAITING);
	enum vol_status s;
	assert_true(vol_status_parse("waiting", &s));
	assert_int_equal(s, VOL_WAITING);
	assert_false(vol_status_parse("maybe", &s));
	assert_string_equal(vol_status_code(VOL_CANCELLED), "cancelled");
}

static void test_promotion_order(void **state)
{
	(void)state;
	/* waiting ones out of order in the array: the earliest by time, then id, go first */
	struct vol_queued q[] = {
	    {.id = 7, .created_at = 300, .status = VOL_WAITING},
	    {.id = 3, .created_at = 100, .status = VOL_SIGNED},
	    {.id = 5, .created_at = 200, .status = VOL_WAITING},
	    {.id = 4, .created_at = 200, .status = VOL_WAITING},
	    {.id = 2, .created_at = 50, .status = VOL_CANCELLED},
	};
	size_t out[5];
	/* one place freed */
	assert_int_equal(vol_promotions(q, 5, 4, 5, out), 1);
	assert_int_equal(q[out[0]].id, 4);
	/* two places */
	assert_int_equal(vol_promotions(q, 5, 3, 5, out), 2);
	assert_int_equal(q[out[0]].id, 4);
	assert_int_equal(q[out[1]].id, 5);
	/* more places than waiting: all three, never a cancelled or signed one */
	assert_int_equal(vol_promotions(q, 5, 0, 10, out), 3);
	assert_int_equal(q[out[2]].id, 7);
	/* full, or over the limit: nobody */
	assert_int_equal(vol_promotions(q, 5, 5, 5, out), 0);
	assert_int_equal(vol_promotions(q, 5, 6, 5, out), 0);
	assert_int_equal(vol_promotions(NULL, 0, 0, 5, out), 0);
}

static void test_checkin(void **state)
{
	(void)state;
	int64_t s = 100000, e = 107200;
	assert_false(vol_checkin_open(s - VOL_CHECKIN_EARLY - 1, s, e));
	assert_true(vol_checkin_open(s - VOL_CHECKIN_EARLY, s, e));
	assert_true(vol_checkin_open(s + 10, s, e));
	assert_true(vol_checkin_open(e, s, e));
	assert_false(vol_checkin_open(e + 1, s, e));
	unsigned char rnd[VOL_CODE_LEN] = {0, 31, 32, 255, 8, 14};
	char code[VOL_CODE_LEN + 1];
	vol_checkin_code(rnd, code);
	assert_int_equal(strlen(code), VOL_CODE_LEN);
	assert_null(strpbrk(code, "01OI"));
	assert_string_equal(code, "2Z2ZAG");
	assert_true(vol_code_matches("2z2zag", code));
	assert_true(vol_code_matches(" 2Z2ZAG ", code));
	assert_false(vol_code_matches("2Z2ZA", code));
	assert_false(vol_code_matches("2Z2ZAH", code));
	assert_false(vol_code_matches(NULL, code));
	assert_false(vol_code_matches("", ""));
}

static void test_hours_and_points(void **state)
{
	(void)state;
	assert_false(vol_minutes_allowed(0, 0, 7200));
	assert_true(vol_minutes_allowed(120, 0, 7200));
	assert_false(vol_minutes_allowed(121, 0, 7200));
	/* a short activity may still be confirmed for up to an hour */
	assert_true(vol_minutes_allowed(60, 0, 60));
	assert_false(vol_minutes_allowed(61, 0, 60));
	assert_int_equal(vol_points_for(60), 10);
	assert_int_equal(vol_points_for(90), 15);
	assert_int_equal(vol_points_for(5), 0);
	assert_int_equal(vol_points_for(-5), 0);
}

static void test_ledger(void **state)
{
	(void)state;
	assert_true(vol_ledger_allows(0, 10));
	assert_true(vol_ledger_allows(10, -10));
	assert_false(vol_ledger_allows(10, -11));
	assert_false(vol_ledger_allows(0, -1));
	assert_true(vol_ledger_allows(INT64_MAX, -INT64_MAX));
	assert_false(vol_ledger_allows(5, INT64_MIN + 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_place),   cmocka_unit_test(test_promotion_order),
	    cmocka_unit_test(test_checkin), cmocka_unit_test(test_hours_and_points),
	    cmocka_unit_test(test_ledger),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
