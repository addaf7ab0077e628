/* Indicators: the pure rules (see domain/indicator.h). */
#include "domain/indicator.h"

#include <stdio.h>
#include <string.h>

static const struct fact_def facts[] = {
    {"cases_reported", "上报事件数", "Cases reported", FACT_COUNT},
    {"cases_closed", "上报事件中已办结数", "Of them closed", FACT_COUNT},
    {"cases_closed_on_time", "按期办结数", "Closed, handled on time", FACT_COUNT},
    {"hazards_reported", "上报隐患数", "Hazards reported", FACT_COUNT},
    {"hazards_closed", "隐患整改办结数", "Hazards rectified (closed)", FACT_COUNT},
    {"ratings", "评价数", "Ratings given", FACT_COUNT},
    {"ratings_good", "满意及基本满意数", "Ratings satisfied or basic", FACT_COUNT},
    {"rectifications", "整治事项数", "Rectification items", FACT_COUNT},
    {"rectifications_verified", "整治销号数", "Rectification items ticked off", FACT_COUNT},
    {"commitments_due", "到期承诺事项数", "Commitments due", FACT_COUNT},
    {"commitments_kept", "已兑现承诺数", "Commitments kept", FACT_COUNT},
    {"callback_done", "回访核实数", "Callbacks reached (confirmed or contradicted)", FACT_COUNT},
    {"callback_contradicted", "回访不实数", "Callbacks contradicting the record", FACT_COUNT},
    {"residents_active", "实有人口数", "Active residents", FACT_STOCK},
    {"houses", "房屋数", "Houses", FACT_STOCK},
    {"sweep_visited", "最近扫楼已走访房屋数", "Houses visited in the latest sweep", FACT_SWEEP},
    {"criminal_cases", "刑事案件数（公安）", "Criminal cases (police)", FACT_MANUAL},
    {"fire_hazards", "消防隐患数（消防）", "Fire hazards (fire brigade)", FACT_MANUAL},
    {"fire_hazards_rectified", "消防隐患整改数（消防）", "Fire hazards rectified (fire brigade)",
     FACT_MANUAL},
};

const struct fact_def *indicator_fact(const char *code)
{
	for (size_t i = 0; code && i < sizeof facts / sizeof *facts; i++)
		if (strcmp(facts[i].code, code) == 0)
			return &facts[i];
	return NULL;
}

const struct fact_def *indicator_fact_at(size_t i)
{
	return i < sizeof facts / sizeof *facts ? &facts[i] : NULL;
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool period_parse(const char *s, struct period *out)
{
	if (!s || strlen(s) < 4 || !digits(s, 4) || s[0] != '2' || s[1] != '0')
		return false;
	int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	size_t n = strlen(s);
	if (n == 4) {
		*out = (struct period){PERIOD_YEAR, year * 100 + 1, year * 100 + 12};
		return true;
	}
	if (n == 7 && s[4] == '-' && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4') {
		int q = s[6] - '0';
		*out = (struct period){PERIOD_QUARTER, year * 100 + q * 3 - 2, year * 100 + q * 3};
		return true;
	}
	if (n == 7 && s[4] == '-' && digits(s + 5, 2)) {
		int m = (s[5] - '0') * 10 + (s[6] - '0');
		if (m < 1 || m > 12)
			return false;
		*out = (struct period){PERIOD_MONTH, year * 100 + m, year * 100 + m};
		return true;
	}
	return false;
}

void period_format(const struct period *p, char out[8])
{
	unsigned year = (unsigned)(p->first / 100) % 10000u,
	         month = (unsigned)(p->first % 100) % 13u;
	char buf[16];
	if (p->type == PERIOD_YEAR)
		snprintf(buf, sizeof buf, "%04u", year);
	else if (p->type == PERIOD_QUARTER)
		snprintf(buf, sizeof buf, "%04u-Q%u", year, (month + 2) / 3 % 10u);
	else
		snprintf(buf, sizeof buf, "%04u-%02u", year, month);
	memcpy(out, buf, 8);
	out[7] = '\0';
}

struct period period_previous_year(const struct period *p)
{
	return (struct period){p->type, p->first - 100, p->last - 100};
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The civil year and month of a day count (the inverse, months only). */
static void civil_from_days(int64_t z, int *year, int *month)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)(yoe + era * 400 + (m <= 2));
	*month = m;
}

struct period period_of(enum period_type t, int64_t t_utc)
{
	int64_t day = (t_utc + 28800) / 86400;
	if (t_utc + 28800 < 0 && (t_utc + 28800) % 86400)
		day--;
	int year, month;
	civil_from_days(day, &year, &month);
	if (t == PERIOD_YEAR)
		return (struct period){t, year * 100 + 1, year * 100 + 12};
	if (t == PERIOD_QUARTER) {
		int q = (month - 1) / 3;
		return (struct period){t, year * 100 + q * 3 + 1, year * 100 + q * 3 + 3};
	}
	return (struct period){t, year * 100 + month, year * 100 + month};
}

int64_t period_end(const struct period *p)
{
	int year = p->last / 100, month = p->last % 100 + 1;
	if (month == 13) {
		year++;
		month = 1;
	}
	return days_from_civil(year, month, 1) * 86400 - 28800;
}

static const char *const type_names[] = {"month", "quarter", "year"};

const char *period_type_name(enum period_type t)
{
	return type_names[t];
}

bool period_type_parse(const char *s, enum period_type *out)
{
	for (int i = 0; s && i < 3; i++)
		if (strcmp(s, type_names[i]) == 0) {
			*out = (enum period_type)i;
			return true;
		}
	return false;
}

bool indicator_value(int64_t numerator, int64_t denominator, int64_t factor, double *out)
{
	if (denominator == 0)
		return false;
	*out = (double)numerator * (double)factor / (double)denominator;
	return true;
}

bool indicator_too_few(int64_t denominator, int64_t min_denominator)
{
	return denominator < min_denominator;
}

enum band indicator_band(double value, bool higher, bool has_bands, double green, double yellow)
{
	if (!has_bands)
		return BAND_NONE;
	if (higher)
		return value >= green ? BAND_GREEN : value >= yellow ? BAND_YELLOW : BAND_RED;
	return value <= green ? BAND_GREEN : value <= yellow ? BAND_YELLOW : BAND_RED;
}

const char *band_name(enum band b)
{
	static const char *const names[] = {NULL, "green", "yellow", "red"};
	return names[b];
}

bool indicator_factor_ok(int64_t factor)
{
	return factor == 1 || factor == 100 || factor == 1000 || factor == 10000 ||
	       factor == 100000;
}

bool indicator_bands_ok(bool higher, double green, double yellow)
{
	return higher ? green >= yellow : green <= yellow;
}

bool indicator_code_ok(const char *code)
{
	size_t n = code ? strlen(code) : 0;
	if (n < 2 || n > 40 || code[0] < 'a' || code[0] > 'z')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((code[i] >= 'a' && code[i] <= 'z') || (code[i] >= '0' && code[i] <= '9') ||
		      code[i] == '_'))
			return false;
	return true;
}
