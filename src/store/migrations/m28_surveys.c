/* Migration 28: callbacks (回访抽查) and satisfaction surveys (满意度测评) — random samples
 * drawn with a recorded seed (domain/sample.c), the outcomes and answers gathered by phone,
 * and the built-in indicator of contradicted callbacks. */
#include "store/migrations/migrations.h"

// clang-format off
/* callback_samples: a draw of `size` cases closed in `period` (YYYYMM, Asia/Shanghai) under
 * region_code; seed (decimal text: an unsigned 64-bit number) and population (how many cases
 * the draw chose from) let anyone redraw it.
 *
 * callback_units: per handling unit, how many of the population it closed (the N of the
 * margin of error of its contradiction rate).
 *
 * callback_items: the drawn cases in the order drawn (position), with the case's grid and
 * handling unit as they were at the draw; outcome NULL until recorded.
 *
 * callback_item_history: every recorded outcome, the first and each change (with its
 * reason), oldest first.
 *
 * The facts callback_done (reached: confirmed or contradicted) and callback_contradicted are
 * kept in indicator_facts (migration 20) by the store in the same transaction as each
 * outcome, at the sample's month and the case's grid.
 *
 * surveys: a questionnaire (questions: JSON [{text, options: [...]}]) put to per_grid
 * households drawn per grid under region_code; survey_households: the drawn households
 * (position in the grid's draw, population: active households in that grid then);
 * survey_responses: one per household (the primary key), answers a JSON array of option
 * indexes, with the grid for the results; survey_answers: the answers one row per question
 * for counting. */
#define SURVEY_TABLES(ID, INT, TEXT) \
    "CREATE TABLE callback_samples(" \
    "  id " ID "," \
    "  region_code TEXT" TEXT " NOT NULL REFERENCES regions(code)," \
    "  period " INT " NOT NULL," \
    "  size " INT " NOT NULL," \
    "  seed TEXT" TEXT " NOT NULL," \
    "  population " INT " NOT NULL," \
    "  drawn " INT " NOT NULL," \
    "  created_by " INT "," \
    "  created_at " INT " NOT NULL);" \
    "CREATE INDEX callback_samples_region ON callback_samples(region_code, id);" \
    "CREATE TABLE callback_units(" \
    "  sample_id " INT " NOT NULL REFERENCES callback_samples(id)," \
    "  unit TEXT" TEXT " NOT NULL," \
    "  population " INT " NOT NULL," \
    "  PRIMARY KEY(sample_id, unit));" \
    "CREATE TABLE callback_items(" \
    "  sample_id " INT " NOT NULL REFERENCES callback_samples(id)," \
    "  case_id " INT " NOT NULL REFERENCES cases(id)," \
    "  position " INT " NOT NULL," \
    "  region_code TEXT" TEXT " NOT NULL," \
    "  unit TEXT" TEXT " NOT NULL," \
    "  outcome TEXT" TEXT " CHECK (outcome IN ('confirmed','contradicted','unreachable'))," \
    "  note TEXT" TEXT "," \
    "  recorded_by " INT "," \
    "  recorded_at " INT " NOT NULL DEFAULT 0," \
    "  PRIMARY KEY(sample_id, case_id));" \
    "CREATE INDEX callback_items_case ON callback_items(case_id, outcome);" \
    "CREATE TABLE callback_item_history(" \
    "  id " ID "," \
    "  sample_id " INT " NOT NULL," \
    "  case_id " INT " NOT NULL," \
    "  outcome TEXT" TEXT " NOT NULL," \
    "  note TEXT" TEXT "," \
    "  reason TEXT" TEXT "," \
    "  user_id " INT "," \
    "  user_name TEXT" TEXT "," \
    "  at " INT " NOT NULL);" \
    "CREATE INDEX callback_item_history_item ON callback_item_history(sample_id, case_id, id);" \
    "CREATE TABLE surveys(" \
    "  id " ID "," \
    "  title TEXT" TEXT " NOT NULL," \
    "  region_code TEXT" TEXT " NOT NULL REFERENCES regions(code)," \
    "  period " INT " NOT NULL," \
    "  per_grid " INT " NOT NULL," \
    "  seed TEXT" TEXT " NOT NULL," \
    "  questions TEXT" TEXT " NOT NULL," \
    "  population " INT " NOT NULL," \
    "  drawn " INT " NOT NULL," \
    "  created_by " INT "," \
    "  created_at " INT " NOT NULL);" \
    "CREATE INDEX surveys_region ON surveys(region_code, id);" \
    "CREATE TABLE survey_households(" \
    "  survey_id " INT " NOT NULL REFERENCES surveys(id)," \
    "  household_id " INT " NOT NULL REFERENCES households(id)," \
    "  grid_code TEXT" TEXT " NOT NULL," \
    "  position " INT " NOT NULL," \
    "  population " INT " NOT NULL," \
    "  PRIMARY KEY(survey_id, household_id));" \
    "CREATE INDEX survey_households_grid ON survey_households(survey_id, grid_code, position);" \
    "CREATE TABLE survey_responses(" \
    "  survey_id " INT " NOT NULL REFERENCES surveys(id)," \
    "  household_id " INT " NOT NULL," \
    "  grid_code TEXT" TEXT " NOT NULL," \
    "  answers TEXT" TEXT " NOT NULL," \
    "  channel TEXT" TEXT " NOT NULL," \
    "  entered_by " INT "," \
    "  created_at " INT " NOT NULL," \
    "  PRIMARY KEY(survey_id, household_id));" \
    "CREATE TABLE survey_answers(" \
    "  survey_id " INT " NOT NULL," \
    "  household_id " INT " NOT NULL," \
    "  grid_code TEXT" TEXT " NOT NULL," \
    "  question " INT " NOT NULL," \
    "  answer " INT " NOT NULL," \
    "  PRIMARY KEY(survey_id, household_id, question));" \
    "CREATE INDEX survey_answers_count ON survey_answers(survey_id, question, grid_code);" \
    "INSERT INTO indicators(code, name, name_en, numerator, denominator, factor, direction, " \
    "target, band_green, band_yellow, period_type, min_denominator, case_filter, builtin, sort, " \
    "created_at, updated_at) VALUES ('callback_contradiction_rate', '回访不实率', " \
    "'Callback contradiction rate', 'callback_contradicted', 'callback_done', 100, 'lower', " \
    "2, 2, 5, 'month', 10, NULL, 1, 10, 0, 0);"

const char store_migration_28[] =
    SURVEY_TABLES("INTEGER PRIMARY KEY", "INTEGER", "");

const char store_migration_28_pg[] =
    SURVEY_TABLES("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BIGINT",
                  " COLLATE \"C\"");
// clang-format on
