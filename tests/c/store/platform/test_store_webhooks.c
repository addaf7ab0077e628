/* Store tests: the webhook delivery log (store/platform/webhooks.c) — finished deliveries
 * older than the cut are pruned with their attempts, batch by batch; pending ones and
 * recent ones stay. */
#include "store_fixture.h"

#include "store/platform/webhooks.h"
#include "store/stmt.h"

static int64_t add_subscription(struct fixture *f)
{
	struct webhook_row w = {.name = "区指挥中心",
	                        .url = "http://127.0.0.1:9/hook",
	                        .events = "[\"case.created\"]",
	                        .active = true,
	                        .created_at = NOW,
	                        .updated_at = NOW};
	assert_int_equal(store_webhooks_insert(f->db, &w), DB_OK);
	return w.id;
}

/* A delivery created at `at`, left in `status`, with one attempt logged. */
static int64_t add_delivery(struct fixture *f, int64_t sub, int64_t at, const char *status)
{
	int64_t id;
	assert_int_equal(
	    store_webhooks_enqueue_one(f->db, sub, "case.created", "{}", at, at * 1000, &id),
	    DB_OK);
	assert_int_equal(sql_run(f->db, "UPDATE webhook_deliveries SET status = ? WHERE id = ?",
	                         ARGS(ARG_TEXT(status), ARG_INT(id))),
	                 DB_OK);
	assert_int_equal(sql_run(f->db,
	                         "INSERT INTO webhook_attempts(delivery_id, at, duration_ms, "
	                         "http_status) VALUES (?, ?, 5, 200)",
	                         ARGS(ARG_INT(id), ARG_INT(at))),
	                 DB_OK);
	return id;
}

static int64_t count(struct fixture *f, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(sql_int(f->db, sql, NULL, 0, &n), DB_OK);
	return n;
}

static void test_prune(void **state)
{
	struct fixture *f = *state;
	int64_t sub = add_subscription(f), old = NOW - 100 * 86400;
	int64_t delivered = add_delivery(f, sub, old, "delivered");
	int64_t failed = add_delivery(f, sub, old + 1, "failed");
	int64_t pending = add_delivery(f, sub, old + 2, "pending");
	int64_t recent = add_delivery(f, sub, NOW - 86400, "delivered");
	int64_t cut = NOW - 90 * 86400;
	/* one at a time: the oldest first */
	assert_int_equal(store_webhook_deliveries_prune(f->db, cut, 1), DB_OK);
	struct webhook_delivery_row d;
	assert_int_equal(store_webhook_deliveries_get(f->db, &f->a, delivered, &d), DB_DONE);
	assert_int_equal(store_webhook_deliveries_get(f->db, &f->a, failed, &d), DB_ROW);
	assert_int_equal(store_webhook_deliveries_prune(f->db, cut, 10), DB_OK);
	assert_int_equal(store_webhook_deliveries_get(f->db, &f->a, failed, &d), DB_DONE);
	/* nothing finished and old is left: a pending delivery stays whatever its age */
	assert_int_equal(store_webhook_deliveries_prune(f->db, cut, 10), DB_DONE);
	assert_int_equal(store_webhook_deliveries_get(f->db, &f->a, pending, &d), DB_ROW);
	assert_int_equal(store_webhook_deliveries_get(f->db, &f->a, recent, &d), DB_ROW);
	/* the attempts went with their deliveries */
	assert_int_equal(count(f, "SELECT count(*) FROM webhook_attempts"), 2);
	assert_int_equal(count(f, "SELECT count(*) FROM webhook_deliveries"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {T(test_prune)};
	return RUN(tests);
}
