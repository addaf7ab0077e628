/* Ballots (表决): the register fixed at opening, votes replaced until close, the frozen
 * result written once. */
#include "store/deliberation/deliberation.h"

#include <stdio.h>
#include <string.h>

#include "store/stmt.h"

#define S(col) sql_str(st, a, col)

#define BALLOT_COLS                                                                                \
	"b.id, b.topic_id, b.quorum_num, b.quorum_den, b.threshold_num, b.threshold_den, "         \
	"b.opens_at, b.closes_at, coalesce(b.closed_at, 0), b.eligible, coalesce(b.cast_count, "   \
	"0), coalesce(b.created_by, 0), b.created_at, b.quorum_more, b.threshold_more, b.secret, " \
	"b.status, coalesce(b.quorum_met, 0), coalesce(b.passed, 0), b.region_code, b.stage, "     \
	"b.question, b.options, b.unit, b.preset, b.counts, coalesce(b.seats, 0), "                \
	"b.nominations, b.elected"

static void ballot_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct ballot_row *b = p;
	b->id = db_col_int(st, 0);
	b->topic_id = db_col_int(st, 1);
	b->quorum_num = db_col_int(st, 2);
	b->quorum_den = db_col_int(st, 3);
	b->threshold_num = db_col_int(st, 4);
	b->threshold_den = db_col_int(st, 5);
	b->opens_at = db_col_int(st, 6);
	b->closes_at = db_col_int(st, 7);
	b->closed_at = db_col_int(st, 8);
	b->eligible = db_col_int(st, 9);
	b->cast_count = db_col_int(st, 10);
	b->created_by = db_col_int(st, 11);
	b->created_at = db_col_int(st, 12);
	b->quorum_more = db_col_int(st, 13) != 0;
	b->threshold_more = db_col_int(st, 14) != 0;
	b->secret = db_col_int(st, 15) != 0;
	b->closed = strcmp(db_col_text(st, 16), "closed") == 0;
	b->quorum_met = db_col_int(st, 17) != 0;
	b->passed = db_col_int(st, 18) != 0;
	b->region_code = S(19);
	b->stage = S(20);
	b->question = S(21);
	b->options = S(22);
	b->unit = S(23);
	b->preset = S(24);
	b->counts = S(25);
	b->seats = db_col_int(st, 26);
	b->nominations = S(27);
	b->elected = S(28);
}

enum db_result store_ballots_insert(struct db *db, struct ballot_row *b)
{
	return sql_insert(
	    db,
	    "INSERT INTO ballots(topic_id, region_code, stage, question, options, unit, preset, "
	    "quorum_num, quorum_den, quorum_more, threshold_num, threshold_den, threshold_more, "
	    "secret, opens_at, closes_at, status, eligible, created_by, created_at, seats, "
	    "nominations) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', 0, ?, ?, ?, ?)",
	    ARGS(ARG_INT(b->topic_id), ARG_TEXT(b->region_code), ARG_TEXT(b->stage),
	         ARG_TEXT(b->question), ARG_TEXT(b->options), ARG_TEXT(b->unit),
	         ARG_OPT_TEXT(b->preset), ARG_INT(b->quorum_num), ARG_INT(b->quorum_den),
	         ARG_BOOL(b->quorum_more), ARG_INT(b->threshold_num), ARG_INT(b->threshold_den),
	         ARG_BOOL(b->threshold_more), ARG_BOOL(b->secret), ARG_INT(b->opens_at),
	         ARG_INT(b->closes_at), ARG_ID(b->created_by), ARG_INT(b->created_at),
	         ARG_NONZERO(b->seats), ARG_OPT_TEXT(b->nominations)),
	    &b->id);
}

enum db_result store_ballots_get(struct db *db, struct arena *a, int64_t id, struct ballot_row *out)
{
	return sql_one(db, a, "SELECT " BALLOT_COLS " FROM ballots b WHERE b.id = ?",
	               ARGS(ARG_INT(id)), ballot_read, out);
}

enum db_result store_ballots_of_topic(struct db *db, struct arena *a, int64_t topic_id,
                                      struct ballot_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " BALLOT_COLS
	               " FROM ballots b WHERE b.topic_id = ? ORDER BY b.id DESC LIMIT 50",
	               ARGS(ARG_INT(topic_id)), ballot_read, sizeof **rows, 50, (void **)rows, n);
}

enum db_result store_ballot_register_fill(struct db *db, struct ballot_row *b, int64_t adult_year)
{
	struct arena a;
	arena_init(&a);
	const char *hi = sql_prefix_end(&a, b->region_code);
	enum db_result r;
	if (strcmp(b->unit, "household") == 0)
		r = sql_run(
		    db,
		    "INSERT INTO ballot_register(ballot_id, voter) SELECT CAST(?1 AS BIGINT), "
		    "h.id FROM households h WHERE h.region_code >= ?2 AND h.region_code < ?3 "
		    "AND EXISTS (SELECT 1 FROM residents r WHERE r.household_id = h.id AND "
		    "r.status = 'active')",
		    ARGS(ARG_INT(b->id), ARG_TEXT(b->region_code), ARG_TEXT(hi)));
	else
		r = sql_run(
		    db,
		    "INSERT INTO ballot_register(ballot_id, voter) SELECT CAST(?1 AS BIGINT), "
		    "r.id FROM residents r WHERE r.region_code >= ?2 AND r.region_code < ?3 "
		    "AND r.status = 'active' AND r.birth_year IS NOT NULL AND r.birth_year <= "
		    "?4",
		    ARGS(ARG_INT(b->id), ARG_TEXT(b->region_code), ARG_TEXT(hi),
		         ARG_INT(adult_year)));
	arena_free(&a);
	if (r != DB_OK)
		return r;
	r = sql_int(db, "SELECT count(*) FROM ballot_register WHERE ballot_id = ?",
	            ARGS(ARG_INT(b->id)), &b->eligible);
	if (r != DB_OK)
		return r;
	return sql_run(db, "UPDATE ballots SET eligible = ? WHERE id = ?",
	               ARGS(ARG_INT(b->eligible), ARG_INT(b->id)));
}

enum db_result store_ballot_registered(struct db *db, int64_t ballot_id, int64_t voter, bool *out)
{
	return sql_exists(db, "SELECT 1 FROM ballot_register WHERE ballot_id = ? AND voter = ?",
	                  ARGS(ARG_INT(ballot_id), ARG_INT(voter)), out);
}

enum db_result store_ballot_vote(struct db *db, int64_t ballot_id, int64_t voter, int64_t choice,
                                 int64_t user_id, bool paper, int64_t now)
{
	return sql_run(db,
	               "INSERT INTO ballot_votes(ballot_id, voter, choice, user_id, paper, "
	               "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) "
	               "ON CONFLICT(ballot_id, voter) DO UPDATE SET choice = excluded.choice, "
	               "user_id = excluded.user_id, paper = excluded.paper, "
	               "updated_at = excluded.updated_at",
	               ARGS(ARG_INT(ballot_id), ARG_INT(voter), ARG_INT(choice), ARG_ID(user_id),
	                    ARG_BOOL(paper), ARG_INT(now)));
}

enum db_result store_ballot_choice(struct db *db, int64_t ballot_id, int64_t voter, int64_t *out)
{
	*out = -1;
	return sql_int(db,
	               "SELECT coalesce(choice, -1) FROM ballot_votes WHERE ballot_id = ? AND "
	               "voter = ? UNION ALL SELECT -1 ORDER BY 1 DESC LIMIT 1",
	               ARGS(ARG_INT(ballot_id), ARG_INT(voter)), out);
}

enum db_result store_ballot_cast(struct db *db, int64_t ballot_id, int64_t *out)
{
	return sql_int(db, "SELECT count(*) FROM ballot_votes WHERE ballot_id = ?",
	               ARGS(ARG_INT(ballot_id)), out);
}

struct choice_count {
	int64_t choice, n;
};

static void count_read(struct db_stmt *st, struct arena *a, void *p)
{
	(void)a;
	struct choice_count *c = p;
	c->choice = db_col_int(st, 0);
	c->n = db_col_int(st, 1);
}

enum db_result store_ballot_counts(struct db *db, int64_t ballot_id, int64_t *counts, int n)
{
	struct arena a;
	arena_init(&a);
	struct choice_count *rows;
	size_t m;
	memset(counts, 0, (size_t)n * sizeof *counts);
	enum db_result r =
	    sql_all(db, &a,
	            "SELECT choice, count(*) FROM ballot_votes WHERE ballot_id = ? "
	            "AND choice IS NOT NULL GROUP BY choice",
	            ARGS(ARG_INT(ballot_id)), count_read, sizeof *rows, 100, (void **)&rows, &m);
	for (size_t i = 0; r == DB_OK && i < m; i++)
		if (rows[i].choice >= 0 && rows[i].choice < n)
			counts[rows[i].choice] = rows[i].n;
	arena_free(&a);
	return r;
}

enum db_result store_ballot_choice_counts(struct db *db, struct arena *a, int64_t ballot_id,
                                          int64_t **choices, int64_t **counts, size_t *n)
{
	struct choice_count *rows;
	enum db_result r =
	    sql_all(db, a,
	            "SELECT choice, count(*) FROM ballot_votes WHERE ballot_id = ? "
	            "AND choice IS NOT NULL GROUP BY choice ORDER BY choice",
	            ARGS(ARG_INT(ballot_id)), count_read, sizeof *rows, 5000, (void **)&rows, n);
	if (r != DB_OK)
		return r;
	*choices = arena_alloc(a, (*n + 1) * sizeof **choices);
	*counts = arena_alloc(a, (*n + 1) * sizeof **counts);
	if (!*choices || !*counts)
		return DB_ERROR;
	for (size_t i = 0; i < *n; i++) {
		(*choices)[i] = rows[i].choice;
		(*counts)[i] = rows[i].n;
	}
	return DB_OK;
}

enum db_result store_ballot_close(struct db *db, const struct ballot_row *b, int64_t now)
{
	enum db_result r = sql_change(
	    db,
	    "UPDATE ballots SET status = 'closed', closed_at = ?, cast_count = ?, counts = ?, "
	    "quorum_met = ?, passed = ?, elected = ? WHERE id = ? AND status = 'open'",
	    ARGS(ARG_INT(now), ARG_INT(b->cast_count), ARG_TEXT(b->counts), ARG_BOOL(b->quorum_met),
	         ARG_BOOL(b->passed), ARG_OPT_TEXT(b->elected), ARG_INT(b->id)));
	if (r != DB_OK || !b->secret)
		return r;
	/* Who voted stays (turnout, no second vote); what they chose is only in the counts. */
	return sql_run(db,
	               "UPDATE ballot_votes SET choice = NULL, user_id = NULL WHERE ballot_id = ?",
	               ARGS(ARG_INT(b->id)));
}

enum db_result store_ballots_due(struct db *db, struct arena *a, int64_t now, int limit,
                                 struct ballot_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " BALLOT_COLS " FROM ballots b WHERE b.status = 'open' AND "
	               "b.closes_at <= ? ORDER BY b.closes_at, b.id LIMIT ?",
	               ARGS(ARG_INT(now), ARG_INT((int64_t)limit)), ballot_read, sizeof **rows,
	               limit, (void **)rows, n);
}
