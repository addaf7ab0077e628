/* Cases (事件), their append-only timeline, categories, the responsibility
 * list and the notification outbox. */
#ifndef JICENG_STORE_CASES_H
#define JICENG_STORE_CASES_H

#include "core/arena.h"
#include "domain/case_flow.h"
#include "domain/routing.h"
#include "store/db.h"

struct case_row {
	int64_t id;
	const char *number, *tracking_code, *category, *region_code, *description, *source;
	enum case_tier tier;
	enum case_state status;
	enum region_level level; /* the level handling it now: rises on escalation */
	bool has_location;
	double lat, lon;
	const char *address, *reporter_name;
	const unsigned char *reporter_phone; /* sealed */
	size_t reporter_phone_len;
	bool anonymous;
	/* An anonymous reporter's identity ({user_id, username, name, phone} as JSON), sealed:
	 * shown only through an audited reveal. NULL when the report is not anonymous. */
	const unsigned char *reporter_sealed;
	size_t reporter_sealed_len;
	bool publish_description; /* the reporter lets the public read the description */
	const char *public_reply; /* the reply written for the public (tracking, Open311) */
	int64_t reporter_user_id, rule_id, merged_into;
	int64_t building_id; /* the building it happened in, 0: none (migration 19) */
	const char *unit, *supervise_note, *result;
	int64_t accept_due, handle_due;
	bool supervised;
	enum case_rating rating;
	int64_t created_at, updated_at, accepted_at, handled_at, closed_at;
	/* Read with the row by store_cases_list only (names_read): the names of its category and
	 * region, NULL when there is no such row. */
	bool names_read;
	const char *category_name, *region_name;
};

struct case_event_row {
	int64_t id, case_id, at, actor_id;
	const char *actor, *role, *action, *comment, *unit, *photos; /* photos: JSON array */
	int from_state, to_state;                                    /* -1: none */
	int rating;       /* enum case_rating given with this entry (feedback), 0: none */
	const char *note; /* what the system adds (source, merge, routing), apart from comment */
};

struct case_filter {
	const char *region;       /* prefix: the subtree (required) */
	int status;               /* enum case_state, -1: any */
	const char *category;     /* NULL: any */
	const char *unit;         /* NULL: any (departments see their own unit's) */
	int64_t reporter_user_id; /* 0: any (residents see their own) */
	bool overdue, warning, supervised;
	int64_t now;
	int64_t before_id; /* paging: ids below this (0: from the newest) */
	int limit;
	/* reported in [created_from, created_to) (0: no bound); unclosed: status is not closed
	 * (what a closure rate's gap counts: rejected and open cases) */
	int64_t created_from, created_to;
	bool unclosed;
};

enum db_result store_cases_insert(struct db *db, struct case_row *c);
enum db_result store_cases_get(struct db *db, struct arena *a, int64_t id, struct case_row *out);
enum db_result store_cases_by_tracking(struct db *db, struct arena *a, const char *code,
                                       struct case_row *out);
/* Writes the mutable part of c: state, level, unit, deadlines, flags, rating, times. */
enum db_result store_cases_update(struct db *db, const struct case_row *c);
enum db_result store_cases_list(struct db *db, struct arena *a, const struct case_filter *f,
                                struct case_row **rows, size_t *n);
/* Counts per state under a region prefix, into counts[CASE_STATE_COUNT]. */
enum db_result store_cases_count_by_status(struct db *db, const struct case_filter *f,
                                           int64_t counts[CASE_STATE_COUNT]);
/* The highest serial used in numbers with this prefix ("SJ20261123"), 0 when none. */
enum db_result store_cases_last_serial(struct db *db, const char *prefix, int64_t *serial);
/* Likely duplicates of c (at most 10, newest first): among the 100 newest open cases of its
 * category in its community, other than c, those in its grid or in a box of about 50 m
 * around its location. */
enum db_result store_cases_open_nearby(struct db *db, struct arena *a, const struct case_row *c,
                                       struct case_row **rows, size_t *n);

/* Cases created in [start, end), optionally of one category, newest first; public_only keeps
 * the cases of public categories that are not private matters (read without a key). */
enum db_result store_cases_in_window(struct db *db, struct arena *a, const char *category,
                                     int64_t start, int64_t end, bool public_only, int limit,
                                     struct case_row **rows, size_t *n);

enum db_result store_case_events_add(struct db *db, const struct case_event_row *e);
enum db_result store_case_events_list(struct db *db, struct arena *a, int64_t case_id,
                                      struct case_event_row **rows, size_t *n);

struct category_row {
	const char *code, *name, *name_en, *description;
	enum case_tier default_tier;
	bool active;
	bool
	    is_public; /* its cases may be read without a key (never disputes or private matters) */
	int64_t sort, updated_at;
};

enum db_result store_categories_list(struct db *db, struct arena *a, bool active_only,
                                     struct category_row **rows, size_t *n);
enum db_result store_categories_get(struct db *db, struct arena *a, const char *code,
                                    struct category_row *out);
enum db_result store_categories_insert(struct db *db, const struct category_row *c);
enum db_result store_categories_update(struct db *db, const struct category_row *c);

struct rule_row {
	struct routing_rule rule;
	const char *note;
	int64_t created_at, updated_at;
};

/* All active rules, in id order (the order routing ties are broken in). */
enum db_result store_rules_list(struct db *db, struct arena *a, struct rule_row **rows, size_t *n);
enum db_result store_rules_get(struct db *db, struct arena *a, int64_t id, struct rule_row *out);
enum db_result store_rules_insert(struct db *db, struct rule_row *r);
enum db_result store_rules_update(struct db *db, const struct rule_row *r);
/* Rules are retired, not deleted: cases keep pointing at the rule that routed them. */
enum db_result store_rules_retire(struct db *db, int64_t id, int64_t now);

struct notification_row {
	int64_t id, created_at, case_id, user_id, read_at, sent_at;
	const char *role, *region_code, *unit, *kind, *title, *body;
};

enum db_result store_notifications_add(struct db *db, const struct notification_row *n);
/* Notifications for a user (user_id) or for a (role, region subtree[, unit]) target, newest
 * first, ids below before (0: newest). */
enum db_result store_notifications_for(struct db *db, struct arena *a, int64_t user_id,
                                       const char *role, const char *region, const char *unit,
                                       int64_t before, int limit, struct notification_row **rows,
                                       size_t *n);
enum db_result store_notifications_get(struct db *db, struct arena *a, int64_t id,
                                       struct notification_row *out);
enum db_result store_notifications_mark_read(struct db *db, int64_t id, int64_t now);
/* In a write transaction: claims for claimer, until the time until, up to limit notifications
 * not yet sent whose claim (if any) ran out by now, oldest first. */
enum db_result store_notifications_claim(struct db *db, struct arena *a, const char *claimer,
                                         int64_t now, int64_t until, int limit,
                                         struct notification_row **rows, size_t *n);
/* Records an attempt of claimer (sent when ok) and ends its claim; a claim another sender
 * took over meanwhile is left alone. */
enum db_result store_notifications_mark_sent(struct db *db, int64_t id, const char *claimer,
                                             int64_t now, bool ok);

struct photo_row {
	const char *hash, *mime;
	int64_t size, created_at, created_by;
};
/* DB_CONSTRAINT never: inserting a known hash is a no-op. */
enum db_result store_photos_add(struct db *db, const struct photo_row *p);
enum db_result store_photos_get(struct db *db, struct arena *a, const char *hash,
                                struct photo_row *out);
/* A photo's bytes (a known hash: a no-op). The photos row must exist. */
enum db_result store_photo_data_put(struct db *db, const char *hash, const void *data, size_t n);
/* DB_ROW with the bytes in *data, malloc'd for the caller to free; DB_DONE when the bytes
 * are missing (then *data is NULL). */
enum db_result store_photo_data_get(struct db *db, const char *hash, char **data, size_t *n);
/* Photos whose bytes are not in the database yet (files of a version before migration 9). */
enum db_result store_photos_without_data(struct db *db, struct arena *a, const char ***hashes,
                                         size_t *n);

#endif
