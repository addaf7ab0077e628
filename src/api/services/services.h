/* Services brought down to residents (服务下沉), api/services/: appointment slots
 * (slots.c), bookings (bookings.c), care targets and visits (care.c, care_visits.c), the
 * service catalogue (items.c) and online service requests (requests.c). */
#ifndef JICENG_API_SERVICES_H
#define JICENG_API_SERVICES_H

#include "api/base/base.h"
#include "store/services/services.h"

/* Staff who publish slots, book for residents, mark attendance and record care visits:
 * managers, grid leaders and grid workers over the region (as base-data writers). */
#define SERVICE_STAFF BASE_WRITERS
/* Staff who read slots, bookings and care targets over the region. */
#define SERVICE_READERS BASE_READERS
/* Staff who keep the service catalogue and handle online service requests over the item's
 * region (items.c, requests.c). */
#define SERVICE_MANAGERS ROLES_MANAGERS

void service_slots_list_h(struct http_req *req);
void service_slots_create_h(struct http_req *req);
void service_slots_get_h(struct http_req *req);
void service_bookings_create_h(struct http_req *req);
void service_bookings_list_h(struct http_req *req);
void service_bookings_cancel_h(struct http_req *req);
void service_bookings_attend_h(struct http_req *req);
void care_targets_list_h(struct http_req *req);
void care_targets_create_h(struct http_req *req);
void care_targets_get_h(struct http_req *req);
void care_targets_coverage_h(struct http_req *req);
void care_visits_create_h(struct http_req *req);
void service_items_list_h(struct http_req *req);
void service_items_create_h(struct http_req *req);
void service_items_get_h(struct http_req *req);
void service_items_patch_h(struct http_req *req);
void service_requests_list_h(struct http_req *req);
void service_requests_create_h(struct http_req *req);
void service_requests_get_h(struct http_req *req);
void service_requests_action_h(struct http_req *req);

/* The grid of the caller's first resident grant, or NULL. */
const char *services_resident_grid(const struct api_ctx *ctx);
/* The resident record a resident account speaks for (users.resident_id, read as stored now,
 * never from the session), or 0: staff, an unlinked account, or an error reading it. */
int64_t services_own_resident(struct http_req *req);
/* "YYYY-MM-DD" query parameter name as a local day; *present false when absent; false after
 * responding 400. */
bool services_query_day(struct http_req *req, const char *name, int64_t *day, bool *present);
/* The first second (UTC) of a local day. */
int64_t services_day_start(int64_t day);
/* A care target as JSON, its alert judged at as_of_day (care.c). */
json_t *care_target_json(const struct care_target_row *t, int64_t as_of_day);
/* The target is seen: readers over its grid, a restricted kind only managers (care.c). */
bool care_target_seen(struct http_req *req, const void *obj);
/* A target's visits, newest first (care_visits.c). */
json_t *care_visits_json(struct http_req *req, int64_t target_id);
json_t *service_item_json(const struct service_item_row *it);
/* A booking as JSON; staff adds whose place it is ("name", services_person_name) and who made
 * it. */
json_t *service_booking_json(struct http_req *req, const struct service_booking_row *b, bool staff);
/* The name a person behind a booking or a request shows the caller: without a resident record,
 * the account's display name; with one, its name in full for the account itself and for
 * readers of base data over the resident's grid (who read it at /residents too), else masked
 * ("张**", mask_name). */
const char *services_person_name(struct http_req *req, int64_t user_id, const char *account_name,
                                 const char *resident_name, const char *resident_region);
/* Fills b's person for the caller's own booking: the resident record its account speaks for
 * ("resident:<id>"), else the account itself ("user:<id>"). */
void services_own_person(struct http_req *req, struct service_booking_row *b);
/* Books b (its person filled) on slot s, read in this write transaction: 409 when the slot is
 * cancelled, has started or is full, or when the person already holds a place on it (or, on
 * a reception slot, on that day); true with b read back. Every booking, of a service slot or
 * of a reception day, is made here. */
bool services_book(struct http_req *req, const struct service_slot_row *s,
                   struct service_booking_row *b);
/* Cancels booking b, whoever may: 409 when it is cancelled already or its slot has started;
 * false after answering. Both the service and the reception routes cancel here. */
bool services_cancel(struct http_req *req, const struct service_booking_row *b);
/* Sends the day-before reminders that are due through the notification outbox: each live
 * booking by an account of a slot starting within 24 hours gets one notification. Runs in
 * its own write transaction on db (the outbox sender's connection); how many were queued. */
size_t services_remind(struct db *db, int64_t now);

#endif
