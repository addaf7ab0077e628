/* Migration 26: volunteers (志愿服务) — teams, members, activities with sign-ups and a
 * waiting list, check-in codes, the hours and points ledger — and the grid workers' field
 * logs of visits and patrols (民情走访, 巡查). */
#include "store/migrations/migrations.h"

// clang-format off
/* vol_teams: a team at a community or street with a leader (an account).
 *
 * vol_members, vol_signups and vol_ledger name a person as bookings do: "person" is
 * 'user:<id>' for an account (a resident's or a staff user's) and 'resident:<id>' for a
 * resident record staff put down; one live membership per team and person, one live
 * sign-up per activity and person (partial unique indexes).
 *
 * vol_activities: an activity of a team, with its sign-up limit and the check-in code shown
 * at the venue (valid in the activity's window).
 *
 * vol_signups: status 'signed' (a place), 'waiting' (on the waiting list, in id order) or
 * 'cancelled'; the count of places is checked in the write transaction (the writers' lock),
 * and a cancel promotes the first waiting in the same transaction. checked_in_at: when the
 * person checked in with the code; minutes, points: the hours the organiser confirmed.
 *
 * vol_ledger: append-only hours and points (积分). A confirmation adds minutes and points; a
 * spend (爱心超市) is a negative points entry by staff; the balance per person never goes
 * below zero (checked in the write transaction).
 *
 * field_logs: a grid worker's entry of a visit or patrol: where (grid, address, optional
 * point), when (day: local day number), what was seen, photos and the case raised from it. */
#define VOLUNTEERS_TABLES(ID, INT, TEXT, REAL) \
    "CREATE TABLE vol_teams(" \
    "  id " ID "," \
    "  region_code TEXT" TEXT " NOT NULL REFERENCES regions(code)," \
    "  name TEXT" TEXT " NOT NULL," \
    "  description TEXT" TEXT "," \
    "  leader_user_id " INT " REFERENCES users(id)," \
    "  created_by " INT "," \
    "  created_at " INT " NOT NULL," \
    "  updated_at " INT " NOT NULL);" \
    "CREATE INDEX vol_teams_region ON vol_teams(region_code, id);" \
    "CREATE TABLE vol_members(" \
    "  id " ID "," \
    "  team_id " INT " NOT NULL REFERENCES vol_teams(id)," \
    "  region_code TEXT" TEXT " NOT NULL," \
    "  person TEXT" TEXT " NOT NULL," \
    "  user_id " INT " REFERENCES users(id)," \
    "  resident_id " INT " REFERENCES residents(id)," \
    "  status TEXT" TEXT " NOT NULL DEFAULT 'active' CHECK (status IN ('active','left'))," \
    "  joined_at " INT " NOT NULL," \
    "  left_at " INT ");" \
    "CREATE INDEX vol_members_team ON vol_members(team_id, id);" \
    "CREATE INDEX vol_members_person ON vol_members(person, id);" \
    "CREATE UNIQUE INDEX vol_members_one ON vol_members(team_id, person) WHERE status = 'active';" \
    "CREATE TABLE vol_activities(" \
    "  id " ID "," \
    "  team_id " INT " NOT NULL REFERENCES vol_teams(id)," \
    "  region_code TEXT" TEXT " NOT NULL," \
    "  title TEXT" TEXT " NOT NULL," \
    "  place TEXT" TEXT "," \
    "  starts_at " INT " NOT NULL," \
    "  ends_at " INT " NOT NULL," \
    "  capacity " INT " NOT NULL CHECK (capacity BETWEEN 1 AND 10000)," \
    "  code TEXT" TEXT " NOT NULL," \
    "  status TEXT" TEXT " NOT NULL DEFAULT 'open' CHECK (status IN ('open','cancelled'))," \
    "  created_by " INT "," \
    "  created_at " INT " NOT NULL," \
    "  updated_at " INT " NOT NULL);" \
    "CREATE INDEX vol_activities_region ON vol_activities(region_code, id);" \
    "CREATE INDEX vol_activities_team ON vol_activities(team_id, id);" \
    "CREATE TABLE vol_signups(" \
    "  id " ID "," \
    "  activity_id " INT " NOT NULL REFERENCES vol_activities(id)," \
    "  region_code TEXT" TEXT " NOT NULL," \
    "  person TEXT" TEXT " NOT NULL," \
    "  user_id " INT " REFERENCES users(id)," \
    "  resident_id " INT " REFERENCES residents(id)," \
    "  status TEXT" TEXT " NOT NULL CHECK (status IN ('signed','waiting','cancelled'))," \
    "  checked_in_at " INT "," \
    "  minutes " INT "," \
    "  points " INT "," \
    "  confirmed_by " INT "," \
    "  created_by " INT "," \
    "  created_at " INT " NOT NULL," \
    "  updated_at " INT " NOT NULL);" \
    "CREATE INDEX vol_signups_activity ON vol_signups(activity_id, status, id);" \
    "CREATE INDEX vol_signups_person ON vol_signups(person, id);" \
    "CREATE UNIQUE INDEX vol_signups_one ON vol_signups(activity_id, person) " \
    "WHERE status <> 'cancelled';" \
    "CREATE TABLE vol_ledger(" \
    "  id " ID "," \
    "  region_code TEXT" TEXT " NOT NULL," \
    "  person TEXT" TEXT " NOT NULL," \
    "  kind TEXT" TEXT " NOT NULL CHECK (kind IN ('service','spend'))," \
    "  minutes " INT " NOT NULL DEFAULT 0," \
    "  points " INT " NOT NULL," \
    "  activity_id " INT " REFERENCES vol_activities(id)," \
    "  signup_id " INT " REFERENCES vol_signups(id)," \
    "  note TEXT" TEXT "," \
    "  created_by " INT "," \
    "  created_at " INT " NOT NULL);" \
    "CREATE INDEX vol_ledger_person ON vol_ledger(person, id);" \
    "CREATE INDEX vol_ledger_region ON vol_ledger(region_code, id);" \
    "CREATE UNIQUE INDEX vol_ledger_signup ON vol_ledger(signup_id);" \
    "CREATE TABLE field_logs(" \
    "  id " ID "," \
    "  region_code TEXT" TEXT " NOT NULL REFERENCES regions(code)," \
    "  kind TEXT" TEXT " NOT NULL CHECK (kind IN ('visit','patrol'))," \
    "  address TEXT" TEXT "," \
    "  lat " REAL "," \
    "  lon " REAL "," \
    "  seen_at " INT " NOT NULL," \
    "  day " INT " NOT NULL," \
    "  note TEXT" TEXT " NOT NULL," \
    "  photos TEXT" TEXT "," \
    "  case_id " INT " REFERENCES cases(id)," \
    "  user_id " INT " NOT NULL REFERENCES users(id)," \
    "  created_at " INT " NOT NULL);" \
    "CREATE INDEX field_logs_region ON field_logs(region_code, id);" \
    "CREATE INDEX field_logs_user ON field_logs(user_id, day, id);"

const char store_migration_26[] =
    VOLUNTEERS_TABLES("INTEGER PRIMARY KEY", "INTEGER", "", "REAL")
    "CREATE TRIGGER vol_ledger_no_update BEFORE UPDATE ON vol_ledger "
    "BEGIN SELECT RAISE(ABORT, 'the volunteer ledger is append-only'); END;"
    "CREATE TRIGGER vol_ledger_no_delete BEFORE DELETE ON vol_ledger "
    "BEGIN SELECT RAISE(ABORT, 'the volunteer ledger is append-only'); END;";

const char store_migration_26_pg[] =
    VOLUNTEERS_TABLES("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BIGINT",
                      " COLLATE \"C\"", "DOUBLE PRECISION")
    "CREATE TRIGGER vol_ledger_no_update BEFORE UPDATE ON vol_ledger "
    " FOR EACH ROW EXECUTE FUNCTION refuse_change('the volunteer ledger is append-only');"
    "CREATE TRIGGER vol_ledger_no_delete BEFORE DELETE ON vol_ledger "
    " FOR EACH ROW EXECUTE FUNCTION refuse_change('the volunteer ledger is append-only');"
    "CREATE TRIGGER vol_ledger_no_truncate BEFORE TRUNCATE ON vol_ledger"
    " FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('the volunteer ledger is append-only');";
// clang-format on
