/* The online service request table (see service_flow.h). */
#include "domain/service_flow.h"

#include <stddef.h>
#include <string.h>

#define STAFF     SREQ_ACTOR_BIT(SREQ_STAFF)
#define APPLICANT SREQ_ACTOR_BIT(SREQ_APPLICANT)

static const char *const state_codes[SREQ_STATE_COUNT] = {"submitted", "accepted", "more_needed",
                                                          "completed", "refused",  "withdrawn"};
static const char *const state_names[SREQ_STATE_COUNT] = {"已提交", "已受理",   "待补正",
                                                          "已办结", "不予受理", "已撤回"};
static const char *const action_codes[SREQ_ACTION_COUNT] = {
    "accept", "ask_more", "supplement", "complete", "refuse", "withdraw", "rate"};

/* actors 0: the state does not allow the action. */
static const struct sreq_transition table[SREQ_STATE_COUNT][SREQ_ACTION_COUNT] = {
    [SREQ_SUBMITTED] =
        {
            [SREQ_ACT_ACCEPT] = {STAFF, SREQ_ACCEPTED, 0},
            [SREQ_ACT_ASK_MORE] = {STAFF, SREQ_MORE_NEEDED, SREQ_NEED_COMMENT},
            [SREQ_ACT_REFUSE] = {STAFF, SREQ_REFUSED, SREQ_NEED_COMMENT},
            [SREQ_ACT_WITHDRAW] = {APPLICANT, SREQ_WITHDRAWN, 0},
        },
    [SREQ_ACCEPTED] =
        {
            [SREQ_ACT_ASK_MORE] = {STAFF, SREQ_MORE_NEEDED, SREQ_NEED_COMMENT},
            [SREQ_ACT_COMPLETE] = {STAFF, SREQ_COMPLETED, 0},
            [SREQ_ACT_REFUSE] = {STAFF, SREQ_REFUSED, SREQ_NEED_COMMENT},
            [SREQ_ACT_WITHDRAW] = {APPLICANT, SREQ_WITHDRAWN, 0},
        },
    [SREQ_MORE_NEEDED] =
        {
            [SREQ_ACT_SUPPLEMENT] = {APPLICANT, SREQ_SUBMITTED, SREQ_NEED_ANSWER},
            [SREQ_ACT_REFUSE] = {STAFF, SREQ_REFUSED, SREQ_NEED_COMMENT},
            [SREQ_ACT_WITHDRAW] = {APPLICANT, SREQ_WITHDRAWN, 0},
        },
    [SREQ_COMPLETED] =
        {
            [SREQ_ACT_RATE] = {APPLICANT, SREQ_COMPLETED, SREQ_NEED_RATING},
        },
};

static const struct sreq_need_info need_infos[] = {
    {SREQ_NEED_COMMENT, "comment", "请填写理由"},
    {SREQ_NEED_RATING, "rating", "请给出 1–5 分的评价"},
    {SREQ_NEED_ANSWER, "comment", "请填写补正说明或上传材料"},
};

static bool parse(const char *const *codes, size_t n, const char *s, int *out)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(codes[i], s) == 0) {
			*out = (int)i;
			return true;
		}
	return false;
}

bool sreq_state_parse(const char *s, enum sreq_state *out)
{
	int v;
	if (!parse(state_codes, SREQ_STATE_COUNT, s, &v))
		return false;
	*out = (enum sreq_state)v;
	return true;
}

const char *sreq_state_code(enum sreq_state s)
{
	return (unsigned)s < SREQ_STATE_COUNT ? state_codes[s] : "";
}

const char *sreq_state_name_zh(enum sreq_state s)
{
	return (unsigned)s < SREQ_STATE_COUNT ? state_names[s] : "";
}

bool sreq_action_parse(const char *s, enum sreq_action *out)
{
	int v;
	if (!parse(action_codes, SREQ_ACTION_COUNT, s, &v))
		return false;
	*out = (enum sreq_action)v;
	return true;
}

const char *sreq_action_code(enum sreq_action a)
{
	return (unsigned)a < SREQ_ACTION_COUNT ? action_codes[a] : "";
}

const struct sreq_transition *sreq_flow_lookup(enum sreq_state s, enum sreq_action a)
{
	if ((unsigned)s >= SREQ_STATE_COUNT || (unsigned)a >= SREQ_ACTION_COUNT)
		return NULL;
	const struct sreq_transition *t = &table[s][a];
	return t->actors ? t : NULL;
}

bool sreq_state_running(enum sreq_state s)
{
	return s == SREQ_SUBMITTED || s == SREQ_ACCEPTED;
}

bool sreq_state_open(enum sreq_state s)
{
	return s == SREQ_SUBMITTED || s == SREQ_ACCEPTED || s == SREQ_MORE_NEEDED;
}

const struct sreq_need_info *sreq_flow_missing(unsigned needs, const struct sreq_supplied *s)
{
	for (size_t i = 0; i < sizeof need_infos / sizeof need_infos[0]; i++) {
		const struct sreq_need_info *ni = &need_infos[i];
		if (!(needs & ni->need))
			continue;
		bool comment = s->comment && s->comment[0];
		bool met = ni->need == SREQ_NEED_COMMENT ? comment
		           : ni->need == SREQ_NEED_RATING
		               ? s->rating >= SREQ_RATING_MIN && s->rating <= SREQ_RATING_MAX
		               : comment || s->photos;
		if (!met)
			return ni;
	}
	return NULL;
}

unsigned sreq_actors(bool handles, bool applicant)
{
	return (handles ? STAFF : 0) | (applicant ? APPLICANT : 0);
}

int64_t sreq_due(const struct work_calendar *cal, int64_t start, int64_t days)
{
	if (days < 1)
		days = 1;
	/* days × 24 working hours from start ends at the same time of the days-th working day
	 * after (or at its 24:00 from a day off); one second back names that day, whose end it is.
	 */
	int64_t t = deadline_add_working_hours(cal, start, days * 24);
	return deadline_end_of_day(t - 1);
}

bool sreq_level_valid(const char *level)
{
	return sreq_level_code_len(level) != 0;
}

int sreq_level_code_len(const char *level)
{
	if (level && strcmp(level, "community") == 0)
		return 12;
	if (level && strcmp(level, "street") == 0)
		return 9;
	return 0;
}
