/* Store tests: volunteers (store/volunteers/volunteers.c) on a temporary database brought to
 * the newest schema by the real migrations — the signed and waiting counts, one live sign-up
 * and membership per person, check-in and a confirmation once, and the ledger's totals and
 * its refusal of edits. Field logs are in test_store_field_logs.c. */
#include "store_fixture.h"

#include "store/volunteers/volunteers.h"

#define COMM "110101001001"

static int64_t add_team(struct fixture *f)
{
	struct vol_team_row t = {
	    .region_code = COMM, .name = "星光艺术团", .created_at = NOW, .updated_at = NOW};
	assert_int_equal(store_vol_teams_insert(f->db, &t), DB_OK);
	return t.id;
}

static int64_t add_activity(struct fixture *f, int64_t team, int64_t capacity)
{
	struct vol_activity_row v = {.team_id = team,
	                             .region_code = COMM,
	                             .title = "义诊进社区",
	                             .starts_at = NOW + 3600,
	                             .ends_at = NOW + 7200,
	                             .capacity = capacity,
	                             .code = "ABC234",
	                             .created_at = NOW,
	                             .updated_at = NOW};
	assert_int_equal(store_vol_activities_insert(f->db, &v), DB_OK);
	return v.id;
}

static enum db_result sign(struct fixture *f, int64_t activity, const char *person,
                           const char *status, int64_t *id)
{
	struct vol_signup_row s = {.activity_id = activity,
	                           .region_code = COMM,
	                           .person = person,
	                           .status = status,
	                           .created_at = NOW};
	enum db_result r = store_vol_signups_insert(f->db, &s);
	*id = s.id;
	return r;
}

static void test_teams_and_signups(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t team = add_team(f);
	struct vol_member_row m = {
	    .team_id = team, .region_code = COMM, .person = "resident:1", .joined_at = NOW};
	assert_int_equal(store_vol_members_insert(f->db, &m), DB_OK);
	struct vol_member_row m2 = m;
	assert_int_equal(store_vol_members_insert(f->db, &m2), DB_CONSTRAINT);
	assert_int_equal(store_vol_members_leave(f->db, m.id, NOW + 1), DB_OK);
	assert_int_equal(store_vol_members_leave(f->db, m.id, NOW + 1), DB_DONE);
	assert_int_equal(store_vol_members_insert(f->db, &m2), DB_OK);
	struct vol_team_row t;
	assert_int_equal(store_vol_teams_get(f->db, &f->a, team, &t), DB_ROW);
	assert_int_equal(t.members, 1);
	assert_string_equal(t.region_name, "多福巷社区");

	int64_t v = add_activity(f, team, 1), a, b, c;
	assert_int_equal(sign(f, v, "resident:1", "signed", &a), DB_OK);
	assert_int_equal(sign(f, v, "resident:1", "waiting", &c), DB_CONSTRAINT);
	assert_int_equal(sign(f, v, "resident:2", "waiting", &b), DB_OK);
	struct vol_activity_row act;
	assert_int_equal(store_vol_activities_get(f->db, &f->a, v, &act), DB_ROW);
	assert_int_equal(act.signed_count, 1);
	assert_int_equal(act.waiting_count, 1);
	assert_string_equal(act.team_name, "星光艺术团");
	/* cancel and promote */
	assert_int_equal(store_vol_signups_set_status(f->db, a, "cancelled", NOW + 2), DB_OK);
	assert_int_equal(store_vol_signups_set_status(f->db, a, "signed", NOW + 2), DB_DONE);
	assert_int_equal(store_vol_signups_set_status(f->db, b, "signed", NOW + 2), DB_OK);
	struct vol_signup_row *rows;
	size_t n;
	assert_int_equal(store_vol_signups_of_activity(f->db, &f->a, v, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, b);
	/* the cancelled person may sign up again */
	assert_int_equal(sign(f, v, "resident:1", "waiting", &c), DB_OK);
	/* a confirmation needs a check-in, and happens once */
	assert_int_equal(store_vol_signups_confirm(f->db, b, 60, 10, 0, NOW + 3), DB_DONE);
	assert_int_equal(store_vol_signups_check_in(f->db, b, NOW + 3), DB_OK);
	assert_int_equal(store_vol_signups_check_in(f->db, b, NOW + 3), DB_DONE);
	assert_int_equal(store_vol_signups_confirm(f->db, b, 60, 10, 0, NOW + 3), DB_OK);
	assert_int_equal(store_vol_signups_confirm(f->db, b, 60, 10, 0, NOW + 3), DB_DONE);
	struct vol_signup_row s;
	assert_int_equal(store_vol_signups_find(f->db, &f->a, v, "resident:2", &s), DB_ROW);
	assert_int_equal(s.minutes, 60);
	assert_int_equal(s.points, 10);
	assert_string_equal(s.title, "义诊进社区");
	assert_int_equal(store_vol_signups_of_person(f->db, &f->a, "resident:1", &rows, &n), DB_OK);
	assert_int_equal(n, 2);
}

static void test_ledger(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t v = add_activity(f, add_team(f), 5);
	struct vol_ledger_row e = {.region_code = COMM,
	                           .person = "user:7",
	                           .kind = "service",
	                           .minutes = 90,
	                           .points = 15,
	                           .activity_id = v,
	                           .created_at = NOW};
	assert_int_equal(store_vol_ledger_insert(f->db, &e), DB_OK);
	struct vol_ledger_row sp = {.region_code = COMM,
	                            .person = "user:7",
	                            .kind = "spend",
	                            .points = -6,
	                            .note = "大米",
	                            .created_at = NOW + 1};
	assert_int_equal(store_vol_ledger_insert(f->db, &sp), DB_OK);
	int64_t points, minutes;
	assert_int_equal(store_vol_ledger_totals(f->db, "user:7", &points, &minutes), DB_OK);
	assert_int_equal(points, 9);
	assert_int_equal(minutes, 90);
	assert_int_equal(store_vol_ledger_totals(f->db, "user:8", &points, &minutes), DB_OK);
	assert_int_equal(points, 0);
	struct vol_ledger_row *rows;
	size_t n;
	assert_int_equal(store_vol_ledger_of_person(f->db, &f->a, "user:7", &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].points, -6);
	assert_string_equal(rows[1].title, "义诊进社区");
	/* append-only: the schema refuses edits and deletions */
	assert_int_not_equal(db_exec(f->db, "UPDATE vol_ledger SET points = 100"), DB_OK);
	assert_int_not_equal(db_exec(f->db, "DELETE FROM vol_ledger"), DB_OK);
	assert_int_equal(store_vol_ledger_totals(f->db, "user:7", &points, &minutes), DB_OK);
	assert_int_equal(points, 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {T(test_teams_and_signups), T(test_ledger)};
	return RUN(tests);
}
