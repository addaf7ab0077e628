/* Unit tests for src/domain/topic_flow.c: the two deliberation procedures. Every procedure ×
 * stage × target stage × role is checked against the flow written out below as text (not
 * copied from the table in the source); then the needs, what each stage allows, and the
 * ballot arithmetic (presets, quorum "more than" and "at least", threshold, outcome). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/topic_flow.h"

#define MGR  "admin district street community"
#define LEAD MGR " grid_leader"

static const struct expected {
	const char *proc, *from, *to, *roles;
	unsigned needs;
} flow[] = {
    {"six_step", "proposed", "discussing", LEAD, 0},
    {"six_step", "discussing", "deciding", MGR, TNEED_MEETING},
    {"six_step", "deciding", "pledging", MGR, TNEED_BALLOT},
    {"six_step", "pledging", "executing", MGR, 0},
    {"six_step", "executing", "evaluating", LEAD, 0},
    {"six_step", "evaluating", "closed", MGR, TNEED_SATISFIED},
    {"six_step", "evaluating", "executing", MGR, TNEED_UNSATISFIED},
    {"four_two", "proposed", "consulted", MGR, 0},
    {"four_two", "consulted", "reviewed", MGR, TNEED_MEETING},
    {"four_two", "reviewed", "resolved", MGR, TNEED_MEETING | TNEED_BALLOT},
    {"four_two", "resolved", "resolution_public", MGR, 0},
    {"four_two", "resolution_public", "executing", MGR, 0},
    {"four_two", "executing", "result_public", MGR, 0},
    {"four_two", "result_public", "closed", MGR, 0},
};

static const char *const six[] = {"proposed",  "discussing", "deciding", "pledging",
                                  "executing", "evaluating", "closed"};
static const char *const four[] = {"proposed",          "consulted", "reviewed",      "resolved",
                                   "resolution_public", "executing", "result_public", "closed"};

static bool listed(const char *list, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = list; (p = strstr(p, code)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static bool in_list(const char *const *l, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(l[i], s) == 0)
			return true;
	return false;
}

static bool belongs(const char *proc, const char *stage)
{
	if (strcmp(stage, "rejected") == 0)
		return true;
	return strcmp(proc, "six_step") == 0 ? in_list(six, 7, stage) : in_list(four, 8, stage);
}

static const struct expected *expected_for(const char *proc, const char *from, const char *to)
{
	for (size_t i = 0; i < sizeof flow / sizeof flow[0]; i++)
		if (!strcmp(flow[i].proc, proc) && !strcmp(flow[i].from, from) &&
		    !strcmp(flow[i].to, to))
			return &flow[i];
	return NULL;
}

static void test_every_stage_move_role(void **state)
{
	(void)state;
	int moves = 0, rejects = 0;
	for (int p = 0; p < TPROC_COUNT; p++)
		for (int f = 0; f < TSTAGE_COUNT; f++)
			for (int t = 0; t < TSTAGE_COUNT; t++) {
				const char *pc = topic_procedure_code((enum topic_procedure)p);
				const char *fc = topic_stage_code((enum topic_stage)f);
				const char *tc = topic_stage_code((enum topic_stage)t);
				assert_int_equal(
				    topic_stage_in((enum topic_procedure)p, (enum topic_stage)f),
				    belongs(pc, fc));
				const struct topic_move *m =
				    topic_flow_lookup((enum topic_procedure)p, (enum topic_stage)f,
				                      (enum topic_stage)t);
				const struct expected *e = expected_for(pc, fc, tc);
				bool open = belongs(pc, fc) && strcmp(fc, "closed") &&
				            strcmp(fc, "rejected");
				const char *roles = e ? e->roles : NULL;
				unsigned needs = e ? e->needs : 0;
				if (!e && open && !strcmp(tc, "rejected")) {
					roles = MGR;
					needs = TNEED_COMMENT;
					rejects++;
				}
				if (!roles) {
					if (m)
						fail_msg("%s: %s → %s must be refused", pc, fc, tc);
					continue;
				}
				if (!m)
					fail_msg("%s: %s → %s must be allowed", pc, fc, tc);
				moves += e != NULL;
				assert_int_equal(m->to, t);
				assert_int_equal(m->needs, needs);
				for (int r = 0; r < ROLE_COUNT; r++) {
					bool want = listed(roles, role_code((enum role)r));
					bool got = (m->roles & ROLE_BIT(r)) != 0;
					if (want != got)
						fail_msg("%s %s → %s × %s: got %d, want %d", pc, fc,
						         tc, role_code((enum role)r), got, want);
				}
			}
	assert_int_equal(moves, (int)(sizeof flow / sizeof flow[0]));
	assert_int_equal(rejects, 6 + 7); /* every open stage of each procedure */
	assert_null(topic_flow_lookup(TPROC_COUNT, TSTAGE_PROPOSED, TSTAGE_REJECTED));
}

static void test_needs(void **state)
{
	(void)state;
	struct topic_facts f = {0};
	assert_int_equal(topic_flow_missing(0, &f), TNEED_NOTHING);
	assert_int_equal(topic_flow_missing(TNEED_COMMENT, &f), TNEED_COMMENT);
	f.has_comment = true;
	assert_int_equal(topic_flow_missing(TNEED_COMMENT, &f), TNEED_NOTHING);
	assert_int_equal(topic_flow_missing(TNEED_MEETING | TNEED_BALLOT, &f), TNEED_MEETING);
	f.meeting_minuted = true;
	assert_int_equal(topic_flow_missing(TNEED_MEETING | TNEED_BALLOT, &f), TNEED_BALLOT);
	f.ballot_passed = true; /* an open ballot does not decide */
	assert_int_equal(topic_flow_missing(TNEED_BALLOT, &f), TNEED_BALLOT);
	f.ballot_closed = true;
	f.ballot_passed = false; /* a closed ballot that failed does not either */
	assert_int_equal(topic_flow_missing(TNEED_BALLOT, &f), TNEED_BALLOT);
	f.ballot_passed = true;
	assert_int_equal(topic_flow_missing(TNEED_MEETING | TNEED_BALLOT, &f), TNEED_NOTHING);
	/* No ratings: neither closes nor goes back. */
	assert_int_equal(topic_flow_missing(TNEED_SATISFIED, &f), TNEED_SATISFIED);
	assert_int_equal(topic_flow_missing(TNEED_UNSATISFIED, &f), TNEED_UNSATISFIED);
	f.ratings = 4;
	f.unsatisfied = 2; /* half is no majority */
	assert_int_equal(topic_flow_missing(TNEED_SATISFIED, &f), TNEED_NOTHING);
	assert_int_equal(topic_flow_missing(TNEED_UNSATISFIED, &f), TNEED_UNSATISFIED);
	f.unsatisfied = 3;
	assert_int_equal(topic_flow_missing(TNEED_SATISFIED, &f), TNEED_SATISFIED);
	assert_int_equal(topic_flow_missing(TNEED_UNSATISFIED, &f), TNEED_NOTHING);
}

static void test_stage_allows(void **state)
{
	(void)state;
	for (int s = 0; s < TSTAGE_COUNT; s++) {
		const char *c = topic_stage_code((enum topic_stage)s);
		assert_int_equal(topic_stage_supports((enum topic_stage)s), !strcmp(c, "proposed"));
		assert_int_equal(topic_stage_comments((enum topic_stage)s),
		                 !strcmp(c, "discussing") || !strcmp(c, "consulted") ||
		                     !strcmp(c, "reviewed"));
		assert_int_equal(topic_stage_rates((enum topic_stage)s), !strcmp(c, "evaluating"));
		assert_int_equal(topic_stage_final((enum topic_stage)s),
		                 !strcmp(c, "closed") || !strcmp(c, "rejected"));
		if (topic_stage_final((enum topic_stage)s)) {
			assert_false(topic_stage_pledges((enum topic_stage)s));
			assert_false(topic_stage_spends((enum topic_stage)s));
		}
	}
	assert_true(topic_stage_pledges(TSTAGE_PLEDGING));
	assert_true(topic_stage_discloses(TSTAGE_RESOLUTION_PUBLIC));
	assert_true(topic_stage_discloses(TSTAGE_RESULT_PUBLIC));
	assert_false(topic_stage_discloses(TSTAGE_DISCUSSING));
}

static void test_presets(void **state)
{
	(void)state;
	struct ballot_rule r;
	assert_false(ballot_preset_rule(BPRESET_NONE, &r));
	/* 村民会议: more than half of the adult villagers. */
	assert_true(ballot_preset_rule(BPRESET_VILLAGERS_MEETING, &r));
	assert_int_equal(r.unit, BALLOT_RESIDENT);
	assert_false(share_reached(&r.quorum, 5, 10));
	assert_true(share_reached(&r.quorum, 6, 10));
	/* 户代表: two thirds of the households, reached exactly. */
	assert_true(ballot_preset_rule(BPRESET_HOUSEHOLD_REPS, &r));
	assert_int_equal(r.unit, BALLOT_HOUSEHOLD);
	assert_true(share_reached(&r.quorum, 2, 3));
	assert_true(share_reached(&r.quorum, 4, 6));
	assert_false(share_reached(&r.quorum, 3, 6));
	assert_false(share_reached(&r.quorum, 66, 100));
	assert_true(share_reached(&r.quorum, 67, 100));
	assert_true(ballot_preset_rule(BPRESET_REPRESENTATIVES, &r));
	assert_false(share_reached(&r.quorum, 19, 30));
	assert_true(share_reached(&r.quorum, 20, 30));
	/* Decisions: more than half of those who voted. */
	assert_false(share_reached(&r.threshold, 2, 4));
	assert_true(share_reached(&r.threshold, 3, 4));
	enum ballot_preset p;
	assert_true(ballot_preset_parse("household_reps", &p));
	assert_int_equal(p, BPRESET_HOUSEHOLD_REPS);
	assert_false(ballot_preset_parse("", &p));
	assert_false(ballot_preset_parse("everyone", &p));
}

static void test_outcome(void **state)
{
	(void)state;
	struct ballot_rule r = {BALLOT_HOUSEHOLD, {0, 1, false}, {0, 1, true}};
	assert_true(ballot_share_from(0.5, false, &r.quorum));
	assert_true(ballot_share_from(0.5, true, &r.threshold));
	assert_false(ballot_share_from(1.5, true, &r.threshold));
	assert_false(ballot_share_from(-0.1, true, &r.threshold));
	struct ballot_outcome o;
	int64_t c1[3] = {3, 1, 1}; /* 5 of 10 cast: at least half */
	ballot_outcome(&r, 10, c1, 3, &o);
	assert_true(o.quorum_met);
	assert_true(o.passed);
	assert_true(o.turnout > 0.49 && o.turnout < 0.51);
	int64_t c2[3] = {2, 2, 0}; /* a tie is not more than half */
	ballot_outcome(&r, 8, c2, 3, &o);
	assert_true(o.quorum_met);
	assert_false(o.passed);
	int64_t c3[3] = {4, 0, 0}; /* unanimous but too few */
	ballot_outcome(&r, 9, c3, 3, &o);
	assert_false(o.quorum_met);
	assert_false(o.passed);
	ballot_outcome(&r, 0, c3, 3, &o); /* nobody on the register */
	assert_false(o.quorum_met);
	assert_true(o.turnout == 0.0);
}

static void test_codes(void **state)
{
	(void)state;
	enum topic_stage s;
	assert_true(topic_stage_parse("resolution_public", &s));
	assert_int_equal(s, TSTAGE_RESOLUTION_PUBLIC);
	assert_false(topic_stage_parse("done", &s));
	assert_string_equal(topic_stage_name_zh(TSTAGE_DECIDING), "民决");
	enum topic_procedure p;
	assert_true(topic_procedure_parse("four_two", &p));
	assert_false(topic_procedure_parse("seven_step", &p));
	enum ballot_unit u;
	assert_true(ballot_unit_parse("resident", &u));
	assert_false(ballot_unit_parse("person", &u));
	enum topic_rating t;
	assert_true(topic_rating_parse("unsatisfied", &t));
	assert_int_equal(t, TRATE_UNSATISFIED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_stage_move_role),
	    cmocka_unit_test(test_needs),
	    cmocka_unit_test(test_stage_allows),
	    cmocka_unit_test(test_presets),
	    cmocka_unit_test(test_outcome),
	    cmocka_unit_test(test_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
