/* Migration 12: case lists read newest first at every level of the tree. */
#include "store/migrations/migrations.h"

// clang-format off
/* 12: a listing without a state filter walks one of these backwards from the newest case: the
 * scope's region is an equality on the code's prefix of its level (district 6 digits, street 9,
 * community 12, the grid's whole code), so a page of 50 reads about 50 rows and sorts nothing,
 * however many cases the scope holds. A department's listing walks its unit's cases the same
 * way (see store_cases_list). */
const char store_migration_12[] =
    "CREATE INDEX cases_district_id ON cases(substr(region_code, 1, 6), id); "
    "CREATE INDEX cases_street_id ON cases(substr(region_code, 1, 9), id); "
    "CREATE INDEX cases_community_id ON cases(substr(region_code, 1, 12), id); "
    "CREATE INDEX cases_grid_id ON cases(region_code, id); "
    "CREATE INDEX cases_unit_id ON cases(unit, id);";

const char store_migration_12_pg[] =
    "CREATE INDEX cases_district_id ON cases((substr(region_code, 1, 6)), id); "
    "CREATE INDEX cases_street_id ON cases((substr(region_code, 1, 9)), id); "
    "CREATE INDEX cases_community_id ON cases((substr(region_code, 1, 12)), id); "
    "CREATE INDEX cases_grid_id ON cases(region_code, id); "
    "CREATE INDEX cases_unit_id ON cases(unit, id);";
// clang-format on
