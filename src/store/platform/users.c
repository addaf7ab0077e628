/* User rows; grants are loaded with every user because every check needs them. */
#include "store/platform/users.h"
#include "store/platform/grants.h"
#include "store/dialect.h"
#include "store/stmt.h"

#include <stdio.h>
#include <string.h>

#define USER_COLS                                                                                  \
	"id, username, display_name, unit, password_hash, disabled, failed_count, locked_until, "  \
	"created_at, updated_at, resident_id, household_id"

static void user_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct user_row *u = row;
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
	u->resident_id = db_col_null(st, 10) ? 0 : db_col_int(st, 10);
	u->household_id = db_col_null(st, 11) ? 0 : db_col_int(st, 11);
}

enum db_result store_grants_read(struct db *db, const char *sql, int64_t owner, struct grant *g,
                                 size_t *n)
{
	struct db_stmt *st = sql_open(db, sql, ARGS(ARG_INT(owner)));
	if (!st)
		return DB_ERROR;
	enum db_result r;
	*n = 0;
	while ((r = db_step(st)) == DB_ROW) {
		if (*n == USER_MAX_GRANTS)
			continue;
		if (!role_parse(db_col_text(st, 0), &g[*n].role))
			continue;
		snprintf(g[*n].region_code, sizeof g[*n].region_code, "%s", db_col_text(st, 1));
		(*n)++;
	}
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

static enum db_result load_grants(struct db *db, struct user_row *u)
{
	enum db_result r = store_grants_read(
	    db, "SELECT role, region_code FROM grants WHERE user_id = ? ORDER BY role, region_code",
	    u->id, u->grants, &u->ngrants);
	return r == DB_OK ? DB_ROW : r;
}

/* A user with its grants: DB_ROW, DB_DONE (no such user) or an error. */
static enum db_result with_grants(struct db *db, enum db_result r, struct user_row *out)
{
	return r == DB_ROW ? load_grants(db, out) : r;
}

enum db_result store_users_get(struct db *db, struct arena *a, int64_t id, struct user_row *out)
{
	return with_grants(db,
	                   sql_one(db, a, "SELECT " USER_COLS " FROM users WHERE id = ?",
	                           ARGS(ARG_INT(id)), user_read, out),
	                   out);
}

enum db_result store_users_by_name(struct db *db, struct arena *a, const char *username,
                                   struct user_row *out)
{
	return with_grants(db,
	                   sql_one(db, a, "SELECT " USER_COLS " FROM users WHERE username = ?",
	                           ARGS(ARG_TEXT(username)), user_read, out),
	                   out);
}

enum db_result store_users_insert(struct db *db, struct user_row *u)
{
	enum db_result r =
	    sql_insert(db,
	               "INSERT INTO users(username, display_name, unit, password_hash, disabled, "
	               "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	               ARGS(ARG_TEXT(u->username), ARG_TEXT(u->display_name), ARG_TEXT(u->unit),
	                    ARG_TEXT(u->password_hash), ARG_INT(u->disabled),
	                    ARG_INT(u->created_at), ARG_INT(u->updated_at)),
	               &u->id);
	if (r != DB_OK)
		return r;
	return store_users_set_grants(db, u->id, u->grants, u->ngrants);
}

enum db_result store_users_update(struct db *db, const struct user_row *u)
{
	return sql_run(
	    db,
	    "UPDATE users SET display_name = ?, unit = ?, disabled = ?, password_hash = ?, "
	    "failed_count = ?, locked_until = ?, updated_at = ? WHERE id = ?",
	    ARGS(ARG_TEXT(u->display_name), ARG_TEXT(u->unit), ARG_INT(u->disabled),
	         ARG_TEXT(u->password_hash), ARG_INT(u->failed_count), ARG_INT(u->locked_until),
	         ARG_INT(u->updated_at), ARG_INT(u->id)));
}

enum db_result store_users_set_grants(struct db *db, int64_t user_id, const struct grant *g,
                                      size_t n)
{
	enum db_result r =
	    sql_run(db, "DELETE FROM grants WHERE user_id = ?", ARGS(ARG_INT(user_id)));
	for (size_t i = 0; r == DB_OK && i < n; i++)
		r = sql_run(db,
		            SQL_INSERT_IGNORE " grants(user_id, role, region_code) "
		                              "VALUES (?, ?, ?)" SQL_IGNORE_END,
		            ARGS(ARG_INT(user_id), ARG_TEXT(role_code(g[i].role)),
		                 ARG_TEXT(g[i].region_code)));
	return r;
}

enum db_result store_users_set_failures(struct db *db, int64_t id, int64_t failed,
                                        int64_t locked_until)
{
	return sql_run(db, "UPDATE users SET failed_count = ?, locked_until = ? WHERE id = ?",
	               ARGS(ARG_INT(failed), ARG_INT(locked_until), ARG_INT(id)));
}

enum db_result store_users_list(struct db *db, struct arena *a, const char *q, int64_t after_id,
                                int limit, struct user_row **rows, size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK; /* SQLite would read a negative LIMIT as none */
	enum db_result r =
	    sql_all(db, a,
	            "SELECT " USER_COLS
	            " FROM users WHERE id > ? AND (CAST(? AS TEXT) IS NULL OR " SQL_INSTR(
	                "username", "?") " > 0 OR " SQL_INSTR("display_name",
	                                                      "?") " > 0) ORDER BY id LIMIT ?",
	            ARGS(ARG_INT(after_id), ARG_TEXT(q), ARG_TEXT(q), ARG_TEXT(q), ARG_INT(limit)),
	            user_read, sizeof **rows, limit, (void **)rows, n);
	if (r != DB_OK)
		return r;
	for (size_t i = 0; i < *n; i++)
		if (load_grants(db, &(*rows)[i]) != DB_ROW)
			return DB_ERROR;
	return DB_OK;
}

int64_t store_users_count(struct db *db)
{
	int64_t n;
	return sql_int(db, "SELECT count(*) FROM users", NO_ARGS, &n) == DB_OK ? n : -1;
}

enum db_result store_users_count_failure(struct db *db, int64_t id, int64_t max,
                                         int64_t locked_until, bool *locked)
{
	/* One statement: concurrent failures cannot overwrite each other's count. */
	struct db_stmt *st = sql_open(
	    db,
	    "UPDATE users SET "
	    "locked_until = CASE WHEN failed_count + 1 >= ?1 THEN ?2 ELSE locked_until END, "
	    "failed_count = CASE WHEN failed_count + 1 >= ?1 THEN 0 ELSE failed_count + 1 END "
	    "WHERE id = ?3 RETURNING locked_until = ?2",
	    ARGS(ARG_INT(max), ARG_INT(locked_until), ARG_INT(id)));
	if (!st)
		return DB_ERROR;
	enum db_result r = db_step(st);
	*locked = r == DB_ROW && db_col_int(st, 0) != 0;
	if (r == DB_ROW)
		r = db_step(st);
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

enum db_result store_user_resident_link(struct db *db, int64_t user_id, int64_t resident_id,
                                        int64_t household_id, int64_t now)
{
	if (resident_id <= 0)
		household_id = 0;
	return sql_change(
	    db, "UPDATE users SET resident_id = ?, household_id = ?, updated_at = ? WHERE id = ?",
	    ARGS(ARG_ID(resident_id), ARG_ID(household_id), ARG_INT(now), ARG_INT(user_id)));
}

static void link_read(struct db_stmt *st, struct arena *a, void *row)
{
	(void)a;
	int64_t *v = row;
	v[0] = db_col_null(st, 0) ? 0 : db_col_int(st, 0);
	v[1] = db_col_null(st, 1) ? 0 : db_col_int(st, 1);
}

enum db_result store_user_resident_get(struct db *db, int64_t user_id, int64_t *resident_id,
                                       int64_t *household_id)
{
	int64_t v[2] = {0, 0};
	enum db_result r =
	    sql_one(db, NULL, "SELECT resident_id, household_id FROM users WHERE id = ?",
	            ARGS(ARG_INT(user_id)), link_read, v);
	*resident_id = v[0];
	*household_id = v[1];
	return r;
}

enum db_result store_user_resident_follow(struct db *db, int64_t resident_id, bool active,
                                          int64_t household_id, int64_t *unlinked)
{
	*unlinked = 0;
	if (active)
		return sql_run(db, "UPDATE users SET household_id = ? WHERE resident_id = ?",
		               ARGS(ARG_ID(household_id), ARG_INT(resident_id)));
	enum db_result r = sql_run(db,
	                           "UPDATE users SET resident_id = NULL, household_id = NULL "
	                           "WHERE resident_id = ?",
	                           ARGS(ARG_INT(resident_id)));
	if (r == DB_OK)
		*unlinked = db_changes(db);
	return r;
}
