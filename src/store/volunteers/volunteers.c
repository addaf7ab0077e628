/* Volunteer teams, members, activities, sign-ups and the hours and points ledger. */
#include "store/volunteers/volunteers.h"

#include <string.h>

#include "store/stmt.h"

#define S(col) sql_str(st, a, col)

#define PERSON_NAME(t)                                                                             \
	"coalesce((SELECT name FROM residents WHERE id = " t ".resident_id), (SELECT "             \
	"display_name FROM users WHERE id = " t ".user_id))"

/* ---- teams ---- */

#define TEAM_COLS                                                                                  \
	"t.id, t.region_code, (SELECT name FROM regions WHERE code = t.region_code), t.name, "     \
	"t.description, coalesce(t.leader_user_id, 0), (SELECT display_name FROM users WHERE id "  \
	"= t.leader_user_id), coalesce(t.created_by, 0), t.created_at, t.updated_at, (SELECT "     \
	"count(*) FROM vol_members m WHERE m.team_id = t.id AND m.status = 'active')"

static void team_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct vol_team_row *t = p;
	memset(t, 0, sizeof *t);
	t->id = db_col_int(st, 0);
	t->region_code = S(1);
	t->region_name = S(2);
	t->name = S(3);
	t->description = S(4);
	t->leader_user_id = db_col_int(st, 5);
	t->leader_name = S(6);
	t->created_by = db_col_int(st, 7);
	t->created_at = db_col_int(st, 8);
	t->updated_at = db_col_int(st, 9);
	t->members = db_col_int(st, 10);
}

enum db_result store_vol_teams_insert(struct db *db, struct vol_team_row *t)
{
	return sql_insert(db,
	                  "INSERT INTO vol_teams(region_code, name, description, leader_user_id, "
	                  "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	                  ARGS(ARG_TEXT(t->region_code), ARG_TEXT(t->name),
	                       ARG_OPT_TEXT(t->description), ARG_NONZERO(t->leader_user_id),
	                       ARG_NONZERO(t->created_by), ARG_INT(t->created_at),
	                       ARG_INT(t->updated_at)),
	                  &t->id);
}

enum db_result store_vol_teams_get(struct db *db, struct arena *a, int64_t id,
                                   struct vol_team_row *out)
{
	return sql_one(db, a, "SELECT " TEAM_COLS " FROM vol_teams t WHERE t.id = ?",
	               ARGS(ARG_INT(id)), team_read, out);
}

enum db_result store_vol_teams_walk(struct db *db, struct arena *a, const struct scopes *sc,
                                    struct page_after after, int limit, struct vol_team_row **rows,
                                    size_t *n)
{
	return sql_walk(
	    db, a,
	    "SELECT " TEAM_COLS " FROM vol_teams t WHERE (t.region_code, t.id) > (?3, ?4) "
	    "AND t.region_code < ?2 AND " SQL_WALK_LO " ORDER BY t.region_code, t.id LIMIT ?5",
	    5, sc, after, limit, NULL, 0, team_read, sizeof **rows, (void **)rows, n);
}

enum db_result store_vol_teams_for_grid(struct db *db, struct arena *a, const char *grid,
                                        int64_t after_id, int limit, struct vol_team_row **rows,
                                        size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT " TEAM_COLS " FROM vol_teams t WHERE substr(?1, 1, "
	    "length(t.region_code)) = t.region_code AND t.id > ?2 ORDER BY t.id LIMIT ?3",
	    ARGS(ARG_TEXT(grid), ARG_INT(after_id), ARG_INT((int64_t)limit)), team_read,
	    sizeof **rows, limit, (void **)rows, n);
}

/* ---- members ---- */

#define MEMBER_COLS                                                                                \
	"m.id, m.team_id, m.region_code, m.person, coalesce(m.user_id, 0), "                       \
	"coalesce(m.resident_id, 0), m.status, m.joined_at, coalesce(m.left_at, 0), " PERSON_NAME( \
	    "m")

static void member_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct vol_member_row *m = p;
	memset(m, 0, sizeof *m);
	m->id = db_col_int(st, 0);
	m->team_id = db_col_int(st, 1);
	m->region_code = S(2);
	m->person = S(3);
	m->user_id = db_col_int(st, 4);
	m->resident_id = db_col_int(st, 5);
	m->active = strcmp(db_col_text(st, 6), "active") == 0;
	m->joined_at = db_col_int(st, 7);
	m->left_at = db_col_int(st, 8);
	m->name = S(9);
}

enum db_result store_vol_members_insert(struct db *db, struct vol_member_row *m)
{
	return sql_insert(
	    db,
	    "INSERT INTO vol_members(team_id, region_code, person, user_id, resident_id, "
	    "status, joined_at) VALUES (?, ?, ?, ?, ?, 'active', ?)",
	    ARGS(ARG_INT(m->team_id), ARG_TEXT(m->region_code), ARG_TEXT(m->person),
	         ARG_NONZERO(m->user_id), ARG_NONZERO(m->resident_id), ARG_INT(m->joined_at)),
	    &m->id);
}

enum db_result store_vol_members_get(struct db *db, struct arena *a, int64_t id,
                                     struct vol_member_row *out)
{
	return sql_one(db, a, "SELECT " MEMBER_COLS " FROM vol_members m WHERE m.id = ?",
	               ARGS(ARG_INT(id)), member_read, out);
}

enum db_result store_vol_members_leave(struct db *db, int64_t id, int64_t now)
{
	return sql_change(db,
	                  "UPDATE vol_members SET status = 'left', left_at = ? WHERE id = ? AND "
	                  "status = 'active'",
	                  ARGS(ARG_INT(now), ARG_INT(id)));
}

enum db_result store_vol_members_of_team(struct db *db, struct arena *a, int64_t team_id,
                                         struct vol_member_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " MEMBER_COLS
	               " FROM vol_members m WHERE m.team_id = ? AND m.status = "
	               "'active' ORDER BY m.id LIMIT 2000",
	               ARGS(ARG_INT(team_id)), member_read, sizeof **rows, 2000, (void **)rows, n);
}

enum db_result store_vol_members_find(struct db *db, struct arena *a, int64_t team_id,
                                      const char *person, struct vol_member_row *out)
{
	return sql_one(db, a,
	               "SELECT " MEMBER_COLS
	               " FROM vol_members m WHERE m.team_id = ? AND m.person = "
	               "? AND m.status = 'active'",
	               ARGS(ARG_INT(team_id), ARG_TEXT(person)), member_read, out);
}

/* ---- activities ---- */

#define ACTIVITY_COLS                                                                              \
	"v.id, v.team_id, v.region_code, v.title, v.place, v.starts_at, v.ends_at, v.capacity, "   \
	"v.code, v.status, (SELECT count(*) FROM vol_signups s WHERE s.activity_id = v.id AND "    \
	"s.status = 'signed'), (SELECT count(*) FROM vol_signups s WHERE s.activity_id = v.id "    \
	"AND "                                                                                     \
	"s.status = 'waiting'), t.name, coalesce(t.leader_user_id, 0), coalesce(v.created_by, "    \
	"0), v.created_at, v.updated_at"

#define ACTIVITY_FROM " FROM vol_activities v JOIN vol_teams t ON t.id = v.team_id "

static void activity_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct vol_activity_row *v = p;
	memset(v, 0, sizeof *v);
	v->id = db_col_int(st, 0);
	v->team_id = db_col_int(st, 1);
	v->region_code = S(2);
	v->title = S(3);
	v->place = S(4);
	v->starts_at = db_col_int(st, 5);
	v->ends_at = db_col_int(st, 6);
	v->capacity = db_col_int(st, 7);
	v->code = S(8);
	v->cancelled = strcmp(db_col_text(st, 9), "cancelled") == 0;
	v->signed_count = db_col_int(st, 10);
	v->waiting_count = db_col_int(st, 11);
	v->team_name = S(12);
	v->leader_user_id = db_col_int(st, 13);
	v->created_by = db_col_int(st, 14);
	v->created_at = db_col_int(st, 15);
	v->updated_at = db_col_int(st, 16);
}

enum db_result store_vol_activities_insert(struct db *db, struct vol_activity_row *v)
{
	return sql_insert(
	    db,
	    "INSERT INTO vol_activities(team_id, region_code, title, place, starts_at, ends_at, "
	    "capacity, code, status, created_by, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
	    ARGS(ARG_INT(v->team_id), ARG_TEXT(v->region_code), ARG_TEXT(v->title),
	         ARG_OPT_TEXT(v->place), ARG_INT(v->starts_at), ARG_INT(v->ends_at),
	         ARG_INT(v->capacity), ARG_TEXT(v->code), ARG_NONZERO(v->created_by),
	         ARG_INT(v->created_at), ARG_INT(v->updated_at)),
	    &v->id);
}

enum db_result store_vol_activities_get(struct db *db, struct arena *a, int64_t id,
                                        struct vol_activity_row *out)
{
	return sql_one(db, a, "SELECT " ACTIVITY_COLS ACTIVITY_FROM "WHERE v.id = ?",
	               ARGS(ARG_INT(id)), activity_read, out);
}

enum db_result store_vol_activities_walk(struct db *db, struct arena *a, const struct scopes *sc,
                                         int64_t team_id, struct page_after after, int limit,
                                         struct vol_activity_row **rows, size_t *n)
{
	return sql_walk(
	    db, a,
	    "SELECT " ACTIVITY_COLS ACTIVITY_FROM
	    "WHERE (v.region_code, v.id) > (?3, ?4) AND v.region_code < ?2 AND " SQL_WALK_LO
	    " AND (CAST(?5 AS BIGINT) = 0 OR v.team_id = ?5) ORDER BY v.region_code, "
	    "v.id LIMIT ?6",
	    6, sc, after, limit, ARGS(ARG_INT(team_id)), activity_read, sizeof **rows,
	    (void **)rows, n);
}

enum db_result store_vol_activities_for_grid(struct db *db, struct arena *a, const char *grid,
                                             int64_t from, int64_t after_id, int limit,
                                             struct vol_activity_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT " ACTIVITY_COLS ACTIVITY_FROM
	    "WHERE substr(?1, 1, length(v.region_code)) = v.region_code AND v.status = "
	    "'open' AND v.ends_at > ?2 AND v.id > ?3 ORDER BY v.id LIMIT ?4",
	    ARGS(ARG_TEXT(grid), ARG_INT(from), ARG_INT(after_id), ARG_INT((int64_t)limit)),
	    activity_read, sizeof **rows, limit, (void **)rows, n);
}

/* ---- sign-ups ---- */

#define SIGNUP_COLS                                                                                \
	"s.id, s.activity_id, s.region_code, s.person, coalesce(s.user_id, 0), "                   \
	"coalesce(s.resident_id, 0), s.status, coalesce(s.checked_in_at, 0), coalesce(s.minutes, " \
	"-1), coalesce(s.points, 0), coalesce(s.confirmed_by, 0), coalesce(s.created_by, 0), "     \
	"s.created_at, s.updated_at, v.title, v.place, v.starts_at, v.ends_at, " PERSON_NAME(      \
	    "s") ", (SELECT region_code FROM residents WHERE id = s.resident_id)"

#define SIGNUP_FROM " FROM vol_signups s JOIN vol_activities v ON v.id = s.activity_id "

static void signup_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct vol_signup_row *s = p;
	memset(s, 0, sizeof *s);
	s->id = db_col_int(st, 0);
	s->activity_id = db_col_int(st, 1);
	s->region_code = S(2);
	s->person = S(3);
	s->user_id = db_col_int(st, 4);
	s->resident_id = db_col_int(st, 5);
	s->status = S(6);
	s->checked_in_at = db_col_int(st, 7);
	s->minutes = db_col_int(st, 8);
	s->points = db_col_int(st, 9);
	s->confirmed_by = db_col_int(st, 10);
	s->created_by = db_col_int(st, 11);
	s->created_at = db_col_int(st, 12);
	s->updated_at = db_col_int(st, 13);
	s->title = S(14);
	s->place = S(15);
	s->starts_at = db_col_int(st, 16);
	s->ends_at = db_col_int(st, 17);
	s->name = S(18);
	s->person_region = S(19);
}

enum db_result store_vol_signups_insert(struct db *db, struct vol_signup_row *s)
{
	return sql_insert(
	    db,
	    "INSERT INTO vol_signups(activity_id, region_code, person, user_id, "
	    "resident_id, status, created_by, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_INT(s->activity_id), ARG_TEXT(s->region_code), ARG_TEXT(s->person),
	         ARG_NONZERO(s->user_id), ARG_NONZERO(s->resident_id), ARG_TEXT(s->status),
	         ARG_NONZERO(s->created_by), ARG_INT(s->created_at), ARG_INT(s->created_at)),
	    &s->id);
}

enum db_result store_vol_signups_get(struct db *db, struct arena *a, int64_t id,
                                     struct vol_signup_row *out)
{
	return sql_one(db, a, "SELECT " SIGNUP_COLS SIGNUP_FROM "WHERE s.id = ?", ARGS(ARG_INT(id)),
	               signup_read, out);
}

enum db_result store_vol_signups_set_status(struct db *db, int64_t id, const char *status,
                                            int64_t now)
{
	return sql_change(
	    db,
	    "UPDATE vol_signups SET status = ?, updated_at = ? WHERE id = ? AND status "
	    "<> 'cancelled'",
	    ARGS(ARG_TEXT(status), ARG_INT(now), ARG_INT(id)));
}

enum db_result store_vol_signups_of_activity(struct db *db, struct arena *a, int64_t activity_id,
                                             struct vol_signup_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT " SIGNUP_COLS SIGNUP_FROM
	    "WHERE s.activity_id = ? AND s.status <> 'cancelled' ORDER BY s.id LIMIT 10000",
	    ARGS(ARG_INT(activity_id)), signup_read, sizeof **rows, 10000, (void **)rows, n);
}

enum db_result store_vol_signups_find(struct db *db, struct arena *a, int64_t activity_id,
                                      const char *person, struct vol_signup_row *out)
{
	return sql_one(db, a,
	               "SELECT " SIGNUP_COLS SIGNUP_FROM
	               "WHERE s.activity_id = ? AND s.person = ? AND s.status <> 'cancelled'",
	               ARGS(ARG_INT(activity_id), ARG_TEXT(person)), signup_read, out);
}

enum db_result store_vol_signups_of_person(struct db *db, struct arena *a, const char *person,
                                           struct vol_signup_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " SIGNUP_COLS SIGNUP_FROM
	               "WHERE s.person = ? ORDER BY v.starts_at DESC, s.id DESC LIMIT 500",
	               ARGS(ARG_TEXT(person)), signup_read, sizeof **rows, 500, (void **)rows, n);
}

enum db_result store_vol_signups_check_in(struct db *db, int64_t id, int64_t now)
{
	return sql_change(
	    db,
	    "UPDATE vol_signups SET checked_in_at = ?, updated_at = ? WHERE id = ? AND "
	    "checked_in_at IS NULL",
	    ARGS(ARG_INT(now), ARG_INT(now), ARG_INT(id)));
}

enum db_result store_vol_signups_confirm(struct db *db, int64_t id, int64_t minutes, int64_t points,
                                         int64_t by, int64_t now)
{
	return sql_change(
	    db,
	    "UPDATE vol_signups SET minutes = ?, points = ?, confirmed_by = ?, "
	    "updated_at = ? WHERE id = ? AND minutes IS NULL AND checked_in_at IS NOT "
	    "NULL AND status = 'signed'",
	    ARGS(ARG_INT(minutes), ARG_INT(points), ARG_NONZERO(by), ARG_INT(now), ARG_INT(id)));
}

/* ---- the ledger ---- */

#define LEDGER_COLS                                                                                \
	"e.id, e.region_code, e.person, e.kind, e.minutes, e.points, coalesce(e.activity_id, 0), " \
	"coalesce(e.signup_id, 0), e.note, coalesce(e.created_by, 0), e.created_at, (SELECT "      \
	"title FROM vol_activities WHERE id = e.activity_id)"

static void ledger_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct vol_ledger_row *e = p;
	memset(e, 0, sizeof *e);
	e->id = db_col_int(st, 0);
	e->region_code = S(1);
	e->person = S(2);
	e->kind = S(3);
	e->minutes = db_col_int(st, 4);
	e->points = db_col_int(st, 5);
	e->activity_id = db_col_int(st, 6);
	e->signup_id = db_col_int(st, 7);
	e->note = S(8);
	e->created_by = db_col_int(st, 9);
	e->created_at = db_col_int(st, 10);
	e->title = S(11);
}

enum db_result store_vol_ledger_insert(struct db *db, struct vol_ledger_row *e)
{
	return sql_insert(db,
	                  "INSERT INTO vol_ledger(region_code, person, kind, minutes, points, "
	                  "activity_id, signup_id, note, created_by, created_at) "
	                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                  ARGS(ARG_TEXT(e->region_code), ARG_TEXT(e->person), ARG_TEXT(e->kind),
	                       ARG_INT(e->minutes), ARG_INT(e->points), ARG_NONZERO(e->activity_id),
	                       ARG_NONZERO(e->signup_id), ARG_OPT_TEXT(e->note),
	                       ARG_NONZERO(e->created_by), ARG_INT(e->created_at)),
	                  &e->id);
}

enum db_result store_vol_ledger_totals(struct db *db, const char *person, int64_t *points,
                                       int64_t *minutes)
{
	enum db_result r =
	    sql_int(db,
	            "SELECT CAST(coalesce(sum(points), 0) AS BIGINT) FROM vol_ledger "
	            "WHERE person = ?",
	            ARGS(ARG_TEXT(person)), points);
	if (r != DB_OK)
		return r;
	return sql_int(db,
	               "SELECT CAST(coalesce(sum(minutes), 0) AS BIGINT) FROM vol_ledger WHERE "
	               "person = ?",
	               ARGS(ARG_TEXT(person)), minutes);
}

enum db_result store_vol_ledger_of_person(struct db *db, struct arena *a, const char *person,
                                          struct vol_ledger_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " LEDGER_COLS " FROM vol_ledger e WHERE e.person = ? ORDER BY e.id "
	               "DESC LIMIT 500",
	               ARGS(ARG_TEXT(person)), ledger_read, sizeof **rows, 500, (void **)rows, n);
}
