/* Webhook subscriptions, their deliveries and the log of each delivery's attempts. */
#ifndef JICENG_STORE_WEBHOOKS_H
#define JICENG_STORE_WEBHOOKS_H

#include "core/arena.h"
#include "store/base/base.h"
#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>

/* The id comes first: pages read it as their cursor. */
struct webhook_row {
	int64_t id;
	const char *name, *url;
	const char *events;      /* a JSON array of event types */
	const char *region_code; /* NULL: every region */
	bool active;
	struct sealed secret; /* core/seal.h, bound to the row (see api/platform/webhooks.c) */
	int64_t created_by, created_at, updated_at;
};

struct webhook_delivery_row {
	int64_t id, subscription_id, case_id;
	const char *event, *payload, *status;
	int64_t attempts; /* tries since it was last queued (the log keeps every one) */
	int64_t next_at_ms, created_at, delivered_at;
};

struct webhook_attempt_row {
	int64_t id, delivery_id, at, duration_ms, http_status;
	const char *error;
};

/* Subscriptions (deleted ones are gone for every read). */
enum db_result store_webhooks_insert(struct db *db, struct webhook_row *w);
enum db_result store_webhooks_set_secret(struct db *db, int64_t id, struct sealed s, int64_t now);
/* Name, URL, events, region and active of w; DB_DONE when there is no such subscription. */
enum db_result store_webhooks_update(struct db *db, const struct webhook_row *w);
enum db_result store_webhooks_delete(struct db *db, int64_t id, int64_t now);
enum db_result store_webhooks_get(struct db *db, struct arena *a, int64_t id,
                                  struct webhook_row *out);
/* Newest first, ids below before (0: from the newest). */
enum db_result store_webhooks_list(struct db *db, struct arena *a, int64_t before, int limit,
                                   struct webhook_row **rows, size_t *n);

/* A delivery of an event of type to every active subscription that asked for the type and
 * whose region holds region_code, due at once (in the caller's transaction). */
enum db_result store_webhooks_enqueue(struct db *db, const char *type, const char *region_code,
                                      int64_t case_id, const char *payload, int64_t now,
                                      int64_t now_ms);
/* One delivery to one subscription (the test ping), due at once. */
enum db_result store_webhooks_enqueue_one(struct db *db, int64_t subscription_id, const char *type,
                                          const char *payload, int64_t now, int64_t now_ms,
                                          int64_t *id);
/* Deletes at most limit finished deliveries created before `before`, with their attempts (the
 * delivery log is kept for a while, not for ever): DB_DONE when there was none left. */
enum db_result store_webhook_deliveries_prune(struct db *db, int64_t before, int limit);
enum db_result store_webhook_deliveries_get(struct db *db, struct arena *a, int64_t id,
                                            struct webhook_delivery_row *out);
/* A subscription's deliveries, newest first, ids below before (0: from the newest). */
enum db_result store_webhook_deliveries_list(struct db *db, struct arena *a,
                                             int64_t subscription_id, int64_t before, int limit,
                                             struct webhook_delivery_row **rows, size_t *n);
/* The attempts of the subscription's deliveries with ids in [lo, hi], oldest first. */
enum db_result store_webhook_attempts_list(struct db *db, struct arena *a, int64_t subscription_id,
                                           int64_t lo, int64_t hi,
                                           struct webhook_attempt_row **rows, size_t *n);
/* Queues a delivered or failed delivery again, due at once with a fresh set of tries;
 * DB_DONE when it is still pending (a sender may hold it). */
enum db_result store_webhook_deliveries_requeue(struct db *db, int64_t id, int64_t now_ms);

/* The sender. In the caller's write transaction (the database's one writer), claims up to
 * limit due pending deliveries of active subscriptions for claimer until until (seconds),
 * oldest due first. */
enum db_result store_webhook_deliveries_claim(struct db *db, struct arena *a, const char *claimer,
                                              int64_t now, int64_t now_ms, int64_t until, int limit,
                                              struct webhook_delivery_row **rows, size_t *n);
/* Logs one attempt of a delivery claimer holds and sets what follows: status "delivered",
 * "pending" again at next_at_ms, or "failed". */
enum db_result store_webhook_deliveries_record(struct db *db, int64_t id, const char *claimer,
                                               const struct webhook_attempt_row *at,
                                               const char *status, int64_t next_at_ms);

#endif
