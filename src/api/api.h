/* The api layer: one file per resource (parse, authorise, call domain and
 * store, respond) plus the request context, the guard hooks the router calls
 * for every route, and the helpers handlers share. */
#ifndef JICENG_API_API_H
#define JICENG_API_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"
#include "store/platform/auth.h"
#include "store/db.h"
#include "store/platform/users.h"
#include "domain/recurring.h"

struct api_config {
	const char *db_path;
	int64_t idle_timeout;     /* seconds without a request before a session ends */
	int64_t session_lifetime; /* seconds a session may last at most */
	int64_t lockout_failures; /* failed sign-ins in a row that lock an account */
	int64_t lockout_seconds;  /* how long the lock lasts */
	bool cookie_secure;       /* add Secure to the session cookie (behind TLS) */
	int64_t login_per_minute; /* sign-in attempts per client address and minute (0: no limit) */
	/* lookups of residents by ID number or phone per user and 10 minutes (0: no limit, for
	 * benchmarks only: the limit is what keeps a masked number from being recovered) */
	int64_t lookups_per_10min;
	/* cases of one category at one place that make a recurring problem, and in how many
	 * weeks (serve settings recurring_cases, recurring_weeks; 0: the defaults 3 and 8) */
	struct recur_rule recurring;
};

/* Per-request context, in the request's arena. */
struct api_ctx {
	const struct api_config *cfg;
	struct db *db;
	struct principal who;
	bool authed;
	bool txn;           /* a transaction opened by the guard is open */
	bool keep_on_error; /* commit even though the response is an error */
	bool touch_session;
	bool auth_changed; /* users, grants, tokens or sessions changed: drop cached principals */
	bool audited;      /* the handler wrote its audit entry itself (group commit) */
	void *pending;     /* a deferred handler's state until it resumes */
	bool grouped;      /* the handler runs on the group-commit writer (HTTP_GROUP) */
	void (*answer)(struct http_req *req); /* builds the answer after the commit */
	void *answer_arg;
	void *names; /* names read by code for this request (api/cases/cases_render.c) */
	/* The last grid base_check_grid found active: a region cannot change status inside the
	 * request's own write transaction, so an import of many rows of one grid asks once. */
	char grid_active[16];
	/* Audit details a handler may add; read routes set audit_action to be audited. */
	const char *audit_action, *audit_object, *audit_detail, *audit_username;
	int64_t audit_user_id;
	struct idem *idem; /* the request's Idempotency-Key (api/idempotency.c), or NULL */
};

/* Wiring, called by main. */
void api_setup(const struct api_config *cfg);
const struct http_app *api_app(void);
/* The group-commit writer for hot writes (NULL: each request commits its own). Set once
 * before the server starts. */
struct batch;
void api_set_writer(struct batch *b);
struct batch *api_writer(void);
/* The answer of a write, built after its commit: a write handler calls it instead of
 * building a large answer itself. On the group-commit writer (HTTP_GROUP) the handler only
 * writes, and build(req) runs on the request's worker thread once the batch is durable, in a
 * read transaction of its own (it reads what was committed; arg is ctx->answer_arg); status
 * is what the audit entry records. Without the writer build runs at once. */
void api_answer_after(struct http_req *req, int status, void (*build)(struct http_req *req),
                      void *arg);
/* The working-day calendar every deadline is counted on, copied into a (api/platform/
 * calendar.c): this node's copy, re-read when another node's edit bumped the version — an
 * edit is used everywhere within a second of its commit. */
struct work_calendar;
enum db_result api_work_calendar(struct db *db, struct arena *a, struct work_calendar *out);
/* The calling thread's own connection, opened on first use. */
struct db *api_db(void);
/* The worker threads' connections open now (the metrics read it). */
size_t api_db_count(void);
/* Closes every thread's connection; only after the server has stopped. */
void api_close_all(void);
/* The live dashboards' notifier thread (api/command/dashboard_events.c): start before the
 * server, stop after it (its streams are gone then), before api_close_all. */
void api_live_start(void);
void api_live_stop(void);

static inline struct api_ctx *api_ctx(struct http_req *req)
{
	return req->app;
}

/* ---- responses ---- */
void api_json(struct http_req *req, int status, json_t *body); /* steals body */
void api_no_content(struct http_req *req);
void api_problem(struct http_req *req, int status, const char *detail);
/* Record versions: the ETag header ("tag" quoted). */
void api_etag(struct http_req *req, const char *tag);
/* If-Match on an edit of a versioned record: true when absent, "*" or the record's version;
 * else false after answering 409 version_conflict with the record as it is now (current,
 * consumed; NULL: none) and its current_version, or 400 when malformed. */
bool api_if_match(struct http_req *req, int64_t version, json_t *current);
/* 409 version_conflict: a change was based on an older version of a record; the body adds
 * current_version and current (the record as it is now, consumed; NULL: none) and, when field
 * is given, errors = [{field, code: version_conflict}] naming the part of the request at fault
 * (a change of several records in one request). */
void api_version_conflict(struct http_req *req, int64_t version, json_t *current,
                          const char *field);
/* A 422 naming the one field at fault: errors = [{field, code, message: detail}]. */
void api_field_problem(struct http_req *req, const char *field, const char *code,
                       const char *detail);
/* A problem (status, detail) naming the one field at fault: errors = [{field, code, message}]. */
void api_problem_at(struct http_req *req, int status, const char *detail, const char *field,
                    const char *code, const char *message);
/* The store failed: 503 when busy, else a generic message (details stay in the log). */
void api_store_error(struct http_req *req, enum db_result r);
/* True when the store did what was asked (r is DB_OK); else answers api_store_error and
 * returns false, so a handler writes `if (!api_stored(req, r)) return;`. */
bool api_stored(struct http_req *req, enum db_result r);

/* ---- input ---- */
struct api_input {
	json_t *body;   /* the parsed object (owned) */
	json_t *errors; /* [{field, code, message}] */
	bool type_error;
	bool unavailable; /* personal data could not be sealed (no key loaded): 503, not 422 */
	/* The write names a target outside the caller's data scope (an error with code "scope"
	 * was recorded): 403, not 422. */
	bool forbidden;
};

/* Parses the JSON object body; on failure responds 400 and returns false. */
bool api_input_begin(struct http_req *req, struct api_input *in);
/* A write's opening over an object at region: 403 with detail unless the caller holds one of
 * roles over region (api_reaches), then api_input_begin. */
bool api_write_begin(struct http_req *req, unsigned roles, const char *region, const char *detail,
                     struct api_input *in);
/* Responds 400 (wrong types), 503 (unavailable), 403 (a target outside the caller's scope:
 * an error with code "scope") or 422 (broken rules) when errors were recorded. */
bool api_input_end(struct http_req *req, struct api_input *in);
void api_input_free(struct api_input *in);
/* Records an error on field; code "scope" (the field names a target outside the caller's
 * data scope) makes the answer 403. */
void api_field_error(struct api_input *in, const char *field, const char *code,
                     const char *message);
/* A string field of at most maxchars characters, valid UTF-8, trimmed-nonempty when required.
 * present (optional) tells whether the key was there at all. NULL when absent or wrong. */
const char *api_string(struct api_input *in, const char *field, bool required, size_t maxchars,
                       bool *present);
/* An integer field in [min, max]; false when absent or wrong. */
bool api_int(struct api_input *in, const char *field, bool required, int64_t min, int64_t max,
             int64_t *out, bool *present);
bool api_bool(struct api_input *in, const char *field, bool *out, bool *present);
/* Parses a grants array [{role, region_code}] into g (at most USER_MAX_GRANTS). */
bool api_grants(struct api_input *in, const char *field, struct grant *g, size_t *n);

/* ---- lists ---- */
/* limit query parameter (default 50, 1..200); false after responding 400. */
bool api_limit(struct http_req *req, int *limit);
/* The cursor query parameter as the server handed it out (api_list signs every next_cursor):
 * *inner is the position inside it, NULL when absent; false after responding 400 for a
 * cursor the server did not hand out. */
bool api_cursor(struct http_req *req, const char **inner);
/* An integer cursor (0 when absent); false after responding 400. */
bool api_cursor_id(struct http_req *req, int64_t *after);
/* For lists answered in one page (next_cursor always null): checks limit like any list and
 * refuses every cursor, since the server never hands one out; false after responding 400. */
bool api_unpaged(struct http_req *req);
/* {"items": items, "next_cursor": next_cursor signed, or null}; steals items. */
json_t *api_list(json_t *items, const char *next_cursor);
/* Renders one row of a list; NULL leaves the row out. */
typedef json_t *api_item_fn(struct http_req *req, const void *row);
/* Defines `static json_t *NAME(struct http_req *, const void *row)`, an api_item_fn that
 * renders each row by RENDER (json_t *RENDER(const struct X_row *)), needing no request. */
#define API_ITEM(NAME, RENDER)                                                                     \
	static json_t *NAME(struct http_req *req, const void *row)                                 \
	{                                                                                          \
		(void)req;                                                                         \
		return RENDER(row);                                                                \
	}
/* Answers 200 api_list of rows[0..n) (size bytes each) rendered by item, with next_cursor. */
void api_respond_rows(struct http_req *req, const void *rows, size_t n, size_t size,
                      api_item_fn *item, const char *next_cursor);
/* For rows (size bytes each) whose first member is their int64_t id, paged newest first by id:
 * answers the first limit of rows[0..n) rendered by item, and the last kept id as the next
 * cursor when there were more (the rows were fetched or merged with limit + 1). */
void api_respond_id_page(struct http_req *req, const void *rows, size_t n, size_t size, int limit,
                         api_item_fn *item);
/* Writes one row of a list in place (core/jsonw.h): one value, always. */
struct jw;
typedef void api_write_fn(struct http_req *req, struct jw *w, const void *row);
/* api_respond_id_page for hot lists: the page is written straight into the body, with no
 * tree (the same bytes as api_respond_id_page with an item that builds what write writes). */
void api_respond_id_page_w(struct http_req *req, const void *rows, size_t n, size_t size, int limit,
                           api_write_fn *write);
/* Appends to all[0..total) those of rows[0..n) whose id is not in it yet; the new total. */
size_t api_rows_merge(void *all, size_t total, const void *rows, size_t n, size_t size);
/* Sorts rows[0..n) newest first: by id, descending (the ids are distinct). */
void api_rows_newest_first(void *rows, size_t n, size_t size);

/* ---- typed query parameters: a malformed value answers 400, never a silent default ---- */
/* An integer in [min, max]; *present tells whether it was given (may be NULL). */
bool api_query_int(struct http_req *req, const char *name, int64_t min, int64_t max, int64_t *out,
                   bool *present);
/* A positive id (0 when absent). */
bool api_query_id(struct http_req *req, const char *name, int64_t *out);
/* "true" or "false" only (false when absent). */
bool api_query_bool(struct http_req *req, const char *name, bool *out);

/* ---- the one loader for objects named in a path ---- */
/* The numeric id in path parameter name (digits only, > 0); false after responding 404
 * "<what>不存在". */
bool api_path_id(struct http_req *req, const char *name, const char *what, int64_t *id);

/* How to load one kind of object named in a path and decide whether the caller may see it. */
struct api_loader {
	const char *param; /* the path parameter holding the id ("id" when NULL) */
	const char *what;  /* what it is, for "<what>不存在" */
	unsigned roles;    /* a grant with one of these roles must reach the object's region */
	/* Loads the object with id into out (request arena); DB_ROW when found, DB_DONE when not;
	 * sets *region to the region code the scope rule applies to. */
	enum db_result (*load)(struct http_req *req, int64_t id, void *out, const char **region);
	/* Optional: decides visibility instead of the region rule (e.g. a unit's own records). */
	bool (*visible)(struct http_req *req, const void *obj);
};
/* Parses the id strictly, loads the object, checks scope: false after responding 404 (missing
 * and out of scope answer alike) or 503. Every handler that names an object by id uses it. */
bool api_load(struct http_req *req, const struct api_loader *l, void *out);
/* One kind of object read by id through its store's get (store_get(db, arena, id, row_type *)):
 * defines name##_load (the row's region_field is the region the scope rule applies to),
 * name##_loader (what_, roles_, and visible_ or NULL for the region rule) and
 * name##_from_path, api_load typed for row_type. */
#define API_LOADER(name, what_, roles_, visible_, row_type, store_get, region_field)               \
	static enum db_result name##_load(struct http_req *req, int64_t id, void *out,             \
	                                  const char **region)                                     \
	{                                                                                          \
		row_type *row = out;                                                               \
		enum db_result r = store_get(api_ctx(req)->db, &req->arena, id, row);              \
		*region = r == DB_ROW ? row->region_field : NULL;                                  \
		return r;                                                                          \
	}                                                                                          \
	static const struct api_loader name##_loader = {                                           \
	    .what = what_, .roles = roles_, .load = name##_load, .visible = visible_};             \
	static inline bool name##_from_path(struct http_req *req, row_type *row)                   \
	{                                                                                          \
		return api_load(req, &name##_loader, row);                                         \
	}

/* ---- authorisation beyond the route's role set ---- */
/* Roles of the caller's grants. */
unsigned api_roles(const struct api_ctx *ctx);
/* A region code given in a body's field: an existing region that a grant with one of roles
 * reaches (roles 0: any region). Otherwise a field error — "unknown", "scope", or
 * "unavailable" (503) when the store could not say — and false. */
bool api_region_field(struct http_req *req, struct api_input *in, const char *field,
                      const char *code, unsigned roles);

/* True when a grant with a role in roles reaches region code. */
bool api_reaches(const struct api_ctx *ctx, unsigned roles, const char *code);
bool api_is_admin(const struct api_ctx *ctx);

/* ---- shared renderings ---- */
json_t *api_user_json(struct api_ctx *ctx, struct arena *a, const struct user_row *u);
json_t *api_grants_json(struct api_ctx *ctx, struct arena *a, const struct grant *g, size_t n);

/* ---- secrets ---- */
/* A random URL-safe secret of 32 bytes (43 characters) into out (≥ 44 bytes). */
void api_random_token(char *out, size_t outlen);
void api_hash_secret(const char *secret, unsigned char out[AUTH_HASH_LEN]);
/* argon2id; false when the hash could not be made (memory). */
bool api_password_hash(const char *pw, char out[128]);
bool api_password_verify(const char *hash, const char *pw);

/* ---- handlers, one file per resource ---- */
void health_get_h(struct http_req *req);
void metrics_get_h(struct http_req *req);
void session_create_h(struct http_req *req);
/* Takes one attempt from the caller's address in the sign-in limiter (the same bucket as
 * sign-in: enrolment with a household code is limited alike); false after responding 429. */
bool api_signin_attempt_allowed(struct http_req *req);
void session_delete_h(struct http_req *req);
void session_me_h(struct http_req *req);
void users_list_h(struct http_req *req);
void users_create_h(struct http_req *req);
void users_get_h(struct http_req *req);
void users_patch_h(struct http_req *req);
void tokens_list_h(struct http_req *req);
void tokens_create_h(struct http_req *req);
void tokens_delete_h(struct http_req *req);
void calendar_list_h(struct http_req *req);
void calendar_put_h(struct http_req *req);
void calendar_delete_h(struct http_req *req);
/* webhook subscriptions, api/platform/webhooks.c */
void webhooks_list_h(struct http_req *req);
void webhooks_create_h(struct http_req *req);
void webhooks_get_h(struct http_req *req);
void webhooks_patch_h(struct http_req *req);
void webhooks_delete_h(struct http_req *req);
void webhooks_rotate_h(struct http_req *req);
void webhooks_test_h(struct http_req *req);
void webhooks_deliveries_h(struct http_req *req);
void webhook_deliveries_redeliver_h(struct http_req *req);
void regions_list_h(struct http_req *req);
void regions_get_h(struct http_req *req);
void regions_create_h(struct http_req *req);
void regions_patch_h(struct http_req *req);
void regions_split_h(struct http_req *req);
void regions_merge_h(struct http_req *req);
void regions_history_h(struct http_req *req);
void audit_list_h(struct http_req *req);
void roles_list_h(struct http_req *req);
void cases_list_h(struct http_req *req);
void cases_list_counts_h(struct http_req *req);
void cases_report_h(struct http_req *req);
void cases_get_h(struct http_req *req);
void cases_action_h(struct http_req *req);
void cases_duplicates_h(struct http_req *req);
void cases_track_h(struct http_req *req);
void categories_list_h(struct http_req *req);
void categories_create_h(struct http_req *req);
void categories_patch_h(struct http_req *req);
void responsibilities_list_h(struct http_req *req);
void responsibilities_create_h(struct http_req *req);
void responsibilities_patch_h(struct http_req *req);
void responsibilities_delete_h(struct http_req *req);
void responsibilities_export_h(struct http_req *req);
void responsibilities_import_h(struct http_req *req);
void open311_get_h(struct http_req *req);
void open311_post_h(struct http_req *req);
void open311_service_h(struct http_req *req);
void open311_request_h(struct http_req *req);
void open311_token_h(struct http_req *req);
void photos_create_h(struct http_req *req);
void photos_get_h(struct http_req *req);
void notifications_list_h(struct http_req *req);
void notifications_read_h(struct http_req *req);
/* party building and pairing (党建引领), api/party/: party_orgs.c, party_structure.c,
 * party_members.c, party_centers.c, pairings.c, pairings_commitments.c, cadres.c,
 * reception.c, grid_teams.c */
void party_orgs_list_h(struct http_req *req);
void party_orgs_create_h(struct http_req *req);
void party_orgs_get_h(struct http_req *req);
void party_orgs_patch_h(struct http_req *req);
void party_orgs_move_h(struct http_req *req);
void party_orgs_history_h(struct http_req *req);
void party_structure_h(struct http_req *req);
void party_members_list_h(struct http_req *req);
void party_members_create_h(struct http_req *req);
void party_members_get_h(struct http_req *req);
void party_members_patch_h(struct http_req *req);
void party_members_join_h(struct http_req *req);
void party_members_leave_h(struct http_req *req);
void party_centers_list_h(struct http_req *req);
void party_centers_create_h(struct http_req *req);
void party_centers_get_h(struct http_req *req);
void party_centers_end_h(struct http_req *req);
void party_centers_link_h(struct http_req *req);
void party_centers_unlink_h(struct http_req *req);
void party_centers_coverage_h(struct http_req *req);
void pairings_list_h(struct http_req *req);
void pairings_create_h(struct http_req *req);
void pairings_get_h(struct http_req *req);
void pairings_patch_h(struct http_req *req);
void pairings_commitments_create_h(struct http_req *req);
void pairings_commitments_get_h(struct http_req *req);
void pairings_commitments_action_h(struct http_req *req);
void pairings_activity_create_h(struct http_req *req);
void pairings_item_create_h(struct http_req *req);
void pairings_item_patch_h(struct http_req *req);
void cadres_list_h(struct http_req *req);
void cadres_create_h(struct http_req *req);
void cadres_get_h(struct http_req *req);
void cadres_patch_h(struct http_req *req);
void cadres_service_h(struct http_req *req);
void cadres_coverage_h(struct http_req *req);
void reception_days_list_h(struct http_req *req);
void reception_days_create_h(struct http_req *req);
void reception_days_get_h(struct http_req *req);
void reception_days_cancel_h(struct http_req *req);
void reception_bookings_create_h(struct http_req *req);
void reception_bookings_list_h(struct http_req *req);
void reception_bookings_cancel_h(struct http_req *req);
void grid_teams_list_h(struct http_req *req);
void grid_teams_create_h(struct http_req *req);
void grid_teams_end_h(struct http_req *req);
/* A "photos" array of uploaded photo hashes, checked, as JSON text (NULL when absent). */
const char *api_photos_field(struct http_req *req, struct api_input *in, const char *field);
const char *api_db_path(void);
bool open311_render_error(struct http_req *req, int status, const char *detail);

#endif
