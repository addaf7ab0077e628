/* Store tests: party members, their functional memberships and their history
 * (store/party/party_members.c) — a member read back field for field with one member per
 * resident and per account, the update of one row, the list and the roster over each filter
 * (region prefix of the primary or a functional branch, organisation, 党小组, status, name,
 * cursor and limit), the primary and held counts equal to a recount, memberships once each,
 * and the append-only events. */
#include "party_fixture.h"
#include "store_fixture.h"

#include "store/base/base.h"
#include "store/party/party.h"
#include "store/stmt.h"

#define COMMUNITY2 "110101001002"
#define GRID3      "110101001002001" /* a grid of another community */

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
	assert_int_equal(store_party_memberships_remove(f->db, wang, functional), DB_DONE);
}

static void test_insert_get_update(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t branch = add_org(f, "第一网格党支部", PARTY_GRID_BRANCH, 0, GRID);
	int64_t group = add_org(f, "1号楼党小组", PARTY_GROUP, branch, GRID);
	int64_t other = add_org(f, "第二党支部", PARTY_BRANCH, 0, "110101001001");
	int64_t u = add_user(f->db, "dangyuan", false);
	struct resident_row r;
	memset(&r, 0, sizeof r);
	r.region_code = GRID;
	r.name = "王芳";
	r.residency = "registered";
	r.tags = "";
	r.status = "active";
	r.created_at = r.updated_at = NOW;
	assert_int_equal(store_residents_insert(f->db, &r), DB_OK);
	struct party_member_row m = {.name = "王芳",
	                             .resident_id = r.id,
	                             .user_id = u,
	                             .org_id = branch,
	                             .group_id = group,
	                             .region_code = GRID,
	                             .status = MEMBER_PROBATIONARY,
	                             .joined_on = "2025-07-01",
	                             .transferred_in = true,
	                             .note = "退休教师",
	                             .created_at = NOW,
	                             .updated_at = NOW + 1};
	assert_int_equal(store_party_members_insert(f->db, &m), DB_OK);
	int64_t bystander = add_member(f, "李明", branch);
	struct party_member_row got;
	assert_int_equal(store_party_members_get(f->db, &f->a, m.id, &got), DB_ROW);
	assert_int_equal(got.id, m.id);
	assert_string_equal(got.name, "王芳");
	assert_int_equal(got.resident_id, r.id);
	assert_int_equal(got.user_id, u);
	assert_int_equal(got.org_id, branch);
	assert_string_equal(got.org_name, "第一网格党支部");
	assert_int_equal(got.group_id, group);
	assert_string_equal(got.group_name, "1号楼党小组");
	assert_string_equal(got.region_code, GRID);
	assert_int_equal(got.status, MEMBER_PROBATIONARY);
	assert_string_equal(got.joined_on, "2025-07-01");
	assert_true(got.transferred_in);
	assert_string_equal(got.note, "退休教师");
	assert_int_equal(got.created_at, NOW);
	assert_int_equal(got.updated_at, NOW + 1);
	assert_int_equal(store_party_members_get(f->db, &f->a, bystander + 100, &got), DB_DONE);
	/* One member per resident and per account. */
	struct party_member_row dup = m;
	dup.user_id = 0;
	assert_int_equal(store_party_members_insert(f->db, &dup), DB_CONSTRAINT);
	dup = m;
	dup.resident_id = 0;
	assert_int_equal(store_party_members_insert(f->db, &dup), DB_CONSTRAINT);
	/* The update writes its columns on that row alone. */
	struct party_member_row up = got;
	up.name = "王芳芳";
	up.org_id = other;
	up.group_id = 0;
	up.region_code = "110101001001";
	up.status = MEMBER_TRANSFERRED_OUT;
	up.joined_on = "2024-07-01";
	up.transferred_in = false;
	up.note = "迁出";
	up.updated_at = NOW + 60;
	assert_int_equal(store_party_members_update(f->db, &up), DB_OK);
	assert_int_equal(store_party_members_get(f->db, &f->a, m.id, &got), DB_ROW);
	assert_string_equal(got.name, "王芳芳");
	assert_int_equal(got.org_id, other);
	assert_string_equal(got.org_name, "第二党支部");
	assert_int_equal(got.group_id, 0);
	assert_null(got.group_name);
	assert_string_equal(got.region_code, "110101001001");
	assert_int_equal(got.status, MEMBER_TRANSFERRED_OUT);
	assert_string_equal(got.joined_on, "2024-07-01");
	assert_false(got.transferred_in);
	assert_string_equal(got.note, "迁出");
	assert_int_equal(got.updated_at, NOW + 60);
	assert_int_equal(got.created_at, NOW);
	assert_int_equal(got.resident_id, r.id); /* not the update's */
	assert_int_equal(got.user_id, u);
	assert_int_equal(store_party_members_get(f->db, &f->a, bystander, &got), DB_ROW);
	assert_string_equal(got.name, "李明");
	assert_int_equal(got.org_id, branch);
	assert_int_equal(got.updated_at, NOW);
}

static size_t list(struct fixture *f, struct party_member_filter flt, struct party_member_row **r)
{
	size_t n = 99;
	if (!flt.limit)
		flt.limit = 10;
	assert_int_equal(store_party_members_list(f->db, &f->a, &flt, r, &n), DB_OK);
	return n;
}

static void test_list_roster_counts(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	insert_region(f->db, COMMUNITY2, "110101001", "另一社区");
	insert_region(f->db, GRID3, COMMUNITY2, "另一网格");
	int64_t branch = add_org(f, "第一网格党支部", PARTY_GRID_BRANCH, 0, GRID);
	int64_t group = add_org(f, "1号楼党小组", PARTY_GROUP, branch, GRID);
	int64_t far = add_org(f, "另一网格党支部", PARTY_GRID_BRANCH, 0, GRID3);
	int64_t sink = add_org(f, "下沉党支部", PARTY_FUNCTIONAL_SINKING, 0, COMMUNITY2);
	int64_t social = add_org(f, "两新党支部", PARTY_FUNCTIONAL_SOCIAL, 0, COMMUNITY2);
	int64_t a = add_member(f, "王芳", branch), b = add_member(f, "王强", branch),
	        c = add_member(f, "李明", branch);
	struct party_member_row m = {.name = "赵刚",
	                             .region_code = GRID3,
	                             .org_id = far,
	                             .status = MEMBER_PROBATIONARY,
	                             .created_at = NOW,
	                             .updated_at = NOW};
	assert_int_equal(store_party_members_insert(f->db, &m), DB_OK);
	int64_t d = m.id;
	assert_int_equal(store_party_members_get(f->db, &f->a, c, &m), DB_ROW);
	m.status = MEMBER_TRANSFERRED_OUT;
	assert_int_equal(store_party_members_update(f->db, &m), DB_OK);
	assert_int_equal(store_party_members_get(f->db, &f->a, b, &m), DB_ROW);
	m.group_id = group;
	assert_int_equal(store_party_members_update(f->db, &m), DB_OK);
	assert_int_equal(store_party_memberships_add(f->db, b, social, NOW), DB_OK);
	assert_int_equal(store_party_memberships_add(f->db, b, sink, NOW), DB_OK);
	/* a is a resident (female) keeping a 党员中心户; c kept one, ended. */
	struct resident_row r;
	memset(&r, 0, sizeof r);
	r.region_code = GRID;
	r.name = "王芳";
	r.gender = "female";
	r.residency = "registered";
	r.tags = "";
	r.status = "active";
	assert_int_equal(store_residents_insert(f->db, &r), DB_OK);
	assert_int_equal(sql_change(f->db, "UPDATE party_members SET resident_id = ? WHERE id = ?",
	                            ARGS(ARG_INT(r.id), ARG_INT(a))),
	                 DB_OK);
	for (int i = 0; i < 2; i++) {
		struct household_row hh = {.region_code = GRID, .number = i ? "2" : "1"};
		assert_int_equal(store_households_insert(f->db, &hh), DB_OK);
		struct party_center_row pc = {
		    .member_id = i ? c : a, .household_id = hh.id, .region_code = GRID};
		assert_int_equal(store_party_centers_insert(f->db, &pc), DB_OK);
		if (i)
			assert_int_equal(store_party_centers_end(f->db, pc.id, NOW), DB_OK);
	}
	struct party_member_row *rows;
	/* Region: the primary branch's region, or a functional branch's (b by its memberships). */
	assert_int_equal(
	    list(f, (struct party_member_filter){.region = "110101", .status = -1}, &rows), 4);
	assert_int_equal(list(f, (struct party_member_filter){.region = GRID, .status = -1}, &rows),
	                 3);
	assert_int_equal(
	    list(f, (struct party_member_filter){.region = COMMUNITY2, .status = -1}, &rows), 2);
	assert_int_equal(rows[0].id, b);
	assert_int_equal(rows[1].id, d);
	/* Organisation (primary or functional), 党小组, status, name. */
	assert_int_equal(list(f, (struct party_member_filter){.org_id = sink, .status = -1}, &rows),
	                 1);
	assert_int_equal(rows[0].id, b);
	assert_int_equal(
	    list(f, (struct party_member_filter){.org_id = branch, .status = -1}, &rows), 3);
	assert_int_equal(
	    list(f, (struct party_member_filter){.group_id = group, .status = -1}, &rows), 1);
	assert_int_equal(rows[0].id, b);
	assert_int_equal(
	    list(f, (struct party_member_filter){.status = MEMBER_TRANSFERRED_OUT}, &rows), 1);
	assert_int_equal(rows[0].id, c);
	assert_int_equal(list(f, (struct party_member_filter){.status = MEMBER_FULL}, &rows), 2);
	assert_int_equal(list(f, (struct party_member_filter){.status = -1, .q = "王"}, &rows), 2);
	assert_int_equal(rows[0].id, a);
	assert_int_equal(rows[1].id, b);
	/* Cursor and limit, in id order. */
	assert_int_equal(list(f, (struct party_member_filter){.status = -1, .limit = 2}, &rows), 2);
	assert_int_equal(rows[1].id, b);
	assert_int_equal(
	    list(f, (struct party_member_filter){.status = -1, .after_id = b, .limit = 2}, &rows),
	    2);
	assert_int_equal(rows[0].id, c);
	assert_int_equal(rows[1].id, d);

	/* The roster: same members, with kind, region name, gender, functional names, center. */
	struct party_roster_row *roster;
	size_t n;
	struct party_member_filter all = {.region = "", .status = -1, .limit = 10};
	assert_int_equal(store_party_members_roster(f->db, &f->a, &all, &roster, &n), DB_OK);
	assert_int_equal(n, 4);
	assert_int_equal(roster[1].m.id, b);
	assert_int_equal(roster[1].org_kind, PARTY_GRID_BRANCH);
	assert_string_equal(roster[1].region_name, "第一网格");
	assert_string_equal(roster[1].functional, "下沉党支部、两新党支部"); /* by org id */
	assert_string_equal(roster[1].m.group_name, "1号楼党小组");
	assert_null(roster[1].gender);
	assert_false(roster[1].center);
	assert_null(roster[0].functional);
	assert_string_equal(roster[0].gender, "female");
	assert_true(roster[0].center);
	assert_false(roster[2].center); /* ended */
	assert_string_equal(roster[3].region_name, "另一网格");
	all.q = "李";
	assert_int_equal(store_party_members_roster(f->db, &f->a, &all, &roster, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(roster[0].m.id, c);

	/* Counts leave the transferred out; the group's members count where it is held. */
	int64_t cnt = -1, recount = -2;
	assert_int_equal(store_party_members_count_primary(f->db, branch, &cnt), DB_OK);
	assert_int_equal(cnt, 2);
	assert_int_equal(sql_int(f->db,
	                         "SELECT count(*) FROM party_members WHERE org_id = ? AND status "
	                         "IN ('full', 'probationary')",
	                         ARGS(ARG_INT(branch)), &recount),
	                 DB_OK);
	assert_int_equal(cnt, recount);
	assert_int_equal(store_party_members_count_primary(f->db, group, &cnt), DB_OK);
	assert_int_equal(cnt, 0);
	assert_int_equal(store_party_members_count_held(f->db, group, &cnt), DB_OK);
	assert_int_equal(cnt, 1);
	assert_int_equal(store_party_members_count_held(f->db, branch, &cnt), DB_OK);
	assert_int_equal(cnt, 2);
	assert_int_equal(store_party_members_count_held(f->db, far, &cnt), DB_OK);
	assert_int_equal(cnt, 1);
}

static void test_memberships_and_events(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t branch = add_org(f, "第一网格党支部", PARTY_GRID_BRANCH, 0, GRID);
	int64_t social = add_org(f, "两新党支部", PARTY_FUNCTIONAL_SOCIAL, 0, "110101001");
	int64_t sink = add_org(f, "下沉党支部", PARTY_FUNCTIONAL_SINKING, 0, "110101001001");
	int64_t a = add_member(f, "王芳", branch), b = add_member(f, "李明", branch);
	assert_int_equal(store_party_memberships_add(f->db, a, sink, NOW + 2), DB_OK);
	assert_int_equal(store_party_memberships_add(f->db, a, social, NOW + 1), DB_OK);
	assert_int_equal(store_party_memberships_add(f->db, a, sink, NOW + 3), DB_CONSTRAINT);
	assert_int_equal(store_party_memberships_add(f->db, b, sink, NOW), DB_OK);
	struct party_membership_row *ms;
	size_t n;
	assert_int_equal(store_party_memberships_list(f->db, &f->a, a, &ms, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ms[0].org_id, social); /* in org id order */
	assert_int_equal(ms[0].joined_at, NOW + 1);
	assert_string_equal(ms[0].org_name, "两新党支部");
	assert_string_equal(ms[0].region_code, "110101001");
	assert_int_equal(ms[0].kind, PARTY_FUNCTIONAL_SOCIAL);
	assert_int_equal(ms[1].org_id, sink);
	assert_int_equal(ms[1].kind, PARTY_FUNCTIONAL_SINKING);
	/* Removing one of a's leaves b's membership of the same branch. */
	assert_int_equal(store_party_memberships_remove(f->db, a, sink), DB_OK);
	assert_int_equal(store_party_memberships_remove(f->db, a, branch), DB_DONE);
	assert_int_equal(store_party_memberships_list(f->db, &f->a, a, &ms, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_party_memberships_list(f->db, &f->a, b, &ms, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ms[0].org_id, sink);

	struct party_event_row e = {.ref_id = a,
	                            .at = NOW,
	                            .actor_id = 7,
	                            .actor = "admin",
	                            .action = "transfer",
	                            .from_ref = branch,
	                            .to_ref = sink,
	                            .from_status = "full",
	                            .to_status = "transferred_out",
	                            .detail = "转出"};
	assert_int_equal(store_party_member_events_add(f->db, &e), DB_OK);
	struct party_event_row e2 = {.ref_id = a, .at = NOW + 5, .action = "note"};
	assert_int_equal(store_party_member_events_add(f->db, &e2), DB_OK);
	struct party_event_row e3 = {.ref_id = b, .at = NOW, .action = "join"};
	assert_int_equal(store_party_member_events_add(f->db, &e3), DB_OK);
	struct party_event_row *ev;
	assert_int_equal(store_party_member_events_list(f->db, &f->a, a, &ev, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_true(ev[0].id > 0 && ev[1].id > ev[0].id);
	assert_int_equal(ev[0].ref_id, a);
	assert_int_equal(ev[0].at, NOW);
	assert_int_equal(ev[0].actor_id, 7);
	assert_string_equal(ev[0].actor, "admin");
	assert_string_equal(ev[0].action, "transfer");
	assert_int_equal(ev[0].from_ref, branch);
	assert_int_equal(ev[0].to_ref, sink);
	assert_null(ev[0].from_region);
	assert_null(ev[0].to_region);
	assert_string_equal(ev[0].from_status, "full");
	assert_string_equal(ev[0].to_status, "transferred_out");
	assert_string_equal(ev[0].detail, "转出");
	assert_string_equal(ev[1].action, "note");
	assert_int_equal(ev[1].actor_id, 0);
	assert_int_equal(ev[1].from_ref, 0);
	assert_null(ev[1].actor);
	assert_null(ev[1].detail);
	/* append-only */
	assert_int_not_equal(db_exec(f->db, "UPDATE party_member_events SET action = 'x'"), DB_OK);
	assert_int_not_equal(db_exec(f->db, "DELETE FROM party_member_events"), DB_OK);
	assert_int_equal(store_party_member_events_list(f->db, &f->a, b, &ev, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ev[0].action, "join");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_party_members),
	    T(test_insert_get_update),
	    T(test_list_roster_counts),
	    T(test_memberships_and_events),
	};
	return RUN(tests);
}
