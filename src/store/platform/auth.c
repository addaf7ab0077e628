/* One query resolves a credential to its principal and grants (a row per grant),
 * because every authenticated request pays for it. */
#include "store/platform/auth.h"

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

enum db_result sessions_insert(struct db *db, const unsigned char hash[AUTH_HASH_LEN],
                               int64_t user_id, const char *csrf, int64_t now, int64_t expires_at,
                               const char *ip, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO sessions(token_hash, user_id, csrf, "
	                                    "created_at, last_seen, expires_at, ip) "
	                                    "VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERROR;
	db_bind_blob(st, 1, hash, AUTH_HASH_LEN);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, csrf);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, expires_at);
	db_bind_text(st, 7, ip);
	enum db_result r = db_step(st);
	db_done(st);
	if (r == DB_DONE)
		*id = db_last_id(db);
	return r == DB_DONE ? DB_OK : r;
}

enum db_result sessions_lookup(struct db *db, const unsigned char hash[AUTH_HASH_LEN],
                               struct principal *p)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT s.id, s.user_id, s.csrf, s.last_seen, s.expires_at, u.username, "
	                   "g.role, g.region_code, coalesce(u.unit, '') FROM sessions s JOIN users "
	                   "u ON u.id = s.user_id "
	                   "LEFT JOIN grants g ON g.user_id = u.id "
	                   "WHERE s.token_hash = ? AND u.disabled = 0");
	if (!st)
		return DB_ERROR;
	db_bind_blob(st, 1, hash, AUTH_HASH_LEN);
	memset(p, 0, sizeof(*p));
	enum db_result r;
	bool found = false;
	while ((r = db_step(st)) == DB_ROW) {
		if (!found) {
			found = true;
			p->session_id = db_col_int(st, 0);
			p->user_id = db_col_int(st, 1);
			snprintf(p->csrf, sizeof p->csrf, "%s", db_col_text(st, 2));
			p->last_seen = db_col_int(st, 3);
			p->expires_at = db_col_int(st, 4);
			snprintf(p->name, sizeof p->name, "%s", db_col_text(st, 5));
			snprintf(p->unit, sizeof p->unit, "%s", db_col_text(st, 8));
		}
		add_grant(p, db_col_text(st, 6), db_col_text(st, 7));
	}
	db_done(st);
	if (r != DB_DONE)
		return r;
	return found ? DB_ROW : DB_DONE;
}

static enum db_result exec_id(struct db *db, const char *sql, int64_t a, int64_t b)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, a);
	if (b != INT64_MIN)
		db_bind_int(st, 2, b);
	enum db_result r = db_step(st);
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

enum db_result sessions_touch(struct db *db, int64_t id, int64_t now)
{
	return exec_id(db, "UPDATE sessions SET last_seen = ?1 WHERE id = ?2", now, id);
}

enum db_result sessions_delete(struct db *db, int64_t id)
{
	return exec_id(db, "DELETE FROM sessions WHERE id = ?", id, INT64_MIN);
}

enum db_result sessions_delete_user(struct db *db, int64_t user_id)
{
	return exec_id(db, "DELETE FROM sessions WHERE user_id = ?", user_id, INT64_MIN);
}

enum db_result sessions_purge(struct db *db, int64_t now, int64_t idle_cutoff)
{
	return exec_id(db, "DELETE FROM sessions WHERE expires_at <= ?1 OR last_seen <= ?2", now,
	               idle_cutoff);
}

enum db_result tokens_insert(struct db *db, struct token_row *t,
                             const unsigned char hash[AUTH_HASH_LEN])
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO api_tokens(name, token_hash, created_by, "
	                                    "created_at) VALUES (?, ?, ?, ?)");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, t->name);
	db_bind_blob(st, 2, hash, AUTH_HASH_LEN);
	if (t->created_by)
		db_bind_int(st, 3, t->created_by);
	else
		db_bind_null(st, 3);
	db_bind_int(st, 4, t->created_at);
	enum db_result r = db_step(st);
	db_done(st);
	if (r != DB_DONE)
		return r;
	t->id = db_last_id(db);
	for (size_t i = 0; i < t->ngrants; i++) {
		st = db_prepare(db,
		                "INSERT OR IGNORE INTO token_grants(token_id, role, region_code) "
		                "VALUES (?, ?, ?)");
		if (!st)
			return DB_ERROR;
		db_bind_int(st, 1, t->id);
		db_bind_text(st, 2, role_code(t->grants[i].role));
		db_bind_text(st, 3, t->grants[i].region_code);
		r = db_step(st);
		db_done(st);
		if (r != DB_DONE)
			return r;
	}
	return DB_OK;
}

enum db_result tokens_lookup(struct db *db, const unsigned char hash[AUTH_HASH_LEN],
                             struct principal *p)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT t.id, t.name, g.role, g.region_code, t.last_used FROM api_tokens t "
	        "LEFT JOIN token_grants g ON g.token_id = t.id "
	        "WHERE t.token_hash = ? AND t.revoked_at = 0");
	if (!st)
		return DB_ERROR;
	db_bind_blob(st, 1, hash, AUTH_HASH_LEN);
	memset(p, 0, sizeof(*p));
	enum db_result r;
	bool found = false;
	while ((r = db_step(st)) == DB_ROW) {
		if (!found) {
			found = true;
			p->token_id = db_col_int(st, 0);
			snprintf(p->name, sizeof p->name, "%s", db_col_text(st, 1));
			p->last_seen = db_col_int(st, 4); /* last use, for touching */
		}
		add_grant(p, db_col_text(st, 2), db_col_text(st, 3));
	}
	db_done(st);
	if (r != DB_DONE)
		return r;
	return found ? DB_ROW : DB_DONE;
}

enum db_result tokens_list(struct db *db, struct arena *a, int64_t after_id, int limit,
                           struct token_row **rows, size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK; /* SQLite would read a negative LIMIT as none */
	struct db_stmt *st = db_prepare(
	    db, "SELECT id, name, coalesce(created_by, 0), created_at, last_used FROM api_tokens "
	        "WHERE revoked_at = 0 AND id > ? ORDER BY id LIMIT ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, after_id);
	db_bind_int(st, 2, limit);
	*rows = arena_alloc(a, sizeof(**rows) * (size_t)(limit > 0 ? limit : 1));
	*n = 0;
	enum db_result r;
	while ((r = db_step(st)) == DB_ROW && *n < (size_t)limit) {
		struct token_row *t = &(*rows)[(*n)++];
		memset(t, 0, sizeof(*t));
		t->id = db_col_int(st, 0);
		t->name = arena_strdup(a, db_col_text(st, 1));
		t->created_by = db_col_int(st, 2);
		t->created_at = db_col_int(st, 3);
		t->last_used = db_col_int(st, 4);
	}
	db_done(st);
	if (r == DB_ERROR)
		return r;
	for (size_t i = 0; i < *n; i++) {
		struct token_row *t = &(*rows)[i];
		st = db_prepare(db, "SELECT role, region_code FROM token_grants WHERE token_id = ? "
		                    "ORDER BY role, region_code");
		if (!st)
			return DB_ERROR;
		db_bind_int(st, 1, t->id);
		while (db_step(st) == DB_ROW && t->ngrants < USER_MAX_GRANTS) {
			struct grant *g = &t->grants[t->ngrants];
			if (!role_parse(db_col_text(st, 0), &g->role))
				continue;
			snprintf(g->region_code, sizeof g->region_code, "%s", db_col_text(st, 1));
			t->ngrants++;
		}
		db_done(st);
	}
	return DB_OK;
}

enum db_result tokens_touch(struct db *db, int64_t id, int64_t now)
{
	return exec_id(db, "UPDATE api_tokens SET last_used = ?1 WHERE id = ?2", now, id);
}

enum db_result tokens_revoke(struct db *db, int64_t id, int64_t now)
{
	enum db_result r = exec_id(
	    db, "UPDATE api_tokens SET revoked_at = ?1 WHERE id = ?2 AND revoked_at = 0", now, id);
	if (r != DB_OK)
		return r;
	return db_changes(db) ? DB_OK : DB_DONE;
}
