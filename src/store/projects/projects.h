/* Projects (民生实事, 老旧小区改造, 政府购买服务), their milestones, append-only spending
 * and state history (store/projects/projects.c). */
#ifndef JICENG_STORE_PROJECTS_H
#define JICENG_STORE_PROJECTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/base/base.h"
#include "store/db.h"

struct project_row {
	int64_t id, budget_fen, spent_fen, link_id, created_by, created_at, updated_at, version;
	int64_t milestones, milestones_done; /* counts, filled by reads */
	int64_t link_pairing_id;             /* a linked commitment's pairing, filled by reads */
	const char *region_code, *region_name, *kind, *title, *description, *responsible_unit,
	    *state, *link_kind, *starts_on, *ends_on;
	const char *link_title; /* the linked record's title, filled by reads */
};

struct project_filter {
	const char *state, *kind, *unit, *link_kind; /* NULL: any */
	int64_t link_id;                             /* 0: any */
	int64_t pairing_id; /* 0: any; else linked to a commitment of this pairing */
};

enum db_result store_projects_insert(struct db *db, struct project_row *p);
enum db_result store_projects_get(struct db *db, struct arena *a, int64_t id,
                                  struct project_row *out);
/* Moves the project to state at at; the version goes one up. */
enum db_result store_projects_set_state(struct db *db, int64_t id, const char *state, int64_t at);
/* Writes the edit (title, description, kind, budget, responsible unit, dates, updated_at) and
 * takes the version one up, only while the stored version is p->version and the new budget
 * is not below what is spent, unless it is not lowered or budget_reason is given: DB_DONE
 * (nothing written) when either fails. */
enum db_result store_projects_edit(struct db *db, const struct project_row *p,
                                   const char *budget_reason);
/* Projects under the scopes, by (region_code, id) from after. */
enum db_result store_projects_walk(struct db *db, struct arena *a, const struct scopes *sc,
                                   const struct project_filter *f, struct page_after after,
                                   int limit, struct project_row **rows, size_t *n);

enum { PROJECTS_PUBLIC_MAX = 200 };
/* The projects at prefix or below it that are disclosed (underway, completed or accepted),
 * newest first, at most PROJECTS_PUBLIC_MAX. */
enum db_result store_projects_public(struct db *db, struct arena *a, const char *prefix,
                                     struct project_row **rows, size_t *n);

struct project_milestone_row {
	int64_t id, project_id, created_at, updated_at;
	const char *title, *due_on, *done_on, *photos;
};

enum db_result store_project_milestones_insert(struct db *db, struct project_milestone_row *m);
enum db_result store_project_milestones_get(struct db *db, struct arena *a, int64_t id,
                                            struct project_milestone_row *out);
enum db_result store_project_milestones_update(struct db *db,
                                               const struct project_milestone_row *m);
enum db_result store_project_milestones_list(struct db *db, struct arena *a, int64_t project_id,
                                             struct project_milestone_row **rows, size_t *n);

struct project_spending_row {
	int64_t id, project_id, amount_fen, created_by, created_at;
	const char *spent_on, *note, *over_reason;
};

/* Adds the entry and its amount to the project's total in one step: DB_DONE (nothing written)
 * when the total would exceed the budget and the entry gives no over-budget reason. */
enum db_result store_project_spending_add(struct db *db, struct project_spending_row *s);
enum db_result store_project_spending_list(struct db *db, struct arena *a, int64_t project_id,
                                           struct project_spending_row **rows, size_t *n);

struct project_event_row {
	int64_t id, project_id, user_id, at;
	const char *action, *from_state, *to_state, *comment, *user_name;
};

enum db_result store_project_events_add(struct db *db, const struct project_event_row *e);
enum db_result store_project_events_list(struct db *db, struct arena *a, int64_t project_id,
                                         struct project_event_row **rows, size_t *n);

#endif
