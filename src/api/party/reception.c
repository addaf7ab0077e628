/* /api/v1/reception-days: monthly reception days (接待日) that cadres (cadres.c) publish in
 * slots. A day's slots are service slots of kind "reception" (migration 34), so booking,
 * capacity, reminders, the staff's day list and attendance are the services' machinery
 * (api/services/); the bookings' routes are reception_bookings.c. */
#include "api/party/party.h"
#include "api/services/services.h"
#include "core/timeutil.h"
#include "domain/deadline.h"

#include <string.h>
#include <time.h>

/* Reception days are published in a community: its staff and its cadres see them. */
#define DAY_STAFF (PARTY_STAFF | ROLE_BIT(ROLE_CADRE))

/* Local (Asia/Shanghai) "YYYY-MM-DD" and "HH:MM" of a time. */
static const char *local_text(struct arena *a, int64_t at, bool date)
{
	time_t t = (time_t)(at + 8 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	return date
	           ? arena_printf(a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday)
	           : arena_printf(a, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

const char *reception_today(struct http_req *req)
{
	return local_text(&req->arena, time_now(), true);
}

const char *reception_local_date(struct http_req *req, int64_t at)
{
	return local_text(&req->arena, at, true);
}

const char *reception_local_hhmm(struct http_req *req, int64_t at)
{
	return local_text(&req->arena, at, false);
}

static json_t *day_json(const struct reception_day_row *d)
{
	json_t *o = json_object();
	json_set_int(o, "id", d->id);
	json_set_int(o, "cadre_id", d->cadre_id);
	json_set_str(o, "cadre_name", d->cadre_name);
	json_set_str(o, "cadre_unit", d->cadre_unit);
	json_set_str(o, "region_code", d->region_code);
	json_set_str(o, "region_name", d->region_name);
	json_set_str(o, "held_on", d->held_on);
	json_set_str(o, "starts", d->starts);
	json_set_str(o, "ends", d->ends);
	json_set_str(o, "place", d->place);
	json_set_str(o, "topic", d->topic);
	json_set_str(o, "status", d->cancelled ? "cancelled" : "open");
	json_set_time(o, "created_at", d->created_at);
	return o;
}

json_t *reception_upcoming_json(struct http_req *req, int64_t cadre_id)
{
	struct reception_day_row *rows;
	size_t n;
	json_t *a = json_array();
	if (store_reception_days_list(api_ctx(req)->db, &req->arena, "", NULL, reception_today(req),
	                              cadre_id, 0, 50, &rows, &n) == DB_OK)
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, day_json(&rows[i]));
	return a;
}

/* Whether the caller sees a day: staff over its region, the cadre, or a resident living
 * under it. */
static bool day_visible(const struct api_ctx *ctx, const struct reception_day_row *d,
                        bool *as_resident)
{
	*as_resident = false;
	if (api_reaches(ctx, DAY_STAFF, d->region_code))
		return true;
	for (size_t i = 0; i < ctx->who.ngrants; i++)
		if (ctx->who.grants[i].role == ROLE_RESIDENT &&
		    region_covers(d->region_code, ctx->who.grants[i].region_code)) {
			*as_resident = true;
			return true;
		}
	return false;
}

/* The caller may publish or cancel for this cadre: the cadre's own user, or a manager over
 * the cadre's community. */
static bool may_publish(const struct api_ctx *ctx, const struct cadre_row *c)
{
	return (c->user_id && c->user_id == ctx->who.user_id) ||
	       api_reaches(ctx, ROLES_MANAGERS, c->region_code);
}

static json_t *slots_json(struct http_req *req, const struct service_slot_row *sl, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_object();
		json_set_int(s, "id", sl[i].id);
		json_set_str(s, "starts", reception_local_hhmm(req, sl[i].starts_at));
		json_set_str(s, "ends", reception_local_hhmm(req, sl[i].ends_at));
		json_set_int(s, "capacity", sl[i].capacity);
		json_set_int(s, "booked", sl[i].booked);
		json_set_int(s, "available",
		             sl[i].capacity > sl[i].booked ? sl[i].capacity - sl[i].booked : 0);
		json_array_append_new(arr, s);
	}
	return arr;
}

/* A day with its slots, the caller's own live booking and, for staff, every live booking with
 * whose place it is (services_person_name). */
static json_t *day_full_json(struct http_req *req, const struct reception_day_row *d, bool staff)
{
	struct api_ctx *ctx = api_ctx(req);
	json_t *o = day_json(d);
	struct service_slot_row *slots;
	size_t n = 0;
	if (store_service_slots_of_day(ctx->db, &req->arena, d->id, &slots, &n) != DB_OK)
		n = 0;
	json_object_set_new(o, "slots", slots_json(req, slots, n));
	struct service_booking_row *bs;
	json_t *mine = json_null(), *all = staff ? json_array() : NULL;
	if (store_service_bookings_of_day(ctx->db, &req->arena, d->id, &bs, &n) != DB_OK)
		n = 0;
	int64_t own = n ? services_own_resident(req) : 0;
	for (size_t i = 0; i < n; i++) {
		json_t *b = json_object();
		json_set_int(b, "id", bs[i].id);
		json_set_int(b, "slot_id", bs[i].slot_id);
		json_set_str(b, "slot_starts", reception_local_hhmm(req, bs[i].starts_at));
		json_set_str(b, "topic", bs[i].topic);
		json_set_time(b, "created_at", bs[i].created_at);
		bool is_mine = (ctx->who.user_id && bs[i].user_id == ctx->who.user_id) ||
		               (own && bs[i].resident_id == own);
		if (is_mine && json_is_null(mine))
			mine = json_deep_copy(b);
		if (all) {
			json_set_str(b, "name",
			             services_person_name(req, bs[i].user_id, bs[i].account_name,
			                                  bs[i].resident_name,
			                                  bs[i].resident_region));
			json_array_append_new(all, b);
		} else {
			json_decref(b);
		}
	}
	json_object_set_new(o, "my_booking", mine);
	if (all)
		json_object_set_new(o, "bookings", all);
	return o;
}

/* The answer of every write to a day: audited under its id, read back whole, with who
 * booked (only its cadre or their managers write). */
static void respond_day(struct http_req *req, int status, struct reception_day_row *d)
{
	party_audit(req, "reception_day", d->id);
	store_reception_days_get(api_ctx(req)->db, &req->arena, d->id, d);
	api_json(req, status, day_full_json(req, d, true));
}

static json_t *day_item(struct http_req *req, const void *row)
{
	return day_full_json(req, row, false);
}

void reception_days_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t after;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &after))
		return;
	const char *region = NULL, *grid = NULL;
	if (api_roles(ctx) & DAY_STAFF) {
		if (!party_region_query(req, DAY_STAFF, true, &region))
			return;
	} else {
		grid = services_resident_grid(ctx);
		if (!grid) {
			api_json(req, 200, api_list(json_array(), NULL));
			return;
		}
	}
	const char *from = http_query(req, "from");
	if (from && !party_date_valid(from)) {
		api_problem(req, 400, "from 须为 YYYY-MM-DD 日期");
		return;
	}
	if (!from && grid)
		from = reception_today(req); /* residents see what they can still book */
	int64_t cadre_id = 0;
	if (!api_query_id(req, "cadre_id", &cadre_id))
		return;
	struct reception_day_row *rows;
	size_t n;
	enum db_result r = store_reception_days_list(ctx->db, &req->arena, region, grid, from,
	                                             cadre_id, after, limit + 1, &rows, &n);
	party_respond_page(req, r, rows, n, sizeof *rows, limit, day_item);
}

/* The cadre a day is published for: 422 "unknown" when there is none, 403 "scope" when the
 * caller may not publish for them (may_publish). */
static void read_day_cadre(struct http_req *req, struct api_input *in, struct reception_day_row *d,
                           struct cadre_row *c)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!party_id_field(in, "cadre_id", true, &d->cadre_id, NULL))
		return;
	/* Another community's cadre is a target outside the caller's scope: 403 "scope"
	 * (API.md); a cadre that does not exist is 422 "unknown". */
	if (store_cadres_get(ctx->db, &req->arena, d->cadre_id, c) != DB_ROW)
		api_field_error(in, "cadre_id", "unknown", "干部不存在");
	else if (!may_publish(ctx, c))
		api_field_error(in, "cadre_id", "scope", "只能发布本人或所管理干部的接待日");
}

/* The day's date, hours ("HH:MM", ends after starts), place and topic. */
static void read_day_hours(struct api_input *in, struct reception_day_row *d)
{
	d->held_on = party_date_field(in, "held_on", true, NULL);
	d->starts = api_string(in, "starts", true, 5, NULL);
	d->ends = api_string(in, "ends", true, 5, NULL);
	if (d->starts && !party_hhmm_valid(d->starts))
		api_field_error(in, "starts", "format", "时间格式须为 HH:MM");
	else if (d->ends && !party_hhmm_valid(d->ends))
		api_field_error(in, "ends", "format", "时间格式须为 HH:MM");
	else if (d->starts && d->ends && party_minutes_between(d->starts, d->ends) <= 0)
		api_field_error(in, "ends", "range", "结束时间须晚于开始时间");
	d->place = api_string(in, "place", true, 100, NULL);
	d->topic = api_string(in, "topic", false, 200, NULL);
}

/* A slot as given: "HH:MM" hours inside the day's and a capacity. */
struct day_slot {
	const char *starts, *ends;
	int64_t capacity;
};

/* The "slots" array: at most 48 {starts, ends, capacity}, each inside the day's hours. Reads
 * until the first error; *n is 0 when none were given (room for one is kept). */
static struct day_slot *read_slots(struct http_req *req, struct api_input *in,
                                   const struct reception_day_row *d, size_t *n)
{
	json_t *slots = json_object_get(in->body, "slots");
	if (slots && !json_is_array(slots) && !json_is_null(slots)) {
		in->type_error = true;
		api_field_error(in, "slots", "type", "应为时段数组");
	} else if (json_array_size(slots) > 48) {
		api_field_error(in, "slots", "too_many", "时段最多 48 个");
	}
	*n = json_array_size(slots);
	struct day_slot *sl = arena_alloc(&req->arena, sizeof(*sl) * (*n ? *n : 1));
	memset(sl, 0, sizeof(*sl) * (*n ? *n : 1));
	for (size_t i = 0; i < *n && json_array_size(in->errors) == 0; i++) {
		json_t *s = json_array_get(slots, i);
		const char *f = arena_printf(&req->arena, "slots[%zu]", i);
		if (!json_is_object(s)) {
			in->type_error = true;
			api_field_error(in, f, "type", "应为 {starts, ends, capacity}");
			break;
		}
		struct api_input sub = {.body = s, .errors = in->errors};
		sl[i].starts = api_string(&sub, "starts", true, 5, NULL);
		sl[i].ends = api_string(&sub, "ends", true, 5, NULL);
		api_int(&sub, "capacity", true, 1, 100, &sl[i].capacity, NULL);
		in->type_error = in->type_error || sub.type_error;
		if (json_array_size(in->errors))
			break;
		if (!party_hhmm_valid(sl[i].starts) || !party_hhmm_valid(sl[i].ends) ||
		    party_minutes_between(sl[i].starts, sl[i].ends) <= 0 ||
		    (d->starts && party_minutes_between(d->starts, sl[i].starts) < 0) ||
		    (d->ends && party_minutes_between(sl[i].ends, d->ends) < 0))
			api_field_error(in, f, "range", "时段须在接待时间之内，且结束晚于开始");
	}
	return sl;
}

/* Seconds since the epoch of "HH:MM" on the day held_on, Asia/Shanghai (UTC+8). */
static int64_t day_time(const char *held_on, const char *hhmm)
{
	int64_t day = 0;
	deadline_parse_date(held_on, &day);
	return services_day_start(day) + (int64_t)party_minutes_between("00:00", hhmm) * 60;
}

/* Writes the day and its slots, service slots of kind "reception" named after the cadre; no
 * slots given: the whole reception as one slot of ten. */
static enum db_result insert_day(struct http_req *req, struct reception_day_row *d,
                                 const struct cadre_row *c, struct day_slot *sl, size_t nslots)
{
	struct api_ctx *ctx = api_ctx(req);
	if (nslots == 0) {
		sl[0] = (struct day_slot){.starts = d->starts, .ends = d->ends, .capacity = 10};
		nslots = 1;
	}
	enum db_result r = store_reception_days_insert(ctx->db, d);
	for (size_t i = 0; r == DB_OK && i < nslots; i++) {
		struct service_slot_row s = {
		    .service = arena_printf(&req->arena, "%s%s", c->name, RECEPTION_SERVICE),
		    .kind = "reception",
		    .reception_day_id = d->id,
		    .region_code = d->region_code,
		    .place = d->place,
		    .starts_at = day_time(d->held_on, sl[i].starts),
		    .ends_at = day_time(d->held_on, sl[i].ends),
		    .capacity = sl[i].capacity,
		    .created_by = d->created_by,
		    .created_at = d->created_at,
		    .updated_at = d->updated_at};
		r = store_service_slots_insert(ctx->db, &s);
	}
	return r;
}

void reception_days_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct reception_day_row d;
	memset(&d, 0, sizeof d);
	struct cadre_row c;
	memset(&c, 0, sizeof c);
	size_t nslots;
	read_day_cadre(req, &in, &d, &c);
	read_day_hours(&in, &d);
	struct day_slot *sl = read_slots(req, &in, &d, &nslots);
	if (!api_input_end(req, &in))
		goto out;
	if (!may_publish(ctx, &c)) {
		api_problem(req, 403, "只能发布本人或所管理干部的接待日");
		goto out;
	}
	if (!c.active) {
		api_problem(req, 409, "该干部已结束派驻");
		goto out;
	}
	d.region_code = c.region_code;
	d.created_by = ctx->who.user_id;
	d.created_at = d.updated_at = time_now();
	enum db_result r = insert_day(req, &d, &c, sl, nslots);
	if (!api_stored(req, r))
		goto out;
	respond_day(req, 201, &d);
out:
	api_input_free(&in);
}

/* Staff and cadres over its community; residents under it while it is not cancelled. */
static bool day_seen(struct http_req *req, const void *obj)
{
	const struct reception_day_row *d = obj;
	bool as_resident;
	return day_visible(api_ctx(req), d, &as_resident) && !(as_resident && d->cancelled);
}

API_LOADER(day, "接待日", 0, day_seen, struct reception_day_row, store_reception_days_get,
           region_code)

bool reception_load_day(struct http_req *req, struct reception_day_row *d, bool *as_resident)
{
	if (!day_from_path(req, d))
		return false;
	day_visible(api_ctx(req), d, as_resident);
	return true;
}

/* Who booked (names and topics) is for the community's party staff and the day's own cadre,
 * not for every cadre of the community. */
static bool day_staff_view(struct http_req *req, const struct reception_day_row *d)
{
	struct api_ctx *ctx = api_ctx(req);
	if (api_reaches(ctx, PARTY_STAFF, d->region_code))
		return true;
	struct cadre_row c;
	return ctx->who.user_id &&
	       store_cadres_get(ctx->db, &req->arena, d->cadre_id, &c) == DB_ROW &&
	       c.user_id == ctx->who.user_id;
}

void reception_days_get_h(struct http_req *req)
{
	struct reception_day_row d;
	bool as_resident;
	if (!reception_load_day(req, &d, &as_resident))
		return;
	api_json(req, 200, day_full_json(req, &d, !as_resident && day_staff_view(req, &d)));
}

void reception_days_cancel_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct reception_day_row d;
	bool as_resident;
	struct cadre_row c;
	if (!reception_load_day(req, &d, &as_resident))
		return;
	if (store_cadres_get(ctx->db, &req->arena, d.cadre_id, &c) != DB_ROW ||
	    !may_publish(ctx, &c)) {
		api_problem(req, 403, "只能取消本人或所管理干部的接待日");
		return;
	}
	if (d.cancelled) {
		api_problem(req, 409, "接待日已取消");
		return;
	}
	enum db_result r = store_reception_days_cancel(ctx->db, d.id, time_now());
	if (r == DB_OK)
		r = store_service_slots_cancel_day(ctx->db, d.id, time_now());
	if (!api_stored(req, r))
		return;
	respond_day(req, 200, &d);
}
