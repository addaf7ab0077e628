/* Store tests: party organisations, members, 党员中心户 and the report counts
 * (store/party/party_*.c), on a temporary database brought to the newest schema
 * by the real migrations. */
#include "store_fixture.h"

#include "store/base/base.h"
#include "store/party/party.h"

static int64_t add_org(struct fixture *f, const char *name, enum party_kind kind, int64_t parent,
                       const char *region)
{
	struct party_org_row o = {.name = name,
	                          .kind = kind,
	                          .parent_id = parent,
	                          .region_code = region,
	                          .active = true,
	                          .created_at = NOW,
	                          .updated_at = NOW};
	assert_int_equal(store_party_orgs_insert(f->db, &o), DB_OK);
	assert_true(o.id > 0);
	return o.id;
}

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

static void test_party_orgs(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t top = add_org(f, "东华门街道党工委", PARTY_WORKING_COMMITTEE, 0, "110101001");
	int64_t branch = add_org(f, "多福巷社区党委", PARTY_COMMITTEE, top, "110101001001");
	int64_t grid = add_org(f, "第一网格党支部", PARTY_GRID_BRANCH, branch, GRID);
	struct party_org_row got;
	assert_int_equal(store_party_orgs_get(f->db, &f->a, grid, &got), DB_ROW);
	assert_string_equal(got.parent_name, "多福巷社区党委");
	assert_string_equal(got.region_name, "第一网格");
	assert_int_equal(got.building_id, 0);
	assert_int_equal(store_party_orgs_get(f->db, &f->a, top, &got), DB_ROW);
	assert_int_equal(got.child_count, 1);

	bool within = false;
	assert_int_equal(store_party_orgs_in_subtree(f->db, top, grid, &within), DB_OK);
	assert_true(within);
	assert_int_equal(store_party_orgs_in_subtree(f->db, grid, top, &within), DB_OK);
	assert_false(within);

	struct party_org_filter filter = {.region = "110101", .kind = -1, .limit = 10};
	struct party_org_row *rows;
	size_t n;
	assert_int_equal(store_party_orgs_list(f->db, &f->a, &filter, &rows, &n), DB_OK);
	assert_int_equal(n, 3);
	filter.roots = true;
	assert_int_equal(store_party_orgs_list(f->db, &f->a, &filter, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, top);

	/* Edge: a dissolved organisation leaves the default list. */
	assert_int_equal(store_party_orgs_get(f->db, &f->a, grid, &got), DB_ROW);
	got.active = false;
	assert_int_equal(store_party_orgs_update(f->db, &got), DB_OK);
	filter.roots = false;
	assert_int_equal(store_party_orgs_list(f->db, &f->a, &filter, &rows, &n), DB_OK);
	assert_int_equal(n, 2);

	struct party_event_row e = {
	    .ref_id = grid, .at = NOW, .actor = "admin", .action = "dissolve", .to_ref = branch};
	assert_int_equal(store_party_org_events_add(f->db, &e), DB_OK);
	struct party_event_row *events;
	assert_int_equal(store_party_org_events_list(f->db, &f->a, grid, &events, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(events[0].action, "dissolve");
}

static void test_party_members(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t branch = add_org(f, "第一网格党支部", PARTY_GRID_BRANCH, 0, GRID);
	int64_t functional = add_org(f, "下沉党支部", PARTY_FUNCTIONAL_SINKING, 0, "110101001001");
	int64_t wang = add_member(f, "王芳", branch);
	add_member(f, "李明", branch);
	assert_int_equal(store_party_memberships_add(f->db, wang, functional, NOW), DB_OK);

	struct party_member_row got;
	assert_int_equal(store_party_members_get(f->db, &f->a, wang, &got), DB_ROW);
	assert_string_equal(got.org_name, "第一网格党支部");
	int64_t n64 = 0;
	assert_int_equal(store_party_members_count_primary(f->db, branch, &n64), DB_OK);
	assert_int_equal(n64, 2);

	struct party_member_filter filter = {
	    .region = "110101", .status = -1, .q = "王", .limit = 10};
	struct party_member_row *rows;
	size_t n;
	assert_int_equal(store_party_members_list(f->db, &f->a, &filter, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	struct party_roster_row *roster;
	assert_int_equal(store_party_members_roster(f->db, &f->a, &filter, &roster, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(roster[0].functional, "下沉党支部"); /* the joined names */

	/* A member of a functional branch is listed under it as well. */
	struct party_member_filter by_org = {
	    .region = "", .org_id = functional, .status = -1, .limit = 10};
	assert_int_equal(store_party_members_list(f->db, &f->a, &by_org, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	struct party_membership_row *ms;
	assert_int_equal(store_party_memberships_list(f->db, &f->a, wang, &ms, &n), DB_OK);
	assert_int_equal(n, 1);
	/* Edge: removing the membership empties it; a second removal changes nothing. */
	assert_int_equal(store_party_memberships_remove(f->db, wang, functional), DB_OK);
	assert_int_equal(store_party_memberships_list(f->db, &f->a, wang, &ms, &n), DB_OK);
	assert_int_equal(n, 0);
}

static void test_party_centers_and_reports(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t branch = add_org(f, "第一网格党支部", PARTY_GRID_BRANCH, 0, GRID);
	int64_t member = add_member(f, "王芳", branch);
	struct building_row b = {.region_code = GRID, .name = "1号楼"};
	assert_int_equal(store_buildings_insert(f->db, &b), DB_OK);
	struct house_row h = {.region_code = GRID, .building_id = b.id, .room = "101", .area = -1};
	assert_int_equal(store_houses_insert(f->db, &h), DB_OK);
	struct household_row hh = {.region_code = GRID, .house_id = h.id, .number = "1"};
	assert_int_equal(store_households_insert(f->db, &hh), DB_OK);
	struct party_center_row c = {.member_id = member,
	                             .household_id = hh.id,
	                             .region_code = GRID,
	                             .org_id = branch,
	                             .active = true,
	                             .created_at = NOW,
	                             .updated_at = NOW};
	assert_int_equal(store_party_centers_insert(f->db, &c), DB_OK);
	struct party_center_row got;
	assert_int_equal(store_party_centers_get(f->db, &f->a, c.id, &got), DB_ROW);
	assert_string_equal(got.member_name, "王芳");
	bool covered = false;
	assert_int_equal(store_party_household_covered(f->db, hh.id, &covered), DB_OK);
	assert_true(covered);
	struct party_coverage_row *cov;
	size_t ncov;
	assert_int_equal(store_party_coverage(f->db, &f->a, "110101", 12, &cov, &ncov), DB_OK);
	assert_int_equal(ncov, 1);
	assert_int_equal(cov[0].households, 1);
	assert_int_equal(cov[0].covered, 1);
	int64_t count = 0;
	assert_int_equal(store_party_centers_count(f->db, "110101", &count), DB_OK);
	assert_int_equal(count, 1);
	struct party_grid_row *grids;
	size_t n;
	assert_int_equal(store_party_grid_branches(f->db, &f->a, "110101001001", &grids, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(grids[0].branches, 1);
	assert_int_equal(store_party_regions_under(f->db, &f->a, "110101", REGION_GRID, &grids, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_party_centers_end(f->db, c.id, NOW + 1), DB_OK);
	assert_int_equal(store_party_centers_count(f->db, "110101", &count), DB_OK);
	assert_int_equal(count, 0);
	/* Edge: the compatibility count for the CLI binds its typed parameters. */
	assert_int_equal(
	    store_party_count(f->db, &count,
	                      "SELECT count(*) FROM party_orgs WHERE region_code >= ? AND "
	                      "region_code < ?",
	                      "tt", "110101", "110101;"),
	    DB_OK);
	assert_int_equal(count, 1);
	assert_int_equal(
	    store_party_count(f->db, &count, "SELECT count(*) FROM party_orgs WHERE 0", ""), DB_OK);
	assert_int_equal(count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_party_orgs),
	    T(test_party_members),
	    T(test_party_centers_and_reports),
	};
	return RUN(tests);
}
