/* The command platform's handlers (api/command/): the dashboard. */
#ifndef JICENG_API_COMMAND_H
#define JICENG_API_COMMAND_H

#include "api/api.h"

/* Whose dashboards: the staff who read every case of their regions (departments read only
 * their unit's cases and residents their own reports: their home is their list). */
#define DASHBOARD_ROLES                                                                            \
	(ROLES_MANAGERS | ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_GRID_LEADER) |                 \
	 ROLE_BIT(ROLE_GRID_WORKER))

void dashboard_get_h(struct http_req *req);

#endif
