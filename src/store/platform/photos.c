/* Photo uploaders and references (see store/photos.h). */
#include "store/platform/photos.h"
#include "core/arena.h"
#include "store/rows.h"

enum db_result photo_uploads_add(struct db *db, const char *hash, int64_t user_id, int64_t at)
{
	struct db_stmt *st =
	    db_prepare(db, "INSERT OR IGNORE INTO photo_uploads(hash, user_id, at) "
	                   "VALUES (?, ?, ?)");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, at);
	return rows_finish(st);
}

enum db_result photo_uploaded_by(struct db *db, const char *hash, int64_t user_id, bool *yes)
{
	*yes = false;
	struct db_stmt *st =
	    db_prepare(db, "SELECT 1 FROM photo_uploads WHERE hash = ? AND user_id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, user_id);
	enum db_result r = db_step(st);
	db_done(st);
	*yes = r == DB_ROW;
	return r == DB_ROW || r == DB_DONE ? DB_OK : r;
}

static void ref_fill(struct db_stmt *st, struct arena *a, void *p)
{
	struct photo_ref *r = p;
	r->kind = rows_str(st, a, 0);
	r->ref_id = db_col_int(st, 1);
	r->region_code = rows_str(st, a, 2);
	r->unit = rows_str(st, a, 3);
	r->reporter_user_id = db_col_int(st, 4);
}

enum db_result photo_refs_list(struct db *db, struct arena *a, const char *hash,
                               struct photo_ref **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT 'case', c.id, c.region_code, c.unit, coalesce(c.reporter_user_id, 0) "
	        "FROM photo_refs r JOIN cases c ON c.id = r.ref_id WHERE r.hash = ?1 AND "
	        "r.kind = 'case' UNION ALL SELECT 'sweep_visit', v.id, v.region_code, NULL, 0 "
	        "FROM photo_refs r JOIN sweep_visits v ON v.id = r.ref_id WHERE r.hash = ?1 AND "
	        "r.kind = 'sweep_visit' LIMIT ?2");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, PHOTO_REFS_MAX);
	return rows_collect_max(st, a, ref_fill, sizeof(**rows), PHOTO_REFS_MAX, (void **)rows, n);
}
