/* Projects (民生实事, 老旧小区改造, 政府购买服务) as a pure table: for every state and action,
 * the roles allowed and the next state; beside it the budget rule and the progress derived from
 * milestones. planned → underway → completed → accepted, or suspended (from planned or
 * underway, with a reason) and resumed to underway. Handlers only consult it
 * (api/projects/projects.c). */
#ifndef JICENG_DOMAIN_PROJECT_FLOW_H
#define JICENG_DOMAIN_PROJECT_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/role.h"

enum project_state {
	PROJ_PLANNED,
	PROJ_UNDERWAY,
	PROJ_COMPLETED,
	PROJ_ACCEPTED,
	PROJ_SUSPENDED,
	PROJ_STATE_COUNT
};

enum project_action {
	PACT_START,
	PACT_COMPLETE,
	PACT_ACCEPT,
	PACT_SUSPEND,
	PACT_RESUME,
	PROJ_ACTION_COUNT
};

enum project_kind { PKIND_LIVELIHOOD, PKIND_RENOVATION, PKIND_PURCHASE, PKIND_OTHER, PKIND_COUNT };

/* What a project was produced by. */
enum project_link { PLINK_TOPIC, PLINK_CAMPAIGN, PLINK_COMMITMENT, PLINK_COUNT };

/* Who creates and runs projects: community staff and up; who reads them: they and the
 * supervisor, and a department for the projects its own unit is responsible for. Acceptance
 * (验收) is by the street or above, never by the community that ran the work. */
#define PROJECT_MANAGERS  ROLES_MANAGERS
#define PROJECT_READERS   (ROLES_MANAGERS | ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_DEPARTMENT))
#define PROJECT_DOERS     (PROJECT_MANAGERS | ROLE_BIT(ROLE_DEPARTMENT))
#define PROJECT_ACCEPTORS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_DISTRICT) | ROLE_BIT(ROLE_STREET))

struct project_transition {
	unsigned roles; /* ROLE_BIT()s allowed */
	enum project_state next;
	bool needs_comment;
};

bool project_state_parse(const char *s, enum project_state *out);
const char *project_state_code(enum project_state s);
const char *project_state_name_zh(enum project_state s);
bool project_action_parse(const char *s, enum project_action *out);
const char *project_action_code(enum project_action a);
bool project_kind_parse(const char *s, enum project_kind *out);
const char *project_kind_code(enum project_kind k);
const char *project_kind_name_zh(enum project_kind k);
bool project_link_parse(const char *s, enum project_link *out);
const char *project_link_code(enum project_link k);

/* The transition for (state, action), or NULL when the state does not allow it. */
const struct project_transition *project_flow_lookup(enum project_state s, enum project_action a);
/* Progress in percent (0–100, rounded down) from done of total milestones; 0 without any. */
int project_progress(int64_t done, int64_t total);
/* Whether spending amount on top of spent stays within budget, or else a reason is given. */
bool project_spend_allowed(int64_t budget, int64_t spent, int64_t amount, const char *reason);
/* Whether milestones and spending may still change in state s (not after acceptance). */
bool project_open(enum project_state s);

#endif
