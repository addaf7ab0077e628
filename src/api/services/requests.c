/* /api/v1/service-requests: online service requests (在线办理). A resident applies for an
 * item of the catalogue (items.c) with a note and photos of documents; the managers over the
 * item's region accept, ask for more (补正), complete or refuse with a reason, the applicant
 * supplements, withdraws and rates after completion. The states and who may act are the
 * table in domain/service_flow.c; deadlines are working days on the calendar every case
 * deadline uses; every step is one entry of the request's append-only timeline and tells the
 * applicant (or, for an application or a supplement, the handling staff) through the
 * notification outbox. */
#include "api/services/services.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/deadline.h"
#include "domain/region.h"
#include "domain/role.h"
#include "domain/service_flow.h"
#include "store/cases/cases.h"

#include <stdlib.h>
#include <string.h>

/* The actors the caller is over a request (domain/service_flow.h). */
static unsigned request_actors(const struct api_ctx *ctx, const struct service_request_row *q)
{
	return sreq_actors(api_reaches(ctx, SERVICE_MANAGERS, q->item_region),
	                   ctx->who.user_id && q->user_id == ctx->who.user_id);
}

/* The applicant, readers over the applicant's grid, and the managers of the item's region;
 * anyone else 404. */
static bool request_seen(struct http_req *req, const void *obj)
{
	const struct service_request_row *q = obj;
	struct api_ctx *ctx = api_ctx(req);
	return request_actors(ctx, q) != 0 || api_reaches(ctx, SERVICE_READERS, q->region_code);
}

API_LOADER(request, "办事申请", 0, request_seen, struct service_request_row,
           store_service_requests_get, region_code)

static json_t *photos_json(const char *photos)
{
	json_t *ph = photos ? json_loads(photos, 0, NULL) : NULL;
	if (json_is_array(ph))
		return ph;
	json_decref(ph);
	return json_array();
}

static json_t *request_json(struct http_req *req, const struct service_request_row *q, int64_t now)
{
	const struct api_ctx *ctx = api_ctx(req);
	json_t *o = json_object();
	enum sreq_state st = SREQ_SUBMITTED;
	sreq_state_parse(q->status, &st);
	json_set_int(o, "id", q->id);
	json_set_int(o, "item_id", q->item_id);
	json_set_str(o, "item_name", q->item_name);
	json_set_str(o, "item_level", q->item_level);
	json_set_str(o, "item_region", q->item_region);
	json_set_int(o, "time_limit_days", q->time_limit_days);
	json_set_str(o, "region_code", q->region_code);
	json_set_str(o, "region_name", q->region_name);
	json_set_str(o, "applicant_name",
	             services_person_name(req, q->user_id, q->applicant_name, q->resident_name,
	                                  q->resident_region));
	if (q->resident_id)
		json_set_int(o, "resident_id", q->resident_id);
	else
		json_object_set_new(o, "resident_id", json_null());
	json_set_str(o, "note", q->note);
	json_object_set_new(o, "photos", photos_json(q->photos));
	json_set_str(o, "status", q->status);
	json_set_str(o, "status_name", sreq_state_name_zh(st));
	json_set_time(o, "started_at", q->started_at);
	json_set_time(o, "due_at", q->due_at);
	bool running = sreq_state_running(st);
	json_set_str(o, "deadline_level",
	             running ? deadline_level_code(deadline_level(q->started_at, q->due_at, now))
	                     : NULL);
	json_set_bool(o, "overdue", running && now > q->due_at);
	json_set_time(o, "closed_at", q->closed_at);
	if (q->rating)
		json_set_int(o, "rating", q->rating);
	else
		json_object_set_new(o, "rating", json_null());
	json_set_str(o, "rating_comment", q->rating_comment);
	json_set_time(o, "created_at", q->created_at);
	json_set_time(o, "updated_at", q->updated_at);
	/* What the caller may do now, for the UI (the table decides again on each action). */
	json_t *acts = json_array();
	unsigned mine = request_actors(ctx, q);
	for (int a = 0; a < SREQ_ACTION_COUNT; a++) {
		const struct sreq_transition *t = sreq_flow_lookup(st, (enum sreq_action)a);
		if (t && (t->actors & mine) && !(a == SREQ_ACT_RATE && q->rating))
			json_array_append_new(acts,
			                      json_string(sreq_action_code((enum sreq_action)a)));
	}
	json_object_set_new(o, "actions", acts);
	return o;
}

static json_t *timeline_json(struct http_req *req, const struct service_request_row *q)
{
	struct api_ctx *ctx = api_ctx(req);
	struct service_request_event_row *ev;
	size_t n = 0;
	json_t *arr = json_array();
	if (store_service_request_events_list(ctx->db, &req->arena, q->id, &ev, &n) != DB_OK)
		return arr;
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_set_time(o, "at", ev[i].at);
		json_set_str(o, "actor", ev[i].user_name);
		json_set_str(o, "role", ev[i].role);
		json_set_str(o, "action", ev[i].action);
		json_set_str(o, "from", ev[i].from_status);
		json_set_str(o, "to", ev[i].to_status);
		json_set_str(o, "comment", ev[i].comment);
		json_object_set_new(o, "photos", photos_json(ev[i].photos));
		json_array_append_new(arr, o);
	}
	return arr;
}

static void respond_request(struct http_req *req, int status, int64_t id)
{
	struct api_ctx *ctx = api_ctx(req);
	struct service_request_row q;
	enum db_result r = store_service_requests_get(ctx->db, &req->arena, id, &q);
	if (r != DB_ROW) {
		api_store_error(req, r == DB_DONE ? DB_ERROR : r);
		return;
	}
	json_t *o = request_json(req, &q, time_now());
	json_object_set_new(o, "timeline", timeline_json(req, &q));
	api_json(req, status, o);
}

/* The day a list page's deadlines are judged at, for its item renderer. */
static _Thread_local int64_t page_now;

static json_t *request_item(struct http_req *req, const void *row)
{
	return request_json(req, row, page_now);
}

void service_requests_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct service_request_filter f = {0};
	f.status = http_query(req, "status");
	enum sreq_state st;
	if (f.status && !sreq_state_parse(f.status, &st)) {
		api_problem(req, 400, "status 不是办事申请的状态");
		return;
	}
	bool overdue = false, has_as_of;
	int64_t as_of = 0;
	if (!api_query_bool(req, "overdue", &overdue) ||
	    !services_query_day(req, "as_of", &as_of, &has_as_of) ||
	    !api_query_id(req, "item_id", &f.item_id))
		return;
	page_now = time_now();
	/* Overdue as of a day: the time limit ran out before that day began. */
	if (overdue)
		f.overdue_at = has_as_of ? services_day_start(as_of) : page_now;
	if (api_roles(ctx) & SERVICE_READERS) {
		struct base_page pg;
		if (!base_page_query(req, &pg))
			return;
		struct service_request_row *rows;
		size_t n;
		enum db_result r = store_service_requests_walk(ctx->db, &req->arena, &pg.sc, &f,
		                                               pg.after, pg.limit, &rows, &n);
		base_respond_page(req, r, rows, n, sizeof *rows,
		                  offsetof(struct service_request_row, region_code), pg.limit,
		                  request_item);
		return;
	}
	/* A resident: their own requests, newest first. */
	int limit;
	int64_t before;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &before))
		return;
	struct service_request_row *rows;
	size_t n = 0;
	enum db_result r =
	    ctx->who.user_id
	        ? store_service_requests_of_user(ctx->db, &req->arena, ctx->who.user_id, before,
	                                         limit + 1, &rows, &n)
	        : DB_OK;
	if (!api_stored(req, r))
		return;
	/* Filters over the own list (a resident has few requests). */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		enum sreq_state s = SREQ_SUBMITTED;
		sreq_state_parse(rows[i].status, &s);
		bool keep =
		    (!f.status || strcmp(rows[i].status, f.status) == 0) &&
		    (!f.item_id || rows[i].item_id == f.item_id) &&
		    (!f.overdue_at || (sreq_state_running(s) && rows[i].due_at < f.overdue_at));
		if (keep)
			rows[kept++] = rows[i];
	}
	api_respond_id_page(req, rows, kept, sizeof *rows, limit, request_item);
}

/* Adds the timeline entry of a step and tells whoever is concerned. */
static enum db_result record_step(struct http_req *req, const struct service_request_row *q,
                                  const char *action, const char *role, const char *from,
                                  const char *comment, const char *photos, bool to_staff)
{
	struct api_ctx *ctx = api_ctx(req);
	struct service_request_event_row e = {.request_id = q->id,
	                                      .at = q->updated_at,
	                                      .user_id = ctx->who.user_id,
	                                      .role = role,
	                                      .action = action,
	                                      .from_status = from,
	                                      .to_status = q->status,
	                                      .comment = comment,
	                                      .photos = photos};
	json_t *arr = photos ? json_loads(photos, 0, NULL) : NULL;
	size_t nh = json_array_size(arr);
	const char **hashes = nh ? arena_alloc(&req->arena, nh * sizeof *hashes) : NULL;
	for (size_t i = 0; hashes && i < nh; i++)
		hashes[i] = arena_strdup(&req->arena, json_string_value(json_array_get(arr, i)));
	json_decref(arr);
	e.hashes = hashes;
	e.nhashes = hashes ? nh : 0;
	enum db_result r = store_service_request_events_add(ctx->db, &e);
	if (r != DB_OK)
		return r;
	enum sreq_state st = SREQ_SUBMITTED;
	sreq_state_parse(q->status, &st);
	struct notification_row note = {.created_at = q->updated_at, .kind = "service_request"};
	if (to_staff) {
		note.role = q->item_level;
		note.region_code = q->item_region;
		note.title = arena_printf(&req->arena, "办事申请：%s", q->item_name);
		note.body = arena_printf(&req->arena, "%s（%s）", sreq_state_name_zh(st),
		                         q->region_name ? q->region_name : q->region_code);
	} else {
		note.user_id = q->user_id;
		note.title = arena_printf(&req->arena, "办事进度：%s", q->item_name);
		note.body = comment && *comment ? arena_printf(&req->arena, "%s：%s",
		                                               sreq_state_name_zh(st), comment)
		                                : sreq_state_name_zh(st);
	}
	return store_notifications_add(ctx->db, &note);
}

void service_requests_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	int64_t item_id = 0;
	struct service_item_row it;
	const char *grid = services_resident_grid(ctx);
	if (api_int(&in, "item_id", true, 1, INT64_MAX, &item_id, NULL)) {
		enum db_result r = store_service_items_get(ctx->db, &req->arena, item_id, &it);
		if (r != DB_ROW && r != DB_DONE)
			in.unavailable = true;
		if (r != DB_ROW || !it.active || !grid || !region_covers(it.region_code, grid))
			api_field_error(&in, "item_id", "unknown",
			                "服务事项不存在或不在您所在的区域");
	}
	const char *note = api_string(&in, "note", false, 1000, NULL);
	const char *photos = api_photos_field(req, &in, "photos");
	if (!grid || !ctx->who.user_id)
		api_field_error(&in, "item_id", "scope", "只有居民账号可以在线办理");
	if (!api_input_end(req, &in))
		goto out;
	struct work_calendar cal;
	enum db_result r = api_work_calendar(ctx->db, &req->arena, &cal);
	if (!api_stored(req, r))
		goto out;
	int64_t now = time_now();
	struct service_request_row q = {.item_id = it.id,
	                                .item_region = it.region_code,
	                                .region_code = grid,
	                                .user_id = ctx->who.user_id,
	                                /* the person the account speaks for (0: unlinked) */
	                                .resident_id = services_own_resident(req),
	                                .note = note,
	                                .photos = photos,
	                                .status = "submitted",
	                                .started_at = now,
	                                .due_at = sreq_due(&cal, now, it.time_limit_days),
	                                .created_at = now,
	                                .updated_at = now,
	                                .item_name = it.name,
	                                .item_level = it.level};
	r = store_service_requests_insert(ctx->db, &q);
	if (r == DB_OK)
		r = record_step(req, &q, "submit", "resident", NULL, note, photos, true);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "service_request:%lld", (long long)q.id);
	respond_request(req, 201, q.id);
out:
	api_input_free(&in);
}

void service_requests_get_h(struct http_req *req)
{
	struct service_request_row q;
	if (!request_from_path(req, &q))
		return;
	respond_request(req, 200, q.id);
}

/* The role a staff step is recorded under: the caller's most senior manager grant reaching
 * the item's region. */
static const char *staff_role(const struct api_ctx *ctx, const struct service_request_row *q)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		if ((ROLE_BIT(r) & SERVICE_MANAGERS) &&
		    api_reaches(ctx, ROLE_BIT(r), q->item_region))
			return role_code((enum role)r);
	return NULL;
}

void service_requests_action_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct service_request_row q;
	if (!request_from_path(req, &q))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	const char *action = api_string(&in, "action", true, 20, NULL);
	const char *comment = api_string(&in, "comment", false, 1000, NULL);
	const char *photos = api_photos_field(req, &in, "photos");
	int64_t rating = 0;
	api_int(&in, "rating", false, 1, 5, &rating, NULL);
	enum sreq_action act = SREQ_ACT_ACCEPT;
	if (action && !sreq_action_parse(action, &act))
		api_field_error(&in, "action", "unknown", "不是办事申请的操作");
	if (!api_input_end(req, &in))
		goto out;
	enum sreq_state st = SREQ_SUBMITTED;
	sreq_state_parse(q.status, &st);
	const struct sreq_transition *t = sreq_flow_lookup(st, act);
	unsigned mine = request_actors(ctx, &q);
	if (!t) {
		api_problem(req, 409, "当前状态不允许此操作");
		goto out;
	}
	if (!(t->actors & mine)) {
		api_problem(req, 403, "您无权对该申请执行此操作");
		goto out;
	}
	if (act == SREQ_ACT_RATE && q.rating) {
		api_problem(req, 409, "已评价，不能重复评价");
		goto out;
	}
	struct sreq_supplied sup = {.comment = comment, .rating = (int)rating, .photos = photos};
	const struct sreq_need_info *ni = sreq_flow_missing(t->needs, &sup);
	if (ni) {
		api_field_problem(req, ni->field, "required", ni->message);
		goto out;
	}
	int64_t now = time_now();
	const char *from = q.status;
	q.status = sreq_state_code(t->next);
	q.updated_at = now;
	enum db_result r = DB_OK;
	if (act == SREQ_ACT_SUPPLEMENT) {
		/* The clock starts again from the supplement (补正后重新计算). */
		struct work_calendar cal;
		r = api_work_calendar(ctx->db, &req->arena, &cal);
		q.started_at = now;
		q.due_at = sreq_due(&cal, now, q.time_limit_days);
	}
	if (!sreq_state_open(t->next) && !q.closed_at)
		q.closed_at = now;
	if (act == SREQ_ACT_RATE) {
		q.rating = rating;
		q.rating_comment = comment;
	}
	if (r == DB_OK)
		r = store_service_requests_move(ctx->db, &q, from);
	if (r == DB_DONE) {
		api_problem(req, 409, "当前状态不允许此操作");
		goto out;
	}
	bool applicant_acts = t->actors & SREQ_ACTOR_BIT(SREQ_APPLICANT);
	if (r == DB_OK)
		r = record_step(req, &q, sreq_action_code(act),
		                applicant_acts ? "resident" : staff_role(ctx, &q), from, comment,
		                photos, applicant_acts);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "service_request:%lld", (long long)q.id);
	respond_request(req, 200, q.id);
out:
	api_input_free(&in);
}
