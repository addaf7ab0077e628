/* Region rows. child_count is computed by the query so it never drifts. */
#include "store/platform/regions.h"

#include <stdio.h>
#include <string.h>

#define REGION_COLS                                                                                \
	"r.code, r.name, r.level, r.parent_code, r.planned_households, r.geometry, r.status, "     \
	"r.created_at, r.updated_at, "                                                             \
	"(SELECT count(*) FROM regions c WHERE c.parent_code = r.code AND c.status = 'active')"

static void region_from_row(struct db_stmt *st, struct arena *a, struct region_row *r)
{
	r->code = arena_strdup(a, db_col_text(st, 0));
	r->name = arena_strdup(a, db_col_text(st, 1));
	r->level = (enum region_level)db_col_int(st, 2);
	r->parent_code = db_col_null(st, 3) ? NULL : arena_strdup(a, db_col_text(st, 3));
	r->planned_households = db_col_null(st, 4) ? -1 : db_col_int(st, 4);
	r->geometry = db_col_null(st, 5) ? NULL : arena_strdup(a, db_col_text(st, 5));
	r->status = arena_strdup(a, db_col_text(st, 6));
	r->created_at = db_col_int(st, 7);
	r->updated_at = db_col_int(st, 8);
	r->child_count = db_col_int(st, 9);
}

enum db_result regions_get(struct db *db, struct arena *a, const char *code, struct region_row *out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " REGION_COLS " FROM regions r WHERE r.code = ?");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, code);
	enum db_result r = db_step(st);
	if (r == DB_ROW)
		region_from_row(st, a, out);
	db_done(st);
	return r;
}

enum db_result regions_children(struct db *db, struct arena *a, const char *parent,
                                const char *after, int limit, struct region_row **rows, size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK; /* SQLite would read a negative LIMIT as none */
	struct db_stmt *st =
	    parent ? db_prepare(db, "SELECT " REGION_COLS " FROM regions r WHERE r.parent_code = ? "
	                            "AND r.code > ? ORDER BY r.code LIMIT ?")
	           : db_prepare(db, "SELECT " REGION_COLS " FROM regions r WHERE r.parent_code "
	                            "IS NULL AND r.code > ? ORDER BY r.code LIMIT ?");
	if (!st)
		return DB_ERROR;
	int i = 1;
	if (parent)
		db_bind_text(st, i++, parent);
	db_bind_text(st, i++, after ? after : "");
	db_bind_int(st, i, limit);
	*rows = arena_alloc(a, sizeof(**rows) * (size_t)(limit > 0 ? limit : 1));
	*n = 0;
	enum db_result r;
	while ((r = db_step(st)) == DB_ROW && *n < (size_t)limit)
		region_from_row(st, a, &(*rows)[(*n)++]);
	db_done(st);
	return r == DB_ERROR ? r : DB_OK;
}

static void bind_region(struct db_stmt *st, const struct region_row *r)
{
	db_bind_text(st, 1, r->name);
	if (r->planned_households >= 0)
		db_bind_int(st, 2, r->planned_households);
	else
		db_bind_null(st, 2);
	db_bind_text(st, 3, r->geometry);
}

enum db_result regions_insert(struct db *db, const struct region_row *r)
{
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO regions(name, planned_households, geometry, code, level, parent_code, "
	        "status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)");
	if (!st)
		return DB_ERROR;
	bind_region(st, r);
	db_bind_text(st, 4, r->code);
	db_bind_int(st, 5, r->level);
	db_bind_text(st, 6, r->parent_code);
	db_bind_int(st, 7, r->created_at);
	db_bind_int(st, 8, r->updated_at);
	enum db_result res = db_step(st);
	db_done(st);
	return res == DB_DONE ? DB_OK : res;
}

enum db_result regions_update(struct db *db, const struct region_row *r)
{
	struct db_stmt *st = db_prepare(db, "UPDATE regions SET name = ?, planned_households = ?, "
	                                    "geometry = ?, updated_at = ? WHERE code = ?");
	if (!st)
		return DB_ERROR;
	bind_region(st, r);
	db_bind_int(st, 4, r->updated_at);
	db_bind_text(st, 5, r->code);
	enum db_result res = db_step(st);
	db_done(st);
	return res == DB_DONE ? DB_OK : res;
}

enum db_result regions_retire(struct db *db, const char *code, int64_t now)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE regions SET status = 'retired', updated_at = ? WHERE code = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, code);
	enum db_result res = db_step(st);
	db_done(st);
	return res == DB_DONE ? DB_OK : res;
}

enum db_result regions_event_add(struct db *db, const struct region_event *e, const char **codes,
                                 size_t ncodes)
{
	struct db_stmt *st =
	    db_prepare(db, "INSERT INTO region_events(at, kind, actor_id, "
	                   "from_codes, to_codes, detail) VALUES (?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, e->at);
	db_bind_text(st, 2, e->kind);
	if (e->actor_id)
		db_bind_int(st, 3, e->actor_id);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, e->from_codes);
	db_bind_text(st, 5, e->to_codes);
	db_bind_text(st, 6, e->detail);
	enum db_result r = db_step(st);
	db_done(st);
	if (r != DB_DONE)
		return r;
	int64_t id = db_last_id(db);
	for (size_t i = 0; i < ncodes; i++) {
		st = db_prepare(db, "INSERT OR IGNORE INTO region_event_codes(code, event_id) "
		                    "VALUES (?, ?)");
		if (!st)
			return DB_ERROR;
		db_bind_text(st, 1, codes[i]);
		db_bind_int(st, 2, id);
		r = db_step(st);
		db_done(st);
		if (r != DB_DONE)
			return r;
	}
	return DB_OK;
}

enum db_result regions_history(struct db *db, struct arena *a, const char *code,
                               struct region_event **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT e.id, e.at, coalesce(e.actor_id, 0), e.kind, e.from_codes, e.to_codes, "
	        "e.detail, u.username FROM region_event_codes c "
	        "JOIN region_events e ON e.id = c.event_id "
	        "LEFT JOIN users u ON u.id = e.actor_id WHERE c.code = ? ORDER BY e.id LIMIT 200");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, code);
	*rows = arena_alloc(a, sizeof(**rows) * 200);
	*n = 0;
	enum db_result r;
	while ((r = db_step(st)) == DB_ROW && *n < 200) {
		struct region_event *e = &(*rows)[(*n)++];
		e->id = db_col_int(st, 0);
		e->at = db_col_int(st, 1);
		e->actor_id = db_col_int(st, 2);
		e->kind = arena_strdup(a, db_col_text(st, 3));
		e->from_codes = arena_strdup(a, db_col_text(st, 4));
		e->to_codes = arena_strdup(a, db_col_text(st, 5));
		e->detail = db_col_null(st, 6) ? NULL : arena_strdup(a, db_col_text(st, 6));
		e->actor = db_col_null(st, 7) ? NULL : arena_strdup(a, db_col_text(st, 7));
	}
	db_done(st);
	return r == DB_ERROR ? r : DB_OK;
}

int64_t regions_count(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM regions");
	if (!st)
		return -1;
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return n;
}

enum db_result regions_grids_with_geometry(struct db *db, struct arena *a, const char *prefix,
                                           int limit, struct region_row **rows, size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK; /* SQLite would read a negative LIMIT as none */
	struct db_stmt *st = db_prepare(
	    db, "SELECT " REGION_COLS " FROM regions r WHERE r.level = 3 AND r.status = 'active' "
	        "AND r.geometry IS NOT NULL AND r.code >= ? AND r.code < ? ORDER BY r.code "
	        "LIMIT ?");
	if (!st)
		return DB_ERROR;
	char upper[24];
	snprintf(upper, sizeof upper, "%s;", prefix);
	db_bind_text(st, 1, prefix);
	db_bind_text(st, 2, upper);
	db_bind_int(st, 3, limit);
	*rows = arena_alloc(a, sizeof(**rows) * (size_t)(limit > 0 ? limit : 1));
	*n = 0;
	enum db_result r;
	while ((r = db_step(st)) == DB_ROW && *n < (size_t)limit)
		region_from_row(st, a, &(*rows)[(*n)++]);
	db_done(st);
	return r == DB_ERROR || r == DB_BUSY ? r : DB_OK;
}
