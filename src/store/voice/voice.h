/* Residents' voice (issue 14), store/voice/: household codes for enrolment (enrolment.c) and
 * announcements with their reads (announcements.c). The account's link to its resident is
 * store_user_resident_link (store/platform/users.h). */
#ifndef JICENG_STORE_VOICE_H
#define JICENG_STORE_VOICE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/seal.h"
#include "store/base/base.h"
#include "store/db.h"

/* ---- household codes (户码) ---- */

struct enrolment_code_row {
	int64_t id, household_id, issued_by, expires_at, uses, created_at;
	const char *region_code, *status;
};

/* Revokes the household's active code (if any) and inserts a new one (*id set). */
enum db_result store_enrolment_codes_issue(struct db *db, const unsigned char hash[SEAL_INDEX_LEN],
                                           int64_t household_id, const char *region_code,
                                           int64_t issued_by, int64_t now, int64_t expires_at,
                                           int64_t *id);
/* Revokes the household's active code; DB_DONE when it has none. */
enum db_result store_enrolment_codes_revoke(struct db *db, int64_t household_id, int64_t by,
                                            int64_t now);
/* The active, unexpired code with that hash: DB_ROW, DB_DONE (none) or an error. */
enum db_result store_enrolment_codes_find(struct db *db, struct arena *a,
                                          const unsigned char hash[SEAL_INDEX_LEN], int64_t now,
                                          struct enrolment_code_row *out);
/* The household's active code, expired or not (no code text: only its hash is kept). */
enum db_result store_enrolment_codes_of_household(struct db *db, struct arena *a,
                                                  int64_t household_id,
                                                  struct enrolment_code_row *out);
/* Counts one enrolment made with the code. */
enum db_result store_enrolment_codes_used(struct db *db, int64_t id);
/* The active member of the household with that name and phone (its blind index) that no
 * account speaks for yet: DB_ROW with *resident_id, DB_DONE when none. */
enum db_result store_enrolment_match(struct db *db, int64_t household_id, const char *name,
                                     const unsigned char phone_index[SEAL_INDEX_LEN],
                                     int64_t *resident_id);

/* A household under a region with an active member no account speaks for yet (the demo links
 * its resident accounts to such members). */
struct enrol_member {
	int64_t household_id, resident_id;
	const char *region_code;
};
/* Up to limit households under prefix (in id order) that no account speaks for yet, each with
 * its first active member (the demo links accounts to them). */
enum db_result store_enrolment_free_members(struct db *db, struct arena *a, const char *prefix,
                                            int limit, struct enrol_member **rows, size_t *n);

/* ---- announcements (社区资讯) ---- */

struct announcement_row {
	int64_t id, publish_at, created_by, created_at, updated_at, reads, read_at;
	const char *region_code, *region_name, *title, *body;
};

enum db_result store_announcements_insert(struct db *db, struct announcement_row *a);
/* With its read count, and read_at of user_id (0: not read, or user_id 0). */
enum db_result store_announcements_get(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                                       struct announcement_row *out);
/* Staff: the announcements in the scopes sc in (region_code, id) order after `after`. */
enum db_result store_announcements_walk(struct db *db, struct arena *a, const struct scopes *sc,
                                        struct page_after after, int limit,
                                        struct announcement_row **rows, size_t *n);
/* A resident of grid: those published (publish_at <= now) at the grid or a region above it,
 * newest first, ids below before_id (0: from the newest); read_at of user_id. */
enum db_result store_announcements_for_grid(struct db *db, struct arena *a, const char *grid,
                                            int64_t now, int64_t user_id, int64_t before_id,
                                            int limit, struct announcement_row **rows, size_t *n);
/* Records that user_id read the announcement (once; a second read changes nothing). */
enum db_result store_announcements_read(struct db *db, int64_t id, int64_t user_id, int64_t now);

#endif
