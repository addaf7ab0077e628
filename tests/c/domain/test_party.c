/* Unit tests for domain/party.c: organisation nesting and levels, member status changes, the
 * commitment state machine (销号 only after verification), codes and coverage arithmetic. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/party.h"

static void test_kind_codes_round_trip(void **state)
{
	(void)state;
	for (int k = 0; k < PARTY_KIND_COUNT; k++) {
		enum party_kind out;
		assert_true(party_kind_parse(party_kind_code((enum party_kind)k), &out));
		assert_int_equal(out, k);
		assert_true(strlen(party_kind_name_zh((enum party_kind)k)) > 0);
	}
	enum party_kind out;
	assert_false(party_kind_parse("cell", &out));
	assert_false(party_kind_parse(NULL, &out));
	assert_false(party_kind_parse("", &out));
	assert_string_equal(party_kind_name_zh(PARTY_GRID_BRANCH), "网格党支部");
	assert_string_equal(party_kind_code((enum party_kind)99), "");
}

static void test_levels(void **state)
{
	(void)state;
	assert_true(party_kind_level_ok(PARTY_WORKING_COMMITTEE, REGION_STREET));
	assert_false(party_kind_level_ok(PARTY_WORKING_COMMITTEE, REGION_COMMUNITY));
	assert_true(party_kind_level_ok(PARTY_GRID_BRANCH, REGION_GRID));
	assert_false(party_kind_level_ok(PARTY_GRID_BRANCH, REGION_COMMUNITY));
	assert_true(party_kind_level_ok(PARTY_GROUP, REGION_GRID));
	assert_true(party_kind_level_ok(PARTY_GROUP, REGION_COMMUNITY));
	assert_false(party_kind_level_ok(PARTY_GROUP, REGION_STREET));
	assert_true(party_kind_level_ok(PARTY_FUNCTIONAL_SINKING, REGION_COMMUNITY));
	assert_false(party_kind_level_ok(PARTY_FUNCTIONAL_SOCIAL, REGION_GRID));
	assert_true(party_kind_level_ok(PARTY_BRANCH, REGION_DISTRICT)); /* a county unit's */
	assert_false(party_kind_level_ok(PARTY_BRANCH, REGION_NONE));
}

static void test_nesting(void **state)
{
	(void)state;
	/* The five-tier chain. */
	assert_true(party_kind_may_parent(PARTY_WORKING_COMMITTEE, PARTY_COMMITTEE));
	assert_true(party_kind_may_parent(PARTY_COMMITTEE, PARTY_GRID_BRANCH));
	assert_true(party_kind_may_parent(PARTY_JOINT_COMMITTEE, PARTY_GRID_BRANCH));
	assert_true(party_kind_may_parent(PARTY_GENERAL_BRANCH, PARTY_GRID_BRANCH));
	assert_true(party_kind_may_parent(PARTY_GRID_BRANCH, PARTY_GROUP));
	/* Functional branches sit under the community organisation. */
	assert_true(party_kind_may_parent(PARTY_COMMITTEE, PARTY_FUNCTIONAL_SINKING));
	assert_true(party_kind_may_parent(PARTY_GENERAL_BRANCH, PARTY_FUNCTIONAL_SOCIAL));
	assert_false(party_kind_may_parent(PARTY_WORKING_COMMITTEE, PARTY_FUNCTIONAL_SOCIAL));
	assert_false(party_kind_may_parent(PARTY_GRID_BRANCH, PARTY_FUNCTIONAL_SINKING));
	/* A branch holds groups, not branches; a group holds nothing. */
	assert_false(party_kind_may_parent(PARTY_BRANCH, PARTY_BRANCH));
	assert_false(party_kind_may_parent(PARTY_GRID_BRANCH, PARTY_BRANCH));
	for (int k = 0; k < PARTY_KIND_COUNT; k++)
		assert_false(party_kind_may_parent(PARTY_GROUP, (enum party_kind)k));
	assert_true(party_kind_may_be_root(PARTY_WORKING_COMMITTEE));
	assert_true(party_kind_may_be_root(PARTY_BRANCH));
	assert_false(party_kind_may_be_root(PARTY_GRID_BRANCH));
	assert_false(party_kind_may_be_root(PARTY_GROUP));
	assert_false(party_kind_may_be_root(PARTY_FUNCTIONAL_SINKING));
}

static void test_nesting_problem(void **state)
{
	(void)state;
	const char *street = "999901001", *comm = "999901001001", *grid = "999901001001001";
	const char *other_grid = "999901001002001";
	assert_null(party_nesting_problem(-1, NULL, PARTY_WORKING_COMMITTEE, street));
	assert_null(party_nesting_problem(PARTY_WORKING_COMMITTEE, street, PARTY_COMMITTEE, comm));
	assert_null(party_nesting_problem(PARTY_COMMITTEE, comm, PARTY_GRID_BRANCH, grid));
	assert_string_equal(party_nesting_problem(PARTY_COMMITTEE, comm, PARTY_GRID_BRANCH, comm),
	                    "level");
	assert_string_equal(party_nesting_problem(-1, NULL, PARTY_GRID_BRANCH, grid), "root");
	assert_string_equal(party_nesting_problem(PARTY_BRANCH, comm, PARTY_GRID_BRANCH, grid),
	                    "nesting");
	assert_string_equal(
	    party_nesting_problem(PARTY_COMMITTEE, comm, PARTY_GRID_BRANCH, other_grid), "region");
	assert_null(party_nesting_problem(PARTY_GRID_BRANCH, grid, PARTY_GROUP, grid));
	assert_string_equal(party_nesting_problem(PARTY_GRID_BRANCH, grid, PARTY_GROUP, comm),
	                    "region");
	assert_string_equal(party_nesting_problem(PARTY_COMMITTEE, comm, PARTY_GROUP, "12"),
	                    "level");
}

static void test_member_kinds(void **state)
{
	(void)state;
	assert_true(party_kind_holds_members(PARTY_BRANCH));
	assert_true(party_kind_holds_members(PARTY_GRID_BRANCH));
	assert_true(party_kind_holds_members(PARTY_FUNCTIONAL_SOCIAL));
	assert_false(party_kind_holds_members(PARTY_COMMITTEE));
	assert_false(party_kind_holds_members(PARTY_GROUP));
	assert_true(party_kind_functional(PARTY_FUNCTIONAL_SINKING));
	assert_false(party_kind_functional(PARTY_BRANCH));
	assert_true(party_kind_community_org(PARTY_JOINT_COMMITTEE));
	assert_true(party_kind_community_org(PARTY_BRANCH));
	assert_false(party_kind_community_org(PARTY_GRID_BRANCH));
	assert_false(party_kind_community_org(PARTY_WORKING_COMMITTEE));
}

static void test_member_status(void **state)
{
	(void)state;
	assert_true(party_member_status_change_ok(MEMBER_PROBATIONARY, MEMBER_FULL));
	assert_false(party_member_status_change_ok(MEMBER_FULL, MEMBER_PROBATIONARY));
	assert_true(party_member_status_change_ok(MEMBER_FULL, MEMBER_TRANSFERRED_OUT));
	assert_true(party_member_status_change_ok(MEMBER_PROBATIONARY, MEMBER_TRANSFERRED_OUT));
	assert_true(party_member_status_change_ok(MEMBER_TRANSFERRED_OUT, MEMBER_FULL));
	assert_true(party_member_status_change_ok(MEMBER_FULL, MEMBER_FULL));
	assert_false(party_member_status_change_ok((enum party_member_status)7, MEMBER_FULL));
	enum party_member_status s;
	assert_true(party_member_status_parse("probationary", &s));
	assert_int_equal(s, MEMBER_PROBATIONARY);
	assert_false(party_member_status_parse("formal", &s));
	assert_string_equal(party_member_status_name_zh(MEMBER_FULL), "正式党员");
}

/* Walks a commitment through actions; returns the final state or -1 at the first refusal. */
static int walk(enum commitment_state s, const enum commitment_action *acts, size_t n,
                unsigned side)
{
	for (size_t i = 0; i < n; i++) {
		const struct commitment_transition *t = commitment_flow_lookup(s, acts[i]);
		if (!t || !(t->sides & side))
			return -1;
		s = t->next;
	}
	return (int)s;
}

static void test_commitment_flow(void **state)
{
	(void)state;
	const struct commitment_transition *t;
	/* 销号 needs a verification first, whoever asks. */
	for (int s = 0; s < COMMIT_STATE_COUNT; s++) {
		t = commitment_flow_lookup((enum commitment_state)s, COMMIT_CLOSE);
		if (s == COMMIT_VERIFIED) {
			assert_non_null(t);
			assert_int_equal(t->next, COMMIT_CLOSED);
			assert_int_equal(t->sides, SIDE_COMMUNITY);
		} else {
			assert_null(t);
		}
	}
	/* Closed is final. */
	for (int a = 0; a < COMMIT_ACTION_COUNT; a++)
		assert_null(commitment_flow_lookup(COMMIT_CLOSED, (enum commitment_action)a));
	/* Sides: the unit starts and completes, the community verifies and reopens. */
	t = commitment_flow_lookup(COMMIT_PROPOSED, COMMIT_START);
	assert_int_equal(t->sides, SIDE_UNIT);
	t = commitment_flow_lookup(COMMIT_DONE, COMMIT_VERIFY);
	assert_int_equal(t->sides, SIDE_COMMUNITY);
	t = commitment_flow_lookup(COMMIT_DONE, COMMIT_REOPEN);
	assert_true(t->needs_comment);
	assert_int_equal(t->next, COMMIT_IN_PROGRESS);
	assert_null(commitment_flow_lookup(COMMIT_PROPOSED, COMMIT_VERIFY));
	assert_null(commitment_flow_lookup(COMMIT_IN_PROGRESS, COMMIT_START));
	assert_null(commitment_flow_lookup((enum commitment_state)9, COMMIT_START));
	/* Whole walks. */
	const enum commitment_action full[] = {COMMIT_START, COMMIT_COMPLETE};
	assert_int_equal(walk(COMMIT_PROPOSED, full, 2, SIDE_UNIT), COMMIT_DONE);
	const enum commitment_action tick[] = {COMMIT_VERIFY, COMMIT_CLOSE};
	assert_int_equal(walk(COMMIT_DONE, tick, 2, SIDE_COMMUNITY), COMMIT_CLOSED);
	assert_int_equal(walk(COMMIT_DONE, tick, 2, SIDE_UNIT), -1);
	const enum commitment_action early[] = {COMMIT_COMPLETE, COMMIT_CLOSE};
	assert_int_equal(walk(COMMIT_PROPOSED, early, 2, SIDE_UNIT | SIDE_COMMUNITY), -1);
	const enum commitment_action again[] = {COMMIT_VERIFY, COMMIT_REOPEN, COMMIT_COMPLETE,
	                                        COMMIT_VERIFY, COMMIT_CLOSE};
	assert_int_equal(walk(COMMIT_DONE, again, 5, SIDE_UNIT | SIDE_COMMUNITY), COMMIT_CLOSED);
	enum commitment_action act;
	assert_true(commitment_action_parse("close", &act));
	assert_int_equal(act, COMMIT_CLOSE);
	assert_false(commitment_action_parse("delete", &act));
	assert_string_equal(commitment_state_name_zh(COMMIT_CLOSED), "已销号");
	enum commitment_state st;
	assert_true(commitment_state_parse("in_progress", &st));
	assert_int_equal(st, COMMIT_IN_PROGRESS);
}

static void test_codes(void **state)
{
	(void)state;
	int l;
	assert_true(pairing_list_parse("responsibility", &l));
	assert_string_equal(pairing_list_name_zh(l), "责任清单");
	assert_false(pairing_list_parse("wish", &l));
	enum cadre_kind k;
	assert_true(cadre_kind_parse("lawyer", &k));
	assert_true(cadre_kind_legal(k));
	assert_false(cadre_kind_legal(CADRE_SINKING));
	assert_string_equal(cadre_kind_name_zh(CADRE_PROSECUTOR), "检察官");
	enum team_role r;
	assert_true(team_role_parse("building_leader", &r));
	assert_int_equal(r, TEAM_BUILDING_LEADER);
	assert_false(team_role_parse("captain", &r));
	assert_string_equal(team_role_name_zh(TEAM_SUPERVISOR), "督导员");
}

static void test_rate(void **state)
{
	(void)state;
	assert_true(party_rate(0, 0) < 0);
	assert_true(party_rate(3, 0) < 0);
	assert_true(party_rate(0, 5) == 0.0);
	assert_true(party_rate(3, 5) == 0.6);
	assert_true(party_rate(1, 3) == 0.3333);
	assert_true(party_rate(2, 3) == 0.6667);
	assert_true(party_rate(8, 8) == 1.0);
	assert_true(party_rate(-1, 8) == 0.0);
	assert_true(party_rate(2590, 2590) == 1.0);
}

static void test_dates_and_times(void **state)
{
	(void)state;
	assert_true(party_date_valid("2026-11-23"));
	assert_true(party_date_valid("2024-02-29"));
	assert_false(party_date_valid("2026-02-29"));
	assert_false(party_date_valid("2100-02-29"));
	assert_true(party_date_valid("2000-02-29"));
	assert_false(party_date_valid("2026-13-01"));
	assert_false(party_date_valid("2026-00-10"));
	assert_false(party_date_valid("2026-04-31"));
	assert_false(party_date_valid("2026-4-03"));
	assert_false(party_date_valid("2026/04/03"));
	assert_false(party_date_valid("1899-12-31"));
	assert_false(party_date_valid(NULL));
	assert_true(party_hhmm_valid("00:00"));
	assert_true(party_hhmm_valid("23:59"));
	assert_false(party_hhmm_valid("24:00"));
	assert_false(party_hhmm_valid("9:00"));
	assert_false(party_hhmm_valid("09:60"));
	assert_int_equal(party_minutes_between("09:00", "11:30"), 150);
	assert_int_equal(party_minutes_between("11:00", "11:00"), 0);
	assert_true(party_minutes_between("11:00", "09:00") < 0);
	assert_int_equal(party_minutes_between("x", "09:00"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kind_codes_round_trip),
	    cmocka_unit_test(test_levels),
	    cmocka_unit_test(test_nesting),
	    cmocka_unit_test(test_nesting_problem),
	    cmocka_unit_test(test_member_kinds),
	    cmocka_unit_test(test_member_status),
	    cmocka_unit_test(test_commitment_flow),
	    cmocka_unit_test(test_codes),
	    cmocka_unit_test(test_rate),
	    cmocka_unit_test(test_dates_and_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
