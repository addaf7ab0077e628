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

/* PostgreSQL: the same tables and triggers. json_values() yields what SQLite's json_each
 * does for a document (an array's elements, an object's values, a scalar itself; nothing
 * for text that is not JSON); the photo references keep its strings. The triggers insert
 * only into photo_refs, which has no identity column. */
const char store_migration_7_pg[] =
    "CREATE TABLE photo_uploads("
    "  hash TEXT COLLATE \"C\" NOT NULL REFERENCES photos(hash),"
    "  user_id BIGINT NOT NULL," /* a user, or minus an API token's id */
    "  at BIGINT NOT NULL,"
    "  PRIMARY KEY(hash, user_id));"
    "INSERT INTO photo_uploads(hash, user_id, at) SELECT hash, created_by, created_at "
    "FROM photos WHERE created_by IS NOT NULL;"
    "CREATE TABLE photo_refs("
    "  hash TEXT COLLATE \"C\" NOT NULL,"
    "  kind TEXT COLLATE \"C\" NOT NULL CHECK (kind IN ('case','sweep_visit')),"
    "  ref_id BIGINT NOT NULL,"
    "  PRIMARY KEY(hash, kind, ref_id));"
    "CREATE FUNCTION json_values(doc text) RETURNS SETOF jsonb LANGUAGE plpgsql IMMUTABLE AS $$ "
    "DECLARE j jsonb := json_or_null(doc); "
    "BEGIN "
    "  IF jsonb_typeof(j) = 'array' THEN RETURN QUERY SELECT jsonb_array_elements(j); "
    "  ELSIF jsonb_typeof(j) = 'object' THEN RETURN QUERY SELECT v FROM jsonb_each(j) AS o(k, v); "
    "  ELSIF j IS NOT NULL THEN RETURN NEXT j; "
    "  END IF; "
    "END $$;"
    "INSERT INTO photo_refs(hash, kind, ref_id) SELECT j #>> '{}', 'case', e.case_id "
    "FROM case_events e, json_values(e.photos) j WHERE e.photos IS NOT NULL AND "
    "jsonb_typeof(j) = 'string' ON CONFLICT DO NOTHING;"
    "INSERT INTO photo_refs(hash, kind, ref_id) SELECT j #>> '{}', 'sweep_visit', v.id "
    "FROM sweep_visits v, json_values(v.photos) j WHERE v.photos IS NOT NULL AND "
    "jsonb_typeof(j) = 'string' ON CONFLICT DO NOTHING;"
    "CREATE FUNCTION photo_refs_case() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "  INSERT INTO photo_refs(hash, kind, ref_id) SELECT j #>> '{}', 'case', NEW.case_id "
    "  FROM json_values(NEW.photos) j WHERE jsonb_typeof(j) = 'string' ON CONFLICT DO NOTHING; "
    "  RETURN NULL; "
    "END $$;"
    "CREATE FUNCTION photo_refs_sweep_visit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "  INSERT INTO photo_refs(hash, kind, ref_id) SELECT j #>> '{}', 'sweep_visit', NEW.id "
    "  FROM json_values(NEW.photos) j WHERE jsonb_typeof(j) = 'string' ON CONFLICT DO NOTHING; "
    "  RETURN NULL; "
    "END $$;"
    "CREATE TRIGGER photo_refs_case AFTER INSERT ON case_events FOR EACH ROW "
    "  WHEN (NEW.photos IS NOT NULL AND json_or_null(NEW.photos) IS NOT NULL) "
    "  EXECUTE FUNCTION photo_refs_case();"
    "CREATE TRIGGER photo_refs_sweep_visit AFTER INSERT ON sweep_visits FOR EACH ROW "
    "  WHEN (NEW.photos IS NOT NULL AND json_or_null(NEW.photos) IS NOT NULL) "
    "  EXECUTE FUNCTION photo_refs_sweep_visit();"
    "CREATE TRIGGER photo_refs_sweep_visit_update AFTER UPDATE OF photos ON sweep_visits "
    "  FOR EACH ROW WHEN (NEW.photos IS NOT NULL AND json_or_null(NEW.photos) IS NOT NULL) "
    "  EXECUTE FUNCTION photo_refs_sweep_visit();";
// clang-format on
