/* Projects (民生实事, 老旧小区改造, 政府购买服务): api/projects/projects.c. */
#ifndef JICENG_API_PROJECTS_H
#define JICENG_API_PROJECTS_H

#include "api/api.h"
#include "domain/project_flow.h"

void projects_list_h(struct http_req *req);
void projects_export_h(struct http_req *req);
void projects_create_h(struct http_req *req);
void projects_get_h(struct http_req *req);
void projects_action_h(struct http_req *req);
void project_milestones_create_h(struct http_req *req);
void project_milestones_patch_h(struct http_req *req);
void project_spending_create_h(struct http_req *req);

#endif
