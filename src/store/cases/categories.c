/* Case categories (事项分类). */
#include "store/cases/cases.h"
#include "store/stmt.h"

#include <string.h>

#define CATEGORY_COLS                                                                              \
	"code, name, name_en, description, default_tier, active, sort, updated_at, public"

static void category_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct category_row *c = row;
	c->code = sql_str(st, a, 0);
	c->name = sql_str(st, a, 1);
	c->name_en = sql_str(st, a, 2);
	c->description = sql_str(st, a, 3);
	c->default_tier = (enum case_tier)db_col_int(st, 4);
	c->active = db_col_int(st, 5) != 0;
	c->sort = db_col_int(st, 6);
	c->updated_at = db_col_int(st, 7);
	c->is_public = db_col_int(st, 8) != 0;
}

enum db_result store_categories_list(struct db *db, struct arena *a, bool active_only,
                                     struct category_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " CATEGORY_COLS " FROM categories "
	               "WHERE (? = 0 OR active = 1) ORDER BY sort, code LIMIT 500",
	               ARGS(ARG_INT(active_only)), category_read, sizeof **rows, 500, (void **)rows,
	               n);
}

enum db_result store_categories_get(struct db *db, struct arena *a, const char *code,
                                    struct category_row *out)
{
	return sql_one(db, a, "SELECT " CATEGORY_COLS " FROM categories WHERE code = ?",
	               ARGS(ARG_TEXT(code)), category_read, out);
}

/* Insert and update take the same parameters: the code is ?8 in both. */
static enum db_result category_write(struct db *db, const char *sql, const struct category_row *c)
{
	return sql_change(db, sql,
	                  ARGS(ARG_TEXT(c->name), ARG_TEXT(c->name_en ? c->name_en : ""),
	                       ARG_TEXT(c->description ? c->description : ""),
	                       ARG_INT(c->default_tier), ARG_INT(c->active), ARG_INT(c->sort),
	                       ARG_INT(c->updated_at), ARG_TEXT(c->code), ARG_INT(c->is_public)));
}

enum db_result store_categories_insert(struct db *db, const struct category_row *c)
{
	return category_write(db,
	                      "INSERT INTO categories(name, name_en, description, default_tier, "
	                      "active, sort, updated_at, code, public) "
	                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                      c);
}

enum db_result store_categories_update(struct db *db, const struct category_row *c)
{
	return category_write(
	    db,
	    "UPDATE categories SET name = ?1, name_en = ?2, description = ?3, "
	    "default_tier = ?4, active = ?5, sort = ?6, updated_at = ?7, public = ?9 "
	    "WHERE code = ?8",
	    c);
}
