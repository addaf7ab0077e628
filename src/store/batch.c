/* A queue under a mutex; the writer takes everything queued (up to a bound),
 * runs it in one IMMEDIATE transaction, commits once and wakes the waiters. Audit
 * entries appended by the jobs share one head record write per batch. */
#include "store/batch.h"
#include "core/log.h"
#include "core/mem.h"
#include "store/platform/audit.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

enum { BATCH_MAX = 512 };

struct batch {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t work, finished;
	struct batch_job *head, *tail;
	bool stop;
	struct db *db;
	unsigned long long batches, jobs, queued; /* under lock */
};

static void run_batch(struct batch *b, struct batch_job *jobs)
{
	enum db_result begin = db_begin_write(b->db);
	for (struct batch_job *j = jobs; j; j = j->next) {
		if (begin != DB_OK) {
			j->result = begin;
			continue;
		}
		if (db_exec(b->db, "SAVEPOINT job") != DB_OK) {
			j->result = DB_ERROR;
			continue;
		}
		j->result = j->fn(b->db, j->arg);
		if (j->result != DB_OK)
			db_exec(b->db, "ROLLBACK TO job");
		db_exec(b->db, "RELEASE job");
	}
	if (begin != DB_OK)
		return;
	/* The audit head names the batch's last entry, written once (see store_audit_append);
	 * without it the chain would not verify, so nothing is committed. */
	enum db_result head = store_audit_flush_head(b->db);
	if (head != DB_OK)
		db_rollback(b->db);
	if (head != DB_OK || db_commit(b->db) != DB_OK)
		for (struct batch_job *j = jobs; j; j = j->next)
			if (j->result == DB_OK)
				j->result = head != DB_OK ? head : DB_BUSY;
}

static void *writer(void *arg)
{
	struct batch *b = arg;
	store_audit_defer_head(true);
	pthread_mutex_lock(&b->lock);
	for (;;) {
		while (!b->head && !b->stop)
			pthread_cond_wait(&b->work, &b->lock);
		if (!b->head && b->stop)
			break;
		/* Take up to BATCH_MAX jobs; later arrivals wait for the next round. */
		struct batch_job *first = b->head, *last = first;
		int n = 1;
		while (last->next && n < BATCH_MAX) {
			last = last->next;
			n++;
		}
		b->head = last->next;
		if (!b->head)
			b->tail = NULL;
		last->next = NULL;
		b->batches++;
		b->jobs += (unsigned long long)n;
		pthread_mutex_unlock(&b->lock);
		run_batch(b, first);
		pthread_mutex_lock(&b->lock);
		/* Wake the waiters; call the callbacks outside the lock. A job's memory may be
		 * gone once it is marked done or its callback ran, so read next first. */
		struct batch_job *callbacks = NULL;
		for (struct batch_job *j = first; j;) {
			struct batch_job *next = j->next;
			if (j->done) {
				j->next = callbacks;
				callbacks = j;
			} else {
				j->done_flag = 1;
			}
			j = next;
		}
		pthread_cond_broadcast(&b->finished);
		pthread_mutex_unlock(&b->lock);
		for (struct batch_job *j = callbacks; j;) {
			struct batch_job *next = j->next;
			j->done(j->done_arg);
			j = next;
		}
		pthread_mutex_lock(&b->lock);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

struct batch *store_batch_start(const char *db_path, char *err, size_t errlen)
{
	struct db_options opt = {0};
	struct db *db = db_open(db_path, &opt, err, errlen);
	if (!db)
		return NULL;
	struct batch *b = xcalloc(1, sizeof(*b));
	b->db = db;
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->work, NULL);
	pthread_cond_init(&b->finished, NULL);
	if (pthread_create(&b->thread, NULL, writer, b) != 0) {
		snprintf(err, errlen, "cannot start the writer thread");
		db_close(db);
		free(b);
		return NULL;
	}
	return b;
}

static void enqueue(struct batch *b, struct batch_job *j)
{
	j->next = NULL;
	if (b->tail)
		b->tail->next = j;
	else
		b->head = j;
	b->tail = j;
	b->queued++;
	pthread_cond_signal(&b->work);
}

void store_batch_submit(struct batch *b, struct batch_job *job)
{
	job->result = DB_ERROR;
	job->done_flag = 0;
	pthread_mutex_lock(&b->lock);
	bool stopped = b->stop;
	if (!stopped)
		enqueue(b, job);
	pthread_mutex_unlock(&b->lock);
	if (stopped) {
		job->result = DB_BUSY;
		job->done(job->done_arg);
	}
}

enum db_result store_batch_run(struct batch *b, batch_fn fn, void *arg)
{
	struct batch_job j = {.fn = fn, .arg = arg, .result = DB_ERROR};
	pthread_mutex_lock(&b->lock);
	if (b->stop) {
		pthread_mutex_unlock(&b->lock);
		return DB_BUSY;
	}
	/* j lives on this stack until the writer marks it done: we wait for that below. */
	enqueue(b, &j);
	while (!j.done_flag)
		pthread_cond_wait(&b->finished, &b->lock);
	pthread_mutex_unlock(&b->lock);
	return j.result;
}

void store_batch_stop(struct batch *b)
{
	if (!b)
		return;
	pthread_mutex_lock(&b->lock);
	b->stop = true;
	pthread_cond_signal(&b->work);
	pthread_mutex_unlock(&b->lock);
	pthread_join(b->thread, NULL);
	db_close(b->db);
	pthread_mutex_destroy(&b->lock);
	pthread_cond_destroy(&b->work);
	pthread_cond_destroy(&b->finished);
	free(b);
}

size_t store_batch_depth(struct batch *b)
{
	size_t n = 0;
	pthread_mutex_lock(&b->lock);
	for (const struct batch_job *j = b->head; j; j = j->next)
		n++;
	pthread_mutex_unlock(&b->lock);
	return n;
}

void store_batch_counts(struct batch *b, unsigned long long *batches, unsigned long long *jobs,
                        unsigned long long *queued)
{
	pthread_mutex_lock(&b->lock);
	*batches = b->batches;
	*jobs = b->jobs;
	*queued = b->queued;
	pthread_mutex_unlock(&b->lock);
}
