/* The fixture every store test shares: a temporary SQLite file brought to the
 * newest schema by the real migrations, an arena, and a fixed audit/seal key.
 * Included by each tests/c/store/test_store_*.c (one program per store file). */
#ifndef JICENG_TEST_STORE_FIXTURE_H
#define JICENG_TEST_STORE_FIXTURE_H

#include <stdarg.h>
#include <stdbool.h>
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

/* The fixture on an empty database; with migrate, brought to the newest schema (a migration
 * test brings it to the version it starts from itself). */
static inline int fixture_open(void **state, bool migrate)
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
	if (migrate && !store_migrate_run(f->db)) {
		db_close(f->db);
		free(f);
		return -1;
	}
	arena_init(&f->a);
	*state = f;
	return 0;
}

static inline int setup(void **state)
{
	return fixture_open(state, true);
}

static inline int setup_unmigrated(void **state)
{
	return fixture_open(state, false);
}

static inline int teardown(void **state)
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

static inline struct grant mk_grant(enum role r, const char *code)
{
	struct grant g;
	memset(&g, 0, sizeof g);
	g.role = r;
	snprintf(g.region_code, sizeof g.region_code, "%s", code);
	return g;
}

static inline int64_t add_user(struct db *db, const char *name, bool disabled)
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
	assert_int_equal(store_users_insert(db, &u), DB_OK);
	assert_true(u.id > 0);
	return u.id;
}

static inline void insert_region(struct db *db, const char *code, const char *parent,
                                 const char *name)
{
	struct region_row r;
	memset(&r, 0, sizeof r);
	r.code = code;
	r.parent_code = parent;
	r.name = name;
	r.level = region_level_of(code);
	r.planned_households = -1;
	r.created_at = r.updated_at = NOW;
	enum db_result res = store_regions_insert(db, &r);
	if (res != DB_OK)
		fail_msg("store_regions_insert(%s) = %d", code, res);
}

/* The chain district → street → community → grid the other stores refer to. */
enum { GRID_LEN = 15 };
#define GRID "110101001001001"
static inline void seed_grid(struct db *db)
{
	insert_region(db, "110101", NULL, "东城区");
	insert_region(db, "110101001", "110101", "东华门街道");
	insert_region(db, "110101001001", "110101001", "多福巷社区");
	insert_region(db, GRID, "110101001001", "第一网格");
}

/* Runs the tests of one file with the fixture around each, the expected constraint
 * failures kept out of the output. */
static inline int run_store_tests(const struct CMUnitTest *tests, size_t n)
{
	if (sodium_init() < 0)
		return 1;
	FILE *quiet = fopen("/dev/null", "w");
	log_setup(quiet, LOG_ERROR);
	int rc = _cmocka_run_group_tests("store", tests, n, NULL, NULL);
	log_setup(NULL, LOG_INFO);
	if (quiet)
		fclose(quiet);
	return rc;
}

#define T(fn)      cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define RUN(tests) run_store_tests(tests, sizeof(tests) / sizeof(tests)[0])

#endif
