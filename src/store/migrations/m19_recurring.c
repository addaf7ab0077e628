/* Migration 19: recurring problems (反复发生问题) and the building a case happened in. */
#include "store/migrations/migrations.h"

// clang-format off
/* cases.building_id: the building a case happened in (a sweep hazard's house's building, or
 * named by the reporter), beside the optional point. cases_recurring holds exactly what the
 * detection of a new case reads: the cases of its category in its community in a time range,
 * with their building and point (store_recurring_note), so no insert scans the cases; region_code
 * at its end makes it covering (an expression over a column not in the index is not).
 *
 * recurring_problems: one row per problem, its place (anchor: the building and point of its
 * earliest case), its span [first_at, last_at] and count, kept as cases arrive;
 * recurring_problem_cases: its member cases (a case belongs to one problem at most), keyed by
 * case_id; declared "bigint" so that on SQLite it is a plain key (WITHOUT ROWID, clustered by
 * it) and not a rowid alias, as on PostgreSQL.
 * recurring_problems_anchor finds the problems a new case may join by the same key as the
 * candidates; (region_code, id) serves the scoped list.
 *
 * A campaign item may come from a recurring problem (source_kind 'recurring_problem'), one
 * item per problem (the partial unique index). SQLite cannot alter a CHECK, so campaign_items
 * is rebuilt: foreign keys from campaign_item_events are deferred to the commit, and the rows
 * put back into the new table before it settles them. */
#define RECURRING_TABLES(ID, INT, REAL, TEXT, NO_ROWID) \
    "CREATE TABLE recurring_problems(" \
    "  id " ID "," \
    "  category TEXT" TEXT " NOT NULL REFERENCES categories(code)," \
    "  region_code TEXT" TEXT " NOT NULL REFERENCES regions(code)," \
    "  building_id " INT " REFERENCES buildings(id)," \
    "  lat " REAL ", lon " REAL "," \
    "  address TEXT" TEXT "," \
    "  first_case_id " INT " NOT NULL REFERENCES cases(id)," \
    "  first_at " INT " NOT NULL," \
    "  last_at " INT " NOT NULL," \
    "  case_count " INT " NOT NULL," \
    "  status TEXT" TEXT " NOT NULL DEFAULT 'open' CHECK (status IN ('open','taken'))," \
    "  created_at " INT " NOT NULL," \
    "  updated_at " INT " NOT NULL);" \
    "CREATE INDEX recurring_problems_region ON recurring_problems(region_code, id);" \
    "CREATE INDEX recurring_problems_anchor ON recurring_problems(" \
    "  category, substr(region_code, 1, 12), last_at);" \
    "CREATE TABLE recurring_problem_cases(" \
    "  case_id bigint NOT NULL REFERENCES cases(id)," \
    "  problem_id " INT " NOT NULL REFERENCES recurring_problems(id)," \
    "  created_at " INT " NOT NULL," \
    "  PRIMARY KEY(case_id))" NO_ROWID ";" \
    "CREATE INDEX recurring_problem_cases_problem ON recurring_problem_cases(problem_id, " \
    "  created_at, case_id);" \
    "CREATE INDEX cases_recurring ON cases(" \
    "  category, substr(region_code, 1, 12), created_at, id, building_id, lat, lon, region_code);"

#define SOURCE_KINDS \
    "('case','sweep_visit','rectification_item','commitment','meeting','recurring_problem')"

const char store_migration_19[] =
    "ALTER TABLE cases ADD COLUMN building_id INTEGER REFERENCES buildings(id);"
    RECURRING_TABLES("INTEGER PRIMARY KEY", "INTEGER", "REAL", "", " WITHOUT ROWID")
    "PRAGMA defer_foreign_keys = ON;"
    "CREATE TABLE campaign_items_m17 AS SELECT * FROM campaign_items;"
    "DROP TABLE campaign_items;"
    "CREATE TABLE campaign_items("
    "  id INTEGER PRIMARY KEY,"
    "  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),"
    "  list TEXT NOT NULL CHECK (list IN ('problem','responsibility','task')),"
    "  region_code TEXT NOT NULL,"
    "  title TEXT NOT NULL,"
    "  owner_unit TEXT,"
    "  owner_user_id INTEGER,"
    "  deadline TEXT,"
    "  photos TEXT,"
    "  source_kind TEXT CHECK (source_kind IN " SOURCE_KINDS "),"
    "  source_id INTEGER,"
    "  source_n INTEGER,"
    "  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','assigned','done','verified')),"
    "  done_by INTEGER,"
    "  done_at INTEGER,"
    "  verified_by INTEGER,"
    "  verified_at INTEGER,"
    "  created_by INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "INSERT INTO campaign_items SELECT * FROM campaign_items_m17;"
    "DROP TABLE campaign_items_m17;"
    "CREATE INDEX campaign_items_region ON campaign_items(campaign_id, region_code, id);"
    "CREATE INDEX campaign_items_progress ON campaign_items(campaign_id, region_code, state, "
    "deadline);"
    "CREATE INDEX campaign_items_source ON campaign_items(source_kind, source_id);"
    "CREATE UNIQUE INDEX campaign_items_decision ON campaign_items(source_id, source_n) "
    "WHERE source_kind = 'meeting' AND source_n IS NOT NULL;"
    "CREATE UNIQUE INDEX campaign_items_recurring ON campaign_items(source_id) "
    "WHERE source_kind = 'recurring_problem';";

const char store_migration_19_pg[] =
    "ALTER TABLE cases ADD COLUMN building_id BIGINT REFERENCES buildings(id);"
    RECURRING_TABLES("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BIGINT",
                     "DOUBLE PRECISION", " COLLATE \"C\"", "")
    "ALTER TABLE campaign_items DROP CONSTRAINT campaign_items_source_kind_check;"
    "ALTER TABLE campaign_items ADD CONSTRAINT campaign_items_source_kind_check "
    "  CHECK (source_kind IN " SOURCE_KINDS ");"
    "CREATE UNIQUE INDEX campaign_items_recurring ON campaign_items(source_id) "
    "WHERE source_kind = 'recurring_problem';";
// clang-format on
