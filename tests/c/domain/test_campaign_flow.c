/* Unit tests for src/domain/campaign_flow.c: the campaign item loop (三张清单, 销号). Every
 * state × action × role is checked against the flow as the issue tells it, written out below
 * as text (not copied from the table in the source); then the needs, the rule that the doer
 * never verifies, overdue, and the code tables. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/campaign_flow.h"

#define MANAGERS "admin district street community"
#define WORKERS  MANAGERS " supervisor grid_leader grid_worker"
#define DOERS    WORKERS " department"

/* The flow: state, action, the roles that may take it, the next state, what it needs. */
static const struct expected {
	const char *state, *action, *roles, *next;
	unsigned needs;
} flow[] = {
    {"open", "assign", MANAGERS, "assigned", CNEED_OWNER},
    {"assigned", "assign", MANAGERS, "assigned", CNEED_OWNER},
    {"assigned", "done", DOERS, "done", 0},
    {"done", "verify", MANAGERS, "verified", 0},
    {"done", "return", MANAGERS, "assigned", CNEED_COMMENT},
};

static const struct expected *expected_for(const char *state, const char *action)
{
	for (size_t i = 0; i < sizeof flow / sizeof flow[0]; i++)
		if (strcmp(flow[i].state, state) == 0 && strcmp(flow[i].action, action) == 0)
			return &flow[i];
	return NULL;
}

static bool listed(const char *list, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = list; (p = strstr(p, code)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static void test_every_state_action_role(void **state)
{
	(void)state;
	int allowed = 0, pairs = 0;
	for (int s = 0; s < CITEM_STATE_COUNT; s++)
		for (int a = 0; a < CITEM_ACTION_COUNT; a++) {
			const char *sc = citem_state_code((enum citem_state)s);
			const char *ac = citem_action_code((enum citem_action)a);
			assert_non_null(sc);
			assert_non_null(ac);
			const struct expected *e = expected_for(sc, ac);
			const struct citem_transition *t =
			    citem_flow_lookup((enum citem_state)s, (enum citem_action)a);
			if (!e) {
				if (t)
					fail_msg("%s may not %s", sc, ac);
				continue;
			}
			pairs++;
			if (!t)
				fail_msg("%s must allow %s", sc, ac);
			assert_string_equal(citem_state_code(t->next), e->next);
			assert_int_equal(t->needs, e->needs);
			for (int r = 0; r < ROLE_COUNT; r++) {
				bool want = listed(e->roles, role_code((enum role)r));
				bool got = (t->roles & ROLE_BIT(r)) != 0;
				if (want != got)
					fail_msg("%s × %s × %s: got %d, want %d", sc, ac,
					         role_code((enum role)r), got, want);
				allowed += got;
			}
		}
	/* Every row of the flow above was met (none misspelt). */
	assert_int_equal(pairs, (int)(sizeof flow / sizeof flow[0]));
	assert_true(allowed > 0);
	/* Verified (销号) is final: nothing leaves it. */
	for (int a = 0; a < CITEM_ACTION_COUNT; a++)
		assert_null(citem_flow_lookup(CITEM_VERIFIED, (enum citem_action)a));
	/* Out of range asks nothing. */
	assert_null(citem_flow_lookup(CITEM_STATE_COUNT, CACT_ASSIGN));
	assert_null(citem_flow_lookup(CITEM_OPEN, CITEM_ACTION_COUNT));
}

static void test_needs(void **state)
{
	(void)state;
	assert_int_equal(citem_flow_missing(0, NULL, false), CNEED_NOTHING);
	assert_int_equal(citem_flow_missing(CNEED_COMMENT, NULL, true), CNEED_COMMENT);
	assert_int_equal(citem_flow_missing(CNEED_COMMENT, "", true), CNEED_COMMENT);
	assert_int_equal(citem_flow_missing(CNEED_COMMENT, "照片不清", false), CNEED_NOTHING);
	assert_int_equal(citem_flow_missing(CNEED_OWNER, NULL, false), CNEED_OWNER);
	assert_int_equal(citem_flow_missing(CNEED_OWNER, NULL, true), CNEED_NOTHING);
	assert_int_equal(citem_flow_missing(CNEED_COMMENT | CNEED_OWNER, NULL, false),
	                 CNEED_COMMENT);
}

static void test_doer_never_verifies(void **state)
{
	(void)state;
	assert_true(citem_self_verify(CACT_VERIFY, 42, 42));
	assert_false(citem_self_verify(CACT_VERIFY, 42, 43));
	assert_false(citem_self_verify(CACT_VERIFY, 0, 0)); /* never done: nothing to block */
	/* Only verifying is blocked: the doer may still be the one who returns or reassigns. */
	for (int a = 0; a < CITEM_ACTION_COUNT; a++)
		if (a != CACT_VERIFY)
			assert_false(citem_self_verify((enum citem_action)a, 42, 42));
}

static void test_unit_owns(void **state)
{
	(void)state;
	assert_true(citem_unit_owns("区城管局", "区城管局"));
	assert_false(citem_unit_owns("区城管局", "区住建局"));
	assert_false(citem_unit_owns(NULL, "区城管局"));
	assert_false(citem_unit_owns("区城管局", NULL));
	assert_false(citem_unit_owns("", "")); /* a department without a unit owns nothing */
}

static void test_overdue(void **state)
{
	(void)state;
	assert_true(citem_overdue(CITEM_ASSIGNED, "2026-01-01", "2026-01-02"));
	assert_false(citem_overdue(CITEM_ASSIGNED, "2026-01-02", "2026-01-02"));
	assert_false(citem_overdue(CITEM_VERIFIED, "2026-01-01", "2026-01-02"));
	assert_true(citem_overdue(CITEM_DONE, "2026-01-01", "2026-01-02"));
	assert_false(citem_overdue(CITEM_OPEN, NULL, "2026-01-02"));
	assert_false(citem_overdue(CITEM_OPEN, "", "2026-01-02"));
}

static void test_codes(void **state)
{
	(void)state;
	const char *lists[] = {"problem", "responsibility", "task"};
	const char *zh[] = {"问题清单", "责任清单", "任务清单"};
	for (int i = 0; i < 3; i++) {
		enum citem_list l;
		assert_true(citem_list_parse(lists[i], &l));
		assert_string_equal(citem_list_code(l), lists[i]);
		assert_string_equal(citem_list_name_zh(l), zh[i]);
	}
	const char *sources[] = {"case",       "sweep_visit", "rectification_item",
	                         "commitment", "meeting",     "recurring_problem"};
	for (int i = 0; i < 6; i++) {
		enum citem_source k;
		assert_true(citem_source_parse(sources[i], &k));
		assert_string_equal(citem_source_code(k), sources[i]);
	}
	enum citem_list l;
	enum citem_source k;
	enum citem_state s;
	enum citem_action a;
	assert_false(citem_list_parse("problems", &l));
	assert_false(citem_source_parse("pairing", &k));
	assert_false(citem_state_parse("closed", &s));
	assert_false(citem_action_parse("close", &a));
	assert_false(citem_list_parse(NULL, &l));
	assert_string_equal(citem_state_name_zh(CITEM_VERIFIED), "已销号");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_state_action_role),
	    cmocka_unit_test(test_needs),
	    cmocka_unit_test(test_doer_never_verifies),
	    cmocka_unit_test(test_unit_owns),
	    cmocka_unit_test(test_overdue),
	    cmocka_unit_test(test_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
