/* The append-only audit log (who, when, what, on what, result) with its hash chain. */
#ifndef JICENG_STORE_AUDIT_H
#define JICENG_STORE_AUDIT_H

#include "core/arena.h"
#include "domain/audit_chain.h"
#include "store/db.h"

/* Appends e (e->id and e->at are set here) inside the caller's write transaction. */
enum db_result store_audit_append(struct db *db, struct audit_entry *e);
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
