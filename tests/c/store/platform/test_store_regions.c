/* Store tests: regions and their history (store/platform/regions.c), on a temporary database
 * brought to the newest schema by the real migrations. */
#include "store_fixture.h"

#include "store/platform/regions.h"

/* ---------------------------------------------------------------- regions */

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
	assert_int_equal(store_regions_count(f->db), 7);
	struct region_row r;
	assert_int_equal(store_regions_get(f->db, &f->a, "110101", &r), DB_ROW);
	assert_string_equal(r.code, "110101");
	assert_string_equal(r.name, "东城区");
	assert_int_equal(r.level, REGION_DISTRICT);
	assert_null(r.parent_code);
	assert_int_equal(r.planned_households, -1);
	assert_null(r.geometry);
	assert_string_equal(r.status, "active");
	assert_int_equal(r.child_count, 5);
	assert_int_equal(r.created_at, NOW);
	assert_int_equal(store_regions_get(f->db, &f->a, "110101001", &r), DB_ROW);
	assert_string_equal(r.parent_code, "110101");
	assert_int_equal(r.level, REGION_STREET);
	assert_int_equal(r.child_count, 1);
	assert_int_equal(store_regions_get(f->db, &f->a, "110101009", &r), DB_DONE);
	assert_int_equal(store_regions_get(f->db, &f->a, "", &r), DB_DONE);

	/* Update. */
	struct region_row u;
	memset(&u, 0, sizeof u);
	u.code = "110101001001";
	u.name = "多福巷社区（新）";
	u.planned_households = 650;
	u.geometry = "{\"type\":\"Polygon\",\"coordinates\":[]}";
	u.updated_at = NOW + 10;
	assert_int_equal(store_regions_update(f->db, &u), DB_OK);
	assert_int_equal(store_regions_get(f->db, &f->a, "110101001001", &r), DB_ROW);
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
	assert_int_equal(store_regions_insert(f->db, &r), DB_CONSTRAINT); /* duplicate code */
	r.code = "110102001";
	r.parent_code = "110102"; /* no such parent: foreign key */
	assert_int_equal(store_regions_insert(f->db, &r), DB_CONSTRAINT);
	r.name = NULL; /* NOT NULL */
	r.code = "110101006";
	r.parent_code = "110101";
	assert_int_equal(store_regions_insert(f->db, &r), DB_CONSTRAINT);
	assert_int_equal(store_regions_count(f->db), 7);
}

static void test_regions_children_paging(void **state)
{
	struct fixture *f = *state;
	seed_regions(f->db);
	struct region_row *rows;
	size_t n;
	assert_int_equal(store_regions_children(f->db, &f->a, NULL, NULL, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].code, "110101");

	const char *after = NULL;
	const char *seen[8];
	size_t total = 0;
	for (int page = 0; page < 10; page++) {
		assert_int_equal(
		    store_regions_children(f->db, &f->a, "110101", after, 2, &rows, &n), DB_OK);
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

	assert_int_equal(store_regions_children(f->db, &f->a, "110101", "110101003", 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].code, "110101004");
	assert_int_equal(store_regions_children(f->db, &f->a, "110101001001", NULL, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_regions_children(f->db, &f->a, "110101", NULL, 0, &rows, &n), DB_OK);
	assert_int_equal(n, 0);
}

/* BUG (src/store/regions.c store_regions_children, and the same loop in store_users_list,
 * store_tokens_list, store_audit_list): a limit ≤ 0 allocates a one-row array
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
	enum db_result r = store_regions_children(f->db, &a, "110101", NULL, -1, &rows, &n);
	arena_free(&a);
	if (r == DB_OK && n > 1)
		fail_msg("store_regions_children(limit=-1) wrote %zu rows into a 1-row array", n);
}

static void test_regions_retire_history(void **state)
{
	struct fixture *f = *state;
	seed_regions(f->db);
	int64_t uid = add_user(f->db, "zhang.san", false);
	assert_int_equal(store_regions_retire(f->db, "110101005", NOW + 60), DB_OK);
	struct region_row r;
	assert_int_equal(store_regions_get(f->db, &f->a, "110101005", &r), DB_ROW);
	assert_string_equal(r.status, "retired");
	assert_int_equal(r.updated_at, NOW + 60);
	assert_int_equal(store_regions_get(f->db, &f->a, "110101", &r), DB_ROW);
	assert_int_equal(r.child_count, 4); /* retired children are not counted */

	/* A split: 110101004 → 110101006 + 110101007. */
	insert_region(f->db, "110101006", "110101", "安定门北");
	insert_region(f->db, "110101007", "110101", "安定门南");
	assert_int_equal(store_regions_retire(f->db, "110101004", NOW + 70), DB_OK);
	struct region_event ev = {
	    .at = NOW + 70,
	    .actor_id = uid,
	    .kind = "split",
	    .from_codes = "[\"110101004\"]",
	    .to_codes = "[\"110101006\",\"110101007\"]",
	    .detail = "按户数拆分",
	};
	const char *codes[] = {"110101004", "110101006", "110101007", "110101006"};
	assert_int_equal(store_regions_event_add(f->db, &ev, codes, 4), DB_OK);
	struct region_event ev2 = {
	    .at = NOW + 80,
	    .actor_id = 0,
	    .kind = "merge",
	    .from_codes = "[\"110101006\",\"110101007\"]",
	    .to_codes = "[\"110101008\"]",
	    .detail = NULL,
	};
	const char *codes2[] = {"110101006", "110101007"};
	assert_int_equal(store_regions_event_add(f->db, &ev2, codes2, 2), DB_OK);

	struct region_event *rows;
	size_t n;
	assert_int_equal(store_regions_history(f->db, &f->a, "110101004", &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].kind, "split");
	assert_int_equal(rows[0].at, NOW + 70);
	assert_int_equal(rows[0].actor_id, uid);
	assert_string_equal(rows[0].actor, "zhang.san");
	assert_string_equal(rows[0].from_codes, "[\"110101004\"]");
	assert_string_equal(rows[0].to_codes, "[\"110101006\",\"110101007\"]");
	assert_string_equal(rows[0].detail, "按户数拆分");
	assert_int_equal(store_regions_history(f->db, &f->a, "110101006", &rows, &n), DB_OK);
	assert_int_equal(n, 2); /* once per event, even though listed twice */
	assert_string_equal(rows[0].kind, "split");
	assert_string_equal(rows[1].kind, "merge");
	assert_int_equal(rows[1].actor_id, 0);
	assert_null(rows[1].actor);
	assert_null(rows[1].detail);
	assert_int_equal(store_regions_history(f->db, &f->a, "110101001", &rows, &n), DB_OK);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_regions_insert_get),      T(test_regions_constraints),
	    T(test_regions_children_paging), T(test_regions_children_negative_limit),
	    T(test_regions_retire_history),
	};
	return RUN(tests);
}
