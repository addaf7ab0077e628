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
json_t *service_booking_json(const struct service_booking_row *b, bool staff);
/* Sends the day-before reminders that are due through the notification outbox: each live
 * booking by an account of a slot starting within 24 hours gets one notification. Runs in
 * its own write transaction on db (the outbox sender's connection); how many were queued. */
size_t services_remind(struct db *db, int64_t now);

#endif
