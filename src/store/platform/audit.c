/* Appending reads the last hash inside the same write transaction, so two
 * writers can never chain to the same predecessor. */
#include "store/platform/audit.h"
#include "store/stmt.h"
#include "core/log.h"
#include "core/seal.h"
#include "core/timeutil.h"

#include <stdio.h>
#include <string.h>

static void hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* The head record "id:hash:mac" in meta, rewritten with every append. */
static enum db_result write_head(struct db *db, const unsigned char key[AUDIT_KEY_LEN], int64_t id,
                                 const unsigned char hash[AUDIT_HASH_LEN])
{
	unsigned char mac[AUDIT_HASH_LEN];
	audit_head_mac(key, id, hash, mac);
	char h[2 * AUDIT_HASH_LEN + 1], m[2 * AUDIT_HASH_LEN + 1], value[200];
	hex(hash, AUDIT_HASH_LEN, h);
	hex(mac, AUDIT_HASH_LEN, m);
	snprintf(value, sizeof value, "%lld:%s:%s", (long long)id, h, m);
	return sql_run(db,
	               "INSERT INTO meta(key, value) VALUES ('audit_head', ?) "
	               "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	               ARGS(ARG_TEXT(value)));
}

/* Per thread: the group-commit writer defers the head record to one write per batch. */
static _Thread_local bool head_deferred, head_dirty;

void store_audit_defer_head(bool on)
{
	head_deferred = on;
	head_dirty = false;
}

enum db_result store_audit_flush_head(struct db *db)
{
	if (!head_dirty)
		return DB_OK;
	unsigned char key[AUDIT_KEY_LEN];
	if (!seal_audit_key(key))
		return DB_ERROR;
	unsigned char hash[AUDIT_HASH_LEN];
	int64_t id = 0;
	enum db_result r = store_audit_hash_at(db, &id, hash);
	if (r == DB_ERROR || r == DB_BUSY)
		return r;
	head_dirty = false;
	return r == DB_ROW ? write_head(db, key, id, hash) : DB_OK;
}

enum db_result store_audit_append(struct db *db, struct audit_entry *e)
{
	unsigned char key[AUDIT_KEY_LEN];
	if (!seal_audit_key(key)) {
		log_error("audit: no key loaded, entry not written");
		return DB_ERROR;
	}
	unsigned char prev[AUDIT_HASH_LEN] = {0};
	int64_t last_id = 0; /* 0: the last entry, if any (an empty log chains from zeros) */
	enum db_result r = store_audit_hash_at(db, &last_id, prev);
	if (r == DB_ERROR || r == DB_BUSY)
		return r;
	e->id = last_id + 1;
	if (!e->at)
		e->at = time_now();
	unsigned char hash[AUDIT_HASH_LEN];
	audit_chain_hash(key, prev, e, hash);
	r = sql_run(db,
	            "INSERT INTO audit(id, at, user_id, username, action, object, result, "
	            "ip, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	            ARGS(ARG_INT(e->id), ARG_INT(e->at), ARG_INT(e->user_id), ARG_TEXT(e->username),
	                 ARG_TEXT(e->action), ARG_TEXT(e->object), ARG_INT(e->result),
	                 ARG_TEXT(e->ip), ARG_TEXT(e->detail), ARG_BLOB(prev, AUDIT_HASH_LEN),
	                 ARG_BLOB(hash, AUDIT_HASH_LEN)));
	if (r != DB_OK)
		return r;
	if (head_deferred) {
		head_dirty = true;
		return DB_OK;
	}
	return write_head(db, key, e->id, hash);
}

#define AUDIT_COLS "id, at, user_id, username, action, object, result, ip, detail"

static void entry_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct audit_entry *e = row;
	e->id = db_col_int(st, 0);
	e->at = db_col_int(st, 1);
	e->user_id = db_col_int(st, 2);
	e->username = sql_str(st, a, 3);
	e->action = sql_str(st, a, 4);
	e->object = sql_str(st, a, 5);
	e->result = db_col_int(st, 6);
	e->ip = sql_str(st, a, 7);
	e->detail = sql_str(st, a, 8);
}

enum db_result store_audit_list(struct db *db, struct arena *a, int64_t before, int limit,
                                struct audit_entry **rows, size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK; /* SQLite would read a negative LIMIT as none */
	return sql_all(db, a,
	               "SELECT " AUDIT_COLS " FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?",
	               ARGS(ARG_INT(before > 0 ? before : INT64_MAX), ARG_INT(limit)), entry_read,
	               sizeof **rows, limit, (void **)rows, n);
}

enum db_result store_audit_verify(struct db *db, int64_t *checked, int64_t *bad_id)
{
	unsigned char key[AUDIT_KEY_LEN];
	if (!seal_audit_key(key))
		return DB_ERROR;
	struct db_stmt *st =
	    sql_open(db, "SELECT " AUDIT_COLS ", prev_hash, hash FROM audit ORDER BY id", NO_ARGS);
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
		entry_read(st, &a, &e);
		size_t np, nh;
		const void *ph = db_col_blob(st, 9, &np);
		const void *hh = db_col_blob(st, 10, &nh);
		unsigned char want[AUDIT_HASH_LEN];
		audit_chain_hash(key, prev, &e, want);
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
	if (r != DB_DONE)
		return r;
	/* The head names the last entry: anything removed from the end shows here. */
	int64_t last = expect_id - 1;
	char want[200] = "";
	if (last > 0) {
		unsigned char mac[AUDIT_HASH_LEN];
		char h[2 * AUDIT_HASH_LEN + 1], m[2 * AUDIT_HASH_LEN + 1];
		audit_head_mac(key, last, prev, mac);
		hex(prev, AUDIT_HASH_LEN, h);
		hex(mac, AUDIT_HASH_LEN, m);
		snprintf(want, sizeof want, "%lld:%s:%s", (long long)last, h, m);
	}
	st = sql_open(db, "SELECT value FROM meta WHERE key = 'audit_head'", NO_ARGS);
	if (!st)
		return DB_ERROR;
	r = db_step(st);
	bool ok = r == DB_ROW ? strcmp(db_col_text(st, 0), want) == 0 : last == 0;
	int64_t head_id = 0;
	if (r == DB_ROW)
		sscanf(db_col_text(st, 0), "%lld", (long long *)&head_id);
	db_done(st);
	if (r == DB_ERROR || r == DB_BUSY)
		return r;
	if (!ok) {
		*bad_id = head_id > last ? last + 1 : (last ? last : 1);
		return DB_CONSTRAINT;
	}
	return DB_OK;
}

enum db_result store_audit_hash_at(struct db *db, int64_t *id, unsigned char hash[AUDIT_HASH_LEN])
{
	struct db_stmt *st =
	    *id ? sql_open(db, "SELECT id, hash FROM audit WHERE id = ?", ARGS(ARG_INT(*id)))
	        : sql_open(db, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", NO_ARGS);
	if (!st)
		return DB_ERROR;
	enum db_result r = db_step(st);
	if (r == DB_ROW) {
		size_t n;
		const void *h = db_col_blob(st, 1, &n);
		*id = db_col_int(st, 0);
		if (n == AUDIT_HASH_LEN)
			memcpy(hash, h, n);
		else
			memset(hash, 0, AUDIT_HASH_LEN);
	}
	db_done(st);
	return r;
}
