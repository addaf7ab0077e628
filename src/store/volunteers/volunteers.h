/* Volunteers (志愿服务, store/volunteers/volunteers.c): teams, members, activities, sign-ups
 * and the append-only hours and points ledger; and the grid workers' field logs of visits
 * and patrols (民情走访, 巡查, store/volunteers/field_logs.c). A person is named as bookings
 * name theirs: "user:<id>" (an account) or "resident:<id>" (a resident record). */
#ifndef JICENG_STORE_VOLUNTEERS_H
#define JICENG_STORE_VOLUNTEERS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/base/base.h"
#include "store/db.h"

struct vol_person {
	const char *person; /* "user:<id>" or "resident:<id>" */
	int64_t user_id, resident_id;
};

/* ---- teams ---- */
struct vol_team_row {
	int64_t id, leader_user_id, created_by, created_at, updated_at, members;
	const char *region_code, *region_name, *name, *description, *leader_name;
};
enum db_result store_vol_teams_insert(struct db *db, struct vol_team_row *t);
enum db_result store_vol_teams_get(struct db *db, struct arena *a, int64_t id,
                                   struct vol_team_row *out);
/* The teams in the scopes sc, in (region_code, id) order after `after`. */
enum db_result store_vol_teams_walk(struct db *db, struct arena *a, const struct scopes *sc,
                                    struct page_after after, int limit, struct vol_team_row **rows,
                                    size_t *n);
/* The teams at grid or a region above it, in id order after after_id. */
enum db_result store_vol_teams_for_grid(struct db *db, struct arena *a, const char *grid,
                                        int64_t after_id, int limit, struct vol_team_row **rows,
                                        size_t *n);

/* ---- members ---- */
struct vol_member_row {
	int64_t id, team_id, user_id, resident_id, joined_at, left_at;
	const char *region_code, *person, *name;
	bool active;
};
/* DB_CONSTRAINT when the person already is an active member. */
enum db_result store_vol_members_insert(struct db *db, struct vol_member_row *m);
enum db_result store_vol_members_get(struct db *db, struct arena *a, int64_t id,
                                     struct vol_member_row *out);
/* DB_DONE when the member had left already. */
enum db_result store_vol_members_leave(struct db *db, int64_t id, int64_t now);
/* A team's active members, in joining order (at most 2000). */
enum db_result store_vol_members_of_team(struct db *db, struct arena *a, int64_t team_id,
                                         struct vol_member_row **rows, size_t *n);
/* The person's active membership of the team, DB_DONE when none. */
enum db_result store_vol_members_find(struct db *db, struct arena *a, int64_t team_id,
                                      const char *person, struct vol_member_row *out);

/* ---- activities ---- */
struct vol_activity_row {
	int64_t id, team_id, starts_at, ends_at, capacity, signed_count, waiting_count,
	    leader_user_id, created_by, created_at, updated_at;
	const char *region_code, *title, *place, *code, *team_name;
	bool cancelled;
};
enum db_result store_vol_activities_insert(struct db *db, struct vol_activity_row *v);
enum db_result store_vol_activities_get(struct db *db, struct arena *a, int64_t id,
                                        struct vol_activity_row *out);
/* The activities in the scopes sc (of team_id, 0: any), in (region_code, id) order. */
enum db_result store_vol_activities_walk(struct db *db, struct arena *a, const struct scopes *sc,
                                         int64_t team_id, struct page_after after, int limit,
                                         struct vol_activity_row **rows, size_t *n);
/* The open activities at grid or a region above it ending after from, in id order. */
enum db_result store_vol_activities_for_grid(struct db *db, struct arena *a, const char *grid,
                                             int64_t from, int64_t after_id, int limit,
                                             struct vol_activity_row **rows, size_t *n);

/* ---- sign-ups ---- */
struct vol_signup_row {
	int64_t id, activity_id, user_id, resident_id, checked_in_at, minutes, points, confirmed_by,
	    created_by, created_at, updated_at;
	const char *region_code, *person, *status, *name;
	const char *person_region; /* a resident record's grid, NULL for an account */
	/* read with it: the activity's title, place and times */
	const char *title, *place;
	int64_t starts_at, ends_at;
};
/* DB_CONSTRAINT when the person already holds a live sign-up on the activity. */
enum db_result store_vol_signups_insert(struct db *db, struct vol_signup_row *s);
enum db_result store_vol_signups_get(struct db *db, struct arena *a, int64_t id,
                                     struct vol_signup_row *out);
/* Sets the status of a live sign-up; DB_DONE when it was cancelled already. */
enum db_result store_vol_signups_set_status(struct db *db, int64_t id, const char *status,
                                            int64_t now);
/* An activity's live sign-ups (signed and waiting), in id order (at most 10000). */
enum db_result store_vol_signups_of_activity(struct db *db, struct arena *a, int64_t activity_id,
                                             struct vol_signup_row **rows, size_t *n);
/* The person's live sign-up on the activity; DB_DONE when none. */
enum db_result store_vol_signups_find(struct db *db, struct arena *a, int64_t activity_id,
                                      const char *person, struct vol_signup_row *out);
/* The person's sign-ups, newest activity first (at most 500). */
enum db_result store_vol_signups_of_person(struct db *db, struct arena *a, const char *person,
                                           struct vol_signup_row **rows, size_t *n);
enum db_result store_vol_signups_check_in(struct db *db, int64_t id, int64_t now);
/* Records the confirmed minutes and points; DB_DONE when confirmed already. */
enum db_result store_vol_signups_confirm(struct db *db, int64_t id, int64_t minutes, int64_t points,
                                         int64_t by, int64_t now);

/* ---- the ledger ---- */
struct vol_ledger_row {
	int64_t id, minutes, points, activity_id, signup_id, created_by, created_at;
	const char *region_code, *person, *kind, *note, *title;
};
enum db_result store_vol_ledger_insert(struct db *db, struct vol_ledger_row *e);
/* The person's points balance and minutes of service. */
enum db_result store_vol_ledger_totals(struct db *db, const char *person, int64_t *points,
                                       int64_t *minutes);
/* The person's entries, newest first (at most 500). */
enum db_result store_vol_ledger_of_person(struct db *db, struct arena *a, const char *person,
                                          struct vol_ledger_row **rows, size_t *n);

/* ---- field logs (民情走访, 巡查) ---- */
struct field_log_row {
	int64_t id, seen_at, day, case_id, user_id, created_at;
	const char *region_code, *region_name, *kind, *address, *note, *photos, *user_name;
	bool has_location;
	double lat, lon;
};
enum db_result store_field_logs_insert(struct db *db, struct field_log_row *f);
enum db_result store_field_logs_get(struct db *db, struct arena *a, int64_t id,
                                    struct field_log_row *out);
/* Links the case raised from the entry; DB_DONE when one was linked already. */
enum db_result store_field_logs_set_case(struct db *db, int64_t id, int64_t case_id);
/* A worker's entries on the days [from_day, to_day], newest first (at most 5000). */
enum db_result store_field_logs_of_user(struct db *db, struct arena *a, int64_t user_id,
                                        int64_t from_day, int64_t to_day,
                                        struct field_log_row **rows, size_t *n);
/* Per worker, their entries under the region prefix on the days [from_day, to_day]. */
struct field_worker_row {
	int64_t user_id, entries, visits, patrols, cases;
	const char *name;
};
enum db_result store_field_logs_workers(struct db *db, struct arena *a, const char *prefix,
                                        int64_t from_day, int64_t to_day,
                                        struct field_worker_row **rows, size_t *n);

#endif
