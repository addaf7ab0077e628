/* Store tests: party organisations (store/party/party_orgs.c), on a temporary database
 * brought to the newest schema by the real migrations. Members, 党员中心户 and the report
 * counts are in test_store_party_members.c, test_store_party_centers.c and
 * test_store_party_reports.c. */
#include "party_fixture.h"
#include "store_fixture.h"

#include "store/party/party.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_party_orgs),
	};
	return RUN(tests);
}
