/* One query resolves a credential to its principal and grants (a row per grant),
 * because every authenticated request pays for it. */
#include "store/platform/auth.h"
#include "store/platform/grants.h"
#include "store/dialect.h"
#include "store/stmt.h"

#include <stdio.h>
#include <string.h>

static void add_grant(struct principal *p, const char *role, const char *region)
{
	if (!role || p->ngrants == USER_MAX_GRANTS)
		return;
	struct grant *g = &p->grants[p->ngrants];
	if (!role_parse(role, &g->role))
		return;
	snprintf(g->region_code, sizeof g->region_code, "%s", region ? region : "");
	p->ngrants++;
}

/* A credential query returns a row per grant (one with NULL grant columns when there are
 * none): the first row fills the principal through first(), every row adds its grant
 * from columns role_col and role_col + 1. DB_ROW, DB_DONE (no such credential) or an
 * error. */
static enum db_result principal_rows(struct db_stmt *st, struct principal *p, int role_col,
                                     void (*first)(struct db_stmt *st, struct principal *p))
{
	if (!st)
		return DB_ERROR;
	memset(p, 0, sizeof(*p));
	enum db_result r;
	bool found = false;
	while ((r = db_step(st)) == DB_ROW) {
		if (!found) {
			found = true;
			first(st, p);
		}
		add_grant(p, db_col_text(st, role_col), db_col_text(st, role_col + 1));
	}
	db_done(st);
	if (r != DB_DONE)
		return r;
	return found ? DB_ROW : DB_DONE;
}

static void session_first(struct db_stmt *st, struct principal *p)
{
	p->session_id = db_col_int(st, 0);
	p->user_id = db_col_int(st, 1);
	snprintf(p->csrf, sizeof p->csrf, "%s", db_col_text(st, 2));
	p->last_seen = db_col_int(st, 3);
	p->expires_at = db_col_int(st, 4);
	snprintf(p->name, sizeof p->name, "%s", db_col_text(st, 5));
	snprintf(p->unit, sizeof p->unit, "%s", db_col_text(st, 8));
}

static void token_first(struct db_stmt *st, struct principal *p)
{
	p->token_id = db_col_int(st, 0);
	snprintf(p->name, sizeof p->name, "%s", db_col_text(st, 1));
	p->last_seen = db_col_int(st, 4); /* last use, for touching */
}

enum db_result store_sessions_insert(struct db *db, const unsigned char hash[AUTH_HASH_LEN],
                                     int64_t user_id, const char *csrf, int64_t now,
                                     int64_t expires_at, const char *ip, int64_t *id)
{
	return sql_insert(db,
	                  "INSERT INTO sessions(token_hash, user_id, csrf, "
	                  "created_at, last_seen, expires_at, ip) "
	                  "VALUES (?, ?, ?, ?, ?, ?, ?)",
	                  ARGS(ARG_BLOB(hash, AUTH_HASH_LEN), ARG_INT(user_id), ARG_TEXT(csrf),
	                       ARG_INT(now), ARG_INT(now), ARG_INT(expires_at), ARG_TEXT(ip)),
	                  id);
}

enum db_result store_sessions_lookup(struct db *db, const unsigned char hash[AUTH_HASH_LEN],
                                     struct principal *p)
{
	return principal_rows(
	    sql_open(db,
	             "SELECT s.id, s.user_id, s.csrf, s.last_seen, s.expires_at, u.username, "
	             "g.role, g.region_code, coalesce(u.unit, '') FROM sessions s JOIN users "
	             "u ON u.id = s.user_id "
	             "LEFT JOIN grants g ON g.user_id = u.id "
	             "WHERE s.token_hash = ? AND u.disabled = 0",
	             ARGS(ARG_BLOB(hash, AUTH_HASH_LEN))),
	    p, 6, session_first);
}

enum db_result store_sessions_touch(struct db *db, int64_t id, int64_t now)
{
	return sql_run(db, "UPDATE sessions SET last_seen = ?1 WHERE id = ?2",
	               ARGS(ARG_INT(now), ARG_INT(id)));
}

enum db_result store_sessions_delete(struct db *db, int64_t id)
{
	return sql_run(db, "DELETE FROM sessions WHERE id = ?", ARGS(ARG_INT(id)));
}

enum db_result store_sessions_delete_user(struct db *db, int64_t user_id)
{
	return sql_run(db, "DELETE FROM sessions WHERE user_id = ?", ARGS(ARG_INT(user_id)));
}

enum db_result store_sessions_purge(struct db *db, int64_t now, int64_t idle_cutoff)
{
	return sql_run(db, "DELETE FROM sessions WHERE expires_at <= ?1 OR last_seen <= ?2",
	               ARGS(ARG_INT(now), ARG_INT(idle_cutoff)));
}

enum db_result store_sessions_count(struct db *db, int64_t now, int64_t idle_cutoff, int64_t *n)
{
	return sql_int(db, "SELECT count(*) FROM sessions WHERE expires_at > ?1 AND last_seen > ?2",
	               ARGS(ARG_INT(now), ARG_INT(idle_cutoff)), n);
}

enum db_result store_tokens_insert(struct db *db, struct token_row *t,
                                   const unsigned char hash[AUTH_HASH_LEN])
{
	enum db_result r = sql_insert(db,
	                              "INSERT INTO api_tokens(name, token_hash, created_by, "
	                              "created_at) VALUES (?, ?, ?, ?)",
	                              ARGS(ARG_TEXT(t->name), ARG_BLOB(hash, AUTH_HASH_LEN),
	                                   ARG_NONZERO(t->created_by), ARG_INT(t->created_at)),
	                              &t->id);
	for (size_t i = 0; r == DB_OK && i < t->ngrants; i++)
		r = sql_run(db,
		            SQL_INSERT_IGNORE " token_grants(token_id, role, region_code) "
		                              "VALUES (?, ?, ?)" SQL_IGNORE_END,
		            ARGS(ARG_INT(t->id), ARG_TEXT(role_code(t->grants[i].role)),
		                 ARG_TEXT(t->grants[i].region_code)));
	return r;
}

enum db_result store_tokens_lookup(struct db *db, const unsigned char hash[AUTH_HASH_LEN],
                                   struct principal *p)
{
	return principal_rows(
	    sql_open(db,
	             "SELECT t.id, t.name, g.role, g.region_code, t.last_used FROM api_tokens t "
	             "LEFT JOIN token_grants g ON g.token_id = t.id "
	             "WHERE t.token_hash = ? AND t.revoked_at = 0",
	             ARGS(ARG_BLOB(hash, AUTH_HASH_LEN))),
	    p, 2, token_first);
}

static void token_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct token_row *t = row;
	t->id = db_col_int(st, 0);
	t->name = sql_str(st, a, 1);
	t->created_by = db_col_int(st, 2);
	t->created_at = db_col_int(st, 3);
	t->last_used = db_col_int(st, 4);
}

enum db_result store_tokens_list(struct db *db, struct arena *a, int64_t after_id, int limit,
                                 struct token_row **rows, size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK; /* SQLite would read a negative LIMIT as none */
	enum db_result r = sql_all(
	    db, a,
	    "SELECT id, name, coalesce(created_by, 0), created_at, last_used FROM api_tokens "
	    "WHERE revoked_at = 0 AND id > ? ORDER BY id LIMIT ?",
	    ARGS(ARG_INT(after_id), ARG_INT(limit)), token_read, sizeof **rows, limit,
	    (void **)rows, n);
	if (r != DB_OK)
		return r;
	for (size_t i = 0; r == DB_OK && i < *n; i++) {
		struct token_row *t = &(*rows)[i];
		r = store_grants_read(
		    db,
		    "SELECT role, region_code FROM token_grants WHERE token_id = ? "
		    "ORDER BY role, region_code",
		    t->id, t->grants, &t->ngrants);
	}
	return r;
}

enum db_result store_tokens_touch(struct db *db, int64_t id, int64_t now)
{
	return sql_run(db, "UPDATE api_tokens SET last_used = ?1 WHERE id = ?2",
	               ARGS(ARG_INT(now), ARG_INT(id)));
}

enum db_result store_tokens_revoke(struct db *db, int64_t id, int64_t now)
{
	return sql_change(db,
	                  "UPDATE api_tokens SET revoked_at = ?1 WHERE id = ?2 AND revoked_at = 0",
	                  ARGS(ARG_INT(now), ARG_INT(id)));
}
