/* /api/v1/webhooks: subscriptions of other systems to case events (admin only), their
 * deliveries and redelivery. The secret is made here, shown once (create, rotate-secret) and
 * kept sealed with the server key (core/seal.h), never hashed: the sender needs it in clear
 * to sign each delivery with HMAC-SHA256. */
#include "api/api.h"
#include "api/platform/webhooks.h"
#include "core/json.h"
#include "core/seal.h"
#include "core/timeutil.h"
#include "domain/webhook.h"
#include "store/platform/regions.h"
#include "store/platform/webhooks.h"

#include <sodium.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum { SECRET_LEN = 52 }; /* "whsec_" and 43 characters, NUL-terminated */

static json_t *hook_json(const struct webhook_row *w)
{
	json_t *o = json_object();
	json_set_int(o, "id", w->id);
	json_set_str(o, "name", w->name);
	json_set_str(o, "url", w->url);
	json_t *ev = w->events ? json_loads(w->events, 0, NULL) : NULL;
	json_object_set_new(o, "events", json_is_array(ev) ? ev : json_array());
	if (ev && !json_is_array(ev))
		json_decref(ev);
	json_set_str(o, "region_code", w->region_code);
	json_set_bool(o, "active", w->active);
	if (w->created_by)
		json_set_int(o, "created_by", w->created_by);
	else
		json_object_set_new(o, "created_by", json_null());
	json_set_time(o, "created_at", w->created_at);
	json_set_time(o, "updated_at", w->updated_at);
	return o;
}

_Static_assert(offsetof(struct webhook_row, id) == 0, "the id comes first");
_Static_assert(offsetof(struct webhook_delivery_row, id) == 0, "the id comes first");
API_ITEM(hook_item, hook_json)

/* The route admits admins alone; a subscription has no region of its own to scope by. */
static bool admin_visible(struct http_req *req, const void *obj)
{
	(void)obj;
	return api_is_admin(api_ctx(req));
}

static enum db_result hook_load(struct http_req *req, int64_t id, void *out, const char **region)
{
	*region = NULL;
	return store_webhooks_get(api_ctx(req)->db, &req->arena, id, out);
}

static const struct api_loader hook_loader = {
    .what = "订阅", .load = hook_load, .visible = admin_visible};

static enum db_result delivery_load(struct http_req *req, int64_t id, void *out,
                                    const char **region)
{
	*region = NULL;
	return store_webhook_deliveries_get(api_ctx(req)->db, &req->arena, id, out);
}

static const struct api_loader delivery_loader = {
    .what = "投递", .load = delivery_load, .visible = admin_visible};

/* The event types of field as a compact JSON array text (in a), known and without
 * repeats; NULL (an error recorded) when wrong or empty. */
static const char *events_field(struct http_req *req, struct api_input *in, bool required)
{
	json_t *v = json_object_get(in->body, "events");
	if (!v) {
		if (required)
			api_field_error(in, "events", "required", "须至少选择一种事件类型");
		return NULL;
	}
	if (!json_is_array(v)) {
		in->type_error = true;
		api_field_error(in, "events", "type", "应为数组");
		return NULL;
	}
	if (json_array_size(v) == 0) {
		api_field_error(in, "events", "required", "须至少选择一种事件类型");
		return NULL;
	}
	json_t *out = json_array();
	size_t i;
	json_t *e;
	bool ok = true;
	json_array_foreach(v, i, e)
	{
		const char *field = arena_printf(&req->arena, "events[%zu]", i);
		if (!json_is_string(e)) {
			in->type_error = true;
			api_field_error(in, field, "type", "应为字符串");
			ok = false;
		} else if (!webhook_event_known(json_string_value(e))) {
			api_field_error(in, field, "event_unknown", "未知的事件类型");
			ok = false;
		} else {
			bool seen = false;
			size_t j;
			json_t *f;
			json_array_foreach(out, j, f) seen = seen || json_equal(e, f);
			if (!seen)
				json_array_append(out, e);
		}
	}
	char *s = ok ? json_dumps(out, JSON_COMPACT) : NULL;
	json_decref(out);
	const char *copy = s ? arena_strdup(&req->arena, s) : NULL;
	free(s);
	return copy;
}

/* The fields of a create (all) or a patch (those given) into w. */
static void hook_fields(struct http_req *req, struct api_input *in, struct webhook_row *w,
                        bool create)
{
	struct api_ctx *ctx = api_ctx(req);
	bool present;
	const char *name = api_string(in, "name", create, 64, &present);
	if (name)
		w->name = name;
	else if (present && !create)
		api_field_error(in, "name", "required", "此项不能为空");
	const char *url = api_string(in, "url", create, WEBHOOK_URL_MAX, &present);
	if (url && !webhook_url_ok(url))
		api_field_error(in, "url", "url", "须为 http 或 https 地址，不含用户名和密码");
	else if (url)
		w->url = url;
	else if (present && !create)
		api_field_error(in, "url", "required", "此项不能为空");
	const char *events = events_field(req, in, create);
	if (events)
		w->events = events;
	const char *region = api_string(in, "region_code", false, 15, &present);
	if (present) {
		struct region_row r;
		if (region && store_regions_get(ctx->db, &req->arena, region, &r) != DB_ROW)
			api_field_error(in, "region_code", "region_unknown", "区划不存在");
		else
			w->region_code = region; /* null or "": every region */
	}
	bool active;
	if (api_bool(in, "active", &active, &present) && present)
		w->active = active;
}

/* A new secret for w: sealed into w->secret (bound to w's row), clear into out. False (503
 * answered) when it cannot be sealed. */
static bool new_secret(struct http_req *req, struct webhook_row *w, char out[SECRET_LEN])
{
	char raw[44]; /* 43 characters (api_random_token) */
	api_random_token(raw, sizeof raw);
	snprintf(out, SECRET_LEN, "whsec_%s", raw);
	sodium_memzero(raw, sizeof raw);
	char ad[64];
	size_t adn = webhook_secret_ad(w->id, ad);
	unsigned char *sealed;
	size_t n;
	if (!seal_encrypt_ad(out, strlen(out), ad, adn, &sealed, &n)) {
		api_problem(req, 503, "加密密钥不可用");
		return false;
	}
	unsigned char *copy = arena_alloc(&req->arena, n);
	memcpy(copy, sealed, n);
	free(sealed);
	w->secret = (struct sealed){copy, n};
	return true;
}

/* Answers w with its secret, shown this once. */
static void answer_with_secret(struct http_req *req, int status, const struct webhook_row *w,
                               char secret[SECRET_LEN])
{
	json_t *o = hook_json(w);
	json_set_str(o, "secret", secret);
	sodium_memzero(secret, SECRET_LEN);
	api_json(req, status, o);
}

void webhooks_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t before;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &before))
		return;
	struct webhook_row *rows;
	size_t n;
	enum db_result r = store_webhooks_list(ctx->db, &req->arena, before, limit + 1, &rows, &n);
	if (!api_stored(req, r))
		return;
	api_respond_id_page(req, rows, n, sizeof *rows, limit, hook_item);
}

void webhooks_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct webhook_row w = {.active = true};
	hook_fields(req, &in, &w, true);
	if (!api_input_end(req, &in))
		goto out;
	if (!seal_ready()) {
		api_problem(req, 503, "加密密钥不可用");
		goto out;
	}
	w.created_by = ctx->who.user_id;
	w.created_at = w.updated_at = time_now();
	char secret[SECRET_LEN];
	enum db_result r = store_webhooks_insert(ctx->db, &w);
	if (!api_stored(req, r) || !new_secret(req, &w, secret))
		goto out;
	r = store_webhooks_set_secret(ctx->db, w.id, w.secret, w.created_at);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "webhook:%lld", (long long)w.id);
	ctx->audit_detail =
	    arena_printf(&req->arena, "name=%s url=%s events=%s", w.name, w.url, w.events);
	answer_with_secret(req, 201, &w, secret);
out:
	api_input_free(&in);
}

void webhooks_get_h(struct http_req *req)
{
	struct webhook_row w;
	if (!api_load(req, &hook_loader, &w))
		return;
	api_json(req, 200, hook_json(&w));
}

void webhooks_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct webhook_row w;
	if (!api_load(req, &hook_loader, &w))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	hook_fields(req, &in, &w, false);
	if (!api_input_end(req, &in))
		goto out;
	w.updated_at = time_now();
	enum db_result r = store_webhooks_update(ctx->db, &w);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "webhook:%lld", (long long)w.id);
	ctx->audit_detail = arena_printf(&req->arena, "url=%s events=%s region=%s active=%d", w.url,
	                                 w.events, w.region_code ? w.region_code : "", w.active);
	api_json(req, 200, hook_json(&w));
out:
	api_input_free(&in);
}

void webhooks_delete_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct webhook_row w;
	if (!api_load(req, &hook_loader, &w))
		return;
	enum db_result r = store_webhooks_delete(ctx->db, w.id, time_now());
	if (!api_stored(req, r))
		return;
	ctx->audit_object = arena_printf(&req->arena, "webhook:%lld", (long long)w.id);
	api_no_content(req);
}

void webhooks_rotate_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct webhook_row w;
	if (!api_load(req, &hook_loader, &w))
		return;
	char secret[SECRET_LEN];
	if (!new_secret(req, &w, secret))
		return;
	w.updated_at = time_now();
	enum db_result r = store_webhooks_set_secret(ctx->db, w.id, w.secret, w.updated_at);
	if (!api_stored(req, r))
		return;
	ctx->audit_object = arena_printf(&req->arena, "webhook:%lld", (long long)w.id);
	answer_with_secret(req, 200, &w, secret);
}

static json_t *delivery_json(const struct webhook_delivery_row *d)
{
	json_t *o = json_object();
	json_set_int(o, "id", d->id);
	json_set_int(o, "webhook_id", d->subscription_id);
	json_set_str(o, "event", d->event);
	if (d->case_id)
		json_set_int(o, "case_id", d->case_id);
	else
		json_object_set_new(o, "case_id", json_null());
	json_set_str(o, "status", d->status);
	json_set_time(o, "created_at", d->created_at);
	json_set_time(o, "delivered_at", d->delivered_at);
	bool pending = strcmp(d->status, "pending") == 0;
	json_set_time(o, "next_attempt_at", pending ? (d->next_at_ms + 999) / 1000 : 0);
	json_t *payload = json_loads(d->payload, 0, NULL);
	json_object_set_new(o, "payload", payload ? payload : json_null());
	json_object_set_new(o, "attempts", json_array());
	return o;
}

static json_t *attempt_json(const struct webhook_attempt_row *t)
{
	json_t *o = json_object();
	json_set_time(o, "at", t->at);
	json_set_int(o, "duration_ms", t->duration_ms);
	if (t->http_status)
		json_set_int(o, "http_status", t->http_status);
	else
		json_object_set_new(o, "http_status", json_null());
	json_set_str(o, "error", t->error);
	return o;
}

void webhooks_deliveries_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct webhook_row w;
	int limit;
	int64_t before;
	if (!api_load(req, &hook_loader, &w) || !api_limit(req, &limit) ||
	    !api_cursor_id(req, &before))
		return;
	struct webhook_delivery_row *rows;
	size_t n;
	enum db_result r =
	    store_webhook_deliveries_list(ctx->db, &req->arena, w.id, before, limit + 1, &rows, &n);
	if (!api_stored(req, r))
		return;
	size_t shown = n > (size_t)limit ? (size_t)limit : n;
	struct webhook_attempt_row *att = NULL;
	size_t na = 0;
	if (shown) {
		r = store_webhook_attempts_list(ctx->db, &req->arena, w.id, rows[shown - 1].id,
		                                rows[0].id, &att, &na);
		if (!api_stored(req, r))
			return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < shown; i++) {
		json_t *o = delivery_json(&rows[i]);
		json_t *list = json_object_get(o, "attempts");
		for (size_t k = 0; k < na; k++)
			if (att[k].delivery_id == rows[i].id)
				json_array_append_new(list, attempt_json(&att[k]));
		json_array_append_new(items, o);
	}
	const char *next = n > (size_t)limit
	                       ? arena_printf(&req->arena, "%lld", (long long)rows[shown - 1].id)
	                       : NULL;
	api_json(req, 200, api_list(items, next));
}

void webhooks_test_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct webhook_row w;
	if (!api_load(req, &hook_loader, &w))
		return;
	if (!w.active) {
		api_problem(req, 409, "订阅已停用，不能发送测试事件");
		return;
	}
	int64_t now = time_now(), id = 0;
	json_t *p = json_object();
	json_set_str(p, "event", "ping");
	json_set_time(p, "occurred_at", now);
	json_set_int(p, "webhook_id", w.id);
	char *payload = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	if (!payload) {
		api_store_error(req, DB_ERROR);
		return;
	}
	enum db_result r =
	    store_webhooks_enqueue_one(ctx->db, w.id, "ping", payload, now, webhook_now_ms(), &id);
	free(payload);
	struct webhook_delivery_row d;
	if (r == DB_OK)
		r = store_webhook_deliveries_get(ctx->db, &req->arena, id, &d) == DB_ROW ? DB_OK
		                                                                         : DB_ERROR;
	if (!api_stored(req, r))
		return;
	ctx->audit_object = arena_printf(&req->arena, "webhook:%lld", (long long)w.id);
	ctx->audit_detail = arena_printf(&req->arena, "delivery=%lld", (long long)id);
	api_json(req, 202, delivery_json(&d));
}

void webhook_deliveries_redeliver_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct webhook_delivery_row d;
	if (!api_load(req, &delivery_loader, &d))
		return;
	struct webhook_row w;
	enum db_result r = store_webhooks_get(ctx->db, &req->arena, d.subscription_id, &w);
	if (r == DB_DONE) {
		api_problem(req, 409, "订阅已删除，不能重新投递");
		return;
	}
	if (r != DB_ROW) {
		api_store_error(req, r);
		return;
	}
	r = store_webhook_deliveries_requeue(ctx->db, d.id, webhook_now_ms());
	if (r == DB_DONE) {
		api_problem(req, 409, "投递仍在进行中，不能重新投递");
		return;
	}
	if (r == DB_OK)
		r = store_webhook_deliveries_get(ctx->db, &req->arena, d.id, &d) == DB_ROW
		        ? DB_OK
		        : DB_ERROR;
	if (!api_stored(req, r))
		return;
	ctx->audit_object = arena_printf(&req->arena, "webhook_delivery:%lld", (long long)d.id);
	api_json(req, 202, delivery_json(&d));
}
