/* Unit tests for src/domain/indicator.c: periods (month, quarter, year and their bounds in
 * Asia/Shanghai), the value of a ratio with its factor, zero denominators, the minimum
 * denominator, colour bands both ways and the checks of a definition — known answers worked
 * out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "domain/indicator.h"

static void test_period_parse(void **state)
{
	(void)state;
	struct period p;
	assert_true(period_parse("2026-11", &p));
	assert_int_equal(p.type, PERIOD_MONTH);
	assert_int_equal(p.first, 202611);
	assert_int_equal(p.last, 202611);
	assert_true(period_parse("2026-Q3", &p));
	assert_int_equal(p.type, PERIOD_QUARTER);
	assert_int_equal(p.first, 202607);
	assert_int_equal(p.last, 202609);
	assert_true(period_parse("2025", &p));
	assert_int_equal(p.first, 202501);
	assert_int_equal(p.last, 202512);
	const char *bad[] = {"",       "26-11",   "2026-13",    "2026-00", "2026-Q5", "2026-Q0",
	                     "2026-1", "1999-01", "2026-11-01", "abcd",    "2026/11", NULL};
	for (int i = 0; bad[i]; i++)
		assert_false(period_parse(bad[i], &p));
	assert_false(period_parse(NULL, &p));
	char out[8];
	period_parse("2026-Q4", &p);
	period_format(&p, out);
	assert_string_equal(out, "2026-Q4");
	struct period y = period_previous_year(&p);
	period_format(&y, out);
	assert_string_equal(out, "2025-Q4");
	assert_int_equal(y.first, 202510);
	period_parse("2026-02", &p);
	period_format(&p, out);
	assert_string_equal(out, "2026-02");
}

static void test_period_bounds(void **state)
{
	(void)state;
	/* 2026-11-30T16:00:00Z is 2026-12-01 00:00 in Shanghai: December */
	struct period p = period_of(PERIOD_MONTH, 1796054400);
	assert_int_equal(p.first, 202612);
	p = period_of(PERIOD_MONTH, 1796054399);
	assert_int_equal(p.first, 202611);
	p = period_of(PERIOD_QUARTER, 1796054399);
	assert_int_equal(p.first, 202610);
	assert_int_equal(p.last, 202612);
	p = period_of(PERIOD_YEAR, 1796054399);
	assert_int_equal(p.first, 202601);
	/* the end of November 2026 is 2026-12-01 00:00 +08:00 */
	period_parse("2026-11", &p);
	assert_int_equal(period_end(&p), 1796054400);
	period_parse("2026", &p);
	assert_int_equal(period_end(&p), 1798761600 - 28800); /* 2027-01-01T00:00:00+08:00 */
	enum period_type t;
	assert_true(period_type_parse("quarter", &t));
	assert_int_equal(t, PERIOD_QUARTER);
	assert_false(period_type_parse("week", &t));
	assert_string_equal(period_type_name(PERIOD_YEAR), "year");
}

static void test_value(void **state)
{
	(void)state;
	double v;
	/* 3 of 4 closed, as a percentage */
	assert_true(indicator_value(3, 4, 100, &v));
	assert_true(fabs(v - 75.0) < 1e-9);
	/* 7 cases among 3 500 residents per 10 000 */
	assert_true(indicator_value(7, 3500, 10000, &v));
	assert_true(fabs(v - 20.0) < 1e-9);
	assert_false(indicator_value(5, 0, 100, &v));
	assert_true(indicator_value(0, 9, 100, &v));
	assert_true(v == 0.0);
	/* aggregate before dividing: 1/1 and 1/3 make 2/4 = 50 %, not the mean 66.7 % */
	assert_true(indicator_value(1 + 1, 1 + 3, 100, &v));
	assert_true(fabs(v - 50.0) < 1e-9);
	assert_true(indicator_too_few(4, 5));
	assert_false(indicator_too_few(5, 5));
	assert_false(indicator_too_few(0, 0));
}

static void test_bands(void **state)
{
	(void)state;
	assert_int_equal(indicator_band(98, true, true, 95, 85), BAND_GREEN);
	assert_int_equal(indicator_band(95, true, true, 95, 85), BAND_GREEN);
	assert_int_equal(indicator_band(90, true, true, 95, 85), BAND_YELLOW);
	assert_int_equal(indicator_band(84.9, true, true, 95, 85), BAND_RED);
	assert_int_equal(indicator_band(10, false, true, 20, 40), BAND_GREEN);
	assert_int_equal(indicator_band(30, false, true, 20, 40), BAND_YELLOW);
	assert_int_equal(indicator_band(41, false, true, 20, 40), BAND_RED);
	assert_int_equal(indicator_band(41, false, false, 0, 0), BAND_NONE);
	assert_null(band_name(BAND_NONE));
	assert_string_equal(band_name(BAND_RED), "red");
	assert_true(indicator_bands_ok(true, 95, 85));
	assert_false(indicator_bands_ok(true, 85, 95));
	assert_true(indicator_bands_ok(false, 20, 40));
	assert_false(indicator_bands_ok(false, 40, 20));
}

static void test_definition(void **state)
{
	(void)state;
	assert_true(indicator_code_ok("case_closure_rate"));
	assert_true(indicator_code_ok("x2"));
	assert_false(indicator_code_ok("2x"));
	assert_false(indicator_code_ok("a"));
	assert_false(indicator_code_ok("Closure"));
	assert_false(indicator_code_ok("a-b"));
	assert_true(indicator_factor_ok(100));
	assert_true(indicator_factor_ok(10000));
	assert_false(indicator_factor_ok(7));
	assert_non_null(indicator_fact("cases_reported"));
	assert_int_equal(indicator_fact("residents_active")->kind, FACT_STOCK);
	assert_int_equal(indicator_fact("criminal_cases")->kind, FACT_MANUAL);
	assert_int_equal(indicator_fact("sweep_visited")->kind, FACT_SWEEP);
	assert_null(indicator_fact("no_such_fact"));
	assert_null(indicator_fact(NULL));
	size_t n = 0;
	while (indicator_fact_at(n))
		n++;
	assert_int_equal(n, 19);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_period_parse), cmocka_unit_test(test_period_bounds),
	    cmocka_unit_test(test_value),        cmocka_unit_test(test_bands),
	    cmocka_unit_test(test_definition),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
