/* Unit tests for src/domain/recurring.c and geo_distance_m: what a place is, when two cases
 * share one (same building, or 50 m), the window of N cases in M weeks, joining a problem,
 * and the rule's bounds — known answers worked out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "domain/geo.h"
#include "domain/recurring.h"

#define WEEK  (7 * 86400)
#define M_LAT (1.0 / 111195.0) /* degrees of latitude in one metre (mean Earth radius) */
#define T0    1800000000

static struct recur_place at(double north_m, double east_m)
{
	/* at latitude 30°, a metre east is 1/cos(30°) times the degrees of a metre north */
	return (struct recur_place){.has_point = true,
	                            .lat = 30.0 + north_m * M_LAT,
	                            .lon = 120.0 + east_m * M_LAT / cos(30.0 * M_PI / 180)};
}

static struct recur_place building(int64_t id)
{
	return (struct recur_place){.building_id = id};
}

static void test_distance(void **state)
{
	(void)state;
	struct recur_place a = at(0, 0), b = at(100, 0), c = at(0, 100);
	assert_true(fabs(geo_distance_m(a.lat, a.lon, b.lat, b.lon) - 100) < 0.01);
	assert_true(fabs(geo_distance_m(a.lat, a.lon, c.lat, c.lon) - 100) < 0.1);
	assert_true(geo_distance_m(a.lat, a.lon, a.lat, a.lon) == 0);
	/* one degree of latitude on the mean sphere */
	assert_true(fabs(geo_distance_m(0, 0, 1, 0) - 111195) < 1);
}

static void test_same_place(void **state)
{
	(void)state;
	struct recur_place o = at(0, 0);
	assert_true(recur_same_place(&o, &o));
	struct recur_place p49 = at(49, 0), p51 = at(51, 0), e49 = at(0, 49), e51 = at(0, 51);
	assert_true(recur_same_place(&o, &p49));
	assert_false(recur_same_place(&o, &p51));
	assert_true(recur_same_place(&o, &e49));
	assert_false(recur_same_place(&o, &e51));
	struct recur_place d = at(30, 40); /* 50 m exactly: still the place */
	assert_true(recur_same_place(&o, &d));
	/* the same building, however far apart the points (or without points) */
	struct recur_place b1 = building(7), b1far = at(500, 0), b2 = building(8);
	b1far.building_id = 7;
	assert_true(recur_same_place(&b1, &b1far));
	assert_true(recur_same_place(&b1far, &b1));
	assert_false(recur_same_place(&b1, &b2));
	/* different buildings 20 m apart: the points decide */
	struct recur_place x = at(0, 0), y = at(20, 0);
	x.building_id = 1;
	y.building_id = 2;
	assert_true(recur_same_place(&x, &y));
	/* a building and a bare point: nothing in common */
	assert_false(recur_same_place(&b1, &o));
	struct recur_place none = {0};
	assert_false(recur_has_place(&none));
	assert_false(recur_same_place(&none, &none));
	assert_true(recur_has_place(&b1));
	assert_true(recur_has_place(&o));
}

static void test_rule(void **state)
{
	(void)state;
	struct recur_rule r = {0};
	assert_true(recur_rule_normalise(&r));
	assert_int_equal(r.min_cases, 3);
	assert_int_equal(r.weeks, 8);
	assert_int_equal(recur_window(&r), 8 * WEEK);
	struct recur_rule bad = {1, 8};
	assert_false(recur_rule_normalise(&bad));
	bad = (struct recur_rule){3, 53};
	assert_false(recur_rule_normalise(&bad));
	bad = (struct recur_rule){101, 4};
	assert_false(recur_rule_normalise(&bad));
	struct recur_rule ok = {2, 52};
	assert_true(recur_rule_normalise(&ok));
}

static void test_joins(void **state)
{
	(void)state;
	struct recur_rule r = {3, 8};
	assert_true(recur_joins(&r, T0, T0 + WEEK, T0 + 2 * WEEK));
	assert_true(recur_joins(&r, T0, T0 + WEEK, T0 + 9 * WEEK));
	assert_false(recur_joins(&r, T0, T0 + WEEK, T0 + 9 * WEEK + 1));
	/* a case that arrives late (out of order) joins when within a window before the first */
	assert_true(recur_joins(&r, T0, T0 + WEEK, T0 - 8 * WEEK));
	assert_false(recur_joins(&r, T0, T0 + WEEK, T0 - 8 * WEEK - 1));
}

static void test_group(void **state)
{
	(void)state;
	struct recur_rule r = {3, 8};
	bool member[8];
	long anchor;
	struct recur_case c = {.id = 100, .at = T0 + 7 * WEEK, .place = building(5)};
	/* two before it in the building: three within 8 weeks */
	struct recur_case two[] = {{.id = 10, .at = T0, .place = building(5)},
	                           {.id = 20, .at = T0 + 3 * WEEK, .place = building(5)}};
	assert_int_equal(recur_group(&r, &c, two, 2, member, &anchor), 3);
	assert_true(member[0] && member[1]);
	assert_int_equal(anchor, 0);
	/* one before it: two are not a problem */
	assert_int_equal(recur_group(&r, &c, two + 1, 1, member, &anchor), 0);
	assert_false(member[0]);
	assert_int_equal(anchor, -1);
	/* the first 8 weeks and a second before the window: only two within it */
	struct recur_case old[] = {{.id = 10, .at = T0 - 2 * WEEK, .place = building(5)},
	                           {.id = 20, .at = T0 + 3 * WEEK, .place = building(5)}};
	assert_int_equal(recur_group(&r, &c, old, 2, member, &anchor), 0);
	/* another building, and a point without a building, do not count */
	struct recur_case other[] = {{.id = 10, .at = T0, .place = building(6)},
	                             {.id = 20, .at = T0 + 3 * WEEK, .place = at(0, 0)},
	                             {.id = 30, .at = T0 + 4 * WEEK, .place = building(5)}};
	assert_int_equal(recur_group(&r, &c, other, 3, member, &anchor), 0);
	/* by points: within 50 m of the new case count, 200 m away do not */
	struct recur_case p = {.id = 100, .at = T0 + WEEK, .place = at(0, 0)};
	struct recur_case pts[] = {{.id = 1, .at = T0, .place = at(200, 0)},
	                           {.id = 2, .at = T0, .place = at(20, 0)},
	                           {.id = 3, .at = T0 + 60, .place = at(-30, 10)},
	                           {.id = 4, .at = T0, .place = at(0, 200)}};
	assert_int_equal(recur_group(&r, &p, pts, 4, member, &anchor), 3);
	assert_false(member[0]);
	assert_true(member[1]);
	assert_true(member[2]);
	assert_false(member[3]);
	assert_int_equal(anchor, 1);
	/* the best window holds the new case: cases on both sides of it, 8 weeks wide */
	struct recur_case mid = {.id = 100, .at = T0 + 8 * WEEK, .place = building(5)};
	struct recur_case both[] = {{.id = 1, .at = T0 + 1, .place = building(5)},
	                            {.id = 2, .at = T0 + 15 * WEEK, .place = building(5)},
	                            {.id = 3, .at = T0 + 16 * WEEK, .place = building(5)}};
	assert_int_equal(recur_group(&r, &mid, both, 3, member, &anchor), 3);
	assert_false(member[0]);
	assert_true(member[1] && member[2]);
	assert_int_equal(anchor, -1); /* the new case is the earliest of its group */
	/* a tie in time: the older id anchors */
	struct recur_case tie[] = {{.id = 9, .at = T0, .place = building(5)},
	                           {.id = 8, .at = T0, .place = building(5)}};
	struct recur_case late = {.id = 100, .at = T0 + WEEK, .place = building(5)};
	assert_int_equal(recur_group(&r, &late, tie, 2, member, &anchor), 3);
	assert_int_equal(anchor, 1);
	/* a case without a place never groups */
	struct recur_case nowhere = {.id = 100, .at = T0};
	assert_int_equal(recur_group(&r, &nowhere, two, 2, member, &anchor), 0);
	/* N = 2 in 1 week */
	struct recur_rule r2 = {2, 1};
	assert_int_equal(recur_group(&r2, &c, two + 1, 1, member, &anchor), 0);
	struct recur_case near = {.id = 99, .at = T0 + 6 * WEEK, .place = building(5)};
	assert_int_equal(recur_group(&r2, &c, &near, 1, member, &anchor), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_distance), cmocka_unit_test(test_same_place),
	    cmocka_unit_test(test_rule),     cmocka_unit_test(test_joins),
	    cmocka_unit_test(test_group),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
