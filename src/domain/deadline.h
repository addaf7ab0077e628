/* Working deadlines for cases: hours counted on working days (Asia/Shanghai), minor matters
 * due the same day ("今日事今日毕"), and the warning level — yellow at 80 % of the allowed time,
 * red when past.
 *
 * A working day is Monday–Friday unless the calendar says otherwise: China's statutory
 * holidays (春节, 国庆 …) are days off on weekdays and 调休 makes some weekend days working
 * days. The calendar is the list of those exceptions, passed in (the store keeps it, the api
 * caches it); a NULL calendar or one with no days is the plain Monday–Friday rule. */
#ifndef JICENG_DOMAIN_DEADLINE_H
#define JICENG_DOMAIN_DEADLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum deadline_level { DEADLINE_OK, DEADLINE_YELLOW, DEADLINE_RED };

/* One day that differs from the Monday–Friday rule: a holiday on a weekday (workday false)
 * or a weekend day worked (调休, workday true). day counts local days from 1970-01-01. */
struct calendar_day {
	int64_t day;
	bool workday;
};

/* The exceptions, sorted by day, each day at most once. */
struct work_calendar {
	const struct calendar_day *days;
	size_t n;
};

/* start plus hours of working time (local time): days off are skipped, and a start on a day
 * off counts from the next working day 00:00. cal may be NULL (Monday–Friday). */
int64_t deadline_add_working_hours(const struct work_calendar *cal, int64_t start, int64_t hours);
/* Whether the local day (days from 1970-01-01) is a working day under cal. */
bool deadline_is_working_day(const struct work_calendar *cal, int64_t day);
/* The last second of t's local day (23:59:59 +08:00). */
int64_t deadline_end_of_day(int64_t t);
/* Level at now for a span from start to due; done (0 = not done) freezes it at that time. */
enum deadline_level deadline_level(int64_t start, int64_t due, int64_t now);
const char *deadline_level_code(enum deadline_level l);

/* Calendar dates: "YYYY-MM-DD" (a real date, years 1970–9999) to its local day number;
 * false when malformed or not a date (2026-02-30). */
bool deadline_parse_date(const char *s, int64_t *day);
/* The day number of a civil date (proleptic Gregorian), and back as "YYYY-MM-DD" (11 bytes). */
int64_t deadline_day_of(int y, int m, int d);
void deadline_format_date(int64_t day, char out[11]);
/* 0 = Monday … 6 = Sunday. */
int deadline_weekday(int64_t day);

#endif
