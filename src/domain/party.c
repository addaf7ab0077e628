/* The party module's rules as tables: organisation kinds and their nesting (the five-tier
 * chain 街道党(工)委 — 社区党组织 — 网格党支部 — 楼栋党小组 — 党员中心户, functional
 * branches under the community organisation, county units' own organisations), member
 * statuses, the commitment state machine and the small codes the reports use. */
#include "domain/party.h"
#include "domain/codes.h"

#include <string.h>

/* ---- organisation kinds ---- */

static const char *const kind_codes[PARTY_KIND_COUNT] = {
    "working_committee", "committee", "joint_committee",    "general_branch",   "branch",
    "grid_branch",       "group",     "functional_sinking", "functional_social"};
static const char *const kind_names[PARTY_KIND_COUNT] = {"党(工)委",
                                                         "党委",
                                                         "联合党委",
                                                         "党总支",
                                                         "党支部",
                                                         "网格党支部",
                                                         "党小组",
                                                         "功能型党支部（下沉力量）",
                                                         "功能型党支部（社会力量）"};

#define K(x) (1u << PARTY_##x)
#define L(x) (1u << REGION_##x)

struct kind_rule {
	unsigned levels;  /* region levels it may be anchored at */
	unsigned parents; /* kinds it may sit under */
	bool root;        /* may stand without a parent */
};

static const struct kind_rule kind_rules[PARTY_KIND_COUNT] = {
    [PARTY_WORKING_COMMITTEE] = {L(DISTRICT) | L(STREET), K(WORKING_COMMITTEE), true},
    [PARTY_COMMITTEE] = {L(DISTRICT) | L(STREET) | L(COMMUNITY),
                         K(WORKING_COMMITTEE) | K(COMMITTEE), true},
    [PARTY_JOINT_COMMITTEE] = {L(STREET) | L(COMMUNITY), K(WORKING_COMMITTEE) | K(COMMITTEE),
                               false},
    [PARTY_GENERAL_BRANCH] = {L(DISTRICT) | L(STREET) | L(COMMUNITY),
                              K(WORKING_COMMITTEE) | K(COMMITTEE) | K(JOINT_COMMITTEE), true},
    [PARTY_BRANCH] = {L(DISTRICT) | L(STREET) | L(COMMUNITY),
                      K(WORKING_COMMITTEE) | K(COMMITTEE) | K(JOINT_COMMITTEE) | K(GENERAL_BRANCH),
                      true},
    [PARTY_GRID_BRANCH] = {L(GRID), K(COMMITTEE) | K(JOINT_COMMITTEE) | K(GENERAL_BRANCH), false},
    [PARTY_GROUP] = {L(COMMUNITY) | L(GRID),
                     K(BRANCH) | K(GRID_BRANCH) | K(FUNCTIONAL_SINKING) | K(FUNCTIONAL_SOCIAL),
                     false},
    [PARTY_FUNCTIONAL_SINKING] = {L(COMMUNITY),
                                  K(COMMITTEE) | K(JOINT_COMMITTEE) | K(GENERAL_BRANCH), false},
    [PARTY_FUNCTIONAL_SOCIAL] = {L(COMMUNITY),
                                 K(COMMITTEE) | K(JOINT_COMMITTEE) | K(GENERAL_BRANCH), false},
};

CODES_PARSE_AND_CODE(party_kind, enum party_kind, PARTY_KIND_COUNT, kind_codes)
CODES_NAME_ZH(party_kind, enum party_kind, PARTY_KIND_COUNT, kind_names)

bool party_kind_level_ok(enum party_kind k, enum region_level l)
{
	return (unsigned)k < PARTY_KIND_COUNT && l != REGION_NONE &&
	       (kind_rules[k].levels & (1u << l));
}

bool party_kind_may_be_root(enum party_kind k)
{
	return (unsigned)k < PARTY_KIND_COUNT && kind_rules[k].root;
}

bool party_kind_may_parent(enum party_kind parent, enum party_kind child)
{
	return (unsigned)parent < PARTY_KIND_COUNT && (unsigned)child < PARTY_KIND_COUNT &&
	       (kind_rules[child].parents & (1u << parent));
}

const char *party_nesting_problem(int parent_kind, const char *parent_region, enum party_kind child,
                                  const char *child_region)
{
	if (!party_kind_level_ok(child, region_level_of(child_region)))
		return "level";
	if (parent_kind < 0)
		return party_kind_may_be_root(child) ? NULL : "root";
	if (!party_kind_may_parent((enum party_kind)parent_kind, child))
		return "nesting";
	if (!region_covers(parent_region, child_region))
		return "region";
	return NULL;
}

bool party_kind_holds_members(enum party_kind k)
{
	return k == PARTY_BRANCH || k == PARTY_GRID_BRANCH || party_kind_functional(k);
}

bool party_kind_functional(enum party_kind k)
{
	return k == PARTY_FUNCTIONAL_SINKING || k == PARTY_FUNCTIONAL_SOCIAL;
}

bool party_kind_community_org(enum party_kind k)
{
	return k == PARTY_COMMITTEE || k == PARTY_JOINT_COMMITTEE || k == PARTY_GENERAL_BRANCH ||
	       k == PARTY_BRANCH;
}

/* ---- members ---- */

static const char *const status_codes[MEMBER_STATUS_COUNT] = {"full", "probationary",
                                                              "transferred_out"};
static const char *const status_names[MEMBER_STATUS_COUNT] = {"正式党员", "预备党员", "已转出"};

CODES_PARSE_AND_CODE(party_member_status, enum party_member_status, MEMBER_STATUS_COUNT,
                     status_codes)
CODES_NAME_ZH(party_member_status, enum party_member_status, MEMBER_STATUS_COUNT, status_names)

bool party_member_status_change_ok(enum party_member_status from, enum party_member_status to)
{
	if ((unsigned)from >= MEMBER_STATUS_COUNT || (unsigned)to >= MEMBER_STATUS_COUNT)
		return false;
	if (from == to)
		return true;
	return !(from == MEMBER_FULL && to == MEMBER_PROBATIONARY);
}

/* ---- commitments ---- */

static const char *const cm_state_codes[COMMIT_STATE_COUNT] = {"proposed", "in_progress", "done",
                                                               "verified", "closed"};
static const char *const cm_state_names[COMMIT_STATE_COUNT] = {"已承诺", "推进中", "已完成待核验",
                                                               "已核验", "已销号"};
static const char *const cm_action_codes[COMMIT_ACTION_COUNT] = {"start", "complete", "verify",
                                                                 "close", "reopen"};
static const char *const cm_action_names[COMMIT_ACTION_COUNT] = {"开始推进", "报完成", "核验",
                                                                 "销号", "退回重办"};

static const struct commitment_transition cm_flow[COMMIT_STATE_COUNT][COMMIT_ACTION_COUNT] = {
    [COMMIT_PROPOSED] =
        {
            [COMMIT_START] = {SIDE_UNIT, COMMIT_IN_PROGRESS, false},
            [COMMIT_COMPLETE] = {SIDE_UNIT, COMMIT_DONE, false},
        },
    [COMMIT_IN_PROGRESS] =
        {
            [COMMIT_COMPLETE] = {SIDE_UNIT, COMMIT_DONE, false},
        },
    [COMMIT_DONE] =
        {
            [COMMIT_VERIFY] = {SIDE_COMMUNITY, COMMIT_VERIFIED, false},
            [COMMIT_REOPEN] = {SIDE_COMMUNITY, COMMIT_IN_PROGRESS, true},
        },
    [COMMIT_VERIFIED] =
        {
            [COMMIT_CLOSE] = {SIDE_COMMUNITY, COMMIT_CLOSED, false},
            [COMMIT_REOPEN] = {SIDE_COMMUNITY, COMMIT_IN_PROGRESS, true},
        },
    [COMMIT_CLOSED] = {{0}},
};

CODES_PARSE_AND_CODE(commitment_state, enum commitment_state, COMMIT_STATE_COUNT, cm_state_codes)
CODES_NAME_ZH(commitment_state, enum commitment_state, COMMIT_STATE_COUNT, cm_state_names)

CODES_PARSE_AND_CODE(commitment_action, enum commitment_action, COMMIT_ACTION_COUNT,
                     cm_action_codes)
CODES_NAME_ZH(commitment_action, enum commitment_action, COMMIT_ACTION_COUNT, cm_action_names)

const struct commitment_transition *commitment_flow_lookup(enum commitment_state s,
                                                           enum commitment_action a)
{
	if ((unsigned)s >= COMMIT_STATE_COUNT || (unsigned)a >= COMMIT_ACTION_COUNT)
		return NULL;
	const struct commitment_transition *t = &cm_flow[s][a];
	return t->sides ? t : NULL;
}

/* ---- pairing lists ---- */

static const char *const list_codes[PAIRING_LIST_COUNT] = {"problem", "responsibility", "task"};
static const char *const list_names[PAIRING_LIST_COUNT] = {"问题清单", "责任清单", "任务清单"};

CODES_PARSE_AND_CODE(pairing_list, int, PAIRING_LIST_COUNT, list_codes)
CODES_NAME_ZH(pairing_list, int, PAIRING_LIST_COUNT, list_names)

/* ---- cadres ---- */

static const char *const cadre_codes[CADRE_KIND_COUNT] = {"sinking", "judge", "prosecutor",
                                                          "police", "lawyer"};
static const char *const cadre_names[CADRE_KIND_COUNT] = {"下沉干部", "法官", "检察官", "警官",
                                                          "律师"};

CODES_PARSE_AND_CODE(cadre_kind, enum cadre_kind, CADRE_KIND_COUNT, cadre_codes)
CODES_NAME_ZH(cadre_kind, enum cadre_kind, CADRE_KIND_COUNT, cadre_names)

bool cadre_kind_legal(enum cadre_kind k)
{
	return k == CADRE_JUDGE || k == CADRE_PROSECUTOR || k == CADRE_POLICE || k == CADRE_LAWYER;
}

/* ---- grid service team ---- */

static const char *const team_codes[TEAM_ROLE_COUNT] = {"supervisor", "grid_leader", "grid_worker",
                                                        "building_leader"};
static const char *const team_names[TEAM_ROLE_COUNT] = {"督导员", "网格长", "网格员",
                                                        "楼栋(单元)长"};

CODES_PARSE_AND_CODE(team_role, enum team_role, TEAM_ROLE_COUNT, team_codes)
CODES_NAME_ZH(team_role, enum team_role, TEAM_ROLE_COUNT, team_names)

/* ---- arithmetic and formats ---- */

double party_rate(int64_t covered, int64_t total)
{
	if (total <= 0)
		return -1;
	if (covered < 0)
		covered = 0;
	/* Integer rounding to 1/10000 keeps 2/3 at 0.6667 on every platform. */
	int64_t scaled = (covered * 20000 / total + 1) / 2;
	return (double)scaled / 10000.0;
}

static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool party_date_valid(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) ||
	    !digits(s + 5, 2) || !digits(s + 8, 2))
		return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int max = mdays[m - 1] + (m == 2 && leap);
	return d <= max;
}

bool party_hhmm_valid(const char *s)
{
	if (!s || strlen(s) != 5 || s[2] != ':' || !digits(s, 2) || !digits(s + 3, 2))
		return false;
	int h = (s[0] - '0') * 10 + (s[1] - '0');
	int m = (s[3] - '0') * 10 + (s[4] - '0');
	return h < 24 && m < 60;
}

int party_minutes_between(const char *start, const char *end)
{
	if (!party_hhmm_valid(start) || !party_hhmm_valid(end))
		return -1;
	int a = ((start[0] - '0') * 10 + (start[1] - '0')) * 60 + (start[3] - '0') * 10 +
	        (start[4] - '0');
	int b = ((end[0] - '0') * 10 + (end[1] - '0')) * 60 + (end[3] - '0') * 10 + (end[4] - '0');
	return b - a;
}
