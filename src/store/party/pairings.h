/* Pairing (结对共建) of county-unit and community party organisations with commitments
 * (承诺事项) and their append-only history, activities and the three lists; cadres
 * (下沉干部, 三官一律) with service hours, reception days (接待日), whose slots are service slots;
 * the grid service team. */
#ifndef JICENG_STORE_PAIRINGS_H
#define JICENG_STORE_PAIRINGS_H

#include "core/arena.h"
#include "domain/party.h"
#include "store/db.h"

struct pairing_row {
	int64_t id, unit_org_id, community_org_id, created_by;
	const char *unit, *region_code, *title, *signed_on, *ends_on, *note;
	const char *unit_org_name, *community_org_name, *region_name; /* filled by reads */
	bool active;
	int64_t commitments, commitments_closed, activities; /* counts, filled by reads */
	double hours;                                        /* activity hours, filled by reads */
	int64_t created_at, updated_at;
};

struct pairing_filter {
	const char *region; /* prefix of the community side's region; NULL: any */
	const char *unit;   /* the unit side; NULL: any */
	bool either;        /* match region OR unit (the caller is on one side or the other) */
	int64_t after_id;
	int limit;
};

enum db_result store_pairings_insert(struct db *db, struct pairing_row *p);
enum db_result store_pairings_get(struct db *db, struct arena *a, int64_t id,
                                  struct pairing_row *out);
/* Writes title, ends_on, note, status, updated_at. */
enum db_result store_pairings_update(struct db *db, const struct pairing_row *p);
enum db_result store_pairings_list(struct db *db, struct arena *a, const struct pairing_filter *f,
                                   struct pairing_row **rows, size_t *n);

struct commitment_row {
	int64_t id, pairing_id, created_by, verified_by;
	const char *problem, *measure, *responsible, *deadline, *result;
	enum commitment_state status;
	int64_t created_at, updated_at, done_at, verified_at, closed_at;
};

enum db_result store_commitments_insert(struct db *db, struct commitment_row *c);
enum db_result store_commitments_get(struct db *db, struct arena *a, int64_t id,
                                     struct commitment_row *out);
/* Writes status, result, verified_by and the times. */
enum db_result store_commitments_update(struct db *db, const struct commitment_row *c);
enum db_result store_commitments_list(struct db *db, struct arena *a, int64_t pairing_id,
                                      struct commitment_row **rows, size_t *n);

struct commitment_event_row {
	int64_t id, commitment_id, at, actor_id;
	const char *actor, *side, *action, *from_status, *to_status, *comment;
};

enum db_result store_commitment_events_add(struct db *db, const struct commitment_event_row *e);
enum db_result store_commitment_events_list(struct db *db, struct arena *a, int64_t commitment_id,
                                            struct commitment_event_row **rows, size_t *n);

struct activity_row {
	int64_t id, pairing_id, people, created_by, created_at;
	const char *title, *held_on, *place, *participants, *note;
	const char *recorded_by; /* the username of created_by */
	double hours;
};

enum db_result store_activities_insert(struct db *db, struct activity_row *a);
enum db_result store_activities_list(struct db *db, struct arena *a, int64_t pairing_id,
                                     struct activity_row **rows, size_t *n);

struct pairing_item_row {
	int64_t id, pairing_id, created_by, created_at, updated_at;
	int list; /* pairing_list_code */
	const char *content, *responsible, *deadline;
	bool done;
};

enum db_result store_pairing_items_insert(struct db *db, struct pairing_item_row *it);
enum db_result store_pairing_items_get(struct db *db, struct arena *a, int64_t id,
                                       struct pairing_item_row *out);
/* Writes content, responsible, deadline, status, updated_at. */
enum db_result store_pairing_items_update(struct db *db, const struct pairing_item_row *it);
enum db_result store_pairing_items_list(struct db *db, struct arena *a, int64_t pairing_id,
                                        struct pairing_item_row **rows, size_t *n);

/* ---- cadres ---- */

struct cadre_row {
	int64_t id, user_id, member_id, building_id;
	const char *name, *unit, *region_code, *started_on, *note;
	const char *region_name, *building_name; /* filled by reads */
	enum cadre_kind kind;
	bool legal_adviser, active;
	double hours; /* served: reception days held plus service entries, filled by reads */
	int64_t created_at, updated_at;
};

struct cadre_filter {
	const char *region; /* prefix */
	int kind;           /* enum cadre_kind, -1 any; -2 any of 三官一律 */
	int64_t user_id;    /* >0: this user's */
	int64_t after_id;
	int limit;
};

enum db_result store_cadres_insert(struct db *db, struct cadre_row *c);
enum db_result store_cadres_get(struct db *db, struct arena *a, int64_t id, struct cadre_row *out);
/* Writes name, unit, kind, region, building, legal_adviser, status, note, updated_at. */
enum db_result store_cadres_update(struct db *db, const struct cadre_row *c);
enum db_result store_cadres_list(struct db *db, struct arena *a, const struct cadre_filter *f,
                                 struct cadre_row **rows, size_t *n);
enum db_result store_cadre_service_add(struct db *db, int64_t cadre_id, const char *served_on,
                                       double hours, const char *what, int64_t by, int64_t now);

struct cadre_coverage_row {
	const char *code, *name; /* a community */
	int64_t cadres, judges, prosecutors, police, lawyers, legal_advisers;
};

/* Active communities under region with their active cadres by kind. */
enum db_result store_cadres_coverage(struct db *db, struct arena *a, const char *region,
                                     struct cadre_coverage_row **rows, size_t *n);

/* ---- reception days ---- */

/* A day a cadre receives residents; its slots and their bookings are service slots of kind
 * "reception" and their bookings (store/services/services.h, migration 34). */
struct reception_day_row {
	int64_t id, cadre_id, created_by;
	const char *region_code, *held_on, *starts, *ends, *place, *topic;
	const char *cadre_name, *cadre_unit, *region_name; /* filled by reads */
	bool cancelled;
	int64_t created_at, updated_at;
};

enum db_result store_reception_days_insert(struct db *db, struct reception_day_row *d);
enum db_result store_reception_days_get(struct db *db, struct arena *a, int64_t id,
                                        struct reception_day_row *out);
enum db_result store_reception_days_cancel(struct db *db, int64_t id, int64_t now);
/* Days of regions covering code or under the region prefix: codes lists the regions a
 * resident belongs to (their grid's ancestors), or NULL to use the prefix. */
enum db_result store_reception_days_list(struct db *db, struct arena *a, const char *region,
                                         const char *grid_of_resident, const char *from_date,
                                         int64_t cadre_id, int64_t after_id, int limit,
                                         struct reception_day_row **rows, size_t *n);

/* ---- grid service team ---- */

struct team_member_row {
	int64_t id, user_id, cadre_id, building_id;
	const char *region_code, *name, *started_on, *building_name;
	enum team_role role;
	bool full_time, active;
	int64_t created_at, updated_at;
};

enum db_result store_team_insert(struct db *db, struct team_member_row *t);
enum db_result store_team_get(struct db *db, struct arena *a, int64_t id,
                              struct team_member_row *out);
enum db_result store_team_end(struct db *db, int64_t id, int64_t now);
/* Ends the building-leader duty a cadre holds through the team (when reassigned). */
enum db_result store_team_end_for_cadre(struct db *db, int64_t cadre_id, int64_t now);
/* Active members under region (prefix), by grid then role then id. */
enum db_result store_team_list(struct db *db, struct arena *a, const char *region,
                               struct team_member_row **rows, size_t *n);

struct team_grid_row {
	const char *code, *name;
	int64_t supervisors, leaders, workers, buildings, buildings_led;
};

/* Active grids under region with counts per role and buildings with/without a leader. */
enum db_result store_team_grids(struct db *db, struct arena *a, const char *region,
                                struct team_grid_row **rows, size_t *n);

#endif
