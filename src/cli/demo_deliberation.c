/* The demo district's deliberation: 阳光社区 runs the six steps (民事民提 → 民议 → 民决 → 民筹 →
 * 民办 → 民评) with a topic in every stage, 明珠社区 (和平街道, taken as a village) runs
 * 四议两公开; the topics past their decision carry a ballot of the first grid's households closed
 * with its result frozen, as the server would have closed it. Four resident accounts are linked to
 * households so that the phone pages can vote. 阳光社区's 最美家庭 selection (评选) is closed
 * with its three elected households, in its 公示 period. */
#include "cli/demo_deliberation.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "domain/selection.h"
#include "domain/topic_flow.h"
#include "store/deliberation/deliberation.h"
#include "store/platform/users.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DAY = 86400 };

#define DEMO_PASSWORD "Demo@2026jc"

#define COMM    "999901001001"
#define GRID    "999901001001001"
#define VILLAGE "999901002005"

struct gen {
	struct db *db;
	struct arena a;
	int64_t now, staff;
	bool ok;
	int topics;
};

static int64_t user_id(struct gen *g, const char *name)
{
	struct user_row u;
	return store_users_by_name(g->db, &g->a, name, &u) == DB_ROW ? u.id : 0;
}

/* The first n households of the grid with an active member, and for each its first two
 * active members (0 when it has one). */
static int households(struct gen *g, int64_t hh[][3], int n)
{
	struct db_stmt *st = db_prepare(
	    g->db, "SELECT h.id, (SELECT min(r.id) FROM residents r WHERE r.household_id = h.id "
	           "AND r.status = 'active'), (SELECT min(r.id) FROM residents r WHERE "
	           "r.household_id = h.id AND r.status = 'active' AND r.id > (SELECT min(x.id) "
	           "FROM residents x WHERE x.household_id = h.id AND x.status = 'active')) FROM "
	           "households h WHERE h.region_code = '" GRID "' AND EXISTS (SELECT 1 FROM "
	           "residents r WHERE r.household_id = h.id AND r.status = 'active') ORDER BY "
	           "h.id LIMIT 40");
	if (!st)
		return -1;
	int k = 0, two = -1;
	int64_t rows[40][3];
	while (k < 40 && db_step(st) == DB_ROW) {
		rows[k][0] = db_col_int(st, 0);
		rows[k][1] = db_col_int(st, 1);
		rows[k][2] = db_col_int(st, 2);
		if (two < 0 && rows[k][2])
			two = k;
		k++;
	}
	db_done(st);
	/* The household with two members first (yishi1 and yishi2 share it). */
	int m = 0;
	if (two >= 0)
		memcpy(hh[m++], rows[two], sizeof rows[0]);
	for (int i = 0; i < k && m < n; i++)
		if (i != two)
			memcpy(hh[m++], rows[i], sizeof rows[0]);
	return m;
}

static void link_accounts(struct gen *g)
{
	int64_t hh[3][3];
	int n = households(g, hh, 3);
	if (n < 3) {
		g->ok = n >= 0;
		return;
	}
	static const char *const names[] = {"yishi1", "yishi2", "yishi3", "yishi4"};
	static const char *const shown[] = {"居民议事甲", "居民议事乙", "居民议事丙", "居民议事丁"};
	/* yishi1, yishi2: one household (its two members); yishi3, yishi4: the next two. */
	const int64_t person[4][2] = {
	    {hh[0][1], hh[0][0]}, {hh[0][2], hh[0][0]}, {hh[1][1], hh[1][0]}, {hh[2][1], hh[2][0]}};
	for (int i = 0; g->ok && i < 4; i++) {
		if (!person[i][0])
			continue;
		g->ok = cli_add_user(g->db, names[i], shown[i], DEMO_PASSWORD, "resident", GRID,
		                     NULL) >= 0;
		int64_t uid = g->ok ? user_id(g, names[i]) : 0;
		if (uid)
			g->ok = store_user_resident_link(g->db, uid, person[i][0], person[i][1],
			                                 g->now) == DB_OK;
	}
}

static int64_t topic(struct gen *g, const char *region, const char *proc, const char *title,
                     const char *body, const char *const *path, int steps, int64_t started)
{
	if (!g->ok)
		return 0;
	struct topic_row t = {.region_code = region,
	                      .procedure = proc,
	                      .stage = "proposed",
	                      .title = title,
	                      .body = body,
	                      .proposer_id = g->staff,
	                      .target_money = 20000,
	                      .target_labour = 120,
	                      .created_at = started};
	g->ok = store_topics_insert(g->db, &t) == DB_OK;
	struct topic_event_row e = {
	    .topic_id = t.id, .at = started, .user_id = g->staff, .to_stage = "proposed"};
	if (g->ok)
		g->ok = store_topic_events_add(g->db, &e) == DB_OK;
	int64_t at = started;
	const char *from = "proposed";
	for (int i = 0; g->ok && i < steps; i++) {
		at += 2 * DAY;
		enum topic_stage s = TSTAGE_PROPOSED;
		topic_stage_parse(path[i], &s);
		int64_t until = topic_stage_discloses(s) ? at + 7 * DAY : 0;
		struct topic_event_row x = {.topic_id = t.id,
		                            .at = at,
		                            .user_id = g->staff,
		                            .from_stage = from,
		                            .to_stage = path[i],
		                            .comment = strcmp(path[i], "rejected") == 0
		                                           ? "经议事会讨论，不属于本社区可办事项"
		                                           : NULL};
		g->ok = store_topics_set_stage(g->db, t.id, path[i], until, at) == DB_OK &&
		        store_topic_events_add(g->db, &x) == DB_OK;
		from = path[i];
	}
	g->topics += g->ok;
	return t.id;
}

static void meeting(struct gen *g, int64_t topic_id, const char *region, const char *stage,
                    const char *venue, int64_t at, const char *minutes)
{
	if (!g->ok)
		return;
	struct topic_meeting_row m = {.topic_id = topic_id,
	                              .region_code = region,
	                              .stage = stage,
	                              .venue = venue,
	                              .held_at = at,
	                              .place = "红色议事厅",
	                              .minutes = minutes,
	                              .created_by = g->staff,
	                              .created_at = at};
	g->ok = store_topic_meetings_insert(g->db, &m) == DB_OK;
}

/* A ballot of the first grid's households in stage, voted by a share of them; closed (with
 * its result counted and frozen) unless open. */
static void ballot(struct gen *g, int64_t topic_id, const char *region, const char *stage,
                   const char *question, int64_t opens, bool open, int turnout_pct, int yes_pct)
{
	if (!g->ok)
		return;
	struct ballot_row b = {.topic_id = topic_id,
	                       .region_code = region,
	                       .stage = stage,
	                       .question = question,
	                       .options = "[\"同意\",\"不同意\",\"弃权\"]",
	                       .unit = "household",
	                       .preset = "household_reps",
	                       .quorum_num = 2,
	                       .quorum_den = 3,
	                       .quorum_more = false,
	                       .threshold_num = 1,
	                       .threshold_den = 2,
	                       .threshold_more = true,
	                       .opens_at = opens,
	                       .closes_at = open ? g->now + 3 * DAY : opens + 3 * DAY,
	                       .created_by = g->staff,
	                       .created_at = opens};
	g->ok = store_ballots_insert(g->db, &b) == DB_OK &&
	        store_ballot_register_fill(g->db, &b, 2008) == DB_OK;
	struct db_stmt *st = g->ok ? db_prepare(g->db, "SELECT voter FROM ballot_register WHERE "
	                                               "ballot_id = ? ORDER BY voter")
	                           : NULL;
	int64_t voters[2000];
	int n = 0;
	if (st) {
		db_bind_int(st, 1, b.id);
		while (n < 2000 && db_step(st) == DB_ROW)
			voters[n++] = db_col_int(st, 0);
		db_done(st);
	}
	/* The linked demo households (the first three) stay free to vote on the open one. */
	for (int i = open ? 3 : 0; g->ok && i < n; i++) {
		if ((i * 37 % 100) >= turnout_pct)
			continue;
		int pick = (i * 53 % 100) < yes_pct ? 0 : (i % 5 == 0 ? 2 : 1);
		g->ok =
		    store_ballot_vote(g->db, b.id, voters[i], pick, 0, true, opens + DAY) == DB_OK;
	}
	if (!g->ok || open)
		return;
	int64_t counts[3];
	struct ballot_rule rule = {BALLOT_HOUSEHOLD, {2, 3, false}, {1, 2, true}};
	struct ballot_outcome o;
	g->ok = store_ballot_counts(g->db, b.id, counts, 3) == DB_OK &&
	        store_ballot_cast(g->db, b.id, &b.cast_count) == DB_OK;
	ballot_outcome(&rule, b.eligible, counts, 3, &o);
	b.quorum_met = o.quorum_met;
	b.passed = o.passed;
	b.counts = arena_printf(&g->a, "[%lld,%lld,%lld]", (long long)counts[0],
	                        (long long)counts[1], (long long)counts[2]);
	if (g->ok)
		g->ok = store_ballot_close(g->db, &b, b.closes_at) == DB_OK;
}

static void ledger(struct gen *g, int64_t topic_id, const char *region, const char *kind,
                   const char *resource, int64_t amount, const char *note, int64_t at)
{
	if (!g->ok)
		return;
	struct ledger_row l = {.topic_id = topic_id,
	                       .region_code = region,
	                       .kind = kind,
	                       .resource = resource,
	                       .amount = amount,
	                       .note = note,
	                       .created_at = at};
	g->ok = store_ledger_insert(g->db, &l) == DB_OK;
}

static void task(struct gen *g, int64_t topic_id, const char *region, const char *title,
                 const char *owner, const char *deadline, int64_t done)
{
	if (!g->ok)
		return;
	struct topic_task_row k = {.topic_id = topic_id,
	                           .region_code = region,
	                           .title = title,
	                           .owner = owner,
	                           .deadline = deadline,
	                           .created_by = g->staff,
	                           .created_at = g->now};
	g->ok = store_topic_tasks_insert(g->db, &k) == DB_OK;
	if (g->ok && done)
		g->ok = store_topic_tasks_done(g->db, k.id, done) == DB_OK;
}

/* The 最美家庭 selection: five households of the grid nominated (one declined), a ballot with
 * three places over the four accepted, voted on paper by nine in ten households (each choosing
 * up to three by a fixed pattern), closed with its count and elected frozen. */
static void selection(struct gen *g)
{
	static const char *const path[] = {"discussing", "deciding", "pledging"};
	int64_t start = g->now - 12 * DAY;
	int64_t id =
	    topic(g, COMM, "six_step", "2026年度“最美家庭”评选",
	          "评选孝老爱亲、邻里和睦、热心公益的最美家庭3户，结果公示7天。", path, 3, start);
	if (!g->ok)
		return;
	g->ok = store_selection_insert(g->db, id, 3, g->staff, start) == DB_OK;
	int64_t hh[6][3];
	int n = households(g, hh, 6);
	if (n < 5) {
		g->ok = n >= 0;
		return;
	}
	static const char *const reasons[] = {"照顾瘫痪老人十余年，孝老爱亲",
	                                      "调解邻里纠纷，热心楼道事务", "常年参加社区志愿服务",
	                                      "家风家教好，子女勤学上进", "主动清理楼道杂物"};
	json_t *labels = json_array(), *ids = json_array();
	for (int i = 0; g->ok && i < 5; i++) {
		struct household_place p;
		char label[256];
		g->ok = store_household_place(g->db, &g->a, hh[i][0], &p) == DB_ROW;
		if (!g->ok)
			break;
		selection_household_label(p.building, p.unit, p.room, p.head_name, label,
		                          sizeof label);
		struct nomination_row m = {.topic_id = id,
		                           .region_code = COMM,
		                           .nominee_kind = "household",
		                           .household_id = hh[i][0],
		                           .label = label,
		                           .reason = reasons[i],
		                           .nominated_by = g->staff,
		                           .created_at = start + 2 * DAY + i * 3600};
		bool accept = i != 4;
		g->ok = store_nominations_insert(g->db, &m) == DB_OK &&
		        store_nomination_review(g->db, m.id, accept ? "accepted" : "declined",
		                                accept ? NULL : "与另一提名重复", g->staff,
		                                start + 3 * DAY) == DB_OK;
		if (accept) {
			json_array_append_new(labels, json_string(label));
			json_array_append_new(ids, json_integer(m.id));
		}
	}
	char *l = json_dumps(labels, JSON_COMPACT), *d = json_dumps(ids, JSON_COMPACT);
	json_decref(labels);
	json_decref(ids);
	int64_t opens = start + 4 * DAY;
	struct ballot_row b = {.topic_id = id,
	                       .region_code = COMM,
	                       .stage = "deciding",
	                       .question = "请选出3户“最美家庭”（每户限选3户）",
	                       .options = l ? arena_printf(&g->a, "%s", l) : NULL,
	                       .nominations = d ? arena_printf(&g->a, "%s", d) : NULL,
	                       .seats = 3,
	                       .unit = "household",
	                       .quorum_num = 1,
	                       .quorum_den = 2,
	                       .threshold_num = 1,
	                       .threshold_den = 2,
	                       .threshold_more = true,
	                       .opens_at = opens,
	                       .closes_at = opens + 3 * DAY,
	                       .created_by = g->staff,
	                       .created_at = opens};
	free(l);
	free(d);
	if (g->ok)
		g->ok = b.options && b.nominations && store_ballots_insert(g->db, &b) == DB_OK &&
		        store_ballot_register_fill(g->db, &b, 2008) == DB_OK;
	struct db_stmt *st = g->ok ? db_prepare(g->db, "SELECT voter FROM ballot_register WHERE "
	                                               "ballot_id = ? ORDER BY voter")
	                           : NULL;
	int64_t voters[2000];
	int nv = 0;
	if (st) {
		db_bind_int(st, 1, b.id);
		while (nv < 2000 && db_step(st) == DB_ROW)
			voters[nv++] = db_col_int(st, 0);
		db_done(st);
	}
	/* Options chosen by voter i, by i % 10 (bit k: option k); one in ten does not vote. */
	static const int64_t masks[10] = {7, 7, 13, 11, 5, 6, 9, 2, 12, 0};
	for (int i = 0; g->ok && i < nv; i++)
		if (masks[i % 10])
			g->ok = store_ballot_vote(g->db, b.id, voters[i], masks[i % 10], 0, true,
			                          opens + DAY) == DB_OK;
	int64_t *choices = NULL, *weights = NULL, counts[4] = {0};
	size_t m = 0;
	if (g->ok)
		g->ok = store_ballot_choice_counts(g->db, &g->a, b.id, &choices, &weights, &m) ==
		            DB_OK &&
		        store_ballot_cast(g->db, b.id, &b.cast_count) == DB_OK;
	for (size_t i = 0; g->ok && i < m; i++)
		selection_tally(choices[i], weights[i], counts, 4);
	enum selection_place places[4];
	bool tie;
	int elected = selection_elect(counts, 4, 3, places, &tie);
	b.quorum_met = b.eligible > 0 && b.cast_count * 2 >= b.eligible;
	b.passed = b.quorum_met && elected > 0;
	b.counts = arena_printf(&g->a, "[%lld,%lld,%lld,%lld]", (long long)counts[0],
	                        (long long)counts[1], (long long)counts[2], (long long)counts[3]);
	b.elected = arena_printf(&g->a, "[\"%s\",\"%s\",\"%s\",\"%s\"]",
	                         selection_place_code(places[0]), selection_place_code(places[1]),
	                         selection_place_code(places[2]), selection_place_code(places[3]));
	if (g->ok)
		g->ok = store_ballot_close(g->db, &b, b.closes_at) == DB_OK;
}

int demo_deliberation(struct db *db, int64_t now)
{
	struct gen g = {.db = db, .now = now, .ok = true};
	arena_init(&g.a);
	int64_t existing = 0;
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM topics");
	if (st && db_step(st) == DB_ROW)
		existing = db_col_int(st, 0);
	if (st)
		db_done(st);
	if (!st || existing) {
		arena_free(&g.a);
		return st ? 0 : -1;
	}
	g.staff = user_id(&g, "shequ");
	link_accounts(&g);
	static const char *const six[] = {"discussing", "deciding",   "pledging",
	                                  "executing",  "evaluating", "closed"};
	int64_t t0 = now - 40 * DAY;
	topic(&g, COMM, "six_step", "小区东门增设电动自行车充电棚",
	      "东门一带电动车多，楼道充电隐患大，建议在东门空地建充电棚。", six, 0, now - 2 * DAY);
	int64_t d = topic(&g, GRID, "six_step", "第一网格楼道照明改造",
	                  "3号楼至6号楼楼道灯常坏，建议统一换成声控LED灯。", six, 1, now - 5 * DAY);
	meeting(&g, d, GRID, "discussing", "grid", now - 2 * DAY, NULL);
	int64_t v =
	    topic(&g, GRID, "six_step", "健身广场夜间噪声公约",
	          "广场舞音量与时间约定：晚九点后停止，音量不超过55分贝。", six, 2, now - 8 * DAY);
	meeting(&g, v, GRID, "discussing", "grid", now - 5 * DAY, "议定公约草案，提交居民表决。");
	ballot(&g, v, GRID, "deciding", "是否同意《健身广场夜间噪声公约》？", now - DAY, true, 0,
	       0);
	static const struct {
		const char *title, *body;
		int steps;
	} later[] = {
	    {"老旧小区加装休息座椅", "在中心花园和各楼门口加装休息座椅，方便老人。", 3},
	    {"垃圾分类投放点改造", "合并两处投放点，加装洗手池和雨棚。", 4},
	    {"楼间空地改建口袋公园", "把6号楼和7号楼之间的空地改建为口袋公园。", 5},
	    {"小区围墙彩绘", "组织居民志愿者对北侧围墙进行主题彩绘。", 6},
	};
	for (size_t i = 0; g.ok && i < sizeof later / sizeof later[0]; i++) {
		int64_t start = t0 + (int64_t)i * 3 * DAY;
		int64_t id = topic(&g, GRID, "six_step", later[i].title, later[i].body, six,
		                   later[i].steps, start);
		meeting(&g, id, GRID, "discussing", i % 2 ? "building" : "grid", start + 3 * DAY,
		        "与会居民充分讨论，形成方案，提交表决。");
		ballot(&g, id, GRID, "deciding",
		       arena_printf(&g.a, "是否同意“%s”方案？", later[i].title), start + 4 * DAY,
		       false, 72 + (int)i * 3, 70 - (int)i * 4);
		ledger(&g, id, GRID, "pledge", "money", 6000 + 1500 * (int64_t)i, NULL,
		       start + 7 * DAY);
		ledger(&g, id, GRID, "pledge", "money", 8000, NULL, start + 8 * DAY);
		ledger(&g, id, GRID, "pledge", "labour", 60 + 10 * (int64_t)i, NULL,
		       start + 8 * DAY);
		if (later[i].steps >= 4) {
			ledger(&g, id, GRID, "spend", "money", 9800, "材料采购", start + 9 * DAY);
			task(&g, id, GRID, "采购材料", "社区居委会", "2026-11-30", start + 9 * DAY);
			task(&g, id, GRID, "组织志愿者施工", "第一网格网格长", "2026-12-15",
			     later[i].steps >= 5 ? start + 10 * DAY : 0);
		}
		for (int k = 0; g.ok && later[i].steps >= 5 && k < 3; k++) {
			int64_t uid = user_id(&g, k == 0 ? "yishi1" : k == 1 ? "yishi3" : "yishi4");
			if (uid)
				g.ok = store_topic_rate(db, id, uid, k == 2 ? "basic" : "satisfied",
				                        NULL, start + 12 * DAY) == DB_OK;
		}
	}
	selection(&g);
	static const char *const rej[] = {"rejected"};
	topic(&g, COMM, "six_step", "在小区内开设棋牌室", "希望利用地下室开设棋牌室。", rej, 1,
	      now - 20 * DAY);
	/* 四议两公开 in 明珠社区, taken as a village. */
	static const char *const four[] = {
	    "consulted", "reviewed",      "resolved", "resolution_public",
	    "executing", "result_public", "closed"};
	int64_t a = topic(&g, VILLAGE, "four_two", "村道硬化及路灯安装",
	                  "村党组织提议：硬化东组至西组村道1.2公里，并安装太阳能路灯40盏。", four,
	                  1, now - 6 * DAY);
	meeting(&g, a, VILLAGE, "consulted", "community", now - 3 * DAY,
	        "村两委联席会议商议，同意提交党员大会审议。");
	int64_t b = topic(&g, VILLAGE, "four_two", "村集体鱼塘承包方案",
	                  "村党组织提议：鱼塘对外公开承包，期限五年，收益用于村公益事业。", four, 3,
	                  now - 25 * DAY);
	meeting(&g, b, VILLAGE, "consulted", "community", now - 22 * DAY, "两委商议同意。");
	meeting(&g, b, VILLAGE, "reviewed", "community", now - 20 * DAY, "党员大会审议通过。");
	ballot(&g, b, VILLAGE, "reviewed", "是否同意鱼塘公开承包方案？（户代表会议）",
	       now - 20 * DAY, false, 75, 68);
	ledger(&g, b, VILLAGE, "spend", "money", 3000, "公示栏制作", now - 10 * DAY);
	int64_t c = topic(&g, VILLAGE, "four_two", "村卫生室修缮",
	                  "村党组织提议：修缮村卫生室屋顶和候诊区。", four, 6, now - 38 * DAY);
	meeting(&g, c, VILLAGE, "consulted", "community", now - 35 * DAY, "两委商议同意。");
	meeting(&g, c, VILLAGE, "reviewed", "community", now - 33 * DAY, "党员大会审议通过。");
	ballot(&g, c, VILLAGE, "reviewed", "是否同意村卫生室修缮方案？（户代表会议）",
	       now - 33 * DAY, false, 80, 77);
	ledger(&g, c, VILLAGE, "spend", "money", 42000, "屋顶防水及候诊区翻新", now - 15 * DAY);
	task(&g, c, VILLAGE, "屋顶防水施工", "村委会", "2026-11-20", now - 14 * DAY);
	arena_free(&g.a);
	return g.ok ? g.topics : -1;
}
