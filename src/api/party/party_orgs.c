/* /api/v1/party/orgs: the party organisation tree (党组织), anchored to the region tree and,
 * for 楼栋党小组, to a building; moves keep members and history; and
 * /api/v1/party/structure, the five-tier structure check per community with the
 * functional-branch counts. Nesting rules live in domain/party.c. */
#include "api/party/party.h"
#include "core/timeutil.h"
#include "store/platform/regions.h"

#include <stdlib.h>
#include <string.h>

static bool add_event(struct http_req *req, int64_t org_id, const char *action, int64_t from_parent,
                      int64_t to_parent, const char *from_region, const char *to_region,
                      const char *detail)
{
	struct api_ctx *ctx = api_ctx(req);
	struct party_event_row e = {.ref_id = org_id,
	                            .at = time_now(),
	                            .actor_id = ctx->who.user_id,
	                            .actor = party_actor(ctx),
	                            .action = action,
	                            .from_ref = from_parent,
	                            .to_ref = to_parent,
	                            .from_region = from_region,
	                            .to_region = to_region,
	                            .detail = detail};
	enum db_result r = party_org_events_add(ctx->db, &e);
	if (r != DB_OK)
		api_store_error(req, r);
	return r == DB_OK;
}

/* The field a nesting problem (domain/party.c) is about, and its message. */
static void nesting_error(struct api_input *in, const char *why, enum party_kind kind)
{
	if (strcmp(why, "level") == 0)
		api_field_error(in, "region_code", "level",
		                "该类型党组织不能设在此级区划（如网格党支部须设在网格）");
	else if (strcmp(why, "root") == 0)
		api_field_error(in, "parent_id", "required",
		                kind == PARTY_GRID_BRANCH || kind == PARTY_GROUP ||
		                        party_kind_functional(kind)
		                    ? "该类型党组织须隶属上级党组织"
		                    : "须指定上级党组织");
	else if (strcmp(why, "nesting") == 0)
		api_field_error(in, "parent_id", "nesting",
		                "该类型党组织不能设在所选上级党组织之下");
	else
		api_field_error(in, "region_code", "region", "所在区划须在上级党组织的区划之内");
}

/* A building for a 楼栋党小组: it exists, lies in the organisation's grid and has no other
 * active party group. 0 when fine, else the status responded (422 recorded in in, or 409). */
static int check_building(struct http_req *req, struct api_input *in, int64_t building_id,
                          enum party_kind kind, const char *region, int64_t self_id)
{
	struct api_ctx *ctx = api_ctx(req);
	if (kind != PARTY_GROUP) {
		api_field_error(in, "building_id", "kind", "只有党小组可以对应楼栋");
		return 422;
	}
	struct party_base_ref b;
	if (party_building_ref(ctx->db, &req->arena, building_id, &b) != DB_ROW) {
		api_field_error(in, "building_id", "unknown", "楼栋不存在");
		return 422;
	}
	if (strcmp(b.region_code, region) != 0) {
		api_field_error(in, "building_id", "region", "楼栋须在党小组所在的网格内");
		return 422;
	}
	struct party_org_row *rows;
	size_t n;
	if (party_orgs_at(ctx->db, &req->arena, region, &rows, &n) == DB_OK)
		for (size_t i = 0; i < n; i++)
			if (rows[i].building_id == building_id && rows[i].id != self_id &&
			    rows[i].kind == PARTY_GROUP)
				return 409;
	return 0;
}

void party_orgs_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t after;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &after))
		return;
	struct party_org_filter f = {.kind = -1, .after_id = after, .limit = limit + 1};
	const char *unit = http_query(req, "unit");
	/* A county unit's staff list their own unit's organisations wherever they sit. */
	bool own_unit = unit && ctx->who.unit[0] && strcmp(unit, ctx->who.unit) == 0 &&
	                !http_query(req, "region");
	if (own_unit)
		f.region = "";
	else if (!party_region_query(req, PARTY_STAFF, true, &f.region))
		return;
	f.unit = unit && *unit ? unit : NULL;
	if (!api_query_id(req, "parent_id", &f.parent_id) ||
	    !api_query_bool(req, "roots", &f.roots) ||
	    !api_query_bool(req, "include_dissolved", &f.dissolved))
		return;
	const char *s = http_query(req, "kind");
	if (s) {
		enum party_kind k;
		if (!party_kind_parse(s, &k)) {
			api_problem(req, 400, "kind 取值无效");
			return;
		}
		f.kind = k;
	}
	struct party_org_row *rows;
	size_t n;
	enum db_result r = party_orgs_list(ctx->db, &req->arena, &f, &rows, &n);
	if (r != DB_OK) {
		api_store_error(req, r);
		return;
	}
	const char *next =
	    n > (size_t)limit ? party_page(req, &n, limit, &rows[limit - 1].id) : NULL;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, party_org_json(&rows[i]));
	api_json(req, 200, api_list(items, next));
}

void party_orgs_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct party_org_row o;
	memset(&o, 0, sizeof o);
	o.active = true;
	o.name = api_string(&in, "name", true, 64, NULL);
	const char *kind = api_string(&in, "kind", true, 32, NULL);
	bool kind_ok = kind && party_kind_parse(kind, &o.kind);
	if (kind && !kind_ok)
		api_field_error(&in, "kind", "enum", "党组织类型无效");
	o.region_code = api_string(&in, "region_code", true, 15, NULL);
	struct region_row reg;
	bool region_ok = false;
	if (o.region_code) {
		if (region_level_of(o.region_code) == REGION_NONE ||
		    regions_get(ctx->db, &req->arena, o.region_code, &reg) != DB_ROW ||
		    strcmp(reg.status, "active") != 0)
			api_field_error(&in, "region_code", "unknown", "区划不存在");
		else
			region_ok = true;
	}
	if (region_ok && !api_reaches(ctx, ROLES_MANAGERS, o.region_code)) {
		api_problem(req, 403, "该区划不在您的管理范围内");
		goto out;
	}
	struct party_org_row parent;
	bool has_parent = false, parent_present;
	if (party_org_field(req, &in, "parent_id", false, &parent, &parent_present)) {
		if (!parent.active)
			api_field_error(&in, "parent_id", "dissolved", "上级党组织已撤销");
		else
			has_parent = true;
	}
	o.parent_id = has_parent ? parent.id : 0;
	o.unit = api_string(&in, "unit", false, 64, NULL);
	o.secretary = api_string(&in, "secretary", false, 32, NULL);
	o.note = api_string(&in, "note", false, 500, NULL);
	party_id_field(&in, "building_id", false, &o.building_id, NULL);
	if (json_array_size(in.errors) == 0 && region_ok && kind_ok) {
		const char *why = party_nesting_problem(has_parent ? (int)parent.kind : -1,
		                                        has_parent ? parent.region_code : NULL,
		                                        o.kind, o.region_code);
		if (why)
			nesting_error(&in, why, o.kind);
		if (!why && o.building_id) {
			int st = check_building(req, &in, o.building_id, o.kind, o.region_code, 0);
			if (st == 409) {
				api_problem(req, 409, "该楼栋已有党小组");
				goto out;
			}
		}
	}
	if (!api_input_end(req, &in))
		goto out;
	o.created_at = o.updated_at = time_now();
	enum db_result r = party_orgs_insert(ctx->db, &o);
	if (r != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	if (!add_event(req, o.id, "create", 0, o.parent_id, NULL, o.region_code, o.name))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "party_org:%lld", (long long)o.id);
	party_orgs_get(ctx->db, &req->arena, o.id, &o);
	api_json(req, 201, party_org_json(&o));
out:
	api_input_free(&in);
}

void party_orgs_get_h(struct http_req *req)
{
	struct party_org_row o;
	if (!party_load_org_path(req, false, &o))
		return;
	api_json(req, 200, party_org_json(&o));
}

void party_orgs_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct party_org_row o;
	if (!party_load_org_path(req, true, &o))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	bool has;
	const char *v = api_string(&in, "name", false, 64, &has);
	if (v)
		o.name = v;
	else if (has && json_array_size(in.errors) == 0)
		api_field_error(&in, "name", "required", "名称不能为空");
	v = api_string(&in, "unit", false, 64, &has);
	if (has)
		o.unit = v && *v ? v : NULL;
	v = api_string(&in, "secretary", false, 32, &has);
	if (has)
		o.secretary = v && *v ? v : NULL;
	v = api_string(&in, "note", false, 500, &has);
	if (has)
		o.note = v && *v ? v : NULL;
	int64_t building = 0;
	bool building_present = false;
	json_t *bj = json_object_get(in.body, "building_id");
	if (bj && json_is_null(bj)) {
		o.building_id = 0;
	} else if (party_id_field(&in, "building_id", false, &building, &building_present)) {
		int st = check_building(req, &in, building, o.kind, o.region_code, o.id);
		if (st == 409) {
			api_problem(req, 409, "该楼栋已有党小组");
			goto out;
		}
		o.building_id = building;
	}
	const char *status = api_string(&in, "status", false, 16, NULL);
	bool dissolve = false, restore = false;
	if (status) {
		if (strcmp(status, "dissolved") == 0)
			dissolve = o.active;
		else if (strcmp(status, "active") == 0)
			restore = !o.active;
		else
			api_field_error(&in, "status", "enum", "状态须为 active 或 dissolved");
	}
	if (!api_input_end(req, &in))
		goto out;
	if (dissolve) {
		int64_t members;
		if (o.child_count > 0) {
			api_problem(req, 409, "该党组织下还有下级党组织，不能撤销");
			goto out;
		}
		/* A 党小组's members name it in group_id, not as their primary branch. */
		if (party_members_count_held(ctx->db, o.id, &members) != DB_OK || members > 0) {
			api_problem(req, 409, "该党组织还有党员，请先转移党员组织关系");
			goto out;
		}
		o.active = false;
	}
	if (restore) {
		struct party_org_row p;
		if (o.parent_id &&
		    (party_orgs_get(ctx->db, &req->arena, o.parent_id, &p) != DB_ROW ||
		     !p.active)) {
			api_problem(req, 409, "上级党组织已撤销，不能恢复");
			goto out;
		}
		/* A building has one active party group: another may have been set up for it
		 * while this one was dissolved. */
		int64_t taken = 0;
		if (o.building_id &&
		    (party_orgs_building_taken(ctx->db, o.building_id, o.id, &taken) != DB_OK ||
		     taken > 0)) {
			api_problem(req, 409, "该楼栋已有党小组，不能恢复");
			goto out;
		}
		o.active = true;
	}
	o.updated_at = time_now();
	enum db_result r = party_orgs_update(ctx->db, &o);
	if (r != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	if (!add_event(req, o.id,
	               dissolve  ? "dissolve"
	               : restore ? "restore"
	                         : "update",
	               0, 0, NULL, NULL, o.name))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "party_org:%lld", (long long)o.id);
	party_orgs_get(ctx->db, &req->arena, o.id, &o);
	api_json(req, 200, party_org_json(&o));
out:
	api_input_free(&in);
}

void party_orgs_move_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct party_org_row o;
	if (!party_load_org_path(req, true, &o))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	json_t *pj = json_object_get(in.body, "parent_id");
	struct party_org_row parent;
	bool has_parent = false;
	if (!pj) {
		api_field_error(&in, "parent_id", "required",
		                "须指定新的上级党组织（或 null 表示无上级）");
	} else if (!json_is_null(pj) &&
	           party_org_field(req, &in, "parent_id", true, &parent, NULL)) {
		has_parent = true;
		bool cycle = false;
		if (!parent.active)
			api_field_error(&in, "parent_id", "dissolved", "上级党组织已撤销");
		else if (party_orgs_in_subtree(ctx->db, o.id, parent.id, &cycle) != DB_OK || cycle)
			api_field_error(&in, "parent_id", "cycle",
			                "不能移到自身或其下级党组织之下");
	}
	const char *region = api_string(&in, "region_code", false, 15, NULL);
	struct region_row reg;
	if (region && (region_level_of(region) == REGION_NONE ||
	               regions_get(ctx->db, &req->arena, region, &reg) != DB_ROW ||
	               strcmp(reg.status, "active") != 0)) {
		api_field_error(&in, "region_code", "unknown", "区划不存在");
		region = NULL;
	}
	const char *new_region = region ? region : o.region_code;
	if (json_array_size(in.errors) == 0) {
		if (!api_reaches(ctx, ROLES_MANAGERS, new_region)) {
			api_problem(req, 403, "目标区划不在您的管理范围内");
			goto out;
		}
		const char *why = party_nesting_problem(has_parent ? (int)parent.kind : -1,
		                                        has_parent ? parent.region_code : NULL,
		                                        o.kind, new_region);
		if (why)
			nesting_error(&in, why, o.kind);
		int64_t stranded = 0, groups = 0;
		if (!why && strcmp(new_region, o.region_code) != 0) {
			if (o.building_id)
				api_field_error(&in, "region_code", "building",
				                "对应楼栋的党小组不能移出楼栋所在网格");
			else if (party_orgs_building_groups(ctx->db, o.id, o.region_code,
			                                    &groups) != DB_OK ||
			         groups > 0) {
				/* A 楼栋党小组 stays with its building's grid: refuse rather than
				 * carry it away or split the branch from its groups silently. */
				api_problem(req, 409,
				            "其下有对应楼栋的党小组，楼栋不随迁移，请先调整或撤销这"
				            "些党小组");
				goto out;
			} else if (party_orgs_stranded(ctx->db, o.id, o.region_code, new_region,
			                               &stranded) != DB_OK ||
			           stranded > 0)
				api_field_error(&in, "region_code", "descendants",
				                "其下级党组织设在目标区划之外，不能整体迁移");
		}
	}
	if (!api_input_end(req, &in))
		goto out;
	int64_t now = time_now(), from_parent = o.parent_id;
	const char *from_region = o.region_code;
	o.parent_id = has_parent ? parent.id : 0;
	o.updated_at = now;
	enum db_result r = party_orgs_update(ctx->db, &o);
	if (r == DB_OK && strcmp(new_region, from_region) != 0)
		r = party_orgs_reanchor(ctx->db, o.id, from_region, new_region, now);
	if (r != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	if (!add_event(req, o.id, "move", from_parent, o.parent_id, from_region, new_region, NULL))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "party_org:%lld", (long long)o.id);
	ctx->audit_detail =
	    arena_printf(&req->arena, "parent %lld -> %lld, region %s -> %s",
	                 (long long)from_parent, (long long)o.parent_id, from_region, new_region);
	party_orgs_get(ctx->db, &req->arena, o.id, &o);
	api_json(req, 200, party_org_json(&o));
out:
	api_input_free(&in);
}

void party_orgs_history_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct party_org_row o;
	if (!party_load_org_path(req, false, &o))
		return;
	struct party_event_row *rows;
	size_t n;
	enum db_result r = party_org_events_list(ctx->db, &req->arena, o.id, &rows, &n);
	if (r != DB_OK) {
		api_store_error(req, r);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_object();
		json_set_int(e, "id", rows[i].id);
		json_set_time(e, "at", rows[i].at);
		json_set_str(e, "actor", rows[i].actor);
		json_set_str(e, "action", rows[i].action);
		party_set_id(e, "from_parent_id", rows[i].from_ref);
		party_set_id(e, "to_parent_id", rows[i].to_ref);
		json_set_str(e, "from_region", rows[i].from_region);
		json_set_str(e, "to_region", rows[i].to_region);
		json_set_str(e, "detail", rows[i].detail);
		json_array_append_new(items, e);
	}
	api_json(req, 200, api_list(items, NULL));
}

/* ---- the structure check ---- */

enum { GAP_LIST_MAX = 200 };

static json_t *org_ref(const struct party_org_row *o)
{
	if (!o)
		return json_null();
	json_t *j = json_object();
	json_set_int(j, "id", o->id);
	json_set_str(j, "name", o->name);
	json_set_str(j, "kind", party_kind_code(o->kind));
	json_set_str(j, "kind_name", party_kind_name_zh(o->kind));
	return j;
}

static void add_tier(json_t *tiers, json_t *missing, const char *code, const char *name,
                     int64_t count)
{
	json_t *t = json_object();
	json_set_str(t, "tier", code);
	json_set_str(t, "name", name);
	json_set_bool(t, "present", count > 0);
	json_set_int(t, "count", count);
	json_array_append_new(tiers, t);
	if (count <= 0)
		json_array_append_new(missing, json_string(code));
}

struct structure_totals {
	int64_t communities, complete, grids, grids_without, buildings, buildings_without, centers;
};

/* The five-tier chain of one community, or NULL on a store error. */
static json_t *community_chain(struct http_req *req, const struct party_grid_row *comm,
                               struct structure_totals *t)
{
	struct api_ctx *ctx = api_ctx(req);
	struct arena *a = &req->arena;
	char street[16];
	snprintf(street, sizeof street, "%.9s", comm->code);
	struct party_org_row *orgs, *street_org = NULL, *comm_org = NULL;
	size_t n;
	if (party_orgs_at(ctx->db, a, street, &orgs, &n) != DB_OK)
		return NULL;
	for (size_t i = 0; i < n && !street_org; i++)
		if (orgs[i].kind == PARTY_WORKING_COMMITTEE || orgs[i].kind == PARTY_COMMITTEE)
			street_org = &orgs[i];
	struct party_org_row *corgs;
	if (party_orgs_at(ctx->db, a, comm->code, &corgs, &n) != DB_OK)
		return NULL;
	for (size_t i = 0; i < n && !comm_org; i++)
		if (party_kind_community_org(corgs[i].kind))
			comm_org = &corgs[i];
	struct party_grid_row *grids;
	size_t ng;
	if (party_grid_branches(ctx->db, a, comm->code, &grids, &ng) != DB_OK)
		return NULL;
	struct party_building_row *bs;
	size_t nb;
	if (party_buildings(ctx->db, a, comm->code, &bs, &nb) != DB_OK)
		return NULL;
	int64_t centers;
	if (party_centers_count(ctx->db, comm->code, &centers) != DB_OK)
		return NULL;
	json_t *c = json_object();
	json_set_str(c, "code", comm->code);
	json_set_str(c, "name", comm->name);
	json_object_set_new(c, "street_org", org_ref(street_org));
	json_object_set_new(c, "community_org", org_ref(comm_org));
	int64_t with_branch = 0, with_group = 0;
	json_t *gaps = json_array();
	for (size_t i = 0; i < ng; i++) {
		if (grids[i].branches > 0) {
			with_branch++;
		} else if (json_array_size(gaps) < GAP_LIST_MAX) {
			json_t *g = json_object();
			json_set_str(g, "code", grids[i].code);
			json_set_str(g, "name", grids[i].name);
			json_array_append_new(gaps, g);
		}
	}
	json_set_int(c, "grids", (int64_t)ng);
	json_set_int(c, "grids_with_branch", with_branch);
	json_object_set_new(c, "grids_without_branch", gaps);
	json_t *bgaps = json_array();
	for (size_t i = 0; i < nb; i++) {
		if (bs[i].groups > 0) {
			with_group++;
		} else if (json_array_size(bgaps) < GAP_LIST_MAX) {
			json_t *b = json_object();
			json_set_int(b, "id", bs[i].id);
			json_set_str(b, "name", bs[i].name);
			json_set_str(b, "region_code", bs[i].region_code);
			json_array_append_new(bgaps, b);
		}
	}
	json_set_int(c, "buildings", (int64_t)nb);
	json_set_int(c, "buildings_with_group", with_group);
	json_object_set_new(c, "buildings_without_group", bgaps);
	json_set_int(c, "center_households", centers);
	json_t *tiers = json_array(), *missing = json_array();
	add_tier(tiers, missing, "street_committee", "镇(街道)党(工)委", street_org ? 1 : 0);
	add_tier(tiers, missing, "community_org", "村(社区)党组织", comm_org ? 1 : 0);
	add_tier(tiers, missing, "grid_branch", "网格党支部", with_branch);
	add_tier(tiers, missing, "building_group", "楼栋(宅上)党小组", with_group);
	add_tier(tiers, missing, "center_household", "党员中心户", centers);
	bool complete = json_array_size(missing) == 0 && with_branch == (int64_t)ng &&
	                with_group == (int64_t)nb;
	json_object_set_new(c, "tiers", tiers);
	json_object_set_new(c, "missing_tiers", missing);
	json_set_bool(c, "complete", complete);
	t->communities++;
	t->complete += complete;
	t->grids += (int64_t)ng;
	t->grids_without += (int64_t)ng - with_branch;
	t->buildings += (int64_t)nb;
	t->buildings_without += (int64_t)nb - with_group;
	t->centers += centers;
	return c;
}

void party_structure_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *region;
	if (!party_region_query(req, PARTY_STAFF, false, &region))
		return;
	enum region_level level = region_level_of(region);
	if (level == REGION_GRID) {
		api_problem(req, 400, "结构检查按社区汇总：region 须为区、街道或社区");
		return;
	}
	struct party_grid_row *comms;
	size_t nc;
	enum db_result r =
	    party_regions_under(ctx->db, &req->arena, region, REGION_COMMUNITY, &comms, &nc);
	if (r != DB_OK) {
		api_store_error(req, r);
		return;
	}
	struct structure_totals t = {0};
	json_t *items = json_array();
	for (size_t i = 0; i < nc; i++) {
		json_t *c = community_chain(req, &comms[i], &t);
		if (!c) {
			json_decref(items);
			api_store_error(req, DB_ERROR);
			return;
		}
		json_array_append_new(items, c);
	}
	/* Functional branches per child region (per community under a community). */
	int group_len = level == REGION_COMMUNITY ? 12 : (int)strlen(region) + 3;
	struct party_functional_row *fr;
	size_t nf;
	int64_t fmembers;
	r = party_functional_counts(ctx->db, &req->arena, region, group_len, &fr, &nf, &fmembers);
	if (r != DB_OK) {
		json_decref(items);
		api_store_error(req, r);
		return;
	}
	json_t *fitems = json_array();
	int64_t sinking = 0, social = 0;
	for (size_t i = 0; i < nf; i++) {
		json_t *f = json_object();
		json_set_str(f, "region_code", fr[i].region_code);
		struct region_row reg;
		if (regions_get(ctx->db, &req->arena, fr[i].region_code, &reg) == DB_ROW)
			json_set_str(f, "region_name", reg.name);
		json_set_int(f, "sinking_branches", fr[i].sinking);
		json_set_int(f, "social_branches", fr[i].social);
		json_set_int(f, "branches", fr[i].sinking + fr[i].social);
		json_set_int(f, "members", fr[i].members);
		json_array_append_new(fitems, f);
		sinking += fr[i].sinking;
		social += fr[i].social;
	}
	json_t *o = json_object();
	json_set_str(o, "region_code", region);
	json_t *s = json_object();
	json_set_int(s, "communities", t.communities);
	json_set_int(s, "communities_complete", t.complete);
	json_set_int(s, "grids", t.grids);
	json_set_int(s, "grids_without_branch", t.grids_without);
	json_set_int(s, "buildings", t.buildings);
	json_set_int(s, "buildings_without_group", t.buildings_without);
	json_set_int(s, "center_households", t.centers);
	json_set_int(s, "functional_branches", sinking + social);
	json_set_int(s, "functional_members", fmembers);
	json_object_set_new(o, "summary", s);
	json_object_set_new(o, "communities", items);
	json_t *fo = json_object();
	json_object_set_new(fo, "items", fitems);
	json_t *ft = json_object();
	json_set_int(ft, "sinking_branches", sinking);
	json_set_int(ft, "social_branches", social);
	json_set_int(ft, "branches", sinking + social);
	json_set_int(ft, "members", fmembers);
	json_object_set_new(fo, "totals", ft);
	json_object_set_new(o, "functional", fo);
	api_json(req, 200, o);
}
