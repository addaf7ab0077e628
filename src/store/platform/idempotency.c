/* Idempotency keys (migration 24). */
#include "store/platform/idempotency.h"

#include "store/stmt.h"

#include <string.h>

static void idem_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct idem_row *r = row;
	memset(r, 0, sizeof *r);
	r->request_hash = sql_str(st, a, 0);
	r->status = db_col_int(st, 1);
	r->content_type = sql_str(st, a, 2);
	r->body = sql_str(st, a, 3);
	r->created_at = db_col_int(st, 4);
}

enum db_result store_idem_get(struct db *db, struct arena *a, const char *owner, const char *key,
                              int64_t not_before, struct idem_row *out)
{
	return sql_one(db, a,
	               "SELECT request_hash, status, content_type, body, created_at "
	               "FROM idempotency_keys WHERE owner = ? AND idem_key = ? AND created_at >= ?",
	               ARGS(ARG_TEXT(owner), ARG_TEXT(key), ARG_INT(not_before)), idem_read, out);
}

enum db_result store_idem_put(struct db *db, const char *owner, const char *key,
                              const char *request_hash, int64_t status, const char *content_type,
                              const char *body, int64_t now)
{
	return sql_run(
	    db,
	    "INSERT INTO idempotency_keys(owner, idem_key, request_hash, status, "
	    "content_type, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT (owner, idem_key) DO UPDATE SET request_hash = "
	    "excluded.request_hash, status = excluded.status, content_type = "
	    "excluded.content_type, body = excluded.body, created_at = excluded.created_at",
	    ARGS(ARG_TEXT(owner), ARG_TEXT(key), ARG_TEXT(request_hash), ARG_INT(status),
	         ARG_TEXT(content_type), ARG_TEXT(body), ARG_INT(now)));
}

enum db_result store_idem_finish(struct db *db, const char *owner, const char *key, int64_t status,
                                 const char *content_type, const char *body)
{
	return sql_run(db,
	               "UPDATE idempotency_keys SET status = ?, content_type = ?, body = ? "
	               "WHERE owner = ? AND idem_key = ? AND status = 0",
	               ARGS(ARG_INT(status), ARG_TEXT(content_type), ARG_TEXT(body),
	                    ARG_TEXT(owner), ARG_TEXT(key)));
}

enum db_result store_idem_forget(struct db *db, const char *owner, const char *key)
{
	return sql_run(
	    db, "DELETE FROM idempotency_keys WHERE owner = ? AND idem_key = ? AND status = 0",
	    ARGS(ARG_TEXT(owner), ARG_TEXT(key)));
}

enum db_result store_idem_prune(struct db *db, int64_t cutoff)
{
	return sql_run(db, "DELETE FROM idempotency_keys WHERE created_at < ?",
	               ARGS(ARG_INT(cutoff)));
}
