/* Migration 24: idempotency keys (api/idempotency.c). A client that may send a write twice
 * (the phone's offline outbox, a retry after a lost answer) names each submission with an
 * Idempotency-Key; the first answer is kept here and a repeat gets it back instead of the
 * write being done again. */
#include "store/migrations/migrations.h"

// clang-format off
/* idempotency_keys: one submission of one caller. owner is 'user:<id>' or 'token:<id>' (a key
 * is the caller's own: another caller's same key is another submission); request_hash the
 * hex BLAKE2b of method, path and body (the same key with another request is refused);
 * status 0 while the write runs or its answer is being built, then the answer's status, with
 * its content type and body. Rows go 24 hours after created_at (the outbox sender prunes). */
#define IDEMPOTENCY_TABLES(INT, TEXT) \
    "CREATE TABLE idempotency_keys(" \
    "  owner TEXT" TEXT " NOT NULL," \
    "  idem_key TEXT" TEXT " NOT NULL," \
    "  request_hash TEXT" TEXT " NOT NULL," \
    "  status " INT " NOT NULL DEFAULT 0," \
    "  content_type TEXT" TEXT "," \
    "  body TEXT" TEXT "," \
    "  created_at " INT " NOT NULL," \
    "  PRIMARY KEY (owner, idem_key));" \
    "CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);"

const char store_migration_24[] = IDEMPOTENCY_TABLES("INTEGER", "");

const char store_migration_24_pg[] = IDEMPOTENCY_TABLES("BIGINT", " COLLATE \"C\"");
// clang-format on
