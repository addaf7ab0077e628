/* The webhook sender: run by the outbox thread (api/cases/outbox.c) on its connection after
 * the notifications. Due deliveries are claimed in a write transaction for CLAIM_LEASE
 * seconds, as the notifications are, so on several nodes each delivery is sent once; a
 * claim of a node that died runs out and another node sends the delivery. */
#include "api/platform/webhooks.h"
#include "core/log.h"
#include "core/seal.h"
#include "core/timeutil.h"
#include "domain/webhook.h"
#include "store/platform/webhooks.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A send takes at most SEND_TIMEOUT seconds (CONNECT_TIMEOUT of them to connect), so a batch
 * of CLAIM_BATCH ends well within its lease; no send starts once less than SEND_TIMEOUT + 1
 * seconds of the lease are left. */
enum { CLAIM_LEASE = 60, CLAIM_BATCH = 10, SEND_TIMEOUT = 5, CONNECT_TIMEOUT = 3 };

size_t webhook_secret_ad(int64_t id, char out[64])
{
	int n = snprintf(out, 64, "webhook_subscriptions/secret/%lld", (long long)id);
	return n > 0 ? (size_t)n : 0;
}

void webhook_sign(const char *secret, int64_t timestamp, const char *body,
                  char out[WEBHOOK_SIG_LEN])
{
	char ts[24];
	int tl = snprintf(ts, sizeof ts, "%lld.", (long long)timestamp);
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, (unsigned long long)tl);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, WEBHOOK_SIG_LEN - 7, mac, sizeof mac);
	sodium_memzero(&st, sizeof st);
}

int64_t webhook_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

/* POSTs one delivery; the attempt's status, error and duration into at. */
static void post(const char *url, const struct webhook_delivery_row *d, const char *secret,
                 struct webhook_attempt_row *at, struct arena *a)
{
	int64_t ts = time_now();
	char sig[WEBHOOK_SIG_LEN];
	webhook_sign(secret, ts, d->payload, sig);
	char h_event[160], h_id[64], h_ts[64], h_sig[WEBHOOK_SIG_LEN + 32];
	snprintf(h_event, sizeof h_event, "X-Jiceng-Event: %s", d->event);
	snprintf(h_id, sizeof h_id, "X-Jiceng-Delivery: %lld", (long long)d->id);
	snprintf(h_ts, sizeof h_ts, "X-Jiceng-Timestamp: %lld", (long long)ts);
	snprintf(h_sig, sizeof h_sig, "X-Jiceng-Signature: %s", sig);
	at->at = ts;
	int64_t t0 = time_mono_ns();
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	const char *lines[] = {"Content-Type: application/json; charset=utf-8",
	                       "User-Agent: jiceng-webhook/1",
	                       h_event,
	                       h_id,
	                       h_ts,
	                       h_sig};
	bool ok = c != NULL;
	for (size_t i = 0; ok && i < sizeof lines / sizeof lines[0]; i++) {
		struct curl_slist *next = curl_slist_append(h, lines[i]);
		ok = next != NULL;
		if (next)
			h = next;
	}
	if (!ok) {
		at->error = "out of memory";
	} else {
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, d->payload);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)SEND_TIMEOUT);
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		/* Only the stored http(s) address, never where a redirect points. */
		curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
		CURLcode rc = curl_easy_perform(c);
		long status = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		at->http_status = rc == CURLE_OK ? status : 0;
		if (rc != CURLE_OK)
			at->error = arena_strdup(a, curl_easy_strerror(rc));
	}
	at->duration_ms = (time_mono_ns() - t0) / 1000000;
	curl_slist_free_all(h);
	if (c)
		curl_easy_cleanup(c);
}

/* Sends one claimed delivery and records the attempt and what follows. */
static void send_one(struct db *db, struct arena *a, const char *claimer,
                     const struct webhook_delivery_row *d, int64_t backoff_ms)
{
	struct webhook_attempt_row at = {0};
	struct webhook_row w;
	enum db_result r = store_webhooks_get(db, a, d->subscription_id, &w);
	char *secret = NULL;
	if (r == DB_ROW && w.secret.p) {
		char ad[64];
		size_t adn = webhook_secret_ad(w.id, ad);
		secret = seal_decrypt_ad(w.secret.p, w.secret.n, ad, adn, false, NULL);
	}
	if (r != DB_ROW) {
		at.at = time_now();
		at.error = "subscription unavailable";
	} else if (!secret) {
		at.at = time_now();
		at.error = "secret cannot be opened (key file?)";
	} else {
		post(w.url, d, secret, &at, a);
	}
	if (secret) {
		sodium_memzero(secret, strlen(secret));
		free(secret);
	}
	const char *status = "delivered";
	int64_t next = 0;
	if (!(at.http_status >= 200 && at.http_status < 300)) {
		int64_t wait = webhook_retry_delay_ms((int)d->attempts + 1, backoff_ms);
		status = wait < 0 ? "failed" : "pending";
		next = wait < 0 ? 0 : webhook_now_ms() + wait;
	}
	if (db_begin_write(db) != DB_OK)
		return; /* the claim runs out and the delivery goes again */
	if (store_webhook_deliveries_record(db, d->id, claimer, &at, status, next) == DB_OK &&
	    db_commit(db) == DB_OK)
		return;
	db_rollback(db);
	log_error("webhook: cannot record delivery %lld", (long long)d->id);
}

size_t webhook_drain(struct db *db, const char *claimer, int64_t backoff_ms)
{
	struct arena a;
	arena_init(&a);
	struct webhook_delivery_row *rows;
	size_t n = 0;
	int64_t now = time_now(), until = now + CLAIM_LEASE;
	if (db_begin_write(db) != DB_OK)
		n = 0;
	else if (store_webhook_deliveries_claim(db, &a, claimer, now, webhook_now_ms(), until,
	                                        CLAIM_BATCH, &rows, &n) != DB_OK ||
	         db_commit(db) != DB_OK) {
		db_rollback(db);
		n = 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (time_now() + SEND_TIMEOUT + 1 >= until)
			break; /* the rest wait for the claim to run out */
		send_one(db, &a, claimer, &rows[i], backoff_ms);
	}
	arena_free(&a);
	return n;
}

size_t webhook_prune(struct db *db, int64_t now, int64_t keep_days)
{
	enum { BATCH = 500, MOST_BATCHES = 20 }; /* the rest go at the next prune */
	size_t batches = 0;
	while (batches < MOST_BATCHES && db_begin_write(db) == DB_OK) {
		enum db_result r =
		    store_webhook_deliveries_prune(db, now - keep_days * 86400, BATCH);
		if (r != DB_OK || db_commit(db) != DB_OK) {
			db_rollback(db);
			if (r != DB_DONE)
				log_error("webhook: cannot prune the delivery log");
			break;
		}
		batches++;
	}
	return batches;
}
