/* Store tests: the PostgreSQL schema is SQLite's. Both backends' migrations are run
 * (SQLite on a temporary file, PostgreSQL on a fresh database of the cluster at
 * $JICENG_TEST_PG_URL, e.g. from scripts/pg-cluster.sh) and compared: the same
 * tables, columns in the same order with the mapped types, nullability and defaults,
 * the same keys, unique constraints, foreign keys, indexes, triggers and seed rows.
 * Then what the PostgreSQL triggers do (refusals as constraint errors, photo
 * references), and nodes migrating one database at the same time. Without
 * $JICENG_TEST_PG_URL every test is skipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pthread.h>

#include "pg_fixture.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/stmt.h"

enum { MAX_LINES = 4096, LINE = 512 };

/* Lines of text (one per column, index, …), compared in order. */
struct lines {
	char *v[MAX_LINES];
	int n;
};

static void lines_add(struct lines *l, const char *s)
{
	assert_true(l->n < MAX_LINES);
	l->v[l->n] = strdup(s);
	assert_non_null(l->v[l->n]);
	l->n++;
}

static void lines_free(struct lines *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

static void lines_equal(const struct lines *sq, const struct lines *pg, const char *what)
{
	int n = sq->n < pg->n ? sq->n : pg->n;
	for (int i = 0; i < n; i++) {
		if (strcmp(sq->v[i], pg->v[i]) != 0) {
			fprintf(stderr, "%s differ at %d:\n  SQLite:     %s\n  PostgreSQL: %s\n",
			        what, i, sq->v[i], pg->v[i]);
			fail();
		}
	}
	if (sq->n != pg->n) {
		fprintf(stderr, "%s: SQLite has %d, PostgreSQL %d; next: %s\n", what, sq->n, pg->n,
		        sq->n > n ? sq->v[n] : pg->v[n]);
		fail();
	}
}

/* Each row of sql (ncols columns) as its columns' text joined by '|' (NULL as "-"). */
static void query_lines(struct db *db, const char *sql, int ncols, struct lines *out)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		fprintf(stderr, "cannot prepare: %s\n%s\n", db_errmsg(db), sql);
	assert_non_null(st);
	enum db_result r;
	while ((r = db_step(st)) == DB_ROW) {
		char line[LINE] = "";
		size_t len = 0;
		for (int c = 0; c < ncols; c++) {
			const char *t = db_col_null(st, c) ? "-" : db_col_text(st, c);
			len += (size_t)snprintf(line + len, sizeof line - len, "%s%s", c ? "|" : "",
			                        t);
			assert_true(len < sizeof line);
		}
		lines_add(out, line);
	}
	if (r != DB_DONE)
		fprintf(stderr, "query failed: %s\n%s\n", db_errmsg(db), sql);
	assert_int_equal(r, DB_DONE);
	db_done(st);
}

struct fixture {
	char dir[64];
	char sqlite_path[128];
	char pg_name[64];
	char pg_url[512];
	struct db *sq, *pg;
};

static int setup(void **state)
{
	if (!pg_base_url()) {
		fprintf(stderr, "test_migrate_pg: skipped: JICENG_TEST_PG_URL is unset "
		                "(scripts/pg-cluster.sh start DIR PORT prints a cluster's URL)\n");
		*state = NULL;
		return 0;
	}
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/jiceng-test-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->sqlite_path, sizeof f->sqlite_path, "%s/schema.db", f->dir);
	f->sq = open_url(f->sqlite_path);
	assert_true(store_migrate_run(f->sq));
	snprintf(f->pg_name, sizeof f->pg_name, "jiceng_schema_%ld", (long)getpid());
	pg_fresh_database(f->pg_name, f->pg_url, sizeof f->pg_url);
	f->pg = open_url(f->pg_url);
	assert_int_equal(db_kind(f->pg), DB_POSTGRES);
	assert_true(store_migrate_run(f->pg));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (!f)
		return 0;
	db_close(f->sq);
	db_close(f->pg);
	pg_drop_database(f->pg_name);
	unlink(f->sqlite_path);
	char wal[160];
	snprintf(wal, sizeof wal, "%s-wal", f->sqlite_path);
	unlink(wal);
	snprintf(wal, sizeof wal, "%s-shm", f->sqlite_path);
	unlink(wal);
	rmdir(f->dir);
	free(f);
	return 0;
}

#define FIXTURE(state)                                                                             \
	struct fixture *f = *(state);                                                              \
	if (!f) {                                                                                  \
		skip();                                                                            \
		return;                                                                            \
	}

/* ---- the catalogues, one line per thing, in the same words on both sides ---- */

/* SQLite's declared type as PostgreSQL's, the rowid alias as an identity. */
static const char *pg_type_of(const char *sqlite_type)
{
	if (strcmp(sqlite_type, "INTEGER") == 0)
		return "bigint";
	if (strcmp(sqlite_type, "TEXT") == 0)
		return "text";
	if (strcmp(sqlite_type, "REAL") == 0)
		return "double precision";
	if (strcmp(sqlite_type, "BLOB") == 0)
		return "bytea";
	return sqlite_type;
}

static const char SQLITE_TABLES[] = "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                    "name NOT LIKE 'sqlite_%' ORDER BY name";
static const char PG_TABLES[] =
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
    "AND table_type = 'BASE TABLE' AND table_name <> 'schema_version' "
    "ORDER BY table_name COLLATE \"C\"";

/* table.column type null|notnull default [identity] [C] */
static void sqlite_columns(struct db *db, struct lines *out)
{
	struct lines rows = {0};
	query_lines(db,
	            "SELECT m.name, p.name, p.type, p.\"notnull\" OR p.pk > 0, "
	            "coalesce(p.dflt_value, '-'), p.pk = 1 AND p.type = 'INTEGER' AND "
	            "(SELECT count(*) FROM pragma_table_info(m.name) WHERE pk > 0) = 1 "
	            "FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' "
	            "AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid",
	            6, &rows);
	for (int i = 0; i < rows.n; i++) {
		char *v[6], *s = rows.v[i];
		for (int k = 0; k < 6; k++)
			v[k] = strsep(&s, "|");
		char line[LINE];
		snprintf(line, sizeof line, "%s.%s %s %s %s%s%s", v[0], v[1], pg_type_of(v[2]),
		         strcmp(v[3], "1") == 0 ? "notnull" : "null",
		         strcmp(v[5], "1") == 0 ? "-" : v[4],
		         strcmp(v[5], "1") == 0 ? " identity" : "",
		         strcmp(v[2], "TEXT") == 0 ? " C" : "");
		lines_add(out, line);
	}
	lines_free(&rows);
}

static void pg_columns(struct db *db, struct lines *out)
{
	query_lines(db,
	            "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || "
	            "CASE is_nullable WHEN 'NO' THEN 'notnull' ELSE 'null' END || ' ' || "
	            "coalesce(regexp_replace(column_default, '::text$', ''), '-') || "
	            "CASE is_identity WHEN 'YES' THEN ' identity' ELSE '' END || "
	            "CASE WHEN collation_name = 'C' THEN ' C' ELSE '' END "
	            "FROM information_schema.columns WHERE table_schema = current_schema() "
	            "AND table_name <> 'schema_version' "
	            "ORDER BY table_name COLLATE \"C\", ordinal_position",
	            1, out);
}

/* Keys and unique constraints: "table primary|unique (cols)", sorted. */
static const char SQLITE_KEYS[] =
    "SELECT k FROM ("
    " SELECT m.name || ' primary (' || (SELECT group_concat(name, ',') FROM (SELECT name "
    "  FROM pragma_table_info(m.name) WHERE pk > 0 ORDER BY pk)) || ')' AS k "
    " FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' "
    " UNION ALL "
    " SELECT m.name || ' unique (' || (SELECT group_concat(name, ',') FROM (SELECT name "
    "  FROM pragma_index_info(l.name) ORDER BY seqno)) || ')' "
    " FROM sqlite_master m, pragma_index_list(m.name) l WHERE m.type = 'table' "
    " AND m.name NOT LIKE 'sqlite_%' AND l.origin = 'u') ORDER BY k";
static const char PG_KEYS[] =
    "SELECT k FROM (SELECT t.relname || CASE c.contype WHEN 'p' THEN ' primary (' ELSE ' unique (' "
    "END || "
    " (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY "
    "  k(att, n) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.att) || ')' AS k "
    "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
    "JOIN pg_namespace ns ON ns.oid = t.relnamespace "
    "WHERE ns.nspname = current_schema() AND c.contype IN ('p', 'u') "
    "AND t.relname <> 'schema_version' ) s ORDER BY k COLLATE \"C\"";

/* Foreign keys: "table (cols) -> table (cols) on delete X", sorted. */
static const char SQLITE_FKS[] =
    "SELECT k FROM (SELECT m.name || ' (' || group_concat(f.\"from\", ',') || ') -> ' || "
    " f.\"table\" || ' (' || group_concat(f.\"to\", ',') || ') on delete ' || "
    " lower(f.on_delete) AS k FROM sqlite_master m, pragma_foreign_key_list(m.name) f "
    " WHERE m.type = 'table' GROUP BY m.name, f.id) ORDER BY k";
static const char PG_FKS[] =
    "SELECT k FROM (SELECT t.relname || ' (' || (SELECT string_agg(a.attname, ',' ORDER BY k.n) "
    "FROM "
    " unnest(c.conkey) WITH ORDINALITY k(att, n) JOIN pg_attribute a ON a.attrelid = t.oid "
    " AND a.attnum = k.att) || ') -> ' || r.relname || ' (' || (SELECT string_agg(a.attname, "
    " ',' ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(att, n) JOIN pg_attribute a "
    " ON a.attrelid = r.oid AND a.attnum = k.att) || ') on delete ' || "
    " CASE c.confdeltype WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' "
    " WHEN 'r' THEN 'restrict' ELSE 'no action' END AS k "
    "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
    "JOIN pg_class r ON r.oid = c.confrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace "
    "WHERE ns.nspname = current_schema() AND c.contype = 'f' ) s ORDER BY k COLLATE \"C\"";

/* Indexes made by CREATE INDEX: "name on table (cols) unique? partial?", sorted. */
static const char SQLITE_INDEXES[] =
    "SELECT m.name || ' on ' || m.tbl_name || ' (' || (SELECT group_concat(name, ',') FROM "
    " (SELECT name FROM pragma_index_info(m.name) ORDER BY seqno)) || ')' || "
    " CASE l.\"unique\" WHEN 1 THEN ' unique' ELSE '' END || "
    " CASE l.partial WHEN 1 THEN ' partial' ELSE '' END "
    "FROM sqlite_master m JOIN pragma_index_list(m.tbl_name) l ON l.name = m.name "
    "WHERE m.type = 'index' AND l.origin = 'c' ORDER BY m.name";
static const char PG_INDEXES[] =
    "SELECT i.relname || ' on ' || t.relname || ' (' || (SELECT string_agg(a.attname, ',' "
    " ORDER BY k.n) FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(att, n) "
    " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.att) || ')' || "
    " CASE WHEN x.indisunique THEN ' unique' ELSE '' END || "
    " CASE WHEN x.indpred IS NOT NULL THEN ' partial' ELSE '' END "
    "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
    "JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace "
    "WHERE ns.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
    " WHERE c.conindid = x.indexrelid) ORDER BY i.relname COLLATE \"C\"";

/* Triggers: "name when on table", when as written (e.g. "BEFORE UPDATE", "AFTER UPDATE OF
 * photos"). PostgreSQL's TRUNCATE guards have no SQLite twin (SQLite has no TRUNCATE). */
static const char SQLITE_TRIGGERS[] =
    "SELECT name || ' ' || trim(substr(sql, length('CREATE TRIGGER ' || name) + 2, "
    " instr(sql, ' ON ') - length('CREATE TRIGGER ' || name) - 2)) || ' on ' || tbl_name "
    "FROM sqlite_master WHERE type = 'trigger' ORDER BY name";
static const char PG_TRIGGERS[] =
    "SELECT g.tgname || ' ' || trim(substr(d, length('CREATE TRIGGER ' || g.tgname) + 2, "
    " strpos(d, ' ON ') - length('CREATE TRIGGER ' || g.tgname) - 2)) || ' on ' || t.relname "
    "FROM pg_trigger g CROSS JOIN LATERAL pg_get_triggerdef(g.oid) AS d "
    "JOIN pg_class t ON t.oid = g.tgrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace "
    "WHERE ns.nspname = current_schema() AND NOT g.tgisinternal "
    "AND g.tgname NOT LIKE '%\\_no\\_truncate' ORDER BY g.tgname COLLATE \"C\"";

static void compare(struct fixture *f, const char *sq_sql, const char *pg_sql, int ncols,
                    const char *what)
{
	struct lines sq = {0}, pg = {0};
	query_lines(f->sq, sq_sql, ncols, &sq);
	query_lines(f->pg, pg_sql, ncols, &pg);
	assert_true(sq.n > 0);
	lines_equal(&sq, &pg, what);
	lines_free(&sq);
	lines_free(&pg);
}

/* CHECK constraints, one line each: "table: the quoted values it names" (SQLite keeps the
 * text as written, PostgreSQL its own rendering, e.g. "status = ANY (ARRAY['a'::text, …])";
 * the table and the values agree whichever way they are written), sorted. */
static void check_line(const char *table, const char *check, const char *end, struct lines *out)
{
	char line[LINE];
	size_t len = (size_t)snprintf(line, sizeof line, "%s:", table);
	for (const char *p = check; p < end && *p; p++) {
		if (*p != '\'')
			continue;
		const char *q = strchr(p + 1, '\'');
		assert_non_null(q);
		len += (size_t)snprintf(line + len, sizeof line - len, " %.*s", (int)(q - p - 1),
		                        p + 1);
		assert_true(len < sizeof line);
		p = q;
	}
	lines_add(out, line);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sqlite_checks(struct db *db, struct lines *out)
{
	struct lines tables = {0};
	query_lines(db,
	            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
	            "'sqlite_%' ORDER BY name",
	            1, &tables);
	for (int i = 0; i < tables.n; i++) {
		struct db_stmt *st = db_prepare(db, "SELECT sql FROM sqlite_master WHERE name = ?");
		assert_non_null(st);
		db_bind_text(st, 1, tables.v[i]);
		assert_int_equal(db_step(st), DB_ROW);
		for (const char *p = db_col_text(st, 0); (p = strstr(p, "CHECK ("));) {
			p += 7;
			const char *e = p;
			for (int depth = 1; *e && depth > 0; e++) {
				if (*e == '\'')
					e = strchr(e + 1, '\'');
				else if (*e == '(')
					depth++;
				else if (*e == ')')
					depth--;
			}
			check_line(tables.v[i], p, e, out);
			p = e;
		}
		db_done(st);
	}
	lines_free(&tables);
	qsort(out->v, (size_t)out->n, sizeof out->v[0], by_text);
}

static void pg_checks(struct db *db, struct lines *out)
{
	struct lines rows = {0};
	query_lines(db,
	            "SELECT t.relname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
	            "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace ns ON ns.oid = "
	            "t.relnamespace WHERE ns.nspname = current_schema() AND c.contype = 'c' "
	            "AND t.relname <> 'schema_version'",
	            2, &rows);
	for (int i = 0; i < rows.n; i++) {
		char *def = rows.v[i];
		char *table = strsep(&def, "|");
		check_line(table, def, def + strlen(def), out);
	}
	lines_free(&rows);
	qsort(out->v, (size_t)out->n, sizeof out->v[0], by_text);
}

static void test_same_checks(void **state)
{
	FIXTURE(state);
	struct lines sq = {0}, pg = {0};
	sqlite_checks(f->sq, &sq);
	pg_checks(f->pg, &pg);
	assert_true(sq.n > 0);
	lines_equal(&sq, &pg, "checks");
	lines_free(&sq);
	lines_free(&pg);
}

static void test_same_tables(void **state)
{
	FIXTURE(state);
	compare(f, SQLITE_TABLES, PG_TABLES, 1, "tables");
}

static void test_same_columns(void **state)
{
	FIXTURE(state);
	struct lines sq = {0}, pg = {0};
	sqlite_columns(f->sq, &sq);
	pg_columns(f->pg, &pg);
	lines_equal(&sq, &pg, "columns");
	lines_free(&sq);
	lines_free(&pg);
}

static void test_same_keys(void **state)
{
	FIXTURE(state);
	compare(f, SQLITE_KEYS, PG_KEYS, 1, "keys");
	compare(f, SQLITE_FKS, PG_FKS, 1, "foreign keys");
}

static void test_same_indexes_and_triggers(void **state)
{
	FIXTURE(state);
	compare(f, SQLITE_INDEXES, PG_INDEXES, 1, "indexes");
	compare(f, SQLITE_TRIGGERS, PG_TRIGGERS, 1, "triggers");
}

/* The seeds of migration 2, as migration 8 left them. */
static void test_same_seeds(void **state)
{
	FIXTURE(state);
	int64_t n = 0;
	assert_int_equal(
	    sql_int(f->sq, "SELECT count(*) FROM pragma_table_info('categories')", NO_ARGS, &n),
	    DB_OK);
	compare(f, "SELECT * FROM categories ORDER BY code",
	        "SELECT * FROM categories ORDER BY code", (int)n, "categories");
	assert_int_equal(sql_int(f->sq,
	                         "SELECT count(*) FROM pragma_table_info('responsibilities')",
	                         NO_ARGS, &n),
	                 DB_OK);
	compare(f, "SELECT * FROM responsibilities ORDER BY id",
	        "SELECT * FROM responsibilities ORDER BY id", (int)n, "responsibilities");
}

/* ---- what the PostgreSQL schema does ---- */

static void test_refusals_are_constraint_errors(void **state)
{
	FIXTURE(state);
	struct db *db = f->pg;
	int64_t id = 0;
	assert_int_equal(sql_insert(db,
	                            "INSERT INTO audit(at, action, result, prev_hash, hash) "
	                            "VALUES (1, 'test', 1, ?, ?)",
	                            ARGS(ARG_BLOB("a", 1), ARG_BLOB("b", 1)), &id),
	                 DB_OK);
	assert_true(id > 0);
	assert_int_equal(
	    sql_run(db, "UPDATE audit SET action = 'x' WHERE id = ?", ARGS(ARG_INT(id))),
	    DB_CONSTRAINT);
	assert_non_null(strstr(db_errmsg(db), "audit log is append-only"));
	assert_int_equal(sql_run(db, "DELETE FROM audit WHERE id = ?", ARGS(ARG_INT(id))),
	                 DB_CONSTRAINT);
	assert_int_equal(db_exec(db, "TRUNCATE audit"), DB_CONSTRAINT);
	assert_int_equal(db_exec(db, "TRUNCATE record_versions"), DB_CONSTRAINT);
	/* a CHECK refuses as on SQLite */
	assert_int_equal(sql_run(db,
	                         "INSERT INTO regions(code, name, level, status, created_at, "
	                         "updated_at) VALUES ('11', 'x', 0, 'gone', 0, 0)",
	                         NO_ARGS),
	                 DB_CONSTRAINT);
	int64_t n = -1;
	assert_int_equal(sql_int(db, "SELECT count(*) FROM audit", NO_ARGS, &n), DB_OK);
	assert_int_equal(n, 1);
}

static void test_photo_refs(void **state)
{
	FIXTURE(state);
	struct db *db = f->pg;
	assert_int_equal(sql_run(db,
	                         "INSERT INTO regions(code, name, level, created_at, updated_at) "
	                         "VALUES ('99', 'r', 0, 0, 0)",
	                         NO_ARGS),
	                 DB_OK);
	int64_t case_id = 0;
	assert_int_equal(
	    sql_insert(db,
	               "INSERT INTO cases(number, tracking_code, category, tier, status, level, "
	               "region_code, description, source, accept_due, handle_due, created_at, "
	               "updated_at) VALUES ('N1', 'T1', 'noise', 0, 0, 3, '99', 'd', 'web', 0, 0, "
	               "0, 0)",
	               NO_ARGS, &case_id),
	    DB_OK);
	const char *ev =
	    "INSERT INTO case_events(case_id, at, action, photos) VALUES (?, 0, 'x', ?)";
	assert_int_equal(
	    sql_run(db, ev, ARGS(ARG_INT(case_id), ARG_TEXT("[\"h1\",\"h2\",3,null]"))), DB_OK);
	assert_int_equal(sql_run(db, ev, ARGS(ARG_INT(case_id), ARG_TEXT("[\"h1\"]"))), DB_OK);
	assert_int_equal(sql_run(db, ev, ARGS(ARG_INT(case_id), ARG_TEXT("not json"))), DB_OK);
	assert_int_equal(sql_run(db, ev, ARGS(ARG_INT(case_id), ARG_NULL)), DB_OK);
	struct lines got = {0};
	query_lines(db, "SELECT hash, kind, ref_id FROM photo_refs ORDER BY hash", 3, &got);
	assert_int_equal(got.n, 2);
	char want[64];
	snprintf(want, sizeof want, "h1|case|%lld", (long long)case_id);
	assert_string_equal(got.v[0], want);
	snprintf(want, sizeof want, "h2|case|%lld", (long long)case_id);
	assert_string_equal(got.v[1], want);
	lines_free(&got);
}

/* ---- nodes migrating one database ---- */

struct node {
	const char *url;
	bool ok;
};

static void *node_start(void *arg)
{
	struct node *n = arg;
	struct db_options opt = {.read_only = false, .create = true};
	char err[512];
	struct db *db = db_open(n->url, &opt, err, sizeof err);
	n->ok = db && store_migrate_run(db);
	if (db)
		db_close(db);
	return NULL;
}

static void test_nodes_start_together(void **state)
{
	FIXTURE(state);
	char name[80], url[512];
	snprintf(name, sizeof name, "%s_nodes", f->pg_name);
	pg_fresh_database(name, url, sizeof url);
	enum { NODES = 4 };
	struct node nodes[NODES];
	pthread_t th[NODES];
	for (int i = 0; i < NODES; i++) {
		nodes[i] = (struct node){.url = url};
		assert_int_equal(pthread_create(&th[i], NULL, node_start, &nodes[i]), 0);
	}
	for (int i = 0; i < NODES; i++) {
		pthread_join(th[i], NULL);
		assert_true(nodes[i].ok);
	}
	struct db *db = open_url(url);
	int64_t v = 0, n = 0;
	assert_int_equal(sql_int(db, "SELECT version FROM schema_version", NO_ARGS, &v), DB_OK);
	assert_int_equal(v, store_migrate_latest());
	assert_int_equal(sql_int(db, "SELECT count(*) FROM schema_version", NO_ARGS, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM responsibilities", NO_ARGS, &n), DB_OK);
	assert_int_equal(n, 17);
	/* a database ahead of this program is refused */
	assert_int_equal(db_exec(db, "UPDATE schema_version SET version = version + 1"), DB_OK);
	assert_false(store_migrate_run(db));
	db_close(db);
	pg_drop_database(name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_tables),
	    cmocka_unit_test(test_same_columns),
	    cmocka_unit_test(test_same_keys),
	    cmocka_unit_test(test_same_checks),
	    cmocka_unit_test(test_same_indexes_and_triggers),
	    cmocka_unit_test(test_same_seeds),
	    cmocka_unit_test(test_refusals_are_constraint_errors),
	    cmocka_unit_test(test_photo_refs),
	    cmocka_unit_test(test_nodes_start_together),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
