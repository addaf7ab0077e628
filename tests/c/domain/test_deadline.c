/* Unit tests for src/domain/deadline.c: working hours skip weekends, a start on a weekend
 * counts from Monday 00:00, minor matters are due the same local day, and the warning level
 * turns yellow at 80 % of the span and red once past due. tests/api/cases.test.mjs keeps its
 * JavaScript copy of the rule to check what the API answers; this checks the rule itself. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/deadline.h"

enum { HOUR = 3600, DAY = 86400 };

/* Seconds since the epoch of a local (UTC+8) time, by days from the civil date (proleptic
 * Gregorian), so the cases below read as calendar times. */
static int64_t local(int y, int m, int d, int hh, int mm, int ss)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;
	return days * DAY + hh * HOUR + mm * 60 + ss - 8 * HOUR;
}

static void test_local_helper(void **state)
{
	(void)state;
	/* 2026-12-04 10:00 +08:00, a Friday, checked against date(1). */
	assert_int_equal(local(2026, 12, 4, 10, 0, 0), 1796349600);
	assert_int_equal(local(1970, 1, 1, 8, 0, 0), 0);
}

static void test_within_a_working_day(void **state)
{
	(void)state;
	/* Friday 10:00 + 4 h = Friday 14:00. */
	assert_int_equal(deadline_add_working_hours(local(2026, 12, 4, 10, 0, 0), 4),
	                 local(2026, 12, 4, 14, 0, 0));
	/* Tuesday 09:30 + 24 h = Wednesday 09:30 (working time runs round the clock). */
	assert_int_equal(deadline_add_working_hours(local(2026, 12, 1, 9, 30, 0), 24),
	                 local(2026, 12, 2, 9, 30, 0));
	/* Zero hours is the start itself. */
	assert_int_equal(deadline_add_working_hours(local(2026, 12, 1, 9, 30, 0), 0),
	                 local(2026, 12, 1, 9, 30, 0));
}

static void test_weekend_skipped(void **state)
{
	(void)state;
	/* Friday 20:00 + 10 h: 4 h left on Friday, the weekend skipped, 6 h on Monday. */
	assert_int_equal(deadline_add_working_hours(local(2026, 12, 11, 20, 0, 0), 10),
	                 local(2026, 12, 14, 6, 0, 0));
	/* Friday 10:00 + 72 h: 14 h Friday, Monday 24, Tuesday 24, then 10 h into Wednesday. */
	assert_int_equal(deadline_add_working_hours(local(2026, 12, 4, 10, 0, 0), 72),
	                 local(2026, 12, 9, 10, 0, 0));
	/* Exactly the rest of Friday ends at Saturday 00:00, not on Monday. */
	assert_int_equal(deadline_add_working_hours(local(2026, 12, 4, 10, 0, 0), 14),
	                 local(2026, 12, 5, 0, 0, 0));
	/* A fortnight of working time spans two weekends. */
	assert_int_equal(deadline_add_working_hours(local(2026, 12, 7, 0, 0, 0), 10 * 24),
	                 local(2026, 12, 19, 0, 0, 0));
}

static void test_weekend_start_counts_from_monday(void **state)
{
	(void)state;
	/* Saturday 10:00 + 4 h = Monday 04:00; so does Sunday 23:00. */
	assert_int_equal(deadline_add_working_hours(local(2026, 12, 5, 10, 0, 0), 4),
	                 local(2026, 12, 7, 4, 0, 0));
	assert_int_equal(deadline_add_working_hours(local(2026, 12, 6, 23, 0, 0), 4),
	                 local(2026, 12, 7, 4, 0, 0));
	/* The local day decides, not the UTC one: Monday 02:00 +08:00 is Sunday in UTC. */
	assert_int_equal(deadline_add_working_hours(local(2026, 12, 7, 2, 0, 0), 1),
	                 local(2026, 12, 7, 3, 0, 0));
}

static void test_minor_due_same_day(void **state)
{
	(void)state;
	int64_t last = local(2026, 12, 4, 23, 59, 59);
	assert_int_equal(deadline_end_of_day(local(2026, 12, 4, 10, 0, 0)), last);
	assert_int_equal(deadline_end_of_day(local(2026, 12, 4, 0, 0, 0)), last);
	assert_int_equal(deadline_end_of_day(last), last);
	/* 07:30 local is still the previous day in UTC; the local day counts. */
	assert_int_equal(deadline_end_of_day(local(2026, 12, 5, 7, 30, 0)),
	                 local(2026, 12, 5, 23, 59, 59));
	/* Weekends are no exception: today's matter is today's (今日事今日毕). */
	assert_int_equal(deadline_end_of_day(local(2026, 12, 6, 12, 0, 0)),
	                 local(2026, 12, 6, 23, 59, 59));
}

static void test_levels(void **state)
{
	(void)state;
	int64_t start = local(2026, 12, 1, 9, 0, 0), due = start + 100 * HOUR;
	assert_int_equal(deadline_level(start, due, start), DEADLINE_OK);
	assert_int_equal(deadline_level(start, due, start + 79 * HOUR), DEADLINE_OK);
	assert_int_equal(deadline_level(start, due, start + 80 * HOUR - 1), DEADLINE_OK);
	/* Yellow from 80 % of the allowed time, up to and including the due second. */
	assert_int_equal(deadline_level(start, due, start + 80 * HOUR), DEADLINE_YELLOW);
	assert_int_equal(deadline_level(start, due, due), DEADLINE_YELLOW);
	/* Red once past due. */
	assert_int_equal(deadline_level(start, due, due + 1), DEADLINE_RED);
	/* A span of nothing is fine until it is past. */
	assert_int_equal(deadline_level(start, start, start), DEADLINE_OK);
	assert_int_equal(deadline_level(start, start, start + 1), DEADLINE_RED);
	/* 80 % in integers: a 5-second span turns yellow at 4 s, not before. */
	assert_int_equal(deadline_level(0, 5, 3), DEADLINE_OK);
	assert_int_equal(deadline_level(0, 5, 4), DEADLINE_YELLOW);
}

static void test_level_codes(void **state)
{
	(void)state;
	assert_string_equal(deadline_level_code(DEADLINE_OK), "ok");
	assert_string_equal(deadline_level_code(DEADLINE_YELLOW), "yellow");
	assert_string_equal(deadline_level_code(DEADLINE_RED), "red");
	assert_string_equal(deadline_level_code((enum deadline_level)7), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_local_helper),
	    cmocka_unit_test(test_within_a_working_day),
	    cmocka_unit_test(test_weekend_skipped),
	    cmocka_unit_test(test_weekend_start_counts_from_monday),
	    cmocka_unit_test(test_minor_due_same_day),
	    cmocka_unit_test(test_levels),
	    cmocka_unit_test(test_level_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
