/* Pairings, commitments, activities, lists; cadres, reception days and bookings; the grid
 * service team. Statements go through the party store's helpers (store/party.h). */
#include "store/party/pairings.h"
#include "store/party/party.h"

#include <stdio.h>
#include <string.h>

#include "store/rows.h"

static enum db_result get_one(struct db *db, struct arena *a, const char *sql, int64_t id,
                              void (*fill)(struct db_stmt *, struct arena *, void *), void *out,
                              size_t sz)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_result r = db_step(st);
	if (r == DB_ROW) {
		memset(out, 0, sz);
		fill(st, a, out);
	}
	db_done(st);
	return r;
}

#define S(col) rows_str(st, a, col)

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

static void pairing_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct pairing_row *r = p;
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

enum db_result pairings_insert(struct db *db, struct pairing_row *p)
{
	enum db_result r = party_exec(
	    db,
	    "INSERT INTO pairings(unit_org_id, community_org_id, unit, region_code, title, "
	    "signed_on, ends_on, note, status, created_by, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)",
	    "iittt"
	    "ttt"
	    "nii",
	    p->unit_org_id, p->community_org_id, p->unit, p->region_code, p->title, p->signed_on,
	    p->ends_on, p->note, p->created_by, p->created_at, p->updated_at);
	if (r == DB_OK)
		p->id = db_last_id(db);
	return r;
}

enum db_result pairings_get(struct db *db, struct arena *a, int64_t id, struct pairing_row *out)
{
	return get_one(db, a, "SELECT " PAIRING_COLS " FROM pairings p WHERE p.id = ?", id,
	               pairing_fill, out, sizeof(*out));
}

enum db_result pairings_update(struct db *db, const struct pairing_row *p)
{
	return party_exec(db,
	                  "UPDATE pairings SET title = ?, ends_on = ?, note = ?, status = ?, "
	                  "updated_at = ? WHERE id = ?",
	                  "ttttii", p->title, p->ends_on, p->note, p->active ? "active" : "ended",
	                  p->updated_at, p->id);
}

enum db_result pairings_list(struct db *db, struct arena *a, const struct pairing_filter *f,
                             struct pairing_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT " PAIRING_COLS " FROM pairings p WHERE CASE WHEN ?5 = 1 THEN "
	        "((?1 IS NOT NULL AND p.region_code >= ?1 AND p.region_code < ?2) OR "
	        "(?3 IS NOT NULL AND p.unit = ?3)) ELSE ((?1 IS NULL OR (p.region_code >= ?1 AND "
	        "p.region_code < ?2)) AND (?3 IS NULL OR p.unit = ?3)) END AND p.id > ?4 "
	        "ORDER BY p.id LIMIT ?6");
	if (!st)
		return DB_ERROR;
	party_bind(st,
	           "ttti"
	           "ii",
	           f->region, f->region ? rows_prefix_end(a, f->region) : NULL, f->unit,
	           f->after_id, (int64_t)f->either, (int64_t)f->limit);
	return rows_collect_max(st, a, pairing_fill, sizeof(**rows), f->limit, (void **)rows, n);
}

/* ---- commitments ---- */

#define COMMIT_COLS                                                                                \
	"id, pairing_id, coalesce(created_by, 0), coalesce(verified_by, 0), problem, measure, "    \
	"responsible, deadline, result, status, created_at, updated_at, done_at, verified_at, "    \
	"closed_at"

static void commitment_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct commitment_row *c = p;
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

enum db_result commitments_insert(struct db *db, struct commitment_row *c)
{
	enum db_result r = party_exec(
	    db,
	    "INSERT INTO pairing_commitments(pairing_id, problem, measure, responsible, deadline, "
	    "status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "itttt"
	    "tnii",
	    c->pairing_id, c->problem, c->measure, c->responsible, c->deadline,
	    commitment_state_code(c->status), c->created_by, c->created_at, c->updated_at);
	if (r == DB_OK)
		c->id = db_last_id(db);
	return r;
}

enum db_result commitments_get(struct db *db, struct arena *a, int64_t id,
                               struct commitment_row *out)
{
	return get_one(db, a, "SELECT " COMMIT_COLS " FROM pairing_commitments WHERE id = ?", id,
	               commitment_fill, out, sizeof(*out));
}

enum db_result commitments_update(struct db *db, const struct commitment_row *c)
{
	return party_exec(
	    db,
	    "UPDATE pairing_commitments SET status = ?, result = ?, verified_by = ?, "
	    "updated_at = ?, done_at = ?, verified_at = ?, closed_at = ? WHERE id = ?",
	    "ttniiiii", commitment_state_code(c->status), c->result, c->verified_by, c->updated_at,
	    c->done_at, c->verified_at, c->closed_at, c->id);
}

enum db_result commitments_list(struct db *db, struct arena *a, int64_t pairing_id,
                                struct commitment_row **rows, size_t *n)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " COMMIT_COLS " FROM pairing_commitments WHERE pairing_id = ? "
	                   "ORDER BY id LIMIT 1000");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, pairing_id);
	return rows_collect_max(st, a, commitment_fill, sizeof(**rows), -1, (void **)rows, n);
}

static void cevent_fill(struct db_stmt *st, struct arena *a, void *p)
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

enum db_result commitment_events_add(struct db *db, const struct commitment_event_row *e)
{
	return party_exec(
	    db,
	    "INSERT INTO pairing_commitment_events(commitment_id, at, actor_id, actor, "
	    "side, action, from_status, to_status, comment) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "iintt"
	    "tttt",
	    e->commitment_id, e->at, e->actor_id, e->actor, e->side, e->action, e->from_status,
	    e->to_status, e->comment);
}

enum db_result commitment_events_list(struct db *db, struct arena *a, int64_t commitment_id,
                                      struct commitment_event_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT id, commitment_id, at, coalesce(actor_id, 0), actor, side, action, "
	        "from_status, to_status, comment FROM pairing_commitment_events WHERE "
	        "commitment_id = ? ORDER BY id LIMIT 1000");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, commitment_id);
	return rows_collect_max(st, a, cevent_fill, sizeof(**rows), -1, (void **)rows, n);
}

/* ---- activities and lists ---- */

static void activity_fill(struct db_stmt *st, struct arena *a, void *p)
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

enum db_result activities_insert(struct db *db, struct activity_row *v)
{
	enum db_result r = party_exec(
	    db,
	    "INSERT INTO pairing_activities(pairing_id, title, held_on, place, participants, "
	    "people, hours, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "itttt"
	    "idtni",
	    v->pairing_id, v->title, v->held_on, v->place, v->participants, v->people, v->hours,
	    v->note, v->created_by, v->created_at);
	if (r == DB_OK)
		v->id = db_last_id(db);
	return r;
}

enum db_result activities_list(struct db *db, struct arena *a, int64_t pairing_id,
                               struct activity_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT v.id, v.pairing_id, v.title, v.held_on, v.place, v.participants, v.people, "
	        "v.hours, v.note, coalesce(v.created_by, 0), v.created_at, u.username "
	        "FROM pairing_activities v LEFT JOIN users u ON u.id = v.created_by "
	        "WHERE v.pairing_id = ? ORDER BY v.held_on DESC, v.id DESC LIMIT 1000");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, pairing_id);
	return rows_collect_max(st, a, activity_fill, sizeof(**rows), -1, (void **)rows, n);
}

static void item_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct pairing_item_row *it = p;
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

enum db_result pairing_items_insert(struct db *db, struct pairing_item_row *it)
{
	enum db_result r = party_exec(
	    db,
	    "INSERT INTO pairing_items(pairing_id, list, content, responsible, deadline, status, "
	    "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "itttt"
	    "tnii",
	    it->pairing_id, pairing_list_code(it->list), it->content, it->responsible, it->deadline,
	    it->done ? "done" : "open", it->created_by, it->created_at, it->updated_at);
	if (r == DB_OK)
		it->id = db_last_id(db);
	return r;
}

enum db_result pairing_items_get(struct db *db, struct arena *a, int64_t id,
                                 struct pairing_item_row *out)
{
	return get_one(db, a, "SELECT " ITEM_COLS " FROM pairing_items WHERE id = ?", id, item_fill,
	               out, sizeof(*out));
}

enum db_result pairing_items_update(struct db *db, const struct pairing_item_row *it)
{
	return party_exec(db,
	                  "UPDATE pairing_items SET content = ?, responsible = ?, deadline = ?, "
	                  "status = ?, updated_at = ? WHERE id = ?",
	                  "ttttii", it->content, it->responsible, it->deadline,
	                  it->done ? "done" : "open", it->updated_at, it->id);
}

enum db_result pairing_items_list(struct db *db, struct arena *a, int64_t pairing_id,
                                  struct pairing_item_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " ITEM_COLS " FROM pairing_items WHERE "
	                                    "pairing_id = ? ORDER BY list, id LIMIT 1000");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, pairing_id);
	return rows_collect_max(st, a, item_fill, sizeof(**rows), -1, (void **)rows, n);
}

/* ---- cadres ---- */

/* Hours served: reception days held (not cancelled, on or before today) plus service
 * entries. */
#define CADRE_COLS                                                                                 \
	"c.id, coalesce(c.user_id, 0), coalesce(c.member_id, 0), coalesce(c.building_id, 0), "     \
	"c.name, c.unit, c.region_code, c.started_on, c.note, c.kind, c.legal_adviser, c.status, " \
	"c.created_at, c.updated_at, (SELECT name FROM regions WHERE code = c.region_code), "      \
	"(SELECT name FROM buildings WHERE id = c.building_id), "                                  \
	"(SELECT coalesce(sum(hours), 0) FROM cadre_service s WHERE s.cadre_id = c.id) + "         \
	"(SELECT coalesce(sum((CAST(substr(ends, 1, 2) AS INTEGER) * 60 + CAST(substr(ends, 4, "   \
	"2) "                                                                                      \
	"AS INTEGER) - CAST(substr(starts, 1, 2) AS INTEGER) * 60 - CAST(substr(starts, 4, 2) AS " \
	"INTEGER)) / 60.0), 0) FROM reception_days d WHERE d.cadre_id = c.id AND d.status = "      \
	"'open' AND d.held_on <= date('now', '+8 hours'))"

static void cadre_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct cadre_row *c = p;
	c->id = db_col_int(st, 0);
	c->user_id = db_col_int(st, 1);
	c->member_id = db_col_int(st, 2);
	c->building_id = db_col_int(st, 3);
	c->name = S(4);
	c->unit = S(5);
	c->region_code = S(6);
	c->started_on = S(7);
	c->note = S(8);
	enum cadre_kind k = CADRE_SINKING;
	cadre_kind_parse(db_col_text(st, 9), &k);
	c->kind = k;
	c->legal_adviser = db_col_int(st, 10) != 0;
	c->active = strcmp(db_col_text(st, 11), "active") == 0;
	c->created_at = db_col_int(st, 12);
	c->updated_at = db_col_int(st, 13);
	c->region_name = S(14);
	c->building_name = S(15);
	c->hours = db_col_double(st, 16);
}

enum db_result cadres_insert(struct db *db, struct cadre_row *c)
{
	enum db_result r = party_exec(
	    db,
	    "INSERT INTO cadres(name, kind, unit, user_id, member_id, region_code, building_id, "
	    "legal_adviser, started_on, status, note, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)",
	    "tttnn"
	    "tnit"
	    "tii",
	    c->name, cadre_kind_code(c->kind), c->unit, c->user_id, c->member_id, c->region_code,
	    c->building_id, (int64_t)c->legal_adviser, c->started_on, c->note, c->created_at,
	    c->updated_at);
	if (r == DB_OK)
		c->id = db_last_id(db);
	return r;
}

enum db_result cadres_get(struct db *db, struct arena *a, int64_t id, struct cadre_row *out)
{
	return get_one(db, a, "SELECT " CADRE_COLS " FROM cadres c WHERE c.id = ?", id, cadre_fill,
	               out, sizeof(*out));
}

enum db_result cadres_update(struct db *db, const struct cadre_row *c)
{
	return party_exec(
	    db,
	    "UPDATE cadres SET name = ?, unit = ?, kind = ?, region_code = ?, "
	    "building_id = ?, legal_adviser = ?, status = ?, note = ?, updated_at = ? "
	    "WHERE id = ?",
	    "ttttn"
	    "ittii",
	    c->name, c->unit, cadre_kind_code(c->kind), c->region_code, c->building_id,
	    (int64_t)c->legal_adviser, c->active ? "active" : "ended", c->note, c->updated_at,
	    c->id);
}

enum db_result cadres_list(struct db *db, struct arena *a, const struct cadre_filter *f,
                           struct cadre_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT " CADRE_COLS " FROM cadres c WHERE c.region_code >= ?1 AND "
	        "c.region_code < ?2 AND c.status = 'active' AND (?3 IS NULL OR c.kind = ?3) AND "
	        "(?4 = 0 OR c.kind != 'sinking') AND (?5 = 0 OR c.user_id = ?5) AND c.id > ?6 "
	        "ORDER BY c.id LIMIT ?7");
	if (!st)
		return DB_ERROR;
	const char *region = f->region ? f->region : "";
	party_bind(st,
	           "tttii"
	           "ii",
	           region, rows_prefix_end(a, region),
	           f->kind >= 0 ? cadre_kind_code((enum cadre_kind)f->kind) : NULL,
	           (int64_t)(f->kind == -2), f->user_id, f->after_id, (int64_t)f->limit);
	return rows_collect_max(st, a, cadre_fill, sizeof(**rows), f->limit, (void **)rows, n);
}

enum db_result cadre_service_add(struct db *db, int64_t cadre_id, const char *served_on,
                                 double hours, const char *what, int64_t by, int64_t now)
{
	return party_exec(db,
	                  "INSERT INTO cadre_service(cadre_id, served_on, hours, what, created_by, "
	                  "created_at) VALUES (?, ?, ?, ?, ?, ?)",
	                  "itdtni", cadre_id, served_on, hours, what, by, now);
}

static void ccov_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct cadre_coverage_row *c = p;
	c->code = S(0);
	c->name = S(1);
	c->cadres = db_col_int(st, 2);
	c->judges = db_col_int(st, 3);
	c->prosecutors = db_col_int(st, 4);
	c->police = db_col_int(st, 5);
	c->lawyers = db_col_int(st, 6);
	c->legal_advisers = db_col_int(st, 7);
}

enum db_result cadres_coverage(struct db *db, struct arena *a, const char *region,
                               struct cadre_coverage_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT r.code, r.name, count(c.id), coalesce(sum(c.kind = 'judge'), 0), "
	        "coalesce(sum(c.kind = 'prosecutor'), 0), coalesce(sum(c.kind = 'police'), 0), "
	        "coalesce(sum(c.kind = 'lawyer'), 0), coalesce(sum(c.legal_adviser), 0) FROM "
	        "regions r LEFT JOIN cadres c ON c.region_code = r.code AND c.status = 'active' "
	        "WHERE r.level = 2 AND r.status = 'active' AND r.code >= ? AND r.code < ? "
	        "GROUP BY r.code ORDER BY r.code");
	if (!st)
		return DB_ERROR;
	party_bind(st, "tt", region, rows_prefix_end(a, region));
	return rows_collect_max(st, a, ccov_fill, sizeof(**rows), -1, (void **)rows, n);
}

/* ---- reception days ---- */

#define DAY_COLS                                                                                   \
	"d.id, d.cadre_id, coalesce(d.created_by, 0), d.region_code, d.held_on, d.starts, "        \
	"d.ends, "                                                                                 \
	"d.place, d.topic, d.status, d.created_at, d.updated_at, c.name, c.unit, (SELECT name "    \
	"FROM regions WHERE code = d.region_code)"

static void day_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct reception_day_row *d = p;
	d->id = db_col_int(st, 0);
	d->cadre_id = db_col_int(st, 1);
	d->created_by = db_col_int(st, 2);
	d->region_code = S(3);
	d->held_on = S(4);
	d->starts = S(5);
	d->ends = S(6);
	d->place = S(7);
	d->topic = S(8);
	d->cancelled = strcmp(db_col_text(st, 9), "cancelled") == 0;
	d->created_at = db_col_int(st, 10);
	d->updated_at = db_col_int(st, 11);
	d->cadre_name = S(12);
	d->cadre_unit = S(13);
	d->region_name = S(14);
}

enum db_result reception_days_insert(struct db *db, struct reception_day_row *d)
{
	enum db_result r = party_exec(
	    db,
	    "INSERT INTO reception_days(cadre_id, region_code, held_on, starts, ends, place, "
	    "topic, status, created_by, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
	    "ittttt"
	    "tnii",
	    d->cadre_id, d->region_code, d->held_on, d->starts, d->ends, d->place, d->topic,
	    d->created_by, d->created_at, d->updated_at);
	if (r == DB_OK)
		d->id = db_last_id(db);
	return r;
}

enum db_result reception_days_get(struct db *db, struct arena *a, int64_t id,
                                  struct reception_day_row *out)
{
	return get_one(db, a,
	               "SELECT " DAY_COLS " FROM reception_days d JOIN cadres c ON c.id = "
	               "d.cadre_id WHERE d.id = ?",
	               id, day_fill, out, sizeof(*out));
}

enum db_result reception_days_cancel(struct db *db, int64_t id, int64_t now)
{
	return party_exec(
	    db, "UPDATE reception_days SET status = 'cancelled', updated_at = ? WHERE id = ?", "ii",
	    now, id);
}

enum db_result reception_days_list(struct db *db, struct arena *a, const char *region,
                                   const char *grid_of_resident, const char *from_date,
                                   int64_t cadre_id, int64_t after_id, int limit,
                                   struct reception_day_row **rows, size_t *n)
{
	/* A resident sees the days of the regions their grid lies in (its community, street,
	 * district, or the grid itself); staff see the days under their region. */
	struct db_stmt *st = db_prepare(
	    db, "SELECT " DAY_COLS " FROM reception_days d JOIN cadres c ON c.id = d.cadre_id "
	        "WHERE CASE WHEN ?3 IS NOT NULL THEN substr(?3, 1, length(d.region_code)) = "
	        "d.region_code ELSE d.region_code >= ?1 AND d.region_code < ?2 END AND "
	        "(?4 IS NULL OR d.held_on >= ?4) AND (?5 = 0 OR d.cadre_id = ?5) AND "
	        "(?3 IS NULL OR d.status = 'open') AND d.id > ?6 ORDER BY d.id LIMIT ?7");
	if (!st)
		return DB_ERROR;
	const char *r = region ? region : "";
	party_bind(st,
	           "tttti"
	           "ii",
	           r, rows_prefix_end(a, r), grid_of_resident, from_date, cadre_id, after_id,
	           (int64_t)limit);
	return rows_collect_max(st, a, day_fill, sizeof(**rows), limit, (void **)rows, n);
}

static void slot_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct reception_slot_row *s = p;
	s->id = db_col_int(st, 0);
	s->day_id = db_col_int(st, 1);
	s->starts = S(2);
	s->ends = S(3);
	s->capacity = db_col_int(st, 4);
	s->booked = db_col_int(st, 5);
}

#define SLOT_COLS                                                                                  \
	"s.id, s.day_id, s.starts, s.ends, s.capacity, (SELECT count(*) FROM reception_bookings "  \
	"b "                                                                                       \
	"WHERE b.slot_id = s.id AND b.status = 'booked')"

enum db_result reception_slots_insert(struct db *db, struct reception_slot_row *s)
{
	enum db_result r = party_exec(db,
	                              "INSERT INTO reception_slots(day_id, starts, ends, capacity) "
	                              "VALUES (?, ?, ?, ?)",
	                              "itti", s->day_id, s->starts, s->ends, s->capacity);
	if (r == DB_OK)
		s->id = db_last_id(db);
	return r;
}

enum db_result reception_slots_list(struct db *db, struct arena *a, int64_t day_id,
                                    struct reception_slot_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT " SLOT_COLS " FROM reception_slots s WHERE s.day_id = ? ORDER BY s.starts, "
	        "s.id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, day_id);
	return rows_collect_max(st, a, slot_fill, sizeof(**rows), -1, (void **)rows, n);
}

enum db_result reception_slots_get(struct db *db, struct arena *a, int64_t id,
                                   struct reception_slot_row *out)
{
	return get_one(db, a, "SELECT " SLOT_COLS " FROM reception_slots s WHERE s.id = ?", id,
	               slot_fill, out, sizeof(*out));
}

static void booking_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct reception_booking_row *b = p;
	b->id = db_col_int(st, 0);
	b->slot_id = db_col_int(st, 1);
	b->day_id = db_col_int(st, 2);
	b->user_id = db_col_int(st, 3);
	b->topic = S(4);
	b->cancelled = strcmp(db_col_text(st, 5), "cancelled") == 0;
	b->created_at = db_col_int(st, 6);
	b->user_name = S(7);
	b->slot_starts = S(8);
	b->held_on = S(9);
}

#define BOOKING_COLS                                                                               \
	"b.id, b.slot_id, b.day_id, b.user_id, b.topic, b.status, b.created_at, (SELECT "          \
	"display_name FROM users WHERE id = b.user_id), (SELECT starts FROM reception_slots "      \
	"WHERE "                                                                                   \
	"id = b.slot_id), (SELECT held_on FROM reception_days WHERE id = b.day_id)"

enum db_result reception_bookings_insert(struct db *db, struct reception_booking_row *b)
{
	enum db_result r = party_exec(
	    db,
	    "INSERT INTO reception_bookings(slot_id, day_id, user_id, topic, status, created_at, "
	    "updated_at) VALUES (?, ?, ?, ?, 'booked', ?, ?)",
	    "iiitii", b->slot_id, b->day_id, b->user_id, b->topic, b->created_at, b->created_at);
	if (r == DB_OK)
		b->id = db_last_id(db);
	return r;
}

enum db_result reception_bookings_get(struct db *db, struct arena *a, int64_t id,
                                      struct reception_booking_row *out)
{
	return get_one(db, a, "SELECT " BOOKING_COLS " FROM reception_bookings b WHERE b.id = ?",
	               id, booking_fill, out, sizeof(*out));
}

enum db_result reception_bookings_cancel(struct db *db, int64_t id, int64_t now)
{
	return party_exec(
	    db, "UPDATE reception_bookings SET status = 'cancelled', updated_at = ? WHERE id = ?",
	    "ii", now, id);
}

enum db_result reception_bookings_list(struct db *db, struct arena *a, int64_t day_id,
                                       int64_t user_id, struct reception_booking_row **rows,
                                       size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT " BOOKING_COLS " FROM reception_bookings b WHERE (?1 = 0 OR b.day_id = ?1) "
	        "AND (?2 = 0 OR b.user_id = ?2) ORDER BY b.id DESC LIMIT 500");
	if (!st)
		return DB_ERROR;
	party_bind(st, "ii", day_id, user_id);
	return rows_collect_max(st, a, booking_fill, sizeof(**rows), -1, (void **)rows, n);
}

/* ---- grid service team ---- */

#define TEAM_COLS                                                                                  \
	"t.id, coalesce(t.user_id, 0), coalesce(t.cadre_id, 0), coalesce(t.building_id, 0), "      \
	"t.region_code, t.name, t.started_on, (SELECT name FROM buildings WHERE id = "             \
	"t.building_id), t.role, t.full_time, t.status, t.created_at, t.updated_at"

static void team_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct team_member_row *t = p;
	t->id = db_col_int(st, 0);
	t->user_id = db_col_int(st, 1);
	t->cadre_id = db_col_int(st, 2);
	t->building_id = db_col_int(st, 3);
	t->region_code = S(4);
	t->name = S(5);
	t->started_on = S(6);
	t->building_name = S(7);
	enum team_role r = TEAM_GRID_WORKER;
	team_role_parse(db_col_text(st, 8), &r);
	t->role = r;
	t->full_time = db_col_int(st, 9) != 0;
	t->active = strcmp(db_col_text(st, 10), "active") == 0;
	t->created_at = db_col_int(st, 11);
	t->updated_at = db_col_int(st, 12);
}

enum db_result team_insert(struct db *db, struct team_member_row *t)
{
	enum db_result r = party_exec(
	    db,
	    "INSERT INTO grid_team_members(region_code, role, name, user_id, cadre_id, "
	    "building_id, full_time, started_on, status, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)",
	    "tttnn"
	    "nit"
	    "ii",
	    t->region_code, team_role_code(t->role), t->name, t->user_id, t->cadre_id,
	    t->building_id, (int64_t)t->full_time, t->started_on, t->created_at, t->updated_at);
	if (r == DB_OK)
		t->id = db_last_id(db);
	return r;
}

enum db_result team_get(struct db *db, struct arena *a, int64_t id, struct team_member_row *out)
{
	return get_one(db, a, "SELECT " TEAM_COLS " FROM grid_team_members t WHERE t.id = ?", id,
	               team_fill, out, sizeof(*out));
}

enum db_result team_end(struct db *db, int64_t id, int64_t now)
{
	return party_exec(
	    db, "UPDATE grid_team_members SET status = 'ended', updated_at = ? WHERE id = ?", "ii",
	    now, id);
}

enum db_result team_end_for_cadre(struct db *db, int64_t cadre_id, int64_t now)
{
	return party_exec(db,
	                  "UPDATE grid_team_members SET status = 'ended', updated_at = ? WHERE "
	                  "cadre_id = ? AND status = 'active'",
	                  "ii", now, cadre_id);
}

enum db_result team_list(struct db *db, struct arena *a, const char *region,
                         struct team_member_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT " TEAM_COLS " FROM grid_team_members t WHERE t.region_code >= ? AND "
	    "t.region_code < ? AND t.status = 'active' ORDER BY t.region_code, CASE t.role WHEN "
	    "'supervisor' THEN 0 WHEN 'grid_leader' THEN 1 WHEN 'grid_worker' THEN 2 ELSE 3 END, "
	    "t.id LIMIT 20000");
	if (!st)
		return DB_ERROR;
	party_bind(st, "tt", region, rows_prefix_end(a, region));
	return rows_collect_max(st, a, team_fill, sizeof(**rows), -1, (void **)rows, n);
}

static void tgrid_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct team_grid_row *g = p;
	g->code = S(0);
	g->name = S(1);
	g->supervisors = db_col_int(st, 2);
	g->leaders = db_col_int(st, 3);
	g->workers = db_col_int(st, 4);
	g->buildings = db_col_int(st, 5);
	g->buildings_led = db_col_int(st, 6);
}

enum db_result team_grids(struct db *db, struct arena *a, const char *region,
                          struct team_grid_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT r.code, r.name, "
	        "(SELECT count(*) FROM grid_team_members t WHERE t.region_code = r.code AND "
	        "t.role = 'supervisor' AND t.status = 'active'), "
	        "(SELECT count(*) FROM grid_team_members t WHERE t.region_code = r.code AND "
	        "t.role = 'grid_leader' AND t.status = 'active'), "
	        "(SELECT count(*) FROM grid_team_members t WHERE t.region_code = r.code AND "
	        "t.role = 'grid_worker' AND t.status = 'active'), "
	        "(SELECT count(*) FROM buildings b WHERE b.region_code = r.code), "
	        "(SELECT count(*) FROM buildings b WHERE b.region_code = r.code AND EXISTS (SELECT "
	        "1 FROM grid_team_members t WHERE t.building_id = b.id AND t.role = "
	        "'building_leader' AND t.status = 'active')) "
	        "FROM regions r WHERE r.level = 3 AND r.status = 'active' AND r.code >= ? AND "
	        "r.code < ? ORDER BY r.code");
	if (!st)
		return DB_ERROR;
	party_bind(st, "tt", region, rows_prefix_end(a, region));
	return rows_collect_max(st, a, tgrid_fill, sizeof(**rows), -1, (void **)rows, n);
}
