/* The working-day calendar (migration 16): the dates that differ from Monday–Friday —
 * statutory holidays on weekdays and 调休 weekend workdays — and a version every change bumps,
 * so each node knows when to re-read it. */
#ifndef JICENG_STORE_CALENDAR_H
#define JICENG_STORE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/deadline.h"
#include "store/db.h"

struct calendar_row {
	const char *day;  /* YYYY-MM-DD, local */
	const char *kind; /* "holiday" | "workday" */
	const char *name;
	bool provisional; /* seeded from the statutory dates, not yet the published schedule */
	int64_t updated_by, updated_at;
};

/* The calendar's version (bumped by every change). */
enum db_result store_calendar_version(struct db *db, int64_t *version);
/* The days in [from, to) in date order (both NULL: every day). */
enum db_result store_calendar_list(struct db *db, struct arena *a, const char *from, const char *to,
                                   struct calendar_row **rows, size_t *n);
/* Every day as the deadline arithmetic takes them (the days in a). */
enum db_result store_calendar_load(struct db *db, struct arena *a, struct work_calendar *out);
/* In a write transaction: sets the day (provisional cleared) and bumps the version; *created
 * when the day was not in the calendar before. */
enum db_result store_calendar_put(struct db *db, const struct calendar_row *row, bool *created);
/* In a write transaction: removes the day and bumps the version; DB_DONE when it was not there. */
enum db_result store_calendar_delete(struct db *db, const char *day);

#endif
