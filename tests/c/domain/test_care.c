/* Unit tests for src/domain/care.c: which tags are care kinds and which are restricted, local
 * days, and the due day and its colour on known dates. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/care.h"
#include "domain/deadline.h"

static int64_t day(const char *s)
{
	int64_t d = 0;
	assert_true(deadline_parse_date(s, &d));
	return d;
}

static void test_kinds(void **state)
{
	(void)state;
	const char *code, *name;
	bool restricted = true;
	assert_true(care_kind("elderly_alone", &code, &name, &restricted));
	assert_string_equal(name, "独居老人");
	assert_false(restricted);
	assert_true(care_kind("留守儿童", &code, &name, &restricted));
	assert_string_equal(code, "left_behind_child");
	assert_false(restricted);
	assert_true(care_kind("mental_disorder", &code, &name, &restricted));
	assert_true(restricted);
	assert_false(care_kind("party_member", &code, &name, &restricted));
	assert_false(care_kind("volunteer", &code, &name, &restricted));
	assert_false(care_kind("nobody", &code, &name, &restricted));
	assert_false(care_kind(NULL, &code, &name, &restricted));
}

static void test_days(void **state)
{
	(void)state;
	/* 2026-11-23T15:59:59Z is 23:59:59 in Shanghai, a second later the next day */
	assert_int_equal(care_day_of(1795449599), day("2026-11-23"));
	assert_int_equal(care_day_of(1795449600), day("2026-11-24"));
	assert_int_equal(care_day_of(0), 0);
}

static void test_due(void **state)
{
	(void)state;
	int64_t since = day("2026-11-01");
	/* never visited: due 7 days after the start */
	assert_int_equal(care_due_day(since, 0, 7), day("2026-11-08"));
	/* visited on the 5th: due on the 12th */
	assert_int_equal(care_due_day(since, day("2026-11-05"), 7), day("2026-11-12"));
	/* a visit recorded before the start does not move it back */
	assert_int_equal(care_due_day(since, day("2026-10-20"), 7), day("2026-11-08"));
	int64_t due = day("2026-11-08");
	/* exactly visit_every_days before as_of is not more than that: due today, yellow */
	assert_int_equal(care_alert_at(due, day("2026-11-08")), CARE_DUE_SOON);
	assert_int_equal(care_alert_at(due, day("2026-11-09")), CARE_OVERDUE);
	assert_int_equal(care_alert_at(due, day("2026-11-02")), CARE_DUE_SOON);
	assert_int_equal(care_alert_at(due, day("2026-11-01")), CARE_OK);
	assert_string_equal(care_alert_code(CARE_OVERDUE), "red");
	assert_string_equal(care_alert_code(CARE_DUE_SOON), "yellow");
	assert_string_equal(care_alert_code(CARE_OK), "none");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kinds),
	    cmocka_unit_test(test_days),
	    cmocka_unit_test(test_due),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
