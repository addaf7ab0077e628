/* The demo district's ranking schemes (考核方案): the communities of the district and its
 * streets, ranked monthly on the built-in indicators; bonus and penalty items (加减分) with
 * their evidence, approved by a second person (one left pending); and last month's rankings
 * published, so the ranking page shows a frozen version beside the live one. */
#include "cli/demo_ranking.h"
#include "api/command/command.h"
#include "core/arena.h"
#include "domain/indicator.h"
#include "store/command/rankings.h"
#include "store/platform/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t user_id(struct db *db, struct arena *a, const char *name)
{
	struct user_row u;
	return store_users_by_name(db, a, name, &u) == DB_ROW ? u.id : 0;
}

static const char COMMUNITY_ITEMS[] =
    "[{\"indicator\":\"case_closure_rate\",\"weight\":30.0,\"floor\":50.0,\"target\":95.0},"
    "{\"indicator\":\"on_time_closure_rate\",\"weight\":15.0,\"floor\":50.0,\"target\":90.0},"
    "{\"indicator\":\"satisfaction_rate\",\"weight\":20.0,\"floor\":80.0,\"target\":98.0},"
    "{\"indicator\":\"cases_per_10k\",\"weight\":15.0,\"floor\":100.0,\"target\":20.0},"
    "{\"indicator\":\"criminal_cases_per_10k\",\"weight\":10.0,\"floor\":10.0,\"target\":2.0},"
    "{\"indicator\":\"sweep_coverage\",\"weight\":10.0,\"floor\":50.0,\"target\":100.0}]";
static const char STREET_ITEMS[] =
    "[{\"indicator\":\"case_closure_rate\",\"weight\":40.0,\"floor\":50.0,\"target\":95.0},"
    "{\"indicator\":\"satisfaction_rate\",\"weight\":30.0,\"floor\":80.0,\"target\":98.0},"
    "{\"indicator\":\"hazard_rectification_rate\",\"weight\":30.0,\"floor\":50.0,"
    "\"target\":95.0}]";

struct adj {
	int scheme; /* 0 communities, 1 streets */
	const char *region;
	double points;
	const char *reason, *evidence;
	bool approved;
};

static const struct adj adjs[] = {
    {0, "999901001002", 3, "获评市级文明社区", "市文明办通报〔演示〕第 12 号", true},
    {0, "999901002003", -5, "辖区发生安全生产事故被区安委会通报", "区安委办通报（演示）", true},
    {0, "999901001004", 2, "疫苗接种动员成效突出", "区卫健委表扬信（演示）", true},
    {0, "999901001001", 2, "志愿服务活动参与率高", "志愿服务时长台账（演示）", false},
    {1, "999901002", 2, "联席会议机制获区委肯定", "区委办简报（演示）", true},
};

static bool publish(struct db *db, struct arena *a, const struct scheme_row *s, const char *period,
                    int64_t who, int64_t now)
{
	enum db_result err = DB_OK;
	json_t *o = ranking_compute(db, a, s, s->region_code, period, now, &err);
	if (!o)
		return false;
	char *body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!body)
		return false;
	struct publication_row p = {.scheme_id = s->id,
	                            .parent_code = s->region_code,
	                            .period = period,
	                            .body = arena_strdup(a, body),
	                            .published_by = who,
	                            .published_by_name = "zhihui",
	                            .published_at = now};
	free(body);
	return store_publications_insert(db, &p) == DB_OK;
}

int demo_ranking(struct db *db, int64_t now)
{
	struct arena a;
	arena_init(&a);
	struct scheme_row *rows;
	size_t n = 0;
	if (store_schemes_list(db, &a, &rows, &n) != DB_OK) {
		arena_free(&a);
		return -1;
	}
	if (n) {
		arena_free(&a);
		return 0;
	}
	int64_t zhihui = user_id(db, &a, "zhihui"), jiedao = user_id(db, &a, "jiedao");
	struct scheme_row s[2] = {
	    {.name = "社区月度考核（全区）",
	     .level = "community",
	     .region_code = "999901",
	     .top_n = 2,
	     .items = COMMUNITY_ITEMS,
	     .note = "演示方案：办结、按期、满意、万人事件数、万人刑事案件数、扫楼覆盖",
	     .status = "active",
	     .created_by = zhihui,
	     .created_at = now,
	     .updated_at = now},
	    {.name = "街道月度考核",
	     .level = "street",
	     .region_code = "999901",
	     .top_n = 1,
	     .items = STREET_ITEMS,
	     .note = "演示方案：办结、满意、隐患整改",
	     .status = "active",
	     .created_by = zhihui,
	     .created_at = now,
	     .updated_at = now},
	};
	bool ok = true;
	int made = 0;
	for (int i = 0; ok && i < 2; i++, made++)
		ok = store_schemes_insert(db, &s[i]) == DB_OK;
	/* last month, Asia/Shanghai */
	struct period p = period_of(PERIOD_MONTH, now);
	int last = p.first % 100 == 1 ? p.first - 100 + 11 : p.first - 1;
	char period[8];
	ranking_period_text(last, period);
	for (size_t i = 0; ok && i < sizeof adjs / sizeof *adjs; i++, made++) {
		struct adjustment_row r = {.scheme_id = s[adjs[i].scheme].id,
		                           .region_code = adjs[i].region,
		                           .period = last,
		                           .points = adjs[i].points,
		                           .reason = adjs[i].reason,
		                           .evidence = adjs[i].evidence,
		                           .entered_by = jiedao,
		                           .entered_by_name = "jiedao",
		                           .created_at = now,
		                           .updated_at = now};
		ok = store_adjustments_insert(db, &r) == DB_OK &&
		     (!adjs[i].approved ||
		      store_adjustments_approve(db, r.id, zhihui, "zhihui", now + 60) == DB_OK);
	}
	for (int i = 0; ok && i < 2; i++, made++)
		ok = publish(db, &a, &s[i], period, zhihui, now + 120);
	arena_free(&a);
	return ok ? made : -1;
}
