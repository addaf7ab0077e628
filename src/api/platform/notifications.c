/* /api/v1/notifications: the in-app inbox — what awaits the caller, addressed
 * to them personally or to one of their roles within their regions. */
#include "api/api.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "store/cases/cases.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static json_t *note_json(const struct notification_row *n)
{
	json_t *o = json_object();
	json_set_int(o, "id", n->id);
	json_set_str(o, "kind", n->kind);
	json_set_str(o, "title", n->title);
	json_set_str(o, "body", n->body);
	if (n->case_id)
		json_set_int(o, "case_id", n->case_id);
	else
		json_object_set_new(o, "case_id", json_null());
	json_set_time(o, "created_at", n->created_at);
	json_set_time(o, "read_at", n->read_at);
	return o;
}

/* Whether notification n is addressed to the caller. */
static bool addressed_to(const struct api_ctx *ctx, const struct notification_row *n)
{
	if (n->user_id)
		return n->user_id == ctx->who.user_id;
	for (size_t i = 0; i < ctx->who.ngrants; i++) {
		const struct grant *g = &ctx->who.grants[i];
		if (n->role && strcmp(role_code(g->role), n->role) == 0 &&
		    region_covers(g->region_code, n->region_code ? n->region_code : "") &&
		    (!n->unit || g->role != ROLE_DEPARTMENT || strcmp(n->unit, ctx->who.unit) == 0))
			return true;
	}
	return false;
}

API_ITEM(note_item, note_json)
_Static_assert(offsetof(struct notification_row, id) == 0, "the page cursor reads the id first");

void notifications_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t before;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &before))
		return;
	/* One index range per target (the user, then each grant), merged newest first. */
	size_t cap = (size_t)(limit + 1) * (ctx->who.ngrants + 1), total = 0;
	struct notification_row *all = arena_alloc(&req->arena, sizeof(*all) * cap);
	for (size_t t = 0; t <= ctx->who.ngrants; t++) {
		struct notification_row *rows;
		size_t n;
		const struct grant *g = t ? &ctx->who.grants[t - 1] : NULL;
		enum db_result r = store_notifications_for(
		    ctx->db, &req->arena, ctx->who.user_id, g ? role_code(g->role) : NULL,
		    g ? g->region_code : NULL,
		    g && g->role == ROLE_DEPARTMENT ? ctx->who.unit : NULL, before, limit + 1,
		    &rows, &n);
		if (!api_stored(req, r))
			return;
		if (!t && !ctx->who.user_id)
			n = 0;
		total = api_rows_merge(all, total, rows, n, sizeof *rows);
	}
	api_rows_newest_first(all, total, sizeof *all);
	api_respond_id_page(req, all, total, sizeof *all, limit, note_item);
}

/* A notification is the addressee's alone: someone else's answers like an unknown one. */
static bool note_visible(struct http_req *req, const void *obj)
{
	return addressed_to(api_ctx(req), obj);
}

API_LOADER(note, "通知", 0, note_visible, struct notification_row, store_notifications_get,
           region_code)

void notifications_read_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct notification_row n;
	if (!note_from_path(req, &n))
		return;
	int64_t id = n.id;
	enum db_result r = store_notifications_mark_read(ctx->db, id, time_now());
	if (!api_stored(req, r))
		return;
	store_notifications_get(ctx->db, &req->arena, id, &n);
	api_json(req, 200, note_json(&n));
}
