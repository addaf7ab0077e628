/* jiceng demo: creates or refreshes the generated demo district — a small,
 * fictitious district (area prefix 99) with 2 streets, 10 communities and 60
 * grids, and a demo sign-in for every role. Running it again changes nothing
 * that is already there. */
#include "cli/cli.h"
#include "cli/demo_layout.h"
#include "cli/demo_base.h"
#include "cli/demo_cases.h"
#include "cli/demo_command.h"
#include "cli/demo_deliberation.h"
#include "cli/demo_surveys.h"
#include "cli/demo_ranking.h"
#include "cli/demo_indicators.h"
#include "cli/demo_volunteers.h"
#include "cli/demo_services.h"
#include "cli/demo_party.h"
#include "cli/demo_voice.h"
#include "cli/demo_projects.h"
#include "cli/demo_workers.h"
#include "core/seal.h"
#include "core/timeutil.h"
#include "domain/region.h"
#include "store/platform/audit.h"
#include "store/platform/regions.h"

#include <stdlib.h>
#include <string.h>

/* The demo password every demo account shares: fictitious, printed on purpose. */
#define DEMO_PASSWORD "Demo@2026jc"

static const char *const street_names[] = {"幸福街道", "和平街道"};
static const char *const community_names[] = {"阳光社区", "春晖社区", "锦绣社区", "丽水社区",
                                              "翠湖社区", "东风社区", "新华社区", "长青社区",
                                              "桃源社区", "明珠社区"};
static const char *const grid_numbers[] = {"一", "二", "三", "四", "五", "六"};

static bool put_region(struct db *db, const char *code, const char *name, const char *parent,
                       int64_t households, int *created)
{
	struct arena a;
	arena_init(&a);
	struct region_row r;
	enum db_result res = store_regions_get(db, &a, code, &r);
	arena_free(&a);
	if (res == DB_ROW)
		return true;
	if (res != DB_DONE)
		return false;
	memset(&r, 0, sizeof r);
	r.code = code;
	r.name = name;
	r.parent_code = parent;
	r.level = region_level_of(code);
	r.planned_households = households;
	r.created_at = r.updated_at = time_now();
	if (store_regions_insert(db, &r) != DB_OK)
		return false;
	const char *codes[] = {code};
	char to[32];
	snprintf(to, sizeof to, "[\"%s\"]", code);
	struct region_event e = {.at = r.created_at,
	                         .kind = "create",
	                         .from_codes = "[]",
	                         .to_codes = to,
	                         .detail = name};
	(*created)++;
	return store_regions_event_add(db, &e, codes, 1) == DB_OK;
}

/* A rectangle [x, x + w] × [y, y + h] as a GeoJSON Polygon. */
static void rect_geometry(char *out, size_t n, double x, double y, double w, double h)
{
	snprintf(out, n,
	         "{\"type\":\"Polygon\",\"coordinates\":[[[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f],"
	         "[%.3f,%.3f],[%.3f,%.3f]]]}",
	         x, y, x + w, y, x + w, y + h, x, y + h, x, y);
}

/* A street's boundary: its five communities, two abreast in three rows (the last row half
 * full), as the points of one ring. */
static int street_ring(char *out, size_t n, int s)
{
	double x, y;
	demo_comm_origin(s, 0, &x, &y);
	double w = DEMO_STREET_W, cw = DEMO_COMM_W, h = DEMO_COMM_H;
	return snprintf(out, n,
	                "[[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f],"
	                "[%.3f,%.3f]]",
	                x, y, x + w, y, x + w, y + 2 * h, x + cw, y + 2 * h, x + cw, y + 3 * h, x,
	                y + 3 * h, x, y);
}

/* Gives region code its boundary unless it has one (a refresh keeps what a user drew). */
static bool put_geometry(struct db *db, const char *code, const char *geo)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE regions SET geometry = ? WHERE code = ? AND geometry IS NULL");
	if (!st)
		return false;
	db_bind_text(st, 1, geo);
	db_bind_text(st, 2, code);
	bool ok = db_step(st) == DB_DONE;
	db_done(st);
	return ok;
}

/* Whether the database may receive the demo: one the demo made before (its audit trail says
 * so), or a fresh one with no regions and no user but init's admin. Anything else is taken
 * for a live database, where accounts with a password printed in the README would be a door
 * left open. -1 on a store error. */
static int demo_allowed(struct db *db)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT (SELECT count(*) FROM audit WHERE action = 'demo.generate'), "
	                   "(SELECT count(*) FROM users WHERE username <> 'admin'), "
	                   "(SELECT count(*) FROM regions)");
	if (!st)
		return -1;
	int ok = -1;
	if (db_step(st) == DB_ROW)
		ok = db_col_int(st, 0) > 0 || (db_col_int(st, 1) == 0 && db_col_int(st, 2) == 0);
	db_done(st);
	return ok;
}

struct demo_user {
	const char *username, *display, *role, *region, *unit;
};

static const struct demo_user demo_users[] = {
    {"zhihui", "区指挥中心值班员", "district", "999901", NULL},
    {"jiedao", "幸福街道工作人员", "street", "999901001", NULL},
    {"shequ", "阳光社区书记", "community", "999901001001", NULL},
    {"dudao", "阳光社区督导员", "supervisor", "999901001001", NULL},
    {"wanggezhang", "阳光社区第一网格网格长", "grid_leader", "999901001001001", NULL},
    {"wangge", "阳光社区第一网格网格员", "grid_worker", "999901001001001", NULL},
    {"wangge2", "阳光社区第二网格网格员", "grid_worker", "999901001001002", NULL},
    {"wangge3", "阳光社区第三网格网格员", "grid_worker", "999901001001003", NULL},
    {"wangge4", "阳光社区第四网格网格员", "grid_worker", "999901001001004", NULL},
    {"wangge5", "阳光社区第五网格网格员", "grid_worker", "999901001001005", NULL},
    {"wangge6", "阳光社区第六网格网格员", "grid_worker", "999901001001006", NULL},
    {"loudong", "阳光社区楼栋长", "building_leader", "999901001001001", NULL},
    {"chengguan", "城管执法队员", "department", "999901", "城管执法"},
    {"ganbu", "下沉干部", "cadre", "999901001001", NULL},
    {"gongjian", "区住建局结对干部", "cadre", "999901001001", "区住建局"},
    {"jumin", "居民", "resident", "999901001001001", NULL},
    /* jumin2..jumin4, residents of other households of 阳光社区, come with demo_voice.c. */
};

int cli_demo(int argc, char **argv)
{
	if (cli_help_asked(argc, argv)) {
		printf(
		    "usage: jiceng demo --db PATH [--cases N] [--yes-add-demo-accounts]\n"
		    "Creates (or refreshes) the generated demo district in the database at PATH,\n"
		    "creating the database if needed, and prints the demo sign-ins. --cases sets "
		    "how\n"
		    "many cases a new demo database gets (default 3000).\n"
		    "The demo accounts share a published password, so the demo refuses a database\n"
		    "it did not make that already has regions or users other than admin (a live\n"
		    "database); --yes-add-demo-accounts adds them there anyway.\n");
		return 0;
	}
	const char *db_path = NULL, *v;
	long ncases = 3000;
	bool force = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--yes-add-demo-accounts") == 0) {
			force = true;
		} else if ((v = cli_opt(argc, argv, &i, "--db"))) {
			db_path = v;
		} else if ((v = cli_opt(argc, argv, &i, "--cases"))) {
			char *end;
			ncases = strtol(v, &end, 10);
			if (*end || ncases < 0 || ncases > 10000000) {
				fprintf(stderr, "jiceng demo: --cases must be 0 to 10000000\n");
				return 2;
			}
		} else {
			fprintf(stderr, "jiceng demo: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (!db_path) {
		fprintf(stderr, "jiceng demo: --db PATH is required\n");
		return 2;
	}
	struct db *db = cli_open_db(db_path, true);
	if (!db)
		return 1;
	if (!cli_ensure_key(db_path) || db_begin_write(db) != DB_OK) {
		db_close(db);
		return 1;
	}
	int allowed = force ? 1 : demo_allowed(db);
	if (allowed != 1) {
		db_rollback(db);
		db_close(db);
		fprintf(stderr,
		        allowed < 0 ? "jiceng demo: cannot read the database\n"
		                    : "jiceng demo: %s is not a demo database (it has regions or "
		                      "users of its own); the demo accounts share a published "
		                      "password, so nothing was added (--yes-add-demo-accounts "
		                      "to add them anyway)\n",
		        db_path);
		return 1;
	}
	int created = 0;
	char ring[2][256], geo[600];
	street_ring(ring[0], sizeof ring[0], 0);
	street_ring(ring[1], sizeof ring[1], 1);
	snprintf(geo, sizeof geo, "{\"type\":\"MultiPolygon\",\"coordinates\":[[%s],[%s]]}",
	         ring[0], ring[1]);
	bool ok = put_region(db, "999901", "示范区", NULL, -1, &created) &&
	          put_geometry(db, "999901", geo);
	for (int s = 0; ok && s < 2; s++) {
		char street[24];
		snprintf(street, sizeof street, "999901%03d", s + 1);
		snprintf(geo, sizeof geo, "{\"type\":\"Polygon\",\"coordinates\":[%s]}", ring[s]);
		ok = put_region(db, street, street_names[s], "999901", -1, &created) &&
		     put_geometry(db, street, geo);
		for (int c = 0; ok && c < 5; c++) {
			char comm[32], name[64];
			snprintf(comm, sizeof comm, "%s%03d", street, c + 1);
			double cx, cy;
			demo_comm_origin(s, c, &cx, &cy);
			rect_geometry(geo, sizeof geo, cx, cy, DEMO_COMM_W, DEMO_COMM_H);
			ok = put_region(db, comm, community_names[s * 5 + c], street, -1,
			                &created) &&
			     put_geometry(db, comm, geo);
			for (int g = 0; ok && g < 6; g++) {
				char grid[40];
				snprintf(grid, sizeof grid, "%s%03d", comm, g + 1);
				snprintf(name, sizeof name, "%s第%s网格",
				         community_names[s * 5 + c], grid_numbers[g]);
				/* Planned households spread over the 300–700 norm. */
				int64_t hh = 300 + ((s * 31 + c * 17 + g * 53) % 9) * 50;
				ok = put_region(db, grid, name, comm, hh, &created);
				double x, y;
				demo_grid_origin(s, c, g, &x, &y);
				rect_geometry(geo, sizeof geo, x, y, DEMO_GRID_DEG, DEMO_GRID_DEG);
				if (ok)
					ok = put_geometry(db, grid, geo);
			}
		}
	}
	int users = 0, cases = 0, residents = 0;
	if (ok && cli_add_user(db, "admin", "系统管理员", DEMO_PASSWORD, "admin", "", NULL) == 0)
		users++;
	for (size_t i = 0; ok && i < sizeof demo_users / sizeof demo_users[0]; i++) {
		const struct demo_user *u = &demo_users[i];
		int r = cli_add_user(db, u->username, u->display, DEMO_PASSWORD, u->role, u->region,
		                     u->unit);
		ok = r >= 0;
		users += r == 0;
	}
	if (ok) {
		char keypath[4096], err[256];
		if (!cli_key_path(db_path, keypath, sizeof keypath) ||
		    !seal_load_key(keypath, err, sizeof err))
			fprintf(stderr, "jiceng demo: %s (reporter phones left out)\n", err);
		cases = demo_cases(db, (int)ncases, time_now());
		ok = cases >= 0;
		if (ok) {
			residents = demo_base(db, time_now());
			ok = residents >= 0;
		}
		if (ok)
			ok = demo_party(db, time_now()) >= 0;
		if (ok)
			ok = demo_volunteers(db, time_now()) >= 0;
		if (ok)
			ok = demo_command(db, time_now()) >= 0;
		if (ok)
			ok = demo_indicators(db, time_now()) >= 0;
		if (ok)
			ok = demo_ranking(db, time_now()) >= 0;
		if (ok)
			ok = demo_surveys(db, time_now()) >= 0;
		if (ok)
			ok = demo_deliberation(db, time_now()) >= 0;
		/* The resident accounts are linked first: the services' requests and bookings of
		 * the demo resident are those of the person it speaks for. */
		if (ok)
			ok = demo_voice(db, DEMO_PASSWORD, time_now()) >= 0;
		if (ok)
			ok = demo_services(db, time_now()) >= 0;
		if (ok)
			ok = demo_workers(db, time_now()) >= 0;
		if (ok)
			ok = demo_projects(db, time_now()) >= 0;
	}
	if (ok) {
		char detail[128];
		snprintf(detail, sizeof detail, "regions=%d users=%d cases=%d residents=%d",
		         created, users, cases, residents);
		struct audit_entry e = {.action = "demo.generate",
		                        .object = "district:999901",
		                        .username = "cli",
		                        .result = 200,
		                        .detail = detail};
		ok = store_audit_append(db, &e) == DB_OK;
	}
	if (!ok || db_commit(db) != DB_OK) {
		db_rollback(db);
		db_close(db);
		fprintf(stderr, "jiceng demo: could not generate the demo district\n");
		return 1;
	}
	db_close(db);
	printf("demo district 999901 示范区 ready in %s (%d regions, %d users, %d cases and %d "
	       "residents added)\n",
	       db_path, created, users, cases, residents);
	printf("demo sign-ins (password for all: %s):\n", DEMO_PASSWORD);
	printf("  %-12s %-16s %s\n", "admin", "admin",
	       "系统管理员 (if created by init, its own "
	       "password)");
	for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++)
		printf("  %-12s %-16s %s @ %s\n", demo_users[i].username, demo_users[i].role,
		       demo_users[i].display, demo_users[i].region);
	printf(
	    "  %-12s %-16s %s\n", "jumin2..4", "resident",
	    "居民 of other households of 阳光社区 (jumin and they are linked to their residents)");
	return 0;
}
