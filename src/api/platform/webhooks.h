/* Webhook subscriptions: the handlers (webhooks.c), the case events they are sent
 * (api/cases/cases_routing.c) and the sender the outbox thread runs (webhook_send.c). */
#ifndef JICENG_API_WEBHOOKS_H
#define JICENG_API_WEBHOOKS_H

#include "store/db.h"

#include <stddef.h>
#include <stdint.h>

/* "sha256=" and 64 hex digits, NUL-terminated. */
enum { WEBHOOK_SIG_LEN = 72 };

/* The associated data that binds a subscription's sealed secret to its row (seal_encrypt_ad):
 * a sealed secret copied into another subscription does not open. Its length. */
size_t webhook_secret_ad(int64_t id, char out[64]);
/* X-Jiceng-Signature: "sha256=" hex HMAC-SHA256 keyed with the secret's characters over
 * timestamp (decimal unix seconds) "." body. */
void webhook_sign(const char *secret, int64_t timestamp, const char *body,
                  char out[WEBHOOK_SIG_LEN]);
/* Wall-clock milliseconds: when deliveries are due. */
int64_t webhook_now_ms(void);
/* The sender, on the outbox thread's connection: claims due deliveries, sends them, logs
 * each attempt and schedules the next by the backoff (first wait backoff_ms). Returns how
 * many it claimed. */
size_t webhook_drain(struct db *db, const char *claimer, int64_t backoff_ms);
/* Deletes the finished deliveries (and their attempts) older than keep_days days, a few
 * hundred per write transaction so the writers' lock is never held long. Returns how many
 * batches it deleted. */
size_t webhook_prune(struct db *db, int64_t now, int64_t keep_days);

#endif
