/* Deliberation (协商议事): topics, their timeline, supports, comments, meetings and attendance
 * (store/deliberation/topics.c), ballots, registers and votes (ballots.c), the ledger, tasks,
 * ratings, objections and the disclosure list (works.c). */
#ifndef JICENG_STORE_DELIBERATION_H
#define JICENG_STORE_DELIBERATION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/base/base.h"
#include "store/db.h"

struct topic_row {
	int64_t id, proposer_id, supports, target_money, target_labour, public_until, stage_since,
	    created_at, updated_at;
	const char *region_code, *region_name, *procedure, *stage, *title, *body, *proposer_name;
};

enum db_result store_topics_insert(struct db *db, struct topic_row *t);
enum db_result store_topics_get(struct db *db, struct arena *a, int64_t id, struct topic_row *out);
/* Topics under any of the prefixes (a stage, when given, filters), most supported first
 * (newest first among equals), skipping offset, at most limit. */
enum db_result store_topics_list(struct db *db, struct arena *a, const struct scopes *sc,
                                 const char *region, const char *stage, bool newest, int64_t offset,
                                 int limit, struct topic_row **rows, size_t *n);
enum db_result store_topics_set_stage(struct db *db, int64_t id, const char *stage,
                                      int64_t public_until, int64_t now);
enum db_result store_topics_set_targets(struct db *db, int64_t id, int64_t money, int64_t labour);

struct topic_event_row {
	int64_t id, topic_id, at, user_id, meeting_id;
	const char *from_stage, *to_stage, *comment, *user_name;
};
enum db_result store_topic_events_add(struct db *db, const struct topic_event_row *e);
enum db_result store_topic_events_list(struct db *db, struct arena *a, int64_t topic_id,
                                       struct topic_event_row **rows, size_t *n);

/* DB_CONSTRAINT when the account already supports the topic. */
enum db_result store_topic_supports_add(struct db *db, int64_t topic_id, int64_t user_id,
                                        int64_t now);
enum db_result store_topic_supported(struct db *db, int64_t topic_id, int64_t user_id, bool *out);

struct topic_comment_row {
	int64_t id, topic_id, user_id, hidden_by, created_at;
	bool hidden;
	const char *region_code, *body, *hidden_reason, *user_name;
};
enum db_result store_topic_comments_insert(struct db *db, struct topic_comment_row *c);
enum db_result store_topic_comments_get(struct db *db, struct arena *a, int64_t id,
                                        struct topic_comment_row *out);
enum db_result store_topic_comments_hide(struct db *db, int64_t id, const char *reason, int64_t by);
enum db_result store_topic_comments_list(struct db *db, struct arena *a, int64_t topic_id,
                                         struct topic_comment_row **rows, size_t *n);

struct topic_meeting_row {
	int64_t id, topic_id, held_at, created_by, created_at, updated_at, attendance;
	const char *region_code, *stage, *venue, *place, *minutes, *photos;
};
enum db_result store_topic_meetings_insert(struct db *db, struct topic_meeting_row *m);
enum db_result store_topic_meetings_get(struct db *db, struct arena *a, int64_t id,
                                        struct topic_meeting_row *out);
enum db_result store_topic_meetings_update(struct db *db, const struct topic_meeting_row *m);
enum db_result store_topic_meetings_list(struct db *db, struct arena *a, int64_t topic_id,
                                         struct topic_meeting_row **rows, size_t *n);
/* Whether a meeting of the topic held in stage has minutes (meeting_id > 0: that one). */
enum db_result store_topic_meeting_minuted(struct db *db, int64_t topic_id, const char *stage,
                                           int64_t meeting_id, bool *out);
/* DB_CONSTRAINT when the person signed in already. */
enum db_result store_topic_attendance_add(struct db *db, int64_t meeting_id, const char *person,
                                          int64_t user_id, int64_t resident_id, int64_t now);

/* ---- ballots ---- */

struct ballot_row {
	int64_t id, topic_id, quorum_num, quorum_den, threshold_num, threshold_den, opens_at,
	    closes_at, closed_at, eligible, cast_count, created_by, created_at;
	bool quorum_more, threshold_more, secret, closed, quorum_met, passed;
	const char *region_code, *stage, *question, *options, *unit, *preset, *counts;
	/* A selection's ballot (migration 31): seats > 0, the nominations its options are (a JSON
	 * array of ids) and, once closed, the place of each ("elected", "tied", ""). */
	int64_t seats;
	const char *nominations, *elected;
};
enum db_result store_ballots_insert(struct db *db, struct ballot_row *b);
enum db_result store_ballots_get(struct db *db, struct arena *a, int64_t id,
                                 struct ballot_row *out);
/* The topic's ballots, newest first. */
enum db_result store_ballots_of_topic(struct db *db, struct arena *a, int64_t topic_id,
                                      struct ballot_row **rows, size_t *n);
/* Fills the register of ballot b from the region (households with an active member, or
 * active residents born in adult_year or before) and sets b's eligible. */
enum db_result store_ballot_register_fill(struct db *db, struct ballot_row *b, int64_t adult_year);
enum db_result store_ballot_registered(struct db *db, int64_t ballot_id, int64_t voter, bool *out);
/* Inserts or replaces the voter's choice. */
enum db_result store_ballot_vote(struct db *db, int64_t ballot_id, int64_t voter, int64_t choice,
                                 int64_t user_id, bool paper, int64_t now);
/* The voter's current choice (-1: none or no longer linked). */
enum db_result store_ballot_choice(struct db *db, int64_t ballot_id, int64_t voter, int64_t *out);
enum db_result store_ballot_cast(struct db *db, int64_t ballot_id, int64_t *out);
/* Votes per option into counts[0..n). */
enum db_result store_ballot_counts(struct db *db, int64_t ballot_id, int64_t *counts, int n);
/* The distinct choices (a selection's bit masks) with how many votes each. */
enum db_result store_ballot_choice_counts(struct db *db, struct arena *a, int64_t ballot_id,
                                          int64_t **choices, int64_t **counts, size_t *n);
/* Writes the frozen result (only while open: DB_DONE when already closed); a secret
 * ballot's choices lose their voters in the same step. */
enum db_result store_ballot_close(struct db *db, const struct ballot_row *b, int64_t now);
/* Open ballots whose closes_at has come (at most limit). */
enum db_result store_ballots_due(struct db *db, struct arena *a, int64_t now, int limit,
                                 struct ballot_row **rows, size_t *n);

/* ---- 民筹, 民办, 民评, 公示 ---- */

struct ledger_row {
	int64_t id, topic_id, amount, user_id, household_id, created_at;
	const char *region_code, *kind, *resource, *note;
};
enum db_result store_ledger_insert(struct db *db, struct ledger_row *l);
enum db_result store_ledger_list(struct db *db, struct arena *a, int64_t topic_id,
                                 struct ledger_row **rows, size_t *n);
struct ledger_totals {
	int64_t pledged_money, pledged_labour, spent_money, pledges;
};
enum db_result store_ledger_totals(struct db *db, int64_t topic_id, struct ledger_totals *out);

struct topic_task_row {
	int64_t id, topic_id, done_at, created_by, created_at;
	const char *region_code, *title, *owner, *deadline;
};
enum db_result store_topic_tasks_insert(struct db *db, struct topic_task_row *t);
enum db_result store_topic_tasks_get(struct db *db, struct arena *a, int64_t id,
                                     struct topic_task_row *out);
enum db_result store_topic_tasks_done(struct db *db, int64_t id, int64_t now);
enum db_result store_topic_tasks_list(struct db *db, struct arena *a, int64_t topic_id,
                                      struct topic_task_row **rows, size_t *n);

/* One rating per account, a later one replaces it. */
enum db_result store_topic_rate(struct db *db, int64_t topic_id, int64_t user_id,
                                const char *rating, const char *comment, int64_t now);
/* Ratings per satisfied, basic, unsatisfied. */
enum db_result store_topic_ratings(struct db *db, int64_t topic_id, int64_t out[3]);

struct objection_row {
	int64_t id, topic_id, user_id, created_at;
	const char *body;
};
enum db_result store_objections_insert(struct db *db, struct objection_row *o);
enum db_result store_objections_list(struct db *db, struct arena *a, int64_t topic_id,
                                     struct objection_row **rows, size_t *n);

/* Topics under the prefix that are disclosed: in a stage that discloses or past it, or with a
 * closed ballot; newest first, at most 200. */
enum db_result store_topics_disclosed(struct db *db, struct arena *a, const char *prefix,
                                      struct topic_row **rows, size_t *n);

/* The resident record and household an account is linked to (0 when none), and the
 * resident's region and whether it is active. */
struct topic_voter {
	int64_t resident_id, household_id, birth_year;
	const char *region_code;
	bool active;
};
enum db_result store_topic_voter(struct db *db, struct arena *a, int64_t user_id,
                                 struct topic_voter *out);

/* Selections (评选, migration 31): the topic's seats (DB_ROW, DB_DONE when the topic is no
 * selection), its nominations, the parts of a nominee's label. */
enum db_result store_selection_seats(struct db *db, int64_t topic_id, int64_t *seats);
enum db_result store_selection_insert(struct db *db, int64_t topic_id, int64_t seats,
                                      int64_t user_id, int64_t now);
struct nomination_row {
	int64_t id, topic_id, household_id, building_id, nominated_by, reviewed_by, reviewed_at,
	    created_at;
	const char *region_code, *nominee_kind, *label, *reason, *status, *review_note;
};
enum db_result store_nominations_insert(struct db *db, struct nomination_row *n);
enum db_result store_nominations_get(struct db *db, struct arena *a, int64_t id,
                                     struct nomination_row *out);
/* The topic's nominations in the order made (status NULL: all), at most 200. */
enum db_result store_nominations_of_topic(struct db *db, struct arena *a, int64_t topic_id,
                                          const char *status, struct nomination_row **rows,
                                          size_t *n);
/* Accepts or declines a pending nomination (DB_DONE when it is no longer pending). */
enum db_result store_nomination_review(struct db *db, int64_t id, const char *status,
                                       const char *note, int64_t user_id, int64_t now);
/* Whether the nominee (kind and id) is already nominated (and not declined) in the topic. */
enum db_result store_nomination_exists(struct db *db, int64_t topic_id, const char *kind,
                                       int64_t nominee_id, bool *out);
/* A household's region, building name, unit, room and head's name (DB_DONE: none). */
struct household_place {
	const char *region_code, *building, *unit, *room, *head_name;
};
enum db_result store_household_place(struct db *db, struct arena *a, int64_t household_id,
                                     struct household_place *out);
/* A building's region and name (DB_DONE: none). */
enum db_result store_building_place(struct db *db, struct arena *a, int64_t building_id,
                                    const char **region_code, const char **name);

#endif
