/* Migration 30: grid worker assessment (网格员考核). No new table: a worker's month is counted
 * from the records that name the worker — timeline entries (case_events.actor_id: reports and
 * handling), sweep visits (visitor_id) and care visits (user_id). These indexes make each
 * count one range per worker and month instead of a scan. */
#include "store/migrations/migrations.h"

// clang-format off
#define WORKER_INDEXES \
    "CREATE INDEX case_events_actor ON case_events(actor_id, action, at);" \
    "CREATE INDEX sweep_visits_visitor ON sweep_visits(visitor_id, at);" \
    "CREATE INDEX care_visits_user ON care_visits(user_id, created_at);"

const char store_migration_30[] = WORKER_INDEXES;

const char store_migration_30_pg[] = WORKER_INDEXES;
// clang-format on
