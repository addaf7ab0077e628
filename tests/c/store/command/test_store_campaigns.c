/* Store tests: campaigns (store/command/campaigns.c) on a temporary database brought to the
 * newest schema: a campaign and a meeting read back field for field, their lists by region
 * (the subtree or the region itself) paged by id; items on three lists filtered by region,
 * list, state and owner, one item per meeting decision, the progress per child region against
 * a recount; the append-only item timeline; the region of an item's source; and a meeting's
 * decisions dispatched as cases, one case per decision. */
#include "store_fixture.h"

#include "store/cases/cases.h"
#include "store/command/campaigns.h"
#include "store/stmt.h"

#define STREET  "110101001"
#define COMM    "110101001001"
#define STREET2 "110101002"
#define GRID2   "110101002001001"

/* A list of n rows holds exactly the rows of these ids, in this order. */
#define ASSERT_IDS(rows, n, ...)                                                                   \
	do {                                                                                       \
		const int64_t want_[] = {__VA_ARGS__};                                             \
		assert_int_equal((n), sizeof want_ / sizeof want_[0]);                             \
		for (size_t i_ = 0; i_ < (n); i_++)                                                \
			assert_int_equal((rows)[i_].id, want_[i_]);                                \
	} while (0)

static void seed(struct fixture *f)
{
	seed_grid(f->db);
	insert_region(f->db, STREET2, "110101", "朝阳门街道");
	insert_region(f->db, "110101002001", STREET2, "南竹杆社区");
	insert_region(f->db, GRID2, "110101002001", "第一网格");
}

static int64_t add_campaign(struct fixture *f, const char *region, const char *title)
{
	struct campaign_row c = {.region_code = region,
	                         .title = title,
	                         .starts_on = "2026-11-01",
	                         .ends_on = "2026-12-31",
	                         .lead_unit = "城管",
	                         .targets = "[]",
	                         .status = "active",
	                         .created_at = NOW,
	                         .updated_at = NOW};
	assert_int_equal(store_campaigns_insert(f->db, &c), DB_OK);
	assert_true(c.id > 0);
	return c.id;
}

static int64_t add_item(struct fixture *f, int64_t campaign, const char *list, const char *region,
                        const char *state, const char *unit, const char *deadline)
{
	struct citem_row i = {.campaign_id = campaign,
	                      .list = list,
	                      .region_code = region,
	                      .title = "占道经营",
	                      .owner_unit = unit,
	                      .deadline = deadline,
	                      .state = state,
	                      .created_at = NOW,
	                      .updated_at = NOW};
	assert_int_equal(store_citems_insert(f->db, &i), DB_OK);
	return i.id;
}

static int64_t add_case(struct fixture *f, const char *number, const char *grid)
{
	struct case_row c;
	memset(&c, 0, sizeof c);
	c.number = number;
	c.tracking_code = number + 2;
	c.category = "environment";
	c.status = CASE_REPORTED;
	c.level = REGION_GRID;
	c.region_code = grid;
	c.description = "楼道堆物";
	c.source = "meeting";
	c.accept_due = NOW + 3600;
	c.handle_due = NOW + 86400;
	c.created_at = c.updated_at = NOW;
	assert_int_equal(store_cases_insert(f->db, &c), DB_OK);
	return c.id;
}

static void test_campaigns(void **state)
{
	struct fixture *f = *state;
	seed(f);
	struct campaign_row c = {.region_code = STREET,
	                         .title = "背街小巷整治",
	                         .starts_on = "2026-11-01",
	                         .ends_on = "2026-12-31",
	                         .lead_unit = "城管",
	                         .description = "",
	                         .targets =
	                             "[{\"region_code\":\"110101001001\",\"target_count\":5}]",
	                         .status = "active",
	                         .created_by = 3,
	                         .created_at = NOW,
	                         .updated_at = NOW};
	assert_int_equal(store_campaigns_insert(f->db, &c), DB_OK);
	struct campaign_row got;
	assert_int_equal(store_campaigns_get(f->db, &f->a, c.id, &got), DB_ROW);
	assert_string_equal(got.region_code, STREET);
	assert_string_equal(got.title, "背街小巷整治");
	assert_string_equal(got.starts_on, "2026-11-01");
	assert_string_equal(got.ends_on, "2026-12-31");
	assert_string_equal(got.lead_unit, "城管");
	assert_null(got.description); /* "" is stored as NULL */
	assert_string_equal(got.targets, c.targets);
	assert_string_equal(got.status, "active");
	assert_int_equal(got.created_by, 3);
	assert_int_equal(got.created_at, NOW);
	got.title = "背街小巷专项整治";
	got.description = "第二阶段";
	got.status = "ended";
	got.updated_at = NOW + 60;
	assert_int_equal(store_campaigns_update(f->db, &got), DB_OK);
	assert_int_equal(store_campaigns_get(f->db, &f->a, c.id, &got), DB_ROW);
	assert_string_equal(got.title, "背街小巷专项整治");
	assert_string_equal(got.description, "第二阶段");
	assert_string_equal(got.status, "ended");
	assert_int_equal(got.updated_at, NOW + 60);
	got.status = "paused"; /* not a status */
	assert_int_equal(store_campaigns_update(f->db, &got), DB_CONSTRAINT);
	got.status = "active";
	got.id = c.id + 100;
	assert_int_equal(store_campaigns_update(f->db, &got), DB_DONE);
	assert_int_equal(store_campaigns_get(f->db, &f->a, c.id + 100, &got), DB_DONE);
	struct campaign_row orphan = c;
	orphan.region_code = "110109"; /* no such region */
	assert_int_equal(store_campaigns_insert(f->db, &orphan), DB_CONSTRAINT);
}

static void test_campaigns_list(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t street = add_campaign(f, STREET, "街道"), comm = add_campaign(f, COMM, "社区"),
	        other = add_campaign(f, STREET2, "另一街道"), grid = add_campaign(f, GRID, "网格");
	struct campaign_row *rows;
	size_t n;
	/* the subtree of the street, newest first; its neighbour is not in it */
	assert_int_equal(store_campaigns_list(f->db, &f->a, STREET, false, 0, 10, &rows, &n),
	                 DB_OK);
	ASSERT_IDS(rows, n, grid, comm, street);
	/* exact: the street's own campaigns */
	assert_int_equal(store_campaigns_list(f->db, &f->a, STREET, true, 0, 10, &rows, &n), DB_OK);
	ASSERT_IDS(rows, n, street);
	assert_int_equal(store_campaigns_list(f->db, &f->a, "110101", true, 0, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 0);
	/* pages: the limit, then the ids below the cursor */
	assert_int_equal(store_campaigns_list(f->db, &f->a, "110101", false, 0, 2, &rows, &n),
	                 DB_OK);
	ASSERT_IDS(rows, n, grid, other);
	assert_int_equal(store_campaigns_list(f->db, &f->a, "110101", false, other, 10, &rows, &n),
	                 DB_OK);
	ASSERT_IDS(rows, n, comm, street);
}

static void test_items(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t c = add_campaign(f, "110101", "全区整治"), c2 = add_campaign(f, STREET, "另一项");
	int64_t a = add_item(f, c, "problem", GRID, "open", "城管", "2026-11-20");
	int64_t b = add_item(f, c, "task", GRID, "assigned", "住建", "2026-12-20");
	int64_t d = add_item(f, c, "problem", COMM, "verified", "城管", "2026-11-01");
	int64_t e = add_item(f, c, "problem", GRID2, "done", NULL, NULL);
	int64_t x = add_item(f, c2, "problem", GRID, "open", "城管", NULL);
	struct citem_row i;
	assert_int_equal(store_citems_get(f->db, &f->a, a, &i), DB_ROW);
	assert_int_equal(i.campaign_id, c);
	assert_string_equal(i.list, "problem");
	assert_string_equal(i.region_code, GRID);
	assert_string_equal(i.owner_unit, "城管");
	assert_int_equal(i.owner_user_id, 0);
	assert_string_equal(i.deadline, "2026-11-20");
	assert_null(i.photos);
	assert_null(i.source_kind);
	assert_string_equal(i.state, "open");
	assert_int_equal(i.done_at, 0);
	/* done: the state, who and when */
	int64_t worker = add_user(f->db, "wangge_ci", false);
	i.owner_user_id = worker;
	i.state = "done";
	i.done_by = worker;
	i.done_at = NOW + 10;
	i.photos = "[\"abc\"]";
	i.updated_at = NOW + 10;
	assert_int_equal(store_citems_update(f->db, &i), DB_OK);
	assert_int_equal(store_citems_get(f->db, &f->a, a, &i), DB_ROW);
	assert_string_equal(i.state, "done");
	assert_int_equal(i.owner_user_id, worker);
	assert_int_equal(i.done_by, worker);
	assert_int_equal(i.done_at, NOW + 10);
	assert_int_equal(i.verified_at, 0);
	assert_string_equal(i.photos, "[\"abc\"]");
	i.state = "closed"; /* not a state */
	assert_int_equal(store_citems_update(f->db, &i), DB_CONSTRAINT);
	i.state = "done";
	i.id = x + 100;
	assert_int_equal(store_citems_update(f->db, &i), DB_DONE);

	struct citem_row *rows;
	size_t n;
	/* a campaign's items under a prefix, by list and state; another campaign's are apart */
	assert_int_equal(store_citems_list(f->db, &f->a, c, STREET, NULL, NULL, 0, 10, &rows, &n),
	                 DB_OK);
	ASSERT_IDS(rows, n, d, b, a); /* not e (the other street), not x (c2's) */
	assert_int_equal(
	    store_citems_list(f->db, &f->a, c, "110101", "problem", NULL, 0, 10, &rows, &n), DB_OK);
	ASSERT_IDS(rows, n, e, d, a);
	assert_int_equal(
	    store_citems_list(f->db, &f->a, c, "110101", "problem", "done", 0, 10, &rows, &n),
	    DB_OK);
	ASSERT_IDS(rows, n, e, a);
	assert_int_equal(store_citems_list(f->db, &f->a, c, "110101", NULL, NULL, d, 2, &rows, &n),
	                 DB_OK);
	ASSERT_IDS(rows, n, b, a);

	/* owned: by unit, or by user, across campaigns */
	assert_int_equal(
	    store_citems_owned(f->db, &f->a, "110101", "城管", 0, NULL, 0, 10, &rows, &n), DB_OK);
	ASSERT_IDS(rows, n, x, d, a);
	assert_int_equal(
	    store_citems_owned(f->db, &f->a, "110101", "城管", 0, "open", 0, 10, &rows, &n), DB_OK);
	ASSERT_IDS(rows, n, x);
	assert_int_equal(
	    store_citems_owned(f->db, &f->a, "110101", NULL, worker, NULL, 0, 10, &rows, &n),
	    DB_OK);
	ASSERT_IDS(rows, n, a);
	assert_int_equal(store_citems_owned(f->db, &f->a, COMM, "住建", 0, NULL, 0, 10, &rows, &n),
	                 DB_OK);
	ASSERT_IDS(rows, n, b);
	assert_int_equal(
	    store_citems_owned(f->db, &f->a, "110101", NULL, 0, NULL, 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 0); /* no owner asked for: nothing */
}

static void test_progress_and_sources(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t c = add_campaign(f, "110101", "全区整治");
	add_item(f, c, "problem", GRID, "open", NULL, "2026-11-20");     /* overdue */
	add_item(f, c, "problem", GRID, "verified", NULL, "2026-11-01"); /* verified, not overdue */
	add_item(f, c, "task", GRID, "done", NULL, "2026-11-23"); /* due today: not overdue */
	add_item(f, c, "task", GRID2, "open", NULL, NULL);        /* no deadline */
	struct citem_progress *p;
	size_t n;
	assert_int_equal(store_citems_progress(f->db, &f->a, c, "110101", 9, "2026-11-23", &p, &n),
	                 DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].code, STREET);
	assert_int_equal(p[0].total, 3);
	assert_int_equal(p[0].verified, 1);
	assert_int_equal(p[0].overdue, 1);
	assert_string_equal(p[1].code, STREET2);
	assert_int_equal(p[1].total, 1);
	assert_int_equal(p[1].overdue, 0);
	int64_t total = 0;
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM campaign_items WHERE campaign_id = ?",
	                         ARGS(ARG_INT(c)), &total),
	                 DB_OK);
	assert_int_equal(p[0].total + p[1].total, total);

	/* one item per meeting decision; items by source, oldest first */
	struct meeting_row m = {.region_code = STREET,
	                        .held_on = "2026-11-20",
	                        .title = "联席会议",
	                        .units = "[\"城管\"]",
	                        .topics = "[]",
	                        .decisions = "[\"清理\",\"巡查\"]",
	                        .created_at = NOW};
	assert_int_equal(store_meetings_insert(f->db, &m), DB_OK);
	struct citem_row it = {.campaign_id = c,
	                       .list = "task",
	                       .region_code = STREET,
	                       .title = "清理",
	                       .source_kind = "meeting",
	                       .source_id = m.id,
	                       .source_n = 1,
	                       .state = "open",
	                       .created_at = NOW,
	                       .updated_at = NOW};
	assert_int_equal(store_citems_insert(f->db, &it), DB_OK);
	int64_t first = it.id;
	assert_int_equal(store_citems_insert(f->db, &it), DB_CONSTRAINT);
	it.source_n = 2;
	assert_int_equal(store_citems_insert(f->db, &it), DB_OK);
	struct citem_row *rows;
	assert_int_equal(store_citems_by_source(f->db, &f->a, "meeting", m.id, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, first);
	assert_int_equal(rows[0].source_n, 1);
	assert_int_equal(rows[1].source_n, 2);
	assert_int_equal(store_citems_by_source(f->db, &f->a, "case", m.id, &rows, &n), DB_OK);
	assert_int_equal(n, 0);
	it.source_kind = "letter"; /* not a kind */
	assert_int_equal(store_citems_insert(f->db, &it), DB_CONSTRAINT);

	/* the region of a source record */
	int64_t k = add_case(f, "SJ2026112300001", GRID2);
	const char *region = NULL;
	assert_int_equal(store_citem_source_region(f->db, &f->a, "case", k, &region), DB_ROW);
	assert_string_equal(region, GRID2);
	assert_int_equal(store_citem_source_region(f->db, &f->a, "meeting", m.id, &region), DB_ROW);
	assert_string_equal(region, STREET);
	assert_int_equal(store_citem_source_region(f->db, &f->a, "case", k + 1, &region), DB_DONE);
	assert_int_equal(store_citem_source_region(f->db, &f->a, "letter", k, &region), DB_DONE);
}

static void test_events(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t c = add_campaign(f, STREET, "整治");
	int64_t a = add_item(f, c, "problem", GRID, "open", "城管", NULL);
	int64_t b = add_item(f, c, "problem", GRID, "open", "城管", NULL);
	struct citem_event e = {.item_id = a,
	                        .at = NOW,
	                        .actor_id = 4,
	                        .actor = "jiedao",
	                        .action = "create",
	                        .to_state = "open"};
	assert_int_equal(store_citem_events_add(f->db, &e), DB_OK);
	e.at = NOW + 5;
	e.action = "done";
	e.from_state = "open";
	e.to_state = "done";
	e.comment = "已清理";
	e.photos = "[\"h1\",\"h2\"]";
	assert_int_equal(store_citem_events_add(f->db, &e), DB_OK);
	e.item_id = b;
	e.photos = NULL;
	assert_int_equal(store_citem_events_add(f->db, &e), DB_OK);
	struct citem_event *rows;
	size_t n;
	assert_int_equal(store_citem_events_list(f->db, &f->a, a, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].action, "create");
	assert_null(rows[0].from_state);
	assert_null(rows[0].comment);
	assert_int_equal(rows[0].actor_id, 4);
	assert_string_equal(rows[0].actor, "jiedao");
	assert_int_equal(rows[1].at, NOW + 5);
	assert_string_equal(rows[1].from_state, "open");
	assert_string_equal(rows[1].to_state, "done");
	assert_string_equal(rows[1].comment, "已清理");
	assert_string_equal(rows[1].photos, "[\"h1\",\"h2\"]");
	/* append-only */
	assert_int_not_equal(
	    sql_run(f->db, "UPDATE campaign_item_events SET comment = 'x'", NO_ARGS), DB_OK);
	assert_int_not_equal(sql_run(f->db, "DELETE FROM campaign_item_events", NO_ARGS), DB_OK);
	assert_int_equal(store_citem_events_list(f->db, &f->a, a, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[1].comment, "已清理");
	e.item_id = b + 100; /* no such item */
	assert_int_equal(store_citem_events_add(f->db, &e), DB_CONSTRAINT);
}

static void test_meetings(void **state)
{
	struct fixture *f = *state;
	seed(f);
	struct meeting_row m = {.region_code = STREET,
	                        .held_on = "2026-11-20",
	                        .title = "十一月联席会议",
	                        .units = "[\"城管\",\"住建\"]",
	                        .topics = "[\"停车\"]",
	                        .decisions = "[\"划线\",\"巡查\"]",
	                        .created_by = 2,
	                        .created_at = NOW};
	assert_int_equal(store_meetings_insert(f->db, &m), DB_OK);
	struct meeting_row got;
	assert_int_equal(store_meetings_get(f->db, &f->a, m.id, &got), DB_ROW);
	assert_string_equal(got.region_code, STREET);
	assert_string_equal(got.held_on, "2026-11-20");
	assert_string_equal(got.title, "十一月联席会议");
	assert_string_equal(got.units, m.units);
	assert_string_equal(got.topics, m.topics);
	assert_string_equal(got.decisions, m.decisions);
	assert_int_equal(got.created_by, 2);
	assert_int_equal(got.created_at, NOW);
	assert_int_equal(store_meetings_get(f->db, &f->a, m.id + 1, &got), DB_DONE);
	struct meeting_row sub = m, far = m;
	sub.region_code = COMM;
	far.region_code = STREET2;
	assert_int_equal(store_meetings_insert(f->db, &sub), DB_OK);
	assert_int_equal(store_meetings_insert(f->db, &far), DB_OK);
	struct meeting_row *rows;
	size_t n;
	assert_int_equal(store_meetings_list(f->db, &f->a, STREET, false, 0, 10, &rows, &n), DB_OK);
	ASSERT_IDS(rows, n, sub.id, m.id);
	assert_int_equal(store_meetings_list(f->db, &f->a, STREET, true, 0, 10, &rows, &n), DB_OK);
	ASSERT_IDS(rows, n, m.id);
	assert_int_equal(store_meetings_list(f->db, &f->a, "110101", false, far.id, 1, &rows, &n),
	                 DB_OK);
	ASSERT_IDS(rows, n, sub.id);

	/* decisions dispatched as cases: one case per decision, one decision per case */
	int64_t k1 = add_case(f, "SJ2026112300001", GRID),
	        k2 = add_case(f, "SJ2026112300002", GRID),
	        k3 = add_case(f, "SJ2026112300003", GRID);
	assert_int_equal(store_meeting_cases_insert(f->db, m.id, 2, k2, 2, NOW), DB_OK);
	assert_int_equal(store_meeting_cases_insert(f->db, m.id, 1, k1, 2, NOW), DB_OK);
	assert_int_equal(store_meeting_cases_insert(f->db, m.id, 1, k3, 2, NOW), DB_CONSTRAINT);
	assert_int_equal(store_meeting_cases_insert(f->db, sub.id, 1, k1, 2, NOW), DB_CONSTRAINT);
	struct meeting_case_row *mc;
	assert_int_equal(store_meeting_cases_list(f->db, &f->a, m.id, &mc, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(mc[0].decision_n, 1);
	assert_int_equal(mc[0].case_id, k1);
	assert_string_equal(mc[0].case_number, "SJ2026112300001");
	assert_int_equal(mc[1].decision_n, 2);
	assert_int_equal(mc[1].case_id, k2);
	assert_int_equal(store_meeting_cases_list(f->db, &f->a, sub.id, &mc, &n), DB_OK);
	assert_int_equal(n, 0);
	struct meeting_case_row one;
	assert_int_equal(store_meeting_cases_by_case(f->db, &f->a, k2, &one), DB_ROW);
	assert_int_equal(one.meeting_id, m.id);
	assert_int_equal(one.decision_n, 2);
	assert_string_equal(one.meeting_title, "十一月联席会议");
	assert_string_equal(one.held_on, "2026-11-20");
	assert_int_equal(store_meeting_cases_by_case(f->db, &f->a, k3, &one), DB_DONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_campaigns), T(test_campaigns_list), T(test_items), T(test_progress_and_sources),
	    T(test_events),    T(test_meetings),
	};
	return RUN(tests);
}
