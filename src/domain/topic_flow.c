/* The deliberation tables. Six steps: proposed → discussing → deciding → pledging → executing →
 * evaluating → closed, with evaluating back to executing when most ratings are "unsatisfied".
 * 四议两公开: proposed (党组织提议) → consulted (两委商议) → reviewed (党员大会审议) → resolved
 * (决议) → resolution_public (决议公开) → executing → result_public (结果公开) → closed. Leaving a
 * meeting stage (discussing, consulted, reviewed) needs the minutes of a meeting held in it;
 * leaving the decision stage (deciding, reviewed) a ballot of it closed and passed. Managers
 * reject any open stage with a reason. */
#include "domain/topic_flow.h"
#include "domain/codes.h"

#include <math.h>
#include <stddef.h>

#define MGR  DELIB_MANAGERS
#define LEAD (DELIB_MANAGERS | ROLE_BIT(ROLE_GRID_LEADER))

struct step {
	enum topic_procedure proc;
	enum topic_stage from;
	struct topic_move move;
};

static const struct step steps[] = {
    {TPROC_SIX_STEP, TSTAGE_PROPOSED, {TSTAGE_DISCUSSING, LEAD, 0}},
    {TPROC_SIX_STEP, TSTAGE_DISCUSSING, {TSTAGE_DECIDING, MGR, TNEED_MEETING}},
    {TPROC_SIX_STEP, TSTAGE_DECIDING, {TSTAGE_PLEDGING, MGR, TNEED_BALLOT}},
    {TPROC_SIX_STEP, TSTAGE_PLEDGING, {TSTAGE_EXECUTING, MGR, 0}},
    {TPROC_SIX_STEP, TSTAGE_EXECUTING, {TSTAGE_EVALUATING, LEAD, 0}},
    {TPROC_SIX_STEP, TSTAGE_EVALUATING, {TSTAGE_CLOSED, MGR, TNEED_SATISFIED}},
    {TPROC_SIX_STEP, TSTAGE_EVALUATING, {TSTAGE_EXECUTING, MGR, TNEED_UNSATISFIED}},
    {TPROC_FOUR_TWO, TSTAGE_PROPOSED, {TSTAGE_CONSULTED, MGR, 0}},
    {TPROC_FOUR_TWO, TSTAGE_CONSULTED, {TSTAGE_REVIEWED, MGR, TNEED_MEETING}},
    {TPROC_FOUR_TWO, TSTAGE_REVIEWED, {TSTAGE_RESOLVED, MGR, TNEED_MEETING | TNEED_BALLOT}},
    {TPROC_FOUR_TWO, TSTAGE_RESOLVED, {TSTAGE_RESOLUTION_PUBLIC, MGR, 0}},
    {TPROC_FOUR_TWO, TSTAGE_RESOLUTION_PUBLIC, {TSTAGE_EXECUTING, MGR, 0}},
    {TPROC_FOUR_TWO, TSTAGE_EXECUTING, {TSTAGE_RESULT_PUBLIC, MGR, 0}},
    {TPROC_FOUR_TWO, TSTAGE_RESULT_PUBLIC, {TSTAGE_CLOSED, MGR, 0}},
};

static const struct topic_move reject = {TSTAGE_REJECTED, MGR, TNEED_COMMENT};

static const char *const proc_codes[TPROC_COUNT] = {"six_step", "four_two"};
static const char *const stage_codes[TSTAGE_COUNT] = {
    "proposed",      "discussing", "deciding", "pledging", "executing",
    "evaluating",    "consulted",  "reviewed", "resolved", "resolution_public",
    "result_public", "closed",     "rejected"};
static const char *const stage_zh[TSTAGE_COUNT] = {
    "提议",         "民议", "民决",     "民筹",     "民办",   "民评",  "两委商议",
    "党员大会审议", "决议", "决议公开", "结果公开", "已办结", "未通过"};
static const char *const unit_codes[BALLOT_UNIT_COUNT] = {"household", "resident"};
static const char *const preset_codes[BPRESET_COUNT] = {"", "villagers_meeting", "household_reps",
                                                        "representatives"};
static const char *const rating_codes[TRATE_COUNT] = {"satisfied", "basic", "unsatisfied"};

CODES_PARSE_AND_CODE(topic_procedure, enum topic_procedure, TPROC_COUNT, proc_codes)
CODES_PARSE_AND_CODE(topic_stage, enum topic_stage, TSTAGE_COUNT, stage_codes)
CODES_NAME_ZH(topic_stage, enum topic_stage, TSTAGE_COUNT, stage_zh)
CODES_PARSE_AND_CODE(ballot_unit, enum ballot_unit, BALLOT_UNIT_COUNT, unit_codes)
CODES_PARSE_AND_CODE(topic_rating, enum topic_rating, TRATE_COUNT, rating_codes)

bool ballot_preset_parse(const char *s, enum ballot_preset *out)
{
	if (!s || !*s)
		return false;
	int i = codes_find(preset_codes, BPRESET_COUNT, s);
	if (i > 0)
		*out = (enum ballot_preset)i;
	return i > 0;
}

const char *ballot_preset_code(enum ballot_preset p)
{
	return codes_at(preset_codes, BPRESET_COUNT, (int)p);
}

bool topic_stage_in(enum topic_procedure p, enum topic_stage s)
{
	if (s == TSTAGE_REJECTED || s == TSTAGE_CLOSED || s == TSTAGE_PROPOSED ||
	    s == TSTAGE_EXECUTING)
		return (unsigned)p < TPROC_COUNT;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (steps[i].proc == p && (steps[i].from == s || steps[i].move.to == s))
			return true;
	return false;
}

bool topic_stage_final(enum topic_stage s)
{
	return s == TSTAGE_CLOSED || s == TSTAGE_REJECTED;
}

const struct topic_move *topic_flow_lookup(enum topic_procedure p, enum topic_stage from,
                                           enum topic_stage to)
{
	if ((unsigned)p >= TPROC_COUNT || !topic_stage_in(p, from) || topic_stage_final(from))
		return NULL;
	if (to == TSTAGE_REJECTED)
		return &reject;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (steps[i].proc == p && steps[i].from == from && steps[i].move.to == to)
			return &steps[i].move;
	return NULL;
}

enum topic_need topic_flow_missing(unsigned needs, const struct topic_facts *f)
{
	if (needs & TNEED_COMMENT && !f->has_comment)
		return TNEED_COMMENT;
	if (needs & TNEED_MEETING && !f->meeting_minuted)
		return TNEED_MEETING;
	if (needs & TNEED_BALLOT && !(f->ballot_closed && f->ballot_passed))
		return TNEED_BALLOT;
	if (needs & TNEED_SATISFIED &&
	    (f->ratings == 0 || topic_unsatisfied_majority(f->ratings, f->unsatisfied)))
		return TNEED_SATISFIED;
	if (needs & TNEED_UNSATISFIED && !topic_unsatisfied_majority(f->ratings, f->unsatisfied))
		return TNEED_UNSATISFIED;
	return TNEED_NOTHING;
}

bool topic_stage_supports(enum topic_stage s)
{
	return s == TSTAGE_PROPOSED;
}

bool topic_stage_comments(enum topic_stage s)
{
	return s == TSTAGE_DISCUSSING || s == TSTAGE_CONSULTED || s == TSTAGE_REVIEWED;
}

bool topic_stage_pledges(enum topic_stage s)
{
	return s == TSTAGE_PLEDGING || s == TSTAGE_RESOLVED || s == TSTAGE_RESOLUTION_PUBLIC;
}

bool topic_stage_spends(enum topic_stage s)
{
	return s == TSTAGE_PLEDGING || s == TSTAGE_EXECUTING || s == TSTAGE_EVALUATING ||
	       s == TSTAGE_RESOLVED || s == TSTAGE_RESOLUTION_PUBLIC || s == TSTAGE_RESULT_PUBLIC;
}

bool topic_stage_rates(enum topic_stage s)
{
	return s == TSTAGE_EVALUATING;
}

bool topic_stage_discloses(enum topic_stage s)
{
	return s == TSTAGE_PLEDGING || s == TSTAGE_CLOSED || s == TSTAGE_RESOLUTION_PUBLIC ||
	       s == TSTAGE_RESULT_PUBLIC;
}

bool ballot_preset_rule(enum ballot_preset p, struct ballot_rule *out)
{
	const struct share half_more = {1, 2, true};
	switch (p) {
	case BPRESET_VILLAGERS_MEETING:
		*out = (struct ballot_rule){BALLOT_RESIDENT, {1, 2, true}, half_more};
		return true;
	case BPRESET_HOUSEHOLD_REPS:
		*out = (struct ballot_rule){BALLOT_HOUSEHOLD, {2, 3, false}, half_more};
		return true;
	case BPRESET_REPRESENTATIVES:
		*out = (struct ballot_rule){BALLOT_RESIDENT, {2, 3, false}, half_more};
		return true;
	default:
		return false;
	}
}

bool ballot_share_from(double v, bool more_than, struct share *out)
{
	if (!(v >= 0.0 && v <= 1.0))
		return false;
	*out = (struct share){(int64_t)llround(v * 10000.0), 10000, more_than};
	return true;
}

bool share_reached(const struct share *s, int64_t part, int64_t whole)
{
	/* part / whole against num / den, in integers: part·den against num·whole. */
	int64_t lhs = part * s->den, rhs = s->num * whole;
	if (whole <= 0)
		return s->num == 0 && !s->more_than;
	return s->more_than ? lhs > rhs : lhs >= rhs;
}

void ballot_outcome(const struct ballot_rule *r, int64_t eligible, const int64_t *counts,
                    int noptions, struct ballot_outcome *out)
{
	int64_t cast = 0;
	for (int i = 0; i < noptions; i++)
		cast += counts[i];
	out->turnout = eligible > 0 ? (double)cast / (double)eligible : 0.0;
	out->quorum_met = eligible > 0 && share_reached(&r->quorum, cast, eligible);
	out->passed = out->quorum_met && noptions > 0 && cast > 0 &&
	              share_reached(&r->threshold, counts[0], cast);
}

bool topic_unsatisfied_majority(int64_t ratings, int64_t unsatisfied)
{
	return ratings > 0 && unsatisfied * 2 > ratings;
}
