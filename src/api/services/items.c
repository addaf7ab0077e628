/* /api/v1/service-items: the service catalogue (便民服务事项) — what a community or a street
 * does for residents, the materials to bring and the time limit in working days. Managers
 * over the region publish and edit items; residents list the active items of their
 * community and street (requests.c takes the applications). */
#include "api/services/services.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/region.h"
#include "domain/service_flow.h"
#include "store/platform/regions.h"

#include <stdlib.h>
#include <string.h>

json_t *service_item_json(const struct service_item_row *it)
{
	json_t *o = json_object();
	json_set_int(o, "id", it->id);
	json_set_str(o, "region_code", it->region_code);
	json_set_str(o, "region_name", it->region_name);
	json_set_str(o, "level", it->level);
	json_set_str(o, "name", it->name);
	json_set_str(o, "description", it->description);
	json_t *m = it->materials ? json_loads(it->materials, 0, NULL) : NULL;
	json_object_set_new(o, "materials", json_is_array(m) ? m : json_array());
	if (m && !json_is_array(m))
		json_decref(m);
	json_set_int(o, "time_limit_days", it->time_limit_days);
	json_set_bool(o, "active", it->active);
	json_set_time(o, "created_at", it->created_at);
	json_set_time(o, "updated_at", it->updated_at);
	return o;
}

API_ITEM(item_item, service_item_json)

/* Readers over the item's region, and everyone under it while it is active (a resident of
 * the community reads its items). */
static bool item_seen(struct http_req *req, const void *obj)
{
	const struct service_item_row *it = obj;
	struct api_ctx *ctx = api_ctx(req);
	if (api_reaches(ctx, SERVICE_READERS, it->region_code))
		return true;
	if (!it->active)
		return false;
	for (size_t i = 0; i < ctx->who.ngrants; i++)
		if (region_covers(it->region_code, ctx->who.grants[i].region_code))
			return true;
	return false;
}

API_LOADER(item, "服务事项", 0, item_seen, struct service_item_row, store_service_items_get,
           region_code)

void service_items_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	bool all = false;
	if (!api_query_bool(req, "all", &all))
		return;
	if (api_roles(ctx) & SERVICE_READERS) {
		struct base_page pg;
		if (!base_page_query(req, &pg))
			return;
		struct service_item_row *rows;
		size_t n;
		enum db_result r = store_service_items_walk(ctx->db, &req->arena, &pg.sc, all,
		                                            pg.after, pg.limit, &rows, &n);
		base_respond_page(req, r, rows, n, sizeof *rows,
		                  offsetof(struct service_item_row, region_code), pg.limit,
		                  item_item);
		return;
	}
	/* A resident: the active items of their community and street. */
	int limit;
	int64_t after;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &after))
		return;
	const char *grid = services_resident_grid(ctx);
	if (!grid) {
		api_json(req, 200, api_list(json_array(), NULL));
		return;
	}
	struct service_item_row *rows;
	size_t n;
	enum db_result r =
	    store_service_items_for_grid(ctx->db, &req->arena, grid, after, limit + 1, &rows, &n);
	if (!api_stored(req, r))
		return;
	api_respond_id_page(req, rows, n, sizeof *rows, limit, item_item);
}

/* materials: an array of at most 20 texts of 1–100 characters, as JSON text. */
static const char *read_materials(struct http_req *req, struct api_input *in, bool *present)
{
	json_t *arr = json_object_get(in->body, "materials");
	*present = arr != NULL;
	if (!arr)
		return NULL;
	if (!json_is_array(arr)) {
		in->type_error = true;
		api_field_error(in, "materials", "type", "应为文本数组");
		return NULL;
	}
	if (json_array_size(arr) > 20) {
		api_field_error(in, "materials", "too_many", "材料最多 20 项");
		return NULL;
	}
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		const char *s = json_string_value(v);
		if (!s) {
			in->type_error = true;
			api_field_error(in, "materials", "type", "应为文本数组");
			return NULL;
		}
		size_t len = strlen(s);
		if (len == 0 || len > 300) {
			api_field_error(in, "materials", "length", "每项材料须为 1–100 个字");
			return NULL;
		}
	}
	char *s = json_dumps(arr, JSON_COMPACT);
	if (!s)
		return NULL;
	const char *copy = arena_strdup(&req->arena, s);
	free(s);
	return copy;
}

/* The item's region: one of its level that exists, reached by the caller as a manager. */
static void read_item_region(struct http_req *req, struct api_input *in,
                             struct service_item_row *it)
{
	struct api_ctx *ctx = api_ctx(req);
	it->level = api_string(in, "level", true, 20, NULL);
	it->region_code = api_string(in, "region_code", true, 15, NULL);
	if (it->level && !sreq_level_valid(it->level)) {
		api_field_error(in, "level", "unknown", "层级须为 community 或 street");
		return;
	}
	if (!it->level || !it->region_code)
		return;
	struct region_row reg;
	if (store_regions_get(ctx->db, &req->arena, it->region_code, &reg) != DB_ROW)
		api_field_error(in, "region_code", "unknown", "区域不存在");
	else if ((int)strlen(it->region_code) != sreq_level_code_len(it->level))
		api_field_error(in, "region_code", "level", "区域与事项层级不符");
	else if (!api_reaches(ctx, SERVICE_MANAGERS, it->region_code))
		api_field_error(in, "region_code", "scope", "该区域不在您的管辖范围内");
}

void service_items_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct service_item_row it;
	memset(&it, 0, sizeof it);
	read_item_region(req, &in, &it);
	it.name = api_string(&in, "name", true, 50, NULL);
	it.description = api_string(&in, "description", false, 1000, NULL);
	bool has_materials;
	it.materials = read_materials(req, &in, &has_materials);
	api_int(&in, "time_limit_days", true, 1, SREQ_DAYS_MAX, &it.time_limit_days, NULL);
	bool has_active;
	it.active = true;
	api_bool(&in, "active", &it.active, &has_active);
	if (!api_input_end(req, &in))
		goto out;
	it.created_by = ctx->who.user_id;
	it.created_at = it.updated_at = time_now();
	enum db_result r = store_service_items_insert(ctx->db, &it);
	if (r == DB_CONSTRAINT) {
		api_field_problem(req, "name", "duplicate", "该区域已有同名服务事项");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "service_item:%lld", (long long)it.id);
	store_service_items_get(ctx->db, &req->arena, it.id, &it);
	api_json(req, 201, service_item_json(&it));
out:
	api_input_free(&in);
}

void service_items_get_h(struct http_req *req)
{
	struct service_item_row it;
	if (!item_from_path(req, &it))
		return;
	api_json(req, 200, service_item_json(&it));
}

void service_items_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct service_item_row it;
	if (!item_from_path(req, &it))
		return;
	struct api_input in;
	if (!api_write_begin(req, SERVICE_MANAGERS, it.region_code,
	                     "只有该区域的管理人员可以修改服务事项", &in))
		return;
	bool present;
	const char *s = api_string(&in, "name", false, 50, &present);
	if (present && (!s || !*s))
		api_field_error(&in, "name", "required", "请填写名称");
	else if (s)
		it.name = s;
	s = api_string(&in, "description", false, 1000, &present);
	if (present)
		it.description = s;
	s = read_materials(req, &in, &present);
	if (s)
		it.materials = s;
	api_int(&in, "time_limit_days", false, 1, SREQ_DAYS_MAX, &it.time_limit_days, NULL);
	api_bool(&in, "active", &it.active, NULL);
	if (json_object_get(in.body, "level") || json_object_get(in.body, "region_code"))
		api_field_error(&in, "region_code", "immutable", "服务事项的区域和层级不能修改");
	if (!api_input_end(req, &in))
		goto out;
	it.updated_at = time_now();
	enum db_result r = store_service_items_update(ctx->db, &it);
	if (r == DB_CONSTRAINT) {
		api_field_problem(req, "name", "duplicate", "该区域已有同名服务事项");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "service_item:%lld", (long long)it.id);
	store_service_items_get(ctx->db, &req->arena, it.id, &it);
	api_json(req, 200, service_item_json(&it));
out:
	api_input_free(&in);
}
