/* Store tests: group commit (store/batch.c): jobs handed to the writer thread
 * commit together, and a failing job changes nothing while the others keep their
 * changes. */
#include "store_fixture.h"

#include "store/batch.h"
#include "store/stmt.h"

static enum db_result insert_job(struct db *db, void *arg)
{
	return sql_run(db, "INSERT INTO scratch(v) VALUES (?)", ARGS(ARG_INT(*(int64_t *)arg)));
}

/* Writes, then fails: its savepoint is rolled back. */
static enum db_result failing_job(struct db *db, void *arg)
{
	(void)arg;
	enum db_result r = sql_run(db, "INSERT INTO scratch(v) VALUES (-1)", NO_ARGS);
	assert_int_equal(r, DB_OK);
	return DB_CONSTRAINT;
}

struct waiter {
	int calls;
};

static void on_done(void *arg)
{
	((struct waiter *)arg)->calls++;
}

static void test_batch_commits_and_isolates(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_exec(f->db, "CREATE TABLE scratch(v INTEGER)"), DB_OK);
	char err[128] = "";
	struct batch *b = store_batch_start(f->path, err, sizeof err);
	assert_non_null(b);
	int64_t one = 1, two = 2;
	assert_int_equal(store_batch_run(b, insert_job, &one), DB_OK);
	assert_int_equal(store_batch_run(b, failing_job, NULL), DB_CONSTRAINT);
	struct waiter w = {0};
	struct batch_job job = {.fn = insert_job, .arg = &two, .done = on_done, .done_arg = &w};
	store_batch_submit(b, &job);
	store_batch_stop(b); /* finishes the queued job first */
	assert_int_equal(w.calls, 1);
	assert_int_equal(job.result, DB_OK);
	int64_t n = 0, sum = 0;
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM scratch", NO_ARGS, &n), DB_OK);
	assert_int_equal(sql_int(f->db, "SELECT sum(v) FROM scratch", NO_ARGS, &sum), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(sum, 3); /* the failing job's row is gone */
}

static void test_batch_bad_path(void **state)
{
	(void)state;
	char err[128] = "";
	/* Edge: a database that cannot be opened starts no writer and says why. */
	assert_null(store_batch_start("/nonexistent-dir/x.db", err, sizeof err));
	assert_true(err[0] != '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_batch_commits_and_isolates),
	    T(test_batch_bad_path),
	};
	return RUN(tests);
}
