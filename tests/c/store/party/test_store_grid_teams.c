/* Store tests: the grid service team (store/party/grid_teams.c) — a team member read back field
 * for field, ending one member and ending a cadre's active places alone, the list of active
 * members under a region prefix by grid, role and id, and the per-grid counts by role and of
 * buildings with and without a leader against a recount. */
#include "store_fixture.h"

#include "store/base/base.h"
#include "store/party/pairings.h"
#include "store/party/party.h"
#include "store/stmt.h"

#define GRID2 "110101001001002"
#define GRID3 "110101001002001" /* a grid of another community */

static int64_t add_cadre(struct fixture *f, const char *name, enum cadre_kind kind)
{
	struct cadre_row c = {.name = name,
	                      .unit = "区司法局",
	                      .region_code = "110101001001",
	                      .kind = kind,
	                      .active = true,
	                      .started_on = "2026-01-01",
	                      .created_at = NOW,
	                      .updated_at = NOW};
	assert_int_equal(store_cadres_insert(f->db, &c), DB_OK);
	return c.id;
}

static int64_t add(struct fixture *f, const char *region, enum team_role role, int64_t cadre,
                   int64_t building)
{
	struct team_member_row t = {.region_code = region,
	                            .name = "队员",
	                            .role = role,
	                            .cadre_id = cadre,
	                            .building_id = building,
	                            .created_at = NOW,
	                            .updated_at = NOW};
	assert_int_equal(store_team_insert(f->db, &t), DB_OK);
	assert_true(t.id > 0);
	return t.id;
}

static int64_t add_building(struct fixture *f, const char *region, const char *name)
{
	struct building_row b = {.region_code = region, .name = name};
	assert_int_equal(store_buildings_insert(f->db, &b), DB_OK);
	return b.id;
}

static void seed(struct fixture *f)
{
	seed_grid(f->db);
	insert_region(f->db, GRID2, "110101001001", "第二网格");
	insert_region(f->db, "110101001002", "110101001", "另一社区");
	insert_region(f->db, GRID3, "110101001002", "另一网格");
}

static void test_grid_team(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t cadre = add_cadre(f, "李干部", CADRE_SINKING);
	struct team_member_row t = {.region_code = GRID,
	                            .name = "李干部",
	                            .cadre_id = cadre,
	                            .role = TEAM_GRID_WORKER,
	                            .active = true,
	                            .started_on = "2026-01-01",
	                            .created_at = NOW,
	                            .updated_at = NOW};
	assert_int_equal(store_team_insert(f->db, &t), DB_OK);
	struct team_member_row got;
	assert_int_equal(store_team_get(f->db, &f->a, t.id, &got), DB_ROW);
	assert_int_equal(got.role, TEAM_GRID_WORKER);
	assert_null(got.building_name);
	struct team_grid_row *grids;
	size_t n;
	assert_int_equal(store_team_grids(f->db, &f->a, "110101", &grids, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(grids[0].workers, 1);
	/* Edge: ending the cadre's service ends their team places. */
	assert_int_equal(store_team_end_for_cadre(f->db, cadre, NOW + 1), DB_OK);
	struct team_member_row *rows;
	assert_int_equal(store_team_list(f->db, &f->a, "110101", &rows, &n), DB_OK);
	assert_int_equal(n, 0);
}

static void test_insert_get_end(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t u = add_user(f->db, "louzhang", false), b = add_building(f, GRID, "3号楼");
	int64_t cadre = add_cadre(f, "李干部", CADRE_SINKING);
	struct team_member_row t = {.region_code = GRID,
	                            .name = "张楼长",
	                            .user_id = u,
	                            .cadre_id = cadre,
	                            .building_id = b,
	                            .role = TEAM_BUILDING_LEADER,
	                            .full_time = true,
	                            .started_on = "2026-02-01",
	                            .created_at = NOW,
	                            .updated_at = NOW + 1};
	assert_int_equal(store_team_insert(f->db, &t), DB_OK);
	int64_t other = add(f, GRID, TEAM_SUPERVISOR, 0, 0);
	struct team_member_row got;
	assert_int_equal(store_team_get(f->db, &f->a, t.id, &got), DB_ROW);
	assert_int_equal(got.id, t.id);
	assert_int_equal(got.user_id, u);
	assert_int_equal(got.cadre_id, cadre);
	assert_int_equal(got.building_id, b);
	assert_string_equal(got.building_name, "3号楼");
	assert_string_equal(got.region_code, GRID);
	assert_string_equal(got.name, "张楼长");
	assert_string_equal(got.started_on, "2026-02-01");
	assert_int_equal(got.role, TEAM_BUILDING_LEADER);
	assert_true(got.full_time);
	assert_true(got.active);
	assert_int_equal(got.created_at, NOW);
	assert_int_equal(got.updated_at, NOW + 1);
	assert_int_equal(store_team_get(f->db, &f->a, other, &got), DB_ROW);
	assert_int_equal(got.role, TEAM_SUPERVISOR);
	assert_int_equal(got.user_id, 0);
	assert_int_equal(got.cadre_id, 0);
	assert_false(got.full_time);
	assert_null(got.started_on);
	assert_int_equal(store_team_get(f->db, &f->a, other + 100, &got), DB_DONE);
	/* The schema refuses a region that does not exist. */
	struct team_member_row bad = t;
	bad.region_code = "110199001001001";
	assert_int_equal(store_team_insert(f->db, &bad), DB_CONSTRAINT);

	/* Ending one leaves the other. */
	assert_int_equal(store_team_end(f->db, t.id, NOW + 60), DB_OK);
	assert_int_equal(store_team_get(f->db, &f->a, t.id, &got), DB_ROW);
	assert_false(got.active);
	assert_int_equal(got.updated_at, NOW + 60);
	assert_int_equal(store_team_get(f->db, &f->a, other, &got), DB_ROW);
	assert_true(got.active);
	assert_int_equal(got.updated_at, NOW);
}

static void test_end_for_cadre(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t c1 = add_cadre(f, "李干部", CADRE_SINKING),
	        c2 = add_cadre(f, "赵法官", CADRE_JUDGE);
	int64_t a = add(f, GRID, TEAM_BUILDING_LEADER, c1, 0),
	        b = add(f, GRID2, TEAM_GRID_WORKER, c1, 0),
	        old = add(f, GRID, TEAM_GRID_WORKER, c1, 0),
	        keep = add(f, GRID, TEAM_GRID_WORKER, c2, 0);
	assert_int_equal(store_team_end(f->db, old, NOW + 5), DB_OK);
	assert_int_equal(store_team_end_for_cadre(f->db, c1, NOW + 60), DB_OK);
	struct team_member_row got;
	assert_int_equal(store_team_get(f->db, &f->a, a, &got), DB_ROW);
	assert_false(got.active);
	assert_int_equal(got.updated_at, NOW + 60);
	assert_int_equal(store_team_get(f->db, &f->a, b, &got), DB_ROW);
	assert_false(got.active);
	/* Ended before: its end stays as it was. */
	assert_int_equal(store_team_get(f->db, &f->a, old, &got), DB_ROW);
	assert_int_equal(got.updated_at, NOW + 5);
	assert_int_equal(store_team_get(f->db, &f->a, keep, &got), DB_ROW);
	assert_true(got.active);
	assert_int_equal(got.updated_at, NOW);
}

static void test_list(void **state)
{
	struct fixture *f = *state;
	seed(f);
	/* Inserted out of order: the list sorts by grid, then role, then id. */
	int64_t g2w = add(f, GRID2, TEAM_GRID_WORKER, 0, 0),
	        bl = add(f, GRID, TEAM_BUILDING_LEADER, 0, 0),
	        w1 = add(f, GRID, TEAM_GRID_WORKER, 0, 0),
	        lead = add(f, GRID, TEAM_GRID_LEADER, 0, 0),
	        sup = add(f, GRID, TEAM_SUPERVISOR, 0, 0),
	        w2 = add(f, GRID, TEAM_GRID_WORKER, 0, 0),
	        far = add(f, GRID3, TEAM_SUPERVISOR, 0, 0),
	        gone = add(f, GRID, TEAM_SUPERVISOR, 0, 0);
	assert_int_equal(store_team_end(f->db, gone, NOW + 1), DB_OK);
	struct team_member_row *rows;
	size_t n;
	assert_int_equal(store_team_list(f->db, &f->a, "110101001001", &rows, &n), DB_OK);
	const int64_t want[] = {sup, lead, w1, w2, bl, g2w};
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(rows[i].id, want[i]);
	assert_int_equal(store_team_list(f->db, &f->a, GRID3, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, far);
	assert_int_equal(store_team_list(f->db, &f->a, "110101", &rows, &n), DB_OK);
	assert_int_equal(n, 7);
	assert_int_equal(store_team_list(f->db, &f->a, "110102", &rows, &n), DB_OK);
	assert_int_equal(n, 0);
}

static void test_grids(void **state)
{
	struct fixture *f = *state;
	seed(f);
	insert_region(f->db, "110101001001003", "110101001001", "第三网格");
	assert_int_equal(db_exec(f->db, "UPDATE regions SET status = 'retired' WHERE code = "
	                                "'110101001001003'"),
	                 DB_OK);
	int64_t b1 = add_building(f, GRID, "1号楼"), b2 = add_building(f, GRID, "2号楼");
	add_building(f, GRID, "3号楼");
	int64_t b4 = add_building(f, GRID2, "4号楼");
	add(f, GRID, TEAM_SUPERVISOR, 0, 0);
	add(f, GRID, TEAM_GRID_LEADER, 0, 0);
	add(f, GRID, TEAM_GRID_WORKER, 0, 0);
	add(f, GRID, TEAM_GRID_WORKER, 0, 0);
	add(f, GRID, TEAM_BUILDING_LEADER, 0, b1);
	add(f, GRID, TEAM_BUILDING_LEADER, 0, b1); /* two leaders, one building led */
	assert_int_equal(store_team_end(f->db, add(f, GRID, TEAM_BUILDING_LEADER, 0, b2), NOW),
	                 DB_OK); /* ended: b2 not led */
	assert_int_equal(store_team_end(f->db, add(f, GRID, TEAM_GRID_WORKER, 0, 0), NOW), DB_OK);
	add(f, GRID, TEAM_GRID_WORKER, 0, b4); /* not a leader: b4 not led */
	add(f, GRID3, TEAM_GRID_WORKER, 0, 0);
	struct team_grid_row *g;
	size_t n;
	assert_int_equal(store_team_grids(f->db, &f->a, "110101001001", &g, &n), DB_OK);
	assert_int_equal(n, 2); /* the retired grid left out */
	assert_string_equal(g[0].code, GRID);
	assert_string_equal(g[0].name, "第一网格");
	assert_int_equal(g[0].supervisors, 1);
	assert_int_equal(g[0].leaders, 1);
	assert_int_equal(g[0].workers, 3);
	assert_int_equal(g[0].buildings, 3);
	assert_int_equal(g[0].buildings_led, 1);
	assert_string_equal(g[1].code, GRID2);
	assert_int_equal(g[1].supervisors + g[1].leaders + g[1].workers, 0);
	assert_int_equal(g[1].buildings, 1);
	assert_int_equal(g[1].buildings_led, 0);
	/* The role counts equal a recount of the active members. */
	int64_t recount = -1;
	assert_int_equal(sql_int(f->db,
	                         "SELECT count(*) FROM grid_team_members WHERE region_code = ? AND "
	                         "status = 'active' AND role != 'building_leader'",
	                         ARGS(ARG_TEXT(GRID)), &recount),
	                 DB_OK);
	assert_int_equal(g[0].supervisors + g[0].leaders + g[0].workers, recount);
	assert_int_equal(store_team_grids(f->db, &f->a, "110101", &g, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_string_equal(g[2].code, GRID3);
	assert_int_equal(g[2].workers, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_grid_team), T(test_insert_get_end), T(test_end_for_cadre),
	    T(test_list),      T(test_grids),
	};
	return RUN(tests);
}
