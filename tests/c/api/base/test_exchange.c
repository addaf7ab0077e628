/* Unit tests for the base-data import and export entry points (src/api/base/exchange.h),
 * called as the command line calls them: an acting context over a temporary database, no
 * HTTP request. */
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

#include "api/base/base.h"
#include "api/base/exchange.h"
#include "core/seal.h"
#include "store/migrate.h"
#include "store/platform/regions.h"

enum { NOW = 1795392000 };

static const char grid[] = "110101001001001";

struct fixture {
	char dir[64], path[128];
	struct db *db;
	struct api_ctx ctx; /* an admin, as `jiceng import` acts */
};

static void add_region(struct db *db, const char *code, const char *parent, enum region_level l)
{
	struct region_row r = {.code = code,
	                       .name = code,
	                       .parent_code = parent,
	                       .status = "active",
	                       .level = l,
	                       .planned_households = -1,
	                       .created_at = NOW,
	                       .updated_at = NOW};
	assert_int_equal(store_regions_insert(db, &r), DB_OK);
}

static int setup(void **state)
{
	static const unsigned char key[32] = {9, 8, 7, 6, 5, 4, 3, 2, 1};
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
	if (!f->db || !store_migrate_run(f->db)) {
		fprintf(stderr, "db_open: %s\n", err);
		free(f);
		return -1;
	}
	add_region(f->db, "110101", NULL, REGION_DISTRICT);
	add_region(f->db, "110101001", "110101", REGION_STREET);
	add_region(f->db, "110101001001", "110101001", REGION_COMMUNITY);
	add_region(f->db, grid, "110101001001", REGION_GRID);
	f->ctx.db = f->db;
	f->ctx.authed = true;
	f->ctx.who.grants[0].role = ROLE_ADMIN;
	f->ctx.who.ngrants = 1;
	snprintf(f->ctx.who.name, sizeof f->ctx.who.name, "test");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
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

/* Runs an import of a CSV text in its own write transaction, as the command line does. */
static bool import_csv(struct fixture *f, enum exchange_kind kind, const char *csv, bool partial,
                       struct exchange_result *res)
{
	struct exchange_options opt = {.partial = partial};
	assert_int_equal(db_begin_write(f->db), DB_OK);
	bool ok = exchange_import(&f->ctx, kind, csv, strlen(csv), &opt, res);
	if (ok)
		assert_int_equal(exchange_record(&f->ctx, kind, &opt, res), DB_OK);
	assert_int_equal(db_commit(f->db), DB_OK);
	return ok;
}

/* The number of data rows an export of kind writes (the header not counted). */
static int64_t export_rows(struct fixture *f, enum exchange_kind kind)
{
	struct scopes sc = {.prefix = {""}, .n = 1};
	int fd = -1;
	size_t len = 0;
	int64_t rows = -1;
	assert_int_equal(db_begin_read(f->db), DB_OK);
	assert_true(exchange_export(&f->ctx, kind, &sc, false, false, &fd, &len, &rows));
	db_rollback(f->db);
	char head[4] = "";
	assert_true(len > 3);
	assert_int_equal(read(fd, head, 3), 3);
	assert_memory_equal(head, "\xEF\xBB\xBF", 3); /* CSV with a BOM */
	close(fd);
	return rows;
}

static void test_kind_names(void **state)
{
	(void)state;
	enum exchange_kind k;
	assert_true(exchange_kind_parse("organisations", &k));
	assert_int_equal(k, EXCHANGE_ORGS);
	assert_string_equal(exchange_kind_name(EXCHANGE_HOUSES), "houses");
	assert_false(exchange_kind_parse("people", &k));
}

static void test_partial_import_keeps_good_rows(void **state)
{
	struct fixture *f = *state;
	struct exchange_result res;
	const char *csv = "网格代码,楼栋,房号,房屋用途,面积\n"
	                  "110101001001001,1号楼,101,出租,88.5\n"
	                  "110101001001001,1号楼,102,城堡,50\n"
	                  "110101001001001,2号楼,201,,\n";
	assert_true(import_csv(f, EXCHANGE_HOUSES, csv, true, &res));
	assert_int_equal(res.rows, 3);
	assert_int_equal(res.created, 2);
	assert_int_equal(res.failed, 1);
	assert_false(res.rejected);
	assert_true(res.import_id > 0);
	json_t *e = json_array_get(res.errors, 0);
	assert_int_equal(json_integer_value(json_object_get(e, "row")), 3);
	assert_string_equal(json_string_value(json_object_get(e, "field")), "use");
	assert_string_equal(json_string_value(json_object_get(e, "column")), "房屋用途");
	assert_non_null(strstr(res.report, "3,房屋用途,use,enum,"));
	exchange_result_free(&res);
	assert_int_equal(export_rows(f, EXCHANGE_HOUSES), 2);
}

static void test_all_or_nothing_writes_nothing(void **state)
{
	struct fixture *f = *state;
	struct exchange_result res;
	const char *csv = "名称,类型,网格代码,从业人数\n"
	                  "甲公司,enterprise,110101001001001,10\n"
	                  "乙公司,enterprise,110101001001001,-3\n";
	assert_true(import_csv(f, EXCHANGE_ORGS, csv, false, &res));
	assert_int_equal(res.rows, 2);
	assert_int_equal(res.failed, 1);
	assert_true(res.rejected);
	assert_int_equal(res.created, 0);
	exchange_result_free(&res);
	assert_int_equal(export_rows(f, EXCHANGE_ORGS), 0);
}

static void test_unreadable_file_is_fatal(void **state)
{
	struct fixture *f = *state;
	struct exchange_result res;
	/* No required column: the file is refused as a whole, with the reason. */
	assert_false(import_csv(f, EXCHANGE_RESIDENTS, "foo,bar\n1,2\n", false, &res));
	assert_non_null(strstr(res.fatal, "首行须为表头"));
	assert_false(res.store_error);
	exchange_result_free(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kind_names),
	    cmocka_unit_test_setup_teardown(test_partial_import_keeps_good_rows, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_all_or_nothing_writes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unreadable_file_is_fatal, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
