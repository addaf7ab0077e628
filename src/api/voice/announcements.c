/* /api/v1/announcements: news (社区资讯) staff publish for a region from a publish date on.
 * Residents see those published for their grid, community and the regions above; reading
 * one (GET by id) records the read, and staff see how many residents read each. */
#include "api/voice/voice.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/region.h"
#include "store/platform/regions.h"

#include <string.h>

/* The grid of the caller's first resident grant, or NULL. */
static const char *resident_grid(const struct api_ctx *ctx)
{
	for (size_t i = 0; i < ctx->who.ngrants; i++)
		if (ctx->who.grants[i].role == ROLE_RESIDENT && ctx->who.grants[i].region_code[0])
			return ctx->who.grants[i].region_code;
	return NULL;
}

static bool staff_over(const struct api_ctx *ctx, const struct announcement_row *n)
{
	return api_reaches(ctx, ANNOUNCE_READERS, n->region_code);
}

static json_t *announcement_json(const struct announcement_row *n, bool staff, bool body)
{
	json_t *o = json_object();
	json_set_int(o, "id", n->id);
	json_set_str(o, "region_code", n->region_code);
	json_set_str(o, "region_name", n->region_name);
	json_set_str(o, "title", n->title);
	if (body)
		json_set_str(o, "body", n->body);
	json_set_time(o, "publish_at", n->publish_at);
	json_set_time(o, "created_at", n->created_at);
	if (staff) {
		json_set_int(o, "reads", n->reads);
		json_set_bool(o, "published", n->publish_at <= time_now());
	} else {
		json_set_bool(o, "read", n->read_at > 0);
	}
	return o;
}

static json_t *staff_item(struct http_req *req, const void *row)
{
	(void)req;
	return announcement_json(row, true, false);
}

static json_t *resident_item(struct http_req *req, const void *row)
{
	(void)req;
	return announcement_json(row, false, false);
}

void announcements_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	if (api_roles(ctx) & ANNOUNCE_READERS) {
		struct base_page pg;
		if (!base_page_query(req, &pg))
			return;
		struct announcement_row *rows;
		size_t n;
		enum db_result r = store_announcements_walk(ctx->db, &req->arena, &pg.sc, pg.after,
		                                            pg.limit, &rows, &n);
		base_respond_page(req, r, rows, n, sizeof *rows,
		                  offsetof(struct announcement_row, region_code), pg.limit,
		                  staff_item);
		return;
	}
	/* A resident: the published ones of their grid and the regions above, newest first. */
	int limit;
	int64_t before;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &before))
		return;
	const char *grid = resident_grid(ctx);
	if (!grid) {
		api_json(req, 200, api_list(json_array(), NULL));
		return;
	}
	struct announcement_row *rows;
	size_t n;
	enum db_result r = store_announcements_for_grid(
	    ctx->db, &req->arena, grid, time_now(), ctx->who.user_id, before, limit + 1, &rows, &n);
	if (!api_stored(req, r))
		return;
	api_respond_id_page(req, rows, n, sizeof *rows, limit, resident_item);
}

void announcements_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct announcement_row n;
	memset(&n, 0, sizeof n);
	n.region_code = api_string(&in, "region_code", true, 15, NULL);
	n.title = api_string(&in, "title", true, 100, NULL);
	n.body = api_string(&in, "body", true, 5000, NULL);
	const char *publish = api_string(&in, "publish_at", false, 40, NULL);
	int64_t now = time_now();
	n.publish_at = now;
	if (publish && !time_parse(publish, &n.publish_at))
		api_field_error(&in, "publish_at", "format", "时间须为带时区的 RFC 3339 格式");
	struct region_row reg;
	if (n.region_code) {
		if (store_regions_get(ctx->db, &req->arena, n.region_code, &reg) != DB_ROW)
			api_field_error(&in, "region_code", "unknown", "区域不存在");
		else if (!api_reaches(ctx, ANNOUNCE_WRITERS, n.region_code))
			api_field_error(&in, "region_code", "scope", "该区域不在您的管辖范围内");
	}
	if (!api_input_end(req, &in))
		goto out;
	n.created_by = ctx->who.user_id;
	n.created_at = n.updated_at = now;
	enum db_result r = store_announcements_insert(ctx->db, &n);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "announcement:%lld", (long long)n.id);
	r = store_announcements_get(ctx->db, &req->arena, n.id, 0, &n);
	if (api_stored(req, r == DB_ROW ? DB_OK : r))
		api_json(req, 201, announcement_json(&n, true, true));
out:
	api_input_free(&in);
}

static enum db_result announcement_load(struct http_req *req, int64_t id, void *out,
                                        const char **region)
{
	(void)region;
	return store_announcements_get(api_ctx(req)->db, &req->arena, id, api_ctx(req)->who.user_id,
	                               out);
}

/* Staff over its region; a resident under it once it is published. */
static bool announcement_visible(struct http_req *req, const void *obj)
{
	const struct api_ctx *ctx = api_ctx(req);
	const struct announcement_row *n = obj;
	if (staff_over(ctx, n))
		return true;
	const char *grid = resident_grid(ctx);
	return grid && n->publish_at <= time_now() && region_covers(n->region_code, grid);
}

static const struct api_loader announcement_loader = {
    .what = "资讯",
    .load = announcement_load,
    .visible = announcement_visible,
};

/* Runs without an enclosing transaction (HTTP_RAW): a resident's read is recorded in a short
 * write of its own. */
void announcements_get_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct announcement_row n;
	if (!api_load(req, &announcement_loader, &n))
		return;
	bool staff = staff_over(ctx, &n);
	if (!staff && !n.read_at && ctx->who.user_id) {
		enum db_result r = db_begin_write(ctx->db);
		if (r == DB_OK)
			r = store_announcements_read(ctx->db, n.id, ctx->who.user_id, time_now());
		if (r == DB_OK)
			r = db_commit(ctx->db);
		if (r != DB_OK) {
			db_rollback(ctx->db);
			api_store_error(req, r);
			return;
		}
		n.read_at = time_now();
	}
	api_json(req, 200, announcement_json(&n, staff, true));
}
