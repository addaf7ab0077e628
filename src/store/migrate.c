/* Migrations are append-only: a released step is never edited, only followed.
 * Each step has a text per backend (store/migrations/migrations.h); the version a
 * database has reached is PRAGMA user_version on SQLite and the one row of
 * schema_version on PostgreSQL. A step and its version bump commit together. */
#include "store/migrate.h"
#include "store/migrations/migrations.h"
#include "core/log.h"
#include "store/stmt.h"

#include <stdio.h>

static const char *const sqlite_steps[] = {
    store_migration_1,  store_migration_2,  store_migration_3,  store_migration_4,
    store_migration_5,  store_migration_6,  store_migration_7,  store_migration_8,
    store_migration_9,  store_migration_10, store_migration_11, store_migration_12,
    store_migration_13, store_migration_14, store_migration_15, store_migration_16,
    store_migration_17, store_migration_18, store_migration_19, store_migration_20,
    store_migration_21, store_migration_22, store_migration_23, store_migration_24,
    store_migration_25, store_migration_26, store_migration_27, store_migration_28,
    store_migration_29, store_migration_30, store_migration_31, store_migration_32,
    store_migration_33, store_migration_34, store_migration_35,
};

static const char *const pg_steps[] = {
    store_migration_1_pg,  store_migration_2_pg,  store_migration_3_pg,  store_migration_4_pg,
    store_migration_5_pg,  store_migration_6_pg,  store_migration_7_pg,  store_migration_8_pg,
    store_migration_9_pg,  store_migration_10_pg, store_migration_11_pg, store_migration_12_pg,
    store_migration_13_pg, store_migration_14_pg, store_migration_15_pg, store_migration_16_pg,
    store_migration_17_pg, store_migration_18_pg, store_migration_19_pg, store_migration_20_pg,
    store_migration_21_pg, store_migration_22_pg, store_migration_23_pg, store_migration_24_pg,
    store_migration_25_pg, store_migration_26_pg, store_migration_27_pg, store_migration_28_pg,
    store_migration_29_pg, store_migration_30_pg, store_migration_31_pg, store_migration_32_pg,
    store_migration_33_pg, store_migration_34_pg, store_migration_35_pg,
};

_Static_assert(sizeof sqlite_steps == sizeof pg_steps,
               "every migration has a SQLite and a PostgreSQL text");

/* The advisory lock a PostgreSQL node holds while it reads the version and applies a
 * step (besides the writers' lock of db_begin_write, so it holds whatever that does). */
#define PG_MIGRATE_LOCK "7411002"

int store_migrate_latest(void)
{
	return (int)(sizeof sqlite_steps / sizeof sqlite_steps[0]);
}

static bool too_new(int version)
{
	if (version <= store_migrate_latest())
		return false;
	log_error("database schema %d is newer than this program (%d)", version,
	          store_migrate_latest());
	return true;
}

static bool migrate_sqlite(struct db *db, int target)
{
	int64_t stored;
	if (sql_int(db, "PRAGMA user_version", NO_ARGS, &stored) != DB_OK)
		return false;
	int version = (int)stored;
	if (too_new(version))
		return false;
	for (int v = version; v < target; v++) {
		if (db_begin_write(db) != DB_OK)
			return false;
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
		if (db_exec(db, sqlite_steps[v]) != DB_OK || db_exec(db, pragma) != DB_OK) {
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

/* In a write transaction: takes the migration lock, makes schema_version when the
 * database is new and reads it. Another node starting at the same time waits on the
 * lock and then reads the version this one committed. */
static bool pg_locked_version(struct db *db, int *version)
{
	int64_t stored;
	if (db_exec(db, "SELECT pg_advisory_xact_lock(" PG_MIGRATE_LOCK ")") != DB_OK ||
	    db_exec(db, "CREATE TABLE IF NOT EXISTS schema_version("
	                "  id BIGINT PRIMARY KEY CHECK (id = 1),"
	                "  version BIGINT NOT NULL);"
	                "INSERT INTO schema_version(id, version) VALUES (1, 0) "
	                "ON CONFLICT DO NOTHING") != DB_OK ||
	    sql_int(db, "SELECT version FROM schema_version WHERE id = 1", NO_ARGS, &stored) !=
	        DB_OK)
		return false;
	*version = (int)stored;
	return true;
}

static bool migrate_pg(struct db *db, int target)
{
	/* Text is compared and ordered by code point (COLLATE "C" on every column), which
	 * holds for UTF-8 only. */
	int64_t utf8 = 0;
	if (sql_int(db, "SELECT CAST(current_setting('server_encoding') = 'UTF8' AS INTEGER)",
	            NO_ARGS, &utf8) != DB_OK)
		return false;
	if (!utf8) {
		log_error("the PostgreSQL database must be encoded in UTF8 (CREATE DATABASE … "
		          "ENCODING 'UTF8')");
		return false;
	}
	for (;;) {
		if (db_begin_write(db) != DB_OK)
			return false;
		int v;
		if (!pg_locked_version(db, &v)) {
			db_rollback(db);
			log_error("cannot read the schema version");
			return false;
		}
		if (too_new(v)) {
			db_rollback(db);
			return false;
		}
		if (v >= target)
			return db_commit(db) == DB_OK;
		if (db_exec(db, pg_steps[v]) != DB_OK ||
		    sql_change(db, "UPDATE schema_version SET version = ? WHERE id = 1",
		               ARGS(ARG_INT(v + 1))) != DB_OK) {
			db_rollback(db);
			log_error("migration %d failed", v + 1);
			return false;
		}
		if (db_commit(db) != DB_OK)
			return false;
		log_info("applied migration %d", v + 1);
	}
}

bool store_migrate_to(struct db *db, int version)
{
	if (version > store_migrate_latest())
		version = store_migrate_latest();
	return db_kind(db) == DB_POSTGRES ? migrate_pg(db, version) : migrate_sqlite(db, version);
}

bool store_migrate_run(struct db *db)
{
	return store_migrate_to(db, store_migrate_latest());
}
