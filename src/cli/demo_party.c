/* The demo district's party building (党建引领) at the seeds' proportions: a 党工委 per
 * street, a 党委 (or 联合党委) per community, a 网格党支部 per grid and a 楼栋党小组 per
 * building — with a few gaps left on purpose so the structure check shows something —
 * four functional branches per community (~40 branches, ~500 members: the district's
 * 195 / 2 590 scaled to 60 grids), members linked to demo residents, 党员中心户, a pairing
 * of every community with a county unit (commitments in every state, activities, lists),
 * cadres and 三官一律 with reception days, and the grid service teams with a couple of gaps.
 * Deterministic: every demo database looks the same. */
#include "cli/demo_party.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "store/party/pairings.h"
#include "store/party/party.h"
#include "store/platform/users.h"
#include "store/services/services.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define DEMO_PASSWORD "Demo@2026jc"

static const char *const street_names[] = {"幸福街道", "和平街道"};
static const char *const community_names[] = {"阳光社区", "春晖社区", "锦绣社区", "丽水社区",
                                              "翠湖社区", "东风社区", "新华社区", "长青社区",
                                              "桃源社区", "明珠社区"};
static const char *const grid_numbers[] = {"一", "二", "三", "四", "五", "六"};
static const char *const units[] = {"区住建局",     "区城管局",    "区民政局", "区卫健委",
                                    "区市场监管局", "区司法局",    "区人社局", "区教育局",
                                    "区生态环境局", "区应急管理局"};
static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                       "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗"};
static const char *const given[] = {"建军", "红梅", "卫东", "秀珍", "志刚", "丽华", "国强",
                                    "玉兰", "振华", "淑芬", "文革", "桂芝", "德明", "凤英"};

struct gen {
	struct db *db;
	struct arena *a;
	int64_t now;
	unsigned seq;
	int orgs;
	bool ok;
};

static const char *person(struct gen *g)
{
	g->seq++;
	return arena_printf(g->a, "%s%s", surnames[(g->seq * 7) % 20], given[(g->seq * 5) % 14]);
}

/* "YYYY-MM-DD" days from now in Asia/Shanghai. */
static const char *date_from(struct gen *g, int days)
{
	time_t t = (time_t)(g->now + 8 * 3600 + (int64_t)days * 86400);
	struct tm tm;
	gmtime_r(&t, &tm);
	return arena_printf(g->a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static void check(struct gen *g, enum db_result r)
{
	if (r != DB_OK && g->ok) {
		fprintf(stderr, "jiceng demo: party data: %s\n", db_errmsg(g->db));
		g->ok = false;
	}
}

static int64_t org(struct gen *g, const char *name, enum party_kind kind, int64_t parent,
                   const char *region, int64_t building, const char *unit)
{
	if (!g->ok)
		return 0;
	struct party_org_row o = {.name = name,
	                          .kind = kind,
	                          .parent_id = parent,
	                          .region_code = region,
	                          .building_id = building,
	                          .unit = unit,
	                          .secretary = person(g),
	                          .active = true,
	                          .created_at = g->now,
	                          .updated_at = g->now};
	check(g, store_party_orgs_insert(g->db, &o));
	struct party_event_row e = {.ref_id = o.id,
	                            .at = g->now,
	                            .actor = "demo",
	                            .action = "create",
	                            .to_ref = parent,
	                            .to_region = region,
	                            .detail = name};
	if (g->ok)
		check(g, store_party_org_events_add(g->db, &e));
	g->orgs++;
	return o.id;
}

static int64_t member(struct gen *g, const char *name, int64_t resident, int64_t user,
                      int64_t org_id, const char *region)
{
	if (!g->ok)
		return 0;
	struct party_member_row m = {.name = name,
	                             .resident_id = resident,
	                             .user_id = user,
	                             .org_id = org_id,
	                             .region_code = region,
	                             .status = g->seq % 11 == 3 ? MEMBER_PROBATIONARY : MEMBER_FULL,
	                             .joined_on =
	                                 arena_printf(g->a, "%d-07-01", 1975 + (int)(g->seq % 48)),
	                             .transferred_in = g->seq % 17 == 5,
	                             .created_at = g->now,
	                             .updated_at = g->now};
	check(g, store_party_members_insert(g->db, &m));
	struct party_event_row e = {.ref_id = m.id,
	                            .at = g->now,
	                            .actor = "demo",
	                            .action = m.transferred_in ? "transfer_in" : "join",
	                            .to_ref = org_id,
	                            .to_status = party_member_status_code(m.status)};
	if (g->ok)
		check(g, store_party_member_events_add(g->db, &e));
	return m.id;
}

struct ref {
	int64_t id, household;
	const char *name;
};

/* Up to max rows (id, name, household) of sql bound to one text parameter. */
static size_t refs(struct gen *g, const char *sql, const char *param, struct ref *out, size_t max)
{
	struct db_stmt *st = db_prepare(g->db, sql);
	size_t n = 0;
	if (!st) {
		g->ok = false;
		return 0;
	}
	db_bind_text(st, 1, param);
	while (n < max && db_step(st) == DB_ROW) {
		out[n].id = db_col_int(st, 0);
		out[n].name = db_col_null(st, 1) ? NULL : arena_strdup(g->a, db_col_text(st, 1));
		out[n].household = db_col_null(st, 2) ? 0 : db_col_int(st, 2);
		n++;
	}
	db_done(st);
	return n;
}

static int64_t user_id(struct gen *g, const char *username)
{
	struct user_row u;
	return store_users_by_name(g->db, g->a, username, &u) == DB_ROW ? u.id : 0;
}

static void team(struct gen *g, const char *grid, enum team_role role, const char *name,
                 int64_t user, int64_t building, int64_t cadre)
{
	if (!g->ok)
		return;
	struct team_member_row t = {.region_code = grid,
	                            .role = role,
	                            .name = name,
	                            .user_id = user,
	                            .building_id = building,
	                            .cadre_id = cadre,
	                            .full_time = role == TEAM_GRID_WORKER,
	                            .started_on = "2025-01-01",
	                            .created_at = g->now,
	                            .updated_at = g->now};
	check(g, store_team_insert(g->db, &t));
}

static int64_t cadre(struct gen *g, const char *name, enum cadre_kind kind, const char *unit,
                     int64_t user, const char *community, int64_t building, const char *grid,
                     bool adviser)
{
	if (!g->ok)
		return 0;
	struct cadre_row c = {.name = name,
	                      .kind = kind,
	                      .unit = unit,
	                      .user_id = user,
	                      .region_code = community,
	                      .building_id = building,
	                      .legal_adviser = adviser,
	                      .started_on = "2026-01-05",
	                      .active = true,
	                      .created_at = g->now,
	                      .updated_at = g->now};
	check(g, store_cadres_insert(g->db, &c));
	if (building)
		team(g, grid, TEAM_BUILDING_LEADER, name, user, building, c.id);
	return c.id;
}

static void reception(struct gen *g, int64_t cadre_id, const char *community, int days,
                      const char *topic)
{
	if (!g->ok)
		return;
	struct reception_day_row d = {.cadre_id = cadre_id,
	                              .region_code = community,
	                              .held_on = date_from(g, days),
	                              .starts = "09:00",
	                              .ends = "11:30",
	                              .place = "社区党群服务中心接待室",
	                              .topic = topic,
	                              .created_at = g->now,
	                              .updated_at = g->now};
	check(g, store_reception_days_insert(g->db, &d));
	struct cadre_row c;
	if (g->ok && store_cadres_get(g->db, g->a, cadre_id, &c) != DB_ROW)
		g->ok = false;
	/* three slots of 50 minutes from 09:00 local, service slots of kind "reception" */
	int64_t nine = ((g->now + 8 * 3600) / 86400 + days) * 86400 - 8 * 3600 + 9 * 3600;
	for (int i = 0; i < 3 && g->ok; i++) {
		struct service_slot_row s = {.service = arena_printf(g->a, "%s接待日", c.name),
		                             .kind = "reception",
		                             .reception_day_id = d.id,
		                             .region_code = community,
		                             .place = d.place,
		                             .starts_at = nine + i * 50 * 60,
		                             .ends_at = nine + (i + 1) * 50 * 60,
		                             .capacity = 4,
		                             .created_at = g->now,
		                             .updated_at = g->now};
		check(g, store_service_slots_insert(g->db, &s));
	}
}

static const char *const problems[] = {"老旧小区楼道照明不足", "小区停车位紧张，占道停车多",
                                       "独居老人助餐服务缺口", "背街小巷路面破损",
                                       "群租房消防隐患排查",   "社区活动场地不足",
                                       "雨污管网堵塞",         "电动车充电设施不足"};
static const char *const measures[] = {"协调更换声控灯",         "协调周边单位错时共享车位",
                                       "联系爱心食堂开设助餐点", "纳入年度道路维修计划",
                                       "组织联合检查并跟踪整改", "开放单位会议室供居民使用",
                                       "协调专业队伍疏通",       "争取资金建设集中充电棚"};
static const char *const activity_titles[] = {"共建主题党日", "入户走访困难家庭", "政策宣讲进楼栋",
                                              "志愿服务清扫背街小巷"};

/* A commitment walked to state target with its history. */
static void commitment(struct gen *g, int64_t pairing, int k, enum commitment_state target,
                       const char *unit)
{
	if (!g->ok)
		return;
	int64_t t0 = g->now - (int64_t)(40 - k * 5) * 86400;
	struct commitment_row c = {.pairing_id = pairing,
	                           .problem = problems[k % 8],
	                           .measure = measures[k % 8],
	                           .responsible = arena_printf(g->a, "%s %s", unit, person(g)),
	                           .deadline = date_from(g, 30 + k * 15),
	                           .status = COMMIT_PROPOSED,
	                           .created_at = t0,
	                           .updated_at = t0};
	check(g, store_commitments_insert(g->db, &c));
	static const enum commitment_action path[] = {COMMIT_START, COMMIT_COMPLETE, COMMIT_VERIFY,
	                                              COMMIT_CLOSE};
	struct commitment_event_row e = {.commitment_id = c.id,
	                                 .at = t0,
	                                 .actor = "demo",
	                                 .side = "unit",
	                                 .action = "create",
	                                 .to_status = "proposed"};
	if (g->ok)
		check(g, store_commitment_events_add(g->db, &e));
	for (int i = 0; i < 4 && g->ok && c.status < target; i++) {
		const struct commitment_transition *t = commitment_flow_lookup(c.status, path[i]);
		int64_t at = t0 + (int64_t)(i + 1) * 3 * 86400;
		e.from_status = commitment_state_code(c.status);
		c.status = t->next;
		e.to_status = commitment_state_code(c.status);
		e.at = at;
		e.action = commitment_action_code(path[i]);
		e.side = t->sides == SIDE_UNIT ? "unit" : "community";
		e.comment = path[i] == COMMIT_VERIFY ? "现场核验，群众满意" : NULL;
		c.updated_at = at;
		if (path[i] == COMMIT_COMPLETE) {
			c.done_at = at;
			c.result = "已按承诺完成";
		} else if (path[i] == COMMIT_VERIFY) {
			c.verified_at = at;
		} else if (path[i] == COMMIT_CLOSE) {
			c.closed_at = at;
		}
		check(g, store_commitment_events_add(g->db, &e));
	}
	if (g->ok)
		check(g, store_commitments_update(g->db, &c));
}

static void pairing(struct gen *g, int ci, int64_t unit_org, int64_t comm_org, const char *comm,
                    const char *unit)
{
	if (!g->ok)
		return;
	struct pairing_row p = {.unit_org_id = unit_org,
	                        .community_org_id = comm_org,
	                        .unit = unit,
	                        .region_code = comm,
	                        .title =
	                            arena_printf(g->a, "%s与%s结对共建", unit, community_names[ci]),
	                        .signed_on = "2026-03-01",
	                        .ends_on = "2027-02-28",
	                        .created_at = g->now,
	                        .updated_at = g->now};
	check(g, store_pairings_insert(g->db, &p));
	/* Four commitments a pairing; over ten communities every state appears. */
	for (int k = 0; k < 4; k++)
		commitment(g, p.id, ci + k, (enum commitment_state)((ci + k) % COMMIT_STATE_COUNT),
		           unit);
	for (int k = 0; k < 3 && g->ok; k++) {
		struct activity_row v = {.pairing_id = p.id,
		                         .title = activity_titles[(ci + k) % 4],
		                         .held_on = date_from(g, -50 + k * 14),
		                         .place = k % 2 ? "社区党群服务中心" : "小区广场",
		                         .participants = arena_printf(g->a, "%s党员干部", unit),
		                         .people = 8 + (ci + k) % 7,
		                         .hours = (double)(2 * (8 + (ci + k) % 7)),
		                         .created_at = g->now};
		check(g, store_activities_insert(g->db, &v));
	}
	static const char *const items[PAIRING_LIST_COUNT][2] = {
	    {"居民反映停车难、充电难", "独居老人就餐不便"},
	    {"结对单位负责协调资源", "社区负责组织居民参与"},
	    {"每月开展一次联合走访", "每季度召开一次共建联席会"}};
	for (int l = 0; l < PAIRING_LIST_COUNT && g->ok; l++)
		for (int k = 0; k < 2 && g->ok; k++) {
			struct pairing_item_row it = {.pairing_id = p.id,
			                              .list = l,
			                              .content = items[l][k],
			                              .responsible = k ? "社区" : unit,
			                              .deadline = date_from(g, 60 + 30 * k),
			                              .done = (ci + l + k) % 3 == 0,
			                              .created_at = g->now,
			                              .updated_at = g->now};
			check(g, store_pairing_items_insert(g->db, &it));
		}
}

/* A grid: its branch with members, building groups, 党员中心户 and its service team. */
static void grid(struct gen *g, int s, int c, int gi, const char *gcode, int64_t comm_org)
{
	const char *cname = community_names[s * 5 + c];
	bool no_branch = (s == 0 && c == 2 && gi == 5) || (s == 1 && c == 3 && gi == 4);
	int64_t branch = 0;
	if (!no_branch)
		branch = org(g, arena_printf(g->a, "%s第%s网格党支部", cname, grid_numbers[gi]),
		             PARTY_GRID_BRANCH, comm_org, gcode, 0, NULL);
	struct ref bs[64], rs[8], hs[200];
	size_t nb =
	    refs(g, "SELECT id, name, NULL FROM buildings WHERE region_code = ? ORDER BY id", gcode,
	         bs, 64);
	/* Building party groups, except about one in twelve: the gaps the check finds. */
	for (size_t b = 0; branch && b < nb; b++)
		if ((b + (size_t)gi + (size_t)c) % 12 != 11)
			org(g, arena_printf(g->a, "%s党小组", bs[b].name), PARTY_GROUP, branch,
			    gcode, bs[b].id, NULL);
	int64_t first_members[2] = {0, 0}, first_households[2] = {0, 0};
	if (branch) {
		size_t nr =
		    refs(g,
		         "SELECT id, name, household_id FROM residents WHERE region_code = ? "
		         "AND status = 'active' AND id % 11 = 0 ORDER BY id LIMIT 8",
		         gcode, rs, 8);
		for (int k = 0; k < 8; k++) {
			bool linked = (size_t)k < nr;
			int64_t id = member(g, linked ? rs[k].name : person(g),
			                    linked ? rs[k].id : 0, 0, branch, gcode);
			if (k < 2 && linked && rs[k].household) {
				first_members[k] = id;
				first_households[k] = rs[k].household;
			}
		}
	}
	/* Two 党员中心户 per grid, each liaising with up to eight neighbour households. */
	size_t nh =
	    refs(g, "SELECT id, NULL, NULL FROM households WHERE region_code = ? ORDER BY id",
	         gcode, hs, 200);
	size_t next = 0;
	for (int k = 0; k < 2 && g->ok; k++) {
		if (!first_members[k] || (k == 1 && first_households[1] == first_households[0]))
			continue;
		struct party_center_row ce = {.member_id = first_members[k],
		                              .household_id = first_households[k],
		                              .region_code = gcode,
		                              .org_id = branch,
		                              .created_at = g->now,
		                              .updated_at = g->now};
		check(g, store_party_centers_insert(g->db, &ce));
		for (int linked = 0; linked < 8 && next < nh && g->ok; next++) {
			if (hs[next].id == first_households[0] ||
			    hs[next].id == first_households[1])
				continue;
			check(g, store_party_center_links_add(g->db, ce.id, hs[next].id));
			linked++;
		}
	}
	/* The service team: gaps in three grids; building leaders for most buildings. */
	bool home = s == 0 && c == 0 && gi == 0;
	if (!(s == 1 && c == 4 && gi == 2))
		team(g, gcode, TEAM_SUPERVISOR, home ? "阳光社区督导员" : person(g),
		     home ? user_id(g, "dudao") : 0, 0, 0);
	if (!(s == 0 && c == 3 && gi == 2))
		team(g, gcode, TEAM_GRID_LEADER, home ? "阳光社区第一网格网格长" : person(g),
		     home ? user_id(g, "wanggezhang") : 0, 0, 0);
	if (!(s == 1 && c == 2 && gi == 3))
		team(g, gcode, TEAM_GRID_WORKER, home ? "阳光社区第一网格网格员" : person(g),
		     home ? user_id(g, "wangge") : 0, 0, 0);
	for (size_t b = 1; b < nb; b++) /* building 0 gets a cadre in grid two, see below */
		if (b % 6 != 5)
			team(g, gcode, TEAM_BUILDING_LEADER,
			     home && b == 1 ? "阳光社区楼栋长" : person(g),
			     home && b == 1 ? user_id(g, "loudong") : 0, bs[b].id, 0);
	if (nb && gi != 1)
		team(g, gcode, TEAM_BUILDING_LEADER, person(g), 0, bs[0].id, 0);
}

int demo_party(struct db *db, int64_t now)
{
	int64_t existing = 0;
	if (store_party_count(db, &existing,
	                      "SELECT count(*) FROM party_orgs WHERE region_code >= ? AND "
	                      "region_code < ?",
	                      "tt", "999901", "999901;") != DB_OK)
		return -1;
	if (existing)
		return 0; /* a refresh leaves existing party data alone */
	if (cli_add_user(db, "gongjian", "区住建局结对干部", DEMO_PASSWORD, "cadre", "999901001001",
	                 "区住建局") < 0)
		return -1;
	struct arena a;
	arena_init(&a);
	struct gen g = {.db = db, .a = &a, .now = now, .ok = true};
	int64_t unit_orgs[10];
	for (int u = 0; u < 10; u++)
		unit_orgs[u] = org(&g, arena_printf(&a, "%s机关党支部", units[u]), PARTY_BRANCH, 0,
		                   "999901", 0, units[u]);
	int64_t gongjian = user_id(&g, "gongjian"), ganbu = user_id(&g, "ganbu");
	for (int s = 0; s < 2 && g.ok; s++) {
		const char *street = arena_printf(&a, "999901%03d", s + 1);
		int64_t wc = org(&g, arena_printf(&a, "%s党工委", street_names[s]),
		                 PARTY_WORKING_COMMITTEE, 0, street, 0, NULL);
		for (int c = 0; c < 5 && g.ok; c++) {
			int ci = s * 5 + c;
			const char *cname = community_names[ci];
			const char *comm = arena_printf(&a, "%s%03d", street, c + 1);
			bool joint = c == 2;
			int64_t co =
			    org(&g, arena_printf(&a, "%s%s", cname, joint ? "联合党委" : "党委"),
			        joint ? PARTY_JOINT_COMMITTEE : PARTY_COMMITTEE, wc, comm, 0, NULL);
			for (int gi = 0; gi < 6; gi++)
				grid(&g, s, c, gi, arena_printf(&a, "%s%03d", comm, gi + 1), co);
			/* Functional branches: in-service members (their primary branch is their
			 * unit's) in 下沉力量, members of social organisations in 社会力量. */
			static const char *const fnames[4] = {
			    "下沉力量第一功能型党支部", "下沉力量第二功能型党支部",
			    "社会力量（社会组织）功能型党支部", "社会力量（市场主体）功能型党支部"};
			struct ref rs[12];
			size_t nr =
			    refs(&g,
			         "SELECT id, name, household_id FROM residents WHERE region_code "
			         ">= ?1 AND region_code < ?1 || ';' AND status = 'active' AND "
			         "id % 11 = 5 ORDER BY id LIMIT 12",
			         comm, rs, 12);
			size_t used = 0;
			for (int k = 0; k < 4 && g.ok; k++) {
				bool sinking = k < 2;
				int64_t fb = org(&g, arena_printf(&a, "%s%s", cname, fnames[k]),
				                 sinking ? PARTY_FUNCTIONAL_SINKING
				                         : PARTY_FUNCTIONAL_SOCIAL,
				                 co, comm, 0, NULL);
				for (int m = 0; m < (sinking ? 14 : 11) && g.ok; m++) {
					if (sinking) {
						int u = (ci + m) % 10;
						int64_t id = member(&g, person(&g), 0, 0,
						                    unit_orgs[u], "999901");
						check(&g,
						      store_party_memberships_add(db, id, fb, now));
					} else {
						bool linked = used < nr;
						member(&g, linked ? rs[used].name : person(&g),
						       linked ? rs[used].id : 0, 0, fb, comm);
						used += linked;
					}
				}
			}
			pairing(&g, ci, unit_orgs[ci], co, comm, units[ci]);
			/* Cadres: the paired unit's, 三官一律, one legal adviser per village (one
			 * village still lacks one). */
			const char *grid2 = arena_printf(&a, "%s002", comm);
			struct ref bs[2];
			size_t nb =
			    refs(&g,
			         "SELECT id, name, NULL FROM buildings WHERE region_code = ? "
			         "ORDER BY id LIMIT 1",
			         grid2, bs, 1);
			bool home = ci == 0;
			int64_t sink = cadre(&g, home ? "区住建局结对干部" : person(&g),
			                     CADRE_SINKING, units[ci], home ? gongjian : 0, comm,
			                     nb ? bs[0].id : 0, grid2, false);
			if (home)
				cadre(&g, "下沉干部", CADRE_SINKING, "区委组织部", ganbu, comm, 0,
				      NULL, false);
			cadre(&g, arena_printf(&a, "%s（社区民警）", person(&g)), CADRE_POLICE,
			      "区公安分局", 0, comm, 0, NULL, false);
			if (!(s == 1 && c == 4))
				cadre(&g, arena_printf(&a, "%s律师", person(&g)), CADRE_LAWYER,
				      "示范区律师事务所", 0, comm, 0, NULL, true);
			if (ci % 2 == 0)
				cadre(&g, arena_printf(&a, "%s法官", person(&g)), CADRE_JUDGE,
				      "区人民法院", 0, comm, 0, NULL, false);
			if (ci % 3 == 0)
				cadre(&g, arena_printf(&a, "%s检察官", person(&g)),
				      CADRE_PROSECUTOR, "区人民检察院", 0, comm, 0, NULL, false);
			reception(&g, sink, comm, -12, "住房保障与物业纠纷");
			reception(&g, sink, comm, 7, "老旧小区改造意见征集");
			if (g.ok)
				check(&g, store_cadre_service_add(db, sink, date_from(&g, -20), 3,
				                                  "入户走访", 0, now));
		}
	}
	int made = g.ok ? g.orgs : -1;
	arena_free(&a);
	return made;
}
