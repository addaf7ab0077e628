/* The demo district's command-platform data: one campaign over the whole district with six
 * items in each community (two in each of its first three grids) on the three lists, walked
 * to every state with timelines, and a joint meeting of 幸福街道. How far each community has
 * got differs (the verified share), so the board and the campaign map look like a real one. */
#include "cli/demo_command.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "store/command/campaigns.h"
#include "store/platform/users.h"

#include <stdio.h>
#include <string.h>

enum { COMMUNITIES = 10, PER_COMMUNITY = 6, DAY = 86400 };

/* Items verified (销号) per community, of six: 阳光社区 has two, so one more makes a visible
 * step on the map (the browser test takes it). */
static const int verified_of[COMMUNITIES] = {2, 5, 1, 3, 6, 0, 4, 2, 5, 3};

static const char *const lists[] = {"problem", "responsibility", "task"};
static const char *const titles[] = {
    "楼道堆物清理",     "消防通道占用整治", "电动车楼道充电排查", "单元门禁修复",
    "灭火器过期更换",   "飞线充电拆除",     "地下车库杂物清运",   "楼顶违规搭建排查",
    "安全出口指示修复", "小区消防栓检修",   "群租房消防隐患排查", "楼道照明更换",
};
static const char *const owners[] = {"物业服务企业", "社区居委会", "消防救援大队",
                                     "城管执法",     "网格工作站", "住建局"};

struct gen {
	struct db *db;
	struct arena *a;
	int64_t now, doer, checker;
	bool ok;
	int items;
};

static const char *date_at(struct gen *g, int64_t t)
{
	char buf[TIME_RFC3339_LEN];
	time_format(t, buf);
	return arena_printf(g->a, "%.10s", buf);
}

static int64_t user_id(struct gen *g, const char *name)
{
	struct user_row u;
	return store_users_by_name(g->db, g->a, name, &u) == DB_ROW ? u.id : 0;
}

static void event(struct gen *g, int64_t item, int64_t at, int64_t actor_id, const char *actor,
                  const char *action, const char *from, const char *to, const char *comment)
{
	if (!g->ok)
		return;
	struct citem_event e = {.item_id = item,
	                        .at = at,
	                        .actor_id = actor_id,
	                        .actor = actor,
	                        .action = action,
	                        .from_state = from,
	                        .to_state = to,
	                        .comment = comment};
	g->ok = store_citem_events_add(g->db, &e) == DB_OK;
}

/* Item k of community c (street s, community index ci) in state: 0 open, 1 assigned,
 * 2 done, 3 verified; a returned one (done, sent back) is assigned again. */
static void item(struct gen *g, int64_t campaign, const char *comm, int c, int k, int state,
                 const char *source_kind, int64_t source_id, int64_t source_n, const char *title)
{
	if (!g->ok)
		return;
	int64_t t0 = g->now - (int64_t)(18 - k - c % 3) * DAY;
	struct citem_row it = {
	    .campaign_id = campaign,
	    .list = lists[(c + k) % 3],
	    .region_code = arena_printf(g->a, "%s%03d", comm, k / 2 + 1),
	    .title = title ? title : titles[(c * 5 + k) % (sizeof titles / sizeof titles[0])],
	    .owner_unit =
	        state > 0 ? owners[(c + k * 7) % (sizeof owners / sizeof owners[0])] : NULL,
	    /* Deadlines from ten days ago to three weeks ahead: some lapse before they are done. */
	    .deadline = date_at(g, g->now + (int64_t)((c * 7 + k * 11) % 32 - 10) * DAY),
	    .source_kind = source_kind,
	    .source_id = source_id,
	    .source_n = source_n,
	    .state = state == 0   ? "open"
	             : state == 1 ? "assigned"
	             : state == 2 ? "done"
	                          : "verified",
	    .created_at = t0,
	};
	bool returned = state == 1 && k % 3 == 1;
	if (state >= 2 || returned) { /* a returned item keeps who reported it done */
		it.done_by = g->doer;
		it.done_at = returned ? t0 + 3 * DAY : t0 + 5 * DAY;
	}
	if (state == 3) {
		it.verified_by = g->checker;
		it.verified_at = t0 + 6 * DAY;
	}
	it.updated_at = state == 3 ? it.verified_at : state == 2 ? it.done_at : t0 + DAY;
	g->ok = store_citems_insert(g->db, &it) == DB_OK;
	/* An insert starts an item afresh; who did it and who ticked it off come by update. */
	if (g->ok && it.done_by)
		g->ok = store_citems_update(g->db, &it) == DB_OK;
	event(g, it.id, t0, g->checker, "幸福街道工作人员", "create", NULL, "open", NULL);
	if (state >= 1)
		event(g, it.id, t0 + DAY, g->checker, "幸福街道工作人员", "assign", "open",
		      "assigned", NULL);
	if (returned) {
		event(g, it.id, t0 + 3 * DAY, g->doer, "阳光社区书记", "done", "assigned", "done",
		      NULL);
		event(g, it.id, t0 + 4 * DAY, g->checker, "幸福街道工作人员", "return", "done",
		      "assigned", "现场复查仍有堆物，请继续清理");
	}
	if (state >= 2)
		event(g, it.id, it.done_at, g->doer, "阳光社区书记", "done", "assigned", "done",
		      "已清理完毕");
	if (state == 3)
		event(g, it.id, it.verified_at, g->checker, "幸福街道工作人员", "verify", "done",
		      "verified", "现场核验通过，予以销号");
	g->items += g->ok;
}

int demo_command(struct db *db, int64_t now)
{
	struct arena a;
	arena_init(&a);
	struct gen g = {.db = db, .a = &a, .now = now, .ok = true};
	struct campaign_row *rows;
	size_t n = 0;
	if (store_campaigns_list(db, &a, "", false, 0, 1, &rows, &n) != DB_OK) {
		arena_free(&a);
		return -1;
	}
	if (n) {
		arena_free(&a);
		return 0;
	}
	g.doer = user_id(&g, "shequ");
	g.checker = user_id(&g, "jiedao");
	char targets[1200];
	size_t used = (size_t)snprintf(targets, sizeof targets, "[");
	for (int c = 0; c < COMMUNITIES; c++)
		used +=
		    (size_t)snprintf(targets + used, sizeof targets - used,
		                     "%s{\"region_code\":\"999901%03d%03d\",\"target_count\":%d}",
		                     c ? "," : "", c / 5 + 1, c % 5 + 1, PER_COMMUNITY);
	snprintf(targets + used, sizeof targets - used, "]");
	struct campaign_row camp = {.region_code = "999901",
	                            .title = "楼道堆物与消防通道专项整治",
	                            .starts_on = date_at(&g, now - 20 * DAY),
	                            .ends_on = date_at(&g, now + 40 * DAY),
	                            .lead_unit = "区综治中心",
	                            .description =
	                                "清理楼道堆物、打通消防通道，问题、责任、任务三张"
	                                "清单挂图作战，逐项销号。",
	                            .targets = targets,
	                            .status = "active",
	                            .created_by = g.checker,
	                            .created_at = now - 20 * DAY,
	                            .updated_at = now - 20 * DAY};
	g.ok = store_campaigns_insert(db, &camp) == DB_OK;
	struct meeting_row m = {
	    .region_code = "999901001",
	    .held_on = date_at(&g, now - 15 * DAY),
	    .title = "幸福街道楼道堆物整治联席会议",
	    .units = "[\"街道综治办\",\"城管执法\",\"消防救援大队\",\"物业服务企业\"]",
	    .topics = "[\"楼道堆物与消防通道占用\",\"电动车楼道充电\"]",
	    .decisions = "[\"阳光社区一号楼楼道堆物由物业三日内清理\",\"城管执法牵头清理占用消防"
	                 "通道的车辆\",\"消防救援大队对各小区消防设施开展一次检查\"]",
	    .created_by = g.checker,
	    .created_at = now - 15 * DAY};
	if (g.ok)
		g.ok = store_meetings_insert(db, &m) == DB_OK;
	for (int c = 0; g.ok && c < COMMUNITIES; c++) {
		const char *comm = arena_printf(&a, "999901%03d%03d", c / 5 + 1, c % 5 + 1);
		int v = verified_of[c];
		for (int k = 0; k < PER_COMMUNITY; k++) {
			/* The first v verified, then done, assigned and open in turn. */
			int state = k < v ? 3 : (k - v) % 3 == 0 ? 2 : (k - v) % 3 == 1 ? 1 : 0;
			if (c == 0 &&
			    k == v) /* 阳光社区's first unverified item: from the meeting */
				item(&g, camp.id, comm, c, k, 1, "meeting", m.id, 1,
				     "阳光社区一号楼楼道堆物由物业三日内清理");
			else
				item(&g, camp.id, comm, c, k, state, NULL, 0, 0, NULL);
		}
	}
	int made = g.ok ? g.items : -1;
	arena_free(&a);
	return made;
}
