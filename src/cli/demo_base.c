/* Demo base data for jiceng demo: buildings, houses, households, about 30 000
 * fictitious residents (ID numbers with the non-existent area prefix 99,
 * sealed like real ones), organisations with valid credit codes, a sweep in
 * progress and group-rental rectification items in every state. Generated
 * from a fixed seed, so every demo database looks the same. */
#include "cli/demo_workers.h"
#include "cli/demo_base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/seal.h"
#include "domain/idnum.h"
#include "domain/person.h"
#include "store/base/base.h"
#include "store/base/sweeps.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                       "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗"};
static const char *const given[] = {"伟", "芳",   "娜",   "秀英", "敏",   "静",   "丽",   "强",
                                    "磊", "军",   "洋",   "勇",   "艳",   "杰",   "娟",   "涛",
                                    "明", "超",   "秀兰", "霞",   "平",   "刚",   "桂英", "建华",
                                    "婷", "志强", "国庆", "海燕", "晓东", "春梅", "文博", "子涵"};

static bool seal_into(struct arena *a, const char *clear, struct sealed *out)
{
	unsigned char *p;
	size_t n;
	if (!seal_encrypt(clear, strlen(clear), &p, &n))
		return false;
	unsigned char *copy = arena_alloc(a, n);
	memcpy(copy, p, n);
	free(p);
	out->p = copy;
	out->n = n;
	return true;
}

/* A fictitious citizen ID: area 99xxxx, the birth date, a serial (odd: male), check. */
static void make_id(char out[19], int year, int month, int day, unsigned serial, bool male)
{
	char first[40];
	unsigned seq = (serial * 2 + (male ? 1 : 0)) % 1000;
	snprintf(first, sizeof first, "99%04u%04d%02d%02d%03u", (serial / 500) % 10000, year, month,
	         day, seq);
	first[17] = 0;
	memcpy(out, first, 17);
	out[17] = citizen_id_check_char(first);
	out[18] = 0;
}

static void make_uscc(char out[19], unsigned serial)
{
	char first[40];
	snprintf(first, sizeof first, "9199%04uMA%07u", serial % 10000, serial % 10000000);
	/* 'M' and 'A' are in the code's alphabet; digits elsewhere. */
	first[17] = 0;
	memcpy(out, first, 17);
	out[17] = uscc_check_char(first);
	out[18] = 0;
}

struct gen {
	struct db *db;
	struct arena *a;
	int64_t now;
	unsigned serial;
	int residents, houses, orgs;
};

static enum db_result add_resident(struct gen *g, const struct house_row *h, int64_t household,
                                   const char *relation, int age, bool male, const char *surname,
                                   int64_t *id_out)
{
	struct resident_row r;
	memset(&r, 0, sizeof r);
	char name[32], id[19], phone[12], mask[32];
	snprintf(name, sizeof name, "%s%s", surname ? surname : surnames[rnd(20)], given[rnd(32)]);
	int year = 2026 - age, month = 1 + (int)rnd(12), day = 1 + (int)rnd(28);
	make_id(id, year, month, day, g->serial++, male);
	r.region_code = h->region_code;
	r.house_id = h->id;
	r.household_id = household;
	r.relation = relation;
	r.name = arena_strdup(g->a, name);
	if (!seal_into(g->a, id, &r.id_sealed))
		return DB_ERROR;
	seal_index("id_number", id, r.id_index);
	r.has_id_index = true;
	mask_id_number(id, mask, sizeof mask);
	r.id_mask = arena_strdup(g->a, mask);
	if (age >= 16 && rnd(10) < 8) {
		static const char *const prefixes[] = {"138", "139", "150", "186", "177", "135"};
		snprintf(phone, sizeof phone, "%s%08u", prefixes[rnd(6)], rnd(100000000));
		if (!seal_into(g->a, phone, &r.phone_sealed))
			return DB_ERROR;
		seal_index("phone", phone, r.phone_index);
		r.has_phone_index = true;
		mask_phone(phone, mask, sizeof mask);
		r.phone_mask = arena_strdup(g->a, mask);
	}
	/* Sealed like the ID number; only the year in clear (see mask_birth_date). */
	r.birth_year = year;
	if (!seal_into(g->a, arena_printf(g->a, "%04d-%02d-%02d", year, month, day),
	               &r.birth_sealed))
		return DB_ERROR;
	r.gender = male ? "male" : "female";
	uint32_t dice = rnd(100);
	r.residency = dice < 78 ? "registered" : dice < 98 ? "floating" : "foreign";
	/* Tags at roughly a district's proportions. */
	uint32_t tags = 0;
	if (age >= 80)
		tags |= 1u << 1; /* elderly */
	if (age >= 70 && rnd(6) == 0)
		tags |= 1u << 0; /* elderly_alone */
	if (rnd(50) == 0)
		tags |= 1u << 2; /* low_income */
	if (rnd(50) == 0)
		tags |= 1u << 3; /* disabled */
	if (male && age > 35 && rnd(60) == 0)
		tags |= 1u << 4; /* veteran */
	if (age >= 18 && rnd(16) == 0)
		tags |= 1u << 5; /* party_member */
	if (age >= 18 && rnd(40) == 0)
		tags |= 1u << 7; /* volunteer */
	char list[256];
	tags_format(tags, false, list, sizeof list);
	r.tags = arena_strdup(g->a, list);
	if (age >= 18 && rnd(400) == 0) {
		const char *restricted = rnd(2) ? "community_correction" : "mental_disorder";
		if (!seal_into(g->a, restricted, &r.restricted_sealed))
			return DB_ERROR;
	}
	r.status = rnd(60) == 0 ? "moved_out" : "active";
	r.verified_at = g->now - (int64_t)rnd(200) * 86400;
	r.created_at = r.updated_at = r.verified_at;
	enum db_result res = store_residents_insert(g->db, &r);
	if (res != DB_OK)
		return res;
	g->residents++;
	*id_out = r.id;
	struct version_row v = {.kind = "resident",
	                        .record_id = r.id,
	                        .version = 1,
	                        .at = r.created_at,
	                        .actor = "demo",
	                        .action = "create"};
	return store_versions_add(g->db, &v);
}

/* The occupants of one house: a family, tenants, or a crowd for a group rental. */
static enum db_result fill_house(struct gen *g, const struct house_row *h)
{
	if (strcmp(h->use, "empty") == 0 || strcmp(h->use, "business") == 0)
		return DB_OK;
	struct household_row hh;
	memset(&hh, 0, sizeof hh);
	hh.region_code = h->region_code;
	hh.house_id = h->id;
	hh.number = arena_printf(g->a, "%s-%s", h->unit, h->room);
	hh.created_at = hh.updated_at = g->now;
	enum db_result r = store_households_insert(g->db, &hh);
	if (r != DB_OK)
		return r;
	const char *surname = surnames[rnd(20)];
	bool group = strcmp(h->use, "group_rental") == 0;
	int people = group ? 6 + (int)rnd(6) : 1 + (int)rnd(4);
	int head_age = 25 + (int)rnd(65);
	int64_t head_id = 0;
	for (int i = 0; i < people && r == DB_OK; i++) {
		const char *relation = group    ? "tenant"
		                       : i == 0 ? "head"
		                       : i == 1 ? "spouse"
		                                : "child";
		int age = group    ? 18 + (int)rnd(30)
		          : i <= 1 ? head_age - (int)rnd(4)
		                   : (head_age > 45 ? head_age - 25 - (int)rnd(8) : (int)rnd(16));
		if (age < 0)
			age = 1;
		bool male = i == 0 ? rnd(2) : i == 1 ? false : rnd(2);
		int64_t id = 0;
		r = add_resident(g, h, hh.id, relation, age, male,
		                 i == 0 || (i >= 2 && !group) ? surname : NULL, &id);
		if (i == 0)
			head_id = id;
	}
	if (r == DB_OK && head_id) {
		hh.head_id = head_id;
		r = store_households_update(g->db, &hh);
	}
	return r;
}

static const char *pick_use(void)
{
	uint32_t d = rnd(100);
	return d < 68   ? "owner_occupied"
	       : d < 83 ? "rented"
	       : d < 87 ? "group_rental"
	       : d < 89 ? "short_let"
	       : d < 92 ? "business"
	                : "empty";
}

static const char *const industries[] = {"餐饮",     "零售",     "美容美发", "维修",
                                         "物流快递", "教育培训", "医药",     "家政服务"};
static const char *const shop_names[] = {"便利店",   "小吃店",   "理发店", "五金店",
                                         "快递驿站", "培训中心", "药房",   "家政公司"};

static enum db_result add_orgs(struct gen *g, const char *grid, int count)
{
	for (int i = 0; i < count; i++) {
		struct org_row o;
		memset(&o, 0, sizeof o);
		int k = (int)rnd(8);
		char uscc[19], phone[12], mask[32];
		make_uscc(uscc, g->serial++);
		o.region_code = grid;
		o.name =
		    arena_printf(g->a, "%s%s%s", surnames[rnd(20)], given[rnd(32)], shop_names[k]);
		o.uscc = rnd(5) ? arena_strdup(g->a, uscc) : NULL; /* some shops are unregistered */
		o.kind = rnd(3) ? "individual" : "enterprise";
		o.industry = industries[k];
		o.legal_person = arena_printf(g->a, "%s%s", surnames[rnd(20)], given[rnd(32)]);
		snprintf(phone, sizeof phone, "139%08u", rnd(100000000));
		if (!seal_into(g->a, phone, &o.phone_sealed))
			return DB_ERROR;
		mask_phone(phone, mask, sizeof mask);
		o.phone_mask = arena_strdup(g->a, mask);
		o.employees = 1 + (int64_t)rnd(30);
		o.status = "active";
		o.verified_at = g->now - (int64_t)rnd(200) * 86400;
		o.created_at = o.updated_at = o.verified_at;
		enum db_result r = store_orgs_insert(g->db, &o);
		if (r != DB_OK)
			return r;
		g->orgs++;
	}
	return DB_OK;
}

static const char *const rect_problems[] = {"一套房内隔出多个单间，人均面积不足",
                                            "厨房、阳台改作卧室", "私拉电线，消防通道堵塞",
                                            "群租人员未登记", "电动车在楼道内充电"};

/* One rectification item with a history that reached status. */
static enum db_result add_rectification(struct gen *g, const struct house_row *h, int64_t sweep,
                                        int stage)
{
	static const char *const status[] = {"open", "rectifying", "rectified", "verified"};
	static const char *const methods[] = {"", "phone,home_visit", "phone,interview,home_visit",
	                                      "phone,home_visit,joint_enforcement"};
	struct rectification_row r;
	memset(&r, 0, sizeof r);
	r.house_id = h->id;
	r.region_code = h->region_code;
	r.sweep_id = sweep;
	r.problem = rect_problems[rnd(5)];
	r.methods = methods[stage];
	r.status = status[stage];
	int64_t created = g->now - (int64_t)(20 + rnd(40)) * 86400;
	int64_t due = created + 30 * 86400 + 8 * 3600;
	{
		/* deadline as a date (UTC+8) */
		int64_t days = due / 86400;
		int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
		int64_t doe = z - era * 146097;
		int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
		int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
		r.deadline = arena_printf(g->a, "%04lld-%02lld-%02lld",
		                          (long long)(yoe + era * 400 + (m <= 2)), (long long)m,
		                          (long long)d);
	}
	r.created_at = created;
	r.updated_at = created + stage * 5 * 86400;
	if (stage == 3)
		r.verified_at = r.updated_at;
	enum db_result res = store_rectifications_insert(g->db, &r);
	static const char *const actions[] = {"create", "start", "rectified", "verify"};
	for (int s = 0; s <= stage && res == DB_OK; s++) {
		struct rectification_event e = {.rectification_id = r.id,
		                                .at = created + s * 5 * 86400,
		                                .actor = s == 3 ? "shequ" : "wangge",
		                                .action = actions[s],
		                                .from_status = s ? status[s - 1] : NULL,
		                                .to_status = status[s],
		                                .methods = s ? methods[s] : NULL};
		res = store_rectification_events_add(g->db, &e);
	}
	return res;
}

int demo_base(struct db *db, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM residents");
	if (!st)
		return -1;
	int64_t existing = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	if (existing != 0 || !seal_ready())
		return existing < 0 ? -1 : 0;
	struct arena a;
	arena_init(&a);
	struct gen g = {.db = db, .a = &a, .now = now, .serial = 1};
	rng_state = 0x9e3779b97f4a7c15ull;
	struct sweep_row sw = {.name = "2026年冬季扫楼行动",
	                       .region_code = "999901",
	                       .starts_on = "2026-11-01",
	                       .ends_on = "2026-12-31",
	                       .status = "open",
	                       .note =
	                           "对常住户、群租房、网约房、住改商、经营主体地毯式摸排，一户不漏",
	                       .created_at = now - 22 * 86400,
	                       .updated_at = now - 22 * 86400};
	enum db_result r = store_sweeps_insert(db, &sw);
	for (int s = 1; s <= 2 && r == DB_OK; s++)
		for (int c = 1; c <= 5 && r == DB_OK; c++)
			for (int gi = 1; gi <= 6 && r == DB_OK; gi++) {
				char grid[16];
				snprintf(grid, sizeof grid, "999901%03d%03d%03d", s, c, gi);
				const char *gcode = arena_strdup(&a, grid);
				const char *gworker = "wangge";
				int64_t gworker_id = demo_grid_worker(db, &a, gcode, &gworker);
				int nbuild = 8 + (int)rnd(5);
				/* How far the sweep has got in this grid: 20–95 %. */
				uint32_t coverage = 20 + rnd(76);
				for (int b = 1; b <= nbuild && r == DB_OK; b++) {
					struct building_row br = {.region_code = gcode,
					                          .name =
					                              arena_printf(&a, "%d号楼", b),
					                          .floors = 6,
					                          .created_at = now,
					                          .updated_at = now};
					r = store_buildings_insert(db, &br);
					for (int u = 1; u <= 2 && r == DB_OK; u++)
						for (int f = 1; f <= 6 && r == DB_OK; f++)
							for (int k = 1; k <= 2 && r == DB_OK; k++) {
								struct house_row h;
								memset(&h, 0, sizeof h);
								h.region_code = gcode;
								h.building_id = br.id;
								h.building_name = br.name;
								h.unit =
								    arena_printf(&a, "%d单元", u);
								h.room = arena_printf(&a, "%d%02d",
								                      f, k);
								h.use = pick_use();
								h.area = 50 + rnd(90);
								h.verified_at =
								    now - (int64_t)rnd(200) * 86400;
								h.created_at = h.updated_at =
								    h.verified_at;
								r = store_houses_insert(db, &h);
								if (r == DB_OK)
									g.houses++;
								if (r == DB_OK)
									r = fill_house(&g, &h);
								if (r == DB_OK &&
								    rnd(100) < coverage) {
									struct visit_row v = {
									    .sweep_id = sw.id,
									    .house_id = h.id,
									    .region_code = gcode,
									    .visitor_id =
									        gworker_id,
									    .visitor = gworker,
									    .at = now -
									          (int64_t)rnd(20) *
									              86400,
									    .outcome =
									        rnd(12)
									            ? "visited"
									            : "nobody_home",
									    .use = h.use,
									    .occupants = "[]",
									    .hazards = "[]",
									    .photos = "[]"};
									r = store_visits_insert(db,
									                        &v);
								}
								if (r == DB_OK &&
								    strcmp(h.use, "group_rental") ==
								        0)
									r = add_rectification(
									    &g, &h, sw.id,
									    (int)rnd(4));
							}
				}
				if (r == DB_OK)
					r = add_orgs(&g, gcode, 3 + (int)rnd(5));
			}
	arena_free(&a);
	return r == DB_OK ? g.residents : -1;
}
