/* Unit tests for src/domain/enrolment.c: household codes as people type them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/enrolment.h"

static void test_alphabet(void **state)
{
	(void)state;
	assert_int_equal(ENROL_ALPHABET_LEN, 31);
	/* No look-alikes. */
	for (const char *c = "01OIL"; *c; c++)
		assert_null(strchr(ENROL_ALPHABET, *c));
}

static void test_normalize(void **state)
{
	(void)state;
	char out[ENROL_CODE_MAX + 1];
	assert_true(enrol_code_normalize("ab3d-ef7h k9", out, sizeof out));
	assert_string_equal(out, "AB3DEF7HK9");
	assert_true(enrol_code_normalize("23456789", out, sizeof out));
	assert_true(enrol_code_normalize("23456789ABCD", out, sizeof out));
	/* Too short, too long, a look-alike, anything else. */
	assert_false(enrol_code_normalize("2345678", out, sizeof out));
	assert_false(enrol_code_normalize("23456789ABCDE", out, sizeof out));
	assert_false(enrol_code_normalize("2345678O9A", out, sizeof out));
	assert_false(enrol_code_normalize("2345678I9A", out, sizeof out));
	assert_false(enrol_code_normalize("23456789A%", out, sizeof out));
	assert_false(enrol_code_normalize("", out, sizeof out));
	assert_false(enrol_code_normalize(NULL, out, sizeof out));
	assert_false(enrol_code_normalize("23456789", out, 8));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_alphabet),
	    cmocka_unit_test(test_normalize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
