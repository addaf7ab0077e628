/* User rows; grants are loaded with every user because every check needs them. */
#include "store/platform/users.h"

#include <stdio.h>
#include <string.h>

#define USER_COLS                                                                                  \
	"id, username, display_name, unit, password_hash, disabled, failed_count, locked_until, "  \
	"created_at, updated_at"

static void user_from_row(struct db_stmt *st, struct arena *a, struct user_row *u)
{
	memset(u, 0, sizeof(*u));
	u->id = db_col_int(st, 0);
	u->username = arena_strdup(a, db_col_text(st, 1));
	u->display_name = arena_strdup(a, db_col_text(st, 2));
	u->unit = db_col_null(st, 3) ? NULL : arena_strdup(a, db_col_text(st, 3));
	u->password_hash = arena_strdup(a, db_col_text(st, 4));
	u->disabled = db_col_int(st, 5) != 0;
	u->failed_count = db_col_int(st, 6);
	u->locked_until = db_col_int(st, 7);
	u->created_at = db_col_int(st, 8);
	u->updated_at = db_col_int(st, 9);
}

static enum db_result load_grants(struct db *db, struct user_row *u)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT role, region_code FROM grants WHERE user_id = ? ORDER BY role, region_code");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, u->id);
	enum db_result r;
	u->ngrants = 0;
	while ((r = db_step(st)) == DB_ROW) {
		if (u->ngrants == USER_MAX_GRANTS)
			continue;
		struct grant *g = &u->grants[u->ngrants];
		if (!role_parse(db_col_text(st, 0), &g->role))
			continue;
		snprintf(g->region_code, sizeof g->region_code, "%s", db_col_text(st, 1));
		u->ngrants++;
	}
	db_done(st);
	return r == DB_DONE ? DB_ROW : r;
}

static enum db_result get_one(struct db_stmt *st, struct db *db, struct arena *a,
                              struct user_row *out)
{
	enum db_result r = db_step(st);
	if (r == DB_ROW)
		user_from_row(st, a, out);
	db_done(st);
	return r == DB_ROW ? load_grants(db, out) : r;
}

enum db_result users_get(struct db *db, struct arena *a, int64_t id, struct user_row *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " USER_COLS " FROM users WHERE id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	return get_one(st, db, a, out);
}

enum db_result users_by_name(struct db *db, struct arena *a, const char *username,
                             struct user_row *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " USER_COLS " FROM users WHERE username = ?");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, username);
	return get_one(st, db, a, out);
}

enum db_result users_insert(struct db *db, struct user_row *u)
{
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO users(username, display_name, unit, password_hash, disabled, "
	        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, u->username);
	db_bind_text(st, 2, u->display_name);
	db_bind_text(st, 3, u->unit);
	db_bind_text(st, 4, u->password_hash);
	db_bind_int(st, 5, u->disabled);
	db_bind_int(st, 6, u->created_at);
	db_bind_int(st, 7, u->updated_at);
	enum db_result r = db_step(st);
	db_done(st);
	if (r != DB_DONE)
		return r;
	u->id = db_last_id(db);
	return users_set_grants(db, u->id, u->grants, u->ngrants);
}

enum db_result users_update(struct db *db, const struct user_row *u)
{
	struct db_stmt *st = db_prepare(
	    db, "UPDATE users SET display_name = ?, unit = ?, disabled = ?, password_hash = ?, "
	        "failed_count = ?, locked_until = ?, updated_at = ? WHERE id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, u->display_name);
	db_bind_text(st, 2, u->unit);
	db_bind_int(st, 3, u->disabled);
	db_bind_text(st, 4, u->password_hash);
	db_bind_int(st, 5, u->failed_count);
	db_bind_int(st, 6, u->locked_until);
	db_bind_int(st, 7, u->updated_at);
	db_bind_int(st, 8, u->id);
	enum db_result r = db_step(st);
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

enum db_result users_set_grants(struct db *db, int64_t user_id, const struct grant *g, size_t n)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM grants WHERE user_id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, user_id);
	enum db_result r = db_step(st);
	db_done(st);
	if (r != DB_DONE)
		return r;
	for (size_t i = 0; i < n; i++) {
		st = db_prepare(db, "INSERT OR IGNORE INTO grants(user_id, role, region_code) "
		                    "VALUES (?, ?, ?)");
		if (!st)
			return DB_ERROR;
		db_bind_int(st, 1, user_id);
		db_bind_text(st, 2, role_code(g[i].role));
		db_bind_text(st, 3, g[i].region_code);
		r = db_step(st);
		db_done(st);
		if (r != DB_DONE)
			return r;
	}
	return DB_OK;
}

enum db_result users_set_failures(struct db *db, int64_t id, int64_t failed, int64_t locked_until)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE users SET failed_count = ?, locked_until = ? WHERE id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, failed);
	db_bind_int(st, 2, locked_until);
	db_bind_int(st, 3, id);
	enum db_result r = db_step(st);
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

enum db_result users_list(struct db *db, struct arena *a, const char *q, int64_t after_id,
                          int limit, struct user_row **rows, size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK; /* SQLite would read a negative LIMIT as none */
	struct db_stmt *st = db_prepare(
	    db, "SELECT " USER_COLS " FROM users WHERE id > ? AND (? IS NULL OR "
	        "instr(username, ?) > 0 OR instr(display_name, ?) > 0) ORDER BY id LIMIT ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, after_id);
	db_bind_text(st, 2, q);
	db_bind_text(st, 3, q);
	db_bind_text(st, 4, q);
	db_bind_int(st, 5, limit);
	*rows = arena_alloc(a, sizeof(**rows) * (size_t)(limit > 0 ? limit : 1));
	*n = 0;
	enum db_result r;
	while ((r = db_step(st)) == DB_ROW && *n < (size_t)limit)
		user_from_row(st, a, &(*rows)[(*n)++]);
	db_done(st);
	if (r == DB_ERROR)
		return r;
	for (size_t i = 0; i < *n; i++)
		if (load_grants(db, &(*rows)[i]) != DB_ROW)
			return DB_ERROR;
	return DB_OK;
}

int64_t users_count(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM users");
	if (!st)
		return -1;
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return n;
}

enum db_result users_count_failure(struct db *db, int64_t id, int64_t max, int64_t locked_until,
                                   bool *locked)
{
	/* One statement: concurrent failures cannot overwrite each other's count. */
	struct db_stmt *st = db_prepare(
	    db, "UPDATE users SET "
	        "locked_until = CASE WHEN failed_count + 1 >= ?1 THEN ?2 ELSE locked_until END, "
	        "failed_count = CASE WHEN failed_count + 1 >= ?1 THEN 0 ELSE failed_count + 1 END "
	        "WHERE id = ?3 RETURNING locked_until = ?2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, max);
	db_bind_int(st, 2, locked_until);
	db_bind_int(st, 3, id);
	enum db_result r = db_step(st);
	*locked = r == DB_ROW && db_col_int(st, 0) != 0;
	if (r == DB_ROW)
		r = db_step(st);
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}
