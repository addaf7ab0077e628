/* Each worker thread owns one database connection, opened on its first
 * request. The registry (under a lock) exists only so shutdown can close
 * them all once the threads have stopped. */
#include "api/api.h"
#include "core/log.h"
#include "core/mem.h"

#include <pthread.h>

enum { MAX_CONNS = 256 };

static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *conns[MAX_CONNS];
static size_t nconns;
static _Thread_local struct db *thread_db;

struct db *api_db(void)
{
	if (thread_db)
		return thread_db;
	char err[256];
	struct db_options opt = {.read_only = false, .create = false};
	struct db *db = db_open(api_db_path(), &opt, err, sizeof err);
	if (!db) {
		log_error("%s", err);
		return NULL;
	}
	pthread_mutex_lock(&conns_lock);
	if (nconns == MAX_CONNS) {
		pthread_mutex_unlock(&conns_lock);
		db_close(db);
		log_error("too many database connections");
		return NULL;
	}
	conns[nconns++] = db;
	pthread_mutex_unlock(&conns_lock);
	thread_db = db;
	return db;
}

size_t api_db_count(void)
{
	pthread_mutex_lock(&conns_lock);
	size_t n = nconns;
	pthread_mutex_unlock(&conns_lock);
	return n;
}

void api_close_all(void)
{
	pthread_mutex_lock(&conns_lock);
	for (size_t i = 0; i < nconns; i++)
		db_close(conns[i]);
	nconns = 0;
	pthread_mutex_unlock(&conns_lock);
	thread_db = NULL;
}
