/* The administrative tree: district → street → community → grid, and the
 * history of grid splits and merges. */
#ifndef JICENG_STORE_REGIONS_H
#define JICENG_STORE_REGIONS_H

#include "core/arena.h"
#include "domain/region.h"
#include "store/db.h"

struct region_row {
	const char *code, *name, *parent_code, *geometry, *status;
	enum region_level level;
	int64_t planned_households; /* -1: not set */
	int64_t child_count, created_at, updated_at;
};

struct region_event {
	int64_t id, at, actor_id;
	const char *kind, *from_codes, *to_codes, *detail, *actor; /* codes as JSON arrays */
};

enum db_result store_regions_get(struct db *db, struct arena *a, const char *code,
                                 struct region_row *out);
/* Only the name (DB_ROW), without the geometry and child count: for rendering lists. */
enum db_result store_regions_name(struct db *db, struct arena *a, const char *code,
                                  const char **name);
/* Children of parent (NULL: the top level) with code > after, in code order. */
enum db_result store_regions_children(struct db *db, struct arena *a, const char *parent,
                                      const char *after, int limit, struct region_row **rows,
                                      size_t *n);
enum db_result store_regions_insert(struct db *db, const struct region_row *r);
enum db_result store_regions_update(struct db *db, const struct region_row *r);
enum db_result store_regions_retire(struct db *db, const char *code, int64_t now);
/* Records an event touching every code in from and to (JSON arrays of codes). */
enum db_result store_regions_event_add(struct db *db, const struct region_event *e,
                                       const char **codes, size_t ncodes);
enum db_result store_regions_history(struct db *db, struct arena *a, const char *code,
                                     struct region_event **rows, size_t *n);
int64_t store_regions_count(struct db *db);
/* Active grids under prefix that have a boundary, in code order (at most limit). */
enum db_result store_regions_grids_with_geometry(struct db *db, struct arena *a, const char *prefix,
                                                 int limit, struct region_row **rows, size_t *n);

#endif
