/* Store tests: the append-only audit chain (store/platform/audit.c), on a temporary database
 * brought to the newest schema by the real migrations. */
#include "store_fixture.h"

#include "store/platform/audit.h"

/* ---------------------------------------------------------------- audit */

static void append_n(struct db *db, int n)
{
	assert_int_equal(db_begin_write(db), DB_OK);
	for (int i = 0; i < n; i++) {
		char obj[32], detail[64];
		snprintf(obj, sizeof obj, "11010100%d", i + 1);
		snprintf(detail, sizeof detail, "{\"n\":%d,\"名\":\"街道%d\"}", i, i);
		struct audit_entry e = {
		    .at = NOW + i,
		    .user_id = i % 2 ? 7 : 0,
		    .result = i == 3 ? 403 : 200,
		    .username = i % 2 ? "admin" : NULL,
		    .action = "region.create",
		    .object = i == 2 ? "" : obj,
		    .ip = "127.0.0.1",
		    .detail = i == 4 ? NULL : detail,
		};
		assert_int_equal(store_audit_append(db, &e), DB_OK);
	}
	assert_int_equal(db_commit(db), DB_OK);
}

static void test_audit_append_verify(void **state)
{
	struct fixture *f = *state;
	int64_t checked = -1, bad = -1;
	assert_int_equal(store_audit_verify(f->db, &checked, &bad), DB_OK); /* empty chain */
	assert_int_equal(checked, 0);
	assert_int_equal(bad, 0);

	append_n(f->db, 6);
	assert_int_equal(store_audit_verify(f->db, &checked, &bad), DB_OK);
	assert_int_equal(checked, 6);
	assert_int_equal(bad, 0);

	/* The at=0 default takes the current time. */
	struct audit_entry e = {.action = "session.sign_in", .result = 200};
	assert_int_equal(store_audit_append(f->db, &e), DB_OK);
	assert_int_equal(e.id, 7);
	assert_true(e.at > NOW - 86400 * 365 * 10);

	struct audit_entry *rows;
	size_t n;
	assert_int_equal(store_audit_list(f->db, &f->a, 0, 3, &rows, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, 7);
	assert_int_equal(rows[1].id, 6);
	assert_int_equal(rows[2].id, 5);
	assert_int_equal(store_audit_list(f->db, &f->a, 5, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 4);
	assert_int_equal(rows[0].id, 4);
	assert_int_equal(rows[0].result, 403);
	assert_string_equal(rows[0].username, "admin");
	assert_int_equal(rows[3].id, 1);
	assert_null(rows[3].username);
	assert_string_equal(rows[3].detail, "{\"n\":0,\"名\":\"街道0\"}");
	assert_string_equal(rows[1].object, ""); /* id 3: empty, not NULL */
	assert_int_equal(store_audit_list(f->db, &f->a, 1, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_audit_verify(f->db, &checked, &bad), DB_OK);
	assert_int_equal(checked, 7);

	/* The stored hashes chain: row k's prev_hash is row k-1's hash. */
	struct db_stmt *st =
	    db_prepare(f->db, "SELECT a.hash, b.prev_hash FROM audit a JOIN audit b "
	                      "ON b.id = a.id + 1 ORDER BY a.id");
	int pairs = 0;
	while (db_step(st) == DB_ROW) {
		size_t n1, n2;
		const void *h = db_col_blob(st, 0, &n1);
		const void *ph = db_col_blob(st, 1, &n2);
		assert_int_equal(n1, AUDIT_HASH_LEN);
		assert_int_equal(n2, AUDIT_HASH_LEN);
		assert_memory_equal(h, ph, AUDIT_HASH_LEN);
		pairs++;
	}
	db_done(st);
	assert_int_equal(pairs, 6);
}

static void test_audit_triggers_refuse_changes(void **state)
{
	struct fixture *f = *state;
	append_n(f->db, 3);
	assert_int_equal(db_exec(f->db, "UPDATE audit SET detail='x' WHERE id=2"), DB_CONSTRAINT);
	assert_int_equal(db_exec(f->db, "UPDATE audit SET result=200"), DB_CONSTRAINT);
	assert_int_equal(db_exec(f->db, "DELETE FROM audit WHERE id=3"), DB_CONSTRAINT);
	assert_int_equal(db_exec(f->db, "DELETE FROM audit"), DB_CONSTRAINT);
	/* Through prepared statements too. */
	struct db_stmt *st = db_prepare(f->db, "UPDATE audit SET ip = ? WHERE id = ?");
	db_bind_text(st, 1, "6.6.6.6");
	db_bind_int(st, 2, 1);
	assert_int_equal(db_step(st), DB_CONSTRAINT);
	db_done(st);
	int64_t checked, bad;
	assert_int_equal(store_audit_verify(f->db, &checked, &bad), DB_OK);
	assert_int_equal(checked, 3);
	struct audit_entry *rows;
	size_t n;
	assert_int_equal(store_audit_list(f->db, &f->a, 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[2].ip, "127.0.0.1");
}

static void test_audit_tamper_detected(void **state)
{
	struct fixture *f = *state;
	append_n(f->db, 5);
	assert_int_equal(
	    db_exec(f->db, "DROP TRIGGER audit_no_update; UPDATE audit SET detail='x' WHERE id=2"),
	    DB_OK);
	int64_t checked = -1, bad = -1;
	assert_int_equal(store_audit_verify(f->db, &checked, &bad), DB_CONSTRAINT);
	assert_int_equal(bad, 2);
	assert_int_equal(checked, 1);
}

/* Entries cut from the end leave an intact chain; the keyed head record finds them. */
static void test_audit_truncation_detected(void **state)
{
	struct fixture *f = *state;
	append_n(f->db, 5);
	assert_int_equal(
	    db_exec(f->db, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id >= 4"), DB_OK);
	int64_t checked = -1, bad = -1;
	assert_int_equal(store_audit_verify(f->db, &checked, &bad), DB_CONSTRAINT);
	assert_int_equal(bad, 4);
	/* A head rewritten without the key does not help a forger either. */
	assert_int_equal(
	    db_exec(f->db, "UPDATE meta SET value = '3:00:00' WHERE key = 'audit_head'"), DB_OK);
	assert_int_equal(store_audit_verify(f->db, &checked, &bad), DB_CONSTRAINT);
}

static void test_audit_tamper_variants(void **state)
{
	struct fixture *f = *state;
	append_n(f->db, 5);
	assert_int_equal(db_exec(f->db, "DROP TRIGGER audit_no_update"), DB_OK);
	assert_int_equal(db_exec(f->db, "DROP TRIGGER audit_no_delete"), DB_OK);
	int64_t checked, bad;
	/* NULL → '' is a change. */
	assert_int_equal(db_exec(f->db, "UPDATE audit SET username='' WHERE id=1"), DB_OK);
	assert_int_equal(store_audit_verify(f->db, &checked, &bad), DB_CONSTRAINT);
	assert_int_equal(bad, 1);
	assert_int_equal(db_exec(f->db, "UPDATE audit SET username=NULL WHERE id=1"), DB_OK);
	assert_int_equal(store_audit_verify(f->db, &checked, &bad), DB_OK);
	/* A changed result code. */
	assert_int_equal(db_exec(f->db, "UPDATE audit SET result=200 WHERE id=4"), DB_OK);
	assert_int_equal(store_audit_verify(f->db, &checked, &bad), DB_CONSTRAINT);
	assert_int_equal(bad, 4);
	assert_int_equal(db_exec(f->db, "UPDATE audit SET result=403 WHERE id=4"), DB_OK);
	assert_int_equal(store_audit_verify(f->db, &checked, &bad), DB_OK);
	/* A recomputed hash alone does not help: the next entry's prev_hash disagrees. */
	assert_int_equal(db_exec(f->db, "UPDATE audit SET hash=zeroblob(32) WHERE id=3"), DB_OK);
	assert_int_equal(store_audit_verify(f->db, &checked, &bad), DB_CONSTRAINT);
	assert_int_equal(bad, 3);
	/* A removed entry in the middle. */
	assert_int_equal(db_exec(f->db, "DELETE FROM audit WHERE id=3"), DB_OK);
	assert_int_equal(store_audit_verify(f->db, &checked, &bad), DB_CONSTRAINT);
	assert_int_equal(bad, 4);
	assert_int_equal(checked, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_audit_append_verify),   T(test_audit_triggers_refuse_changes),
	    T(test_audit_tamper_detected), T(test_audit_truncation_detected),
	    T(test_audit_tamper_variants),
	};
	return RUN(tests);
}
