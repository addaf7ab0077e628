/* Store tests: recurring problems (store/command/recurring.c) on a temporary database brought to
 * the newest schema: detection as cases are noted (N cases at one place — a point within 50 m
 * or one building — of one category and community within M weeks make a problem; a later case
 * there joins it; another place, category, community or a case without a place does not), the
 * rule's defaults, the problem read back field for field with its cases; the scoped list by
 * status and cursor; the take guarded by the open status, as a campaign item or a topic. */
#include "store_fixture.h"

#include "store/base/base.h"
#include "store/command/campaigns.h"
#include "store/command/recurring.h"
#include "store/deliberation/deliberation.h"
#include "store/stmt.h"

#define DAY   86400
#define T0    (NOW - 30 * DAY)
#define LAT   39.9140
#define LON   116.4100
#define NEAR  0.0001            /* about 11 m of latitude */
#define FAR   0.0100            /* about 1.1 km */
#define GRID2 "110101001002001" /* another community of the street */
#define GRID3 "110101002001001" /* another street */

static void seed(struct fixture *f)
{
	seed_grid(f->db);
	insert_region(f->db, "110101001002", "110101001", "第二社区");
	insert_region(f->db, GRID2, "110101001002", "第一网格");
	insert_region(f->db, "110101002", "110101", "朝阳门街道");
	insert_region(f->db, "110101002001", "110101002", "南竹杆社区");
	insert_region(f->db, GRID3, "110101002001", "第一网格");
}

/* A case at (lat, lon) when lat is not 0, in building when not 0, noted with rule. */
static int64_t note(struct fixture *f, const char *category, const char *grid, int64_t at,
                    double lat, int64_t building, const struct recur_rule *rule)
{
	static int serial;
	char *number = arena_printf(&f->a, "SJ20261123%05d", ++serial);
	struct case_row c;
	memset(&c, 0, sizeof c);
	c.number = number;
	c.tracking_code = number + 2;
	c.category = category;
	c.status = CASE_REPORTED;
	c.level = REGION_GRID;
	c.region_code = grid;
	c.description = "垃圾满溢";
	c.source = "web";
	c.address = arena_printf(&f->a, "东四北大街%d号", serial);
	c.has_location = lat != 0;
	c.lat = lat;
	c.lon = LON;
	c.building_id = building;
	c.accept_due = at + 3600;
	c.handle_due = at + DAY;
	c.created_at = c.updated_at = at;
	assert_int_equal(store_cases_insert(f->db, &c), DB_OK);
	assert_int_equal(store_recurring_note(f->db, &f->a, &c, rule), DB_OK);
	return c.id;
}

static int64_t problems(struct fixture *f)
{
	int64_t n = -1;
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM recurring_problems", NO_ARGS, &n),
	                 DB_OK);
	return n;
}

static int64_t problem_of(struct fixture *f, int64_t case_id)
{
	int64_t id = 0;
	assert_int_equal(sql_int(f->db,
	                         "SELECT problem_id FROM recurring_problem_cases WHERE case_id = ?",
	                         ARGS(ARG_INT(case_id)), &id),
	                 DB_OK);
	return id;
}

static void test_detect(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t k1 = note(f, "environment", GRID, T0, LAT, 0, NULL);
	int64_t k2 = note(f, "environment", GRID, T0 + 2 * DAY, LAT + NEAR, 0, NULL);
	note(f, "environment", GRID, T0 + 3 * DAY, LAT + FAR, 0, NULL); /* elsewhere */
	note(f, "noise", GRID, T0 + 3 * DAY, LAT, 0, NULL);             /* another category */
	note(f, "environment", GRID2, T0 + 3 * DAY, LAT, 0, NULL);      /* another community */
	note(f, "environment", GRID, T0 + 4 * DAY, 0, 0, NULL);         /* no place */
	assert_int_equal(problems(f), 0);
	int64_t k3 = note(f, "environment", GRID, T0 + 5 * DAY, LAT, 0, NULL);
	assert_int_equal(problems(f), 1);
	int64_t p = problem_of(f, k3);
	assert_true(p > 0);
	assert_int_equal(problem_of(f, k1), p);
	assert_int_equal(problem_of(f, k2), p);
	struct recurring_row r;
	assert_int_equal(store_recurring_get(f->db, &f->a, p, &r), DB_ROW);
	assert_int_equal(r.id, p);
	assert_string_equal(r.region_code, GRID);
	assert_string_equal(r.category, "environment");
	assert_string_equal(r.category_name, "环境卫生");
	assert_string_equal(r.region_name, "第一网格");
	struct case_row first;
	assert_int_equal(store_cases_get(f->db, &f->a, k1, &first), DB_ROW);
	assert_string_equal(r.address, first.address); /* the earliest case's */
	assert_string_equal(r.status, "open");
	assert_int_equal(r.building_id, 0);
	assert_null(r.building_name);
	assert_true(r.has_point);
	assert_true(r.lat > LAT - 1e-9 && r.lat < LAT + 1e-9);
	assert_int_equal(r.first_case_id, k1);
	assert_int_equal(r.first_at, T0);
	assert_int_equal(r.last_at, T0 + 5 * DAY);
	assert_int_equal(r.case_count, 3);
	assert_int_equal(r.created_at, T0 + 5 * DAY);
	assert_int_equal(r.item_id, 0);
	assert_int_equal(r.topic_id, 0);

	/* a later case at the place joins it; one 1 km away, or in the other community, does not */
	int64_t k4 = note(f, "environment", GRID, T0 + 9 * DAY, LAT - NEAR, 0, NULL);
	note(f, "environment", GRID, T0 + 9 * DAY, LAT + FAR, 0, NULL);
	note(f, "environment", GRID2, T0 + 9 * DAY, LAT, 0, NULL);
	assert_int_equal(problems(f), 1);
	assert_int_equal(store_recurring_get(f->db, &f->a, p, &r), DB_ROW);
	assert_int_equal(r.case_count, 4);
	assert_int_equal(r.first_at, T0);
	assert_int_equal(r.last_at, T0 + 9 * DAY);
	assert_int_equal(r.updated_at, T0 + 9 * DAY);
	int64_t *ids;
	size_t n;
	assert_int_equal(store_recurring_case_ids(f->db, &f->a, p, 10, &ids, &n), DB_OK);
	assert_int_equal(n, 4);
	assert_int_equal(ids[0], k4);
	assert_int_equal(ids[1], k3);
	assert_int_equal(ids[3], k1);
	int64_t members = 0;
	assert_int_equal(
	    sql_int(f->db, "SELECT count(*) FROM recurring_problem_cases WHERE problem_id = ?",
	            ARGS(ARG_INT(p)), &members),
	    DB_OK);
	assert_int_equal(members, r.case_count);
	assert_int_equal(store_recurring_case_ids(f->db, &f->a, p, 2, &ids, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_recurring_get(f->db, &f->a, p + 1, &r), DB_DONE);
}

/* One building is one place, points or not; the rule sets the count and the window. */
static void test_rule_and_building(void **state)
{
	struct fixture *f = *state;
	seed(f);
	struct building_row b = {.region_code = GRID,
	                         .name = "3号楼",
	                         .floors = 6,
	                         .created_at = NOW,
	                         .updated_at = NOW};
	assert_int_equal(store_buildings_insert(f->db, &b), DB_OK);
	const struct recur_rule two = {2, 1};
	int64_t k1 = note(f, "property", GRID, T0, 0, b.id, &two);
	assert_int_equal(problems(f), 0);
	int64_t k2 = note(f, "property", GRID, T0 + 6 * DAY, LAT, b.id, &two);
	assert_int_equal(problems(f), 1);
	int64_t p = problem_of(f, k2);
	struct recurring_row r;
	assert_int_equal(store_recurring_get(f->db, &f->a, p, &r), DB_ROW);
	assert_int_equal(r.building_id, b.id);
	assert_string_equal(r.building_name, "3号楼");
	assert_false(r.has_point); /* the earliest case's place: the building alone */
	assert_int_equal(r.first_case_id, k1);
	assert_int_equal(r.case_count, 2);
	/* three weeks on: past the window of one week, neither joined nor a new problem */
	int64_t late = note(f, "property", GRID, T0 + 27 * DAY, 0, b.id, &two);
	assert_int_equal(problem_of(f, late), 0);
	assert_int_equal(problems(f), 1);
	/* a rule out of range falls back to the defaults (3 in 8 weeks): two cases are not enough
	 */
	const struct recur_rule bad = {1, 1};
	note(f, "municipal", GRID, T0, LAT, 0, &bad);
	note(f, "municipal", GRID, T0 + DAY, LAT, 0, &bad);
	assert_int_equal(problems(f), 1);
	note(f, "municipal", GRID, T0 + 40 * DAY, LAT, 0, &bad); /* within 8 weeks */
	assert_int_equal(problems(f), 2);
}

static int64_t make_problem(struct fixture *f, const char *grid)
{
	const struct recur_rule two = {2, 8};
	note(f, "environment", grid, T0, LAT, 0, &two);
	return problem_of(f, note(f, "environment", grid, T0 + DAY, LAT, 0, &two));
}

static void test_list_and_take(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t p2 = make_problem(f, GRID2), p1 = make_problem(f, GRID),
	        p3 = make_problem(f, GRID3);
	assert_true(p1 > 0 && p2 > 0 && p3 > 0);
	struct scopes street = {.prefix = {"110101001"}, .n = 1};
	struct recurring_row *rows;
	size_t n;
	struct page_after start = {.code = "", .id = 0};
	assert_int_equal(store_recurring_list(f->db, &f->a, &street, NULL, start, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 2); /* in region order: GRID before GRID2 */
	assert_int_equal(rows[0].id, p1);
	assert_int_equal(rows[1].id, p2);
	struct page_after next = {.code = rows[0].region_code, .id = rows[0].id};
	assert_int_equal(store_recurring_list(f->db, &f->a, &street, NULL, next, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, p2);
	struct scopes both = {.prefix = {"110101001001", "110101002"}, .n = 2};
	assert_int_equal(store_recurring_list(f->db, &f->a, &both, NULL, start, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, p1);
	assert_int_equal(rows[1].id, p3);

	/* taken once: the second take, either way, finds it taken */
	assert_int_equal(store_recurring_take(f->db, p1, NOW), DB_OK);
	assert_int_equal(store_recurring_take(f->db, p1, NOW + 1), DB_DONE);
	assert_int_equal(store_recurring_take_topic(f->db, p1, 1, NOW + 1), DB_DONE);
	assert_int_equal(store_recurring_take(f->db, p3 + 1, NOW), DB_DONE);
	struct recurring_row r;
	assert_int_equal(store_recurring_get(f->db, &f->a, p1, &r), DB_ROW);
	assert_string_equal(r.status, "taken");
	assert_int_equal(r.updated_at, NOW);
	assert_int_equal(r.topic_id, 0);
	assert_int_equal(store_recurring_list(f->db, &f->a, &street, "open", start, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, p2);
	assert_int_equal(store_recurring_list(f->db, &f->a, &street, "taken", start, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, p1);

	/* as a topic */
	struct topic_row t = {.region_code = "110101001002",
	                      .procedure = "six_step",
	                      .stage = "proposal",
	                      .title = "垃圾满溢",
	                      .body = "反复发生",
	                      .created_at = NOW};
	assert_int_equal(store_topics_insert(f->db, &t), DB_OK);
	int64_t of = -1;
	assert_int_equal(store_recurring_of_topic(f->db, t.id, &of), DB_OK);
	assert_int_equal(of, 0);
	assert_int_equal(store_recurring_take_topic(f->db, p2, t.id, NOW + 2), DB_OK);
	assert_int_equal(store_recurring_take_topic(f->db, p2, t.id, NOW + 3), DB_DONE);
	assert_int_equal(store_recurring_of_topic(f->db, t.id, &of), DB_OK);
	assert_int_equal(of, p2);
	assert_int_equal(store_recurring_get(f->db, &f->a, p2, &r), DB_ROW);
	assert_string_equal(r.status, "taken");
	assert_int_equal(r.topic_id, t.id);
	assert_int_equal(r.updated_at, NOW + 2);

	/* as a campaign item: one item per problem */
	struct campaign_row c = {.region_code = "110101002",
	                         .title = "整治",
	                         .starts_on = "2026-11-01",
	                         .ends_on = "2026-12-31",
	                         .lead_unit = "城管",
	                         .targets = "[]",
	                         .status = "active",
	                         .created_at = NOW,
	                         .updated_at = NOW};
	assert_int_equal(store_campaigns_insert(f->db, &c), DB_OK);
	struct citem_row it = {.campaign_id = c.id,
	                       .list = "problem",
	                       .region_code = GRID3,
	                       .title = "垃圾满溢",
	                       .source_kind = "recurring_problem",
	                       .source_id = p3,
	                       .state = "open",
	                       .created_at = NOW,
	                       .updated_at = NOW};
	assert_int_equal(store_citems_insert(f->db, &it), DB_OK);
	assert_int_equal(store_citems_insert(f->db, &it), DB_CONSTRAINT);
	assert_int_equal(store_recurring_take(f->db, p3, NOW), DB_OK);
	assert_int_equal(store_recurring_get(f->db, &f->a, p3, &r), DB_ROW);
	assert_int_equal(r.item_id, it.id);
	assert_int_equal(r.item_campaign_id, c.id);
	const char *region = NULL;
	assert_int_equal(store_citem_source_region(f->db, &f->a, "recurring_problem", p3, &region),
	                 DB_ROW);
	assert_string_equal(region, GRID3);
	struct scopes all = {.prefix = {""}, .n = 1};
	assert_int_equal(store_recurring_list(f->db, &f->a, &all, "open", start, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_detect),
	    T(test_rule_and_building),
	    T(test_list_and_take),
	};
	return RUN(tests);
}
