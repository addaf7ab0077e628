/* Volunteers (志愿服务): who gets a place on an activity and who waits, who is promoted when
 * a place frees, when the check-in code is valid, which hours may be confirmed, the points
 * they earn, and the ledger's rule that a balance never goes below zero. Pure. */
#ifndef JICENG_DOMAIN_VOLUNTEER_H
#define JICENG_DOMAIN_VOLUNTEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The check-in code opens this long before the activity starts and closes at its end. */
enum { VOL_CHECKIN_EARLY = 30 * 60 };
/* Points earned per hour of confirmed service. */
enum { VOL_POINTS_PER_HOUR = 10 };
/* Characters of a check-in code. */
enum { VOL_CODE_LEN = 6 };

enum vol_status { VOL_SIGNED, VOL_WAITING, VOL_CANCELLED };
const char *vol_status_code(enum vol_status s);
bool vol_status_parse(const char *s, enum vol_status *out);

/* A new sign-up gets a place while fewer than capacity hold one, else waits. */
enum vol_status vol_signup_place(int64_t signed_count, int64_t capacity);

/* One sign-up as the promotion rule sees it. */
struct vol_queued {
	int64_t id, created_at;
	enum vol_status status;
};
/* The waiting sign-ups to promote when places may have freed: at most capacity −
 * signed_count of them, the earliest first (by sign-up time, then id). Writes their indexes
 * into out (room for n) and returns how many; never over the limit. */
size_t vol_promotions(const struct vol_queued *q, size_t n, int64_t signed_count, int64_t capacity,
                      size_t *out);

/* Whether the check-in code is valid at now for an activity in [starts, ends]. */
bool vol_checkin_open(int64_t now, int64_t starts, int64_t ends);
/* A code of VOL_CODE_LEN characters without look-alikes (no 0 O 1 I) from random bytes. */
void vol_checkin_code(const unsigned char rnd[VOL_CODE_LEN], char out[VOL_CODE_LEN + 1]);
/* The code typed matches the activity's (case and surrounding spaces ignored). */
bool vol_code_matches(const char *typed, const char *code);

/* Minutes of service the organiser may confirm for an activity in [starts, ends]: at least
 * one, at most its length rounded up to the minute (an hour at least). */
bool vol_minutes_allowed(int64_t minutes, int64_t starts, int64_t ends);
/* Points for minutes of service: VOL_POINTS_PER_HOUR per hour, rounded down. */
int64_t vol_points_for(int64_t minutes);

/* The ledger's rule: an entry of delta points is allowed when the balance stays ≥ 0. */
bool vol_ledger_allows(int64_t balance, int64_t delta);

#endif
