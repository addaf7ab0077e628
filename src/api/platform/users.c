/* /api/v1/users: staff accounts and their grants (admin only). */
#include "api/api.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/password.h"
#include "store/platform/regions.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static bool username_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 64)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-' || *p == '@'))
			return false;
	return true;
}

/* Every non-admin grant must name an existing region. */
static void check_grant_regions(struct api_ctx *ctx, struct http_req *req, struct api_input *in,
                                const struct grant *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (g[i].role == ROLE_ADMIN)
			continue;
		struct region_row r;
		if (store_regions_get(ctx->db, &req->arena, g[i].region_code, &r) != DB_ROW)
			api_field_error(
			    in, arena_printf(&req->arena, "grants[%zu]", i), "region_unknown",
			    arena_printf(&req->arena, "区划 %s 不存在", g[i].region_code));
	}
}

static void check_password(struct api_input *in, const char *pw)
{
	const char *why = pw ? password_problem(pw) : NULL;
	if (why)
		api_field_error(in, "password", why, password_problem_zh(why));
}

/* The page's cursor reads the id, the rows' first member. */
_Static_assert(offsetof(struct user_row, id) == 0, "the id comes first");

static json_t *user_item(struct http_req *req, const void *row)
{
	return api_user_json(api_ctx(req), &req->arena, row);
}

void users_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t after;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &after))
		return;
	const char *q = http_query(req, "q");
	struct user_row *rows;
	size_t n;
	enum db_result r =
	    store_users_list(ctx->db, &req->arena, q && *q ? q : NULL, after, limit + 1, &rows, &n);
	if (!api_stored(req, r))
		return;
	api_respond_id_page(req, rows, n, sizeof *rows, limit, user_item);
}

void users_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct user_row u;
	memset(&u, 0, sizeof u);
	u.username = api_string(&in, "username", true, 64, NULL);
	u.display_name = api_string(&in, "display_name", true, 64, NULL);
	const char *password = api_string(&in, "password", true, 256, NULL);
	u.unit = api_string(&in, "unit", false, 64, NULL);
	api_grants(&in, "grants", u.grants, &u.ngrants);
	if (u.username && !username_ok(u.username))
		api_field_error(&in, "username", "format", "用户名为 2–64 位字母、数字或 _ . - @");
	check_password(&in, password);
	check_grant_regions(ctx, req, &in, u.grants, u.ngrants);
	bool dept = false;
	for (size_t i = 0; i < u.ngrants; i++)
		dept = dept || u.grants[i].role == ROLE_DEPARTMENT;
	if (dept && (!u.unit || !*u.unit))
		api_field_error(&in, "unit", "required", "职能部门用户须填写所属单位");
	if (!api_input_end(req, &in))
		goto out;
	char hash[128];
	if (!api_password_hash(password, hash)) {
		api_problem(req, 503, "系统繁忙，请稍后再试");
		goto out;
	}
	u.password_hash = hash;
	u.created_at = u.updated_at = time_now();
	enum db_result r = store_users_insert(ctx->db, &u);
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409, "用户名已存在");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "user:%lld", (long long)u.id);
	ctx->audit_detail = arena_printf(&req->arena, "username=%s", u.username);
	api_json(req, 201, api_user_json(ctx, &req->arena, &u));
out:
	api_input_free(&in);
}

static enum db_result user_load(struct http_req *req, int64_t id, void *out, const char **region)
{
	(void)region;
	return store_users_get(api_ctx(req)->db, &req->arena, id, out);
}

/* Accounts are the administrator's alone (the routes say ADMIN), so every one is visible. */
static bool user_visible(struct http_req *req, const void *obj)
{
	(void)obj;
	return api_is_admin(api_ctx(req));
}

static const struct api_loader user_loader = {
    .what = "用户",
    .load = user_load,
    .visible = user_visible,
};

void users_get_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct user_row u;
	if (!api_load(req, &user_loader, &u))
		return;
	api_json(req, 200, api_user_json(ctx, &req->arena, &u));
}

void users_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct user_row u;
	if (!api_load(req, &user_loader, &u))
		return;
	int64_t id = u.id;
	enum db_result r;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	bool has_name, has_unit, has_dis, has_pw, has_unlock;
	const char *name = api_string(&in, "display_name", false, 64, &has_name);
	const char *unit = api_string(&in, "unit", false, 64, &has_unit);
	const char *password = api_string(&in, "password", false, 256, &has_pw);
	bool disabled = u.disabled, unlock = false;
	api_bool(&in, "disabled", &disabled, &has_dis);
	api_bool(&in, "unlock", &unlock, &has_unlock);
	struct grant grants[USER_MAX_GRANTS];
	size_t ngrants = 0;
	bool has_grants = json_object_get(in.body, "grants") != NULL;
	if (has_grants) {
		api_grants(&in, "grants", grants, &ngrants);
		check_grant_regions(ctx, req, &in, grants, ngrants);
	}
	if (has_name && (!name || !*name) && json_array_size(in.errors) == 0)
		api_field_error(&in, "display_name", "required", "姓名不能为空");
	if (has_pw)
		check_password(&in, password);
	if (id == ctx->who.user_id && has_dis && disabled)
		api_field_error(&in, "disabled", "self", "不能停用自己的账户");
	if (!api_input_end(req, &in))
		goto out;
	char hash[128];
	if (has_pw && password) {
		if (!api_password_hash(password, hash)) {
			api_problem(req, 503, "系统繁忙，请稍后再试");
			goto out;
		}
		u.password_hash = hash;
	}
	if (has_name)
		u.display_name = name;
	if (has_unit)
		u.unit = unit;
	u.disabled = disabled;
	if (unlock) {
		u.failed_count = 0;
		u.locked_until = 0;
	}
	u.updated_at = time_now();
	r = store_users_update(ctx->db, &u);
	if (r == DB_OK && has_grants) {
		r = store_users_set_grants(ctx->db, u.id, grants, ngrants);
		memcpy(u.grants, grants, sizeof(grants[0]) * ngrants);
		u.ngrants = ngrants;
	}
	/* A new password, a disabled account or changed grants end the user's sessions. */
	if (r == DB_OK && ((has_pw && password) || u.disabled || has_grants))
		r = store_sessions_delete_user(ctx->db, u.id);
	if (!api_stored(req, r))
		goto out;
	ctx->auth_changed = true;
	ctx->audit_object = arena_printf(&req->arena, "user:%lld", (long long)u.id);
	ctx->audit_detail = arena_printf(&req->arena, "%s%s%s%s%s", has_name ? "display_name " : "",
	                                 has_pw ? "password " : "", has_dis ? "disabled " : "",
	                                 has_grants ? "grants " : "", unlock ? "unlock" : "");
	api_json(req, 200, api_user_json(ctx, &req->arena, &u));
out:
	api_input_free(&in);
}
