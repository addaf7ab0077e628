/* Volunteers (志愿服务) and field logs (民情走访, 巡查), api/volunteers/: teams and members
 * (teams.c), activities, sign-ups with the waiting list, check-in and confirmed hours
 * (activities.c), the hours and points ledger, the per-person record and its certificate
 * (ledger.c), and the grid workers' field logs with their monthly view (field_logs.c). */
#ifndef JICENG_API_VOLUNTEERS_H
#define JICENG_API_VOLUNTEERS_H

#include "api/base/base.h"
#include "store/volunteers/volunteers.h"

/* Staff who put residents on teams and activities, cancel for them and spend points. */
#define VOL_STAFF BASE_WRITERS
/* Staff who read teams, activities and the records of the people under their regions. */
#define VOL_READERS BASE_READERS
/* Who creates teams and activities and confirms hours (the organisers): managers. */
#define VOL_ORGANISERS ROLES_MANAGERS
/* Who writes field logs, and who reads other workers' logs (grid leaders and above). */
#define FIELD_WRITERS   BASE_WRITERS
#define FIELD_OVERSEERS (ROLES_MANAGERS | ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_GRID_LEADER))

void vol_teams_list_h(struct http_req *req);
void vol_teams_create_h(struct http_req *req);
void vol_teams_get_h(struct http_req *req);
void vol_members_create_h(struct http_req *req);
void vol_members_leave_h(struct http_req *req);
void vol_activities_list_h(struct http_req *req);
void vol_activities_create_h(struct http_req *req);
void vol_activities_get_h(struct http_req *req);
void vol_signups_create_h(struct http_req *req);
void vol_signups_cancel_h(struct http_req *req);
void vol_checkin_h(struct http_req *req);
void vol_hours_h(struct http_req *req);
void vol_ledger_list_h(struct http_req *req);
void vol_ledger_spend_h(struct http_req *req);
void vol_records_get_h(struct http_req *req);
void vol_certificate_h(struct http_req *req);
void field_logs_list_h(struct http_req *req);
void field_logs_create_h(struct http_req *req);
void field_logs_get_h(struct http_req *req);
void field_logs_case_h(struct http_req *req);
void field_logs_monthly_h(struct http_req *req);
void field_logs_workers_h(struct http_req *req);

/* ---- shared (teams.c) ---- */
/* The caller's own account as a person. */
void vol_self(struct api_ctx *ctx, struct arena *a, struct vol_person *p);
/* Whether a grant of the caller lies under region or over it (an account that may volunteer
 * there for itself). */
bool vol_near(const struct api_ctx *ctx, const char *region);
/* Whom a membership or sign-up at region is for: {} the caller's own account (one near the
 * region), {"resident_id"} a resident under the region that staff reach (VOL_STAFF). Records
 * field errors ("scope" → 403). */
void vol_read_person(struct http_req *req, struct api_input *in, const char *region,
                     struct vol_person *p);
/* The grid a list of teams or activities "near" the caller is read for: the caller's first
 * grant at a grid when none of their staff grants reaches a community or more (residents,
 * grid workers and leaders, building leaders: they see their community's and street's
 * teams and activities), else NULL (staff who list by their scopes). */
const char *vol_near_grid(const struct api_ctx *ctx);
/* The person a record or ledger query names (?resident_id= or ?user_id=; the caller when
 * neither) and the region it belongs to; false after responding (400, or 404 for a person
 * the caller may not see: only their own for residents, those under their reach for staff). */
bool vol_person_query(struct http_req *req, struct vol_person *p, const char **region);
/* The person's region: a resident's grid, an account's first grant (its resident grant
 * first); NULL when unknown. */
const char *vol_person_region(struct api_ctx *ctx, struct arena *a, const struct vol_person *p);

#endif
