/* Lookups of residents by ID number or phone (GET /api/v1/residents?id_number=… or
 * ?phone=…, answered by residents_list_h): exact, through the blind index, within scope,
 * audited, and limited per user, since a masked record plus a lookup is an oracle. */
#include "api/base/base.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/seal.h"
#include "core/timeutil.h"
#include "store/platform/limits.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the lookup limit ---- */

/* Lookups by ID number or phone per user: a masked record plus the lookup is an oracle (try
 * candidates for the hidden digits until one is found), so each lookup is audited and at most
 * LOOKUP_LIMIT are answered per LOOKUP_WINDOW seconds (see lookup_take for the arithmetic).
 * On SQLite (one process, the only node) the counts live in this process, under a mutex
 * because every worker thread answers lookups, and are lost on restart. Room for
 * LOOKUP_SLOTS callers active in one window, more than a district's 3 000 staff; when full,
 * lookups are refused rather than counted nowhere. On PostgreSQL several nodes may share the
 * database, so the lookups are counted in it (rate_hits, migration 10) and LOOKUP_LIMIT holds
 * for the cluster as a whole. */
/* LOOKUP_LIMIT is the configured limit (serve --lookups-per-10min, default 30), at most
 * LOOKUP_MAX so each caller's window fits in its slot. */
enum { LOOKUP_MAX = 100, LOOKUP_WINDOW = 600, LOOKUP_SLOTS = 4096 };
#define LOOKUP_LIMIT ((int)api_ctx(req)->cfg->lookups_per_10min)

struct lookup_slot {
	int64_t who; /* user id, or -token id; 0: free */
	int64_t stamps[LOOKUP_MAX];
};

static struct lookup_slot lookup_slots[LOOKUP_SLOTS];
static pthread_mutex_t lookup_mu = PTHREAD_MUTEX_INITIALIZER;

/* The shared count (PostgreSQL), in a write transaction of its own: the lookup route reads
 * without an enclosing transaction (HTTP_ONE_READ), so nothing of the request is open. */
static enum db_result lookup_take_shared(struct http_req *req, int64_t who, int64_t now, bool *ok,
                                         int64_t *retry_after)
{
	struct db *db = api_ctx(req)->db;
	char bucket[40];
	snprintf(bucket, sizeof bucket, "lookup:%lld", (long long)who);
	enum db_result r = store_limits_begin(db);
	if (r != DB_OK)
		return r;
	r = store_rate_hit(db, bucket, LOOKUP_LIMIT, now, LOOKUP_WINDOW, ok, retry_after);
	if (r == DB_OK)
		r = db_commit(db);
	if (r != DB_OK)
		db_rollback(db);
	return r;
}

/* Takes one lookup for who at now; false with *retry_after when over the limit, or with *r
 * when the shared count could not be read. */
static bool lookup_allow(struct http_req *req, int64_t who, int64_t now, int64_t *retry_after,
                         enum db_result *r)
{
	*r = DB_OK;
	if (LOOKUP_LIMIT <= 0)
		return true;
	struct db *db = api_ctx(req)->db;
	if (store_limits_shared(db) && !db_in_transaction(db)) {
		bool ok = false;
		*r = lookup_take_shared(req, who, now, &ok, retry_after);
		return *r == DB_OK && ok;
	}
	pthread_mutex_lock(&lookup_mu);
	size_t start = (size_t)((uint64_t)who * 0x9E3779B97F4A7C15ull >> 52) % LOOKUP_SLOTS;
	struct lookup_slot *slot = NULL, *spare = NULL;
	for (size_t k = 0; k < LOOKUP_SLOTS; k++) {
		struct lookup_slot *s = &lookup_slots[(start + k) % LOOKUP_SLOTS];
		if (s->who == who) {
			slot = s;
			break;
		}
		if (!spare) {
			/* A free slot, or one whose caller has been quiet for a whole window. */
			bool stale = true;
			for (int i = 0; i < LOOKUP_MAX && s->who; i++)
				if (s->stamps[i] > now - LOOKUP_WINDOW)
					stale = false;
			if (!s->who || stale)
				spare = s;
		}
	}
	if (!slot && spare) {
		memset(spare, 0, sizeof *spare);
		spare->who = who;
		slot = spare;
	}
	bool ok = slot && lookup_take(slot->stamps, LOOKUP_LIMIT, now, LOOKUP_WINDOW, retry_after);
	if (!slot)
		*retry_after = LOOKUP_WINDOW;
	pthread_mutex_unlock(&lookup_mu);
	return ok;
}

/* The audit detail of a lookup: how, whether found, and which records were shown (never the
 * number looked up). */
static void lookup_audit(struct http_req *req, const char *by, json_t *items, bool reveal)
{
	struct api_ctx *ctx = api_ctx(req);
	size_t n = json_array_size(items);
	ctx->audit_action = reveal && n ? "resident.reveal" : "resident.lookup";
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "by=%s found=%zu", by, n);
	for (size_t i = 0; i < n && i < 20; i++)
		buf_printf(
		    &b, "%s%lld", i ? "," : " ids=",
		    (long long)json_integer_value(json_object_get(json_array_get(items, i), "id")));
	if (n > 20)
		buf_puts(&b, ",…");
	size_t len;
	char *text = buf_detach(&b, &len);
	ctx->audit_detail = arena_strdup(&req->arena, text ? text : "");
	free(text);
	ctx->audit_object = n == 1 ? arena_printf(&req->arena, "resident:%lld",
	                                          (long long)json_integer_value(json_object_get(
	                                              json_array_get(items, 0), "id")))
	                           : "resident:lookup";
}

/* Exact lookups by ID number or phone, through the blind index, within scope; audited and
 * limited per user (see lookup_allow). reveal only with an ID number: at most one record. */
void base_resident_lookup(struct http_req *req, const char *id_number, const char *phone,
                          bool reveal)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *by = id_number ? "id_number" : "phone";
	ctx->audit_action = "resident.lookup";
	ctx->audit_object = "resident:lookup";
	ctx->audit_detail = arena_printf(&req->arena, "by=%s", by);
	if (reveal && !id_number) {
		api_problem(req, 400,
		            "reveal 只能用于单个居民：请按身份证号查询，或打开该居民后查看");
		return;
	}
	int64_t retry = 0;
	int64_t who = ctx->who.user_id ? ctx->who.user_id : -ctx->who.token_id;
	enum db_result lr;
	if (!lookup_allow(req, who, time_now(), &retry, &lr)) {
		if (lr != DB_OK) {
			api_store_error(req, lr);
			return;
		}
		ctx->audit_detail = arena_printf(&req->arena, "by=%s refused=rate_limit", by);
		http_add_header(req, "Retry-After",
		                arena_printf(&req->arena, "%lld", (long long)retry));
		api_problem(
		    req, 429,
		    arena_printf(&req->arena,
		                 "按身份证号或电话查询过于频繁（每 %d 分钟最多 %d 次），请 %lld "
		                 "秒后再试",
		                 LOOKUP_WINDOW / 60, LOOKUP_LIMIT, (long long)retry));
		return;
	}
	json_t *items = json_array();
	if (id_number) {
		char id[24];
		id_number_normalise(id_number, id, sizeof id);
		struct citizen_id cid;
		const char *problem = citizen_id_problem(id, &cid);
		if (problem) {
			json_decref(items);
			api_field_problem(req, "id_number", problem, "身份证号格式或校验位不正确");
			return;
		}
		unsigned char idx[SEAL_INDEX_LEN];
		seal_index("id_number", id, idx);
		struct resident_row row;
		enum db_result r = store_residents_by_id_index(ctx->db, &req->arena, idx, &row);
		if (r == DB_ROW && api_reaches(ctx, BASE_READERS, row.region_code) &&
		    (!reveal || api_reaches(ctx, BASE_REVEALERS, row.region_code)))
			json_array_append_new(items, resident_json(ctx, &req->arena, &row, reveal));
		else if (r != DB_ROW && r != DB_DONE) {
			json_decref(items);
			api_store_error(req, r);
			return;
		}
	} else {
		if (phone_problem(phone)) {
			json_decref(items);
			api_field_problem(req, "phone", "format", "电话号码格式不正确");
			return;
		}
		unsigned char idx[SEAL_INDEX_LEN];
		seal_index("phone", resident_phone_digits(&req->arena, phone), idx);
		struct resident_row *rows;
		size_t n;
		enum db_result r =
		    store_residents_by_phone_index(ctx->db, &req->arena, idx, 200, &rows, &n);
		if (r != DB_OK) {
			json_decref(items);
			api_store_error(req, r);
			return;
		}
		for (size_t i = 0; i < n; i++)
			if (api_reaches(ctx, BASE_READERS, rows[i].region_code))
				json_array_append_new(
				    items, resident_json(ctx, &req->arena, &rows[i], false));
	}
	lookup_audit(req, by, items, reveal);
	api_json(req, 200, api_list(items, NULL));
}
