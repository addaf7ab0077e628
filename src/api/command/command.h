/* The command platform's handlers (api/command/): the dashboard, campaigns (专项整治) with
 * their three lists, and joint meetings (联席会议). */
#ifndef JICENG_API_COMMAND_H
#define JICENG_API_COMMAND_H

#include "api/api.h"

/* Whose dashboards: the staff who read every case of their regions (departments read only
 * their unit's cases and residents their own reports: their home is their list). */
#define DASHBOARD_ROLES                                                                            \
	(ROLES_MANAGERS | ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_GRID_LEADER) |                 \
	 ROLE_BIT(ROLE_GRID_WORKER))

void dashboard_get_h(struct http_req *req);
void dashboard_events_h(struct http_req *req);
/* The region of a dashboard request: ?region= when the caller's dashboard grants reach it
 * (400/403 otherwise), else their first dashboard grant's (admin: the one top region); NULL
 * after answering the error. */
const char *dashboard_region(struct http_req *req);

/* Indicators (考核评价; indicators.c, indicator_values.c, indicator_figures.c): read by the
 * dashboard's staff, defined by an admin, manual figures entered and approved by managers. */
void indicators_list_h(struct http_req *req);
void indicators_create_h(struct http_req *req);
void indicators_patch_h(struct http_req *req);
void indicators_values_h(struct http_req *req);
struct indicator_row;
/* Answers with the values o (taken) of indicator ind for the region named region_name as a
 * PDF (indicator_values_pdf.c). */
void indicator_values_pdf(struct http_req *req, const struct indicator_row *ind,
                          const char *region_name, json_t *o);
void indicator_figures_list_h(struct http_req *req);
void indicator_figures_create_h(struct http_req *req);
void indicator_figures_get_h(struct http_req *req);
void indicator_figures_patch_h(struct http_req *req);
void indicator_figures_approve_h(struct http_req *req);

/* Callbacks (回访抽查) and satisfaction surveys (满意度测评; callbacks.c, surveys.c): drawn
 * and worked by street and district staff and supervisors within their scope. */
#define CALLBACK_STAFF                                                                             \
	(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_DISTRICT) | ROLE_BIT(ROLE_STREET) |                  \
	 ROLE_BIT(ROLE_SUPERVISOR))
void callback_samples_list_h(struct http_req *req);
void callback_samples_create_h(struct http_req *req);
void callback_samples_get_h(struct http_req *req);
void callback_items_record_h(struct http_req *req);
void surveys_list_h(struct http_req *req);
void surveys_create_h(struct http_req *req);
void surveys_get_h(struct http_req *req);
void surveys_respond_h(struct http_req *req);
void surveys_results_h(struct http_req *req);
/* A resident's own surveys (their linked household sampled) and answers. */
void me_surveys_list_h(struct http_req *req);
void me_surveys_respond_h(struct http_req *req);
/* Shared by callbacks.c and surveys.c. The month [from, to) of YYYYMM in UTC seconds. */
void callbacks_month_range(int month, int64_t *from, int64_t *to);
/* The seed field (integer ≥ 0 or digits; absent: random, below 2^53) as decimal text; NULL
 * after recording a field error. */
const char *callbacks_read_seed(struct http_req *req, struct api_input *in, uint64_t *seed);
/* The region_code field: an existing region reached with one of roles (else a field error). */
const char *callbacks_read_region(struct http_req *req, struct api_input *in, unsigned roles);
/* The period field "YYYY-MM" as YYYYMM (0 after a field error). */
int callbacks_read_period(struct api_input *in);
json_t *callbacks_period_json(int64_t period);
/* The margin of error at 95 % of x of n out of N (null when n is 0). */
json_t *callbacks_margin_json(int64_t x, int64_t n, int64_t N);

/* Campaigns and meetings: read and worked by the dashboard's staff, made and ticked off by
 * managers (the same sets as domain/campaign_flow.h's CAMPAIGN_WORKERS and _MANAGERS). */
#define CAMPAIGN_READERS DASHBOARD_ROLES
#define CAMPAIGN_WRITERS ROLES_MANAGERS
/* An item is also read and reported done by the department whose unit owns it. */
#define CAMPAIGN_ITEM_READERS (CAMPAIGN_READERS | ROLE_BIT(ROLE_DEPARTMENT))

/* Recurring problems: read by managers and supervisors (the dashboard's overseers), taken up
 * into a campaign by managers (CAMPAIGN_WRITERS). */
#define RECURRING_READERS (ROLES_MANAGERS | ROLE_BIT(ROLE_SUPERVISOR))
void recurring_list_h(struct http_req *req);
void recurring_get_h(struct http_req *req);
void recurring_campaign_item_h(struct http_req *req);
void recurring_topic_h(struct http_req *req);

/* ---- campaigns and meetings (campaigns.c, campaigns_items.c, meetings.c) ---- */
struct campaign_row;
struct api_input;
void campaigns_list_h(struct http_req *req);
void campaigns_create_h(struct http_req *req);
void campaigns_get_h(struct http_req *req);
void campaigns_patch_h(struct http_req *req);
void campaigns_progress_h(struct http_req *req);
void campaigns_items_list_h(struct http_req *req);
void campaigns_items_create_h(struct http_req *req);
void campaign_items_get_h(struct http_req *req);
void campaign_items_action_h(struct http_req *req);
void campaign_items_mine_h(struct http_req *req);
void meetings_list_h(struct http_req *req);
void meetings_create_h(struct http_req *req);
void meetings_get_h(struct http_req *req);
void meetings_decision_item_h(struct http_req *req);
void meetings_decision_case_h(struct http_req *req);

/* Whether the caller sees an object of a campaign or meeting at region: a grant with one of
 * the campaign roles reaches it, or lies under it (a grid worker sees the street's campaign
 * and the items of their own grid in it). */
bool campaign_region_visible(const struct api_ctx *ctx, const char *region);
/* Loads the campaign named by path parameter param (visible to the caller) into out; false
 * after responding 404 or 503. */
bool campaign_from_param(struct http_req *req, const char *param, struct campaign_row *out);
/* Where the caller's view of a campaign at region lies: the region itself when they reach it,
 * else their grants under it (at most 16); the count. */
size_t campaign_scopes(struct http_req *req, const char *region, const char **out);
/* Whether ?region=region names a region inside campaign c that the caller reaches; false
 * after responding 400 (not a region code under c's) or 403. */
bool campaign_region_query(struct http_req *req, const struct campaign_row *c, const char *region);
/* The region keys of the campaigns and meetings a caller sees: for each grant with a campaign
 * role, its subtree (exact false) and each ancestor exactly (exact true: a grid worker sees
 * the street's campaign). out holds at least USER_MAX_GRANTS * 4; the count. */
struct campaign_key {
	const char *prefix;
	bool exact;
};
size_t campaign_keys(struct http_req *req, struct campaign_key *out);
/* Makes an item of campaign c from the input (list, region_code, title, owner_unit,
 * owner_user_id, deadline, photos, and source unless source_kind is given), answers 201 with
 * it or the error, and frees nothing (the caller ends the input). */
void campaign_item_create(struct http_req *req, struct api_input *in, const struct campaign_row *c,
                          const char *source_kind, int64_t source_id, int64_t source_n,
                          const char *title);

/* Ranking schemes (考核方案; ranking_schemes.c, rankings.c): read by managers (community staff
 * too, within their scope), written, adjusted and published by managers above the ranked
 * level (admin, district, street). */
#define RANKING_READERS  ROLES_MANAGERS
#define RANKING_MANAGERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_DISTRICT) | ROLE_BIT(ROLE_STREET))
struct scheme_row;
struct adjustment_row;
void ranking_schemes_list_h(struct http_req *req);
void ranking_schemes_create_h(struct http_req *req);
void ranking_schemes_get_h(struct http_req *req);
void ranking_schemes_patch_h(struct http_req *req);
void ranking_adjustments_list_h(struct http_req *req);
void ranking_adjustments_create_h(struct http_req *req);
void ranking_adjustments_approve_h(struct http_req *req);
void rankings_get_h(struct http_req *req);
void rankings_publish_h(struct http_req *req);
void rankings_published_h(struct http_req *req);
void rankings_export_h(struct http_req *req);
/* Answers with the ranking o (live or published; taken) as a workbook or, pdf true, a PDF
 * (rankings_export.c). */
void ranking_export_send(struct http_req *req, json_t *o, bool pdf);
/* Puts the rows (row i's total is totals[i], ids[i] names it in ties and lists: taken) in rank
 * order into o's "items", each with "rank", "tie_with" and "list", and o's "red" and "black"
 * (the top best and worst, domain/ranking.c); placed false: one's own rows, without a place
 * (rank and list null, no ties) (ranking_rows.c). */
void ranking_rows_json(struct arena *ar, json_t **rows, const double *totals, json_t **ids,
                       size_t n, int top, bool placed, json_t *o);

/* Grid worker assessment (网格员考核; worker_assessments.c): overseers (managers, supervisors,
 * grid leaders) read the grid workers under their regions; a grid worker reads their own row. */
#define WORKER_ASSESSMENT_OVERSEERS                                                                \
	(ROLES_MANAGERS | ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_GRID_LEADER))
#define WORKER_ASSESSMENT_READERS (WORKER_ASSESSMENT_OVERSEERS | ROLE_BIT(ROLE_GRID_WORKER))
void worker_assessments_list_h(struct http_req *req);
void worker_assessments_export_h(struct http_req *req);
void worker_assessments_records_h(struct http_req *req);
/* Whether a scheme (or item) at region concerns the caller: a reader grant reaches it or lies
 * under it. */
bool ranking_visible(const struct api_ctx *ctx, const char *region);
/* Loads scheme id visible to the caller; false after 404 (403 for a write naming a scheme
 * outside the caller's scope) or 503. */
bool ranking_scheme_load(struct http_req *req, int64_t id, bool write, struct scheme_row *out);
json_t *ranking_scheme_json(const struct scheme_row *s);
json_t *ranking_adjustment_json(const struct adjustment_row *a);
/* "YYYY-MM" → YYYYMM, "YYYY" → YYYY00 (the year's own items); false otherwise. */
bool ranking_period_key(const char *s, int64_t *key);
void ranking_period_text(int64_t key, char out[8]);
/* The ranking of scheme s for the regions under parent in period ("YYYY-MM" or "YYYY") as of
 * now (the api's answer, used by the demo to publish); NULL with *err on failure. */
json_t *ranking_compute(struct db *db, struct arena *a, const struct scheme_row *s,
                        const char *parent, const char *period, int64_t now, enum db_result *err);

/* The regions a list of callback samples or surveys reads: ?region= (400 when not a region
 * code, 403 beyond the caller's callback reach), else every region the caller holds a callback
 * role in (an admin: all). False after answering. */
struct scopes;
bool callback_list_scopes(struct http_req *req, struct scopes *sc);

#endif
