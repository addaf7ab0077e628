/* Local time is UTC+8 all year (no daylight saving in China), so calendar
 * arithmetic needs no time-zone database. */
#include "domain/deadline.h"

enum { OFFSET = 8 * 3600, DAY = 86400 };

/* 0 = Monday … 6 = Sunday for a local day number (1970-01-01 was a Thursday). */
static int weekday(int64_t local_day)
{
	int64_t w = (local_day + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t deadline_add_working_hours(int64_t start, int64_t hours)
{
	int64_t local = start + OFFSET;
	int64_t remaining = hours * 3600;
	int64_t day = floor_div(local, DAY);
	/* A start on a weekend counts from the next Monday 00:00. */
	if (weekday(day) >= 5) {
		while (weekday(day) >= 5)
			day++;
		local = day * DAY;
	}
	for (;;) {
		int64_t day_end = (day + 1) * DAY;
		if (weekday(day) < 5) {
			int64_t left = day_end - local;
			if (remaining <= left)
				return local + remaining - OFFSET;
			remaining -= left;
		}
		day++;
		local = day * DAY;
	}
}

int64_t deadline_end_of_day(int64_t t)
{
	int64_t day = floor_div(t + OFFSET, DAY);
	return (day + 1) * DAY - 1 - OFFSET;
}

enum deadline_level deadline_level(int64_t start, int64_t due, int64_t now)
{
	if (now > due)
		return DEADLINE_RED;
	int64_t span = due - start;
	if (span <= 0)
		return DEADLINE_OK;
	/* elapsed ≥ 80 % of span, in integers */
	return (now - start) * 5 >= span * 4 ? DEADLINE_YELLOW : DEADLINE_OK;
}

const char *deadline_level_code(enum deadline_level l)
{
	static const char *codes[] = {"ok", "yellow", "red"};
	return l <= DEADLINE_RED ? codes[l] : "";
}
