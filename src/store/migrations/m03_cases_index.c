/* Migration 3: newest-first reads of one state. */
#include "store/migrations/migrations.h"

// clang-format off
const char store_migration_3[] =
    /* 3: newest-first reads of one state over a wide region (see store_cases_list). */
    "CREATE INDEX cases_status_id ON cases(status, id, region_code);";

const char store_migration_3_pg[] =
    /* 3: newest-first reads of one state over a wide region (see store_cases_list). */
    "CREATE INDEX cases_status_id ON cases(status, id, region_code);";
// clang-format on
