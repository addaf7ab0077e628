/* Appending reads the last hash inside the same write transaction, so two
 * writers can never chain to the same predecessor. */
#include "store/audit.h"
#include "core/timeutil.h"

#include <string.h>

enum db_result audit_append(struct db *db, struct audit_entry *e)
{
	unsigned char prev[AUDIT_HASH_LEN] = {0};
	int64_t last_id = 0;
	struct db_stmt *st = db_prepare(db, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
	if (!st)
		return DB_ERROR;
	enum db_result r = db_step(st);
	if (r == DB_ROW) {
		size_t n;
		const void *h = db_col_blob(st, 1, &n);
		last_id = db_col_int(st, 0);
		if (n == AUDIT_HASH_LEN)
			memcpy(prev, h, n);
	}
	db_done(st);
	if (r == DB_ERROR || r == DB_BUSY)
		return r;
	e->id = last_id + 1;
	if (!e->at)
		e->at = time_now();
	unsigned char hash[AUDIT_HASH_LEN];
	audit_chain_hash(prev, e, hash);
	st =
	    db_prepare(db, "INSERT INTO audit(id, at, user_id, username, action, object, result, "
	                   "ip, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, e->id);
	db_bind_int(st, 2, e->at);
	db_bind_int(st, 3, e->user_id);
	db_bind_text(st, 4, e->username);
	db_bind_text(st, 5, e->action);
	db_bind_text(st, 6, e->object);
	db_bind_int(st, 7, e->result);
	db_bind_text(st, 8, e->ip);
	db_bind_text(st, 9, e->detail);
	db_bind_blob(st, 10, prev, AUDIT_HASH_LEN);
	db_bind_blob(st, 11, hash, AUDIT_HASH_LEN);
	r = db_step(st);
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

#define AUDIT_COLS "id, at, user_id, username, action, object, result, ip, detail"

static const char *dup_or_null(struct arena *a, struct db_stmt *st, int col)
{
	return db_col_null(st, col) ? NULL : arena_strdup(a, db_col_text(st, col));
}

static void entry_from_row(struct db_stmt *st, struct arena *a, struct audit_entry *e)
{
	e->id = db_col_int(st, 0);
	e->at = db_col_int(st, 1);
	e->user_id = db_col_int(st, 2);
	e->username = dup_or_null(a, st, 3);
	e->action = dup_or_null(a, st, 4);
	e->object = dup_or_null(a, st, 5);
	e->result = db_col_int(st, 6);
	e->ip = dup_or_null(a, st, 7);
	e->detail = dup_or_null(a, st, 8);
}

enum db_result audit_list(struct db *db, struct arena *a, int64_t before, int limit,
                          struct audit_entry **rows, size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK; /* SQLite would read a negative LIMIT as none */
	struct db_stmt *st = db_prepare(db, "SELECT " AUDIT_COLS
	                                    " FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, before > 0 ? before : INT64_MAX);
	db_bind_int(st, 2, limit);
	*rows = arena_alloc(a, sizeof(**rows) * (size_t)(limit > 0 ? limit : 1));
	*n = 0;
	enum db_result r;
	while ((r = db_step(st)) == DB_ROW && *n < (size_t)limit)
		entry_from_row(st, a, &(*rows)[(*n)++]);
	db_done(st);
	return r == DB_ERROR ? r : DB_OK;
}

enum db_result audit_verify(struct db *db, int64_t *checked, int64_t *bad_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT " AUDIT_COLS ", prev_hash, hash FROM audit "
	                                    "ORDER BY id");
	if (!st)
		return DB_ERROR;
	unsigned char prev[AUDIT_HASH_LEN] = {0};
	int64_t expect_id = 1;
	*checked = 0;
	*bad_id = 0;
	enum db_result r;
	struct arena a;
	arena_init(&a);
	while ((r = db_step(st)) == DB_ROW) {
		struct audit_entry e;
		entry_from_row(st, &a, &e);
		size_t np, nh;
		const void *ph = db_col_blob(st, 9, &np);
		const void *hh = db_col_blob(st, 10, &nh);
		unsigned char want[AUDIT_HASH_LEN];
		audit_chain_hash(prev, &e, want);
		bool ok = e.id == expect_id && np == AUDIT_HASH_LEN && nh == AUDIT_HASH_LEN &&
		          memcmp(ph, prev, AUDIT_HASH_LEN) == 0 &&
		          memcmp(hh, want, AUDIT_HASH_LEN) == 0;
		if (!ok) {
			*bad_id = e.id;
			r = DB_CONSTRAINT;
			break;
		}
		memcpy(prev, want, AUDIT_HASH_LEN);
		expect_id++;
		(*checked)++;
		arena_free(&a);
	}
	arena_free(&a);
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}
