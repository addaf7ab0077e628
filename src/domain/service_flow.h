/* Online service requests (在线办理) as a pure table: for every state and action, who may
 * act (the staff handling the item, or the applicant), the next state and what the action
 * needs; the deadline of a request in working days on the working-day calendar
 * (domain/deadline.c); the levels a service item may sit at.
 *
 * submitted → accepted → completed, with ask_more (补正: more_needed until the applicant
 * supplements, which sends it back to submitted), refuse (with a reason) and withdraw (by
 * the applicant) from every open state, and rate (1–5, once) after completion. */
#ifndef JICENG_DOMAIN_SERVICE_FLOW_H
#define JICENG_DOMAIN_SERVICE_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/deadline.h"

enum sreq_state {
	SREQ_SUBMITTED,
	SREQ_ACCEPTED,
	SREQ_MORE_NEEDED,
	SREQ_COMPLETED,
	SREQ_REFUSED,
	SREQ_WITHDRAWN,
	SREQ_STATE_COUNT
};

enum sreq_action {
	SREQ_ACT_ACCEPT,
	SREQ_ACT_ASK_MORE,
	SREQ_ACT_SUPPLEMENT,
	SREQ_ACT_COMPLETE,
	SREQ_ACT_REFUSE,
	SREQ_ACT_WITHDRAW,
	SREQ_ACT_RATE,
	SREQ_ACTION_COUNT
};

/* Who acts on a request. */
enum sreq_actor { SREQ_STAFF, SREQ_APPLICANT, SREQ_ACTOR_COUNT };
#define SREQ_ACTOR_BIT(a) (1u << (a))

/* What an action needs besides an actor and a state. */
enum sreq_need {
	SREQ_NEED_NOTHING = 0,
	SREQ_NEED_COMMENT = 1 << 0, /* a reason: refuse, ask_more */
	SREQ_NEED_RATING = 1 << 1,  /* rate: 1–5 */
	SREQ_NEED_ANSWER = 1 << 2,  /* supplement: a note or photos */
};

struct sreq_transition {
	unsigned actors; /* SREQ_ACTOR_BIT()s allowed */
	enum sreq_state next;
	unsigned needs;
};

/* What the caller brought, for the needs check. */
struct sreq_supplied {
	const char *comment;
	int rating; /* 0: none */
	bool photos;
};

/* One need and how its absence is told: a 422 on field with message. */
struct sreq_need_info {
	enum sreq_need need;
	const char *field, *message;
};

enum { SREQ_RATING_MIN = 1, SREQ_RATING_MAX = 5, SREQ_DAYS_MAX = 60 };

bool sreq_state_parse(const char *s, enum sreq_state *out);
const char *sreq_state_code(enum sreq_state s);
const char *sreq_state_name_zh(enum sreq_state s);
bool sreq_action_parse(const char *s, enum sreq_action *out);
const char *sreq_action_code(enum sreq_action a);

/* The transition for (state, action), or NULL when the state does not allow it. */
const struct sreq_transition *sreq_flow_lookup(enum sreq_state s, enum sreq_action a);
/* Whether a state still runs against its deadline (submitted, accepted). */
bool sreq_state_running(enum sreq_state s);
/* Whether a state is open (not completed, refused or withdrawn). */
bool sreq_state_open(enum sreq_state s);
/* The first need of needs that s does not meet, or NULL. */
const struct sreq_need_info *sreq_flow_missing(unsigned needs, const struct sreq_supplied *s);
/* The actors (SREQ_ACTOR_BIT()s) a caller is over one request: staff when they handle the
 * item's region, the applicant when the account applied. */
unsigned sreq_actors(bool handles, bool applicant);

/* The deadline of a request started at start with a limit of days working days: the end
 * (23:59:59 local) of the days-th working day after start's day; a start on a day off
 * counts from the next working day. cal may be NULL (Monday–Friday). */
int64_t sreq_due(const struct work_calendar *cal, int64_t start, int64_t days);

/* Service item levels: community or street. */
bool sreq_level_valid(const char *level);
/* The region level (domain/region.h codes) a level needs: the code length, 12 or 9. */
int sreq_level_code_len(const char *level);

#endif
