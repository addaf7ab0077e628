/* Unit tests for src/domain/project_flow.c: every state × action × role checked against the
 * flow as the issue tells it, written out below as text (not copied from the table); then
 * progress from milestones, the budget rule and the code tables. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/project_flow.h"

#define MANAGERS  "admin district street community"
#define DOERS     MANAGERS " department"
#define ACCEPTORS "admin district street"

static const struct expected {
	const char *state, *action, *roles, *next;
	bool comment;
} flow[] = {
    {"planned", "start", MANAGERS, "underway", false},
    {"planned", "suspend", MANAGERS, "suspended", true},
    {"underway", "complete", DOERS, "completed", false},
    {"underway", "suspend", MANAGERS, "suspended", true},
    {"completed", "accept", ACCEPTORS, "accepted", false},
    {"suspended", "resume", MANAGERS, "underway", false},
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
	for (const char *p = list; (p = strstr(p, code)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static void test_every_state_action_role(void **state)
{
	(void)state;
	for (int s = 0; s < PROJ_STATE_COUNT; s++)
		for (int a = 0; a < PROJ_ACTION_COUNT; a++) {
			const char *sc = project_state_code((enum project_state)s);
			const char *ac = project_action_code((enum project_action)a);
			const struct expected *e = expected_for(sc, ac);
			const struct project_transition *t =
			    project_flow_lookup((enum project_state)s, (enum project_action)a);
			if (!e) {
				if (t)
					fail_msg("%s/%s should not be allowed", sc, ac);
				continue;
			}
			assert_non_null(t);
			assert_string_equal(project_state_code(t->next), e->next);
			assert_int_equal(t->needs_comment, e->comment);
			for (int r = 0; r < ROLE_COUNT; r++) {
				bool want = listed(e->roles, role_code((enum role)r));
				bool got = (t->roles & ROLE_BIT(r)) != 0;
				if (want != got)
					fail_msg("%s/%s role %s: got %d want %d", sc, ac,
					         role_code((enum role)r), got, want);
			}
		}
	assert_null(project_flow_lookup(PROJ_STATE_COUNT, PACT_START));
	assert_null(project_flow_lookup(PROJ_PLANNED, PROJ_ACTION_COUNT));
}

static void test_accepted_is_final(void **state)
{
	(void)state;
	for (int a = 0; a < PROJ_ACTION_COUNT; a++)
		assert_null(project_flow_lookup(PROJ_ACCEPTED, (enum project_action)a));
	assert_false(project_open(PROJ_ACCEPTED));
	assert_true(project_open(PROJ_UNDERWAY));
	assert_true(project_open(PROJ_SUSPENDED));
}

static void test_progress(void **state)
{
	(void)state;
	assert_int_equal(project_progress(0, 0), 0);
	assert_int_equal(project_progress(0, 3), 0);
	assert_int_equal(project_progress(1, 3), 33);
	assert_int_equal(project_progress(2, 3), 66);
	assert_int_equal(project_progress(3, 3), 100);
	assert_int_equal(project_progress(5, 3), 100);
	assert_int_equal(project_progress(1, 2), 50);
}

static void test_budget(void **state)
{
	(void)state;
	assert_true(project_spend_allowed(1000, 0, 1000, NULL));
	assert_true(project_spend_allowed(1000, 400, 600, NULL));
	assert_false(project_spend_allowed(1000, 400, 601, NULL));
	assert_false(project_spend_allowed(1000, 400, 601, ""));
	assert_true(project_spend_allowed(1000, 400, 601, "增加的消防通道"));
	assert_true(project_spend_allowed(1000, 1200, 10, "续上"));
	assert_false(project_spend_allowed(1000, 1200, 10, NULL));
	assert_false(project_spend_allowed(1000, 0, 0, "x"));
	assert_false(project_spend_allowed(1000, 0, -5, "x"));
	assert_false(project_spend_allowed(0, 0, 1, NULL));
	assert_true(project_spend_allowed(INT64_MAX, 0, INT64_MAX, NULL));
	assert_false(project_spend_allowed(INT64_MAX, INT64_MAX, 1, NULL));
}

static void test_codes(void **state)
{
	(void)state;
	enum project_state s;
	assert_true(project_state_parse("underway", &s));
	assert_int_equal(s, PROJ_UNDERWAY);
	assert_false(project_state_parse("done", &s));
	assert_false(project_state_parse(NULL, &s));
	enum project_kind k;
	assert_true(project_kind_parse("renovation", &k));
	assert_string_equal(project_kind_name_zh(k), "老旧小区改造");
	assert_false(project_kind_parse("Renovation", &k));
	enum project_link l;
	assert_true(project_link_parse("commitment", &l));
	assert_int_equal(l, PLINK_COMMITMENT);
	assert_false(project_link_parse("case", &l));
	enum project_action a;
	assert_true(project_action_parse("accept", &a));
	assert_false(project_action_parse("close", &a));
	assert_string_equal(project_state_name_zh(PROJ_ACCEPTED), "已验收");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_state_action_role),
	    cmocka_unit_test(test_accepted_is_final),
	    cmocka_unit_test(test_progress),
	    cmocka_unit_test(test_budget),
	    cmocka_unit_test(test_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
