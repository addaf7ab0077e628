/* Store tests: topics (议题) and what hangs off them (store/deliberation/topics.c) — a topic
 * read back field for field, the stage move and the targets, the list over region scopes
 * (narrowed by a region, filtered by stage, most supported or newest first, offset and
 * limit), one support per account with the count kept equal to a recount, the timeline,
 * comments and their hiding, meetings with one sign-in per person and the minutes check. */
#include "store_fixture.h"

#include "store/deliberation/deliberation.h"
#include "store/stmt.h"

#define GRID2      "110101001001002" /* a second grid of the community */
#define COMMUNITY2 "110101001002"    /* another community of the street */

static int64_t add_topic(struct fixture *f, const char *region, const char *stage, int64_t proposer,
                         int64_t at)
{
	struct topic_row t = {.region_code = region,
	                      .procedure = "six_step",
	                      .stage = stage,
	                      .title = "加装电梯",
	                      .body = "三号楼加装电梯",
	                      .proposer_id = proposer,
	                      .created_at = at};
	assert_int_equal(store_topics_insert(f->db, &t), DB_OK);
	assert_true(t.id > 0);
	return t.id;
}

static void seed(struct fixture *f)
{
	seed_grid(f->db);
	insert_region(f->db, GRID2, "110101001001", "第二网格");
	insert_region(f->db, COMMUNITY2, "110101001", "另一社区");
}

static void test_insert_get(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t u = add_user(f->db, "proposer", false);
	struct topic_row t = {.region_code = GRID,
	                      .procedure = "four_two",
	                      .stage = "proposed",
	                      .title = "停车难",
	                      .body = "夜间车位不足",
	                      .proposer_id = u,
	                      .target_money = 500000,
	                      .target_labour = 40,
	                      .created_at = NOW};
	assert_int_equal(store_topics_insert(f->db, &t), DB_OK);
	struct topic_row got;
	assert_int_equal(store_topics_get(f->db, &f->a, t.id, &got), DB_ROW);
	assert_int_equal(got.id, t.id);
	assert_string_equal(got.region_code, GRID);
	assert_string_equal(got.region_name, "第一网格");
	assert_string_equal(got.procedure, "four_two");
	assert_string_equal(got.stage, "proposed");
	assert_string_equal(got.title, "停车难");
	assert_string_equal(got.body, "夜间车位不足");
	assert_int_equal(got.proposer_id, u);
	assert_string_equal(got.proposer_name, "测试用户");
	assert_int_equal(got.supports, 0);
	assert_int_equal(got.target_money, 500000);
	assert_int_equal(got.target_labour, 40);
	assert_int_equal(got.public_until, 0);
	assert_int_equal(got.stage_since, NOW);
	assert_int_equal(got.created_at, NOW);
	assert_int_equal(got.updated_at, NOW);
	/* No proposer (staff on behalf of a meeting): 0 and no name. */
	int64_t anon = add_topic(f, GRID, "proposed", 0, NOW);
	assert_int_equal(store_topics_get(f->db, &f->a, anon, &got), DB_ROW);
	assert_int_equal(got.proposer_id, 0);
	assert_null(got.proposer_name);
	assert_int_equal(store_topics_get(f->db, &f->a, anon + 100, &got), DB_DONE);
	/* The schema refuses an unknown procedure and an unknown region. */
	t.procedure = "five_step";
	assert_int_equal(store_topics_insert(f->db, &t), DB_CONSTRAINT);
	t.procedure = "six_step";
	t.region_code = "110199";
	assert_int_equal(store_topics_insert(f->db, &t), DB_CONSTRAINT);
}

static void test_stage_and_targets(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t id = add_topic(f, GRID, "proposed", 0, NOW),
	        other = add_topic(f, GRID, "proposed", 0, NOW);
	assert_int_equal(store_topics_set_stage(f->db, id, "discussing", NOW + 7 * 86400, NOW + 60),
	                 DB_OK);
	struct topic_row got;
	assert_int_equal(store_topics_get(f->db, &f->a, id, &got), DB_ROW);
	assert_string_equal(got.stage, "discussing");
	assert_int_equal(got.public_until, NOW + 7 * 86400);
	assert_int_equal(got.stage_since, NOW + 60);
	assert_int_equal(got.updated_at, NOW + 60);
	assert_int_equal(got.created_at, NOW);
	/* public_until 0 keeps the period already set. */
	assert_int_equal(store_topics_set_stage(f->db, id, "deciding", 0, NOW + 120), DB_OK);
	assert_int_equal(store_topics_get(f->db, &f->a, id, &got), DB_ROW);
	assert_string_equal(got.stage, "deciding");
	assert_int_equal(got.public_until, NOW + 7 * 86400);
	assert_int_equal(got.stage_since, NOW + 120);
	assert_int_equal(store_topics_set_stage(f->db, id + 100, "deciding", 0, NOW), DB_DONE);
	assert_int_equal(store_topics_set_targets(f->db, id, 120000, 16), DB_OK);
	assert_int_equal(store_topics_get(f->db, &f->a, id, &got), DB_ROW);
	assert_int_equal(got.target_money, 120000);
	assert_int_equal(got.target_labour, 16);
	assert_int_equal(store_topics_set_targets(f->db, id + 100, 1, 1), DB_DONE);
	/* The other topic is untouched. */
	assert_int_equal(store_topics_get(f->db, &f->a, other, &got), DB_ROW);
	assert_string_equal(got.stage, "proposed");
	assert_int_equal(got.target_money, 0);
}

static int64_t supports_of(struct fixture *f, int64_t topic)
{
	int64_t n = -1;
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM topic_supports WHERE topic_id = ?",
	                         ARGS(ARG_INT(topic)), &n),
	                 DB_OK);
	return n;
}

static void test_supports(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t u = add_user(f->db, "u1", false), v = add_user(f->db, "u2", false);
	int64_t t1 = add_topic(f, GRID, "proposed", u, NOW),
	        t2 = add_topic(f, GRID, "proposed", u, NOW);
	bool yes = true;
	assert_int_equal(store_topic_supported(f->db, t1, u, &yes), DB_OK);
	assert_false(yes);
	assert_int_equal(store_topic_supports_add(f->db, t1, u, NOW), DB_OK);
	assert_int_equal(store_topic_supported(f->db, t1, u, &yes), DB_OK);
	assert_true(yes);
	/* One support per account: the second is refused and the count stays. */
	assert_int_equal(store_topic_supports_add(f->db, t1, u, NOW + 1), DB_CONSTRAINT);
	assert_int_equal(store_topic_supports_add(f->db, t1, v, NOW + 1), DB_OK);
	assert_int_equal(store_topic_supported(f->db, t2, u, &yes), DB_OK);
	assert_false(yes);
	struct topic_row got;
	assert_int_equal(store_topics_get(f->db, &f->a, t1, &got), DB_ROW);
	assert_int_equal(got.supports, 2);
	assert_int_equal(got.supports, supports_of(f, t1));
	assert_int_equal(store_topics_get(f->db, &f->a, t2, &got), DB_ROW);
	assert_int_equal(got.supports, 0);
}

static void support(struct fixture *f, int64_t topic, int64_t *users, int n)
{
	for (int i = 0; i < n; i++)
		assert_int_equal(store_topic_supports_add(f->db, topic, users[i], NOW), DB_OK);
}

static void test_list(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t users[3];
	for (int i = 0; i < 3; i++)
		users[i] = add_user(f->db, i == 0 ? "a" : i == 1 ? "b" : "c", false);
	/* t[0] grid 1 (1 support), t[1] grid 1 discussing (3), t[2] grid 2 (0), t[3] another
	 * community (2), t[4] grid 2 (1, newer than t[0]). */
	int64_t t[5];
	t[0] = add_topic(f, GRID, "proposed", 0, NOW);
	t[1] = add_topic(f, GRID, "discussing", 0, NOW);
	t[2] = add_topic(f, GRID2, "proposed", 0, NOW);
	t[3] = add_topic(f, COMMUNITY2, "proposed", 0, NOW);
	t[4] = add_topic(f, GRID2, "proposed", 0, NOW);
	support(f, t[0], users, 1);
	support(f, t[1], users, 3);
	support(f, t[3], users, 2);
	support(f, t[4], users, 1);
	struct scopes community = {.prefix = {"110101001001"}, .n = 1};
	struct topic_row *rows;
	size_t n;
	/* Most supported first, newest first among equals; the other community left out. */
	assert_int_equal(
	    store_topics_list(f->db, &f->a, &community, NULL, NULL, false, 0, 10, &rows, &n),
	    DB_OK);
	assert_int_equal(n, 4);
	const int64_t want[] = {t[1], t[4], t[0], t[2]};
	for (size_t i = 0; i < n; i++)
		assert_int_equal(rows[i].id, want[i]);
	/* Newest first. */
	assert_int_equal(
	    store_topics_list(f->db, &f->a, &community, NULL, NULL, true, 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 4);
	assert_int_equal(rows[0].id, t[4]);
	assert_int_equal(rows[3].id, t[0]);
	/* Offset and limit: the second page of two, then past the end. */
	assert_int_equal(
	    store_topics_list(f->db, &f->a, &community, NULL, NULL, false, 2, 2, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, t[0]);
	assert_int_equal(rows[1].id, t[2]);
	assert_int_equal(
	    store_topics_list(f->db, &f->a, &community, NULL, NULL, false, 4, 2, &rows, &n), DB_OK);
	assert_int_equal(n, 0);
	/* A stage filter; a region inside the scope narrows it; one above it keeps the scope;
	 * one beside it finds nothing. */
	assert_int_equal(store_topics_list(f->db, &f->a, &community, NULL, "discussing", false, 0,
	                                   10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, t[1]);
	assert_int_equal(
	    store_topics_list(f->db, &f->a, &community, GRID2, NULL, false, 0, 10, &rows, &n),
	    DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, t[4]);
	assert_int_equal(rows[1].id, t[2]);
	assert_int_equal(
	    store_topics_list(f->db, &f->a, &community, "110101", NULL, false, 0, 10, &rows, &n),
	    DB_OK);
	assert_int_equal(n, 4);
	assert_int_equal(
	    store_topics_list(f->db, &f->a, &community, COMMUNITY2, NULL, false, 0, 10, &rows, &n),
	    DB_OK);
	assert_int_equal(n, 0);
	/* Two scopes merge into one order: t[3] (2 supports) between t[1] and t[4]. */
	struct scopes both = {.prefix = {"110101001001", COMMUNITY2}, .n = 2};
	assert_int_equal(store_topics_list(f->db, &f->a, &both, NULL, NULL, false, 0, 3, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, t[1]);
	assert_int_equal(rows[1].id, t[3]);
	assert_int_equal(rows[2].id, t[4]);
}

static void test_events_and_comments(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t u = add_user(f->db, "staff", false);
	int64_t id = add_topic(f, GRID, "proposed", 0, NOW),
	        other = add_topic(f, GRID, "proposed", 0, NOW);
	struct topic_event_row e1 = {.topic_id = id, .at = NOW, .to_stage = "proposed"};
	struct topic_event_row e2 = {.topic_id = id,
	                             .at = NOW + 5,
	                             .user_id = u,
	                             .from_stage = "proposed",
	                             .to_stage = "discussing",
	                             .comment = "附议已满"};
	struct topic_event_row e3 = {.topic_id = other, .at = NOW, .to_stage = "proposed"};
	assert_int_equal(store_topic_events_add(f->db, &e1), DB_OK);
	assert_int_equal(store_topic_events_add(f->db, &e2), DB_OK);
	assert_int_equal(store_topic_events_add(f->db, &e3), DB_OK);
	struct topic_event_row *ev;
	size_t n;
	assert_int_equal(store_topic_events_list(f->db, &f->a, id, &ev, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_null(ev[0].from_stage);
	assert_int_equal(ev[0].user_id, 0);
	assert_null(ev[0].user_name);
	assert_null(ev[0].comment);
	assert_string_equal(ev[1].from_stage, "proposed");
	assert_string_equal(ev[1].to_stage, "discussing");
	assert_string_equal(ev[1].comment, "附议已满");
	assert_int_equal(ev[1].user_id, u);
	assert_string_equal(ev[1].user_name, "测试用户");
	assert_int_equal(ev[1].at, NOW + 5);
	assert_true(ev[0].id < ev[1].id);

	struct topic_comment_row c = {
	    .topic_id = id, .region_code = GRID, .user_id = u, .body = "支持", .created_at = NOW};
	assert_int_equal(store_topic_comments_insert(f->db, &c), DB_OK);
	struct topic_comment_row c2 = {
	    .topic_id = other, .region_code = GRID, .body = "别处", .created_at = NOW};
	assert_int_equal(store_topic_comments_insert(f->db, &c2), DB_OK);
	struct topic_comment_row got;
	assert_int_equal(store_topic_comments_get(f->db, &f->a, c.id, &got), DB_ROW);
	assert_int_equal(got.topic_id, id);
	assert_string_equal(got.body, "支持");
	assert_string_equal(got.user_name, "测试用户");
	assert_false(got.hidden);
	assert_null(got.hidden_reason);
	assert_int_equal(got.hidden_by, 0);
	assert_int_equal(store_topic_comments_hide(f->db, c.id, "广告", u), DB_OK);
	assert_int_equal(store_topic_comments_hide(f->db, c2.id + 100, "广告", u), DB_DONE);
	assert_int_equal(store_topic_comments_get(f->db, &f->a, c.id, &got), DB_ROW);
	assert_true(got.hidden);
	assert_string_equal(got.hidden_reason, "广告");
	assert_int_equal(got.hidden_by, u);
	struct topic_comment_row *cs;
	assert_int_equal(store_topic_comments_list(f->db, &f->a, id, &cs, &n), DB_OK);
	assert_int_equal(n, 1); /* hidden ones are listed (the handler masks them) */
	assert_int_equal(cs[0].id, c.id);
	assert_int_equal(store_topic_comments_get(f->db, &f->a, c2.id, &got), DB_ROW);
	assert_false(got.hidden);
}

static void test_meetings(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t u = add_user(f->db, "host", false);
	int64_t id = add_topic(f, GRID, "discussing", 0, NOW);
	struct topic_meeting_row m = {.topic_id = id,
	                              .region_code = GRID,
	                              .stage = "discussing",
	                              .venue = "grid",
	                              .held_at = NOW + 3600,
	                              .created_by = u,
	                              .created_at = NOW};
	assert_int_equal(store_topic_meetings_insert(f->db, &m), DB_OK);
	struct topic_meeting_row m2 = m;
	m2.stage = "deciding";
	m2.minutes = "表决通过";
	assert_int_equal(store_topic_meetings_insert(f->db, &m2), DB_OK);
	struct topic_meeting_row got;
	assert_int_equal(store_topic_meetings_get(f->db, &f->a, m.id, &got), DB_ROW);
	assert_int_equal(got.topic_id, id);
	assert_string_equal(got.venue, "grid");
	assert_int_equal(got.held_at, NOW + 3600);
	assert_int_equal(got.created_by, u);
	assert_int_equal(got.updated_at, NOW);
	assert_null(got.minutes);
	assert_null(got.place);
	assert_int_equal(got.attendance, 0);
	/* One sign-in per person and meeting. */
	assert_int_equal(store_topic_attendance_add(f->db, m.id, "user:1", u, 0, NOW), DB_OK);
	assert_int_equal(store_topic_attendance_add(f->db, m.id, "user:1", u, 0, NOW),
	                 DB_CONSTRAINT);
	assert_int_equal(store_topic_attendance_add(f->db, m.id, "resident:9", 0, 0, NOW), DB_OK);
	assert_int_equal(store_topic_attendance_add(f->db, m2.id, "user:1", u, 0, NOW), DB_OK);
	assert_int_equal(store_topic_meetings_get(f->db, &f->a, m.id, &got), DB_ROW);
	assert_int_equal(got.attendance, 2);
	/* Minutes: none yet in discussing; "" is none; then written. */
	bool yes = true;
	assert_int_equal(store_topic_meeting_minuted(f->db, id, "discussing", 0, &yes), DB_OK);
	assert_false(yes);
	got.minutes = "";
	got.place = "活动室";
	got.updated_at = NOW + 7200;
	assert_int_equal(store_topic_meetings_update(f->db, &got), DB_OK);
	assert_int_equal(store_topic_meeting_minuted(f->db, id, "discussing", 0, &yes), DB_OK);
	assert_false(yes);
	got.minutes = "同意加装";
	assert_int_equal(store_topic_meetings_update(f->db, &got), DB_OK);
	assert_int_equal(store_topic_meeting_minuted(f->db, id, "discussing", 0, &yes), DB_OK);
	assert_true(yes);
	assert_int_equal(store_topic_meeting_minuted(f->db, id, "discussing", m.id, &yes), DB_OK);
	assert_true(yes);
	assert_int_equal(store_topic_meeting_minuted(f->db, id, "discussing", m2.id, &yes), DB_OK);
	assert_false(yes); /* that meeting was held in another stage */
	assert_int_equal(store_topic_meetings_get(f->db, &f->a, m.id, &got), DB_ROW);
	assert_string_equal(got.minutes, "同意加装");
	assert_string_equal(got.place, "活动室");
	assert_int_equal(got.updated_at, NOW + 7200);
	got.id = m2.id + 100;
	assert_int_equal(store_topic_meetings_update(f->db, &got), DB_DONE);
	struct topic_meeting_row *ms;
	size_t n;
	assert_int_equal(store_topic_meetings_list(f->db, &f->a, id, &ms, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ms[0].id, m.id);
	assert_int_equal(ms[1].attendance, 1);
	m.venue = "street"; /* not a venue */
	assert_int_equal(store_topic_meetings_insert(f->db, &m), DB_CONSTRAINT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_insert_get), T(test_stage_and_targets),   T(test_supports),
	    T(test_list),       T(test_events_and_comments), T(test_meetings)};
	return RUN(tests);
}
