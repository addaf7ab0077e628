/* A queue under a mutex; the writer takes everything queued (up to a bound),
 * runs it in one IMMEDIATE transaction, commits once and wakes the waiters. */
#include "store/batch.h"
#include "core/log.h"
#include "core/mem.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

enum { BATCH_MAX = 512 };

struct job {
	batch_fn fn;
	void *arg;
	enum db_result result;
	bool done;
	struct job *next;
};

struct batch {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t work, finished;
	struct job *head, *tail;
	bool stop;
	struct db *db;
};

static void run_batch(struct batch *b, struct job *jobs)
{
	enum db_result begin = db_begin_write(b->db);
	for (struct job *j = jobs; j; j = j->next) {
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
	if (begin == DB_OK && db_commit(b->db) != DB_OK)
		for (struct job *j = jobs; j; j = j->next)
			if (j->result == DB_OK)
				j->result = DB_BUSY;
}

static void *writer(void *arg)
{
	struct batch *b = arg;
	pthread_mutex_lock(&b->lock);
	for (;;) {
		while (!b->head && !b->stop)
			pthread_cond_wait(&b->work, &b->lock);
		if (!b->head && b->stop)
			break;
		/* Take up to BATCH_MAX jobs; later arrivals wait for the next round. */
		struct job *first = b->head, *last = first;
		int n = 1;
		while (last->next && n < BATCH_MAX) {
			last = last->next;
			n++;
		}
		b->head = last->next;
		if (!b->head)
			b->tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&b->lock);
		run_batch(b, first);
		pthread_mutex_lock(&b->lock);
		for (struct job *j = first; j;) {
			struct job *next = j->next; /* j lives on a waiter's stack */
			j->done = true;
			j = next;
		}
		pthread_cond_broadcast(&b->finished);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

struct batch *batch_start(const char *db_path, char *err, size_t errlen)
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

enum db_result batch_run(struct batch *b, batch_fn fn, void *arg)
{
	struct job j = {.fn = fn, .arg = arg, .result = DB_ERROR};
	pthread_mutex_lock(&b->lock);
	if (b->stop) {
		pthread_mutex_unlock(&b->lock);
		return DB_BUSY;
	}
	/* j lives on this stack until the writer marks it done: we wait for that below. */
	if (b->tail)
		b->tail->next = &j;
	else
		b->head = &j; // cppcheck-suppress autoVariables
	b->tail = &j;         // cppcheck-suppress autoVariables
	pthread_cond_signal(&b->work);
	while (!j.done)
		pthread_cond_wait(&b->finished, &b->lock);
	pthread_mutex_unlock(&b->lock);
	return j.result;
}

void batch_stop(struct batch *b)
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
