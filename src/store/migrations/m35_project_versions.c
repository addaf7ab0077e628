/* Migration 35: projects carry a record version and their planned dates.
 *
 * version: 1 when made, one up with every edit (PATCH /projects/{id}) and every state move;
 * GET answers it as the ETag and an edit's If-Match must name it (api_if_match). Milestones
 * and spending are records of their own and leave it alone.
 * starts_on, ends_on: the planned start and end (YYYY-MM-DD, optional; ends_on not before
 * starts_on, checked by the handler), shown with the project on the public disclosure page. */
#include "store/migrations/migrations.h"

// clang-format off
#define PROJECT_VERSIONS(INT, TEXT) \
    "ALTER TABLE projects ADD COLUMN version " INT " NOT NULL DEFAULT 1;" \
    "ALTER TABLE projects ADD COLUMN starts_on TEXT" TEXT ";" \
    "ALTER TABLE projects ADD COLUMN ends_on TEXT" TEXT ";"

const char store_migration_35[] = PROJECT_VERSIONS("INTEGER", "");

const char store_migration_35_pg[] = PROJECT_VERSIONS("BIGINT", " COLLATE \"C\"");
// clang-format on
