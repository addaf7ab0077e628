/* GET /api/v1/audit: the audit trail, newest first (admin only). */
#include "api/api.h"
#include "core/json.h"
#include "store/platform/audit.h"

void audit_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t before;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &before))
		return;
	struct audit_entry *rows;
	size_t n;
	enum db_result r = store_audit_list(ctx->db, &req->arena, before, limit + 1, &rows, &n);
	if (!api_stored(req, r))
		return;
	json_t *items = json_array();
	for (size_t i = 0; i < n && i < (size_t)limit; i++) {
		json_t *o = json_object();
		json_set_int(o, "id", rows[i].id);
		json_set_time(o, "at", rows[i].at);
		if (rows[i].user_id)
			json_set_int(o, "user_id", rows[i].user_id);
		else
			json_object_set_new(o, "user_id", json_null());
		json_set_str(o, "username", rows[i].username);
		json_set_str(o, "action", rows[i].action);
		json_set_str(o, "object", rows[i].object);
		json_set_int(o, "result", rows[i].result);
		json_set_str(o, "ip", rows[i].ip);
		json_set_str(o, "detail", rows[i].detail);
		json_array_append_new(items, o);
	}
	const char *next = n > (size_t)limit
	                       ? arena_printf(&req->arena, "%lld", (long long)rows[limit - 1].id)
	                       : NULL;
	/* Reading the trail is itself on the trail (等保 2.0: the audit records are protected,
	 * and who looked at them is known). */
	ctx->audit_action = "audit.read";
	ctx->audit_object = "audit";
	ctx->audit_detail =
	    arena_printf(&req->arena, "limit=%d%s%s", limit, before ? " before=" : "",
	                 before ? arena_printf(&req->arena, "%lld", (long long)before) : "");
	api_json(req, 200, api_list(items, next));
}
