/* /api/v1/cadres: 下沉干部 and 三官一律 (judges, prosecutors, police officers, lawyers)
 * assigned to a community or as the building leader of a building, with hours served and the
 * "one legal adviser per village" coverage. Their reception days are reception.c's. */
#include "api/party/party.h"
#include "core/timeutil.h"
#include "store/platform/regions.h"
#include "store/platform/users.h"

#include <string.h>

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

/* The community's staff see its cadres; a cadre sees their own record. */
static bool cadre_visible(struct http_req *req, const void *obj)
{
	struct api_ctx *ctx = api_ctx(req);
	const struct cadre_row *c = obj;
	return (c->user_id && c->user_id == ctx->who.user_id) ||
	       api_reaches(ctx, PARTY_STAFF, c->region_code);
}

API_LOADER(cadre, "干部", 0, cadre_visible, struct cadre_row, store_cadres_get, region_code)

/* A building for a building-leader assignment: it lies under the cadre's community. */
static void check_building(struct http_req *req, struct api_input *in, int64_t building_id,
                           const char *community, struct party_base_ref *b)
{
	if (store_party_building_ref(api_ctx(req)->db, &req->arena, building_id, b) != DB_ROW)
		api_field_error(in, "building_id", "unknown", "楼栋不存在");
	else if (community && !region_covers(community, b->region_code))
		api_field_error(in, "building_id", "region", "楼栋须在所派驻的社区内");
}

/* The building-leader duty in the grid service team follows the cadre's assignment. */
static enum db_result sync_team(struct http_req *req, const struct cadre_row *c,
                                const struct party_base_ref *b, int64_t now)
{
	struct api_ctx *ctx = api_ctx(req);
	enum db_result r = store_team_end_for_cadre(ctx->db, c->id, now);
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
	return store_team_insert(ctx->db, &t);
}

/* The answer of every write to a cadre: audited under its id, read back whole. */
static void respond_cadre(struct http_req *req, int status, struct cadre_row *c)
{
	party_audit(req, "cadre", c->id);
	store_cadres_get(api_ctx(req)->db, &req->arena, c->id, c);
	api_json(req, status, cadre_json(c));
}

API_ITEM(cadre_item, cadre_json)

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
	enum db_result r = store_cadres_list(ctx->db, &req->arena, &f, &rows, &n);
	party_respond_page(req, r, rows, n, sizeof *rows, limit, cadre_item);
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
		else if (store_regions_get(ctx->db, &req->arena, v, &reg) != DB_ROW ||
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
			if (store_party_members_get(ctx->db, &req->arena, c->member_id, &m) !=
			    DB_ROW)
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
	enum db_result r = store_cadres_insert(ctx->db, &c);
	if (r == DB_OK)
		r = sync_team(req, &c, &b, now);
	if (!api_stored(req, r))
		goto out;
	respond_cadre(req, 201, &c);
out:
	api_input_free(&in);
}

void cadres_get_h(struct http_req *req)
{
	struct cadre_row c;
	if (!cadre_from_path(req, &c))
		return;
	json_t *o = cadre_json(&c);
	json_object_set_new(o, "reception_days", reception_upcoming_json(req, c.id));
	api_json(req, 200, o);
}

void cadres_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct cadre_row c;
	if (!cadre_from_path(req, &c))
		return;
	struct api_input in;
	if (!api_write_begin(req, ROLES_MANAGERS, c.region_code, "该干部不在您的管理范围内", &in))
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
		store_party_building_ref(ctx->db, &req->arena, c.building_id, &b);
	int64_t now = time_now();
	c.updated_at = now;
	enum db_result r = store_cadres_update(ctx->db, &c);
	if (r == DB_OK && (c.building_id != building_before || c.active != active_before ||
	                   strcmp(c.region_code, region_before) != 0))
		r = sync_team(req, &c, &b, now);
	if (!api_stored(req, r))
		goto out;
	respond_cadre(req, 200, &c);
out:
	api_input_free(&in);
}

void cadres_service_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct cadre_row c;
	if (!cadre_from_path(req, &c))
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
	    store_cadre_service_add(ctx->db, c.id, on, hours, what, ctx->who.user_id, time_now());
	if (!api_stored(req, r))
		goto out;
	respond_cadre(req, 201, &c);
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
	enum db_result r = store_cadres_coverage(ctx->db, &req->arena, region, &rows, &n);
	if (!api_stored(req, r))
		return;
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
