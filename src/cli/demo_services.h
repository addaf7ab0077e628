/* Demo services for jiceng demo: the service catalogue with requests in every state, and
 * appointment slots with bookings. */
#ifndef JICENG_CLI_DEMO_SERVICES_H
#define JICENG_CLI_DEMO_SERVICES_H

#include <stdint.h>

#include "store/db.h"

/* Adds service items of 阳光社区 and 幸福街道, requests of the demo resident (jumin) in every
 * state with their timelines, and slots of the community over the coming days with bookings
 * (inside the caller's transaction), unless the community has items already. Returns how
 * many requests were made, or -1 on a store error. */
int demo_services(struct db *db, int64_t now);

#endif
