/* Migration 23: deliberation (协商议事): topics and their timeline, supports (附议), comments
 * with moderation, meetings (议事会) with attendance and minutes, ballots with the register
 * fixed at opening and their votes, the ledger of pledges and spending (民筹), tasks (民办),
 * ratings (民评) and objections during a 公示 period. */
#include "store/migrations/migrations.h"

// clang-format off
/* topics: procedure six_step or four_two, stage one of domain/topic_flow.c; supports counts
 * topic_supports; target_money (fen) and target_labour (hours) are what 民筹 aims at;
 * public_until ends the current 公示 period (0: none). stage_since: when the stage began.
 *
 * ballots: the stage it belongs to; options a JSON array of texts; quorum and threshold as
 * fractions num/den with "more than" (1) or "at least" (0); status open until closes_at or the
 * topic leaves the stage; on close eligible, cast_count, counts (JSON array), quorum_met and
 * passed are written once and never recomputed. ballot_register: who may vote, fixed at
 * opening (a household id or a resident id, by the ballot's unit). ballot_votes: one row per
 * voter (household or resident), replaced until close; a secret ballot's choices lose their
 * voter when it closes (choice set NULL, the counts kept on the ballot).
 *
 * topic_ledger: kind pledge (money in fen or labour in hours) or spend (money), with the
 * pledging account and household (never published). */
#define DELIB_TABLES(ID, INT, TEXT) \
    "CREATE TABLE topics(" \
    "  id " ID "," \
    "  region_code TEXT" TEXT " NOT NULL REFERENCES regions(code)," \
    "  procedure TEXT" TEXT " NOT NULL CHECK (procedure IN ('six_step','four_two'))," \
    "  stage TEXT" TEXT " NOT NULL," \
    "  title TEXT" TEXT " NOT NULL," \
    "  body TEXT" TEXT " NOT NULL," \
    "  proposer_id " INT " REFERENCES users(id)," \
    "  supports " INT " NOT NULL DEFAULT 0," \
    "  target_money " INT " NOT NULL DEFAULT 0," \
    "  target_labour " INT " NOT NULL DEFAULT 0," \
    "  public_until " INT " NOT NULL DEFAULT 0," \
    "  stage_since " INT " NOT NULL," \
    "  created_at " INT " NOT NULL," \
    "  updated_at " INT " NOT NULL);" \
    "CREATE INDEX topics_region ON topics(region_code, id);" \
    "CREATE TABLE topic_events(" \
    "  id " ID "," \
    "  topic_id " INT " NOT NULL REFERENCES topics(id)," \
    "  at " INT " NOT NULL," \
    "  user_id " INT "," \
    "  from_stage TEXT" TEXT "," \
    "  to_stage TEXT" TEXT " NOT NULL," \
    "  comment TEXT" TEXT "," \
    "  meeting_id " INT ");" \
    "CREATE INDEX topic_events_topic ON topic_events(topic_id, id);" \
    "CREATE TABLE topic_supports(" \
    "  topic_id " INT " NOT NULL REFERENCES topics(id)," \
    "  user_id " INT " NOT NULL REFERENCES users(id)," \
    "  created_at " INT " NOT NULL," \
    "  PRIMARY KEY (topic_id, user_id));" \
    "CREATE TABLE topic_comments(" \
    "  id " ID "," \
    "  topic_id " INT " NOT NULL REFERENCES topics(id)," \
    "  region_code TEXT" TEXT " NOT NULL," \
    "  user_id " INT "," \
    "  body TEXT" TEXT " NOT NULL," \
    "  hidden " INT " NOT NULL DEFAULT 0," \
    "  hidden_reason TEXT" TEXT "," \
    "  hidden_by " INT "," \
    "  created_at " INT " NOT NULL);" \
    "CREATE INDEX topic_comments_topic ON topic_comments(topic_id, id);" \
    "CREATE TABLE topic_meetings(" \
    "  id " ID "," \
    "  topic_id " INT " NOT NULL REFERENCES topics(id)," \
    "  region_code TEXT" TEXT " NOT NULL," \
    "  stage TEXT" TEXT " NOT NULL," \
    "  venue TEXT" TEXT " NOT NULL CHECK (venue IN ('community','grid','building'))," \
    "  held_at " INT " NOT NULL," \
    "  place TEXT" TEXT "," \
    "  minutes TEXT" TEXT "," \
    "  photos TEXT" TEXT "," \
    "  created_by " INT "," \
    "  created_at " INT " NOT NULL," \
    "  updated_at " INT " NOT NULL);" \
    "CREATE INDEX topic_meetings_topic ON topic_meetings(topic_id, id);" \
    "CREATE TABLE topic_attendance(" \
    "  meeting_id " INT " NOT NULL REFERENCES topic_meetings(id)," \
    "  person TEXT" TEXT " NOT NULL," \
    "  user_id " INT "," \
    "  resident_id " INT "," \
    "  signed_at " INT " NOT NULL," \
    "  PRIMARY KEY (meeting_id, person));" \
    "CREATE TABLE ballots(" \
    "  id " ID "," \
    "  topic_id " INT " NOT NULL REFERENCES topics(id)," \
    "  region_code TEXT" TEXT " NOT NULL," \
    "  stage TEXT" TEXT " NOT NULL," \
    "  question TEXT" TEXT " NOT NULL," \
    "  options TEXT" TEXT " NOT NULL," \
    "  unit TEXT" TEXT " NOT NULL CHECK (unit IN ('household','resident'))," \
    "  preset TEXT" TEXT "," \
    "  quorum_num " INT " NOT NULL," \
    "  quorum_den " INT " NOT NULL," \
    "  quorum_more " INT " NOT NULL," \
    "  threshold_num " INT " NOT NULL," \
    "  threshold_den " INT " NOT NULL," \
    "  threshold_more " INT " NOT NULL," \
    "  secret " INT " NOT NULL DEFAULT 0," \
    "  opens_at " INT " NOT NULL," \
    "  closes_at " INT " NOT NULL," \
    "  status TEXT" TEXT " NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed'))," \
    "  closed_at " INT "," \
    "  eligible " INT " NOT NULL," \
    "  cast_count " INT "," \
    "  counts TEXT" TEXT "," \
    "  quorum_met " INT "," \
    "  passed " INT "," \
    "  created_by " INT "," \
    "  created_at " INT " NOT NULL);" \
    "CREATE INDEX ballots_topic ON ballots(topic_id, id);" \
    "CREATE INDEX ballots_due ON ballots(status, closes_at);" \
    "CREATE TABLE ballot_register(" \
    "  ballot_id " INT " NOT NULL REFERENCES ballots(id)," \
    "  voter " INT " NOT NULL," \
    "  PRIMARY KEY (ballot_id, voter));" \
    "CREATE TABLE ballot_votes(" \
    "  id " ID "," \
    "  ballot_id " INT " NOT NULL REFERENCES ballots(id)," \
    "  voter " INT " NOT NULL," \
    "  choice " INT "," \
    "  user_id " INT "," \
    "  paper " INT " NOT NULL DEFAULT 0," \
    "  created_at " INT " NOT NULL," \
    "  updated_at " INT " NOT NULL);" \
    "CREATE UNIQUE INDEX ballot_votes_one ON ballot_votes(ballot_id, voter);" \
    "CREATE TABLE topic_ledger(" \
    "  id " ID "," \
    "  topic_id " INT " NOT NULL REFERENCES topics(id)," \
    "  region_code TEXT" TEXT " NOT NULL," \
    "  kind TEXT" TEXT " NOT NULL CHECK (kind IN ('pledge','spend'))," \
    "  resource TEXT" TEXT " NOT NULL CHECK (resource IN ('money','labour'))," \
    "  amount " INT " NOT NULL CHECK (amount > 0)," \
    "  note TEXT" TEXT "," \
    "  user_id " INT "," \
    "  household_id " INT "," \
    "  created_at " INT " NOT NULL);" \
    "CREATE INDEX topic_ledger_topic ON topic_ledger(topic_id, id);" \
    "CREATE TABLE topic_tasks(" \
    "  id " ID "," \
    "  topic_id " INT " NOT NULL REFERENCES topics(id)," \
    "  region_code TEXT" TEXT " NOT NULL," \
    "  title TEXT" TEXT " NOT NULL," \
    "  owner TEXT" TEXT " NOT NULL," \
    "  deadline TEXT" TEXT " NOT NULL," \
    "  done_at " INT "," \
    "  created_by " INT "," \
    "  created_at " INT " NOT NULL);" \
    "CREATE INDEX topic_tasks_topic ON topic_tasks(topic_id, id);" \
    "CREATE TABLE topic_ratings(" \
    "  topic_id " INT " NOT NULL REFERENCES topics(id)," \
    "  user_id " INT " NOT NULL REFERENCES users(id)," \
    "  rating TEXT" TEXT " NOT NULL CHECK (rating IN ('satisfied','basic','unsatisfied'))," \
    "  comment TEXT" TEXT "," \
    "  created_at " INT " NOT NULL," \
    "  PRIMARY KEY (topic_id, user_id));" \
    "CREATE TABLE topic_objections(" \
    "  id " ID "," \
    "  topic_id " INT " NOT NULL REFERENCES topics(id)," \
    "  user_id " INT "," \
    "  body TEXT" TEXT " NOT NULL," \
    "  created_at " INT " NOT NULL);" \
    "CREATE INDEX topic_objections_topic ON topic_objections(topic_id, id);"

const char store_migration_23[] =
    DELIB_TABLES("INTEGER PRIMARY KEY", "INTEGER", "");

const char store_migration_23_pg[] =
    DELIB_TABLES("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BIGINT",
                 " COLLATE \"C\"");
// clang-format on
