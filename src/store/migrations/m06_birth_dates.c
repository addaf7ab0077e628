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
// clang-format on
