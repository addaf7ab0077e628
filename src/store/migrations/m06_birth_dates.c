/* Migration 6: sealed birth dates. */
#include "store/migrations/migrations.h"

// clang-format off
const char store_migration_6[] =
    /* migration 6: a resident's birth date is sealed like the ID number, and only the year
     * stays in clear (with the ID mask the full date left <= 91 candidates for the number).
     * The sealing itself needs the key, so it runs in C after this step, wherever the key is
     * loaded (store_residents_seal_birth_dates from cli_open_db); until then birth_date keeps the
     * old clear value and nothing reads it. The version history kept the masked snapshot with
     * the full date: it is cut to the year here, the one time that append-only table is
     * rewritten (its trigger is put back as it was). secure_delete overwrites the old bytes. */
    "PRAGMA secure_delete=ON;"
    "ALTER TABLE residents ADD COLUMN birth_year INTEGER;"
    "ALTER TABLE residents ADD COLUMN birth_sealed BLOB;"
    "UPDATE residents SET birth_year = CAST(substr(birth_date, 1, 4) AS INTEGER) "
    "WHERE birth_date IS NOT NULL AND length(birth_date) >= 4;"
    "DROP TRIGGER record_versions_no_update;"
    "UPDATE record_versions SET before = json_set(before, '$.birth_date', "
    "substr(json_extract(before, '$.birth_date'), 1, 4) || '-**-**') WHERE kind = 'resident' "
    "AND json_valid(before) AND length(json_extract(before, '$.birth_date')) = 10;"
    "UPDATE record_versions SET after = json_set(after, '$.birth_date', "
    "substr(json_extract(after, '$.birth_date'), 1, 4) || '-**-**') WHERE kind = 'resident' "
    "AND json_valid(after) AND length(json_extract(after, '$.birth_date')) = 10;"
    "CREATE TRIGGER record_versions_no_update BEFORE UPDATE ON record_versions "
    "BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;";

/* PostgreSQL: the same step. A database there starts at the newest schema, so the updates
 * find no rows; they are kept for the record. json_or_null() reads a text column as jsonb,
 * NULL when it is not JSON (SQLite's json_valid guard: PostgreSQL may test the conditions of
 * a WHERE in any order, so the guard is in the function). Deleted tuples are vacuum's
 * business (no secure_delete). */
const char store_migration_6_pg[] =
    "CREATE FUNCTION json_or_null(doc text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$ "
    "BEGIN RETURN doc::jsonb; EXCEPTION WHEN others THEN RETURN NULL; END $$;"
    "ALTER TABLE residents ADD COLUMN birth_year BIGINT;"
    "ALTER TABLE residents ADD COLUMN birth_sealed BYTEA;"
    "UPDATE residents SET birth_year = CAST(substr(birth_date, 1, 4) AS BIGINT) "
    "WHERE birth_date ~ '^[0-9]{4}';"
    "DROP TRIGGER record_versions_no_update ON record_versions;"
    "UPDATE record_versions SET before = jsonb_set(json_or_null(before), '{birth_date}', "
    "to_jsonb(substr(json_or_null(before) ->> 'birth_date', 1, 4) || '-**-**'))::text "
    "WHERE kind = 'resident' AND length(json_or_null(before) ->> 'birth_date') = 10;"
    "UPDATE record_versions SET after = jsonb_set(json_or_null(after), '{birth_date}', "
    "to_jsonb(substr(json_or_null(after) ->> 'birth_date', 1, 4) || '-**-**'))::text "
    "WHERE kind = 'resident' AND length(json_or_null(after) ->> 'birth_date') = 10;"
    "CREATE TRIGGER record_versions_no_update BEFORE UPDATE ON record_versions "
    " FOR EACH ROW EXECUTE FUNCTION refuse_change('record versions are append-only');";
// clang-format on
