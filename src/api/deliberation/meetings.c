/* Meetings (议事会) of a topic at one of the three levels of 红色议事厅 (community, grid,
 * building): the date, the place, attendance signed in, minutes and photos. A meeting belongs
 * to the stage the topic is in; leaving a meeting stage needs one with minutes. */
#include "api/deliberation/deliberation.h"
#include "core/json.h"
#include "core/timeutil.h"

#include <string.h>

json_t *delib_meeting_json(const struct topic_meeting_row *m);

static bool meeting_seen(struct http_req *req, const void *obj)
{
	const struct topic_meeting_row *m = obj;
	struct topic_row t = {.region_code = m->region_code};
	return delib_topic_seen(req, &t);
}

API_LOADER(tmeeting, "议事会", 0, meeting_seen, struct topic_meeting_row, store_topic_meetings_get,
           region_code)

void topic_meetings_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_row t;
	if (!delib_topic_from_path(req, &t))
		return;
	struct api_input in;
	if (!api_write_begin(req, DELIB_STAFF, t.region_code, "您不能为此议题召开议事会", &in))
		return;
	struct topic_meeting_row m = {
	    .topic_id = t.id, .region_code = t.region_code, .stage = t.stage};
	m.venue = api_string(&in, "venue", true, 20, NULL);
	if (m.venue && strcmp(m.venue, "community") && strcmp(m.venue, "grid") &&
	    strcmp(m.venue, "building"))
		api_field_error(&in, "venue", "invalid", "venue 须为 community、grid 或 building");
	const char *held = api_string(&in, "held_at", true, 40, NULL);
	if (held && !time_parse(held, &m.held_at))
		api_field_error(&in, "held_at", "format", "时间须为带时区的 RFC 3339 格式");
	m.place = api_string(&in, "place", false, 200, NULL);
	m.minutes = api_string(&in, "minutes", false, 20000, NULL);
	m.photos = api_photos_field(req, &in, "photos");
	if (!api_input_end(req, &in))
		goto out;
	enum topic_stage s = TSTAGE_COUNT;
	topic_stage_parse(t.stage, &s);
	if (topic_stage_final(s)) {
		api_problem(req, 409, "议题已结束，不能再召开议事会");
		goto out;
	}
	m.created_by = ctx->who.user_id;
	m.created_at = m.updated_at = time_now();
	enum db_result r = store_topic_meetings_insert(ctx->db, &m);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "topic_meeting:%lld", (long long)m.id);
	store_topic_meetings_get(ctx->db, &req->arena, m.id, &m);
	api_json(req, 201, delib_meeting_json(&m));
out:
	api_input_free(&in);
}

void topic_meetings_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_meeting_row m;
	if (!tmeeting_from_path(req, &m))
		return;
	struct api_input in;
	if (!api_write_begin(req, DELIB_STAFF, m.region_code, "您不能修改此议事会", &in))
		return;
	bool has_minutes = false, has_place = false;
	const char *minutes = api_string(&in, "minutes", false, 20000, &has_minutes);
	const char *place = api_string(&in, "place", false, 200, &has_place);
	const char *photos = api_photos_field(req, &in, "photos");
	if (!api_input_end(req, &in))
		goto out;
	if (has_minutes)
		m.minutes = minutes;
	if (has_place)
		m.place = place;
	if (photos)
		m.photos = photos;
	m.updated_at = time_now();
	enum db_result r = store_topic_meetings_update(ctx->db, &m);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "topic_meeting:%lld", (long long)m.id);
	store_topic_meetings_get(ctx->db, &req->arena, m.id, &m);
	api_json(req, 200, delib_meeting_json(&m));
out:
	api_input_free(&in);
}

/* Attendance: a resident signs themselves in ({}), staff sign in a resident record
 * ({"resident_id"}) under the topic's region. */
void topic_meetings_attend_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_meeting_row m;
	if (!tmeeting_from_path(req, &m))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	int64_t rid = 0;
	bool has_rid = false;
	api_int(&in, "resident_id", false, 1, INT64_MAX, &rid, &has_rid);
	const char *person = NULL;
	int64_t uid = 0;
	if (has_rid) {
		struct resident_row r;
		if (!api_reaches(ctx, DELIB_STAFF, m.region_code))
			api_field_error(&in, "resident_id", "scope", "只能为本人签到");
		else if (store_residents_get(ctx->db, &req->arena, rid, &r) != DB_ROW ||
		         strncmp(r.region_code, m.region_code, strlen(m.region_code)) != 0)
			api_field_error(&in, "resident_id", "unknown", "该居民不在此议题的区域内");
		person = arena_printf(&req->arena, "resident:%lld", (long long)rid);
	} else if (!(api_roles(ctx) & ROLE_BIT(ROLE_RESIDENT)) || !ctx->who.user_id) {
		api_field_error(&in, "resident_id", "required", "请选择为哪位居民签到");
	} else {
		struct topic_voter v;
		uid = ctx->who.user_id;
		if (store_topic_voter(ctx->db, &req->arena, uid, &v) == DB_OK && v.resident_id) {
			rid = v.resident_id;
			person = arena_printf(&req->arena, "resident:%lld", (long long)rid);
		} else
			person = arena_printf(&req->arena, "user:%lld", (long long)uid);
	}
	if (!api_input_end(req, &in))
		goto out;
	enum db_result r = store_topic_attendance_add(ctx->db, m.id, person, uid, rid, time_now());
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409, "已在本次议事会签到");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "topic_meeting:%lld", (long long)m.id);
	store_topic_meetings_get(ctx->db, &req->arena, m.id, &m);
	api_json(req, 201, delib_meeting_json(&m));
out:
	api_input_free(&in);
}
