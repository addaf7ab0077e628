/* Party organisations and their events. Region filters are code-prefix ranges
 * [prefix, prefix + ';'), which the (region_code, …) indexes serve; trees are walked
 * with recursive queries. */
#include "store/party/party.h"
#include "store/party/party_rows.h"

#include <stdio.h>
#include <string.h>

#include "store/dialect.h"
#include "store/stmt.h"

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

static void org_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_org_row *o = p;
	memset(o, 0, sizeof *o); /* sql_one does not zero the row */
	o->id = db_col_int(st, 0);
	o->name = sql_str(st, a, 1);
	enum party_kind k = PARTY_BRANCH;
	party_kind_parse(db_col_text(st, 2), &k);
	o->kind = k;
	o->parent_id = db_col_int(st, 3);
	o->region_code = sql_str(st, a, 4);
	o->building_id = db_col_int(st, 5);
	o->unit = sql_str(st, a, 6);
	o->secretary = sql_str(st, a, 7);
	o->note = sql_str(st, a, 8);
	o->active = strcmp(db_col_text(st, 9), "active") == 0;
	o->created_at = db_col_int(st, 10);
	o->updated_at = db_col_int(st, 11);
	o->parent_name = sql_str(st, a, 12);
	o->region_name = sql_str(st, a, 13);
	o->building_name = sql_str(st, a, 14);
	o->child_count = db_col_int(st, 15);
	o->member_count = db_col_int(st, 16);
}

enum db_result store_party_orgs_insert(struct db *db, struct party_org_row *o)
{
	enum db_result r =
	    sql_run(db,
	            "INSERT INTO party_orgs(name, kind, parent_id, region_code, building_id, unit, "
	            "secretary, note, status, created_at, updated_at) "
	            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	            ARGS(ARG_TEXT(o->name), ARG_TEXT(party_kind_code(o->kind)),
	                 ARG_NONZERO(o->parent_id), ARG_TEXT(o->region_code),
	                 ARG_NONZERO(o->building_id), ARG_TEXT(o->unit), ARG_TEXT(o->secretary),
	                 ARG_TEXT(o->note), ARG_TEXT(o->active ? "active" : "dissolved"),
	                 ARG_INT(o->created_at), ARG_INT(o->updated_at)));
	if (r == DB_OK)
		o->id = db_last_id(db);
	return r;
}

enum db_result store_party_orgs_get(struct db *db, struct arena *a, int64_t id,
                                    struct party_org_row *out)
{
	return sql_one(db, a, "SELECT " ORG_COLS " FROM party_orgs o WHERE o.id = ?",
	               ARGS(ARG_INT(id)), org_read, out);
}

enum db_result store_party_orgs_update(struct db *db, const struct party_org_row *o)
{
	return sql_run(db,
	               "UPDATE party_orgs SET name = ?, kind = ?, parent_id = ?, region_code = ?, "
	               "building_id = ?, unit = ?, secretary = ?, note = ?, status = ?, "
	               "updated_at = ? WHERE id = ?",
	               ARGS(ARG_TEXT(o->name), ARG_TEXT(party_kind_code(o->kind)),
	                    ARG_NONZERO(o->parent_id), ARG_TEXT(o->region_code),
	                    ARG_NONZERO(o->building_id), ARG_TEXT(o->unit), ARG_TEXT(o->secretary),
	                    ARG_TEXT(o->note), ARG_TEXT(o->active ? "active" : "dissolved"),
	                    ARG_INT(o->updated_at), ARG_INT(o->id)));
}

enum db_result store_party_orgs_list(struct db *db, struct arena *a,
                                     const struct party_org_filter *f, struct party_org_row **rows,
                                     size_t *n)
{
	const char *region = f->region ? f->region : "";
	return sql_all(
	    db, a,
	    "SELECT " ORG_COLS " FROM party_orgs o WHERE o.region_code >= ?1 AND "
	    "o.region_code < ?2 AND (CAST(?3 AS BIGINT) = 0 OR o.parent_id = ?3) AND (?4 = 0 OR "
	    "o.parent_id IS NULL OR NOT EXISTS (SELECT 1 FROM party_orgs p WHERE "
	    "p.id = o.parent_id AND p.region_code >= ?1 AND p.region_code < ?2)) AND "
	    "(CAST(?5 AS TEXT) IS NULL OR o.kind = ?5) AND (CAST(?6 AS TEXT) IS NULL OR o.unit = "
	    "?6) AND "
	    "(?7 = 1 OR o.status = 'active') AND o.id > ?8 ORDER BY o.id LIMIT ?9",
	    ARGS(ARG_TEXT(region), ARG_TEXT(sql_prefix_end(a, region)), ARG_INT(f->parent_id),
	         ARG_INT((int64_t)f->roots),
	         ARG_TEXT(f->kind >= 0 ? party_kind_code((enum party_kind)f->kind) : NULL),
	         ARG_TEXT(f->unit), ARG_INT((int64_t)f->dissolved), ARG_INT(f->after_id),
	         ARG_INT((int64_t)f->limit)),
	    org_read, sizeof(**rows), f->limit, (void **)rows, n);
}

enum db_result store_party_orgs_at(struct db *db, struct arena *a, const char *region,
                                   struct party_org_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " ORG_COLS " FROM party_orgs o WHERE o.region_code = ? AND "
	               "o.status = 'active' ORDER BY o.id LIMIT 500",
	               ARGS(ARG_TEXT(region)), org_read, sizeof(**rows), -1, (void **)rows, n);
}

enum db_result store_party_orgs_in_subtree(struct db *db, int64_t root, int64_t id, bool *within)
{
	int64_t c;
	enum db_result r = sql_int(
	    db,
	    "WITH RECURSIVE up(id, parent) AS (SELECT id, parent_id FROM party_orgs WHERE id = ?2 "
	    "UNION SELECT p.id, p.parent_id FROM party_orgs p JOIN up ON p.id = up.parent) "
	    "SELECT count(*) FROM up WHERE id = ?1",
	    ARGS(ARG_INT(root), ARG_INT(id)), &c);
	*within = c > 0;
	return r;
}

#define SUBTREE_OF(param)                                                                          \
	"WITH RECURSIVE d(id) AS (SELECT CAST(" param                                              \
	" AS BIGINT) UNION SELECT o.id FROM party_orgs o JOIN d "                                  \
	"ON o.parent_id = d.id) "

enum db_result store_party_orgs_stranded(struct db *db, int64_t id, const char *old_region,
                                         const char *new_region, int64_t *count)
{
	char upper[32];
	snprintf(upper, sizeof upper, "%s;", new_region);
	return sql_int(
	    db,
	    SUBTREE_OF("?1") "SELECT count(*) FROM party_orgs WHERE id IN (SELECT id FROM d) AND "
	                     "id != ?1 AND status = 'active' AND region_code != ?2 AND "
	                     "NOT (region_code >= ?3 AND region_code < ?4)",
	    ARGS(ARG_INT(id), ARG_TEXT(old_region), ARG_TEXT(new_region), ARG_TEXT(upper)), count);
}

enum db_result store_party_orgs_building_groups(struct db *db, int64_t id, const char *old_region,
                                                int64_t *count)
{
	return sql_int(
	    db,
	    SUBTREE_OF("?1") "SELECT count(*) FROM party_orgs WHERE id IN (SELECT id FROM d) AND "
	                     "id != ?1 AND region_code = ?2 AND building_id IS NOT "
	                     "NULL",
	    ARGS(ARG_INT(id), ARG_TEXT(old_region)), count);
}

enum db_result store_party_orgs_building_taken(struct db *db, int64_t building_id, int64_t self_id,
                                               int64_t *count)
{
	return sql_int(db,
	               "SELECT count(*) FROM party_orgs WHERE building_id = ? AND id != ? AND "
	               "kind = 'group' AND status = 'active'",
	               ARGS(ARG_INT(building_id), ARG_INT(self_id)), count);
}

enum db_result store_party_orgs_reanchor(struct db *db, int64_t id, const char *old_region,
                                         const char *new_region, int64_t now)
{
	enum db_result r = sql_run(
	    db,
	    "UPDATE party_orgs SET region_code = ?3, updated_at = ?4 WHERE region_code = ?2 AND "
	    "id IN (" SUBTREE_OF("?1") "SELECT id FROM d)",
	    ARGS(ARG_INT(id), ARG_TEXT(old_region), ARG_TEXT(new_region), ARG_INT(now)));
	if (r != DB_OK)
		return r;
	return sql_run(db,
	               "UPDATE party_members SET region_code = (SELECT o.region_code FROM "
	               "party_orgs o WHERE o.id = party_members.org_id), updated_at = ?2 WHERE "
	               "org_id IN (" SUBTREE_OF("?1") "SELECT id FROM d)",
	               ARGS(ARG_INT(id), ARG_INT(now)));
}

enum db_result store_party_org_events_add(struct db *db, const struct party_event_row *e)
{
	return sql_run(db,
	               "INSERT INTO party_org_events(org_id, at, actor_id, actor, action, "
	               "from_parent, to_parent, from_region, to_region, detail) "
	               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	               ARGS(ARG_INT(e->ref_id), ARG_INT(e->at), ARG_NONZERO(e->actor_id),
	                    ARG_TEXT(e->actor), ARG_TEXT(e->action), ARG_NONZERO(e->from_ref),
	                    ARG_NONZERO(e->to_ref), ARG_TEXT(e->from_region),
	                    ARG_TEXT(e->to_region), ARG_TEXT(e->detail)));
}

enum db_result store_party_org_events_list(struct db *db, struct arena *a, int64_t org_id,
                                           struct party_event_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT id, org_id, at, coalesce(actor_id, 0), actor, action, "
	    "coalesce(from_parent, 0), coalesce(to_parent, 0), from_region, to_region, NULL, "
	    "NULL, detail FROM party_org_events WHERE org_id = ? ORDER BY id LIMIT 1000",
	    ARGS(ARG_INT(org_id)), party_event_read, sizeof(**rows), -1, (void **)rows, n);
}
