/* Party members, their memberships of further organisations, and their events. */
#include "store/party/party.h"
#include "store/party/party_rows.h"

#include <string.h>

#include "store/dialect.h"
#include "store/stmt.h"

/* ---- members ---- */

void party_event_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_event_row *e = p;
	e->id = db_col_int(st, 0);
	e->ref_id = db_col_int(st, 1);
	e->at = db_col_int(st, 2);
	e->actor_id = db_col_int(st, 3);
	e->actor = sql_str(st, a, 4);
	e->action = sql_str(st, a, 5);
	e->from_ref = db_col_int(st, 6);
	e->to_ref = db_col_int(st, 7);
	e->from_region = sql_str(st, a, 8);
	e->to_region = sql_str(st, a, 9);
	e->from_status = sql_str(st, a, 10);
	e->to_status = sql_str(st, a, 11);
	e->detail = sql_str(st, a, 12);
}

#define MEMBER_COLS                                                                                \
	"m.id, m.name, coalesce(m.resident_id, 0), coalesce(m.user_id, 0), m.org_id, "             \
	"coalesce(m.group_id, 0), m.region_code, m.status, m.joined_on, m.transferred_in, "        \
	"m.note, m.created_at, m.updated_at, (SELECT o.name FROM party_orgs o WHERE o.id = "       \
	"m.org_id), (SELECT o.name FROM party_orgs o WHERE o.id = m.group_id)"

static void member_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_member_row *m = p;
	memset(m, 0, sizeof *m); /* sql_one does not zero the row */
	m->id = db_col_int(st, 0);
	m->name = sql_str(st, a, 1);
	m->resident_id = db_col_int(st, 2);
	m->user_id = db_col_int(st, 3);
	m->org_id = db_col_int(st, 4);
	m->group_id = db_col_int(st, 5);
	m->region_code = sql_str(st, a, 6);
	enum party_member_status s = MEMBER_FULL;
	party_member_status_parse(db_col_text(st, 7), &s);
	m->status = s;
	m->joined_on = sql_str(st, a, 8);
	m->transferred_in = db_col_int(st, 9) != 0;
	m->note = sql_str(st, a, 10);
	m->created_at = db_col_int(st, 11);
	m->updated_at = db_col_int(st, 12);
	m->org_name = sql_str(st, a, 13);
	m->group_name = sql_str(st, a, 14);
}

enum db_result store_party_members_insert(struct db *db, struct party_member_row *m)
{
	return sql_insert(
	    db,
	    "INSERT INTO party_members(name, resident_id, user_id, org_id, group_id, region_code, "
	    "status, joined_on, transferred_in, note, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_TEXT(m->name), ARG_NONZERO(m->resident_id), ARG_NONZERO(m->user_id),
	         ARG_INT(m->org_id), ARG_NONZERO(m->group_id), ARG_TEXT(m->region_code),
	         ARG_TEXT(party_member_status_code(m->status)), ARG_TEXT(m->joined_on),
	         ARG_INT((int64_t)m->transferred_in), ARG_TEXT(m->note), ARG_INT(m->created_at),
	         ARG_INT(m->updated_at)),
	    &m->id);
}

enum db_result store_party_members_get(struct db *db, struct arena *a, int64_t id,
                                       struct party_member_row *out)
{
	return sql_one(db, a, "SELECT " MEMBER_COLS " FROM party_members m WHERE m.id = ?",
	               ARGS(ARG_INT(id)), member_read, out);
}

enum db_result store_party_members_update(struct db *db, const struct party_member_row *m)
{
	return sql_run(db,
	               "UPDATE party_members SET name = ?, org_id = ?, group_id = ?, "
	               "region_code = ?, status = ?, joined_on = ?, transferred_in = ?, note = ?, "
	               "updated_at = ? WHERE id = ?",
	               ARGS(ARG_TEXT(m->name), ARG_INT(m->org_id), ARG_NONZERO(m->group_id),
	                    ARG_TEXT(m->region_code), ARG_TEXT(party_member_status_code(m->status)),
	                    ARG_TEXT(m->joined_on), ARG_INT((int64_t)m->transferred_in),
	                    ARG_TEXT(m->note), ARG_INT(m->updated_at), ARG_INT(m->id)));
}

/* The members a party_member_filter selects, after ?6 in id order, at most ?7. */
#define MEMBER_WHERE                                                                               \
	"((m.region_code >= ?1 AND m.region_code < ?2) OR EXISTS (SELECT 1 FROM "                  \
	"party_memberships s JOIN party_orgs o ON o.id = s.org_id WHERE s.member_id = m.id AND "   \
	"o.region_code >= ?1 AND o.region_code < ?2)) AND (CAST(?3 AS BIGINT) = 0 OR m.org_id = "  \
	"?3 OR EXISTS "                                                                            \
	"(SELECT 1 FROM party_memberships s WHERE s.member_id = m.id AND s.org_id = ?3)) AND "     \
	"(CAST(?4 AS TEXT) IS NULL OR m.status = ?4) AND (CAST(?5 AS TEXT) IS NULL OR " SQL_INSTR( \
	    "m.name",                                                                              \
	    "?5") " > 0) AND m.id > ?6 "                                                           \
	          "AND (CAST(?8 AS BIGINT) = 0 OR m.group_id = ?8) ORDER BY m.id LIMIT ?7"

enum { MEMBER_ARGS = 8 };

/* The parameters of MEMBER_WHERE, ?1 to ?8. */
static void member_args(struct arena *a, const struct party_member_filter *f, struct sql_arg *out)
{
	const char *region = f->region ? f->region : "";
	const struct sql_arg args[MEMBER_ARGS] = {
	    ARG_TEXT(region),
	    ARG_TEXT(sql_prefix_end(a, region)),
	    ARG_INT(f->org_id),
	    ARG_TEXT(f->status >= 0 ? party_member_status_code((enum party_member_status)f->status)
	                            : NULL),
	    ARG_TEXT(f->q),
	    ARG_INT(f->after_id),
	    ARG_INT((int64_t)f->limit),
	    ARG_INT(f->group_id)};
	memcpy(out, args, sizeof args);
}

enum db_result store_party_members_list(struct db *db, struct arena *a,
                                        const struct party_member_filter *f,
                                        struct party_member_row **rows, size_t *n)
{
	struct sql_arg args[MEMBER_ARGS];
	member_args(a, f, args);
	return sql_all(db, a, "SELECT " MEMBER_COLS " FROM party_members m WHERE " MEMBER_WHERE,
	               args, MEMBER_ARGS, member_read, sizeof(**rows), f->limit, (void **)rows, n);
}

static void roster_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_roster_row *r = p;
	member_read(st, a, &r->m);
	enum party_kind k = PARTY_BRANCH;
	party_kind_parse(db_col_text(st, 15), &k);
	r->org_kind = k;
	r->region_name = sql_str(st, a, 16);
	r->gender = sql_str(st, a, 17);
	r->functional = sql_str(st, a, 18);
	r->center = db_col_int(st, 19) != 0;
}

enum db_result store_party_members_roster(struct db *db, struct arena *a,
                                          const struct party_member_filter *f,
                                          struct party_roster_row **rows, size_t *n)
{
	struct sql_arg args[MEMBER_ARGS];
	member_args(a, f, args);
	return sql_all(db, a,
	               "SELECT " MEMBER_COLS
	               ", (SELECT o.kind FROM party_orgs o WHERE o.id = m.org_id), "
	               "(SELECT g.name FROM regions g WHERE g.code = m.region_code), "
	               "(SELECT r.gender FROM residents r WHERE r.id = m.resident_id), "
	               "(SELECT " SQL_GROUP_CONCAT(
	                   "x.name", "'、'") " FROM (SELECT o.name FROM party_memberships s "
	                                     "JOIN party_orgs o ON o.id = s.org_id WHERE "
	                                     "s.member_id = m.id ORDER BY s.org_id) "
	                                     "x), EXISTS (SELECT 1 FROM party_centers c WHERE "
	                                     "c.member_id = m.id AND c.status "
	                                     "= 'active') FROM party_members m WHERE " MEMBER_WHERE,
	               args, MEMBER_ARGS, roster_read, sizeof(**rows), f->limit, (void **)rows, n);
}

enum db_result store_party_members_count_primary(struct db *db, int64_t org_id, int64_t *n)
{
	return sql_int(db,
	               "SELECT count(*) FROM party_members WHERE org_id = ? AND "
	               "status != 'transferred_out'",
	               ARGS(ARG_INT(org_id)), n);
}

enum db_result store_party_members_count_held(struct db *db, int64_t org_id, int64_t *n)
{
	/* A 党小组 holds no primary memberships: its members name it in group_id. */
	return sql_int(db,
	               "SELECT count(*) FROM party_members WHERE (org_id = ?1 OR group_id = ?1) "
	               "AND status != 'transferred_out'",
	               ARGS(ARG_INT(org_id)), n);
}

enum db_result store_party_memberships_add(struct db *db, int64_t member_id, int64_t org_id,
                                           int64_t now)
{
	return sql_run(db,
	               "INSERT INTO party_memberships(member_id, org_id, joined_at) "
	               "VALUES (?, ?, ?)",
	               ARGS(ARG_INT(member_id), ARG_INT(org_id), ARG_INT(now)));
}

enum db_result store_party_memberships_remove(struct db *db, int64_t member_id, int64_t org_id)
{
	enum db_result r =
	    sql_run(db, "DELETE FROM party_memberships WHERE member_id = ? AND org_id = ?",
	            ARGS(ARG_INT(member_id), ARG_INT(org_id)));
	if (r == DB_OK && db_changes(db) == 0)
		return DB_DONE;
	return r;
}

static void membership_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_membership_row *m = p;
	m->org_id = db_col_int(st, 0);
	m->joined_at = db_col_int(st, 1);
	m->org_name = sql_str(st, a, 2);
	m->region_code = sql_str(st, a, 3);
	enum party_kind k = PARTY_FUNCTIONAL_SINKING;
	party_kind_parse(db_col_text(st, 4), &k);
	m->kind = k;
}

enum db_result store_party_memberships_list(struct db *db, struct arena *a, int64_t member_id,
                                            struct party_membership_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT s.org_id, s.joined_at, o.name, o.region_code, o.kind FROM "
	    "party_memberships s JOIN party_orgs o ON o.id = s.org_id WHERE s.member_id = ? "
	    "ORDER BY s.org_id",
	    ARGS(ARG_INT(member_id)), membership_read, sizeof(**rows), -1, (void **)rows, n);
}

enum db_result store_party_member_events_add(struct db *db, const struct party_event_row *e)
{
	return sql_run(db,
	               "INSERT INTO party_member_events(member_id, at, actor_id, actor, action, "
	               "from_org, to_org, from_status, to_status, detail) "
	               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	               ARGS(ARG_INT(e->ref_id), ARG_INT(e->at), ARG_NONZERO(e->actor_id),
	                    ARG_TEXT(e->actor), ARG_TEXT(e->action), ARG_NONZERO(e->from_ref),
	                    ARG_NONZERO(e->to_ref), ARG_TEXT(e->from_status),
	                    ARG_TEXT(e->to_status), ARG_TEXT(e->detail)));
}

enum db_result store_party_member_events_list(struct db *db, struct arena *a, int64_t member_id,
                                              struct party_event_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT id, member_id, at, coalesce(actor_id, 0), actor, action, "
	    "coalesce(from_org, 0), coalesce(to_org, 0), NULL, NULL, from_status, to_status, "
	    "detail FROM party_member_events WHERE member_id = ? ORDER BY id LIMIT 1000",
	    ARGS(ARG_INT(member_id)), party_event_read, sizeof(**rows), -1, (void **)rows, n);
}
