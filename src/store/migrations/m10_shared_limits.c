/* Migration 10: state that several nodes on one database must share. */
#include "store/migrations/migrations.h"

// clang-format off
const char store_migration_10[] =
    /* migration 10: the limits every node of a cluster counts together, and the outbox's
     * claims. rate_buckets: a token bucket per key (sign-in attempts per address); rate_hits:
     * one row per counted event (resident lookups per user, a sliding window); login_unknown:
     * failures in a row of usernames that do not exist (a keyed hash, never the name), so
     * they lock like accounts do. On SQLite one process is the only node and keeps these in
     * memory; the tables exist so both schemas stay alike. A notification is claimed by one
     * sender (claimed_by) until claimed_until; a claim that runs out is free again. */
    "CREATE TABLE rate_buckets("
    "  bucket TEXT PRIMARY KEY,"
    "  tokens REAL NOT NULL,"
    "  at_ms INTEGER NOT NULL);"
    "CREATE TABLE rate_hits("
    "  bucket TEXT NOT NULL,"
    "  at INTEGER NOT NULL);"
    "CREATE INDEX rate_hits_bucket ON rate_hits(bucket, at);"
    "CREATE TABLE login_unknown("
    "  name_hash BLOB PRIMARY KEY,"
    "  failures INTEGER NOT NULL DEFAULT 0,"
    "  locked_until INTEGER NOT NULL DEFAULT 0,"
    "  at INTEGER NOT NULL);"
    "ALTER TABLE notifications ADD COLUMN claimed_by TEXT;"
    "ALTER TABLE notifications ADD COLUMN claimed_until INTEGER NOT NULL DEFAULT 0;";

const char store_migration_10_pg[] =
    "CREATE TABLE rate_buckets("
    "  bucket TEXT COLLATE \"C\" PRIMARY KEY,"
    "  tokens DOUBLE PRECISION NOT NULL,"
    "  at_ms BIGINT NOT NULL);"
    "CREATE TABLE rate_hits("
    "  bucket TEXT COLLATE \"C\" NOT NULL,"
    "  at BIGINT NOT NULL);"
    "CREATE INDEX rate_hits_bucket ON rate_hits(bucket, at);"
    "CREATE TABLE login_unknown("
    "  name_hash BYTEA PRIMARY KEY,"
    "  failures BIGINT NOT NULL DEFAULT 0,"
    "  locked_until BIGINT NOT NULL DEFAULT 0,"
    "  at BIGINT NOT NULL);"
    "ALTER TABLE notifications ADD COLUMN claimed_by TEXT COLLATE \"C\";"
    "ALTER TABLE notifications ADD COLUMN claimed_until BIGINT NOT NULL DEFAULT 0;";
// clang-format on
