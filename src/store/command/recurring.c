/* Recurring problems: detection as cases arrive and the reads of the list and one problem.
 * The detection reads two index ranges keyed by (category, community, time) — the problems
 * a case may join (recurring_problems_anchor) and, failing that, the recent cases of its
 * category in its community (cases_recurring, migration 19) — each bounded, and decides with
 * the pure rules of domain/recurring.c. */
#include "store/command/recurring.h"
#include "store/stmt.h"

#include <stdio.h>
#include <string.h>

#define RECURRING_COLS                                                                             \
	"id, region_code, category, "                                                              \
	"(SELECT name FROM categories g WHERE g.code = recurring_problems.category), "             \
	"(SELECT name FROM regions r WHERE r.code = recurring_problems.region_code), "             \
	"address, status, coalesce(building_id, 0), "                                              \
	"(SELECT name FROM buildings b WHERE b.id = recurring_problems.building_id), lat, lon, "   \
	"first_case_id, first_at, last_at, case_count, created_at, updated_at, "                   \
	"coalesce((SELECT ci.id FROM campaign_items ci WHERE ci.source_kind = "                    \
	"'recurring_problem' AND ci.source_id = recurring_problems.id), 0), "                      \
	"coalesce((SELECT ci.campaign_id FROM campaign_items ci WHERE ci.source_kind = "           \
	"'recurring_problem' AND ci.source_id = recurring_problems.id), 0), "                      \
	"coalesce(topic_id, 0)"

static void recurring_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct recurring_row *p = row;
	p->id = db_col_int(st, 0);
	p->region_code = sql_str(st, a, 1);
	p->category = sql_str(st, a, 2);
	p->category_name = sql_str(st, a, 3);
	p->region_name = sql_str(st, a, 4);
	p->address = sql_str(st, a, 5);
	p->status = sql_str(st, a, 6);
	p->building_id = db_col_int(st, 7);
	p->building_name = sql_str(st, a, 8);
	p->has_point = !db_col_null(st, 9) && !db_col_null(st, 10);
	if (p->has_point) {
		p->lat = db_col_double(st, 9);
		p->lon = db_col_double(st, 10);
	}
	p->first_case_id = db_col_int(st, 11);
	p->first_at = db_col_int(st, 12);
	p->last_at = db_col_int(st, 13);
	p->case_count = db_col_int(st, 14);
	p->created_at = db_col_int(st, 15);
	p->updated_at = db_col_int(st, 16);
	p->item_id = db_col_int(st, 17);
	p->item_campaign_id = db_col_int(st, 18);
	p->topic_id = db_col_int(st, 19);
}

/* A problem a case may join: its anchor and span. */
struct anchor {
	int64_t id, first_at, last_at;
	struct recur_place place;
};

static void place_read(struct db_stmt *st, int col, struct recur_place *p)
{
	p->building_id = db_col_int(st, col);
	p->has_point = !db_col_null(st, col + 1) && !db_col_null(st, col + 2);
	if (p->has_point) {
		p->lat = db_col_double(st, col + 1);
		p->lon = db_col_double(st, col + 2);
	}
}

static void anchor_read(struct db_stmt *st, struct arena *a, void *row)
{
	(void)a;
	struct anchor *p = row;
	p->id = db_col_int(st, 0);
	p->first_at = db_col_int(st, 1);
	p->last_at = db_col_int(st, 2);
	place_read(st, 3, &p->place);
}

/* A recent case of the category in the community, in no problem yet: what the covering index
 * cases_recurring holds, so the candidates are read from the index alone. */
static void candidate_read(struct db_stmt *st, struct arena *a, void *row)
{
	(void)a;
	struct recur_case *k = row;
	k->id = db_col_int(st, 0);
	k->at = db_col_int(st, 1);
	place_read(st, 2, &k->place);
}

/* The grid and address of the anchor case. */
struct anchor_case {
	const char *region_code, *address;
};

static void anchor_case_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct anchor_case *k = row;
	k->region_code = sql_str(st, a, 0);
	k->address = sql_str(st, a, 1);
}

static enum db_result add_member(struct db *db, int64_t problem, int64_t case_id, int64_t at)
{
	return sql_run(db,
	               "INSERT INTO recurring_problem_cases(case_id, problem_id, created_at) "
	               "VALUES (?, ?, ?)",
	               ARGS(ARG_INT(case_id), ARG_INT(problem), ARG_INT(at)));
}

/* Joins the first problem whose place is c's and whose span c falls near; *joined tells. */
static enum db_result join_problem(struct db *db, struct arena *a, const struct case_row *c,
                                   const struct recur_case *me, const struct recur_rule *rule,
                                   const char *community, bool *joined)
{
	int64_t w = recur_window(rule);
	struct anchor *rows;
	size_t n;
	*joined = false;
	enum db_result r =
	    sql_all(db, a,
	            "SELECT id, first_at, last_at, coalesce(building_id, 0), lat, lon FROM "
	            "recurring_problems WHERE category = ? AND substr(region_code, 1, 12) = ? AND "
	            "last_at >= ? ORDER BY last_at DESC, id DESC",
	            ARGS(ARG_TEXT(c->category), ARG_TEXT(community), ARG_INT(me->at - w)),
	            anchor_read, sizeof *rows, RECUR_MAX_CANDIDATES, (void **)&rows, &n);
	for (size_t i = 0; r == DB_OK && i < n; i++) {
		if (!recur_same_place(&rows[i].place, &me->place) ||
		    !recur_joins(rule, rows[i].first_at, rows[i].last_at, me->at))
			continue;
		r = add_member(db, rows[i].id, me->id, me->at);
		if (r == DB_OK)
			r = sql_run(
			    db,
			    "UPDATE recurring_problems SET case_count = case_count + 1, "
			    "first_at = ?, last_at = ?, updated_at = ? WHERE id = ?",
			    ARGS(ARG_INT(me->at < rows[i].first_at ? me->at : rows[i].first_at),
			         ARG_INT(me->at > rows[i].last_at ? me->at : rows[i].last_at),
			         ARG_INT(c->updated_at), ARG_INT(rows[i].id)));
		*joined = r == DB_OK;
		return r;
	}
	return r;
}

/* Makes a problem of c and the candidates at its place when they reach the rule's count. */
static enum db_result new_problem(struct db *db, struct arena *a, const struct case_row *c,
                                  const struct recur_case *me, const struct recur_rule *rule,
                                  const char *community)
{
	int64_t w = recur_window(rule);
	struct recur_case *cands;
	size_t n;
	enum db_result r = sql_all(
	    db, a,
	    "SELECT id, created_at, coalesce(building_id, 0), lat, lon "
	    "FROM cases WHERE category = ? AND substr(region_code, 1, 12) = ? AND "
	    "created_at >= ? AND created_at <= ? AND id <> ? AND "
	    "(building_id IS NOT NULL OR lat IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM "
	    "recurring_problem_cases m WHERE m.case_id = cases.id) ORDER BY created_at DESC",
	    ARGS(ARG_TEXT(c->category), ARG_TEXT(community), ARG_INT(me->at - w),
	         ARG_INT(me->at + w), ARG_INT(me->id)),
	    candidate_read, sizeof *cands, RECUR_MAX_CANDIDATES, (void **)&cands, &n);
	if (r != DB_OK || n == 0)
		return r;
	bool *member = arena_alloc(a, sizeof *member * n);
	long anchor;
	size_t size = recur_group(rule, me, cands, n, member, &anchor);
	if (!size)
		return DB_OK;
	const struct recur_case *first = anchor < 0 ? me : &cands[anchor];
	struct anchor_case place = {c->region_code, c->address};
	if (anchor >= 0) {
		r = sql_one(db, a, "SELECT region_code, address FROM cases WHERE id = ?",
		            ARGS(ARG_INT(first->id)), anchor_case_read, &place);
		if (r != DB_ROW)
			return r == DB_DONE ? DB_ERROR : r;
	}
	int64_t last = me->at;
	for (size_t i = 0; i < n; i++)
		if (member[i] && cands[i].at > last)
			last = cands[i].at;
	int64_t id;
	r = sql_insert(
	    db,
	    "INSERT INTO recurring_problems(category, region_code, building_id, lat, lon, "
	    "address, first_case_id, first_at, last_at, case_count, status, created_at, "
	    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
	    ARGS(ARG_TEXT(c->category), ARG_TEXT(place.region_code),
	         ARG_NONZERO(first->place.building_id),
	         first->place.has_point ? ARG_REAL(first->place.lat) : ARG_NULL,
	         first->place.has_point ? ARG_REAL(first->place.lon) : ARG_NULL,
	         ARG_OPT_TEXT(place.address), ARG_INT(first->id), ARG_INT(first->at), ARG_INT(last),
	         ARG_INT((int64_t)size), ARG_INT(c->updated_at), ARG_INT(c->updated_at)),
	    &id);
	if (r == DB_OK)
		r = add_member(db, id, me->id, me->at);
	for (size_t i = 0; r == DB_OK && i < n; i++)
		if (member[i])
			r = add_member(db, id, cands[i].id, cands[i].at);
	return r;
}

enum db_result store_recurring_note(struct db *db, struct arena *a, const struct case_row *c,
                                    const struct recur_rule *rule_in)
{
	struct recur_rule rule = rule_in ? *rule_in : (struct recur_rule){0};
	if (!recur_rule_normalise(&rule))
		rule = (struct recur_rule){RECUR_DEFAULT_CASES, RECUR_DEFAULT_WEEKS};
	struct recur_case me = {.id = c->id,
	                        .at = c->created_at,
	                        .place = {.building_id = c->building_id,
	                                  .has_point = c->has_location,
	                                  .lat = c->lat,
	                                  .lon = c->lon}};
	if (!recur_has_place(&me.place) || !c->region_code || strlen(c->region_code) < 12)
		return DB_OK;
	char community[13];
	snprintf(community, sizeof community, "%.12s", c->region_code);
	bool joined;
	enum db_result r = join_problem(db, a, c, &me, &rule, community, &joined);
	if (r != DB_OK || joined)
		return r;
	return new_problem(db, a, c, &me, &rule, community);
}

enum db_result store_recurring_get(struct db *db, struct arena *a, int64_t id,
                                   struct recurring_row *out)
{
	return sql_one(db, a, "SELECT " RECURRING_COLS " FROM recurring_problems WHERE id = ?",
	               ARGS(ARG_INT(id)), recurring_read, out);
}

enum db_result store_recurring_list(struct db *db, struct arena *a, const struct scopes *sc,
                                    const char *status, struct page_after after, int limit,
                                    struct recurring_row **rows, size_t *n)
{
	return sql_walk(db, a,
	                "SELECT " RECURRING_COLS " FROM recurring_problems WHERE" SQL_WALK_RANGE
	                "AND (CAST(?5 AS TEXT) IS NULL OR status = ?5) "
	                "ORDER BY region_code, id LIMIT ?6",
	                6, sc, after, limit, ARGS(ARG_OPT_TEXT(status)), recurring_read,
	                sizeof **rows, (void **)rows, n);
}

static void id_read(struct db_stmt *st, struct arena *a, void *row)
{
	(void)a;
	*(int64_t *)row = db_col_int(st, 0);
}

enum db_result store_recurring_case_ids(struct db *db, struct arena *a, int64_t id, int limit,
                                        int64_t **ids, size_t *n)
{
	return sql_all(db, a,
	               "SELECT case_id FROM recurring_problem_cases WHERE problem_id = ? "
	               "ORDER BY created_at DESC, case_id DESC",
	               ARGS(ARG_INT(id)), id_read, sizeof **ids, limit, (void **)ids, n);
}

enum db_result store_recurring_take(struct db *db, int64_t id, int64_t now)
{
	return sql_change(db,
	                  "UPDATE recurring_problems SET status = 'taken', updated_at = ? "
	                  "WHERE id = ? AND status = 'open'",
	                  ARGS(ARG_INT(now), ARG_INT(id)));
}

enum db_result store_recurring_take_topic(struct db *db, int64_t id, int64_t topic_id, int64_t now)
{
	return sql_change(db,
	                  "UPDATE recurring_problems SET status = 'taken', topic_id = ?, "
	                  "updated_at = ? WHERE id = ? AND status = 'open'",
	                  ARGS(ARG_INT(topic_id), ARG_INT(now), ARG_INT(id)));
}

enum db_result store_recurring_of_topic(struct db *db, int64_t topic_id, int64_t *id)
{
	*id = 0;
	return sql_int(db, "SELECT id FROM recurring_problems WHERE topic_id = ?",
	               ARGS(ARG_INT(topic_id)), id);
}
