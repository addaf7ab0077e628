/* Deliberation (协商议事), api/deliberation/: topics, their stages, supports and comments
 * (topics.c), meetings (meetings.c), ballots and votes (ballots.c), 民筹/民办/民评 and
 * objections (works.c), the public disclosure page (disclosure.c). */
#ifndef JICENG_API_DELIBERATION_H
#define JICENG_API_DELIBERATION_H

#include "api/base/base.h"
#include "domain/topic_flow.h"
#include "store/deliberation/deliberation.h"

/* Staff who read topics over their region; residents read those of their community. */
#define DELIB_READERS BASE_READERS
/* Who moves a stage (some stage): managers and grid leaders (domain/topic_flow.c). */
#define DELIB_MOVERS (DELIB_MANAGERS | ROLE_BIT(ROLE_GRID_LEADER))
/* The default 公示 period. */
#define DELIB_PUBLIC_DAYS 7

/* Opens a new topic t (title, body, procedure, region set) at its first stage, proposed by the
 * caller, with its first event; t->id set. In the request's transaction. */
enum db_result delib_topic_open(struct http_req *req, struct topic_row *t, int64_t now);

void topics_list_h(struct http_req *req);
void topics_create_h(struct http_req *req);
void topics_get_h(struct http_req *req);
void topics_advance_h(struct http_req *req);
void topics_support_h(struct http_req *req);
void topic_comments_create_h(struct http_req *req);
void topic_comments_hide_h(struct http_req *req);
void topic_meetings_create_h(struct http_req *req);
void topic_meetings_patch_h(struct http_req *req);
void topic_meetings_attend_h(struct http_req *req);
void topic_ballots_create_h(struct http_req *req);
void topic_votes_create_h(struct http_req *req);
void topic_result_get_h(struct http_req *req);
void topic_pledges_create_h(struct http_req *req);
void topic_spending_create_h(struct http_req *req);
void topic_tasks_create_h(struct http_req *req);
void topic_tasks_done_h(struct http_req *req);
void topic_ratings_create_h(struct http_req *req);
void topic_objections_create_h(struct http_req *req);
void disclosures_get_h(struct http_req *req);
/* Selections (评选), selections.c. */
void topic_selection_create_h(struct http_req *req);
void topic_nominations_list_h(struct http_req *req);
void topic_nominations_create_h(struct http_req *req);
void topic_nominations_review_h(struct http_req *req);

/* The community (12 digits) of a resident caller: their linked resident's, else their
 * resident grant's; NULL when none. */
const char *delib_resident_community(struct http_req *req);
/* The topic is seen: staff reading over its region, residents of its community. */
bool delib_topic_seen(struct http_req *req, const void *obj);
/* Loads the topic of path parameter "id" (404 when unseen). */
bool delib_topic_from_path(struct http_req *req, struct topic_row *t);
/* The caller's roles whose grants reach region. */
unsigned delib_roles_over(const struct api_ctx *ctx, const char *region);
/* Topic as JSON; full adds its timeline, comments, meetings, ballots, ledger, tasks, ratings. */
json_t *delib_topic_json(struct http_req *req, const struct topic_row *t, bool full);
/* The ballot as JSON: the result only when closed (or past closes_at, as it will close). */
json_t *delib_ballot_json(struct http_req *req, const struct ballot_row *b, bool with_mine);
/* Counts the ballot's votes into b (cast, counts JSON, quorum_met, passed). */
enum db_result delib_ballot_count(struct db *db, struct arena *a, struct ballot_row *b);
/* Closes the open ballot b now: counts, freezes the result, drops a secret ballot's links. */
enum db_result delib_ballot_close(struct db *db, struct arena *a, struct ballot_row *b,
                                  int64_t now);
/* The topic's latest ballot: DB_ROW, DB_DONE (none). */
enum db_result delib_latest_ballot(struct db *db, struct arena *a, int64_t topic_id,
                                   struct ballot_row *out);
/* Closes the ballots whose closes_at has come, in its own write transaction on db (the
 * outbox sender's connection); how many. Two nodes: the second finds them closed. */
size_t delib_close_due(struct db *db, int64_t now);
/* Ledger totals and ratings as JSON (shared with the disclosure page). */
json_t *delib_ledger_json(struct http_req *req, const struct topic_row *t, bool items);
json_t *delib_ratings_json(struct http_req *req, int64_t topic_id);

#endif
