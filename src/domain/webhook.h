/* Webhook subscriptions' rules: which addresses may be called, which event types exist and
 * when a failed delivery is tried again. Pure: no I/O. */
#ifndef JICENG_DOMAIN_WEBHOOK_H
#define JICENG_DOMAIN_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* WEBHOOK_MAX_ATTEMPTS tries in all, then the delivery is failed (a manual redelivery queues
 * it again); WEBHOOK_BACKOFF_MS is the wait after the first failure in production. */
enum { WEBHOOK_MAX_ATTEMPTS = 8, WEBHOOK_URL_MAX = 2000, WEBHOOK_BACKOFF_MS = 10000 };

/* An absolute http or https URL with a host: no user info (a password in a URL would be
 * shown to every admin and written to the audit), no spaces or control characters, at most
 * WEBHOOK_URL_MAX bytes. */
bool webhook_url_ok(const char *url);

/* The event types a subscription may ask for, by index; NULL past the end. "case.report"
 * and "case.<action>" for every case action (the case timeline's entries). "ping" (sent by
 * the test action) goes to one subscription whatever it asked for and is not listed. */
const char *webhook_event_type(size_t i);
bool webhook_event_known(const char *type);

/* The wait in milliseconds after the attempts-th failed attempt (1-based) when the first wait
 * is base_ms: base × 1, 3, 12, 60, 360, 1080, 2160 (10 s, 30 s, 2 min, 10 min, 1 h, 3 h, 6 h
 * for the production 10 s); -1 when no try is left (attempts ≥ WEBHOOK_MAX_ATTEMPTS). */
int64_t webhook_retry_delay_ms(int attempts, int64_t base_ms);

#endif
