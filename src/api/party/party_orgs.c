/* /api/v1/party/orgs: the party organisation tree (党组织), anchored to the region tree and,
 * for 楼栋党小组, to a building; moves keep members and history. Nesting rules live in
 * domain/party.c; the structure check over the tree is party_structure.c's. */
#include "api/party/party.h"
#include "core/timeutil.h"
#include "store/platform/regions.h"

#include <stdlib.h>
#include <string.h>

/* One entry of the organisation's history. */
static bool add_event(struct http_req *req, int64_t org_id, const char *action, int64_t from_parent,
                      int64_t to_parent, const char *from_region, const char *to_region,
                      const char *detail)
{
	struct party_event_row e = {.ref_id = org_id,
	                            .action = action,
	                            .from_ref = from_parent,
	                            .to_ref = to_parent,
	                            .from_region = from_region,
	                            .to_region = to_region,
	                            .detail = detail};
	return party_history_add(req, store_party_org_events_add, &e);
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
	if (store_party_building_ref(ctx->db, &req->arena, building_id, &b) != DB_ROW) {
		api_field_error(in, "building_id", "unknown", "楼栋不存在");
		return 422;
	}
	if (strcmp(b.region_code, region) != 0) {
		api_field_error(in, "building_id", "region", "楼栋须在党小组所在的网格内");
		return 422;
	}
	struct party_org_row *rows;
	size_t n;
	if (store_party_orgs_at(ctx->db, &req->arena, region, &rows, &n) == DB_OK)
		for (size_t i = 0; i < n; i++)
			if (rows[i].building_id == building_id && rows[i].id != self_id &&
			    rows[i].kind == PARTY_GROUP)
				return 409;
	return 0;
}

API_ITEM(org_item, party_org_json)

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
	enum db_result r = store_party_orgs_list(ctx->db, &req->arena, &f, &rows, &n);
	party_respond_page(req, r, rows, n, sizeof *rows, limit, org_item);
}

/* The answer of every write to an organisation: audited under its id, read back whole. */
static void respond_org(struct http_req *req, int status, struct party_org_row *o)
{
	struct api_ctx *ctx = api_ctx(req);
	party_audit(req, "party_org", o->id);
	store_party_orgs_get(ctx->db, &req->arena, o->id, o);
	api_json(req, status, party_org_json(o));
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
		    store_regions_get(ctx->db, &req->arena, o.region_code, &reg) != DB_ROW ||
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
	enum db_result r = store_party_orgs_insert(ctx->db, &o);
	if (!api_stored(req, r))
		goto out;
	if (!add_event(req, o.id, "create", 0, o.parent_id, NULL, o.region_code, o.name))
		goto out;
	respond_org(req, 201, &o);
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

/* Reads the changeable fields of a PATCH into o, and the status change asked for. False
 * after responding 409 (the building named already has its party group). */
static bool read_org_patch(struct http_req *req, struct api_input *in, struct party_org_row *o,
                           bool *dissolve, bool *restore)
{
	bool has;
	const char *v = api_string(in, "name", false, 64, &has);
	if (v)
		o->name = v;
	else if (has && json_array_size(in->errors) == 0)
		api_field_error(in, "name", "required", "名称不能为空");
	v = api_string(in, "unit", false, 64, &has);
	if (has)
		o->unit = v && *v ? v : NULL;
	v = api_string(in, "secretary", false, 32, &has);
	if (has)
		o->secretary = v && *v ? v : NULL;
	v = api_string(in, "note", false, 500, &has);
	if (has)
		o->note = v && *v ? v : NULL;
	int64_t building = 0;
	bool building_present = false;
	json_t *bj = json_object_get(in->body, "building_id");
	if (bj && json_is_null(bj)) {
		o->building_id = 0;
	} else if (party_id_field(in, "building_id", false, &building, &building_present)) {
		if (check_building(req, in, building, o->kind, o->region_code, o->id) == 409) {
			api_problem(req, 409, "该楼栋已有党小组");
			return false;
		}
		o->building_id = building;
	}
	const char *status = api_string(in, "status", false, 16, NULL);
	*dissolve = *restore = false;
	if (status) {
		if (strcmp(status, "dissolved") == 0)
			*dissolve = o->active;
		else if (strcmp(status, "active") == 0)
			*restore = !o->active;
		else
			api_field_error(in, "status", "enum", "状态须为 active 或 dissolved");
	}
	return true;
}

/* An organisation is dissolved only when empty: no child organisations, no members. False
 * after responding 409. */
static bool dissolve_ok(struct http_req *req, const struct party_org_row *o)
{
	int64_t members;
	if (o->child_count > 0) {
		api_problem(req, 409, "该党组织下还有下级党组织，不能撤销");
		return false;
	}
	/* A 党小组's members name it in group_id, not as their primary branch. */
	if (store_party_members_count_held(api_ctx(req)->db, o->id, &members) != DB_OK ||
	    members > 0) {
		api_problem(req, 409, "该党组织还有党员，请先转移党员组织关系");
		return false;
	}
	return true;
}

/* A dissolved organisation comes back only under an active parent, and a 楼栋党小组 only
 * while its building has no other. False after responding 409. */
static bool restore_ok(struct http_req *req, const struct party_org_row *o)
{
	struct api_ctx *ctx = api_ctx(req);
	struct party_org_row p;
	if (o->parent_id &&
	    (store_party_orgs_get(ctx->db, &req->arena, o->parent_id, &p) != DB_ROW || !p.active)) {
		api_problem(req, 409, "上级党组织已撤销，不能恢复");
		return false;
	}
	/* A building has one active party group: another may have been set up for it while
	 * this one was dissolved. */
	int64_t taken = 0;
	if (o->building_id &&
	    (store_party_orgs_building_taken(ctx->db, o->building_id, o->id, &taken) != DB_OK ||
	     taken > 0)) {
		api_problem(req, 409, "该楼栋已有党小组，不能恢复");
		return false;
	}
	return true;
}

void party_orgs_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct party_org_row o;
	struct api_input in;
	if (!party_load_org_path(req, true, &o) || !api_input_begin(req, &in))
		return;
	bool dissolve, restore;
	if (!read_org_patch(req, &in, &o, &dissolve, &restore) || !api_input_end(req, &in))
		goto out;
	if ((dissolve && !dissolve_ok(req, &o)) || (restore && !restore_ok(req, &o)))
		goto out;
	if (dissolve || restore)
		o.active = restore;
	o.updated_at = time_now();
	enum db_result r = store_party_orgs_update(ctx->db, &o);
	if (!api_stored(req, r))
		goto out;
	if (!add_event(req, o.id,
	               dissolve  ? "dissolve"
	               : restore ? "restore"
	                         : "update",
	               0, 0, NULL, NULL, o.name))
		goto out;
	respond_org(req, 200, &o);
out:
	api_input_free(&in);
}

/* The new parent of a move ({"parent_id": null}: none) into parent; false when there is
 * none. Records 422s: missing, unknown, dissolved, or inside the organisation's own subtree. */
static bool read_move_parent(struct http_req *req, struct api_input *in,
                             const struct party_org_row *o, struct party_org_row *parent)
{
	json_t *pj = json_object_get(in->body, "parent_id");
	if (!pj) {
		api_field_error(in, "parent_id", "required",
		                "须指定新的上级党组织（或 null 表示无上级）");
		return false;
	}
	if (json_is_null(pj) || !party_org_field(req, in, "parent_id", true, parent, NULL))
		return false;
	bool cycle = false;
	if (!parent->active)
		api_field_error(in, "parent_id", "dissolved", "上级党组织已撤销");
	else if (store_party_orgs_in_subtree(api_ctx(req)->db, o->id, parent->id, &cycle) !=
	             DB_OK ||
	         cycle)
		api_field_error(in, "parent_id", "cycle", "不能移到自身或其下级党组织之下");
	return true;
}

/* Whether o may move to new_region under parent (NULL: none): records 422s (nesting, a
 * building's group leaving its grid, descendants left outside); false after responding 403
 * (a region the caller does not manage) or 409 (building groups below would be split off). */
static bool move_ok(struct http_req *req, struct api_input *in, const struct party_org_row *o,
                    const struct party_org_row *parent, const char *new_region)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!api_reaches(ctx, ROLES_MANAGERS, new_region)) {
		api_problem(req, 403, "目标区划不在您的管理范围内");
		return false;
	}
	const char *why =
	    party_nesting_problem(parent ? (int)parent->kind : -1,
	                          parent ? parent->region_code : NULL, o->kind, new_region);
	if (why)
		nesting_error(in, why, o->kind);
	int64_t stranded = 0, groups = 0;
	if (why || strcmp(new_region, o->region_code) == 0)
		return true;
	if (o->building_id) {
		api_field_error(in, "region_code", "building",
		                "对应楼栋的党小组不能移出楼栋所在网格");
	} else if (store_party_orgs_building_groups(ctx->db, o->id, o->region_code, &groups) !=
	               DB_OK ||
	           groups > 0) {
		/* A 楼栋党小组 stays with its building's grid: refuse rather than carry it away or
		 * split the branch from its groups silently. */
		api_problem(req, 409,
		            "其下有对应楼栋的党小组，楼栋不随迁移，请先调整或撤销这些党小组");
		return false;
	} else if (store_party_orgs_stranded(ctx->db, o->id, o->region_code, new_region,
	                                     &stranded) != DB_OK ||
	           stranded > 0) {
		api_field_error(in, "region_code", "descendants",
		                "其下级党组织设在目标区划之外，不能整体迁移");
	}
	return true;
}

void party_orgs_move_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct party_org_row o;
	struct api_input in;
	if (!party_load_org_path(req, true, &o) || !api_input_begin(req, &in))
		return;
	struct party_org_row parent;
	bool has_parent = read_move_parent(req, &in, &o, &parent);
	const char *region = api_string(&in, "region_code", false, 15, NULL);
	struct region_row reg;
	if (region && (region_level_of(region) == REGION_NONE ||
	               store_regions_get(ctx->db, &req->arena, region, &reg) != DB_ROW ||
	               strcmp(reg.status, "active") != 0)) {
		api_field_error(&in, "region_code", "unknown", "区划不存在");
		region = NULL;
	}
	const char *new_region = region ? region : o.region_code;
	if (json_array_size(in.errors) == 0 &&
	    !move_ok(req, &in, &o, has_parent ? &parent : NULL, new_region))
		goto out;
	if (!api_input_end(req, &in))
		goto out;
	int64_t now = time_now(), from_parent = o.parent_id;
	const char *from_region = o.region_code;
	o.parent_id = has_parent ? parent.id : 0;
	o.updated_at = now;
	enum db_result r = store_party_orgs_update(ctx->db, &o);
	if (r == DB_OK && strcmp(new_region, from_region) != 0)
		r = store_party_orgs_reanchor(ctx->db, o.id, from_region, new_region, now);
	if (!api_stored(req, r))
		goto out;
	if (!add_event(req, o.id, "move", from_parent, o.parent_id, from_region, new_region, NULL))
		goto out;
	ctx->audit_detail =
	    arena_printf(&req->arena, "parent %lld -> %lld, region %s -> %s",
	                 (long long)from_parent, (long long)o.parent_id, from_region, new_region);
	respond_org(req, 200, &o);
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
	enum db_result r = store_party_org_events_list(ctx->db, &req->arena, o.id, &rows, &n);
	if (!api_stored(req, r))
		return;
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
