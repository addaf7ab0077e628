/* Store tests: field logs of visits and patrols (store/volunteers/field_logs.c) — an entry read
 * back field for field with and without a location, the case linked once, a worker's entries
 * on a range of days newest first, and the per-worker counts under a region prefix equal to a
 * recount. */
#include "store_fixture.h"

#include "store/cases/cases.h"
#include "store/stmt.h"
#include "store/volunteers/volunteers.h"

#define COMMUNITY2 "110101001002"
#define GRID3      "110101001002001" /* a grid of another community */

static int64_t add_log(struct fixture *f, int64_t user, const char *region, const char *kind,
                       int64_t day)
{
	struct field_log_row l = {.region_code = region,
	                          .kind = kind,
	                          .note = "巡查",
	                          .seen_at = NOW + day,
	                          .day = day,
	                          .user_id = user,
	                          .created_at = NOW};
	assert_int_equal(store_field_logs_insert(f->db, &l), DB_OK);
	assert_true(l.id > 0);
	return l.id;
}

static int64_t add_case(struct fixture *f, const char *number)
{
	struct case_row c;
	memset(&c, 0, sizeof c);
	c.number = number;
	c.tracking_code = number + 2;
	c.category = "environment";
	c.status = CASE_REPORTED;
	c.level = REGION_GRID;
	c.region_code = GRID;
	c.description = "楼道堆物";
	c.source = "web";
	c.accept_due = NOW + 3600;
	c.handle_due = NOW + 86400;
	c.created_at = c.updated_at = NOW;
	assert_int_equal(store_cases_insert(f->db, &c), DB_OK);
	return c.id;
}

static void test_insert_get_and_case(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t u = add_user(f->db, "wangge_t", false);
	struct field_log_row l = {.region_code = GRID,
	                          .kind = "visit",
	                          .address = "3号楼2单元",
	                          .has_location = true,
	                          .lat = 39.915,
	                          .lon = 116.404,
	                          .seen_at = NOW - 60,
	                          .day = 20400,
	                          .note = "独居老人身体好",
	                          .photos = "[\"a.jpg\"]",
	                          .user_id = u,
	                          .created_at = NOW};
	assert_int_equal(store_field_logs_insert(f->db, &l), DB_OK);
	struct field_log_row got;
	assert_int_equal(store_field_logs_get(f->db, &f->a, l.id, &got), DB_ROW);
	assert_int_equal(got.id, l.id);
	assert_string_equal(got.region_code, GRID);
	assert_string_equal(got.region_name, "第一网格");
	assert_string_equal(got.kind, "visit");
	assert_string_equal(got.address, "3号楼2单元");
	assert_true(got.has_location);
	assert_float_equal(got.lat, 39.915, 1e-9);
	assert_float_equal(got.lon, 116.404, 1e-9);
	assert_int_equal(got.seen_at, NOW - 60);
	assert_int_equal(got.day, 20400);
	assert_string_equal(got.note, "独居老人身体好");
	assert_string_equal(got.photos, "[\"a.jpg\"]");
	assert_int_equal(got.case_id, 0);
	assert_int_equal(got.user_id, u);
	assert_string_equal(got.user_name, "测试用户");
	assert_int_equal(got.created_at, NOW);
	/* Without a location, address or photos: no location and NULLs. */
	int64_t bare = add_log(f, u, GRID, "patrol", 20400);
	assert_int_equal(store_field_logs_get(f->db, &f->a, bare, &got), DB_ROW);
	assert_false(got.has_location);
	assert_float_equal(got.lat, 0, 0);
	assert_null(got.address);
	assert_null(got.photos);
	assert_string_equal(got.kind, "patrol");
	assert_int_equal(store_field_logs_get(f->db, &f->a, bare + 100, &got), DB_DONE);
	/* The schema refuses an unknown kind. */
	struct field_log_row odd = l;
	odd.kind = "inspection";
	assert_int_equal(store_field_logs_insert(f->db, &odd), DB_CONSTRAINT);

	/* A case is linked once: the second link and a missing entry are DB_DONE. */
	int64_t c1 = add_case(f, "SJ2026110100001"), c2 = add_case(f, "SJ2026110100002");
	assert_int_equal(store_field_logs_set_case(f->db, l.id, c1), DB_OK);
	assert_int_equal(store_field_logs_set_case(f->db, l.id, c2), DB_DONE);
	assert_int_equal(store_field_logs_set_case(f->db, bare + 100, c2), DB_DONE);
	assert_int_equal(store_field_logs_get(f->db, &f->a, l.id, &got), DB_ROW);
	assert_int_equal(got.case_id, c1);
	assert_int_equal(store_field_logs_get(f->db, &f->a, bare, &got), DB_ROW);
	assert_int_equal(got.case_id, 0);
}

static void test_month_and_workers(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t u = add_user(f->db, "wangge_t", false);
	for (int i = 0; i < 3; i++) {
		struct field_log_row l = {.region_code = GRID,
		                          .kind = i ? "patrol" : "visit",
		                          .note = "巡查",
		                          .seen_at = NOW + i,
		                          .day = 20000 + i,
		                          .user_id = u,
		                          .has_location = i == 0,
		                          .lat = 39.9,
		                          .lon = 116.4,
		                          .created_at = NOW};
		assert_int_equal(store_field_logs_insert(f->db, &l), DB_OK);
	}
	struct field_log_row *rows;
	size_t n;
	assert_int_equal(store_field_logs_of_user(f->db, &f->a, u, 20000, 20001, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[1].day, 20000);
	assert_true(rows[1].has_location);
	assert_string_equal(rows[0].region_name, "第一网格");
	struct field_worker_row *ws;
	assert_int_equal(store_field_logs_workers(f->db, &f->a, "110101", 20000, 20002, &ws, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ws[0].entries, 3);
	assert_int_equal(ws[0].visits, 1);
	assert_int_equal(ws[0].patrols, 2);
	assert_int_equal(store_field_logs_workers(f->db, &f->a, "110102", 20000, 20002, &ws, &n),
	                 DB_OK);
	assert_int_equal(n, 0);
}

static void test_of_user(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t u = add_user(f->db, "wangge_t", false), v = add_user(f->db, "wangge_v", false);
	for (int i = 0; i < 3; i++) {
		struct field_log_row l = {.region_code = GRID,
		                          .kind = i ? "patrol" : "visit",
		                          .note = "巡查",
		                          .seen_at = NOW + i,
		                          .day = 20000 + i,
		                          .user_id = u,
		                          .has_location = i == 0,
		                          .lat = 39.9,
		                          .lon = 116.4,
		                          .created_at = NOW};
		assert_int_equal(store_field_logs_insert(f->db, &l), DB_OK);
	}
	int64_t same_day = add_log(f, u, GRID, "visit", 20001);
	add_log(f, v, GRID, "visit", 20001); /* another worker's */
	struct field_log_row *rows;
	size_t n;
	assert_int_equal(store_field_logs_of_user(f->db, &f->a, u, 20000, 20001, &rows, &n), DB_OK);
	assert_int_equal(n, 3);
	/* newest day first, then newest entry of the day */
	assert_int_equal(rows[0].id, same_day);
	assert_int_equal(rows[1].day, 20001);
	assert_int_equal(rows[2].day, 20000);
	assert_true(rows[2].has_location);
	assert_false(rows[1].has_location);
	assert_string_equal(rows[0].region_name, "第一网格");
	for (size_t i = 0; i < n; i++)
		assert_int_equal(rows[i].user_id, u);
	/* Both ends of the range count; days outside do not. */
	assert_int_equal(store_field_logs_of_user(f->db, &f->a, u, 20002, 20002, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].day, 20002);
	assert_int_equal(store_field_logs_of_user(f->db, &f->a, u, 20003, 20100, &rows, &n), DB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_field_logs_of_user(f->db, &f->a, v, 19000, 21000, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
}

static void test_workers(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	insert_region(f->db, COMMUNITY2, "110101001", "另一社区");
	insert_region(f->db, GRID3, COMMUNITY2, "另一网格");
	int64_t u = add_user(f->db, "wangge_t", false), v = add_user(f->db, "wangge_v", false);
	for (int i = 0; i < 3; i++)
		add_log(f, u, GRID, i ? "patrol" : "visit", 20000 + i);
	int64_t linked = add_log(f, v, GRID3, "visit", 20001);
	add_log(f, v, GRID, "patrol", 20002);
	add_log(f, v, GRID, "visit", 20003);  /* after the range */
	add_log(f, u, GRID3, "visit", 19999); /* before it */
	assert_int_equal(store_field_logs_set_case(f->db, linked, add_case(f, "SJ2026110100001")),
	                 DB_OK);
	struct field_worker_row *ws;
	size_t n;
	assert_int_equal(store_field_logs_workers(f->db, &f->a, "110101", 20000, 20002, &ws, &n),
	                 DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ws[0].user_id, u);
	assert_string_equal(ws[0].name, "测试用户");
	assert_int_equal(ws[0].entries, 3);
	assert_int_equal(ws[0].visits, 1);
	assert_int_equal(ws[0].patrols, 2);
	assert_int_equal(ws[0].cases, 0);
	assert_int_equal(ws[1].user_id, v);
	assert_int_equal(ws[1].entries, 2);
	assert_int_equal(ws[1].visits, 1);
	assert_int_equal(ws[1].patrols, 1);
	assert_int_equal(ws[1].cases, 1);
	/* The entries equal a recount over the same range. */
	int64_t recount = -1;
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM field_logs WHERE day BETWEEN ? AND ?",
	                         ARGS(ARG_INT(20000), ARG_INT(20002)), &recount),
	                 DB_OK);
	assert_int_equal(ws[0].entries + ws[1].entries, recount);
	/* The prefix narrows: the other community holds v's linked visit alone. */
	assert_int_equal(store_field_logs_workers(f->db, &f->a, COMMUNITY2, 20000, 20002, &ws, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ws[0].user_id, v);
	assert_int_equal(ws[0].entries, 1);
	assert_int_equal(ws[0].cases, 1);
	assert_int_equal(store_field_logs_workers(f->db, &f->a, "110102", 20000, 20002, &ws, &n),
	                 DB_OK);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_insert_get_and_case),
	    T(test_month_and_workers),
	    T(test_of_user),
	    T(test_workers),
	};
	return RUN(tests);
}
