/* Ranking schemes (考核方案, migration 27): schemes, bonus and penalty items (加减分), frozen
 * publications, and the monthly sums of the indicator facts a ranking reads. */
#ifndef JICENG_STORE_COMMAND_RANKINGS_H
#define JICENG_STORE_COMMAND_RANKINGS_H

#include "core/arena.h"
#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>

struct scheme_row {
	int64_t id;
	const char *name, *level, *region_code;
	int64_t top_n;
	const char *items; /* JSON text [{indicator, weight, floor, target}] */
	const char *note, *status;
	int64_t created_by, created_at, updated_at;
};

/* DB_ROW or DB_DONE. */
enum db_result store_schemes_get(struct db *db, struct arena *a, int64_t id,
                                 struct scheme_row *out);
/* Every scheme, newest first (a handful per district). */
enum db_result store_schemes_list(struct db *db, struct arena *a, struct scheme_row **rows,
                                  size_t *n);
enum db_result store_schemes_insert(struct db *db, struct scheme_row *r);
enum db_result store_schemes_update(struct db *db, const struct scheme_row *r);

struct adjustment_row {
	int64_t id, scheme_id;
	const char *region_code;
	int64_t period; /* YYYYMM, or YYYY00 for the year */
	double points;
	const char *reason, *evidence, *photos, *status;
	int64_t entered_by;
	const char *entered_by_name;
	int64_t approved_by;
	const char *approved_by_name;
	int64_t approved_at, created_at, updated_at;
};

enum db_result store_adjustments_get(struct db *db, struct arena *a, int64_t id,
                                     struct adjustment_row *out);
enum db_result store_adjustments_insert(struct db *db, struct adjustment_row *r);
/* DB_OK, or DB_DONE when it was approved already. */
enum db_result store_adjustments_approve(struct db *db, int64_t id, int64_t by, const char *by_name,
                                         int64_t at);
/* The items of a scheme for periods [first, last] under region (approved_only: those that
 * count), by region then id. */
enum db_result store_adjustments_list(struct db *db, struct arena *a, int64_t scheme, int64_t first,
                                      int64_t last, const char *region, bool approved_only,
                                      struct adjustment_row **rows, size_t *n);

struct publication_row {
	int64_t id, scheme_id;
	const char *parent_code, *period;
	int64_t version;
	const char *body;
	int64_t published_by;
	const char *published_by_name;
	int64_t published_at;
};

/* The versions of a scheme's ranking for period and parent, oldest first (body included only
 * when with_body). */
enum db_result store_publications_list(struct db *db, struct arena *a, int64_t scheme,
                                       const char *parent, const char *period, bool with_body,
                                       struct publication_row **rows, size_t *n);
/* Appends r as the next version (r->version set). */
enum db_result store_publications_insert(struct db *db, struct publication_row *r);

/* A region and one fact's sum in it for one month (0: a stock). */
struct month_sum {
	const char *code;
	int64_t period, n;
};

/* The sums of fact over the months [first, last] (0, 0: a stock) under region, grouped by the
 * first group_len digits and by month, in code order. */
enum db_result store_fact_month_sums(struct db *db, struct arena *a, const char *fact, int first,
                                     int last, const char *region, int group_len,
                                     struct month_sum **rows, size_t *n);

struct ranked_region {
	const char *code, *name;
};
/* The active regions of level (1 street, 2 community) under parent, in code order. */
enum db_result store_ranking_regions(struct db *db, struct arena *a, const char *parent, int level,
                                     struct ranked_region **rows, size_t *n);

#endif
