/* Store tests: how the PostgreSQL backend rewrites a query written for both
 * backends (store/pg_sql.c) — the dialect pairs of store/dialect.h, the
 * parameter numbering SQLite uses, and what it must leave alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "store/dialect.h"
#include "store/pg_sql.h"

static void check_params(const char *sql, const char *want, int want_n)
{
	int n = -1;
	char *got = pg_sql_params(sql, &n);
	assert_string_equal(got, want);
	assert_int_equal(n, want_n);
	free(got);
}

static void test_params(void **state)
{
	(void)state;
	check_params("SELECT 1", "SELECT 1", 0);
	check_params("SELECT a FROM t WHERE b = ? AND c = ?",
	             "SELECT a FROM t WHERE b = $1 AND c = $2", 2);
	check_params("WHERE (?5 IS NULL OR c = ?5) LIMIT ?6",
	             "WHERE ($5 IS NULL OR c = $5) LIMIT $6", 6);
	/* SQLite gives a bare '?' one more than the highest number so far */
	check_params("?3, ?, ?1, ?", "$3, $4, $1, $5", 5);
	/* literals, quoted names and comments keep their question marks */
	check_params("SELECT '?', 'it''s ?', \"a?\" -- ?\n, /* ? */ ?",
	             "SELECT '?', 'it''s ?', \"a?\" -- ?\n, /* ? */ $1", 1);
	check_params("x = ?12", "x = $12", 12);
}

static void check_dialect(const char *sql, const char *want)
{
	char *got = pg_sql_dialect(sql);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_dialect(void **state)
{
	(void)state;
	check_dialect("SELECT 1", "SELECT 1");
	check_dialect(SQL_INSERT_IGNORE " t(a) VALUES (?)" SQL_IGNORE_END,
	              " INSERT INTO t(a) VALUES (?)  ON CONFLICT DO NOTHING");
	check_dialect("SELECT " SQL_INSTR("a", "?") " FROM t", "SELECT  strpos(a, ?) FROM t");
	check_dialect("SELECT " SQL_GROUP_CONCAT("name", "','"), "SELECT  string_agg(name, ',')");
	check_dialect("WHERE " SQL_NO_INDEX("region_code") " = ?", "WHERE  region_code = ?");
	check_dialect("SELECT " SQL_COUNT_IF("a = 1"), "SELECT  count(*) FILTER (WHERE a = 1)");
	/* unbalanced markers are a bug in the query: refused, not guessed */
	assert_null(pg_sql_dialect("SELECT /*sqlite{*/ 1"));
	assert_null(pg_sql_dialect("SELECT /*pg{ 1"));
}

static void test_insert_table(void **state)
{
	(void)state;
	char name[64];
	assert_true(pg_sql_insert_table("INSERT INTO cases(a) VALUES ($1)", name, sizeof name));
	assert_string_equal(name, "cases");
	assert_true(pg_sql_insert_table("  INSERT INTO audit (a) SELECT 1", name, sizeof name));
	assert_string_equal(name, "audit");
	assert_false(pg_sql_insert_table("UPDATE cases SET a = 1", name, sizeof name));
	assert_false(pg_sql_insert_table("INSERT INTO (a)", name, sizeof name));
	char tiny[4];
	assert_false(pg_sql_insert_table("INSERT INTO residents(a)", tiny, sizeof tiny));
}

static void test_has_word(void **state)
{
	(void)state;
	assert_true(pg_sql_has_word("INSERT INTO t(a) VALUES (1) RETURNING id", "RETURNING"));
	assert_false(pg_sql_has_word("INSERT INTO returning_x(a) VALUES (1)", "RETURNING"));
	assert_false(pg_sql_has_word("INSERT INTO t(xRETURNING) VALUES (1)", "RETURNING"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_params),
	    cmocka_unit_test(test_dialect),
	    cmocka_unit_test(test_insert_table),
	    cmocka_unit_test(test_has_word),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
