/* Sign-in and sign-out (POST/DELETE /api/v1/session) and GET /api/v1/me.
 * Failed sign-ins count towards a lock-out (等保 2.0); the password check runs
 * outside any transaction so argon2id's cost never holds the write lock. */
#include "api/api.h"
#include "core/json.h"
#include "core/timeutil.h"

#include <stdio.h>
#include <string.h>

/* A hash of a password nobody has, verified when the username is unknown so a
 * wrong username takes as long as a wrong password. */
static const char *dummy_hash(void)
{
	static char hash[128];
	static int made;
	if (!__atomic_load_n(&made, __ATOMIC_ACQUIRE)) {
		char tmp[128];
		char pw[48];
		api_random_token(pw, sizeof pw);
		if (api_password_hash(pw, tmp)) {
			/* Racing threads compute equivalent values; the first to publish wins. */
			int expected = 0;
			if (__atomic_compare_exchange_n(&made, &expected, 2, false,
			                                __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
				memcpy(hash, tmp, sizeof hash);
				__atomic_store_n(&made, 1, __ATOMIC_RELEASE);
			}
		}
	}
	return __atomic_load_n(&made, __ATOMIC_ACQUIRE) == 1 ? hash : NULL;
}

static void set_cookie(struct http_req *req, struct api_ctx *ctx, const char *value,
                       int64_t max_age)
{
	http_add_header(req, "Set-Cookie",
	                arena_printf(&req->arena,
	                             "jiceng_session=%s; HttpOnly; SameSite=Strict; Path=/; "
	                             "Max-Age=%lld%s",
	                             value, (long long)max_age,
	                             ctx->cfg->cookie_secure ? "; Secure" : ""));
}

void session_create(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	const char *username = api_string(&in, "username", true, 64, NULL);
	const char *password = api_string(&in, "password", true, 256, NULL);
	if (!api_input_end(req, &in))
		goto out;
	int64_t now = time_now();
	struct user_row u;
	enum db_result r = users_by_name(ctx->db, &req->arena, username, &u);
	if (r != DB_ROW && r != DB_DONE) {
		api_store_error(req, r);
		goto out;
	}
	ctx->audit_username = arena_strdup(&req->arena, username);
	if (r == DB_DONE) {
		const char *h = dummy_hash();
		if (h)
			api_password_verify(h, password);
		api_problem(req, 401, "用户名或密码错误");
		goto out;
	}
	ctx->audit_user_id = u.id;
	if (u.locked_until > now) {
		int64_t wait = u.locked_until - now;
		http_problem(req, 429,
		             arena_printf(&req->arena,
		                          "连续登录失败次数过多，账户已锁定，请 %lld 分钟后再试",
		                          (long long)((wait + 59) / 60)),
		             NULL);
		http_add_header(req, "Retry-After",
		                arena_printf(&req->arena, "%lld", (long long)wait));
		goto out;
	}
	bool good = api_password_verify(u.password_hash, password);
	if (db_begin_write(ctx->db) != DB_OK) {
		api_problem(req, 503, "系统繁忙，请稍后再试");
		goto out;
	}
	if (good && u.disabled) {
		/* Only someone who knows the password learns that the account is disabled. */
		api_problem(req, 403, "账户已停用，请联系管理员");
		db_rollback(ctx->db);
		goto out;
	}
	if (!good) {
		bool locked = false;
		int64_t until = now + ctx->cfg->lockout_seconds;
		users_count_failure(ctx->db, u.id, ctx->cfg->lockout_failures, until, &locked);
		if (locked) {
			http_problem(req, 429,
			             arena_printf(&req->arena,
			                          "连续 %lld 次登录失败，账户已锁定 %lld 分钟",
			                          (long long)ctx->cfg->lockout_failures,
			                          (long long)ctx->cfg->lockout_seconds / 60),
			             NULL);
			http_add_header(req, "Retry-After",
			                arena_printf(&req->arena, "%lld",
			                             (long long)ctx->cfg->lockout_seconds));
		} else {
			api_problem(req, 401, "用户名或密码错误");
		}
		if (db_commit(ctx->db) != DB_OK)
			api_problem(req, 503, "系统繁忙，请稍后再试");
		goto out;
	}
	char token[48], csrf[48];
	api_random_token(token, sizeof token);
	api_random_token(csrf, sizeof csrf);
	unsigned char hash[AUTH_HASH_LEN];
	api_hash_secret(token, hash);
	int64_t sid;
	r = users_set_failures(ctx->db, u.id, 0, 0);
	if (r == DB_OK)
		r = sessions_insert(ctx->db, hash, u.id, csrf, now,
		                    now + ctx->cfg->session_lifetime, req->ip, &sid);
	if (r != DB_OK || db_commit(ctx->db) != DB_OK) {
		db_rollback(ctx->db);
		api_store_error(req, r);
		goto out;
	}
	ctx->who.user_id = u.id;
	req->user_id = u.id;
	json_t *body = json_object();
	json_object_set_new(body, "user", api_user_json(ctx, &req->arena, &u));
	json_set_str(body, "csrf_token", csrf);
	api_json(req, 200, body);
	set_cookie(req, ctx, token, ctx->cfg->session_lifetime);
out:
	api_input_free(&in);
}

void session_delete(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!ctx->who.session_id) {
		api_problem(req, 409, "API 令牌没有可退出的登录会话");
		return;
	}
	enum db_result r = sessions_delete(ctx->db, ctx->who.session_id);
	if (r != DB_OK) {
		api_store_error(req, r);
		return;
	}
	ctx->auth_changed = true;
	ctx->touch_session = false;
	api_no_content(req);
	set_cookie(req, ctx, "", 0);
}

void me_get(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	json_t *o;
	if (ctx->who.user_id) {
		struct user_row u;
		enum db_result r = users_get(ctx->db, &req->arena, ctx->who.user_id, &u);
		if (r != DB_ROW) {
			api_store_error(req, r);
			return;
		}
		o = api_user_json(ctx, &req->arena, &u);
	} else {
		o = json_object();
		json_set_str(o, "username", arena_printf(&req->arena, "token:%s", ctx->who.name));
		json_set_str(o, "display_name", ctx->who.name);
		json_set_int(o, "token_id", ctx->who.token_id);
		json_object_set_new(
		    o, "grants",
		    api_grants_json(ctx, &req->arena, ctx->who.grants, ctx->who.ngrants));
	}
	if (ctx->who.session_id) {
		json_set_str(o, "csrf_token", ctx->who.csrf);
		json_set_time(o, "session_expires_at", ctx->who.expires_at);
		json_set_int(o, "idle_timeout", ctx->cfg->idle_timeout);
	}
	api_json(req, 200, o);
}
