/* Projects (民生实事, 老旧小区改造, 政府购买服务): reading, listing, creating and moving them
 * (projects.c), editing them with their milestones and spending (edit.c), and the projects on
 * the public disclosure page (public.c). */
#ifndef JICENG_API_PROJECTS_H
#define JICENG_API_PROJECTS_H

#include "api/api.h"
#include "domain/project_flow.h"
#include "store/projects/projects.h"

void projects_list_h(struct http_req *req);
void projects_export_h(struct http_req *req);
void projects_create_h(struct http_req *req);
void projects_get_h(struct http_req *req);
void projects_patch_h(struct http_req *req);
void projects_action_h(struct http_req *req);
void project_milestones_create_h(struct http_req *req);
void project_milestones_patch_h(struct http_req *req);
void project_spending_create_h(struct http_req *req);

/* Budgets and spending entries: up to 100 billion yuan, in fen. */
#define PROJECT_BUDGET_MAX 10000000000000LL

/* The caller's roles over a project at region with unit responsible: the grants reaching
 * region, a department's only when its unit is the one responsible. Milestone photos are read
 * by the same rule (api/platform/photos.c). */
unsigned project_roles_at(const struct api_ctx *ctx, const char *region, const char *unit);
/* The project of the path's {id} when the caller may read it; false after answering 404. */
bool project_load_path(struct http_req *req, struct project_row *p);
/* The project as lists show it (no milestones, spending or history). */
json_t *project_json(const struct project_row *p);
/* Answers status with the project's detail (milestones, spending, timeline, what the caller
 * may do) and its version as the ETag. */
void project_respond_detail(struct http_req *req, int status, int64_t id);
/* Reads starts_on and ends_on where given (YYYY-MM-DD; null or "" for none) into p, and
 * checks that ends_on is not before starts_on (422). */
void project_read_dates(struct api_input *in, struct project_row *p);
/* The projects disclosed at code or below it, for the public page: no names of people, no
 * user ids, no spending notes, no photos (public.c). */
enum db_result projects_disclosed_json(struct http_req *req, const char *code, json_t **out);

#endif
