/* Group commit: one writer thread with its own connection runs the writes that
 * request threads hand it, many to a transaction, so one fsync makes a whole
 * batch durable. Each job runs inside its own savepoint, so a failing job
 * changes nothing and does not disturb the others; store_batch_run returns only
 * after the job's transaction is durable (or has failed). */
#ifndef JICENG_STORE_BATCH_H
#define JICENG_STORE_BATCH_H

#include <stddef.h>

#include "store/db.h"

struct batch;

/* A job: runs on the writer thread against its connection; DB_OK keeps its changes. */
typedef enum db_result (*batch_fn)(struct db *db, void *arg);

struct batch *store_batch_start(const char *db_path, char *err, size_t errlen);
/* Runs fn(db, arg) in the next batch and waits until that batch is committed. */
enum db_result store_batch_run(struct batch *b, batch_fn fn, void *arg);
/* A job handed over without waiting: the caller keeps *job alive until done(done_arg) is
 * called on the writer thread after the commit, with job->result set. */
struct batch_job {
	batch_fn fn;
	void *arg;
	void (*done)(void *done_arg);
	void *done_arg;
	enum db_result result;
	/* internal */
	int done_flag;
	struct batch_job *next;
};
void store_batch_submit(struct batch *b, struct batch_job *job);

/* Jobs waiting for the writer (not those of the batch it is running): the metrics read it. */
size_t store_batch_depth(struct batch *b);

/* Batches committed (or failed), jobs run and jobs queued so far, read together: the metrics
 * read them. Jobs per batch is how many writes shared a commit; a job is queued the moment its
 * request reaches the writer, which fixes its place in the order writes apply. */
void store_batch_counts(struct batch *b, unsigned long long *batches, unsigned long long *jobs,
                        unsigned long long *queued);

/* Finishes queued jobs, then stops the thread and closes the connection. */
void store_batch_stop(struct batch *b);

#endif
