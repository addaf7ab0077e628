/* /api/v1/pairings: 结对共建 — an agreement between a county unit's party organisation and a
 * village/community party organisation, with commitment items (承诺事项) tracked to 销号,
 * activity records and the pairing's problem / responsibility / task lists. The commitments
 * and their state machine are pairings_commitments.c's. */
#include "api/party/party.h"
#include "core/timeutil.h"

#include <string.h>

#define UNIT_ROLES      (ROLE_BIT(ROLE_CADRE) | ROLE_BIT(ROLE_DEPARTMENT))
#define COMMUNITY_ROLES (ROLE_BIT(ROLE_DISTRICT) | ROLE_BIT(ROLE_STREET) | ROLE_BIT(ROLE_COMMUNITY))

/* The sides of the pairing the caller acts for (SIDE_* bits). */
static unsigned sides_of(const struct api_ctx *ctx, const struct pairing_row *p)
{
	if (api_is_admin(ctx))
		return SIDE_UNIT | SIDE_COMMUNITY;
	unsigned s = 0;
	if (api_reaches(ctx, COMMUNITY_ROLES, p->region_code))
		s |= SIDE_COMMUNITY;
	if (ctx->who.unit[0] && p->unit && strcmp(ctx->who.unit, p->unit) == 0 &&
	    api_reaches(ctx, UNIT_ROLES, p->region_code))
		s |= SIDE_UNIT;
	return s;
}

/* The community's staff, or the paired unit's own people (sides_of). */
static bool pairing_visible(struct http_req *req, const void *obj)
{
	struct api_ctx *ctx = api_ctx(req);
	const struct pairing_row *p = obj;
	return sides_of(ctx, p) || api_reaches(ctx, PARTY_STAFF, p->region_code);
}

API_LOADER(pairing, "结对共建", 0, pairing_visible, struct pairing_row, store_pairings_get,
           region_code)

bool pairings_load(struct http_req *req, struct pairing_row *p, unsigned *sides)
{
	if (!pairing_from_path(req, p))
		return false;
	*sides = sides_of(api_ctx(req), p);
	return true;
}

static json_t *sides_json(unsigned sides)
{
	json_t *a = json_array();
	if (sides & SIDE_UNIT)
		json_array_append_new(a, json_string("unit"));
	if (sides & SIDE_COMMUNITY)
		json_array_append_new(a, json_string("community"));
	return a;
}

static json_t *pairing_json(const struct pairing_row *p, unsigned sides)
{
	json_t *o = json_object();
	json_set_int(o, "id", p->id);
	json_set_str(o, "title", p->title);
	json_set_int(o, "unit_org_id", p->unit_org_id);
	json_set_str(o, "unit_org_name", p->unit_org_name);
	json_set_str(o, "unit", p->unit);
	json_set_int(o, "community_org_id", p->community_org_id);
	json_set_str(o, "community_org_name", p->community_org_name);
	json_set_str(o, "region_code", p->region_code);
	json_set_str(o, "region_name", p->region_name);
	json_set_str(o, "signed_on", p->signed_on);
	json_set_str(o, "ends_on", p->ends_on);
	json_set_str(o, "note", p->note);
	json_set_str(o, "status", p->active ? "active" : "ended");
	json_set_int(o, "commitment_count", p->commitments);
	json_set_int(o, "commitments_closed", p->commitments_closed);
	json_set_int(o, "activity_count", p->activities);
	party_set_hours(o, "activity_hours", p->hours);
	json_object_set_new(o, "my_sides", sides_json(sides));
	json_set_time(o, "created_at", p->created_at);
	json_set_time(o, "updated_at", p->updated_at);
	return o;
}

static json_t *activity_json(const struct activity_row *v)
{
	json_t *o = json_object();
	json_set_int(o, "id", v->id);
	json_set_str(o, "title", v->title);
	json_set_str(o, "held_on", v->held_on);
	json_set_str(o, "place", v->place);
	json_set_str(o, "participants", v->participants);
	json_set_int(o, "people", v->people);
	party_set_hours(o, "hours", v->hours);
	json_set_str(o, "note", v->note);
	json_set_str(o, "recorded_by", v->recorded_by);
	json_set_time(o, "created_at", v->created_at);
	return o;
}

static json_t *item_json(const struct pairing_item_row *it)
{
	json_t *o = json_object();
	json_set_int(o, "id", it->id);
	json_set_str(o, "list", pairing_list_code(it->list));
	json_set_str(o, "list_name", pairing_list_name_zh(it->list));
	json_set_str(o, "content", it->content);
	json_set_str(o, "responsible", it->responsible);
	json_set_str(o, "deadline", it->deadline);
	json_set_str(o, "status", it->done ? "done" : "open");
	json_set_time(o, "created_at", it->created_at);
	json_set_time(o, "updated_at", it->updated_at);
	return o;
}

/* The answer of every write to a pairing: audited under its id, read back whole. */
static void respond_pairing(struct http_req *req, int status, struct pairing_row *p, unsigned sides)
{
	party_audit(req, "pairing", p->id);
	store_pairings_get(api_ctx(req)->db, &req->arena, p->id, p);
	api_json(req, status, pairing_json(p, sides));
}

/* A unit's pairing elsewhere stays hidden unless the caller is on a side. */
static json_t *pairing_item(struct http_req *req, const void *row)
{
	struct api_ctx *ctx = api_ctx(req);
	const struct pairing_row *p = row;
	unsigned sides = sides_of(ctx, p);
	if (!sides && !api_reaches(ctx, PARTY_STAFF, p->region_code))
		return NULL;
	return pairing_json(p, sides);
}

void pairings_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t after;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &after))
		return;
	struct pairing_filter f = {.after_id = after, .limit = limit + 1};
	const char *q = http_query(req, "region");
	if (q) {
		if (!party_region_query(req, PARTY_STAFF, true, &f.region))
			return;
	} else {
		/* Community staff see their region's pairings, unit staff their unit's. */
		f.region = party_default_region(req, PARTY_STAFF & ~UNIT_ROLES);
		f.unit = ctx->who.unit[0] ? ctx->who.unit : NULL;
		f.either = true;
		if (!f.region && !f.unit)
			f.region = party_default_region(req, PARTY_STAFF);
		if (!f.region && !f.unit) {
			api_problem(req, 400, "请用 region 参数指定区划");
			return;
		}
	}
	const char *unit = http_query(req, "unit");
	if (q && unit && *unit)
		f.unit = unit;
	struct pairing_row *rows;
	size_t n;
	enum db_result r = store_pairings_list(ctx->db, &req->arena, &f, &rows, &n);
	party_respond_page(req, r, rows, n, sizeof *rows, limit, pairing_item);
}

void pairings_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct pairing_row p;
	memset(&p, 0, sizeof p);
	struct party_org_row unit_org, comm_org;
	bool unit_ok = false, comm_ok = false;
	/* The unit's organisation sits outside the community's scope: any active organisation
	 * naming a unit will do. */
	if (party_id_field(&in, "unit_org_id", true, &p.unit_org_id, NULL)) {
		if (store_party_orgs_get(ctx->db, &req->arena, p.unit_org_id, &unit_org) != DB_ROW)
			api_field_error(&in, "unit_org_id", "unknown", "党组织不存在");
		else if (!unit_org.unit || !unit_org.active)
			api_field_error(&in, "unit_org_id", "kind",
			                "须为县（区）级单位的党组织（登记了单位名称）");
		else
			unit_ok = true;
	}
	if (party_org_target(req, &in, "community_org_id", true, ROLES_MANAGERS, &comm_org, NULL)) {
		if (!comm_org.active || !party_kind_community_org(comm_org.kind) ||
		    region_level_of(comm_org.region_code) != REGION_COMMUNITY)
			api_field_error(&in, "community_org_id", "kind", "须为村（社区）党组织");
		else
			comm_ok = true;
	}
	p.title = api_string(&in, "title", false, 100, NULL);
	p.signed_on = party_date_field(&in, "signed_on", true, NULL);
	p.ends_on = party_date_field(&in, "ends_on", false, NULL);
	if (p.signed_on && p.ends_on && strcmp(p.ends_on, p.signed_on) < 0)
		api_field_error(&in, "ends_on", "range", "结束日期不能早于签订日期");
	p.note = api_string(&in, "note", false, 500, NULL);
	if (!api_input_end(req, &in))
		goto out;
	(void)unit_ok;
	(void)comm_ok;
	if (!api_reaches(ctx, ROLES_MANAGERS, comm_org.region_code)) {
		api_problem(req, 403, "该社区党组织不在您的管理范围内");
		goto out;
	}
	p.community_org_id = comm_org.id;
	p.unit = unit_org.unit;
	p.region_code = comm_org.region_code;
	if (!p.title)
		p.title = arena_printf(&req->arena, "%s与%s结对共建", unit_org.name, comm_org.name);
	p.created_by = ctx->who.user_id;
	p.created_at = p.updated_at = time_now();
	enum db_result r = store_pairings_insert(ctx->db, &p);
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409, "这两个党组织已经结对");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	respond_pairing(req, 201, &p, sides_of(ctx, &p));
out:
	api_input_free(&in);
}

void pairings_get_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct pairing_row p;
	unsigned sides;
	if (!pairings_load(req, &p, &sides))
		return;
	/* The board is read whole or not at all: a store error is never an empty list. */
	struct commitment_row *cs;
	struct activity_row *vs;
	struct pairing_item_row *items;
	size_t ncs, nvs, nitems;
	enum db_result r = store_commitments_list(ctx->db, &req->arena, p.id, &cs, &ncs);
	if (r == DB_OK)
		r = store_activities_list(ctx->db, &req->arena, p.id, &vs, &nvs);
	if (r == DB_OK)
		r = store_pairing_items_list(ctx->db, &req->arena, p.id, &items, &nitems);
	if (!api_stored(req, r))
		return;
	json_t *o = pairing_json(&p, sides);
	json_t *arr = json_array();
	int64_t by_state[COMMIT_STATE_COUNT] = {0};
	for (size_t i = 0; i < ncs; i++) {
		json_array_append_new(arr, pairings_commitment_json(&cs[i], sides, p.active));
		by_state[cs[i].status]++;
	}
	json_object_set_new(o, "commitments", arr);
	json_t *counts = json_object();
	for (int s = 0; s < COMMIT_STATE_COUNT; s++)
		json_set_int(counts, commitment_state_code((enum commitment_state)s), by_state[s]);
	json_object_set_new(o, "commitment_counts", counts);
	arr = json_array();
	for (size_t i = 0; i < nvs; i++)
		json_array_append_new(arr, activity_json(&vs[i]));
	json_object_set_new(o, "activities", arr);
	json_t *lists = json_object();
	for (int l = 0; l < PAIRING_LIST_COUNT; l++)
		json_object_set_new(lists, pairing_list_code(l), json_array());
	for (size_t i = 0; i < nitems; i++)
		json_array_append_new(json_object_get(lists, pairing_list_code(items[i].list)),
		                      item_json(&items[i]));
	json_object_set_new(o, "lists", lists);
	api_json(req, 200, o);
}

void pairings_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct pairing_row p;
	unsigned sides;
	if (!pairings_load(req, &p, &sides))
		return;
	struct api_input in;
	if (!api_write_begin(req, ROLES_MANAGERS, p.region_code, "当前角色无权修改该结对共建", &in))
		return;
	bool has;
	const char *v = api_string(&in, "title", false, 100, &has);
	if (v)
		p.title = v;
	else if (has && json_array_size(in.errors) == 0)
		api_field_error(&in, "title", "required", "名称不能为空");
	v = party_date_field(&in, "ends_on", false, &has);
	if (has)
		p.ends_on = v;
	if (p.ends_on && strcmp(p.ends_on, p.signed_on) < 0)
		api_field_error(&in, "ends_on", "range", "结束日期不能早于签订日期");
	v = api_string(&in, "note", false, 500, &has);
	if (has)
		p.note = v && *v ? v : NULL;
	const char *status = api_string(&in, "status", false, 16, NULL);
	if (status) {
		if (strcmp(status, "active") == 0)
			p.active = true;
		else if (strcmp(status, "ended") == 0)
			p.active = false;
		else
			api_field_error(&in, "status", "enum", "状态须为 active 或 ended");
	}
	if (!api_input_end(req, &in))
		goto out;
	p.updated_at = time_now();
	enum db_result r = store_pairings_update(ctx->db, &p);
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409, "这两个党组织已有生效的结对");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	respond_pairing(req, 200, &p, sides);
out:
	api_input_free(&in);
}

bool pairings_load_for_write(struct http_req *req, struct pairing_row *p, unsigned need,
                             unsigned *sides, struct api_input *in)
{
	if (!pairings_load(req, p, sides))
		return false;
	if (!(*sides & need)) {
		api_problem(req, 403,
		            need == SIDE_UNIT ? "只有结对单位一方可以登记"
		                              : "当前角色无权操作该结对共建");
		return false;
	}
	if (!p->active) {
		api_problem(req, 409, "该结对共建已结束");
		return false;
	}
	return !in || api_input_begin(req, in);
}

void pairings_activity_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct pairing_row p;
	unsigned sides;
	struct api_input in;
	if (!pairings_load_for_write(req, &p, SIDE_UNIT | SIDE_COMMUNITY, &sides, &in))
		return;
	struct activity_row v;
	memset(&v, 0, sizeof v);
	v.pairing_id = p.id;
	v.title = api_string(&in, "title", true, 100, NULL);
	v.held_on = party_date_field(&in, "held_on", true, NULL);
	v.place = api_string(&in, "place", false, 100, NULL);
	v.participants = api_string(&in, "participants", false, 500, NULL);
	api_int(&in, "people", false, 0, 100000, &v.people, NULL);
	party_hours_field(&in, "hours", false, 100000, &v.hours);
	v.note = api_string(&in, "note", false, 1000, NULL);
	if (!api_input_end(req, &in))
		goto out;
	v.created_by = ctx->who.user_id;
	v.recorded_by = ctx->who.name;
	v.created_at = time_now();
	enum db_result r = store_activities_insert(ctx->db, &v);
	if (!party_written(req, r, "pairing_activity", v.id))
		goto out;
	api_json(req, 201, activity_json(&v));
out:
	api_input_free(&in);
}

static void read_item(struct api_input *in, struct pairing_item_row *it, bool create)
{
	bool has;
	const char *v = api_string(in, "content", create, 500, &has);
	if (v)
		it->content = v;
	else if (has && json_array_size(in->errors) == 0)
		api_field_error(in, "content", "required", "内容不能为空");
	v = api_string(in, "responsible", false, 64, &has);
	if (has)
		it->responsible = v && *v ? v : NULL;
	v = party_date_field(in, "deadline", false, &has);
	if (has)
		it->deadline = v;
	const char *status = api_string(in, "status", false, 16, NULL);
	if (status) {
		if (strcmp(status, "open") == 0 || strcmp(status, "done") == 0)
			it->done = strcmp(status, "done") == 0;
		else
			api_field_error(in, "status", "enum", "状态须为 open 或 done");
	}
}

void pairings_item_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct pairing_row p;
	unsigned sides;
	struct api_input in;
	if (!pairings_load_for_write(req, &p, SIDE_UNIT | SIDE_COMMUNITY, &sides, &in))
		return;
	struct pairing_item_row it;
	memset(&it, 0, sizeof it);
	it.pairing_id = p.id;
	const char *list = api_string(&in, "list", true, 20, NULL);
	if (list && !pairing_list_parse(list, &it.list))
		api_field_error(&in, "list", "enum", "清单须为 problem、responsibility 或 task");
	read_item(&in, &it, true);
	if (!api_input_end(req, &in))
		goto out;
	it.created_by = ctx->who.user_id;
	it.created_at = it.updated_at = time_now();
	enum db_result r = store_pairing_items_insert(ctx->db, &it);
	if (!party_written(req, r, "pairing_item", it.id))
		goto out;
	api_json(req, 201, item_json(&it));
out:
	api_input_free(&in);
}

void pairings_item_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct pairing_row p;
	unsigned sides;
	if (!pairings_load_for_write(req, &p, SIDE_UNIT | SIDE_COMMUNITY, &sides, NULL))
		return;
	int64_t iid;
	struct pairing_item_row it;
	if (!api_path_id(req, "iid", "清单事项", &iid))
		return;
	enum db_result ir = store_pairing_items_get(ctx->db, &req->arena, iid, &it);
	if (!party_found(req, ir, ir == DB_ROW && it.pairing_id == p.id, "清单事项"))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	read_item(&in, &it, false);
	if (!api_input_end(req, &in))
		goto out;
	it.updated_at = time_now();
	enum db_result r = store_pairing_items_update(ctx->db, &it);
	if (!party_written(req, r, "pairing_item", it.id))
		goto out;
	api_json(req, 200, item_json(&it));
out:
	api_input_free(&in);
}
