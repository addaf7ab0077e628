/* Indicators (考核评价): definitions, the sums of the facts kept by migration 20, and manual
 * figures. */
#ifndef JICENG_STORE_COMMAND_INDICATORS_H
#define JICENG_STORE_COMMAND_INDICATORS_H

#include "core/arena.h"
#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>

struct indicator_row {
	const char *code, *name, *name_en, *description, *numerator, *denominator;
	int64_t factor;
	const char *direction; /* higher | lower */
	bool has_target, has_bands;
	double target, green, yellow;
	const char *period_type; /* month | quarter | year */
	int64_t min_denominator;
	const char *case_filter; /* the case list behind the numerator (status=closed …) or NULL */
	bool builtin;
	int64_t sort, created_at, updated_at;
};

enum db_result store_indicators_list(struct db *db, struct arena *a, struct indicator_row **rows,
                                     size_t *n);
/* DB_ROW or DB_DONE. */
enum db_result store_indicators_get(struct db *db, struct arena *a, const char *code,
                                    struct indicator_row *out);
/* DB_OK; DB_CONSTRAINT when the code is taken. */
enum db_result store_indicators_insert(struct db *db, const struct indicator_row *r);
enum db_result store_indicators_update(struct db *db, const struct indicator_row *r);

/* A region and a fact's sum in it. */
struct fact_sum {
	const char *code;
	int64_t n;
	const char *name; /* store_indicator_grids only */
};

/* The sums of fact over the months [first, last] (0, 0: a stock) in the regions under region,
 * grouped by the first group_len digits of their codes, in code order. */
enum db_result store_fact_sums(struct db *db, struct arena *a, const char *fact, int first,
                               int last, const char *region, int group_len, struct fact_sum **rows,
                               size_t *n);
/* The houses visited, in each grid under region, in that grid's latest sweep (of the grid or
 * a region above it) begun on or before last_day (YYYY-MM-DD), grouped the same way. */
enum db_result store_sweep_sums(struct db *db, struct arena *a, const char *last_day,
                                const char *region, int group_len, struct fact_sum **rows,
                                size_t *n);

/* The active grids under region (code and name), in code order. */
enum db_result store_indicator_grids(struct db *db, struct arena *a, const char *region,
                                     struct fact_sum **rows, size_t *n);

struct figure_row {
	int64_t id;
	const char *fact, *region_code;
	int64_t period, value;
	const char *source, *note, *status;
	int64_t entered_by;
	const char *entered_by_name;
	int64_t approved_by;
	const char *approved_by_name;
	int64_t approved_at, created_at, updated_at;
};

enum db_result store_figures_get(struct db *db, struct arena *a, int64_t id,
                                 struct figure_row *out);
/* DB_OK; DB_CONSTRAINT when the fact, region and month has a figure already. */
enum db_result store_figures_insert(struct db *db, struct figure_row *r);
/* A correction: value, source and note, pending approval again. */
enum db_result store_figures_correct(struct db *db, const struct figure_row *r);
enum db_result store_figures_approve(struct db *db, int64_t id, int64_t by, const char *by_name,
                                     int64_t at);
/* The figures under region, newest first, ids below before (0: from the newest); status and
 * fact NULL for any. */
enum db_result store_figures_list(struct db *db, struct arena *a, const char *region,
                                  const char *status, const char *fact, int64_t before, int limit,
                                  struct figure_row **rows, size_t *n);

#endif
