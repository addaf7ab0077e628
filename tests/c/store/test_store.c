/* Unit tests for src/store against a temporary SQLite file: migrations, users
 * and grants, regions, sessions, API tokens and the append-only audit chain. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/seal.h"
#include "store/platform/audit.h"
#include "store/platform/auth.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/platform/regions.h"
#include "store/platform/users.h"

enum { NOW = 1795392000 };

struct fixture {
	char dir[64];
	char path[128];
	struct db *db;
	struct arena a;
};

static int setup(void **state)
{
	/* The audit chain is keyed: a fixed test key. */
	static const unsigned char key[32] = {1, 2, 3, 4, 5, 6, 7, 8};
	if (sodium_init() < 0)
		return -1;
	seal_set_key(key);
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/jiceng-test-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
	struct db_options opt = {.read_only = false, .create = true};
	char err[256] = "";
	f->db = db_open(f->path, &opt, err, sizeof err);
	if (!f->db) {
		fprintf(stderr, "db_open: %s\n", err);
		free(f);
		return -1;
	}
	if (!migrate_run(f->db)) {
		db_close(f->db);
		free(f);
		return -1;
	}
	arena_init(&f->a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(&f->a);
	db_close(f->db);
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", f->path, suffixes[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct grant mk_grant(enum role r, const char *code)
{
	struct grant g;
	memset(&g, 0, sizeof g);
	g.role = r;
	snprintf(g.region_code, sizeof g.region_code, "%s", code);
	return g;
}

static int64_t add_user(struct db *db, const char *name, bool disabled)
{
	struct user_row u;
	memset(&u, 0, sizeof u);
	u.username = name;
	u.display_name = "测试用户";
	u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
	u.disabled = disabled;
	u.created_at = u.updated_at = NOW;
	u.grants[0] = mk_grant(ROLE_GRID_WORKER, "110101001001001");
	u.ngrants = 1;
	assert_int_equal(users_insert(db, &u), DB_OK);
	assert_true(u.id > 0);
	return u.id;
}

/* ---------------------------------------------------------------- migrations */

static void test_migrate(void **state)
{
	struct fixture *f = *state;
	assert_true(migrate_latest() >= 1);
	struct db_stmt *st = db_prepare(f->db, "PRAGMA user_version");
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), migrate_latest());
	db_done(st);
	/* Running again is a no-op. */
	assert_true(migrate_run(f->db));
	assert_false(db_in_transaction(f->db));
	/* The tables exist. */
	static const char *const tables[] = {"meta",       "regions",      "region_events",
	                                     "users",      "grants",       "sessions",
	                                     "api_tokens", "token_grants", "audit"};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		st = db_prepare(f->db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
		                       "AND name = ?");
		assert_non_null(st);
		db_bind_text(st, 1, tables[i]);
		assert_int_equal(db_step(st), DB_ROW);
		if (db_col_int(st, 0) != 1)
			fail_msg("table %s missing", tables[i]);
		db_done(st);
	}
	/* A database from a newer program is refused. */
	assert_int_equal(db_exec(f->db, "PRAGMA user_version=9999"), DB_OK);
	assert_false(migrate_run(f->db));
}

static void test_db_basics(void **state)
{
	struct fixture *f = *state;
	/* Opening a missing file without create fails with a reason. */
	char err[256] = "";
	char missing[160];
	snprintf(missing, sizeof missing, "%s/nope/missing.db", f->dir);
	struct db_options opt = {.read_only = false, .create = false};
	assert_null(db_open(missing, &opt, err, sizeof err));
	assert_true(strlen(err) > 0);
	/* Transactions: rollback undoes, commit keeps. */
	assert_int_equal(db_begin_write(f->db), DB_OK);
	assert_true(db_in_transaction(f->db));
	assert_int_equal(db_exec(f->db, "INSERT INTO meta(key, value) VALUES ('k', 'v1')"), DB_OK);
	db_rollback(f->db);
	assert_false(db_in_transaction(f->db));
	struct db_stmt *st = db_prepare(f->db, "SELECT value FROM meta WHERE key = ?");
	db_bind_text(st, 1, "k");
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_int_equal(db_begin_write(f->db), DB_OK);
	assert_int_equal(db_exec(f->db, "INSERT INTO meta(key, value) VALUES ('k', 'v2')"), DB_OK);
	assert_int_equal(db_commit(f->db), DB_OK);
	st = db_prepare(f->db, "SELECT value FROM meta WHERE key = ?");
	db_bind_text(st, 1, "k");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "v2");
	db_done(st);
	/* Constraint violations map to DB_CONSTRAINT, syntax errors to DB_ERROR. */
	assert_int_equal(db_exec(f->db, "INSERT INTO meta(key, value) VALUES ('k', 'v3')"),
	                 DB_CONSTRAINT);
	assert_int_equal(db_exec(f->db, "THIS IS NOT SQL"), DB_ERROR);
	assert_null(db_prepare(f->db, "SELECT * FROM no_such_table"));
	/* Blobs and NULLs round-trip. */
	st = db_prepare(f->db, "SELECT ?, ?, ?");
	static const unsigned char blob[5] = {0, 1, 2, 0xff, 0};
	db_bind_blob(st, 1, blob, sizeof blob);
	db_bind_null(st, 2);
	db_bind_text(st, 3, NULL);
	assert_int_equal(db_step(st), DB_ROW);
	size_t n = 0;
	const void *p = db_col_blob(st, 0, &n);
	assert_int_equal(n, 5);
	assert_memory_equal(p, blob, 5);
	assert_true(db_col_null(st, 1));
	assert_true(db_col_null(st, 2));
	db_done(st);
}

/* ---------------------------------------------------------------- users */

static void test_users_round_trip(void **state)
{
	struct fixture *f = *state;
	struct user_row u;
	memset(&u, 0, sizeof u);
	u.username = "wang.wu";
	u.display_name = "王五";
	u.unit = "东华门街道";
	u.password_hash = "hash-1";
	u.created_at = NOW;
	u.updated_at = NOW + 1;
	u.grants[0] = mk_grant(ROLE_GRID_WORKER, "110101001001001");
	u.grants[1] = mk_grant(ROLE_COMMUNITY, "110101001002");
	u.grants[2] = mk_grant(ROLE_COMMUNITY, "110101001002"); /* duplicate: ignored */
	u.ngrants = 3;
	assert_int_equal(users_insert(f->db, &u), DB_OK);
	assert_true(u.id > 0);
	assert_int_equal(users_count(f->db), 1);

	struct user_row got;
	assert_int_equal(users_by_name(f->db, &f->a, "wang.wu", &got), DB_ROW);
	assert_int_equal(got.id, u.id);
	assert_string_equal(got.username, "wang.wu");
	assert_string_equal(got.display_name, "王五");
	assert_string_equal(got.unit, "东华门街道");
	assert_string_equal(got.password_hash, "hash-1");
	assert_false(got.disabled);
	assert_int_equal(got.failed_count, 0);
	assert_int_equal(got.locked_until, 0);
	assert_int_equal(got.created_at, NOW);
	assert_int_equal(got.updated_at, NOW + 1);
	assert_int_equal(got.ngrants, 2);
	/* Ordered by role code: "community" < "grid_worker". */
	assert_int_equal(got.grants[0].role, ROLE_COMMUNITY);
	assert_string_equal(got.grants[0].region_code, "110101001002");
	assert_int_equal(got.grants[1].role, ROLE_GRID_WORKER);
	assert_string_equal(got.grants[1].region_code, "110101001001001");

	struct user_row by_id;
	assert_int_equal(users_get(f->db, &f->a, u.id, &by_id), DB_ROW);
	assert_string_equal(by_id.username, "wang.wu");
	assert_int_equal(by_id.ngrants, 2);

	assert_int_equal(users_by_name(f->db, &f->a, "nobody", &got), DB_DONE);
	assert_int_equal(users_by_name(f->db, &f->a, "WANG.WU", &got), DB_DONE);
	assert_int_equal(users_get(f->db, &f->a, u.id + 100, &got), DB_DONE);

	/* Update, failures, grants replaced. */
	by_id.display_name = "王五（调岗）";
	by_id.unit = NULL;
	by_id.disabled = true;
	by_id.updated_at = NOW + 50;
	assert_int_equal(users_update(f->db, &by_id), DB_OK);
	assert_int_equal(users_set_failures(f->db, u.id, 3, NOW + 900), DB_OK);
	struct grant admin = mk_grant(ROLE_ADMIN, "");
	assert_int_equal(users_set_grants(f->db, u.id, &admin, 1), DB_OK);
	assert_int_equal(users_get(f->db, &f->a, u.id, &got), DB_ROW);
	assert_string_equal(got.display_name, "王五（调岗）");
	assert_null(got.unit);
	assert_true(got.disabled);
	assert_int_equal(got.failed_count, 3);
	assert_int_equal(got.locked_until, NOW + 900);
	assert_int_equal(got.updated_at, NOW + 50);
	assert_int_equal(got.ngrants, 1);
	assert_int_equal(got.grants[0].role, ROLE_ADMIN);
	assert_string_equal(got.grants[0].region_code, "");
	assert_int_equal(users_set_grants(f->db, u.id, NULL, 0), DB_OK);
	assert_int_equal(users_get(f->db, &f->a, u.id, &got), DB_ROW);
	assert_int_equal(got.ngrants, 0);
}

static void test_users_duplicate_name(void **state)
{
	struct fixture *f = *state;
	add_user(f->db, "li.si", false);
	struct user_row u;
	memset(&u, 0, sizeof u);
	u.username = "li.si";
	u.display_name = "另一个李四";
	u.password_hash = "x";
	u.created_at = u.updated_at = NOW;
	assert_int_equal(users_insert(f->db, &u), DB_CONSTRAINT);
	assert_int_equal(users_count(f->db), 1);
	/* Case differs: a different username. */
	u.username = "Li.Si";
	assert_int_equal(users_insert(f->db, &u), DB_OK);
	assert_int_equal(users_count(f->db), 2);
}

static void test_users_list(void **state)
{
	struct fixture *f = *state;
	int64_t ids[5];
	static const char *const names[] = {"zhang.san", "li.si", "wang.wu", "zhao.liu", "sun.qi"};
	for (int i = 0; i < 5; i++)
		ids[i] = add_user(f->db, names[i], false);
	struct user_row *rows;
	size_t n;
	assert_int_equal(users_list(f->db, &f->a, NULL, 0, 2, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, ids[0]);
	assert_int_equal(rows[1].id, ids[1]);
	assert_int_equal(rows[0].ngrants, 1);
	assert_int_equal(users_list(f->db, &f->a, NULL, rows[1].id, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[2].username, "sun.qi");
	assert_int_equal(users_list(f->db, &f->a, "wu", 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].username, "wang.wu");
	assert_int_equal(users_list(f->db, &f->a, "测试", 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 5); /* matches the display name */
	assert_int_equal(users_list(f->db, &f->a, "%", 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 0); /* no LIKE wildcards */
}

/* ---------------------------------------------------------------- regions */

static void insert_region(struct db *db, const char *code, const char *parent, const char *name)
{
	struct region_row r;
	memset(&r, 0, sizeof r);
	r.code = code;
	r.parent_code = parent;
	r.name = name;
	r.level = region_level_of(code);
	r.planned_households = -1;
	r.created_at = r.updated_at = NOW;
	enum db_result res = regions_insert(db, &r);
	if (res != DB_OK)
		fail_msg("regions_insert(%s) = %d", code, res);
}

static void seed_regions(struct db *db)
{
	insert_region(db, "110101", NULL, "东城区");
	insert_region(db, "110101001", "110101", "东华门街道");
	insert_region(db, "110101002", "110101", "景山街道");
	insert_region(db, "110101003", "110101", "交道口街道");
	insert_region(db, "110101004", "110101", "安定门街道");
	insert_region(db, "110101005", "110101", "北新桥街道");
	insert_region(db, "110101001001", "110101001", "多福巷社区");
}

static void test_regions_insert_get(void **state)
{
	struct fixture *f = *state;
	seed_regions(f->db);
	assert_int_equal(regions_count(f->db), 7);
	struct region_row r;
	assert_int_equal(regions_get(f->db, &f->a, "110101", &r), DB_ROW);
	assert_string_equal(r.code, "110101");
	assert_string_equal(r.name, "东城区");
	assert_int_equal(r.level, REGION_DISTRICT);
	assert_null(r.parent_code);
	assert_int_equal(r.planned_households, -1);
	assert_null(r.geometry);
	assert_string_equal(r.status, "active");
	assert_int_equal(r.child_count, 5);
	assert_int_equal(r.created_at, NOW);
	assert_int_equal(regions_get(f->db, &f->a, "110101001", &r), DB_ROW);
	assert_string_equal(r.parent_code, "110101");
	assert_int_equal(r.level, REGION_STREET);
	assert_int_equal(r.child_count, 1);
	assert_int_equal(regions_get(f->db, &f->a, "110101009", &r), DB_DONE);
	assert_int_equal(regions_get(f->db, &f->a, "", &r), DB_DONE);

	/* Update. */
	struct region_row u;
	memset(&u, 0, sizeof u);
	u.code = "110101001001";
	u.name = "多福巷社区（新）";
	u.planned_households = 650;
	u.geometry = "{\"type\":\"Polygon\",\"coordinates\":[]}";
	u.updated_at = NOW + 10;
	assert_int_equal(regions_update(f->db, &u), DB_OK);
	assert_int_equal(regions_get(f->db, &f->a, "110101001001", &r), DB_ROW);
	assert_string_equal(r.name, "多福巷社区（新）");
	assert_int_equal(r.planned_households, 650);
	assert_string_equal(r.geometry, "{\"type\":\"Polygon\",\"coordinates\":[]}");
	assert_int_equal(r.updated_at, NOW + 10);
	assert_int_equal(r.created_at, NOW);
}

static void test_regions_constraints(void **state)
{
	struct fixture *f = *state;
	seed_regions(f->db);
	struct region_row r;
	memset(&r, 0, sizeof r);
	r.code = "110101002";
	r.parent_code = "110101";
	r.name = "重复";
	r.level = REGION_STREET;
	r.planned_households = -1;
	assert_int_equal(regions_insert(f->db, &r), DB_CONSTRAINT); /* duplicate code */
	r.code = "110102001";
	r.parent_code = "110102"; /* no such parent: foreign key */
	assert_int_equal(regions_insert(f->db, &r), DB_CONSTRAINT);
	r.name = NULL; /* NOT NULL */
	r.code = "110101006";
	r.parent_code = "110101";
	assert_int_equal(regions_insert(f->db, &r), DB_CONSTRAINT);
	assert_int_equal(regions_count(f->db), 7);
}

static void test_regions_children_paging(void **state)
{
	struct fixture *f = *state;
	seed_regions(f->db);
	struct region_row *rows;
	size_t n;
	assert_int_equal(regions_children(f->db, &f->a, NULL, NULL, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].code, "110101");

	const char *after = NULL;
	const char *seen[8];
	size_t total = 0;
	for (int page = 0; page < 10; page++) {
		assert_int_equal(regions_children(f->db, &f->a, "110101", after, 2, &rows, &n),
		                 DB_OK);
		assert_true(n <= 2);
		if (n == 0)
			break;
		for (size_t i = 0; i < n; i++)
			seen[total++] = rows[i].code;
		after = rows[n - 1].code;
	}
	assert_int_equal(total, 5);
	static const char *const want[] = {"110101001", "110101002", "110101003", "110101004",
	                                   "110101005"};
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(seen[i], want[i]);

	assert_int_equal(regions_children(f->db, &f->a, "110101", "110101003", 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].code, "110101004");
	assert_int_equal(regions_children(f->db, &f->a, "110101001001", NULL, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(regions_children(f->db, &f->a, "110101", NULL, 0, &rows, &n), DB_OK);
	assert_int_equal(n, 0);
}

/* BUG (src/store/regions.c regions_children, and the same loop in users_list,
 * tokens_list, audit_list): a limit ≤ 0 allocates a one-row array
 * (limit > 0 ? limit : 1) but binds the limit as-is; SQLite reads LIMIT -1 as
 * "no limit" and the loop condition *n < (size_t)limit is always true, so every
 * row is written into the one-row array (arena memory overwritten).
 * Expected: at most the rows the array holds (0, or an error); got n == 5. */
static void test_regions_children_negative_limit(void **state)
{
	struct fixture *f = *state;
	seed_regions(f->db);
	struct arena a;
	arena_init(&a);
	struct region_row *rows = NULL;
	size_t n = 0;
	enum db_result r = regions_children(f->db, &a, "110101", NULL, -1, &rows, &n);
	arena_free(&a);
	if (r == DB_OK && n > 1)
		fail_msg("regions_children(limit=-1) wrote %zu rows into a 1-row array", n);
}

static void test_regions_retire_history(void **state)
{
	struct fixture *f = *state;
	seed_regions(f->db);
	int64_t uid = add_user(f->db, "zhang.san", false);
	assert_int_equal(regions_retire(f->db, "110101005", NOW + 60), DB_OK);
	struct region_row r;
	assert_int_equal(regions_get(f->db, &f->a, "110101005", &r), DB_ROW);
	assert_string_equal(r.status, "retired");
	assert_int_equal(r.updated_at, NOW + 60);
	assert_int_equal(regions_get(f->db, &f->a, "110101", &r), DB_ROW);
	assert_int_equal(r.child_count, 4); /* retired children are not counted */

	/* A split: 110101004 → 110101006 + 110101007. */
	insert_region(f->db, "110101006", "110101", "安定门北");
	insert_region(f->db, "110101007", "110101", "安定门南");
	assert_int_equal(regions_retire(f->db, "110101004", NOW + 70), DB_OK);
	struct region_event ev = {
	    .at = NOW + 70,
	    .actor_id = uid,
	    .kind = "split",
	    .from_codes = "[\"110101004\"]",
	    .to_codes = "[\"110101006\",\"110101007\"]",
	    .detail = "按户数拆分",
	};
	const char *codes[] = {"110101004", "110101006", "110101007", "110101006"};
	assert_int_equal(regions_event_add(f->db, &ev, codes, 4), DB_OK);
	struct region_event ev2 = {
	    .at = NOW + 80,
	    .actor_id = 0,
	    .kind = "merge",
	    .from_codes = "[\"110101006\",\"110101007\"]",
	    .to_codes = "[\"110101008\"]",
	    .detail = NULL,
	};
	const char *codes2[] = {"110101006", "110101007"};
	assert_int_equal(regions_event_add(f->db, &ev2, codes2, 2), DB_OK);

	struct region_event *rows;
	size_t n;
	assert_int_equal(regions_history(f->db, &f->a, "110101004", &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].kind, "split");
	assert_int_equal(rows[0].at, NOW + 70);
	assert_int_equal(rows[0].actor_id, uid);
	assert_string_equal(rows[0].actor, "zhang.san");
	assert_string_equal(rows[0].from_codes, "[\"110101004\"]");
	assert_string_equal(rows[0].to_codes, "[\"110101006\",\"110101007\"]");
	assert_string_equal(rows[0].detail, "按户数拆分");
	assert_int_equal(regions_history(f->db, &f->a, "110101006", &rows, &n), DB_OK);
	assert_int_equal(n, 2); /* once per event, even though listed twice */
	assert_string_equal(rows[0].kind, "split");
	assert_string_equal(rows[1].kind, "merge");
	assert_int_equal(rows[1].actor_id, 0);
	assert_null(rows[1].actor);
	assert_null(rows[1].detail);
	assert_int_equal(regions_history(f->db, &f->a, "110101001", &rows, &n), DB_OK);
	assert_int_equal(n, 0);
}

/* ---------------------------------------------------------------- sessions */

static void fill_hash(unsigned char h[AUTH_HASH_LEN], unsigned char seed)
{
	for (int i = 0; i < AUTH_HASH_LEN; i++)
		h[i] = (unsigned char)(seed * 31 + i);
}

static void test_sessions(void **state)
{
	struct fixture *f = *state;
	int64_t uid = add_user(f->db, "zhang.san", false);
	unsigned char h1[AUTH_HASH_LEN], h2[AUTH_HASH_LEN], h3[AUTH_HASH_LEN];
	fill_hash(h1, 1);
	fill_hash(h2, 2);
	fill_hash(h3, 3);
	const char *csrf = "csrf-0123456789abcdefghijklmnopqrstuvwxyzABC";
	int64_t sid = 0, sid2 = 0;
	assert_int_equal(sessions_insert(f->db, h1, uid, csrf, NOW, NOW + 43200, "10.0.0.1", &sid),
	                 DB_OK);
	assert_true(sid > 0);
	assert_int_equal(sessions_insert(f->db, h2, uid, csrf, NOW, NOW + 43200, NULL, &sid2),
	                 DB_OK);
	assert_int_not_equal(sid, sid2);
	/* The same secret hash twice is refused. */
	int64_t dup = 0;
	assert_int_equal(sessions_insert(f->db, h1, uid, csrf, NOW, NOW + 1, NULL, &dup),
	                 DB_CONSTRAINT);
	/* A session for a user who does not exist: foreign key. */
	assert_int_equal(sessions_insert(f->db, h3, uid + 99, csrf, NOW, NOW + 1, NULL, &dup),
	                 DB_CONSTRAINT);

	struct principal p;
	assert_int_equal(sessions_lookup(f->db, h1, &p), DB_ROW);
	assert_int_equal(p.session_id, sid);
	assert_int_equal(p.user_id, uid);
	assert_int_equal(p.token_id, 0);
	assert_string_equal(p.name, "zhang.san");
	assert_string_equal(p.csrf, csrf);
	assert_int_equal(p.last_seen, NOW);
	assert_int_equal(p.expires_at, NOW + 43200);
	assert_int_equal(p.ngrants, 1);
	assert_int_equal(p.grants[0].role, ROLE_GRID_WORKER);
	assert_string_equal(p.grants[0].region_code, "110101001001001");
	assert_int_equal(sessions_lookup(f->db, h3, &p), DB_DONE);
	assert_int_equal(p.user_id, 0);

	assert_int_equal(sessions_touch(f->db, sid, NOW + 300), DB_OK);
	assert_int_equal(sessions_lookup(f->db, h1, &p), DB_ROW);
	assert_int_equal(p.last_seen, NOW + 300);
	assert_int_equal(sessions_lookup(f->db, h2, &p), DB_ROW);
	assert_int_equal(p.last_seen, NOW); /* only the touched session moved */

	assert_int_equal(sessions_delete(f->db, sid), DB_OK);
	assert_int_equal(sessions_lookup(f->db, h1, &p), DB_DONE);
	assert_int_equal(sessions_lookup(f->db, h2, &p), DB_ROW);
	assert_int_equal(sessions_delete_user(f->db, uid), DB_OK);
	assert_int_equal(sessions_lookup(f->db, h2, &p), DB_DONE);
}

static void test_sessions_disabled_user_and_purge(void **state)
{
	struct fixture *f = *state;
	int64_t off = add_user(f->db, "disabled.user", true);
	int64_t on = add_user(f->db, "enabled.user", false);
	unsigned char h1[AUTH_HASH_LEN], h2[AUTH_HASH_LEN], h3[AUTH_HASH_LEN];
	fill_hash(h1, 11);
	fill_hash(h2, 12);
	fill_hash(h3, 13);
	int64_t id;
	assert_int_equal(sessions_insert(f->db, h1, off, "c", NOW, NOW + 100, NULL, &id), DB_OK);
	struct principal p;
	assert_int_equal(sessions_lookup(f->db, h1, &p), DB_DONE); /* disabled: no principal */
	/* Purge: expired, or idle past the cutoff. */
	assert_int_equal(sessions_insert(f->db, h2, on, "c", NOW, NOW + 100, NULL, &id), DB_OK);
	assert_int_equal(sessions_insert(f->db, h3, on, "c", NOW, NOW + 10000, NULL, &id), DB_OK);
	assert_int_equal(sessions_touch(f->db, id, NOW + 500), DB_OK);
	assert_int_equal(sessions_purge(f->db, NOW + 200, NOW + 100), DB_OK);
	assert_int_equal(sessions_lookup(f->db, h2, &p), DB_DONE); /* expired */
	assert_int_equal(sessions_lookup(f->db, h3, &p), DB_ROW);  /* alive and recent */
	assert_int_equal(sessions_purge(f->db, NOW + 200, NOW + 600), DB_OK);
	assert_int_equal(sessions_lookup(f->db, h3, &p), DB_DONE); /* idle */
}

/* ---------------------------------------------------------------- tokens */

static void test_tokens(void **state)
{
	struct fixture *f = *state;
	int64_t uid = add_user(f->db, "admin", false);
	unsigned char h1[AUTH_HASH_LEN], h2[AUTH_HASH_LEN], h9[AUTH_HASH_LEN];
	fill_hash(h1, 21);
	fill_hash(h2, 22);
	fill_hash(h9, 29);
	struct token_row t;
	memset(&t, 0, sizeof t);
	t.name = "12345 热线对接";
	t.created_by = uid;
	t.created_at = NOW;
	t.grants[0] = mk_grant(ROLE_DEPARTMENT, "110101");
	t.grants[1] = mk_grant(ROLE_STREET, "110101001");
	t.ngrants = 2;
	assert_int_equal(tokens_insert(f->db, &t, h1), DB_OK);
	assert_true(t.id > 0);
	int64_t first = t.id;
	struct token_row t2;
	memset(&t2, 0, sizeof t2);
	t2.name = "无人创建";
	t2.created_at = NOW + 1;
	assert_int_equal(tokens_insert(f->db, &t2, h2), DB_OK);
	struct token_row t3 = t2;
	assert_int_equal(tokens_insert(f->db, &t3, h2), DB_CONSTRAINT); /* same secret */

	struct principal p;
	assert_int_equal(tokens_lookup(f->db, h1, &p), DB_ROW);
	assert_int_equal(p.token_id, first);
	assert_int_equal(p.user_id, 0);
	assert_int_equal(p.session_id, 0);
	assert_string_equal(p.name, "12345 热线对接");
	assert_int_equal(p.ngrants, 2);
	bool dept = false, street = false;
	for (size_t i = 0; i < p.ngrants; i++) {
		if (p.grants[i].role == ROLE_DEPARTMENT)
			dept = strcmp(p.grants[i].region_code, "110101") == 0;
		if (p.grants[i].role == ROLE_STREET)
			street = strcmp(p.grants[i].region_code, "110101001") == 0;
	}
	assert_true(dept && street);
	assert_int_equal(tokens_lookup(f->db, h2, &p), DB_ROW);
	assert_int_equal(p.ngrants, 0);
	assert_int_equal(tokens_lookup(f->db, h9, &p), DB_DONE);

	struct token_row *rows;
	size_t n;
	assert_int_equal(tokens_list(f->db, &f->a, 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, first);
	assert_int_equal(rows[0].created_by, uid);
	assert_int_equal(rows[0].ngrants, 2);
	assert_int_equal(rows[1].created_by, 0);
	assert_int_equal(tokens_list(f->db, &f->a, first, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 1);

	assert_int_equal(tokens_revoke(f->db, first, NOW + 5), DB_OK);
	assert_int_equal(tokens_lookup(f->db, h1, &p), DB_DONE);
	assert_int_equal(tokens_revoke(f->db, first, NOW + 6), DB_DONE); /* already revoked */
	assert_int_equal(tokens_revoke(f->db, first + 1000, NOW + 6), DB_DONE);
	assert_int_equal(tokens_list(f->db, &f->a, 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].name, "无人创建");
}

/* ---------------------------------------------------------------- audit */

static void append_n(struct db *db, int n)
{
	assert_int_equal(db_begin_write(db), DB_OK);
	for (int i = 0; i < n; i++) {
		char obj[32], detail[64];
		snprintf(obj, sizeof obj, "11010100%d", i + 1);
		snprintf(detail, sizeof detail, "{\"n\":%d,\"名\":\"街道%d\"}", i, i);
		struct audit_entry e = {
		    .at = NOW + i,
		    .user_id = i % 2 ? 7 : 0,
		    .result = i == 3 ? 403 : 200,
		    .username = i % 2 ? "admin" : NULL,
		    .action = "region.create",
		    .object = i == 2 ? "" : obj,
		    .ip = "127.0.0.1",
		    .detail = i == 4 ? NULL : detail,
		};
		assert_int_equal(audit_append(db, &e), DB_OK);
	}
	assert_int_equal(db_commit(db), DB_OK);
}

static void test_audit_append_verify(void **state)
{
	struct fixture *f = *state;
	int64_t checked = -1, bad = -1;
	assert_int_equal(audit_verify(f->db, &checked, &bad), DB_OK); /* empty chain */
	assert_int_equal(checked, 0);
	assert_int_equal(bad, 0);

	append_n(f->db, 6);
	assert_int_equal(audit_verify(f->db, &checked, &bad), DB_OK);
	assert_int_equal(checked, 6);
	assert_int_equal(bad, 0);

	/* The at=0 default takes the current time. */
	struct audit_entry e = {.action = "session.sign_in", .result = 200};
	assert_int_equal(audit_append(f->db, &e), DB_OK);
	assert_int_equal(e.id, 7);
	assert_true(e.at > NOW - 86400 * 365 * 10);

	struct audit_entry *rows;
	size_t n;
	assert_int_equal(audit_list(f->db, &f->a, 0, 3, &rows, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, 7);
	assert_int_equal(rows[1].id, 6);
	assert_int_equal(rows[2].id, 5);
	assert_int_equal(audit_list(f->db, &f->a, 5, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 4);
	assert_int_equal(rows[0].id, 4);
	assert_int_equal(rows[0].result, 403);
	assert_string_equal(rows[0].username, "admin");
	assert_int_equal(rows[3].id, 1);
	assert_null(rows[3].username);
	assert_string_equal(rows[3].detail, "{\"n\":0,\"名\":\"街道0\"}");
	assert_string_equal(rows[1].object, ""); /* id 3: empty, not NULL */
	assert_int_equal(audit_list(f->db, &f->a, 1, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(audit_verify(f->db, &checked, &bad), DB_OK);
	assert_int_equal(checked, 7);

	/* The stored hashes chain: row k's prev_hash is row k-1's hash. */
	struct db_stmt *st =
	    db_prepare(f->db, "SELECT a.hash, b.prev_hash FROM audit a JOIN audit b "
	                      "ON b.id = a.id + 1 ORDER BY a.id");
	int pairs = 0;
	while (db_step(st) == DB_ROW) {
		size_t n1, n2;
		const void *h = db_col_blob(st, 0, &n1);
		const void *ph = db_col_blob(st, 1, &n2);
		assert_int_equal(n1, AUDIT_HASH_LEN);
		assert_int_equal(n2, AUDIT_HASH_LEN);
		assert_memory_equal(h, ph, AUDIT_HASH_LEN);
		pairs++;
	}
	db_done(st);
	assert_int_equal(pairs, 6);
}

static void test_audit_triggers_refuse_changes(void **state)
{
	struct fixture *f = *state;
	append_n(f->db, 3);
	assert_int_equal(db_exec(f->db, "UPDATE audit SET detail='x' WHERE id=2"), DB_CONSTRAINT);
	assert_int_equal(db_exec(f->db, "UPDATE audit SET result=200"), DB_CONSTRAINT);
	assert_int_equal(db_exec(f->db, "DELETE FROM audit WHERE id=3"), DB_CONSTRAINT);
	assert_int_equal(db_exec(f->db, "DELETE FROM audit"), DB_CONSTRAINT);
	/* Through prepared statements too. */
	struct db_stmt *st = db_prepare(f->db, "UPDATE audit SET ip = ? WHERE id = ?");
	db_bind_text(st, 1, "6.6.6.6");
	db_bind_int(st, 2, 1);
	assert_int_equal(db_step(st), DB_CONSTRAINT);
	db_done(st);
	int64_t checked, bad;
	assert_int_equal(audit_verify(f->db, &checked, &bad), DB_OK);
	assert_int_equal(checked, 3);
	struct audit_entry *rows;
	size_t n;
	assert_int_equal(audit_list(f->db, &f->a, 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[2].ip, "127.0.0.1");
}

static void test_audit_tamper_detected(void **state)
{
	struct fixture *f = *state;
	append_n(f->db, 5);
	assert_int_equal(
	    db_exec(f->db, "DROP TRIGGER audit_no_update; UPDATE audit SET detail='x' WHERE id=2"),
	    DB_OK);
	int64_t checked = -1, bad = -1;
	assert_int_equal(audit_verify(f->db, &checked, &bad), DB_CONSTRAINT);
	assert_int_equal(bad, 2);
	assert_int_equal(checked, 1);
}

/* Entries cut from the end leave an intact chain; the keyed head record finds them. */
static void test_audit_truncation_detected(void **state)
{
	struct fixture *f = *state;
	append_n(f->db, 5);
	assert_int_equal(
	    db_exec(f->db, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id >= 4"), DB_OK);
	int64_t checked = -1, bad = -1;
	assert_int_equal(audit_verify(f->db, &checked, &bad), DB_CONSTRAINT);
	assert_int_equal(bad, 4);
	/* A head rewritten without the key does not help a forger either. */
	assert_int_equal(
	    db_exec(f->db, "UPDATE meta SET value = '3:00:00' WHERE key = 'audit_head'"), DB_OK);
	assert_int_equal(audit_verify(f->db, &checked, &bad), DB_CONSTRAINT);
}

static void test_audit_tamper_variants(void **state)
{
	struct fixture *f = *state;
	append_n(f->db, 5);
	assert_int_equal(db_exec(f->db, "DROP TRIGGER audit_no_update"), DB_OK);
	assert_int_equal(db_exec(f->db, "DROP TRIGGER audit_no_delete"), DB_OK);
	int64_t checked, bad;
	/* NULL → '' is a change. */
	assert_int_equal(db_exec(f->db, "UPDATE audit SET username='' WHERE id=1"), DB_OK);
	assert_int_equal(audit_verify(f->db, &checked, &bad), DB_CONSTRAINT);
	assert_int_equal(bad, 1);
	assert_int_equal(db_exec(f->db, "UPDATE audit SET username=NULL WHERE id=1"), DB_OK);
	assert_int_equal(audit_verify(f->db, &checked, &bad), DB_OK);
	/* A changed result code. */
	assert_int_equal(db_exec(f->db, "UPDATE audit SET result=200 WHERE id=4"), DB_OK);
	assert_int_equal(audit_verify(f->db, &checked, &bad), DB_CONSTRAINT);
	assert_int_equal(bad, 4);
	assert_int_equal(db_exec(f->db, "UPDATE audit SET result=403 WHERE id=4"), DB_OK);
	assert_int_equal(audit_verify(f->db, &checked, &bad), DB_OK);
	/* A recomputed hash alone does not help: the next entry's prev_hash disagrees. */
	assert_int_equal(db_exec(f->db, "UPDATE audit SET hash=zeroblob(32) WHERE id=3"), DB_OK);
	assert_int_equal(audit_verify(f->db, &checked, &bad), DB_CONSTRAINT);
	assert_int_equal(bad, 3);
	/* A removed entry in the middle. */
	assert_int_equal(db_exec(f->db, "DELETE FROM audit WHERE id=3"), DB_OK);
	assert_int_equal(audit_verify(f->db, &checked, &bad), DB_CONSTRAINT);
	assert_int_equal(bad, 4);
	assert_int_equal(checked, 2);
}

int main(void)
{
	assert_true(sodium_init() >= 0);
	/* Keep the expected constraint failures out of the test output. */
	FILE *quiet = fopen("/dev/null", "w");
	log_setup(quiet, LOG_ERROR);
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_migrate),
	    T(test_db_basics),
	    T(test_users_round_trip),
	    T(test_users_duplicate_name),
	    T(test_users_list),
	    T(test_regions_insert_get),
	    T(test_regions_constraints),
	    T(test_regions_children_paging),
	    T(test_regions_retire_history),
	    T(test_sessions),
	    T(test_sessions_disabled_user_and_purge),
	    T(test_tokens),
	    T(test_audit_append_verify),
	    T(test_audit_triggers_refuse_changes),
	    T(test_audit_tamper_detected),
	    T(test_audit_truncation_detected),
	    T(test_audit_tamper_variants),
	    T(test_regions_children_negative_limit),
	};
#undef T
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	log_setup(NULL, LOG_INFO);
	if (quiet)
		fclose(quiet);
	return rc;
}
