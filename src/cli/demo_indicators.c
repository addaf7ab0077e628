/* The demo district's manual figures (外部数据), so the indicator table and its trends show
 * police and fire-brigade figures beside the counted ones (docs/indicators.md). The numbers
 * are fictitious and vary by community and month; the fire figures get an indicator of their
 * own, as an admin would define it. */
#include "cli/demo_indicators.h"
#include "core/arena.h"
#include "domain/indicator.h"
#include "store/command/indicators.h"
#include "store/platform/users.h"

#include <stdio.h>

enum { MONTHS = 6, STREETS = 2, PER_STREET = 5 };

static int64_t user_id(struct db *db, struct arena *a, const char *name)
{
	struct user_row u;
	return store_users_by_name(db, a, name, &u) == DB_ROW ? u.id : 0;
}

/* Enters a figure as enterer and, unless pending, approves it as approver; false on error. */
static bool figure(struct db *db, const char *fact, const char *region, int month, int64_t value,
                   const char *source, int64_t at, const int64_t who[2], bool pending)
{
	struct figure_row f = {.fact = fact,
	                       .region_code = region,
	                       .period = month,
	                       .value = value,
	                       .source = source,
	                       .note = "月报（演示数据）",
	                       .entered_by = who[0],
	                       .entered_by_name = "jiedao",
	                       .created_at = at,
	                       .updated_at = at};
	if (store_figures_insert(db, &f) != DB_OK)
		return false;
	return pending || store_figures_approve(db, f.id, who[1], "zhihui", at + 3600) == DB_OK;
}

int demo_indicators(struct db *db, int64_t now)
{
	struct arena a;
	arena_init(&a);
	struct figure_row *rows;
	size_t n = 0;
	int made = 0;
	if (store_figures_list(db, &a, "999901", NULL, NULL, 0, 1, &rows, &n) != DB_OK) {
		arena_free(&a);
		return -1;
	}
	if (n) {
		arena_free(&a);
		return 0;
	}
	const int64_t who[2] = {user_id(db, &a, "jiedao"), user_id(db, &a, "zhihui")};
	/* an indicator an admin would define over the fire brigade's figures */
	struct indicator_row fire = {.code = "fire_rectification_rate",
	                             .name = "消防隐患整改率",
	                             .name_en = "Fire hazards rectified (fire brigade)",
	                             .description = "区消防救援大队月报：整改数 / 发现数",
	                             .numerator = "fire_hazards_rectified",
	                             .denominator = "fire_hazards",
	                             .factor = 100,
	                             .direction = "higher",
	                             .has_target = true,
	                             .target = 90,
	                             .has_bands = true,
	                             .green = 90,
	                             .yellow = 75,
	                             .period_type = "month",
	                             .min_denominator = 1,
	                             .created_at = now,
	                             .updated_at = now};
	enum db_result r = store_indicators_insert(db, &fire);
	if (r != DB_OK && r != DB_CONSTRAINT) {
		arena_free(&a);
		return -1;
	}
	struct period p = period_of(PERIOD_MONTH, now);
	bool ok = true;
	for (int m = 0; ok && m < MONTHS; m++) {
		/* the month m before the current one */
		int y = p.first / 100, mo = p.first % 100 - m;
		while (mo < 1) {
			mo += 12;
			y--;
		}
		int month = y * 100 + mo;
		int64_t at = now - (int64_t)m * 30 * 86400;
		bool current = m == 0;
		for (int s = 0; ok && s < STREETS; s++) {
			for (int c = 0; ok && c < PER_STREET; c++) {
				char comm[16];
				snprintf(comm, sizeof comm, "999901%03d%03d", s + 1, c + 1);
				ok = figure(db, "criminal_cases", comm, month,
				            (c * 7 + m * 3 + s) % 5 + (m + c) % 3, "区公安分局", at,
				            who, false);
				made += ok;
			}
			char street[16];
			snprintf(street, sizeof street, "999901%03d", s + 1);
			int64_t found = 8 + (m * 5 + s * 3) % 9;
			ok = ok && figure(db, "fire_hazards", street, month, found,
			                  "区消防救援大队", at, who, current);
			ok = ok && figure(db, "fire_hazards_rectified", street, month,
			                  found - (m + s) % 3, "区消防救援大队", at, who, current);
			made += ok ? 2 : 0;
		}
	}
	arena_free(&a);
	return ok ? made : -1;
}
