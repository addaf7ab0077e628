/* Migration 20: indicators (考核评价) — their definitions, the counted facts they divide, kept by
 * the database as the records change, and manual figures from outside systems. */
#include "store/migrations/migrations.h"

// clang-format off
/* indicator_facts holds, per fact, month (YYYYMM, Asia/Shanghai) and region (the grid a record
 * lies in; a manual figure's region may be any level), how many records the fact counts. A
 * stock (residents_active, houses: what there is now) has period 0. It is a function of the
 * records alone: triggers take a row's old contribution away and add its new one in the same
 * transaction as the write, like case_days (migration 13), so an indicator for every grid of a
 * district reads one key range per fact, never the cases (tests/api/indicators.test.mjs
 * compares it with a recount). Region codes nest by prefix, so a region's count is the sum over
 * the codes it prefixes: a split or merged grid keeps its facts under its old code and they
 * still count for the community.
 *
 * The facts (docs/indicators.md; the catalogue is domain/indicator.c):
 *   cases_reported, cases_closed (of those reported in the month, closed now),
 *   cases_closed_on_time (closed, handled by the handling deadline), hazards_reported,
 *   hazards_closed (categories safety and fire) — month of the report;
 *   ratings, ratings_good (satisfied or basic) — month of the rating (case_events);
 *   rectifications, rectifications_verified (销号) — month the item was created;
 *   commitments_due, commitments_kept (done, verified or closed) — month of the deadline, in
 *   the pairing's region;
 *   residents_active, houses — stocks;
 *   an approved manual figure (indicator_figures) adds its value to its fact.
 * sweep_house_counts: per sweep and grid, the houses a visit of that sweep found someone at
 * home in (each house once), for sweep_coverage (the region's latest sweep).
 * indicator_figures is made before indicator_facts: a whole-database copy (store/copy.c) writes
 * tables in the order they were made, so the figures' trigger has made their facts before the
 * copied fact rows arrive (and are kept once), as the cases' triggers have. */
#define SQ_MONTH(t) "CAST(strftime('%Y%m', (" t ") + 28800, 'unixepoch') AS INTEGER)"
#define PG_MONTH(t) "CAST(to_char(to_timestamp((" t ") + 28800) AT TIME ZONE 'UTC', 'YYYYMM') AS BIGINT)"
#define DEADLINE_MONTH(d) "CAST(replace(substr(" d ", 1, 7), '-', '') AS INTEGER)"
#define KEPT "('done','verified','closed')"
#define HAZARD "('safety','fire')"

#define TABLES(ID, INT, REAL, TEXT, NO_ROWID) \
    "CREATE TABLE indicator_figures(" \
    "  id " ID "," \
    "  fact TEXT" TEXT " NOT NULL," \
    "  region_code TEXT" TEXT " NOT NULL REFERENCES regions(code)," \
    "  period " INT " NOT NULL," \
    "  value " INT " NOT NULL," \
    "  source TEXT" TEXT " NOT NULL," \
    "  note TEXT" TEXT "," \
    "  status TEXT" TEXT " NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved'))," \
    "  entered_by " INT " NOT NULL," \
    "  entered_by_name TEXT" TEXT "," \
    "  approved_by " INT "," \
    "  approved_by_name TEXT" TEXT "," \
    "  approved_at " INT " NOT NULL DEFAULT 0," \
    "  created_at " INT " NOT NULL," \
    "  updated_at " INT " NOT NULL," \
    "  UNIQUE(fact, region_code, period));" \
    "CREATE INDEX indicator_figures_region ON indicator_figures(region_code, id);" \
    "CREATE TABLE indicator_facts(" \
    "  fact TEXT" TEXT " NOT NULL," \
    "  period " INT " NOT NULL," \
    "  region_code TEXT" TEXT " NOT NULL," \
    "  n " INT " NOT NULL DEFAULT 0," \
    "  PRIMARY KEY(fact, period, region_code))" NO_ROWID ";" \
    "CREATE TABLE sweep_house_counts(" \
    "  sweep_id " INT " NOT NULL," \
    "  region_code TEXT" TEXT " NOT NULL," \
    "  n " INT " NOT NULL DEFAULT 0," \
    "  PRIMARY KEY(sweep_id, region_code))" NO_ROWID ";" \
    "CREATE TABLE indicators(" \
    "  code TEXT" TEXT " PRIMARY KEY," \
    "  name TEXT" TEXT " NOT NULL," \
    "  name_en TEXT" TEXT " NOT NULL," \
    "  description TEXT" TEXT "," \
    "  numerator TEXT" TEXT " NOT NULL," \
    "  denominator TEXT" TEXT " NOT NULL," \
    "  factor " INT " NOT NULL," \
    "  direction TEXT" TEXT " NOT NULL CHECK (direction IN ('higher','lower'))," \
    "  target " REAL "," \
    "  band_green " REAL "," \
    "  band_yellow " REAL "," \
    "  period_type TEXT" TEXT " NOT NULL CHECK (period_type IN ('month','quarter','year'))," \
    "  min_denominator " INT " NOT NULL DEFAULT 0," \
    "  case_filter TEXT" TEXT "," \
    "  builtin " INT " NOT NULL DEFAULT 0," \
    "  sort " INT " NOT NULL DEFAULT 0," \
    "  created_at " INT " NOT NULL," \
    "  updated_at " INT " NOT NULL);" \
    BUILTINS

#define BUILTIN(code, name, en, num, den, factor, dir, target, green, yellow, mind, filter, sort) \
    "INSERT INTO indicators(code, name, name_en, numerator, denominator, factor, direction, " \
    "target, band_green, band_yellow, period_type, min_denominator, case_filter, builtin, sort, " \
    "created_at, updated_at) VALUES ('" code "', '" name "', '" en "', '" num "', '" den "', " \
    factor ", '" dir "', " target ", " green ", " yellow ", 'month', " mind ", " filter ", 1, " \
    sort ", 0, 0);"
#define BUILTINS \
    BUILTIN("case_closure_rate", "事件办结率", "Case closure rate", "cases_closed", \
            "cases_reported", "100", "higher", "95", "95", "85", "5", "'closed'", "1") \
    BUILTIN("on_time_closure_rate", "按期办结率", "On-time closure rate", \
            "cases_closed_on_time", "cases_closed", "100", "higher", "90", "90", "80", "5", \
            "NULL", "2") \
    BUILTIN("satisfaction_rate", "群众满意率", "Satisfaction rate", "ratings_good", "ratings", \
            "100", "higher", "98", "98", "90", "5", "NULL", "3") \
    BUILTIN("cases_per_10k", "万人事件数", "Cases per 10 000 residents", "cases_reported", \
            "residents_active", "10000", "lower", "NULL", "NULL", "NULL", "100", "''", "4") \
    BUILTIN("hazard_rectification_rate", "隐患整改率", "Hazards rectified", "hazards_closed", \
            "hazards_reported", "100", "higher", "95", "95", "85", "1", "'hazard_closed'", "5") \
    BUILTIN("rectification_rate", "群租整治销号率", "Rectification rate", \
            "rectifications_verified", "rectifications", "100", "higher", "90", "90", "70", \
            "1", "NULL", "6") \
    BUILTIN("sweep_coverage", "扫楼覆盖率", "Sweep coverage", "sweep_visited", "houses", "100", \
            "higher", "100", "95", "80", "1", "NULL", "7") \
    BUILTIN("commitment_kept_rate", "承诺兑现率", "Commitments kept", "commitments_kept", \
            "commitments_due", "100", "higher", "100", "95", "80", "1", "NULL", "8") \
    BUILTIN("criminal_cases_per_10k", "万人刑事案件数", "Criminal cases per 10 000 residents", \
            "criminal_cases", "residents_active", "10000", "lower", "NULL", "NULL", "NULL", \
            "100", "NULL", "9")

/* The facts of the cases: (fact) rows the case r counts in, the month of its report. */
#define CASE_FACTS(r) \
    "SELECT 'cases_reported' AS f UNION ALL " \
    "SELECT 'cases_closed' WHERE " r ".status = 7 UNION ALL " \
    "SELECT 'cases_closed_on_time' WHERE " r ".status = 7 AND " r ".handled_at > 0 AND " \
    r ".handled_at <= " r ".handle_due UNION ALL " \
    "SELECT 'hazards_reported' WHERE " r ".category IN " HAZARD " UNION ALL " \
    "SELECT 'hazards_closed' WHERE " r ".category IN " HAZARD " AND " r ".status = 7"
/* The same as a join condition over the names t.f, for the backfill (no LATERAL on SQLite). */
#define CASE_NAMES \
    "(SELECT 'cases_reported' AS f UNION ALL SELECT 'cases_closed' UNION ALL " \
    "SELECT 'cases_closed_on_time' UNION ALL SELECT 'hazards_reported' UNION ALL " \
    "SELECT 'hazards_closed')"
#define CASE_JOIN(r) \
    "(t.f = 'cases_reported' OR (t.f = 'cases_closed' AND " r ".status = 7) OR " \
    "(t.f = 'cases_closed_on_time' AND " r ".status = 7 AND " r ".handled_at > 0 AND " \
    r ".handled_at <= " r ".handle_due) OR (t.f = 'hazards_reported' AND " r ".category IN " \
    HAZARD ") OR (t.f = 'hazards_closed' AND " r ".category IN " HAZARD " AND " r ".status = 7))"
#define RECT_NAMES "(SELECT 'rectifications' AS f UNION ALL SELECT 'rectifications_verified')"
#define RECT_JOIN(r) "(t.f = 'rectifications' OR " r ".status = 'verified')"
#define COMMIT_NAMES "(SELECT 'commitments_due' AS f UNION ALL SELECT 'commitments_kept')"
#define COMMIT_JOIN(r) "(t.f = 'commitments_due' OR " r ".status IN " KEPT ")"
#define BACKFILL(MONTH) \
    "INSERT INTO indicator_facts(fact, period, region_code, n) " \
    "SELECT t.f, " MONTH("c.created_at") ", c.region_code, count(*) FROM cases c " \
    "JOIN " CASE_NAMES " t ON " CASE_JOIN("c") " GROUP BY 1, 2, 3;" \
    "INSERT INTO indicator_facts(fact, period, region_code, n) " \
    "SELECT CASE WHEN g.k = 1 THEN 'ratings' ELSE 'ratings_good' END, " MONTH("e.at") ", " \
    "c.region_code, count(*) FROM case_events e JOIN cases c ON c.id = e.case_id " \
    "JOIN (SELECT 1 AS k UNION ALL SELECT 2) g ON g.k = 1 OR e.rating IN (1, 2) " \
    "WHERE e.rating <> 0 GROUP BY 1, 2, 3;" \
    "INSERT INTO indicator_facts(fact, period, region_code, n) " \
    "SELECT t.f, " MONTH("x.created_at") ", x.region_code, count(*) FROM rectifications x " \
    "JOIN " RECT_NAMES " t ON " RECT_JOIN("x") " GROUP BY 1, 2, 3;" \
    "INSERT INTO indicator_facts(fact, period, region_code, n) " \
    "SELECT t.f, " DEADLINE_MONTH("m.deadline") ", p.region_code, count(*) FROM " \
    "pairing_commitments m JOIN pairings p ON p.id = m.pairing_id " \
    "JOIN " COMMIT_NAMES " t ON " COMMIT_JOIN("m") " GROUP BY 1, 2, 3;" \
    "INSERT INTO indicator_facts(fact, period, region_code, n) " \
    "SELECT 'residents_active', 0, region_code, count(*) FROM residents WHERE status = 'active' " \
    "GROUP BY 3;" \
    "INSERT INTO indicator_facts(fact, period, region_code, n) " \
    "SELECT 'houses', 0, region_code, count(*) FROM houses GROUP BY 3;" \
    "INSERT INTO sweep_house_counts(sweep_id, region_code, n) " \
    "SELECT sweep_id, region_code, count(DISTINCT house_id) FROM sweep_visits " \
    "WHERE outcome = 'visited' GROUP BY 1, 2;"
#define RECT_FACTS(r) \
    "SELECT 'rectifications' AS f UNION ALL " \
    "SELECT 'rectifications_verified' WHERE " r ".status = 'verified'"
#define COMMIT_FACTS(r) \
    "SELECT 'commitments_due' AS f UNION ALL " \
    "SELECT 'commitments_kept' WHERE " r ".status IN " KEPT

/* SQLite: add (sign +) or take away (-) the facts of a set at one period and region. */
#define SQ_ADD(facts, period, region) \
    "INSERT INTO indicator_facts(fact, period, region_code, n) SELECT t.f, " period ", " region \
    ", 1 FROM (" facts ") t WHERE true " \
    "ON CONFLICT(fact, period, region_code) DO UPDATE SET n = n + 1; "
#define SQ_SUB(facts, period, region) \
    "UPDATE indicator_facts SET n = n - 1 WHERE period = " period " AND region_code = " region \
    " AND fact IN (SELECT t.f FROM (" facts ") t); "
#define SQ_ONE(sign, fact, period, region, cond) \
    "INSERT INTO indicator_facts(fact, period, region_code, n) SELECT '" fact "', " period ", " \
    region ", " sign "1 WHERE " cond " " \
    "ON CONFLICT(fact, period, region_code) DO UPDATE SET n = n + excluded.n; "
#define PAIRING_REGION(r) "(SELECT p.region_code FROM pairings p WHERE p.id = " r ".pairing_id)"

const char store_migration_20[] =
    TABLES("INTEGER PRIMARY KEY", "INTEGER", "REAL", "", " WITHOUT ROWID")
    BACKFILL(SQ_MONTH)
    /* cases */
    "CREATE TRIGGER indicator_cases_insert AFTER INSERT ON cases BEGIN "
    SQ_ADD(CASE_FACTS("NEW"), SQ_MONTH("NEW.created_at"), "NEW.region_code") "END;"
    "CREATE TRIGGER indicator_cases_update AFTER UPDATE ON cases WHEN "
    "OLD.status IS NOT NEW.status OR OLD.region_code IS NOT NEW.region_code OR "
    "OLD.category IS NOT NEW.category OR OLD.created_at IS NOT NEW.created_at OR "
    "OLD.handled_at IS NOT NEW.handled_at OR OLD.handle_due IS NOT NEW.handle_due BEGIN "
    SQ_SUB(CASE_FACTS("OLD"), SQ_MONTH("OLD.created_at"), "OLD.region_code")
    SQ_ADD(CASE_FACTS("NEW"), SQ_MONTH("NEW.created_at"), "NEW.region_code") "END;"
    "CREATE TRIGGER indicator_cases_delete AFTER DELETE ON cases BEGIN "
    SQ_SUB(CASE_FACTS("OLD"), SQ_MONTH("OLD.created_at"), "OLD.region_code") "END;"
    /* ratings: a timeline entry is never changed or deleted */
    "CREATE TRIGGER indicator_ratings AFTER INSERT ON case_events WHEN NEW.rating <> 0 BEGIN "
    "INSERT INTO indicator_facts(fact, period, region_code, n) SELECT t.f, " SQ_MONTH("NEW.at")
    ", c.region_code, 1 FROM cases c JOIN (SELECT 'ratings' AS f UNION ALL SELECT "
    "'ratings_good' WHERE NEW.rating IN (1, 2)) t WHERE c.id = NEW.case_id "
    "ON CONFLICT(fact, period, region_code) DO UPDATE SET n = n + 1; END;"
    /* rectification items */
    "CREATE TRIGGER indicator_rect_insert AFTER INSERT ON rectifications BEGIN "
    SQ_ADD(RECT_FACTS("NEW"), SQ_MONTH("NEW.created_at"), "NEW.region_code") "END;"
    "CREATE TRIGGER indicator_rect_update AFTER UPDATE ON rectifications WHEN "
    "OLD.status IS NOT NEW.status OR OLD.region_code IS NOT NEW.region_code OR "
    "OLD.created_at IS NOT NEW.created_at BEGIN "
    SQ_SUB(RECT_FACTS("OLD"), SQ_MONTH("OLD.created_at"), "OLD.region_code")
    SQ_ADD(RECT_FACTS("NEW"), SQ_MONTH("NEW.created_at"), "NEW.region_code") "END;"
    "CREATE TRIGGER indicator_rect_delete AFTER DELETE ON rectifications BEGIN "
    SQ_SUB(RECT_FACTS("OLD"), SQ_MONTH("OLD.created_at"), "OLD.region_code") "END;"
    /* pairing commitments, in their pairing's region */
    "CREATE TRIGGER indicator_commit_insert AFTER INSERT ON pairing_commitments BEGIN "
    SQ_ADD(COMMIT_FACTS("NEW"), DEADLINE_MONTH("NEW.deadline"), PAIRING_REGION("NEW")) "END;"
    "CREATE TRIGGER indicator_commit_update AFTER UPDATE ON pairing_commitments WHEN "
    "OLD.status IS NOT NEW.status OR OLD.deadline IS NOT NEW.deadline OR "
    "OLD.pairing_id IS NOT NEW.pairing_id BEGIN "
    SQ_SUB(COMMIT_FACTS("OLD"), DEADLINE_MONTH("OLD.deadline"), PAIRING_REGION("OLD"))
    SQ_ADD(COMMIT_FACTS("NEW"), DEADLINE_MONTH("NEW.deadline"), PAIRING_REGION("NEW")) "END;"
    "CREATE TRIGGER indicator_commit_delete AFTER DELETE ON pairing_commitments BEGIN "
    SQ_SUB(COMMIT_FACTS("OLD"), DEADLINE_MONTH("OLD.deadline"), PAIRING_REGION("OLD")) "END;"
    /* stocks */
    "CREATE TRIGGER indicator_residents_insert AFTER INSERT ON residents BEGIN "
    SQ_ONE("", "residents_active", "0", "NEW.region_code", "NEW.status = 'active'") "END;"
    "CREATE TRIGGER indicator_residents_update AFTER UPDATE ON residents WHEN "
    "OLD.status IS NOT NEW.status OR OLD.region_code IS NOT NEW.region_code BEGIN "
    SQ_ONE("-", "residents_active", "0", "OLD.region_code", "OLD.status = 'active'")
    SQ_ONE("", "residents_active", "0", "NEW.region_code", "NEW.status = 'active'") "END;"
    "CREATE TRIGGER indicator_residents_delete AFTER DELETE ON residents BEGIN "
    SQ_ONE("-", "residents_active", "0", "OLD.region_code", "OLD.status = 'active'") "END;"
    "CREATE TRIGGER indicator_houses_insert AFTER INSERT ON houses BEGIN "
    SQ_ONE("", "houses", "0", "NEW.region_code", "true") "END;"
    "CREATE TRIGGER indicator_houses_update AFTER UPDATE ON houses WHEN "
    "OLD.region_code IS NOT NEW.region_code BEGIN "
    SQ_ONE("-", "houses", "0", "OLD.region_code", "true")
    SQ_ONE("", "houses", "0", "NEW.region_code", "true") "END;"
    "CREATE TRIGGER indicator_houses_delete AFTER DELETE ON houses BEGIN "
    SQ_ONE("-", "houses", "0", "OLD.region_code", "true") "END;"
    /* sweep visits: a house counts once per sweep, at its first visit that found someone */
    "CREATE TRIGGER indicator_sweep_visit AFTER INSERT ON sweep_visits "
    "WHEN NEW.outcome = 'visited' AND NOT EXISTS (SELECT 1 FROM sweep_visits v WHERE "
    "v.sweep_id = NEW.sweep_id AND v.house_id = NEW.house_id AND v.outcome = 'visited' AND "
    "v.id <> NEW.id) BEGIN "
    "INSERT INTO sweep_house_counts(sweep_id, region_code, n) VALUES (NEW.sweep_id, "
    "NEW.region_code, 1) ON CONFLICT(sweep_id, region_code) DO UPDATE SET n = n + 1; END;"
    /* manual figures count once approved */
    "CREATE TRIGGER indicator_figures_insert AFTER INSERT ON indicator_figures "
    "WHEN NEW.status = 'approved' BEGIN "
    "INSERT INTO indicator_facts(fact, period, region_code, n) VALUES (NEW.fact, NEW.period, "
    "NEW.region_code, NEW.value) ON CONFLICT(fact, period, region_code) DO UPDATE SET "
    "n = n + excluded.n; END;"
    "CREATE TRIGGER indicator_figures_update AFTER UPDATE ON indicator_figures BEGIN "
    "UPDATE indicator_facts SET n = n - OLD.value WHERE OLD.status = 'approved' AND "
    "fact = OLD.fact AND period = OLD.period AND region_code = OLD.region_code; "
    "INSERT INTO indicator_facts(fact, period, region_code, n) SELECT NEW.fact, NEW.period, "
    "NEW.region_code, NEW.value WHERE NEW.status = 'approved' "
    "ON CONFLICT(fact, period, region_code) DO UPDATE SET n = n + excluded.n; END;"
    "CREATE TRIGGER indicator_figures_delete AFTER DELETE ON indicator_figures BEGIN "
    "UPDATE indicator_facts SET n = n - OLD.value WHERE OLD.status = 'approved' AND "
    "fact = OLD.fact AND period = OLD.period AND region_code = OLD.region_code; END;";

/* PostgreSQL: the same tables and one function per table that adds (s = 1) or takes away
 * (s = -1) a row's contribution. */
#define PG_FACT(fact, period, region, s) \
    "PERFORM indicator_fact_add(" fact ", " period ", " region ", " s "); "

const char store_migration_20_pg[] =
    TABLES("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BIGINT", "DOUBLE PRECISION",
           " COLLATE \"C\"", "")
    BACKFILL(PG_MONTH)
    "CREATE FUNCTION indicator_fact_add(f TEXT, p BIGINT, code TEXT, s BIGINT) "
    "RETURNS void LANGUAGE sql AS $$ "
    "  INSERT INTO indicator_facts(fact, period, region_code, n) VALUES (f, p, code, s) "
    "  ON CONFLICT(fact, period, region_code) DO UPDATE SET n = indicator_facts.n + s $$;"
    "CREATE FUNCTION indicator_case_add(c cases, s BIGINT) RETURNS void LANGUAGE plpgsql AS $$ "
    "DECLARE p BIGINT := " PG_MONTH("c.created_at") "; BEGIN "
    PG_FACT("'cases_reported'", "p", "c.region_code", "s")
    "  IF c.status = 7 THEN " PG_FACT("'cases_closed'", "p", "c.region_code", "s")
    "    IF c.handled_at > 0 AND c.handled_at <= c.handle_due THEN "
    PG_FACT("'cases_closed_on_time'", "p", "c.region_code", "s") " END IF; "
    "  END IF; "
    "  IF c.category IN " HAZARD " THEN " PG_FACT("'hazards_reported'", "p", "c.region_code", "s")
    "    IF c.status = 7 THEN " PG_FACT("'hazards_closed'", "p", "c.region_code", "s") " END IF; "
    "  END IF; "
    "END $$;"
    "CREATE FUNCTION indicator_cases_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "  IF TG_OP <> 'INSERT' THEN PERFORM indicator_case_add(OLD, -1); END IF; "
    "  IF TG_OP <> 'DELETE' THEN PERFORM indicator_case_add(NEW, 1); END IF; "
    "  RETURN NULL; "
    "END $$;"
    "CREATE TRIGGER indicator_cases_insert AFTER INSERT ON cases FOR EACH ROW "
    "  EXECUTE FUNCTION indicator_cases_trigger();"
    "CREATE TRIGGER indicator_cases_update AFTER UPDATE ON cases FOR EACH ROW "
    "  WHEN (OLD.status <> NEW.status OR OLD.region_code IS DISTINCT FROM NEW.region_code OR "
    "        OLD.category IS DISTINCT FROM NEW.category OR OLD.created_at <> NEW.created_at OR "
    "        OLD.handled_at <> NEW.handled_at OR OLD.handle_due <> NEW.handle_due) "
    "  EXECUTE FUNCTION indicator_cases_trigger();"
    "CREATE TRIGGER indicator_cases_delete AFTER DELETE ON cases FOR EACH ROW "
    "  EXECUTE FUNCTION indicator_cases_trigger();"
    "CREATE FUNCTION indicator_ratings_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "DECLARE code TEXT; BEGIN "
    "  SELECT region_code INTO code FROM cases WHERE id = NEW.case_id; "
    "  IF code IS NOT NULL THEN "
    PG_FACT("'ratings'", PG_MONTH("NEW.at"), "code", "1")
    "    IF NEW.rating IN (1, 2) THEN " PG_FACT("'ratings_good'", PG_MONTH("NEW.at"), "code", "1")
    "    END IF; "
    "  END IF; "
    "  RETURN NULL; "
    "END $$;"
    "CREATE TRIGGER indicator_ratings AFTER INSERT ON case_events FOR EACH ROW "
    "  WHEN (NEW.rating <> 0) EXECUTE FUNCTION indicator_ratings_trigger();"
    "CREATE FUNCTION indicator_rect_add(x rectifications, s BIGINT) RETURNS void "
    "LANGUAGE plpgsql AS $$ BEGIN "
    PG_FACT("'rectifications'", PG_MONTH("x.created_at"), "x.region_code", "s")
    "  IF x.status = 'verified' THEN "
    PG_FACT("'rectifications_verified'", PG_MONTH("x.created_at"), "x.region_code", "s")
    "  END IF; "
    "END $$;"
    "CREATE FUNCTION indicator_rect_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "  IF TG_OP <> 'INSERT' THEN PERFORM indicator_rect_add(OLD, -1); END IF; "
    "  IF TG_OP <> 'DELETE' THEN PERFORM indicator_rect_add(NEW, 1); END IF; "
    "  RETURN NULL; "
    "END $$;"
    "CREATE TRIGGER indicator_rect_insert AFTER INSERT ON rectifications FOR EACH ROW "
    "  EXECUTE FUNCTION indicator_rect_trigger();"
    "CREATE TRIGGER indicator_rect_update AFTER UPDATE ON rectifications FOR EACH ROW "
    "  WHEN (OLD.status <> NEW.status OR OLD.region_code IS DISTINCT FROM NEW.region_code OR "
    "        OLD.created_at <> NEW.created_at) EXECUTE FUNCTION indicator_rect_trigger();"
    "CREATE TRIGGER indicator_rect_delete AFTER DELETE ON rectifications FOR EACH ROW "
    "  EXECUTE FUNCTION indicator_rect_trigger();"
    "CREATE FUNCTION indicator_commit_add(m pairing_commitments, s BIGINT) RETURNS void "
    "LANGUAGE plpgsql AS $$ DECLARE code TEXT; p BIGINT := " DEADLINE_MONTH("m.deadline") "; "
    "BEGIN "
    "  SELECT region_code INTO code FROM pairings WHERE id = m.pairing_id; "
    "  IF code IS NOT NULL THEN "
    PG_FACT("'commitments_due'", "p", "code", "s")
    "    IF m.status IN " KEPT " THEN " PG_FACT("'commitments_kept'", "p", "code", "s") " END IF; "
    "  END IF; "
    "END $$;"
    "CREATE FUNCTION indicator_commit_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "  IF TG_OP <> 'INSERT' THEN PERFORM indicator_commit_add(OLD, -1); END IF; "
    "  IF TG_OP <> 'DELETE' THEN PERFORM indicator_commit_add(NEW, 1); END IF; "
    "  RETURN NULL; "
    "END $$;"
    "CREATE TRIGGER indicator_commit_insert AFTER INSERT ON pairing_commitments FOR EACH ROW "
    "  EXECUTE FUNCTION indicator_commit_trigger();"
    "CREATE TRIGGER indicator_commit_update AFTER UPDATE ON pairing_commitments FOR EACH ROW "
    "  WHEN (OLD.status <> NEW.status OR OLD.deadline <> NEW.deadline OR "
    "        OLD.pairing_id <> NEW.pairing_id) EXECUTE FUNCTION indicator_commit_trigger();"
    "CREATE TRIGGER indicator_commit_delete AFTER DELETE ON pairing_commitments FOR EACH ROW "
    "  EXECUTE FUNCTION indicator_commit_trigger();"
    "CREATE FUNCTION indicator_stock_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "  IF TG_TABLE_NAME = 'residents' THEN "
    "    IF TG_OP <> 'INSERT' AND OLD.status = 'active' THEN "
    PG_FACT("'residents_active'", "0", "OLD.region_code", "-1") " END IF; "
    "    IF TG_OP <> 'DELETE' AND NEW.status = 'active' THEN "
    PG_FACT("'residents_active'", "0", "NEW.region_code", "1") " END IF; "
    "  ELSE "
    "    IF TG_OP <> 'INSERT' THEN " PG_FACT("'houses'", "0", "OLD.region_code", "-1") " END IF; "
    "    IF TG_OP <> 'DELETE' THEN " PG_FACT("'houses'", "0", "NEW.region_code", "1") " END IF; "
    "  END IF; "
    "  RETURN NULL; "
    "END $$;"
    "CREATE TRIGGER indicator_residents_insert AFTER INSERT ON residents FOR EACH ROW "
    "  EXECUTE FUNCTION indicator_stock_trigger();"
    "CREATE TRIGGER indicator_residents_update AFTER UPDATE ON residents FOR EACH ROW "
    "  WHEN (OLD.status <> NEW.status OR OLD.region_code <> NEW.region_code) "
    "  EXECUTE FUNCTION indicator_stock_trigger();"
    "CREATE TRIGGER indicator_residents_delete AFTER DELETE ON residents FOR EACH ROW "
    "  EXECUTE FUNCTION indicator_stock_trigger();"
    "CREATE TRIGGER indicator_houses_insert AFTER INSERT ON houses FOR EACH ROW "
    "  EXECUTE FUNCTION indicator_stock_trigger();"
    "CREATE TRIGGER indicator_houses_update AFTER UPDATE ON houses FOR EACH ROW "
    "  WHEN (OLD.region_code <> NEW.region_code) EXECUTE FUNCTION indicator_stock_trigger();"
    "CREATE TRIGGER indicator_houses_delete AFTER DELETE ON houses FOR EACH ROW "
    "  EXECUTE FUNCTION indicator_stock_trigger();"
    "CREATE FUNCTION indicator_sweep_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "  IF NOT EXISTS (SELECT 1 FROM sweep_visits v WHERE v.sweep_id = NEW.sweep_id AND "
    "      v.house_id = NEW.house_id AND v.outcome = 'visited' AND v.id <> NEW.id) THEN "
    "    INSERT INTO sweep_house_counts(sweep_id, region_code, n) VALUES (NEW.sweep_id, "
    "    NEW.region_code, 1) ON CONFLICT(sweep_id, region_code) DO UPDATE SET "
    "    n = sweep_house_counts.n + 1; "
    "  END IF; "
    "  RETURN NULL; "
    "END $$;"
    "CREATE TRIGGER indicator_sweep_visit AFTER INSERT ON sweep_visits FOR EACH ROW "
    "  WHEN (NEW.outcome = 'visited') EXECUTE FUNCTION indicator_sweep_trigger();"
    "CREATE FUNCTION indicator_figures_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "  IF TG_OP <> 'INSERT' AND OLD.status = 'approved' THEN "
    PG_FACT("OLD.fact", "OLD.period", "OLD.region_code", "-OLD.value") " END IF; "
    "  IF TG_OP <> 'DELETE' AND NEW.status = 'approved' THEN "
    PG_FACT("NEW.fact", "NEW.period", "NEW.region_code", "NEW.value") " END IF; "
    "  RETURN NULL; "
    "END $$;"
    "CREATE TRIGGER indicator_figures_insert AFTER INSERT ON indicator_figures FOR EACH ROW "
    "  WHEN (NEW.status = 'approved') EXECUTE FUNCTION indicator_figures_trigger();"
    "CREATE TRIGGER indicator_figures_update AFTER UPDATE ON indicator_figures FOR EACH ROW "
    "  EXECUTE FUNCTION indicator_figures_trigger();"
    "CREATE TRIGGER indicator_figures_delete AFTER DELETE ON indicator_figures FOR EACH ROW "
    "  EXECUTE FUNCTION indicator_figures_trigger();";
// clang-format on
