/* Working deadlines for cases: hours counted on working days (Monday–Friday in
 * Asia/Shanghai), minor matters due the same day ("今日事今日毕"), and the
 * warning level — yellow at 80 % of the allowed time, red when past. */
#ifndef JICENG_DOMAIN_DEADLINE_H
#define JICENG_DOMAIN_DEADLINE_H

#include <stdint.h>

enum deadline_level { DEADLINE_OK, DEADLINE_YELLOW, DEADLINE_RED };

/* start plus hours of working time, skipping Saturdays and Sundays (local time). */
int64_t deadline_add_working_hours(int64_t start, int64_t hours);
/* The last second of t's local day (23:59:59 +08:00). */
int64_t deadline_end_of_day(int64_t t);
/* Level at now for a span from start to due; done (0 = not done) freezes it at that time. */
enum deadline_level deadline_level(int64_t start, int64_t due, int64_t now);
const char *deadline_level_code(enum deadline_level l);

#endif
