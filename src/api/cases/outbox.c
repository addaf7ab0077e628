/* The notification outbox sender: a background thread that hands each new
 * notification to a sender — the log by default, or the legacy single webhook URL of
 * --webhook (unsigned) — and records the attempt; then it sends the due deliveries of the
 * webhook subscriptions (api/platform/webhook_send.c). It owns its own database connection.
 * Every node runs one: a sender first claims a few rows for CLAIM_LEASE seconds (a write
 * transaction, the database's one writer), so two nodes never send one notification; the
 * claim of a node that dies mid-send runs out and another node sends the rows. */
#include "api/cases/outbox.h"
#include "api/idempotency.h"
#include "api/platform/webhooks.h"
#include "api/deliberation/deliberation.h"
#include "api/services/services.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "domain/webhook.h"
#include "store/cases/cases.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct outbox {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
	char *db_path, *webhook;
	int64_t backoff_ms;    /* the subscriptions' first retry wait */
	int64_t log_days;      /* how long finished webhook deliveries stay in the log */
	int64_t log_pruned_at; /* when this sender last pruned the webhook delivery log */
	char claimer[96];      /* this sender's name in claimed_by: host, process, a random tag */
	int64_t pruned_at;     /* when the expired idempotency keys were last deleted */
};

/* Expired idempotency keys (api/idempotency.c) go at most once every PRUNE_EVERY seconds, in
 * a short write transaction of their own (every node does it; deleting twice is harmless). */
enum { PRUNE_EVERY = 600 };

static void prune_keys(struct outbox *ob, struct db *db, int64_t now)
{
	if (now - ob->pruned_at < PRUNE_EVERY)
		return;
	ob->pruned_at = now;
	if (db_begin_write(db) != DB_OK)
		return;
	if (idem_prune(db, now) != DB_OK || db_commit(db) != DB_OK)
		db_rollback(db);
}

/* A claim lasts CLAIM_LEASE seconds and covers CLAIM_BATCH rows; a send takes at most
 * SEND_TIMEOUT seconds, so a batch ends well within its lease, and no send starts once less
 * than SEND_TIMEOUT + 1 seconds of it are left (those rows wait for the lease to run out). */
enum { CLAIM_LEASE = 60, CLAIM_BATCH = 10, SEND_TIMEOUT = 5 };
/* The delivery log is pruned once an hour per sender (each node prunes; a batch two nodes
 * both try is deleted by the first, the second finds nothing). */
enum { LOG_PRUNE_EVERY = 3600 };

static char *note_payload(const struct notification_row *n)
{
	json_t *o = json_object();
	json_set_int(o, "id", n->id);
	json_set_str(o, "kind", n->kind);
	json_set_str(o, "title", n->title);
	json_set_str(o, "body", n->body);
	if (n->case_id)
		json_set_int(o, "case_id", n->case_id);
	json_set_str(o, "role", n->role);
	json_set_str(o, "region_code", n->region_code);
	json_set_str(o, "unit", n->unit);
	/* No user id: a notification addressed to one person (a reporter asked to rate) would
	 * tie the case to its reporter in the receiving system, anonymous reports included. */
	json_set_bool(o, "personal", n->user_id != 0);
	json_set_time(o, "created_at", n->created_at);
	char *s = json_to_string(o, NULL);
	json_decref(o);
	return s;
}

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

static bool send_webhook(const char *url, const char *payload)
{
	CURL *c = curl_easy_init();
	if (!c)
		return false;
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)SEND_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return rc == CURLE_OK && status >= 200 && status < 300;
}

/* Claims and sends what is pending; returns how many were claimed. */
static size_t drain(struct outbox *ob, struct db *db)
{
	struct arena a;
	arena_init(&a);
	struct notification_row *rows;
	size_t n = 0;
	int64_t now = time_now(), until = now + CLAIM_LEASE;
	/* The day-before reminders of appointments become notifications first, so this very
	 * drain sends them. */
	size_t reminded = services_remind(db, now);
	if (now - ob->log_pruned_at >= LOG_PRUNE_EVERY) {
		ob->log_pruned_at = now;
		webhook_prune(db, now, ob->log_days);
	}
	/* Ballots whose closing time has come are closed and their results frozen. */
	reminded += delib_close_due(db, now);
	prune_keys(ob, db, now);
	if (db_begin_write(db) != DB_OK)
		n = 0;
	else if (store_notifications_claim(db, &a, ob->claimer, now, until, CLAIM_BATCH, &rows,
	                                   &n) != DB_OK ||
	         db_commit(db) != DB_OK) {
		db_rollback(db);
		n = 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (time_now() + SEND_TIMEOUT + 1 >= until)
			break; /* the rest wait for the claim to run out */
		char *payload = note_payload(&rows[i]);
		bool ok = true;
		if (ob->webhook)
			ok = send_webhook(ob->webhook, payload);
		else
			log_info("notification %s", payload);
		free(payload);
		if (db_begin_write(db) == DB_OK) {
			if (store_notifications_mark_sent(db, rows[i].id, ob->claimer, time_now(),
			                                  ok) == DB_OK)
				db_commit(db);
			else
				db_rollback(db);
		}
	}
	arena_free(&a);
	return n + reminded + webhook_drain(db, ob->claimer, ob->backoff_ms);
}

static void *run(void *arg)
{
	struct outbox *ob = arg;
	char err[256];
	struct db_options opt = {0};
	struct db *db = db_open(ob->db_path, &opt, err, sizeof err);
	if (!db) {
		log_error("outbox: %s", err);
		return NULL;
	}
	pthread_mutex_lock(&ob->lock);
	while (!ob->stop) {
		pthread_mutex_unlock(&ob->lock);
		size_t n = drain(ob, db);
		pthread_mutex_lock(&ob->lock);
		if (n == 0 && !ob->stop) {
			/* Poll every two seconds: notifications are not latency-critical. A
			 * shortened backoff (tests) polls at its pace, so retries come when due. */
			int64_t ms = ob->backoff_ms / 2 < 2000 ? ob->backoff_ms / 2 : 2000;
			if (ms < 20)
				ms = 20;
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += ms / 1000;
			ts.tv_nsec += (ms % 1000) * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&ob->wake, &ob->lock, &ts);
		}
	}
	pthread_mutex_unlock(&ob->lock);
	db_close(db);
	return NULL;
}

struct outbox *outbox_start(const char *db_path, const char *webhook, int64_t backoff_ms,
                            int64_t log_days)
{
	struct outbox *ob = xcalloc(1, sizeof(*ob));
	ob->log_days = log_days > 0 ? log_days : WEBHOOK_LOG_DAYS;
	ob->db_path = xstrdup(db_path);
	ob->backoff_ms = backoff_ms > 0 ? backoff_ms : WEBHOOK_BACKOFF_MS;
	ob->webhook = webhook && *webhook ? xstrdup(webhook) : NULL;
	char host[64] = "";
	gethostname(host, sizeof host - 1);
	snprintf(ob->claimer, sizeof ob->claimer, "%s:%ld:%08x", host, (long)getpid(),
	         (unsigned)randombytes_random());
	pthread_mutex_init(&ob->lock, NULL);
	pthread_cond_init(&ob->wake, NULL);
	curl_global_init(CURL_GLOBAL_DEFAULT); /* the subscriptions send whatever --webhook says */
	if (pthread_create(&ob->thread, NULL, run, ob) != 0) {
		log_error("outbox: cannot start the sender thread");
		outbox_stop(ob);
		return NULL;
	}
	return ob;
}

void outbox_stop(struct outbox *ob)
{
	if (!ob)
		return;
	pthread_mutex_lock(&ob->lock);
	bool started = !ob->stop;
	ob->stop = true;
	pthread_cond_signal(&ob->wake);
	pthread_mutex_unlock(&ob->lock);
	if (started && ob->thread)
		pthread_join(ob->thread, NULL);
	curl_global_cleanup();
	pthread_mutex_destroy(&ob->lock);
	pthread_cond_destroy(&ob->wake);
	free(ob->db_path);
	free(ob->webhook);
	free(ob);
}
