/* The command dashboard's counts (GET /api/v1/dashboard), read from rollups that triggers
 * keep in step with cases at every level of the region tree (migration 15): open and
 * supervised per region and category, open cases per day of their deadline, and reported and
 * closed per day. A region counts the cases of its whole subtree. */
#ifndef JICENG_STORE_COMMAND_DASHBOARD_H
#define JICENG_STORE_COMMAND_DASHBOARD_H

#include "store/db.h"

#include <stddef.h>
#include <stdint.h>

struct arena;

/* The open cases of one part of a region (a child, or the region itself). */
struct dashboard_open {
	const char *code; /* the child's code (the first child_len characters of region_code) */
	int64_t open, overdue, warning, supervised;
};

/* Counts the open cases under region at time now, grouped by the first child_len characters
 * of their region code (child_len = the region's own length: one group). Overdue: past the
 * deadline of the state (acceptance while reported, handling after); warning: not yet past
 * it but past 80 % of the time allowed. */
enum db_result store_dashboard_open(struct db *db, struct arena *a, const char *region,
                                    size_t child_len, int64_t now, struct dashboard_open **rows,
                                    size_t *n);

/* Open cases under region by category, most first, with the category's name. */
struct dashboard_category {
	const char *category, *name; /* name: NULL for a code the catalogue lost */
	int64_t open, reported;      /* reported: in the days [from_day, to_day] */
};
enum db_result store_dashboard_categories(struct db *db, struct arena *a, const char *region,
                                          int64_t from_day, int64_t to_day,
                                          struct dashboard_category **rows, size_t *n);

/* Reported and closed per day under region for the days [from_day, to_day] (days since
 * 1970-01-01 in Asia/Shanghai); days without cases are absent. */
struct dashboard_day {
	int64_t day, reported, closed;
};
enum db_result store_dashboard_days(struct db *db, struct arena *a, const char *region,
                                    int64_t from_day, int64_t to_day, struct dashboard_day **rows,
                                    size_t *n);

/* Planned households of the active grids under region, summed per the first child_len
 * characters of their codes (the measure "open cases per 1 000 households" divides by it). */
struct dashboard_households {
	const char *code;
	int64_t households;
};
enum db_result store_dashboard_households(struct db *db, struct arena *a, const char *region,
                                          size_t child_len, struct dashboard_households **rows,
                                          size_t *n);

/* What changed in cases, for the live dashboards (api/command/dashboard_events.c): every
 * write of a case adds to its timeline (case_events, append-only, ids ascending), so the
 * events after an id name the cases, and by them the regions, written since. */
struct dashboard_change {
	int64_t id;              /* the case event's */
	const char *region_code; /* its case's */
};
/* The case events with ids above after_id, in id order, at most limit. */
enum db_result store_dashboard_changes(struct db *db, struct arena *a, int64_t after_id, int limit,
                                       struct dashboard_change **rows, size_t *n);
/* The regions of open cases that turned overdue or yellow between the instants from and to
 * (as store_dashboard_open counts them): what time alone changed, with no write (ids 0), at
 * most limit, each region once. */
enum db_result store_dashboard_crossings(struct db *db, struct arena *a, int64_t from, int64_t to,
                                         int limit, struct dashboard_change **rows, size_t *n);
/* The highest case event id (0 when there is none). */
enum db_result store_dashboard_last_change(struct db *db, int64_t *id);

/* The day (Asia/Shanghai) of UTC time t, as case_days counts it. */
static inline int64_t dashboard_day_of(int64_t t)
{
	return (t + 8 * 3600) / 86400;
}

#endif
