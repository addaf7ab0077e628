/* Unit tests for src/domain/service_flow.c: every state × action × actor against the
 * expected table, the needs, and deadlines in working days over weekends and a holiday. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/service_flow.h"

/* The expected table, written out apart from the one under test: for each state, the
 * actions allowed to staff (S) and to the applicant (A), and where they lead. */
struct expect {
	enum sreq_state from;
	enum sreq_action act;
	enum sreq_actor who;
	enum sreq_state to;
};

static const struct expect allowed[] = {
    {SREQ_SUBMITTED, SREQ_ACT_ACCEPT, SREQ_STAFF, SREQ_ACCEPTED},
    {SREQ_SUBMITTED, SREQ_ACT_ASK_MORE, SREQ_STAFF, SREQ_MORE_NEEDED},
    {SREQ_SUBMITTED, SREQ_ACT_REFUSE, SREQ_STAFF, SREQ_REFUSED},
    {SREQ_SUBMITTED, SREQ_ACT_WITHDRAW, SREQ_APPLICANT, SREQ_WITHDRAWN},
    {SREQ_ACCEPTED, SREQ_ACT_ASK_MORE, SREQ_STAFF, SREQ_MORE_NEEDED},
    {SREQ_ACCEPTED, SREQ_ACT_COMPLETE, SREQ_STAFF, SREQ_COMPLETED},
    {SREQ_ACCEPTED, SREQ_ACT_REFUSE, SREQ_STAFF, SREQ_REFUSED},
    {SREQ_ACCEPTED, SREQ_ACT_WITHDRAW, SREQ_APPLICANT, SREQ_WITHDRAWN},
    {SREQ_MORE_NEEDED, SREQ_ACT_SUPPLEMENT, SREQ_APPLICANT, SREQ_SUBMITTED},
    {SREQ_MORE_NEEDED, SREQ_ACT_REFUSE, SREQ_STAFF, SREQ_REFUSED},
    {SREQ_MORE_NEEDED, SREQ_ACT_WITHDRAW, SREQ_APPLICANT, SREQ_WITHDRAWN},
    {SREQ_COMPLETED, SREQ_ACT_RATE, SREQ_APPLICANT, SREQ_COMPLETED},
};

static const struct expect *find(enum sreq_state s, enum sreq_action a, enum sreq_actor w)
{
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if (allowed[i].from == s && allowed[i].act == a && allowed[i].who == w)
			return &allowed[i];
	return NULL;
}

static void test_every_state_action_actor(void **state)
{
	(void)state;
	for (int s = 0; s < SREQ_STATE_COUNT; s++)
		for (int a = 0; a < SREQ_ACTION_COUNT; a++)
			for (int w = 0; w < SREQ_ACTOR_COUNT; w++) {
				const struct expect *e = find(s, a, w);
				const struct sreq_transition *t = sreq_flow_lookup(s, a);
				bool may = t && (t->actors & SREQ_ACTOR_BIT(w));
				if (!e) {
					assert_false(may);
					continue;
				}
				assert_true(may);
				assert_int_equal(t->next, e->to);
			}
	/* A caller who is neither staff nor applicant may do nothing. */
	for (int s = 0; s < SREQ_STATE_COUNT; s++)
		for (int a = 0; a < SREQ_ACTION_COUNT; a++) {
			const struct sreq_transition *t = sreq_flow_lookup(s, a);
			assert_false(t && (t->actors & sreq_actors(false, false)));
		}
	/* Terminal states allow nothing. */
	for (int a = 0; a < SREQ_ACTION_COUNT; a++) {
		assert_null(sreq_flow_lookup(SREQ_REFUSED, a));
		assert_null(sreq_flow_lookup(SREQ_WITHDRAWN, a));
	}
	assert_null(sreq_flow_lookup(SREQ_STATE_COUNT, SREQ_ACT_ACCEPT));
	assert_null(sreq_flow_lookup(SREQ_SUBMITTED, SREQ_ACTION_COUNT));
	assert_int_equal(sreq_actors(true, true),
	                 SREQ_ACTOR_BIT(SREQ_STAFF) | SREQ_ACTOR_BIT(SREQ_APPLICANT));
}

static void test_needs(void **state)
{
	(void)state;
	struct sreq_supplied none = {0};
	const struct sreq_transition *t = sreq_flow_lookup(SREQ_SUBMITTED, SREQ_ACT_REFUSE);
	const struct sreq_need_info *ni = sreq_flow_missing(t->needs, &none);
	assert_non_null(ni);
	assert_string_equal(ni->field, "comment");
	struct sreq_supplied blank = {.comment = ""};
	assert_non_null(sreq_flow_missing(t->needs, &blank));
	struct sreq_supplied why = {.comment = "材料不全"};
	assert_null(sreq_flow_missing(t->needs, &why));
	t = sreq_flow_lookup(SREQ_ACCEPTED, SREQ_ACT_ASK_MORE);
	assert_non_null(sreq_flow_missing(t->needs, &none));
	t = sreq_flow_lookup(SREQ_COMPLETED, SREQ_ACT_RATE);
	for (int r = -1; r <= 7; r++) {
		struct sreq_supplied s = {.rating = r};
		bool ok = r >= 1 && r <= 5;
		if (ok)
			assert_null(sreq_flow_missing(t->needs, &s));
		else
			assert_string_equal(sreq_flow_missing(t->needs, &s)->field, "rating");
	}
	t = sreq_flow_lookup(SREQ_MORE_NEEDED, SREQ_ACT_SUPPLEMENT);
	assert_non_null(sreq_flow_missing(t->needs, &none));
	struct sreq_supplied photos = {.photos = true};
	assert_null(sreq_flow_missing(t->needs, &photos));
	assert_null(sreq_flow_missing(t->needs, &why));
	t = sreq_flow_lookup(SREQ_SUBMITTED, SREQ_ACT_ACCEPT);
	assert_null(sreq_flow_missing(t->needs, &none));
}

static void test_codes(void **state)
{
	(void)state;
	for (int s = 0; s < SREQ_STATE_COUNT; s++) {
		enum sreq_state back;
		assert_true(sreq_state_parse(sreq_state_code(s), &back));
		assert_int_equal(back, s);
		assert_true(strlen(sreq_state_name_zh(s)) > 0);
	}
	for (int a = 0; a < SREQ_ACTION_COUNT; a++) {
		enum sreq_action back;
		assert_true(sreq_action_parse(sreq_action_code(a), &back));
		assert_int_equal(back, a);
	}
	enum sreq_state s;
	enum sreq_action a;
	assert_false(sreq_state_parse("closed", &s));
	assert_false(sreq_state_parse(NULL, &s));
	assert_false(sreq_action_parse("dispatch", &a));
	assert_true(sreq_state_running(SREQ_SUBMITTED));
	assert_true(sreq_state_running(SREQ_ACCEPTED));
	assert_false(sreq_state_running(SREQ_MORE_NEEDED));
	assert_true(sreq_state_open(SREQ_MORE_NEEDED));
	assert_false(sreq_state_open(SREQ_COMPLETED));
	assert_true(sreq_level_valid("community"));
	assert_true(sreq_level_valid("street"));
	assert_false(sreq_level_valid("grid"));
	assert_false(sreq_level_valid(NULL));
	assert_int_equal(sreq_level_code_len("street"), 9);
}

/* Local (UTC+8) time of a date and hour. */
static int64_t at(int y, int m, int d, int h)
{
	return deadline_day_of(y, m, d) * 86400 + h * 3600 - 8 * 3600;
}

static int64_t end_of(int y, int m, int d)
{
	return at(y, m, d, 0) + 86399;
}

static void test_due(void **state)
{
	(void)state;
	/* 2026-12-04 is a Friday: one working day later is Monday 12-07, three is Wednesday. */
	assert_int_equal(sreq_due(NULL, at(2026, 12, 4, 10), 1), end_of(2026, 12, 7));
	assert_int_equal(sreq_due(NULL, at(2026, 12, 4, 10), 3), end_of(2026, 12, 9));
	/* Applied on Saturday: counts from Monday, so one working day ends Monday. */
	assert_int_equal(sreq_due(NULL, at(2026, 12, 5, 15), 1), end_of(2026, 12, 7));
	/* Monday 9:00 with five working days: the next Monday. */
	assert_int_equal(sreq_due(NULL, at(2026, 12, 7, 9), 5), end_of(2026, 12, 14));
	/* A holiday on Tuesday 12-08 pushes it one day further. */
	struct calendar_day off[] = {{deadline_day_of(2026, 12, 8), false}};
	struct work_calendar cal = {off, 1};
	assert_int_equal(sreq_due(&cal, at(2026, 12, 7, 9), 5), end_of(2026, 12, 15));
	assert_int_equal(sreq_due(&cal, at(2026, 12, 7, 9), 1), end_of(2026, 12, 9));
	/* A Saturday worked (调休) counts. */
	struct calendar_day worked[] = {{deadline_day_of(2026, 12, 12), true}};
	struct work_calendar cal2 = {worked, 1};
	assert_int_equal(sreq_due(&cal2, at(2026, 12, 11, 9), 1), end_of(2026, 12, 12));
	/* Zero days counts as one. */
	assert_int_equal(sreq_due(NULL, at(2026, 12, 4, 10), 0), end_of(2026, 12, 7));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_state_action_actor),
	    cmocka_unit_test(test_needs),
	    cmocka_unit_test(test_codes),
	    cmocka_unit_test(test_due),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
