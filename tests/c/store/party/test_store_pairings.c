/* Store tests: pairings and their commitments, cadres and reception days
 * (store/party/pairings.c, cadres.c, reception.c), on a temporary database brought
 * to the newest schema by the real migrations. The grid service team is in
 * test_store_grid_teams.c. */
#include "store_fixture.h"

#include "store/party/pairings.h"
#include "store/party/party.h"
#include "store/services/services.h"

static int64_t add_org(struct fixture *f, const char *name, enum party_kind kind,
                       const char *region)
{
	struct party_org_row o = {.name = name,
	                          .kind = kind,
	                          .region_code = region,
	                          .active = true,
	                          .created_at = NOW,
	                          .updated_at = NOW};
	assert_int_equal(store_party_orgs_insert(f->db, &o), DB_OK);
	return o.id;
}

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

static void test_pairings_and_commitments(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t unit = add_org(f, "区司法局党支部", PARTY_BRANCH, "110101");
	int64_t community = add_org(f, "多福巷社区党委", PARTY_COMMITTEE, "110101001001");
	struct pairing_row p = {.unit_org_id = unit,
	                        .community_org_id = community,
	                        .unit = "区司法局",
	                        .region_code = "110101001001",
	                        .title = "法律服务进社区",
	                        .signed_on = "2026-03-01",
	                        .active = true,
	                        .created_at = NOW,
	                        .updated_at = NOW};
	assert_int_equal(store_pairings_insert(f->db, &p), DB_OK);
	struct commitment_row c = {.pairing_id = p.id,
	                           .problem = "老旧小区纠纷多",
	                           .responsible = "张律师",
	                           .deadline = "2026-06-30",
	                           .status = COMMIT_PROPOSED,
	                           .created_at = NOW,
	                           .updated_at = NOW};
	assert_int_equal(store_commitments_insert(f->db, &c), DB_OK);
	struct pairing_row got;
	assert_int_equal(store_pairings_get(f->db, &f->a, p.id, &got), DB_ROW);
	assert_string_equal(got.unit_org_name, "区司法局党支部");
	assert_int_equal(got.commitments, 1);
	assert_int_equal(got.commitments_closed, 0);
	c.status = COMMIT_IN_PROGRESS;
	c.result = "每周坐班";
	assert_int_equal(store_commitments_update(f->db, &c), DB_OK);
	struct commitment_row cgot;
	assert_int_equal(store_commitments_get(f->db, &f->a, c.id, &cgot), DB_ROW);
	assert_int_equal(cgot.status, COMMIT_IN_PROGRESS);
	assert_string_equal(cgot.result, "每周坐班");
	assert_null(cgot.measure); /* set when proposed, not by the update */

	struct pairing_filter filter = {.region = "110101", .limit = 10};
	struct pairing_row *rows;
	size_t n;
	assert_int_equal(store_pairings_list(f->db, &f->a, &filter, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	/* Edge: another unit, without either, finds nothing. */
	struct pairing_filter other = {.unit = "区教委", .limit = 10};
	assert_int_equal(store_pairings_list(f->db, &f->a, &other, &rows, &n), DB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_pairings_get(f->db, &f->a, p.id + 1, &got), DB_DONE);
}

static void test_cadres(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t judge = add_cadre(f, "赵法官", CADRE_JUDGE);
	add_cadre(f, "钱干部", CADRE_SINKING);
	assert_int_equal(store_cadre_service_add(f->db, judge, "2026-03-02", 1.5, "调解", 0, NOW),
	                 DB_OK);
	struct cadre_row got;
	assert_int_equal(store_cadres_get(f->db, &f->a, judge, &got), DB_ROW);
	assert_string_equal(got.region_name, "多福巷社区");
	assert_true(got.hours > 1.4 && got.hours < 1.6);
	assert_int_equal(got.building_id, 0);
	struct cadre_filter legal = {.region = "110101", .kind = -2, .limit = 10};
	struct cadre_row *rows;
	size_t n;
	assert_int_equal(store_cadres_list(f->db, &f->a, &legal, &rows, &n), DB_OK);
	assert_int_equal(n, 1); /* 三官一律 only */
	struct cadre_filter any = {.region = "110101", .kind = -1, .limit = 1};
	assert_int_equal(store_cadres_list(f->db, &f->a, &any, &rows, &n), DB_OK);
	assert_int_equal(n, 1); /* the limit holds */
	struct cadre_coverage_row *cov;
	assert_int_equal(store_cadres_coverage(f->db, &f->a, "110101", &cov, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(cov[0].judges, 1);
}

static void test_reception(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t cadre = add_cadre(f, "孙检察官", CADRE_PROSECUTOR);
	int64_t uid = add_user(f->db, "resident", false);
	struct reception_day_row d = {.cadre_id = cadre,
	                              .region_code = "110101001001",
	                              .held_on = "2099-01-05",
	                              .starts = "09:00",
	                              .ends = "11:00",
	                              .place = "社区会议室",
	                              .created_at = NOW,
	                              .updated_at = NOW};
	assert_int_equal(store_reception_days_insert(f->db, &d), DB_OK);
	/* Its slots are service slots of kind "reception"; a person books one place that day. */
	struct service_slot_row s = {.service = "孙检察官接待日",
	                             .kind = "reception",
	                             .reception_day_id = d.id,
	                             .region_code = d.region_code,
	                             .starts_at = 4070912400,
	                             .ends_at = 4070914200,
	                             .capacity = 2,
	                             .created_at = NOW,
	                             .updated_at = NOW};
	assert_int_equal(store_service_slots_insert(f->db, &s), DB_OK);
	struct service_slot_row s2 = s;
	s2.starts_at += 1800;
	s2.ends_at += 1800;
	assert_int_equal(store_service_slots_insert(f->db, &s2), DB_OK);
	struct service_booking_row b = {.slot_id = s.id,
	                                .reception_day_id = d.id,
	                                .region_code = d.region_code,
	                                .user_id = uid,
	                                .person = "user:1",
	                                .topic = "邻里纠纷",
	                                .created_at = NOW};
	assert_int_equal(store_service_bookings_insert(f->db, &b), DB_OK);
	struct service_slot_row sgot;
	assert_int_equal(store_service_slot_of_day(f->db, &f->a, d.id, s.id, &sgot), DB_ROW);
	assert_int_equal(sgot.booked, 1);
	assert_string_equal(sgot.kind, "reception");
	assert_int_equal(store_service_slot_of_day(f->db, &f->a, d.id + 1, s.id, &sgot), DB_DONE);
	/* Edge: one booking per person and day, on another slot of the day too. */
	struct service_booking_row again = b;
	assert_int_equal(store_service_bookings_insert(f->db, &again), DB_CONSTRAINT);
	again.slot_id = s2.id;
	assert_int_equal(store_service_bookings_insert(f->db, &again), DB_CONSTRAINT);

	/* A resident of the grid sees the community's days. */
	struct reception_day_row *days;
	size_t n;
	assert_int_equal(
	    store_reception_days_list(f->db, &f->a, NULL, GRID, NULL, 0, 0, 10, &days, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_reception_days_cancel(f->db, d.id, NOW + 1), DB_OK);
	assert_int_equal(
	    store_reception_days_list(f->db, &f->a, NULL, GRID, NULL, 0, 0, 10, &days, &n), DB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_service_slots_cancel_day(f->db, d.id, NOW + 1), DB_OK);
	assert_int_equal(store_service_slots_get(f->db, &f->a, s2.id, &sgot), DB_ROW);
	assert_true(sgot.cancelled);
	struct service_booking_row *bookings;
	assert_int_equal(store_service_bookings_of_day(f->db, &f->a, d.id, &bookings, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(bookings[0].topic, "邻里纠纷");
	assert_int_equal(store_service_bookings_cancel(f->db, b.id, NOW + 2), DB_OK);
	struct service_booking_row bgot;
	assert_int_equal(store_reception_booking_get(f->db, &f->a, b.id, &bgot), DB_ROW);
	assert_true(bgot.cancelled);
	assert_int_equal(store_reception_bookings_of_user(f->db, &f->a, uid, 0, &bookings, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	/* cancelled, the place is free again */
	assert_int_equal(store_service_bookings_insert(f->db, &again), DB_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_pairings_and_commitments),
	    T(test_cadres),
	    T(test_reception),
	};
	return RUN(tests);
}
