/* Limits that several nodes on one database count together (migration 10): a token bucket
 * per key (sign-in attempts per address), a sliding window of events per key (resident
 * lookups per user) and the failures in a row of unknown usernames. On SQLite one process is
 * the only node and the api keeps these counts in memory (store_limits_shared says which). */
#ifndef JICENG_STORE_LIMITS_H
#define JICENG_STORE_LIMITS_H

#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>

enum { LOGIN_NAME_HASH_LEN = 16 };

/* True when other nodes may use this database too (PostgreSQL): the limits are counted in
 * it, with the functions below. */
bool store_limits_shared(struct db *db);

/* Opens the write transaction the functions below run in. On PostgreSQL its commit does not
 * wait for the disk (synchronous_commit off): a count lost in a crash only lets one more
 * attempt through. */
enum db_result store_limits_begin(struct db *db);

/* In a write transaction: takes one token of bucket — cap tokens, refilled evenly over a
 * minute, full when first seen — at now_ms (wall clock). *ok when one was left; else *wait,
 * the seconds until the next one. */
enum db_result store_rate_take(struct db *db, const char *bucket, double cap, int64_t now_ms,
                               bool *ok, int64_t *wait);
/* In a write transaction: gives one token back (never beyond cap). */
enum db_result store_rate_refund(struct db *db, const char *bucket, double cap);

/* In a write transaction: counts one event of bucket at now unless cap events already lie in
 * the window (now - window, now]; then *ok is false and *retry_after the seconds until the
 * oldest of them leaves it. */
enum db_result store_rate_hit(struct db *db, const char *bucket, int cap, int64_t now,
                              int64_t window, bool *ok, int64_t *retry_after);

/* The lock of an unknown username, by its keyed hash (0 when none). */
enum db_result store_login_unknown_locked(struct db *db,
                                          const unsigned char hash[LOGIN_NAME_HASH_LEN],
                                          int64_t *until);
/* In a write transaction: counts a failure like store_users_count_failure — max failures in a
 * row lock it until locked_until (and start the count again); *locked when this one did. */
enum db_result store_login_unknown_failure(struct db *db,
                                           const unsigned char hash[LOGIN_NAME_HASH_LEN],
                                           int64_t max, int64_t locked_until, int64_t now,
                                           bool *locked);

/* In a write transaction: removes what no longer limits anything at now — buckets untouched
 * for a minute (full again), events older than window, unknown usernames untouched for a
 * day and not locked. */
enum db_result store_limits_purge(struct db *db, int64_t now, int64_t window);

#endif
