/* /api/v1/service-bookings: a resident's own bookings, the day's list for staff with
 * attendance, cancelling a booking, and the day-before reminders sent through the
 * notification outbox. */
#include "api/services/services.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/person.h"
#include "store/cases/cases.h"

#include <string.h>

const char *services_person_name(struct http_req *req, int64_t user_id, const char *account_name,
                                 const char *resident_name, const char *resident_region)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!resident_name)
		return account_name;
	if ((user_id && user_id == ctx->who.user_id) ||
	    (resident_region && api_reaches(ctx, BASE_READERS, resident_region)))
		return resident_name;
	char masked[16];
	mask_name(resident_name, masked, sizeof masked);
	return arena_strdup(&req->arena, masked);
}

json_t *service_booking_json(struct http_req *req, const struct service_booking_row *b, bool staff)
{
	json_t *o = json_object();
	json_set_int(o, "id", b->id);
	json_set_int(o, "slot_id", b->slot_id);
	json_set_str(o, "service", b->service);
	json_set_str(o, "kind", b->kind);
	json_set_str(o, "place", b->place);
	json_set_str(o, "region_code", b->region_code);
	json_set_time(o, "starts_at", b->starts_at);
	json_set_time(o, "ends_at", b->ends_at);
	json_set_str(o, "status", b->cancelled ? "cancelled" : "booked");
	if (b->attended < 0)
		json_object_set_new(o, "attended", json_null());
	else
		json_set_bool(o, "attended", b->attended == 1);
	if (b->resident_id)
		json_set_int(o, "resident_id", b->resident_id);
	else
		json_object_set_new(o, "resident_id", json_null());
	if (b->reception_day_id)
		json_set_int(o, "reception_day_id", b->reception_day_id);
	else
		json_object_set_new(o, "reception_day_id", json_null());
	json_set_str(o, "topic", b->topic);
	json_set_time(o, "created_at", b->created_at);
	if (staff) {
		json_set_str(o, "name",
		             services_person_name(req, b->user_id, b->account_name,
		                                  b->resident_name, b->resident_region));
		/* who made it: staff for a resident record, or the account itself */
		json_set_str(o, "booked_for", b->user_id ? "account" : "resident");
	}
	return o;
}

void services_own_person(struct http_req *req, struct service_booking_row *b)
{
	b->user_id = api_ctx(req)->who.user_id;
	b->resident_id = services_own_resident(req);
	b->person = b->resident_id
	                ? arena_printf(&req->arena, "resident:%lld", (long long)b->resident_id)
	                : arena_printf(&req->arena, "user:%lld", (long long)b->user_id);
}

bool services_book(struct http_req *req, const struct service_slot_row *s,
                   struct service_booking_row *b)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t now = time_now();
	/* In the write transaction (the writers' lock on every backend), so the count read
	 * with the slot is the count the insert is checked against. */
	const char *refused = s->cancelled               ? "该时段已取消"
	                      : s->starts_at <= now      ? "该时段已开始，不能再预约"
	                      : s->booked >= s->capacity ? "该时段已约满"
	                                                 : NULL;
	if (refused) {
		api_problem(req, 409, refused);
		return false;
	}
	b->slot_id = s->id;
	b->region_code = s->region_code;
	b->reception_day_id = s->reception_day_id;
	b->booked_by = ctx->who.user_id;
	b->created_at = now;
	enum db_result r = store_service_bookings_insert(ctx->db, b);
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409,
		            s->reception_day_id ? "您已预约了当天的接待，每人每天限约一次"
		                                : "已预约该时段，不能重复预约");
		return false;
	}
	if (!api_stored(req, r))
		return false;
	store_service_bookings_get(ctx->db, &req->arena, b->id, b);
	return true;
}

/* The caller's own booking: made by the account for itself, or holding a place for the
 * resident the account speaks for now (booked by staff, or by an account linked before). */
static bool booking_own(struct http_req *req, const struct service_booking_row *b)
{
	struct api_ctx *ctx = api_ctx(req);
	if (ctx->who.user_id && b->user_id == ctx->who.user_id)
		return true;
	return b->resident_id && b->resident_id == services_own_resident(req);
}

/* A booking is seen by its person's account and by staff over its region. */
static bool booking_seen(struct http_req *req, const void *obj)
{
	const struct service_booking_row *b = obj;
	return booking_own(req, b) || api_reaches(api_ctx(req), SERVICE_READERS, b->region_code);
}

API_LOADER(booking, "预约", 0, booking_seen, struct service_booking_row, store_service_bookings_get,
           region_code)

static json_t *staff_item(struct http_req *req, const void *row)
{
	return service_booking_json(req, row, true);
}

static json_t *own_item(struct http_req *req, const void *row)
{
	return service_booking_json(req, row, false);
}

void service_bookings_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!api_unpaged(req))
		return;
	int64_t day = 0;
	bool has_day;
	if (!services_query_day(req, "date", &day, &has_day))
		return;
	const char *region;
	if (!base_region_param(req, &region))
		return;
	struct service_booking_row *rows = NULL;
	size_t n = 0;
	enum db_result r;
	if (has_day) {
		/* The day's list: the bookings of slots starting that day under the caller's
		 * reach (an empty list without a staff grant). */
		struct scopes sc;
		base_scopes(ctx, SERVICE_READERS, region, &sc);
		r = store_service_bookings_day(ctx->db, &req->arena, &sc, services_day_start(day),
		                               services_day_start(day) + 86400, &rows, &n);
		if (!api_stored(req, r))
			return;
		api_respond_rows(req, rows, n, sizeof *rows, staff_item, NULL);
		return;
	}
	/* The caller's own bookings of slots not ended a week ago: the account's, and those
	 * holding a place for the resident it speaks for. */
	r = ctx->who.user_id
	        ? store_service_bookings_of_user(ctx->db, &req->arena, ctx->who.user_id,
	                                         services_own_resident(req), time_now() - 7 * 86400,
	                                         &rows, &n)
	        : DB_OK;
	if (!api_stored(req, r))
		return;
	api_respond_rows(req, rows, n, sizeof *rows, own_item, NULL);
}

static void respond_booking(struct http_req *req, struct service_booking_row *b)
{
	struct api_ctx *ctx = api_ctx(req);
	ctx->audit_object = arena_printf(&req->arena, "service_booking:%lld", (long long)b->id);
	store_service_bookings_get(ctx->db, &req->arena, b->id, b);
	api_json(req, 200,
	         service_booking_json(req, b, api_reaches(ctx, SERVICE_READERS, b->region_code)));
}

bool services_cancel(struct http_req *req, const struct service_booking_row *b)
{
	if (b->cancelled) {
		api_problem(req, 409, "预约已取消");
		return false;
	}
	int64_t now = time_now();
	if (b->starts_at <= now) {
		api_problem(req, 409, "该时段已开始，不能取消");
		return false;
	}
	enum db_result r = store_service_bookings_cancel(api_ctx(req)->db, b->id, now);
	if (r == DB_DONE) {
		api_problem(req, 409, "预约已取消");
		return false;
	}
	return api_stored(req, r);
}

void service_bookings_cancel_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct service_booking_row b;
	if (!booking_from_path(req, &b))
		return;
	bool own = booking_own(req, &b);
	if (!own && !api_reaches(ctx, SERVICE_STAFF, b.region_code)) {
		api_problem(req, 403, "只能取消本人的预约或所管理区域的预约");
		return;
	}
	if (!services_cancel(req, &b))
		return;
	respond_booking(req, &b);
}

void service_bookings_attend_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct service_booking_row b;
	if (!booking_from_path(req, &b))
		return;
	struct api_input in;
	if (!api_write_begin(req, SERVICE_STAFF, b.region_code, "只有该区域的工作人员可以登记到场",
	                     &in))
		return;
	bool attended = false, present = false;
	api_bool(&in, "attended", &attended, &present);
	if (!present && json_array_size(in.errors) == 0)
		api_field_error(&in, "attended", "required", "请填写是否到场");
	if (!api_input_end(req, &in))
		goto out;
	if (b.cancelled) {
		api_problem(req, 409, "预约已取消");
		goto out;
	}
	if (b.starts_at > time_now() + 86400) {
		api_problem(req, 409, "时段尚未到来，不能登记到场");
		goto out;
	}
	enum db_result r = store_service_bookings_attend(ctx->db, b.id, attended, time_now());
	if (!api_stored(req, r))
		goto out;
	respond_booking(req, &b);
out:
	api_input_free(&in);
}

size_t services_remind(struct db *db, int64_t now)
{
	struct arena a;
	arena_init(&a);
	struct service_booking_row *rows;
	size_t n = 0, done = 0;
	/* A read first, so that a node with nothing due does not take the writers' lock every
	 * poll; the write transaction reads again (another node may have sent them). */
	if (store_service_reminders_due(db, &a, now, 86400, 1, &rows, &n) != DB_OK || n == 0 ||
	    db_begin_write(db) != DB_OK) {
		arena_free(&a);
		return 0;
	}
	enum db_result r = store_service_reminders_due(db, &a, now, 86400, 100, &rows, &n);
	for (size_t i = 0; r == DB_OK && i < n; i++) {
		char at[TIME_RFC3339_LEN];
		time_format(rows[i].starts_at, at);
		struct notification_row note = {
		    .created_at = now,
		    .user_id = rows[i].user_id,
		    .kind = "service_reminder",
		    .title = arena_printf(&a, "预约提醒：%s", rows[i].service),
		    .body = arena_printf(&a, "%.16s %s", at, rows[i].place ? rows[i].place : "")};
		r = store_notifications_add(db, &note);
		if (r == DB_OK)
			r = store_service_bookings_reminded(db, rows[i].id, now);
		done++;
	}
	if (r != DB_OK || db_commit(db) != DB_OK) {
		db_rollback(db);
		done = 0;
	}
	arena_free(&a);
	return done;
}
