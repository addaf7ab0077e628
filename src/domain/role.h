/* Roles (DESIGN.md "Who uses it") and role sets as bit masks for route tables. */
#ifndef JICENG_DOMAIN_ROLE_H
#define JICENG_DOMAIN_ROLE_H

#include <stdbool.h>

enum role {
	ROLE_ADMIN,
	ROLE_DISTRICT,
	ROLE_STREET,
	ROLE_COMMUNITY,
	ROLE_SUPERVISOR,
	ROLE_GRID_LEADER,
	ROLE_GRID_WORKER,
	ROLE_BUILDING_LEADER,
	ROLE_DEPARTMENT,
	ROLE_CADRE,
	ROLE_RESIDENT,
	ROLE_COUNT
};

#define ROLE_BIT(r) (1u << (r))
#define ROLES_ANY   ((1u << ROLE_COUNT) - 1)
/* Staff who manage regions and people of their subtree. */
#define ROLES_MANAGERS                                                                             \
	(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_DISTRICT) | ROLE_BIT(ROLE_STREET) |                  \
	 ROLE_BIT(ROLE_COMMUNITY))

/* Parses a role code ("grid_worker"); false when unknown. */
bool role_parse(const char *code, enum role *out);
const char *role_code(enum role r);
const char *role_name_zh(enum role r);

#endif
