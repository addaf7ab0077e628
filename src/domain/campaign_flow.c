/* The campaign item table. Community staff and up (the campaign's managers) assign an item
 * and tick it off; whoever the item is assigned to — they, the grid-level staff, or the
 * department whose unit owns it — reports it done. A done item is verified (销号) or returned to
 * its owner with a reason; the verifier is never the one who did it (citem_self_verify). */
#include "domain/campaign_flow.h"
#include "domain/codes.h"

#include <string.h>

static const struct citem_transition flow[CITEM_STATE_COUNT][CITEM_ACTION_COUNT] = {
    [CITEM_OPEN] =
        {
            [CACT_ASSIGN] = {CAMPAIGN_MANAGERS, CITEM_ASSIGNED, CNEED_OWNER},
        },
    [CITEM_ASSIGNED] =
        {
            /* Reassigning to another owner keeps the state. */
            [CACT_ASSIGN] = {CAMPAIGN_MANAGERS, CITEM_ASSIGNED, CNEED_OWNER},
            [CACT_DONE] = {CAMPAIGN_DOERS, CITEM_DONE, 0},
        },
    [CITEM_DONE] =
        {
            [CACT_VERIFY] = {CAMPAIGN_MANAGERS, CITEM_VERIFIED, 0},
            [CACT_RETURN] = {CAMPAIGN_MANAGERS, CITEM_ASSIGNED, CNEED_COMMENT},
        },
    /* Verified (销号) is final. */
};

static const char *const state_codes[CITEM_STATE_COUNT] = {"open", "assigned", "done", "verified"};
static const char *const state_zh[CITEM_STATE_COUNT] = {"待交办", "已交办", "已完成", "已销号"};
static const char *const action_codes[CITEM_ACTION_COUNT] = {"assign", "done", "verify", "return"};
static const char *const action_zh[CITEM_ACTION_COUNT] = {"交办", "完成", "核验销号", "退回"};
static const char *const list_codes[CLIST_COUNT] = {"problem", "responsibility", "task"};
static const char *const list_zh[CLIST_COUNT] = {"问题清单", "责任清单", "任务清单"};
static const char *const source_codes[CSRC_COUNT] = {
    "case", "sweep_visit", "rectification_item", "commitment", "meeting", "recurring_problem"};

CODES_PARSE_AND_CODE(citem_state, enum citem_state, CITEM_STATE_COUNT, state_codes)
CODES_NAME_ZH(citem_state, enum citem_state, CITEM_STATE_COUNT, state_zh)
CODES_PARSE_AND_CODE(citem_action, enum citem_action, CITEM_ACTION_COUNT, action_codes)
CODES_NAME_ZH(citem_action, enum citem_action, CITEM_ACTION_COUNT, action_zh)
CODES_PARSE_AND_CODE(citem_list, enum citem_list, CLIST_COUNT, list_codes)
CODES_NAME_ZH(citem_list, enum citem_list, CLIST_COUNT, list_zh)
CODES_PARSE_AND_CODE(citem_source, enum citem_source, CSRC_COUNT, source_codes)

const struct citem_transition *citem_flow_lookup(enum citem_state s, enum citem_action a)
{
	if ((unsigned)s >= CITEM_STATE_COUNT || (unsigned)a >= CITEM_ACTION_COUNT)
		return NULL;
	const struct citem_transition *t = &flow[s][a];
	return t->roles ? t : NULL;
}

enum citem_need citem_flow_missing(unsigned needs, const char *comment, bool has_owner)
{
	if (needs & CNEED_COMMENT && !(comment && *comment))
		return CNEED_COMMENT;
	if (needs & CNEED_OWNER && !has_owner)
		return CNEED_OWNER;
	return CNEED_NOTHING;
}

bool citem_unit_owns(const char *owner_unit, const char *unit)
{
	return owner_unit && unit && *unit && strcmp(owner_unit, unit) == 0;
}

bool citem_self_verify(enum citem_action a, int64_t done_by, int64_t actor)
{
	return a == CACT_VERIFY && done_by != 0 && done_by == actor;
}

bool citem_overdue(enum citem_state s, const char *deadline, const char *today)
{
	return s != CITEM_VERIFIED && deadline && *deadline && today && strcmp(deadline, today) < 0;
}
