/* Store tests: the counts of the party structure and coverage reports
 * (store/party/party_reports.c) — the typed count for the CLI, households covered by active
 * 党员中心户 per group of region codes equal to a recount, active regions of a level, grid
 * branches per grid, buildings with their party groups and building leaders, active centers
 * under a prefix, and functional branches with their distinct members. */
#include "party_fixture.h"
#include "store_fixture.h"

#include "store/base/base.h"
#include "store/party/pairings.h"
#include "store/party/party.h"
#include "store/stmt.h"

#define GRID2      "110101001001002"
#define COMMUNITY2 "110101001002"
#define GRID3      "110101001002001" /* a grid of another community */

static void seed(struct fixture *f)
{
	seed_grid(f->db);
	insert_region(f->db, GRID2, "110101001001", "第二网格");
	insert_region(f->db, COMMUNITY2, "110101001", "另一社区");
	insert_region(f->db, GRID3, COMMUNITY2, "另一网格");
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

static int64_t add_household(struct fixture *f, const char *region)
{
	struct household_row hh = {.region_code = region, .number = "1", .created_at = NOW};
	assert_int_equal(store_households_insert(f->db, &hh), DB_OK);
	return hh.id;
}

static int64_t add_center(struct fixture *f, int64_t member, int64_t household, const char *region)
{
	struct party_center_row c = {
	    .member_id = member, .household_id = household, .region_code = region};
	assert_int_equal(store_party_centers_insert(f->db, &c), DB_OK);
	return c.id;
}

static void set_status(struct fixture *f, const char *table, const char *status, int64_t id)
{
	char sql[96];
	snprintf(sql, sizeof sql, "UPDATE %s SET status = ? WHERE id = ?", table);
	assert_int_equal(sql_change(f->db, sql, ARGS(ARG_TEXT(status), ARG_INT(id))), DB_OK);
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

static void test_count_types(void **state)
{
	struct fixture *f = *state;
	int64_t v = -1;
	assert_int_equal(store_party_count(f->db, &v, "SELECT ? + 1", "i", (int64_t)41), DB_OK);
	assert_int_equal(v, 42);
	/* 'n' binds 0 as NULL and anything else as the number. */
	assert_int_equal(store_party_count(f->db, &v, "SELECT coalesce(?, 7)", "n", (int64_t)0),
	                 DB_OK);
	assert_int_equal(v, 7);
	assert_int_equal(store_party_count(f->db, &v, "SELECT coalesce(?, 7)", "n", (int64_t)5),
	                 DB_OK);
	assert_int_equal(v, 5);
	assert_int_equal(store_party_count(f->db, &v, "SELECT CAST(? * 2 AS INTEGER)", "d", 1.5),
	                 DB_OK);
	assert_int_equal(v, 3);
	assert_int_equal(store_party_count(f->db, &v, "SELECT length(?) + (? IS NULL)", "tt", "abc",
	                                   (const char *)NULL),
	                 DB_OK);
	assert_int_equal(v, 4);
}

static void test_coverage_and_centers(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t branch = add_org(f, "第一网格党支部", PARTY_GRID_BRANCH, 0, GRID);
	int64_t h[6];
	static const char *const at[] = {GRID, GRID, GRID, GRID, GRID2, GRID2};
	for (int i = 0; i < 6; i++)
		h[i] = add_household(f, at[i]);
	int64_t a = add_center(f, add_member(f, "甲", branch), h[0], GRID);
	assert_int_equal(store_party_center_links_add(f->db, a, h[1]), DB_OK);
	assert_int_equal(store_party_center_links_add(f->db, a, h[4]), DB_OK);
	/* Ended with its links kept: neither its household nor the links count. */
	int64_t b = add_center(f, add_member(f, "乙", branch), h[2], GRID);
	assert_int_equal(store_party_center_links_add(f->db, b, h[5]), DB_OK);
	set_status(f, "party_centers", "ended", b);
	/* Registered in the other community, its household in the first. */
	add_center(f, add_member(f, "丙", branch), h[3], GRID3);

	struct party_coverage_row *rows;
	size_t n;
	assert_int_equal(store_party_coverage(f->db, &f->a, "110101", GRID_LEN, &rows, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].region_code, GRID);
	assert_int_equal(rows[0].households, 4);
	assert_int_equal(rows[0].covered, 3);
	assert_int_equal(rows[0].centers, 1);
	assert_string_equal(rows[1].region_code, GRID2);
	assert_int_equal(rows[1].households, 2);
	assert_int_equal(rows[1].covered, 1);
	assert_int_equal(rows[1].centers, 0);
	assert_string_equal(rows[2].region_code, GRID3); /* centers without households */
	assert_int_equal(rows[2].households, 0);
	assert_int_equal(rows[2].covered, 0);
	assert_int_equal(rows[2].centers, 1);
	/* By community, and a recount of the covered households. */
	assert_int_equal(store_party_coverage(f->db, &f->a, "110101", 12, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].region_code, "110101001001");
	assert_int_equal(rows[0].households, 6);
	assert_int_equal(rows[0].covered, 4);
	int64_t recount = -1;
	assert_int_equal(sql_int(f->db,
	                         "SELECT count(*) FROM households h WHERE EXISTS (SELECT 1 FROM "
	                         "party_centers c WHERE c.status = 'active' AND (c.household_id = "
	                         "h.id OR EXISTS (SELECT 1 FROM party_center_links l WHERE "
	                         "l.center_id = c.id AND l.household_id = h.id)))",
	                         NULL, 0, &recount),
	                 DB_OK);
	assert_int_equal(rows[0].covered, recount);
	assert_string_equal(rows[1].region_code, COMMUNITY2);
	assert_int_equal(rows[1].centers, 1);
	assert_int_equal(store_party_coverage(f->db, &f->a, GRID2, GRID_LEN, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].households, 2);

	int64_t count = -1;
	assert_int_equal(store_party_centers_count(f->db, "110101", &count), DB_OK);
	assert_int_equal(count, 2);
	assert_int_equal(store_party_centers_count(f->db, "110101001001", &count), DB_OK);
	assert_int_equal(count, 1);
	assert_int_equal(store_party_centers_count(f->db, GRID3, &count), DB_OK);
	assert_int_equal(count, 1);
	assert_int_equal(store_party_centers_count(f->db, "110102", &count), DB_OK);
	assert_int_equal(count, 0);
}

static void test_regions_branches_buildings(void **state)
{
	struct fixture *f = *state;
	seed(f);
	insert_region(f->db, "110101001001003", "110101001001", "第三网格");
	assert_int_equal(db_exec(f->db, "UPDATE regions SET status = 'retired' WHERE code = "
	                                "'110101001001003'"),
	                 DB_OK);
	struct party_grid_row *g;
	size_t n;
	assert_int_equal(store_party_regions_under(f->db, &f->a, "110101", REGION_GRID, &g, &n),
	                 DB_OK);
	assert_int_equal(n, 3); /* the retired one left out */
	assert_string_equal(g[0].code, GRID);
	assert_string_equal(g[0].name, "第一网格");
	assert_string_equal(g[1].code, GRID2);
	assert_string_equal(g[2].code, GRID3);
	assert_int_equal(g[0].branches, 0);
	assert_int_equal(
	    store_party_regions_under(f->db, &f->a, "110101001", REGION_COMMUNITY, &g, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(g[1].code, COMMUNITY2);

	/* Grid branches: active ones of that kind anchored at each active grid of the community. */
	add_org(f, "第一网格党支部", PARTY_GRID_BRANCH, 0, GRID);
	add_org(f, "第一网格第二党支部", PARTY_GRID_BRANCH, 0, GRID);
	int64_t gone = add_org(f, "旧党支部", PARTY_GRID_BRANCH, 0, GRID2);
	set_status(f, "party_orgs", "dissolved", gone);
	add_org(f, "普通党支部", PARTY_BRANCH, 0, GRID2);
	add_org(f, "另一网格党支部", PARTY_GRID_BRANCH, 0, GRID3);
	assert_int_equal(store_party_grid_branches(f->db, &f->a, "110101001001", &g, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(g[0].code, GRID);
	assert_int_equal(g[0].branches, 2);
	assert_string_equal(g[1].code, GRID2);
	assert_int_equal(g[1].branches, 0);

	/* Buildings: their active 党小组 and active building leaders. */
	int64_t b[3];
	static const char *const at[] = {GRID, GRID, GRID3};
	for (int i = 0; i < 3; i++) {
		struct building_row br = {.region_code = at[i], .name = i ? "2号楼" : "1号楼"};
		assert_int_equal(store_buildings_insert(f->db, &br), DB_OK);
		b[i] = br.id;
	}
	struct building_row retired = {.region_code = "110101001001003", .name = "9号楼"};
	assert_int_equal(store_buildings_insert(f->db, &retired), DB_OK);
	for (int i = 0; i < 3; i++) {
		struct party_org_row o = {.name = "楼栋党小组",
		                          .kind = PARTY_GROUP,
		                          .region_code = GRID,
		                          .building_id = b[0],
		                          .active = true};
		assert_int_equal(store_party_orgs_insert(f->db, &o), DB_OK);
		if (i == 2)
			set_status(f, "party_orgs", "dissolved", o.id);
		struct team_member_row t = {.region_code = GRID,
		                            .name = "楼长",
		                            .building_id = b[i ? 1 : 0],
		                            .role =
		                                i == 2 ? TEAM_GRID_WORKER : TEAM_BUILDING_LEADER};
		assert_int_equal(store_team_insert(f->db, &t), DB_OK);
	}
	struct team_member_row ended = {.region_code = GRID,
	                                .name = "前楼长",
	                                .building_id = b[0],
	                                .role = TEAM_BUILDING_LEADER};
	assert_int_equal(store_team_insert(f->db, &ended), DB_OK);
	assert_int_equal(store_team_end(f->db, ended.id, NOW), DB_OK);
	struct party_building_row *rows;
	assert_int_equal(store_party_buildings(f->db, &f->a, "110101", &rows, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, b[0]);
	assert_string_equal(rows[0].name, "1号楼");
	assert_string_equal(rows[0].region_code, GRID);
	assert_int_equal(rows[0].groups, 2);
	assert_int_equal(rows[0].leaders, 1);
	assert_int_equal(rows[1].id, b[1]);
	assert_int_equal(rows[1].groups, 0);
	assert_int_equal(rows[1].leaders, 1);
	assert_int_equal(rows[2].id, b[2]);
	assert_int_equal(rows[2].leaders, 0);
	assert_int_equal(store_party_buildings(f->db, &f->a, COMMUNITY2, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, b[2]);
}

static void test_functional_counts(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t p = add_org(f, "第一网格党支部", PARTY_GRID_BRANCH, 0, GRID);
	int64_t s1 = add_org(f, "下沉党支部", PARTY_FUNCTIONAL_SINKING, 0, "110101001001");
	int64_t o1 = add_org(f, "两新党支部", PARTY_FUNCTIONAL_SOCIAL, 0, GRID);
	int64_t s2 = add_org(f, "另一下沉党支部", PARTY_FUNCTIONAL_SINKING, 0, COMMUNITY2);
	int64_t s3 = add_org(f, "旧下沉党支部", PARTY_FUNCTIONAL_SINKING, 0, "110101001001");
	set_status(f, "party_orgs", "dissolved", s3);
	int64_t m1 = add_member(f, "甲", p), m2 = add_member(f, "乙", p),
	        m3 = add_member(f, "丙", s2), m4 = add_member(f, "丁", p),
	        m5 = add_member(f, "戊", p);
	assert_int_equal(store_party_memberships_add(f->db, m1, s1, NOW), DB_OK);
	assert_int_equal(store_party_memberships_add(f->db, m1, o1, NOW), DB_OK);
	assert_int_equal(store_party_memberships_add(f->db, m1, s2, NOW), DB_OK);
	assert_int_equal(store_party_memberships_add(f->db, m2, s1, NOW), DB_OK);
	assert_int_equal(store_party_memberships_add(f->db, m4, s1, NOW), DB_OK);
	set_status(f, "party_members", "transferred_out", m4);
	assert_int_equal(store_party_memberships_add(f->db, m5, s3, NOW), DB_OK); /* dissolved */
	(void)m3;
	struct party_functional_row *rows;
	size_t n;
	int64_t total = -1;
	assert_int_equal(
	    store_party_functional_counts(f->db, &f->a, "110101", 12, &rows, &n, &total), DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].region_code, "110101001001");
	assert_int_equal(rows[0].sinking, 1);
	assert_int_equal(rows[0].social, 1);
	assert_int_equal(rows[0].members, 2); /* m1 once, m2 */
	assert_string_equal(rows[1].region_code, COMMUNITY2);
	assert_int_equal(rows[1].sinking, 1);
	assert_int_equal(rows[1].social, 0);
	assert_int_equal(rows[1].members, 2); /* m3 (primary), m1 */
	assert_int_equal(total, 3);           /* m1, m2, m3: each once */
	assert_int_equal(
	    store_party_functional_counts(f->db, &f->a, COMMUNITY2, 12, &rows, &n, &total), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(total, 2);
	assert_int_equal(
	    store_party_functional_counts(f->db, &f->a, "110102", 12, &rows, &n, &total), DB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(total, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_party_centers_and_reports), T(test_count_types),
	    T(test_coverage_and_centers),      T(test_regions_branches_buildings),
	    T(test_functional_counts),
	};
	return RUN(tests);
}
