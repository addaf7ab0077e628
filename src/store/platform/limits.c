/* Limits counted in the database, for nodes that share it (store/platform/limits.h). Each
 * function that changes a count runs in the caller's write transaction, which is the
 * database's one writer on every backend (BEGIN IMMEDIATE; the advisory lock on PostgreSQL),
 * so a read, a decision and its write cannot interleave with another node's. */
#include "store/platform/limits.h"
#include "store/dialect.h"
#include "store/stmt.h"

bool store_limits_shared(struct db *db)
{
	return db_kind(db) == DB_POSTGRES;
}

enum db_result store_limits_begin(struct db *db)
{
	enum db_result r = db_begin_write(db);
	if (r != DB_OK)
		return r;
	r = db_exec(db, SQL_DIALECT("SELECT 1", "SET LOCAL synchronous_commit = off"));
	if (r != DB_OK)
		db_rollback(db);
	return r;
}

struct bucket_row {
	double tokens;
	int64_t at_ms;
};

static void bucket_read(struct db_stmt *st, struct arena *a, void *row)
{
	(void)a;
	struct bucket_row *b = row;
	b->tokens = db_col_double(st, 0);
	b->at_ms = db_col_int(st, 1);
}

enum db_result store_rate_take(struct db *db, const char *bucket, double cap, int64_t now_ms,
                               bool *ok, int64_t *wait)
{
	*ok = true;
	*wait = 0;
	struct bucket_row b = {cap, now_ms};
	enum db_result r =
	    sql_one(db, NULL, "SELECT tokens, at_ms FROM rate_buckets WHERE bucket = ?",
	            ARGS(ARG_TEXT(bucket)), bucket_read, &b);
	if (r != DB_ROW && r != DB_DONE)
		return r;
	double t = b.tokens;
	if (now_ms > b.at_ms)
		t += (double)(now_ms - b.at_ms) / 1000.0 * cap / 60.0;
	if (t > cap)
		t = cap;
	*ok = t >= 1.0;
	if (*ok)
		t -= 1.0;
	else
		*wait = (int64_t)((1.0 - t) * 60.0 / cap) + 1;
	return sql_run(db,
	               "INSERT INTO rate_buckets(bucket, tokens, at_ms) VALUES (?1, ?2, ?3) "
	               "ON CONFLICT(bucket) DO UPDATE SET tokens = ?2, at_ms = ?3",
	               ARGS(ARG_TEXT(bucket), ARG_REAL(t), ARG_INT(now_ms)));
}

enum db_result store_rate_refund(struct db *db, const char *bucket, double cap)
{
	return sql_run(db,
	               "UPDATE rate_buckets SET tokens = tokens + 1 WHERE bucket = ?1 AND "
	               "tokens + 1 <= ?2",
	               ARGS(ARG_TEXT(bucket), ARG_REAL(cap)));
}

enum db_result store_rate_hit(struct db *db, const char *bucket, int cap, int64_t now,
                              int64_t window, bool *ok, int64_t *retry_after)
{
	*ok = false;
	*retry_after = window;
	if (cap <= 0)
		return DB_OK;
	int64_t n = 0, oldest = 0;
	/* This key's events that left the window (store_limits_purge removes other keys'). */
	enum db_result r = sql_run(db, "DELETE FROM rate_hits WHERE bucket = ? AND at <= ?",
	                           ARGS(ARG_TEXT(bucket), ARG_INT(now - window)));
	if (r == DB_OK)
		r = sql_int(db, "SELECT count(*) FROM rate_hits WHERE bucket = ? AND at > ?",
		            ARGS(ARG_TEXT(bucket), ARG_INT(now - window)), &n);
	if (r != DB_OK)
		return r;
	if (n >= cap) {
		/* The cap-th newest event leaves the window first among those that keep it full. */
		r = sql_int(db,
		            "SELECT at FROM rate_hits WHERE bucket = ? AND at > ? ORDER BY at DESC "
		            "LIMIT 1 OFFSET ?",
		            ARGS(ARG_TEXT(bucket), ARG_INT(now - window), ARG_INT(cap - 1)),
		            &oldest);
		if (r != DB_OK)
			return r;
		int64_t w = oldest + window - now;
		*retry_after = w > 0 ? w : 1;
		return DB_OK;
	}
	*ok = true;
	*retry_after = 0;
	return sql_run(db, "INSERT INTO rate_hits(bucket, at) VALUES (?, ?)",
	               ARGS(ARG_TEXT(bucket), ARG_INT(now)));
}

enum db_result store_login_unknown_locked(struct db *db,
                                          const unsigned char hash[LOGIN_NAME_HASH_LEN],
                                          int64_t *until)
{
	return sql_int(db, "SELECT locked_until FROM login_unknown WHERE name_hash = ?",
	               ARGS(ARG_BLOB(hash, LOGIN_NAME_HASH_LEN)), until);
}

enum db_result store_login_unknown_failure(struct db *db,
                                           const unsigned char hash[LOGIN_NAME_HASH_LEN],
                                           int64_t max, int64_t locked_until, int64_t now,
                                           bool *locked)
{
	int64_t failures = 0;
	enum db_result r = sql_int(db, "SELECT failures FROM login_unknown WHERE name_hash = ?",
	                           ARGS(ARG_BLOB(hash, LOGIN_NAME_HASH_LEN)), &failures);
	if (r != DB_OK)
		return r;
	*locked = failures + 1 >= max;
	return sql_run(db,
	               "INSERT INTO login_unknown(name_hash, failures, locked_until, at) "
	               "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(name_hash) DO UPDATE SET "
	               "failures = ?2, locked_until = CASE WHEN ?5 = 1 THEN ?3 ELSE "
	               "login_unknown.locked_until END, at = ?4",
	               ARGS(ARG_BLOB(hash, LOGIN_NAME_HASH_LEN),
	                    ARG_INT(*locked ? 0 : failures + 1),
	                    ARG_INT(*locked ? locked_until : 0), ARG_INT(now), ARG_BOOL(*locked)));
}

enum db_result store_limits_purge(struct db *db, int64_t now, int64_t window)
{
	enum db_result r = sql_run(db, "DELETE FROM rate_buckets WHERE at_ms < ?",
	                           ARGS(ARG_INT((now - 60) * 1000)));
	if (r == DB_OK)
		r = sql_run(db, "DELETE FROM rate_hits WHERE at <= ?", ARGS(ARG_INT(now - window)));
	if (r == DB_OK)
		r = sql_run(db, "DELETE FROM login_unknown WHERE at < ?1 AND locked_until <= ?2",
		            ARGS(ARG_INT(now - 86400), ARG_INT(now)));
	return r;
}
