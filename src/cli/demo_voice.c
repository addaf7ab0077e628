/* The demo's resident accounts linked to residents (as 户码 enrolment would link them) and a
 * few announcements (社区资讯) of the district, 幸福街道, 阳光社区 and its first grid. */
#include "cli/demo_voice.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "store/platform/users.h"
#include "store/voice/voice.h"

#include <stdio.h>
#include <string.h>

#define DEMO_COMM "999901001001"
#define DEMO_GRID "999901001001001"

/* Links the account username (made first when missing) to member; 1 when linked now, 0 when it
 * was linked already, -1 on error. */
static int link_account(struct db *db, struct arena *a, const char *username, const char *display,
                        const char *password, const struct enrol_member *m, int64_t now)
{
	struct user_row u;
	enum db_result r = store_users_by_name(db, a, username, &u);
	if (r == DB_DONE) {
		if (cli_add_user(db, username, display, password, "resident", m->region_code,
		                 NULL) < 0)
			return -1;
		r = store_users_by_name(db, a, username, &u);
	}
	if (r != DB_ROW)
		return -1;
	if (u.resident_id)
		return 0;
	return store_user_resident_link(db, u.id, m->resident_id, m->household_id, now) == DB_OK
	           ? 1
	           : -1;
}

static const struct {
	const char *region, *title, *body;
	int64_t days_ago;
} notes[] = {
    {"999901", "示范区关于开展冬季消防安全检查的通知",
     "各街道、社区：请于本月底前完成辖区内高层住宅、老旧小区的消防通道与电动自行车充电隐患排查。",
     12},
    {"999901001", "幸福街道便民服务中心办公时间调整",
     "自下周一起，便民服务中心周六上午增设值班窗口，办理社保、老年证等事项。", 6},
    {DEMO_COMM, "阳光社区协商议事会议题征集",
     "社区将于月底召开协商议事会，欢迎居民就停车管理、楼道照明等事项提出议题。", 3},
    {DEMO_GRID, "第一网格楼道清理安排",
     "本周六上午九点组织楼道杂物清理，请各户提前整理，网格员将上门协助。", 1},
};

int demo_voice(struct db *db, const char *password, int64_t now)
{
	struct arena a;
	arena_init(&a);
	int linked = 0;
	struct enrol_member *grid = NULL, *comm = NULL;
	size_t ngrid = 0, ncomm = 0;
	if (store_enrolment_free_members(db, &a, DEMO_GRID, 1, &grid, &ngrid) != DB_OK ||
	    store_enrolment_free_members(db, &a, DEMO_COMM, 40, &comm, &ncomm) != DB_OK)
		goto fail;
	if (ngrid) {
		int r = link_account(db, &a, "jumin", "居民", password, &grid[0], now);
		if (r < 0)
			goto fail;
		linked += r;
	}
	/* jumin2..jumin4 in three other households, spread over the community's list. */
	for (int k = 2, i = 0; k <= 4 && ncomm; k++) {
		while ((size_t)i < ncomm && ngrid && comm[i].household_id == grid[0].household_id)
			i++;
		if ((size_t)i >= ncomm)
			break;
		char username[16], display[32];
		snprintf(username, sizeof username, "jumin%d", k);
		snprintf(display, sizeof display, "居民%d", k);
		int r = link_account(db, &a, username, display, password, &comm[i], now);
		if (r < 0)
			goto fail;
		linked += r;
		i += (int)(ncomm / 4) > 1 ? (int)(ncomm / 4) : 1;
	}
	struct announcement_row *rows;
	size_t n = 0;
	struct scopes all = {.prefix = {"999901"}, .n = 1};
	if (store_announcements_walk(db, &a, &all, (struct page_after){"", 0}, 1, &rows, &n) !=
	    DB_OK)
		goto fail;
	for (size_t i = 0; !n && i < sizeof notes / sizeof notes[0]; i++) {
		struct announcement_row an = {.region_code = notes[i].region,
		                              .title = notes[i].title,
		                              .body = notes[i].body,
		                              .publish_at = now - notes[i].days_ago * 86400,
		                              .created_at = now - notes[i].days_ago * 86400,
		                              .updated_at = now - notes[i].days_ago * 86400};
		if (store_announcements_insert(db, &an) != DB_OK)
			goto fail;
	}
	arena_free(&a);
	return linked;
fail:
	arena_free(&a);
	return -1;
}
