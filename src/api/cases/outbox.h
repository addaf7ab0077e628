/* The background sender of the notification outbox. */
#ifndef JICENG_API_OUTBOX_H
#define JICENG_API_OUTBOX_H

#include "core/mem.h"

#include <stdint.h>

struct outbox;

/* Starts the sender: webhook NULL logs each notification, else POSTs it as JSON there (the
 * legacy single URL); the webhook subscriptions' deliveries go out as well, a failed one
 * tried again after backoff_ms, 3 ×, 12 × … that (0: the production 10 s). Finished
 * deliveries stay in the delivery log for log_days days (0: WEBHOOK_LOG_DAYS). */
enum { WEBHOOK_LOG_DAYS = 90 };
struct outbox *outbox_start(const char *db_path, const char *webhook, int64_t backoff_ms,
                            int64_t log_days);
/* Stops the thread after its current batch and frees everything. */
void outbox_stop(struct outbox *ob);

#endif
