/* Store tests: cases and their events, categories, responsibility rules,
 * notifications and photos (store/cases/), on a temporary database brought to
 * the newest schema by the real migrations. */
#include "store_fixture.h"

#include "store/cases/cases.h"

static int64_t add_case(struct fixture *f, const char *number, enum case_state status,
                        int64_t created_at)
{
	struct case_row c;
	memset(&c, 0, sizeof c);
	c.number = number;
	c.tracking_code = number + 2;
	c.category = "environment";
	c.status = status;
	c.level = REGION_GRID;
	c.region_code = GRID;
	c.description = "楼道堆物";
	c.source = "web";
	c.has_location = true;
	c.lat = 39.9;
	c.lon = 116.4;
	c.unit = "网格";
	c.accept_due = created_at + 3600;
	c.handle_due = created_at + 86400;
	c.created_at = c.updated_at = created_at;
	assert_int_equal(store_cases_insert(f->db, &c), DB_OK);
	assert_true(c.id > 0);
	return c.id;
}

static void test_cases_round_trip(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t id = add_case(f, "SJ2026112300001", CASE_REPORTED, NOW);
	struct case_row c;
	assert_int_equal(store_cases_get(f->db, &f->a, id, &c), DB_ROW);
	assert_string_equal(c.number, "SJ2026112300001");
	assert_true(c.has_location);
	assert_true(c.lat > 39.8 && c.lat < 40.0);
	assert_null(c.reporter_phone);
	assert_int_equal(c.rule_id, 0);
	assert_int_equal(store_cases_by_tracking(f->db, &f->a, "2026112300001", &c), DB_ROW);
	assert_int_equal(c.id, id);

	c.status = CASE_ACCEPTED;
	c.accepted_at = NOW + 10;
	c.result = "已受理";
	assert_int_equal(store_cases_update(f->db, &c), DB_OK);
	assert_int_equal(store_cases_get(f->db, &f->a, id, &c), DB_ROW);
	assert_int_equal(c.status, CASE_ACCEPTED);
	assert_string_equal(c.result, "已受理");

	int64_t serial = 0;
	assert_int_equal(store_cases_last_serial(f->db, "SJ20261123", &serial), DB_OK);
	assert_int_equal(serial, 1);
	assert_int_equal(store_cases_last_serial(f->db, "SJ20261124", &serial), DB_OK);
	assert_int_equal(serial, 0);
	assert_int_equal(store_cases_get(f->db, &f->a, id + 1, &c), DB_DONE);
}

static void test_cases_list_and_count(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	add_case(f, "SJ2026112300001", CASE_REPORTED, NOW);
	add_case(f, "SJ2026112300002", CASE_REPORTED, NOW + 1);
	int64_t third = add_case(f, "SJ2026112300003", CASE_ACCEPTED, NOW + 2);
	struct case_filter filter = {.region = "110101", .status = -1, .now = NOW, .limit = 2};
	struct case_row *rows;
	size_t n;
	assert_int_equal(store_cases_list(f->db, &f->a, &filter, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, third); /* newest first */
	filter.before_id = rows[1].id;
	assert_int_equal(store_cases_list(f->db, &f->a, &filter, &rows, &n), DB_OK);
	assert_int_equal(n, 1);

	/* One state through the wide-region text, and a region outside the tree. */
	struct case_filter reported = {.region = "110101", .status = CASE_REPORTED, .limit = 10};
	assert_int_equal(store_cases_list(f->db, &f->a, &reported, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	struct case_filter elsewhere = {.region = "110102", .status = -1, .limit = 10};
	assert_int_equal(store_cases_list(f->db, &f->a, &elsewhere, &rows, &n), DB_OK);
	assert_int_equal(n, 0);

	int64_t counts[CASE_STATE_COUNT];
	struct case_filter all = {.region = "110101", .status = -1};
	assert_int_equal(store_cases_count_by_status(f->db, &all, counts), DB_OK);
	assert_int_equal(counts[CASE_REPORTED], 2);
	assert_int_equal(counts[CASE_ACCEPTED], 1);

	/* Edge: a limit below one reads nothing (SQLite would read a negative LIMIT as none). */
	filter.limit = -1;
	assert_int_equal(store_cases_list(f->db, &f->a, &filter, &rows, &n), DB_OK);
	assert_int_equal(n, 0);

	/* Duplicates: the other open cases of the category in the grid, newest first. */
	struct case_row probe = {
	    .id = third, .category = "environment", .region_code = GRID, .status = CASE_REPORTED};
	assert_int_equal(store_cases_open_nearby(f->db, &f->a, &probe, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_true(rows[0].id > rows[1].id);
	/* In another grid of the community: only those within the box around the location. */
	char other[16];
	snprintf(other, sizeof other, "%.12s999", GRID);
	probe.region_code = other;
	assert_int_equal(store_cases_open_nearby(f->db, &f->a, &probe, &rows, &n), DB_OK);
	assert_int_equal(n, 0);
	probe.has_location = true;
	probe.lat = 39.9003; /* about 33 m north */
	probe.lon = 116.4;
	assert_int_equal(store_cases_open_nearby(f->db, &f->a, &probe, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	probe.lat = 39.901; /* about 111 m */
	assert_int_equal(store_cases_open_nearby(f->db, &f->a, &probe, &rows, &n), DB_OK);
	assert_int_equal(n, 0);
	probe.region_code = GRID;
	probe.category = "noise";
	assert_int_equal(store_cases_open_nearby(f->db, &f->a, &probe, &rows, &n), DB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(
	    store_cases_in_window(f->db, &f->a, NULL, NOW, NOW + 2, false, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
}

static void test_case_events(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t id = add_case(f, "SJ2026112300001", CASE_REPORTED, NOW);
	struct case_event_row e = {.case_id = id,
	                           .at = NOW,
	                           .actor = "系统",
	                           .role = "system",
	                           .action = "report",
	                           .from_state = -1,
	                           .to_state = CASE_REPORTED};
	assert_int_equal(store_case_events_add(f->db, &e), DB_OK);
	e.action = "accept";
	e.from_state = CASE_REPORTED;
	e.to_state = CASE_ACCEPTED;
	e.comment = "收到";
	assert_int_equal(store_case_events_add(f->db, &e), DB_OK);
	struct case_event_row *rows;
	size_t n;
	assert_int_equal(store_case_events_list(f->db, &f->a, id, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].from_state, -1); /* NULL reads back as none */
	assert_int_equal(rows[0].actor_id, 0);
	assert_string_equal(rows[1].comment, "收到");
	/* Edge: the timeline is append-only. */
	assert_int_equal(db_exec(f->db, "DELETE FROM case_events"), DB_CONSTRAINT);
}

static void test_categories(void **state)
{
	struct fixture *f = *state;
	struct category_row c = {.code = "parking", .name = "停车", .sort = 50, .active = true};
	assert_int_equal(store_categories_insert(f->db, &c), DB_OK);
	struct category_row got;
	assert_int_equal(store_categories_get(f->db, &f->a, "parking", &got), DB_ROW);
	assert_string_equal(got.name, "停车");
	assert_string_equal(got.name_en, "");
	c.active = false;
	c.name = "停车管理";
	assert_int_equal(store_categories_update(f->db, &c), DB_OK);
	struct category_row *rows;
	size_t n, all;
	assert_int_equal(store_categories_list(f->db, &f->a, false, &rows, &all), DB_OK);
	assert_int_equal(store_categories_list(f->db, &f->a, true, &rows, &n), DB_OK);
	assert_int_equal(n + 1, all);
	/* Edge: updating a code that does not exist changes nothing and says so. */
	c.code = "nothing";
	assert_int_equal(store_categories_update(f->db, &c), DB_DONE);
	assert_int_equal(store_categories_insert(
	                     f->db, &(struct category_row){.code = "parking", .name = "重复"}),
	                 DB_CONSTRAINT);
}

static void test_rules(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	struct rule_row r = {.rule = {.category = "environment",
	                              .tier = -1,
	                              .level = REGION_COMMUNITY,
	                              .region_code = "110101001001",
	                              .unit = "社区居委会",
	                              .accept_hours = 2,
	                              .handle_hours = 48},
	                     .created_at = NOW,
	                     .updated_at = NOW};
	assert_int_equal(store_rules_insert(f->db, &r), DB_OK);
	assert_true(r.rule.id > 0);
	struct rule_row got;
	assert_int_equal(store_rules_get(f->db, &f->a, r.rule.id, &got), DB_ROW);
	assert_int_equal(got.rule.tier, -1); /* any tier: NULL */
	assert_int_equal(got.rule.level, REGION_COMMUNITY);
	r.rule.handle_hours = 24;
	assert_int_equal(store_rules_update(f->db, &r), DB_OK);
	struct rule_row *rows;
	size_t n;
	assert_int_equal(store_rules_list(f->db, &f->a, &rows, &n), DB_OK);
	size_t before = n;
	assert_true(before >= 1);
	assert_int_equal(store_rules_retire(f->db, r.rule.id, NOW + 1), DB_OK);
	/* Edge: a retired rule is gone from reads and cannot be retired or changed again. */
	assert_int_equal(store_rules_get(f->db, &f->a, r.rule.id, &got), DB_DONE);
	assert_int_equal(store_rules_retire(f->db, r.rule.id, NOW + 2), DB_DONE);
	assert_int_equal(store_rules_update(f->db, &r), DB_DONE);
	assert_int_equal(store_rules_list(f->db, &f->a, &rows, &n), DB_OK);
	assert_int_equal(n, before - 1);
}

static void test_notifications(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t uid = add_user(f->db, "wang", false);
	struct notification_row to_user = {
	    .created_at = NOW, .user_id = uid, .kind = "case", .title = "新事件", .body = "请处理"};
	assert_int_equal(store_notifications_add(f->db, &to_user), DB_OK);
	struct notification_row to_role = {.created_at = NOW,
	                                   .role = "grid_worker",
	                                   .region_code = GRID,
	                                   .kind = "case",
	                                   .title = "t",
	                                   .body = "b"};
	assert_int_equal(store_notifications_add(f->db, &to_role), DB_OK);
	struct notification_row *rows;
	size_t n;
	assert_int_equal(
	    store_notifications_for(f->db, &f->a, uid, NULL, NULL, NULL, 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	int64_t id = rows[0].id;
	assert_int_equal(store_notifications_for(f->db, &f->a, 0, "grid_worker", "110101001", NULL,
	                                         0, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_notifications_mark_read(f->db, id, NOW + 5), DB_OK);
	struct notification_row got;
	assert_int_equal(store_notifications_get(f->db, &f->a, id, &got), DB_ROW);
	assert_int_equal(got.read_at, NOW + 5);
	/* Claims: one sender's rows are nobody else's until the claim runs out. */
	assert_int_equal(
	    store_notifications_claim(f->db, &f->a, "a", NOW + 6, NOW + 66, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_true(rows[0].id < rows[1].id);
	int64_t other = rows[0].id == id ? rows[1].id : rows[0].id;
	assert_int_equal(
	    store_notifications_claim(f->db, &f->a, "b", NOW + 7, NOW + 67, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_notifications_mark_sent(f->db, id, "a", NOW + 8, true), DB_OK);
	/* A claim that ran out (its sender died) goes to the next sender; the first one's late
	 * record of an attempt is then ignored. */
	assert_int_equal(
	    store_notifications_claim(f->db, &f->a, "b", NOW + 66, NOW + 126, 10, &rows, &n),
	    DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, other);
	assert_int_equal(store_notifications_mark_sent(f->db, other, "a", NOW + 67, false), DB_OK);
	assert_int_equal(store_notifications_get(f->db, &f->a, other, &got), DB_ROW);
	assert_int_equal(got.sent_at, 0);
	/* A failed attempt ends the claim: the row can be claimed again at once. */
	assert_int_equal(store_notifications_mark_sent(f->db, other, "b", NOW + 68, false), DB_OK);
	assert_int_equal(
	    store_notifications_claim(f->db, &f->a, "a", NOW + 68, NOW + 128, 10, &rows, &n),
	    DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_notifications_mark_sent(f->db, other, "a", NOW + 69, true), DB_OK);
	assert_int_equal(store_notifications_get(f->db, &f->a, other, &got), DB_ROW);
	assert_int_equal(got.sent_at, NOW + 69);
	assert_int_equal(
	    store_notifications_claim(f->db, &f->a, "b", NOW + 200, NOW + 260, 10, &rows, &n),
	    DB_OK);
	assert_int_equal(n, 0);
	/* Edge: a limit below one reads nothing. */
	assert_int_equal(
	    store_notifications_claim(f->db, &f->a, "a", NOW + 200, NOW + 260, 0, &rows, &n),
	    DB_OK);
	assert_int_equal(n, 0);
}

static void test_photos(void **state)
{
	struct fixture *f = *state;
	struct photo_row p = {.hash = "ab12", .mime = "image/jpeg", .size = 100, .created_at = NOW};
	assert_int_equal(store_photos_add(f->db, &p), DB_OK);
	/* Edge: a known hash is a no-op, never a constraint error. */
	p.size = 999;
	assert_int_equal(store_photos_add(f->db, &p), DB_OK);
	struct photo_row got;
	assert_int_equal(store_photos_get(f->db, &f->a, "ab12", &got), DB_ROW);
	assert_int_equal(got.size, 100);
	assert_int_equal(got.created_by, 0);
	assert_int_equal(store_photos_get(f->db, &f->a, "cd34", &got), DB_DONE);

	/* The bytes: missing until put, then read back whole (with a NUL inside). */
	const char **missing;
	size_t nm;
	assert_int_equal(store_photos_without_data(f->db, &f->a, &missing, &nm), DB_OK);
	assert_int_equal(nm, 1);
	assert_string_equal(missing[0], "ab12");
	char *data = (char *)"x";
	size_t n = 7;
	assert_int_equal(store_photo_data_get(f->db, "ab12", &data, &n), DB_DONE);
	assert_null(data);
	assert_int_equal(n, 0);
	static const char bytes[] = {'\x89', 'P', 'N', 'G', 0, 1, 2};
	assert_int_equal(store_photo_data_put(f->db, "ab12", bytes, sizeof bytes), DB_OK);
	/* Edge: the same hash again is a no-op. */
	assert_int_equal(store_photo_data_put(f->db, "ab12", "other", 5), DB_OK);
	assert_int_equal(store_photo_data_get(f->db, "ab12", &data, &n), DB_ROW);
	assert_int_equal(n, sizeof bytes);
	assert_memory_equal(data, bytes, sizeof bytes);
	free(data);
	assert_int_equal(store_photos_without_data(f->db, &f->a, &missing, &nm), DB_OK);
	assert_int_equal(nm, 0);
	/* Edge: bytes for a hash with no photos row break the reference. */
	assert_int_not_equal(store_photo_data_put(f->db, "ef56", "x", 1), DB_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_cases_round_trip),
	    T(test_cases_list_and_count),
	    T(test_case_events),
	    T(test_categories),
	    T(test_rules),
	    T(test_notifications),
	    T(test_photos),
	};
	return RUN(tests);
}
