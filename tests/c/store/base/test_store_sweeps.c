/* Store tests: sweeps (摸排) and their visits and work lists, rectifications and
 * import records (store/base/sweeps.c), on a temporary database brought to the
 * newest schema by the real migrations. */
#include "store_fixture.h"

#include "store/base/sweeps.h"

static int64_t add_house(struct fixture *f, const char *room)
{
	struct building_row b = {
	    .region_code = GRID, .name = room, .created_at = NOW, .updated_at = NOW};
	assert_int_equal(store_buildings_insert(f->db, &b), DB_OK);
	struct house_row h = {.region_code = GRID,
	                      .building_id = b.id,
	                      .room = room,
	                      .area = -1,
	                      .created_at = NOW,
	                      .updated_at = NOW};
	assert_int_equal(store_houses_insert(f->db, &h), DB_OK);
	return h.id;
}

static int64_t add_sweep(struct fixture *f)
{
	struct sweep_row s = {.name = "2026 春季摸排",
	                      .region_code = "110101001001",
	                      .starts_on = "2026-03-01",
	                      .ends_on = "2026-03-31",
	                      .status = "open",
	                      .created_at = NOW,
	                      .updated_at = NOW};
	assert_int_equal(store_sweeps_insert(f->db, &s), DB_OK);
	return s.id;
}

static void test_sweeps_and_visits(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t sweep = add_sweep(f);
	int64_t first = add_house(f, "101");
	add_house(f, "102");
	struct sweep_row s;
	assert_int_equal(store_sweeps_get(f->db, &f->a, sweep, &s), DB_ROW);
	assert_string_equal(s.status, "open");
	struct visit_row v = {.sweep_id = sweep,
	                      .house_id = first,
	                      .region_code = GRID,
	                      .visitor = "网格员",
	                      .at = NOW,
	                      .outcome = "visited",
	                      .occupants = "[]"};
	assert_int_equal(store_visits_insert(f->db, &v), DB_OK);

	struct scopes sc = {.n = 1};
	sc.prefix[0] = "110101";
	struct work_item *items;
	size_t n;
	assert_int_equal(store_sweep_worklist(f->db, &f->a, sweep, &sc, NULL,
	                                      (struct page_after){"", 0}, 10, &items, &n),
	                 DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].visit.id, v.id); /* the last visit comes with its house */
	assert_int_equal(items[1].visit.id, 0);
	assert_int_equal(store_sweep_worklist(f->db, &f->a, sweep, &sc, "pending",
	                                      (struct page_after){"", 0}, 10, &items, &n),
	                 DB_OK);
	assert_int_equal(n, 1);

	struct coverage_row *cov;
	assert_int_equal(store_sweep_coverage(f->db, &f->a, sweep, "110101", 12, &cov, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(cov[0].houses, 2);
	assert_int_equal(cov[0].visited, 1);
	struct visit_row *visits;
	assert_int_equal(store_visits_list(f->db, &f->a, sweep, 0, "110101", 0, 10, &visits, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	assert_non_null(visits[0].house_label);
	/* Edge: an outcome outside the list is refused. */
	struct visit_row bad = v;
	bad.outcome = "maybe";
	assert_int_equal(store_visits_insert(f->db, &bad), DB_CONSTRAINT);
}

static void test_rectifications(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t house = add_house(f, "201");
	struct rectification_row r = {.house_id = house,
	                              .region_code = GRID,
	                              .problem = "电线私拉",
	                              .deadline = "2026-03-10",
	                              .created_at = NOW,
	                              .updated_at = NOW};
	assert_int_equal(store_rectifications_insert(f->db, &r), DB_OK);
	struct rectification_row got;
	assert_int_equal(store_rectifications_get(f->db, &f->a, r.id, &got), DB_ROW);
	assert_string_equal(got.status, "open");
	assert_string_equal(got.methods, "");
	struct scopes sc = {.n = 1};
	sc.prefix[0] = "";
	struct rectification_row *rows;
	size_t n;
	assert_int_equal(store_rectifications_list(f->db, &f->a, &sc, NULL, true, "2026-03-11",
	                                           (struct page_after){"", 0}, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 1); /* overdue */
	got.status = "rectified";
	got.result = "已整改";
	assert_int_equal(store_rectifications_update(f->db, &got), DB_OK);
	/* Edge: a rectified one is no longer overdue. */
	assert_int_equal(store_rectifications_list(f->db, &f->a, &sc, NULL, true, "2026-03-11",
	                                           (struct page_after){"", 0}, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 0);
}

static void test_imports(void **state)
{
	struct fixture *f = *state;
	struct import_row r = {.kind = "residents",
	                       .format = "csv",
	                       .at = NOW,
	                       .mode = "upsert",
	                       .status = "done",
	                       .rows = 3,
	                       .created = 2,
	                       .failed = 1,
	                       .errors = "row,error\n3,bad\n"};
	assert_int_equal(store_imports_insert(f->db, &r), DB_OK);
	struct import_row got;
	assert_int_equal(store_imports_get(f->db, &f->a, r.id, false, &got), DB_ROW);
	assert_null(got.errors); /* only when asked for */
	assert_int_equal(store_imports_get(f->db, &f->a, r.id, true, &got), DB_ROW);
	assert_string_equal(got.errors, "row,error\n3,bad\n");
	struct import_row *rows;
	size_t n;
	assert_int_equal(store_imports_list(f->db, &f->a, 0, 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_sweeps_and_visits),
	    T(test_rectifications),
	    T(test_imports),
	};
	return RUN(tests);
}
