/* /api/v1/reception-days/{id}/bookings and /api/v1/reception-bookings: residents book a slot of
 * a reception day for themselves, list and cancel their bookings. A booking is a service
 * booking of the day's reception slot (services_book: capacity counted in the write
 * transaction, one live booking per person and day, the day-before reminder through the
 * outbox, attendance at /service-bookings/{id}/attendance); an id handed out before migration
 * 33 still names its booking (store_reception_booking_get). */
#include "api/party/party.h"
#include "api/services/services.h"
#include "core/timeutil.h"

#include <string.h>

static json_t *booking_json(struct http_req *req, const struct service_booking_row *b)
{
	json_t *o = json_object();
	json_set_int(o, "id", b->id);
	json_set_int(o, "day_id", b->reception_day_id);
	json_set_int(o, "slot_id", b->slot_id);
	json_set_str(o, "held_on", reception_local_date(req, b->starts_at));
	json_set_str(o, "slot_starts", reception_local_hhmm(req, b->starts_at));
	json_set_str(o, "topic", b->topic);
	json_set_str(o, "status", b->cancelled ? "cancelled" : "booked");
	json_set_time(o, "created_at", b->created_at);
	return o;
}

/* The answer of every write to a booking: audited under its id, read back whole. */
static void respond_booking(struct http_req *req, int status, struct service_booking_row *b)
{
	party_audit(req, "service_booking", b->id);
	store_service_bookings_get(api_ctx(req)->db, &req->arena, b->id, b);
	api_json(req, status, booking_json(req, b));
}

void reception_bookings_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct reception_day_row d;
	bool as_resident;
	if (!reception_load_day(req, &d, &as_resident))
		return;
	if (!as_resident) {
		api_problem(req, 403, "只有本社区居民可以预约接待日");
		return;
	}
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct service_booking_row b;
	memset(&b, 0, sizeof b);
	struct service_slot_row s;
	memset(&s, 0, sizeof s);
	int64_t slot_id = 0;
	if (party_id_field(&in, "slot_id", true, &slot_id, NULL) &&
	    store_service_slot_of_day(ctx->db, &req->arena, d.id, slot_id, &s) != DB_ROW)
		api_field_error(&in, "slot_id", "unknown", "该接待日没有这个时段");
	b.topic = api_string(&in, "topic", false, 200, NULL);
	if (!api_input_end(req, &in))
		goto out;
	if (d.cancelled) {
		api_problem(req, 409, "接待日已取消");
		goto out;
	}
	if (strcmp(d.held_on, reception_today(req)) < 0) {
		api_problem(req, 409, "接待日已过");
		goto out;
	}
	services_own_person(req, &b);
	if (services_book(req, &s, &b))
		respond_booking(req, 201, &b);
out:
	api_input_free(&in);
}

void reception_bookings_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!api_unpaged(req))
		return;
	struct service_booking_row *rows;
	size_t n = 0;
	enum db_result r =
	    ctx->who.user_id
	        ? store_reception_bookings_of_user(ctx->db, &req->arena, ctx->who.user_id,
	                                           services_own_resident(req), &rows, &n)
	        : DB_OK;
	if (!api_stored(req, r))
		return;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, booking_json(req, &rows[i]));
	api_json(req, 200, api_list(items, NULL));
}

/* A booking is its person's own: the account that made it, or the account speaking for the
 * resident it holds a place for. Staff cancel at /service-bookings. */
static bool booking_own(struct http_req *req, const void *obj)
{
	const struct service_booking_row *b = obj;
	int64_t me = api_ctx(req)->who.user_id;
	return me && (b->user_id == me ||
	              (b->resident_id && b->resident_id == services_own_resident(req)));
}

API_LOADER(booking, "预约", 0, booking_own, struct service_booking_row, store_reception_booking_get,
           region_code)

void reception_bookings_cancel_h(struct http_req *req)
{
	struct service_booking_row b;
	if (booking_from_path(req, &b) && services_cancel(req, &b))
		respond_booking(req, 200, &b);
}
