/* Credentials: cookie sessions and API tokens, both stored only as hashes of
 * their secrets, and the principal (who is calling, with which grants) that a
 * credential resolves to. */
#ifndef JICENG_STORE_AUTH_H
#define JICENG_STORE_AUTH_H

#include "core/arena.h"
#include "domain/grant.h"
#include "store/db.h"
#include "store/platform/users.h"

enum { AUTH_HASH_LEN = 32, AUTH_CSRF_LEN = 44 };

struct principal {
	int64_t user_id;    /* 0 for an API token */
	int64_t session_id; /* 0 unless signed in by cookie */
	int64_t token_id;   /* 0 unless by API token */
	char name[128];     /* username, or the token's name */
	char unit[128];     /* a department user's unit (职能部门), else empty */
	char csrf[AUTH_CSRF_LEN + 1];
	int64_t last_seen, expires_at; /* last_seen: a token's last use */
	struct grant grants[USER_MAX_GRANTS];
	size_t ngrants;
};

enum db_result store_sessions_insert(struct db *db, const unsigned char hash[AUTH_HASH_LEN],
                                     int64_t user_id, const char *csrf, int64_t now,
                                     int64_t expires_at, const char *ip, int64_t *id);
/* Resolves a live session of an enabled user; DB_DONE when none. */
enum db_result store_sessions_lookup(struct db *db, const unsigned char hash[AUTH_HASH_LEN],
                                     struct principal *p);
enum db_result store_sessions_touch(struct db *db, int64_t id, int64_t now);
enum db_result store_sessions_delete(struct db *db, int64_t id);
enum db_result store_sessions_delete_user(struct db *db, int64_t user_id);
/* Sessions neither expired nor idle past the cutoff (the metrics' gauge). */
enum db_result store_sessions_count(struct db *db, int64_t now, int64_t idle_cutoff, int64_t *n);
enum db_result store_sessions_purge(struct db *db, int64_t now, int64_t idle_cutoff);

struct token_row {
	int64_t id, created_by, created_at, last_used;
	const char *name;
	struct grant grants[USER_MAX_GRANTS];
	size_t ngrants;
};

enum db_result store_tokens_insert(struct db *db, struct token_row *t,
                                   const unsigned char hash[AUTH_HASH_LEN]);
enum db_result store_tokens_lookup(struct db *db, const unsigned char hash[AUTH_HASH_LEN],
                                   struct principal *p);
enum db_result store_tokens_list(struct db *db, struct arena *a, int64_t after_id, int limit,
                                 struct token_row **rows, size_t *n);
/* Records the token's last use (the guard does it at most once a minute). */
enum db_result store_tokens_touch(struct db *db, int64_t id, int64_t now);
/* DB_DONE when no live token has that id. */
enum db_result store_tokens_revoke(struct db *db, int64_t id, int64_t now);

#endif
