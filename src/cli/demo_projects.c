/* Demo projects: an elevator retrofit underway, a canteen completed, a purchased care service
 * planned, and the pocket park the residents decided on (the demo topic 楼间空地改建口袋公园,
 * which it names as what produced it) underway — all of 阳光社区 (999901001001), with planned
 * dates, the responsible units fictitious or the demo's. */
#include "cli/demo_projects.h"
#include "store/projects/projects.h"
#include "store/stmt.h"

#include <string.h>

static const struct demo_project {
	const char *kind, *title, *unit, *state, *starts_on, *ends_on;
	const char *topic; /* the title of the demo topic that produced it (NULL: none) */
	int64_t budget;
	const char *ms[3][3]; /* title, due, done (NULL: not done) */
	int64_t spend[2];
} projects[] = {
    {"renovation",
     "阳光小区三号楼加装电梯",
     "区住建局",
     "underway",
     "2026-09-01",
     "2027-03-31",
     NULL,
     60000000,
     {{"设计方案公示", "2026-10-15", "2026-10-12"},
      {"井道施工", "2026-12-20", NULL},
      {"竣工验收", "2027-02-28", NULL}},
     {18000000, 12000000}},
    {"livelihood",
     "社区老年食堂",
     "阳光社区居委会",
     "completed",
     "2026-08-01",
     "2026-10-31",
     NULL,
     25000000,
     {{"场地改造", "2026-08-30", "2026-08-28"},
      {"设备采购", "2026-09-20", "2026-09-18"},
      {"试运营", "2026-10-10", "2026-10-09"}},
     {15000000, 9000000}},
    {"purchase",
     "政府购买居家养老服务",
     "阳光社区居委会",
     "planned",
     "2027-01-01",
     "2027-12-31",
     NULL,
     8000000,
     {{"服务机构遴选", "2027-01-15", NULL}, {NULL, NULL, NULL}, {NULL, NULL, NULL}},
     {0, 0}},
    {"livelihood",
     "第一网格口袋公园建设",
     "阳光社区居委会",
     "underway",
     "2026-11-01",
     "2027-05-31",
     "楼间空地改建口袋公园",
     12000000,
     {{"方案公示", "2026-11-20", "2026-11-18"},
      {"场地施工", "2027-03-31", NULL},
      {"竣工开放", "2027-05-31", NULL}},
     {3500000, 0}},
};

int demo_projects(struct db *db, int64_t now)
{
	int64_t have = 0;
	if (sql_int(db, "SELECT count(*) FROM projects WHERE region_code = ?",
	            ARGS(ARG_TEXT("999901001001")), &have) != DB_OK)
		return -1;
	if (have > 0)
		return 0;
	int made = 0;
	for (size_t i = 0; i < sizeof projects / sizeof projects[0]; i++) {
		const struct demo_project *d = &projects[i];
		struct project_row p = {.region_code = "999901001001",
		                        .kind = d->kind,
		                        .title = d->title,
		                        .budget_fen = d->budget,
		                        .responsible_unit = d->unit,
		                        .state = d->state,
		                        .starts_on = d->starts_on,
		                        .ends_on = d->ends_on,
		                        .created_at = now,
		                        .updated_at = now};
		int64_t topic = 0;
		if (d->topic &&
		    sql_int(db, "SELECT coalesce(min(id), 0) FROM topics WHERE title = ?",
		            ARGS(ARG_TEXT(d->topic)), &topic) != DB_OK)
			return -1;
		if (topic) {
			p.link_kind = "topic";
			p.link_id = topic;
		}
		if (store_projects_insert(db, &p) != DB_OK)
			return -1;
		for (int k = 0; k < 3 && d->ms[k][0]; k++) {
			struct project_milestone_row m = {.project_id = p.id,
			                                  .title = d->ms[k][0],
			                                  .due_on = d->ms[k][1],
			                                  .done_on = d->ms[k][2],
			                                  .created_at = now,
			                                  .updated_at = now};
			if (store_project_milestones_insert(db, &m) != DB_OK)
				return -1;
		}
		for (int k = 0; k < 2 && d->spend[k]; k++) {
			struct project_spending_row s = {.project_id = p.id,
			                                 .amount_fen = d->spend[k],
			                                 .spent_on = "2026-11-01",
			                                 .note =
			                                     k ? "第二期工程款" : "第一期工程款",
			                                 .created_at = now};
			if (store_project_spending_add(db, &s) != DB_OK)
				return -1;
		}
		made++;
	}
	return made;
}
