/* Store tests: buildings, houses, households, residents, organisations and the
 * version history (store/base/), on a temporary database brought to the newest
 * schema by the real migrations. */
#include "store_fixture.h"

#include "store/base/base.h"

static int64_t add_building(struct fixture *f, const char *name)
{
	struct building_row b = {
	    .region_code = GRID, .name = name, .floors = 6, .created_at = NOW, .updated_at = NOW};
	assert_int_equal(store_buildings_insert(f->db, &b), DB_OK);
	return b.id;
}

static int64_t add_house(struct fixture *f, int64_t building, const char *room)
{
	struct house_row h = {.region_code = GRID,
	                      .building_id = building,
	                      .unit = "1",
	                      .room = room,
	                      .area = -1,
	                      .created_at = NOW,
	                      .updated_at = NOW};
	assert_int_equal(store_houses_insert(f->db, &h), DB_OK);
	assert_int_equal(h.version, 1);
	return h.id;
}

static struct scopes everything(void)
{
	struct scopes sc = {.n = 1};
	sc.prefix[0] = "";
	return sc;
}

static void test_buildings_houses(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t b = add_building(f, "1号楼");
	int64_t h = add_house(f, b, "101");
	add_house(f, b, "102");
	struct building_row got;
	assert_int_equal(store_buildings_find(f->db, &f->a, GRID, "1号楼", &got), DB_ROW);
	assert_int_equal(got.id, b);
	assert_int_equal(got.houses, 2);
	assert_null(got.address); /* "" and NULL are stored as NULL */

	struct house_row house;
	assert_int_equal(store_houses_get(f->db, &f->a, h, &house), DB_ROW);
	assert_string_equal(house.use, "owner_occupied");
	assert_true(house.area < 0); /* unknown area reads back as < 0 */
	assert_string_equal(house.building_name, "1号楼");
	house.area = 88.5;
	house.version = 2;
	assert_int_equal(store_houses_update(f->db, &house), DB_OK);
	assert_int_equal(store_houses_find(f->db, &f->a, b, "1", "101", &house), DB_ROW);
	assert_true(house.area > 88 && house.area < 89);

	/* The walk pages through the scope in (region_code, id) order. */
	struct scopes sc = everything();
	struct house_row *rows;
	size_t n;
	assert_int_equal(
	    store_houses_list(f->db, &f->a, &sc, b, NULL, (struct page_after){"", 0}, 1, &rows, &n),
	    DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_houses_list(f->db, &f->a, &sc, b, NULL,
	                                   (struct page_after){rows[0].region_code, rows[0].id}, 10,
	                                   &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	/* Edge: a filter that matches nothing, and a scope outside the tree. */
	assert_int_equal(store_houses_list(f->db, &f->a, &sc, b, "rented",
	                                   (struct page_after){"", 0}, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 0);
	struct scopes other = {.n = 1};
	other.prefix[0] = "110102";
	struct building_row *brows;
	assert_int_equal(
	    store_buildings_list(f->db, &f->a, &other, (struct page_after){"", 0}, 10, &brows, &n),
	    DB_OK);
	assert_int_equal(n, 0);
	/* Edge: the same room twice in a unit is refused. */
	struct house_row dup = {
	    .region_code = GRID, .building_id = b, .unit = "1", .room = "101", .area = -1};
	assert_int_equal(store_houses_insert(f->db, &dup), DB_CONSTRAINT);
}

static void test_households(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t h = add_house(f, add_building(f, "2号楼"), "201");
	struct household_row hh = {.region_code = GRID,
	                           .house_id = h,
	                           .number = "A1",
	                           .created_at = NOW,
	                           .updated_at = NOW};
	assert_int_equal(store_households_insert(f->db, &hh), DB_OK);
	struct household_row got;
	assert_int_equal(store_households_find(f->db, &f->a, h, "A1", &got), DB_ROW);
	assert_int_equal(got.head_id, 0);
	struct household_row *rows;
	size_t n;
	assert_int_equal(store_households_in_house(f->db, &f->a, h, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_households_get(f->db, &f->a, hh.id + 1, &got), DB_DONE);
}

static struct resident_row resident(const char *name, int64_t house)
{
	struct resident_row r;
	memset(&r, 0, sizeof r);
	r.region_code = GRID;
	r.house_id = house;
	r.name = name;
	r.residency = "registered";
	r.tags = "elderly";
	r.created_at = r.updated_at = NOW;
	return r;
}

static void test_residents(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t h = add_house(f, add_building(f, "3号楼"), "301");
	struct resident_row r = resident("张三", h);
	static const unsigned char sealed_id[] = {9, 8, 7, 6};
	r.id_sealed = (struct sealed){sealed_id, sizeof sealed_id};
	memset(r.id_index, 0x42, SEAL_INDEX_LEN);
	r.has_id_index = true;
	r.id_mask = "1101**********1234";
	assert_int_equal(store_residents_insert(f->db, &r), DB_OK);
	assert_int_equal(r.version, 1);
	struct resident_row got;
	assert_int_equal(store_residents_by_id_index(f->db, &f->a, r.id_index, &got), DB_ROW);
	assert_int_equal(got.id, r.id);
	assert_int_equal(got.id_sealed.n, sizeof sealed_id);
	assert_memory_equal(got.id_sealed.p, sealed_id, sizeof sealed_id);
	assert_false(got.has_phone_index);
	assert_null(got.phone_sealed.p);
	assert_string_equal(got.status, "active");
	got.note = "独居";
	got.version = 2;
	got.updated_at = NOW + 1;
	assert_int_equal(store_residents_update(f->db, &got), DB_OK);
	assert_int_equal(store_residents_get(f->db, &f->a, r.id, &got), DB_ROW);
	assert_string_equal(got.note, "独居");

	struct resident_row other = resident("李四", h);
	other.tags = "";
	assert_int_equal(store_residents_insert(f->db, &other), DB_OK);
	struct resident_filter filter = {.scopes = {.n = 1}, .limit = 10};
	filter.scopes.prefix[0] = "110101";
	struct resident_row *rows;
	size_t n;
	assert_int_equal(store_residents_list(f->db, &f->a, &filter, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	filter.tag = "elderly";
	assert_int_equal(store_residents_list(f->db, &f->a, &filter, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	filter.tag = NULL;
	filter.q = "李";
	assert_int_equal(store_residents_list(f->db, &f->a, &filter, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].name, "李四");
	/* Edge: the same ID number (its blind index) cannot be registered twice. */
	struct resident_row again = resident("张三", h);
	memset(again.id_index, 0x42, SEAL_INDEX_LEN);
	again.has_id_index = true;
	assert_int_equal(store_residents_insert(f->db, &again), DB_CONSTRAINT);
}

static void test_organisations(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	struct org_row o = {.region_code = GRID,
	                    .name = "便民超市",
	                    .kind = "shop",
	                    .uscc = "91110101MA00000000",
	                    .employees = -1,
	                    .created_at = NOW,
	                    .updated_at = NOW};
	assert_int_equal(store_orgs_insert(f->db, &o), DB_OK);
	struct org_row got;
	assert_int_equal(store_orgs_by_uscc(f->db, &f->a, "91110101MA00000000", &got), DB_ROW);
	assert_int_equal(got.employees, -1); /* unknown: NULL */
	assert_int_equal(got.house_id, 0);
	got.employees = 12;
	got.version = 2;
	assert_int_equal(store_orgs_update(f->db, &got), DB_OK);
	assert_int_equal(store_orgs_get(f->db, &f->a, o.id, &got), DB_ROW);
	assert_int_equal(got.employees, 12);
	struct scopes sc = everything();
	struct org_row *rows;
	size_t n;
	assert_int_equal(store_orgs_list(f->db, &f->a, &sc, "超市", NULL,
	                                 (struct page_after){"", 0}, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	/* Edge: a name that is not there finds nothing. */
	assert_int_equal(store_orgs_list(f->db, &f->a, &sc, "药店", NULL,
	                                 (struct page_after){"", 0}, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 0);
}

static void test_versions(void **state)
{
	struct fixture *f = *state;
	int64_t next = 0;
	assert_int_equal(store_versions_next(f->db, "building", 7, &next), DB_OK);
	assert_int_equal(next, 1); /* the first version of a record */
	struct version_row v = {.kind = "building",
	                        .record_id = 7,
	                        .version = 1,
	                        .at = NOW,
	                        .action = "create",
	                        .after = "{}"};
	assert_int_equal(store_versions_add(f->db, &v), DB_OK);
	assert_int_equal(store_versions_next(f->db, "building", 7, &next), DB_OK);
	assert_int_equal(next, 2);
	struct version_row *rows;
	size_t n;
	assert_int_equal(store_versions_list(f->db, &f->a, "building", 7, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_null(rows[0].before);
	assert_int_equal(rows[0].actor_id, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_buildings_houses), T(test_households), T(test_residents),
	    T(test_organisations),    T(test_versions),
	};
	return RUN(tests);
}
