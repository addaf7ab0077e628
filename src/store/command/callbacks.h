/* Callbacks (回访抽查) and satisfaction surveys (满意度测评), migration 28: samples drawn with
 * a recorded seed, their items and outcomes, the facts they add to (indicator_facts). */
#ifndef JICENG_STORE_COMMAND_CALLBACKS_H
#define JICENG_STORE_COMMAND_CALLBACKS_H

#include "core/arena.h"
#include "store/base/base.h"
#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>

/* A case of a draw's population: its id, grid and handling unit ("" when none). */
struct callback_case {
	int64_t id;
	const char *region_code, *unit;
};

/* The cases under region closed (status closed now) in [from, to), by id. */
enum db_result store_callback_population(struct db *db, struct arena *a, const char *region,
                                         int64_t from, int64_t to, struct callback_case **rows,
                                         size_t *n);

struct callback_sample_row {
	int64_t id; /* first: the list pages by it */
	const char *region_code, *region_name;
	int64_t period; /* YYYYMM */
	int64_t size;
	const char *seed; /* decimal */
	int64_t population, drawn, recorded, contradicted;
	int64_t created_by;
	const char *created_by_name;
	int64_t created_at;
};

enum db_result store_callback_samples_insert(struct db *db, struct callback_sample_row *s);
enum db_result store_callback_samples_get(struct db *db, struct arena *a, int64_t id,
                                          struct callback_sample_row *out);
/* The samples under the scopes (code prefixes; "" all), newest first, ids below before (0:
 * from the newest). */
enum db_result store_callback_samples_list(struct db *db, struct arena *a, const struct scopes *sc,
                                           int64_t before, int limit,
                                           struct callback_sample_row **rows, size_t *n);
/* Records per handling unit how many cases of the population (as store_callback_population
 * reads it) it closed. */
enum db_result store_callback_units_fill(struct db *db, int64_t sample_id, const char *region,
                                         int64_t from, int64_t to);

struct callback_item_row {
	int64_t sample_id, case_id, position;
	const char *region_code, *unit;
	const char *number, *category, *category_name;
	int64_t closed_at;
	const char *outcome, *note; /* NULL until recorded */
	int64_t recorded_by, recorded_at;
	int64_t period; /* the sample's */
};

enum db_result store_callback_items_insert(struct db *db, const struct callback_item_row *it);
/* The items of a sample in the order drawn. */
enum db_result store_callback_items_list(struct db *db, struct arena *a, int64_t sample_id,
                                         struct callback_item_row **rows, size_t *n);
/* DB_ROW or DB_DONE. */
enum db_result store_callback_items_get(struct db *db, struct arena *a, int64_t sample_id,
                                        int64_t case_id, struct callback_item_row *out);
/* Records outcome and note on it (whose outcome was was_outcome, NULL when new), its history
 * entry, and the facts: callback_done (confirmed or contradicted) and callback_contradicted
 * at the sample's month in the case's grid move by the difference. */
enum db_result store_callback_items_record(struct db *db, const struct callback_item_row *it,
                                           const char *was_outcome, const char *reason,
                                           const char *user_name);

struct callback_history_row {
	int64_t case_id;
	const char *outcome, *note, *reason, *user_name;
	int64_t user_id, at;
};

/* A sample's history, per case oldest first. */
enum db_result store_callback_history(struct db *db, struct arena *a, int64_t sample_id,
                                      struct callback_history_row **rows, size_t *n);

struct callback_unit_row {
	const char *unit;
	int64_t population, n, confirmed, contradicted, unreachable;
};

/* Per handling unit with items in the sample: its population and the outcomes, by unit. */
enum db_result store_callback_units_result(struct db *db, struct arena *a, int64_t sample_id,
                                           struct callback_unit_row **rows, size_t *n);

/* The case's callback: "contradicted" when any callback contradicted it, else the latest
 * outcome recorded, NULL when none (arena copy). */
enum db_result store_case_callback(struct db *db, struct arena *a, int64_t case_id,
                                   const char **out);

/* Adds delta to a counted fact at (period, region). */
enum db_result store_fact_add(struct db *db, const char *fact, int64_t period, const char *region,
                              int64_t delta);

#endif
