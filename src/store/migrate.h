/* Numbered schema migrations, applied in order at start. How far a database has come
 * is PRAGMA user_version on SQLite and the row of schema_version on PostgreSQL, where
 * nodes starting together apply each step once (an advisory lock, then the version). */
#ifndef JICENG_STORE_MIGRATE_H
#define JICENG_STORE_MIGRATE_H

#include "store/db.h"

/* Brings db up to the newest schema; false (with a logged reason) on failure. */
bool store_migrate_run(struct db *db);
/* Brings db up to schema version (at most the newest; a database already past it is left as
 * it is): the tests of a migration's data steps start from the version before it. */
bool store_migrate_to(struct db *db, int version);
int store_migrate_latest(void);

#endif
