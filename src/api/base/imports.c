/* /api/v1/imports: the record of every import (kept for dry runs and refused imports too)
 * and its row-by-row error report, personal to who made it; admins see all. */
#include "api/base/base.h"

#include "core/json.h"
#include "store/base/sweeps.h"

#include <stdlib.h>
#include <string.h>

static json_t *import_json(struct http_req *req, const struct import_row *r)
{
	json_t *o = json_object();
	json_set_int(o, "id", r->id);
	json_set_str(o, "kind", r->kind);
	json_set_str(o, "format", r->format);
	json_set_str(o, "actor", r->actor);
	json_set_time(o, "at", r->at);
	json_set_bool(o, "dry_run", r->dry_run);
	json_set_str(o, "mode", r->mode);
	json_set_str(o, "status", r->status);
	json_set_int(o, "rows", r->rows);
	json_set_int(o, "created", r->created);
	json_set_int(o, "updated", r->updated);
	json_set_int(o, "failed", r->failed);
	json_set_str(o, "error_report",
	             r->failed ? base_import_errors_url(&req->arena, r->id) : NULL);
	return o;
}

void imports_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t before;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &before))
		return;
	struct import_row *rows;
	size_t n;
	/* Imports are personal to who made them; admins see all. */
	int64_t user = api_is_admin(ctx) ? 0 : (ctx->who.user_id ? ctx->who.user_id : -1);
	enum db_result r = store_imports_list(ctx->db, &req->arena, user, before, limit, &rows, &n);
	if (!api_stored(req, r))
		return;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, import_json(req, &rows[i]));
	api_json(req, 200,
	         api_list(items, (int)n == limit
	                             ? arena_printf(&req->arena, "%lld", (long long)rows[n - 1].id)
	                             : NULL));
}

static enum db_result import_load(struct http_req *req, int64_t id, void *out, const char **region,
                                  bool with_errors)
{
	*region = NULL;
	return store_imports_get(api_ctx(req)->db, &req->arena, id, with_errors, out);
}

static enum db_result import_load_plain(struct http_req *req, int64_t id, void *out,
                                        const char **region)
{
	return import_load(req, id, out, region, false);
}

static enum db_result import_load_errors(struct http_req *req, int64_t id, void *out,
                                         const char **region)
{
	return import_load(req, id, out, region, true);
}

/* Imports are personal to who made them; admins see all. */
static bool import_visible(struct http_req *req, const void *obj)
{
	struct api_ctx *ctx = api_ctx(req);
	const struct import_row *r = obj;
	return api_is_admin(ctx) || (r->user_id && r->user_id == ctx->who.user_id);
}

static const struct api_loader import_loader = {
    .what = "导入记录", .load = import_load_plain, .visible = import_visible};
static const struct api_loader import_errors_loader = {
    .what = "导入记录", .load = import_load_errors, .visible = import_visible};

static bool load_import(struct http_req *req, bool with_errors, struct import_row *r)
{
	return api_load(req, with_errors ? &import_errors_loader : &import_loader, r);
}

void imports_get_h(struct http_req *req)
{
	struct import_row r;
	if (load_import(req, false, &r))
		api_json(req, 200, import_json(req, &r));
}

void imports_errors_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	/* A download of an error report is audited, found or not. */
	ctx->audit_action = "import.errors";
	const char *idp = http_param(req, "id");
	ctx->audit_object = arena_printf(&req->arena, "import:%.20s", idp ? idp : "");
	struct import_row r;
	if (!load_import(req, true, &r))
		return;
	ctx->audit_detail =
	    arena_printf(&req->arena, "kind=%s failed=%lld", r.kind, (long long)r.failed);
	const char *text = r.errors ? r.errors : "\xEF\xBB\xBF行号,列,字段,错误代码,说明\r\n";
	size_t len = strlen(text);
	char *body = malloc(len + 1);
	if (!body) {
		api_problem(req, 503, "内存不足");
		return;
	}
	memcpy(body, text, len + 1);
	http_respond(req, 200, "text/csv; charset=utf-8", body, len);
	http_add_header(req, "Content-Disposition",
	                arena_printf(&req->arena, "attachment; filename=\"import-%lld-errors.csv\"",
	                             (long long)r.id));
}
