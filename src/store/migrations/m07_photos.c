/* Migration 7: photo uploaders and references. */
#include "store/migrations/migrations.h"

// clang-format off
const char store_migration_7[] =
    /* migration 7: photos — who uploaded each one (a row per uploader: the same bytes sent
     * twice keep one file, and each sender may attach them) and which records reference it,
     * kept by triggers on the append-only rows that carry photos, so a read is checked by
     * one indexed query whichever resource attached the photo. */
    "CREATE TABLE photo_uploads("
    "  hash TEXT NOT NULL REFERENCES photos(hash),"
    "  user_id INTEGER NOT NULL," /* a user, or minus an API token's id */
    "  at INTEGER NOT NULL,"
    "  PRIMARY KEY(hash, user_id)) WITHOUT ROWID;"
    "INSERT INTO photo_uploads(hash, user_id, at) SELECT hash, created_by, created_at "
    "FROM photos WHERE created_by IS NOT NULL;"
    "CREATE TABLE photo_refs("
    "  hash TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('case','sweep_visit')),"
    "  ref_id INTEGER NOT NULL,"
    "  PRIMARY KEY(hash, kind, ref_id)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO photo_refs(hash, kind, ref_id) SELECT j.value, 'case', e.case_id "
    "FROM case_events e, json_each(e.photos) j WHERE e.photos IS NOT NULL AND "
    "json_valid(e.photos) AND j.type = 'text';"
    "INSERT OR IGNORE INTO photo_refs(hash, kind, ref_id) SELECT j.value, 'sweep_visit', v.id "
    "FROM sweep_visits v, json_each(v.photos) j WHERE v.photos IS NOT NULL AND "
    "json_valid(v.photos) AND j.type = 'text';"
    "CREATE TRIGGER photo_refs_case AFTER INSERT ON case_events "
    "  WHEN NEW.photos IS NOT NULL AND json_valid(NEW.photos) BEGIN "
    "  INSERT OR IGNORE INTO photo_refs(hash, kind, ref_id) SELECT value, 'case', NEW.case_id "
    "  FROM json_each(NEW.photos) WHERE type = 'text'; END;"
    "CREATE TRIGGER photo_refs_sweep_visit AFTER INSERT ON sweep_visits "
    "  WHEN NEW.photos IS NOT NULL AND json_valid(NEW.photos) BEGIN "
    "  INSERT OR IGNORE INTO photo_refs(hash, kind, ref_id) SELECT value, 'sweep_visit', NEW.id "
    "  FROM json_each(NEW.photos) WHERE type = 'text'; END;"
    "CREATE TRIGGER photo_refs_sweep_visit_update AFTER UPDATE OF photos ON sweep_visits "
    "  WHEN NEW.photos IS NOT NULL AND json_valid(NEW.photos) BEGIN "
    "  INSERT OR IGNORE INTO photo_refs(hash, kind, ref_id) SELECT value, 'sweep_visit', NEW.id "
    "  FROM json_each(NEW.photos) WHERE type = 'text'; END;";
// clang-format on
