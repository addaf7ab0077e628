/* The demo's grid workers at work (see demo_workers.h). */
#include "cli/demo_workers.h"
#include "domain/care.h"
#include "domain/indicator.h"
#include "domain/sample.h"
#include "store/command/surveys.h"
#include "store/services/services.h"
#include "store/stmt.h"

#include <stdio.h>
#include <string.h>

#define COMM "999901001001"
#define GRID "999901001001001"

struct named {
	int64_t id;
	const char *name;
};

static void named_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct named *r = row;
	r->id = db_col_int(st, 0);
	r->name = sql_str(st, a, 1);
}

int64_t demo_user_id(struct db *db, const char *username)
{
	int64_t id = 0;
	if (!username || sql_int(db, "SELECT id FROM users WHERE username = ?",
	                         ARGS(ARG_TEXT(username)), &id) != DB_OK)
		return 0;
	return id;
}

int64_t demo_grid_worker(struct db *db, struct arena *a, const char *grid, const char **username)
{
	struct named w;
	if (sql_one(db, a,
	            "SELECT u.id, u.username FROM grants g JOIN users u ON u.id = g.user_id WHERE "
	            "g.role = 'grid_worker' AND g.region_code = ? ORDER BY u.id",
	            ARGS(ARG_TEXT(grid)), named_read, &w) == DB_ROW) {
		*username = w.name;
		return w.id;
	}
	*username = "wangge";
	return demo_user_id(db, "wangge");
}

/* Up to three care targets among the grid's last active residents (tests pick the first), each
 * visited by the worker a few times; the number of visits, or -1. */
static int grid_care(struct db *db, struct arena *a, const char *grid, int64_t worker,
                     const char *worker_name, int64_t now, int seq)
{
	struct named *res;
	size_t n = 0;
	if (sql_all(db, a,
	            "SELECT id, name FROM residents WHERE region_code = ? AND status = 'active' "
	            "ORDER BY id DESC",
	            ARGS(ARG_TEXT(grid)), named_read, sizeof *res, 3, (void **)&res, &n) != DB_OK)
		return -1;
	int made = 0;
	int64_t today = care_day_of(now);
	for (size_t i = 0; i < n; i++) {
		struct care_target_row t = {.resident_id = res[i].id,
		                            .region_code = grid,
		                            .kind = "elderly_alone",
		                            .every = 7,
		                            .since_day = today - 60,
		                            .created_by = worker,
		                            .created_at = now - 60 * 86400,
		                            .updated_at = now - 60 * 86400};
		enum db_result r = store_care_targets_insert(db, &t);
		if (r == DB_CONSTRAINT)
			continue;
		if (r != DB_OK)
			return -1;
		/* every 7 to 12 days, a different pace per grid, over the last 50 days */
		int every = 7 + (seq * 2 + (int)i) % 6;
		for (int d = 1 + (int)i; d < 50; d += every) {
			struct care_visit_row v = {.target_id = t.id,
			                           .region_code = grid,
			                           .visited_day = today - d,
			                           .note = "上门探视，身体状况良好",
			                           .photos = "[]",
			                           .user_id = worker,
			                           .user_name = worker_name,
			                           .created_at = now - (int64_t)d * 86400};
			if (store_care_visits_insert(db, &v) != DB_OK)
				return -1;
			made++;
		}
	}
	return made;
}

/* The census survey's title: it also marks a district the workers' demo has already run on. */
static const char CENSUS_TITLE[] = "第一网格居民满意度自评（演示）";

/* A survey of every household of the first grid, for the residents' own answers. */
static int census_survey(struct db *db, struct arena *a, int64_t now)
{
	struct survey_household *pop;
	size_t n = 0;
	if (store_survey_population(db, a, GRID, &pop, &n) != DB_OK)
		return -1;
	if (!n)
		return 0;
	int64_t *ids = arena_alloc(a, n * sizeof *ids);
	if (!ids)
		return -1;
	for (size_t i = 0; i < n; i++)
		ids[i] = pop[i].id;
	size_t drawn = sample_draw(ids, n, n, 2027);
	struct named by;
	int64_t street = sql_one(db, a, "SELECT id, username FROM users WHERE username = 'jiedao'",
	                         NO_ARGS, named_read, &by) == DB_ROW
	                     ? by.id
	                     : 0;
	struct survey_row s = {.title = CENSUS_TITLE,
	                       .region_code = GRID,
	                       .period = period_of(PERIOD_MONTH, now).first,
	                       .per_grid = (int64_t)n,
	                       .seed = "2027",
	                       .questions = "[{\"text\":\"您对本网格的环境卫生是否满意？\","
	                                    "\"options\":[\"满意\",\"基本满意\",\"不满意\"]},"
	                                    "{\"text\":\"您对网格员的办事效率是否满意？\","
	                                    "\"options\":[\"满意\",\"基本满意\",\"不满意\"]}]",
	                       .population = (int64_t)n,
	                       .drawn = (int64_t)drawn,
	                       .created_by = street,
	                       .created_at = now - 86400};
	if (store_surveys_insert(db, &s) != DB_OK)
		return -1;
	for (size_t m = 0; m < drawn; m++) {
		struct survey_sampled h = {.household_id = ids[m],
		                           .grid = GRID,
		                           .position = (int64_t)m + 1,
		                           .population = (int64_t)n};
		if (store_survey_households_insert(db, s.id, &h) != DB_OK)
			return -1;
	}
	return 0;
}

int demo_workers(struct db *db, int64_t now)
{
	struct arena a;
	arena_init(&a);
	int64_t done = 0;
	int made = -1;
	/* Not the care visits: the services' demo makes some of its own before this runs. */
	if (sql_int(db, "SELECT count(*) FROM surveys WHERE title = ?",
	            ARGS(ARG_TEXT(CENSUS_TITLE)), &done) != DB_OK)
		goto out;
	made = 0;
	if (done)
		goto out; /* a refresh leaves them alone */
	struct named *ws;
	size_t n = 0;
	if (sql_all(
	        db, &a,
	        "SELECT g.user_id, g.region_code FROM grants g WHERE g.role = 'grid_worker' AND "
	        "g.region_code >= ? AND g.region_code < ? ORDER BY g.region_code, g.user_id",
	        ARGS(ARG_TEXT(COMM), ARG_TEXT(sql_prefix_end(&a, COMM))), named_read, sizeof *ws,
	        100, (void **)&ws, &n) != DB_OK) {
		made = -1;
		goto out;
	}
	for (size_t i = 0; i < n && made >= 0; i++) {
		const char *name = NULL;
		demo_grid_worker(db, &a, ws[i].name, &name);
		int r = grid_care(db, &a, ws[i].name, ws[i].id, name, now, (int)i);
		made = r < 0 ? -1 : made + r;
	}
	if (made >= 0 && census_survey(db, &a, now) < 0)
		made = -1;
out:
	arena_free(&a);
	return made;
}
