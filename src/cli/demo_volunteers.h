/* Demo volunteers and field logs for jiceng demo. */
#ifndef JICENG_CLI_DEMO_VOLUNTEERS_H
#define JICENG_CLI_DEMO_VOLUNTEERS_H

#include <stdint.h>

#include "store/db.h"

/* Adds 阳光社区's volunteer teams (星光艺术团, 义诊进社区, 平安巡逻队) with past activities
 * (sign-ups, check-ins, confirmed hours, points and a few 爱心超市 spends) and coming ones
 * (sign-ups and a waiting list), and the grid workers' visits and patrols of the last 30 days
 * (inside the caller's transaction), unless the community has teams already. Returns how many
 * activities were made, or -1 on a store error. */
int demo_volunteers(struct db *db, int64_t now);

#endif
