/* /api/v1/buildings: the buildings below a grid (楼栋), each with its houses counted and
 * its households listed for pickers; every change is versioned. */
#include "api/base/base.h"
#include "core/json.h"
#include "core/timeutil.h"

#include <stddef.h>
#include <string.h>

static json_t *building_json(const struct building_row *b)
{
	json_t *o = json_object();
	json_set_int(o, "id", b->id);
	json_set_str(o, "region_code", b->region_code);
	json_set_str(o, "name", b->name);
	json_set_str(o, "address", b->address);
	if (b->floors > 0)
		json_set_int(o, "floors", b->floors);
	else
		json_object_set_new(o, "floors", json_null());
	json_set_int(o, "houses", b->houses);
	json_set_time(o, "updated_at", b->updated_at);
	return o;
}

/* What a building's version rows keep: its own fields, not the count of houses. */
static json_t *building_snapshot(const struct building_row *b)
{
	json_t *o = building_json(b);
	json_object_del(o, "houses");
	json_object_del(o, "updated_at");
	return o;
}

void buildings_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct building_row b;
	memset(&b, 0, sizeof b);
	b.region_code = api_string(&in, "region_code", true, 32, NULL);
	b.name = api_string(&in, "name", true, 50, NULL);
	b.address = api_string(&in, "address", false, 200, NULL);
	api_int(&in, "floors", false, 1, 200, &b.floors, NULL);
	if (b.region_code)
		base_check_grid(ctx, &req->arena, &in, "region_code", b.region_code, BASE_WRITERS);
	if (!api_input_end(req, &in))
		goto out;
	b.created_at = b.updated_at = time_now();
	enum db_result r = store_buildings_insert(ctx->db, &b);
	if (r == DB_CONSTRAINT) {
		base_duplicate(req, "name", "该网格内已有同名楼栋");
		goto out;
	}
	if (r == DB_OK)
		r = base_version_consume(ctx, "building", b.id, "create", NULL,
		                         building_snapshot(&b));
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "building:%lld", (long long)b.id);
	api_json(req, 201, building_json(&b));
out:
	api_input_free(&in);
}

API_ITEM(building_item, building_json)

void buildings_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct base_page pg;
	if (!base_page_query(req, &pg))
		return;
	struct building_row *rows;
	size_t n;
	enum db_result r =
	    store_buildings_list(ctx->db, &req->arena, &pg.sc, pg.after, pg.limit, &rows, &n);
	base_respond_page(req, r, rows, n, sizeof *rows, offsetof(struct building_row, region_code),
	                  pg.limit, building_item);
}

API_LOADER(building, "楼栋", BASE_READERS, NULL, struct building_row, store_buildings_get,
           region_code)

void buildings_get_h(struct http_req *req)
{
	struct building_row b;
	if (building_from_path(req, &b))
		api_json(req, 200, building_json(&b));
}

/* Every household of a building in one answer (unit, room order), with where it lives and
 * who heads it: what a picker of neighbour households needs without a request per house. */
void buildings_households_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct building_row b;
	if (!building_from_path(req, &b))
		return;
	struct building_household *rows;
	size_t n;
	if (store_households_in_building(ctx->db, &req->arena, b.id, &rows, &n) != DB_OK) {
		api_store_error(req, DB_ERROR);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct building_household *r = &rows[i];
		json_t *o = household_json(&r->hh);
		json_set_int(o, "building_id", b.id);
		json_set_str(o, "unit", r->unit);
		json_set_str(o, "room", r->room);
		json_set_str(o, "house_label",
		             arena_printf(&req->arena, "%s%s%s", r->building ? r->building : "",
		                          r->unit ? r->unit : "", r->room ? r->room : ""));
		json_set_str(o, "head_name", r->head_name);
		json_set_int(o, "house_households", r->house_households);
		json_array_append_new(items, o);
	}
	api_json(req, 200, api_list(items, NULL));
}

void buildings_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct building_row b;
	if (!building_from_path(req, &b))
		return;
	struct api_input in;
	if (!api_write_begin(req, BASE_WRITERS, b.region_code, "您的角色无权修改该楼栋", &in))
		return;
	bool has;
	const char *name = api_string(&in, "name", false, 50, NULL);
	const char *address = api_string(&in, "address", false, 200, &has);
	int64_t floors;
	bool has_floors;
	api_int(&in, "floors", false, 0, 200, &floors, &has_floors);
	if (!api_input_end(req, &in))
		goto out;
	json_t *before = building_snapshot(&b);
	if (name && *name)
		b.name = name;
	if (has)
		b.address = address;
	if (has_floors)
		b.floors = floors;
	b.updated_at = time_now();
	enum db_result r = store_buildings_update(ctx->db, &b);
	if (r == DB_CONSTRAINT) {
		json_decref(before);
		base_duplicate(req, "name", "该网格内已有同名楼栋");
		goto out;
	}
	if (r == DB_OK)
		r = base_version_consume(ctx, "building", b.id, "update", before,
		                         building_snapshot(&b));
	else
		json_decref(before);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "building:%lld", (long long)b.id);
	api_json(req, 200, building_json(&b));
out:
	api_input_free(&in);
}

void buildings_history_h(struct http_req *req)
{
	struct building_row b;
	if (!building_from_path(req, &b))
		return;
	base_history_respond(req, "building", b.id, building_snapshot(&b));
}
