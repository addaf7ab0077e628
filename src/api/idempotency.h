/* Idempotency-Key (api/idempotency.c): a signed-in caller's POST that names a key is done
 * once; a repeat under the same key gets the first answer back. */
#ifndef JICENG_API_IDEMPOTENCY_H
#define JICENG_API_IDEMPOTENCY_H

#include "http/http.h"
#include "store/db.h"

#include <stdbool.h>

/* A key lives this long (the outbox sender prunes older ones). */
enum { IDEM_TTL = 24 * 3600 };

struct idem {
	const char *owner, *key, *hash;
	bool fresh;    /* the key was new: its answer is to be kept */
	bool reserved; /* a running row was written: idem_finish gives it the answer */
	bool replayed; /* the answer is the stored one: nothing was done */
};

/* In the guard, after the caller is known: reads the Idempotency-Key of a POST write
 * (routes whose answer holds a secret shown once ignore it) into ctx->idem. False after
 * responding 400 to a malformed key. */
bool idem_prepare(struct http_req *req);

enum idem_outcome { IDEM_NEW, IDEM_ANSWERED };
/* In the write's transaction, which serialises writers (the guard's, or a job of the
 * group-commit writer), before the write: a kept answer is replayed, a key still running is
 * 409, the same key with another method, path or body 422 (IDEM_ANSWERED); else IDEM_NEW.
 * A store error answers 503 (IDEM_ANSWERED). Without a key: IDEM_NEW. */
enum idem_outcome idem_check(struct http_req *req, struct db *db);
/* In the same transaction after the write, its answer built: keeps the answer. DB_OK without
 * a fresh key. */
enum db_result idem_keep(struct http_req *req, struct db *db);
/* The same when the answer is built only after the commit: keeps the key running. */
enum db_result idem_reserve(struct http_req *req, struct db *db);
/* After the commit, once the answer is built: gives a running key its answer, in a write
 * transaction of its own on db. A key whose answer failed stays running (a repeat is 409,
 * never a second write) until it expires. */
void idem_finish(struct http_req *req, struct db *db);
/* Deletes the keys older than IDEM_TTL; called by a background thread. */
enum db_result idem_prune(struct db *db, int64_t now);

#endif
