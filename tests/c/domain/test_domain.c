/* Unit tests for src/domain: regions, roles, grants, passwords, ID numbers, audit chain. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/audit_chain.h"
#include "domain/grant.h"
#include "domain/idnum.h"
#include "domain/password.h"
#include "domain/region.h"
#include "domain/role.h"

#define assert_str_or_null_equal(got, want)                                                        \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		if (!g_ || !w_) {                                                                  \
			if (g_ != w_)                                                              \
				fail_msg("%s: got %s, want %s", #got, g_ ? g_ : "NULL",            \
				         w_ ? w_ : "NULL");                                        \
		} else {                                                                           \
			assert_string_equal(g_, w_);                                               \
		}                                                                                  \
	} while (0)

/* ---------------------------------------------------------------- regions */

static void test_region_level_of(void **state)
{
	(void)state;
	assert_int_equal(region_level_of("110101"), REGION_DISTRICT);
	assert_int_equal(region_level_of("110101001"), REGION_STREET);
	assert_int_equal(region_level_of("110101001001"), REGION_COMMUNITY);
	assert_int_equal(region_level_of("110101001001001"), REGION_GRID);
	assert_int_equal(region_level_of("440304"), REGION_DISTRICT);
	assert_int_equal(region_level_of("110101100"), REGION_STREET); /* a town (镇) */
	assert_int_equal(region_level_of("110101001200"), REGION_COMMUNITY);
	assert_int_equal(region_level_of("110101001001999"), REGION_GRID);

	/* Province 00, county 00. */
	assert_int_equal(region_level_of("000000"), REGION_NONE);
	assert_int_equal(region_level_of("001234"), REGION_NONE);
	assert_int_equal(region_level_of("110100"), REGION_NONE);
	assert_int_equal(region_level_of("110000"), REGION_NONE);
	/* Zero serials name the parent itself. */
	assert_int_equal(region_level_of("110101000"), REGION_NONE);
	assert_int_equal(region_level_of("110101001000"), REGION_NONE);
	assert_int_equal(region_level_of("110101001001000"), REGION_NONE);
	/* Wrong lengths. */
	assert_int_equal(region_level_of(""), REGION_NONE);
	assert_int_equal(region_level_of("11010"), REGION_NONE);
	assert_int_equal(region_level_of("1101011"), REGION_NONE);
	assert_int_equal(region_level_of("1101010011"), REGION_NONE);
	assert_int_equal(region_level_of("11010100100100"), REGION_NONE);
	assert_int_equal(region_level_of("1101010010010011"), REGION_NONE);
	assert_int_equal(region_level_of("110101001001001001"), REGION_NONE);
	/* Non-digits anywhere. */
	assert_int_equal(region_level_of("11010a"), REGION_NONE);
	assert_int_equal(region_level_of("a10101"), REGION_NONE);
	assert_int_equal(region_level_of(" 110101"), REGION_NONE);
	assert_int_equal(region_level_of("110101 "), REGION_NONE);
	assert_int_equal(region_level_of("110-01"), REGION_NONE);
	assert_int_equal(region_level_of("１１０１０１"), REGION_NONE); /* full-width */
	assert_int_equal(region_level_of("110101001\n"), REGION_NONE);
	assert_int_equal(region_level_of(NULL), REGION_NONE);
}

static void test_region_level_names(void **state)
{
	(void)state;
	static const char *const codes[] = {"district", "street", "community", "grid"};
	for (int l = REGION_DISTRICT; l <= REGION_GRID; l++) {
		assert_string_equal(region_level_code((enum region_level)l), codes[l]);
		enum region_level back = REGION_NONE;
		assert_true(region_level_parse(codes[l], &back));
		assert_int_equal(back, l);
		assert_true(strlen(region_level_name_zh((enum region_level)l)) > 0);
	}
	assert_string_equal(region_level_name_zh(REGION_GRID), "网格");
	assert_string_equal(region_level_code(REGION_NONE), "");
	assert_string_equal(region_level_name_zh(REGION_NONE), "");
	enum region_level out = REGION_GRID;
	assert_false(region_level_parse("Grid", &out));
	assert_false(region_level_parse("", &out));
	assert_false(region_level_parse(NULL, &out));
	assert_int_equal(out, REGION_GRID);
	assert_int_equal(region_parent_len(REGION_DISTRICT), 0);
	assert_int_equal(region_parent_len(REGION_STREET), 6);
	assert_int_equal(region_parent_len(REGION_COMMUNITY), 9);
	assert_int_equal(region_parent_len(REGION_GRID), 12);
	assert_int_equal(region_parent_len(REGION_NONE), 0);
}

static void test_region_child_problem(void **state)
{
	(void)state;
	/* Fits. */
	assert_null(region_child_problem("110101", NULL));
	assert_null(region_child_problem("110101", ""));
	assert_null(region_child_problem("110101001", "110101"));
	assert_null(region_child_problem("110101001002", "110101001"));
	assert_null(region_child_problem("110101001002003", "110101001002"));
	/* invalid_code: the child itself is malformed. */
	assert_str_or_null_equal(region_child_problem("11010100", "110101"), "invalid_code");
	assert_str_or_null_equal(region_child_problem("110101000", "110101"), "invalid_code");
	assert_str_or_null_equal(region_child_problem("abc", NULL), "invalid_code");
	assert_str_or_null_equal(region_child_problem(NULL, "110101"), "invalid_code");
	/* district_has_no_parent. */
	assert_str_or_null_equal(region_child_problem("110101", "110101001"),
	                         "district_has_no_parent");
	/* parent_required. */
	assert_str_or_null_equal(region_child_problem("110101001", NULL), "parent_required");
	assert_str_or_null_equal(region_child_problem("110101001001001", ""), "parent_required");
	/* parent_level: skipping a level, same level, or a malformed parent. */
	assert_str_or_null_equal(region_child_problem("110101001001", "110101"), "parent_level");
	assert_str_or_null_equal(region_child_problem("110101001001001", "110101001"),
	                         "parent_level");
	assert_str_or_null_equal(region_child_problem("110101001", "110101002"), "parent_level");
	assert_str_or_null_equal(region_child_problem("110101001", "11010"), "parent_level");
	assert_str_or_null_equal(region_child_problem("110100001", "110100"), "parent_level");
	/* parent_prefix: right level, wrong branch. */
	assert_str_or_null_equal(region_child_problem("110102001", "110101"), "parent_prefix");
	assert_str_or_null_equal(region_child_problem("110101002001", "110101001"),
	                         "parent_prefix");
	assert_str_or_null_equal(region_child_problem("110101001002001", "110101001001"),
	                         "parent_prefix");
}

static void test_region_covers(void **state)
{
	(void)state;
	assert_true(region_covers("110101", "110101"));
	assert_true(region_covers("110101", "110101001"));
	assert_true(region_covers("110101", "110101001001001"));
	assert_true(region_covers("110101001", "110101001001"));
	assert_true(region_covers("110101001001001", "110101001001001"));
	assert_false(region_covers("110101001", "110101"));       /* child ⊉ parent */
	assert_false(region_covers("110101", "110102001"));       /* sibling district */
	assert_false(region_covers("110101001", "110101002001")); /* sibling street */
	assert_false(region_covers("110101001001001", "110101001001002"));
	assert_false(region_covers(NULL, "110101"));
	assert_false(region_covers("110101", NULL));
	assert_false(region_covers(NULL, NULL));
}

static void test_region_households(void **state)
{
	(void)state;
	assert_false(region_households_valid(-1));
	assert_true(region_households_valid(0));
	assert_true(region_households_valid(300));
	assert_true(region_households_valid(700));
	assert_true(region_households_valid(100000));
	assert_false(region_households_valid(100001));
	assert_false(region_households_valid(INT64_MIN));
	assert_false(region_households_valid(INT64_MAX));
}

/* ---------------------------------------------------------------- roles */

static void test_role_round_trip(void **state)
{
	(void)state;
	static const char *const codes[ROLE_COUNT] = {
	    "admin",      "district",    "street",      "community",
	    "supervisor", "grid_leader", "grid_worker", "building_leader",
	    "department", "cadre",       "resident"};
	assert_int_equal(ROLE_COUNT, 11);
	for (int i = 0; i < ROLE_COUNT; i++) {
		assert_string_equal(role_code((enum role)i), codes[i]);
		enum role r = ROLE_COUNT;
		assert_true(role_parse(codes[i], &r));
		assert_int_equal(r, i);
		assert_true(strlen(role_name_zh((enum role)i)) > 0);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(role_name_zh((enum role)i),
			                        role_name_zh((enum role)j));
	}
	assert_string_equal(role_name_zh(ROLE_GRID_WORKER), "网格员");
	enum role r = ROLE_CADRE;
	assert_false(role_parse("Admin", &r));
	assert_false(role_parse("admin ", &r));
	assert_false(role_parse("", &r));
	assert_false(role_parse("grid", &r));
	assert_false(role_parse(NULL, &r));
	assert_int_equal(r, ROLE_CADRE);
	assert_string_equal(role_code(ROLE_COUNT), "");
	assert_string_equal(role_name_zh(ROLE_COUNT), "");
	assert_int_equal(ROLES_ANY, 0x7ff);
	assert_true(ROLES_MANAGERS & ROLE_BIT(ROLE_COMMUNITY));
	assert_false(ROLES_MANAGERS & ROLE_BIT(ROLE_GRID_WORKER));
}

/* ---------------------------------------------------------------- grants */

static struct grant mk(enum role r, const char *code)
{
	struct grant g;
	memset(&g, 0, sizeof g);
	g.role = r;
	snprintf(g.region_code, sizeof g.region_code, "%s", code);
	return g;
}

static void test_grant_admin_global(void **state)
{
	(void)state;
	struct grant g[] = {mk(ROLE_ADMIN, "")};
	assert_int_equal(grant_roles(g, 1), ROLE_BIT(ROLE_ADMIN));
	assert_true(grant_reaches(g, 1, ROLES_ANY, "110101"));
	assert_true(grant_reaches(g, 1, ROLES_ANY, "440304001002003"));
	assert_true(grant_reaches(g, 1, ROLE_BIT(ROLE_ADMIN), "370202"));
	assert_true(grant_overlaps(g, 1, ROLES_ANY, "110101"));
	/* A route that does not admit admins: the admin grant does not count. */
	assert_false(grant_reaches(g, 1, ROLE_BIT(ROLE_GRID_WORKER), "110101"));
	assert_false(grant_overlaps(g, 1, ROLES_MANAGERS & ~ROLE_BIT(ROLE_ADMIN), "110101"));
	/* No grants reach nothing. */
	assert_false(grant_reaches(g, 0, ROLES_ANY, "110101"));
	assert_false(grant_overlaps(NULL, 0, ROLES_ANY, "110101"));
	assert_int_equal(grant_roles(NULL, 0), 0);
}

static void test_grant_grid_worker_subtree(void **state)
{
	(void)state;
	struct grant g[] = {mk(ROLE_GRID_WORKER, "110101001001001")};
	unsigned gw = ROLE_BIT(ROLE_GRID_WORKER);
	assert_true(grant_reaches(g, 1, gw, "110101001001001"));
	assert_false(grant_reaches(g, 1, gw, "110101001001002")); /* neighbour grid */
	assert_false(grant_reaches(g, 1, gw, "110101001001"));    /* its community */
	assert_false(grant_reaches(g, 1, gw, "110101"));
	assert_false(grant_reaches(g, 1, gw, "440304001001001"));
	/* Overlap: the ancestors on the way down are visible, siblings are not. */
	assert_true(grant_overlaps(g, 1, gw, "110101"));
	assert_true(grant_overlaps(g, 1, gw, "110101001"));
	assert_true(grant_overlaps(g, 1, gw, "110101001001"));
	assert_true(grant_overlaps(g, 1, gw, "110101001001001"));
	assert_false(grant_overlaps(g, 1, gw, "110101001002"));
	assert_false(grant_overlaps(g, 1, gw, "110101002"));
	assert_false(grant_overlaps(g, 1, gw, "110102"));
	/* Role filtering: the route wants managers only. */
	assert_false(grant_reaches(g, 1, ROLES_MANAGERS, "110101001001001"));
	assert_false(grant_overlaps(g, 1, ROLES_MANAGERS, "110101"));
}

static void test_grant_mixed(void **state)
{
	(void)state;
	struct grant g[] = {
	    mk(ROLE_COMMUNITY, "110101001002"),
	    mk(ROLE_GRID_WORKER, "110101003001001"),
	    mk(ROLE_STREET, "440304005"),
	};
	assert_int_equal(grant_roles(g, 3), ROLE_BIT(ROLE_COMMUNITY) | ROLE_BIT(ROLE_GRID_WORKER) |
	                                        ROLE_BIT(ROLE_STREET));
	unsigned mgr = ROLES_MANAGERS;
	assert_true(grant_reaches(g, 3, mgr, "110101001002"));
	assert_true(grant_reaches(g, 3, mgr, "110101001002007"));
	assert_true(grant_reaches(g, 3, mgr, "440304005123"));
	assert_false(grant_reaches(g, 3, mgr, "110101003001001")); /* only via grid_worker */
	assert_true(grant_reaches(g, 3, ROLES_ANY, "110101003001001"));
	assert_false(grant_reaches(g, 3, ROLES_ANY, "110101001003"));
	assert_false(grant_reaches(g, 3, ROLES_ANY, "440304006"));
	assert_true(grant_overlaps(g, 3, mgr, "110101001"));
	assert_false(grant_overlaps(g, 3, mgr, "110101003"));
	assert_true(grant_overlaps(g, 3, ROLES_ANY, "110101003"));
}

/* ---------------------------------------------------------------- passwords */

static void test_password_problem(void **state)
{
	(void)state;
	assert_str_or_null_equal(password_problem(""), "too_short");
	assert_str_or_null_equal(password_problem("Abc!12345"), "too_short");   /* 9 chars */
	assert_str_or_null_equal(password_problem("abcdefghij"), "too_simple"); /* 1 class */
	assert_str_or_null_equal(password_problem("abcdefgh12"), "too_simple"); /* 2 classes */
	assert_str_or_null_equal(password_problem("ABCDEFGH!!"), "too_simple");
	assert_str_or_null_equal(password_problem("1234567890"), "too_simple");
	assert_null(password_problem("abcdefgH12")); /* 3 classes, 10 chars */
	assert_null(password_problem("abcdefgh1!"));
	assert_null(password_problem("ABCDEFGH1 ")); /* space counts as other */
	assert_null(password_problem("Abcdefg!12")); /* all 4 */
	/* CJK: counted as characters, and as the "other" class. */
	assert_str_or_null_equal(password_problem("密码密码密码a1"),
	                         "too_short"); /* 8 chars, 20 B */
	assert_str_or_null_equal(password_problem("密码密码密码密码密码"), "too_simple");
	assert_null(password_problem("密码密码密码密码Aa1"));
	assert_null(password_problem("我的密码是很长的a1")); /* 10 chars: other+lower+digit */
	/* Length limit is in bytes. */
	char pw[400];
	memset(pw, 'a', 254);
	memcpy(pw + 254, "A1", 3);
	assert_int_equal(strlen(pw), 256);
	assert_null(password_problem(pw));
	memset(pw, 'a', 255);
	memcpy(pw + 255, "A1", 3);
	assert_str_or_null_equal(password_problem(pw), "too_long");
	pw[0] = '\0';
	for (int i = 0; i < 86; i++) /* 86 characters but 258 bytes */
		strcat(pw, "密");
	assert_int_equal(strlen(pw), 258);
	assert_str_or_null_equal(password_problem(pw), "too_long");

	assert_string_equal(password_problem_zh(NULL), "");
	assert_non_null(strstr(password_problem_zh("too_short"), "10"));
	assert_non_null(strstr(password_problem_zh("too_long"), "256"));
	assert_string_not_equal(password_problem_zh("too_simple"),
	                        password_problem_zh("too_short"));
}

/* ---------------------------------------------------------------- citizen ID */

/* Reference GB 11643 check character, written from the standard text. */
static char ref_id_check(const char *d17)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (d17[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

static void make_id(char out[19], const char *first17)
{
	memcpy(out, first17, 17);
	out[17] = citizen_id_check_char(first17);
	out[18] = '\0';
}

static void test_citizen_id_example(void **state)
{
	(void)state;
	struct citizen_id c;
	memset(&c, 0, sizeof c);
	assert_null(citizen_id_problem("11010519491231002X", &c));
	assert_int_equal(c.year, 1949);
	assert_int_equal(c.month, 12);
	assert_int_equal(c.day, 31);
	assert_int_equal(c.gender, 'F'); /* 17th digit 2: even */
	assert_null(citizen_id_problem("11010519491231002x", NULL));
	assert_int_equal(citizen_id_check_char("11010519491231002"), 'X');
	assert_str_or_null_equal(citizen_id_problem("110105194912310021", NULL), "checksum");
	assert_str_or_null_equal(citizen_id_problem("11010519491231003X", NULL), "checksum");
	assert_null(citizen_id_problem("440304198005153410", &c));
	assert_int_equal(c.gender, 'M'); /* 17th digit 1: odd */
	assert_int_equal(c.year, 1980);
}

static void test_citizen_id_built(void **state)
{
	(void)state;
	char id[19];
	struct citizen_id c;
	/* Valid leap day 2000-02-29 (divisible by 400). */
	make_id(id, "99000020000229123");
	assert_string_equal(id, "990000200002291231");
	assert_null(citizen_id_problem(id, &c));
	assert_int_equal(c.year, 2000);
	assert_int_equal(c.month, 2);
	assert_int_equal(c.day, 29);
	assert_int_equal(c.gender, 'M'); /* sequence 123: 17th digit 3 is odd */
	make_id(id, "99000020240229004");
	assert_null(citizen_id_problem(id, &c));
	assert_int_equal(c.gender, 'F');
	make_id(id, "99000020240229005");
	assert_null(citizen_id_problem(id, &c));
	assert_int_equal(c.gender, 'M');
	/* Invalid dates with a correct check character: the date is what fails. */
	make_id(id, "99000019000229123");
	assert_str_or_null_equal(citizen_id_problem(id, NULL), "date");
	make_id(id, "99000020230229123");
	assert_str_or_null_equal(citizen_id_problem(id, NULL), "date");
	make_id(id, "99000020231301123");
	assert_str_or_null_equal(citizen_id_problem(id, NULL), "date");
	make_id(id, "99000020230001123");
	assert_str_or_null_equal(citizen_id_problem(id, NULL), "date");
	make_id(id, "99000020230100123");
	assert_str_or_null_equal(citizen_id_problem(id, NULL), "date");
	make_id(id, "99000020230431123");
	assert_str_or_null_equal(citizen_id_problem(id, NULL), "date");
	make_id(id, "99000020231232123");
	assert_str_or_null_equal(citizen_id_problem(id, NULL), "date");
	make_id(id, "99000018000101123"); /* far before any living person */
	assert_str_or_null_equal(citizen_id_problem(id, NULL), "date");
	make_id(id, "99000020231231123");
	assert_null(citizen_id_problem(id, NULL));
	make_id(id, "99000020230430123");
	assert_null(citizen_id_problem(id, NULL));
	/* Wrong check digit: try every wrong character. */
	make_id(id, "99000019900101001");
	assert_string_equal(id, "990000199001010017");
	static const char checks[] = "0123456789X";
	for (size_t i = 0; i < sizeof checks - 1; i++) {
		id[17] = checks[i];
		if (checks[i] == '7')
			assert_null(citizen_id_problem(id, NULL));
		else
			assert_str_or_null_equal(citizen_id_problem(id, NULL), "checksum");
	}
	/* The output is left alone on failure. */
	memset(&c, 0x11, sizeof c);
	assert_non_null(citizen_id_problem("990000199001010018", &c));
	assert_int_equal(c.year, 0x11111111);
}

static void test_citizen_id_malformed(void **state)
{
	(void)state;
	assert_str_or_null_equal(citizen_id_problem(NULL, NULL), "length");
	assert_str_or_null_equal(citizen_id_problem("", NULL), "length");
	assert_str_or_null_equal(citizen_id_problem("11010519491231002", NULL), "length");
	assert_str_or_null_equal(citizen_id_problem("11010519491231002X1", NULL), "length");
	assert_str_or_null_equal(citizen_id_problem("110105194912310", NULL),
	                         "length"); /* old 15 */
	assert_str_or_null_equal(citizen_id_problem("1101051949123100AX", NULL), "format");
	assert_str_or_null_equal(citizen_id_problem("A1010519491231002X", NULL), "format");
	assert_str_or_null_equal(citizen_id_problem("11010519491231002Y", NULL), "format");
	assert_str_or_null_equal(citizen_id_problem("1101051949123100X2", NULL), "format");
	assert_str_or_null_equal(citizen_id_problem("11010519491231 02X", NULL), "format");
	assert_str_or_null_equal(citizen_id_problem("-1010519491231002X", NULL), "format");
	/* Full-width digits: 18 bytes is a format problem, 27 bytes a length one. */
	assert_str_or_null_equal(citizen_id_problem("１１０１０５", NULL), "format");
	assert_str_or_null_equal(citizen_id_problem("１１０１０５１９４", NULL), "length");
}

static void test_citizen_id_check_matches_reference(void **state)
{
	(void)state;
	char d[18];
	uint32_t x = 12345;
	for (int n = 0; n < 5000; n++) {
		for (int i = 0; i < 17; i++) {
			x = x * 1103515245u + 12345u;
			d[i] = (char)('0' + (x >> 16) % 10);
		}
		d[17] = '\0';
		assert_int_equal(citizen_id_check_char(d), ref_id_check(d));
	}
}

/* ---------------------------------------------------------------- USCC */

static const char uscc_alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static char ref_uscc_check(const char *c17)
{
	static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (int)(strchr(uscc_alpha, c17[i]) - uscc_alpha) * w[i];
	int c = 31 - sum % 31;
	return uscc_alpha[c == 31 ? 0 : c];
}

static void test_uscc(void **state)
{
	(void)state;
	assert_null(uscc_problem("91350100M000100Y43"));
	assert_int_equal(uscc_check_char("91350100M000100Y4"), '3');
	assert_null(uscc_problem("91110000600037341L"));
	assert_str_or_null_equal(uscc_problem("91350100M000100Y44"), "checksum");
	assert_str_or_null_equal(uscc_problem("91350100M000100Y4A"), "checksum");
	assert_str_or_null_equal(uscc_problem("91350100M000100Y34"), "checksum"); /* transposed */
	/* Letters GB 32100 leaves out: I O Z S V. */
	static const char forbidden[] = "IOZSV";
	for (size_t i = 0; i < 5; i++) {
		char code[] = "91350100M000100Y43";
		code[8] = forbidden[i];
		assert_str_or_null_equal(uscc_problem(code), "format");
		char code2[] = "91350100M000100Y43";
		code2[17] = forbidden[i];
		assert_str_or_null_equal(uscc_problem(code2), "format");
	}
	assert_str_or_null_equal(uscc_problem("91350100m000100Y43"), "format"); /* lower case */
	assert_str_or_null_equal(uscc_problem("91350100M000100Y4 "), "format");
	assert_str_or_null_equal(uscc_problem("91350100-000100Y43"), "format");
	assert_str_or_null_equal(uscc_problem(NULL), "length");
	assert_str_or_null_equal(uscc_problem(""), "length");
	assert_str_or_null_equal(uscc_problem("91350100M000100Y4"), "length");
	assert_str_or_null_equal(uscc_problem("91350100M000100Y431"), "length");
}

static void test_uscc_check_matches_reference(void **state)
{
	(void)state;
	char c[19];
	uint32_t x = 777;
	int zero_checks = 0;
	for (int n = 0; n < 5000; n++) {
		for (int i = 0; i < 17; i++) {
			x = x * 1103515245u + 12345u;
			c[i] = uscc_alpha[(x >> 16) % 31];
		}
		c[17] = '\0';
		char want = ref_uscc_check(c);
		assert_int_equal(uscc_check_char(c), want);
		zero_checks += want == '0';
		c[17] = want;
		c[18] = '\0';
		assert_null(uscc_problem(c));
	}
	assert_true(zero_checks > 0); /* the 31 → 0 case was exercised */
	/* Σ ≡ 0 (mod 31) exactly: all zeros gives check '0'. */
	assert_int_equal(uscc_check_char("00000000000000000"), '0');
	assert_null(uscc_problem("000000000000000000"));
}

/* ---------------------------------------------------------------- audit chain */

static struct audit_entry base_entry(void)
{
	struct audit_entry e = {
	    .id = 2,
	    .at = 1795392000,
	    .user_id = 7,
	    .result = 200,
	    .username = "admin",
	    .action = "region.create",
	    .object = "110101001",
	    .ip = "127.0.0.1",
	    .detail = "{\"name\":\"东华门街道\"}",
	};
	return e;
}

static const unsigned char test_key[AUDIT_KEY_LEN] = {9, 8, 7, 6, 5, 4, 3, 2, 1};

static void hash_of(const unsigned char prev[AUDIT_HASH_LEN], const struct audit_entry *e,
                    unsigned char out[AUDIT_HASH_LEN])
{
	memset(out, 0, AUDIT_HASH_LEN);
	audit_chain_hash(test_key, prev, e, out);
}

static void test_audit_chain_hash(void **state)
{
	(void)state;
	assert_true(sodium_init() >= 0);
	unsigned char prev[AUDIT_HASH_LEN] = {0}, h0[AUDIT_HASH_LEN], h[AUDIT_HASH_LEN];
	struct audit_entry e = base_entry();
	hash_of(prev, &e, h0);
	hash_of(prev, &e, h);
	assert_memory_equal(h0, h, AUDIT_HASH_LEN); /* deterministic */
	static const unsigned char zero[AUDIT_HASH_LEN] = {0};
	assert_memory_not_equal(h0, zero, AUDIT_HASH_LEN);

	/* Copies of the strings in other buffers hash the same (content, not pointers). */
	char user[] = "admin";
	struct audit_entry e2 = base_entry();
	e2.username = user;
	hash_of(prev, &e2, h);
	assert_memory_equal(h0, h, AUDIT_HASH_LEN);

#define CHANGED(field, value)                                                                      \
	do {                                                                                       \
		struct audit_entry x_ = base_entry();                                              \
		x_.field = value;                                                                  \
		hash_of(prev, &x_, h);                                                             \
		if (memcmp(h, h0, AUDIT_HASH_LEN) == 0)                                            \
			fail_msg("changing " #field " did not change the hash");                   \
	} while (0)
	CHANGED(id, 3);
	CHANGED(at, 1795392001);
	CHANGED(user_id, 8);
	CHANGED(user_id, 0);
	CHANGED(result, 403);
	CHANGED(username, "admin2");
	CHANGED(username, NULL);
	CHANGED(username, "");
	CHANGED(action, "region.update");
	CHANGED(object, "110101002");
	CHANGED(object, NULL);
	CHANGED(ip, "127.0.0.2");
	CHANGED(detail, "{\"name\":\"东华门街道 \"}");
	CHANGED(detail, NULL);
#undef CHANGED

	/* NULL and "" are different values. */
	struct audit_entry en = base_entry(), ee = base_entry();
	en.object = NULL;
	ee.object = "";
	unsigned char hn[AUDIT_HASH_LEN], he[AUDIT_HASH_LEN];
	hash_of(prev, &en, hn);
	hash_of(prev, &ee, he);
	assert_memory_not_equal(hn, he, AUDIT_HASH_LEN);

	/* Moving bytes between adjacent fields changes the hash. */
	struct audit_entry m1 = base_entry(), m2 = base_entry();
	m1.username = "adminregion";
	m1.action = ".create";
	m2.username = "admin";
	m2.action = "region.create";
	unsigned char h1[AUDIT_HASH_LEN], h2[AUDIT_HASH_LEN];
	hash_of(prev, &m1, h1);
	hash_of(prev, &m2, h2);
	assert_memory_not_equal(h1, h2, AUDIT_HASH_LEN);
	m1.username = "";
	m1.action = "adminregion.create";
	hash_of(prev, &m1, h1);
	assert_memory_not_equal(h1, h2, AUDIT_HASH_LEN);
	struct audit_entry d1 = base_entry(), d2 = base_entry();
	d1.ip = "127.0.0.1x";
	d1.detail = "y";
	d2.ip = "127.0.0.1";
	d2.detail = "xy";
	hash_of(prev, &d1, h1);
	hash_of(prev, &d2, h2);
	assert_memory_not_equal(h1, h2, AUDIT_HASH_LEN);

	/* The previous hash matters, every byte of it. */
	for (int i = 0; i < AUDIT_HASH_LEN; i++) {
		unsigned char p2[AUDIT_HASH_LEN] = {0};
		p2[i] = 1;
		hash_of(p2, &e, h);
		assert_memory_not_equal(h, h0, AUDIT_HASH_LEN);
	}
	/* Chaining: a second entry's hash depends on the first's. */
	unsigned char c1[AUDIT_HASH_LEN], c2a[AUDIT_HASH_LEN], c2b[AUDIT_HASH_LEN];
	struct audit_entry first = base_entry();
	first.id = 1;
	hash_of(prev, &first, c1);
	hash_of(c1, &e, c2a);
	first.result = 500;
	hash_of(prev, &first, c1);
	hash_of(c1, &e, c2b);
	assert_memory_not_equal(c2a, c2b, AUDIT_HASH_LEN);
}

/* The hash is BLAKE2b-256 keyed with the audit key over prev ‖ fields with 8-byte little-endian
 * integers and length-prefixed strings (-1 for NULL): recompute it independently. */
static void test_audit_chain_hash_layout(void **state)
{
	(void)state;
	assert_true(sodium_init() >= 0);
	unsigned char prev[AUDIT_HASH_LEN];
	for (int i = 0; i < AUDIT_HASH_LEN; i++)
		prev[i] = (unsigned char)(i * 7 + 1);
	struct audit_entry e = base_entry();
	e.object = NULL;
	unsigned char got[AUDIT_HASH_LEN], want[AUDIT_HASH_LEN];
	audit_chain_hash(test_key, prev, &e, got);

	unsigned char msg[1024];
	size_t n = 0;
	memcpy(msg, prev, AUDIT_HASH_LEN);
	n += AUDIT_HASH_LEN;
	int64_t ints[4] = {e.id, e.at, e.user_id, e.result};
	for (int k = 0; k < 4; k++)
		for (int i = 0; i < 8; i++)
			msg[n++] = (unsigned char)((uint64_t)ints[k] >> (8 * i));
	const char *strs[5] = {e.username, e.action, e.object, e.ip, e.detail};
	for (int k = 0; k < 5; k++) {
		int64_t len = strs[k] ? (int64_t)strlen(strs[k]) : -1;
		for (int i = 0; i < 8; i++)
			msg[n++] = (unsigned char)((uint64_t)len >> (8 * i));
		if (len > 0) {
			memcpy(msg + n, strs[k], (size_t)len);
			n += (size_t)len;
		}
	}
	crypto_generichash(want, AUDIT_HASH_LEN, msg, n, test_key, AUDIT_KEY_LEN);
	assert_memory_equal(got, want, AUDIT_HASH_LEN);
	/* Another key gives another hash: the chain cannot be recomputed without it. */
	unsigned char other_key[AUDIT_KEY_LEN] = {0}, other[AUDIT_HASH_LEN];
	audit_chain_hash(other_key, prev, &e, other);
	assert_memory_not_equal(got, other, AUDIT_HASH_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_region_level_of),
	    cmocka_unit_test(test_region_level_names),
	    cmocka_unit_test(test_region_child_problem),
	    cmocka_unit_test(test_region_covers),
	    cmocka_unit_test(test_region_households),
	    cmocka_unit_test(test_role_round_trip),
	    cmocka_unit_test(test_grant_admin_global),
	    cmocka_unit_test(test_grant_grid_worker_subtree),
	    cmocka_unit_test(test_grant_mixed),
	    cmocka_unit_test(test_password_problem),
	    cmocka_unit_test(test_citizen_id_example),
	    cmocka_unit_test(test_citizen_id_built),
	    cmocka_unit_test(test_citizen_id_malformed),
	    cmocka_unit_test(test_citizen_id_check_matches_reference),
	    cmocka_unit_test(test_uscc),
	    cmocka_unit_test(test_uscc_check_matches_reference),
	    cmocka_unit_test(test_audit_chain_hash),
	    cmocka_unit_test(test_audit_chain_hash_layout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
