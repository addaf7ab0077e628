/* Sign-in and sign-out (POST/DELETE /api/v1/session) and GET /api/v1/me.
 * Failed sign-ins count towards a lock-out (等保 2.0); the password check runs
 * outside any transaction so argon2id's cost never holds the write lock. */
#include "api/api.h"
#include "core/json.h"
#include "core/log.h"
#include "core/seal.h"
#include "core/timeutil.h"
#include "store/platform/limits.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- where the counts live ----
 * On SQLite the process is the only node and the counts below live in its memory. On
 * PostgreSQL several nodes may share the database, so the same counts live in it
 * (store/platform/limits.h, migration 10), each change in a short write transaction of its
 * own, and a client gets the same answers whichever node it reaches. */

/* Purges the shared counts that limit nothing any more, at most once a minute per process, in
 * the caller's write transaction. */
static enum db_result limits_purge_due(struct db *db, int64_t now)
{
	static atomic_int_fast64_t purged_at;
	int_fast64_t last = atomic_load(&purged_at);
	if (now - last < 60 || !atomic_compare_exchange_strong(&purged_at, &last, now))
		return DB_OK;
	return store_limits_purge(db, now, 600);
}

/* ---- per-address limit on sign-in attempts ----
 * Each attempt costs a full argon2id (tens of MB, tens of ms) before anyone is known, so an
 * address gets a bucket of login_per_minute attempts, refilled evenly over a minute; a
 * successful sign-in gives its attempt back, so only failures and floods are limited. The
 * table is fixed (bounded memory whatever the addresses): 4-way sets, and a full set drops
 * the fullest bucket (a full bucket limits nothing, so dropping it changes no answer) or else
 * the one touched longest ago. */
enum { RATE_SETS = 256, RATE_WAYS = 4 };

struct rate_slot {
	unsigned char key[16]; /* hash of the address */
	bool used, warned;     /* warned: this run of refusals was logged */
	double tokens;
	int64_t at_ns; /* when tokens was last brought up to date */
};

static struct rate_slot rate_table[RATE_SETS * RATE_WAYS];
static pthread_mutex_t rate_mu = PTHREAD_MUTEX_INITIALIZER;

/* The bucket's key: an IPv4 address as it is, an IPv6 address by its /64, since one
 * subscriber usually holds a whole /64 and could otherwise take a fresh bucket per address. */
static void addr_key(const char *ip, unsigned char out[16])
{
	unsigned char a[16];
	if (inet_pton(AF_INET6, ip, a) == 1) {
		if (IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)(const void *)a))
			crypto_generichash(out, 16, a + 12, 4, NULL, 0);
		else
			crypto_generichash(out, 16, a, 8, NULL, 0);
		return;
	}
	if (inet_pton(AF_INET, ip, a) == 1) {
		crypto_generichash(out, 16, a, 4, NULL, 0);
		return;
	}
	crypto_generichash(out, 16, (const unsigned char *)ip, strlen(ip), NULL, 0);
}

static double refill(const struct rate_slot *e, int64_t now_ns, double cap)
{
	double t = e->tokens + (double)(now_ns - e->at_ns) / 1e9 * cap / 60.0;
	return t > cap ? cap : t;
}

/* The bucket of an address in the shared table: its hashed key in hex. */
static void addr_bucket(const unsigned char key[16], char out[40])
{
	memcpy(out, "login:", 6);
	sodium_bin2hex(out + 6, 33, key, 16);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The shared bucket (PostgreSQL): DB_OK with *ok and *wait, else an error. */
static enum db_result rate_take_shared(struct db *db, const unsigned char key[16],
                                       int64_t per_minute, bool *ok, int64_t *wait)
{
	char bucket[40];
	addr_bucket(key, bucket);
	enum db_result r = store_limits_begin(db);
	if (r != DB_OK)
		return r;
	r = store_rate_take(db, bucket, (double)per_minute, now_ms(), ok, wait);
	if (r == DB_OK)
		r = limits_purge_due(db, time_now());
	if (r == DB_OK)
		r = db_commit(db);
	if (r != DB_OK)
		db_rollback(db);
	return r;
}

/* Takes one attempt for ip; false with *wait (seconds until the next one) when none is left.
 * *r: the database's error when the shared count could not be read (then false). */
static bool rate_take(struct db *db, const char *ip, int64_t per_minute, int64_t *wait,
                      enum db_result *r)
{
	*r = DB_OK;
	if (per_minute <= 0)
		return true;
	double cap = (double)per_minute;
	unsigned char key[16];
	addr_key(ip ? ip : "", key);
	if (store_limits_shared(db)) {
		bool ok = false;
		*r = rate_take_shared(db, key, per_minute, &ok, wait);
		/* Logged at most every ten seconds by a node: a flood does not flood the log. */
		static atomic_int_fast64_t warned_at;
		int_fast64_t last = atomic_load(&warned_at);
		int64_t now = time_now();
		if (*r == DB_OK && !ok && now - last >= 10 &&
		    atomic_compare_exchange_strong(&warned_at, &last, now))
			log_warn("sign-in attempts from %s exceed %lld a minute; refusing",
			         ip ? ip : "?", (long long)per_minute);
		return *r == DB_OK && ok;
	}
	int64_t now = time_mono_ns();
	pthread_mutex_lock(&rate_mu);
	struct rate_slot *set = &rate_table[(key[0] | key[1] << 8) % RATE_SETS * RATE_WAYS];
	struct rate_slot *e = NULL, *victim = NULL;
	double victim_tokens = -1;
	for (int i = 0; i < RATE_WAYS && !e; i++) {
		struct rate_slot *c = &set[i];
		if (c->used && memcmp(c->key, key, sizeof key) == 0) {
			e = c;
		} else if (!c->used) {
			if (victim_tokens < cap + 1) {
				victim = c;
				victim_tokens = cap + 1;
			}
		} else {
			double t = refill(c, now, cap);
			if (t > victim_tokens || (t == victim_tokens && c->at_ns < victim->at_ns)) {
				victim = c;
				victim_tokens = t;
			}
		}
	}
	if (!e) {
		e = victim;
		memcpy(e->key, key, sizeof key);
		e->used = true;
		e->warned = false;
		e->tokens = cap;
		e->at_ns = now;
	}
	e->tokens = refill(e, now, cap);
	e->at_ns = now;
	bool ok = e->tokens >= 1.0;
	if (ok)
		e->tokens -= 1.0;
	else
		*wait = (int64_t)((1.0 - e->tokens) * 60.0 / cap) + 1;
	bool first_refusal = !ok && !e->warned;
	e->warned = !ok;
	pthread_mutex_unlock(&rate_mu);
	if (first_refusal)
		log_warn("sign-in attempts from %s exceed %lld a minute; refusing for now",
		         ip ? ip : "?", (long long)per_minute);
	return ok;
}

/* Gives back the attempt of a successful sign-in. On PostgreSQL in the sign-in's write
 * transaction (open_session), so this gives back nothing there. */
static void rate_refund(struct db *db, const char *ip, int64_t per_minute)
{
	if (per_minute <= 0 || store_limits_shared(db))
		return;
	unsigned char key[16];
	addr_key(ip ? ip : "", key);
	pthread_mutex_lock(&rate_mu);
	struct rate_slot *set = &rate_table[(key[0] | key[1] << 8) % RATE_SETS * RATE_WAYS];
	for (int i = 0; i < RATE_WAYS; i++)
		if (set[i].used && memcmp(set[i].key, key, sizeof key) == 0 &&
		    set[i].tokens + 1.0 <= (double)per_minute)
			set[i].tokens += 1.0;
	pthread_mutex_unlock(&rate_mu);
}

/* ---- lock-out of unknown usernames ----
 * A known account locks after lockout_failures failures in a row; an unknown username must
 * answer exactly alike (status, body, Retry-After, time), or the lock-out tells which
 * usernames exist. So failures of unknown usernames are counted here, in a fixed table like
 * the one above, with the same rule as store_users_count_failure. The table is lost on restart and
 * an entry can be pushed out by thousands of other unknown names; both take far longer than
 * the per-address limit lets one address try, and docs/security.md says so. */
enum { GHOST_SETS = 1024, GHOST_WAYS = 4 };

struct ghost_slot {
	unsigned char key[16];
	bool used;
	int64_t failures, locked_until, at;
};

static struct ghost_slot ghost_table[GHOST_SETS * GHOST_WAYS];
static pthread_mutex_t ghost_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned char ghost_salt[16];
static pthread_once_t ghost_once = PTHREAD_ONCE_INIT;

static void ghost_init(void)
{
	randombytes_buf(ghost_salt, sizeof ghost_salt);
}

static struct ghost_slot *ghost_find(const char *username, int64_t now)
{
	pthread_once(&ghost_once, ghost_init);
	unsigned char key[16];
	crypto_generichash(key, sizeof key, (const unsigned char *)username, strlen(username),
	                   ghost_salt, sizeof ghost_salt);
	struct ghost_slot *set = &ghost_table[(key[0] | key[1] << 8) % GHOST_SETS * GHOST_WAYS];
	struct ghost_slot *victim = &set[0];
	for (int i = 0; i < GHOST_WAYS; i++) {
		if (set[i].used && memcmp(set[i].key, key, sizeof key) == 0)
			return &set[i];
		/* Prefer a free slot, then one whose lock has run out, then the oldest. */
		int rank = !set[i].used ? 0 : set[i].locked_until <= now ? 1 : 2;
		int vrank = !victim->used ? 0 : victim->locked_until <= now ? 1 : 2;
		if (rank < vrank || (rank == vrank && set[i].at < victim->at))
			victim = &set[i];
	}
	memset(victim, 0, sizeof *victim);
	memcpy(victim->key, key, sizeof key);
	victim->used = true;
	return victim;
}

/* An unknown username's key in the shared table: a hash keyed from the key file, so every
 * node agrees and the table never holds the name (often a mistyped password). */
static void ghost_hash(const char *username, unsigned char out[LOGIN_NAME_HASH_LEN])
{
	unsigned char idx[SEAL_INDEX_LEN];
	seal_index("login_name", username, idx);
	memcpy(out, idx, LOGIN_NAME_HASH_LEN);
}

/* The lock of an unknown username (0 when none); *r: the database's error, if any. */
static int64_t ghost_locked_until(struct db *db, const char *username, int64_t now,
                                  enum db_result *r)
{
	*r = DB_OK;
	if (store_limits_shared(db)) {
		unsigned char h[LOGIN_NAME_HASH_LEN];
		ghost_hash(username, h);
		int64_t until = 0;
		*r = store_login_unknown_locked(db, h, &until);
		return until;
	}
	pthread_mutex_lock(&ghost_mu);
	struct ghost_slot *g = ghost_find(username, now);
	g->at = now;
	int64_t until = g->locked_until;
	pthread_mutex_unlock(&ghost_mu);
	return until;
}

/* Counts a failure of an unknown username like store_users_count_failure; true when it locks.
 * *r: the database's error, if any. */
static bool ghost_count_failure(struct db *db, const char *username, int64_t max, int64_t until,
                                int64_t now, enum db_result *r)
{
	*r = DB_OK;
	if (store_limits_shared(db)) {
		unsigned char h[LOGIN_NAME_HASH_LEN];
		ghost_hash(username, h);
		bool locked = false;
		*r = store_limits_begin(db);
		if (*r == DB_OK)
			*r = store_login_unknown_failure(db, h, max, until, now, &locked);
		if (*r == DB_OK)
			*r = db_commit(db);
		if (*r != DB_OK)
			db_rollback(db);
		return locked;
	}
	pthread_mutex_lock(&ghost_mu);
	struct ghost_slot *g = ghost_find(username, now);
	g->at = now;
	bool locked = g->failures + 1 >= max;
	if (locked) {
		g->locked_until = until;
		g->failures = 0;
	} else {
		g->failures++;
	}
	pthread_mutex_unlock(&ghost_mu);
	return locked;
}

/* The answers of a locked account, one text for known and unknown usernames alike. */
static void answer_locked(struct http_req *req, int64_t wait)
{
	http_problem(req, 429,
	             arena_printf(&req->arena,
	                          "连续登录失败次数过多，账户已锁定，请 %lld 分钟后再试",
	                          (long long)((wait + 59) / 60)),
	             NULL);
	http_add_header(req, "Retry-After", arena_printf(&req->arena, "%lld", (long long)wait));
}

static void answer_just_locked(struct http_req *req, const struct api_config *cfg)
{
	http_problem(req, 429,
	             arena_printf(&req->arena, "连续 %lld 次登录失败，账户已锁定 %lld 分钟",
	                          (long long)cfg->lockout_failures,
	                          (long long)cfg->lockout_seconds / 60),
	             NULL);
	http_add_header(req, "Retry-After",
	                arena_printf(&req->arena, "%lld", (long long)cfg->lockout_seconds));
}

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

/* Secure when the operator says TLS is always in front (cookie_secure), or when the trusted
 * proxy says this request came over TLS: a browser then never sends the cookie in clear. */
static void set_cookie(struct http_req *req, struct api_ctx *ctx, const char *value,
                       int64_t max_age)
{
	http_add_header(req, "Set-Cookie",
	                arena_printf(&req->arena,
	                             "jiceng_session=%s; HttpOnly; SameSite=Strict; Path=/; "
	                             "Max-Age=%lld%s",
	                             value, (long long)max_age,
	                             ctx->cfg->cookie_secure || req->https ? "; Secure" : ""));
}

/* The per-address limit on attempts, before any work: it exists to keep argon2id's cost from
 * anonymous floods. Not audited, so a flood cannot fill the audit log either (the log line
 * says it once). False after responding 429. */
static bool attempt_allowed(struct http_req *req)
{
	int64_t wait = 0;
	enum db_result r;
	struct api_ctx *ctx = api_ctx(req);
	if (rate_take(ctx->db, req->ip, ctx->cfg->login_per_minute, &wait, &r))
		return true;
	if (r != DB_OK) {
		api_store_error(req, r);
		return false;
	}
	api_problem(
	    req, 429,
	    arena_printf(&req->arena, "登录尝试过于频繁，请 %lld 秒后再试", (long long)wait));
	http_add_header(req, "Retry-After", arena_printf(&req->arena, "%lld", (long long)wait));
	return false;
}

bool api_signin_attempt_allowed(struct http_req *req)
{
	return attempt_allowed(req);
}

/* An unknown username: step for step what a known account answers, so nothing tells them
 * apart (a locked name answers 429; else the dummy hash is verified and the failure
 * counted). */
static void refuse_unknown(struct http_req *req, const char *username, const char *password,
                           const char *dummy, int64_t now)
{
	struct api_ctx *ctx = api_ctx(req);
	const struct api_config *cfg = ctx->cfg;
	enum db_result r;
	int64_t until = ghost_locked_until(ctx->db, username, now, &r);
	if (r != DB_OK) {
		api_store_error(req, r);
		return;
	}
	if (until > now) {
		answer_locked(req, until - now);
		return;
	}
	if (dummy)
		api_password_verify(dummy, password);
	bool locked = ghost_count_failure(ctx->db, username, cfg->lockout_failures,
	                                  now + cfg->lockout_seconds, now, &r);
	if (r != DB_OK)
		api_store_error(req, r);
	else if (locked)
		answer_just_locked(req, cfg);
	else
		api_problem(req, 401, "用户名或密码错误");
}

/* Checks a known account's password and state and opens the write transaction: true with
 * it open when the sign-in may go on; false after responding 429 (locked), 403 (disabled,
 * told only to someone who knows the password), 401 (wrong password, the failure counted
 * and committed) or 503. */
static bool account_accepts(struct http_req *req, const struct user_row *u, const char *password,
                            int64_t now)
{
	struct api_ctx *ctx = api_ctx(req);
	if (u->locked_until > now) {
		answer_locked(req, u->locked_until - now);
		return false;
	}
	bool good = api_password_verify(u->password_hash, password);
	if (db_begin_write(ctx->db) != DB_OK) {
		api_problem(req, 503, "系统繁忙，请稍后再试");
		return false;
	}
	if (good && u->disabled) {
		/* Only someone who knows the password learns that the account is disabled. */
		api_problem(req, 403, "账户已停用，请联系管理员");
		db_rollback(ctx->db);
		return false;
	}
	if (good)
		return true;
	bool locked = false;
	int64_t until = now + ctx->cfg->lockout_seconds;
	store_users_count_failure(ctx->db, u->id, ctx->cfg->lockout_failures, until, &locked);
	if (locked)
		answer_just_locked(req, ctx->cfg);
	else
		api_problem(req, 401, "用户名或密码错误");
	if (db_commit(ctx->db) != DB_OK)
		api_problem(req, 503, "系统繁忙，请稍后再试");
	return false;
}

/* In the open write transaction: clears the failure count, inserts the session (token and
 * csrf made here) and purges ended sessions, then commits. False after responding. */
static bool open_session(struct http_req *req, const struct user_row *u, int64_t now,
                         char token[48], char csrf[48])
{
	struct api_ctx *ctx = api_ctx(req);
	api_random_token(token, 48);
	api_random_token(csrf, 48);
	unsigned char hash[AUTH_HASH_LEN];
	api_hash_secret(token, hash);
	int64_t sid;
	enum db_result r = store_users_set_failures(ctx->db, u->id, 0, 0);
	if (r == DB_OK)
		r = store_sessions_insert(ctx->db, hash, u->id, csrf, now,
		                          now + ctx->cfg->session_lifetime, req->ip, &sid);
	/* The shared count gives the attempt back here (rate_refund does it in memory). */
	if (r == DB_OK && ctx->cfg->login_per_minute > 0 && store_limits_shared(ctx->db)) {
		unsigned char key[16];
		char bucket[40];
		addr_key(req->ip ? req->ip : "", key);
		addr_bucket(key, bucket);
		r = store_rate_refund(ctx->db, bucket, (double)ctx->cfg->login_per_minute);
	}
	/* Ended sessions (idle or past their lifetime) are removed, at most once a minute, in a
	 * sign-in's own write: nothing else writes sessions, and a row that can no longer be
	 * used is personal data (who, when, from where) kept for nothing. */
	static atomic_int_fast64_t purged_at;
	int_fast64_t last = atomic_load(&purged_at);
	int64_t every = ctx->cfg->idle_timeout < 120 ? ctx->cfg->idle_timeout / 2 + 1 : 60;
	if (r == DB_OK && now - last >= every &&
	    atomic_compare_exchange_strong(&purged_at, &last, now))
		r = store_sessions_purge(ctx->db, now, now - ctx->cfg->idle_timeout - 1);
	if (r != DB_OK || db_commit(ctx->db) != DB_OK) {
		db_rollback(ctx->db);
		api_store_error(req, r);
		return false;
	}
	return true;
}

void session_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!attempt_allowed(req) || !api_input_begin(req, &in))
		return;
	const char *username = api_string(&in, "username", true, 64, NULL);
	const char *password = api_string(&in, "password", true, 256, NULL);
	if (!api_input_end(req, &in))
		goto out;
	/* Made by the first attempt whoever it names, so its one-off cost tells nothing. */
	const char *dummy = dummy_hash();
	int64_t now = time_now();
	struct user_row u;
	enum db_result r = store_users_by_name(ctx->db, &req->arena, username, &u);
	if (r != DB_ROW && r != DB_DONE) {
		api_store_error(req, r);
		goto out;
	}
	ctx->audit_username = arena_strdup(&req->arena, username);
	if (r == DB_DONE) {
		refuse_unknown(req, username, password, dummy, now);
		goto out;
	}
	ctx->audit_user_id = u.id;
	char token[48], csrf[48];
	if (!account_accepts(req, &u, password, now) || !open_session(req, &u, now, token, csrf))
		goto out;
	rate_refund(ctx->db, req->ip, ctx->cfg->login_per_minute);
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

void session_delete_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!ctx->who.session_id) {
		api_problem(req, 409, "API 令牌没有可退出的登录会话");
		return;
	}
	enum db_result r = store_sessions_delete(ctx->db, ctx->who.session_id);
	if (!api_stored(req, r))
		return;
	ctx->auth_changed = true;
	ctx->touch_session = false;
	api_no_content(req);
	set_cookie(req, ctx, "", 0);
}

void session_me_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	json_t *o;
	if (ctx->who.user_id) {
		struct user_row u;
		enum db_result r = store_users_get(ctx->db, &req->arena, ctx->who.user_id, &u);
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
