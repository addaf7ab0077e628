/* /api/v1/cadres: 下沉干部 and 三官一律 (judges, prosecutors, police officers, lawyers)
 * assigned to a community or as the building leader of a building, with hours served and the
 * "one legal adviser per village" coverage; /api/v1/reception-days: monthly reception days
 * (接待日) that cadres publish in slots and residents of the community book. */
#include "api/party/party.h"
#include "core/timeutil.h"
#include "store/platform/regions.h"
#include "store/platform/users.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CADRE_ROLE ROLE_BIT(ROLE_CADRE)
/* Reception days are published in a community: its staff and its cadres see them. */
#define DAY_STAFF (PARTY_STAFF | CADRE_ROLE)

static json_t *cadre_json(const struct cadre_row *c)
{
	json_t *o = json_object();
	json_set_int(o, "id", c->id);
	json_set_str(o, "name", c->name);
	json_set_str(o, "kind", cadre_kind_code(c->kind));
	json_set_str(o, "kind_name", cadre_kind_name_zh(c->kind));
	json_set_bool(o, "legal", cadre_kind_legal(c->kind));
	json_set_str(o, "unit", c->unit);
	party_set_id(o, "user_id", c->user_id);
	party_set_id(o, "member_id", c->member_id);
	json_set_str(o, "region_code", c->region_code);
	json_set_str(o, "region_name", c->region_name);
	party_set_id(o, "building_id", c->building_id);
	json_set_str(o, "building_name", c->building_name);
	json_set_str(o, "assignment", c->building_id ? "building_leader" : "community");
	json_set_bool(o, "legal_adviser", c->legal_adviser);
	json_set_str(o, "started_on", c->started_on);
	json_set_str(o, "status", c->active ? "active" : "ended");
	party_set_hours(o, "hours_served", c->hours);
	json_set_str(o, "note", c->note);
	json_set_time(o, "created_at", c->created_at);
	json_set_time(o, "updated_at", c->updated_at);
	return o;
}

static enum db_result cadre_load(struct http_req *req, int64_t id, void *out, const char **region)
{
	struct cadre_row *c = out;
	enum db_result r = cadres_get(api_ctx(req)->db, &req->arena, id, c);
	*region = r == DB_ROW ? c->region_code : NULL;
	return r;
}

/* The community's staff see its cadres; a cadre sees their own record. */
static bool cadre_visible(struct http_req *req, const void *obj)
{
	struct api_ctx *ctx = api_ctx(req);
	const struct cadre_row *c = obj;
	return (c->user_id && c->user_id == ctx->who.user_id) ||
	       api_reaches(ctx, PARTY_STAFF, c->region_code);
}

static const struct api_loader cadre_loader = {
    .what = "干部", .load = cadre_load, .visible = cadre_visible};

static bool load_cadre(struct http_req *req, struct cadre_row *c)
{
	return api_load(req, &cadre_loader, c);
}

/* A building for a building-leader assignment: it lies under the cadre's community. */
static void check_building(struct http_req *req, struct api_input *in, int64_t building_id,
                           const char *community, struct party_base_ref *b)
{
	if (party_building_ref(api_ctx(req)->db, &req->arena, building_id, b) != DB_ROW)
		api_field_error(in, "building_id", "unknown", "楼栋不存在");
	else if (community && !region_covers(community, b->region_code))
		api_field_error(in, "building_id", "region", "楼栋须在所派驻的社区内");
}

/* The building-leader duty in the grid service team follows the cadre's assignment. */
static enum db_result sync_team(struct http_req *req, const struct cadre_row *c,
                                const struct party_base_ref *b, int64_t now)
{
	struct api_ctx *ctx = api_ctx(req);
	enum db_result r = team_end_for_cadre(ctx->db, c->id, now);
	if (r != DB_OK || !c->building_id || !c->active)
		return r;
	struct team_member_row t = {.region_code = b->region_code,
	                            .role = TEAM_BUILDING_LEADER,
	                            .name = c->name,
	                            .user_id = c->user_id,
	                            .cadre_id = c->id,
	                            .building_id = c->building_id,
	                            .started_on = c->started_on,
	                            .created_at = now,
	                            .updated_at = now};
	return team_insert(ctx->db, &t);
}

void cadres_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t after;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &after))
		return;
	struct cadre_filter f = {.kind = -1, .after_id = after, .limit = limit + 1};
	bool mine, legal;
	if (!api_query_bool(req, "mine", &mine) || !api_query_bool(req, "legal", &legal))
		return;
	if (mine) {
		f.region = "";
		f.user_id = ctx->who.user_id ? ctx->who.user_id : -1;
	} else if (!party_region_query(req, PARTY_STAFF, true, &f.region)) {
		return;
	}
	const char *kind = http_query(req, "kind");
	if (kind) {
		enum cadre_kind k;
		if (!cadre_kind_parse(kind, &k)) {
			api_problem(req, 400, "kind 取值无效");
			return;
		}
		f.kind = k;
	}
	if (legal && f.kind < 0)
		f.kind = -2;
	struct cadre_row *rows;
	size_t n;
	enum db_result r = cadres_list(ctx->db, &req->arena, &f, &rows, &n);
	if (r != DB_OK) {
		api_store_error(req, r);
		return;
	}
	const char *next =
	    n > (size_t)limit ? party_page(req, &n, limit, &rows[limit - 1].id) : NULL;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, cadre_json(&rows[i]));
	api_json(req, 200, api_list(items, next));
}

/* Reads the fields of a cadre (all optional on update). */
static void read_cadre(struct http_req *req, struct api_input *in, struct cadre_row *c, bool create,
                       struct party_base_ref *b)
{
	struct api_ctx *ctx = api_ctx(req);
	bool has;
	const char *v = api_string(in, "name", false, 32, &has);
	if (v)
		c->name = v;
	else if (has && json_array_size(in->errors) == 0)
		api_field_error(in, "name", "required", "姓名不能为空");
	const char *kind = api_string(in, "kind", create, 16, NULL);
	if (kind && !cadre_kind_parse(kind, &c->kind))
		api_field_error(in, "kind", "enum",
		                "类型须为 sinking、judge、prosecutor、police 或 lawyer");
	v = api_string(in, "unit", false, 64, &has);
	if (has)
		c->unit = v && *v ? v : NULL;
	v = api_string(in, "note", false, 500, &has);
	if (has)
		c->note = v && *v ? v : NULL;
	v = api_string(in, "region_code", create, 15, NULL);
	if (v) {
		struct region_row reg;
		if (region_level_of(v) != REGION_COMMUNITY)
			api_field_error(in, "region_code", "level", "干部派驻到村（社区）");
		else if (regions_get(ctx->db, &req->arena, v, &reg) != DB_ROW ||
		         strcmp(reg.status, "active") != 0)
			api_field_error(in, "region_code", "unknown", "区划不存在");
		else
			c->region_code = v;
	}
	json_t *bj = json_object_get(in->body, "building_id");
	if (bj && json_is_null(bj))
		c->building_id = 0;
	else if (party_id_field(in, "building_id", false, &c->building_id, NULL))
		check_building(req, in, c->building_id, c->region_code, b);
	else if (c->building_id && json_array_size(in->errors) == 0)
		check_building(req, in, c->building_id, c->region_code, b);
	if (create) {
		if (party_id_field(in, "user_id", false, &c->user_id, NULL)) {
			struct user_row u;
			if (party_user_in_scope(req, c->user_id, &u) != DB_ROW)
				api_field_error(in, "user_id", "unknown", "用户不存在");
			else {
				if (!c->name)
					c->name = u.display_name;
				if (!c->unit)
					c->unit = u.unit;
			}
		}
		if (party_id_field(in, "member_id", false, &c->member_id, NULL)) {
			struct party_member_row m;
			if (party_members_get(ctx->db, &req->arena, c->member_id, &m) != DB_ROW)
				api_field_error(in, "member_id", "unknown", "党员不存在");
		}
		c->started_on = party_date_field(in, "started_on", false, NULL);
		if (!c->name && json_array_size(in->errors) == 0)
			api_field_error(in, "name", "required", "此项为必填");
	}
	api_bool(in, "legal_adviser", &c->legal_adviser, NULL);
	if (c->legal_adviser && c->kind != CADRE_LAWYER && json_array_size(in->errors) == 0)
		api_field_error(in, "legal_adviser", "kind", "法律顾问须由律师担任");
	const char *status = api_string(in, "status", false, 16, NULL);
	if (status) {
		if (strcmp(status, "active") == 0 || strcmp(status, "ended") == 0)
			c->active = strcmp(status, "active") == 0;
		else
			api_field_error(in, "status", "enum", "状态须为 active 或 ended");
	}
}

void cadres_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct cadre_row c;
	memset(&c, 0, sizeof c);
	c.active = true;
	struct party_base_ref b;
	memset(&b, 0, sizeof b);
	read_cadre(req, &in, &c, true, &b);
	if (!api_input_end(req, &in))
		goto out;
	if (!api_reaches(ctx, ROLES_MANAGERS, c.region_code)) {
		api_problem(req, 403, "该社区不在您的管理范围内");
		goto out;
	}
	int64_t now = time_now();
	c.created_at = c.updated_at = now;
	enum db_result r = cadres_insert(ctx->db, &c);
	if (r == DB_OK)
		r = sync_team(req, &c, &b, now);
	if (r != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	ctx->audit_object = arena_printf(&req->arena, "cadre:%lld", (long long)c.id);
	cadres_get(ctx->db, &req->arena, c.id, &c);
	api_json(req, 201, cadre_json(&c));
out:
	api_input_free(&in);
}

/* The cadre's reception days from today on. */
static json_t *upcoming_days(struct http_req *req, int64_t cadre_id);

void cadres_get_h(struct http_req *req)
{
	struct cadre_row c;
	if (!load_cadre(req, &c))
		return;
	json_t *o = cadre_json(&c);
	json_object_set_new(o, "reception_days", upcoming_days(req, c.id));
	api_json(req, 200, o);
}

void cadres_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct cadre_row c;
	if (!load_cadre(req, &c))
		return;
	if (!api_reaches(ctx, ROLES_MANAGERS, c.region_code)) {
		api_problem(req, 403, "该干部不在您的管理范围内");
		return;
	}
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	int64_t building_before = c.building_id;
	const char *region_before = c.region_code;
	bool active_before = c.active;
	struct party_base_ref b;
	memset(&b, 0, sizeof b);
	read_cadre(req, &in, &c, false, &b);
	if (!api_input_end(req, &in))
		goto out;
	if (!api_reaches(ctx, ROLES_MANAGERS, c.region_code)) {
		api_problem(req, 403, "新的派驻社区不在您的管理范围内");
		goto out;
	}
	if (c.building_id && !b.region_code)
		party_building_ref(ctx->db, &req->arena, c.building_id, &b);
	int64_t now = time_now();
	c.updated_at = now;
	enum db_result r = cadres_update(ctx->db, &c);
	if (r == DB_OK && (c.building_id != building_before || c.active != active_before ||
	                   strcmp(c.region_code, region_before) != 0))
		r = sync_team(req, &c, &b, now);
	if (r != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	ctx->audit_object = arena_printf(&req->arena, "cadre:%lld", (long long)c.id);
	cadres_get(ctx->db, &req->arena, c.id, &c);
	api_json(req, 200, cadre_json(&c));
out:
	api_input_free(&in);
}

void cadres_service_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct cadre_row c;
	if (!load_cadre(req, &c))
		return;
	bool own = c.user_id && c.user_id == ctx->who.user_id;
	if (!own && !api_reaches(ctx, ROLES_MANAGERS, c.region_code)) {
		api_problem(req, 403, "只能登记本人或所管理干部的服务时长");
		return;
	}
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	const char *on = party_date_field(&in, "served_on", true, NULL);
	double hours;
	party_hours_field(&in, "hours", true, 24, &hours);
	const char *what = api_string(&in, "what", true, 200, NULL);
	if (!api_input_end(req, &in))
		goto out;
	enum db_result r =
	    cadre_service_add(ctx->db, c.id, on, hours, what, ctx->who.user_id, time_now());
	if (r != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	ctx->audit_object = arena_printf(&req->arena, "cadre:%lld", (long long)c.id);
	cadres_get(ctx->db, &req->arena, c.id, &c);
	api_json(req, 201, cadre_json(&c));
out:
	api_input_free(&in);
}

void cadres_coverage_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *region;
	if (!party_region_query(req, PARTY_STAFF, false, &region))
		return;
	struct cadre_coverage_row *rows;
	size_t n;
	enum db_result r = cadres_coverage(ctx->db, &req->arena, region, &rows, &n);
	if (r != DB_OK) {
		api_store_error(req, r);
		return;
	}
	int64_t with_adviser = 0, legal = 0, cadres = 0;
	json_t *items = json_array(), *without = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct cadre_coverage_row *c = &rows[i];
		int64_t sglv = c->judges + c->prosecutors + c->police + c->lawyers;
		json_t *o = json_object();
		json_set_str(o, "region_code", c->code);
		json_set_str(o, "region_name", c->name);
		json_set_int(o, "cadres", c->cadres);
		json_set_int(o, "judges", c->judges);
		json_set_int(o, "prosecutors", c->prosecutors);
		json_set_int(o, "police", c->police);
		json_set_int(o, "lawyers", c->lawyers);
		json_set_int(o, "legal", sglv);
		json_set_int(o, "legal_advisers", c->legal_advisers);
		json_set_bool(o, "has_legal_adviser", c->legal_advisers > 0);
		json_array_append_new(items, o);
		if (c->legal_advisers > 0) {
			with_adviser++;
		} else {
			json_t *w = json_object();
			json_set_str(w, "region_code", c->code);
			json_set_str(w, "region_name", c->name);
			json_array_append_new(without, w);
		}
		legal += sglv;
		cadres += c->cadres;
	}
	json_t *o = json_object();
	json_set_str(o, "region_code", region);
	json_t *s = json_object();
	json_set_int(s, "communities", (int64_t)n);
	json_set_int(s, "with_legal_adviser", with_adviser);
	party_set_rate(s, "legal_adviser_rate", with_adviser, (int64_t)n);
	json_set_int(s, "cadres", cadres);
	json_set_int(s, "legal", legal);
	json_object_set_new(o, "summary", s);
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "without_legal_adviser", without);
	api_json(req, 200, o);
}

/* ---- reception days ---- */

/* Today in Asia/Shanghai as "YYYY-MM-DD". */
static const char *today(struct http_req *req)
{
	time_t t = (time_t)(time_now() + 8 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	return arena_printf(&req->arena, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	                    tm.tm_mday);
}

static json_t *day_json(const struct reception_day_row *d)
{
	json_t *o = json_object();
	json_set_int(o, "id", d->id);
	json_set_int(o, "cadre_id", d->cadre_id);
	json_set_str(o, "cadre_name", d->cadre_name);
	json_set_str(o, "cadre_unit", d->cadre_unit);
	json_set_str(o, "region_code", d->region_code);
	json_set_str(o, "region_name", d->region_name);
	json_set_str(o, "held_on", d->held_on);
	json_set_str(o, "starts", d->starts);
	json_set_str(o, "ends", d->ends);
	json_set_str(o, "place", d->place);
	json_set_str(o, "topic", d->topic);
	json_set_str(o, "status", d->cancelled ? "cancelled" : "open");
	json_set_time(o, "created_at", d->created_at);
	return o;
}

static json_t *upcoming_days(struct http_req *req, int64_t cadre_id)
{
	struct reception_day_row *rows;
	size_t n;
	json_t *a = json_array();
	if (reception_days_list(api_ctx(req)->db, &req->arena, "", NULL, today(req), cadre_id, 0,
	                        50, &rows, &n) == DB_OK)
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, day_json(&rows[i]));
	return a;
}

/* The grid of the caller's first resident grant, or NULL. */
static const char *resident_grid(const struct api_ctx *ctx)
{
	for (size_t i = 0; i < ctx->who.ngrants; i++)
		if (ctx->who.grants[i].role == ROLE_RESIDENT && ctx->who.grants[i].region_code[0])
			return ctx->who.grants[i].region_code;
	return NULL;
}

/* Whether the caller sees a day: staff over its region, the cadre, or a resident living
 * under it. */
static bool day_visible(const struct api_ctx *ctx, const struct reception_day_row *d,
                        bool *as_resident)
{
	*as_resident = false;
	if (api_reaches(ctx, DAY_STAFF, d->region_code))
		return true;
	for (size_t i = 0; i < ctx->who.ngrants; i++)
		if (ctx->who.grants[i].role == ROLE_RESIDENT &&
		    region_covers(d->region_code, ctx->who.grants[i].region_code)) {
			*as_resident = true;
			return true;
		}
	return false;
}

/* The caller may publish or cancel for this cadre: the cadre's own user, or a manager over
 * the cadre's community. */
static bool may_publish(const struct api_ctx *ctx, const struct cadre_row *c)
{
	return (c->user_id && c->user_id == ctx->who.user_id) ||
	       api_reaches(ctx, ROLES_MANAGERS, c->region_code);
}

static json_t *day_full_json(struct http_req *req, const struct reception_day_row *d, bool staff)
{
	struct api_ctx *ctx = api_ctx(req);
	json_t *o = day_json(d);
	struct reception_slot_row *slots;
	size_t n;
	json_t *arr = json_array();
	if (reception_slots_list(ctx->db, &req->arena, d->id, &slots, &n) == DB_OK)
		for (size_t i = 0; i < n; i++) {
			json_t *s = json_object();
			json_set_int(s, "id", slots[i].id);
			json_set_str(s, "starts", slots[i].starts);
			json_set_str(s, "ends", slots[i].ends);
			json_set_int(s, "capacity", slots[i].capacity);
			json_set_int(s, "booked", slots[i].booked);
			json_set_int(s, "available",
			             slots[i].capacity > slots[i].booked
			                 ? slots[i].capacity - slots[i].booked
			                 : 0);
			json_array_append_new(arr, s);
		}
	json_object_set_new(o, "slots", arr);
	struct reception_booking_row *bs;
	json_t *mine = json_null(), *all = json_array();
	if (reception_bookings_list(ctx->db, &req->arena, d->id, 0, &bs, &n) == DB_OK)
		for (size_t i = 0; i < n; i++) {
			if (bs[i].cancelled)
				continue;
			json_t *b = json_object();
			json_set_int(b, "id", bs[i].id);
			json_set_int(b, "slot_id", bs[i].slot_id);
			json_set_str(b, "slot_starts", bs[i].slot_starts);
			json_set_str(b, "topic", bs[i].topic);
			json_set_time(b, "created_at", bs[i].created_at);
			if (bs[i].user_id == ctx->who.user_id && json_is_null(mine))
				mine = json_deep_copy(b);
			if (staff) {
				json_set_str(b, "name", bs[i].user_name);
				json_array_append_new(all, b);
			} else {
				json_decref(b);
			}
		}
	json_object_set_new(o, "my_booking", mine);
	if (staff)
		json_object_set_new(o, "bookings", all);
	else
		json_decref(all);
	return o;
}

void reception_days_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t after;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &after))
		return;
	const char *region = NULL, *grid = NULL;
	if (api_roles(ctx) & DAY_STAFF) {
		if (!party_region_query(req, DAY_STAFF, true, &region))
			return;
	} else {
		grid = resident_grid(ctx);
		if (!grid) {
			api_json(req, 200, api_list(json_array(), NULL));
			return;
		}
	}
	const char *from = http_query(req, "from");
	if (from && !party_date_valid(from)) {
		api_problem(req, 400, "from 须为 YYYY-MM-DD 日期");
		return;
	}
	if (!from && grid)
		from = today(req); /* residents see what they can still book */
	int64_t cadre_id = 0;
	if (!api_query_id(req, "cadre_id", &cadre_id))
		return;
	struct reception_day_row *rows;
	size_t n;
	enum db_result r = reception_days_list(ctx->db, &req->arena, region, grid, from, cadre_id,
	                                       after, limit + 1, &rows, &n);
	if (r != DB_OK) {
		api_store_error(req, r);
		return;
	}
	const char *next =
	    n > (size_t)limit ? party_page(req, &n, limit, &rows[limit - 1].id) : NULL;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, day_full_json(req, &rows[i], false));
	api_json(req, 200, api_list(items, next));
}

void reception_days_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct reception_day_row d;
	memset(&d, 0, sizeof d);
	struct cadre_row c;
	memset(&c, 0, sizeof c);
	if (party_id_field(&in, "cadre_id", true, &d.cadre_id, NULL)) {
		enum db_result cr = cadres_get(ctx->db, &req->arena, d.cadre_id, &c);
		bool own = cr == DB_ROW && c.user_id && c.user_id == ctx->who.user_id;
		/* Another community's cadre is a target outside the caller's scope: 403 "scope"
		 * (API.md); a cadre that does not exist is 422 "unknown". */
		if (cr != DB_ROW)
			api_field_error(&in, "cadre_id", "unknown", "干部不存在");
		else if (!own && !api_reaches(ctx, ROLES_MANAGERS, c.region_code))
			api_field_error(&in, "cadre_id", "scope",
			                "只能发布本人或所管理干部的接待日");
	}
	d.held_on = party_date_field(&in, "held_on", true, NULL);
	d.starts = api_string(&in, "starts", true, 5, NULL);
	d.ends = api_string(&in, "ends", true, 5, NULL);
	if (d.starts && !party_hhmm_valid(d.starts))
		api_field_error(&in, "starts", "format", "时间格式须为 HH:MM");
	else if (d.ends && !party_hhmm_valid(d.ends))
		api_field_error(&in, "ends", "format", "时间格式须为 HH:MM");
	else if (d.starts && d.ends && party_minutes_between(d.starts, d.ends) <= 0)
		api_field_error(&in, "ends", "range", "结束时间须晚于开始时间");
	d.place = api_string(&in, "place", true, 100, NULL);
	d.topic = api_string(&in, "topic", false, 200, NULL);
	json_t *slots = json_object_get(in.body, "slots");
	if (slots && !json_is_array(slots) && !json_is_null(slots)) {
		in.type_error = true;
		api_field_error(&in, "slots", "type", "应为时段数组");
	} else if (json_array_size(slots) > 48) {
		api_field_error(&in, "slots", "too_many", "时段最多 48 个");
	}
	size_t nslots = json_array_size(slots);
	struct reception_slot_row *sl =
	    arena_alloc(&req->arena, sizeof(*sl) * (nslots ? nslots : 1));
	memset(sl, 0, sizeof(*sl) * (nslots ? nslots : 1));
	for (size_t i = 0; i < nslots && json_array_size(in.errors) == 0; i++) {
		json_t *s = json_array_get(slots, i);
		const char *f = arena_printf(&req->arena, "slots[%zu]", i);
		if (!json_is_object(s)) {
			in.type_error = true;
			api_field_error(&in, f, "type", "应为 {starts, ends, capacity}");
			break;
		}
		struct api_input sub = {.body = s, .errors = in.errors};
		sl[i].starts = api_string(&sub, "starts", true, 5, NULL);
		sl[i].ends = api_string(&sub, "ends", true, 5, NULL);
		api_int(&sub, "capacity", true, 1, 100, &sl[i].capacity, NULL);
		in.type_error = in.type_error || sub.type_error;
		if (json_array_size(in.errors))
			break;
		if (!party_hhmm_valid(sl[i].starts) || !party_hhmm_valid(sl[i].ends) ||
		    party_minutes_between(sl[i].starts, sl[i].ends) <= 0 ||
		    (d.starts && party_minutes_between(d.starts, sl[i].starts) < 0) ||
		    (d.ends && party_minutes_between(sl[i].ends, d.ends) < 0))
			api_field_error(&in, f, "range", "时段须在接待时间之内，且结束晚于开始");
	}
	if (!api_input_end(req, &in))
		goto out;
	if (!(ctx->who.user_id && c.user_id == ctx->who.user_id) &&
	    !api_reaches(ctx, ROLES_MANAGERS, c.region_code)) {
		api_problem(req, 403, "只能发布本人或所管理干部的接待日");
		goto out;
	}
	if (!c.active) {
		api_problem(req, 409, "该干部已结束派驻");
		goto out;
	}
	if (nslots == 0) {
		/* No slots given: the whole reception as one slot of ten places. */
		sl[0].starts = d.starts;
		sl[0].ends = d.ends;
		sl[0].capacity = 10;
		nslots = 1;
	}
	d.region_code = c.region_code;
	d.created_by = ctx->who.user_id;
	d.created_at = d.updated_at = time_now();
	enum db_result r = reception_days_insert(ctx->db, &d);
	for (size_t i = 0; r == DB_OK && i < nslots; i++) {
		sl[i].day_id = d.id;
		r = reception_slots_insert(ctx->db, &sl[i]);
	}
	if (r != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	ctx->audit_object = arena_printf(&req->arena, "reception_day:%lld", (long long)d.id);
	reception_days_get(ctx->db, &req->arena, d.id, &d);
	api_json(req, 201, day_full_json(req, &d, true));
out:
	api_input_free(&in);
}

static enum db_result day_load(struct http_req *req, int64_t id, void *out, const char **region)
{
	struct reception_day_row *d = out;
	enum db_result r = reception_days_get(api_ctx(req)->db, &req->arena, id, d);
	*region = r == DB_ROW ? d->region_code : NULL;
	return r;
}

/* Staff and cadres over its community; residents under it while it is not cancelled. */
static bool day_seen(struct http_req *req, const void *obj)
{
	const struct reception_day_row *d = obj;
	bool as_resident;
	return day_visible(api_ctx(req), d, &as_resident) && !(as_resident && d->cancelled);
}

static const struct api_loader day_loader = {
    .what = "接待日", .load = day_load, .visible = day_seen};

static bool load_day(struct http_req *req, struct reception_day_row *d, bool *as_resident)
{
	if (!api_load(req, &day_loader, d))
		return false;
	day_visible(api_ctx(req), d, as_resident);
	return true;
}

static enum db_result booking_load(struct http_req *req, int64_t id, void *out, const char **region)
{
	(void)region;
	return reception_bookings_get(api_ctx(req)->db, &req->arena, id, out);
}

/* A booking is its resident's own. */
static bool booking_own(struct http_req *req, const void *obj)
{
	const struct reception_booking_row *b = obj;
	int64_t me = api_ctx(req)->who.user_id;
	return me && b->user_id == me;
}

static const struct api_loader booking_loader = {
    .what = "预约", .load = booking_load, .visible = booking_own};

/* Who booked (names and topics) is for the community's party staff and the day's own cadre,
 * not for every cadre of the community. */
static bool day_staff_view(struct http_req *req, const struct reception_day_row *d)
{
	struct api_ctx *ctx = api_ctx(req);
	if (api_reaches(ctx, PARTY_STAFF, d->region_code))
		return true;
	struct cadre_row c;
	return ctx->who.user_id && cadres_get(ctx->db, &req->arena, d->cadre_id, &c) == DB_ROW &&
	       c.user_id == ctx->who.user_id;
}

void reception_days_get_h(struct http_req *req)
{
	struct reception_day_row d;
	bool as_resident;
	if (!load_day(req, &d, &as_resident))
		return;
	api_json(req, 200, day_full_json(req, &d, !as_resident && day_staff_view(req, &d)));
}

void reception_days_cancel_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct reception_day_row d;
	bool as_resident;
	struct cadre_row c;
	if (!load_day(req, &d, &as_resident))
		return;
	if (cadres_get(ctx->db, &req->arena, d.cadre_id, &c) != DB_ROW || !may_publish(ctx, &c)) {
		api_problem(req, 403, "只能取消本人或所管理干部的接待日");
		return;
	}
	if (d.cancelled) {
		api_problem(req, 409, "接待日已取消");
		return;
	}
	enum db_result r = reception_days_cancel(ctx->db, d.id, time_now());
	if (r != DB_OK) {
		api_store_error(req, r);
		return;
	}
	ctx->audit_object = arena_printf(&req->arena, "reception_day:%lld", (long long)d.id);
	reception_days_get(ctx->db, &req->arena, d.id, &d);
	api_json(req, 200, day_full_json(req, &d, true));
}

static json_t *booking_json(const struct reception_booking_row *b)
{
	json_t *o = json_object();
	json_set_int(o, "id", b->id);
	json_set_int(o, "day_id", b->day_id);
	json_set_int(o, "slot_id", b->slot_id);
	json_set_str(o, "held_on", b->held_on);
	json_set_str(o, "slot_starts", b->slot_starts);
	json_set_str(o, "topic", b->topic);
	json_set_str(o, "status", b->cancelled ? "cancelled" : "booked");
	json_set_time(o, "created_at", b->created_at);
	return o;
}

void reception_bookings_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct reception_day_row d;
	bool as_resident;
	if (!load_day(req, &d, &as_resident))
		return;
	if (!as_resident) {
		api_problem(req, 403, "只有本社区居民可以预约接待日");
		return;
	}
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct reception_booking_row b;
	memset(&b, 0, sizeof b);
	struct reception_slot_row s;
	memset(&s, 0, sizeof s);
	if (party_id_field(&in, "slot_id", true, &b.slot_id, NULL) &&
	    (reception_slots_get(ctx->db, &req->arena, b.slot_id, &s) != DB_ROW ||
	     s.day_id != d.id))
		api_field_error(&in, "slot_id", "unknown", "该接待日没有这个时段");
	b.topic = api_string(&in, "topic", false, 200, NULL);
	if (!api_input_end(req, &in))
		goto out;
	if (d.cancelled) {
		api_problem(req, 409, "接待日已取消");
		goto out;
	}
	if (strcmp(d.held_on, today(req)) < 0) {
		api_problem(req, 409, "接待日已过");
		goto out;
	}
	if (s.booked >= s.capacity) {
		api_problem(req, 409, "该时段已约满");
		goto out;
	}
	b.day_id = d.id;
	b.user_id = ctx->who.user_id;
	b.created_at = time_now();
	enum db_result r = b.user_id ? reception_bookings_insert(ctx->db, &b) : DB_CONSTRAINT;
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409, "您已预约了当天的接待，每人每天限约一次");
		goto out;
	}
	if (r != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	ctx->audit_object = arena_printf(&req->arena, "reception_booking:%lld", (long long)b.id);
	reception_bookings_get(ctx->db, &req->arena, b.id, &b);
	api_json(req, 201, booking_json(&b));
out:
	api_input_free(&in);
}

void reception_bookings_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!api_unpaged(req))
		return;
	struct reception_booking_row *rows;
	size_t n = 0;
	enum db_result r = ctx->who.user_id ? reception_bookings_list(ctx->db, &req->arena, 0,
	                                                              ctx->who.user_id, &rows, &n)
	                                    : DB_OK;
	if (r != DB_OK) {
		api_store_error(req, r);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, booking_json(&rows[i]));
	api_json(req, 200, api_list(items, NULL));
}

void reception_bookings_cancel_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct reception_booking_row b;
	if (!api_load(req, &booking_loader, &b))
		return;
	if (b.cancelled) {
		api_problem(req, 409, "预约已取消");
		return;
	}
	enum db_result r = reception_bookings_cancel(ctx->db, b.id, time_now());
	if (r != DB_OK) {
		api_store_error(req, r);
		return;
	}
	ctx->audit_object = arena_printf(&req->arena, "reception_booking:%lld", (long long)b.id);
	reception_bookings_get(ctx->db, &req->arena, b.id, &b);
	api_json(req, 200, booking_json(&b));
}
