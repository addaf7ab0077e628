/* Migration 18: a joint meeting's decision dispatched as a case (派发案件). */
#include "store/migrations/migrations.h"

// clang-format off
/* One row per dispatched decision: the primary key makes a second dispatch of the same
 * decision a constraint error (409), and case_id UNIQUE lets a case find the meeting it came
 * from (GET /cases/{id} shows it). cases.source says "meeting" too, but names no meeting. */
const char store_migration_18[] =
    "CREATE TABLE meeting_cases("
    "  meeting_id INTEGER NOT NULL REFERENCES meetings(id),"
    "  decision_n INTEGER NOT NULL,"
    "  case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),"
    "  created_by INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  PRIMARY KEY(meeting_id, decision_n));";

const char store_migration_18_pg[] =
    "CREATE TABLE meeting_cases("
    "  meeting_id BIGINT NOT NULL REFERENCES meetings(id),"
    "  decision_n BIGINT NOT NULL,"
    "  case_id BIGINT NOT NULL UNIQUE REFERENCES cases(id),"
    "  created_by BIGINT,"
    "  created_at BIGINT NOT NULL,"
    "  PRIMARY KEY(meeting_id, decision_n));";
