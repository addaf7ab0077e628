/* The project table. Community staff and up start, complete, suspend and resume a project;
 * the department responsible for it may also report it completed; the street or above
 * accepts (验收) a completed one. Accepted is final. */
#include "domain/project_flow.h"
#include "domain/codes.h"

#include <string.h>

static const struct project_transition flow[PROJ_STATE_COUNT][PROJ_ACTION_COUNT] = {
    [PROJ_PLANNED] =
        {
            [PACT_START] = {PROJECT_MANAGERS, PROJ_UNDERWAY, false},
            [PACT_SUSPEND] = {PROJECT_MANAGERS, PROJ_SUSPENDED, true},
        },
    [PROJ_UNDERWAY] =
        {
            [PACT_COMPLETE] = {PROJECT_DOERS, PROJ_COMPLETED, false},
            [PACT_SUSPEND] = {PROJECT_MANAGERS, PROJ_SUSPENDED, true},
        },
    [PROJ_COMPLETED] =
        {
            [PACT_ACCEPT] = {PROJECT_ACCEPTORS, PROJ_ACCEPTED, false},
        },
    [PROJ_SUSPENDED] =
        {
            [PACT_RESUME] = {PROJECT_MANAGERS, PROJ_UNDERWAY, false},
        },
};

static const char *const state_codes[PROJ_STATE_COUNT] = {"planned", "underway", "completed",
                                                          "accepted", "suspended"};
static const char *const state_zh[PROJ_STATE_COUNT] = {"计划中", "实施中", "已完工", "已验收",
                                                       "已暂停"};
static const char *const action_codes[PROJ_ACTION_COUNT] = {"start", "complete", "accept",
                                                            "suspend", "resume"};
static const char *const kind_codes[PKIND_COUNT] = {"livelihood", "renovation", "purchase",
                                                    "other"};
static const char *const kind_zh[PKIND_COUNT] = {"民生实事", "老旧小区改造", "政府购买服务",
                                                 "其他"};
static const char *const link_codes[PLINK_COUNT] = {"topic", "campaign", "commitment"};

CODES_PARSE_AND_CODE(project_state, enum project_state, PROJ_STATE_COUNT, state_codes)
CODES_NAME_ZH(project_state, enum project_state, PROJ_STATE_COUNT, state_zh)
CODES_PARSE_AND_CODE(project_action, enum project_action, PROJ_ACTION_COUNT, action_codes)
CODES_PARSE_AND_CODE(project_kind, enum project_kind, PKIND_COUNT, kind_codes)
CODES_NAME_ZH(project_kind, enum project_kind, PKIND_COUNT, kind_zh)
CODES_PARSE_AND_CODE(project_link, enum project_link, PLINK_COUNT, link_codes)

const struct project_transition *project_flow_lookup(enum project_state s, enum project_action a)
{
	if ((unsigned)s >= PROJ_STATE_COUNT || (unsigned)a >= PROJ_ACTION_COUNT)
		return NULL;
	const struct project_transition *t = &flow[s][a];
	return t->roles ? t : NULL;
}

int project_progress(int64_t done, int64_t total)
{
	if (total <= 0 || done <= 0)
		return 0;
	if (done >= total)
		return 100;
	return (int)(done * 100 / total);
}

bool project_spend_allowed(int64_t budget, int64_t spent, int64_t amount, const char *reason)
{
	if (amount <= 0 || spent < 0)
		return false;
	if (spent <= budget && amount <= budget - spent)
		return true;
	return reason && *reason;
}

bool project_open(enum project_state s)
{
	return s != PROJ_ACCEPTED;
}
