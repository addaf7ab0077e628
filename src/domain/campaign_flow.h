/* The campaign item loop (专项整治 三张清单, 销号管理) as a pure table: for every state and
 * action, the roles allowed, the next state and what the action needs; beside it the rule the
 * table cannot say — the one who verifies (销号) is never the one who did it.
 * open → assigned → done → verified, or done → returned to assigned with a comment.
 * Handlers only consult it (api/command/campaigns_items.c). */
#ifndef JICENG_DOMAIN_CAMPAIGN_FLOW_H
#define JICENG_DOMAIN_CAMPAIGN_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/role.h"

enum citem_state { CITEM_OPEN, CITEM_ASSIGNED, CITEM_DONE, CITEM_VERIFIED, CITEM_STATE_COUNT };

enum citem_action { CACT_ASSIGN, CACT_DONE, CACT_VERIFY, CACT_RETURN, CITEM_ACTION_COUNT };

/* The three lists: 问题清单, 责任清单, 任务清单. */
enum citem_list { CLIST_PROBLEM, CLIST_RESPONSIBILITY, CLIST_TASK, CLIST_COUNT };

/* Where an item came from. */
enum citem_source {
	CSRC_CASE,
	CSRC_SWEEP_VISIT,
	CSRC_RECTIFICATION,
	CSRC_COMMITMENT,
	CSRC_MEETING,
	CSRC_RECURRING, /* a recurring problem (反复发生问题), taken up through its own route */
	CSRC_COUNT
};

enum citem_need {
	CNEED_NOTHING = 0,
	CNEED_COMMENT = 1 << 0, /* return says why */
	CNEED_OWNER = 1 << 1,   /* assign needs an owner: a unit or a user */
};

struct citem_transition {
	unsigned roles; /* ROLE_BIT()s allowed */
	enum citem_state next;
	unsigned needs;
};

/* Who may create and tick off: community staff and up; who may do the work: they and the
 * grid-level staff. */
#define CAMPAIGN_MANAGERS ROLES_MANAGERS
#define CAMPAIGN_WORKERS                                                                           \
	(ROLES_MANAGERS | ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_GRID_LEADER) |                 \
	 ROLE_BIT(ROLE_GRID_WORKER))
/* Who may report an item done: the workers, and a department for the items its own unit owns
 * (the responsibility list of county departments); citem_unit_owns decides "its own". */
#define CAMPAIGN_DOERS (CAMPAIGN_WORKERS | ROLE_BIT(ROLE_DEPARTMENT))

bool citem_state_parse(const char *s, enum citem_state *out);
const char *citem_state_code(enum citem_state s);
const char *citem_state_name_zh(enum citem_state s);
bool citem_action_parse(const char *s, enum citem_action *out);
const char *citem_action_code(enum citem_action a);
const char *citem_action_name_zh(enum citem_action a);
bool citem_list_parse(const char *s, enum citem_list *out);
const char *citem_list_code(enum citem_list l);
const char *citem_list_name_zh(enum citem_list l);
bool citem_source_parse(const char *s, enum citem_source *out);
const char *citem_source_code(enum citem_source k);

/* The transition for (state, action), or NULL when the state does not allow it. */
const struct citem_transition *citem_flow_lookup(enum citem_state s, enum citem_action a);
/* The first need of needs not met (CNEED_NOTHING when all are): comment non-empty, owner
 * given as a unit or a user. */
enum citem_need citem_flow_missing(unsigned needs, const char *comment, bool has_owner);
/* True when actor may not take action on an item done by done_by: verifying one's own work
 * (销号 by the doer). done_by 0 (never done) blocks nothing. */
bool citem_self_verify(enum citem_action a, int64_t done_by, int64_t actor);
/* True when the department of unit owns an item whose owner unit is owner_unit: both named
 * and the same (a department without a unit owns nothing). */
bool citem_unit_owns(const char *owner_unit, const char *unit);
/* Whether an item still counts as open work (not verified) and is past deadline on today
 * (both YYYY-MM-DD; no deadline: never overdue). */
bool citem_overdue(enum citem_state s, const char *deadline, const char *today);

#endif
