/* Store tests: the SQLite backend and the migrations (store/sqlite.c, store/migrate.c), on a
 * temporary database brought to the newest schema by the real migrations. */
#include "store_fixture.h"

#include "store/platform/users.h"
#include "store/platform/regions.h"
#include "store/platform/audit.h"

/* ---------------------------------------------------------------- migrations */

static void test_migrate(void **state)
{
	struct fixture *f = *state;
	assert_true(store_migrate_latest() >= 1);
	struct db_stmt *st = db_prepare(f->db, "PRAGMA user_version");
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), store_migrate_latest());
	db_done(st);
	/* Running again is a no-op. */
	assert_true(store_migrate_run(f->db));
	assert_false(db_in_transaction(f->db));
	/* The tables exist. */
	static const char *const tables[] = {"meta",       "regions",      "region_events",
	                                     "users",      "grants",       "sessions",
	                                     "api_tokens", "token_grants", "audit"};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		st = db_prepare(f->db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
		                       "AND name = ?");
		assert_non_null(st);
		db_bind_text(st, 1, tables[i]);
		assert_int_equal(db_step(st), DB_ROW);
		if (db_col_int(st, 0) != 1)
			fail_msg("table %s missing", tables[i]);
		db_done(st);
	}
	/* A database from a newer program is refused. */
	assert_int_equal(db_exec(f->db, "PRAGMA user_version=9999"), DB_OK);
	assert_false(store_migrate_run(f->db));
}

static void test_db_basics(void **state)
{
	struct fixture *f = *state;
	/* Opening a missing file without create fails with a reason. */
	char err[256] = "";
	char missing[160];
	snprintf(missing, sizeof missing, "%s/nope/missing.db", f->dir);
	struct db_options opt = {.read_only = false, .create = false};
	assert_null(db_open(missing, &opt, err, sizeof err));
	assert_true(strlen(err) > 0);
	/* Transactions: rollback undoes, commit keeps. */
	assert_int_equal(db_begin_write(f->db), DB_OK);
	assert_true(db_in_transaction(f->db));
	assert_int_equal(db_exec(f->db, "INSERT INTO meta(key, value) VALUES ('k', 'v1')"), DB_OK);
	db_rollback(f->db);
	assert_false(db_in_transaction(f->db));
	struct db_stmt *st = db_prepare(f->db, "SELECT value FROM meta WHERE key = ?");
	db_bind_text(st, 1, "k");
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_int_equal(db_begin_write(f->db), DB_OK);
	assert_int_equal(db_exec(f->db, "INSERT INTO meta(key, value) VALUES ('k', 'v2')"), DB_OK);
	assert_int_equal(db_commit(f->db), DB_OK);
	st = db_prepare(f->db, "SELECT value FROM meta WHERE key = ?");
	db_bind_text(st, 1, "k");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "v2");
	db_done(st);
	/* Constraint violations map to DB_CONSTRAINT, syntax errors to DB_ERROR. */
	assert_int_equal(db_exec(f->db, "INSERT INTO meta(key, value) VALUES ('k', 'v3')"),
	                 DB_CONSTRAINT);
	assert_int_equal(db_exec(f->db, "THIS IS NOT SQL"), DB_ERROR);
	assert_null(db_prepare(f->db, "SELECT * FROM no_such_table"));
	/* Blobs and NULLs round-trip. */
	st = db_prepare(f->db, "SELECT ?, ?, ?");
	static const unsigned char blob[5] = {0, 1, 2, 0xff, 0};
	db_bind_blob(st, 1, blob, sizeof blob);
	db_bind_null(st, 2);
	db_bind_text(st, 3, NULL);
	assert_int_equal(db_step(st), DB_ROW);
	size_t n = 0;
	const void *p = db_col_blob(st, 0, &n);
	assert_int_equal(n, 5);
	assert_memory_equal(p, blob, 5);
	assert_true(db_col_null(st, 1));
	assert_true(db_col_null(st, 2));
	db_done(st);
}

/* The statement cache is keyed by the text: SQL built into a reused buffer gets the
 * statement of its present text, never the one cached for the buffer's former text. */
static void test_cache_keyed_by_text(void **state)
{
	struct fixture *f = *state;
	char sql[64];
	int64_t out[4];
	for (int k = 0; k < 4; k++) {
		snprintf(sql, sizeof sql, "SELECT %d", k + 1);
		struct db_stmt *st = db_prepare(f->db, sql);
		assert_non_null(st);
		assert_int_equal(db_step(st), DB_ROW);
		out[k] = db_col_int(st, 0);
		db_done(st);
	}
	assert_int_equal(out[0], 1);
	assert_int_equal(out[3], 4);
	/* The same text from another pointer is a cache hit on the same statement. */
	static const char again[] = "SELECT 2";
	struct db_stmt *st = db_prepare(f->db, again);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 2);
	/* Edge: a statement in use is not handed out twice; the second is a fresh one. */
	struct db_stmt *second = db_prepare(f->db, again);
	assert_non_null(second);
	assert_ptr_not_equal(second, st);
	assert_int_equal(db_step(second), DB_ROW);
	db_done(second);
	db_done(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_migrate),
	    T(test_db_basics),
	    T(test_cache_keyed_by_text),
	};
	return RUN(tests);
}
