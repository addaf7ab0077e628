/* The case closed loop (事件闭环) as a pure table: for every state and action,
 * the roles allowed, the next state and what the action needs; beside it the rules the
 * handlers apply around the table (needs, public replies, merged duplicates, the acting role,
 * the roles a caller holds over a case). Handlers only consult it
 * (api/cases/cases_action.c applies each action).
 * reported → accepted | rejected → dispatched → handling → handled → verified → closed,
 * plus escalate, return, reopen, merge and supervise. */
#ifndef JICENG_DOMAIN_CASE_FLOW_H
#define JICENG_DOMAIN_CASE_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include <stddef.h>

#include "domain/grant.h"
#include "domain/role.h"

enum case_state {
	CASE_REPORTED,
	CASE_ACCEPTED,
	CASE_REJECTED,
	CASE_DISPATCHED,
	CASE_HANDLING,
	CASE_HANDLED,
	CASE_VERIFIED,
	CASE_CLOSED,
	CASE_STATE_COUNT
};

enum case_action {
	ACT_ACCEPT,
	ACT_REJECT,
	ACT_DISPATCH,
	ACT_START,
	ACT_ESCALATE,
	ACT_RETURN,
	ACT_HANDLE,
	ACT_VERIFY,
	ACT_REOPEN,
	ACT_FEEDBACK,
	ACT_CLOSE,
	ACT_MERGE,
	ACT_SUPERVISE,
	CASE_ACTION_COUNT
};

enum case_tier { TIER_MINOR, TIER_PRIVATE, TIER_MAJOR, TIER_COUNT };

enum case_rating { RATING_NONE, RATING_SATISFIED, RATING_BASIC, RATING_UNSATISFIED };

/* What an action needs besides a role and a state. */
enum case_need {
	NEED_NOTHING = 0,
	NEED_COMMENT = 1 << 0, /* a reason: reject, return, escalate, reopen */
	NEED_UNIT = 1 << 1,    /* dispatch names the handling unit */
	NEED_RATING = 1 << 2,  /* feedback carries the rating */
	NEED_INTO = 1 << 3,    /* merge names the original case */
};

struct case_transition {
	unsigned roles;       /* ROLE_BIT()s allowed */
	enum case_state next; /* same state for flag-only actions (supervise) */
	unsigned needs;
};

enum { REOPEN_WINDOW_DAYS = 7 };

/* What the caller brought to an action, as plain values, for the needs check. */
struct case_supplied {
	const char *comment;
	const char *unit; /* the unit named now, or else the case's own */
	enum case_rating rating;
	int64_t into;
};

/* One need and how its absence is told: a 422 with detail, on field, with message. */
struct case_need_info {
	enum case_need need;
	const char *field, *detail, *message;
};

/* The case as access sees it: where it is, whose unit handles it, who reported it. */
struct case_access {
	const char *region_code;
	const char *unit;         /* NULL: no unit yet */
	int64_t reporter_user_id; /* 0: not reported by an account */
};

/* The caller as access sees them: grants, a department's unit, the account. */
struct case_caller {
	const struct grant *grants;
	size_t ngrants;
	const char *unit; /* "" or NULL: not a department user */
	int64_t user_id;  /* 0 for an API token */
};

bool case_state_parse(const char *s, enum case_state *out);
const char *case_state_code(enum case_state s);
const char *case_state_name_zh(enum case_state s);
bool case_action_parse(const char *s, enum case_action *out);
const char *case_action_code(enum case_action a);
const char *case_action_name_zh(enum case_action a);
bool case_tier_parse(const char *s, enum case_tier *out);
const char *case_tier_code(enum case_tier t);
bool case_rating_parse(const char *s, enum case_rating *out);
const char *case_rating_code(enum case_rating r);

/* The transition for (state, action), or NULL when the state does not allow it. */
const struct case_transition *case_flow_lookup(enum case_state s, enum case_action a);
/* The next state after a feedback rating: closed, or back to handling when unsatisfied. */
enum case_state case_flow_after_feedback(enum case_rating r);
/* True when a state is open (counts towards load and overdue). */
bool case_state_open(enum case_state s);
/* Whether a closed case may still be reopened by its reporter at time now. */
bool case_reopen_allowed(int64_t closed_at, int64_t now);

/* The first of needs that s does not meet, checked in the order comment, rating, into,
 * unit; NULL when every need is met. */
const struct case_need_info *case_flow_missing(unsigned needs, const struct case_supplied *s);
/* Whether an action may carry the reply for the public: only where the result is told
 * (handle, close, reject). */
bool case_action_takes_public_reply(enum case_action a);
/* Rules beyond the state table: a duplicate merged into another case stays closed. */
bool case_action_blocked(int64_t merged_into, enum case_action a);
/* The role an action is recorded under: the first of allowed in the order of the role list
 * (most senior first); ROLE_RESIDENT when allowed is empty. */
enum role case_acting_role(unsigned allowed);
/* The roles (ROLE_BIT()s) the caller holds over a case: grants reaching its region, with
 * departments limited to their unit's cases and residents to their own reports. */
unsigned case_flow_roles(const struct case_caller *who, const struct case_access *c);

#endif
