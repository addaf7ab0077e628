/* Unit tests for src/domain/codes.c and the functions codes.h defines over a table: a code
 * parses to its index and prints back, anything else parses to nothing and leaves the
 * output alone, and a value out of range prints as "". */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>

#include "domain/codes.h"

enum colour { RED, GREEN, BLUE, COLOUR_COUNT };

static const char *const colour_codes[COLOUR_COUNT] = {"red", "green", "blue"};
static const char *const colour_names[COLOUR_COUNT] = {"红", "绿", "蓝"};

/* The definitions under test, with their declarations as a header would give them. */
bool colour_parse(const char *s, enum colour *out);
const char *colour_code(enum colour v);
const char *colour_name_zh(enum colour v);
CODES_PARSE_AND_CODE(colour, enum colour, COLOUR_COUNT, colour_codes)
CODES_NAME_ZH(colour, enum colour, COLOUR_COUNT, colour_names)

static void test_find(void **state)
{
	(void)state;
	assert_int_equal(codes_find(colour_codes, COLOUR_COUNT, "red"), 0);
	assert_int_equal(codes_find(colour_codes, COLOUR_COUNT, "blue"), 2);
	assert_int_equal(codes_find(colour_codes, COLOUR_COUNT, "Blue"), -1);
	assert_int_equal(codes_find(colour_codes, COLOUR_COUNT, ""), -1);
	assert_int_equal(codes_find(colour_codes, COLOUR_COUNT, NULL), -1);
	/* Only the first n entries are searched. */
	assert_int_equal(codes_find(colour_codes, 2, "blue"), -1);
	assert_int_equal(codes_find(colour_codes, 0, "red"), -1);
}

static void test_at(void **state)
{
	(void)state;
	assert_string_equal(codes_at(colour_codes, COLOUR_COUNT, 1), "green");
	assert_string_equal(codes_at(colour_codes, COLOUR_COUNT, COLOUR_COUNT), "");
	assert_string_equal(codes_at(colour_codes, COLOUR_COUNT, -1), "");
	assert_string_equal(codes_at(colour_codes, 1, 1), "");
}

static void test_defined_functions(void **state)
{
	(void)state;
	for (int i = 0; i < COLOUR_COUNT; i++) {
		enum colour c = COLOUR_COUNT;
		assert_true(colour_parse(colour_code((enum colour)i), &c));
		assert_int_equal(c, i);
		assert_string_equal(colour_name_zh(c), colour_names[i]);
	}
	enum colour c = GREEN;
	assert_false(colour_parse("purple", &c));
	assert_false(colour_parse(NULL, &c));
	assert_int_equal(c, GREEN);
	assert_string_equal(colour_code(COLOUR_COUNT), "");
	assert_string_equal(colour_name_zh((enum colour) - 1), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_find),
	    cmocka_unit_test(test_at),
	    cmocka_unit_test(test_defined_functions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
