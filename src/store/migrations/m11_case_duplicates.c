/* Migration 11: the duplicate check of a report reads an index, not the cases. */
#include "store/migrations/migrations.h"

// clang-format off
const char store_migration_11[] =
    /* migration 11: a report answers with the likely duplicates among the 100 newest open
     * cases of its category in its community (store_cases_open_nearby). This index holds
     * exactly those candidates, newest last, with what the check compares (the grid and the
     * location), so the check reads 100 index entries and then only the rows it keeps,
     * instead of walking every case of the category and reading each row. */
    "CREATE INDEX cases_open_community ON cases("
    "  category, substr(region_code, 1, 12), id, region_code, lat, lon) "
    "WHERE status NOT IN (2, 7);";

const char store_migration_11_pg[] =
    "CREATE INDEX cases_open_community ON cases("
    "  category, substr(region_code, 1, 12), id, region_code, lat, lon) "
    "WHERE status NOT IN (2, 7);";
// clang-format on
