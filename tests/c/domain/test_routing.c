/* Unit tests for src/domain/routing.c: the most specific rule of the responsibility list
 * (权责清单) routes a case — a specific region (deeper first), then a named handling level,
 * a named category and a named tier; ties go to the earlier rule; no match is -1. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "domain/routing.h"

#define GRID      "330102001001001"
#define COMMUNITY "330102001001"
#define STREET    "330102001"
#define DISTRICT  "330102"
#define N(a)      (sizeof(a) / sizeof((a)[0]))

/* A rule for any category, tier, level and region. */
static struct routing_rule any(int64_t id, const char *unit)
{
	return (struct routing_rule){.id = id, .tier = -1, .level = -1, .unit = unit};
}

static void test_no_rules_no_match(void **state)
{
	(void)state;
	assert_int_equal(routing_match(NULL, 0, "road", TIER_MINOR, REGION_GRID, GRID), -1);
	/* Rules that all name something else match nothing. */
	struct routing_rule r[3] = {any(1, "a"), any(2, "b"), any(3, "c")};
	r[0].category = "water";
	r[1].region_code = "330103";
	r[2].level = REGION_STREET;
	assert_int_equal(routing_match(r, N(r), "road", TIER_MINOR, REGION_GRID, GRID), -1);
	assert_int_equal(routing_score(&r[0], "road", TIER_MINOR, REGION_GRID, GRID), -1);
	/* A named category never matches a case without one. */
	assert_int_equal(routing_score(&r[0], NULL, TIER_MINOR, REGION_GRID, GRID), -1);
}

static void test_catch_all(void **state)
{
	(void)state;
	struct routing_rule r[1] = {any(7, "综合")};
	assert_int_equal(routing_match(r, 1, "road", TIER_MAJOR, REGION_STREET, GRID), 0);
	assert_int_equal(routing_score(&r[0], "road", TIER_MAJOR, REGION_STREET, GRID), 0);
	/* Empty strings are "any", as the store reads blank cells. */
	r[0].category = "";
	r[0].region_code = "";
	assert_int_equal(routing_match(r, 1, "road", TIER_MAJOR, REGION_STREET, GRID), 0);
}

static void test_most_specific_wins(void **state)
{
	(void)state;
	struct routing_rule r[6] = {any(1, "any"),   any(2, "tier"),   any(3, "category"),
	                            any(4, "level"), any(5, "street"), any(6, "community")};
	r[1].tier = TIER_MINOR;
	r[2].category = "road";
	r[3].level = REGION_GRID;
	r[4].region_code = STREET;
	r[5].region_code = COMMUNITY;
	/* The deeper region beats every other rule. */
	assert_int_equal(routing_match(r, 6, "road", TIER_MINOR, REGION_GRID, GRID), 5);
	/* Outside that community, the street's rule. */
	assert_int_equal(routing_match(r, 6, "road", TIER_MINOR, REGION_GRID, "330102001002001"),
	                 4);
	/* Outside the street: the level beats category and tier together. */
	assert_int_equal(routing_match(r, 6, "road", TIER_MINOR, REGION_GRID, "330102002001001"),
	                 3);
	/* At another level: the category beats the tier. */
	assert_int_equal(
	    routing_match(r, 6, "road", TIER_MINOR, REGION_COMMUNITY, "330102002001001"), 2);
	/* Another category: the tier beats the catch-all. */
	assert_int_equal(
	    routing_match(r, 6, "water", TIER_MINOR, REGION_COMMUNITY, "330102002001001"), 1);
	assert_int_equal(
	    routing_match(r, 6, "water", TIER_MAJOR, REGION_COMMUNITY, "330102002001001"), 0);
}

static void test_category_and_tier_add_up(void **state)
{
	(void)state;
	struct routing_rule r[3] = {any(1, "category"), any(2, "category+tier"), any(3, "tier")};
	r[0].category = "road";
	r[1].category = "road";
	r[1].tier = TIER_PRIVATE;
	r[2].tier = TIER_PRIVATE;
	assert_int_equal(routing_match(r, 3, "road", TIER_PRIVATE, REGION_COMMUNITY, GRID), 1);
	assert_int_equal(routing_match(r, 3, "road", TIER_MINOR, REGION_COMMUNITY, GRID), 0);
	assert_int_equal(routing_match(r, 3, "noise", TIER_PRIVATE, REGION_COMMUNITY, GRID), 2);
}

static void test_ties_go_to_the_earlier_rule(void **state)
{
	(void)state;
	struct routing_rule r[3] = {any(1, "first"), any(2, "second"), any(3, "third")};
	for (int i = 0; i < 3; i++)
		r[i].category = "road";
	assert_int_equal(routing_match(r, 3, "road", TIER_MINOR, REGION_GRID, GRID), 0);
	r[0].category = "water";
	assert_int_equal(routing_match(r, 3, "road", TIER_MINOR, REGION_GRID, GRID), 1);
}

/* Escalation raises a case's handling level (grid → community → street → district); rules
 * named for a level route it only there, and the catch-all takes the levels without one. */
static void test_escalation_levels(void **state)
{
	(void)state;
	struct routing_rule r[4] = {any(1, "网格"), any(2, "社区"), any(3, "街道"), any(4, "兜底")};
	r[0].level = REGION_GRID;
	r[1].level = REGION_COMMUNITY;
	r[2].level = REGION_STREET;
	assert_int_equal(routing_match(r, 4, "road", TIER_MINOR, REGION_GRID, GRID), 0);
	assert_int_equal(routing_match(r, 4, "road", TIER_MINOR, REGION_COMMUNITY, GRID), 1);
	assert_int_equal(routing_match(r, 4, "road", TIER_MINOR, REGION_STREET, GRID), 2);
	assert_int_equal(routing_match(r, 4, "road", TIER_MINOR, REGION_DISTRICT, GRID), 3);
	/* Without the catch-all a district-level case matches nothing. */
	assert_int_equal(routing_match(r, 3, "road", TIER_MINOR, REGION_DISTRICT, GRID), -1);
	/* A region rule covers its subtree at every level, and only its subtree. */
	struct routing_rule d = any(5, "区");
	d.region_code = DISTRICT;
	assert_true(routing_score(&d, "road", TIER_MINOR, REGION_DISTRICT, GRID) > 0);
	assert_int_equal(routing_score(&d, "road", TIER_MINOR, REGION_DISTRICT, "330103001001001"),
	                 -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_rules_no_match),
	    cmocka_unit_test(test_catch_all),
	    cmocka_unit_test(test_most_specific_wins),
	    cmocka_unit_test(test_category_and_tier_add_up),
	    cmocka_unit_test(test_ties_go_to_the_earlier_rule),
	    cmocka_unit_test(test_escalation_levels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
