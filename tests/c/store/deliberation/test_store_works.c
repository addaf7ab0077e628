/* Store tests: 民筹, 民办, 民评, 公示 (store/deliberation/works.c) — ledger entries read back and
 * their totals equal to a recount; tasks marked done once (DB_DONE after); one rating per
 * account (a later one replaces it) with the tallies equal to a recount; objections; the
 * disclosure list (stages that disclose or a closed ballot, under the prefix, newest first);
 * the resident and household an account speaks for. */
#include "store_fixture.h"

#include "store/base/base.h"
#include "store/deliberation/deliberation.h"
#include "store/stmt.h"

#define COMMUNITY2 "110101001002"

static int64_t add_topic(struct fixture *f, const char *region, const char *stage)
{
	struct topic_row t = {.region_code = region,
	                      .procedure = "six_step",
	                      .stage = stage,
	                      .title = "楼道粉刷",
	                      .body = "筹资粉刷",
	                      .created_at = NOW};
	assert_int_equal(store_topics_insert(f->db, &t), DB_OK);
	return t.id;
}

static int64_t add_entry(struct fixture *f, int64_t topic, const char *kind, const char *resource,
                         int64_t amount)
{
	struct ledger_row l = {.topic_id = topic,
	                       .region_code = GRID,
	                       .kind = kind,
	                       .resource = resource,
	                       .amount = amount,
	                       .created_at = NOW};
	assert_int_equal(store_ledger_insert(f->db, &l), DB_OK);
	return l.id;
}

static int64_t sum_of(struct fixture *f, int64_t topic, const char *kind, const char *resource)
{
	int64_t s = -1;
	assert_int_equal(
	    sql_int(f->db,
	            "SELECT coalesce(sum(amount), 0) FROM topic_ledger WHERE topic_id = "
	            "?1 AND kind = ?2 AND (CAST(?3 AS TEXT) IS NULL OR resource = ?3)",
	            ARGS(ARG_INT(topic), ARG_TEXT(kind), ARG_TEXT(resource)), &s),
	    DB_OK);
	return s;
}

static void test_ledger(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t u = add_user(f->db, "donor", false);
	int64_t t = add_topic(f, GRID, "pledging"), other = add_topic(f, GRID, "pledging");
	struct ledger_totals tot;
	assert_int_equal(store_ledger_totals(f->db, t, &tot), DB_OK);
	assert_int_equal(tot.pledged_money + tot.pledged_labour + tot.spent_money + tot.pledges, 0);
	struct ledger_row l = {.topic_id = t,
	                       .region_code = GRID,
	                       .kind = "pledge",
	                       .resource = "money",
	                       .amount = 20000,
	                       .note = "一户出资",
	                       .user_id = u,
	                       .created_at = NOW};
	assert_int_equal(store_ledger_insert(f->db, &l), DB_OK);
	add_entry(f, t, "pledge", "money", 5000);
	add_entry(f, t, "pledge", "labour", 8);
	add_entry(f, t, "spend", "money", 12000);
	add_entry(f, other, "pledge", "money", 99999);
	struct ledger_row *rows;
	size_t n;
	assert_int_equal(store_ledger_list(f->db, &f->a, t, &rows, &n), DB_OK);
	assert_int_equal(n, 4);
	assert_int_equal(rows[0].id, l.id);
	assert_string_equal(rows[0].kind, "pledge");
	assert_string_equal(rows[0].resource, "money");
	assert_int_equal(rows[0].amount, 20000);
	assert_string_equal(rows[0].note, "一户出资");
	assert_int_equal(rows[0].user_id, u);
	assert_int_equal(rows[0].household_id, 0);
	assert_null(rows[1].note);
	assert_string_equal(rows[3].kind, "spend");
	assert_int_equal(store_ledger_totals(f->db, t, &tot), DB_OK);
	assert_int_equal(tot.pledged_money, 25000);
	assert_int_equal(tot.pledged_money, sum_of(f, t, "pledge", "money"));
	assert_int_equal(tot.pledged_labour, sum_of(f, t, "pledge", "labour"));
	assert_int_equal(tot.spent_money, sum_of(f, t, "spend", NULL));
	assert_int_equal(tot.pledges, 3);
	/* Amounts are positive; kinds and resources are fixed. */
	l.amount = 0;
	assert_int_equal(store_ledger_insert(f->db, &l), DB_CONSTRAINT);
	l.amount = 1;
	l.kind = "refund";
	assert_int_equal(store_ledger_insert(f->db, &l), DB_CONSTRAINT);
	assert_int_equal(store_ledger_totals(f->db, t, &tot), DB_OK);
	assert_int_equal(tot.pledges, 3);
}

static void test_tasks(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t u = add_user(f->db, "staff", false);
	int64_t t = add_topic(f, GRID, "executing"), other = add_topic(f, GRID, "executing");
	struct topic_task_row k = {.topic_id = t,
	                           .region_code = GRID,
	                           .title = "采购涂料",
	                           .owner = "楼长",
	                           .deadline = "2026-08-01",
	                           .created_by = u,
	                           .created_at = NOW};
	assert_int_equal(store_topic_tasks_insert(f->db, &k), DB_OK);
	struct topic_task_row k2 = k, k3 = k;
	k3.topic_id = other;
	assert_int_equal(store_topic_tasks_insert(f->db, &k2), DB_OK);
	assert_int_equal(store_topic_tasks_insert(f->db, &k3), DB_OK);
	struct topic_task_row got;
	assert_int_equal(store_topic_tasks_get(f->db, &f->a, k.id, &got), DB_ROW);
	assert_int_equal(got.topic_id, t);
	assert_string_equal(got.title, "采购涂料");
	assert_string_equal(got.owner, "楼长");
	assert_string_equal(got.deadline, "2026-08-01");
	assert_int_equal(got.created_by, u);
	assert_int_equal(got.created_at, NOW);
	assert_int_equal(got.done_at, 0);
	/* Done once: the second is DB_DONE and keeps the first time. */
	assert_int_equal(store_topic_tasks_done(f->db, k.id, NOW + 10), DB_OK);
	assert_int_equal(store_topic_tasks_done(f->db, k.id, NOW + 20), DB_DONE);
	assert_int_equal(store_topic_tasks_done(f->db, k3.id + 100, NOW), DB_DONE);
	assert_int_equal(store_topic_tasks_get(f->db, &f->a, k.id, &got), DB_ROW);
	assert_int_equal(got.done_at, NOW + 10);
	struct topic_task_row *rows;
	size_t n;
	assert_int_equal(store_topic_tasks_list(f->db, &f->a, t, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].done_at, NOW + 10);
	assert_int_equal(rows[1].id, k2.id);
	assert_int_equal(rows[1].done_at, 0);
	assert_int_equal(store_topic_tasks_get(f->db, &f->a, k3.id + 100, &got), DB_DONE);
}

static int64_t rated(struct fixture *f, int64_t topic, const char *rating)
{
	int64_t n = -1;
	assert_int_equal(
	    sql_int(f->db, "SELECT count(*) FROM topic_ratings WHERE topic_id = ? AND rating = ?",
	            ARGS(ARG_INT(topic), ARG_TEXT(rating)), &n),
	    DB_OK);
	return n;
}

static void test_ratings_and_objections(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t u[4];
	const char *names[] = {"r1", "r2", "r3", "r4"};
	for (int i = 0; i < 4; i++)
		u[i] = add_user(f->db, names[i], false);
	int64_t t = add_topic(f, GRID, "evaluating"), other = add_topic(f, GRID, "evaluating");
	int64_t out[3] = {-1, -1, -1};
	assert_int_equal(store_topic_ratings(f->db, t, out), DB_OK);
	assert_int_equal(out[0] + out[1] + out[2], 0);
	assert_int_equal(store_topic_rate(f->db, t, u[0], "satisfied", "很好", NOW), DB_OK);
	assert_int_equal(store_topic_rate(f->db, t, u[1], "satisfied", NULL, NOW), DB_OK);
	assert_int_equal(store_topic_rate(f->db, t, u[2], "unsatisfied", NULL, NOW), DB_OK);
	assert_int_equal(store_topic_rate(f->db, other, u[3], "basic", NULL, NOW), DB_OK);
	/* A second rating by the same account replaces the first. */
	assert_int_equal(store_topic_rate(f->db, t, u[1], "basic", "一般", NOW + 5), DB_OK);
	assert_int_equal(store_topic_ratings(f->db, t, out), DB_OK);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 1);
	assert_int_equal(out[2], 1);
	const char *kinds[] = {"satisfied", "basic", "unsatisfied"};
	for (int i = 0; i < 3; i++)
		assert_int_equal(out[i], rated(f, t, kinds[i]));
	assert_int_equal(store_topic_rate(f->db, t, u[3], "great", NULL, NOW), DB_CONSTRAINT);
	assert_int_equal(store_topic_ratings(f->db, other, out), DB_OK);
	assert_int_equal(out[1], 1);
	assert_int_equal(out[0] + out[2], 0);

	struct objection_row o1 = {
	    .topic_id = t, .user_id = u[0], .body = "预算偏高", .created_at = NOW};
	struct objection_row o2 = {.topic_id = t, .body = "匿名意见", .created_at = NOW + 1};
	struct objection_row o3 = {.topic_id = other, .body = "别处", .created_at = NOW};
	assert_int_equal(store_objections_insert(f->db, &o1), DB_OK);
	assert_int_equal(store_objections_insert(f->db, &o2), DB_OK);
	assert_int_equal(store_objections_insert(f->db, &o3), DB_OK);
	struct objection_row *rows;
	size_t n;
	assert_int_equal(store_objections_list(f->db, &f->a, t, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, o1.id);
	assert_int_equal(rows[0].user_id, u[0]);
	assert_string_equal(rows[0].body, "预算偏高");
	assert_int_equal(rows[1].user_id, 0);
	assert_int_equal(rows[1].created_at, NOW + 1);
}

static void test_disclosed(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	insert_region(f->db, COMMUNITY2, "110101001", "另一社区");
	add_topic(f, GRID, "proposed"); /* not yet disclosed */
	int64_t executing = add_topic(f, GRID, "executing");
	int64_t voted = add_topic(f, GRID, "deciding");
	int64_t voting = add_topic(f, GRID, "deciding");
	int64_t elsewhere = add_topic(f, COMMUNITY2, "closed");
	int64_t published = add_topic(f, GRID, "result_public");
	struct ballot_row b = {.topic_id = voted,
	                       .region_code = GRID,
	                       .stage = "deciding",
	                       .question = "同意吗",
	                       .options = "[\"同意\",\"不同意\"]",
	                       .unit = "household",
	                       .quorum_num = 1,
	                       .quorum_den = 2,
	                       .threshold_num = 1,
	                       .threshold_den = 2,
	                       .opens_at = NOW,
	                       .closes_at = NOW + 10,
	                       .created_at = NOW};
	struct ballot_row open = b;
	open.topic_id = voting;
	assert_int_equal(store_ballots_insert(f->db, &b), DB_OK);
	assert_int_equal(store_ballots_insert(f->db, &open), DB_OK);
	b.counts = "[0,0]";
	assert_int_equal(store_ballot_close(f->db, &b, NOW + 10), DB_OK);
	struct topic_row *rows;
	size_t n;
	assert_int_equal(store_topics_disclosed(f->db, &f->a, "110101001001", &rows, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, published);
	assert_int_equal(rows[1].id, voted);
	assert_int_equal(rows[2].id, executing);
	assert_string_equal(rows[0].region_name, "第一网格");
	assert_string_equal(rows[0].stage, "result_public");
	assert_null(rows[0].body); /* the list carries no body */
	assert_int_equal(store_topics_disclosed(f->db, &f->a, "110101", &rows, &n), DB_OK);
	assert_int_equal(n, 4);
	assert_int_equal(rows[1].id, elsewhere);
}

static void test_voter(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t u = add_user(f->db, "resident", false), loose = add_user(f->db, "loose", false);
	struct household_row hh = {.region_code = GRID, .created_at = NOW, .updated_at = NOW};
	assert_int_equal(store_households_insert(f->db, &hh), DB_OK);
	struct resident_row r = {.region_code = GRID,
	                         .household_id = hh.id,
	                         .name = "张三",
	                         .residency = "registered",
	                         .birth_year = 1975,
	                         .created_at = NOW,
	                         .updated_at = NOW};
	assert_int_equal(store_residents_insert(f->db, &r), DB_OK);
	assert_int_equal(store_user_resident_link(f->db, u, r.id, hh.id, NOW), DB_OK);
	struct topic_voter v;
	assert_int_equal(store_topic_voter(f->db, &f->a, u, &v), DB_OK);
	assert_int_equal(v.resident_id, r.id);
	assert_int_equal(v.household_id, hh.id);
	assert_int_equal(v.birth_year, 1975);
	assert_string_equal(v.region_code, GRID);
	assert_true(v.active);
	assert_int_equal(sql_run(f->db, "UPDATE residents SET status = 'moved_out' WHERE id = ?",
	                         ARGS(ARG_INT(r.id))),
	                 DB_OK);
	assert_int_equal(store_topic_voter(f->db, &f->a, u, &v), DB_OK);
	assert_false(v.active);
	/* An account linked to no resident: zeros. */
	assert_int_equal(store_topic_voter(f->db, &f->a, loose, &v), DB_OK);
	assert_int_equal(v.resident_id, 0);
	assert_int_equal(v.household_id, 0);
	assert_null(v.region_code);
}

int main(void)
{
	const struct CMUnitTest tests[] = {T(test_ledger), T(test_tasks),
	                                   T(test_ratings_and_objections), T(test_disclosed),
	                                   T(test_voter)};
	return RUN(tests);
}
