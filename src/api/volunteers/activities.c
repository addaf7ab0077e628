/* /api/v1/volunteer-activities: a team's activities with a sign-up limit, sign-ups that get a
 * place or wait (the count is read in the write transaction, under the writers' lock, so
 * simultaneous sign-ups never go over the limit), cancelling that promotes the first on the
 * waiting list in the same transaction, check-in with the code shown at the venue, and the
 * organiser's confirmation of hours, which writes the ledger. */
#include "api/volunteers/volunteers.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/region.h"
#include "domain/volunteer.h"
#include "store/cases/cases.h"

#include <sodium.h>
#include <string.h>

static json_t *signup_json(const struct vol_signup_row *s, bool staff)
{
	json_t *o = json_object();
	json_set_int(o, "id", s->id);
	json_set_int(o, "activity_id", s->activity_id);
	json_set_str(o, "title", s->title);
	json_set_str(o, "place", s->place);
	json_set_time(o, "starts_at", s->starts_at);
	json_set_time(o, "ends_at", s->ends_at);
	json_set_str(o, "status", s->status);
	json_set_time(o, "checked_in_at", s->checked_in_at);
	if (s->minutes >= 0) {
		json_set_int(o, "minutes", s->minutes);
		json_set_int(o, "points", s->points);
	} else {
		json_object_set_new(o, "minutes", json_null());
		json_object_set_new(o, "points", json_null());
	}
	if (s->resident_id)
		json_set_int(o, "resident_id", s->resident_id);
	else
		json_object_set_new(o, "resident_id", json_null());
	json_set_time(o, "created_at", s->created_at);
	if (staff) {
		json_set_str(o, "name", s->name);
		json_set_str(o, "kind", s->resident_id ? "resident" : "account");
		if (s->user_id)
			json_set_int(o, "user_id", s->user_id);
	}
	return o;
}

/* Whether the caller is staff (roles) over the sign-up: over the activity's region, or over
 * the grid of the resident it was made for (a grid worker signs up the grid's residents for
 * the community's activities). */
static bool signup_staff(const struct api_ctx *ctx, unsigned roles, const struct vol_signup_row *s)
{
	return api_reaches(ctx, roles, s->region_code) ||
	       (s->person_region && api_reaches(ctx, roles, s->person_region));
}

static bool organiser(const struct api_ctx *ctx, const char *region)
{
	return api_reaches(ctx, VOL_ORGANISERS, region);
}

static json_t *activity_json(struct http_req *req, const struct vol_activity_row *v, bool full)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t now = time_now();
	json_t *o = json_object();
	json_set_int(o, "id", v->id);
	json_set_int(o, "team_id", v->team_id);
	json_set_str(o, "team_name", v->team_name);
	json_set_str(o, "region_code", v->region_code);
	json_set_str(o, "title", v->title);
	json_set_str(o, "place", v->place);
	json_set_time(o, "starts_at", v->starts_at);
	json_set_time(o, "ends_at", v->ends_at);
	json_set_int(o, "capacity", v->capacity);
	json_set_int(o, "signed_up", v->signed_count);
	json_set_int(o, "waiting", v->waiting_count);
	json_set_int(o, "available",
	             v->capacity > v->signed_count ? v->capacity - v->signed_count : 0);
	json_set_str(o, "status",
	             v->cancelled        ? "cancelled"
	             : v->ends_at <= now ? "ended"
	                                 : "open");
	json_set_bool(o, "check_in_open", vol_checkin_open(now, v->starts_at, v->ends_at));
	json_set_time(o, "created_at", v->created_at);
	struct vol_person self;
	vol_self(ctx, &req->arena, &self);
	struct vol_signup_row mine;
	if (ctx->who.user_id &&
	    store_vol_signups_find(ctx->db, &req->arena, v->id, self.person, &mine) == DB_ROW)
		json_object_set_new(o, "my_signup", signup_json(&mine, false));
	else
		json_object_set_new(o, "my_signup", json_null());
	if (!full)
		return o;
	bool staff = api_reaches(ctx, VOL_READERS, v->region_code);
	/* the code is shown at the venue: the organisers see it, nobody else */
	if (organiser(ctx, v->region_code))
		json_set_str(o, "check_in_code", v->code);
	if (staff) {
		struct vol_signup_row *ss;
		size_t n = 0;
		json_t *signed_list = json_array(), *waiting = json_array();
		if (store_vol_signups_of_activity(ctx->db, &req->arena, v->id, &ss, &n) == DB_OK)
			for (size_t i = 0; i < n; i++)
				json_array_append_new(
				    strcmp(ss[i].status, "signed") == 0 ? signed_list : waiting,
				    signup_json(&ss[i], true));
		json_object_set_new(o, "signups", signed_list);
		json_object_set_new(o, "waiting_list", waiting);
	}
	return o;
}

static json_t *activity_item(struct http_req *req, const void *row)
{
	return activity_json(req, row, false);
}

void vol_activities_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t team_id = 0;
	if (!api_query_id(req, "team_id", &team_id))
		return;
	const char *grid = vol_near_grid(ctx);
	if ((api_roles(ctx) & VOL_READERS) && (!grid || http_query(req, "region"))) {
		struct base_page pg;
		if (!base_page_query(req, &pg))
			return;
		struct vol_activity_row *rows;
		size_t n;
		enum db_result r = store_vol_activities_walk(ctx->db, &req->arena, &pg.sc, team_id,
		                                             pg.after, pg.limit, &rows, &n);
		base_respond_page(req, r, rows, n, sizeof *rows,
		                  offsetof(struct vol_activity_row, region_code), pg.limit,
		                  activity_item);
		return;
	}
	/* residents and grid-level staff: the open activities of their grid and the regions
	 * above it that have not ended */
	int limit;
	int64_t after;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &after))
		return;
	if (!grid) {
		api_json(req, 200, api_list(json_array(), NULL));
		return;
	}
	struct vol_activity_row *rows;
	size_t n;
	enum db_result r = store_vol_activities_for_grid(ctx->db, &req->arena, grid, time_now(),
	                                                 after, limit + 1, &rows, &n);
	if (!api_stored(req, r))
		return;
	api_respond_id_page(req, rows, n, sizeof *rows, limit, activity_item);
}

static void read_times(struct api_input *in, struct vol_activity_row *v)
{
	const char *starts = api_string(in, "starts_at", true, 40, NULL);
	const char *ends = api_string(in, "ends_at", true, 40, NULL);
	if (starts && !time_parse(starts, &v->starts_at))
		api_field_error(in, "starts_at", "format", "时间须为带时区的 RFC 3339 格式");
	else if (ends && !time_parse(ends, &v->ends_at))
		api_field_error(in, "ends_at", "format", "时间须为带时区的 RFC 3339 格式");
	else if (starts && ends && v->ends_at <= v->starts_at)
		api_field_error(in, "ends_at", "range", "结束时间须晚于开始时间");
	else if (starts && ends && v->ends_at - v->starts_at > 7 * 86400)
		api_field_error(in, "ends_at", "range", "一次活动最长 7 天");
	else if (starts && ends && v->ends_at <= time_now())
		api_field_error(in, "ends_at", "past", "活动已经结束");
}

void vol_activities_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct vol_activity_row v;
	memset(&v, 0, sizeof v);
	api_int(&in, "team_id", true, 1, INT64_MAX, &v.team_id, NULL);
	v.title = api_string(&in, "title", true, 100, NULL);
	v.place = api_string(&in, "place", false, 100, NULL);
	read_times(&in, &v);
	api_int(&in, "capacity", true, 1, 10000, &v.capacity, NULL);
	struct vol_team_row t;
	if (v.team_id) {
		if (store_vol_teams_get(ctx->db, &req->arena, v.team_id, &t) != DB_ROW)
			api_field_error(&in, "team_id", "unknown", "志愿服务队不存在");
		else if (!organiser(ctx, t.region_code))
			api_field_error(&in, "team_id", "scope", "该区域不在您的管辖范围内");
		else
			v.region_code = t.region_code;
	}
	if (!api_input_end(req, &in))
		goto out;
	unsigned char rnd[VOL_CODE_LEN];
	char code[VOL_CODE_LEN + 1];
	randombytes_buf(rnd, sizeof rnd);
	vol_checkin_code(rnd, code);
	v.code = code;
	v.created_by = ctx->who.user_id;
	v.created_at = v.updated_at = time_now();
	enum db_result r = store_vol_activities_insert(ctx->db, &v);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "vol_activity:%lld", (long long)v.id);
	store_vol_activities_get(ctx->db, &req->arena, v.id, &v);
	api_json(req, 201, activity_json(req, &v, true));
out:
	api_input_free(&in);
}

/* Staff over its region; accounts near it while it is open. */
static bool activity_seen(struct http_req *req, const void *obj)
{
	const struct vol_activity_row *v = obj;
	struct api_ctx *ctx = api_ctx(req);
	return api_reaches(ctx, VOL_READERS, v->region_code) ||
	       ((api_roles(ctx) & (VOL_READERS | ROLE_BIT(ROLE_RESIDENT))) && !v->cancelled &&
	        vol_near(ctx, v->region_code));
}

API_LOADER(activity, "志愿活动", 0, activity_seen, struct vol_activity_row,
           store_vol_activities_get, region_code)

void vol_activities_get_h(struct http_req *req)
{
	struct vol_activity_row v;
	if (!activity_from_path(req, &v))
		return;
	api_json(req, 200, activity_json(req, &v, true));
}

void vol_signups_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct vol_activity_row v;
	if (!activity_from_path(req, &v))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct vol_person p;
	vol_read_person(req, &in, v.region_code, &p);
	if (!api_input_end(req, &in))
		goto out;
	int64_t now = time_now();
	if (v.cancelled || v.ends_at <= now) {
		api_problem(req, 409, v.cancelled ? "活动已取消" : "活动已结束");
		goto out;
	}
	/* In the write transaction (the writers' lock on every backend): the count read with
	 * the activity is the count this sign-up is placed against. */
	struct vol_signup_row s = {.activity_id = v.id,
	                           .region_code = v.region_code,
	                           .person = p.person,
	                           .user_id = p.user_id,
	                           .resident_id = p.resident_id,
	                           .created_by = ctx->who.user_id,
	                           .created_at = now};
	s.status = vol_status_code(vol_signup_place(v.signed_count, v.capacity));
	enum db_result r = store_vol_signups_insert(ctx->db, &s);
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409, "已报名该活动，不能重复报名");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "vol_signup:%lld", (long long)s.id);
	ctx->audit_detail = arena_strdup(&req->arena, s.status);
	store_vol_signups_get(ctx->db, &req->arena, s.id, &s);
	api_json(req, 201, signup_json(&s, signup_staff(ctx, VOL_READERS, &s)));
out:
	api_input_free(&in);
}

/* A sign-up: its own account, staff over it. */
static bool signup_seen(struct http_req *req, const void *obj)
{
	const struct vol_signup_row *s = obj;
	struct api_ctx *ctx = api_ctx(req);
	return (ctx->who.user_id && s->user_id == ctx->who.user_id) ||
	       signup_staff(ctx, VOL_READERS, s);
}

API_LOADER(signup, "报名", 0, signup_seen, struct vol_signup_row, store_vol_signups_get,
           region_code)

/* Promotes the first on the waiting list into every free place (domain/volunteer.c), in
 * the cancel's transaction; tells promoted accounts. false after responding. */
static bool promote(struct http_req *req, int64_t activity_id, json_t *promoted)
{
	struct api_ctx *ctx = api_ctx(req);
	struct vol_activity_row v;
	struct vol_signup_row *ss;
	size_t n = 0;
	enum db_result r = store_vol_activities_get(ctx->db, &req->arena, activity_id, &v);
	if (r == DB_ROW)
		r = store_vol_signups_of_activity(ctx->db, &req->arena, activity_id, &ss, &n);
	if (!api_stored(req, r == DB_ROW ? DB_OK : r))
		return false;
	struct vol_queued *q = arena_alloc(&req->arena, (n ? n : 1) * sizeof *q);
	size_t *pick = arena_alloc(&req->arena, (n ? n : 1) * sizeof *pick);
	if (!q || !pick) {
		api_store_error(req, DB_ERROR);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		q[i].id = ss[i].id;
		q[i].created_at = ss[i].created_at;
		vol_status_parse(ss[i].status, &q[i].status);
	}
	size_t k = vol_promotions(q, n, v.signed_count, v.capacity, pick);
	int64_t now = time_now();
	for (size_t i = 0; i < k; i++) {
		const struct vol_signup_row *s = &ss[pick[i]];
		r = store_vol_signups_set_status(ctx->db, s->id, "signed", now);
		if (r == DB_OK && s->user_id) {
			struct notification_row note = {
			    .created_at = now,
			    .user_id = s->user_id,
			    .kind = "volunteer_promoted",
			    .title = arena_printf(&req->arena, "候补转正：%s", v.title),
			    .body = v.place};
			r = store_notifications_add(ctx->db, &note);
		}
		if (!api_stored(req, r))
			return false;
		json_array_append_new(promoted, json_integer(s->id));
	}
	return true;
}

void vol_signups_cancel_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct vol_signup_row s;
	if (!signup_from_path(req, &s))
		return;
	bool own = ctx->who.user_id && s.user_id == ctx->who.user_id;
	if (!own && !signup_staff(ctx, VOL_STAFF, &s)) {
		api_problem(req, 403, "只能取消本人的报名或所管理区域的报名");
		return;
	}
	if (strcmp(s.status, "cancelled") == 0) {
		api_problem(req, 409, "报名已取消");
		return;
	}
	if (s.checked_in_at || s.ends_at <= time_now()) {
		api_problem(req, 409, "已签到或活动已结束，不能取消报名");
		return;
	}
	bool had_place = strcmp(s.status, "signed") == 0;
	enum db_result r = store_vol_signups_set_status(ctx->db, s.id, "cancelled", time_now());
	if (r == DB_DONE) {
		api_problem(req, 409, "报名已取消");
		return;
	}
	if (!api_stored(req, r))
		return;
	json_t *promoted = json_array();
	if (had_place && !promote(req, s.activity_id, promoted)) {
		json_decref(promoted);
		return;
	}
	ctx->audit_object = arena_printf(&req->arena, "vol_signup:%lld", (long long)s.id);
	store_vol_signups_get(ctx->db, &req->arena, s.id, &s);
	json_t *o = signup_json(&s, signup_staff(ctx, VOL_READERS, &s));
	json_object_set_new(o, "promoted", promoted);
	api_json(req, 200, o);
}

void vol_checkin_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct vol_activity_row v;
	if (!activity_from_path(req, &v))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	const char *code = api_string(&in, "code", true, 20, NULL);
	if (!api_input_end(req, &in))
		goto out;
	struct vol_person self;
	vol_self(ctx, &req->arena, &self);
	struct vol_signup_row s;
	enum db_result r = store_vol_signups_find(ctx->db, &req->arena, v.id, self.person, &s);
	if (r != DB_ROW && r != DB_DONE) {
		api_store_error(req, r);
		goto out;
	}
	int64_t now = time_now();
	if (r == DB_DONE || strcmp(s.status, "signed") != 0)
		api_problem(req, 409, r == DB_DONE ? "未报名该活动" : "仍在候补名单中，不能签到");
	else if (s.checked_in_at)
		api_problem(req, 409, "已签到");
	else if (!vol_checkin_open(now, v.starts_at, v.ends_at))
		api_problem(req, 409, "不在活动签到时间内");
	else if (!vol_code_matches(code, v.code))
		api_field_problem(req, "code", "mismatch", "签到码不正确");
	if (r == DB_DONE || strcmp(s.status, "signed") != 0 || s.checked_in_at ||
	    !vol_checkin_open(now, v.starts_at, v.ends_at) || !vol_code_matches(code, v.code))
		goto out;
	r = store_vol_signups_check_in(ctx->db, s.id, now);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "vol_signup:%lld", (long long)s.id);
	store_vol_signups_get(ctx->db, &req->arena, s.id, &s);
	api_json(req, 200, signup_json(&s, false));
out:
	api_input_free(&in);
}

void vol_hours_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct vol_signup_row s;
	if (!signup_from_path(req, &s))
		return;
	struct api_input in;
	if (!api_write_begin(req, VOL_ORGANISERS, s.region_code, "只有活动的组织者可以确认服务时长",
	                     &in))
		return;
	int64_t minutes = 0;
	api_int(&in, "minutes", true, 1, 7 * 24 * 60, &minutes, NULL);
	const char *note = api_string(&in, "note", false, 200, NULL);
	if (minutes && !vol_minutes_allowed(minutes, s.starts_at, s.ends_at))
		api_field_error(&in, "minutes", "range", "服务时长不能超过活动时长");
	if (!api_input_end(req, &in))
		goto out;
	int64_t now = time_now();
	if (strcmp(s.status, "signed") != 0 || !s.checked_in_at)
		api_problem(req, 409, "未签到的报名不能确认时长");
	else if (s.minutes >= 0)
		api_problem(req, 409, "服务时长已确认");
	else if (s.ends_at > now)
		api_problem(req, 409, "活动结束后才能确认时长");
	if (strcmp(s.status, "signed") != 0 || !s.checked_in_at || s.minutes >= 0 ||
	    s.ends_at > now)
		goto out;
	int64_t points = vol_points_for(minutes);
	enum db_result r =
	    store_vol_signups_confirm(ctx->db, s.id, minutes, points, ctx->who.user_id, now);
	if (r == DB_DONE) {
		api_problem(req, 409, "服务时长已确认");
		goto out;
	}
	struct vol_ledger_row e = {.region_code = s.region_code,
	                           .person = s.person,
	                           .kind = "service",
	                           .minutes = minutes,
	                           .points = points,
	                           .activity_id = s.activity_id,
	                           .signup_id = s.id,
	                           .note = note,
	                           .created_by = ctx->who.user_id,
	                           .created_at = now};
	if (r == DB_OK)
		r = store_vol_ledger_insert(ctx->db, &e);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "vol_signup:%lld", (long long)s.id);
	ctx->audit_detail = arena_printf(&req->arena, "minutes=%lld points=%lld",
	                                 (long long)minutes, (long long)points);
	store_vol_signups_get(ctx->db, &req->arena, s.id, &s);
	api_json(req, 200, signup_json(&s, true));
out:
	api_input_free(&in);
}
