/* Unit tests for src/domain/worker_assessment.c: the measures' values, the default scheme and
 * the score of a month with known answers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "domain/ranking.h"
#include "domain/worker_assessment.h"

static void test_codes(void **state)
{
	(void)state;
	enum worker_measure m;
	assert_true(worker_measure_parse("reports", &m) && m == WM_REPORTS);
	assert_true(worker_measure_parse("on_time_rate", &m) && m == WM_ON_TIME);
	assert_true(worker_measure_parse("callback_failures", &m) && m == WM_CALLBACK_FAILURE);
	assert_false(worker_measure_parse("nothing", &m));
	assert_false(worker_measure_parse(NULL, &m));
	assert_string_equal(worker_measure_code(WM_SWEEPS_VERIFIED), "sweeps_verified");
	assert_string_equal(worker_measure_name(WM_CARE_VISITS), "关爱走访次数");
	assert_null(worker_measure_code(WM_COUNT));
}

static void test_values(void **state)
{
	(void)state;
	struct worker_counts c = {.reports = 5,
	                          .sweeps_verified = 30,
	                          .care_visits = 2,
	                          .handled = 4,
	                          .handled_on_time = 3,
	                          .callbacks_reached = 2,
	                          .callbacks_contradicted = 1};
	int64_t num, den;
	double v;
	assert_true(worker_measure_value(WM_REPORTS, &c, &num, &den, &v));
	assert_true(num == 5 && den == 1 && v == 5);
	assert_true(worker_measure_value(WM_ON_TIME, &c, &num, &den, &v));
	assert_true(num == 3 && den == 4 && v == 75);
	assert_true(worker_measure_value(WM_CALLBACK_FAILURE, &c, &num, &den, &v));
	assert_true(num == 1 && v == 1);
	c.handled = 0;
	c.handled_on_time = 0;
	assert_false(worker_measure_value(WM_ON_TIME, &c, &num, &den, &v));
}

static void test_default_scheme(void **state)
{
	(void)state;
	size_t n;
	const struct worker_item *s = worker_scheme_default(&n);
	assert_int_equal(n, 5);
	double w = 0;
	for (size_t i = 0; i < n; i++) {
		w += s[i].weight;
		assert_true(ranking_item_ok(s[i].higher, s[i].floor, s[i].target, s[i].weight));
	}
	assert_true(w == 100);
}

static void test_score(void **state)
{
	(void)state;
	size_t n;
	const struct worker_item *s = worker_scheme_default(&n);
	double pts[8];
	bool has[8];
	/* reports 4 of 8 → 10; sweeps 40 → 25; care 2 of 8 → 3.75; on time 3/4 = 75 % → 25 ×
	 * 15/35 = 10.71; 1 failure of floor 3 → 15 × 2/3 = 10 */
	struct worker_counts c = {.reports = 4,
	                          .sweeps_verified = 40,
	                          .care_visits = 2,
	                          .handled = 4,
	                          .handled_on_time = 3,
	                          .callbacks_reached = 3,
	                          .callbacks_contradicted = 1};
	double t = worker_score(s, n, &c, pts, has);
	assert_true(pts[0] == 10 && pts[1] == 25 && pts[2] == 3.75 && pts[3] == 10.71 &&
	            pts[4] == 10);
	assert_true(t == 59.46);
	/* nothing at all: no on-time value (0 points), no failure (full 15) */
	struct worker_counts z = {0};
	t = worker_score(s, n, &z, pts, has);
	assert_false(has[3]);
	assert_true(has[4]);
	assert_true(t == 15);
	/* everything full */
	struct worker_counts f = {.reports = 9,
	                          .sweeps_verified = 41,
	                          .care_visits = 8,
	                          .handled = 2,
	                          .handled_on_time = 2};
	assert_true(worker_score(s, n, &f, pts, has) == 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_codes),
	    cmocka_unit_test(test_values),
	    cmocka_unit_test(test_default_scheme),
	    cmocka_unit_test(test_score),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
