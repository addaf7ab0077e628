/* Migrations are append-only: a released step is never edited, only followed. */
#include "store/migrate.h"
#include "core/log.h"

#include <stdio.h>

static const char *const migrations[] = {
    /* 1: regions, users, grants, sessions, API tokens, audit chain. */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE regions("
    "  code TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  level INTEGER NOT NULL,"
    "  parent_code TEXT REFERENCES regions(code),"
    "  planned_households INTEGER,"
    "  geometry TEXT,"
    "  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','retired')),"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE INDEX regions_parent ON regions(parent_code, code);"
    "CREATE TABLE region_events("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  actor_id INTEGER,"
    "  from_codes TEXT NOT NULL,"
    "  to_codes TEXT NOT NULL,"
    "  detail TEXT);"
    "CREATE TABLE region_event_codes("
    "  code TEXT NOT NULL,"
    "  event_id INTEGER NOT NULL REFERENCES region_events(id),"
    "  PRIMARY KEY(code, event_id)) WITHOUT ROWID;"
    "CREATE TABLE users("
    "  id INTEGER PRIMARY KEY,"
    "  username TEXT NOT NULL UNIQUE,"
    "  display_name TEXT NOT NULL,"
    "  unit TEXT,"
    "  password_hash TEXT NOT NULL,"
    "  disabled INTEGER NOT NULL DEFAULT 0,"
    "  failed_count INTEGER NOT NULL DEFAULT 0,"
    "  locked_until INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE TABLE grants("
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  role TEXT NOT NULL,"
    "  region_code TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY(user_id, role, region_code)) WITHOUT ROWID;"
    "CREATE TABLE sessions("
    "  id INTEGER PRIMARY KEY,"
    "  token_hash BLOB NOT NULL UNIQUE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  csrf TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  ip TEXT);"
    "CREATE INDEX sessions_user ON sessions(user_id);"
    "CREATE TABLE api_tokens("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  token_hash BLOB NOT NULL UNIQUE,"
    "  created_by INTEGER REFERENCES users(id),"
    "  created_at INTEGER NOT NULL,"
    "  last_used INTEGER NOT NULL DEFAULT 0,"
    "  revoked_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE token_grants("
    "  token_id INTEGER NOT NULL REFERENCES api_tokens(id) ON DELETE CASCADE,"
    "  role TEXT NOT NULL,"
    "  region_code TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY(token_id, role, region_code)) WITHOUT ROWID;"
    "CREATE TABLE audit("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  user_id INTEGER,"
    "  username TEXT,"
    "  action TEXT NOT NULL,"
    "  object TEXT,"
    "  result INTEGER NOT NULL,"
    "  ip TEXT,"
    "  detail TEXT,"
    "  prev_hash BLOB NOT NULL,"
    "  hash BLOB NOT NULL);"
    /* The audit trail is append-only (等保 2.0): the database itself refuses edits. */
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",
};

int migrate_latest(void)
{
	return (int)(sizeof migrations / sizeof migrations[0]);
}

bool migrate_run(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "PRAGMA user_version");
	if (!st)
		return false;
	int version = db_step(st) == DB_ROW ? (int)db_col_int(st, 0) : -1;
	db_done(st);
	if (version < 0)
		return false;
	if (version > migrate_latest()) {
		log_error("database schema %d is newer than this program (%d)", version,
		          migrate_latest());
		return false;
	}
	for (int v = version; v < migrate_latest(); v++) {
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
