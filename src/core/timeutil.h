/* Time: stored as UTC seconds since the epoch, shown as RFC 3339 in Asia/Shanghai (+08:00). */
#ifndef JICENG_CORE_TIMEUTIL_H
#define JICENG_CORE_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { TIME_RFC3339_LEN = 32 };

int64_t time_now(void);     /* UTC seconds */
int64_t time_mono_ns(void); /* monotonic nanoseconds, for durations */
/* Formats t as "2026-11-23T08:00:00+08:00" into out (TIME_RFC3339_LEN bytes). */
void time_format(int64_t t, char out[TIME_RFC3339_LEN]);
/* Parses RFC 3339 with an offset or Z (fractions ignored); false when malformed. */
bool time_parse(const char *s, int64_t *out);

#endif
