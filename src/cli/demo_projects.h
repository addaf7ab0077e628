/* The demo's projects (民生实事, 老旧小区改造, 政府购买服务) in 阳光社区: fictitious. */
#ifndef JICENG_CLI_DEMO_PROJECTS_H
#define JICENG_CLI_DEMO_PROJECTS_H

#include <stdint.h>

#include "store/db.h"

/* Three projects of 阳光社区 in different states, with milestones and spending, unless made
 * before. The number made, or -1 on a store error. */
int demo_projects(struct db *db, int64_t now);

#endif
