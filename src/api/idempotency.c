/* Idempotency-Key. The phone's offline outbox (and any client retrying after a lost answer)
 * names each submission with a key; the first answer under it is kept (migration 24) and a
 * repeat gets it back, with `Idempotent-Replayed: true`, instead of the write being done
 * again. The key is looked up and recorded in the write's own transaction, which serialises
 * writers on every node (BEGIN IMMEDIATE, the writers' advisory lock): the guard's for an
 * ordinary write, the job's savepoint on the group-commit writer for group writes and case
 * reports. A keyed write whose answer is normally built after the commit (a case report, a
 * case action) builds it on the writer and keeps it with the key in the same savepoint; an
 * answer that is not text keeps the key "running" (status 0) until idem_finish fills it in: a
 * repeat meanwhile is 409, never a second write. Only successful answers are kept: a refused
 * request changed nothing and may be sent again. */
#include "api/idempotency.h"

#include "api/api.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "store/platform/idempotency.h"

#include <sodium.h>
#include <string.h>

enum { KEY_MAX = 255 };

/* Answers that show a secret once: never kept in the database. */
static const char *const secret_actions[] = {"token.create", "webhook.create",
                                             "webhook.rotate_secret", "household.enrolment_code"};

static bool key_ok(const char *k)
{
	size_t n = strlen(k);
	if (n == 0 || n > KEY_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (k[i] < 0x21 || k[i] > 0x7e)
			return false;
	return true;
}

bool idem_prepare(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *key = http_header(req, "Idempotency-Key");
	if (!key || strcmp(req->method, "POST") != 0 || !(req->route->flags & HTTP_WRITE) ||
	    !ctx->authed)
		return true;
	const char *action = req->route->action;
	for (size_t i = 0; action && i < sizeof secret_actions / sizeof *secret_actions; i++)
		if (strcmp(action, secret_actions[i]) == 0)
			return true;
	if (!key_ok(key)) {
		api_problem(req, 400, "Idempotency-Key 须为 1–255 个可见 ASCII 字符");
		return false;
	}
	struct idem *m = arena_alloc(&req->arena, sizeof *m);
	memset(m, 0, sizeof *m);
	m->owner = ctx->who.user_id
	               ? arena_printf(&req->arena, "user:%lld", (long long)ctx->who.user_id)
	               : arena_printf(&req->arena, "token:%lld", (long long)ctx->who.token_id);
	m->key = key;
	unsigned char h[32];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)req->method, strlen(req->method) + 1);
	crypto_generichash_update(&st, (const unsigned char *)req->path, strlen(req->path) + 1);
	if (req->body && req->body_len)
		crypto_generichash_update(&st, (const unsigned char *)req->body, req->body_len);
	crypto_generichash_final(&st, h, sizeof h);
	char *hex = arena_alloc(&req->arena, sizeof h * 2 + 1);
	sodium_bin2hex(hex, sizeof h * 2 + 1, h, sizeof h);
	m->hash = hex;
	ctx->idem = m;
	return true;
}

enum idem_outcome idem_check(struct http_req *req, struct db *db)
{
	struct api_ctx *ctx = api_ctx(req);
	struct idem *m = ctx->idem;
	if (!m)
		return IDEM_NEW;
	struct idem_row row;
	enum db_result r =
	    store_idem_get(db, &req->arena, m->owner, m->key, time_now() - IDEM_TTL, &row);
	if (r == DB_DONE) {
		m->fresh = true;
		return IDEM_NEW;
	}
	if (r != DB_ROW) {
		api_store_error(req, r);
		return IDEM_ANSWERED;
	}
	if (!row.request_hash || strcmp(row.request_hash, m->hash) != 0) {
		api_problem_at(req, 422, "该 Idempotency-Key 已用于另一个请求", "Idempotency-Key",
		               "reused", "该 Idempotency-Key 已用于另一个请求");
		return IDEM_ANSWERED;
	}
	if (row.status == 0 || !row.body) {
		api_problem(req, 409, "使用该 Idempotency-Key 的请求仍在处理中，请稍后重试");
		return IDEM_ANSWERED;
	}
	size_t n = strlen(row.body);
	char *body = malloc(n + 1);
	if (!body) {
		api_store_error(req, DB_ERROR);
		return IDEM_ANSWERED;
	}
	memcpy(body, row.body, n + 1);
	http_respond(req, (int)row.status,
	             row.content_type ? row.content_type : "application/json; charset=utf-8", body,
	             n);
	http_add_header(req, "Idempotent-Replayed", "true");
	m->replayed = true;
	ctx->audited = true; /* nothing was done: no entry of its own */
	return IDEM_ANSWERED;
}

/* The answer as text, or NULL when it cannot be kept (a file, an error). */
static const char *answer_text(struct http_req *req)
{
	if (!req->responded || req->status >= 400 || req->resp_fd > 0)
		return NULL;
	char *s = arena_alloc(&req->arena, req->resp_len + 1);
	if (req->resp_len)
		memcpy(s, req->resp, req->resp_len);
	s[req->resp_len] = 0;
	return s;
}

enum db_result idem_keep(struct http_req *req, struct db *db)
{
	struct idem *m = api_ctx(req)->idem;
	if (!m || !m->fresh)
		return DB_OK;
	const char *body = answer_text(req);
	if (!body)
		return idem_reserve(req, db);
	return store_idem_put(db, m->owner, m->key, m->hash, req->status,
	                      req->content_type ? req->content_type : "", body, time_now());
}

enum db_result idem_reserve(struct http_req *req, struct db *db)
{
	struct idem *m = api_ctx(req)->idem;
	if (!m || !m->fresh)
		return DB_OK;
	enum db_result r = store_idem_put(db, m->owner, m->key, m->hash, 0, NULL, NULL, time_now());
	if (r == DB_OK)
		m->reserved = true;
	return r;
}

void idem_finish(struct http_req *req, struct db *db)
{
	struct idem *m = api_ctx(req)->idem;
	if (!m || !m->reserved)
		return;
	m->reserved = false;
	const char *body = answer_text(req);
	if (!body)
		return;
	if (db_begin_write(db) != DB_OK)
		goto failed;
	if (store_idem_finish(db, m->owner, m->key, req->status,
	                      req->content_type ? req->content_type : "", body) != DB_OK) {
		db_rollback(db);
		goto failed;
	}
	if (db_commit(db) == DB_OK)
		return;
failed:
	log_warn("idempotency: the answer of %s %s was not kept; its key stays running",
	         req->method, req->path);
}

enum db_result idem_prune(struct db *db, int64_t now)
{
	return store_idem_prune(db, now - IDEM_TTL);
}
