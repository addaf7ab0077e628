/* Grid worker assessment (网格员考核): the grid workers under a region and the counts of their
 * month, read from the records that name them (migration 30 indexes them by person). */
#ifndef JICENG_STORE_COMMAND_WORKER_ASSESSMENT_H
#define JICENG_STORE_COMMAND_WORKER_ASSESSMENT_H

#include "core/arena.h"
#include "store/db.h"

#include <stdint.h>

/* A grid worker: an active user with a grid_worker grant (the first grid in code order when
 * there are several). */
struct worker_row {
	int64_t user_id;
	const char *name, *grid_code, *grid_name;
};

/* The grid workers with a grant under region (user_id > 0: only that user), by user id. */
enum db_result store_workers_list(struct db *db, struct arena *a, const char *region,
                                  int64_t user_id, struct worker_row **rows, size_t *n);

/* What is counted per worker (the kinds of store_worker_counts' rows). */
enum worker_count_kind {
	WC_REPORTS,
	WC_SWEEPS,
	WC_CARE,
	WC_HANDLED,
	WC_ON_TIME,
	WC_CALLBACKS_REACHED,
	WC_CALLBACKS_CONTRADICTED,
	WC_KINDS
};

struct worker_count {
	int64_t user_id, kind, n;
};

/* The counts of the grid workers under region (user_id > 0: only that one) for the instants
 * [from, to) and the callback samples of month (YYYYMM); closed is the closed state's code. */
enum db_result store_worker_counts(struct db *db, struct arena *a, const char *region,
                                   int64_t user_id, int64_t from, int64_t to, int64_t month,
                                   int64_t closed, struct worker_count **rows, size_t *n);

/* One record behind a count: a case (number), a sweep visit (the house) or a care visit (the
 * care target), with its region and instant. */
struct worker_record {
	int64_t id;
	const char *label, *region_code;
	int64_t at, ref;
};

/* The records behind kind for user_id in [from, to) (callbacks: the samples of month), newest
 * first, at most limit. */
enum db_result store_worker_records(struct db *db, struct arena *a, int64_t user_id, int kind,
                                    int64_t from, int64_t to, int64_t month, int64_t closed,
                                    int limit, struct worker_record **rows, size_t *n);

#endif
