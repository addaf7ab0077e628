/* /api/v1/tokens: API tokens for other systems (admin only). The secret is
 * shown once at creation and stored only as a hash. */
#include "api/api.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "store/platform/regions.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static json_t *token_json(struct api_ctx *ctx, struct arena *a, const struct token_row *t)
{
	json_t *o = json_object();
	json_set_int(o, "id", t->id);
	json_set_str(o, "name", t->name);
	json_set_time(o, "created_at", t->created_at);
	json_set_time(o, "last_used", t->last_used);
	json_object_set_new(o, "grants", api_grants_json(ctx, a, t->grants, t->ngrants));
	return o;
}

/* The page's cursor reads the id, the rows' first member. */
_Static_assert(offsetof(struct token_row, id) == 0, "the id comes first");

static json_t *token_item(struct http_req *req, const void *row)
{
	return token_json(api_ctx(req), &req->arena, row);
}

void tokens_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t after;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &after))
		return;
	struct token_row *rows;
	size_t n;
	enum db_result r = store_tokens_list(ctx->db, &req->arena, after, limit + 1, &rows, &n);
	if (!api_stored(req, r))
		return;
	api_respond_id_page(req, rows, n, sizeof *rows, limit, token_item);
}

void tokens_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct token_row t;
	memset(&t, 0, sizeof t);
	t.name = api_string(&in, "name", true, 64, NULL);
	api_grants(&in, "grants", t.grants, &t.ngrants);
	if (!json_object_get(in.body, "grants"))
		api_field_error(&in, "grants", "required", "须至少授予一项角色");
	else if (t.ngrants == 0 && json_array_size(in.errors) == 0)
		api_field_error(&in, "grants", "required", "须至少授予一项角色");
	for (size_t i = 0; i < t.ngrants; i++) {
		struct region_row r;
		if (t.grants[i].role != ROLE_ADMIN &&
		    store_regions_get(ctx->db, &req->arena, t.grants[i].region_code, &r) != DB_ROW)
			api_field_error(&in, arena_printf(&req->arena, "grants[%zu]", i),
			                "region_unknown", "区划不存在");
	}
	if (!api_input_end(req, &in))
		goto out;
	char secret[48];
	api_random_token(secret, sizeof secret);
	const char *token = arena_printf(&req->arena, "jc_%s", secret);
	unsigned char hash[AUTH_HASH_LEN];
	api_hash_secret(token, hash);
	t.created_by = ctx->who.user_id;
	t.created_at = time_now();
	enum db_result r = store_tokens_insert(ctx->db, &t, hash);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "token:%lld", (long long)t.id);
	ctx->audit_detail = arena_printf(&req->arena, "name=%s", t.name);
	json_t *o = token_json(ctx, &req->arena, &t);
	json_set_str(o, "token", token);
	api_json(req, 201, o);
out:
	api_input_free(&in);
}

void tokens_delete_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t id;
	if (!api_path_id(req, "id", "令牌", &id))
		return;
	enum db_result r = store_tokens_revoke(ctx->db, id, time_now());
	if (r == DB_DONE) {
		api_problem(req, 404, "令牌不存在");
		return;
	}
	if (!api_stored(req, r))
		return;
	ctx->auth_changed = true;
	ctx->audit_object = arena_printf(&req->arena, "token:%lld", (long long)id);
	api_no_content(req);
}
