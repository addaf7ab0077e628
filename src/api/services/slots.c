/* /api/v1/service-slots: appointment slots (预约时段) for a service at a region — staff
 * publish them, residents under the region book a place (bookings.c has the bookings). */
#include "api/services/services.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/deadline.h"
#include "domain/region.h"
#include "store/platform/regions.h"
#include "store/platform/users.h"

#include <stdio.h>
#include <string.h>

const char *services_resident_grid(const struct api_ctx *ctx)
{
	for (size_t i = 0; i < ctx->who.ngrants; i++)
		if (ctx->who.grants[i].role == ROLE_RESIDENT && ctx->who.grants[i].region_code[0])
			return ctx->who.grants[i].region_code;
	return NULL;
}

int64_t services_own_resident(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!ctx->who.user_id || !services_resident_grid(ctx))
		return 0;
	int64_t rid = 0, hh = 0;
	if (store_user_resident_get(ctx->db, ctx->who.user_id, &rid, &hh) != DB_ROW)
		return 0;
	return rid;
}

int64_t services_day_start(int64_t day)
{
	return day * 86400 - 8 * 3600;
}

bool services_query_day(struct http_req *req, const char *name, int64_t *day, bool *present)
{
	const char *s = http_query(req, name);
	*present = s != NULL;
	if (s && !deadline_parse_date(s, day)) {
		api_problem(req, 400, arena_printf(&req->arena, "%s 须为 YYYY-MM-DD 日期", name));
		return false;
	}
	return true;
}

/* Whether a grant of the caller with a role in roles lies under the slot's region. */
static bool slot_above(const struct api_ctx *ctx, const struct service_slot_row *s, unsigned roles)
{
	for (size_t i = 0; i < ctx->who.ngrants; i++)
		if ((ROLE_BIT(ctx->who.grants[i].role) & roles) &&
		    region_covers(s->region_code, ctx->who.grants[i].region_code))
			return true;
	return false;
}

static bool slot_for_resident(const struct api_ctx *ctx, const struct service_slot_row *s)
{
	return slot_above(ctx, s, ROLE_BIT(ROLE_RESIDENT));
}

static json_t *slot_json(struct http_req *req, const struct service_slot_row *s, bool staff)
{
	struct api_ctx *ctx = api_ctx(req);
	json_t *o = json_object();
	json_set_int(o, "id", s->id);
	json_set_str(o, "service", s->service);
	json_set_str(o, "region_code", s->region_code);
	json_set_str(o, "region_name", s->region_name);
	json_set_str(o, "place", s->place);
	json_set_time(o, "starts_at", s->starts_at);
	json_set_time(o, "ends_at", s->ends_at);
	json_set_int(o, "capacity", s->capacity);
	json_set_int(o, "booked", s->booked);
	json_set_int(o, "available", s->capacity > s->booked ? s->capacity - s->booked : 0);
	json_set_str(o, "status", s->cancelled ? "cancelled" : "open");
	json_set_str(o, "kind", s->kind);
	if (s->reception_day_id)
		json_set_int(o, "reception_day_id", s->reception_day_id);
	else
		json_object_set_new(o, "reception_day_id", json_null());
	json_set_time(o, "created_at", s->created_at);
	struct service_booking_row *bs;
	size_t n = 0;
	json_t *mine = json_null(), *all = staff ? json_array() : NULL;
	if (store_service_bookings_of_slot(ctx->db, &req->arena, s->id, &bs, &n) != DB_OK)
		n = 0;
	/* The caller's place: its own booking, or one held for the resident it speaks for. */
	int64_t own = n ? services_own_resident(req) : 0;
	for (size_t i = 0; i < n; i++) {
		bool is_mine = (ctx->who.user_id && bs[i].user_id == ctx->who.user_id) ||
		               (own && bs[i].resident_id == own);
		if (is_mine && json_is_null(mine))
			mine = service_booking_json(req, &bs[i], false);
		if (all)
			json_array_append_new(all, service_booking_json(req, &bs[i], true));
	}
	json_object_set_new(o, "my_booking", mine);
	if (all)
		json_object_set_new(o, "bookings", all);
	return o;
}

static json_t *slot_item(struct http_req *req, const void *row)
{
	const struct service_slot_row *s = row;
	json_t *o = slot_json(req, s, false);
	return o;
}

void service_slots_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *service = http_query(req, "service");
	if (service && (!*service || strlen(service) > 200)) {
		api_problem(req, 400, "service 须为 1–200 字节的文本");
		return;
	}
	const char *kind = http_query(req, "kind");
	if (kind && strcmp(kind, "service") != 0 && strcmp(kind, "reception") != 0) {
		api_problem(req, 400, "kind 须为 service（服务预约）或 reception（接待日）");
		return;
	}
	int64_t day = 0;
	bool has_day;
	if (!services_query_day(req, "date", &day, &has_day))
		return;
	struct service_slot_filter f = {.service = service, .kind = kind};
	f.from = has_day ? services_day_start(day) : 0;
	f.to = has_day ? f.from + 86400 : 0;
	if (api_roles(ctx) & SERVICE_READERS) {
		struct base_page pg;
		if (!base_page_query(req, &pg))
			return;
		struct service_slot_row *rows;
		size_t n;
		enum db_result r = store_service_slots_walk(ctx->db, &req->arena, &pg.sc, &f,
		                                            pg.after, pg.limit, &rows, &n);
		base_respond_page(req, r, rows, n, sizeof *rows,
		                  offsetof(struct service_slot_row, region_code), pg.limit,
		                  slot_item);
		return;
	}
	/* A resident: the open slots of their grid and the regions above it that have not
	 * ended yet. */
	int limit;
	int64_t after;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &after))
		return;
	const char *grid = services_resident_grid(ctx);
	if (!grid) {
		api_json(req, 200, api_list(json_array(), NULL));
		return;
	}
	int64_t now = time_now();
	if (f.from < now)
		f.from = now;
	struct service_slot_row *rows;
	size_t n;
	enum db_result r = store_service_slots_for_grid(ctx->db, &req->arena, grid, &f, after,
	                                                limit + 1, &rows, &n);
	if (!api_stored(req, r))
		return;
	api_respond_id_page(req, rows, n, sizeof *rows, limit, slot_item);
}

/* The slot's times: RFC 3339, ending after it starts, within a day, not already over. */
static void read_slot_times(struct http_req *req, struct api_input *in, struct service_slot_row *s)
{
	(void)req;
	const char *starts = api_string(in, "starts_at", true, 40, NULL);
	const char *ends = api_string(in, "ends_at", true, 40, NULL);
	if (starts && !time_parse(starts, &s->starts_at))
		api_field_error(in, "starts_at", "format", "时间须为带时区的 RFC 3339 格式");
	else if (ends && !time_parse(ends, &s->ends_at))
		api_field_error(in, "ends_at", "format", "时间须为带时区的 RFC 3339 格式");
	else if (starts && ends && s->ends_at <= s->starts_at)
		api_field_error(in, "ends_at", "range", "结束时间须晚于开始时间");
	else if (starts && ends && s->ends_at - s->starts_at > 86400)
		api_field_error(in, "ends_at", "range", "一个时段最长 24 小时");
	else if (starts && ends && s->ends_at <= time_now())
		api_field_error(in, "ends_at", "past", "时段已经结束");
}

/* The slot's region: one that exists, reached by the caller as service staff (else 403). */
static void read_slot_region(struct http_req *req, struct api_input *in, struct service_slot_row *s)
{
	struct api_ctx *ctx = api_ctx(req);
	s->region_code = api_string(in, "region_code", true, 15, NULL);
	if (!s->region_code)
		return;
	struct region_row reg;
	if (store_regions_get(ctx->db, &req->arena, s->region_code, &reg) != DB_ROW)
		api_field_error(in, "region_code", "unknown", "区域不存在");
	else if (!api_reaches(ctx, SERVICE_STAFF, s->region_code))
		api_field_error(in, "region_code", "scope", "该区域不在您的管辖范围内");
}

void service_slots_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct service_slot_row s;
	memset(&s, 0, sizeof s);
	s.service = api_string(&in, "service", true, 50, NULL);
	s.place = api_string(&in, "place", false, 100, NULL);
	read_slot_region(req, &in, &s);
	read_slot_times(req, &in, &s);
	api_int(&in, "capacity", true, 1, 1000, &s.capacity, NULL);
	if (!api_input_end(req, &in))
		goto out;
	s.created_by = ctx->who.user_id;
	s.created_at = s.updated_at = time_now();
	enum db_result r = store_service_slots_insert(ctx->db, &s);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "service_slot:%lld", (long long)s.id);
	store_service_slots_get(ctx->db, &req->arena, s.id, &s);
	api_json(req, 201, slot_json(req, &s, true));
out:
	api_input_free(&in);
}

/* Staff over the slot's region; staff and residents under it while it is open (a grid
 * worker books the community's slots for the grid's residents; who booked stays with the
 * staff over the slot's region). */
static bool slot_seen(struct http_req *req, const void *obj)
{
	const struct service_slot_row *s = obj;
	struct api_ctx *ctx = api_ctx(req);
	return api_reaches(ctx, SERVICE_READERS, s->region_code) ||
	       (!s->cancelled && slot_above(ctx, s, SERVICE_READERS | ROLE_BIT(ROLE_RESIDENT)));
}

API_LOADER(slot, "预约时段", 0, slot_seen, struct service_slot_row, store_service_slots_get,
           region_code)

void service_slots_get_h(struct http_req *req)
{
	struct service_slot_row s;
	if (!slot_from_path(req, &s))
		return;
	bool staff = api_reaches(api_ctx(req), SERVICE_READERS, s.region_code);
	api_json(req, 200, slot_json(req, &s, staff));
}

/* Whom a booking is for: the caller's own account (a resident, {}), or a resident record
 * staff over the slot name ({"resident_id"}) — 403 for a resident booking for someone else
 * or staff for a resident outside their scope, 422 for a resident not living under the
 * slot's region. */
static void read_booking_person(struct http_req *req, struct api_input *in,
                                const struct service_slot_row *s, struct service_booking_row *b)
{
	struct api_ctx *ctx = api_ctx(req);
	bool has_resident = false;
	int64_t rid = 0;
	api_int(in, "resident_id", false, 1, INT64_MAX, &rid, &has_resident);
	if (json_array_size(in->errors))
		return;
	bool staff =
	    slot_above(ctx, s, SERVICE_STAFF) || api_reaches(ctx, SERVICE_STAFF, s->region_code);
	if (!has_resident) {
		if (!slot_for_resident(ctx, s) || !ctx->who.user_id)
			api_field_error(in, "resident_id", staff ? "required" : "scope",
			                staff ? "请选择为哪位居民预约"
			                      : "只有该区域的居民可以预约");
		services_own_person(req, b);
		return;
	}
	struct resident_row r;
	if (!staff)
		api_field_error(in, "resident_id", "scope", "只能为本人预约");
	else if (store_residents_get(ctx->db, &req->arena, rid, &r) != DB_ROW)
		api_field_error(in, "resident_id", "unknown", "居民不存在");
	else if (!api_reaches(ctx, SERVICE_STAFF, r.region_code))
		api_field_error(in, "resident_id", "scope", "该居民不在您的管辖范围内");
	else if (!region_covers(s->region_code, r.region_code))
		api_field_error(in, "resident_id", "not_eligible", "该居民不在此服务的区域内");
	b->resident_id = rid;
	b->person = arena_printf(&req->arena, "resident:%lld", (long long)rid);
}

void service_bookings_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct service_slot_row s;
	if (!slot_from_path(req, &s))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct service_booking_row b;
	memset(&b, 0, sizeof b);
	read_booking_person(req, &in, &s, &b);
	if (api_input_end(req, &in) && services_book(req, &s, &b)) {
		ctx->audit_object =
		    arena_printf(&req->arena, "service_booking:%lld", (long long)b.id);
		api_json(req, 201,
		         service_booking_json(req, &b,
		                              api_reaches(ctx, SERVICE_READERS, s.region_code)));
	}
	api_input_free(&in);
}
