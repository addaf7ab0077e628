/* Unit tests for src/domain/sample.c: the generator's known outputs (splitmix64, xoshiro256**),
 * the reproducible draw (same seed and population → same sample, whatever the order given;
 * another seed → another), an unbiased bound, and the margin of error on crafted counts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "domain/sample.h"

static void test_splitmix(void **state)
{
	(void)state;
	uint64_t x = 0;
	/* the reference splitmix64 sequence from 0 */
	assert_true(sample_splitmix64(&x) == UINT64_C(0xe220a8397b1dcdaf));
	assert_true(sample_splitmix64(&x) == UINT64_C(0x6e789e6aa1b965f4));
	assert_true(sample_splitmix64(&x) == UINT64_C(0x06c45d188009454f));
	assert_true(sample_splitmix64(&x) == UINT64_C(0xf88bb8a8724c81ec));
}

static void test_xoshiro(void **state)
{
	(void)state;
	struct sample_rng r;
	sample_seed(&r, 0);
	assert_true(r.s[0] == UINT64_C(0xe220a8397b1dcdaf));
	assert_true(sample_next(&r) == UINT64_C(0x99ec5f36cb75f2b4));
	assert_true(sample_next(&r) == UINT64_C(0xbf6e1f784956452a));
	assert_true(sample_next(&r) == UINT64_C(0x1a5f849d4933e6e0));
	sample_seed(&r, 42);
	assert_true(sample_next(&r) == UINT64_C(0x15780b2e0c2ec716));
	assert_true(sample_next(&r) == UINT64_C(0x6104d9866d113a7e));
}

static void test_below(void **state)
{
	(void)state;
	struct sample_rng r;
	sample_seed(&r, 7);
	int seen[6] = {0};
	for (int i = 0; i < 6000; i++) {
		uint64_t v = sample_below(&r, 6);
		assert_true(v < 6);
		seen[v]++;
	}
	for (int i = 0; i < 6; i++)
		assert_true(seen[i] > 850 && seen[i] < 1150);
	assert_true(sample_below(&r, 1) == 0);
	assert_true(sample_below(&r, 0) == 0);
}

static void test_draw(void **state)
{
	(void)state;
	int64_t ids[20], again[20];
	for (int i = 0; i < 20; i++) {
		ids[i] = i + 1;
		again[i] = 20 - i; /* the same population in another order */
	}
	assert_int_equal(sample_draw(ids, 20, 5, 42), 5);
	int64_t want42[5] = {3, 12, 14, 19, 9};
	assert_memory_equal(ids, want42, sizeof want42);
	assert_int_equal(sample_draw(again, 20, 5, 42), 5);
	assert_memory_equal(again, want42, sizeof want42);
	for (int i = 0; i < 20; i++)
		ids[i] = i + 1;
	sample_draw(ids, 20, 5, 43);
	int64_t want43[5] = {9, 18, 10, 8, 13};
	assert_memory_equal(ids, want43, sizeof want43);
	/* sparse ids: sorted first */
	int64_t sparse[8] = {17, 3, 99, 5, 42, 8, 1000, 2};
	assert_int_equal(sample_draw(sparse, 8, 3, 7), 3);
	int64_t want7[3] = {5, 1000, 2};
	assert_memory_equal(sparse, want7, sizeof want7);
	/* k past n: the whole population, each id once */
	int64_t all[4] = {4, 3, 2, 1};
	assert_int_equal(sample_draw(all, 4, 10, 1), 4);
	int sum = 0;
	for (int i = 0; i < 4; i++)
		sum += (int)all[i];
	assert_int_equal(sum, 10);
	assert_int_equal(sample_draw(NULL, 0, 3, 1), 0);
}

static void test_margin(void **state)
{
	(void)state;
	double m;
	assert_true(sample_margin(50, 100, 0, &m));
	assert_true(fabs(m - 0.098) < 1e-12);
	assert_true(sample_margin(50, 100, 1000, &m));
	assert_true(fabs(m - 0.0930174836) < 1e-9);
	assert_true(sample_margin(5, 25, 100, &m));
	assert_true(fabs(m - 0.1364768823) < 1e-9);
	/* the whole population asked: no error */
	assert_true(sample_margin(3, 10, 10, &m));
	assert_true(m == 0);
	assert_true(sample_margin(1, 1, 1, &m));
	assert_true(m == 0);
	/* p = 0 or 1: 0 */
	assert_true(sample_margin(0, 30, 0, &m));
	assert_true(m == 0);
	assert_true(sample_margin(30, 30, 100, &m));
	assert_true(m == 0);
	/* n = 0: null; impossible counts: null */
	assert_false(sample_margin(0, 0, 100, &m));
	assert_false(sample_margin(4, 3, 100, &m));
	assert_false(sample_margin(-1, 3, 100, &m));
	assert_false(sample_margin(1, 30, 20, &m));
}

static void test_seed_parse(void **state)
{
	(void)state;
	uint64_t s;
	assert_true(sample_seed_parse("0", &s) && s == 0);
	assert_true(sample_seed_parse("18446744073709551615", &s) && s == UINT64_MAX);
	assert_false(sample_seed_parse("18446744073709551616", &s));
	assert_false(sample_seed_parse("", &s));
	assert_false(sample_seed_parse("-1", &s));
	assert_false(sample_seed_parse("12a", &s));
	assert_false(sample_seed_parse(NULL, &s));
}

static void test_survey_open(void **state)
{
	(void)state;
	assert_true(survey_open(202611, 202611));
	assert_true(survey_open(202611, 202612));
	assert_false(survey_open(202611, 202701));
	assert_false(survey_open(202611, 202610));
	assert_true(survey_open(202612, 202701));
	assert_false(survey_open(202612, 202702));
	assert_false(survey_open(202612, 202613));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_splitmix),    cmocka_unit_test(test_xoshiro),
	    cmocka_unit_test(test_below),       cmocka_unit_test(test_draw),
	    cmocka_unit_test(test_margin),      cmocka_unit_test(test_seed_parse),
	    cmocka_unit_test(test_survey_open),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
