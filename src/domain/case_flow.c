/* The state machine table. Roles follow the four-level service team and the
 * "小事不出村、大事不出镇" principle: grid and community staff take in and
 * self-handle minor matters, street and district staff dispatch and supervise,
 * departments handle what is dispatched to them, and whoever reported verifies
 * nothing — grid staff verify on the spot, the reporter rates. */
#include "domain/case_flow.h"
#include "domain/codes.h"

#include "domain/region.h"

#include <string.h>

#define R(x) ROLE_BIT(ROLE_##x)
/* Staff who take in and dispatch: community and up. */
#define DESK (R(ADMIN) | R(DISTRICT) | R(STREET) | R(COMMUNITY))
/* Grid-level staff who patrol, self-handle minor matters and verify. */
#define GRID     (R(SUPERVISOR) | R(GRID_LEADER) | R(GRID_WORKER))
#define HANDLERS (DESK | GRID | R(DEPARTMENT))

static const struct case_transition flow[CASE_STATE_COUNT][CASE_ACTION_COUNT] =
    {
        [CASE_REPORTED] =
            {
                [ACT_ACCEPT] = {DESK | R(GRID_LEADER), CASE_ACCEPTED, 0},
                [ACT_REJECT] = {DESK | R(GRID_LEADER), CASE_REJECTED, NEED_COMMENT},
                [ACT_ESCALATE] = {DESK | R(GRID_LEADER), CASE_REPORTED, NEED_COMMENT},
                [ACT_MERGE] = {DESK | R(GRID_LEADER), CASE_CLOSED, NEED_INTO},
                [ACT_SUPERVISE] = {R(ADMIN) | R(DISTRICT) | R(STREET), CASE_REPORTED, NEED_COMMENT},
            },
        [CASE_ACCEPTED] =
            {
                [ACT_DISPATCH] = {DESK, CASE_DISPATCHED, NEED_UNIT},
                [ACT_START] = {DESK | GRID, CASE_HANDLING, 0},
                [ACT_ESCALATE] = {DESK | R(GRID_LEADER), CASE_REPORTED, NEED_COMMENT},
                [ACT_MERGE] = {DESK | R(GRID_LEADER), CASE_CLOSED, NEED_INTO},
                [ACT_SUPERVISE] = {R(ADMIN) | R(DISTRICT) | R(STREET), CASE_ACCEPTED, NEED_COMMENT},
            },
        [CASE_DISPATCHED] =
            {
                [ACT_START] = {HANDLERS, CASE_HANDLING, 0},
                [ACT_RETURN] = {R(DEPARTMENT) | DESK, CASE_ACCEPTED, NEED_COMMENT},
                [ACT_ESCALATE] = {DESK | R(DEPARTMENT), CASE_REPORTED, NEED_COMMENT},
                [ACT_SUPERVISE] = {R(ADMIN) | R(DISTRICT) | R(STREET), CASE_DISPATCHED,
                                   NEED_COMMENT},
            },
        [CASE_HANDLING] =
            {
                [ACT_HANDLE] = {HANDLERS, CASE_HANDLED, NEED_COMMENT},
                [ACT_RETURN] = {R(DEPARTMENT) | DESK, CASE_ACCEPTED, NEED_COMMENT},
                [ACT_ESCALATE] = {DESK | R(DEPARTMENT), CASE_REPORTED, NEED_COMMENT},
                [ACT_SUPERVISE] = {R(ADMIN) | R(DISTRICT) | R(STREET), CASE_HANDLING, NEED_COMMENT},
            },
        [CASE_HANDLED] =
            {
                [ACT_VERIFY] = {DESK | GRID, CASE_VERIFIED, 0},
                /* Verification found the problem still there: back to the handler. */
                [ACT_REOPEN] = {DESK | GRID, CASE_HANDLING, NEED_COMMENT},
                [ACT_SUPERVISE] = {R(ADMIN) | R(DISTRICT) | R(STREET), CASE_HANDLED, NEED_COMMENT},
            },
        [CASE_VERIFIED] =
            {
                [ACT_FEEDBACK] = {R(RESIDENT) | DESK | GRID, CASE_CLOSED, NEED_RATING},
                [ACT_CLOSE] = {DESK | GRID, CASE_CLOSED, 0},
                [ACT_SUPERVISE] = {R(ADMIN) | R(DISTRICT) | R(STREET), CASE_VERIFIED, NEED_COMMENT},
            },
        [CASE_CLOSED] =
            {
                /* The reporter, unsatisfied within the window, reopens; staff may too. */
                [ACT_REOPEN] = {R(RESIDENT) | DESK, CASE_HANDLING, NEED_COMMENT},
            },
        [CASE_REJECTED] =
            {
                [ACT_REOPEN] = {DESK, CASE_REPORTED, NEED_COMMENT},
            },
};

static const char *const state_codes[CASE_STATE_COUNT] = {
    "reported", "accepted", "rejected", "dispatched", "handling", "handled", "verified", "closed",
};
static const char *const state_zh[CASE_STATE_COUNT] = {
    "已上报", "已受理", "不予受理", "已派遣", "处置中", "已处置", "已核查", "已结案",
};
static const char *const action_codes[CASE_ACTION_COUNT] = {
    "accept", "reject", "dispatch", "start", "escalate", "return",    "handle",
    "verify", "reopen", "feedback", "close", "merge",    "supervise",
};
static const char *const action_zh[CASE_ACTION_COUNT] = {
    "受理", "不予受理", "派遣", "开始处置", "上报上级", "退回", "处置完成",
    "核查", "重新办理", "评价", "结案",     "合并",     "督办",
};
static const char *const tier_codes[TIER_COUNT] = {"minor", "private", "major"};
static const char *const rating_codes[] = {"", "satisfied", "basic", "unsatisfied"};

CODES_PARSE_AND_CODE(case_state, enum case_state, CASE_STATE_COUNT, state_codes)
CODES_NAME_ZH(case_state, enum case_state, CASE_STATE_COUNT, state_zh)
CODES_PARSE_AND_CODE(case_action, enum case_action, CASE_ACTION_COUNT, action_codes)
CODES_NAME_ZH(case_action, enum case_action, CASE_ACTION_COUNT, action_zh)
CODES_PARSE_AND_CODE(case_tier, enum case_tier, TIER_COUNT, tier_codes)

/* Ratings start at 1 (0 is "not rated"), so their codes are parsed from the second entry. */
bool case_rating_parse(const char *s, enum case_rating *out)
{
	int i = codes_find(rating_codes + 1, 3, s);
	if (i >= 0)
		*out = (enum case_rating)(i + 1);
	return i >= 0;
}

const char *case_rating_code(enum case_rating r)
{
	return r <= RATING_UNSATISFIED ? rating_codes[r] : "";
}

const struct case_transition *case_flow_lookup(enum case_state s, enum case_action a)
{
	if (s >= CASE_STATE_COUNT || a >= CASE_ACTION_COUNT)
		return NULL;
	const struct case_transition *t = &flow[s][a];
	return t->roles ? t : NULL;
}

enum case_state case_flow_after_feedback(enum case_rating r)
{
	return r == RATING_UNSATISFIED ? CASE_HANDLING : CASE_CLOSED;
}

bool case_state_open(enum case_state s)
{
	return s != CASE_CLOSED && s != CASE_REJECTED;
}

bool case_reopen_allowed(int64_t closed_at, int64_t now)
{
	return now >= closed_at && now - closed_at <= (int64_t)REOPEN_WINDOW_DAYS * 86400;
}

/* The needs beside the state table, in the order they are checked. Every transition names
 * at most one today; the order keeps the answer fixed should one name more. */
static const struct case_need_info needs_told[] = {
    {NEED_COMMENT, "comment", "此操作须填写说明", "请填写说明或理由"},
    {NEED_RATING, "rating", "评价须选择满意、基本满意或不满意", "请选择评价"},
    {NEED_INTO, "into", "合并须指明原事件", "请填写原事件编号 id"},
    {NEED_UNIT, "unit", "派遣须指明处置单位", "请填写处置单位"},
};

static bool need_met(enum case_need need, const struct case_supplied *s)
{
	switch (need) {
	case NEED_COMMENT:
		return s->comment && *s->comment;
	case NEED_RATING:
		return s->rating != RATING_NONE;
	case NEED_INTO:
		return s->into != 0;
	case NEED_UNIT:
		return s->unit && *s->unit;
	default:
		return true;
	}
}

const struct case_need_info *case_flow_missing(unsigned needs, const struct case_supplied *s)
{
	for (size_t i = 0; i < sizeof needs_told / sizeof needs_told[0]; i++)
		if ((needs & needs_told[i].need) && !need_met(needs_told[i].need, s))
			return &needs_told[i];
	return NULL;
}

bool case_action_takes_public_reply(enum case_action a)
{
	return a == ACT_HANDLE || a == ACT_CLOSE || a == ACT_REJECT;
}

bool case_action_blocked(int64_t merged_into, enum case_action a)
{
	return merged_into && a == ACT_REOPEN;
}

enum role case_acting_role(unsigned allowed)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		if (allowed & ROLE_BIT(r))
			return (enum role)r;
	return ROLE_RESIDENT;
}

unsigned case_flow_roles(const struct case_caller *who, const struct case_access *c)
{
	unsigned roles = 0;
	for (size_t i = 0; i < who->ngrants; i++) {
		const struct grant *g = &who->grants[i];
		bool reach = g->role == ROLE_ADMIN || region_covers(g->region_code, c->region_code);
		if (!reach)
			continue;
		if (g->role == ROLE_DEPARTMENT) {
			if (c->unit && who->unit && *who->unit && strcmp(c->unit, who->unit) == 0)
				roles |= ROLE_BIT(g->role);
		} else if (g->role == ROLE_RESIDENT) {
			if (c->reporter_user_id && c->reporter_user_id == who->user_id)
				roles |= ROLE_BIT(g->role);
		} else {
			roles |= ROLE_BIT(g->role);
		}
	}
	return roles;
}
