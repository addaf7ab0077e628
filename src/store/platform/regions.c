/* Region rows. child_count is computed by the query so it never drifts. */
#include "store/platform/regions.h"
#include "store/dialect.h"
#include "store/stmt.h"

#include <stdio.h>
#include <string.h>

#define REGION_COLS                                                                                \
	"r.code, r.name, r.level, r.parent_code, r.planned_households, r.geometry, r.status, "     \
	"r.created_at, r.updated_at, "                                                             \
	"(SELECT count(*) FROM regions c WHERE c.parent_code = r.code AND c.status = 'active')"

static void region_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct region_row *r = row;
	r->code = sql_str(st, a, 0);
	r->name = sql_str(st, a, 1);
	r->level = (enum region_level)db_col_int(st, 2);
	r->parent_code = sql_str(st, a, 3);
	r->planned_households = db_col_null(st, 4) ? -1 : db_col_int(st, 4);
	r->geometry = sql_str(st, a, 5);
	r->status = sql_str(st, a, 6);
	r->created_at = db_col_int(st, 7);
	r->updated_at = db_col_int(st, 8);
	r->child_count = db_col_int(st, 9);
}

enum db_result store_regions_get(struct db *db, struct arena *a, const char *code,
                                 struct region_row *out)
{
	return sql_one(db, a, "SELECT " REGION_COLS " FROM regions r WHERE r.code = ?",
	               ARGS(ARG_TEXT(code)), region_read, out);
}

static void name_read(struct db_stmt *st, struct arena *a, void *row)
{
	*(const char **)row = sql_str(st, a, 0);
}

enum db_result store_regions_name(struct db *db, struct arena *a, const char *code,
                                  const char **name)
{
	return sql_one(db, a, "SELECT name FROM regions WHERE code = ?", ARGS(ARG_TEXT(code)),
	               name_read, name);
}

enum db_result store_regions_children(struct db *db, struct arena *a, const char *parent,
                                      const char *after, int limit, struct region_row **rows,
                                      size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK; /* SQLite would read a negative LIMIT as none */
	if (parent)
		return sql_all(db, a,
		               "SELECT " REGION_COLS " FROM regions r WHERE r.parent_code = ? "
		               "AND r.code > ? ORDER BY r.code LIMIT ?",
		               ARGS(ARG_TEXT(parent), ARG_TEXT(after ? after : ""), ARG_INT(limit)),
		               region_read, sizeof **rows, limit, (void **)rows, n);
	return sql_all(db, a,
	               "SELECT " REGION_COLS " FROM regions r WHERE r.parent_code "
	               "IS NULL AND r.code > ? ORDER BY r.code LIMIT ?",
	               ARGS(ARG_TEXT(after ? after : ""), ARG_INT(limit)), region_read,
	               sizeof **rows, limit, (void **)rows, n);
}

/* Planned households: NULL when unknown (< 0). */
static struct sql_arg planned(const struct region_row *r)
{
	return r->planned_households >= 0 ? ARG_INT(r->planned_households) : ARG_NULL;
}

enum db_result store_regions_insert(struct db *db, const struct region_row *r)
{
	return sql_run(db,
	               "INSERT INTO regions(name, planned_households, geometry, code, level, "
	               "parent_code, status, created_at, updated_at) "
	               "VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)",
	               ARGS(ARG_TEXT(r->name), planned(r), ARG_TEXT(r->geometry), ARG_TEXT(r->code),
	                    ARG_INT(r->level), ARG_TEXT(r->parent_code), ARG_INT(r->created_at),
	                    ARG_INT(r->updated_at)));
}

enum db_result store_regions_update(struct db *db, const struct region_row *r)
{
	return sql_run(db,
	               "UPDATE regions SET name = ?, planned_households = ?, geometry = ?, "
	               "updated_at = ? WHERE code = ?",
	               ARGS(ARG_TEXT(r->name), planned(r), ARG_TEXT(r->geometry),
	                    ARG_INT(r->updated_at), ARG_TEXT(r->code)));
}

enum db_result store_regions_retire(struct db *db, const char *code, int64_t now)
{
	return sql_run(db, "UPDATE regions SET status = 'retired', updated_at = ? WHERE code = ?",
	               ARGS(ARG_INT(now), ARG_TEXT(code)));
}

enum db_result store_regions_event_add(struct db *db, const struct region_event *e,
                                       const char **codes, size_t ncodes)
{
	int64_t id;
	enum db_result r =
	    sql_insert(db,
	               "INSERT INTO region_events(at, kind, actor_id, "
	               "from_codes, to_codes, detail) VALUES (?, ?, ?, ?, ?, ?)",
	               ARGS(ARG_INT(e->at), ARG_TEXT(e->kind), ARG_NONZERO(e->actor_id),
	                    ARG_TEXT(e->from_codes), ARG_TEXT(e->to_codes), ARG_TEXT(e->detail)),
	               &id);
	for (size_t i = 0; r == DB_OK && i < ncodes; i++)
		r = sql_run(db,
		            SQL_INSERT_IGNORE " region_event_codes(code, event_id) "
		                              "VALUES (?, ?)" SQL_IGNORE_END,
		            ARGS(ARG_TEXT(codes[i]), ARG_INT(id)));
	return r;
}

static void event_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct region_event *e = row;
	e->id = db_col_int(st, 0);
	e->at = db_col_int(st, 1);
	e->actor_id = db_col_int(st, 2);
	e->kind = sql_str(st, a, 3);
	e->from_codes = sql_str(st, a, 4);
	e->to_codes = sql_str(st, a, 5);
	e->detail = sql_str(st, a, 6);
	e->actor = sql_str(st, a, 7);
}

enum db_result store_regions_history(struct db *db, struct arena *a, const char *code,
                                     struct region_event **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT e.id, e.at, coalesce(e.actor_id, 0), e.kind, e.from_codes, "
	               "e.to_codes, e.detail, u.username FROM region_event_codes c "
	               "JOIN region_events e ON e.id = c.event_id "
	               "LEFT JOIN users u ON u.id = e.actor_id WHERE c.code = ? ORDER BY e.id "
	               "LIMIT 200",
	               ARGS(ARG_TEXT(code)), event_read, sizeof **rows, 200, (void **)rows, n);
}

int64_t store_regions_count(struct db *db)
{
	int64_t n;
	return sql_int(db, "SELECT count(*) FROM regions", NO_ARGS, &n) == DB_OK ? n : -1;
}

enum db_result store_regions_grids_with_geometry(struct db *db, struct arena *a, const char *prefix,
                                                 int limit, struct region_row **rows, size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK; /* SQLite would read a negative LIMIT as none */
	char upper[24];
	snprintf(upper, sizeof upper, "%s;", prefix);
	return sql_all(db, a,
	               "SELECT " REGION_COLS " FROM regions r WHERE r.level = 3 AND r.status = "
	               "'active' AND r.geometry IS NOT NULL AND r.code >= ? AND r.code < ? "
	               "ORDER BY r.code LIMIT ?",
	               ARGS(ARG_TEXT(prefix), ARG_TEXT(upper), ARG_INT(limit)), region_read,
	               sizeof **rows, limit, (void **)rows, n);
}
