/* Responsibility rules (责任清单) that route cases (see domain/routing.h): rows only,
 * the choice of a rule is the domain's. */
#include "store/cases/cases.h"
#include "store/stmt.h"

#include <string.h>

#define RULE_COLS                                                                                  \
	"id, category, coalesce(tier, -1), coalesce(level, -1), region_code, unit, accept_hours, " \
	"handle_hours, note, created_at, updated_at"

static void rule_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct rule_row *r = row;
	memset(r, 0, sizeof(*r));
	r->rule.id = db_col_int(st, 0);
	r->rule.category = sql_str(st, a, 1);
	r->rule.tier = (int)db_col_int(st, 2);
	r->rule.level = (int)db_col_int(st, 3);
	r->rule.region_code = sql_str(st, a, 4);
	r->rule.unit = sql_str(st, a, 5);
	r->rule.accept_hours = db_col_int(st, 6);
	r->rule.handle_hours = db_col_int(st, 7);
	r->note = sql_str(st, a, 8);
	r->created_at = db_col_int(st, 9);
	r->updated_at = db_col_int(st, 10);
}

enum db_result store_rules_list(struct db *db, struct arena *a, struct rule_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " RULE_COLS " FROM responsibilities "
	               "WHERE active = 1 ORDER BY id LIMIT 5000",
	               NO_ARGS, rule_read, sizeof **rows, -1, (void **)rows, n);
}

enum db_result store_rules_get(struct db *db, struct arena *a, int64_t id, struct rule_row *out)
{
	return sql_one(db, a,
	               "SELECT " RULE_COLS " FROM responsibilities WHERE id = ? AND active = 1",
	               ARGS(ARG_INT(id)), rule_read, out);
}

enum { RULE_SHARED = 9 };

/* The columns insert and update share, in the order both statements name them;
 * a tier or level < 0 means any (NULL). */
static void rule_args(const struct rule_row *r, struct sql_arg *out)
{
	const struct sql_arg args[RULE_SHARED] = {
	    ARG_TEXT(r->rule.category),
	    r->rule.tier >= 0 ? ARG_INT(r->rule.tier) : ARG_NULL,
	    r->rule.level >= 0 ? ARG_INT(r->rule.level) : ARG_NULL,
	    ARG_TEXT(r->rule.region_code),
	    ARG_TEXT(r->rule.unit),
	    ARG_INT(r->rule.accept_hours),
	    ARG_INT(r->rule.handle_hours),
	    ARG_TEXT(r->note),
	    ARG_INT(r->updated_at),
	};
	memcpy(out, args, sizeof args);
}

enum db_result store_rules_insert(struct db *db, struct rule_row *r)
{
	struct sql_arg args[RULE_SHARED + 1];
	rule_args(r, args);
	args[RULE_SHARED] = ARG_INT(r->created_at);
	return sql_insert(db,
	                  "INSERT INTO responsibilities(category, tier, level, region_code, unit, "
	                  "accept_hours, handle_hours, note, updated_at, created_at) "
	                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                  args, RULE_SHARED + 1, &r->rule.id);
}

enum db_result store_rules_update(struct db *db, const struct rule_row *r)
{
	struct sql_arg args[RULE_SHARED + 1];
	rule_args(r, args);
	args[RULE_SHARED] = ARG_INT(r->rule.id);
	return sql_change(
	    db,
	    "UPDATE responsibilities SET category = ?, tier = ?, level = ?, region_code = ?, "
	    "unit = ?, accept_hours = ?, handle_hours = ?, note = ?, updated_at = ? "
	    "WHERE id = ? AND active = 1",
	    args, RULE_SHARED + 1);
}

enum db_result store_rules_retire(struct db *db, int64_t id, int64_t now)
{
	return sql_change(db,
	                  "UPDATE responsibilities SET active = 0, updated_at = ? "
	                  "WHERE id = ? AND active = 1",
	                  ARGS(ARG_INT(now), ARG_INT(id)));
}
