/* Store tests: ranking schemes (store/command/rankings.c) on a temporary database brought to the
 * newest schema: a scheme read back field for field, updated, listed newest first and held to
 * its checks; bonus and penalty items entered pending, approved once, listed by period, region
 * and approval; publications numbered per scheme, parent and period and frozen; the monthly
 * sums of a fact per region against the rows summed; the active regions of a level. */
#include "store_fixture.h"

#include "store/command/rankings.h"
#include "store/stmt.h"

#define STREET  "110101001"
#define STREET2 "110101002"
#define COMM2   "110101001002"

static int64_t add_scheme(struct fixture *f, const char *name, const char *level)
{
	struct scheme_row s = {.name = name,
	                       .level = level,
	                       .region_code = "110101",
	                       .top_n = 3,
	                       .items = "[{\"indicator\":\"case_closure_rate\",\"weight\":1}]",
	                       .status = "active",
	                       .created_at = NOW,
	                       .updated_at = NOW};
	enum db_result r = store_schemes_insert(f->db, &s);
	return r == DB_OK ? s.id : -(int64_t)r;
}

static void test_schemes(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	struct scheme_row s = {.name = "社区月度评比",
	                       .level = "community",
	                       .region_code = STREET,
	                       .top_n = 5,
	                       .items = "[{\"indicator\":\"cases_per_10k\",\"weight\":2}]",
	                       .note = "",
	                       .status = "active",
	                       .created_by = 7,
	                       .created_at = NOW,
	                       .updated_at = NOW};
	assert_int_equal(store_schemes_insert(f->db, &s), DB_OK);
	struct scheme_row got;
	assert_int_equal(store_schemes_get(f->db, &f->a, s.id, &got), DB_ROW);
	assert_int_equal(got.id, s.id);
	assert_string_equal(got.name, "社区月度评比");
	assert_string_equal(got.level, "community");
	assert_string_equal(got.region_code, STREET);
	assert_int_equal(got.top_n, 5);
	assert_string_equal(got.items, s.items);
	assert_null(got.note); /* "" is NULL */
	assert_string_equal(got.status, "active");
	assert_int_equal(got.created_by, 7);
	assert_int_equal(got.created_at, NOW);
	got.name = "社区月度考核";
	got.top_n = 0;
	got.note = "试行";
	got.status = "archived";
	got.level = "street"; /* not changed by an update */
	got.updated_at = NOW + 9;
	assert_int_equal(store_schemes_update(f->db, &got), DB_OK);
	assert_int_equal(store_schemes_get(f->db, &f->a, s.id, &got), DB_ROW);
	assert_string_equal(got.name, "社区月度考核");
	assert_int_equal(got.top_n, 0);
	assert_string_equal(got.note, "试行");
	assert_string_equal(got.status, "archived");
	assert_string_equal(got.level, "community");
	assert_int_equal(got.updated_at, NOW + 9);
	got.top_n = 51; /* the lists hold at most 50 */
	assert_int_equal(store_schemes_update(f->db, &got), DB_CONSTRAINT);
	got.top_n = 1;
	got.id = s.id + 1;
	assert_int_equal(store_schemes_update(f->db, &got), DB_DONE);
	assert_int_equal(store_schemes_get(f->db, &f->a, s.id + 1, &got), DB_DONE);
	assert_int_equal(add_scheme(f, "网格评比", "grid"), -(int64_t)DB_CONSTRAINT);

	int64_t b = add_scheme(f, "街道年度考评", "street");
	assert_true(b > s.id);
	struct scheme_row *rows;
	size_t n;
	assert_int_equal(store_schemes_list(f->db, &f->a, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, b);
	assert_int_equal(rows[1].id, s.id);
}

static int64_t add_adj(struct fixture *f, int64_t scheme, const char *region, int64_t period,
                       double points)
{
	struct adjustment_row r = {.scheme_id = scheme,
	                           .region_code = region,
	                           .period = period,
	                           .points = points,
	                           .reason = "获市级表彰",
	                           .evidence = "文件",
	                           .status = "approved", /* ignored: every item starts pending */
	                           .entered_by = 4,
	                           .entered_by_name = "jiedao",
	                           .created_at = NOW,
	                           .updated_at = NOW};
	assert_int_equal(store_adjustments_insert(f->db, &r), DB_OK);
	return r.id;
}

static void test_adjustments(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	insert_region(f->db, COMM2, STREET, "第二社区");
	insert_region(f->db, STREET2, "110101", "朝阳门街道");
	int64_t s = add_scheme(f, "社区月度评比", "community");
	int64_t a = add_adj(f, s, "110101001001", 202611, 2.5);
	int64_t b = add_adj(f, s, COMM2, 202611, -1.25);
	int64_t c = add_adj(f, s, "110101001001", 202610, 1);
	int64_t y = add_adj(f, s, STREET2, 202600, 3); /* the year's item */
	struct adjustment_row r;
	assert_int_equal(store_adjustments_get(f->db, &f->a, a, &r), DB_ROW);
	assert_int_equal(r.scheme_id, s);
	assert_string_equal(r.region_code, "110101001001");
	assert_int_equal(r.period, 202611);
	assert_true(r.points > 2.49 && r.points < 2.51);
	assert_string_equal(r.reason, "获市级表彰");
	assert_string_equal(r.evidence, "文件");
	assert_null(r.photos);
	assert_string_equal(r.status, "pending");
	assert_int_equal(r.entered_by, 4);
	assert_string_equal(r.entered_by_name, "jiedao");
	assert_int_equal(r.approved_by, 0);
	assert_null(r.approved_by_name);
	assert_int_equal(r.approved_at, 0);
	/* approved once: the second approval finds it approved */
	assert_int_equal(store_adjustments_approve(f->db, b, 9, "zhihui", NOW + 30), DB_OK);
	assert_int_equal(store_adjustments_approve(f->db, b, 10, "other", NOW + 40), DB_DONE);
	assert_int_equal(store_adjustments_approve(f->db, y + 1, 9, "zhihui", NOW), DB_DONE);
	assert_int_equal(store_adjustments_get(f->db, &f->a, b, &r), DB_ROW);
	assert_string_equal(r.status, "approved");
	assert_int_equal(r.approved_by, 9);
	assert_string_equal(r.approved_by_name, "zhihui");
	assert_int_equal(r.approved_at, NOW + 30);
	assert_int_equal(r.updated_at, NOW + 30);
	assert_true(r.points < -1.24 && r.points > -1.26);

	struct adjustment_row *rows;
	size_t n;
	/* November under the street: by region, then id */
	assert_int_equal(
	    store_adjustments_list(f->db, &f->a, s, 202611, 202611, STREET, false, &rows, &n),
	    DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, a);
	assert_int_equal(rows[1].id, b);
	assert_int_equal(
	    store_adjustments_list(f->db, &f->a, s, 202611, 202611, STREET, true, &rows, &n),
	    DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, b);
	/* the year: every month and the annual item, under the district */
	assert_int_equal(
	    store_adjustments_list(f->db, &f->a, s, 202600, 202612, "110101", false, &rows, &n),
	    DB_OK);
	assert_int_equal(n, 4);
	assert_int_equal(rows[0].id, a); /* 110101001001 by id: November's, then October's */
	assert_int_equal(rows[1].id, c);
	assert_int_equal(rows[2].id, b);
	assert_int_equal(rows[3].id, y);
	assert_int_equal(
	    store_adjustments_list(f->db, &f->a, s + 1, 202600, 202612, "110101", false, &rows, &n),
	    DB_OK);
	assert_int_equal(n, 0);
}

static void test_publications(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t s = add_scheme(f, "社区月度评比", "community");
	struct publication_row p = {.scheme_id = s,
	                            .parent_code = STREET,
	                            .period = "2026-11",
	                            .body = "{\"rows\":[1]}",
	                            .published_by = 3,
	                            .published_by_name = "zhihui",
	                            .published_at = NOW};
	assert_int_equal(store_publications_insert(f->db, &p), DB_OK);
	assert_int_equal(p.version, 1);
	int64_t first = p.id;
	p.body = "{\"rows\":[2]}";
	p.published_at = NOW + 60;
	assert_int_equal(store_publications_insert(f->db, &p), DB_OK);
	assert_int_equal(p.version, 2);
	/* another parent, another period: each from version 1 */
	struct publication_row q = p;
	q.parent_code = "110101";
	assert_int_equal(store_publications_insert(f->db, &q), DB_OK);
	assert_int_equal(q.version, 1);
	q.parent_code = STREET;
	q.period = "2026-10";
	assert_int_equal(store_publications_insert(f->db, &q), DB_OK);
	assert_int_equal(q.version, 1);

	struct publication_row *rows;
	size_t n;
	assert_int_equal(
	    store_publications_list(f->db, &f->a, s, STREET, "2026-11", true, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, first);
	assert_int_equal(rows[0].version, 1);
	assert_string_equal(rows[0].body, "{\"rows\":[1]}");
	assert_string_equal(rows[0].published_by_name, "zhihui");
	assert_int_equal(rows[0].published_by, 3);
	assert_int_equal(rows[1].version, 2);
	assert_int_equal(rows[1].published_at, NOW + 60);
	assert_int_equal(
	    store_publications_list(f->db, &f->a, s, STREET, "2026-11", false, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_null(rows[0].body);
	/* frozen: no change, no removal */
	assert_int_not_equal(sql_run(f->db, "UPDATE ranking_publications SET body = '{}'", NO_ARGS),
	                     DB_OK);
	assert_int_not_equal(sql_run(f->db, "DELETE FROM ranking_publications", NO_ARGS), DB_OK);
	assert_int_equal(
	    store_publications_list(f->db, &f->a, s, STREET, "2026-11", true, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[1].body, "{\"rows\":[2]}");
	/* one version number per scheme, parent and period */
	assert_int_equal(
	    sql_run(f->db,
	            "INSERT INTO ranking_publications(scheme_id, parent_code, period, "
	            "version, body, published_at) VALUES (?, ?, '2026-11', 2, '{}', 0)",
	            ARGS(ARG_INT(s), ARG_TEXT(STREET))),
	    DB_CONSTRAINT);
}

static void add_fact(struct fixture *f, const char *fact, int64_t period, const char *region,
                     int64_t n)
{
	assert_int_equal(
	    sql_run(f->db,
	            "INSERT INTO indicator_facts(fact, period, region_code, n) "
	            "VALUES (?, ?, ?, ?)",
	            ARGS(ARG_TEXT(fact), ARG_INT(period), ARG_TEXT(region), ARG_INT(n))),
	    DB_OK);
}

static void test_month_sums(void **state)
{
	struct fixture *f = *state;
	add_fact(f, "rank_test", 202610, "110101001001001", 2);
	add_fact(f, "rank_test", 202610, "110101001001002", 3);
	add_fact(f, "rank_test", 202611, "110101001001001", 4);
	add_fact(f, "rank_test", 202611, "110101001002001", 5);
	add_fact(f, "rank_test", 202611, "110101002001001", 6); /* another street */
	add_fact(f, "rank_test", 202612, "110101001001001", 7); /* after the range */
	add_fact(f, "rank_other", 202611, "110101001001001", 8);
	add_fact(f, "rank_stock", 0, "110101001001001", 9);
	struct month_sum *rows;
	size_t n;
	assert_int_equal(
	    store_fact_month_sums(f->db, &f->a, "rank_test", 202610, 202611, STREET, 12, &rows, &n),
	    DB_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].code, "110101001001");
	assert_int_equal(rows[0].period, 202610);
	assert_int_equal(rows[0].n, 5);
	assert_string_equal(rows[1].code, "110101001001");
	assert_int_equal(rows[1].period, 202611);
	assert_int_equal(rows[1].n, 4);
	assert_string_equal(rows[2].code, COMM2);
	assert_int_equal(rows[2].n, 5);
	int64_t sum = 0, total = 0;
	for (size_t i = 0; i < n; i++)
		sum += rows[i].n;
	assert_int_equal(
	    sql_int(f->db,
	            "SELECT sum(n) FROM indicator_facts WHERE fact = 'rank_test' AND "
	            "period BETWEEN 202610 AND 202611 AND region_code LIKE '110101001%'",
	            NO_ARGS, &total),
	    DB_OK);
	assert_int_equal(sum, total);
	/* by street over the district */
	assert_int_equal(store_fact_month_sums(f->db, &f->a, "rank_test", 202611, 202611, "110101",
	                                       9, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].code, STREET);
	assert_int_equal(rows[0].n, 9);
	assert_string_equal(rows[1].code, STREET2);
	assert_int_equal(rows[1].n, 6);
	/* a stock is period 0 */
	assert_int_equal(
	    store_fact_month_sums(f->db, &f->a, "rank_stock", 0, 0, "110101", 6, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].period, 0);
	assert_int_equal(rows[0].n, 9);
}

static void test_ranking_regions(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	insert_region(f->db, COMM2, STREET, "第二社区");
	insert_region(f->db, "110101001003", STREET, "第三社区");
	insert_region(f->db, STREET2, "110101", "朝阳门街道");
	insert_region(f->db, "110101002001", STREET2, "南竹杆社区");
	assert_int_equal(
	    sql_run(f->db, "UPDATE regions SET status = 'retired' WHERE code = '110101001003'",
	            NO_ARGS),
	    DB_OK);
	struct ranked_region *rows;
	size_t n;
	assert_int_equal(store_ranking_regions(f->db, &f->a, STREET, 2, &rows, &n), DB_OK);
	assert_int_equal(n, 2); /* the retired community is not ranked, nor the other street's */
	assert_string_equal(rows[0].code, "110101001001");
	assert_string_equal(rows[0].name, "多福巷社区");
	assert_string_equal(rows[1].code, COMM2);
	assert_int_equal(store_ranking_regions(f->db, &f->a, "110101", 1, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].code, STREET);
	assert_string_equal(rows[1].code, STREET2);
	assert_int_equal(store_ranking_regions(f->db, &f->a, "110101", 2, &rows, &n), DB_OK);
	assert_int_equal(n, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_schemes),    T(test_publications),    T(test_adjustments),
	    T(test_month_sums), T(test_ranking_regions),
	};
	return RUN(tests);
}
