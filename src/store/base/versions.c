/* The version history every change of a base record leaves. */
#include "store/base/base.h"

#include <string.h>

#include "store/stmt.h"

/* ---- history ---- */

enum db_result store_versions_add(struct db *db, const struct version_row *v)
{
	return sql_run(
	    db,
	    "INSERT INTO record_versions(kind, record_id, version, at, actor_id, actor, action, "
	    "before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_TEXT(v->kind), ARG_INT(v->record_id), ARG_INT(v->version), ARG_INT(v->at),
	         ARG_ID(v->actor_id), ARG_OPT_TEXT(v->actor), ARG_TEXT(v->action),
	         ARG_OPT_TEXT(v->before), ARG_OPT_TEXT(v->after)));
}

enum db_result store_versions_next(struct db *db, const char *kind, int64_t record_id, int64_t *out)
{
	/* An aggregate always returns its one row. */
	return sql_int(db,
	               "SELECT coalesce(max(version), 0) + 1 FROM record_versions "
	               "WHERE kind = ? AND record_id = ?",
	               ARGS(ARG_TEXT(kind), ARG_INT(record_id)), out);
}

static void version_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct version_row *v = row;
	memset(v, 0, sizeof *v);
	v->id = db_col_int(st, 0);
	v->kind = sql_str(st, a, 1);
	v->record_id = db_col_int(st, 2);
	v->version = db_col_int(st, 3);
	v->at = db_col_int(st, 4);
	v->actor_id = db_col_int(st, 5);
	v->actor = sql_str(st, a, 6);
	v->action = sql_str(st, a, 7);
	v->before = sql_str(st, a, 8);
	v->after = sql_str(st, a, 9);
}

enum db_result store_versions_list(struct db *db, struct arena *a, const char *kind,
                                   int64_t record_id, struct version_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT id, kind, record_id, version, at, coalesce(actor_id, 0), actor, action, "
	    "before, after FROM record_versions WHERE kind = ? AND record_id = ? ORDER BY id",
	    ARGS(ARG_TEXT(kind), ARG_INT(record_id)), version_read, sizeof **rows, -1,
	    (void **)rows, n);
}
