/* Idempotency keys (migration 24): the answer to a caller's first submission under a key,
 * given back when the same key comes again (api/idempotency.c decides when). */
#ifndef JICENG_STORE_IDEMPOTENCY_H
#define JICENG_STORE_IDEMPOTENCY_H

#include "core/arena.h"
#include "store/db.h"

#include <stdint.h>

struct idem_row {
	const char *request_hash; /* hex */
	int64_t status;           /* 0: running (no answer kept yet) */
	const char *content_type, *body;
	int64_t created_at;
};

/* The key's row: DB_ROW, DB_DONE (none, or older than not_before) or an error. */
enum db_result store_idem_get(struct db *db, struct arena *a, const char *owner, const char *key,
                              int64_t not_before, struct idem_row *out);
/* Records the key with its answer (status 0 and NULL body: running). An expired row of the
 * same key is replaced. */
enum db_result store_idem_put(struct db *db, const char *owner, const char *key,
                              const char *request_hash, int64_t status, const char *content_type,
                              const char *body, int64_t now);
/* Gives a running key its answer. */
enum db_result store_idem_finish(struct db *db, const char *owner, const char *key, int64_t status,
                                 const char *content_type, const char *body);
/* Forgets a running key (its write did not happen). */
enum db_result store_idem_forget(struct db *db, const char *owner, const char *key);
/* Deletes the keys created before cutoff. */
enum db_result store_idem_prune(struct db *db, int64_t cutoff);

#endif
