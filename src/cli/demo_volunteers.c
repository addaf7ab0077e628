/* The demo district's volunteers (志愿服务) and field logs (民情走访, 巡查): fictitious teams
 * of 阳光社区 with a history of activities, hours and points, coming activities with a
 * waiting list, and a month of the grid workers' visits and patrols. */
#include "cli/demo_volunteers.h"
#include "core/arena.h"
#include "domain/care.h"
#include "domain/volunteer.h"
#include "store/platform/users.h"
#include "store/volunteers/volunteers.h"

#include <stdio.h>
#include <string.h>

#define COMM  "999901001001"
#define GRID1 "999901001001001"
#define GRID2 "999901001001002"

enum { PEOPLE = 24 };

static int64_t user_id(struct db *db, struct arena *a, const char *name)
{
	struct user_row u;
	return store_users_by_name(db, a, name, &u) == DB_ROW ? u.id : 0;
}

struct demo_vol {
	struct db *db;
	struct arena *a;
	int64_t now, organiser;
	struct vol_person people[PEOPLE + 1];
	size_t npeople;
	unsigned seed;
};

static unsigned rnd(struct demo_vol *d)
{
	d->seed = d->seed * 1103515245u + 12345u;
	return (d->seed >> 16) & 0x7fff;
}

/* One activity of team with sign-ups of the people from first on, taking places then
 * waiting; past ones checked in and confirmed (most of them), with their ledger entries. */
static bool activity(struct demo_vol *d, int64_t team, const char *title, const char *place,
                     int64_t starts, int64_t hours, int64_t capacity, size_t first, size_t count)
{
	unsigned char r[VOL_CODE_LEN];
	for (int i = 0; i < VOL_CODE_LEN; i++)
		r[i] = (unsigned char)rnd(d);
	char code[VOL_CODE_LEN + 1];
	vol_checkin_code(r, code);
	struct vol_activity_row v = {.team_id = team,
	                             .region_code = COMM,
	                             .title = title,
	                             .place = place,
	                             .starts_at = starts,
	                             .ends_at = starts + hours * 3600,
	                             .capacity = capacity,
	                             .code = code,
	                             .created_by = d->organiser,
	                             .created_at = starts - 7 * 86400,
	                             .updated_at = starts - 7 * 86400};
	if (store_vol_activities_insert(d->db, &v) != DB_OK)
		return false;
	bool past = v.ends_at < d->now;
	for (size_t k = 0; k < count; k++) {
		const struct vol_person *p = &d->people[(first + k) % d->npeople];
		struct vol_signup_row s = {.activity_id = v.id,
		                           .region_code = COMM,
		                           .person = p->person,
		                           .user_id = p->user_id,
		                           .resident_id = p->resident_id,
		                           .created_by = d->organiser,
		                           .created_at = v.created_at + (int64_t)k * 600};
		s.status = vol_status_code(vol_signup_place((int64_t)k, capacity));
		if (store_vol_signups_insert(d->db, &s) != DB_OK)
			return false;
		if (!past || strcmp(s.status, "signed") != 0 || rnd(d) % 8 == 0)
			continue; /* did not come */
		int64_t minutes = hours * 60 - (int64_t)(rnd(d) % 3) * 30;
		if (store_vol_signups_check_in(d->db, s.id, starts + (int64_t)(rnd(d) % 900)) !=
		        DB_OK ||
		    store_vol_signups_confirm(d->db, s.id, minutes, vol_points_for(minutes),
		                              d->organiser, v.ends_at + 3600) != DB_OK)
			return false;
		struct vol_ledger_row e = {.region_code = COMM,
		                           .person = p->person,
		                           .kind = "service",
		                           .minutes = minutes,
		                           .points = vol_points_for(minutes),
		                           .activity_id = v.id,
		                           .signup_id = s.id,
		                           .created_by = d->organiser,
		                           .created_at = v.ends_at + 3600};
		if (store_vol_ledger_insert(d->db, &e) != DB_OK)
			return false;
	}
	return true;
}

static int64_t team(struct demo_vol *d, const char *name, const char *description)
{
	struct vol_team_row t = {.region_code = COMM,
	                         .name = name,
	                         .description = description,
	                         .leader_user_id = d->organiser,
	                         .created_by = d->organiser,
	                         .created_at = d->now - 120 * 86400,
	                         .updated_at = d->now - 120 * 86400};
	if (store_vol_teams_insert(d->db, &t) != DB_OK)
		return 0;
	for (size_t i = 0; i < d->npeople; i++) {
		if (rnd(d) % 3 == 0)
			continue;
		struct vol_member_row m = {.team_id = t.id,
		                           .region_code = COMM,
		                           .person = d->people[i].person,
		                           .user_id = d->people[i].user_id,
		                           .resident_id = d->people[i].resident_id,
		                           .joined_at = t.created_at + (int64_t)i * 86400};
		if (store_vol_members_insert(d->db, &m) != DB_OK)
			return 0;
	}
	return t.id;
}

/* A month of visits and patrols of a grid worker in grid, 1–3 a working day. */
static bool field_month(struct demo_vol *d, int64_t worker, const char *grid)
{
	static const char *const patrols[] = {
	    "消防通道畅通，无占用", "小区围墙外发现乱堆垃圾，已提醒物业",
	    "电动车楼道充电一处，已劝离", "路灯正常，井盖完好", "沿街商铺门前三包落实良好"};
	static const char *const visits[] = {
	    "走访独居老人，身体状况良好", "走访新入住租户，登记信息", "入户了解低保家庭近况",
	    "走访楼栋长，收集居民意见", "回访邻里纠纷双方，关系缓和"};
	int64_t today = care_day_of(d->now);
	for (int64_t day = today - 30; day <= today; day++) {
		int64_t start = day * 86400 - 8 * 3600; /* local midnight */
		int wd = (int)((day + 3) % 7); /* 0 Monday … 6 Sunday (1970-01-01 a Thursday) */
		if (wd >= 5)
			continue;
		int n = 1 + (int)(rnd(d) % 3);
		for (int i = 0; i < n; i++) {
			bool visit = rnd(d) % 2;
			int64_t at =
			    start + 9 * 3600 + (int64_t)i * 7200 + (int64_t)(rnd(d) % 3600);
			if (at > d->now)
				break;
			struct field_log_row f = {.region_code = grid,
			                          .kind = visit ? "visit" : "patrol",
			                          .address = visit ? "阳光小区" : "阳光路沿线",
			                          .seen_at = at,
			                          .day = day,
			                          .note = visit ? visits[rnd(d) % 5]
			                                        : patrols[rnd(d) % 5],
			                          .user_id = worker,
			                          .created_at = at};
			if (store_field_logs_insert(d->db, &f) != DB_OK)
				return false;
		}
	}
	return true;
}

int demo_volunteers(struct db *db, int64_t now)
{
	struct arena a;
	arena_init(&a);
	struct demo_vol d = {.db = db, .a = &a, .now = now, .seed = 20261206u};
	struct vol_team_row *existing;
	size_t n = 0;
	if (store_vol_teams_for_grid(db, &a, GRID1, 0, 1, &existing, &n) != DB_OK) {
		arena_free(&a);
		return -1;
	}
	if (n) {
		arena_free(&a);
		return 0;
	}
	d.organiser = user_id(db, &a, "shequ");
	/* the volunteers: the demo resident's account and residents of the community */
	int64_t jumin = user_id(db, &a, "jumin");
	if (jumin)
		d.people[d.npeople++] = (struct vol_person){
		    .person = arena_printf(&a, "user:%lld", (long long)jumin), .user_id = jumin};
	struct resident_filter rf = {
	    .scopes = {.prefix = {COMM}, .n = 1}, .after = {.code = "", .id = 0}, .limit = PEOPLE};
	struct resident_row *rs;
	size_t nr = 0;
	if (store_residents_list(db, &a, &rf, &rs, &nr) != DB_OK) {
		arena_free(&a);
		return -1;
	}
	for (size_t i = 0; i < nr && d.npeople < PEOPLE; i++)
		d.people[d.npeople++] = (struct vol_person){
		    .person = arena_printf(&a, "resident:%lld", (long long)rs[i].id),
		    .resident_id = rs[i].id};
	if (d.npeople == 0) {
		arena_free(&a);
		return 0;
	}
	int made = 0;
	bool ok = true;
	int64_t art = team(&d, "星光艺术团", "社区文艺志愿者，节庆演出、敬老慰问");
	int64_t med = team(&d, "义诊进社区", "医护志愿者，每月义诊、健康讲座");
	int64_t safe = team(&d, "平安巡逻队", "夜间治安巡逻、防火防盗宣传");
	ok = art && med && safe;
	int64_t day = 86400;
	/* the past: about every ten days an activity of each team */
	for (int k = 1; ok && k <= 9; k++) {
		int64_t base = now - k * 10 * day - day / 2;
		ok =
		    activity(&d, art, "敬老院慰问演出", "阳光敬老院", base, 2, 12, (size_t)k, 10) &&
		    activity(&d, med, "义诊进社区", "社区卫生服务站", base + 3 * day, 3, 8,
		             (size_t)k + 5, 10) &&
		    activity(&d, safe, "夜间平安巡逻", "阳光小区", base + 5 * day + 10 * 3600, 2, 6,
		             (size_t)k + 9, 6);
		made += 3;
	}
	/* coming: places taken and a waiting list */
	if (ok)
		ok = activity(&d, art, "迎新春文艺汇演", "社区文化广场", now + 5 * day, 3, 20, 0,
		              14) &&
		     activity(&d, med, "免费测血压血糖", "社区卫生服务站", now + 3 * day, 2, 6, 2,
		              9) &&
		     activity(&d, safe, "消防安全宣传", "阳光小区北门", now + 2 * day, 2, 8, 4, 5);
	made += 3;
	/* 爱心超市: some points spent, never below zero */
	for (size_t i = 0; ok && i < d.npeople; i += 3) {
		int64_t points = 0, minutes = 0;
		ok = store_vol_ledger_totals(db, d.people[i].person, &points, &minutes) == DB_OK;
		int64_t spend = points / 2;
		if (!ok || spend <= 0 || !vol_ledger_allows(points, -spend))
			continue;
		struct vol_ledger_row e = {.region_code = COMM,
		                           .person = d.people[i].person,
		                           .kind = "spend",
		                           .points = -spend,
		                           .note = "爱心超市兑换生活用品",
		                           .created_by = d.organiser,
		                           .created_at = now - 2 * day};
		ok = store_vol_ledger_insert(db, &e) == DB_OK;
	}
	/* field logs: the grid workers' month */
	int64_t w1 = user_id(db, &a, "wangge"), w2 = user_id(db, &a, "wangge2");
	if (ok && w1)
		ok = field_month(&d, w1, GRID1);
	if (ok && w2)
		ok = field_month(&d, w2, GRID2);
	arena_free(&a);
	return ok ? made : -1;
}
