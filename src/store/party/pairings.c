/* Pairings (结对共建), their commitments, activities and item lists. */
#include "store/party/pairings.h"
#include "store/party/party.h"

#include <string.h>

#include "store/dialect.h"
#include "store/stmt.h"

#define S(col) sql_str(st, a, col)

/* ---- pairings ---- */

#define PAIRING_COLS                                                                               \
	"p.id, p.unit_org_id, p.community_org_id, coalesce(p.created_by, 0), p.unit, "             \
	"p.region_code, p.title, p.signed_on, p.ends_on, p.note, p.status, p.created_at, "         \
	"p.updated_at, (SELECT name FROM party_orgs WHERE id = p.unit_org_id), (SELECT name FROM " \
	"party_orgs WHERE id = p.community_org_id), (SELECT name FROM regions WHERE code = "       \
	"p.region_code), (SELECT count(*) FROM pairing_commitments c WHERE c.pairing_id = p.id), " \
	"(SELECT count(*) FROM pairing_commitments c WHERE c.pairing_id = p.id AND c.status = "    \
	"'closed'), (SELECT count(*) FROM pairing_activities v WHERE v.pairing_id = p.id), "       \
	"(SELECT coalesce(sum(hours), 0) FROM pairing_activities v WHERE v.pairing_id = p.id)"

static void pairing_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct pairing_row *r = p;
	memset(r, 0, sizeof *r); /* sql_one does not zero the row */
	r->id = db_col_int(st, 0);
	r->unit_org_id = db_col_int(st, 1);
	r->community_org_id = db_col_int(st, 2);
	r->created_by = db_col_int(st, 3);
	r->unit = S(4);
	r->region_code = S(5);
	r->title = S(6);
	r->signed_on = S(7);
	r->ends_on = S(8);
	r->note = S(9);
	r->active = strcmp(db_col_text(st, 10), "active") == 0;
	r->created_at = db_col_int(st, 11);
	r->updated_at = db_col_int(st, 12);
	r->unit_org_name = S(13);
	r->community_org_name = S(14);
	r->region_name = S(15);
	r->commitments = db_col_int(st, 16);
	r->commitments_closed = db_col_int(st, 17);
	r->activities = db_col_int(st, 18);
	r->hours = db_col_double(st, 19);
}

enum db_result store_pairings_insert(struct db *db, struct pairing_row *p)
{
	enum db_result r =
	    sql_run(db,
	            "INSERT INTO pairings(unit_org_id, community_org_id, unit, region_code, title, "
	            "signed_on, ends_on, note, status, created_by, created_at, updated_at) "
	            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)",
	            ARGS(ARG_INT(p->unit_org_id), ARG_INT(p->community_org_id), ARG_TEXT(p->unit),
	                 ARG_TEXT(p->region_code), ARG_TEXT(p->title), ARG_TEXT(p->signed_on),
	                 ARG_TEXT(p->ends_on), ARG_TEXT(p->note), ARG_NONZERO(p->created_by),
	                 ARG_INT(p->created_at), ARG_INT(p->updated_at)));
	if (r == DB_OK)
		p->id = db_last_id(db);
	return r;
}

enum db_result store_pairings_get(struct db *db, struct arena *a, int64_t id,
                                  struct pairing_row *out)
{
	return sql_one(db, a, "SELECT " PAIRING_COLS " FROM pairings p WHERE p.id = ?",
	               ARGS(ARG_INT(id)), pairing_read, out);
}

enum db_result store_pairings_update(struct db *db, const struct pairing_row *p)
{
	return sql_run(db,
	               "UPDATE pairings SET title = ?, ends_on = ?, note = ?, status = ?, "
	               "updated_at = ? WHERE id = ?",
	               ARGS(ARG_TEXT(p->title), ARG_TEXT(p->ends_on), ARG_TEXT(p->note),
	                    ARG_TEXT(p->active ? "active" : "ended"), ARG_INT(p->updated_at),
	                    ARG_INT(p->id)));
}

enum db_result store_pairings_list(struct db *db, struct arena *a, const struct pairing_filter *f,
                                   struct pairing_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT " PAIRING_COLS " FROM pairings p WHERE CASE WHEN ?5 = 1 THEN "
	    "((CAST(?1 AS TEXT) IS NOT NULL AND p.region_code >= ?1 AND p.region_code < ?2) OR "
	    "(CAST(?3 AS TEXT) IS NOT NULL AND p.unit = ?3)) ELSE ((?1 IS NULL OR (p.region_code "
	    ">= ?1 AND "
	    "p.region_code < ?2)) AND (?3 IS NULL OR p.unit = ?3)) END AND p.id > ?4 "
	    "ORDER BY p.id LIMIT ?6",
	    ARGS(ARG_TEXT(f->region), ARG_TEXT(f->region ? sql_prefix_end(a, f->region) : NULL),
	         ARG_TEXT(f->unit), ARG_INT(f->after_id), ARG_INT((int64_t)f->either),
	         ARG_INT((int64_t)f->limit)),
	    pairing_read, sizeof(**rows), f->limit, (void **)rows, n);
}

/* ---- commitments ---- */

#define COMMIT_COLS                                                                                \
	"id, pairing_id, coalesce(created_by, 0), coalesce(verified_by, 0), problem, measure, "    \
	"responsible, deadline, result, status, created_at, updated_at, done_at, verified_at, "    \
	"closed_at"

static void commitment_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct commitment_row *c = p;
	memset(c, 0, sizeof *c); /* sql_one does not zero the row */
	c->id = db_col_int(st, 0);
	c->pairing_id = db_col_int(st, 1);
	c->created_by = db_col_int(st, 2);
	c->verified_by = db_col_int(st, 3);
	c->problem = S(4);
	c->measure = S(5);
	c->responsible = S(6);
	c->deadline = S(7);
	c->result = S(8);
	enum commitment_state s = COMMIT_PROPOSED;
	commitment_state_parse(db_col_text(st, 9), &s);
	c->status = s;
	c->created_at = db_col_int(st, 10);
	c->updated_at = db_col_int(st, 11);
	c->done_at = db_col_int(st, 12);
	c->verified_at = db_col_int(st, 13);
	c->closed_at = db_col_int(st, 14);
}

enum db_result store_commitments_insert(struct db *db, struct commitment_row *c)
{
	return sql_insert(
	    db,
	    "INSERT INTO pairing_commitments(pairing_id, problem, measure, responsible, deadline, "
	    "status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_INT(c->pairing_id), ARG_TEXT(c->problem), ARG_TEXT(c->measure),
	         ARG_TEXT(c->responsible), ARG_TEXT(c->deadline),
	         ARG_TEXT(commitment_state_code(c->status)), ARG_NONZERO(c->created_by),
	         ARG_INT(c->created_at), ARG_INT(c->updated_at)),
	    &c->id);
}

enum db_result store_commitments_get(struct db *db, struct arena *a, int64_t id,
                                     struct commitment_row *out)
{
	return sql_one(db, a, "SELECT " COMMIT_COLS " FROM pairing_commitments WHERE id = ?",
	               ARGS(ARG_INT(id)), commitment_read, out);
}

enum db_result store_commitments_update(struct db *db, const struct commitment_row *c)
{
	return sql_run(db,
	               "UPDATE pairing_commitments SET status = ?, result = ?, verified_by = ?, "
	               "updated_at = ?, done_at = ?, verified_at = ?, closed_at = ? WHERE id = ?",
	               ARGS(ARG_TEXT(commitment_state_code(c->status)), ARG_TEXT(c->result),
	                    ARG_NONZERO(c->verified_by), ARG_INT(c->updated_at),
	                    ARG_INT(c->done_at), ARG_INT(c->verified_at), ARG_INT(c->closed_at),
	                    ARG_INT(c->id)));
}

enum db_result store_commitments_list(struct db *db, struct arena *a, int64_t pairing_id,
                                      struct commitment_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " COMMIT_COLS " FROM pairing_commitments WHERE pairing_id = ? "
	               "ORDER BY id LIMIT 1000",
	               ARGS(ARG_INT(pairing_id)), commitment_read, sizeof(**rows), -1,
	               (void **)rows, n);
}

static void cevent_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct commitment_event_row *e = p;
	e->id = db_col_int(st, 0);
	e->commitment_id = db_col_int(st, 1);
	e->at = db_col_int(st, 2);
	e->actor_id = db_col_int(st, 3);
	e->actor = S(4);
	e->side = S(5);
	e->action = S(6);
	e->from_status = S(7);
	e->to_status = S(8);
	e->comment = S(9);
}

enum db_result store_commitment_events_add(struct db *db, const struct commitment_event_row *e)
{
	return sql_run(db,
	               "INSERT INTO pairing_commitment_events(commitment_id, at, actor_id, actor, "
	               "side, action, from_status, to_status, comment) "
	               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	               ARGS(ARG_INT(e->commitment_id), ARG_INT(e->at), ARG_NONZERO(e->actor_id),
	                    ARG_TEXT(e->actor), ARG_TEXT(e->side), ARG_TEXT(e->action),
	                    ARG_TEXT(e->from_status), ARG_TEXT(e->to_status),
	                    ARG_TEXT(e->comment)));
}

enum db_result store_commitment_events_list(struct db *db, struct arena *a, int64_t commitment_id,
                                            struct commitment_event_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT id, commitment_id, at, coalesce(actor_id, 0), actor, side, action, "
	               "from_status, to_status, comment FROM pairing_commitment_events WHERE "
	               "commitment_id = ? ORDER BY id LIMIT 1000",
	               ARGS(ARG_INT(commitment_id)), cevent_read, sizeof(**rows), -1, (void **)rows,
	               n);
}

/* ---- activities and lists ---- */

static void activity_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct activity_row *v = p;
	v->id = db_col_int(st, 0);
	v->pairing_id = db_col_int(st, 1);
	v->title = S(2);
	v->held_on = S(3);
	v->place = S(4);
	v->participants = S(5);
	v->people = db_col_int(st, 6);
	v->hours = db_col_double(st, 7);
	v->note = S(8);
	v->created_by = db_col_int(st, 9);
	v->created_at = db_col_int(st, 10);
	v->recorded_by = S(11);
}

enum db_result store_activities_insert(struct db *db, struct activity_row *v)
{
	return sql_insert(
	    db,
	    "INSERT INTO pairing_activities(pairing_id, title, held_on, place, participants, "
	    "people, hours, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_INT(v->pairing_id), ARG_TEXT(v->title), ARG_TEXT(v->held_on),
	         ARG_TEXT(v->place), ARG_TEXT(v->participants), ARG_INT(v->people),
	         ARG_REAL(v->hours), ARG_TEXT(v->note), ARG_NONZERO(v->created_by),
	         ARG_INT(v->created_at)),
	    &v->id);
}

enum db_result store_activities_list(struct db *db, struct arena *a, int64_t pairing_id,
                                     struct activity_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT v.id, v.pairing_id, v.title, v.held_on, v.place, v.participants, v.people, "
	    "v.hours, v.note, coalesce(v.created_by, 0), v.created_at, u.username "
	    "FROM pairing_activities v LEFT JOIN users u ON u.id = v.created_by "
	    "WHERE v.pairing_id = ? ORDER BY v.held_on DESC, v.id DESC LIMIT 1000",
	    ARGS(ARG_INT(pairing_id)), activity_read, sizeof(**rows), -1, (void **)rows, n);
}

static void item_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct pairing_item_row *it = p;
	memset(it, 0, sizeof *it); /* sql_one does not zero the row */
	it->id = db_col_int(st, 0);
	it->pairing_id = db_col_int(st, 1);
	int l = 0;
	pairing_list_parse(db_col_text(st, 2), &l);
	it->list = l;
	it->content = S(3);
	it->responsible = S(4);
	it->deadline = S(5);
	it->done = strcmp(db_col_text(st, 6), "done") == 0;
	it->created_by = db_col_int(st, 7);
	it->created_at = db_col_int(st, 8);
	it->updated_at = db_col_int(st, 9);
}

#define ITEM_COLS                                                                                  \
	"id, pairing_id, list, content, responsible, deadline, status, coalesce(created_by, 0), "  \
	"created_at, updated_at"

enum db_result store_pairing_items_insert(struct db *db, struct pairing_item_row *it)
{
	return sql_insert(
	    db,
	    "INSERT INTO pairing_items(pairing_id, list, content, responsible, deadline, status, "
	    "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_INT(it->pairing_id), ARG_TEXT(pairing_list_code(it->list)),
	         ARG_TEXT(it->content), ARG_TEXT(it->responsible), ARG_TEXT(it->deadline),
	         ARG_TEXT(it->done ? "done" : "open"), ARG_NONZERO(it->created_by),
	         ARG_INT(it->created_at), ARG_INT(it->updated_at)),
	    &it->id);
}

enum db_result store_pairing_items_get(struct db *db, struct arena *a, int64_t id,
                                       struct pairing_item_row *out)
{
	return sql_one(db, a, "SELECT " ITEM_COLS " FROM pairing_items WHERE id = ?",
	               ARGS(ARG_INT(id)), item_read, out);
}

enum db_result store_pairing_items_update(struct db *db, const struct pairing_item_row *it)
{
	return sql_run(db,
	               "UPDATE pairing_items SET content = ?, responsible = ?, deadline = ?, "
	               "status = ?, updated_at = ? WHERE id = ?",
	               ARGS(ARG_TEXT(it->content), ARG_TEXT(it->responsible),
	                    ARG_TEXT(it->deadline), ARG_TEXT(it->done ? "done" : "open"),
	                    ARG_INT(it->updated_at), ARG_INT(it->id)));
}

enum db_result store_pairing_items_list(struct db *db, struct arena *a, int64_t pairing_id,
                                        struct pairing_item_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " ITEM_COLS " FROM pairing_items WHERE "
	               "pairing_id = ? ORDER BY list, id LIMIT 1000",
	               ARGS(ARG_INT(pairing_id)), item_read, sizeof(**rows), -1, (void **)rows, n);
}
