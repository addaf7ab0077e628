/* Services brought down to residents (服务下沉): appointment slots and bookings
 * (store/services/slots.c), care targets and their visits (store/services/care.c). */
#ifndef JICENG_STORE_SERVICES_H
#define JICENG_STORE_SERVICES_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/base/base.h"
#include "store/db.h"

/* ---- appointment slots ---- */

/* kind: "service" (published at /service-slots) or "reception" (a slot of the reception day
 * reception_day_id, written by /reception-days). */
struct service_slot_row {
	int64_t id, starts_at, ends_at, capacity, booked, created_by, created_at, updated_at;
	int64_t reception_day_id; /* 0: none */
	const char *service, *region_code, *region_name, *place, *kind;
	bool cancelled;
};

/* kind NULL is "service". */
enum db_result store_service_slots_insert(struct db *db, struct service_slot_row *s);
enum db_result store_service_slots_get(struct db *db, struct arena *a, int64_t id,
                                       struct service_slot_row *out);
/* The slots of a reception day, by start time. */
enum db_result store_service_slots_of_day(struct db *db, struct arena *a, int64_t day_id,
                                          struct service_slot_row **rows, size_t *n);
/* The slot of a reception day named id: its own id, or the id it had before migration 34
 * (reception_moved_ids). DB_DONE when the day has no such slot. */
enum db_result store_service_slot_of_day(struct db *db, struct arena *a, int64_t day_id, int64_t id,
                                         struct service_slot_row *out);
/* Cancels every slot of a reception day (their bookings stay; no reminder goes out). */
enum db_result store_service_slots_cancel_day(struct db *db, int64_t day_id, int64_t now);
/* Which slots a list shows: of one service and one kind (NULL: any), ending after from and
 * starting before to (0: no bound). */
struct service_slot_filter {
	const char *service;
	const char *kind; /* "service" or "reception" */
	int64_t from, to;
};
/* The slots in the scopes sc (staff) that the filter lets through, in (region_code, id) order
 * after `after`. */
enum db_result store_service_slots_walk(struct db *db, struct arena *a, const struct scopes *sc,
                                        const struct service_slot_filter *f,
                                        struct page_after after, int limit,
                                        struct service_slot_row **rows, size_t *n);
/* The open slots a resident of grid may book that the filter lets through: at the grid or a
 * region above it, in id order after after_id. */
enum db_result store_service_slots_for_grid(struct db *db, struct arena *a, const char *grid,
                                            const struct service_slot_filter *f, int64_t after_id,
                                            int limit, struct service_slot_row **rows, size_t *n);

/* ---- bookings ---- */

struct service_booking_row {
	int64_t id, slot_id, user_id, resident_id, booked_by, reminded_at, created_at, updated_at;
	int64_t reception_day_id; /* a reception slot's day (0: a service slot) */
	int attended;             /* -1: not marked, 0 absent, 1 present */
	const char *region_code, *person, *topic;
	bool cancelled;
	/* read with the booking: the slot's service, kind, place and times, and whose place it is:
	 * the resident record's name and grid (NULL without a resident) and the account's display
	 * name (NULL without an account) */
	const char *service, *kind, *place, *resident_name, *resident_region, *account_name;
	int64_t starts_at, ends_at;
};

/* DB_CONSTRAINT when the person already holds a live booking on the slot or, for a reception
 * slot (reception_day_id set), on another slot of the same day. */
enum db_result store_service_bookings_insert(struct db *db, struct service_booking_row *b);
enum db_result store_service_bookings_get(struct db *db, struct arena *a, int64_t id,
                                          struct service_booking_row *out);
/* A booking of a reception slot named id: its own id, or the id it had before migration 34
 * (reception_moved_ids). DB_DONE when there is none. */
enum db_result store_reception_booking_get(struct db *db, struct arena *a, int64_t id,
                                           struct service_booking_row *out);
/* The live bookings of a reception day, newest first. */
enum db_result store_service_bookings_of_day(struct db *db, struct arena *a, int64_t day_id,
                                             struct service_booking_row **rows, size_t *n);
/* An account's reception bookings (cancelled too), newest first (at most 500): those it made
 * and, resident_id not 0, those holding a place for that resident. */
enum db_result store_reception_bookings_of_user(struct db *db, struct arena *a, int64_t user_id,
                                                int64_t resident_id,
                                                struct service_booking_row **rows, size_t *n);
enum db_result store_service_bookings_cancel(struct db *db, int64_t id, int64_t now);
enum db_result store_service_bookings_attend(struct db *db, int64_t id, bool attended, int64_t now);
/* A slot's live bookings, in booking order. */
enum db_result store_service_bookings_of_slot(struct db *db, struct arena *a, int64_t slot_id,
                                              struct service_booking_row **rows, size_t *n);
/* An account's own bookings (cancelled too) of slots ending after from, soonest first: those
 * it made and, resident_id not 0, those holding a place for that resident. */
enum db_result store_service_bookings_of_user(struct db *db, struct arena *a, int64_t user_id,
                                              int64_t resident_id, int64_t from,
                                              struct service_booking_row **rows, size_t *n);
/* The live bookings of slots in the scopes sc starting in [from, to): a day's list, by
 * start time (at most 2000). */
enum db_result store_service_bookings_day(struct db *db, struct arena *a, const struct scopes *sc,
                                          int64_t from, int64_t to,
                                          struct service_booking_row **rows, size_t *n);
/* Live bookings by an account of open slots starting in (now, now + ahead] that have no
 * reminder yet (at most limit). */
enum db_result store_service_reminders_due(struct db *db, struct arena *a, int64_t now,
                                           int64_t ahead, int limit,
                                           struct service_booking_row **rows, size_t *n);
enum db_result store_service_bookings_reminded(struct db *db, int64_t id, int64_t now);

/* ---- care targets ---- */

struct care_target_row {
	int64_t id, resident_id, every, since_day, last_visit_day, visits, created_by, created_at,
	    updated_at;
	const char *region_code, *kind, *resident_name, *region_name;
	bool restricted, ended;
};

/* The filter of a care target list. */
struct care_filter {
	const char *kind;     /* NULL: any */
	bool with_restricted; /* include restricted kinds */
	int alert;            /* 0 any, 1 overdue (red), 2 due soon or overdue */
	int64_t as_of_day;    /* the day alerts are judged at */
	int64_t soon_days;    /* the yellow window (CARE_SOON_DAYS) */
};

/* DB_CONSTRAINT when the resident already is an active target of that kind. */
enum db_result store_care_targets_insert(struct db *db, struct care_target_row *t);
enum db_result store_care_targets_get(struct db *db, struct arena *a, int64_t id,
                                      struct care_target_row *out);
/* The active targets in the scopes sc under filter f, in (region_code, id) order. */
enum db_result store_care_targets_walk(struct db *db, struct arena *a, const struct scopes *sc,
                                       const struct care_filter *f, struct page_after after,
                                       int limit, struct care_target_row **rows, size_t *n);

struct care_visit_row {
	int64_t id, target_id, visited_day, case_id, user_id, created_at;
	const char *region_code, *note, *photos, *user_name;
};

/* Inserts the visit and moves the target's last visit day (never back) and count. */
enum db_result store_care_visits_insert(struct db *db, struct care_visit_row *v);
/* A target's visits, newest first (at most 200). */
enum db_result store_care_visits_list(struct db *db, struct arena *a, int64_t target_id,
                                      struct care_visit_row **rows, size_t *n);

/* Monthly coverage of one grid: the active targets due a visit in the month (started before
 * its end) and how many of them were visited in it. */
struct care_coverage_row {
	const char *region_code, *region_name;
	int64_t due, visited;
};
/* Per grid in the scopes sc, for the days [from_day, to_day]. */
enum db_result store_care_coverage(struct db *db, struct arena *a, const struct scopes *sc,
                                   bool with_restricted, int64_t from_day, int64_t to_day,
                                   struct care_coverage_row **rows, size_t *n);

/* ---- the service catalogue (便民服务事项) and online requests (store/services/requests.c) ---- */

struct service_item_row {
	int64_t id, time_limit_days, created_by, created_at, updated_at;
	const char *region_code, *region_name, *level, *name, *description, *materials;
	bool active;
};

/* DB_CONSTRAINT when the region already has an item of that name. */
enum db_result store_service_items_insert(struct db *db, struct service_item_row *it);
enum db_result store_service_items_get(struct db *db, struct arena *a, int64_t id,
                                       struct service_item_row *out);
/* Writes name, description, materials, time limit and active; DB_CONSTRAINT on a name taken. */
enum db_result store_service_items_update(struct db *db, const struct service_item_row *it);
/* The items in the scopes sc (active only unless all), in (region_code, id) order. */
enum db_result store_service_items_walk(struct db *db, struct arena *a, const struct scopes *sc,
                                        bool all, struct page_after after, int limit,
                                        struct service_item_row **rows, size_t *n);
/* The active items a resident of grid may apply for: at its community or street, in id
 * order after after_id. */
enum db_result store_service_items_for_grid(struct db *db, struct arena *a, const char *grid,
                                            int64_t after_id, int limit,
                                            struct service_item_row **rows, size_t *n);

struct service_request_row {
	int64_t id, item_id, user_id, resident_id, started_at, due_at, closed_at, rating,
	    created_at, updated_at;
	const char *item_region, *region_code, *note, *photos, *status, *rating_comment;
	/* read with the request: applicant_name is the account's display name, resident_name and
	 * resident_region the resident record's (NULL without one) */
	const char *item_name, *item_level, *region_name, *applicant_name, *resident_name,
	    *resident_region;
	int64_t time_limit_days;
};

/* The filter of a request list. */
struct service_request_filter {
	const char *status; /* NULL: any */
	int64_t item_id;    /* 0: any */
	int64_t overdue_at; /* 0: any; else running requests due before it */
};

enum db_result store_service_requests_insert(struct db *db, struct service_request_row *q);
enum db_result store_service_requests_get(struct db *db, struct arena *a, int64_t id,
                                          struct service_request_row *out);
/* Moves the request from status from to q->status with its clock, close time and rating;
 * DB_DONE when it was no longer in from (another writer moved it). */
enum db_result store_service_requests_move(struct db *db, const struct service_request_row *q,
                                           const char *from);
/* The requests in the scopes sc under f, in (region_code, id) order. */
enum db_result store_service_requests_walk(struct db *db, struct arena *a, const struct scopes *sc,
                                           const struct service_request_filter *f,
                                           struct page_after after, int limit,
                                           struct service_request_row **rows, size_t *n);
/* An account's own requests, newest first, ids below before (0: newest). */
enum db_result store_service_requests_of_user(struct db *db, struct arena *a, int64_t user_id,
                                              int64_t before, int limit,
                                              struct service_request_row **rows, size_t *n);

struct service_request_event_row {
	int64_t id, request_id, at, user_id;
	const char *role, *action, *from_status, *to_status, *comment, *photos, *user_name;
	/* the photos' hashes (the same as photos), recorded against the request on add */
	const char *const *hashes;
	size_t nhashes;
};

/* Appends a timeline entry and records its photos against the request. */
enum db_result store_service_request_events_add(struct db *db, struct service_request_event_row *e);
enum db_result store_service_request_events_list(struct db *db, struct arena *a, int64_t request_id,
                                                 struct service_request_event_row **rows,
                                                 size_t *n);

#endif
