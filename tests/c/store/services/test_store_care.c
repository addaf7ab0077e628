/* Store tests: care targets (关爱对象) and their visits (store/services/care.c) — a target read
 * back field for field and one active target per resident and kind, the walk over region
 * scopes (kind, restricted kinds, overdue and due-soon alerts, the cursor and limit), visits
 * moving the count and the last visit day (never back), the visit list newest first, and the
 * monthly coverage per grid against a recount of the targets seeded. */
#include "store_fixture.h"

#include "store/base/base.h"
#include "store/cases/cases.h"
#include "store/services/services.h"
#include "store/stmt.h"

#define GRID2      "110101001001002" /* a second grid of the community */
#define COMMUNITY2 "110101001002"    /* another community of the street */
#define GRID3      "110101001002001"
#define DAY        20400 /* the day alerts are judged at */

static void seed(struct fixture *f)
{
	seed_grid(f->db);
	insert_region(f->db, GRID2, "110101001001", "第二网格");
	insert_region(f->db, COMMUNITY2, "110101001", "另一社区");
	insert_region(f->db, GRID3, COMMUNITY2, "另一网格");
}

static int64_t add_resident(struct fixture *f, const char *region, const char *name)
{
	struct resident_row r;
	memset(&r, 0, sizeof r);
	r.region_code = region;
	r.name = name;
	r.residency = "registered";
	r.tags = "";
	r.status = "active";
	r.created_at = r.updated_at = NOW;
	assert_int_equal(store_residents_insert(f->db, &r), DB_OK);
	return r.id;
}

static int64_t add_target(struct fixture *f, int64_t resident, const char *region, const char *kind,
                          bool restricted, int64_t every, int64_t since)
{
	struct care_target_row t = {.resident_id = resident,
	                            .region_code = region,
	                            .kind = kind,
	                            .restricted = restricted,
	                            .every = every,
	                            .since_day = since,
	                            .created_at = NOW,
	                            .updated_at = NOW};
	assert_int_equal(store_care_targets_insert(f->db, &t), DB_OK);
	assert_true(t.id > 0);
	return t.id;
}

static void visit(struct fixture *f, int64_t target, const char *region, int64_t day)
{
	struct care_visit_row v = {.target_id = target,
	                           .region_code = region,
	                           .visited_day = day,
	                           .note = "身体好",
	                           .created_at = NOW + day};
	assert_int_equal(store_care_visits_insert(f->db, &v), DB_OK);
}

static void end_target(struct fixture *f, int64_t id)
{
	assert_int_equal(sql_change(f->db, "UPDATE care_targets SET status = 'ended' WHERE id = ?",
	                            ARGS(ARG_INT(id))),
	                 DB_OK);
}

static void test_insert_get(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t u = add_user(f->db, "shequ_t", false), r = add_resident(f, GRID, "张大爷");
	struct care_target_row t = {.resident_id = r,
	                            .region_code = GRID,
	                            .kind = "elderly_alone",
	                            .restricted = true,
	                            .every = 14,
	                            .since_day = DAY - 3,
	                            .created_by = u,
	                            .created_at = NOW,
	                            .updated_at = NOW + 5};
	assert_int_equal(store_care_targets_insert(f->db, &t), DB_OK);
	struct care_target_row got;
	assert_int_equal(store_care_targets_get(f->db, &f->a, t.id, &got), DB_ROW);
	assert_int_equal(got.id, t.id);
	assert_int_equal(got.resident_id, r);
	assert_string_equal(got.resident_name, "张大爷");
	assert_string_equal(got.region_code, GRID);
	assert_string_equal(got.region_name, "第一网格");
	assert_string_equal(got.kind, "elderly_alone");
	assert_true(got.restricted);
	assert_int_equal(got.every, 14);
	assert_int_equal(got.since_day, DAY - 3);
	assert_int_equal(got.last_visit_day, 0);
	assert_int_equal(got.visits, 0);
	assert_false(got.ended);
	assert_int_equal(got.created_by, u);
	assert_int_equal(got.created_at, NOW);
	assert_int_equal(got.updated_at, NOW + 5);
	assert_int_equal(store_care_targets_get(f->db, &f->a, t.id + 100, &got), DB_DONE);
	/* One active target per resident and kind; another kind is a second target. */
	struct care_target_row again = t;
	assert_int_equal(store_care_targets_insert(f->db, &again), DB_CONSTRAINT);
	int64_t other = add_target(f, r, GRID, "disabled", false, 30, DAY);
	assert_int_equal(store_care_targets_get(f->db, &f->a, other, &got), DB_ROW);
	assert_int_equal(got.created_by, 0);
	assert_false(got.restricted);
	/* Ended, the place is free again; the schema refuses a period outside 1..366. */
	end_target(f, t.id);
	assert_int_equal(store_care_targets_get(f->db, &f->a, t.id, &got), DB_ROW);
	assert_true(got.ended);
	again = t;
	assert_int_equal(store_care_targets_insert(f->db, &again), DB_OK);
	assert_true(again.id > other);
	struct care_target_row bad = t;
	bad.kind = "orphan";
	bad.every = 0;
	assert_int_equal(store_care_targets_insert(f->db, &bad), DB_CONSTRAINT);
}

static size_t walk(struct fixture *f, const struct scopes *sc, const struct care_filter *flt,
                   struct page_after after, int limit, struct care_target_row **rows)
{
	size_t n = 99;
	assert_int_equal(store_care_targets_walk(f->db, &f->a, sc, flt, after, limit, rows, &n),
	                 DB_OK);
	return n;
}

static void test_walk(void **state)
{
	struct fixture *f = *state;
	seed(f);
	/* due day = max(since, last visit) + every; DAY is the day judged at */
	int64_t g2 = add_target(f, add_resident(f, GRID2, "甲"), GRID2, "elderly_alone", false, 7,
	                        DAY - 3); /* due DAY + 4: soon */
	int64_t g1 = add_target(f, add_resident(f, GRID, "乙"), GRID, "elderly_alone", false, 7,
	                        DAY - 10); /* due DAY - 3: overdue */
	int64_t dis = add_target(f, add_resident(f, GRID, "丙"), GRID, "disabled", false, 30,
	                         DAY - 40); /* overdue by its start, but visited */
	visit(f, dis, GRID, DAY - 5);       /* due DAY + 25 */
	int64_t secret = add_target(f, add_resident(f, GRID, "丁"), GRID, "community_correction",
	                            true, 7, DAY - 20); /* restricted, overdue */
	int64_t ended =
	    add_target(f, add_resident(f, GRID, "戊"), GRID, "elderly_alone", false, 7, DAY - 30);
	end_target(f, ended);
	int64_t far = add_target(f, add_resident(f, GRID3, "己"), GRID3, "elderly_alone", false, 7,
	                         DAY - 30); /* another community */

	struct scopes comm = {.prefix = {"110101001001"}, .n = 1};
	struct page_after start = {.code = "", .id = 0};
	struct care_filter any = {.as_of_day = DAY, .soon_days = 7};
	struct care_target_row *rows;
	/* region_code then id: GRID before GRID2; restricted and ended left out. */
	assert_int_equal(walk(f, &comm, &any, start, 10, &rows), 3);
	assert_int_equal(rows[0].id, g1);
	assert_int_equal(rows[1].id, dis);
	assert_int_equal(rows[2].id, g2);
	assert_string_equal(rows[2].resident_name, "甲");
	any.with_restricted = true;
	assert_int_equal(walk(f, &comm, &any, start, 10, &rows), 4);
	assert_int_equal(rows[2].id, secret);
	/* The kind filter. */
	struct care_filter kind = {.kind = "elderly_alone", .with_restricted = true};
	assert_int_equal(walk(f, &comm, &kind, start, 10, &rows), 2);
	assert_int_equal(rows[0].id, g1);
	assert_int_equal(rows[1].id, g2);
	/* Alerts: overdue only, then overdue or due within soon_days. */
	struct care_filter red = {.alert = 1, .as_of_day = DAY, .soon_days = 7};
	assert_int_equal(walk(f, &comm, &red, start, 10, &rows), 1);
	assert_int_equal(rows[0].id, g1);
	struct care_filter yellow = {.alert = 2, .as_of_day = DAY, .soon_days = 7};
	assert_int_equal(walk(f, &comm, &yellow, start, 10, &rows), 2);
	assert_int_equal(rows[0].id, g1);
	assert_int_equal(rows[1].id, g2);
	yellow.soon_days = 4; /* due DAY + 4 is not before DAY + 4 */
	assert_int_equal(walk(f, &comm, &yellow, start, 10, &rows), 1);
	/* The cursor and the limit page through in order. */
	assert_int_equal(walk(f, &comm, &any, start, 2, &rows), 2);
	struct page_after next = {.code = rows[1].region_code, .id = rows[1].id};
	assert_int_equal(walk(f, &comm, &any, next, 2, &rows), 2);
	assert_int_equal(rows[0].id, secret);
	assert_int_equal(rows[1].id, g2);
	/* Two scopes; the district holds the other community's target too. */
	struct scopes two = {.prefix = {"110101001001", COMMUNITY2}, .n = 2};
	assert_int_equal(walk(f, &two, &any, start, 10, &rows), 5);
	assert_int_equal(rows[4].id, far);
	struct scopes other = {.prefix = {COMMUNITY2}, .n = 1};
	assert_int_equal(walk(f, &other, &any, start, 10, &rows), 1);
	assert_int_equal(rows[0].id, far);
}

static void test_visits(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t u = add_user(f->db, "wangge_t", false);
	struct case_row c;
	memset(&c, 0, sizeof c);
	c.number = "SJ2026110100001";
	c.tracking_code = "2026110100001";
	c.category = "environment";
	c.status = CASE_REPORTED;
	c.level = REGION_GRID;
	c.region_code = GRID;
	c.description = "楼道堆物";
	c.source = "web";
	c.accept_due = NOW + 3600;
	c.handle_due = NOW + 86400;
	c.created_at = c.updated_at = NOW;
	assert_int_equal(store_cases_insert(f->db, &c), DB_OK);
	int64_t t = add_target(f, add_resident(f, GRID, "张大爷"), GRID, "elderly_alone", false, 7,
	                       DAY - 30);
	int64_t other = add_target(f, add_resident(f, GRID, "李奶奶"), GRID, "elderly_alone", false,
	                           7, DAY - 30);
	struct care_visit_row v = {.target_id = t,
	                           .region_code = GRID,
	                           .visited_day = DAY,
	                           .note = "血压偏高",
	                           .photos = "[\"p1.jpg\"]",
	                           .case_id = c.id,
	                           .user_id = u,
	                           .created_at = NOW + 60};
	assert_int_equal(store_care_visits_insert(f->db, &v), DB_OK);
	assert_true(v.id > 0);
	struct care_target_row got;
	assert_int_equal(store_care_targets_get(f->db, &f->a, t, &got), DB_ROW);
	assert_int_equal(got.visits, 1);
	assert_int_equal(got.last_visit_day, DAY);
	assert_int_equal(got.updated_at, NOW + 60);
	/* An earlier visit recorded late counts but leaves the last visit day. */
	visit(f, t, GRID, DAY - 10);
	visit(f, t, GRID, DAY + 2);
	assert_int_equal(store_care_targets_get(f->db, &f->a, t, &got), DB_ROW);
	assert_int_equal(got.visits, 3);
	assert_int_equal(got.last_visit_day, DAY + 2);
	visit(f, t, GRID, DAY - 1);
	assert_int_equal(store_care_targets_get(f->db, &f->a, t, &got), DB_ROW);
	assert_int_equal(got.visits, 4);
	assert_int_equal(got.last_visit_day, DAY + 2);
	int64_t count = -1;
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM care_visits WHERE target_id = ?",
	                         ARGS(ARG_INT(t)), &count),
	                 DB_OK);
	assert_int_equal(got.visits, count);
	/* The other target is untouched; a visit to no target is refused. */
	assert_int_equal(store_care_targets_get(f->db, &f->a, other, &got), DB_ROW);
	assert_int_equal(got.visits, 0);
	assert_int_equal(got.last_visit_day, 0);
	struct care_visit_row stray = v;
	stray.target_id = other + 100;
	assert_int_equal(store_care_visits_insert(f->db, &stray), DB_CONSTRAINT);

	struct care_visit_row *rows;
	size_t n;
	assert_int_equal(store_care_visits_list(f->db, &f->a, t, &rows, &n), DB_OK);
	assert_int_equal(n, 4);
	assert_int_equal(rows[0].visited_day, DAY + 2);
	assert_int_equal(rows[1].visited_day, DAY);
	assert_int_equal(rows[2].visited_day, DAY - 1);
	assert_int_equal(rows[3].visited_day, DAY - 10);
	assert_int_equal(rows[1].id, v.id);
	assert_int_equal(rows[1].target_id, t);
	assert_string_equal(rows[1].region_code, GRID);
	assert_string_equal(rows[1].note, "血压偏高");
	assert_string_equal(rows[1].photos, "[\"p1.jpg\"]");
	assert_int_equal(rows[1].case_id, c.id);
	assert_int_equal(rows[1].user_id, u);
	assert_string_equal(rows[1].user_name, "测试用户");
	assert_int_equal(rows[1].created_at, NOW + 60);
	assert_int_equal(rows[0].case_id, 0);
	assert_int_equal(rows[0].user_id, 0);
	assert_null(rows[0].user_name);
	assert_null(rows[0].photos);
	assert_int_equal(store_care_visits_list(f->db, &f->a, other, &rows, &n), DB_OK);
	assert_int_equal(n, 0);
}

static void test_coverage(void **state)
{
	struct fixture *f = *state;
	seed(f);
	enum { FROM = DAY, TO = DAY + 29 }; /* the month */
	int64_t a =
	    add_target(f, add_resident(f, GRID, "甲"), GRID, "elderly_alone", false, 7, FROM - 60);
	visit(f, a, GRID, FROM + 3); /* due, visited */
	visit(f, a, GRID, FROM + 9); /* once counted */
	int64_t b =
	    add_target(f, add_resident(f, GRID, "乙"), GRID, "elderly_alone", false, 7, FROM - 60);
	visit(f, b, GRID, FROM - 1); /* due, visited before the month */
	int64_t c = add_target(f, add_resident(f, GRID, "丙"), GRID, "elderly_alone", false, 7, TO);
	visit(f, c, GRID, TO); /* started on the last day: due, visited */
	add_target(f, add_resident(f, GRID, "丁"), GRID, "elderly_alone", false, 7,
	           TO + 1); /* starts after the month */
	int64_t d = add_target(f, add_resident(f, GRID2, "戊"), GRID2, "community_correction", true,
	                       7, FROM - 60);
	visit(f, d, GRID2, TO + 1); /* visited after the month */
	int64_t e = add_target(f, add_resident(f, GRID2, "己"), GRID2, "elderly_alone", false, 7,
	                       FROM - 60);
	visit(f, e, GRID2, FROM);
	end_target(f, e); /* ended */
	int64_t g = add_target(f, add_resident(f, GRID3, "庚"), GRID3, "elderly_alone", false, 7,
	                       FROM - 60);
	visit(f, g, GRID3, FROM + 1);

	struct scopes comm = {.prefix = {"110101001001"}, .n = 1};
	struct care_coverage_row *rows;
	size_t n;
	assert_int_equal(store_care_coverage(f->db, &f->a, &comm, false, FROM, TO, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 1); /* GRID2 holds only a restricted and an ended target */
	assert_string_equal(rows[0].region_code, GRID);
	assert_string_equal(rows[0].region_name, "第一网格");
	assert_int_equal(rows[0].due, 3);
	assert_int_equal(rows[0].visited, 2);
	assert_int_equal(store_care_coverage(f->db, &f->a, &comm, true, FROM, TO, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[1].region_code, GRID2);
	assert_int_equal(rows[1].due, 1);
	assert_int_equal(rows[1].visited, 0);
	/* Two scopes are concatenated in their order; an empty one adds nothing. */
	struct scopes two = {.prefix = {COMMUNITY2, "110101001001", "110102"}, .n = 3};
	assert_int_equal(store_care_coverage(f->db, &f->a, &two, true, FROM, TO, &rows, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].region_code, GRID3);
	assert_int_equal(rows[0].due, 1);
	assert_int_equal(rows[0].visited, 1);
	assert_string_equal(rows[1].region_code, GRID);
	assert_string_equal(rows[2].region_code, GRID2);
	/* The totals equal a recount of the active targets started by the month's end. */
	int64_t due = 0, visited = 0;
	for (size_t i = 0; i < n; i++) {
		due += rows[i].due;
		visited += rows[i].visited;
	}
	int64_t recount = -1;
	assert_int_equal(sql_int(f->db,
	                         "SELECT count(*) FROM care_targets WHERE status = 'active' AND "
	                         "since_day <= ?",
	                         ARGS(ARG_INT(TO)), &recount),
	                 DB_OK);
	assert_int_equal(due, recount);
	assert_int_equal(
	    sql_int(f->db,
	            "SELECT count(DISTINCT t.id) FROM care_targets t JOIN care_visits v "
	            "ON v.target_id = t.id WHERE t.status = 'active' AND t.since_day "
	            "<= ?1 AND v.visited_day BETWEEN ?2 AND ?1",
	            ARGS(ARG_INT(TO), ARG_INT(FROM)), &recount),
	    DB_OK);
	assert_int_equal(visited, recount);
	struct scopes none = {.prefix = {"110102"}, .n = 1};
	assert_int_equal(store_care_coverage(f->db, &f->a, &none, true, FROM, TO, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_insert_get),
	    T(test_walk),
	    T(test_visits),
	    T(test_coverage),
	};
	return RUN(tests);
}
