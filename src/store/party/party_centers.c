/* 党员中心户 and the base records (residents, households, buildings) they refer to. */
#include "store/party/party.h"

#include <string.h>

#include "store/dialect.h"
#include "store/stmt.h"

/* ---- base data ---- */

static enum db_result base_ref(struct db *db, struct arena *a, const char *sql, int64_t id,
                               struct party_base_ref *out)
{
	struct db_stmt *st = sql_open(db, sql, ARGS(ARG_INT(id)));
	if (!st)
		return DB_ERROR;
	enum db_result r = db_step(st);
	if (r == DB_ROW) {
		memset(out, 0, sizeof(*out));
		out->id = id;
		out->region_code = sql_str(st, a, 0);
		out->name = sql_str(st, a, 1);
		out->household_id = db_col_int(st, 2);
		out->building_id = db_col_int(st, 3);
	}
	db_done(st);
	return r;
}

enum db_result store_party_resident_ref(struct db *db, struct arena *a, int64_t id,
                                        struct party_base_ref *out)
{
	return base_ref(db, a,
	                "SELECT region_code, name, coalesce(household_id, 0), 0 FROM residents "
	                "WHERE id = ? AND status = 'active'",
	                id, out);
}

enum db_result store_party_household_ref(struct db *db, struct arena *a, int64_t id,
                                         struct party_base_ref *out)
{
	return base_ref(db, a,
	                "SELECT h.region_code, coalesce(h.number, (SELECT r.name FROM residents r "
	                "WHERE r.id = h.head_id)), h.id, coalesce((SELECT building_id FROM houses "
	                "WHERE id = h.house_id), 0) FROM households h WHERE h.id = ?",
	                id, out);
}

enum db_result store_party_building_ref(struct db *db, struct arena *a, int64_t id,
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

static void center_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_center_row *c = p;
	memset(c, 0, sizeof *c); /* sql_one does not zero the row */
	c->id = db_col_int(st, 0);
	c->member_id = db_col_int(st, 1);
	c->household_id = db_col_int(st, 2);
	c->org_id = db_col_int(st, 3);
	c->region_code = sql_str(st, a, 4);
	c->member_name = sql_str(st, a, 5);
	c->note = sql_str(st, a, 6);
	c->active = strcmp(db_col_text(st, 7), "active") == 0;
	c->link_count = db_col_int(st, 8);
	c->created_at = db_col_int(st, 9);
	c->updated_at = db_col_int(st, 10);
}

enum db_result store_party_centers_insert(struct db *db, struct party_center_row *c)
{
	enum db_result r =
	    sql_run(db,
	            "INSERT INTO party_centers(member_id, household_id, region_code, org_id, "
	            "note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	            ARGS(ARG_INT(c->member_id), ARG_INT(c->household_id), ARG_TEXT(c->region_code),
	                 ARG_NONZERO(c->org_id), ARG_TEXT(c->note), ARG_INT(c->created_at),
	                 ARG_INT(c->updated_at)));
	if (r == DB_OK)
		c->id = db_last_id(db);
	return r;
}

enum db_result store_party_centers_get(struct db *db, struct arena *a, int64_t id,
                                       struct party_center_row *out)
{
	return sql_one(db, a, "SELECT " CENTER_COLS " FROM party_centers c WHERE c.id = ?",
	               ARGS(ARG_INT(id)), center_read, out);
}

enum db_result store_party_centers_list(struct db *db, struct arena *a, const char *region,
                                        int64_t after_id, int limit, struct party_center_row **rows,
                                        size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT " CENTER_COLS " FROM party_centers c WHERE c.region_code >= ? AND "
	    "c.region_code < ? AND c.status = 'active' AND c.id > ? ORDER BY c.id LIMIT ?",
	    ARGS(ARG_TEXT(region), ARG_TEXT(sql_prefix_end(a, region)), ARG_INT(after_id),
	         ARG_INT((int64_t)limit)),
	    center_read, sizeof(**rows), limit, (void **)rows, n);
}

enum db_result store_party_centers_end(struct db *db, int64_t id, int64_t now)
{
	enum db_result r =
	    sql_run(db, "DELETE FROM party_center_links WHERE center_id = ?", ARGS(ARG_INT(id)));
	if (r != DB_OK)
		return r;
	return sql_run(db, "UPDATE party_centers SET status = 'ended', updated_at = ? WHERE id = ?",
	               ARGS(ARG_INT(now), ARG_INT(id)));
}

enum db_result store_party_center_links_add(struct db *db, int64_t center_id, int64_t household_id)
{
	return sql_run(db, "INSERT INTO party_center_links(center_id, household_id) VALUES (?, ?)",
	               ARGS(ARG_INT(center_id), ARG_INT(household_id)));
}

enum db_result store_party_center_links_remove(struct db *db, int64_t center_id,
                                               int64_t household_id)
{
	enum db_result r =
	    sql_run(db, "DELETE FROM party_center_links WHERE center_id = ? AND household_id = ?",
	            ARGS(ARG_INT(center_id), ARG_INT(household_id)));
	if (r == DB_OK && db_changes(db) == 0)
		return DB_DONE;
	return r;
}

static void id_read(struct db_stmt *st, struct arena *a, void *p)
{
	(void)a;
	*(int64_t *)p = db_col_int(st, 0);
}

enum db_result store_party_center_links_list(struct db *db, struct arena *a, int64_t center_id,
                                             int64_t **ids, size_t *n)
{
	return sql_all(db, a,
	               "SELECT household_id FROM party_center_links WHERE "
	               "center_id = ? ORDER BY household_id LIMIT 2000",
	               ARGS(ARG_INT(center_id)), id_read, sizeof(**ids), -1, (void **)ids, n);
}

enum db_result store_party_household_covered(struct db *db, int64_t household_id, bool *covered)
{
	int64_t c;
	enum db_result r =
	    sql_int(db,
	            "SELECT (SELECT count(*) FROM party_centers WHERE household_id = ?1 AND "
	            "status = 'active') + (SELECT count(*) FROM party_center_links WHERE "
	            "household_id = ?1)",
	            ARGS(ARG_INT(household_id)), &c);
	*covered = c > 0;
	return r;
}
