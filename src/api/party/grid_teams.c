/* /api/v1/grid-teams: the four-level grid service team per grid (督导员 — 网格长 — 网格员 —
 * 楼栋(单元)长) with the gaps: grids without a supervisor, a grid leader or a grid worker,
 * buildings without a building leader. Cadres assigned as building leaders appear here too. */
#include "api/party/party.h"
#include "core/timeutil.h"
#include "store/platform/regions.h"
#include "store/platform/users.h"

#include <string.h>

enum { GAP_MAX = 500 };

static json_t *team_json(const struct team_member_row *t)
{
	json_t *o = json_object();
	json_set_int(o, "id", t->id);
	json_set_str(o, "region_code", t->region_code);
	json_set_str(o, "role", team_role_code(t->role));
	json_set_str(o, "role_name", team_role_name_zh(t->role));
	json_set_str(o, "name", t->name);
	party_set_id(o, "user_id", t->user_id);
	party_set_id(o, "cadre_id", t->cadre_id);
	party_set_id(o, "building_id", t->building_id);
	json_set_str(o, "building_name", t->building_name);
	json_set_bool(o, "full_time", t->full_time);
	json_set_str(o, "started_on", t->started_on);
	json_set_str(o, "status", t->active ? "active" : "ended");
	return o;
}

static json_t *grid_ref(const struct team_grid_row *g)
{
	json_t *o = json_object();
	json_set_str(o, "code", g->code);
	json_set_str(o, "name", g->name);
	return o;
}

/* The gaps of the grids in a region: the lists (at most GAP_MAX entries each) and counts. */
struct team_gaps {
	json_t *no_sup, *no_lead, *no_work, *no_bl;
	int64_t n_sup, n_lead, n_work, buildings, led;
};

/* Records that grid g lacks the role code: in its own gaps, the region's count and list. */
static void note_gap(json_t *gaps, const char *code, const struct team_grid_row *g, int64_t *count,
                     json_t *list)
{
	json_array_append_new(gaps, json_string(code));
	(*count)++;
	if (json_array_size(list) < GAP_MAX)
		json_array_append_new(list, grid_ref(g));
}

/* One grid with its team by role and its gaps. Members come sorted by grid, then role; *m
 * is the first member not yet placed. */
static json_t *grid_item(const struct team_grid_row *g, const struct team_member_row *members,
                         size_t nm, size_t *m, struct team_gaps *tg)
{
	static const char *const keys[TEAM_ROLE_COUNT] = {"supervisors", "grid_leaders",
	                                                  "grid_workers", "building_leaders"};
	json_t *o = json_object();
	json_set_str(o, "code", g->code);
	json_set_str(o, "name", g->name);
	json_t *lists[TEAM_ROLE_COUNT];
	for (int k = 0; k < TEAM_ROLE_COUNT; k++)
		lists[k] = json_array();
	while (*m < nm && strcmp(members[*m].region_code, g->code) < 0)
		(*m)++;
	for (; *m < nm && strcmp(members[*m].region_code, g->code) == 0; (*m)++)
		json_array_append_new(lists[members[*m].role], team_json(&members[*m]));
	for (int k = 0; k < TEAM_ROLE_COUNT; k++)
		json_object_set_new(o, keys[k], lists[k]);
	json_set_int(o, "buildings", g->buildings);
	json_set_int(o, "buildings_with_leader", g->buildings_led);
	json_t *gaps = json_array();
	if (!g->supervisors)
		note_gap(gaps, "supervisor", g, &tg->n_sup, tg->no_sup);
	if (!g->leaders)
		note_gap(gaps, "grid_leader", g, &tg->n_lead, tg->no_lead);
	if (!g->workers)
		note_gap(gaps, "grid_worker", g, &tg->n_work, tg->no_work);
	if (g->buildings_led < g->buildings)
		json_array_append_new(gaps, json_string("building_leader"));
	json_object_set_new(o, "gaps", gaps);
	tg->buildings += g->buildings;
	tg->led += g->buildings_led;
	return o;
}

/* The buildings without a building leader (at most GAP_MAX). */
static json_t *unled_buildings(const struct party_building_row *bs, size_t nb)
{
	json_t *no_bl = json_array();
	for (size_t i = 0; i < nb && json_array_size(no_bl) < GAP_MAX; i++)
		if (!bs[i].leaders) {
			json_t *b = json_object();
			json_set_int(b, "id", bs[i].id);
			json_set_str(b, "name", bs[i].name);
			json_set_str(b, "region_code", bs[i].region_code);
			json_array_append_new(no_bl, b);
		}
	return no_bl;
}

static json_t *summary_json(const struct team_gaps *tg, size_t ngrids, size_t nmembers)
{
	json_t *s = json_object();
	json_set_int(s, "grids", (int64_t)ngrids);
	json_set_int(s, "grids_without_supervisor", tg->n_sup);
	json_set_int(s, "grids_without_grid_leader", tg->n_lead);
	json_set_int(s, "grids_without_grid_worker", tg->n_work);
	json_set_int(s, "buildings", tg->buildings);
	json_set_int(s, "buildings_without_leader", tg->buildings - tg->led);
	json_set_int(s, "members", (int64_t)nmembers);
	return s;
}

void grid_teams_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *region;
	if (!party_region_query(req, PARTY_STAFF, false, &region))
		return;
	struct team_grid_row *grids;
	struct team_member_row *members;
	struct party_building_row *bs;
	size_t ng, nm, nb;
	enum db_result r = store_team_grids(ctx->db, &req->arena, region, &grids, &ng);
	if (r == DB_OK)
		r = store_team_list(ctx->db, &req->arena, region, &members, &nm);
	if (r == DB_OK)
		r = store_party_buildings(ctx->db, &req->arena, region, &bs, &nb);
	if (!api_stored(req, r))
		return;
	struct team_gaps tg = {.no_sup = json_array(),
	                       .no_lead = json_array(),
	                       .no_work = json_array(),
	                       .no_bl = unled_buildings(bs, nb)};
	json_t *items = json_array();
	size_t m = 0;
	for (size_t g = 0; g < ng; g++)
		json_array_append_new(items, grid_item(&grids[g], members, nm, &m, &tg));
	json_t *o = json_object();
	json_set_str(o, "region_code", region);
	json_object_set_new(o, "summary", summary_json(&tg, ng, nm));
	json_t *gaps = json_object();
	json_object_set_new(gaps, "grids_without_supervisor", tg.no_sup);
	json_object_set_new(gaps, "grids_without_grid_leader", tg.no_lead);
	json_object_set_new(gaps, "grids_without_grid_worker", tg.no_work);
	json_object_set_new(gaps, "buildings_without_leader", tg.no_bl);
	json_object_set_new(o, "gaps", gaps);
	json_object_set_new(o, "items", items);
	api_json(req, 200, o);
}

void grid_teams_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct team_member_row t;
	memset(&t, 0, sizeof t);
	t.region_code = api_string(&in, "region_code", true, 15, NULL);
	struct region_row reg;
	if (t.region_code &&
	    (region_level_of(t.region_code) != REGION_GRID ||
	     store_regions_get(ctx->db, &req->arena, t.region_code, &reg) != DB_ROW ||
	     strcmp(reg.status, "active") != 0)) {
		api_field_error(&in, "region_code", "unknown", "须为现有的网格");
		t.region_code = NULL;
	}
	const char *role = api_string(&in, "role", true, 20, NULL);
	bool role_ok = role && team_role_parse(role, &t.role);
	if (role && !role_ok)
		api_field_error(&in, "role", "enum",
		                "角色须为 supervisor、grid_leader、grid_worker 或 building_leader");
	t.name = api_string(&in, "name", false, 32, NULL);
	if (party_id_field(&in, "user_id", false, &t.user_id, NULL)) {
		struct user_row u;
		if (party_user_in_scope(req, t.user_id, &u) != DB_ROW)
			api_field_error(&in, "user_id", "unknown", "用户不存在");
		else if (!t.name)
			t.name = u.display_name;
	}
	bool has_building;
	if (party_id_field(&in, "building_id", false, &t.building_id, &has_building)) {
		struct party_base_ref b;
		if (store_party_building_ref(ctx->db, &req->arena, t.building_id, &b) != DB_ROW)
			api_field_error(&in, "building_id", "unknown", "楼栋不存在");
		else if (t.region_code && strcmp(b.region_code, t.region_code) != 0)
			api_field_error(&in, "building_id", "region", "楼栋须在该网格内");
	}
	if (role_ok && t.role == TEAM_BUILDING_LEADER && !has_building)
		api_field_error(&in, "building_id", "required", "楼栋长须指定楼栋");
	else if (role_ok && t.role != TEAM_BUILDING_LEADER && has_building)
		api_field_error(&in, "building_id", "role", "只有楼栋长对应楼栋");
	api_bool(&in, "full_time", &t.full_time, NULL);
	t.started_on = party_date_field(&in, "started_on", false, NULL);
	if (!t.name && json_array_size(in.errors) == 0)
		api_field_error(&in, "name", "required", "此项为必填");
	if (!api_input_end(req, &in))
		goto out;
	if (!api_reaches(ctx, ROLES_MANAGERS, t.region_code)) {
		api_problem(req, 403, "该网格不在您的管理范围内");
		goto out;
	}
	t.active = true;
	t.created_at = t.updated_at = time_now();
	enum db_result r = store_team_insert(ctx->db, &t);
	if (!party_written(req, r, "grid_team", t.id))
		goto out;
	store_team_get(ctx->db, &req->arena, t.id, &t);
	api_json(req, 201, team_json(&t));
out:
	api_input_free(&in);
}

/* An ended assignment is history, not an object to end again. */
static bool team_visible(struct http_req *req, const void *obj)
{
	const struct team_member_row *t = obj;
	return t->active && api_reaches(api_ctx(req), PARTY_STAFF, t->region_code);
}

API_LOADER(team, "网格服务团队成员", 0, team_visible, struct team_member_row, store_team_get,
           region_code)

void grid_teams_end_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct team_member_row t;
	if (!team_from_path(req, &t))
		return;
	if (!api_reaches(ctx, ROLES_MANAGERS, t.region_code)) {
		api_problem(req, 403, "该网格不在您的管理范围内");
		return;
	}
	enum db_result r = store_team_end(ctx->db, t.id, time_now());
	if (!party_written(req, r, "grid_team", t.id))
		return;
	api_no_content(req);
}
