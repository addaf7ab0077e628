/* Party organisations, members, 党员中心户 and the counts of the structure and coverage
 * reports. Region filters are code-prefix ranges [prefix, prefix + ';'), which the
 * (region_code, …) indexes serve; trees are walked with recursive queries. */
#include "store/party/party.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store/rows.h"

static void bind_va(struct db_stmt *st, const char *types, va_list ap)
{
	for (int i = 0; types && types[i]; i++) {
		switch (types[i]) {
		case 't':
			db_bind_text(st, i + 1, va_arg(ap, const char *));
			break;
		case 'i':
			db_bind_int(st, i + 1, va_arg(ap, int64_t));
			break;
		case 'n': {
			int64_t v = va_arg(ap, int64_t);
			if (v)
				db_bind_int(st, i + 1, v);
			else
				db_bind_null(st, i + 1);
			break;
		}
		case 'd':
			db_bind_double(st, i + 1, va_arg(ap, double));
			break;
		default:
			break;
		}
	}
}

void party_bind(struct db_stmt *st, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	bind_va(st, types, ap);
	va_end(ap);
}

enum db_result party_exec(struct db *db, const char *sql, const char *types, ...)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return DB_ERROR;
	va_list ap;
	va_start(ap, types);
	bind_va(st, types, ap);
	va_end(ap);
	enum db_result r = db_step(st);
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

enum db_result party_count(struct db *db, int64_t *out, const char *sql, const char *types, ...)
{
	*out = 0;
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return DB_ERROR;
	va_list ap;
	va_start(ap, types);
	bind_va(st, types, ap);
	va_end(ap);
	enum db_result r = db_step(st);
	if (r == DB_ROW && !db_col_null(st, 0))
		*out = db_col_int(st, 0);
	db_done(st);
	return r == DB_ROW || r == DB_DONE ? DB_OK : r;
}

/* ---- organisations ---- */

#define ORG_COLS                                                                                   \
	"o.id, o.name, o.kind, coalesce(o.parent_id, 0), o.region_code, "                          \
	"coalesce(o.building_id, 0), o.unit, o.secretary, o.note, o.status, o.created_at, "        \
	"o.updated_at, (SELECT p.name FROM party_orgs p WHERE p.id = o.parent_id), "               \
	"(SELECT r.name FROM regions r WHERE r.code = o.region_code), "                            \
	"(SELECT b.name FROM buildings b WHERE b.id = o.building_id), "                            \
	"(SELECT count(*) FROM party_orgs c WHERE c.parent_id = o.id AND c.status = 'active'), "   \
	"(SELECT count(*) FROM party_members m WHERE m.org_id = o.id AND "                         \
	"m.status != 'transferred_out') + (SELECT count(*) FROM party_memberships s JOIN "         \
	"party_members m ON m.id = s.member_id WHERE s.org_id = o.id AND "                         \
	"m.status != 'transferred_out') + (SELECT count(*) FROM party_members m WHERE "            \
	"m.group_id = o.id AND m.status != 'transferred_out')"

static void org_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_org_row *o = p;
	o->id = db_col_int(st, 0);
	o->name = rows_str(st, a, 1);
	enum party_kind k = PARTY_BRANCH;
	party_kind_parse(db_col_text(st, 2), &k);
	o->kind = k;
	o->parent_id = db_col_int(st, 3);
	o->region_code = rows_str(st, a, 4);
	o->building_id = db_col_int(st, 5);
	o->unit = rows_str(st, a, 6);
	o->secretary = rows_str(st, a, 7);
	o->note = rows_str(st, a, 8);
	o->active = strcmp(db_col_text(st, 9), "active") == 0;
	o->created_at = db_col_int(st, 10);
	o->updated_at = db_col_int(st, 11);
	o->parent_name = rows_str(st, a, 12);
	o->region_name = rows_str(st, a, 13);
	o->building_name = rows_str(st, a, 14);
	o->child_count = db_col_int(st, 15);
	o->member_count = db_col_int(st, 16);
}

enum db_result party_orgs_insert(struct db *db, struct party_org_row *o)
{
	enum db_result r = party_exec(
	    db,
	    "INSERT INTO party_orgs(name, kind, parent_id, region_code, building_id, unit, "
	    "secretary, note, status, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "ttntntttt"
	    "ii",
	    o->name, party_kind_code(o->kind), o->parent_id, o->region_code, o->building_id,
	    o->unit, o->secretary, o->note, o->active ? "active" : "dissolved", o->created_at,
	    o->updated_at);
	if (r == DB_OK)
		o->id = db_last_id(db);
	return r;
}

enum db_result party_orgs_get(struct db *db, struct arena *a, int64_t id, struct party_org_row *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " ORG_COLS " FROM party_orgs o WHERE o.id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_result r = db_step(st);
	if (r == DB_ROW) {
		memset(out, 0, sizeof(*out));
		org_fill(st, a, out);
	}
	db_done(st);
	return r;
}

enum db_result party_orgs_update(struct db *db, const struct party_org_row *o)
{
	return party_exec(
	    db,
	    "UPDATE party_orgs SET name = ?, kind = ?, parent_id = ?, region_code = ?, "
	    "building_id = ?, unit = ?, secretary = ?, note = ?, status = ?, "
	    "updated_at = ? WHERE id = ?",
	    "ttntntttti"
	    "i",
	    o->name, party_kind_code(o->kind), o->parent_id, o->region_code, o->building_id,
	    o->unit, o->secretary, o->note, o->active ? "active" : "dissolved", o->updated_at,
	    o->id);
}

enum db_result party_orgs_list(struct db *db, struct arena *a, const struct party_org_filter *f,
                               struct party_org_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT " ORG_COLS " FROM party_orgs o WHERE o.region_code >= ?1 AND "
	        "o.region_code < ?2 AND (?3 = 0 OR o.parent_id = ?3) AND (?4 = 0 OR "
	        "o.parent_id IS NULL OR NOT EXISTS (SELECT 1 FROM party_orgs p WHERE "
	        "p.id = o.parent_id AND p.region_code >= ?1 AND p.region_code < ?2)) AND "
	        "(?5 IS NULL OR o.kind = ?5) AND (?6 IS NULL OR o.unit = ?6) AND "
	        "(?7 = 1 OR o.status = 'active') AND o.id > ?8 ORDER BY o.id LIMIT ?9");
	if (!st)
		return DB_ERROR;
	const char *region = f->region ? f->region : "";
	party_bind(st,
	           "ttiitt"
	           "iii",
	           region, rows_prefix_end(a, region), f->parent_id, (int64_t)f->roots,
	           f->kind >= 0 ? party_kind_code((enum party_kind)f->kind) : NULL, f->unit,
	           (int64_t)f->dissolved, f->after_id, (int64_t)f->limit);
	return rows_collect_max(st, a, org_fill, sizeof(**rows), f->limit, (void **)rows, n);
}

enum db_result party_orgs_at(struct db *db, struct arena *a, const char *region,
                             struct party_org_row **rows, size_t *n)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " ORG_COLS " FROM party_orgs o WHERE o.region_code = ? AND "
	                   "o.status = 'active' ORDER BY o.id LIMIT 500");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, region);
	return rows_collect_max(st, a, org_fill, sizeof(**rows), -1, (void **)rows, n);
}

enum db_result party_orgs_in_subtree(struct db *db, int64_t root, int64_t id, bool *within)
{
	int64_t c;
	enum db_result r = party_count(
	    db, &c,
	    "WITH RECURSIVE up(id, parent) AS (SELECT id, parent_id FROM party_orgs WHERE id = ?2 "
	    "UNION SELECT p.id, p.parent_id FROM party_orgs p JOIN up ON p.id = up.parent) "
	    "SELECT count(*) FROM up WHERE id = ?1",
	    "ii", root, id);
	*within = c > 0;
	return r;
}

#define SUBTREE_OF(param)                                                                          \
	"WITH RECURSIVE d(id) AS (SELECT " param " UNION SELECT o.id FROM party_orgs o JOIN d "    \
	"ON o.parent_id = d.id) "

enum db_result party_orgs_stranded(struct db *db, int64_t id, const char *old_region,
                                   const char *new_region, int64_t *count)
{
	char upper[32];
	snprintf(upper, sizeof upper, "%s;", new_region);
	return party_count(
	    db, count,
	    SUBTREE_OF("?1") "SELECT count(*) FROM party_orgs WHERE id IN d AND "
	                     "id != ?1 AND status = 'active' AND region_code != ?2 AND "
	                     "NOT (region_code >= ?3 AND region_code < ?4)",
	    "ittt", id, old_region, new_region, upper);
}

enum db_result party_orgs_building_groups(struct db *db, int64_t id, const char *old_region,
                                          int64_t *count)
{
	return party_count(db, count,
	                   SUBTREE_OF("?1") "SELECT count(*) FROM party_orgs WHERE id IN d AND "
	                                    "id != ?1 AND region_code = ?2 AND building_id IS NOT "
	                                    "NULL",
	                   "it", id, old_region);
}

enum db_result party_orgs_building_taken(struct db *db, int64_t building_id, int64_t self_id,
                                         int64_t *count)
{
	return party_count(db, count,
	                   "SELECT count(*) FROM party_orgs WHERE building_id = ? AND id != ? AND "
	                   "kind = 'group' AND status = 'active'",
	                   "ii", building_id, self_id);
}

enum db_result party_orgs_reanchor(struct db *db, int64_t id, const char *old_region,
                                   const char *new_region, int64_t now)
{
	enum db_result r = party_exec(
	    db,
	    "UPDATE party_orgs SET region_code = ?3, updated_at = ?4 WHERE region_code = ?2 AND "
	    "id IN (" SUBTREE_OF("?1") "SELECT id FROM d)",
	    "itti", id, old_region, new_region, now);
	if (r != DB_OK)
		return r;
	return party_exec(db,
	                  "UPDATE party_members SET region_code = (SELECT o.region_code FROM "
	                  "party_orgs o WHERE o.id = party_members.org_id), updated_at = ?2 WHERE "
	                  "org_id IN (" SUBTREE_OF("?1") "SELECT id FROM d)",
	                  "ii", id, now);
}

static void event_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_event_row *e = p;
	e->id = db_col_int(st, 0);
	e->ref_id = db_col_int(st, 1);
	e->at = db_col_int(st, 2);
	e->actor_id = db_col_int(st, 3);
	e->actor = rows_str(st, a, 4);
	e->action = rows_str(st, a, 5);
	e->from_ref = db_col_int(st, 6);
	e->to_ref = db_col_int(st, 7);
	e->from_region = rows_str(st, a, 8);
	e->to_region = rows_str(st, a, 9);
	e->from_status = rows_str(st, a, 10);
	e->to_status = rows_str(st, a, 11);
	e->detail = rows_str(st, a, 12);
}

enum db_result party_org_events_add(struct db *db, const struct party_event_row *e)
{
	return party_exec(db,
	                  "INSERT INTO party_org_events(org_id, at, actor_id, actor, action, "
	                  "from_parent, to_parent, from_region, to_region, detail) "
	                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                  "iintt"
	                  "nnttt",
	                  e->ref_id, e->at, e->actor_id, e->actor, e->action, e->from_ref,
	                  e->to_ref, e->from_region, e->to_region, e->detail);
}

enum db_result party_org_events_list(struct db *db, struct arena *a, int64_t org_id,
                                     struct party_event_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT id, org_id, at, coalesce(actor_id, 0), actor, action, "
	        "coalesce(from_parent, 0), coalesce(to_parent, 0), from_region, to_region, NULL, "
	        "NULL, detail FROM party_org_events WHERE org_id = ? ORDER BY id LIMIT 1000");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, org_id);
	return rows_collect_max(st, a, event_fill, sizeof(**rows), -1, (void **)rows, n);
}

/* ---- members ---- */

#define MEMBER_COLS                                                                                \
	"m.id, m.name, coalesce(m.resident_id, 0), coalesce(m.user_id, 0), m.org_id, "             \
	"coalesce(m.group_id, 0), m.region_code, m.status, m.joined_on, m.transferred_in, "        \
	"m.note, m.created_at, m.updated_at, (SELECT o.name FROM party_orgs o WHERE o.id = "       \
	"m.org_id), (SELECT o.name FROM party_orgs o WHERE o.id = m.group_id)"

static void member_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_member_row *m = p;
	m->id = db_col_int(st, 0);
	m->name = rows_str(st, a, 1);
	m->resident_id = db_col_int(st, 2);
	m->user_id = db_col_int(st, 3);
	m->org_id = db_col_int(st, 4);
	m->group_id = db_col_int(st, 5);
	m->region_code = rows_str(st, a, 6);
	enum party_member_status s = MEMBER_FULL;
	party_member_status_parse(db_col_text(st, 7), &s);
	m->status = s;
	m->joined_on = rows_str(st, a, 8);
	m->transferred_in = db_col_int(st, 9) != 0;
	m->note = rows_str(st, a, 10);
	m->created_at = db_col_int(st, 11);
	m->updated_at = db_col_int(st, 12);
	m->org_name = rows_str(st, a, 13);
	m->group_name = rows_str(st, a, 14);
}

enum db_result party_members_insert(struct db *db, struct party_member_row *m)
{
	enum db_result r = party_exec(
	    db,
	    "INSERT INTO party_members(name, resident_id, user_id, org_id, group_id, region_code, "
	    "status, joined_on, transferred_in, note, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "tnnin"
	    "tttit"
	    "ii",
	    m->name, m->resident_id, m->user_id, m->org_id, m->group_id, m->region_code,
	    party_member_status_code(m->status), m->joined_on, (int64_t)m->transferred_in, m->note,
	    m->created_at, m->updated_at);
	if (r == DB_OK)
		m->id = db_last_id(db);
	return r;
}

enum db_result party_members_get(struct db *db, struct arena *a, int64_t id,
                                 struct party_member_row *out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " MEMBER_COLS " FROM party_members m WHERE m.id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_result r = db_step(st);
	if (r == DB_ROW) {
		memset(out, 0, sizeof(*out));
		member_fill(st, a, out);
	}
	db_done(st);
	return r;
}

enum db_result party_members_update(struct db *db, const struct party_member_row *m)
{
	return party_exec(
	    db,
	    "UPDATE party_members SET name = ?, org_id = ?, group_id = ?, "
	    "region_code = ?, status = ?, joined_on = ?, transferred_in = ?, note = ?, "
	    "updated_at = ? WHERE id = ?",
	    "tintt"
	    "titii",
	    m->name, m->org_id, m->group_id, m->region_code, party_member_status_code(m->status),
	    m->joined_on, (int64_t)m->transferred_in, m->note, m->updated_at, m->id);
}

/* The members a party_member_filter selects, after ?6 in id order, at most ?7. */
#define MEMBER_WHERE                                                                               \
	"((m.region_code >= ?1 AND m.region_code < ?2) OR EXISTS (SELECT 1 FROM "                  \
	"party_memberships s JOIN party_orgs o ON o.id = s.org_id WHERE s.member_id = m.id AND "   \
	"o.region_code >= ?1 AND o.region_code < ?2)) AND (?3 = 0 OR m.org_id = ?3 OR EXISTS "     \
	"(SELECT 1 FROM party_memberships s WHERE s.member_id = m.id AND s.org_id = ?3)) AND "     \
	"(?4 IS NULL OR m.status = ?4) AND (?5 IS NULL OR instr(m.name, ?5) > 0) AND m.id > ?6 "   \
	"AND (?8 = 0 OR m.group_id = ?8) ORDER BY m.id LIMIT ?7"

static void member_filter_bind(struct db_stmt *st, struct arena *a,
                               const struct party_member_filter *f)
{
	const char *region = f->region ? f->region : "";
	party_bind(st,
	           "ttitt"
	           "iii",
	           region, rows_prefix_end(a, region), f->org_id,
	           f->status >= 0 ? party_member_status_code((enum party_member_status)f->status)
	                          : NULL,
	           f->q, f->after_id, (int64_t)f->limit, f->group_id);
}

enum db_result party_members_list(struct db *db, struct arena *a,
                                  const struct party_member_filter *f,
                                  struct party_member_row **rows, size_t *n)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " MEMBER_COLS " FROM party_members m WHERE " MEMBER_WHERE);
	if (!st)
		return DB_ERROR;
	member_filter_bind(st, a, f);
	return rows_collect_max(st, a, member_fill, sizeof(**rows), f->limit, (void **)rows, n);
}

static void roster_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_roster_row *r = p;
	member_fill(st, a, &r->m);
	enum party_kind k = PARTY_BRANCH;
	party_kind_parse(db_col_text(st, 15), &k);
	r->org_kind = k;
	r->region_name = rows_str(st, a, 16);
	r->gender = rows_str(st, a, 17);
	r->functional = rows_str(st, a, 18);
	r->center = db_col_int(st, 19) != 0;
}

enum db_result party_members_roster(struct db *db, struct arena *a,
                                    const struct party_member_filter *f,
                                    struct party_roster_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT " MEMBER_COLS ", (SELECT o.kind FROM party_orgs o WHERE o.id = m.org_id), "
	        "(SELECT g.name FROM regions g WHERE g.code = m.region_code), "
	        "(SELECT r.gender FROM residents r WHERE r.id = m.resident_id), "
	        "(SELECT group_concat(x.name, '、') FROM (SELECT o.name FROM party_memberships s "
	        "JOIN party_orgs o ON o.id = s.org_id WHERE s.member_id = m.id ORDER BY s.org_id) "
	        "x), EXISTS (SELECT 1 FROM party_centers c WHERE c.member_id = m.id AND c.status "
	        "= 'active') FROM party_members m WHERE " MEMBER_WHERE);
	if (!st)
		return DB_ERROR;
	member_filter_bind(st, a, f);
	return rows_collect_max(st, a, roster_fill, sizeof(**rows), f->limit, (void **)rows, n);
}

enum db_result party_members_count_primary(struct db *db, int64_t org_id, int64_t *n)
{
	return party_count(db, n,
	                   "SELECT count(*) FROM party_members WHERE org_id = ? AND "
	                   "status != 'transferred_out'",
	                   "i", org_id);
}

enum db_result party_members_count_held(struct db *db, int64_t org_id, int64_t *n)
{
	/* A 党小组 holds no primary memberships: its members name it in group_id. */
	return party_count(
	    db, n,
	    "SELECT count(*) FROM party_members WHERE (org_id = ?1 OR group_id = ?1) "
	    "AND status != 'transferred_out'",
	    "i", org_id);
}

enum db_result party_memberships_add(struct db *db, int64_t member_id, int64_t org_id, int64_t now)
{
	return party_exec(db,
	                  "INSERT INTO party_memberships(member_id, org_id, joined_at) "
	                  "VALUES (?, ?, ?)",
	                  "iii", member_id, org_id, now);
}

enum db_result party_memberships_remove(struct db *db, int64_t member_id, int64_t org_id)
{
	enum db_result r =
	    party_exec(db, "DELETE FROM party_memberships WHERE member_id = ? AND org_id = ?", "ii",
	               member_id, org_id);
	if (r == DB_OK && db_changes(db) == 0)
		return DB_DONE;
	return r;
}

static void membership_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_membership_row *m = p;
	m->org_id = db_col_int(st, 0);
	m->joined_at = db_col_int(st, 1);
	m->org_name = rows_str(st, a, 2);
	m->region_code = rows_str(st, a, 3);
	enum party_kind k = PARTY_FUNCTIONAL_SINKING;
	party_kind_parse(db_col_text(st, 4), &k);
	m->kind = k;
}

enum db_result party_memberships_list(struct db *db, struct arena *a, int64_t member_id,
                                      struct party_membership_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT s.org_id, s.joined_at, o.name, o.region_code, o.kind FROM "
	        "party_memberships s JOIN party_orgs o ON o.id = s.org_id WHERE s.member_id = ? "
	        "ORDER BY s.org_id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, member_id);
	return rows_collect_max(st, a, membership_fill, sizeof(**rows), -1, (void **)rows, n);
}

enum db_result party_member_events_add(struct db *db, const struct party_event_row *e)
{
	return party_exec(db,
	                  "INSERT INTO party_member_events(member_id, at, actor_id, actor, action, "
	                  "from_org, to_org, from_status, to_status, detail) "
	                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                  "iintt"
	                  "nnttt",
	                  e->ref_id, e->at, e->actor_id, e->actor, e->action, e->from_ref,
	                  e->to_ref, e->from_status, e->to_status, e->detail);
}

enum db_result party_member_events_list(struct db *db, struct arena *a, int64_t member_id,
                                        struct party_event_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT id, member_id, at, coalesce(actor_id, 0), actor, action, "
	        "coalesce(from_org, 0), coalesce(to_org, 0), NULL, NULL, from_status, to_status, "
	        "detail FROM party_member_events WHERE member_id = ? ORDER BY id LIMIT 1000");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, member_id);
	return rows_collect_max(st, a, event_fill, sizeof(**rows), -1, (void **)rows, n);
}

/* ---- base data ---- */

static enum db_result base_ref(struct db *db, struct arena *a, const char *sql, int64_t id,
                               struct party_base_ref *out)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_result r = db_step(st);
	if (r == DB_ROW) {
		memset(out, 0, sizeof(*out));
		out->id = id;
		out->region_code = rows_str(st, a, 0);
		out->name = rows_str(st, a, 1);
		out->household_id = db_col_int(st, 2);
		out->building_id = db_col_int(st, 3);
	}
	db_done(st);
	return r;
}

enum db_result party_resident_ref(struct db *db, struct arena *a, int64_t id,
                                  struct party_base_ref *out)
{
	return base_ref(db, a,
	                "SELECT region_code, name, coalesce(household_id, 0), 0 FROM residents "
	                "WHERE id = ? AND status = 'active'",
	                id, out);
}

enum db_result party_household_ref(struct db *db, struct arena *a, int64_t id,
                                   struct party_base_ref *out)
{
	return base_ref(db, a,
	                "SELECT h.region_code, coalesce(h.number, (SELECT r.name FROM residents r "
	                "WHERE r.id = h.head_id)), h.id, coalesce((SELECT building_id FROM houses "
	                "WHERE id = h.house_id), 0) FROM households h WHERE h.id = ?",
	                id, out);
}

enum db_result party_building_ref(struct db *db, struct arena *a, int64_t id,
                                  struct party_base_ref *out)
{
	return base_ref(db, a, "SELECT region_code, name, 0, id FROM buildings WHERE id = ?", id,
	                out);
}

/* ---- 党员中心户 ---- */

#define CENTER_COLS                                                                                \
	"c.id, c.member_id, c.household_id, coalesce(c.org_id, 0), c.region_code, "                \
	"(SELECT m.name FROM party_members m WHERE m.id = c.member_id), c.note, c.status, "        \
	"(SELECT count(*) FROM party_center_links l WHERE l.center_id = c.id), c.created_at, "     \
	"c.updated_at"

static void center_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_center_row *c = p;
	c->id = db_col_int(st, 0);
	c->member_id = db_col_int(st, 1);
	c->household_id = db_col_int(st, 2);
	c->org_id = db_col_int(st, 3);
	c->region_code = rows_str(st, a, 4);
	c->member_name = rows_str(st, a, 5);
	c->note = rows_str(st, a, 6);
	c->active = strcmp(db_col_text(st, 7), "active") == 0;
	c->link_count = db_col_int(st, 8);
	c->created_at = db_col_int(st, 9);
	c->updated_at = db_col_int(st, 10);
}

enum db_result party_centers_insert(struct db *db, struct party_center_row *c)
{
	enum db_result r =
	    party_exec(db,
	               "INSERT INTO party_centers(member_id, household_id, region_code, org_id, "
	               "note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	               "iitnt"
	               "ii",
	               c->member_id, c->household_id, c->region_code, c->org_id, c->note,
	               c->created_at, c->updated_at);
	if (r == DB_OK)
		c->id = db_last_id(db);
	return r;
}

enum db_result party_centers_get(struct db *db, struct arena *a, int64_t id,
                                 struct party_center_row *out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " CENTER_COLS " FROM party_centers c WHERE c.id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_result r = db_step(st);
	if (r == DB_ROW) {
		memset(out, 0, sizeof(*out));
		center_fill(st, a, out);
	}
	db_done(st);
	return r;
}

enum db_result party_centers_list(struct db *db, struct arena *a, const char *region,
                                  int64_t after_id, int limit, struct party_center_row **rows,
                                  size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT " CENTER_COLS " FROM party_centers c WHERE c.region_code >= ? AND "
	        "c.region_code < ? AND c.status = 'active' AND c.id > ? ORDER BY c.id LIMIT ?");
	if (!st)
		return DB_ERROR;
	party_bind(st, "ttii", region, rows_prefix_end(a, region), after_id, (int64_t)limit);
	return rows_collect_max(st, a, center_fill, sizeof(**rows), limit, (void **)rows, n);
}

enum db_result party_centers_end(struct db *db, int64_t id, int64_t now)
{
	enum db_result r =
	    party_exec(db, "DELETE FROM party_center_links WHERE center_id = ?", "i", id);
	if (r != DB_OK)
		return r;
	return party_exec(db,
	                  "UPDATE party_centers SET status = 'ended', updated_at = ? WHERE id = ?",
	                  "ii", now, id);
}

enum db_result party_center_links_add(struct db *db, int64_t center_id, int64_t household_id)
{
	return party_exec(db,
	                  "INSERT INTO party_center_links(center_id, household_id) VALUES (?, ?)",
	                  "ii", center_id, household_id);
}

enum db_result party_center_links_remove(struct db *db, int64_t center_id, int64_t household_id)
{
	enum db_result r = party_exec(
	    db, "DELETE FROM party_center_links WHERE center_id = ? AND household_id = ?", "ii",
	    center_id, household_id);
	if (r == DB_OK && db_changes(db) == 0)
		return DB_DONE;
	return r;
}

static void id_fill(struct db_stmt *st, struct arena *a, void *p)
{
	(void)a;
	*(int64_t *)p = db_col_int(st, 0);
}

enum db_result party_center_links_list(struct db *db, struct arena *a, int64_t center_id,
                                       int64_t **ids, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT household_id FROM party_center_links WHERE "
	                                    "center_id = ? ORDER BY household_id LIMIT 2000");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, center_id);
	return rows_collect_max(st, a, id_fill, sizeof(**ids), -1, (void **)ids, n);
}

enum db_result party_household_covered(struct db *db, int64_t household_id, bool *covered)
{
	int64_t c;
	enum db_result r =
	    party_count(db, &c,
	                "SELECT (SELECT count(*) FROM party_centers WHERE household_id = ?1 AND "
	                "status = 'active') + (SELECT count(*) FROM party_center_links WHERE "
	                "household_id = ?1)",
	                "i", household_id);
	*covered = c > 0;
	return r;
}

/* ---- reports ---- */

static void coverage_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_coverage_row *c = p;
	c->region_code = rows_str(st, a, 0);
	c->households = db_col_int(st, 1);
	c->covered = db_col_int(st, 2);
	c->centers = db_col_int(st, 3);
}

enum db_result party_coverage(struct db *db, struct arena *a, const char *region, int group_len,
                              struct party_coverage_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "WITH hh AS (SELECT substr(h.region_code, 1, ?3) AS g, h.id AS id FROM households h "
	    "WHERE h.region_code >= ?1 AND h.region_code < ?2), "
	    "cov AS (SELECT household_id AS id FROM party_centers WHERE status = 'active' UNION "
	    "SELECT l.household_id FROM party_center_links l JOIN party_centers c ON "
	    "c.id = l.center_id AND c.status = 'active'), "
	    "cen AS (SELECT substr(region_code, 1, ?3) AS g, count(*) AS n FROM party_centers "
	    "WHERE "
	    "status = 'active' AND region_code >= ?1 AND region_code < ?2 GROUP BY 1), "
	    "agg AS (SELECT hh.g AS g, count(*) AS total, count(cov.id) AS covered FROM hh LEFT "
	    "JOIN cov ON cov.id = hh.id GROUP BY hh.g) "
	    "SELECT g, total, covered, coalesce((SELECT n FROM cen WHERE cen.g = agg.g), 0) FROM "
	    "agg "
	    "UNION ALL SELECT g, 0, 0, n FROM cen WHERE g NOT IN (SELECT g FROM agg) ORDER BY 1");
	if (!st)
		return DB_ERROR;
	party_bind(st, "tti", region, rows_prefix_end(a, region), (int64_t)group_len);
	return rows_collect_max(st, a, coverage_fill, sizeof(**rows), -1, (void **)rows, n);
}

static void grid_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_grid_row *g = p;
	g->code = rows_str(st, a, 0);
	g->name = rows_str(st, a, 1);
	g->branches = db_col_int(st, 2);
}

enum db_result party_regions_under(struct db *db, struct arena *a, const char *prefix, int level,
                                   struct party_grid_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT code, name, 0 FROM regions WHERE code >= ? AND "
	                                    "code < ? AND level = ? AND status = 'active' ORDER BY "
	                                    "code LIMIT 5000");
	if (!st)
		return DB_ERROR;
	party_bind(st, "tti", prefix, rows_prefix_end(a, prefix), (int64_t)level);
	return rows_collect_max(st, a, grid_fill, sizeof(**rows), -1, (void **)rows, n);
}

enum db_result party_grid_branches(struct db *db, struct arena *a, const char *community,
                                   struct party_grid_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT r.code, r.name, (SELECT count(*) FROM party_orgs o WHERE o.region_code = "
	        "r.code AND o.kind = 'grid_branch' AND o.status = 'active') FROM regions r WHERE "
	        "r.parent_code = ? AND r.status = 'active' ORDER BY r.code");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, community);
	return rows_collect_max(st, a, grid_fill, sizeof(**rows), -1, (void **)rows, n);
}

static void building_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_building_row *b = p;
	b->id = db_col_int(st, 0);
	b->name = rows_str(st, a, 1);
	b->region_code = rows_str(st, a, 2);
	b->groups = db_col_int(st, 3);
	b->leaders = db_col_int(st, 4);
}

enum db_result party_buildings(struct db *db, struct arena *a, const char *region,
                               struct party_building_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT b.id, b.name, b.region_code, (SELECT count(*) FROM party_orgs o WHERE "
	        "o.building_id = b.id AND o.kind = 'group' AND o.status = 'active'), (SELECT "
	        "count(*) FROM grid_team_members t WHERE t.building_id = b.id AND t.role = "
	        "'building_leader' AND t.status = 'active') FROM buildings b JOIN regions r ON "
	        "r.code = b.region_code AND r.status = 'active' WHERE b.region_code >= ? AND "
	        "b.region_code < ? ORDER BY b.region_code, b.id");
	if (!st)
		return DB_ERROR;
	party_bind(st, "tt", region, rows_prefix_end(a, region));
	return rows_collect_max(st, a, building_fill, sizeof(**rows), -1, (void **)rows, n);
}

enum db_result party_centers_count(struct db *db, const char *region, int64_t *n)
{
	char upper[32];
	snprintf(upper, sizeof upper, "%s;", region);
	return party_count(db, n,
	                   "SELECT count(*) FROM party_centers WHERE status = 'active' AND "
	                   "region_code >= ? AND region_code < ?",
	                   "tt", region, upper);
}

static void functional_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_functional_row *f = p;
	f->region_code = rows_str(st, a, 0);
	f->sinking = db_col_int(st, 1);
	f->social = db_col_int(st, 2);
	f->members = db_col_int(st, 3);
}

#define FUNCTIONAL_MEMBERS                                                                         \
	"fm AS (SELECT s.member_id AS member_id, s.org_id AS org_id FROM party_memberships s "     \
	"UNION SELECT m.id, m.org_id FROM party_members m), "                                      \
	"fo AS (SELECT id, kind, region_code FROM party_orgs WHERE status = 'active' AND kind IN " \
	"('functional_sinking', 'functional_social') AND region_code >= ?1 AND region_code < "     \
	"?2), "                                                                                    \
	"fmm AS (SELECT substr(fo.region_code, 1, ?3) AS g, fm.member_id AS member_id FROM fm "    \
	"JOIN fo ON fo.id = fm.org_id JOIN party_members m ON m.id = fm.member_id AND "            \
	"m.status != 'transferred_out') "

enum db_result party_functional_counts(struct db *db, struct arena *a, const char *region,
                                       int group_len, struct party_functional_row **rows, size_t *n,
                                       int64_t *total_members)
{
	const char *upper = rows_prefix_end(a, region);
	struct db_stmt *st = db_prepare(
	    db, "WITH " FUNCTIONAL_MEMBERS
	        "SELECT substr(fo.region_code, 1, ?3) AS g, sum(fo.kind = 'functional_sinking'), "
	        "sum(fo.kind = 'functional_social'), (SELECT count(DISTINCT member_id) FROM fmm "
	        "WHERE fmm.g = substr(fo.region_code, 1, ?3)) FROM fo GROUP BY g ORDER BY g");
	if (!st)
		return DB_ERROR;
	party_bind(st, "tti", region, upper, (int64_t)group_len);
	enum db_result r =
	    rows_collect_max(st, a, functional_fill, sizeof(**rows), -1, (void **)rows, n);
	if (r != DB_OK)
		return r;
	return party_count(db, total_members,
	                   "WITH " FUNCTIONAL_MEMBERS "SELECT count(DISTINCT member_id) FROM fmm",
	                   "tti", region, upper, (int64_t)group_len);
}
