/* Unit tests for src/domain/deadline.c: working hours skip weekends, a start on a weekend
 * counts from Monday 00:00, minor matters are due the same local day, and the warning level
 * turns yellow at 80 % of the span and red once past due. With the 2026 State Council
 * calendar (国务院办公厅关于2026年部分节假日安排的通知): holidays are skipped, 调休 weekend days
 * count, a start on a holiday counts from the next working day. tests/api/cases.test.mjs keeps its
 * JavaScript copy of the rule to check what the API answers; this checks the rule itself. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
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
	assert_int_equal(deadline_add_working_hours(NULL, local(2026, 12, 4, 10, 0, 0), 4),
	                 local(2026, 12, 4, 14, 0, 0));
	/* Tuesday 09:30 + 24 h = Wednesday 09:30 (working time runs round the clock). */
	assert_int_equal(deadline_add_working_hours(NULL, local(2026, 12, 1, 9, 30, 0), 24),
	                 local(2026, 12, 2, 9, 30, 0));
	/* Zero hours is the start itself. */
	assert_int_equal(deadline_add_working_hours(NULL, local(2026, 12, 1, 9, 30, 0), 0),
	                 local(2026, 12, 1, 9, 30, 0));
}

static void test_weekend_skipped(void **state)
{
	(void)state;
	/* Friday 20:00 + 10 h: 4 h left on Friday, the weekend skipped, 6 h on Monday. */
	assert_int_equal(deadline_add_working_hours(NULL, local(2026, 12, 11, 20, 0, 0), 10),
	                 local(2026, 12, 14, 6, 0, 0));
	/* Friday 10:00 + 72 h: 14 h Friday, Monday 24, Tuesday 24, then 10 h into Wednesday. */
	assert_int_equal(deadline_add_working_hours(NULL, local(2026, 12, 4, 10, 0, 0), 72),
	                 local(2026, 12, 9, 10, 0, 0));
	/* Exactly the rest of Friday ends at Saturday 00:00, not on Monday. */
	assert_int_equal(deadline_add_working_hours(NULL, local(2026, 12, 4, 10, 0, 0), 14),
	                 local(2026, 12, 5, 0, 0, 0));
	/* A fortnight of working time spans two weekends. */
	assert_int_equal(deadline_add_working_hours(NULL, local(2026, 12, 7, 0, 0, 0), 10 * 24),
	                 local(2026, 12, 19, 0, 0, 0));
}

static void test_weekend_start_counts_from_monday(void **state)
{
	(void)state;
	/* Saturday 10:00 + 4 h = Monday 04:00; so does Sunday 23:00. */
	assert_int_equal(deadline_add_working_hours(NULL, local(2026, 12, 5, 10, 0, 0), 4),
	                 local(2026, 12, 7, 4, 0, 0));
	assert_int_equal(deadline_add_working_hours(NULL, local(2026, 12, 6, 23, 0, 0), 4),
	                 local(2026, 12, 7, 4, 0, 0));
	/* The local day decides, not the UTC one: Monday 02:00 +08:00 is Sunday in UTC. */
	assert_int_equal(deadline_add_working_hours(NULL, local(2026, 12, 7, 2, 0, 0), 1),
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

/* The 2026 exceptions to Monday–Friday (the migration's seed, store/migrations/m16_calendar.c). */
static struct calendar_day cal2026_days[32];
static struct work_calendar cal2026;

static void cal_add(int m, int d, bool workday)
{
	cal2026_days[cal2026.n].day = deadline_day_of(2026, m, d);
	cal2026_days[cal2026.n].workday = workday;
	cal2026.n++;
}

static int setup_calendar(void **state)
{
	(void)state;
	cal2026.n = 0;
	cal2026.days = cal2026_days;
	cal_add(1, 1, false), cal_add(1, 2, false), cal_add(1, 4, true); /* 元旦 */
	cal_add(2, 14, true);                                            /* 春节 */
	for (int d = 16; d <= 20; d++)
		cal_add(2, d, false);
	cal_add(2, 23, false), cal_add(2, 28, true);
	cal_add(4, 6, false); /* 清明 */
	cal_add(5, 1, false), cal_add(5, 4, false), cal_add(5, 5, false), cal_add(5, 9, true);
	cal_add(6, 19, false);                       /* 端午 */
	cal_add(9, 20, true), cal_add(9, 25, false); /* 中秋, 国庆 */
	cal_add(10, 1, false), cal_add(10, 2, false), cal_add(10, 5, false), cal_add(10, 6, false);
	cal_add(10, 7, false), cal_add(10, 10, true);
	return 0;
}

static void test_national_day_2026(void **state)
{
	(void)state;
	/* Wednesday 2026-09-30 10:00 + 24 h: 14 h left on the 30th, 10-01 … 10-07 off (the
	 * weekend inside it too), 10 h on Thursday 10-08. Without the calendar: 10-01 10:00. */
	int64_t start = local(2026, 9, 30, 10, 0, 0);
	assert_int_equal(deadline_add_working_hours(&cal2026, start, 24),
	                 local(2026, 10, 8, 10, 0, 0));
	assert_int_equal(deadline_add_working_hours(NULL, start, 24), local(2026, 10, 1, 10, 0, 0));
	assert_int_equal(deadline_add_working_hours(&cal2026, start, 48),
	                 local(2026, 10, 9, 10, 0, 0));
	/* 72 h: the 调休 Saturday 10-10 counts; without it the deadline would be Monday 10-12. */
	assert_int_equal(deadline_add_working_hours(&cal2026, start, 72),
	                 local(2026, 10, 10, 10, 0, 0));
	assert_int_equal(deadline_add_working_hours(&cal2026, start, 96),
	                 local(2026, 10, 12, 10, 0, 0));
	/* Reported on a holiday (Saturday 10-03, Monday 10-05): counts from Thursday 10-08 00:00.
	 */
	assert_int_equal(deadline_add_working_hours(&cal2026, local(2026, 10, 3, 10, 0, 0), 4),
	                 local(2026, 10, 8, 4, 0, 0));
	assert_int_equal(deadline_add_working_hours(&cal2026, local(2026, 10, 5, 23, 0, 0), 4),
	                 local(2026, 10, 8, 4, 0, 0));
	/* Saturday 09-19 + 4 h: Sunday 09-20 is a 调休 working day. */
	assert_int_equal(deadline_add_working_hours(&cal2026, local(2026, 9, 19, 10, 0, 0), 4),
	                 local(2026, 9, 20, 4, 0, 0));
	/* Thursday 09-24 12:00 + 24 h: 12 h on the 24th, 中秋 Friday 09-25 off, the weekend off,
	 * 12 h on Monday 09-28. */
	assert_int_equal(deadline_add_working_hours(&cal2026, local(2026, 9, 24, 12, 0, 0), 24),
	                 local(2026, 9, 28, 12, 0, 0));
}

static void test_spring_festival_2026(void **state)
{
	(void)state;
	/* Friday 2026-02-13 10:00 + 24 h: 14 h on Friday, then the 调休 Saturday 02-14 gives 10. */
	int64_t start = local(2026, 2, 13, 10, 0, 0);
	assert_int_equal(deadline_add_working_hours(&cal2026, start, 24),
	                 local(2026, 2, 14, 10, 0, 0));
	/* + 48 h: Friday 14, Saturday 24, then 02-15 … 02-23 off: 10 h on Tuesday 02-24. */
	assert_int_equal(deadline_add_working_hours(&cal2026, start, 48),
	                 local(2026, 2, 24, 10, 0, 0));
	/* Without the calendar: Friday 14, Monday 02-16 24, 10 h on Tuesday 02-17. */
	assert_int_equal(deadline_add_working_hours(NULL, start, 48), local(2026, 2, 17, 10, 0, 0));
	/* A 调休 Saturday is a working day from its own start: 12:00 + 4 h = 16:00. */
	assert_int_equal(deadline_add_working_hours(&cal2026, local(2026, 2, 14, 12, 0, 0), 4),
	                 local(2026, 2, 14, 16, 0, 0));
	/* 02-27 Friday 20:00 + 10 h: 4 h Friday, 6 h into the 调休 Saturday 02-28. */
	assert_int_equal(deadline_add_working_hours(&cal2026, local(2026, 2, 27, 20, 0, 0), 10),
	                 local(2026, 2, 28, 6, 0, 0));
	/* An empty calendar is the plain rule. */
	struct work_calendar none = {NULL, 0};
	assert_int_equal(deadline_add_working_hours(&none, start, 48),
	                 local(2026, 2, 17, 10, 0, 0));
}

static void test_working_day(void **state)
{
	(void)state;
	assert_false(deadline_is_working_day(&cal2026, deadline_day_of(2026, 10, 1)));
	assert_true(deadline_is_working_day(&cal2026, deadline_day_of(2026, 10, 8)));
	assert_true(deadline_is_working_day(&cal2026, deadline_day_of(2026, 10, 10)));
	assert_false(deadline_is_working_day(&cal2026, deadline_day_of(2026, 10, 11)));
	assert_true(deadline_is_working_day(&cal2026, deadline_day_of(2026, 1, 4)));
	assert_false(deadline_is_working_day(NULL, deadline_day_of(2026, 1, 4)));
	/* Before the first and after the last exception: Monday–Friday. */
	assert_true(deadline_is_working_day(&cal2026, deadline_day_of(2025, 12, 31)));
	assert_true(deadline_is_working_day(&cal2026, deadline_day_of(2026, 12, 31)));
	assert_false(deadline_is_working_day(&cal2026, deadline_day_of(2026, 12, 5)));
}

static void test_dates(void **state)
{
	(void)state;
	int64_t day;
	assert_true(deadline_parse_date("2026-10-01", &day));
	assert_int_equal(day, deadline_day_of(2026, 10, 1));
	assert_int_equal(deadline_weekday(day), 3); /* Thursday */
	char out[11];
	deadline_format_date(day, out);
	assert_string_equal(out, "2026-10-01");
	assert_true(deadline_parse_date("2028-02-29", &day));
	deadline_format_date(day, out);
	assert_string_equal(out, "2028-02-29");
	deadline_format_date(0, out);
	assert_string_equal(out, "1970-01-01");
	static const char *const bad[] = {"2026-02-29", "2026-13-01",  "2026-00-10", "2026-04-31",
	                                  "2026-1-01",  "2026-01-01x", "26-01-01",   "2026/01/01",
	                                  "",           "1969-12-31",  "2026-01-00"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(deadline_parse_date(bad[i], &day));
	assert_false(deadline_parse_date(NULL, &day));
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
	    cmocka_unit_test_setup(test_national_day_2026, setup_calendar),
	    cmocka_unit_test_setup(test_spring_festival_2026, setup_calendar),
	    cmocka_unit_test_setup(test_working_day, setup_calendar),
	    cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_levels),
	    cmocka_unit_test(test_level_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
