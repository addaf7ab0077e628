/* Numbered schema migrations, applied in order at start (PRAGMA user_version
 * records how far a database has come). */
#ifndef JICENG_STORE_MIGRATE_H
#define JICENG_STORE_MIGRATE_H

#include "store/db.h"

/* Brings db up to the newest schema; false (with a logged reason) on failure. */
bool store_migrate_run(struct db *db);
int store_migrate_latest(void);

#endif
