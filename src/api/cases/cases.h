/* Case helpers shared by the case routes and Open311. */
#ifndef JICENG_API_CASES_H
#define JICENG_API_CASES_H

#include "api/api.h"
#include "store/cases/cases.h"

/* The roles the caller holds over this case: grants reaching its region, with
 * departments limited to their unit's cases and residents to their own reports. */
unsigned cases_roles_for(const struct api_ctx *ctx, const struct case_row *c);
/* Roles that may see a reporter's personal data (audited reveal), as for base data. */
#define CASE_REVEALERS (ROLES_MANAGERS | ROLE_BIT(ROLE_GRID_LEADER) | ROLE_BIT(ROLE_GRID_WORKER))
/* How the timeline names an anonymous reporter. */
#define ANONYMOUS_ACTOR "匿名反映人"
json_t *case_json(struct api_ctx *ctx, struct arena *a, const struct case_row *c, bool reveal);

struct case_report {
	const char *category, *description, *region_code, *source, *address;
	const char *reporter_name, *reporter_phone;
	bool anonymous, has_location, has_tier, publish_description;
	double lat, lon;
	enum case_tier tier;
	int64_t reporter_user_id;
	const char *actor, *actor_role;
	const char *photos; /* JSON array of photo hashes, or NULL */
	int64_t actor_id;
};

/* Creates a routed case from a validated report; false after responding with an error. */
bool cases_create(struct http_req *req, const struct case_report *rep, struct case_row *out);

#endif
