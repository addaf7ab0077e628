/* Unit tests for src/domain/person.c: resident checks (ID numbers with real-world edge
 * cases, derived birth date and gender), tags with restricted groups, masks, the
 * rectification state machine and rates. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/person.h"

static bool has_error(const struct field_errors *e, const char *field, const char *code)
{
	for (int i = 0; i < e->n; i++)
		if (strcmp(e->e[i].field, field) == 0 && strcmp(e->e[i].code, code) == 0)
			return true;
	return false;
}

static void check(const char *id, const char *residency, struct resident_checked *out,
                  struct field_errors *errs)
{
	struct resident_fields f = {.name = "张三", .id_number = id, .residency = residency};
	memset(errs, 0, sizeof *errs);
	resident_check(&f, true, out, errs);
}

static void test_resident_id_edge_cases(void **state)
{
	(void)state;
	struct resident_checked c;
	struct field_errors e;
	check("11010519491231002X", "registered", &c, &e); /* DESIGN.md's example: X check */
	assert_int_equal(e.n, 0);
	assert_true(c.has_id);
	assert_int_equal(c.cid.year, 1949);
	assert_int_equal(c.cid.month, 12);
	assert_int_equal(c.cid.day, 31);
	assert_int_equal(c.cid.gender, 'F');               /* sequence 002: even */
	check("11010519491231002x", "registered", &c, &e); /* lower-case x accepted */
	assert_int_equal(e.n, 0);
	check("110105194912310021", "registered", &c, &e);
	assert_true(has_error(&e, "id_number", "checksum"));
	check("990105200002290017", "registered", &c, &e); /* 2000-02-29: a leap day */
	assert_int_equal(e.n, 0);
	assert_int_equal(c.cid.gender, 'M');               /* sequence 001: odd */
	check("990105190002290010", "registered", &c, &e); /* 1900 is not a leap year */
	assert_true(has_error(&e, "id_number", "date"));
	check("990105202313010018", "registered", &c, &e); /* month 13 */
	assert_true(has_error(&e, "id_number", "date"));
	check("99010519491231002", "registered", &c, &e); /* 17 characters */
	assert_true(has_error(&e, "id_number", "length"));
	check("9901051949123100A3", "registered", &c, &e);
	assert_true(has_error(&e, "id_number", "format"));
	/* Required unless foreign. */
	check(NULL, "registered", &c, &e);
	assert_true(has_error(&e, "id_number", "required"));
	check(NULL, "foreign", &c, &e);
	assert_int_equal(e.n, 0);
	check("11010519491231002X", "tourist", &c, &e);
	assert_true(has_error(&e, "residency", "enum"));
	check("11010519491231002X", "流动", &c, &e); /* Chinese names of codes work too */
	assert_int_equal(e.n, 0);
	assert_int_equal(c.residency, RESIDENCY_FLOATING);
}

static void test_resident_other_fields(void **state)
{
	(void)state;
	struct resident_checked c;
	struct field_errors e = {.n = 0};
	struct resident_fields f = {.name = "   ",
	                            .residency = "foreign",
	                            .phone = "12345",
	                            .relation = "cousin",
	                            .status = "gone",
	                            .tags = "党员,unknown"};
	resident_check(&f, true, &c, &e);
	assert_true(has_error(&e, "name", "required"));
	assert_true(has_error(&e, "phone", "format"));
	assert_true(has_error(&e, "relation", "enum"));
	assert_true(has_error(&e, "status", "enum"));
	assert_true(has_error(&e, "tags", "enum"));
	char longname[200];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	struct resident_fields g = {.name = longname, .residency = "foreign"};
	memset(&e, 0, sizeof e);
	resident_check(&g, true, &c, &e);
	assert_true(has_error(&e, "name", "too_long"));
	struct resident_fields h = {.name = "李\x01四", .residency = "foreign"};
	memset(&e, 0, sizeof e);
	resident_check(&h, true, &c, &e);
	assert_true(has_error(&e, "name", "encoding"));
	/* A patch checks only what it is given. */
	struct resident_fields p = {.phone = "13812345678"};
	memset(&e, 0, sizeof e);
	resident_check(&p, false, &c, &e);
	assert_int_equal(e.n, 0);
}

static void test_tags(void **state)
{
	(void)state;
	uint32_t bits;
	char bad[64], out[256];
	assert_true(
	    tags_parse_list("elderly_alone、低保;community_correction", &bits, bad, sizeof bad));
	tags_format(bits, false, out, sizeof out);
	assert_string_equal(out, "elderly_alone,low_income");
	tags_format(bits, true, out, sizeof out);
	assert_string_equal(out, "community_correction");
	assert_false(tags_parse_list("veteran,astronaut", &bits, bad, sizeof bad));
	assert_string_equal(bad, "astronaut");
	assert_true(tags_parse_list("", &bits, NULL, 0));
	assert_int_equal(bits, 0);
	int t = tag_lookup("mental_disorder");
	assert_true(t >= 0 && tag_defs[t].restricted);
	assert_false(tag_defs[tag_lookup("党员")].restricted);
}

static void test_masks(void **state)
{
	(void)state;
	char out[32];
	mask_id_number("99010519491231002X", out, sizeof out);
	assert_string_equal(out, "990***********002X");
	mask_phone("13812345678", out, sizeof out);
	assert_string_equal(out, "138****5678");
	mask_phone("1234", out, sizeof out); /* too short to keep anything */
	assert_string_equal(out, "****");
	id_number_normalise(" 11010519491231002x ", out, sizeof out);
	assert_string_equal(out, "11010519491231002X");
}

/* A masked birth date keeps the year and nothing else (leak 1: with the mask, the full date
 * left <= 91 candidates for an ID number). */
static void test_name_mask(void **state)
{
	(void)state;
	char out[16];
	mask_name("张三丰", out, sizeof out);
	assert_string_equal(out, "张**");
	mask_name("Li Lei", out, sizeof out);
	assert_string_equal(out, "L**");
	mask_name("", out, sizeof out);
	assert_string_equal(out, "**");
	mask_name(NULL, out, sizeof out);
	assert_string_equal(out, "**");
	mask_name("\xff\xfe", out, sizeof out); /* not UTF-8: nothing of it */
	assert_string_equal(out, "**");
	mask_name("张三", out, 5); /* no room for the character and the stars */
	assert_string_equal(out, "**");
}

static void test_birth_date_mask(void **state)
{
	(void)state;
	char out[32];
	mask_birth_date(1987, out, sizeof out);
	assert_string_equal(out, "1987-**-**");
	assert_null(strpbrk(out + 4, "0123456789"));
	mask_birth_date(0, out, sizeof out); /* unknown (no ID number) */
	assert_string_equal(out, "");
	mask_birth_date(2026, out, 5); /* cut, never overrun */
	assert_string_equal(out, "2026");
}

/* 30 lookups in 10 minutes, the 31st refused until the first leaves the window. */
static void test_lookup_limit(void **state)
{
	(void)state;
	int64_t stamps[30] = {0}, retry = -1;
	int64_t t0 = 1000000;
	for (int i = 0; i < 30; i++)
		assert_true(lookup_take(stamps, 30, t0 + i, 600, &retry));
	assert_int_equal(retry, 0);
	assert_false(lookup_take(stamps, 30, t0 + 30, 600, &retry));
	assert_int_equal(retry, 570); /* the first, at t0, leaves at t0 + 600 */
	assert_false(lookup_take(stamps, 30, t0 + 599, 600, &retry));
	assert_int_equal(retry, 1);
	assert_true(lookup_take(stamps, 30, t0 + 600, 600, &retry));  /* t0 has left */
	assert_false(lookup_take(stamps, 30, t0 + 600, 600, &retry)); /* t0 + 1 has not */
	/* After a quiet window, a full allowance again. */
	for (int i = 0; i < 30; i++)
		assert_true(lookup_take(stamps, 30, t0 + 2000 + i, 600, &retry));
	assert_false(lookup_take(stamps, 0, t0, 600, &retry));
}

static void test_rectification_flow(void **state)
{
	(void)state;
	assert_int_equal(rectify_next(RECTIFY_OPEN, RECTIFY_START), RECTIFY_RECTIFYING);
	assert_int_equal(rectify_next(RECTIFY_RECTIFYING, RECTIFY_DONE), RECTIFY_RECTIFIED);
	assert_int_equal(rectify_next(RECTIFY_OPEN, RECTIFY_DONE), RECTIFY_RECTIFIED);
	/* The tick-off (销号) only follows a rectified item. */
	assert_int_equal(rectify_next(RECTIFY_OPEN, RECTIFY_VERIFY), -1);
	assert_int_equal(rectify_next(RECTIFY_RECTIFYING, RECTIFY_VERIFY), -1);
	assert_int_equal(rectify_next(RECTIFY_RECTIFIED, RECTIFY_VERIFY), RECTIFY_VERIFIED);
	assert_int_equal(rectify_next(RECTIFY_RECTIFIED, RECTIFY_REJECT), RECTIFY_RECTIFYING);
	assert_int_equal(rectify_next(RECTIFY_VERIFIED, RECTIFY_START), -1);
	assert_int_equal(rectify_next(RECTIFY_VERIFIED, RECTIFY_REJECT), -1);
	assert_int_equal(rate_tenths(1, 4), 250);
	assert_int_equal(rate_tenths(1, 3), 333);
	assert_int_equal(rate_tenths(2, 3), 667);
	assert_int_equal(rate_tenths(5, 0), 0);
	assert_int_equal(code_lookup(house_use_codes, HOUSE_USE_COUNT, "群租"), HOUSE_GROUP_RENTAL);
	assert_int_equal(code_lookup(rectify_method_codes, RECTIFY_METHOD_COUNT, "联合执法整治"),
	                 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_resident_id_edge_cases),
	    cmocka_unit_test(test_resident_other_fields),
	    cmocka_unit_test(test_tags),
	    cmocka_unit_test(test_masks),
	    cmocka_unit_test(test_birth_date_mask),
	    cmocka_unit_test(test_name_mask),
	    cmocka_unit_test(test_lookup_limit),
	    cmocka_unit_test(test_rectification_flow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
