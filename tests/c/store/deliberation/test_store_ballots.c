/* Store tests: ballots (store/deliberation/ballots.c) — a ballot read back field for field and
 * the topic's ballots newest first; the register fixed from the region (households with an
 * active member, or adult active residents) with eligible equal to it; one vote per voter,
 * a later one replacing it; the counts equal to a recount; the close written once (a second
 * close is DB_DONE) and a secret ballot's choices dropped with it; the due ballots. */
#include "store_fixture.h"

#include "store/base/base.h"
#include "store/deliberation/deliberation.h"
#include "store/stmt.h"

#define COMMUNITY2 "110101001002"

static int64_t add_topic(struct fixture *f)
{
	struct topic_row t = {.region_code = GRID,
	                      .procedure = "six_step",
	                      .stage = "deciding",
	                      .title = "加装电梯",
	                      .body = "表决",
	                      .created_at = NOW};
	assert_int_equal(store_topics_insert(f->db, &t), DB_OK);
	return t.id;
}

static struct ballot_row ballot_of(int64_t topic, const char *unit)
{
	return (struct ballot_row){.topic_id = topic,
	                           .region_code = "110101001001",
	                           .stage = "deciding",
	                           .question = "是否加装电梯",
	                           .options = "[\"同意\",\"不同意\"]",
	                           .unit = unit,
	                           .quorum_num = 2,
	                           .quorum_den = 3,
	                           .threshold_num = 1,
	                           .threshold_den = 2,
	                           .threshold_more = true,
	                           .opens_at = NOW,
	                           .closes_at = NOW + 86400,
	                           .created_at = NOW};
}

static int64_t add_ballot(struct fixture *f, struct ballot_row *b)
{
	assert_int_equal(store_ballots_insert(f->db, b), DB_OK);
	assert_true(b->id > 0);
	return b->id;
}

static int64_t add_household(struct fixture *f, const char *region)
{
	struct household_row hh = {.region_code = region, .created_at = NOW, .updated_at = NOW};
	assert_int_equal(store_households_insert(f->db, &hh), DB_OK);
	return hh.id;
}

static int64_t add_resident(struct fixture *f, const char *region, int64_t household, int64_t born,
                            const char *status)
{
	struct resident_row r = {.region_code = region,
	                         .household_id = household,
	                         .name = "居民",
	                         .residency = "registered",
	                         .status = status,
	                         .birth_year = born,
	                         .created_at = NOW,
	                         .updated_at = NOW};
	assert_int_equal(store_residents_insert(f->db, &r), DB_OK);
	return r.id;
}

static void test_insert_get(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t u = add_user(f->db, "staff", false);
	int64_t topic = add_topic(f), other = add_topic(f);
	struct ballot_row b = ballot_of(topic, "resident");
	b.preset = "household_reps";
	b.secret = true;
	b.created_by = u;
	add_ballot(f, &b);
	struct ballot_row got;
	assert_int_equal(store_ballots_get(f->db, &f->a, b.id, &got), DB_ROW);
	assert_int_equal(got.topic_id, topic);
	assert_string_equal(got.region_code, "110101001001");
	assert_string_equal(got.stage, "deciding");
	assert_string_equal(got.question, "是否加装电梯");
	assert_string_equal(got.options, "[\"同意\",\"不同意\"]");
	assert_string_equal(got.unit, "resident");
	assert_string_equal(got.preset, "household_reps");
	assert_int_equal(got.quorum_num, 2);
	assert_int_equal(got.quorum_den, 3);
	assert_false(got.quorum_more);
	assert_int_equal(got.threshold_num, 1);
	assert_int_equal(got.threshold_den, 2);
	assert_true(got.threshold_more);
	assert_true(got.secret);
	assert_int_equal(got.opens_at, NOW);
	assert_int_equal(got.closes_at, NOW + 86400);
	assert_int_equal(got.created_by, u);
	assert_int_equal(got.created_at, NOW);
	/* Open, nothing counted yet, not a selection. */
	assert_false(got.closed);
	assert_int_equal(got.closed_at, 0);
	assert_int_equal(got.eligible, 0);
	assert_int_equal(got.cast_count, 0);
	assert_null(got.counts);
	assert_false(got.quorum_met);
	assert_false(got.passed);
	assert_int_equal(got.seats, 0);
	assert_null(got.nominations);
	assert_null(got.elected);
	assert_int_equal(store_ballots_get(f->db, &f->a, b.id + 100, &got), DB_DONE);
	/* The topic's ballots, newest first; another topic's left out. */
	struct ballot_row b2 = ballot_of(topic, "household"), b3 = ballot_of(other, "household");
	add_ballot(f, &b2);
	add_ballot(f, &b3);
	struct ballot_row *rows;
	size_t n;
	assert_int_equal(store_ballots_of_topic(f->db, &f->a, topic, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, b2.id);
	assert_int_equal(rows[1].id, b.id);
	assert_null(rows[0].preset);
	b3.unit = "building"; /* not a unit */
	assert_int_equal(store_ballots_insert(f->db, &b3), DB_CONSTRAINT);
}

static void test_register(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	insert_region(f->db, COMMUNITY2, "110101001", "另一社区");
	int64_t topic = add_topic(f);
	/* A: two active (an adult and a child); B: one adult; C: only a moved-out member; D: no
	 * member; E: an active adult in another community; F: an active member born unknown. */
	int64_t hA = add_household(f, GRID), hB = add_household(f, GRID),
	        hC = add_household(f, GRID);
	int64_t hE = add_household(f, COMMUNITY2), hF = add_household(f, GRID);
	int64_t hD = add_household(f, GRID);
	int64_t a1 = add_resident(f, GRID, hA, 1970, "active");
	int64_t a2 = add_resident(f, GRID, hA, 2012, "active");
	int64_t b1 = add_resident(f, GRID, hB, 1990, "active");
	int64_t c1 = add_resident(f, GRID, hC, 1960, "moved_out");
	int64_t e1 = add_resident(f, COMMUNITY2, hE, 1980, "active");
	add_resident(f, GRID, hF, 0, "active");
	bool yes;
	struct ballot_row hb = ballot_of(topic, "household");
	add_ballot(f, &hb);
	assert_int_equal(store_ballot_register_fill(f->db, &hb, 2008), DB_OK);
	assert_int_equal(hb.eligible, 3); /* A, B and F */
	const int64_t in[] = {hA, hB, hF}, out[] = {hC, hD, hE};
	for (int i = 0; i < 3; i++) {
		assert_int_equal(store_ballot_registered(f->db, hb.id, in[i], &yes), DB_OK);
		assert_true(yes);
		assert_int_equal(store_ballot_registered(f->db, hb.id, out[i], &yes), DB_OK);
		assert_false(yes);
	}
	struct ballot_row got;
	assert_int_equal(store_ballots_get(f->db, &f->a, hb.id, &got), DB_ROW);
	assert_int_equal(got.eligible, 3);
	/* By resident: active, born in 2008 or before, in the region. */
	struct ballot_row rb = ballot_of(topic, "resident");
	add_ballot(f, &rb);
	assert_int_equal(store_ballot_register_fill(f->db, &rb, 2008), DB_OK);
	assert_int_equal(rb.eligible, 2);
	const int64_t rin[] = {a1, b1}, rout[] = {a2, c1, e1};
	for (int i = 0; i < 2; i++) {
		assert_int_equal(store_ballot_registered(f->db, rb.id, rin[i], &yes), DB_OK);
		assert_true(yes);
	}
	for (int i = 0; i < 3; i++) {
		assert_int_equal(store_ballot_registered(f->db, rb.id, rout[i], &yes), DB_OK);
		assert_false(yes);
	}
	/* The register is fixed once: a second fill would repeat voters. */
	assert_int_equal(store_ballot_register_fill(f->db, &rb, 2008), DB_CONSTRAINT);
}

static int64_t recount(struct fixture *f, int64_t ballot, int64_t choice)
{
	int64_t n = -1;
	assert_int_equal(
	    sql_int(f->db, "SELECT count(*) FROM ballot_votes WHERE ballot_id = ? AND choice = ?",
	            ARGS(ARG_INT(ballot), ARG_INT(choice)), &n),
	    DB_OK);
	return n;
}

static void test_votes(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t u = add_user(f->db, "voter", false);
	int64_t topic = add_topic(f);
	struct ballot_row b = ballot_of(topic, "household"), other = ballot_of(topic, "household");
	add_ballot(f, &b);
	add_ballot(f, &other);
	int64_t choice = 0;
	assert_int_equal(store_ballot_choice(f->db, b.id, 11, &choice), DB_OK);
	assert_int_equal(choice, -1);
	assert_int_equal(store_ballot_vote(f->db, b.id, 11, 0, u, false, NOW), DB_OK);
	assert_int_equal(store_ballot_vote(f->db, b.id, 12, 0, 0, true, NOW), DB_OK);
	assert_int_equal(store_ballot_vote(f->db, b.id, 13, 1, 0, true, NOW), DB_OK);
	assert_int_equal(store_ballot_vote(f->db, other.id, 11, 1, u, false, NOW), DB_OK);
	assert_int_equal(store_ballot_choice(f->db, b.id, 11, &choice), DB_OK);
	assert_int_equal(choice, 0);
	/* A second vote by the same voter replaces the first: still one row. */
	assert_int_equal(store_ballot_vote(f->db, b.id, 11, 1, u, false, NOW + 60), DB_OK);
	assert_int_equal(store_ballot_choice(f->db, b.id, 11, &choice), DB_OK);
	assert_int_equal(choice, 1);
	int64_t cast = 0, rows = 0, updated = 0;
	assert_int_equal(store_ballot_cast(f->db, b.id, &cast), DB_OK);
	assert_int_equal(cast, 3);
	assert_int_equal(
	    sql_int(f->db, "SELECT count(*) FROM ballot_votes WHERE ballot_id = ? AND voter = 11",
	            ARGS(ARG_INT(b.id)), &rows),
	    DB_OK);
	assert_int_equal(rows, 1);
	assert_int_equal(
	    sql_int(f->db,
	            "SELECT updated_at FROM ballot_votes WHERE ballot_id = ? AND voter = "
	            "11",
	            ARGS(ARG_INT(b.id)), &updated),
	    DB_OK);
	assert_int_equal(updated, NOW + 60);
	/* Counts per option equal a recount; a choice beyond the options is not counted. */
	assert_int_equal(store_ballot_vote(f->db, b.id, 14, 5, 0, true, NOW), DB_OK);
	int64_t counts[2] = {-1, -1};
	assert_int_equal(store_ballot_counts(f->db, b.id, counts, 2), DB_OK);
	assert_int_equal(counts[0], 1);
	assert_int_equal(counts[1], 2);
	assert_int_equal(counts[0], recount(f, b.id, 0));
	assert_int_equal(counts[1], recount(f, b.id, 1));
	int64_t *choices, *per;
	size_t n;
	assert_int_equal(store_ballot_choice_counts(f->db, &f->a, b.id, &choices, &per, &n), DB_OK);
	assert_int_equal(n, 3);
	const int64_t wc[] = {0, 1, 5}, wn[] = {1, 2, 1};
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(choices[i], wc[i]);
		assert_int_equal(per[i], wn[i]);
	}
	assert_int_equal(store_ballot_counts(f->db, other.id, counts, 2), DB_OK);
	assert_int_equal(counts[0], 0);
	assert_int_equal(counts[1], 1);
}

static void test_close(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t topic = add_topic(f);
	struct ballot_row open = ballot_of(topic, "household"),
	                  secret = ballot_of(topic, "household");
	secret.secret = true;
	add_ballot(f, &open);
	add_ballot(f, &secret);
	for (int64_t v = 1; v <= 3; v++) {
		assert_int_equal(store_ballot_vote(f->db, open.id, v, v % 2, 0, true, NOW), DB_OK);
		assert_int_equal(store_ballot_vote(f->db, secret.id, v, v % 2, 0, true, NOW),
		                 DB_OK);
	}
	open.cast_count = 3;
	open.counts = "[1,2]";
	open.quorum_met = true;
	open.passed = false;
	assert_int_equal(store_ballot_close(f->db, &open, NOW + 100), DB_OK);
	struct ballot_row got;
	assert_int_equal(store_ballots_get(f->db, &f->a, open.id, &got), DB_ROW);
	assert_true(got.closed);
	assert_int_equal(got.closed_at, NOW + 100);
	assert_int_equal(got.cast_count, 3);
	assert_string_equal(got.counts, "[1,2]");
	assert_true(got.quorum_met);
	assert_false(got.passed);
	assert_null(got.elected);
	/* Written once: a second close changes nothing. */
	open.counts = "[3,0]";
	open.passed = true;
	assert_int_equal(store_ballot_close(f->db, &open, NOW + 200), DB_DONE);
	assert_int_equal(store_ballots_get(f->db, &f->a, open.id, &got), DB_ROW);
	assert_int_equal(got.closed_at, NOW + 100);
	assert_string_equal(got.counts, "[1,2]");
	assert_false(got.passed);
	/* An open ballot keeps its choices. */
	int64_t choice = -1, cast = 0;
	assert_int_equal(store_ballot_choice(f->db, open.id, 1, &choice), DB_OK);
	assert_int_equal(choice, 1);
	/* A secret ballot: who voted stays, what they chose only in the frozen counts. */
	secret.cast_count = 3;
	secret.counts = "[1,2]";
	assert_int_equal(store_ballot_close(f->db, &secret, NOW + 100), DB_OK);
	assert_int_equal(store_ballot_choice(f->db, secret.id, 1, &choice), DB_OK);
	assert_int_equal(choice, -1);
	assert_int_equal(store_ballot_cast(f->db, secret.id, &cast), DB_OK);
	assert_int_equal(cast, 3);
	int64_t counts[2] = {-1, -1};
	assert_int_equal(store_ballot_counts(f->db, secret.id, counts, 2), DB_OK);
	assert_int_equal(counts[0] + counts[1], 0);
	assert_int_equal(store_ballots_get(f->db, &f->a, secret.id, &got), DB_ROW);
	assert_string_equal(got.counts, "[1,2]");
	struct ballot_row missing = open;
	missing.id = secret.id + 100;
	assert_int_equal(store_ballot_close(f->db, &missing, NOW), DB_DONE);
}

static void test_due(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t topic = add_topic(f);
	const int64_t closes[] = {NOW + 50, NOW + 10, NOW + 10, NOW + 500, NOW + 5};
	struct ballot_row b[5];
	for (int i = 0; i < 5; i++) {
		b[i] = ballot_of(topic, "household");
		b[i].closes_at = closes[i];
		add_ballot(f, &b[i]);
	}
	b[4].counts = "[0,0]";
	assert_int_equal(store_ballot_close(f->db, &b[4], NOW), DB_OK); /* closed: not due */
	struct ballot_row *rows;
	size_t n;
	assert_int_equal(store_ballots_due(f->db, &f->a, NOW + 100, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, b[1].id); /* by closes_at, then id */
	assert_int_equal(rows[1].id, b[2].id);
	assert_int_equal(rows[2].id, b[0].id);
	assert_int_equal(store_ballots_due(f->db, &f->a, NOW + 100, 2, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[1].id, b[2].id);
	assert_int_equal(store_ballots_due(f->db, &f->a, NOW + 9, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_ballots_due(f->db, &f->a, NOW + 10, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 2); /* closes_at itself is due */
}

int main(void)
{
	const struct CMUnitTest tests[] = {T(test_insert_get), T(test_register), T(test_votes),
	                                   T(test_close), T(test_due)};
	return RUN(tests);
}
