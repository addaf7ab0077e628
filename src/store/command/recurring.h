/* Recurring problems (反复发生问题): kept as cases arrive (store_recurring_note, in the case
 * insert's transaction), read by region like base data, taken up into a campaign. */
#ifndef JICENG_STORE_COMMAND_RECURRING_H
#define JICENG_STORE_COMMAND_RECURRING_H

#include "domain/recurring.h"
#include "store/base/base.h"
#include "store/cases/cases.h"

struct recurring_row {
	int64_t id;              /* first: the list's cursor reads it */
	const char *region_code; /* the grid of its earliest case */
	const char *category, *category_name, *region_name, *address, *status; /* open, taken */
	int64_t building_id;                                                   /* 0: none */
	const char *building_name;
	bool has_point;
	double lat, lon;
	int64_t first_case_id, first_at, last_at, case_count, created_at, updated_at;
	int64_t item_id, item_campaign_id; /* the campaign item made of it, 0: none */
	int64_t topic_id;                  /* the topic made of it (migration 33), 0: none */
};

/* A case just inserted (c->id set): it joins a problem of its category in its community whose
 * place is its place and whose span it falls within a window of, or, with the cases at its
 * place in no problem yet, reaches rule's count within its weeks and makes a new problem.
 * Reads at most a bounded number of index entries (domain/recurring.h); rule may be NULL or
 * hold zeros for the defaults. */
enum db_result store_recurring_note(struct db *db, struct arena *a, const struct case_row *c,
                                    const struct recur_rule *rule);
enum db_result store_recurring_get(struct db *db, struct arena *a, int64_t id,
                                   struct recurring_row *out);
/* Problems under the scopes, optionally of one status, in (region_code, id) order after after. */
enum db_result store_recurring_list(struct db *db, struct arena *a, const struct scopes *sc,
                                    const char *status, struct page_after after, int limit,
                                    struct recurring_row **rows, size_t *n);
/* The ids of a problem's cases, newest first, up to limit. */
enum db_result store_recurring_case_ids(struct db *db, struct arena *a, int64_t id, int limit,
                                        int64_t **ids, size_t *n);
/* Marks an open problem taken up; DB_DONE when it is not open (taken already). */
enum db_result store_recurring_take(struct db *db, int64_t id, int64_t now);
/* Marks an open problem taken up as the topic; DB_DONE when it is not open. */
enum db_result store_recurring_take_topic(struct db *db, int64_t id, int64_t topic_id, int64_t now);

/* The problem the topic was made of (*id 0: none); DB_OK or an error. */
enum db_result store_recurring_of_topic(struct db *db, int64_t topic_id, int64_t *id);

#endif
