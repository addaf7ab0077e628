/* Pure calendar arithmetic, so no process-wide TZ setting is needed. */
#include "core/text.h"
#include "core/timeutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

enum { SHANGHAI_OFFSET = 8 * 3600 };

int64_t time_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

int64_t time_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

void time_format(int64_t t, char out[TIME_RFC3339_LEN])
{
	int64_t local = t + SHANGHAI_OFFSET;
	int64_t days = local / 86400, secs = local % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	int y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(out, TIME_RFC3339_LEN, "%04d-%02u-%02uT%02d:%02d:%02d+08:00", y, m, d,
		         (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
		return;
	}
	/* The digits by hand: a list page formats hundreds of times, and snprintf was a
	 * noticeable part of rendering one. */
	static const char tail[] = "+08:00";
	int v[6] = {y, (int)m, (int)d, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60)};
	static const char sep[] = "--T::";
	char *p = out;
	*p++ = (char)('0' + v[0] / 1000);
	*p++ = (char)('0' + v[0] / 100 % 10);
	*p++ = (char)('0' + v[0] / 10 % 10);
	*p++ = (char)('0' + v[0] % 10);
	for (int i = 1; i < 6; i++) {
		*p++ = sep[i - 1];
		*p++ = (char)('0' + v[i] / 10);
		*p++ = (char)('0' + v[i] % 10);
	}
	memcpy(p, tail, sizeof tail);
}

bool time_parse(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, se;
	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
	    s[13] != ':' || s[16] != ':')
		return false;
	if (!text_digits_value(s, 4, &y) || !text_digits_value(s + 5, 2, &mo) ||
	    !text_digits_value(s + 8, 2, &d) || !text_digits_value(s + 11, 2, &h) ||
	    !text_digits_value(s + 14, 2, &mi) || !text_digits_value(s + 17, 2, &se))
		return false;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || se > 60)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo == 2 && d == 29 && !leap)
		return false;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	int off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (!text_digits_value(p + 1, 2, &oh) || p[3] != ':' ||
		    !text_digits_value(p + 4, 2, &om) || oh > 23 || om > 59)
			return false;
		off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return false;
	}
	if (*p)
		return false;
	int64_t t =
	    days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se - off;
	/* Only instants whose Shanghai date has a four-digit year (0001–9999) round-trip
	 * through time_format. */
	int64_t local = t + SHANGHAI_OFFSET;
	if (local < days_from_civil(1, 1, 1) * 86400 ||
	    local >= days_from_civil(10000, 1, 1) * 86400)
		return false;
	*out = t;
	return true;
}
