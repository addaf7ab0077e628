/* Sweeps (扫楼): campaigns over a region, the visits grid workers record
 * house by house, and the coverage counts ("一户不漏"); group-rental
 * rectification items (五个一批) with their event trail; import records. */
#ifndef JICENG_STORE_SWEEPS_H
#define JICENG_STORE_SWEEPS_H

#include "store/base/base.h"

struct sweep_row {
	int64_t id, created_by, created_at, updated_at;
	const char *name, *region_code, *starts_on, *ends_on, *status, *note;
};

struct visit_row {
	int64_t id, sweep_id, house_id, visitor_id, at;
	const char *region_code, *visitor, *outcome, *use, *note;
	const char *occupants, *hazards, *photos; /* JSON text */
	const char *house_label;                  /* filled by listings */
};

/* A house on a worklist with the last visit of the sweep (visit.id 0: none). */
struct work_item {
	struct house_row house;
	struct visit_row visit;
};

/* Counts for one region of a progress table. */
struct coverage_row {
	const char *region_code;
	int64_t houses, visited;
};

enum db_result store_sweeps_insert(struct db *db, struct sweep_row *s);
enum db_result store_sweeps_get(struct db *db, struct arena *a, int64_t id, struct sweep_row *out);
enum db_result store_sweeps_update(struct db *db, const struct sweep_row *s);
/* Every sweep (newest first), status NULL for any; callers filter by region. */
enum db_result store_sweeps_all(struct db *db, struct arena *a, const char *status, int limit,
                                struct sweep_row **rows, size_t *n);

/* state: "pending" (no 'visited' visit yet), "visited", or NULL for all. */
enum db_result store_sweep_worklist(struct db *db, struct arena *a, int64_t sweep_id,
                                    const struct scopes *sc, const char *state,
                                    struct page_after after, int limit, struct work_item **rows,
                                    size_t *n);
enum db_result store_visits_insert(struct db *db, struct visit_row *v);
/* Visits of a sweep, newest first, for one house (house_id > 0) or under a region prefix. */
enum db_result store_visits_list(struct db *db, struct arena *a, int64_t sweep_id, int64_t house_id,
                                 const char *region, int64_t before_id, int limit,
                                 struct visit_row **rows, size_t *n);
/* Houses and houses visited under prefix, grouped by the first group_len code characters. */
enum db_result store_sweep_coverage(struct db *db, struct arena *a, int64_t sweep_id,
                                    const char *prefix, int group_len, struct coverage_row **rows,
                                    size_t *n);
/* Active residents and houses under prefix last verified before cutoff. */
enum db_result store_stale_counts(struct db *db, const char *prefix, int64_t cutoff,
                                  int64_t *residents, int64_t *houses);

/* ---- rectification ---- */

struct rectification_row {
	int64_t id, house_id, sweep_id, visit_id, case_id, created_by, verified_by, verified_at;
	int64_t created_at, updated_at;
	const char *region_code, *problem, *methods, *status, *deadline, *result, *house_label;
};

struct rectification_event {
	int64_t id, rectification_id, at, actor_id;
	const char *actor, *action, *from_status, *to_status, *methods, *comment;
};

struct rectify_counts {
	const char *region_code;
	int64_t total, verified, overdue;
};

enum db_result store_rectifications_insert(struct db *db, struct rectification_row *r);
enum db_result store_rectifications_get(struct db *db, struct arena *a, int64_t id,
                                        struct rectification_row *out);
enum db_result store_rectifications_update(struct db *db, const struct rectification_row *r);
/* Points the items a visit just opened (same sweep and house, made at now) at the visit. */
enum db_result store_rectifications_link_visit(struct db *db, int64_t sweep_id, int64_t house_id,
                                               int64_t visit_id, int64_t now);
/* today: "YYYY-MM-DD" for overdue; status NULL any. */
enum db_result store_rectifications_list(struct db *db, struct arena *a, const struct scopes *sc,
                                         const char *status, bool overdue, const char *today,
                                         struct page_after after, int limit,
                                         struct rectification_row **rows, size_t *n);
enum db_result store_rectification_events_add(struct db *db, const struct rectification_event *e);
enum db_result store_rectification_events_list(struct db *db, struct arena *a, int64_t id,
                                               struct rectification_event **rows, size_t *n);
enum db_result store_rectification_counts(struct db *db, struct arena *a, const char *prefix,
                                          int group_len, const char *today,
                                          struct rectify_counts **rows, size_t *n);

/* ---- imports ---- */

struct import_row {
	int64_t id, user_id, at, rows, created, updated, failed;
	const char *kind, *format, *actor, *mode, *status, *errors; /* errors: CSV text */
	bool dry_run;
};

enum db_result store_imports_insert(struct db *db, struct import_row *r);
/* with_errors: also load the error report. */
enum db_result store_imports_get(struct db *db, struct arena *a, int64_t id, bool with_errors,
                                 struct import_row *out);
/* Newest first; user_id > 0 limits to one user's imports. */
enum db_result store_imports_list(struct db *db, struct arena *a, int64_t user_id,
                                  int64_t before_id, int limit, struct import_row **rows,
                                  size_t *n);

#endif
