/* Migration 15: the dashboard's counts at every level of the region tree, kept by the
 * database as cases change, so a district's tiles read a few hundred rows, not its open
 * cases. */
#include "store/migrations/migrations.h"

// clang-format off
/* Every table is keyed first by len, the length of region_code (6 district, 9 street, 12
 * community, 15 grid: region_levels lists them), and holds a row for each region a case lies
 * in, not only its grid, so "the streets of this district" is one contiguous key range.
 *
 * case_open_counts: open cases (neither rejected, 2, nor closed, 7) and how many of them are
 * supervised, per region and category.
 * case_open_due: open cases per region and UTC day (t / 86400) of two instants — kind 0 the
 * deadline of the state (acceptance while reported, status 0; handling after), kind 1 the
 * instant the case turns yellow (80 % of the time allowed, the rule of
 * store/command/dashboard.c). Overdue at now = the kind-0 rows of days before today plus the
 * open cases due today before now, read from the expression index cases_due_at; the same for
 * yellow with cases_warn_at. A row that falls to zero is deleted.
 * case_rollup_days: case_days (migration 13) at every level, keyed region first.
 *
 * Each is a function of the cases rows alone: the triggers take a row's old contribution
 * away and add its new one in the same transaction as the write, and the API tests compare
 * them with a recount (tests/api/dashboard.test.mjs). */
#define DUE(r) "(CASE WHEN " r ".status = 0 THEN " r ".accept_due ELSE " r ".handle_due END)"
#define WARN(r)                                                                                    \
	"(CASE WHEN " r ".created_at > " DUE(r) " THEN " DUE(r) " + 1 ELSE (4 * " DUE(r) " + "     \
	r ".created_at + 4) / 5 END)"
#define LEVELS(r) "FROM region_levels l WHERE l.len <= length(" r ".region_code)"
#define AT_LEVEL(r) "len IN (SELECT len " LEVELS(r) ") AND region_code = substr(" r ".region_code, 1, len)"
#define OPEN(r) r ".status NOT IN (2, 7)"

/* The contribution of row r (NEW or OLD) added (SQLite trigger statements). */
#define ADD(r)                                                                                     \
	"INSERT INTO case_rollup_days(len, region_code, day, category, reported, closed) "         \
	"  SELECT l.len, substr(" r ".region_code, 1, l.len), (" r ".created_at + 28800) / 86400, " \
	     r ".category, 1, 0 " LEVELS(r) " "                                                    \
	"  ON CONFLICT(len, region_code, day, category) DO UPDATE SET reported = reported + 1; "    \
	"INSERT INTO case_rollup_days(len, region_code, day, category, reported, closed) "         \
	"  SELECT l.len, substr(" r ".region_code, 1, l.len), (" r ".closed_at + 28800) / 86400, "  \
	     r ".category, 0, 1 " LEVELS(r) " AND " r ".status = 7 "                               \
	"  ON CONFLICT(len, region_code, day, category) DO UPDATE SET closed = closed + 1; "        \
	"INSERT INTO case_open_counts(len, region_code, category, open, supervised) "              \
	"  SELECT l.len, substr(" r ".region_code, 1, l.len), " r ".category, 1, " r ".supervised " \
	     LEVELS(r) " AND " OPEN(r) " "                                                         \
	"  ON CONFLICT(len, region_code, category) DO UPDATE SET open = open + 1, "               \
	"    supervised = supervised + excluded.supervised; "                                     \
	"INSERT INTO case_open_due(len, region_code, kind, day, n) "                               \
	"  SELECT l.len, substr(" r ".region_code, 1, l.len), 0, " DUE(r) " / 86400, 1 "           \
	     LEVELS(r) " AND " OPEN(r) " "                                                         \
	"  ON CONFLICT(len, region_code, kind, day) DO UPDATE SET n = n + 1; "                     \
	"INSERT INTO case_open_due(len, region_code, kind, day, n) "                               \
	"  SELECT l.len, substr(" r ".region_code, 1, l.len), 1, " WARN(r) " / 86400, 1 "          \
	     LEVELS(r) " AND " OPEN(r) " "                                                         \
	"  ON CONFLICT(len, region_code, kind, day) DO UPDATE SET n = n + 1; "

/* The contribution of row r taken away. */
#define SUB(r)                                                                                     \
	"UPDATE case_rollup_days SET reported = reported - 1 WHERE " AT_LEVEL(r) " "               \
	"  AND day = (" r ".created_at + 28800) / 86400 AND category = " r ".category; "            \
	"UPDATE case_rollup_days SET closed = closed - 1 WHERE " r ".status = 7 AND " AT_LEVEL(r)  \
	"  AND day = (" r ".closed_at + 28800) / 86400 AND category = " r ".category; "             \
	"UPDATE case_open_counts SET open = open - 1, supervised = supervised - " r ".supervised "  \
	"  WHERE " OPEN(r) " AND " AT_LEVEL(r) " AND category = " r ".category; "                  \
	"UPDATE case_open_due SET n = n - 1 WHERE " OPEN(r) " AND " AT_LEVEL(r) " "                \
	"  AND ((kind = 0 AND day = " DUE(r) " / 86400) OR (kind = 1 AND day = " WARN(r) " / 86400)); " \
	"DELETE FROM case_open_due WHERE n = 0 AND " OPEN(r) " AND " AT_LEVEL(r) " "               \
	"  AND ((kind = 0 AND day = " DUE(r) " / 86400) OR (kind = 1 AND day = " WARN(r) " / 86400)); "

/* The columns whose change moves a row's contribution. */
#define CHANGED(o, n)                                                                              \
	o ".status IS NOT " n ".status OR " o ".region_code IS NOT " n ".region_code OR "            \
	o ".category IS NOT " n ".category OR " o ".supervised IS NOT " n ".supervised OR "          \
	o ".accept_due IS NOT " n ".accept_due OR " o ".handle_due IS NOT " n ".handle_due OR "      \
	o ".created_at IS NOT " n ".created_at OR " o ".closed_at IS NOT " n ".closed_at"

#define TABLES(ROWID, INT)                                                                              \
	"CREATE TABLE region_levels(len " LEVEL_KEY ");"                                   \
	"INSERT INTO region_levels(len) VALUES (6), (9), (12), (15);"                              \
	"CREATE TABLE case_open_counts("                                                           \
	"  len " INT " NOT NULL,"                                                                  \
	"  region_code TEXT" ROWID_C " NOT NULL,"                                                  \
	"  category TEXT" ROWID_C " NOT NULL,"                                                     \
	"  open " INT " NOT NULL DEFAULT 0,"                                                       \
	"  supervised " INT " NOT NULL DEFAULT 0,"                                                 \
	"  PRIMARY KEY(len, region_code, category))" ROWID ";"                                    \
	"CREATE TABLE case_open_due("                                                              \
	"  len " INT " NOT NULL,"                                                                  \
	"  region_code TEXT" ROWID_C " NOT NULL,"                                                  \
	"  kind " INT " NOT NULL,"                                                                 \
	"  day " INT " NOT NULL,"                                                                  \
	"  n " INT " NOT NULL DEFAULT 0,"                                                          \
	"  PRIMARY KEY(len, region_code, kind, day))" ROWID ";"                                   \
	"CREATE TABLE case_rollup_days("                                                           \
	"  len " INT " NOT NULL,"                                                                  \
	"  region_code TEXT" ROWID_C " NOT NULL,"                                                  \
	"  day " INT " NOT NULL,"                                                                  \
	"  category TEXT" ROWID_C " NOT NULL,"                                                     \
	"  reported " INT " NOT NULL DEFAULT 0,"                                                   \
	"  closed " INT " NOT NULL DEFAULT 0,"                                                     \
	"  PRIMARY KEY(len, region_code, day, category))" ROWID ";"                               \
	/* the rows of the cases there are now */                                                  \
	"INSERT INTO case_rollup_days(len, region_code, day, category, reported, closed) "         \
	"  SELECT l.len, substr(c.region_code, 1, CAST(l.len AS INTEGER)), (c.created_at + 28800) / 86400, "        \
	"    c.category, count(*), 0 FROM cases c JOIN region_levels l "                           \
	"    ON l.len <= length(c.region_code) GROUP BY 1, 2, 3, 4;"                               \
	"INSERT INTO case_rollup_days(len, region_code, day, category, reported, closed) "         \
	"  SELECT l.len, substr(c.region_code, 1, CAST(l.len AS INTEGER)), (c.closed_at + 28800) / 86400, "         \
	"    c.category, 0, count(*) FROM cases c JOIN region_levels l "                           \
	"    ON l.len <= length(c.region_code) WHERE c.status = 7 GROUP BY 1, 2, 3, 4 "            \
	"  ON CONFLICT(len, region_code, day, category) DO UPDATE SET closed = excluded.closed;"   \
	"INSERT INTO case_open_counts(len, region_code, category, open, supervised) "              \
	"  SELECT l.len, substr(c.region_code, 1, CAST(l.len AS INTEGER)), c.category, count(*), sum(c.supervised) " \
	"    FROM cases c JOIN region_levels l ON l.len <= length(c.region_code) "                 \
	"    WHERE " OPEN("c") " GROUP BY 1, 2, 3;"                                                \
	"INSERT INTO case_open_due(len, region_code, kind, day, n) "                               \
	"  SELECT l.len, substr(c.region_code, 1, CAST(l.len AS INTEGER)), 0, " DUE("c") " / 86400, count(*) "      \
	"    FROM cases c JOIN region_levels l ON l.len <= length(c.region_code) "                 \
	"    WHERE " OPEN("c") " GROUP BY 1, 2, 3, 4;"                                             \
	"INSERT INTO case_open_due(len, region_code, kind, day, n) "                               \
	"  SELECT l.len, substr(c.region_code, 1, CAST(l.len AS INTEGER)), 1, " WARN("c") " / 86400, count(*) "     \
	"    FROM cases c JOIN region_levels l ON l.len <= length(c.region_code) "                 \
	"    WHERE " OPEN("c") " GROUP BY 1, 2, 3, 4;"                                             \
	/* today's part of overdue and yellow: the open cases due (turning yellow) in a range */   \
	"CREATE INDEX cases_due_at ON cases((CASE WHEN status = 0 THEN accept_due ELSE handle_due END), " \
	"  region_code) WHERE status NOT IN (2, 7);"                                               \
	"CREATE INDEX cases_warn_at ON cases((CASE WHEN created_at > (CASE WHEN status = 0 THEN "  \
	"  accept_due ELSE handle_due END) THEN (CASE WHEN status = 0 THEN accept_due ELSE "       \
	"  handle_due END) + 1 ELSE (4 * (CASE WHEN status = 0 THEN accept_due ELSE handle_due "  \
	"  END) + created_at + 4) / 5 END), region_code) WHERE status NOT IN (2, 7);"

#define ROWID_C ""
#define LEVEL_KEY "INTEGER PRIMARY KEY"
const char store_migration_15[] =
    TABLES(" WITHOUT ROWID", "INTEGER")
    "CREATE TRIGGER case_rollup_insert AFTER INSERT ON cases BEGIN " ADD("NEW") "END;"
    "CREATE TRIGGER case_rollup_update AFTER UPDATE ON cases WHEN " CHANGED("OLD", "NEW") " BEGIN "
    SUB("OLD") ADD("NEW") "END;"
    "CREATE TRIGGER case_rollup_delete AFTER DELETE ON cases BEGIN " SUB("OLD") "END;";
#undef ROWID_C

/* PostgreSQL: the same tables (codes in the "C" collation, so a prefix range is a byte
 * range, as on SQLite) and one function that adds or takes away a row's contribution. */
#define ROWID_C " COLLATE \"C\""
#undef LEVEL_KEY
/* SQLite's INTEGER PRIMARY KEY is an identity (the schema comparison of test_migrate_pg.c) */
#define LEVEL_KEY "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
const char store_migration_15_pg[] =
    TABLES("", "BIGINT")
    "CREATE FUNCTION case_rollup_add(c cases, s BIGINT) RETURNS void LANGUAGE plpgsql AS $$ "
    "DECLARE l BIGINT; code TEXT; due BIGINT; warn BIGINT; "
    "BEGIN "
    "  due := " DUE("c") "; "
    "  warn := CASE WHEN c.created_at > due THEN due + 1 ELSE (4 * due + c.created_at + 4) / 5 END; "
    "  FOR l IN SELECT len FROM region_levels WHERE len <= length(c.region_code) ORDER BY len LOOP "
    "    code := substr(c.region_code, 1, l::int); "
    "    INSERT INTO case_rollup_days(len, region_code, day, category, reported, closed) "
    "    VALUES (l, code, (c.created_at + 28800) / 86400, c.category, s, 0) "
    "    ON CONFLICT(len, region_code, day, category) "
    "    DO UPDATE SET reported = case_rollup_days.reported + s; "
    "    IF c.status = 7 THEN "
    "      INSERT INTO case_rollup_days(len, region_code, day, category, reported, closed) "
    "      VALUES (l, code, (c.closed_at + 28800) / 86400, c.category, 0, s) "
    "      ON CONFLICT(len, region_code, day, category) "
    "      DO UPDATE SET closed = case_rollup_days.closed + s; "
    "    END IF; "
    "    IF c.status NOT IN (2, 7) THEN "
    "      INSERT INTO case_open_counts(len, region_code, category, open, supervised) "
    "      VALUES (l, code, c.category, s, s * c.supervised) "
    "      ON CONFLICT(len, region_code, category) DO UPDATE SET "
    "        open = case_open_counts.open + s, supervised = case_open_counts.supervised + s * c.supervised; "
    "      INSERT INTO case_open_due(len, region_code, kind, day, n) VALUES (l, code, 0, due / 86400, s) "
    "      ON CONFLICT(len, region_code, kind, day) DO UPDATE SET n = case_open_due.n + s; "
    "      INSERT INTO case_open_due(len, region_code, kind, day, n) VALUES (l, code, 1, warn / 86400, s) "
    "      ON CONFLICT(len, region_code, kind, day) DO UPDATE SET n = case_open_due.n + s; "
    "      IF s < 0 THEN "
    "        DELETE FROM case_open_due WHERE len = l AND region_code = code AND n = 0 "
    "          AND ((kind = 0 AND day = due / 86400) OR (kind = 1 AND day = warn / 86400)); "
    "      END IF; "
    "    END IF; "
    "  END LOOP; "
    "END $$;"
    "CREATE FUNCTION case_rollup_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "  IF TG_OP <> 'INSERT' THEN PERFORM case_rollup_add(OLD, -1); END IF; "
    "  IF TG_OP <> 'DELETE' THEN PERFORM case_rollup_add(NEW, 1); END IF; "
    "  RETURN NULL; "
    "END $$;"
    "CREATE TRIGGER case_rollup_insert AFTER INSERT ON cases FOR EACH ROW "
    "  EXECUTE FUNCTION case_rollup_trigger();"
    "CREATE TRIGGER case_rollup_delete AFTER DELETE ON cases FOR EACH ROW "
    "  EXECUTE FUNCTION case_rollup_trigger();"
    "CREATE TRIGGER case_rollup_update AFTER UPDATE ON cases FOR EACH ROW "
    "  WHEN (OLD.status <> NEW.status OR OLD.region_code IS DISTINCT FROM NEW.region_code OR "
    "        OLD.category IS DISTINCT FROM NEW.category OR OLD.supervised <> NEW.supervised OR "
    "        OLD.accept_due <> NEW.accept_due OR OLD.handle_due <> NEW.handle_due OR "
    "        OLD.created_at <> NEW.created_at OR OLD.closed_at <> NEW.closed_at) "
    "  EXECUTE FUNCTION case_rollup_trigger();";
#undef ROWID_C
// clang-format on
