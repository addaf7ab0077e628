/* Users and their (role, region) grants. */
#ifndef JICENG_STORE_USERS_H
#define JICENG_STORE_USERS_H

#include "core/arena.h"
#include "domain/grant.h"
#include "store/db.h"

enum { USER_MAX_GRANTS = 32 };

struct user_row {
	int64_t id;
	const char *username, *display_name, *unit, *password_hash;
	bool disabled;
	int64_t failed_count, locked_until, created_at, updated_at;
	int64_t resident_id, household_id; /* a resident account's person and household; 0: none */
	struct grant grants[USER_MAX_GRANTS];
	size_t ngrants;
};

/* DB_ROW when found (strings in arena), DB_DONE when not, DB_ERROR. */
enum db_result store_users_get(struct db *db, struct arena *a, int64_t id, struct user_row *out);
enum db_result store_users_by_name(struct db *db, struct arena *a, const char *username,
                                   struct user_row *out);
/* Inserts u (id is set); DB_CONSTRAINT when the username is taken. */
enum db_result store_users_insert(struct db *db, struct user_row *u);
/* Writes display_name, unit, disabled, password_hash, failure state. */
enum db_result store_users_update(struct db *db, const struct user_row *u);
enum db_result store_users_set_grants(struct db *db, int64_t user_id, const struct grant *g,
                                      size_t n);
enum db_result store_users_set_failures(struct db *db, int64_t id, int64_t failed,
                                        int64_t locked_until);
/* Counts one failed sign-in atomically; when it reaches max the account locks until
 * locked_until and the count starts again. *locked tells whether this failure locked it. */
enum db_result store_users_count_failure(struct db *db, int64_t id, int64_t max,
                                         int64_t locked_until, bool *locked);
/* Users with id > after_id whose username or display name contains q (NULL: all). */
enum db_result store_users_list(struct db *db, struct arena *a, const char *q, int64_t after_id,
                                int limit, struct user_row **rows, size_t *n);
int64_t store_users_count(struct db *db);

/* Links a resident account to its resident and household (resident_id 0: clears both).
 * DB_DONE when no such user; DB_CONSTRAINT when another account speaks for that resident. */
enum db_result store_user_resident_link(struct db *db, int64_t user_id, int64_t resident_id,
                                        int64_t household_id, int64_t now);
/* The link as stored now (never cached): *resident_id and *household_id, 0 when none.
 * DB_ROW, DB_DONE (no such user) or an error. */
enum db_result store_user_resident_get(struct db *db, int64_t user_id, int64_t *resident_id,
                                       int64_t *household_id);
/* After a resident record is saved: an account linked to it follows its household, and loses
 * the link at once when the resident is no longer active (moved out, deceased). *unlinked:
 * how many accounts lost it. */
enum db_result store_user_resident_follow(struct db *db, int64_t resident_id, bool active,
                                          int64_t household_id, int64_t *unlinked);

#endif
