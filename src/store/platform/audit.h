/* The append-only audit log (who, when, what, on what, result) with its hash chain. */
#ifndef JICENG_STORE_AUDIT_H
#define JICENG_STORE_AUDIT_H

#include "core/arena.h"
#include <stdbool.h>
#include "domain/audit_chain.h"
#include "store/db.h"

/* Appends e (e->id and e->at are set here) inside the caller's write transaction. */
enum db_result store_audit_append(struct db *db, struct audit_entry *e);
/* Group commit (store/batch.c) on the calling thread: while on, appends leave the head record
 * to store_audit_flush_head, which the writer calls once before each commit. */
void store_audit_defer_head(bool on);
/* Rewrites the head record to name the chain's last entry, if this thread appended since the
 * last flush (entries rolled back to a savepoint are not named: the last one is read back). */
enum db_result store_audit_flush_head(struct db *db);
/* Newest first, entries with id < before (0: from the newest). */
enum db_result store_audit_list(struct db *db, struct arena *a, int64_t before, int limit,
                                struct audit_entry **rows, size_t *n);
/* Walks the whole chain: DB_OK when intact (count in *checked); DB_CONSTRAINT with the
 * first broken entry's id in *bad_id. */
enum db_result store_audit_verify(struct db *db, int64_t *checked, int64_t *bad_id);
/* The chain hash of entry id (DB_ROW), DB_DONE when there is no such entry; id 0: the last
 * entry, its id in *id. */
enum db_result store_audit_hash_at(struct db *db, int64_t *id, unsigned char hash[AUDIT_HASH_LEN]);

#endif
