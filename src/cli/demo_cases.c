/* The demo district's cases: a few thousand fictitious reports over the last
 * 60 days, routed by the responsibility list and walked along the closed loop
 * to every state, with timelines whose times follow one another. */
#include "cli/demo_workers.h"
#include "cli/demo_cases.h"
#include "cli/demo_layout.h"
#include "core/arena.h"
#include "core/seal.h"
#include "core/timeutil.h"
#include "domain/deadline.h"
#include "store/cases/cases.h"
#include "store/platform/calendar.h"
#include "store/command/recurring.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A small deterministic generator so every demo database is the same. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return n ? (uint32_t)(rng_state % n) : 0;
}

struct demo_category {
	const char *code;
	const char *texts[3];
};

static const struct demo_category categories[] = {
    {"environment",
     {"楼道堆放垃圾无人清理", "小区绿化带内建筑垃圾长期堆放", "垃圾分类点满溢，异味严重"}},
    {"property", {"电梯频繁故障，物业维修不及时", "单元门禁损坏", "地下车库照明不亮"}},
    {"municipal", {"路灯损坏，夜间出行不便", "人行道地砖松动", "雨水井盖缺失"}},
    {"noise", {"夜间装修噪音扰民", "广场舞音量过大", "商铺外放音响噪音"}},
    {"livelihood", {"独居老人需要上门探访", "咨询低保申请流程", "残疾人出行需要帮助"}},
    {"dispute", {"邻里因漏水产生纠纷", "楼上楼下噪音纠纷", "车位占用引发矛盾"}},
    {"safety", {"楼道内电动车充电", "外墙瓷砖有脱落风险", "小区围墙出现裂缝"}},
    {"fire", {"消防通道被车辆堵塞", "楼道消防栓无水", "灭火器过期未更换"}},
    {"group_rental", {"疑似群租房，人员进出频繁", "住宅被隔成多个小间出租", "群租房内私拉电线"}},
    {"illegal_construction",
     {"顶楼违规搭建阳光房", "一楼住户私自扩建围墙", "小区内违规搭建彩钢棚"}},
};

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
static const char *const given[] = {"秀英", "建国", "桂兰", "志强", "海燕",
                                    "伟",   "芳",   "军",   "丽",   "明"};
static const char *const units[] = {
    "环卫所",     "物业服务企业", "市政管理处", "派出所",  "民政办", "社区人民调解委员会",
    "应急管理办", "消防救援大队", "住建局",     "城管执法"};

static bool add_event(struct db *db, int64_t case_id, int64_t at, const char *actor,
                      const char *role, const char *action, int from, int to, const char *comment,
                      const char *unit)
{
	struct case_event_row e = {.case_id = case_id,
	                           .at = at,
	                           .actor_id = demo_user_id(db, actor),
	                           .actor = actor,
	                           .role = role,
	                           .action = action,
	                           .from_state = from,
	                           .to_state = to,
	                           .comment = comment,
	                           .unit = unit};
	return store_case_events_add(db, &e) == DB_OK;
}

/* A timeline entry the system annotates (source, rating) apart from what the person wrote. */
static bool add_noted(struct db *db, int64_t case_id, int64_t at, const char *actor,
                      const char *role, const char *action, int from, int to, const char *note,
                      int rating, const char *unit)
{
	struct case_event_row e = {.case_id = case_id,
	                           .at = at,
	                           .actor_id = demo_user_id(db, actor),
	                           .actor = actor,
	                           .role = role,
	                           .action = action,
	                           .from_state = from,
	                           .to_state = to,
	                           .note = note,
	                           .rating = rating,
	                           .unit = unit};
	return store_case_events_add(db, &e) == DB_OK;
}

/* Places where the same trouble keeps coming back, so the demo shows recurring problems
 * (反复发生问题): every 97th case lands on one of them, a few metres from its point. The
 * choice does not draw from the generator, so the rest of the demo stays as it was. */
static const struct hotspot {
	int s, cm, g, category; /* street, community, grid (0-based); index in categories[] */
	double dx, dy;          /* degrees from the grid's origin */
	const char *address;
} hotspots[] = {
    {0, 0, 0, 0, 0.0012, 0.0009, "示范区幸福路18号3栋东侧垃圾分类点"},
    {0, 1, 2, 3, 0.0021, 0.0016, "示范区和平街6号底商"},
    {0, 2, 1, 7, 0.0008, 0.0025, "示范区光明里5栋消防通道"},
    {1, 0, 3, 2, 0.0030, 0.0011, "示范区建设路与文化街路口"},
    {1, 3, 0, 1, 0.0015, 0.0030, "示范区春晖小区2栋电梯"},
    {1, 4, 5, 8, 0.0026, 0.0022, "示范区民主巷12号"},
};

/* Tracking codes are random in the demo as everywhere: a code that could be derived from the
 * case's position (DEMO00000001…) would let anyone walk every case's progress. */
static void random_tracking_code(char out[13])
{
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	unsigned char raw[12];
	randombytes_buf(raw, sizeof raw);
	for (int i = 0; i < 12; i++)
		out[i] = alphabet[raw[i] % 32];
	out[12] = '\0';
}

int demo_cases(struct db *db, int count, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM cases");
	int64_t existing = st && db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	if (existing != 0)
		return 0; /* a refresh leaves existing cases alone */
	struct arena a;
	arena_init(&a);
	struct rule_row *rules;
	size_t nrules;
	if (store_rules_list(db, &a, &rules, &nrules) != DB_OK) {
		arena_free(&a);
		return -1;
	}
	struct routing_rule *flat = arena_alloc(&a, sizeof(*flat) * (nrules ? nrules : 1));
	for (size_t i = 0; i < nrules; i++)
		flat[i] = rules[i].rule;
	/* The deadlines count on the working-day calendar (holidays, 调休) like the server's. */
	struct work_calendar cal;
	if (store_calendar_load(db, &a, &cal) != DB_OK) {
		arena_free(&a);
		return -1;
	}
	int day_serial[64] = {0};
	int made = 0;
	for (int i = 0; i < count; i++) {
		const struct demo_category *dc = &categories[rnd(10)];
		const struct hotspot *hot =
		    i % 97 == 5 ? &hotspots[(i / 97) % (int)(sizeof hotspots / sizeof hotspots[0])]
		                : NULL;
		if (hot)
			dc = &categories[hot->category];
		struct category_row cat;
		if (store_categories_get(db, &a, dc->code, &cat) != DB_ROW)
			continue;
		int s = (int)rnd(2), cm = (int)rnd(5), g = (int)rnd(6);
		if (hot) {
			s = hot->s;
			cm = hot->cm;
			g = hot->g;
		}
		char grid[40];
		snprintf(grid, sizeof grid, "999901%03d%03d%03d", s + 1, cm + 1, g + 1);
		/* Older cases are further along: the age decides how far the loop has come. */
		int age_days = (int)rnd(60);
		int64_t created = now - age_days * 86400 - (int64_t)rnd(86400);
		struct case_row c;
		memset(&c, 0, sizeof c);
		c.category = dc->code;
		c.tier = cat.default_tier;
		c.level = c.tier == TIER_MINOR     ? REGION_GRID
		          : c.tier == TIER_PRIVATE ? REGION_COMMUNITY
		                                   : REGION_STREET;
		c.region_code = grid;
		c.description = dc->texts[rnd(3)];
		static const char *const sources[] = {"resident", "patrol", "hotline", "building",
		                                      "reception"};
		static const char *const source_names[] = {"居民反映", "网格巡查", "12345 热线",
		                                           "楼栋长报告", "接待日来访"};
		static const char *const source_roles[] = {"resident", "grid_worker", "district",
		                                           "building_leader", "cadre"};
		uint32_t src = rnd(5);
		c.source = sources[src];
		c.has_location = true;
		demo_grid_origin(s, cm, g, &c.lon, &c.lat);
		c.lon += rnd(4000) / 1e6;
		c.lat += rnd(4000) / 1e6;
		if (hot) {
			demo_grid_origin(s, cm, g, &c.lon, &c.lat);
			c.lon += hot->dx + (i % 5) * 2e-5;
			c.lat += hot->dy + (i % 3) * 2e-5;
		}
		char addr[64], name[16] = "匿名", phone[16];
		snprintf(addr, sizeof addr, "示范区幸福路%d号%d栋", 1 + (int)rnd(300),
		         1 + (int)rnd(20));
		c.address = addr;
		if (hot)
			c.address = hot->address;
		c.anonymous = rnd(10) == 0;
		unsigned char *sealed = NULL;
		if (!c.anonymous) {
			snprintf(name, sizeof name, "%s%s", surnames[rnd(10)], given[rnd(10)]);
			snprintf(phone, sizeof phone, "139%08u", rnd(100000000));
			c.reporter_name = name;
			size_t len;
			if (seal_ready() && seal_encrypt(phone, strlen(phone), &sealed, &len)) {
				c.reporter_phone = sealed;
				c.reporter_phone_len = len;
			}
		}
		long hit = routing_match(flat, nrules, c.category, c.tier, c.level, c.region_code);
		int64_t accept_h = hit >= 0 ? flat[hit].accept_hours : 4;
		int64_t handle_h = hit >= 0 ? flat[hit].handle_hours : 72;
		c.unit = hit >= 0 ? flat[hit].unit : NULL;
		c.rule_id = hit >= 0 ? flat[hit].id : 0;
		c.accept_due = deadline_add_working_hours(&cal, created, accept_h);
		c.handle_due = c.tier == TIER_MINOR
		                   ? deadline_end_of_day(created)
		                   : deadline_add_working_hours(&cal, created, handle_h);
		char day[TIME_RFC3339_LEN];
		time_format(created, day);
		c.number =
		    arena_printf(&a, "SJ%.4s%.2s%.2s%06d", day, day + 5, day + 8,
		                 ++day_serial[(now + 28800) / 86400 - (created + 28800) / 86400]);
		char tracking[13];
		random_tracking_code(tracking);
		c.tracking_code = arena_strdup(&a, tracking);
		/* Some reporters let the public read what they wrote (Open311 without a key). */
		c.publish_description = !c.anonymous && i % 3 == 0;
		c.status = CASE_REPORTED;
		c.created_at = c.updated_at = created;
		if (store_cases_insert(db, &c) != DB_OK) {
			free(sealed);
			arena_free(&a);
			return -1;
		}
		free(sealed);
		/* As a report would: recurring problems are kept as the cases come in. */
		if (store_recurring_note(db, &a, &c, NULL) != DB_OK) {
			arena_free(&a);
			return -1;
		}
		/* The grid's own worker patrols, self-handles and verifies (demo_workers.c). */
		const char *worker = "wangge";
		demo_grid_worker(db, &a, grid, &worker);
		const char *source_actors[] = {NULL, worker, "zhihui", "loudong", "ganbu"};
		bool ok = add_noted(db, c.id, created, src ? source_actors[src] : name,
		                    source_roles[src], "report", -1, CASE_REPORTED,
		                    arena_printf(&a, "来源：%s", source_names[src]), 0, c.unit);
		/* Walk the loop: steps spaced by a few hours, stopping at a state chosen by age.
		 * As in a district that keeps up: most cases close within days, a few linger
		 * (and are overdue), today's are still being taken in. */
		int closed_pct = age_days > 20  ? 99
		                 : age_days > 7 ? 96
		                 : age_days > 1 ? 80
		                 : age_days     ? 40
		                                : 0;
		int steps = (int)rnd(100) < closed_pct ? 6 : (int)rnd(age_days > 1 ? 6 : 4);
		int64_t t = created;
		const char *desk = c.level == REGION_GRID ? "wanggezhang" : "shequ";
		const char *desk_role = c.level == REGION_GRID ? "grid_leader" : "community";
		if (steps > 0 && rnd(30) == 0) {
			t += 3600;
			ok = ok && add_event(db, c.id, t, desk, desk_role, "reject", CASE_REPORTED,
			                     CASE_REJECTED, "不属于受理范围，已告知反映人", NULL);
			c.status = CASE_REJECTED;
			c.closed_at = t;
			steps = 0;
		}
		if (steps >= 1) {
			t += 1800 + rnd(4 * 3600);
			ok = ok && add_event(db, c.id, t, desk, desk_role, "accept", CASE_REPORTED,
			                     CASE_ACCEPTED, NULL, NULL);
			c.status = CASE_ACCEPTED;
			c.accepted_at = t;
		}
		bool self = c.tier == TIER_MINOR && rnd(2);
		if (steps >= 2 && !self) {
			t += 600 + rnd(3600);
			if (!c.unit || strcmp(c.unit, "网格服务团队") == 0)
				c.unit = units[rnd(10)];
			ok = ok && add_event(db, c.id, t, desk, desk_role, "dispatch",
			                     CASE_ACCEPTED, CASE_DISPATCHED, NULL, c.unit);
			c.status = CASE_DISPATCHED;
		}
		if (steps >= 3) {
			t += 1800 + rnd(6 * 3600);
			ok = ok && add_event(db, c.id, t, self ? worker : "chengguan",
			                     self ? "grid_worker" : "department", "start", c.status,
			                     CASE_HANDLING, NULL, NULL);
			c.status = CASE_HANDLING;
		}
		if (steps >= 4) {
			t += 3600 + rnd(c.tier == TIER_MINOR ? 4 * 3600 : 48 * 3600);
			c.result = "已现场处置完毕";
			c.public_reply = "您反映的问题已处理完毕，感谢您的监督。";
			ok = ok && add_event(db, c.id, t, self ? worker : "chengguan",
			                     self ? "grid_worker" : "department", "handle",
			                     CASE_HANDLING, CASE_HANDLED, c.result, NULL);
			c.status = CASE_HANDLED;
			c.handled_at = t;
		}
		if (steps >= 5) {
			t += 1800 + rnd(8 * 3600);
			ok = ok && add_event(db, c.id, t, worker, "grid_worker", "verify",
			                     CASE_HANDLED, CASE_VERIFIED, "现场核查属实", NULL);
			c.status = CASE_VERIFIED;
		}
		if (steps >= 6) {
			t += 3600 + rnd(24 * 3600);
			uint32_t r = rnd(100);
			c.rating = r < 90   ? RATING_SATISFIED
			           : r < 98 ? RATING_BASIC
			                    : RATING_UNSATISFIED;
			c.status = case_flow_after_feedback(c.rating);
			if (c.status == CASE_CLOSED)
				c.closed_at = t;
			ok = ok && add_noted(db, c.id, t, c.anonymous ? "回访" : name, "resident",
			                     "feedback", CASE_VERIFIED, c.status,
			                     arena_printf(&a, "评价：%s",
			                                  c.rating == RATING_SATISFIED ? "满意"
			                                  : c.rating == RATING_BASIC ? "基本满意"
			                                                             : "不满意"),
			                     (int)c.rating, NULL);
		}
		/* A few overdue open cases are being supervised by the district. */
		if (case_state_open(c.status) && c.handle_due < now && rnd(3) == 0) {
			c.supervised = true;
			c.supervise_note = "超期未办结，请加快处置";
			ok = ok && add_event(db, c.id, t + 60, "zhihui", "district", "supervise",
			                     c.status, c.status, c.supervise_note, NULL);
		}
		c.updated_at = t;
		if (!ok || store_cases_update(db, &c) != DB_OK) {
			arena_free(&a);
			return -1;
		}
		made++;
		if (i % 256 == 255) { /* bounded memory: per-case strings are transient */
			arena_free(&a);
			arena_init(&a);
			store_rules_list(db, &a, &rules, &nrules);
			if (store_calendar_load(db, &a, &cal) != DB_OK) {
				arena_free(&a);
				return -1;
			}
			flat = arena_alloc(&a, sizeof(*flat) * (nrules ? nrules : 1));
			for (size_t k = 0; k < nrules; k++)
				flat[k] = rules[k].rule;
		}
	}
	arena_free(&a);
	return made;
}
