/* Campaigns (专项整治), their items on three lists with an append-only timeline, and joint
 * meetings (联席会议): rows and reads by id, by region (a code prefix range) and by source. */
#ifndef JICENG_STORE_COMMAND_CAMPAIGNS_H
#define JICENG_STORE_COMMAND_CAMPAIGNS_H

#include "store/db.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

struct campaign_row {
	int64_t id;
	const char *region_code, *title, *starts_on, *ends_on, *lead_unit, *description;
	const char *targets; /* JSON text: [{region_code, target_count}] */
	const char *status;  /* active, ended */
	int64_t created_by, created_at, updated_at;
};

struct citem_row {
	int64_t id, campaign_id;
	const char *list, *region_code, *title, *owner_unit;
	int64_t owner_user_id; /* 0: none */
	const char *deadline, *photos, *source_kind;
	int64_t source_id, source_n; /* source_n: a meeting's decision number, 0 otherwise */
	const char *state;
	int64_t done_by, done_at, verified_by, verified_at, created_by, created_at, updated_at;
};

struct citem_event {
	int64_t id, item_id, at, actor_id;
	const char *actor, *action, *from_state, *to_state, *comment, *photos;
};

struct meeting_row {
	int64_t id;
	const char *region_code, *held_on, *title;
	const char *units, *topics, *decisions; /* JSON arrays */
	int64_t created_by, created_at;
};

/* Per child region (the first child_len characters of the item's region code). */
struct citem_progress {
	const char *code;
	int64_t total, verified, overdue;
};

enum db_result store_campaigns_insert(struct db *db, struct campaign_row *c);
enum db_result store_campaigns_get(struct db *db, struct arena *a, int64_t id,
                                   struct campaign_row *out);
enum db_result store_campaigns_update(struct db *db, const struct campaign_row *c);
/* Campaigns newest first with ids below before (0: from the newest), up to limit: those whose
 * region lies under prefix, or (exact) whose region is prefix itself. */
enum db_result store_campaigns_list(struct db *db, struct arena *a, const char *prefix, bool exact,
                                    int64_t before, int limit, struct campaign_row **rows,
                                    size_t *n);

enum db_result store_citems_insert(struct db *db, struct citem_row *i);
enum db_result store_citems_get(struct db *db, struct arena *a, int64_t id, struct citem_row *out);
enum db_result store_citems_update(struct db *db, const struct citem_row *i);
/* A campaign's items under prefix, optionally of one list and state, newest first below
 * before (0: from the newest), up to limit. */
enum db_result store_citems_list(struct db *db, struct arena *a, int64_t campaign_id,
                                 const char *prefix, const char *list, const char *state,
                                 int64_t before, int limit, struct citem_row **rows, size_t *n);
/* The items of every campaign under prefix owned by unit (when non-NULL) or by the user
 * owner_user_id (when non-zero), optionally in one state, newest first below before. */
enum db_result store_citems_owned(struct db *db, struct arena *a, const char *prefix,
                                  const char *unit, int64_t owner_user_id, const char *state,
                                  int64_t before, int limit, struct citem_row **rows, size_t *n);
/* The items made from one source (kind, id), oldest first. */
enum db_result store_citems_by_source(struct db *db, struct arena *a, const char *kind, int64_t id,
                                      struct citem_row **rows, size_t *n);
/* Counts a campaign's items under prefix per child (code order): overdue is not verified and
 * past its deadline on today (YYYY-MM-DD). */
enum db_result store_citems_progress(struct db *db, struct arena *a, int64_t campaign_id,
                                     const char *prefix, size_t child_len, const char *today,
                                     struct citem_progress **rows, size_t *n);
enum db_result store_citem_events_add(struct db *db, const struct citem_event *e);
enum db_result store_citem_events_list(struct db *db, struct arena *a, int64_t item_id,
                                       struct citem_event **rows, size_t *n);
/* The region of a source record (kind: case, sweep_visit, rectification_item, commitment,
 * meeting, recurring_problem): DB_ROW with *region, DB_DONE when there is no such record. */
enum db_result store_citem_source_region(struct db *db, struct arena *a, const char *kind,
                                         int64_t id, const char **region);

enum db_result store_meetings_insert(struct db *db, struct meeting_row *m);
enum db_result store_meetings_get(struct db *db, struct arena *a, int64_t id,
                                  struct meeting_row *out);
enum db_result store_meetings_list(struct db *db, struct arena *a, const char *prefix, bool exact,
                                   int64_t before, int limit, struct meeting_row **rows, size_t *n);

/* A meeting's decision dispatched as a case (meeting_cases, migration 18). */
struct meeting_case_row {
	int64_t meeting_id, decision_n, case_id;
	const char *case_number;
	const char *meeting_title, *held_on; /* by_case only */
};
/* Links decision n of a meeting to a case: DB_CONSTRAINT when the decision already has one. */
enum db_result store_meeting_cases_insert(struct db *db, int64_t meeting_id, int64_t n,
                                          int64_t case_id, int64_t by, int64_t at);
/* The decisions of a meeting dispatched as cases, by decision number. */
enum db_result store_meeting_cases_list(struct db *db, struct arena *a, int64_t meeting_id,
                                        struct meeting_case_row **rows, size_t *n);
/* The meeting decision a case came from: DB_ROW, or DB_DONE when it came from none. */
enum db_result store_meeting_cases_by_case(struct db *db, struct arena *a, int64_t case_id,
                                           struct meeting_case_row *out);

#endif
