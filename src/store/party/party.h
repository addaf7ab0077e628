/* Party building (党建引领): the organisation tree and its history, members and their
 * functional memberships, 党员中心户 with the households they liaise with, and the
 * counts behind the structure and coverage reports. Pairings, cadres, reception days and
 * grid teams are in store/pairings.h. */
#ifndef JICENG_STORE_PARTY_H
#define JICENG_STORE_PARTY_H

#include "core/arena.h"
#include "domain/party.h"
#include "store/db.h"

/* Runs a query whose first row's first column is an integer (0 when no row). types names
 * each parameter in order: 't' text (NULL binds NULL), 'i' int64, 'n' int64 where 0 binds
 * NULL, 'd' double. For callers outside store/; the store itself uses store/stmt.h. */
enum db_result store_party_count(struct db *db, int64_t *out, const char *sql, const char *types,
                                 ...);

/* ---- organisations ---- */

struct party_org_row {
	int64_t id, parent_id, building_id; /* 0: none */
	const char *name, *region_code, *unit, *secretary, *note;
	const char *parent_name, *region_name, *building_name; /* filled by reads */
	enum party_kind kind;
	bool active;
	int64_t child_count, member_count; /* active children; members (primary + functional) */
	int64_t created_at, updated_at;
};

struct party_org_filter {
	const char *region; /* code prefix ("" everything) */
	int64_t parent_id;  /* >0: children of this organisation */
	bool roots;         /* only those whose parent lies outside region (or none) */
	int kind;           /* enum party_kind, -1 any */
	const char *unit;   /* NULL any */
	bool dissolved;     /* include dissolved organisations */
	int64_t after_id;
	int limit;
};

enum db_result store_party_orgs_insert(struct db *db, struct party_org_row *o);
enum db_result store_party_orgs_get(struct db *db, struct arena *a, int64_t id,
                                    struct party_org_row *out);
/* Writes name, kind, parent, region, building, unit, secretary, note, status, updated_at. */
enum db_result store_party_orgs_update(struct db *db, const struct party_org_row *o);
enum db_result store_party_orgs_list(struct db *db, struct arena *a,
                                     const struct party_org_filter *f, struct party_org_row **rows,
                                     size_t *n);
/* Active organisations anchored exactly at region, in id order. */
enum db_result store_party_orgs_at(struct db *db, struct arena *a, const char *region,
                                   struct party_org_row **rows, size_t *n);
/* Whether id is root or lies under it. */
enum db_result store_party_orgs_in_subtree(struct db *db, int64_t root, int64_t id, bool *within);
/* Descendants of id that a re-anchoring from old_region to new_region would leave outside
 * the new region (those anchored at old_region move along). */
/* Organisations under id (not id itself) in old_region that stand for a building (楼栋党小组,
 * dissolved ones too): they cannot follow a move out of the building's grid. */
enum db_result store_party_orgs_building_groups(struct db *db, int64_t id, const char *old_region,
                                                int64_t *count);
/* Active 党小组 other than self_id that stand for building_id. */
enum db_result store_party_orgs_building_taken(struct db *db, int64_t building_id, int64_t self_id,
                                               int64_t *count);
enum db_result store_party_orgs_stranded(struct db *db, int64_t id, const char *old_region,
                                         const char *new_region, int64_t *count);
/* Moves id and its descendants anchored at old_region to new_region, members included. */
enum db_result store_party_orgs_reanchor(struct db *db, int64_t id, const char *old_region,
                                         const char *new_region, int64_t now);

/* One entry of an organisation's or a member's append-only history. */
struct party_event_row {
	int64_t id, ref_id, at, actor_id, from_ref, to_ref; /* ref: org or member; from/to: org */
	const char *actor, *action, *from_region, *to_region, *from_status, *to_status, *detail;
};

enum db_result store_party_org_events_add(struct db *db, const struct party_event_row *e);
enum db_result store_party_org_events_list(struct db *db, struct arena *a, int64_t org_id,
                                           struct party_event_row **rows, size_t *n);

/* ---- members ---- */

struct party_member_row {
	int64_t id, resident_id, user_id, org_id, group_id; /* 0: none */
	const char *name, *region_code, *joined_on, *note;
	const char *org_name, *group_name; /* filled by reads */
	enum party_member_status status;
	bool transferred_in;
	int64_t created_at, updated_at;
};

struct party_member_filter {
	const char *region; /* prefix of the primary branch's region, or of a functional one */
	int64_t org_id;     /* >0: primary or functional members of this organisation */
	int status;         /* enum party_member_status, -1 any */
	const char *q;      /* name contains */
	int64_t group_id;   /* >0: members of this 党小组 */
	int64_t after_id;
	int limit;
};

enum db_result store_party_members_insert(struct db *db, struct party_member_row *m);
enum db_result store_party_members_get(struct db *db, struct arena *a, int64_t id,
                                       struct party_member_row *out);
/* Writes name, org, group, region, status, joined_on, transferred_in, note, updated_at. */
enum db_result store_party_members_update(struct db *db, const struct party_member_row *m);
enum db_result store_party_members_list(struct db *db, struct arena *a,
                                        const struct party_member_filter *f,
                                        struct party_member_row **rows, size_t *n);
/* A member as the roster (党员花名册) shows it: the kind of its primary branch, its region's
 * name, the linked resident's gender ("male"/"female", NULL when unknown), its functional
 * branches' names joined by 、 (NULL when none), and whether it keeps an active 党员中心户. */
struct party_roster_row {
	struct party_member_row m;
	enum party_kind org_kind;
	const char *region_name, *gender, *functional;
	bool center;
};
/* The same members, order and paging as store_party_members_list, as roster rows. */
enum db_result store_party_members_roster(struct db *db, struct arena *a,
                                          const struct party_member_filter *f,
                                          struct party_roster_row **rows, size_t *n);
/* Members (not transferred out) whose primary branch is org_id. */
enum db_result store_party_members_count_primary(struct db *db, int64_t org_id, int64_t *n);
/* Members an organisation holds: primary memberships, or group_id for a 党小组. */
enum db_result store_party_members_count_held(struct db *db, int64_t org_id, int64_t *n);

struct party_membership_row {
	int64_t org_id, joined_at;
	const char *org_name, *region_code;
	enum party_kind kind;
};

/* DB_CONSTRAINT when the member is in that branch already. */
enum db_result store_party_memberships_add(struct db *db, int64_t member_id, int64_t org_id,
                                           int64_t now);
/* DB_DONE when there was no such membership. */
enum db_result store_party_memberships_remove(struct db *db, int64_t member_id, int64_t org_id);
enum db_result store_party_memberships_list(struct db *db, struct arena *a, int64_t member_id,
                                            struct party_membership_row **rows, size_t *n);

enum db_result store_party_member_events_add(struct db *db, const struct party_event_row *e);
enum db_result store_party_member_events_list(struct db *db, struct arena *a, int64_t member_id,
                                              struct party_event_row **rows, size_t *n);

/* ---- base data the party module points at (migration 4's tables) ---- */

struct party_base_ref {
	int64_t id, household_id, building_id;
	const char *region_code, *name;
};

enum db_result store_party_resident_ref(struct db *db, struct arena *a, int64_t id,
                                        struct party_base_ref *out);
enum db_result store_party_household_ref(struct db *db, struct arena *a, int64_t id,
                                         struct party_base_ref *out);
enum db_result store_party_building_ref(struct db *db, struct arena *a, int64_t id,
                                        struct party_base_ref *out);

/* ---- 党员中心户 ---- */

struct party_center_row {
	int64_t id, member_id, household_id, org_id;
	const char *region_code, *member_name, *note;
	bool active;
	int64_t link_count, created_at, updated_at;
};

enum db_result store_party_centers_insert(struct db *db, struct party_center_row *c);
enum db_result store_party_centers_get(struct db *db, struct arena *a, int64_t id,
                                       struct party_center_row *out);
enum db_result store_party_centers_list(struct db *db, struct arena *a, const char *region,
                                        int64_t after_id, int limit, struct party_center_row **rows,
                                        size_t *n);
/* Ends a center and lets go of its households. */
enum db_result store_party_centers_end(struct db *db, int64_t id, int64_t now);
/* DB_CONSTRAINT when the household is linked to a center already. */
enum db_result store_party_center_links_add(struct db *db, int64_t center_id, int64_t household_id);
enum db_result store_party_center_links_remove(struct db *db, int64_t center_id,
                                               int64_t household_id);
/* The household ids a center liaises with, in id order. */
enum db_result store_party_center_links_list(struct db *db, struct arena *a, int64_t center_id,
                                             int64_t **ids, size_t *n);
/* Whether the household is some active center's own household or linked to one. */
enum db_result store_party_household_covered(struct db *db, int64_t household_id, bool *covered);

/* ---- reports ---- */

struct party_coverage_row {
	const char *region_code; /* the child region the counts are grouped by */
	int64_t households, covered, centers;
};

/* Households, households covered (a center's own or linked) and centers under region,
 * grouped by the first group_len characters of the household's region code. */
enum db_result store_party_coverage(struct db *db, struct arena *a, const char *region,
                                    int group_len, struct party_coverage_row **rows, size_t *n);

struct party_grid_row {
	const char *code, *name;
	int64_t branches; /* active grid branches anchored there */
};

/* Active regions of a level (enum region_level) under prefix, in code order (branches 0). */
enum db_result store_party_regions_under(struct db *db, struct arena *a, const char *prefix,
                                         int level, struct party_grid_row **rows, size_t *n);
/* Active grids of a community with their grid-branch counts, in code order. */
enum db_result store_party_grid_branches(struct db *db, struct arena *a, const char *community,
                                         struct party_grid_row **rows, size_t *n);

struct party_building_row {
	int64_t id;
	const char *name, *region_code;
	int64_t groups, leaders; /* active building party groups; active building leaders */
};

/* Buildings under region (in active grids) with their party groups and building leaders. */
enum db_result store_party_buildings(struct db *db, struct arena *a, const char *region,
                                     struct party_building_row **rows, size_t *n);
/* Active centers under region. */
enum db_result store_party_centers_count(struct db *db, const char *region, int64_t *n);

struct party_functional_row {
	const char *region_code;
	int64_t sinking, social, members;
};

/* Functional branches and their distinct members (not transferred out), grouped by the first
 * group_len characters of the branch's region; *total_members counts each member once. */
enum db_result store_party_functional_counts(struct db *db, struct arena *a, const char *region,
                                             int group_len, struct party_functional_row **rows,
                                             size_t *n, int64_t *total_members);

#endif
