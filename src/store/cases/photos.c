/* Photos by content hash: metadata in photos, the bytes in photo_data (migration 9). */
#include "store/cases/cases.h"
#include "store/dialect.h"
#include "store/stmt.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

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

enum db_result store_photo_data_put(struct db *db, const char *hash, const void *data, size_t n)
{
	return sql_run(db, SQL_INSERT_IGNORE " photo_data(hash, data) VALUES (?, ?)" SQL_IGNORE_END,
	               ARGS(ARG_TEXT(hash), ARG_BLOB(data, n)));
}

struct photo_bytes {
	void *data;
	size_t n;
};

static void photo_bytes_read(struct db_stmt *st, struct arena *a, void *row)
{
	(void)a;
	struct photo_bytes *b = row;
	const void *p = db_col_blob(st, 0, &b->n);
	b->data = xmalloc(b->n ? b->n : 1);
	if (p && b->n)
		memcpy(b->data, p, b->n);
}

enum db_result store_photo_data_get(struct db *db, const char *hash, char **data, size_t *n)
{
	struct photo_bytes b = {0};
	enum db_result r = sql_one(db, NULL, "SELECT data FROM photo_data WHERE hash = ?",
	                           ARGS(ARG_TEXT(hash)), photo_bytes_read, &b);
	if (r != DB_ROW) {
		free(b.data);
		b.data = NULL;
		b.n = 0;
	}
	*data = b.data;
	*n = b.n;
	return r;
}

static void hash_read(struct db_stmt *st, struct arena *a, void *row)
{
	*(const char **)row = sql_str(st, a, 0);
}

enum db_result store_photos_without_data(struct db *db, struct arena *a, const char ***hashes,
                                         size_t *n)
{
	return sql_all(db, a,
	               "SELECT hash FROM photos WHERE hash NOT IN (SELECT hash FROM photo_data) "
	               "ORDER BY hash",
	               NO_ARGS, hash_read, sizeof(const char *), -1, (void **)hashes, n);
}
