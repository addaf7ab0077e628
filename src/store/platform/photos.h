/* Who may attach and read a photo: its uploaders, and the records that reference it (cases
 * through their timeline, sweep visits), kept in photo_refs by triggers (migration 9),
 * campaign items through theirs (campaign_item_photos, migration 14), service requests
 * through theirs, and bonus or penalty items and project milestones through their photos
 * (JSON text of hashes). */
#ifndef JICENG_STORE_PHOTOS_H
#define JICENG_STORE_PHOTOS_H

#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;

/* Records that user_id uploaded hash (again: a no-op). user_id is a user's id, or minus an API
 * token's id for an upload by token. */
enum db_result store_photo_uploads_add(struct db *db, const char *hash, int64_t user_id,
                                       int64_t at);
/* Whether user_id uploaded hash. */
enum db_result store_photo_uploaded_by(struct db *db, const char *hash, int64_t user_id, bool *yes);

/* A record that references a photo, with what its scope rule needs. */
struct photo_ref {
	const char *kind;        /* "case", "sweep_visit", "campaign_item", "service_request",
	                            "ranking_adjustment" or "project_milestone" */
	int64_t ref_id;          /* the case, the visit, the item, the request or the project */
	const char *region_code; /* where the record lies */
	/* a case's handling unit; a service request's handling region; a project's responsible
	 * unit */
	const char *unit;
	int64_t reporter_user_id; /* a case's reporting account (residents see their own) */
};
enum { PHOTO_REFS_MAX = 64 };
/* The records that reference hash, at most PHOTO_REFS_MAX, in one query. */
enum db_result store_photo_refs_list(struct db *db, struct arena *a, const char *hash,
                                     struct photo_ref **rows, size_t *n);

#endif
