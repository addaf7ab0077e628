/* The hooks the router calls around every handler: open the request's
 * transaction, authenticate (API token or cookie session), enforce idle
 * time-out, CSRF and the route's role set; afterwards commit or roll back and
 * append the audit entry. Handlers never re-implement any of this. */
#include "api/api.h"
#include "api/idempotency.h"
#include "api/messages.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "store/batch.h"
#include "store/platform/audit.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <string.h>
#include <strings.h>

static const struct api_config *config;

void api_setup(const struct api_config *cfg)
{
	config = cfg;
}

/* Set before the server's threads start and only read afterwards. */
static struct batch *writer;

void api_set_writer(struct batch *b)
{
	writer = b;
}

struct batch *api_writer(void)
{
	return writer;
}

/* Sessions are touched at most once a minute (sooner with short idle time-outs): idle
 * time-out needs no finer grain, and it keeps reads from turning into writes. API tokens
 * record their last use on the same grain. */
enum { TOUCH_EVERY = 60 };

/* Credential cache: each worker thread keeps the principals it resolved lately,
 * so a busy client costs no database lookup per request. An entry lives at most
 * AUTH_CACHE_NS, and every committed change to users, grants, tokens or sessions
 * (handlers say so with ctx->auth_changed) bumps auth_epoch, which empties every
 * thread's cache: a revoked token or a disabled user is refused at once. Other nodes on the
 * same database know nothing of this epoch: they re-read the credential when their entry is
 * AUTH_CACHE_NS old, so a sign-out, a revoked token or a disabled user is refused by every
 * node within AUTH_CACHE_NS (tests/api/multinode.test.mjs). A touch (last
 * seen, last used) is no such change: it refreshes this thread's own entry only, and
 * other threads' entries, at most AUTH_CACHE_NS old, catch up when they expire. */
enum { AUTH_CACHE_SLOTS = 64 };
#define AUTH_CACHE_NS 1000000000LL

struct auth_cache_entry {
	unsigned char hash[AUTH_HASH_LEN];
	bool used, token;
	uint64_t epoch;
	int64_t fetched_ns;
	struct principal who;
};

static atomic_uint_fast64_t auth_epoch;
static _Thread_local struct auth_cache_entry auth_cache[AUTH_CACHE_SLOTS];

static struct auth_cache_entry *cache_slot(const unsigned char hash[AUTH_HASH_LEN])
{
	return &auth_cache[hash[0] % AUTH_CACHE_SLOTS];
}

static bool cache_get(const unsigned char hash[AUTH_HASH_LEN], bool token, struct principal *who)
{
	const struct auth_cache_entry *e = cache_slot(hash);
	if (!e->used || e->token != token || memcmp(e->hash, hash, AUTH_HASH_LEN) != 0 ||
	    e->epoch != atomic_load(&auth_epoch) || time_mono_ns() - e->fetched_ns > AUTH_CACHE_NS)
		return false;
	*who = e->who;
	return true;
}

static void cache_put(const unsigned char hash[AUTH_HASH_LEN], bool token, uint64_t epoch,
                      const struct principal *who)
{
	struct auth_cache_entry *e = cache_slot(hash);
	memcpy(e->hash, hash, AUTH_HASH_LEN);
	e->used = true;
	e->token = token;
	e->epoch = epoch;
	e->fetched_ns = time_mono_ns();
	e->who = *who;
}

/* After a committed touch: this thread's cached entry of the same credential carries the new
 * time, so the next request neither touches again nor reads a stale idle time. */
static void cache_touched(const struct principal *who, int64_t now)
{
	for (size_t i = 0; i < AUTH_CACHE_SLOTS; i++) {
		struct auth_cache_entry *e = &auth_cache[i];
		if (e->used && ((who->session_id && e->who.session_id == who->session_id) ||
		                (who->token_id && e->who.token_id == who->token_id)))
			e->who.last_seen = now;
	}
}

static bool touch_due(const struct api_ctx *ctx, int64_t now)
{
	int64_t every = !ctx->who.token_id && ctx->cfg->idle_timeout / 4 < TOUCH_EVERY
	                    ? ctx->cfg->idle_timeout / 4
	                    : TOUCH_EVERY;
	return now - ctx->who.last_seen >= every;
}

static bool authenticate(struct http_req *req, struct api_ctx *ctx, int64_t now)
{
	/* Read before the lookup: a write committed meanwhile makes this entry stale. */
	uint64_t epoch = atomic_load(&auth_epoch);
	const char *authz = http_header(req, "Authorization");
	unsigned char hash[AUTH_HASH_LEN];
	if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
		const char *tok = authz + 7;
		while (*tok == ' ')
			tok++;
		api_hash_secret(tok, hash);
		if (cache_get(hash, true, &ctx->who)) {
			ctx->authed = true;
			ctx->touch_session = touch_due(ctx, now); /* last_used, for GET /tokens */
			return true;
		}
		enum db_result r = store_tokens_lookup(ctx->db, hash, &ctx->who);
		if (r == DB_ROW) {
			cache_put(hash, true, epoch, &ctx->who);
			ctx->authed = true;
			ctx->touch_session = touch_due(ctx, now);
			return true;
		}
		if (r != DB_DONE)
			api_store_error(req, r);
		else
			api_problem(req, 401, "API 令牌无效或已吊销");
		return false;
	}
	const char *cookie = http_cookie(req, "jiceng_session");
	if (!cookie || !*cookie) {
		api_problem(req, 401, "请先登录");
		return false;
	}
	api_hash_secret(cookie, hash);
	if (!cache_get(hash, false, &ctx->who)) {
		enum db_result r = store_sessions_lookup(ctx->db, hash, &ctx->who);
		if (r != DB_ROW) {
			if (r != DB_DONE)
				api_store_error(req, r);
			else
				api_problem(req, 401, "登录已失效，请重新登录");
			return false;
		}
		cache_put(hash, false, epoch, &ctx->who);
	}
	if (now - ctx->who.last_seen > ctx->cfg->idle_timeout || now >= ctx->who.expires_at) {
		api_problem(req, 401, "长时间未操作，登录已超时，请重新登录");
		return false;
	}
	ctx->authed = true;
	ctx->touch_session = touch_due(ctx, now);
	return true;
}

static bool csrf_ok(struct http_req *req, const struct api_ctx *ctx)
{
	if (!ctx->who.session_id)
		return true; /* bearer tokens are not sent by browsers on their own */
	const char *sent = http_header(req, "X-CSRF-Token");
	size_t n = strlen(ctx->who.csrf);
	return sent && strlen(sent) == n && n > 0 && sodium_memcmp(sent, ctx->who.csrf, n) == 0;
}

/* A group write (HTTP_GROUP): once the guard's checks pass on the worker thread, the
 * connection is suspended and the whole handler runs on the group-commit writer, against the
 * writer's connection, inside the job's savepoint of the batch's transaction; its audit entry
 * is appended in the same savepoint. The queue is one, in arrival order, shared with the
 * reports and the audited reads, so no kind of write starves another, and later writes see
 * earlier ones (actions on one case apply in the order they came). A handler that answers an
 * error has its savepoint rolled back and leaves the batch's other writes alone; the answer
 * goes out only after the shared commit is durable. */
struct group_job {
	struct http_req *req;
	struct db *own; /* the worker's connection, given back on resume */
	struct batch_job bj;
	bool refused;  /* the handler answered an error: its savepoint was rolled back */
	bool unlogged; /* its audit entry could not be appended: rolled back too */
};

static bool audit_write(struct http_req *req, struct api_ctx *ctx, const char *action);
static void withhold(struct http_req *req);

static enum db_result group_run(struct db *db, void *arg)
{
	struct group_job *j = arg;
	struct http_req *req = j->req;
	struct api_ctx *ctx = req->app;
	ctx->db = db;
	ctx->txn = true; /* the batch's, which the handler must neither commit nor end */
	ctx->grouped = true;
	/* The key is looked up in the job's savepoint: the writer runs one job at a time. */
	if (idem_check(req, db) == IDEM_ANSWERED) {
		ctx->txn = false;
		if (ctx->idem && ctx->idem->replayed)
			return DB_OK; /* the kept answer: nothing is written */
		j->refused = true;
		return DB_ERROR;
	}
	req->route->handler(req);
	ctx->txn = false;
	bool answered = req->responded || ctx->answer;
	if (!answered || (req->status >= 400 && !ctx->keep_on_error)) {
		j->refused = true;
		return DB_ERROR;
	}
	if (!ctx->audited) {
		if (!audit_write(req, ctx,
		                 ctx->audit_action ? ctx->audit_action : req->route->action)) {
			j->unlogged = true;
			return DB_ERROR;
		}
		ctx->audited = true;
	}
	/* With a key the answer is built here, in the job's savepoint, and kept with the key in
	 * the same transaction (group_resumed then finds it built). */
	if (ctx->idem && ctx->idem->fresh && ctx->answer && !req->responded)
		ctx->answer(req);
	return idem_keep(req, db);
}

static void group_done(void *arg)
{
	const struct group_job *j = arg;
	http_wake(j->req);
}

static void group_submit(struct http_req *req)
{
	struct group_job *j = api_ctx(req)->pending;
	store_batch_submit(writer, &j->bj);
}

/* Back on the worker after the batch's commit (or its failure). */
static void group_resumed(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const struct group_job *j = ctx->pending;
	ctx->db = j->own;
	if (j->bj.result == DB_OK && ctx->answer && !req->responded) {
		/* The answer reads what was committed, as one snapshot. */
		enum db_result r = db_begin_read(ctx->db);
		if (r == DB_OK) {
			ctx->answer(req);
			db_commit(ctx->db);
		} else {
			api_store_error(req, r);
		}
	}
	if (j->bj.result == DB_OK)
		idem_finish(req, ctx->db);
	if (j->bj.result == DB_OK || j->refused)
		return; /* committed, or refused with the handler's answer (after() audits it) */
	ctx->audited = true; /* nothing of it is kept, its audit entry included */
	if (j->unlogged) {
		withhold(req);
		return;
	}
	req->nhdrs = 0;
	log_error("group commit failed for %s %s", req->method, req->path);
	api_store_error(req, j->bj.result == DB_BUSY ? DB_BUSY : DB_ERROR);
}

static void group_defer(struct http_req *req, struct api_ctx *ctx)
{
	struct group_job *j = arena_alloc(&req->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->req = req;
	j->own = ctx->db;
	j->bj.fn = group_run;
	j->bj.arg = j;
	j->bj.done = group_done;
	j->bj.done_arg = j;
	ctx->pending = j;
	http_defer(req, group_submit, group_resumed);
}

void api_answer_after(struct http_req *req, int status, void (*build)(struct http_req *req),
                      void *arg)
{
	struct api_ctx *ctx = api_ctx(req);
	ctx->answer_arg = arg;
	if (!ctx->grouped) {
		build(req);
		return;
	}
	ctx->answer = build;
	req->status = status;
}

static bool before(struct http_req *req)
{
	struct api_ctx *ctx = arena_alloc(&req->arena, sizeof(*ctx));
	memset(ctx, 0, sizeof(*ctx));
	ctx->cfg = config;
	req->app = ctx;
	const struct http_route *route = req->route;
	bool raw = route->flags & HTTP_RAW;
	ctx->db = api_db();
	if (!ctx->db) {
		api_problem(req, 503, "数据库暂时不可用，请稍后再试");
		return false;
	}
	/* A single statement is its own consistent snapshot; BEGIN/COMMIT would only add
	 * lock round trips to the hottest reads. A group write opens its transaction on the
	 * writer (its savepoint in the batch's transaction), not here. */
	bool group = (route->flags & HTTP_GROUP) && writer;
	if (!raw && !group && !(route->flags & HTTP_ONE_READ)) {
		enum db_result r =
		    route->flags & HTTP_WRITE ? db_begin_write(ctx->db) : db_begin_read(ctx->db);
		if (r != DB_OK) {
			api_store_error(req, r);
			return false;
		}
		ctx->txn = true;
	}
	if (route->flags & HTTP_PUBLIC)
		return true;
	int64_t now = time_now();
	if (!authenticate(req, ctx, now))
		return false;
	req->user_id = ctx->who.user_id;
	if ((route->flags & HTTP_WRITE) && !csrf_ok(req, ctx)) {
		api_problem(req, 403, "缺少或错误的 CSRF 令牌（X-CSRF-Token）");
		ctx->audit_detail = "csrf";
		return false;
	}
	/* ROLES_ANY means any signed-in caller, even one whose grants were all withdrawn. */
	if (route->roles != ROLES_ANY &&
	    !(route->roles & grant_roles(ctx->who.grants, ctx->who.ngrants))) {
		api_problem(req, 403, "当前角色无权执行此操作");
		ctx->audit_detail = "role";
		return false;
	}
	if (!idem_prepare(req))
		return false;
	if (group) {
		group_defer(req, ctx);
		return false; /* the handler runs on the writer; finished in group_resumed() */
	}
	/* A repeated submission is answered from its key, in the write's own transaction. */
	return !ctx->txn || idem_check(req, ctx->db) == IDEM_NEW;
}

/* The request's audit entry (its strings live in the request's arena). */
static void audit_entry_of(struct http_req *req, struct api_ctx *ctx, const char *action,
                           struct audit_entry *e)
{
	memset(e, 0, sizeof *e);
	e->user_id = ctx->audit_user_id ? ctx->audit_user_id : ctx->who.user_id;
	const char *name = ctx->audit_username ? ctx->audit_username : ctx->who.name;
	if (ctx->who.token_id && !ctx->audit_username)
		name = arena_printf(&req->arena, "token:%s", ctx->who.name);
	e->username = name && *name ? name : NULL;
	e->action = action;
	e->object = ctx->audit_object ? ctx->audit_object : req->path;
	e->result = req->status;
	e->ip = req->ip;
	e->detail = ctx->audit_detail;
}

/* False when the entry could not be appended (the caller then withholds the answer). */
static bool audit_write(struct http_req *req, struct api_ctx *ctx, const char *action)
{
	struct audit_entry e;
	audit_entry_of(req, ctx, action, &e);
	if (store_audit_append(ctx->db, &e) != DB_OK) {
		log_error("audit append failed for %s %s", req->method, req->path);
		return false;
	}
	return true;
}

/* Appends an audit entry in a transaction of its own; false when it could not. */
static bool audit_alone(struct http_req *req, struct api_ctx *ctx, const char *action)
{
	if (db_begin_write(ctx->db) != DB_OK) {
		log_error("audit: cannot begin for %s %s", req->method, req->path);
		return false;
	}
	if (!audit_write(req, ctx, action)) {
		db_rollback(ctx->db);
		return false;
	}
	if (db_commit(ctx->db) != DB_OK) {
		log_error("audit: commit failed for %s %s", req->method, req->path);
		return false;
	}
	return true;
}

/* An audit entry appended outside the request's own transaction (an audited read, a refusal,
 * a failed sign-in) goes to the group-commit writer: the connection is suspended with its
 * answer built, the writer appends the entry with others in one transaction and one fsync, and
 * the answer goes out only once that commit is durable (or is withheld if it failed). The
 * writer reads the chain's last hash inside its own write transaction, as every other append
 * does, so all appends form one chain in commit order. */
struct audit_job {
	struct http_req *req;
	struct audit_entry e;
	struct batch_job bj;
	bool changed;
};

static enum db_result audit_job_run(struct db *db, void *arg)
{
	struct audit_job *j = arg;
	return store_audit_append(db, &j->e);
}

static void audit_job_done(void *arg)
{
	const struct audit_job *j = arg;
	http_wake(j->req);
}

static void audit_submit(struct http_req *req)
{
	struct audit_job *j = api_ctx(req)->pending;
	store_batch_submit(writer, &j->bj);
}

static void after_rest(struct api_ctx *ctx, bool changed);

/* Back on the request's worker thread after the writer's commit. */
static void audit_resumed(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const struct audit_job *j = ctx->pending;
	if (j->bj.result != DB_OK) {
		log_error("audit: group commit failed for %s %s", req->method, req->path);
		if (req->responded && req->status < 400)
			withhold(req);
	}
	after_rest(ctx, j->changed);
}

static void audit_defer(struct http_req *req, struct api_ctx *ctx, const char *action, bool changed)
{
	struct audit_job *j = arena_alloc(&req->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->req = req;
	audit_entry_of(req, ctx, action, &j->e);
	j->changed = changed;
	j->bj.fn = audit_job_run;
	j->bj.arg = j;
	j->bj.done = audit_job_done;
	j->bj.done_arg = j;
	ctx->pending = j;
	http_defer(req, audit_submit, audit_resumed);
}

/* The audit trail fails closed (等保 2.0: the audit function cannot be interrupted unseen): a
 * write whose entry cannot be appended is rolled back, and an audited read (a reveal, an
 * export, the trail itself) or a sign-in is answered 503 instead of with what it would have
 * shown. The answer built so far, headers included (a session cookie), is dropped. */
static void withhold(struct http_req *req)
{
	req->nhdrs = 0;
	api_problem(req, 503, "审计记录未能写入，操作未完成，请稍后重试");
}

/* Refusals audited per caller: DENY_PER_MINUTE a minute, refilled evenly. Beyond that a
 * refusal is counted, not written, and the next one written says how many went unwritten, so
 * a signed-in caller cannot grow the trail without bound nor hide anything in it. The table is
 * fixed (bounded memory): 4-way sets by caller; a full set drops the fullest bucket, else the
 * oldest, and logs the count of unwritten refusals it held, if any. */
enum { DENY_PER_MINUTE = 30, DENY_SETS = 256, DENY_WAYS = 4 };

struct deny_slot {
	int64_t who; /* user id, or minus the token id */
	double tokens;
	int64_t at_ns, unwritten;
};

static struct deny_slot deny_table[DENY_SETS * DENY_WAYS];
static pthread_mutex_t deny_mu = PTHREAD_MUTEX_INITIALIZER;

/* True when this refusal is to be written; *unwritten: refusals not written before it. */
static bool deny_take(int64_t who, int64_t *unwritten)
{
	const double cap = DENY_PER_MINUTE;
	int64_t now = time_mono_ns();
	uint64_t h = (uint64_t)who * 0x9E3779B97F4A7C15ULL;
	pthread_mutex_lock(&deny_mu);
	struct deny_slot *set = &deny_table[(h >> 40) % DENY_SETS * DENY_WAYS], *e = NULL;
	struct deny_slot *victim = NULL;
	double best = -1;
	for (int i = 0; i < DENY_WAYS && !e; i++) {
		struct deny_slot *c = &set[i];
		if (c->who == who) {
			e = c;
			continue;
		}
		double t =
		    c->who ? c->tokens + (double)(now - c->at_ns) / 1e9 * cap / 60.0 : cap + 1;
		if (t > best || (t == best && victim && c->at_ns < victim->at_ns)) {
			victim = c;
			best = t;
		}
	}
	if (!e) {
		if (victim->who && victim->unwritten)
			log_warn("audit: %lld refusals of caller %lld went unwritten",
			         (long long)victim->unwritten, (long long)victim->who);
		e = victim;
		e->who = who;
		e->tokens = cap;
		e->at_ns = now;
		e->unwritten = 0;
	}
	e->tokens += (double)(now - e->at_ns) / 1e9 * cap / 60.0;
	if (e->tokens > cap)
		e->tokens = cap;
	e->at_ns = now;
	bool write = e->tokens >= 1.0;
	if (write) {
		e->tokens -= 1.0;
		*unwritten = e->unwritten;
		e->unwritten = 0;
	} else {
		e->unwritten++;
	}
	pthread_mutex_unlock(&deny_mu);
	return write;
}

static void after(struct http_req *req)
{
	struct api_ctx *ctx = req->app;
	if (!ctx || !ctx->db)
		return;
	const struct http_route *route = req->route;
	bool write = route->flags & HTTP_WRITE;
	bool ok = req->responded && req->status < 400;
	/* Anonymous noise on write routes is not audited, failed sign-ins are. */
	bool audit = (write && (ctx->authed || ctx->audit_username)) || ctx->audit_action;
	const char *action = ctx->audit_action ? ctx->audit_action : route->action;
	/* A refusal of a signed-in caller (403, from the guard or a handler's own check) is
	 * audited on every route, reads too: it names who tried what. Anonymous 401s are not:
	 * they cost an attacker nothing, name no one, and would bury the trail in noise; the
	 * access log keeps them, and failed sign-ins are audited as such. */
	int64_t unwritten = 0;
	if (ctx->authed && req->responded && req->status == 403 && !ctx->audited) {
		audit =
		    deny_take(ctx->who.user_id ? ctx->who.user_id : -ctx->who.token_id, &unwritten);
		/* A handler that named its own action for the refusal (resident.reveal,
		 * resident.export) keeps it: that entry also names whose data was asked for. */
		action = ctx->audit_action ? ctx->audit_action : "access.denied";
		ctx->audit_detail = arena_printf(
		    &req->arena, "%s %s%s%s%s", req->method,
		    route->action ? route->action : route->pattern, ctx->audit_detail ? "; " : "",
		    ctx->audit_detail ? ctx->audit_detail : "",
		    unwritten
		        ? arena_printf(&req->arena,
		                       "; %lld more refused before this, not written one by one",
		                       (long long)unwritten)
		        : "");
	}
	bool changed = false;
	if (ctx->txn) {
		if (ok || ctx->keep_on_error) {
			bool logged = true;
			/* Without its key a repeat would write again: then nothing is kept. */
			bool kept = !ok || idem_keep(req, ctx->db) == DB_OK;
			if (kept && write && audit && !ctx->audited) {
				logged = audit_write(req, ctx, action);
				audit = false;
			}
			if (!kept) {
				db_rollback(ctx->db);
				req->nhdrs = 0;
				api_problem(req, 503, "保存失败，请稍后重试");
			} else if (!logged) {
				db_rollback(ctx->db);
				withhold(req);
			} else if (db_commit(ctx->db) != DB_OK) {
				api_problem(req, 503, "保存失败，请稍后重试");
			} else {
				changed = ctx->auth_changed;
			}
		} else {
			db_rollback(ctx->db);
		}
		ctx->txn = false;
	} else if (route->flags & (HTTP_RAW | HTTP_GROUP)) {
		changed = ctx->auth_changed; /* committed by the handler or the writer */
	}
	if (audit && !ctx->audited) {
		if (writer) {
			audit_defer(req, ctx, action, changed);
			return; /* finished in audit_resumed() once the entry is durable */
		}
		if (!audit_alone(req, ctx, action) && req->responded && req->status < 400)
			withhold(req);
	}
	after_rest(ctx, changed);
}

/* After the audit entry: a committed change to credentials empties every thread's cache, and
 * a due touch records the session's or token's last use. */
static void after_rest(struct api_ctx *ctx, bool changed)
{
	if (changed)
		atomic_fetch_add(&auth_epoch, 1);
	if (ctx->touch_session && db_begin_write(ctx->db) == DB_OK) {
		int64_t now = time_now();
		enum db_result r = ctx->who.token_id
		                       ? store_tokens_touch(ctx->db, ctx->who.token_id, now)
		                       : store_sessions_touch(ctx->db, ctx->who.session_id, now);
		if (r == DB_OK && db_commit(ctx->db) == DB_OK)
			cache_touched(&ctx->who, now);
		else
			db_rollback(ctx->db);
	}
}

static void release(struct http_req *req)
{
	struct api_ctx *ctx = req->app;
	if (ctx && ctx->db && db_in_transaction(ctx->db))
		db_rollback(ctx->db);
}

unsigned api_roles(const struct api_ctx *ctx)
{
	return grant_roles(ctx->who.grants, ctx->who.ngrants);
}

bool api_reaches(const struct api_ctx *ctx, unsigned roles, const char *code)
{
	return grant_reaches(ctx->who.grants, ctx->who.ngrants, roles, code);
}

bool api_is_admin(const struct api_ctx *ctx)
{
	return api_roles(ctx) & ROLE_BIT(ROLE_ADMIN);
}

const struct http_app *api_app(void)
{
	extern const struct http_route api_routes[];
	extern const size_t api_nroutes;
	static struct http_app app;
	app.routes = api_routes;
	app.nroutes = api_nroutes;
	app.before = before;
	app.after = after;
	app.release = release;
	app.render_error = open311_render_error;
	/* Problem details in the language the client asks for (Chinese unless it prefers English).
	 */
	http_set_localizer(api_localize);
	return &app;
}

const char *api_db_path(void)
{
	return config->db_path;
}
