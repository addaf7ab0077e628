/* Local time is UTC+8 all year (no daylight saving in China), so calendar
 * arithmetic needs no time-zone database. */
#include "core/text.h"
#include "domain/deadline.h"

enum { OFFSET = 8 * 3600, DAY = 86400 };

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* 1970-01-01 was a Thursday. */
int deadline_weekday(int64_t day)
{
	int64_t w = (day + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

bool deadline_is_working_day(const struct work_calendar *cal, int64_t day)
{
	if (cal && cal->n) {
		/* Binary search: a calendar holds a few dozen days a year. */
		size_t lo = 0, hi = cal->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (cal->days[mid].day < day)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < cal->n && cal->days[lo].day == day)
			return cal->days[lo].workday;
	}
	return deadline_weekday(day) < 5;
}

int64_t deadline_add_working_hours(const struct work_calendar *cal, int64_t start, int64_t hours)
{
	int64_t local = start + OFFSET;
	int64_t remaining = hours * 3600;
	int64_t day = floor_div(local, DAY);
	/* A start on a day off counts from the next working day 00:00. The loops end: only the
	 * calendar's finitely many days can turn a weekday off. */
	if (!deadline_is_working_day(cal, day)) {
		while (!deadline_is_working_day(cal, day))
			day++;
		local = day * DAY;
	}
	for (;;) {
		int64_t day_end = (day + 1) * DAY;
		if (deadline_is_working_day(cal, day)) {
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

/* Days from 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
int64_t deadline_day_of(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void deadline_format_date(int64_t day, char out[11])
{
	int64_t z = day + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	int y = (int)(yoe + era * 400 + (m <= 2));
	int v[3] = {y, m, d}, w[3] = {4, 2, 2};
	char *p = out;
	for (int f = 0; f < 3; f++) {
		for (int i = w[f] - 1; i >= 0; i--, v[f] /= 10)
			p[i] = (char)('0' + (v[f] % 10 + 10) % 10);
		p += w[f];
		*p++ = f < 2 ? '-' : '\0';
	}
}

bool deadline_parse_date(const char *s, int64_t *day)
{
	int y, m, d;
	if (!s || !text_digits_value(s, 4, &y) || s[4] != '-' || !text_digits_value(s + 5, 2, &m) ||
	    s[7] != '-' || !text_digits_value(s + 8, 2, &d) || s[10] != '\0')
		return false;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
		return false;
	*day = deadline_day_of(y, m, d);
	return true;
}
