/* Organisations (企): rows and the filtered scope walk. */
#include "store/base/base.h"

#include <string.h>

#include "store/dialect.h"
#include "store/stmt.h"

/* ---- organisations ---- */

#define ORG_COLS                                                                                   \
	"id, region_code, coalesce(house_id, 0), name, uscc, kind, industry, legal_person, "       \
	"phone_sealed, phone_mask, address, coalesce(employees, -1), status, verified_at, "        \
	"version, created_at, updated_at"

static void org_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct org_row *o = row;
	memset(o, 0, sizeof *o);
	o->id = db_col_int(st, 0);
	o->region_code = sql_str(st, a, 1);
	o->house_id = db_col_int(st, 2);
	o->name = sql_str(st, a, 3);
	o->uscc = sql_str(st, a, 4);
	o->kind = sql_str(st, a, 5);
	o->industry = sql_str(st, a, 6);
	o->legal_person = sql_str(st, a, 7);
	o->phone_sealed = sql_sealed(st, a, 8);
	o->phone_mask = sql_str(st, a, 9);
	o->address = sql_str(st, a, 10);
	o->employees = db_col_int(st, 11);
	o->status = sql_str(st, a, 12);
	o->verified_at = db_col_int(st, 13);
	o->version = db_col_int(st, 14);
	o->created_at = db_col_int(st, 15);
	o->updated_at = db_col_int(st, 16);
}

enum { ORG_SHARED = 13 };

/* The columns insert and update share, ?1 to ?13; the caller adds the rest after them. */
static void org_args(const struct org_row *o, struct sql_arg *out)
{
	const struct sql_arg args[ORG_SHARED] = {
	    ARG_TEXT(o->region_code),
	    ARG_ID(o->house_id),
	    ARG_TEXT(o->name),
	    ARG_OPT_TEXT(o->uscc),
	    ARG_TEXT(o->kind),
	    ARG_OPT_TEXT(o->industry),
	    ARG_OPT_TEXT(o->legal_person),
	    ARG_SEALED(o->phone_sealed),
	    ARG_OPT_TEXT(o->phone_mask),
	    ARG_OPT_TEXT(o->address),
	    o->employees >= 0 ? ARG_INT(o->employees) : ARG_NULL,
	    ARG_TEXT(o->status ? o->status : "active"),
	    ARG_INT(o->verified_at),
	};
	memcpy(out, args, sizeof args);
}

enum db_result store_orgs_insert(struct db *db, struct org_row *o)
{
	struct sql_arg args[ORG_SHARED + 2];
	org_args(o, args);
	args[ORG_SHARED] = ARG_INT(o->created_at);
	args[ORG_SHARED + 1] = ARG_INT(o->updated_at);
	enum db_result r = sql_insert(
	    db,
	    "INSERT INTO organisations(region_code, house_id, name, uscc, kind, industry, "
	    "legal_person, phone_sealed, phone_mask, address, employees, status, verified_at, "
	    "version, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	    "?11, ?12, ?13, 1, ?14, ?15)",
	    args, ORG_SHARED + 2, &o->id);
	if (r == DB_OK)
		o->version = 1;
	return r;
}

enum db_result store_orgs_get(struct db *db, struct arena *a, int64_t id, struct org_row *out)
{
	return sql_one(db, a, "SELECT " ORG_COLS " FROM organisations WHERE id = ?",
	               ARGS(ARG_INT(id)), org_read, out);
}

enum db_result store_orgs_by_uscc(struct db *db, struct arena *a, const char *uscc,
                                  struct org_row *out)
{
	return sql_one(db, a, "SELECT " ORG_COLS " FROM organisations WHERE uscc = ?",
	               ARGS(ARG_TEXT(uscc)), org_read, out);
}

enum db_result store_orgs_update(struct db *db, const struct org_row *o)
{
	struct sql_arg args[ORG_SHARED + 3];
	org_args(o, args);
	args[ORG_SHARED] = ARG_INT(o->version);
	args[ORG_SHARED + 1] = ARG_INT(o->updated_at);
	args[ORG_SHARED + 2] = ARG_INT(o->id);
	return sql_run(
	    db,
	    "UPDATE organisations SET region_code = ?1, house_id = ?2, name = ?3, uscc = ?4, "
	    "kind = ?5, industry = ?6, legal_person = ?7, phone_sealed = ?8, phone_mask = ?9, "
	    "address = ?10, employees = ?11, status = ?12, verified_at = ?13, version = ?14, "
	    "updated_at = ?15 WHERE id = ?16",
	    args, ORG_SHARED + 3);
}

enum db_result store_orgs_list(struct db *db, struct arena *a, const struct scopes *sc,
                               const char *q, const char *kind, struct page_after after, int limit,
                               struct org_row **rows, size_t *n)
{
	return sql_walk(
	    db, a,
	    "SELECT " ORG_COLS " FROM organisations WHERE" SQL_WALK_RANGE
	    "AND (CAST(?5 AS TEXT) IS NULL OR " SQL_INSTR(
	        "name", "?5") " > 0 OR uscc = ?5) AND (CAST(?6 AS TEXT) IS NULL OR kind = ?6) "
	                      "ORDER BY region_code, id LIMIT ?7",
	    7, sc, after, limit, ARGS(ARG_OPT_TEXT(q), ARG_OPT_TEXT(kind)), org_read, sizeof **rows,
	    (void **)rows, n);
}
