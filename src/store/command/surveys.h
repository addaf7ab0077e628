/* Satisfaction surveys (满意度测评), migration 28: a questionnaire put to households drawn per
 * grid with a recorded seed, one response per household. */
#ifndef JICENG_STORE_COMMAND_SURVEYS_H
#define JICENG_STORE_COMMAND_SURVEYS_H

#include "core/arena.h"
#include "store/base/base.h"
#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>

/* An active household (one with an active resident): its id and grid. */
struct survey_household {
	int64_t id;
	const char *grid;
};

/* The active households under region, by grid then id. */
enum db_result store_survey_population(struct db *db, struct arena *a, const char *region,
                                       struct survey_household **rows, size_t *n);

struct survey_row {
	int64_t id; /* first: the list pages by it */
	const char *title, *region_code, *region_name;
	int64_t period, per_grid;
	const char *seed, *questions; /* decimal; JSON [{text, options}] */
	int64_t population, drawn, responses, created_by;
	const char *created_by_name;
	int64_t created_at;
};

enum db_result store_surveys_insert(struct db *db, struct survey_row *s);
enum db_result store_surveys_get(struct db *db, struct arena *a, int64_t id,
                                 struct survey_row *out);
/* The surveys under the scopes (code prefixes; "" all), newest first, ids below before (0:
 * from the newest). */
enum db_result store_surveys_list(struct db *db, struct arena *a, const struct scopes *sc,
                                  int64_t before, int limit, struct survey_row **rows, size_t *n);

struct survey_sampled {
	int64_t household_id;
	const char *grid, *grid_name, *address;
	int64_t position, population;
	bool answered;
};

enum db_result store_survey_households_insert(struct db *db, int64_t survey_id,
                                              const struct survey_sampled *h);
/* The sampled households by grid, in the order drawn. */
enum db_result store_survey_households_list(struct db *db, struct arena *a, int64_t survey_id,
                                            struct survey_sampled **rows, size_t *n);
/* DB_ROW or DB_DONE. */
enum db_result store_survey_households_get(struct db *db, struct arena *a, int64_t survey_id,
                                           int64_t household_id, struct survey_sampled *out);

/* One response and its answers; DB_CONSTRAINT when the household has answered. */
enum db_result store_survey_responses_insert(struct db *db, int64_t survey_id, int64_t household_id,
                                             const char *grid, const int64_t *answers, size_t n,
                                             const char *answers_json, const char *channel,
                                             int64_t entered_by, int64_t at);

struct survey_count {
	int64_t question;
	const char *grid;
	int64_t answer, n;
};

/* How many answered each option of each question per grid. */
enum db_result store_survey_counts(struct db *db, struct arena *a, int64_t survey_id,
                                   struct survey_count **rows, size_t *n);

struct survey_grid {
	const char *grid, *name;
	int64_t population, drawn, responses;
};

/* Per grid of the sample: its active households when drawn, how many drawn and answered. */
enum db_result store_survey_grids(struct db *db, struct arena *a, int64_t survey_id,
                                  struct survey_grid **rows, size_t *n);

/* A resident's side (GET /me/surveys): a survey whose sample holds the household, and
 * whether the household has answered it. */
struct survey_mine {
	struct survey_row s;
	bool answered;
};

/* The household linked to a user account (users.household_id), 0 when none. */
enum db_result store_user_household(struct db *db, int64_t user_id, int64_t *household_id);
/* The surveys whose sample holds household_id, newest first (at most 200). */
enum db_result store_surveys_of_household(struct db *db, struct arena *a, int64_t household_id,
                                          struct survey_mine **rows, size_t *n);

#endif
