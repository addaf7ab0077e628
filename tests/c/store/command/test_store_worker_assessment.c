/* Store tests: grid worker assessment (store/command/worker_assessment.c) on a temporary
 * database brought to the newest schema: the grid workers under a region (active accounts with
 * a grid_worker grant there, one row each with their first grid), and a month's counts per
 * worker — reports, verified sweep visits, care visits, cases handled (each once) and handled
 * on time, callbacks reached and contradicted — against the records seeded, those outside the
 * month, the region or the outcome left out; the records behind each count, newest first. */
#include "store_fixture.h"

#include "store/base/base.h"
#include "store/base/sweeps.h"
#include "store/cases/cases.h"
#include "store/command/callbacks.h"
#include "store/command/worker_assessment.h"
#include "store/services/services.h"
#include "store/stmt.h"

#define FROM  1793462400 /* November 2026, Asia/Shanghai */
#define TO    1796054400
#define MONTH 202611
#define GRID2 "110101001001002"
#define GRID3 "110101001002001"
#define GRID4 "110101002001001" /* another street */

static void seed(struct fixture *f)
{
	seed_grid(f->db);
	insert_region(f->db, GRID2, "110101001001", "第二网格");
	insert_region(f->db, "110101001002", "110101001", "第二社区");
	insert_region(f->db, GRID3, "110101001002", "第一网格");
	insert_region(f->db, "110101002", "110101", "朝阳门街道");
	insert_region(f->db, "110101002001", "110101002", "南竹杆社区");
	insert_region(f->db, GRID4, "110101002001", "第一网格");
}

static int64_t add_worker(struct fixture *f, const char *name, enum role role, const char *g1,
                          const char *g2)
{
	struct user_row u;
	memset(&u, 0, sizeof u);
	u.username = name;
	u.display_name = name;
	u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
	u.created_at = u.updated_at = NOW;
	u.grants[u.ngrants++] = mk_grant(role, g1);
	if (g2)
		u.grants[u.ngrants++] = mk_grant(role, g2);
	assert_int_equal(store_users_insert(f->db, &u), DB_OK);
	return u.id;
}

/* A case of grid, closed and handled at handled (0: open) against a deadline of NOW. */
static int64_t add_case(struct fixture *f, const char *number, const char *grid, int64_t handled)
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
	c.source = "web";
	c.accept_due = NOW - 3600;
	c.handle_due = NOW;
	c.created_at = c.updated_at = FROM + 60;
	assert_int_equal(store_cases_insert(f->db, &c), DB_OK);
	if (handled)
		assert_int_equal(
		    sql_run(f->db,
		            "UPDATE cases SET status = ?, handled_at = ?, closed_at = ? "
		            "WHERE id = ?",
		            ARGS(ARG_INT(CASE_CLOSED), ARG_INT(handled), ARG_INT(handled + 60),
		                 ARG_INT(c.id))),
		    DB_OK);
	return c.id;
}

static void event(struct fixture *f, int64_t case_id, int64_t actor, const char *action, int64_t at)
{
	struct case_event_row e = {.case_id = case_id,
	                           .at = at,
	                           .actor_id = actor,
	                           .action = action,
	                           .from_state = -1,
	                           .to_state = -1};
	assert_int_equal(store_case_events_add(f->db, &e), DB_OK);
}

static void callback(struct fixture *f, int64_t sample, int64_t case_id, const char *outcome,
                     int64_t at)
{
	struct callback_item_row it = {.sample_id = sample,
	                               .case_id = case_id,
	                               .position = 1,
	                               .region_code = GRID,
	                               .unit = ""};
	assert_int_equal(store_callback_items_insert(f->db, &it), DB_OK);
	assert_int_equal(
	    sql_run(f->db,
	            "UPDATE callback_items SET outcome = ?, recorded_at = ? WHERE "
	            "sample_id = ? AND case_id = ?",
	            ARGS(ARG_TEXT(outcome), ARG_INT(at), ARG_INT(sample), ARG_INT(case_id))),
	    DB_OK);
}

static int64_t sample(struct fixture *f, int64_t period)
{
	struct callback_sample_row s = {.region_code = "110101001",
	                                .period = period,
	                                .size = 3,
	                                .seed = "1",
	                                .population = 3,
	                                .drawn = 3,
	                                .created_at = NOW};
	assert_int_equal(store_callback_samples_insert(f->db, &s), DB_OK);
	return s.id;
}

struct seeded {
	int64_t w1, w2, w4, a, b, c, r1, r2, visit, sweep, house, target;
	int64_t nov, oct;
};

/* w1 (GRID) reports two cases in the month and one either side of it, handles a (twice, on
 * time) and b (late), makes one verified sweep visit and one nobody-home; w2 (GRID2, GRID3)
 * handles c on time and makes a care visit in the month and one before; w4 (another street)
 * reports one. The November sample confirms a, contradicts b and did not reach c. */
static struct seeded seed_month(struct fixture *f)
{
	struct seeded s;
	s.w1 = add_worker(f, "wangge_1", ROLE_GRID_WORKER, GRID, NULL);
	s.w2 = add_worker(f, "wangge_2", ROLE_GRID_WORKER, GRID3, GRID2);
	s.w4 = add_worker(f, "wangge_4", ROLE_GRID_WORKER, GRID4, NULL);
	s.r1 = add_case(f, "SJ2026110100001", GRID, 0);
	s.r2 = add_case(f, "SJ2026110100002", GRID, 0);
	int64_t before = add_case(f, "SJ2026110100003", GRID, 0),
	        after = add_case(f, "SJ2026110100004", GRID, 0),
	        far = add_case(f, "SJ2026110100005", GRID4, 0);
	event(f, s.r1, s.w1, "report", NOW);
	event(f, s.r2, s.w1, "report", NOW + 1);
	event(f, before, s.w1, "report", FROM - 1);
	event(f, after, s.w1, "report", TO);
	event(f, far, s.w4, "report", NOW);
	s.a = add_case(f, "SJ2026110100006", GRID, NOW - 60);
	s.b = add_case(f, "SJ2026110100007", GRID, NOW + 60);
	s.c = add_case(f, "SJ2026110100008", GRID2, NOW);
	event(f, s.a, s.w1, "handle", NOW - 3600);
	event(f, s.a, s.w1, "handle", NOW - 60);
	event(f, s.b, s.w1, "handle", NOW - 30);
	event(f, s.c, s.w2, "handle", NOW);

	struct building_row b = {.region_code = GRID,
	                         .name = "1号楼",
	                         .floors = 6,
	                         .created_at = NOW,
	                         .updated_at = NOW};
	assert_int_equal(store_buildings_insert(f->db, &b), DB_OK);
	struct house_row h = {.region_code = GRID,
	                      .building_id = b.id,
	                      .unit = "1",
	                      .room = "101",
	                      .area = -1,
	                      .created_at = NOW,
	                      .updated_at = NOW};
	assert_int_equal(store_houses_insert(f->db, &h), DB_OK);
	s.house = h.id;
	struct sweep_row sw = {.name = "秋季扫楼",
	                       .region_code = "110101001",
	                       .starts_on = "2026-11-01",
	                       .ends_on = "2026-11-30",
	                       .created_at = NOW,
	                       .updated_at = NOW};
	assert_int_equal(store_sweeps_insert(f->db, &sw), DB_OK);
	s.sweep = sw.id;
	struct visit_row v = {.sweep_id = sw.id,
	                      .house_id = h.id,
	                      .region_code = GRID,
	                      .visitor_id = s.w1,
	                      .at = NOW + 5,
	                      .outcome = "nobody_home"};
	assert_int_equal(store_visits_insert(f->db, &v), DB_OK);
	v.at = NOW + 10;
	v.outcome = "visited";
	assert_int_equal(store_visits_insert(f->db, &v), DB_OK);
	s.visit = v.id;

	struct resident_row r;
	memset(&r, 0, sizeof r);
	r.region_code = GRID2;
	r.house_id = h.id;
	r.name = "独居老人";
	r.residency = "registered";
	r.status = "active";
	r.created_at = r.updated_at = NOW;
	assert_int_equal(store_residents_insert(f->db, &r), DB_OK);
	struct care_target_row t = {.resident_id = r.id,
	                            .region_code = GRID2,
	                            .kind = "elderly_alone",
	                            .every = 7,
	                            .created_at = NOW,
	                            .updated_at = NOW};
	assert_int_equal(store_care_targets_insert(f->db, &t), DB_OK);
	s.target = t.id;
	struct care_visit_row cv = {.target_id = t.id,
	                            .region_code = GRID2,
	                            .note = "身体好",
	                            .user_id = s.w2,
	                            .created_at = NOW};
	assert_int_equal(store_care_visits_insert(f->db, &cv), DB_OK);
	cv.created_at = FROM - 10;
	assert_int_equal(store_care_visits_insert(f->db, &cv), DB_OK);

	s.nov = sample(f, MONTH);
	s.oct = sample(f, MONTH - 1);
	callback(f, s.nov, s.a, "confirmed", NOW + 100);
	callback(f, s.nov, s.b, "contradicted", NOW + 200);
	callback(f, s.nov, s.c, "unreachable", NOW + 300);
	callback(f, s.oct, s.a, "contradicted", NOW + 400); /* another month's sample */
	return s;
}

static void test_workers(void **state)
{
	struct fixture *f = *state;
	seed(f);
	struct seeded s = seed_month(f);
	add_worker(f, "shequ_1", ROLE_COMMUNITY, "110101001001", NULL); /* not a grid worker */
	int64_t off = add_user(f->db, "wangge_off", true);              /* disabled */
	struct worker_row *rows;
	size_t n;
	assert_int_equal(store_workers_list(f->db, &f->a, "110101001", 0, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].user_id, s.w1);
	assert_string_equal(rows[0].name, "wangge_1");
	assert_string_equal(rows[0].grid_code, GRID);
	assert_string_equal(rows[0].grid_name, "第一网格");
	assert_int_equal(rows[1].user_id, s.w2);
	assert_string_equal(rows[1].grid_code, GRID2); /* the first of its grids in code order */
	assert_string_equal(rows[1].grid_name, "第二网格");
	/* under the second community only its grant there counts */
	assert_int_equal(store_workers_list(f->db, &f->a, "110101001002", 0, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].grid_code, GRID3);
	assert_int_equal(store_workers_list(f->db, &f->a, "110101", s.w4, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].user_id, s.w4);
	assert_int_equal(store_workers_list(f->db, &f->a, "110101", off, &rows, &n), DB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_workers_list(f->db, &f->a, "110101", 0, &rows, &n), DB_OK);
	assert_int_equal(n, 3);
}

/* The counts as a table [worker][kind], workers w1, w2, w4 (any other user fails). */
static void counts(struct fixture *f, const struct seeded *s, const char *region, int64_t user,
                   int64_t out[3][WC_KINDS])
{
	memset(out, 0, sizeof(int64_t) * 3 * WC_KINDS);
	struct worker_count *rows;
	size_t n;
	assert_int_equal(store_worker_counts(f->db, &f->a, region, user, FROM, TO, MONTH,
	                                     CASE_CLOSED, &rows, &n),
	                 DB_OK);
	for (size_t i = 0; i < n; i++) {
		int w = rows[i].user_id == s->w1 ? 0 : rows[i].user_id == s->w2 ? 1 : 2;
		if (w == 2)
			assert_int_equal(rows[i].user_id, s->w4);
		assert_true(rows[i].kind >= 0 && rows[i].kind < WC_KINDS);
		out[w][rows[i].kind] += rows[i].n;
	}
}

static void test_counts(void **state)
{
	struct fixture *f = *state;
	seed(f);
	struct seeded s = seed_month(f);
	int64_t c[3][WC_KINDS];
	counts(f, &s, "110101001", 0, c);
	const int64_t w1[WC_KINDS] = {2, 1, 0, 2, 1, 1, 1};
	const int64_t w2[WC_KINDS] = {0, 0, 1, 1, 1, 0, 0};
	for (int k = 0; k < WC_KINDS; k++) {
		assert_int_equal(c[0][k], w1[k]);
		assert_int_equal(c[1][k], w2[k]);
		assert_int_equal(c[2][k], 0); /* w4 is in another street */
	}
	/* one worker only; the district takes in w4 */
	counts(f, &s, "110101001", s.w2, c);
	assert_int_equal(c[0][WC_REPORTS] + c[0][WC_HANDLED], 0);
	assert_int_equal(c[1][WC_CARE], 1);
	counts(f, &s, "110101", 0, c);
	assert_int_equal(c[2][WC_REPORTS], 1);
	assert_int_equal(c[0][WC_REPORTS], 2);
	/* a recount of w1's reports from the timeline */
	int64_t recount = 0;
	assert_int_equal(sql_int(f->db,
	                         "SELECT count(*) FROM case_events WHERE actor_id = ? AND action = "
	                         "'report' AND at >= ? AND at < ?",
	                         ARGS(ARG_INT(s.w1), ARG_INT(FROM), ARG_INT(TO)), &recount),
	                 DB_OK);
	assert_int_equal(c[0][WC_REPORTS], recount);
}

static size_t records(struct fixture *f, int64_t user, int kind, int limit,
                      struct worker_record **rows)
{
	size_t n = 99;
	assert_int_equal(store_worker_records(f->db, &f->a, user, kind, FROM, TO, MONTH,
	                                      CASE_CLOSED, limit, rows, &n),
	                 DB_OK);
	return n;
}

static void test_records(void **state)
{
	struct fixture *f = *state;
	seed(f);
	struct seeded s = seed_month(f);
	struct worker_record *r;
	assert_int_equal(records(f, s.w1, WC_REPORTS, 10, &r), 2);
	assert_int_equal(r[0].id, s.r2);
	assert_string_equal(r[0].label, "SJ2026110100002");
	assert_string_equal(r[0].region_code, GRID);
	assert_int_equal(r[0].at, NOW + 1);
	assert_int_equal(r[1].id, s.r1);
	assert_int_equal(records(f, s.w1, WC_REPORTS, 1, &r), 1);
	assert_int_equal(records(f, s.w1, WC_HANDLED, 10, &r), 2);
	assert_int_equal(r[0].id, s.b); /* its handling is the later */
	assert_int_equal(r[1].id, s.a);
	assert_int_equal(r[1].at, NOW - 60); /* the last of its two */
	assert_int_equal(r[1].ref, CASE_CLOSED);
	assert_int_equal(records(f, s.w1, WC_ON_TIME, 10, &r), 1);
	assert_int_equal(r[0].id, s.a);
	assert_int_equal(records(f, s.w1, WC_SWEEPS, 10, &r), 1);
	assert_int_equal(r[0].id, s.visit);
	assert_string_equal(r[0].label, arena_printf(&f->a, "%lld", (long long)s.house));
	assert_int_equal(r[0].ref, s.sweep);
	assert_int_equal(r[0].at, NOW + 10);
	assert_int_equal(records(f, s.w1, WC_CARE, 10, &r), 0);
	assert_int_equal(records(f, s.w2, WC_CARE, 10, &r), 1);
	assert_int_equal(r[0].ref, s.target);
	assert_string_equal(r[0].region_code, GRID2);
	assert_int_equal(r[0].at, NOW);
	/* callbacks: reached lists the confirmed and the contradicted, newest recorded first */
	assert_int_equal(records(f, s.w1, WC_CALLBACKS_REACHED, 10, &r), 2);
	assert_int_equal(r[0].id, s.b);
	assert_int_equal(r[0].at, NOW + 200);
	assert_int_equal(r[0].ref, s.nov);
	assert_int_equal(r[1].id, s.a);
	assert_int_equal(records(f, s.w1, WC_CALLBACKS_CONTRADICTED, 10, &r), 1);
	assert_int_equal(r[0].id, s.b);
	assert_int_equal(records(f, s.w2, WC_CALLBACKS_REACHED, 10, &r), 0); /* unreachable */
	assert_int_equal(records(f, s.w1, WC_KINDS, 10, &r), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_workers),
	    T(test_counts),
	    T(test_records),
	};
	return RUN(tests);
}
