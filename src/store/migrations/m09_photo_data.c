/* Migration 9: a photo's bytes live in the database. */
#include "store/migrations/migrations.h"

// clang-format off
const char store_migration_9[] =
    /* migration 9: photo bytes move into the database, beside their metadata, so every
     * node of a cluster reads what any node received, and a backup or migrate-data carries
     * the photos with the records that use them. A table of its own keeps the bytes out of
     * the rows the scope checks read. Files an older version kept beside a SQLite database
     * are copied in when it is first opened (cli_open_db). */
    "CREATE TABLE photo_data("
    "  hash TEXT PRIMARY KEY REFERENCES photos(hash),"
    "  data BLOB NOT NULL);";

const char store_migration_9_pg[] =
    "CREATE TABLE photo_data("
    "  hash TEXT COLLATE \"C\" PRIMARY KEY REFERENCES photos(hash),"
    "  data BYTEA NOT NULL);";
// clang-format on
