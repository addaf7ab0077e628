/* Photo uploaders and references (see store/photos.h). */
#include "store/platform/photos.h"
#include "core/arena.h"
#include "store/dialect.h"
#include "store/stmt.h"

enum db_result store_photo_uploads_add(struct db *db, const char *hash, int64_t user_id, int64_t at)
{
	return sql_run(db,
	               SQL_INSERT_IGNORE " photo_uploads(hash, user_id, at) "
	                                 "VALUES (?, ?, ?)" SQL_IGNORE_END,
	               ARGS(ARG_TEXT(hash), ARG_INT(user_id), ARG_INT(at)));
}

enum db_result store_photo_uploaded_by(struct db *db, const char *hash, int64_t user_id, bool *yes)
{
	return sql_exists(db, "SELECT 1 FROM photo_uploads WHERE hash = ? AND user_id = ?",
	                  ARGS(ARG_TEXT(hash), ARG_INT(user_id)), yes);
}

static void ref_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct photo_ref *r = p;
	r->kind = sql_str(st, a, 0);
	r->ref_id = db_col_int(st, 1);
	r->region_code = sql_str(st, a, 2);
	r->unit = sql_str(st, a, 3);
	r->reporter_user_id = db_col_int(st, 4);
}

enum db_result store_photo_refs_list(struct db *db, struct arena *a, const char *hash,
                                     struct photo_ref **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT 'case', c.id, c.region_code, c.unit, coalesce(c.reporter_user_id, 0) "
	    "FROM photo_refs r JOIN cases c ON c.id = r.ref_id WHERE r.hash = ?1 AND "
	    "r.kind = 'case' UNION ALL SELECT 'sweep_visit', v.id, v.region_code, NULL, 0 "
	    "FROM photo_refs r JOIN sweep_visits v ON v.id = r.ref_id WHERE r.hash = ?1 AND "
	    "r.kind = 'sweep_visit' UNION ALL SELECT 'campaign_item', i.id, i.region_code, NULL, 0 "
	    "FROM campaign_item_photos r JOIN campaign_items i ON i.id = r.item_id WHERE "
	    "r.hash = ?1 UNION ALL SELECT 'service_request', q.id, q.region_code, q.item_region, "
	    "q.user_id FROM service_request_photos r JOIN service_requests q ON q.id = "
	    "r.request_id WHERE r.hash = ?1 UNION ALL SELECT 'ranking_adjustment', a.id, "
	    "a.region_code, NULL, 0 FROM ranking_adjustments a WHERE a.photos LIKE '%' || ?1 || "
	    "'%' UNION ALL SELECT 'project_milestone', p.id, p.region_code, p.responsible_unit, 0 "
	    "FROM project_milestones m JOIN projects p ON p.id = m.project_id WHERE m.photos LIKE "
	    "'%' || ?1 || '%' LIMIT ?2",
	    ARGS(ARG_TEXT(hash), ARG_INT(PHOTO_REFS_MAX)), ref_read, sizeof(**rows), PHOTO_REFS_MAX,
	    (void **)rows, n);
}
