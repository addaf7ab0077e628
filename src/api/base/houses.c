/* /api/v1/buildings, /api/v1/houses, /api/v1/households: the 房 of 人、房、企.
 * A building hangs below a grid, a house (unit + room) in a building, and a
 * household (户) lives in a house. Houses carry their use (自住, 出租, 群租,
 * 网约房, 住改商, 空置), which sweeps keep current; every change is versioned. */
#include "api/base/base.h"
#include "core/json.h"
#include "core/timeutil.h"

#include <stdlib.h>
#include <string.h>

/* ---- buildings ---- */

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

/* Appends a version of a building or household: before (NULL on create) and after, both
 * snapshots (consumed). */
static enum db_result version_of(struct http_req *req, const char *kind, int64_t id,
                                 const char *action, json_t *before, json_t *after)
{
	enum db_result r = base_version_next(api_ctx(req), kind, id, action, before, after);
	json_decref(before);
	json_decref(after);
	return r;
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
		base_check_grid(api_ctx(req), &req->arena, &in, "region_code", b.region_code,
		                BASE_WRITERS);
	if (!api_input_end(req, &in))
		goto out;
	b.created_at = b.updated_at = time_now();
	enum db_result r = buildings_insert(ctx->db, &b);
	if (r == DB_CONSTRAINT) {
		base_duplicate(req, "name", "该网格内已有同名楼栋");
		goto out;
	}
	if (r == DB_OK)
		r = version_of(req, "building", b.id, "create", NULL, building_snapshot(&b));
	if (r != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	ctx->audit_object = arena_printf(&req->arena, "building:%lld", (long long)b.id);
	api_json(req, 201, building_json(&b));
out:
	api_input_free(&in);
}

void buildings_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *region;
	int limit;
	struct page_after after;
	if (!base_region_param(req, &region) || !api_limit(req, &limit) ||
	    !base_cursor(req, &after))
		return;
	struct scopes sc;
	base_scopes(ctx, BASE_READERS, region, &sc);
	struct building_row *rows;
	size_t n;
	enum db_result r = buildings_list(ctx->db, &req->arena, &sc, after, limit, &rows, &n);
	if (r != DB_OK) {
		api_store_error(req, r);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, building_json(&rows[i]));
	api_json(req, 200,
	         api_list(items, n ? base_next_cursor(&req->arena, n, limit,
	                                              rows[n - 1].region_code, rows[n - 1].id)
	                           : NULL));
}

static enum db_result building_load(struct http_req *req, int64_t id, void *out,
                                    const char **region)
{
	struct building_row *b = out;
	enum db_result r = buildings_get(api_ctx(req)->db, &req->arena, id, b);
	*region = r == DB_ROW ? b->region_code : NULL;
	return r;
}

static const struct api_loader building_loader = {
    .what = "楼栋", .roles = BASE_READERS, .load = building_load};

static bool load_building(struct http_req *req, struct building_row *b)
{
	return api_load(req, &building_loader, b);
}

void buildings_get_h(struct http_req *req)
{
	struct building_row b;
	if (load_building(req, &b))
		api_json(req, 200, building_json(&b));
}

static json_t *household_json(const struct household_row *h);

/* Every household of a building in one answer (unit, room order), with where it lives and
 * who heads it: what a picker of neighbour households needs without a request per house. */
void buildings_households_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct building_row b;
	if (!load_building(req, &b))
		return;
	struct building_household *rows;
	size_t n;
	if (households_in_building(ctx->db, &req->arena, b.id, &rows, &n) != DB_OK) {
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
	if (!load_building(req, &b))
		return;
	if (!api_reaches(ctx, BASE_WRITERS, b.region_code)) {
		api_problem(req, 403, "您的角色无权修改该楼栋");
		return;
	}
	struct api_input in;
	if (!api_input_begin(req, &in))
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
	enum db_result r = buildings_update(ctx->db, &b);
	if (r == DB_CONSTRAINT) {
		json_decref(before);
		base_duplicate(req, "name", "该网格内已有同名楼栋");
		goto out;
	}
	if (r == DB_OK)
		r = version_of(req, "building", b.id, "update", before, building_snapshot(&b));
	else
		json_decref(before);
	if (r != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	ctx->audit_object = arena_printf(&req->arena, "building:%lld", (long long)b.id);
	api_json(req, 200, building_json(&b));
out:
	api_input_free(&in);
}

void buildings_history_h(struct http_req *req)
{
	struct building_row b;
	if (!load_building(req, &b))
		return;
	base_history_respond(req, "building", b.id, building_snapshot(&b));
}

/* ---- houses ---- */

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

enum db_result houses_save(struct api_ctx *ctx, struct arena *a, struct house_row *h,
                           const char *action, json_t *before)
{
	int64_t now = time_now();
	h->updated_at = now;
	enum db_result r;
	if (h->id == 0) {
		h->created_at = now;
		r = houses_insert(ctx->db, h);
	} else {
		h->version++;
		r = houses_update(ctx->db, h);
	}
	if (r != DB_OK)
		return r;
	json_t *after = house_snapshot(a, h);
	r = base_version(ctx, "house", h->id, h->version, action, before, after);
	json_decref(after);
	return r;
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
		if (buildings_get(ctx->db, &req->arena, building_id, &b) != DB_ROW)
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
	enum db_result r = houses_save(api_ctx(req), &req->arena, &h, "create", NULL);
	if (r == DB_CONSTRAINT) {
		base_duplicate(req, "room", "该楼栋单元内已有此房号");
		goto out;
	}
	if (r != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	ctx->audit_object = arena_printf(&req->arena, "house:%lld", (long long)h.id);
	api_json(req, 201, house_json(&req->arena, &h));
out:
	api_input_free(&in);
}

void houses_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *region;
	int limit;
	struct page_after after;
	if (!base_region_param(req, &region) || !api_limit(req, &limit) ||
	    !base_cursor(req, &after))
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
	struct scopes sc;
	base_scopes(ctx, BASE_READERS, region, &sc);
	struct house_row *rows;
	size_t n;
	enum db_result r =
	    houses_list(ctx->db, &req->arena, &sc, building_id, use, after, limit, &rows, &n);
	if (r != DB_OK) {
		api_store_error(req, r);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, house_json(&req->arena, &rows[i]));
	api_json(req, 200,
	         api_list(items, n ? base_next_cursor(&req->arena, n, limit,
	                                              rows[n - 1].region_code, rows[n - 1].id)
	                           : NULL));
}

static enum db_result house_load(struct http_req *req, int64_t id, void *out, const char **region)
{
	struct house_row *h = out;
	enum db_result r = houses_get(api_ctx(req)->db, &req->arena, id, h);
	*region = r == DB_ROW ? h->region_code : NULL;
	return r;
}

static const struct api_loader house_loader = {
    .what = "房屋", .roles = BASE_READERS, .load = house_load};

static bool load_house(struct http_req *req, struct house_row *h)
{
	return api_load(req, &house_loader, h);
}

static json_t *household_json(const struct household_row *h)
{
	json_t *o = json_object();
	json_set_int(o, "id", h->id);
	json_set_str(o, "region_code", h->region_code);
	if (h->house_id)
		json_set_int(o, "house_id", h->house_id);
	else
		json_object_set_new(o, "house_id", json_null());
	json_set_str(o, "number", h->number);
	if (h->head_id)
		json_set_int(o, "head_id", h->head_id);
	else
		json_object_set_new(o, "head_id", json_null());
	json_set_time(o, "updated_at", h->updated_at);
	return o;
}

void houses_get_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct house_row h;
	if (!load_house(req, &h))
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
	if (residents_list(ctx->db, &req->arena, &f, &rows, &n) != DB_OK ||
	    households_in_house(ctx->db, &req->arena, h.id, &hh, &nh) != DB_OK) {
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
}

void houses_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct house_row h;
	if (!load_house(req, &h))
		return;
	if (!api_reaches(ctx, BASE_WRITERS, h.region_code)) {
		api_problem(req, 403, "您的角色无权修改该房屋");
		return;
	}
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	json_t *before = house_snapshot(&req->arena, &h);
	read_house(&in, &h);
	if (!api_input_end(req, &in))
		goto out;
	h.verified_at = time_now();
	enum db_result r = houses_save(api_ctx(req), &req->arena, &h, "update", before);
	if (r == DB_CONSTRAINT) {
		base_duplicate(req, "room", "该楼栋单元内已有此房号");
		goto out;
	}
	if (r != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	ctx->audit_object = arena_printf(&req->arena, "house:%lld", (long long)h.id);
	api_json(req, 200, house_json(&req->arena, &h));
out:
	json_decref(before);
	api_input_free(&in);
}

void houses_history_h(struct http_req *req)
{
	struct house_row h;
	if (!load_house(req, &h))
		return;
	base_history_respond(req, "house", h.id, NULL);
}

/* ---- households ---- */

json_t *household_snapshot(const struct household_row *h)
{
	json_t *o = household_json(h);
	json_object_del(o, "updated_at");
	return o;
}

/* head_id names an active resident of the same grid the caller reaches who is a member of
 * the household or lives in its house; *head is that resident. A resident of the house who is
 * not yet a member becomes one with the head (join_household), in the same transaction. */
static bool check_head(struct http_req *req, struct api_input *in, int64_t head_id,
                       const struct household_row *hh, struct resident_row *head)
{
	struct api_ctx *ctx = api_ctx(req);
	if (residents_get(ctx->db, &req->arena, head_id, head) != DB_ROW ||
	    !api_reaches(ctx, BASE_READERS, head->region_code) ||
	    strcmp(head->region_code, hh->region_code) != 0) {
		api_field_error(in, "head_id", "unknown", "户主须为本网格的居民");
		return false;
	}
	bool member = hh->id && head->household_id == hh->id;
	bool housemate = hh->house_id && head->house_id == hh->house_id;
	if (strcmp(head->status, "active") != 0 || !(member || housemate)) {
		api_field_error(in, "head_id", "not_member",
		                "户主须为本户成员或居住在本户房屋的在册居民");
		return false;
	}
	return true;
}

/* The new head becomes a member of the household with the relation 户主 (a versioned change of
 * the resident, when there is one to make); a former head of the same household who is still
 * recorded as 户主 loses that relation (their relation to the new head is not known). */
static enum db_result make_head(struct http_req *req, struct resident_row *head,
                                int64_t household_id, int64_t old_head_id)
{
	struct api_ctx *ctx = api_ctx(req);
	enum db_result r = DB_OK;
	struct resident_row old;
	if (old_head_id && old_head_id != head->id &&
	    residents_get(ctx->db, &req->arena, old_head_id, &old) == DB_ROW &&
	    old.household_id == household_id && old.relation && strcmp(old.relation, "head") == 0) {
		json_t *before = resident_snapshot(&req->arena, &old);
		old.relation = NULL;
		r = residents_save(api_ctx(req), &req->arena, &old, "update", before);
		json_decref(before);
	}
	bool is_head = head->relation && strcmp(head->relation, "head") == 0;
	if (r != DB_OK || (head->household_id == household_id && is_head))
		return r;
	/* Leaving a household they headed leaves it without a head, not with an outsider. */
	struct household_row left;
	if (head->household_id && head->household_id != household_id &&
	    households_get(ctx->db, &req->arena, head->household_id, &left) == DB_ROW &&
	    left.head_id == head->id) {
		json_t *was = household_snapshot(&left);
		left.head_id = 0;
		left.updated_at = time_now();
		r = households_update(ctx->db, &left);
		if (r == DB_OK)
			r = version_of(req, "household", left.id, "update", was,
			               household_snapshot(&left));
		else
			json_decref(was);
		if (r != DB_OK)
			return r;
	}
	json_t *before = resident_snapshot(&req->arena, head);
	head->household_id = household_id;
	head->relation = "head";
	r = residents_save(api_ctx(req), &req->arena, head, "update", before);
	json_decref(before);
	return r;
}

void households_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct household_row hh;
	struct resident_row head;
	memset(&hh, 0, sizeof hh);
	api_int(&in, "house_id", true, 1, INT64_MAX, &hh.house_id, NULL);
	hh.number = api_string(&in, "number", false, 32, NULL);
	api_int(&in, "head_id", false, 1, INT64_MAX, &hh.head_id, NULL);
	struct house_row h;
	if (hh.house_id > 0) {
		if (houses_get(ctx->db, &req->arena, hh.house_id, &h) != DB_ROW)
			api_field_error(&in, "house_id", "unknown", "房屋不存在");
		else if (!api_reaches(ctx, BASE_WRITERS, h.region_code))
			api_field_error(&in, "house_id", "scope", "该房屋超出您的管辖范围");
		else {
			hh.region_code = h.region_code;
			if (hh.head_id)
				check_head(req, &in, hh.head_id, &hh, &head);
		}
	}
	if (!api_input_end(req, &in))
		goto out;
	hh.created_at = hh.updated_at = time_now();
	enum db_result r = households_insert(ctx->db, &hh);
	if (r == DB_OK && hh.head_id)
		r = make_head(req, &head, hh.id, 0);
	if (r == DB_OK)
		r = version_of(req, "household", hh.id, "create", NULL, household_snapshot(&hh));
	if (r != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	ctx->audit_object = arena_printf(&req->arena, "household:%lld", (long long)hh.id);
	api_json(req, 201, household_json(&hh));
out:
	api_input_free(&in);
}

static enum db_result household_load(struct http_req *req, int64_t id, void *out,
                                     const char **region)
{
	struct household_row *hh = out;
	enum db_result r = households_get(api_ctx(req)->db, &req->arena, id, hh);
	*region = r == DB_ROW ? hh->region_code : NULL;
	return r;
}

static const struct api_loader household_loader = {
    .what = "户", .roles = BASE_READERS, .load = household_load};

static bool load_household(struct http_req *req, struct household_row *hh)
{
	return api_load(req, &household_loader, hh);
}

void households_get_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct household_row hh;
	if (!load_household(req, &hh))
		return;
	json_t *o = household_json(&hh);
	struct resident_filter f;
	memset(&f, 0, sizeof f);
	f.scopes.n = 1;
	f.scopes.prefix[0] = hh.region_code;
	f.household_id = hh.id;
	f.limit = 200;
	struct resident_row *rows;
	size_t n;
	if (residents_list(ctx->db, &req->arena, &f, &rows, &n) != DB_OK) {
		json_decref(o);
		api_store_error(req, DB_ERROR);
		return;
	}
	json_t *members = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(members, resident_json(ctx, &req->arena, &rows[i], false));
	json_object_set_new(o, "members", members);
	api_json(req, 200, o);
}

void households_history_h(struct http_req *req)
{
	struct household_row hh;
	if (!load_household(req, &hh))
		return;
	base_history_respond(req, "household", hh.id, household_snapshot(&hh));
}

void households_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct household_row hh;
	if (!load_household(req, &hh))
		return;
	if (!api_reaches(ctx, BASE_WRITERS, hh.region_code)) {
		api_problem(req, 403, "您的角色无权修改该户");
		return;
	}
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	bool has_number, has_head;
	const char *number = api_string(&in, "number", false, 32, &has_number);
	int64_t head = 0;
	api_int(&in, "head_id", false, 0, INT64_MAX, &head, &has_head);
	struct resident_row head_row;
	if (has_head && head > 0)
		check_head(req, &in, head, &hh, &head_row);
	if (!api_input_end(req, &in))
		goto out;
	json_t *before = household_snapshot(&hh);
	int64_t old_head = hh.head_id;
	if (has_number)
		hh.number = number;
	if (has_head)
		hh.head_id = head;
	hh.updated_at = time_now();
	enum db_result r = households_update(ctx->db, &hh);
	if (r == DB_OK && has_head && head > 0)
		r = make_head(req, &head_row, hh.id, old_head);
	if (r == DB_OK)
		r = version_of(req, "household", hh.id, "update", before, household_snapshot(&hh));
	else
		json_decref(before);
	if (r != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	ctx->audit_object = arena_printf(&req->arena, "household:%lld", (long long)hh.id);
	api_json(req, 200, household_json(&hh));
out:
	api_input_free(&in);
}
