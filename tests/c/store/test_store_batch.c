/* Store tests: group commit (store/batch.c): jobs handed to the writer thread
 * commit together, and a failing job changes nothing while the others keep their
 * changes. */
#include "store_fixture.h"

#include "store/batch.h"
#include "store/stmt.h"

#include <pthread.h>
#include <stdbool.h>

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

/* A job that holds the writer until released, so that later jobs wait in the queue. */
struct gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool entered, open;
};

static enum db_result gate_job(struct db *db, void *arg)
{
	(void)db;
	struct gate *g = arg;
	pthread_mutex_lock(&g->lock);
	g->entered = true;
	pthread_cond_broadcast(&g->cond);
	while (!g->open)
		pthread_cond_wait(&g->cond, &g->lock);
	pthread_mutex_unlock(&g->lock);
	return DB_OK;
}

/* The counters: a job counts as queued when handed over, as run when the writer takes it;
 * jobs that queued while the writer was busy share the next batch and run in queue order. */
static void test_batch_counts_and_order(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_exec(f->db, "CREATE TABLE scratch(v INTEGER)"), DB_OK);
	char err[128] = "";
	struct batch *b = store_batch_start(f->path, err, sizeof err);
	assert_non_null(b);
	struct gate g = {.entered = false, .open = false};
	pthread_mutex_init(&g.lock, NULL);
	pthread_cond_init(&g.cond, NULL);
	struct waiter w = {0};
	struct batch_job held = {.fn = gate_job, .arg = &g, .done = on_done, .done_arg = &w};
	store_batch_submit(b, &held);
	pthread_mutex_lock(&g.lock);
	while (!g.entered)
		pthread_cond_wait(&g.cond, &g.lock);
	pthread_mutex_unlock(&g.lock);

	int64_t v[3] = {1, 2, 3};
	struct batch_job queued[3];
	for (int i = 0; i < 3; i++) {
		queued[i] = (struct batch_job){
		    .fn = insert_job, .arg = &v[i], .done = on_done, .done_arg = &w};
		store_batch_submit(b, &queued[i]);
	}
	unsigned long long batches = 0, jobs = 0, nqueued = 0;
	store_batch_counts(b, &batches, &jobs, &nqueued);
	assert_int_equal(nqueued, 4);
	assert_int_equal(jobs, 1);
	assert_int_equal(batches, 1);
	assert_int_equal(store_batch_depth(b), 3);

	pthread_mutex_lock(&g.lock);
	g.open = true;
	pthread_cond_broadcast(&g.cond);
	pthread_mutex_unlock(&g.lock);
	int64_t last = 4;
	assert_int_equal(store_batch_run(b, insert_job, &last), DB_OK); /* after the three */
	store_batch_counts(b, &batches, &jobs, &nqueued);
	assert_int_equal(nqueued, 5);
	assert_int_equal(jobs, 5);
	assert_true(batches <= 3); /* the three that waited shared one commit */
	store_batch_stop(b);
	assert_int_equal(w.calls, 4);
	pthread_mutex_destroy(&g.lock);
	pthread_cond_destroy(&g.cond);
	int64_t n = 0;
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM scratch", NO_ARGS, &n), DB_OK);
	assert_int_equal(n, 4);
	/* Queue order is apply order, within the shared batch too: row k holds value k. */
	assert_int_equal(
	    sql_int(f->db, "SELECT count(*) FROM scratch WHERE v <> rowid", NO_ARGS, &n), DB_OK);
	assert_int_equal(n, 0);
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
	    T(test_batch_counts_and_order),
	    T(test_batch_bad_path),
	};
	return RUN(tests);
}
