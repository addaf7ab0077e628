/* Store tests: idempotency keys (store/platform/idempotency.c) on a temporary database brought to
 * the newest schema: a key kept with its answer and read back, a key per owner, the not_before
 * bound that hides an expired key, a running key given its answer once (an answered key is never
 * rewritten by finish) or forgotten (an answered key is never forgotten), put replacing the row
 * of the same key, and the prune by creation time. */
#include "store_fixture.h"

#include "store/platform/idempotency.h"
#include "store/stmt.h"

#define DAY 86400

static int64_t count_keys(struct fixture *f)
{
	int64_t n = -1;
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM idempotency_keys", NO_ARGS, &n),
	                 DB_OK);
	return n;
}

static void test_put_get(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_idem_put(f->db, "user:1", "k1", "ab12", 201, "application/json",
	                                "{\"id\":7}", NOW),
	                 DB_OK);
	struct idem_row r;
	assert_int_equal(store_idem_get(f->db, &f->a, "user:1", "k1", NOW - DAY, &r), DB_ROW);
	assert_string_equal(r.request_hash, "ab12");
	assert_int_equal(r.status, 201);
	assert_string_equal(r.content_type, "application/json");
	assert_string_equal(r.body, "{\"id\":7}");
	assert_int_equal(r.created_at, NOW);
	/* the key is the owner's own: another owner, or another key, finds nothing */
	assert_int_equal(store_idem_get(f->db, &f->a, "user:2", "k1", NOW - DAY, &r), DB_DONE);
	assert_int_equal(store_idem_get(f->db, &f->a, "user:1", "k2", NOW - DAY, &r), DB_DONE);
	/* the same key under another owner is another row */
	assert_int_equal(
	    store_idem_put(f->db, "token:1", "k1", "cd34", 200, "text/plain", "ok", NOW + 1),
	    DB_OK);
	assert_int_equal(count_keys(f), 2);
	assert_int_equal(store_idem_get(f->db, &f->a, "token:1", "k1", NOW - DAY, &r), DB_ROW);
	assert_string_equal(r.request_hash, "cd34");
	assert_int_equal(store_idem_get(f->db, &f->a, "user:1", "k1", NOW - DAY, &r), DB_ROW);
	assert_string_equal(r.request_hash, "ab12");
	/* not_before: a key created before it reads as none; the bound itself is kept */
	assert_int_equal(store_idem_get(f->db, &f->a, "user:1", "k1", NOW + 1, &r), DB_DONE);
	assert_int_equal(store_idem_get(f->db, &f->a, "user:1", "k1", NOW, &r), DB_ROW);
}

static void test_running_finish_forget(void **state)
{
	struct fixture *f = *state;
	/* reserved: status 0, no answer yet */
	assert_int_equal(store_idem_put(f->db, "user:1", "run", "h1", 0, NULL, NULL, NOW), DB_OK);
	struct idem_row r;
	assert_int_equal(store_idem_get(f->db, &f->a, "user:1", "run", 0, &r), DB_ROW);
	assert_int_equal(r.status, 0);
	assert_null(r.content_type);
	assert_null(r.body);
	assert_int_equal(
	    store_idem_finish(f->db, "user:1", "run", 201, "application/json", "{\"ok\":1}"),
	    DB_OK);
	assert_int_equal(store_idem_get(f->db, &f->a, "user:1", "run", 0, &r), DB_ROW);
	assert_int_equal(r.status, 201);
	assert_string_equal(r.body, "{\"ok\":1}");
	assert_string_equal(r.request_hash, "h1");
	/* an answered key keeps its first answer: finish and forget leave it alone */
	assert_int_equal(store_idem_finish(f->db, "user:1", "run", 500, "text/plain", "later"),
	                 DB_OK);
	assert_int_equal(store_idem_forget(f->db, "user:1", "run"), DB_OK);
	assert_int_equal(store_idem_get(f->db, &f->a, "user:1", "run", 0, &r), DB_ROW);
	assert_int_equal(r.status, 201);
	assert_string_equal(r.body, "{\"ok\":1}");
	/* a running key that is forgotten is gone; another owner's running key stays */
	assert_int_equal(store_idem_put(f->db, "user:1", "gone", "h2", 0, NULL, NULL, NOW), DB_OK);
	assert_int_equal(store_idem_put(f->db, "user:9", "gone", "h2", 0, NULL, NULL, NOW), DB_OK);
	assert_int_equal(store_idem_forget(f->db, "user:1", "gone"), DB_OK);
	assert_int_equal(store_idem_get(f->db, &f->a, "user:1", "gone", 0, &r), DB_DONE);
	assert_int_equal(store_idem_get(f->db, &f->a, "user:9", "gone", 0, &r), DB_ROW);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_keys(f), 2);
}

/* An expired key of the same owner and name is replaced by the new submission, in place. */
static void test_put_replaces(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_idem_put(f->db, "user:1", "k", "old", 200, "text/plain", "old body",
	                                NOW - 2 * DAY),
	                 DB_OK);
	struct idem_row r;
	assert_int_equal(store_idem_get(f->db, &f->a, "user:1", "k", NOW - DAY, &r), DB_DONE);
	assert_int_equal(store_idem_put(f->db, "user:1", "k", "new", 0, NULL, NULL, NOW), DB_OK);
	assert_int_equal(count_keys(f), 1);
	assert_int_equal(store_idem_get(f->db, &f->a, "user:1", "k", NOW - DAY, &r), DB_ROW);
	assert_string_equal(r.request_hash, "new");
	assert_int_equal(r.status, 0);
	assert_null(r.content_type);
	assert_null(r.body);
	assert_int_equal(r.created_at, NOW);
}

static void test_prune(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_idem_put(f->db, "user:1", "a", "h", 200, "t", "b", NOW - 3 * DAY),
	                 DB_OK);
	assert_int_equal(store_idem_put(f->db, "user:1", "b", "h", 200, "t", "b", NOW - DAY),
	                 DB_OK);
	assert_int_equal(store_idem_put(f->db, "user:2", "c", "h", 0, NULL, NULL, NOW), DB_OK);
	/* created before the cutoff go; the cutoff itself stays */
	assert_int_equal(store_idem_prune(f->db, NOW - DAY), DB_OK);
	assert_int_equal(count_keys(f), 2);
	struct idem_row r;
	assert_int_equal(store_idem_get(f->db, &f->a, "user:1", "a", 0, &r), DB_DONE);
	assert_int_equal(store_idem_get(f->db, &f->a, "user:1", "b", 0, &r), DB_ROW);
	assert_int_equal(store_idem_prune(f->db, NOW + 1), DB_OK);
	assert_int_equal(count_keys(f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_put_get),
	    T(test_running_finish_forget),
	    T(test_put_replaces),
	    T(test_prune),
	};
	return RUN(tests);
}
