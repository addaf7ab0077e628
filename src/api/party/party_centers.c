/* /api/v1/party/center-households: 党员中心户 — a member's household that liaises with a
 * list of neighbour households — and the coverage report (households covered / total) per
 * child region. */
#include "api/party/party.h"
#include "core/timeutil.h"
#include "store/platform/regions.h"

#include <string.h>

static json_t *center_json(const struct party_center_row *c)
{
	json_t *o = json_object();
	json_set_int(o, "id", c->id);
	json_set_int(o, "member_id", c->member_id);
	json_set_str(o, "member_name", c->member_name);
	json_set_int(o, "household_id", c->household_id);
	json_set_str(o, "region_code", c->region_code);
	party_set_id(o, "org_id", c->org_id);
	json_set_str(o, "note", c->note);
	json_set_str(o, "status", c->active ? "active" : "ended");
	json_set_int(o, "household_count", c->link_count);
	json_set_time(o, "created_at", c->created_at);
	json_set_time(o, "updated_at", c->updated_at);
	return o;
}

static json_t *center_full_json(struct http_req *req, const struct party_center_row *c)
{
	struct api_ctx *ctx = api_ctx(req);
	json_t *o = center_json(c);
	json_t *arr = json_array();
	int64_t *ids;
	size_t n;
	if (store_party_center_links_list(ctx->db, &req->arena, c->id, &ids, &n) == DB_OK)
		for (size_t i = 0; i < n; i++) {
			struct party_base_ref h;
			json_t *j = json_object();
			json_set_int(j, "id", ids[i]);
			if (store_party_household_ref(ctx->db, &req->arena, ids[i], &h) == DB_ROW) {
				json_set_str(j, "region_code", h.region_code);
				json_set_str(j, "number", h.name);
			}
			json_array_append_new(arr, j);
		}
	json_object_set_new(o, "households", arr);
	return o;
}

/* An ended center is gone for the API; an active one is seen by the region's party staff. */
static bool center_visible(struct http_req *req, const void *obj)
{
	const struct party_center_row *c = obj;
	return c->active && api_reaches(api_ctx(req), PARTY_STAFF, c->region_code);
}

API_LOADER(center, "党员中心户", 0, center_visible, struct party_center_row,
           store_party_centers_get, region_code)

static bool load_center(struct http_req *req, bool manage, struct party_center_row *c)
{
	if (!center_from_path(req, c))
		return false;
	if (manage && !api_reaches(api_ctx(req), ROLES_MANAGERS, c->region_code)) {
		api_problem(req, 403, "该党员中心户不在您的管理范围内");
		return false;
	}
	return true;
}

/* A neighbour household for a center: exists, in the center's community, not the center's
 * own. 0 when fine, 422 when recorded in in. */
static int check_neighbour(struct http_req *req, struct api_input *in, const char *field,
                           int64_t household_id, const char *center_region, int64_t own)
{
	struct party_base_ref h;
	if (store_party_household_ref(api_ctx(req)->db, &req->arena, household_id, &h) != DB_ROW) {
		api_field_error(in, field, "unknown", "户不存在");
		return 422;
	}
	if (strncmp(h.region_code, center_region, 12) != 0) {
		api_field_error(in, field, "region", "联系户须与中心户在同一社区");
		return 422;
	}
	if (household_id == own) {
		api_field_error(in, field, "self", "不能联系自身所在户");
		return 422;
	}
	return 0;
}

/* The answer of every write to a center: audited under its id, read back whole. */
static void respond_center(struct http_req *req, int status, struct party_center_row *c)
{
	party_audit(req, "party_center", c->id);
	store_party_centers_get(api_ctx(req)->db, &req->arena, c->id, c);
	api_json(req, status, center_full_json(req, c));
}

API_ITEM(center_item, center_json)

void party_centers_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t after;
	const char *region;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &after) ||
	    !party_region_query(req, PARTY_STAFF, true, &region))
		return;
	struct party_center_row *rows;
	size_t n;
	enum db_result r =
	    store_party_centers_list(ctx->db, &req->arena, region, after, limit + 1, &rows, &n);
	party_respond_page(req, r, rows, n, sizeof *rows, limit, center_item);
}

/* The member a center is for: 422 "unknown" when there is none, 403 "scope" when they lie
 * outside the caller's regions. False unless m was loaded and is in scope. */
static bool read_center_member(struct http_req *req, struct api_input *in,
                               struct party_member_row *m)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t member_id = 0;
	if (!party_id_field(in, "member_id", true, &member_id, NULL))
		return false;
	/* Out of scope (another region's member, household or branch) is 403 "scope" (API.md);
	 * a reference to nothing is 422 "unknown". */
	if (store_party_members_get(ctx->db, &req->arena, member_id, m) != DB_ROW) {
		api_field_error(in, "member_id", "unknown", "党员不存在");
		return false;
	}
	if (!api_reaches(ctx, PARTY_STAFF, m->region_code)) {
		api_field_error(in, "member_id", "scope", "该党员超出您的管辖范围");
		return false;
	}
	return true;
}

/* The center's household into c->household_id and h: the one given, else the member's own
 * (a resident's household). */
static void read_center_household(struct http_req *req, struct api_input *in,
                                  struct party_center_row *c, const struct party_member_row *m,
                                  bool member_ok, struct party_base_ref *h)
{
	struct api_ctx *ctx = api_ctx(req);
	bool has_household;
	party_id_field(in, "household_id", false, &c->household_id, &has_household);
	if (member_ok && !has_household && m->resident_id) {
		struct party_base_ref res;
		if (store_party_resident_ref(ctx->db, &req->arena, m->resident_id, &res) == DB_ROW)
			c->household_id = res.household_id;
	}
	memset(h, 0, sizeof *h);
	if (c->household_id) {
		if (store_party_household_ref(ctx->db, &req->arena, c->household_id, h) != DB_ROW) {
			api_field_error(in, "household_id", "unknown", "户不存在");
			c->household_id = 0;
		} else if (has_household && !api_reaches(ctx, ROLES_MANAGERS, h->region_code)) {
			api_field_error(in, "household_id", "scope", "该户超出您的管辖范围");
		}
	} else if (member_ok && !has_household) {
		api_field_error(in, "household_id", "required", "须指定中心户所在的户");
	}
}

/* The "households" array of neighbours (at most 200), each checked by check_neighbour once
 * the rest of the body is valid; NULL when absent. */
static json_t *read_neighbours(struct http_req *req, struct api_input *in,
                               const struct party_center_row *c, const struct party_base_ref *h)
{
	json_t *hh = json_object_get(in->body, "households");
	if (hh && !json_is_array(hh) && !json_is_null(hh)) {
		in->type_error = true;
		api_field_error(in, "households", "type", "应为户编号数组");
	} else if (json_array_size(hh) > 200) {
		api_field_error(in, "households", "too_many", "联系户最多 200 户");
	}
	if (json_array_size(in->errors) != 0 || !c->household_id)
		return hh;
	size_t i;
	json_t *v;
	json_array_foreach(hh, i, v)
	{
		const char *f = arena_printf(&req->arena, "households[%zu]", i);
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			api_field_error(in, f, "type", "应为户编号");
			continue;
		}
		check_neighbour(req, in, f, json_integer_value(v), h->region_code, c->household_id);
	}
	return hh;
}

/* Writes the center and its neighbour links; false after responding (409 when the member,
 * the household or a neighbour is taken). */
static bool insert_center(struct http_req *req, struct party_center_row *c, json_t *hh)
{
	struct api_ctx *ctx = api_ctx(req);
	enum db_result r = store_party_centers_insert(ctx->db, c);
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409, "该党员或该户已是党员中心户");
		return false;
	}
	size_t i;
	json_t *v;
	json_array_foreach(hh, i, v)
	{
		if (r != DB_OK)
			break;
		r = store_party_center_links_add(ctx->db, c->id, json_integer_value(v));
		if (r == DB_CONSTRAINT) {
			api_problem(req, 409,
			            arena_printf(&req->arena, "户 %lld 已由其他党员中心户联系",
			                         (long long)json_integer_value(v)));
			return false;
		}
	}
	if (!api_stored(req, r))
		return false;
	return true;
}

void party_centers_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct party_center_row c;
	memset(&c, 0, sizeof c);
	struct party_member_row m;
	memset(&m, 0, sizeof m);
	struct party_base_ref h;
	bool member_ok = read_center_member(req, &in, &m);
	read_center_household(req, &in, &c, &m, member_ok, &h);
	struct party_org_row org;
	if (party_org_target(req, &in, "org_id", false, PARTY_STAFF, &org, NULL)) {
		c.org_id = org.id;
		if (org.kind != PARTY_GROUP && !party_kind_holds_members(org.kind))
			api_field_error(&in, "org_id", "kind", "须为党支部或党小组");
	}
	c.note = api_string(&in, "note", false, 500, NULL);
	json_t *hh = read_neighbours(req, &in, &c, &h);
	if (!api_input_end(req, &in))
		goto out;
	if (!api_reaches(ctx, ROLES_MANAGERS, h.region_code)) {
		api_problem(req, 403, "该户不在您的管理范围内");
		goto out;
	}
	if (m.status == MEMBER_TRANSFERRED_OUT) {
		api_problem(req, 409, "已转出的党员不能作为党员中心户");
		goto out;
	}
	c.member_id = m.id;
	c.region_code = h.region_code;
	c.created_at = c.updated_at = time_now();
	if (!insert_center(req, &c, hh))
		goto out;
	respond_center(req, 201, &c);
out:
	api_input_free(&in);
}

void party_centers_get_h(struct http_req *req)
{
	struct party_center_row c;
	if (!load_center(req, false, &c))
		return;
	api_json(req, 200, center_full_json(req, &c));
}

void party_centers_end_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct party_center_row c;
	if (!load_center(req, true, &c))
		return;
	enum db_result r = store_party_centers_end(ctx->db, c.id, time_now());
	if (!party_written(req, r, "party_center", c.id))
		return;
	api_no_content(req);
}

void party_centers_link_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct party_center_row c;
	struct api_input in;
	if (!load_center(req, true, &c) || !api_input_begin(req, &in))
		return;
	int64_t hid;
	if (party_id_field(&in, "household_id", true, &hid, NULL))
		check_neighbour(req, &in, "household_id", hid, c.region_code, c.household_id);
	if (!api_input_end(req, &in))
		goto out;
	enum db_result r = store_party_center_links_add(ctx->db, c.id, hid);
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409, "该户已由党员中心户联系");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_detail = arena_printf(&req->arena, "household=%lld", (long long)hid);
	respond_center(req, 201, &c);
out:
	api_input_free(&in);
}

void party_centers_unlink_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct party_center_row c;
	int64_t hid;
	if (!load_center(req, true, &c) || !api_path_id(req, "household_id", "联系户", &hid))
		return;
	enum db_result r = store_party_center_links_remove(ctx->db, c.id, hid);
	if (r == DB_DONE) {
		api_problem(req, 404, "联系户不存在");
		return;
	}
	if (!party_written(req, r, "party_center", c.id))
		return;
	ctx->audit_detail = arena_printf(&req->arena, "household=%lld", (long long)hid);
	api_no_content(req);
}

void party_centers_coverage_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *region;
	if (!party_region_query(req, PARTY_STAFF, false, &region))
		return;
	enum region_level level = region_level_of(region);
	int group_len = level == REGION_GRID ? 15 : (int)strlen(region) + 3;
	struct party_coverage_row *rows;
	size_t n;
	enum db_result r = store_party_coverage(ctx->db, &req->arena, region, group_len, &rows, &n);
	if (!api_stored(req, r))
		return;
	/* Every active child region is listed, with zeros where nothing is recorded. */
	struct party_grid_row *kids;
	size_t nk;
	if (level == REGION_GRID) {
		struct region_row reg;
		kids = arena_alloc(&req->arena, sizeof(*kids));
		memset(kids, 0, sizeof(*kids));
		kids->code = region;
		if (store_regions_get(ctx->db, &req->arena, region, &reg) == DB_ROW)
			kids->name = reg.name;
		nk = 1;
	} else {
		r = store_party_regions_under(ctx->db, &req->arena, region, (int)level + 1, &kids,
		                              &nk);
		if (!api_stored(req, r))
			return;
	}
	int64_t total = 0, covered = 0, centers = 0;
	json_t *items = json_array();
	for (size_t k = 0; k < nk; k++) {
		int64_t t = 0, c = 0, ce = 0;
		for (size_t i = 0; i < n; i++)
			if (strcmp(rows[i].region_code, kids[k].code) == 0) {
				t = rows[i].households;
				c = rows[i].covered;
				ce = rows[i].centers;
			}
		json_t *o = json_object();
		json_set_str(o, "region_code", kids[k].code);
		json_set_str(o, "region_name", kids[k].name);
		json_set_int(o, "households", t);
		json_set_int(o, "covered", c);
		json_set_int(o, "center_households", ce);
		party_set_rate(o, "rate", c, t);
		json_array_append_new(items, o);
	}
	/* Totals count every household under the region, also those of retired grids. */
	for (size_t i = 0; i < n; i++) {
		total += rows[i].households;
		covered += rows[i].covered;
		centers += rows[i].centers;
	}
	json_t *o = json_object();
	json_set_str(o, "region_code", region);
	json_t *t = json_object();
	json_set_int(t, "households", total);
	json_set_int(t, "covered", covered);
	json_set_int(t, "center_households", centers);
	party_set_rate(t, "rate", covered, total);
	json_object_set_new(o, "totals", t);
	json_object_set_new(o, "items", items);
	api_json(req, 200, o);
}
