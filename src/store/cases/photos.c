/* Photo files by content hash (the bytes live on disk; see api/photos). */
#include "store/cases/cases.h"
#include "store/dialect.h"
#include "store/stmt.h"

enum db_result store_photos_add(struct db *db, const struct photo_row *p)
{
	return sql_run(db,
	               SQL_INSERT_IGNORE " photos(hash, mime, size, created_at, created_by) "
	                                 "VALUES (?, ?, ?, ?, ?)" SQL_IGNORE_END,
	               ARGS(ARG_TEXT(p->hash), ARG_TEXT(p->mime), ARG_INT(p->size),
	                    ARG_INT(p->created_at), ARG_NONZERO(p->created_by)));
}

static void photo_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct photo_row *p = row;
	p->hash = sql_str(st, a, 0);
	p->mime = sql_str(st, a, 1);
	p->size = db_col_int(st, 2);
	p->created_at = db_col_int(st, 3);
	p->created_by = db_col_int(st, 4);
}

enum db_result store_photos_get(struct db *db, struct arena *a, const char *hash,
                                struct photo_row *out)
{
	return sql_one(db, a,
	               "SELECT hash, mime, size, created_at, coalesce(created_by, 0) FROM photos "
	               "WHERE hash = ?",
	               ARGS(ARG_TEXT(hash)), photo_read, out);
}
