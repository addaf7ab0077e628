/* /api/v1/cases/{id}: the case closed loop (事件闭环). A case is visible to whoever holds a
 * role over it; the files beside this one hold the rest of the loop:
 * cases_report.c (POST /cases), cases_list.c (listing, counts), cases_action.c (actions),
 * cases_render.c (the case's JSON and timeline), cases_routing.c (routing, notifications),
 * cases_duplicates.c, cases_track.c (the public tracking page). */
#include "api/api.h"
#include "api/cases/cases.h"
#include "core/json.h"

#include <stdlib.h>
#include <string.h>

unsigned case_roles_for(const struct api_ctx *ctx, const struct case_row *c)
{
	struct case_caller who = {.grants = ctx->who.grants,
	                          .ngrants = ctx->who.ngrants,
	                          .unit = ctx->who.unit,
	                          .user_id = ctx->who.user_id};
	struct case_access acc = {.region_code = c->region_code,
	                          .unit = c->unit,
	                          .reporter_user_id = c->reporter_user_id};
	return case_flow_roles(&who, &acc);
}

/* A case is visible to whoever holds a role over it (departments: their unit's cases,
 * residents: their own reports). */
static bool case_visible(struct http_req *req, const void *obj)
{
	return case_roles_for(api_ctx(req), obj) != 0;
}

API_LOADER(visible_case, "事件", 0, case_visible, struct case_row, store_cases_get, region_code)

/* Loads the case named by the path that the caller may see, or responds 404. */
bool case_from_path(struct http_req *req, struct case_row *c, unsigned *roles)
{
	if (!visible_case_from_path(req, c))
		return false;
	*roles = case_roles_for(api_ctx(req), c);
	return true;
}

void cases_get_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct case_row c;
	unsigned roles;
	if (!case_from_path(req, &c, &roles))
		return;
	bool want_reveal;
	if (!api_query_bool(req, "reveal", &want_reveal))
		return;
	if (want_reveal && !(roles & CASE_REVEALERS)) {
		api_problem(req, 403, "当前角色无权查看完整的个人信息");
		return;
	}
	json_t *o = case_full_json(ctx, &req->arena, &c, roles, want_reveal);
	if (want_reveal) {
		/* The audit entry names whose data was shown: the reporter of this case. */
		json_t *rep = json_object_get(o, "reporter");
		const char *name = json_string_value(json_object_get(rep, "name"));
		json_int_t uid = json_integer_value(json_object_get(rep, "user_id"));
		ctx->audit_action = "case.reveal";
		ctx->audit_object = arena_printf(&req->arena, "case:%lld", (long long)c.id);
		ctx->audit_detail = arena_printf(
		    &req->arena, "reporter of %s%s: %s%s", c.number,
		    c.anonymous ? " (anonymous)" : "",
		    name ? name : (rep && !json_is_null(rep) ? "(no name)" : "(none)"),
		    uid ? arena_printf(&req->arena, " user:%lld", (long long)uid) : "");
	}
	/* A case changes only by actions, each a timeline entry: its version is when it last
	 * changed and how many entries it has. */
	const char *tag = arena_printf(&req->arena, "%lld-%zu", (long long)c.updated_at,
	                               json_array_size(json_object_get(o, "timeline")));
	api_json(req, 200, o);
	api_etag(req, tag);
}
