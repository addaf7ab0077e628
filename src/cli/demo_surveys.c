/* The demo district's callbacks and survey (see demo_surveys.h): drawn the way the API draws
 * (domain/sample.c), so the seeds shown redraw the same cases and households. */
#include "cli/demo_surveys.h"
#include "core/arena.h"
#include "domain/indicator.h"
#include "domain/sample.h"
#include "store/cases/cases.h"
#include "store/command/callbacks.h"
#include "store/command/surveys.h"
#include "store/platform/users.h"

#include <stdio.h>
#include <string.h>

#define COMMUNITY "999901001001" /* 阳光社区 */

static int64_t user_id(struct db *db, struct arena *a, const char *name)
{
	struct user_row u;
	return store_users_by_name(db, a, name, &u) == DB_ROW ? u.id : 0;
}

static int callbacks(struct db *db, struct arena *a, int64_t now)
{
	struct period cur = period_of(PERIOD_MONTH, now);
	int m = cur.first;
	int last = m % 100 == 1 ? (m / 100 - 1) * 100 + 12 : m - 1;
	int before = last % 100 == 1 ? (last / 100 - 1) * 100 + 12 : last - 1;
	struct period p = {PERIOD_MONTH, last, last}, q = {PERIOD_MONTH, before, before};
	int64_t from = period_end(&q), to = period_end(&p);
	struct callback_case *pop;
	size_t n = 0;
	if (store_callback_population(db, a, COMMUNITY, from, to, &pop, &n) != DB_OK)
		return -1;
	if (n == 0)
		return 0;
	int64_t *ids = arena_alloc(a, n * sizeof *ids);
	if (!ids)
		return -1;
	for (size_t i = 0; i < n; i++)
		ids[i] = pop[i].id;
	const uint64_t seed = 20261201;
	size_t k = sample_draw(ids, n, 12, seed);
	int64_t who = user_id(db, a, "dudao");
	struct callback_sample_row s = {.region_code = COMMUNITY,
	                                .period = last,
	                                .size = 12,
	                                .seed = "20261201",
	                                .population = (int64_t)n,
	                                .drawn = (int64_t)k,
	                                .created_by = who,
	                                .created_at = now - 5 * 86400};
	if (store_callback_samples_insert(db, &s) != DB_OK ||
	    store_callback_units_fill(db, s.id, COMMUNITY, from, to) != DB_OK)
		return -1;
	static const char *const notes[] = {"群众确认已处理，表示满意", "群众确认问题已解决",
	                                    "电话无人接听，两次未接通",
	                                    "群众反映问题仍然存在，未见整改"};
	for (size_t i = 0; i < k; i++) {
		const struct callback_case *c = NULL;
		for (size_t j = 0; j < n && !c; j++)
			if (pop[j].id == ids[i])
				c = &pop[j];
		struct callback_item_row it = {.sample_id = s.id,
		                               .case_id = ids[i],
		                               .position = (int64_t)i + 1,
		                               .region_code = c->region_code,
		                               .unit = c->unit,
		                               .period = last};
		if (store_callback_items_insert(db, &it) != DB_OK)
			return -1;
		if (i >= 10)
			continue; /* the last two still to be called */
		/* every fourth call contradicts the record, one in five is unreachable */
		int kind = i % 4 == 3 ? 3 : i % 5 == 2 ? 2 : (int)(i % 2);
		it.outcome = kind == 3 ? "contradicted" : kind == 2 ? "unreachable" : "confirmed";
		it.note = notes[kind];
		it.recorded_by = who;
		it.recorded_at = now - (int64_t)(4 * 86400 - i * 1800);
		if (store_callback_items_record(db, &it, NULL, NULL, "督导员") != DB_OK)
			return -1;
		if (kind == 3) {
			struct case_event_row e = {.case_id = it.case_id,
			                           .at = it.recorded_at,
			                           .actor_id = who,
			                           .actor = "dudao",
			                           .role = "supervisor",
			                           .action = "callback",
			                           .from_state = -1,
			                           .to_state = -1,
			                           .comment = "回访核实：群众反映与办结记录不符",
			                           .unit = *c->unit ? c->unit : NULL};
			if (store_case_events_add(db, &e) != DB_OK)
				return -1;
		}
	}
	return (int)k;
}

static int survey(struct db *db, struct arena *a, int64_t now)
{
	struct survey_household *pop;
	size_t n = 0;
	if (store_survey_population(db, a, COMMUNITY, &pop, &n) != DB_OK)
		return -1;
	if (n == 0)
		return 0;
	int64_t *ids = arena_alloc(a, n * sizeof *ids);
	if (!ids)
		return -1;
	for (size_t i = 0; i < n; i++)
		ids[i] = pop[i].id;
	struct period cur = period_of(PERIOD_MONTH, now);
	const uint64_t seed = 2026;
	const size_t per_grid = 5;
	struct survey_row s = {.title = "网格服务群众满意度测评（演示）",
	                       .region_code = COMMUNITY,
	                       .period = cur.first,
	                       .per_grid = (int64_t)per_grid,
	                       .seed = "2026",
	                       .questions = "[{\"text\":\"您对本网格的网格员服务是否满意？\","
	                                    "\"options\":[\"满意\",\"基本满意\",\"不满意\"]},"
	                                    "{\"text\":\"近三个月网格员是否上门走访过您家？\","
	                                    "\"options\":[\"是\",\"否\"]}]",
	                       .population = (int64_t)n,
	                       .created_by = user_id(db, a, "jiedao"),
	                       .created_at = now - 3 * 86400};
	size_t drawn = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && strcmp(pop[j].grid, pop[i].grid) == 0)
			j++;
		drawn += sample_draw(ids + i, j - i, per_grid, seed);
		i = j;
	}
	s.drawn = (int64_t)drawn;
	if (store_surveys_insert(db, &s) != DB_OK)
		return -1;
	int made = 0, r = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && strcmp(pop[j].grid, pop[i].grid) == 0)
			j++;
		size_t k = j - i < per_grid ? j - i : per_grid;
		for (size_t m = 0; m < k; m++) {
			struct survey_sampled h = {.household_id = ids[i + m],
			                           .grid = pop[i].grid,
			                           .position = (int64_t)m + 1,
			                           .population = (int64_t)(j - i)};
			if (store_survey_households_insert(db, s.id, &h) != DB_OK)
				return -1;
			if (m == k - 1 && k > 1)
				continue; /* one per grid not reached yet */
			r++;
			int64_t ans[2] = {r % 7 == 0 ? 2 : r % 3 == 0 ? 1 : 0, r % 4 == 0 ? 1 : 0};
			char json[16];
			snprintf(json, sizeof json, "[%d,%d]", (int)ans[0], (int)ans[1]);
			if (store_survey_responses_insert(db, s.id, h.household_id, h.grid, ans, 2,
			                                  json, "phone", s.created_by,
			                                  s.created_at + r * 600) != DB_OK)
				return -1;
			made++;
		}
		i = j;
	}
	return made;
}

int demo_surveys(struct db *db, int64_t now)
{
	struct arena a;
	arena_init(&a);
	struct callback_sample_row *rows;
	size_t n = 0;
	int made = -1;
	struct scopes district = {.prefix = {"999901"}, .n = 1};
	if (store_callback_samples_list(db, &a, &district, 0, 1, &rows, &n) == DB_OK) {
		if (n) {
			made = 0;
		} else {
			int c = callbacks(db, &a, now);
			int s = c >= 0 ? survey(db, &a, now) : -1;
			made = c >= 0 && s >= 0 ? c + s : -1;
		}
	}
	arena_free(&a);
	return made;
}
