/* Store tests: the limits nodes share (store/platform/limits.c), on a temporary database
 * brought to the newest schema by the real migrations. */
#include "store_fixture.h"

#include "store/platform/limits.h"
#include "store/stmt.h"

static void test_rate_bucket(void **state)
{
	struct fixture *f = *state;
	int64_t ms = (int64_t)NOW * 1000;
	bool ok;
	int64_t wait;
	/* Three tokens a minute: three attempts, then a refusal with the wait for one token. */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(store_rate_take(f->db, "login:a", 3, ms, &ok, &wait), DB_OK);
		assert_true(ok);
	}
	assert_int_equal(store_rate_take(f->db, "login:a", 3, ms, &ok, &wait), DB_OK);
	assert_false(ok);
	assert_int_equal(wait, 21); /* one token refills in 20 s */
	/* Another key has its own bucket. */
	assert_int_equal(store_rate_take(f->db, "login:b", 3, ms, &ok, &wait), DB_OK);
	assert_true(ok);
	/* 20 s later one token is back; a refund gives one more, never beyond the cap. */
	assert_int_equal(store_rate_take(f->db, "login:a", 3, ms + 20000, &ok, &wait), DB_OK);
	assert_true(ok);
	assert_int_equal(store_rate_refund(f->db, "login:a", 3), DB_OK);
	assert_int_equal(store_rate_take(f->db, "login:a", 3, ms + 20000, &ok, &wait), DB_OK);
	assert_true(ok);
	assert_int_equal(store_rate_take(f->db, "login:a", 3, ms + 20000, &ok, &wait), DB_OK);
	assert_false(ok);
	/* A minute untouched: purged, full again. */
	assert_int_equal(store_limits_purge(f->db, NOW + 81, 600), DB_OK);
	int64_t rows = -1;
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM rate_buckets", NO_ARGS, &rows),
	                 DB_OK);
	assert_int_equal(rows, 0);
}

static void test_rate_window(void **state)
{
	struct fixture *f = *state;
	bool ok;
	int64_t retry;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(
		    store_rate_hit(f->db, "lookup:7", 3, NOW + i * 10, 600, &ok, &retry), DB_OK);
		assert_true(ok);
	}
	assert_int_equal(store_rate_hit(f->db, "lookup:7", 3, NOW + 100, 600, &ok, &retry), DB_OK);
	assert_false(ok);
	assert_int_equal(retry, 500); /* the oldest leaves the window at NOW + 600 */
	assert_int_equal(store_rate_hit(f->db, "lookup:8", 3, NOW + 100, 600, &ok, &retry), DB_OK);
	assert_true(ok);
	assert_int_equal(store_rate_hit(f->db, "lookup:7", 3, NOW + 600, 600, &ok, &retry), DB_OK);
	assert_true(ok);
	assert_int_equal(store_rate_hit(f->db, "lookup:7", 3, NOW + 601, 600, &ok, &retry), DB_OK);
	assert_false(ok);
	assert_int_equal(retry, 9);
	/* Edge: a limit of zero refuses for the whole window. */
	assert_int_equal(store_rate_hit(f->db, "lookup:9", 0, NOW, 600, &ok, &retry), DB_OK);
	assert_false(ok);
	assert_int_equal(retry, 600);
}

static void test_login_unknown(void **state)
{
	struct fixture *f = *state;
	unsigned char h[LOGIN_NAME_HASH_LEN] = {1, 2, 3};
	int64_t until = -1;
	bool locked;
	assert_int_equal(store_login_unknown_locked(f->db, h, &until), DB_OK);
	assert_int_equal(until, 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(store_login_unknown_failure(f->db, h, 3, NOW + 900, NOW, &locked),
		                 DB_OK);
		assert_false(locked);
	}
	assert_int_equal(store_login_unknown_failure(f->db, h, 3, NOW + 900, NOW, &locked), DB_OK);
	assert_true(locked);
	assert_int_equal(store_login_unknown_locked(f->db, h, &until), DB_OK);
	assert_int_equal(until, NOW + 900);
	/* The count starts again; the lock stays until a new one is set. */
	assert_int_equal(store_login_unknown_failure(f->db, h, 3, NOW + 1900, NOW + 1000, &locked),
	                 DB_OK);
	assert_false(locked);
	assert_int_equal(store_login_unknown_locked(f->db, h, &until), DB_OK);
	assert_int_equal(until, NOW + 900);
	/* Purged a day after the last failure once unlocked. */
	assert_int_equal(store_limits_purge(f->db, NOW + 1000 + 86399, 600), DB_OK);
	assert_int_equal(store_login_unknown_locked(f->db, h, &until), DB_OK);
	assert_int_equal(until, NOW + 900);
	assert_int_equal(store_limits_purge(f->db, NOW + 1000 + 86401, 600), DB_OK);
	assert_int_equal(store_login_unknown_locked(f->db, h, &until), DB_OK);
	assert_int_equal(until, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_rate_bucket),
	    T(test_rate_window),
	    T(test_login_unknown),
	};
	return RUN(tests);
}
