/* Party building and pairing (党建引领, 结对共建) as pure rules: the kinds of party
 * organisation and which may sit under which and at which region level, member
 * status changes, the commitment (承诺事项) state machine where 销号 needs a
 * verification first, cadre kinds (三官一律), grid service team roles, and the
 * arithmetic of coverage reports. */
#ifndef JICENG_DOMAIN_PARTY_H
#define JICENG_DOMAIN_PARTY_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/region.h"

enum party_kind {
	PARTY_WORKING_COMMITTEE, /* 党(工)委: street or town, or a district's organ working
	                            committee */
	PARTY_COMMITTEE,         /* 党委 */
	PARTY_JOINT_COMMITTEE,   /* 联合党委 */
	PARTY_GENERAL_BRANCH,    /* 党总支 */
	PARTY_BRANCH,            /* 党支部 */
	PARTY_GRID_BRANCH,       /* 网格党支部 */
	PARTY_GROUP,             /* 党小组 (楼栋/宅上) */
	PARTY_FUNCTIONAL_SINKING, /* 功能型党支部 "下沉力量": in-service members, 三官一律, 城管 */
	PARTY_FUNCTIONAL_SOCIAL, /* 功能型党支部 "社会力量": social organisations, businesses */
	PARTY_KIND_COUNT
};

bool party_kind_parse(const char *s, enum party_kind *out);
const char *party_kind_code(enum party_kind k);
const char *party_kind_name_zh(enum party_kind k);
/* Whether an organisation of this kind may be anchored at a region of this level. */
bool party_kind_level_ok(enum party_kind k, enum region_level l);
/* Whether this kind may stand at the top of a tree (no parent organisation). */
bool party_kind_may_be_root(enum party_kind k);
/* Whether child may sit directly under parent. */
bool party_kind_may_parent(enum party_kind parent, enum party_kind child);
/* Why an organisation of kind child at child_region cannot sit under parent at parent_region
 * (NULL when it can). parent_kind < 0: no parent. */
const char *party_nesting_problem(int parent_kind, const char *parent_region, enum party_kind child,
                                  const char *child_region);
/* A branch that members join as their primary membership. */
bool party_kind_holds_members(enum party_kind k);
/* A functional branch (下沉力量 or 社会力量). */
bool party_kind_functional(enum party_kind k);
/* A village/community party organisation (the second tier, and a pairing's community side). */
bool party_kind_community_org(enum party_kind k);

enum party_member_status {
	MEMBER_FULL,            /* 正式党员 */
	MEMBER_PROBATIONARY,    /* 预备党员 */
	MEMBER_TRANSFERRED_OUT, /* 已转出 */
	MEMBER_STATUS_COUNT
};

bool party_member_status_parse(const char *s, enum party_member_status *out);
const char *party_member_status_code(enum party_member_status s);
const char *party_member_status_name_zh(enum party_member_status s);
/* Whether a member's status may change from one to the other: a probationary member becomes
 * full, either may be transferred out and a transferred-out member transferred back in; a full
 * member never becomes probationary again. */
bool party_member_status_change_ok(enum party_member_status from, enum party_member_status to);

/* Commitment items of a pairing (承诺事项): proposed → in_progress → done → verified →
 * closed (销号). The pairing unit's side starts and completes; the community side verifies,
 * closes and reopens. Closing needs a verification first. */
enum commitment_state {
	COMMIT_PROPOSED,
	COMMIT_IN_PROGRESS,
	COMMIT_DONE,
	COMMIT_VERIFIED,
	COMMIT_CLOSED,
	COMMIT_STATE_COUNT
};

enum commitment_action {
	COMMIT_START,
	COMMIT_COMPLETE,
	COMMIT_VERIFY,
	COMMIT_CLOSE,
	COMMIT_REOPEN,
	COMMIT_ACTION_COUNT
};

/* The two sides of a pairing, as bits. */
enum pairing_side { SIDE_UNIT = 1u << 0, SIDE_COMMUNITY = 1u << 1 };

struct commitment_transition {
	unsigned sides; /* SIDE_* allowed */
	enum commitment_state next;
	bool needs_comment;
};

bool commitment_state_parse(const char *s, enum commitment_state *out);
const char *commitment_state_code(enum commitment_state s);
const char *commitment_state_name_zh(enum commitment_state s);
bool commitment_action_parse(const char *s, enum commitment_action *out);
const char *commitment_action_code(enum commitment_action a);
const char *commitment_action_name_zh(enum commitment_action a);
/* The transition, or NULL when the state does not allow the action. */
const struct commitment_transition *commitment_flow_lookup(enum commitment_state s,
                                                           enum commitment_action a);

/* Pairing lists (问题清单, 责任清单, 任务清单). */
bool pairing_list_parse(const char *s, int *out);
const char *pairing_list_code(int l);
const char *pairing_list_name_zh(int l);
enum { PAIRING_LIST_COUNT = 3 };

enum cadre_kind {
	CADRE_SINKING,    /* 下沉干部 */
	CADRE_JUDGE,      /* 法官 */
	CADRE_PROSECUTOR, /* 检察官 */
	CADRE_POLICE,     /* 警官 */
	CADRE_LAWYER,     /* 律师 */
	CADRE_KIND_COUNT
};

bool cadre_kind_parse(const char *s, enum cadre_kind *out);
const char *cadre_kind_code(enum cadre_kind k);
const char *cadre_kind_name_zh(enum cadre_kind k);
/* One of 三官一律 (judge, prosecutor, police officer, lawyer). */
bool cadre_kind_legal(enum cadre_kind k);

/* The four-level grid service team: 督导员 — 网格长 — 网格员 — 楼栋(单元)长. */
enum team_role { TEAM_SUPERVISOR, TEAM_GRID_LEADER, TEAM_GRID_WORKER, TEAM_BUILDING_LEADER };
enum { TEAM_ROLE_COUNT = 4 };
bool team_role_parse(const char *s, enum team_role *out);
const char *team_role_code(enum team_role r);
const char *team_role_name_zh(enum team_role r);

/* covered / total as a fraction rounded to four places; -1 when total is 0 (no rate). */
double party_rate(int64_t covered, int64_t total);

/* A calendar date "YYYY-MM-DD" between 1900 and 2199. */
bool party_date_valid(const char *s);
/* A time of day "HH:MM" (00:00–23:59). */
bool party_hhmm_valid(const char *s);
/* Minutes from start to end ("HH:MM"): at most 0 when end is not after start, -1 when
 * either is malformed. */
int party_minutes_between(const char *start, const char *end);

#endif
