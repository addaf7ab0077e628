/* Webhook subscriptions, deliveries and attempts (see webhooks.h). */
#include "store/platform/webhooks.h"
#include "store/stmt.h"

#include <stdlib.h>
#include <string.h>

#define HOOK_COLS                                                                                  \
	"id, name, url, events, region_code, active, secret_sealed, coalesce(created_by, 0), "     \
	"created_at, updated_at"

static void hook_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct webhook_row *w = row;
	w->id = db_col_int(st, 0);
	w->name = sql_str(st, a, 1);
	w->url = sql_str(st, a, 2);
	w->events = sql_str(st, a, 3);
	w->region_code = sql_str(st, a, 4);
	w->active = db_col_int(st, 5) != 0;
	w->secret = sql_sealed(st, a, 6);
	w->created_by = db_col_int(st, 7);
	w->created_at = db_col_int(st, 8);
	w->updated_at = db_col_int(st, 9);
}

enum db_result store_webhooks_insert(struct db *db, struct webhook_row *w)
{
	return sql_insert(
	    db,
	    "INSERT INTO webhook_subscriptions(name, url, events, region_code, active, "
	    "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_TEXT(w->name), ARG_TEXT(w->url), ARG_TEXT(w->events),
	         ARG_OPT_TEXT(w->region_code), ARG_BOOL(w->active), ARG_ID(w->created_by),
	         ARG_INT(w->created_at), ARG_INT(w->created_at)),
	    &w->id);
}

enum db_result store_webhooks_set_secret(struct db *db, int64_t id, struct sealed s, int64_t now)
{
	return sql_change(db,
	                  "UPDATE webhook_subscriptions SET secret_sealed = ?, updated_at = ? "
	                  "WHERE id = ? AND deleted_at = 0",
	                  ARGS(ARG_SEALED(s), ARG_INT(now), ARG_INT(id)));
}

enum db_result store_webhooks_update(struct db *db, const struct webhook_row *w)
{
	return sql_change(
	    db,
	    "UPDATE webhook_subscriptions SET name = ?, url = ?, events = ?, "
	    "region_code = ?, active = ?, updated_at = ? WHERE id = ? AND deleted_at = 0",
	    ARGS(ARG_TEXT(w->name), ARG_TEXT(w->url), ARG_TEXT(w->events),
	         ARG_OPT_TEXT(w->region_code), ARG_BOOL(w->active), ARG_INT(w->updated_at),
	         ARG_INT(w->id)));
}

enum db_result store_webhooks_delete(struct db *db, int64_t id, int64_t now)
{
	/* The row stays for its deliveries' log; the secret goes with the subscription. */
	return sql_change(db,
	                  "UPDATE webhook_subscriptions SET deleted_at = ?, active = 0, "
	                  "secret_sealed = NULL WHERE id = ? AND deleted_at = 0",
	                  ARGS(ARG_INT(now), ARG_INT(id)));
}

enum db_result store_webhooks_get(struct db *db, struct arena *a, int64_t id,
                                  struct webhook_row *out)
{
	return sql_one(db, a,
	               "SELECT " HOOK_COLS
	               " FROM webhook_subscriptions WHERE id = ? AND deleted_at = 0",
	               ARGS(ARG_INT(id)), hook_read, out);
}

enum db_result store_webhooks_list(struct db *db, struct arena *a, int64_t before, int limit,
                                   struct webhook_row **rows, size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK;
	return sql_all(db, a,
	               "SELECT " HOOK_COLS " FROM webhook_subscriptions WHERE deleted_at = 0 AND "
	               "id < ? ORDER BY id DESC LIMIT ?",
	               ARGS(ARG_INT(before > 0 ? before : INT64_MAX), ARG_INT(limit)), hook_read,
	               sizeof **rows, limit, (void **)rows, n);
}

enum db_result store_webhooks_enqueue(struct db *db, const char *type, const char *region_code,
                                      int64_t case_id, const char *payload, int64_t now,
                                      int64_t now_ms)
{
	/* events holds the types as JSON strings, so the quoted type matches one element only
	 * (no type holds a LIKE wildcard: domain/webhook.c). A region filter holds the event
	 * when it is a prefix of the case's grid code. */
	char like[80];
	size_t tl = strlen(type);
	if (tl + 5 > sizeof like)
		return DB_ERROR;
	like[0] = '%';
	like[1] = '"';
	memcpy(like + 2, type, tl);
	memcpy(like + 2 + tl, "\"%", 3);
	return sql_run(
	    db,
	    "INSERT INTO webhook_deliveries(subscription_id, event, case_id, payload, "
	    "next_at_ms, created_at) SELECT id, ?1, ?2, ?3, ?4, ?5 FROM "
	    "webhook_subscriptions WHERE active = 1 AND deleted_at = 0 AND events LIKE ?6 "
	    "AND (region_code IS NULL OR "
	    "substr(CAST(?7 AS TEXT), 1, length(region_code)) = region_code)",
	    ARGS(ARG_TEXT(type), ARG_INT(case_id), ARG_TEXT(payload), ARG_INT(now_ms), ARG_INT(now),
	         ARG_TEXT(like), ARG_TEXT(region_code ? region_code : "")));
}

enum db_result store_webhooks_enqueue_one(struct db *db, int64_t subscription_id, const char *type,
                                          const char *payload, int64_t now, int64_t now_ms,
                                          int64_t *id)
{
	return sql_insert(db,
	                  "INSERT INTO webhook_deliveries(subscription_id, event, payload, "
	                  "next_at_ms, created_at) VALUES (?, ?, ?, ?, ?)",
	                  ARGS(ARG_INT(subscription_id), ARG_TEXT(type), ARG_TEXT(payload),
	                       ARG_INT(now_ms), ARG_INT(now)),
	                  id);
}

#define DELIVERY_COLS                                                                              \
	"id, subscription_id, coalesce(case_id, 0), event, payload, status, attempts, "            \
	"next_at_ms, "                                                                             \
	"created_at, delivered_at"

static void delivery_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct webhook_delivery_row *d = row;
	d->id = db_col_int(st, 0);
	d->subscription_id = db_col_int(st, 1);
	d->case_id = db_col_int(st, 2);
	d->event = sql_str(st, a, 3);
	d->payload = sql_str(st, a, 4);
	d->status = sql_str(st, a, 5);
	d->attempts = db_col_int(st, 6);
	d->next_at_ms = db_col_int(st, 7);
	d->created_at = db_col_int(st, 8);
	d->delivered_at = db_col_int(st, 9);
}

static int delivery_by_id(const void *x, const void *y)
{
	const struct webhook_delivery_row *a = x, *b = y;
	return (a->id > b->id) - (a->id < b->id);
}

enum db_result store_webhook_deliveries_get(struct db *db, struct arena *a, int64_t id,
                                            struct webhook_delivery_row *out)
{
	return sql_one(db, a, "SELECT " DELIVERY_COLS " FROM webhook_deliveries WHERE id = ?",
	               ARGS(ARG_INT(id)), delivery_read, out);
}

enum db_result store_webhook_deliveries_list(struct db *db, struct arena *a,
                                             int64_t subscription_id, int64_t before, int limit,
                                             struct webhook_delivery_row **rows, size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK;
	return sql_all(db, a,
	               "SELECT " DELIVERY_COLS " FROM webhook_deliveries WHERE subscription_id = ? "
	               "AND id < ? ORDER BY id DESC LIMIT ?",
	               ARGS(ARG_INT(subscription_id), ARG_INT(before > 0 ? before : INT64_MAX),
	                    ARG_INT(limit)),
	               delivery_read, sizeof **rows, limit, (void **)rows, n);
}

static void attempt_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct webhook_attempt_row *t = row;
	t->id = db_col_int(st, 0);
	t->delivery_id = db_col_int(st, 1);
	t->at = db_col_int(st, 2);
	t->duration_ms = db_col_int(st, 3);
	t->http_status = db_col_int(st, 4);
	t->error = sql_str(st, a, 5);
}

enum db_result store_webhook_attempts_list(struct db *db, struct arena *a, int64_t subscription_id,
                                           int64_t lo, int64_t hi,
                                           struct webhook_attempt_row **rows, size_t *n)
{
	*n = 0;
	return sql_all(db, a,
	               "SELECT t.id, t.delivery_id, t.at, t.duration_ms, t.http_status, t.error "
	               "FROM webhook_attempts t JOIN webhook_deliveries d ON d.id = t.delivery_id "
	               "WHERE d.subscription_id = ? AND t.delivery_id >= ? AND t.delivery_id <= ? "
	               "ORDER BY t.id",
	               ARGS(ARG_INT(subscription_id), ARG_INT(lo), ARG_INT(hi)), attempt_read,
	               sizeof **rows, -1, (void **)rows, n);
}

enum db_result store_webhook_deliveries_requeue(struct db *db, int64_t id, int64_t now_ms)
{
	return sql_change(db,
	                  "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, "
	                  "next_at_ms = ?, delivered_at = 0, claimed_until = 0 "
	                  "WHERE id = ? AND status <> 'pending'",
	                  ARGS(ARG_INT(now_ms), ARG_INT(id)));
}

enum db_result store_webhook_deliveries_claim(struct db *db, struct arena *a, const char *claimer,
                                              int64_t now, int64_t now_ms, int64_t until, int limit,
                                              struct webhook_delivery_row **rows, size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK;
	/* As store_notifications_claim: the caller's write transaction is the one writer, so two
	 * senders never claim one delivery, and a claim that ran out (a sender that died) frees
	 * the delivery again. */
	enum db_result r = sql_all(
	    db, a,
	    "UPDATE webhook_deliveries SET claimed_by = ?1, claimed_until = ?2 WHERE id IN ("
	    "SELECT d.id FROM webhook_deliveries d JOIN webhook_subscriptions s ON "
	    "s.id = d.subscription_id WHERE d.status = 'pending' AND d.next_at_ms <= ?3 AND "
	    "d.claimed_until <= ?4 AND s.active = 1 AND s.deleted_at = 0 "
	    "ORDER BY d.next_at_ms, d.id LIMIT ?5) RETURNING " DELIVERY_COLS,
	    ARGS(ARG_TEXT(claimer), ARG_INT(until), ARG_INT(now_ms), ARG_INT(now), ARG_INT(limit)),
	    delivery_read, sizeof **rows, limit, (void **)rows, n);
	if (r == DB_OK && *n > 1)
		qsort(*rows, *n, sizeof **rows, delivery_by_id); /* RETURNING keeps no order */
	return r;
}

enum db_result store_webhook_deliveries_record(struct db *db, int64_t id, const char *claimer,
                                               const struct webhook_attempt_row *at,
                                               const char *status, int64_t next_at_ms)
{
	enum db_result r = sql_change(
	    db,
	    "UPDATE webhook_deliveries SET attempts = attempts + 1, status = ?1, next_at_ms = ?2, "
	    "delivered_at = ?3, claimed_until = 0 WHERE id = ?4 AND claimed_by = ?5 AND "
	    "status = 'pending'",
	    ARGS(ARG_TEXT(status), ARG_INT(next_at_ms),
	         ARG_INT(strcmp(status, "delivered") == 0 ? at->at : 0), ARG_INT(id),
	         ARG_TEXT(claimer)));
	if (r == DB_DONE)
		return DB_OK; /* another sender took it over after our claim ran out: its log counts
		               */
	if (r != DB_OK)
		return r;
	return sql_run(db,
	               "INSERT INTO webhook_attempts(delivery_id, at, duration_ms, http_status, "
	               "error, sender) VALUES (?, ?, ?, ?, ?, ?)",
	               ARGS(ARG_INT(id), ARG_INT(at->at), ARG_INT(at->duration_ms),
	                    ARG_INT(at->http_status), ARG_OPT_TEXT(at->error), ARG_TEXT(claimer)));
}

/* The finished deliveries (delivered or failed for good) created before `before`, oldest
 * first: a pending one is never pruned, whatever its age. */
#define PRUNABLE                                                                                   \
	"SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND created_at < ?1 "         \
	"ORDER BY id LIMIT ?2"

enum db_result store_webhook_deliveries_prune(struct db *db, int64_t before, int limit)
{
	enum db_result r =
	    sql_run(db, "DELETE FROM webhook_attempts WHERE delivery_id IN (" PRUNABLE ")",
	            ARGS(ARG_INT(before), ARG_INT(limit)));
	if (r != DB_OK)
		return r;
	return sql_change(db, "DELETE FROM webhook_deliveries WHERE id IN (" PRUNABLE ")",
	                  ARGS(ARG_INT(before), ARG_INT(limit)));
}
