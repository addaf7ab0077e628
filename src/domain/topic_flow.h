/* Deliberation (协商议事) as pure tables: the two procedures a topic (议题) runs — the six steps
 * 民事民提 → 民议 → 民决 → 民筹 → 民办 → 民评 (six_step) and the village 四议两公开 (four_two) —,
 * for every stage the one stage that follows it, the roles that may move it there and what the
 * move needs (the minutes of a meeting held in the stage, a closed ballot of the stage that
 * passed, a comment, the residents' evaluation); any open stage may be rejected by managers.
 * Beside them the ballot arithmetic: quorum and threshold as fractions with their presets
 * (村民委员会组织法), and the outcome of a count. Handlers only consult it (api/deliberation/). */
#ifndef JICENG_DOMAIN_TOPIC_FLOW_H
#define JICENG_DOMAIN_TOPIC_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/role.h"

enum topic_procedure { TPROC_SIX_STEP, TPROC_FOUR_TWO, TPROC_COUNT };

enum topic_stage {
	TSTAGE_PROPOSED,
	TSTAGE_DISCUSSING,
	TSTAGE_DECIDING,
	TSTAGE_PLEDGING,
	TSTAGE_EXECUTING,
	TSTAGE_EVALUATING,
	TSTAGE_CONSULTED,
	TSTAGE_REVIEWED,
	TSTAGE_RESOLVED,
	TSTAGE_RESOLUTION_PUBLIC,
	TSTAGE_RESULT_PUBLIC,
	TSTAGE_CLOSED,
	TSTAGE_REJECTED,
	TSTAGE_COUNT
};

enum topic_need {
	TNEED_NOTHING = 0,
	TNEED_COMMENT = 1 << 0,     /* rejecting says why */
	TNEED_MEETING = 1 << 1,     /* a meeting of the stage with its minutes */
	TNEED_BALLOT = 1 << 2,      /* a ballot of the stage, closed, passed */
	TNEED_SATISFIED = 1 << 3,   /* ratings given and no "unsatisfied" majority */
	TNEED_UNSATISFIED = 1 << 4, /* an "unsatisfied" majority of the ratings */
};

/* What the store knows about the topic when a move is asked for. */
struct topic_facts {
	bool has_comment;
	bool meeting_minuted; /* a meeting held in the current stage has minutes */
	bool ballot_closed;   /* the latest ballot of the current stage is closed … */
	bool ballot_passed;   /* … and passed */
	int64_t ratings, unsatisfied;
};

struct topic_move {
	enum topic_stage to;
	unsigned roles; /* ROLE_BIT()s allowed */
	unsigned needs;
};

/* Managers (community staff and above) move topics, hold meetings, open ballots; the grid's
 * leaders also open the discussion and hand the work over for evaluation. */
#define DELIB_MANAGERS ROLES_MANAGERS
#define DELIB_STAFF                                                                                \
	(ROLES_MANAGERS | ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_GRID_LEADER) |                 \
	 ROLE_BIT(ROLE_GRID_WORKER) | ROLE_BIT(ROLE_BUILDING_LEADER))

bool topic_procedure_parse(const char *s, enum topic_procedure *out);
const char *topic_procedure_code(enum topic_procedure p);
bool topic_stage_parse(const char *s, enum topic_stage *out);
const char *topic_stage_code(enum topic_stage s);
const char *topic_stage_name_zh(enum topic_stage s);

/* Whether the stage belongs to the procedure (rejected belongs to both). */
bool topic_stage_in(enum topic_procedure p, enum topic_stage s);
/* Closed and rejected are final. */
bool topic_stage_final(enum topic_stage s);
/* The move from `from` to `to` in procedure p, or NULL when `to` is not the next stage (or
 * rejected from an open stage, or evaluating back to executing in six_step). */
const struct topic_move *topic_flow_lookup(enum topic_procedure p, enum topic_stage from,
                                           enum topic_stage to);
/* The first need of needs the facts do not meet (TNEED_NOTHING when all are). */
enum topic_need topic_flow_missing(unsigned needs, const struct topic_facts *f);

/* What may happen in a stage. */
bool topic_stage_supports(enum topic_stage s); /* 附议: proposed */
bool topic_stage_comments(enum topic_stage s); /* 民议: discussing, consulted, reviewed */
bool topic_stage_pledges(enum topic_stage s); /* 民筹: pledging (six_step), resolved (four_two) */
bool topic_stage_spends(enum topic_stage s);  /* spending and tasks: pledging … evaluating */
bool topic_stage_rates(enum topic_stage s);   /* 民评: evaluating, result_public */
/* Entering the stage starts a 公示 period (decisions and results made public). */
bool topic_stage_discloses(enum topic_stage s);

/* ---- ballots ---- */

enum ballot_unit { BALLOT_HOUSEHOLD, BALLOT_RESIDENT, BALLOT_UNIT_COUNT };
enum ballot_preset {
	BPRESET_NONE,
	BPRESET_VILLAGERS_MEETING, /* more than half of adult villagers */
	BPRESET_HOUSEHOLD_REPS,    /* two thirds of the households */
	BPRESET_REPRESENTATIVES,   /* two thirds of the representatives */
	BPRESET_COUNT
};

/* A share as a fraction num/den, and whether reaching it means "more than" or "at least". */
struct share {
	int64_t num, den;
	bool more_than;
};

struct ballot_rule {
	enum ballot_unit unit;
	struct share quorum;    /* of the register who must cast a vote */
	struct share threshold; /* of the votes cast option 0 (同意) must reach */
};

bool ballot_unit_parse(const char *s, enum ballot_unit *out);
const char *ballot_unit_code(enum ballot_unit u);
bool ballot_preset_parse(const char *s, enum ballot_preset *out);
const char *ballot_preset_code(enum ballot_preset p);
/* The rule of a preset: its unit, quorum and threshold (decisions by more than half of those
 * who voted). False for BPRESET_NONE. */
bool ballot_preset_rule(enum ballot_preset p, struct ballot_rule *out);
/* An explicit share 0 … 1 given as a number: at least that share for a quorum, more than it
 * for a threshold; false when out of [0, 1]. */
bool ballot_share_from(double v, bool more_than, struct share *out);
/* Whether part of whole reaches the share (whole 0: only a zero share is reached). */
bool share_reached(const struct share *s, int64_t part, int64_t whole);

struct ballot_outcome {
	double turnout; /* cast / eligible, 0 when none eligible */
	bool quorum_met, passed;
};
/* The outcome of a count: counts[0] is option 0 (同意). */
void ballot_outcome(const struct ballot_rule *r, int64_t eligible, const int64_t *counts,
                    int noptions, struct ballot_outcome *out);

/* Ratings of 民评. */
enum topic_rating { TRATE_SATISFIED, TRATE_BASIC, TRATE_UNSATISFIED, TRATE_COUNT };
bool topic_rating_parse(const char *s, enum topic_rating *out);
const char *topic_rating_code(enum topic_rating r);
/* Whether "unsatisfied" is more than half of the ratings given. */
bool topic_unsatisfied_majority(int64_t ratings, int64_t unsatisfied);

#endif
