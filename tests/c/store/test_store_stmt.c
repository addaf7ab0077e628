/* Store tests: the statement idiom every store file uses (store/stmt.c): how
 * each parameter constructor binds, the row helpers and the scope walker, on a
 * scratch table in a temporary database. */
#include "store_fixture.h"

#include "store/stmt.h"

static void make_table(struct fixture *f)
{
	assert_int_equal(db_exec(f->db, "CREATE TABLE t(id INTEGER PRIMARY KEY, region_code TEXT, "
	                                "s TEXT, i INTEGER, r REAL, b BLOB)"),
	                 DB_OK);
}

struct t_row {
	int64_t id, i;
	const char *region_code, *s;
	double r;
	struct sealed b;
};

static void t_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct t_row *t = row;
	t->id = db_col_int(st, 0);
	t->region_code = sql_str(st, a, 1);
	t->s = sql_str(st, a, 2);
	t->i = db_col_null(st, 3) ? -999 : db_col_int(st, 3);
	t->r = db_col_double(st, 4);
	t->b = sql_sealed(st, a, 5);
}

#define INSERT "INSERT INTO t(region_code, s, i, r, b) VALUES (?, ?, ?, ?, ?)"
#define SELECT "SELECT id, region_code, s, i, r, b FROM t"

static void test_arg_kinds(void **state)
{
	struct fixture *f = *state;
	make_table(f);
	static const unsigned char blob[] = {1, 2, 3};
	int64_t id = 0;
	assert_int_equal(sql_insert(f->db, INSERT,
	                            ARGS(ARG_TEXT("a"), ARG_OPT_TEXT(""), ARG_ID(0), ARG_REAL(2.5),
	                                 ARG_BLOB(blob, sizeof blob)),
	                            &id),
	                 DB_OK);
	assert_int_equal(id, 1);
	struct t_row row;
	assert_int_equal(
	    sql_one(f->db, &f->a, SELECT " WHERE id = ?", ARGS(ARG_INT(id)), t_read, &row), DB_ROW);
	assert_null(row.s);            /* "" → NULL */
	assert_int_equal(row.i, -999); /* id 0 → NULL */
	assert_true(row.r > 2.4 && row.r < 2.6);
	assert_int_equal(row.b.n, 3);
	assert_memory_equal(row.b.p, blob, 3);

	/* ARG_NONZERO keeps negatives, ARG_ID does not; ARG_TEXT keeps "". */
	assert_int_equal(sql_run(f->db, INSERT,
	                         ARGS(ARG_TEXT("b"), ARG_TEXT(""), ARG_NONZERO(-1), ARG_NULL,
	                              ARG_SEALED(((struct sealed){NULL, 0})))),
	                 DB_OK);
	assert_int_equal(sql_one(f->db, &f->a, SELECT " WHERE id = 2", NO_ARGS, t_read, &row),
	                 DB_ROW);
	assert_string_equal(row.s, "");
	assert_int_equal(row.i, -1);
	assert_null(row.b.p);
	assert_int_equal(sql_run(f->db, INSERT,
	                         ARGS(ARG_TEXT("c"), ARG_TEXT(NULL), ARG_ID(-5), ARG_BOOL(true),
	                              ARG_INDEX(false, blob))),
	                 DB_OK);
	assert_int_equal(sql_one(f->db, &f->a, SELECT " WHERE id = 3", NO_ARGS, t_read, &row),
	                 DB_ROW);
	assert_null(row.s);
	assert_int_equal(row.i, -999);
	assert_true(row.r > 0.9 && row.r < 1.1);
}

static void test_row_helpers(void **state)
{
	struct fixture *f = *state;
	make_table(f);
	for (int k = 0; k < 40; k++)
		assert_int_equal(
		    sql_run(f->db, INSERT,
		            ARGS(ARG_TEXT("x"), ARG_TEXT("s"), ARG_INT(k), ARG_NULL, ARG_NULL)),
		    DB_OK);
	struct t_row *rows;
	size_t n;
	/* More rows than the first allocation: the array grows. */
	assert_int_equal(sql_all(f->db, &f->a, SELECT " ORDER BY id", NO_ARGS, t_read, sizeof *rows,
	                         -1, (void **)&rows, &n),
	                 DB_OK);
	assert_int_equal(n, 40);
	assert_int_equal(rows[39].i, 39);
	assert_int_equal(sql_all(f->db, &f->a, SELECT " ORDER BY id", NO_ARGS, t_read, sizeof *rows,
	                         5, (void **)&rows, &n),
	                 DB_OK);
	assert_int_equal(n, 5);
	int64_t count = 0;
	assert_int_equal(
	    sql_int(f->db, "SELECT count(*) FROM t WHERE i >= ?", ARGS(ARG_INT(30)), &count),
	    DB_OK);
	assert_int_equal(count, 10);
	assert_int_equal(sql_int(f->db, "SELECT i FROM t WHERE id = -1", NO_ARGS, &count), DB_OK);
	assert_int_equal(count, 0); /* no row reads as 0 */
	bool yes = true;
	assert_int_equal(sql_exists(f->db, "SELECT 1 FROM t WHERE i = 99", NO_ARGS, &yes), DB_OK);
	assert_false(yes);
	assert_int_equal(sql_change(f->db, "UPDATE t SET s = 'y' WHERE i = 99", NO_ARGS), DB_DONE);
	assert_int_equal(sql_change(f->db, "UPDATE t SET s = 'y' WHERE i = 1", NO_ARGS), DB_OK);
	/* Edge: a statement that does not prepare is an error, not a crash. */
	assert_int_equal(sql_run(f->db, "UPDATE nowhere SET x = 1", NO_ARGS), DB_ERROR);
	assert_int_equal(sql_one(f->db, &f->a, "SELECT nothing FROM t", NO_ARGS, t_read, rows),
	                 DB_ERROR);
	assert_string_equal(sql_prefix_end(&f->a, "1101"), "1101;");
}

static void test_walk(void **state)
{
	struct fixture *f = *state;
	make_table(f);
	static const char *const codes[] = {"110101001", "110101001", "110101002", "110102001"};
	for (size_t k = 0; k < 4; k++)
		assert_int_equal(sql_run(f->db, INSERT,
		                         ARGS(ARG_TEXT(codes[k]), ARG_TEXT(k % 2 ? "odd" : "even"),
		                              ARG_INT((int64_t)k), ARG_NULL, ARG_NULL)),
		                 DB_OK);
	struct scopes sc = {.n = 2};
	sc.prefix[0] = "110101001";
	sc.prefix[1] = "110102";
	struct t_row *rows;
	size_t n;
	const char *sql = SELECT " WHERE" SQL_WALK_RANGE "AND (?5 IS NULL OR s = ?5) "
	                         "ORDER BY region_code, id LIMIT ?6";
	assert_int_equal(sql_walk(f->db, &f->a, sql, 6, &sc, (struct page_after){"", 0}, 10,
	                          ARGS(ARG_NULL), t_read, sizeof *rows, (void **)&rows, &n),
	                 DB_OK);
	assert_int_equal(n, 3); /* 110101002 lies outside both scopes */
	/* Paging: after the second row, the walk goes on into the next scope. */
	assert_int_equal(sql_walk(f->db, &f->a, sql, 6, &sc,
	                          (struct page_after){rows[1].region_code, rows[1].id}, 10,
	                          ARGS(ARG_NULL), t_read, sizeof *rows, (void **)&rows, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].region_code, "110102001");
	/* The filters bind from ?5. */
	assert_int_equal(sql_walk(f->db, &f->a, sql, 6, &sc, (struct page_after){"", 0}, 10,
	                          ARGS(ARG_TEXT("even")), t_read, sizeof *rows, (void **)&rows, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	/* Edge: the limit ends the walk across scopes. */
	assert_int_equal(sql_walk(f->db, &f->a, sql, 6, &sc, (struct page_after){"", 0}, 2,
	                          ARGS(ARG_NULL), t_read, sizeof *rows, (void **)&rows, &n),
	                 DB_OK);
	assert_int_equal(n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_arg_kinds),
	    T(test_row_helpers),
	    T(test_walk),
	};
	return RUN(tests);
}
