/* /api/v1/houses: the 房 of 人、房、企. A house (unit + room) sits in a building
 * below a grid and carries its use (自住, 出租, 群租, 网约房, 住改商, 空置), which
 * sweeps keep current; every change is versioned. */
#include "api/base/base.h"
#include "core/json.h"
#include "core/timeutil.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

json_t *house_json(struct arena *a, const struct house_row *h)
{
	json_t *o = json_object();
	json_set_int(o, "id", h->id);
	json_set_str(o, "region_code", h->region_code);
	json_set_int(o, "building_id", h->building_id);
	json_set_str(o, "building", h->building_name);
	json_set_str(o, "unit", h->unit);
	json_set_str(o, "room", h->room);
	json_set_str(o, "label",
	             arena_printf(a, "%s%s%s", h->building_name ? h->building_name : "",
	                          h->unit ? h->unit : "", h->room ? h->room : ""));
	json_set_str(o, "address", h->address);
	json_set_str(o, "use", h->use);
	int u = code_lookup(house_use_codes, HOUSE_USE_COUNT, h->use);
	json_set_str(o, "use_name", u >= 0 ? house_use_codes[u].name : NULL);
	if (h->area >= 0)
		json_object_set_new(o, "area", json_real(h->area));
	else
		json_object_set_new(o, "area", json_null());
	json_set_str(o, "note", h->note);
	json_set_int(o, "occupants", h->occupants);
	json_set_time(o, "verified_at", h->verified_at);
	json_set_int(o, "version", h->version);
	json_set_time(o, "created_at", h->created_at);
	json_set_time(o, "updated_at", h->updated_at);
	return o;
}

json_t *house_snapshot(struct arena *a, const struct house_row *h)
{
	json_t *o = house_json(a, h);
	json_object_del(o, "occupants");
	json_object_del(o, "version");
	json_object_del(o, "created_at");
	json_object_del(o, "updated_at");
	json_object_del(o, "verified_at");
	return o;
}

/* Reads the changeable fields of a house into h; use NULL keeps the current one. */
static void read_house(struct api_input *in, struct house_row *h)
{
	bool has;
	const char *unit = api_string(in, "unit", false, 20, &has);
	if (has)
		h->unit = unit ? unit : "";
	bool has_room;
	const char *room = api_string(in, "room", false, 20, &has_room);
	if (room && *room)
		h->room = room;
	else if (has_room)
		api_field_error(in, "room", "required", "房号不能为空");
	const char *address = api_string(in, "address", false, 200, &has);
	if (has)
		h->address = address;
	const char *note = api_string(in, "note", false, 500, &has);
	if (has)
		h->note = note;
	const char *use = api_string(in, "use", false, 32, NULL);
	if (use) {
		int u = code_lookup(house_use_codes, HOUSE_USE_COUNT, use);
		if (u < 0)
			api_field_error(in, "use", "enum",
			                "用途须为 owner_occupied、rented、group_rental、short_let、"
			                "business 或 empty");
		else
			h->use = house_use_codes[u].code;
	}
	json_t *area = json_object_get(in->body, "area");
	if (area && json_is_null(area))
		h->area = -1;
	else if (area && (!json_is_number(area) || json_number_value(area) < 0 ||
	                  json_number_value(area) > 100000))
		api_field_error(in, "area", "range", "面积须为 0–100000 之间的数");
	else if (area)
		h->area = json_number_value(area);
}

enum db_result base_house_save(struct api_ctx *ctx, struct arena *a, struct house_row *h,
                               const char *action, json_t *before)
{
	enum db_result r = base_stamp(h->id, &h->version, &h->created_at, &h->updated_at, NULL)
	                       ? store_houses_insert(ctx->db, h)
	                       : store_houses_update(ctx->db, h);
	if (r != DB_OK)
		return r;
	return base_version_after(ctx, "house", h->id, h->version, action, before,
	                          house_snapshot(a, h));
}

void houses_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct house_row h;
	memset(&h, 0, sizeof h);
	h.area = -1;
	h.use = "owner_occupied";
	h.unit = "";
	int64_t building_id = 0;
	api_int(&in, "building_id", true, 1, INT64_MAX, &building_id, NULL);
	read_house(&in, &h);
	if (!h.room && !json_object_get(in.body, "room"))
		api_field_error(&in, "room", "required", "此项为必填");
	else if (!h.room && json_array_size(in.errors) == 0)
		api_field_error(&in, "room", "required", "房号不能为空");
	struct building_row b;
	if (building_id > 0) {
		/* A building of another grid is out of scope (403), like any target there. */
		if (store_buildings_get(ctx->db, &req->arena, building_id, &b) != DB_ROW)
			api_field_error(&in, "building_id", "unknown", "楼栋不存在");
		else if (!api_reaches(ctx, BASE_WRITERS, b.region_code))
			api_field_error(&in, "building_id", "scope", "该楼栋超出您的管辖范围");
		else {
			h.building_id = b.id;
			h.building_name = b.name;
			h.region_code = b.region_code;
		}
	}
	if (!api_input_end(req, &in))
		goto out;
	h.verified_at = time_now();
	enum db_result r = base_house_save(ctx, &req->arena, &h, "create", NULL);
	if (base_saved(req, r, "room", "该楼栋单元内已有此房号", "house", h.id))
		api_json(req, 201, house_json(&req->arena, &h));
out:
	api_input_free(&in);
}

static json_t *house_item(struct http_req *req, const void *row)
{
	return house_json(&req->arena, row);
}

void houses_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct base_page pg;
	if (!base_page_query(req, &pg))
		return;
	const char *use = http_query(req, "use");
	if (use && *use) {
		int u = code_lookup(house_use_codes, HOUSE_USE_COUNT, use);
		if (u < 0) {
			api_problem(req, 400, "use 不在房屋用途代码表中");
			return;
		}
		use = house_use_codes[u].code;
	}
	int64_t building_id;
	if (!api_query_id(req, "building_id", &building_id))
		return;
	struct house_row *rows;
	size_t n;
	enum db_result r = store_houses_list(ctx->db, &req->arena, &pg.sc, building_id, use,
	                                     pg.after, pg.limit, &rows, &n);
	base_respond_page(req, r, rows, n, sizeof *rows, offsetof(struct house_row, region_code),
	                  pg.limit, house_item);
}

API_LOADER(house, "房屋", BASE_READERS, NULL, struct house_row, store_houses_get, region_code)

void houses_get_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct house_row h;
	if (!house_from_path(req, &h))
		return;
	json_t *o = house_json(&req->arena, &h);
	struct resident_filter f;
	memset(&f, 0, sizeof f);
	f.scopes.n = 1;
	f.scopes.prefix[0] = h.region_code;
	f.house_id = h.id;
	f.status = "";
	f.limit = 200;
	struct resident_row *rows;
	size_t n;
	struct household_row *hh;
	size_t nh;
	if (store_residents_list(ctx->db, &req->arena, &f, &rows, &n) != DB_OK ||
	    store_households_in_house(ctx->db, &req->arena, h.id, &hh, &nh) != DB_OK) {
		json_decref(o);
		api_store_error(req, DB_ERROR);
		return;
	}
	json_t *people = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(people, resident_json(ctx, &req->arena, &rows[i], false));
	json_object_set_new(o, "residents", people);
	json_t *households = json_array();
	for (size_t i = 0; i < nh; i++)
		json_array_append_new(households, household_json(&hh[i]));
	json_object_set_new(o, "households", households);
	api_json(req, 200, o);
	api_etag(req, arena_printf(&req->arena, "%lld", (long long)h.version));
}

void houses_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct house_row h;
	if (!house_from_path(req, &h))
		return;
	struct api_input in;
	if (!api_write_begin(req, BASE_WRITERS, h.region_code, "您的角色无权修改该房屋", &in))
		return;
	if (!api_if_match(req, h.version, house_json(&req->arena, &h))) {
		api_input_free(&in);
		return;
	}
	json_t *before = house_snapshot(&req->arena, &h);
	read_house(&in, &h);
	if (!api_input_end(req, &in))
		goto out;
	h.verified_at = time_now();
	enum db_result r = base_house_save(ctx, &req->arena, &h, "update", before);
	if (base_saved(req, r, "room", "该楼栋单元内已有此房号", "house", h.id))
		api_json(req, 200, house_json(&req->arena, &h));
out:
	json_decref(before);
	api_input_free(&in);
}

void houses_history_h(struct http_req *req)
{
	struct house_row h;
	if (!house_from_path(req, &h))
		return;
	base_history_respond(req, "house", h.id, NULL);
}
