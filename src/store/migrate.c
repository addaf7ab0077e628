/* Migrations are append-only: a released step is never edited, only followed. */
#include "store/migrate.h"
#include "store/migrations/migrations.h"
#include "core/log.h"
#include "store/stmt.h"

#include <stdio.h>

static const char *const migrations[] = {
    store_migration_1, store_migration_2, store_migration_3, store_migration_4,
    store_migration_5, store_migration_6, store_migration_7, store_migration_8,
};

int store_migrate_latest(void)
{
	return (int)(sizeof migrations / sizeof migrations[0]);
}

bool store_migrate_run(struct db *db)
{
	/* The schema's version is a SQLite pragma: the PostgreSQL backend keeps it in a table. */
	int64_t stored;
	if (sql_int(db, "PRAGMA user_version", NO_ARGS, &stored) != DB_OK)
		return false;
	int version = (int)stored;
	if (version > store_migrate_latest()) {
		log_error("database schema %d is newer than this program (%d)", version,
		          store_migrate_latest());
		return false;
	}
	for (int v = version; v < store_migrate_latest(); v++) {
		if (db_begin_write(db) != DB_OK)
			return false;
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
		if (db_exec(db, migrations[v]) != DB_OK || db_exec(db, pragma) != DB_OK) {
			db_rollback(db);
			log_error("migration %d failed", v + 1);
			return false;
		}
		if (db_commit(db) != DB_OK)
			return false;
		log_info("applied migration %d", v + 1);
	}
	return true;
}
