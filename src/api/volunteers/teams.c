/* /api/v1/volunteer-teams: volunteer teams (志愿服务队) at a community or street with a
 * leader, and their members — residents (by resident record, or their own account) and staff
 * joining and leaving. */
#include "api/volunteers/volunteers.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/region.h"
#include "store/platform/regions.h"
#include "store/platform/users.h"

#include <string.h>

void vol_self(struct api_ctx *ctx, struct arena *a, struct vol_person *p)
{
	memset(p, 0, sizeof *p);
	p->user_id = ctx->who.user_id;
	p->person = arena_printf(a, "user:%lld", (long long)ctx->who.user_id);
}

bool vol_near(const struct api_ctx *ctx, const char *region)
{
	for (size_t i = 0; i < ctx->who.ngrants; i++) {
		const char *g = ctx->who.grants[i].region_code;
		if (g[0] && (region_covers(region, g) || region_covers(g, region)))
			return true;
	}
	return false;
}

void vol_read_person(struct http_req *req, struct api_input *in, const char *region,
                     struct vol_person *p)
{
	struct api_ctx *ctx = api_ctx(req);
	bool has = false;
	int64_t rid = 0;
	api_int(in, "resident_id", false, 1, INT64_MAX, &rid, &has);
	memset(p, 0, sizeof *p);
	if (json_array_size(in->errors))
		return;
	if (!has) {
		vol_self(ctx, &req->arena, p);
		if (!ctx->who.user_id || !vol_near(ctx, region))
			api_field_error(in, "resident_id", "scope",
			                "只有该区域的居民和工作人员可以报名");
		return;
	}
	struct resident_row r;
	if (!(api_roles(ctx) & VOL_STAFF))
		api_field_error(in, "resident_id", "scope", "只能为本人报名");
	else if (store_residents_get(ctx->db, &req->arena, rid, &r) != DB_ROW)
		api_field_error(in, "resident_id", "unknown", "居民不存在");
	else if (!api_reaches(ctx, VOL_STAFF, r.region_code))
		api_field_error(in, "resident_id", "scope", "该居民不在您的管辖范围内");
	else if (!region_covers(region, r.region_code))
		api_field_error(in, "resident_id", "not_eligible", "该居民不在此服务的区域内");
	p->resident_id = rid;
	p->person = arena_printf(&req->arena, "resident:%lld", (long long)rid);
}

const char *vol_near_grid(const struct api_ctx *ctx)
{
	const char *grid = NULL;
	for (size_t i = 0; i < ctx->who.ngrants; i++) {
		const struct grant *g = &ctx->who.grants[i];
		if (g->role == ROLE_ADMIN ||
		    ((ROLE_BIT(g->role) & VOL_READERS) && strlen(g->region_code) < 15))
			return NULL;
		if (!grid && strlen(g->region_code) == 15)
			grid = g->region_code;
	}
	return grid;
}

const char *vol_person_region(struct api_ctx *ctx, struct arena *a, const struct vol_person *p)
{
	if (p->resident_id) {
		struct resident_row r;
		return store_residents_get(ctx->db, a, p->resident_id, &r) == DB_ROW ? r.region_code
		                                                                     : NULL;
	}
	struct user_row u;
	if (store_users_get(ctx->db, a, p->user_id, &u) != DB_ROW || u.ngrants == 0)
		return NULL;
	for (size_t i = 0; i < u.ngrants; i++)
		if (u.grants[i].role == ROLE_RESIDENT)
			return arena_strdup(a, u.grants[i].region_code);
	return arena_strdup(a, u.grants[0].region_code);
}

bool vol_person_query(struct http_req *req, struct vol_person *p, const char **region)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t rid = 0, uid = 0;
	if (!api_query_id(req, "resident_id", &rid) || !api_query_id(req, "user_id", &uid))
		return false;
	memset(p, 0, sizeof *p);
	if (rid && uid) {
		api_problem(req, 400, "resident_id 与 user_id 只能给出一个");
		return false;
	}
	if (!rid && (!uid || uid == ctx->who.user_id)) {
		vol_self(ctx, &req->arena, p);
		*region = vol_person_region(ctx, &req->arena, p);
		return true;
	}
	p->resident_id = rid;
	p->user_id = uid;
	p->person = rid ? arena_printf(&req->arena, "resident:%lld", (long long)rid)
	                : arena_printf(&req->arena, "user:%lld", (long long)uid);
	*region = vol_person_region(ctx, &req->arena, p);
	if (!*region || !api_reaches(ctx, VOL_READERS, *region)) {
		api_problem(req, 404, "志愿者不存在");
		return false;
	}
	return true;
}

static json_t *member_json(const struct vol_member_row *m)
{
	json_t *o = json_object();
	json_set_int(o, "id", m->id);
	json_set_int(o, "team_id", m->team_id);
	json_set_str(o, "name", m->name);
	json_set_str(o, "kind", m->resident_id ? "resident" : "account");
	if (m->resident_id)
		json_set_int(o, "resident_id", m->resident_id);
	else
		json_object_set_new(o, "resident_id", json_null());
	if (m->user_id)
		json_set_int(o, "user_id", m->user_id);
	else
		json_object_set_new(o, "user_id", json_null());
	json_set_str(o, "status", m->active ? "active" : "left");
	json_set_time(o, "joined_at", m->joined_at);
	json_set_time(o, "left_at", m->left_at);
	return o;
}

static json_t *team_json(struct http_req *req, const struct vol_team_row *t, bool full)
{
	struct api_ctx *ctx = api_ctx(req);
	json_t *o = json_object();
	json_set_int(o, "id", t->id);
	json_set_str(o, "name", t->name);
	json_set_str(o, "description", t->description);
	json_set_str(o, "region_code", t->region_code);
	json_set_str(o, "region_name", t->region_name);
	if (t->leader_user_id)
		json_set_int(o, "leader_user_id", t->leader_user_id);
	else
		json_object_set_new(o, "leader_user_id", json_null());
	json_set_str(o, "leader_name", t->leader_name);
	json_set_int(o, "members", t->members);
	json_set_time(o, "created_at", t->created_at);
	if (!full)
		return o;
	struct vol_person self;
	vol_self(ctx, &req->arena, &self);
	struct vol_member_row m;
	if (ctx->who.user_id &&
	    store_vol_members_find(ctx->db, &req->arena, t->id, self.person, &m) == DB_ROW)
		json_object_set_new(o, "my_membership", member_json(&m));
	else
		json_object_set_new(o, "my_membership", json_null());
	if (api_reaches(ctx, VOL_READERS, t->region_code)) {
		struct vol_member_row *ms;
		size_t n = 0;
		json_t *all = json_array();
		if (store_vol_members_of_team(ctx->db, &req->arena, t->id, &ms, &n) == DB_OK)
			for (size_t i = 0; i < n; i++)
				json_array_append_new(all, member_json(&ms[i]));
		json_object_set_new(o, "member_list", all);
	}
	return o;
}

static json_t *team_item(struct http_req *req, const void *row)
{
	return team_json(req, row, false);
}

void vol_teams_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *grid = vol_near_grid(ctx);
	if ((api_roles(ctx) & VOL_READERS) && (!grid || http_query(req, "region"))) {
		struct base_page pg;
		if (!base_page_query(req, &pg))
			return;
		struct vol_team_row *rows;
		size_t n;
		enum db_result r = store_vol_teams_walk(ctx->db, &req->arena, &pg.sc, pg.after,
		                                        pg.limit, &rows, &n);
		base_respond_page(req, r, rows, n, sizeof *rows,
		                  offsetof(struct vol_team_row, region_code), pg.limit, team_item);
		return;
	}
	/* residents and grid-level staff: the teams of their grid and the regions above it */
	int limit;
	int64_t after;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &after))
		return;
	if (!grid) {
		api_json(req, 200, api_list(json_array(), NULL));
		return;
	}
	struct vol_team_row *rows;
	size_t n;
	enum db_result r =
	    store_vol_teams_for_grid(ctx->db, &req->arena, grid, after, limit + 1, &rows, &n);
	if (!api_stored(req, r))
		return;
	api_respond_id_page(req, rows, n, sizeof *rows, limit, team_item);
}

void vol_teams_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct vol_team_row t;
	memset(&t, 0, sizeof t);
	t.name = api_string(&in, "name", true, 50, NULL);
	t.description = api_string(&in, "description", false, 1000, NULL);
	t.region_code = api_string(&in, "region_code", true, 15, NULL);
	api_int(&in, "leader_user_id", false, 1, INT64_MAX, &t.leader_user_id, NULL);
	struct region_row reg;
	struct user_row u;
	if (t.region_code) {
		enum region_level l = region_level_of(t.region_code);
		if (store_regions_get(ctx->db, &req->arena, t.region_code, &reg) != DB_ROW)
			api_field_error(&in, "region_code", "unknown", "区域不存在");
		else if (!api_reaches(ctx, VOL_ORGANISERS, t.region_code))
			api_field_error(&in, "region_code", "scope", "该区域不在您的管辖范围内");
		else if (l != REGION_COMMUNITY && l != REGION_STREET)
			api_field_error(&in, "region_code", "level", "志愿服务队须设在社区或街道");
	}
	if (t.leader_user_id &&
	    store_users_get(ctx->db, &req->arena, t.leader_user_id, &u) != DB_ROW)
		api_field_error(&in, "leader_user_id", "unknown", "用户不存在");
	if (!api_input_end(req, &in))
		goto out;
	t.created_by = ctx->who.user_id;
	t.created_at = t.updated_at = time_now();
	enum db_result r = store_vol_teams_insert(ctx->db, &t);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "vol_team:%lld", (long long)t.id);
	store_vol_teams_get(ctx->db, &req->arena, t.id, &t);
	api_json(req, 201, team_json(req, &t, true));
out:
	api_input_free(&in);
}

/* Staff over the team's region; the accounts near it (its residents, staff below or above). */
static bool team_seen(struct http_req *req, const void *obj)
{
	const struct vol_team_row *t = obj;
	struct api_ctx *ctx = api_ctx(req);
	return api_reaches(ctx, VOL_READERS, t->region_code) ||
	       ((api_roles(ctx) & (VOL_READERS | ROLE_BIT(ROLE_RESIDENT))) &&
	        vol_near(ctx, t->region_code));
}

API_LOADER(team, "志愿服务队", 0, team_seen, struct vol_team_row, store_vol_teams_get, region_code)

void vol_teams_get_h(struct http_req *req)
{
	struct vol_team_row t;
	if (!team_from_path(req, &t))
		return;
	api_json(req, 200, team_json(req, &t, true));
}

void vol_members_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct vol_team_row t;
	if (!team_from_path(req, &t))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct vol_person p;
	vol_read_person(req, &in, t.region_code, &p);
	if (!api_input_end(req, &in))
		goto out;
	struct vol_member_row m = {.team_id = t.id,
	                           .region_code = t.region_code,
	                           .person = p.person,
	                           .user_id = p.user_id,
	                           .resident_id = p.resident_id,
	                           .joined_at = time_now()};
	enum db_result r = store_vol_members_insert(ctx->db, &m);
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409, "已是该服务队的队员");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "vol_member:%lld", (long long)m.id);
	store_vol_members_get(ctx->db, &req->arena, m.id, &m);
	api_json(req, 201, member_json(&m));
out:
	api_input_free(&in);
}

/* A membership: its own account, staff over the team's region. */
static bool member_seen(struct http_req *req, const void *obj)
{
	const struct vol_member_row *m = obj;
	struct api_ctx *ctx = api_ctx(req);
	return (ctx->who.user_id && m->user_id == ctx->who.user_id && !m->resident_id) ||
	       api_reaches(ctx, VOL_READERS, m->region_code);
}

API_LOADER(member, "队员", 0, member_seen, struct vol_member_row, store_vol_members_get,
           region_code)

void vol_members_leave_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct vol_member_row m;
	if (!member_from_path(req, &m))
		return;
	bool own = ctx->who.user_id && m.user_id == ctx->who.user_id && !m.resident_id;
	if (!own && !api_reaches(ctx, VOL_STAFF, m.region_code)) {
		api_problem(req, 403, "只能办理本人或所管理区域的队员退出");
		return;
	}
	enum db_result r = store_vol_members_leave(ctx->db, m.id, time_now());
	if (r == DB_DONE) {
		api_problem(req, 409, "队员已退出");
		return;
	}
	if (!api_stored(req, r))
		return;
	ctx->audit_object = arena_printf(&req->arena, "vol_member:%lld", (long long)m.id);
	store_vol_members_get(ctx->db, &req->arena, m.id, &m);
	api_json(req, 200, member_json(&m));
}
