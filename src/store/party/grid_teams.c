/* The grid service team (网格服务团队) and the grids it covers. */
#include "store/party/pairings.h"
#include "store/party/party.h"

#include <string.h>

#include "store/dialect.h"
#include "store/stmt.h"

#define S(col) sql_str(st, a, col)

/* ---- grid service team ---- */

#define TEAM_COLS                                                                                  \
	"t.id, coalesce(t.user_id, 0), coalesce(t.cadre_id, 0), coalesce(t.building_id, 0), "      \
	"t.region_code, t.name, t.started_on, (SELECT name FROM buildings WHERE id = "             \
	"t.building_id), t.role, t.full_time, t.status, t.created_at, t.updated_at"

static void team_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct team_member_row *t = p;
	memset(t, 0, sizeof *t); /* sql_one does not zero the row */
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

enum db_result store_team_insert(struct db *db, struct team_member_row *t)
{
	enum db_result r =
	    sql_run(db,
	            "INSERT INTO grid_team_members(region_code, role, name, user_id, cadre_id, "
	            "building_id, full_time, started_on, status, created_at, updated_at) "
	            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)",
	            ARGS(ARG_TEXT(t->region_code), ARG_TEXT(team_role_code(t->role)),
	                 ARG_TEXT(t->name), ARG_NONZERO(t->user_id), ARG_NONZERO(t->cadre_id),
	                 ARG_NONZERO(t->building_id), ARG_INT((int64_t)t->full_time),
	                 ARG_TEXT(t->started_on), ARG_INT(t->created_at), ARG_INT(t->updated_at)));
	if (r == DB_OK)
		t->id = db_last_id(db);
	return r;
}

enum db_result store_team_get(struct db *db, struct arena *a, int64_t id,
                              struct team_member_row *out)
{
	return sql_one(db, a, "SELECT " TEAM_COLS " FROM grid_team_members t WHERE t.id = ?",
	               ARGS(ARG_INT(id)), team_read, out);
}

enum db_result store_team_end(struct db *db, int64_t id, int64_t now)
{
	return sql_run(db,
	               "UPDATE grid_team_members SET status = 'ended', updated_at = ? WHERE id = ?",
	               ARGS(ARG_INT(now), ARG_INT(id)));
}

enum db_result store_team_end_for_cadre(struct db *db, int64_t cadre_id, int64_t now)
{
	return sql_run(db,
	               "UPDATE grid_team_members SET status = 'ended', updated_at = ? WHERE "
	               "cadre_id = ? AND status = 'active'",
	               ARGS(ARG_INT(now), ARG_INT(cadre_id)));
}

enum db_result store_team_list(struct db *db, struct arena *a, const char *region,
                               struct team_member_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT " TEAM_COLS " FROM grid_team_members t WHERE t.region_code >= ? AND "
	    "t.region_code < ? AND t.status = 'active' ORDER BY t.region_code, CASE t.role WHEN "
	    "'supervisor' THEN 0 WHEN 'grid_leader' THEN 1 WHEN 'grid_worker' THEN 2 ELSE 3 END, "
	    "t.id LIMIT 20000",
	    ARGS(ARG_TEXT(region), ARG_TEXT(sql_prefix_end(a, region))), team_read, sizeof(**rows),
	    -1, (void **)rows, n);
}

static void tgrid_read(struct db_stmt *st, struct arena *a, void *p)
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

enum db_result store_team_grids(struct db *db, struct arena *a, const char *region,
                                struct team_grid_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT r.code, r.name, "
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
	    "r.code < ? ORDER BY r.code",
	    ARGS(ARG_TEXT(region), ARG_TEXT(sql_prefix_end(a, region))), tgrid_read, sizeof(**rows),
	    -1, (void **)rows, n);
}
