/* Unit tests for src/domain/case_flow.c: the case closed loop (事件闭环). Every state ×
 * action × role is checked against the flow as DESIGN.md tells it, written out below as
 * text (not copied from the table in the source), and a few hand-written checks follow
 * what the table cannot say on its own: residents, the needs, the reopen window, and the
 * roles a caller holds over a case. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/case_flow.h"

#define DESK     "admin district street community"
#define GRID     "supervisor grid_leader grid_worker"
#define SUPERIOR "admin district street"

/* The flow: state, action, the roles that may take it, the next state, what it needs. */
static const struct expected {
	const char *state, *action, *roles, *next;
	unsigned needs;
} flow[] = {
    {"reported", "accept", DESK " grid_leader", "accepted", 0},
    {"reported", "reject", DESK " grid_leader", "rejected", NEED_COMMENT},
    {"reported", "escalate", DESK " grid_leader", "reported", NEED_COMMENT},
    {"reported", "merge", DESK " grid_leader", "closed", NEED_INTO},
    {"reported", "supervise", SUPERIOR, "reported", NEED_COMMENT},
    {"accepted", "dispatch", DESK, "dispatched", NEED_UNIT},
    {"accepted", "start", DESK " " GRID, "handling", 0},
    {"accepted", "escalate", DESK " grid_leader", "reported", NEED_COMMENT},
    {"accepted", "merge", DESK " grid_leader", "closed", NEED_INTO},
    {"accepted", "supervise", SUPERIOR, "accepted", NEED_COMMENT},
    {"dispatched", "start", DESK " " GRID " department", "handling", 0},
    {"dispatched", "return", DESK " department", "accepted", NEED_COMMENT},
    {"dispatched", "escalate", DESK " department", "reported", NEED_COMMENT},
    {"dispatched", "supervise", SUPERIOR, "dispatched", NEED_COMMENT},
    {"handling", "handle", DESK " " GRID " department", "handled", NEED_COMMENT},
    {"handling", "return", DESK " department", "accepted", NEED_COMMENT},
    {"handling", "escalate", DESK " department", "reported", NEED_COMMENT},
    {"handling", "supervise", SUPERIOR, "handling", NEED_COMMENT},
    {"handled", "verify", DESK " " GRID, "verified", 0},
    {"handled", "reopen", DESK " " GRID, "handling", NEED_COMMENT},
    {"handled", "supervise", SUPERIOR, "handled", NEED_COMMENT},
    {"verified", "feedback", "resident " DESK " " GRID, "closed", NEED_RATING},
    {"verified", "close", DESK " " GRID, "closed", 0},
    {"verified", "supervise", SUPERIOR, "verified", NEED_COMMENT},
    {"closed", "reopen", "resident " DESK, "handling", NEED_COMMENT},
    {"rejected", "reopen", DESK, "reported", NEED_COMMENT},
};

static const struct expected *expected_for(const char *state, const char *action)
{
	for (size_t i = 0; i < sizeof flow / sizeof flow[0]; i++)
		if (strcmp(flow[i].state, state) == 0 && strcmp(flow[i].action, action) == 0)
			return &flow[i];
	return NULL;
}

/* Whether role code is a word of the space-separated list. */
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
	int allowed = 0;
	for (int s = 0; s < CASE_STATE_COUNT; s++)
		for (int a = 0; a < CASE_ACTION_COUNT; a++) {
			const char *sc = case_state_code((enum case_state)s);
			const char *ac = case_action_code((enum case_action)a);
			const struct expected *e = expected_for(sc, ac);
			const struct case_transition *t =
			    case_flow_lookup((enum case_state)s, (enum case_action)a);
			if (!e) {
				if (t)
					fail_msg("%s may not %s", sc, ac);
				continue;
			}
			if (!t)
				fail_msg("%s must allow %s", sc, ac);
			assert_string_equal(case_state_code(t->next), e->next);
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
	/* Every pair of the flow above was met (none misspelt). */
	for (size_t i = 0; i < sizeof flow / sizeof flow[0]; i++) {
		enum case_state s;
		enum case_action a;
		assert_true(case_state_parse(flow[i].state, &s));
		assert_true(case_action_parse(flow[i].action, &a));
	}
	assert_true(allowed > 0);
}

/* A resident only rates a verified case and reopens a closed one; building leaders and
 * cadres take no action on cases at all. */
static void test_residents_and_others(void **state)
{
	(void)state;
	for (int s = 0; s < CASE_STATE_COUNT; s++)
		for (int a = 0; a < CASE_ACTION_COUNT; a++) {
			const struct case_transition *t =
			    case_flow_lookup((enum case_state)s, (enum case_action)a);
			unsigned roles = t ? t->roles : 0;
			bool resident = (s == CASE_VERIFIED && a == ACT_FEEDBACK) ||
			                (s == CASE_CLOSED && a == ACT_REOPEN);
			assert_int_equal((roles & ROLE_BIT(ROLE_RESIDENT)) != 0, resident);
			assert_false(roles & ROLE_BIT(ROLE_BUILDING_LEADER));
			assert_false(roles & ROLE_BIT(ROLE_CADRE));
		}
}

static void test_spot_checks(void **state)
{
	(void)state;
	/* A department handles only what is dispatched to it: it cannot take in a report. */
	assert_false(case_flow_lookup(CASE_REPORTED, ACT_ACCEPT)->roles &
	             ROLE_BIT(ROLE_DEPARTMENT));
	assert_true(case_flow_lookup(CASE_DISPATCHED, ACT_START)->roles &
	            ROLE_BIT(ROLE_DEPARTMENT));
	/* Grid workers self-handle minor matters but do not dispatch. */
	assert_true(case_flow_lookup(CASE_ACCEPTED, ACT_START)->roles & ROLE_BIT(ROLE_GRID_WORKER));
	assert_false(case_flow_lookup(CASE_ACCEPTED, ACT_DISPATCH)->roles &
	             ROLE_BIT(ROLE_GRID_WORKER));
	/* Community staff supervise no one. */
	assert_false(case_flow_lookup(CASE_HANDLING, ACT_SUPERVISE)->roles &
	             ROLE_BIT(ROLE_COMMUNITY));
	/* Supervising leaves the state as it is; escalating sends the case back to intake. */
	assert_int_equal(case_flow_lookup(CASE_HANDLING, ACT_SUPERVISE)->next, CASE_HANDLING);
	assert_int_equal(case_flow_lookup(CASE_DISPATCHED, ACT_ESCALATE)->next, CASE_REPORTED);
	/* Nothing happens to a closed case but a reopen; a rejected one may only be reopened. */
	for (int a = 0; a < CASE_ACTION_COUNT; a++) {
		bool reopen = a == ACT_REOPEN;
		assert_int_equal(case_flow_lookup(CASE_CLOSED, (enum case_action)a) != NULL,
		                 reopen);
		assert_int_equal(case_flow_lookup(CASE_REJECTED, (enum case_action)a) != NULL,
		                 reopen);
	}
	/* Every transition needs at most one thing (the needs check reports the first). */
	for (int s = 0; s < CASE_STATE_COUNT; s++)
		for (int a = 0; a < CASE_ACTION_COUNT; a++) {
			const struct case_transition *t =
			    case_flow_lookup((enum case_state)s, (enum case_action)a);
			if (t)
				assert_true((t->needs & (t->needs - 1)) == 0);
		}
	/* Out of range is no transition. */
	assert_null(case_flow_lookup(CASE_STATE_COUNT, ACT_ACCEPT));
	assert_null(case_flow_lookup(CASE_REPORTED, CASE_ACTION_COUNT));
}

static void test_feedback_and_reopen_window(void **state)
{
	(void)state;
	assert_int_equal(case_flow_after_feedback(RATING_SATISFIED), CASE_CLOSED);
	assert_int_equal(case_flow_after_feedback(RATING_BASIC), CASE_CLOSED);
	assert_int_equal(case_flow_after_feedback(RATING_UNSATISFIED), CASE_HANDLING);
	int64_t closed = 1796349600;
	assert_true(case_reopen_allowed(closed, closed));
	assert_true(case_reopen_allowed(closed, closed + 7 * 86400));
	assert_false(case_reopen_allowed(closed, closed + 7 * 86400 + 1));
	assert_false(case_reopen_allowed(closed, closed - 1));
	for (int s = 0; s < CASE_STATE_COUNT; s++)
		assert_int_equal(case_state_open((enum case_state)s),
		                 s != CASE_CLOSED && s != CASE_REJECTED);
}

static void test_codes_round_trip(void **state)
{
	(void)state;
	for (int s = 0; s < CASE_STATE_COUNT; s++) {
		enum case_state got;
		assert_true(case_state_parse(case_state_code((enum case_state)s), &got));
		assert_int_equal(got, s);
		assert_true(*case_state_name_zh((enum case_state)s));
	}
	for (int a = 0; a < CASE_ACTION_COUNT; a++) {
		enum case_action got;
		assert_true(case_action_parse(case_action_code((enum case_action)a), &got));
		assert_int_equal(got, a);
		assert_true(*case_action_name_zh((enum case_action)a));
	}
	for (int t = 0; t < TIER_COUNT; t++) {
		enum case_tier got;
		assert_true(case_tier_parse(case_tier_code((enum case_tier)t), &got));
		assert_int_equal(got, t);
	}
	for (int r = RATING_SATISFIED; r <= RATING_UNSATISFIED; r++) {
		enum case_rating got;
		assert_true(case_rating_parse(case_rating_code((enum case_rating)r), &got));
		assert_int_equal(got, r);
	}
	enum case_state s;
	enum case_rating r;
	assert_false(case_state_parse("open", &s));
	assert_false(case_state_parse(NULL, &s));
	assert_false(case_rating_parse("", &r));
	assert_string_equal(case_state_code(CASE_STATE_COUNT), "");
	assert_string_equal(case_action_code(CASE_ACTION_COUNT), "");
}

static void test_needs(void **state)
{
	(void)state;
	struct case_supplied none = {0};
	const struct case_need_info *m = case_flow_missing(NEED_COMMENT, &none);
	assert_non_null(m);
	assert_string_equal(m->field, "comment");
	assert_string_equal(m->detail, "此操作须填写说明");
	assert_string_equal(m->message, "请填写说明或理由");
	assert_string_equal(case_flow_missing(NEED_RATING, &none)->field, "rating");
	assert_string_equal(case_flow_missing(NEED_INTO, &none)->field, "into");
	assert_string_equal(case_flow_missing(NEED_UNIT, &none)->field, "unit");
	assert_null(case_flow_missing(NEED_NOTHING, &none));
	/* An empty comment or unit is none. */
	struct case_supplied blank = {.comment = "", .unit = ""};
	assert_non_null(case_flow_missing(NEED_COMMENT, &blank));
	assert_non_null(case_flow_missing(NEED_UNIT, &blank));
	struct case_supplied all = {
	    .comment = "路灯已修复", .unit = "城管执法", .rating = RATING_BASIC, .into = 3};
	assert_null(case_flow_missing(NEED_COMMENT | NEED_UNIT | NEED_RATING | NEED_INTO, &all));
	/* Several unmet: comment first, then rating, into, unit. */
	assert_string_equal(case_flow_missing(NEED_UNIT | NEED_INTO, &none)->field, "into");
	assert_string_equal(case_flow_missing(NEED_UNIT | NEED_COMMENT, &none)->field, "comment");
	assert_string_equal(case_flow_missing(NEED_UNIT | NEED_RATING, &none)->field, "rating");
}

static void test_action_rules(void **state)
{
	(void)state;
	for (int a = 0; a < CASE_ACTION_COUNT; a++) {
		bool told = a == ACT_HANDLE || a == ACT_CLOSE || a == ACT_REJECT;
		assert_int_equal(case_action_takes_public_reply((enum case_action)a), told);
		/* Only a reopen is barred for a merged duplicate, and only once merged. */
		assert_int_equal(case_action_blocked(42, (enum case_action)a), a == ACT_REOPEN);
		assert_false(case_action_blocked(0, (enum case_action)a));
	}
	/* The role recorded is the most senior the transition allows. */
	assert_int_equal(case_acting_role(ROLE_BIT(ROLE_GRID_WORKER) | ROLE_BIT(ROLE_STREET)),
	                 ROLE_STREET);
	assert_int_equal(case_acting_role(ROLE_BIT(ROLE_RESIDENT)), ROLE_RESIDENT);
	assert_int_equal(case_acting_role(ROLE_BIT(ROLE_DEPARTMENT) | ROLE_BIT(ROLE_RESIDENT)),
	                 ROLE_DEPARTMENT);
}

static struct grant grant(enum role r, const char *region)
{
	struct grant g = {.role = r};
	snprintf(g.region_code, sizeof g.region_code, "%s", region);
	return g;
}

#define CASE_GRID "330102001001001"

static void test_roles_over_a_case(void **state)
{
	(void)state;
	struct case_access c = {
	    .region_code = CASE_GRID, .unit = "城管执法", .reporter_user_id = 9};
	struct grant g[4];
	struct case_caller who = {.grants = g, .user_id = 5};
	/* No grants, no roles. */
	assert_int_equal(case_flow_roles(&who, &c), 0);
	/* Grid staff and managers reach the case where their region covers it. */
	g[0] = grant(ROLE_GRID_WORKER, CASE_GRID);
	g[1] = grant(ROLE_COMMUNITY, "330102001001");
	g[2] = grant(ROLE_STREET, "330102002");
	who.ngrants = 3;
	assert_int_equal(case_flow_roles(&who, &c),
	                 ROLE_BIT(ROLE_GRID_WORKER) | ROLE_BIT(ROLE_COMMUNITY));
	/* An admin grant reaches every case, whatever its region. */
	g[0] = grant(ROLE_ADMIN, "");
	who.ngrants = 1;
	assert_int_equal(case_flow_roles(&who, &c), ROLE_BIT(ROLE_ADMIN));
	/* A department only over its unit's cases. */
	g[0] = grant(ROLE_DEPARTMENT, "330102");
	who.unit = "城管执法";
	assert_int_equal(case_flow_roles(&who, &c), ROLE_BIT(ROLE_DEPARTMENT));
	who.unit = "水务";
	assert_int_equal(case_flow_roles(&who, &c), 0);
	who.unit = "";
	assert_int_equal(case_flow_roles(&who, &c), 0);
	struct case_access no_unit = c;
	no_unit.unit = NULL;
	who.unit = "城管执法";
	assert_int_equal(case_flow_roles(&who, &no_unit), 0);
	/* A resident only over their own report. */
	g[0] = grant(ROLE_RESIDENT, CASE_GRID);
	assert_int_equal(case_flow_roles(&who, &c), 0);
	who.user_id = 9;
	assert_int_equal(case_flow_roles(&who, &c), ROLE_BIT(ROLE_RESIDENT));
	/* A case reported by no account is no resident's, not even an account-less caller's. */
	struct case_access anon = c;
	anon.reporter_user_id = 0;
	who.user_id = 0;
	assert_int_equal(case_flow_roles(&who, &anon), 0);
	/* A grant elsewhere reaches nothing here. */
	g[0] = grant(ROLE_GRID_LEADER, "330102001001002");
	assert_int_equal(case_flow_roles(&who, &c), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_state_action_role),
	    cmocka_unit_test(test_residents_and_others),
	    cmocka_unit_test(test_spot_checks),
	    cmocka_unit_test(test_feedback_and_reopen_window),
	    cmocka_unit_test(test_codes_round_trip),
	    cmocka_unit_test(test_needs),
	    cmocka_unit_test(test_action_rules),
	    cmocka_unit_test(test_roles_over_a_case),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
