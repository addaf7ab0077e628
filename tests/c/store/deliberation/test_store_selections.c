/* Store tests: selections (评选, store/deliberation/selections.c) — a topic's seats (DB_ROW, or
 * DB_DONE when the topic is no selection; one row per topic, 1 to 30 seats); nominations read
 * back field for field, listed in order with a status filter, reviewed only while pending
 * (DB_DONE after), the duplicate check that a decline lifts; the household's and the
 * building's place as a nominee's label takes it. */
#include "store_fixture.h"

#include "store/base/base.h"
#include "store/deliberation/deliberation.h"

static int64_t add_topic(struct fixture *f)
{
	struct topic_row t = {.region_code = GRID,
	                      .procedure = "six_step",
	                      .stage = "proposed",
	                      .title = "最美家庭",
	                      .body = "评选",
	                      .created_at = NOW};
	assert_int_equal(store_topics_insert(f->db, &t), DB_OK);
	return t.id;
}

static int64_t add_building(struct fixture *f, const char *name)
{
	struct building_row b = {
	    .region_code = GRID, .name = name, .created_at = NOW, .updated_at = NOW};
	assert_int_equal(store_buildings_insert(f->db, &b), DB_OK);
	return b.id;
}

static int64_t add_household(struct fixture *f, int64_t house)
{
	struct household_row hh = {
	    .region_code = GRID, .house_id = house, .created_at = NOW, .updated_at = NOW};
	assert_int_equal(store_households_insert(f->db, &hh), DB_OK);
	return hh.id;
}

static int64_t add_resident(struct fixture *f, int64_t household, const char *name,
                            const char *status)
{
	struct resident_row r = {.region_code = GRID,
	                         .household_id = household,
	                         .name = name,
	                         .residency = "registered",
	                         .status = status,
	                         .created_at = NOW,
	                         .updated_at = NOW};
	assert_int_equal(store_residents_insert(f->db, &r), DB_OK);
	return r.id;
}

static void test_seats(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t u = add_user(f->db, "staff", false);
	int64_t t = add_topic(f), plain = add_topic(f);
	int64_t seats = -1;
	assert_int_equal(store_selection_seats(f->db, t, &seats), DB_DONE);
	assert_int_equal(seats, 0);
	assert_int_equal(store_selection_insert(f->db, t, 3, u, NOW), DB_OK);
	assert_int_equal(store_selection_seats(f->db, t, &seats), DB_ROW);
	assert_int_equal(seats, 3);
	assert_int_equal(store_selection_seats(f->db, plain, &seats), DB_DONE);
	assert_int_equal(seats, 0);
	/* One selection per topic; 1 to 30 seats. */
	assert_int_equal(store_selection_insert(f->db, t, 5, u, NOW), DB_CONSTRAINT);
	assert_int_equal(store_selection_insert(f->db, plain, 0, u, NOW), DB_CONSTRAINT);
	assert_int_equal(store_selection_insert(f->db, plain, 31, u, NOW), DB_CONSTRAINT);
	assert_int_equal(store_selection_seats(f->db, t, &seats), DB_ROW);
	assert_int_equal(seats, 3);
}

static struct nomination_row nomination(int64_t topic, const char *kind, int64_t household,
                                        int64_t building, const char *label)
{
	return (struct nomination_row){.topic_id = topic,
	                               .region_code = GRID,
	                               .nominee_kind = kind,
	                               .household_id = household,
	                               .building_id = building,
	                               .label = label,
	                               .reason = "邻里和睦",
	                               .created_at = NOW};
}

static void test_nominations(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t u = add_user(f->db, "nominator", false), staff = add_user(f->db, "staff", false);
	int64_t t = add_topic(f), other = add_topic(f);
	int64_t hh = add_household(f, 0), bld = add_building(f, "3号楼");
	struct nomination_row a = nomination(t, "household", hh, 0, "3栋201 张**家");
	a.nominated_by = u;
	struct nomination_row b = nomination(t, "building", 0, bld, "3号楼");
	struct nomination_row c = nomination(t, "name", 0, 0, "志愿服务队");
	struct nomination_row d = nomination(other, "household", hh, 0, "3栋201 张**家");
	struct nomination_row *all[] = {&a, &b, &c, &d};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(store_nominations_insert(f->db, all[i]), DB_OK);
		assert_true(all[i]->id > 0);
	}
	struct nomination_row got;
	assert_int_equal(store_nominations_get(f->db, &f->a, a.id, &got), DB_ROW);
	assert_int_equal(got.topic_id, t);
	assert_string_equal(got.region_code, GRID);
	assert_string_equal(got.nominee_kind, "household");
	assert_int_equal(got.household_id, hh);
	assert_int_equal(got.building_id, 0);
	assert_string_equal(got.label, "3栋201 张**家");
	assert_string_equal(got.reason, "邻里和睦");
	assert_string_equal(got.status, "pending");
	assert_int_equal(got.nominated_by, u);
	assert_int_equal(got.reviewed_by, 0);
	assert_int_equal(got.reviewed_at, 0);
	assert_null(got.review_note);
	assert_int_equal(got.created_at, NOW);
	assert_int_equal(store_nominations_get(f->db, &f->a, d.id + 100, &got), DB_DONE);
	/* Review while pending only. */
	assert_int_equal(
	    store_nomination_review(f->db, a.id, "accepted", "符合条件", staff, NOW + 9), DB_OK);
	assert_int_equal(store_nomination_review(f->db, a.id, "declined", "改判", staff, NOW + 10),
	                 DB_DONE);
	assert_int_equal(store_nominations_get(f->db, &f->a, a.id, &got), DB_ROW);
	assert_string_equal(got.status, "accepted");
	assert_string_equal(got.review_note, "符合条件");
	assert_int_equal(got.reviewed_by, staff);
	assert_int_equal(got.reviewed_at, NOW + 9);
	assert_int_equal(store_nomination_review(f->db, b.id, "declined", NULL, staff, NOW), DB_OK);
	assert_int_equal(store_nomination_review(f->db, d.id + 100, "accepted", NULL, staff, NOW),
	                 DB_DONE);
	/* The topic's list in order, all or by status. */
	struct nomination_row *rows;
	size_t n;
	assert_int_equal(store_nominations_of_topic(f->db, &f->a, t, NULL, &rows, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, a.id);
	assert_int_equal(rows[1].id, b.id);
	assert_int_equal(rows[2].id, c.id);
	const char *status[] = {"pending", "accepted", "declined"};
	const int64_t only[] = {c.id, a.id, b.id};
	for (int i = 0; i < 3; i++) {
		assert_int_equal(store_nominations_of_topic(f->db, &f->a, t, status[i], &rows, &n),
		                 DB_OK);
		assert_int_equal(n, 1);
		assert_int_equal(rows[0].id, only[i]);
	}
	/* Already nominated: the accepted household; not the declined building; the kind must
	 * match the id; another topic's nominations do not count. */
	bool yes;
	assert_int_equal(store_nomination_exists(f->db, t, "household", hh, &yes), DB_OK);
	assert_true(yes);
	assert_int_equal(store_nomination_exists(f->db, t, "building", bld, &yes), DB_OK);
	assert_false(yes);
	assert_int_equal(store_nomination_exists(f->db, t, "building", hh, &yes), DB_OK);
	assert_false(yes);
	int64_t third = add_topic(f);
	assert_int_equal(store_nomination_exists(f->db, third, "household", hh, &yes), DB_OK);
	assert_false(yes);
	c.nominee_kind = "person"; /* not a kind */
	assert_int_equal(store_nominations_insert(f->db, &c), DB_CONSTRAINT);
	assert_int_equal(store_nomination_review(f->db, c.id, "maybe", NULL, staff, NOW),
	                 DB_CONSTRAINT);
}

static void test_places(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t bld = add_building(f, "3号楼");
	struct house_row h = {.region_code = GRID,
	                      .building_id = bld,
	                      .unit = "2",
	                      .room = "201",
	                      .area = -1,
	                      .created_at = NOW,
	                      .updated_at = NOW};
	assert_int_equal(store_houses_insert(f->db, &h), DB_OK);
	/* With a head: the head's name. */
	int64_t hh = add_household(f, h.id);
	add_resident(f, hh, "李四", "active");
	int64_t head = add_resident(f, hh, "张三", "active");
	assert_int_equal(store_households_set_head(f->db, hh, head, NOW), DB_OK);
	struct household_place p;
	assert_int_equal(store_household_place(f->db, &f->a, hh, &p), DB_ROW);
	assert_string_equal(p.region_code, GRID);
	assert_string_equal(p.building, "3号楼");
	assert_string_equal(p.unit, "2");
	assert_string_equal(p.room, "201");
	assert_string_equal(p.head_name, "张三");
	/* Without a head: the first active member; no house: no building. */
	int64_t loose = add_household(f, 0);
	add_resident(f, loose, "王五", "moved_out");
	add_resident(f, loose, "赵六", "active");
	add_resident(f, loose, "钱七", "active");
	assert_int_equal(store_household_place(f->db, &f->a, loose, &p), DB_ROW);
	assert_string_equal(p.head_name, "赵六");
	assert_null(p.building);
	assert_null(p.room);
	assert_int_equal(store_household_place(f->db, &f->a, loose + 100, &p), DB_DONE);
	const char *region = NULL, *name = NULL;
	assert_int_equal(store_building_place(f->db, &f->a, bld, &region, &name), DB_ROW);
	assert_string_equal(region, GRID);
	assert_string_equal(name, "3号楼");
	assert_int_equal(store_building_place(f->db, &f->a, bld + 100, &region, &name), DB_DONE);
	assert_null(region);
	assert_null(name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {T(test_seats), T(test_nominations), T(test_places)};
	return RUN(tests);
}
