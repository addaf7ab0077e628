/* Store tests: 党员中心户 and the base records they refer to (store/party/party_centers.c) —
 * the resident, household and building references (an inactive resident is none), a center
 * read back field for field with one active center per member and per household, the list by
 * region prefix with ended centers left out and the cursor and limit, ending a center letting
 * go of its households, the links (one center per household, a removal of nothing reported),
 * and whether a household is covered. */
#include "store_fixture.h"

#include "store/base/base.h"
#include "store/party/party.h"
#include "store/stmt.h"

#define GRID2 "110101001001002"
#define GRID3 "110101001002001" /* a grid of another community */

struct world {
	int64_t org, building, house, hh[6];
};

static int64_t add_member(struct fixture *f, const char *name, int64_t org)
{
	struct party_member_row m = {.name = name,
	                             .region_code = GRID,
	                             .org_id = org,
	                             .joined_on = "2001-07-01",
	                             .status = MEMBER_FULL,
	                             .created_at = NOW,
	                             .updated_at = NOW};
	assert_int_equal(store_party_members_insert(f->db, &m), DB_OK);
	return m.id;
}

static int64_t add_household(struct fixture *f, const char *region, int64_t house,
                             const char *number)
{
	struct household_row hh = {
	    .region_code = region, .house_id = house, .number = number, .created_at = NOW};
	assert_int_equal(store_households_insert(f->db, &hh), DB_OK);
	return hh.id;
}

static struct world seed(struct fixture *f)
{
	seed_grid(f->db);
	insert_region(f->db, GRID2, "110101001001", "第二网格");
	insert_region(f->db, "110101001002", "110101001", "另一社区");
	insert_region(f->db, GRID3, "110101001002", "另一网格");
	struct world w;
	struct party_org_row o = {.name = "第一网格党支部",
	                          .kind = PARTY_GRID_BRANCH,
	                          .region_code = GRID,
	                          .active = true,
	                          .created_at = NOW,
	                          .updated_at = NOW};
	assert_int_equal(store_party_orgs_insert(f->db, &o), DB_OK);
	w.org = o.id;
	struct building_row b = {.region_code = GRID, .name = "1号楼"};
	assert_int_equal(store_buildings_insert(f->db, &b), DB_OK);
	w.building = b.id;
	struct house_row h = {.region_code = GRID, .building_id = b.id, .room = "101", .area = -1};
	assert_int_equal(store_houses_insert(f->db, &h), DB_OK);
	w.house = h.id;
	static const char *const regions[] = {GRID, GRID, GRID, GRID2, GRID3, GRID};
	for (int i = 0; i < 6; i++)
		w.hh[i] = add_household(f, regions[i], i < 3 ? h.id : 0, "1");
	return w;
}

static int64_t add_center(struct fixture *f, int64_t member, int64_t household, const char *region)
{
	struct party_center_row c = {.member_id = member,
	                             .household_id = household,
	                             .region_code = region,
	                             .created_at = NOW,
	                             .updated_at = NOW};
	assert_int_equal(store_party_centers_insert(f->db, &c), DB_OK);
	assert_true(c.id > 0);
	return c.id;
}

static void test_base_refs(void **state)
{
	struct fixture *f = *state;
	struct world w = seed(f);
	struct resident_row r;
	memset(&r, 0, sizeof r);
	r.region_code = GRID;
	r.household_id = w.hh[1];
	r.name = "王芳";
	r.residency = "registered";
	r.tags = "";
	r.status = "active";
	r.created_at = r.updated_at = NOW;
	assert_int_equal(store_residents_insert(f->db, &r), DB_OK);
	struct party_base_ref ref;
	assert_int_equal(store_party_resident_ref(f->db, &f->a, r.id, &ref), DB_ROW);
	assert_int_equal(ref.id, r.id);
	assert_string_equal(ref.region_code, GRID);
	assert_string_equal(ref.name, "王芳");
	assert_int_equal(ref.household_id, w.hh[1]);
	assert_int_equal(ref.building_id, 0);
	/* A resident no longer active is no reference. */
	assert_int_equal(sql_change(f->db, "UPDATE residents SET status = 'moved_out' WHERE id = ?",
	                            ARGS(ARG_INT(r.id))),
	                 DB_OK);
	assert_int_equal(store_party_resident_ref(f->db, &f->a, r.id, &ref), DB_DONE);

	/* A household: its number, or its head's name without one; its house's building. */
	assert_int_equal(store_party_household_ref(f->db, &f->a, w.hh[0], &ref), DB_ROW);
	assert_int_equal(ref.id, w.hh[0]);
	assert_string_equal(ref.region_code, GRID);
	assert_string_equal(ref.name, "1");
	assert_int_equal(ref.household_id, w.hh[0]);
	assert_int_equal(ref.building_id, w.building);
	int64_t bare = add_household(f, GRID2, 0, NULL);
	assert_int_equal(store_households_set_head(f->db, bare, r.id, NOW), DB_OK);
	assert_int_equal(store_party_household_ref(f->db, &f->a, bare, &ref), DB_ROW);
	assert_string_equal(ref.name, "王芳");
	assert_string_equal(ref.region_code, GRID2);
	assert_int_equal(ref.building_id, 0);
	assert_int_equal(store_party_household_ref(f->db, &f->a, bare + 100, &ref), DB_DONE);

	assert_int_equal(store_party_building_ref(f->db, &f->a, w.building, &ref), DB_ROW);
	assert_int_equal(ref.id, w.building);
	assert_string_equal(ref.name, "1号楼");
	assert_string_equal(ref.region_code, GRID);
	assert_int_equal(ref.building_id, w.building);
	assert_int_equal(ref.household_id, 0);
	assert_int_equal(store_party_building_ref(f->db, &f->a, w.building + 100, &ref), DB_DONE);
}

static void test_insert_get_end(void **state)
{
	struct fixture *f = *state;
	struct world w = seed(f);
	int64_t m = add_member(f, "王芳", w.org), m2 = add_member(f, "李明", w.org);
	struct party_center_row c = {.member_id = m,
	                             .household_id = w.hh[0],
	                             .region_code = GRID,
	                             .org_id = w.org,
	                             .note = "楼道议事",
	                             .active = true,
	                             .created_at = NOW,
	                             .updated_at = NOW + 1};
	assert_int_equal(store_party_centers_insert(f->db, &c), DB_OK);
	struct party_center_row got;
	assert_int_equal(store_party_centers_get(f->db, &f->a, c.id, &got), DB_ROW);
	assert_int_equal(got.id, c.id);
	assert_int_equal(got.member_id, m);
	assert_string_equal(got.member_name, "王芳");
	assert_int_equal(got.household_id, w.hh[0]);
	assert_int_equal(got.org_id, w.org);
	assert_string_equal(got.region_code, GRID);
	assert_string_equal(got.note, "楼道议事");
	assert_true(got.active);
	assert_int_equal(got.link_count, 0);
	assert_int_equal(got.created_at, NOW);
	assert_int_equal(got.updated_at, NOW + 1);
	assert_int_equal(store_party_centers_get(f->db, &f->a, c.id + 100, &got), DB_DONE);
	/* One active center per member and per household. */
	struct party_center_row dup = c;
	dup.household_id = w.hh[1];
	assert_int_equal(store_party_centers_insert(f->db, &dup), DB_CONSTRAINT);
	dup = c;
	dup.member_id = m2;
	assert_int_equal(store_party_centers_insert(f->db, &dup), DB_CONSTRAINT);
	int64_t other = add_center(f, m2, w.hh[1], GRID);
	assert_int_equal(store_party_centers_get(f->db, &f->a, other, &got), DB_ROW);
	assert_int_equal(got.org_id, 0);
	assert_null(got.note);

	/* Ending lets go of its households, the other center keeps its own. */
	assert_int_equal(store_party_center_links_add(f->db, c.id, w.hh[2]), DB_OK);
	assert_int_equal(store_party_center_links_add(f->db, c.id, w.hh[3]), DB_OK);
	assert_int_equal(store_party_center_links_add(f->db, other, w.hh[4]), DB_OK);
	assert_int_equal(store_party_centers_get(f->db, &f->a, c.id, &got), DB_ROW);
	assert_int_equal(got.link_count, 2);
	assert_int_equal(store_party_centers_end(f->db, c.id, NOW + 60), DB_OK);
	assert_int_equal(store_party_centers_get(f->db, &f->a, c.id, &got), DB_ROW);
	assert_false(got.active);
	assert_int_equal(got.link_count, 0);
	assert_int_equal(got.updated_at, NOW + 60);
	assert_int_equal(got.created_at, NOW);
	assert_int_equal(store_party_centers_get(f->db, &f->a, other, &got), DB_ROW);
	assert_true(got.active);
	assert_int_equal(got.link_count, 1);
	assert_int_equal(got.updated_at, NOW);
	/* Ended, the member and the household may hold a center again. */
	int64_t again = add_center(f, m, w.hh[0], GRID);
	assert_true(again > other);
}

static void test_list(void **state)
{
	struct fixture *f = *state;
	struct world w = seed(f);
	int64_t ids[5];
	static const char *const regions[] = {GRID, GRID2, GRID3, GRID, GRID};
	static const int hh[] = {0, 3, 4, 1, 2};
	for (int i = 0; i < 5; i++) {
		char name[16];
		snprintf(name, sizeof name, "党员%d", i);
		ids[i] = add_center(f, add_member(f, name, w.org), w.hh[hh[i]], regions[i]);
	}
	assert_int_equal(store_party_centers_end(f->db, ids[3], NOW + 1), DB_OK);
	struct party_center_row *rows;
	size_t n;
	/* The community: its two grids, not the other community's, not the ended one. */
	assert_int_equal(store_party_centers_list(f->db, &f->a, "110101001001", 0, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, ids[0]);
	assert_int_equal(rows[1].id, ids[1]);
	assert_int_equal(rows[2].id, ids[4]);
	assert_string_equal(rows[1].member_name, "党员1");
	assert_int_equal(store_party_centers_list(f->db, &f->a, GRID3, 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, ids[2]);
	assert_int_equal(store_party_centers_list(f->db, &f->a, "110101", 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 4);
	/* Cursor and limit. */
	assert_int_equal(store_party_centers_list(f->db, &f->a, "110101", 0, 2, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[1].id, ids[1]);
	assert_int_equal(store_party_centers_list(f->db, &f->a, "110101", ids[1], 2, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, ids[2]);
	assert_int_equal(rows[1].id, ids[4]);
	assert_int_equal(store_party_centers_list(f->db, &f->a, "110101", ids[4], 2, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 0);
}

static void test_links_and_covered(void **state)
{
	struct fixture *f = *state;
	struct world w = seed(f);
	int64_t c1 = add_center(f, add_member(f, "王芳", w.org), w.hh[0], GRID);
	int64_t c2 = add_center(f, add_member(f, "李明", w.org), w.hh[1], GRID);
	assert_int_equal(store_party_center_links_add(f->db, c1, w.hh[4]), DB_OK);
	assert_int_equal(store_party_center_links_add(f->db, c1, w.hh[2]), DB_OK);
	/* A household liaises with one center: again, or with another, is refused. */
	assert_int_equal(store_party_center_links_add(f->db, c1, w.hh[2]), DB_CONSTRAINT);
	assert_int_equal(store_party_center_links_add(f->db, c2, w.hh[2]), DB_CONSTRAINT);
	assert_int_equal(store_party_center_links_add(f->db, c2, w.hh[3]), DB_OK);
	int64_t *ids;
	size_t n;
	assert_int_equal(store_party_center_links_list(f->db, &f->a, c1, &ids, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], w.hh[2]); /* in household id order */
	assert_int_equal(ids[1], w.hh[4]);
	assert_int_equal(store_party_center_links_list(f->db, &f->a, c2, &ids, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], w.hh[3]);

	/* Covered: a center's own household or a linked one; not another. */
	bool covered = false;
	static const bool want[] = {true, true, true, true, true, false};
	for (int i = 0; i < 6; i++) {
		assert_int_equal(store_party_household_covered(f->db, w.hh[i], &covered), DB_OK);
		assert_int_equal(covered, want[i]);
	}
	/* Removing a link of another center, or one not there, is DB_DONE and keeps it. */
	assert_int_equal(store_party_center_links_remove(f->db, c2, w.hh[2]), DB_DONE);
	assert_int_equal(store_party_center_links_remove(f->db, c1, w.hh[5]), DB_DONE);
	assert_int_equal(store_party_center_links_remove(f->db, c1, w.hh[2]), DB_OK);
	assert_int_equal(store_party_center_links_remove(f->db, c1, w.hh[2]), DB_DONE);
	assert_int_equal(store_party_center_links_list(f->db, &f->a, c1, &ids, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], w.hh[4]);
	assert_int_equal(store_party_household_covered(f->db, w.hh[2], &covered), DB_OK);
	assert_false(covered);
	/* An ended center covers its own household no longer, nor its links. */
	assert_int_equal(store_party_centers_end(f->db, c2, NOW + 1), DB_OK);
	assert_int_equal(store_party_household_covered(f->db, w.hh[1], &covered), DB_OK);
	assert_false(covered);
	assert_int_equal(store_party_household_covered(f->db, w.hh[3], &covered), DB_OK);
	assert_false(covered);
	assert_int_equal(store_party_household_covered(f->db, w.hh[0], &covered), DB_OK);
	assert_true(covered);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_base_refs),
	    T(test_insert_get_end),
	    T(test_list),
	    T(test_links_and_covered),
	};
	return RUN(tests);
}
