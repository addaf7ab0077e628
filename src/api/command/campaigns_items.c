/* Campaign items on the three lists (问题清单, 责任清单, 任务清单): made by managers from a case,
 * a sweep visit, a rectification item, a pairing commitment or a meeting decision, worked
 * open → assigned → done → verified (销号) or returned, each action appended to the item's
 * timeline. The table of the flow is domain/campaign_flow.c; the verifier is never the doer. */
#include "api/base/base.h"
#include "api/command/command.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/campaign_flow.h"
#include "domain/region.h"
#include "store/command/campaigns.h"
#include "store/platform/regions.h"
#include "store/platform/users.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_SCOPES = 16 };

static json_t *photos_json(const char *text)
{
	json_t *p = text ? json_loads(text, 0, NULL) : NULL;
	return p ? p : json_array();
}

static json_t *citem_json(const struct citem_row *i, const char *today)
{
	json_t *o = json_object();
	json_set_int(o, "id", i->id);
	json_set_int(o, "campaign_id", i->campaign_id);
	json_set_str(o, "list", i->list);
	enum citem_list l;
	json_set_str(o, "list_name", citem_list_parse(i->list, &l) ? citem_list_name_zh(l) : NULL);
	json_set_str(o, "region_code", i->region_code);
	json_set_str(o, "title", i->title);
	json_set_str(o, "owner_unit", i->owner_unit);
	if (i->owner_user_id)
		json_set_int(o, "owner_user_id", i->owner_user_id);
	else
		json_object_set_new(o, "owner_user_id", json_null());
	json_set_str(o, "deadline", i->deadline);
	json_object_set_new(o, "photos", photos_json(i->photos));
	if (i->source_kind) {
		json_t *s = json_object();
		json_set_str(s, "kind", i->source_kind);
		json_set_int(s, "id", i->source_id);
		if (i->source_n)
			json_set_int(s, "decision", i->source_n);
		json_object_set_new(o, "source", s);
	} else
		json_object_set_new(o, "source", json_null());
	json_set_str(o, "state", i->state);
	enum citem_state st;
	bool known = citem_state_parse(i->state, &st);
	json_set_str(o, "state_name", known ? citem_state_name_zh(st) : NULL);
	json_set_bool(o, "overdue", known && citem_overdue(st, i->deadline, today));
	if (i->done_by)
		json_set_int(o, "done_by", i->done_by);
	else
		json_object_set_new(o, "done_by", json_null());
	json_set_time(o, "done_at", i->done_at);
	if (i->verified_by)
		json_set_int(o, "verified_by", i->verified_by);
	else
		json_object_set_new(o, "verified_by", json_null());
	json_set_time(o, "verified_at", i->verified_at);
	json_set_time(o, "created_at", i->created_at);
	json_set_time(o, "updated_at", i->updated_at);
	return o;
}

static json_t *citem_render(struct http_req *req, const void *row)
{
	return citem_json(row, base_today(&req->arena));
}

/* owner_unit and owner_user_id (an existing user); errors recorded. */
static void read_owner(struct http_req *req, struct api_input *in, const char **unit, int64_t *user)
{
	*unit = api_string(in, "owner_unit", false, 100, NULL);
	*user = 0;
	bool given = false;
	api_int(in, "owner_user_id", false, 1, INT64_MAX, user, &given);
	if (*user > 0) {
		struct user_row u;
		enum db_result r = store_users_get(api_ctx(req)->db, &req->arena, *user, &u);
		if (r != DB_ROW && r != DB_DONE) {
			in->unavailable = true;
			api_field_error(in, "owner_user_id", "unavailable",
			                "暂时无法核对，请稍后重试");
		} else if (r == DB_DONE)
			api_field_error(in, "owner_user_id", "unknown", "用户不存在");
	}
}

/* The source {kind, id}: exists and lies in the caller's scope; errors recorded. */
static void read_source(struct http_req *req, struct api_input *in, const char **kind, int64_t *id)
{
	struct api_ctx *ctx = api_ctx(req);
	json_t *s = json_object_get(in->body, "source");
	*kind = NULL;
	*id = 0;
	if (!s || json_is_null(s))
		return;
	const char *k = json_string_value(json_object_get(s, "kind"));
	json_t *jid = json_object_get(s, "id");
	if (!json_is_object(s) || !k || !json_is_integer(jid)) {
		in->type_error = true;
		api_field_error(in, "source", "type", "应为 {kind, id} 对象");
		return;
	}
	enum citem_source ks;
	if (!citem_source_parse(k, &ks) || ks == CSRC_MEETING || ks == CSRC_RECURRING) {
		api_field_error(in, "source.kind", "enum",
		                "来源须为 case、sweep_visit、rectification_item 或 "
		                "commitment（会议决定、反复发生问题请用各自的转办接口）");
		return;
	}
	const char *region = NULL;
	enum db_result r = store_citem_source_region(ctx->db, &req->arena, k,
	                                             (int64_t)json_integer_value(jid), &region);
	if (r != DB_ROW && r != DB_DONE) {
		in->unavailable = true;
		api_field_error(in, "source.id", "unavailable", "暂时无法核对，请稍后重试");
	} else if (r == DB_DONE || !region)
		api_field_error(in, "source.id", "unknown", "来源记录不存在");
	else if (!api_reaches(ctx, CAMPAIGN_WORKERS, region))
		api_field_error(in, "source.id", "scope", "来源记录超出您的数据范围");
	else {
		*kind = k;
		*id = (int64_t)json_integer_value(jid);
	}
}

void campaign_item_create(struct http_req *req, struct api_input *in, const struct campaign_row *c,
                          const char *source_kind, int64_t source_id, int64_t source_n,
                          const char *title)
{
	struct api_ctx *ctx = api_ctx(req);
	struct citem_row it;
	memset(&it, 0, sizeof it);
	it.campaign_id = c->id;
	it.list = api_string(in, "list", true, 16, NULL);
	enum citem_list l;
	if (it.list && !citem_list_parse(it.list, &l))
		api_field_error(in, "list", "enum", "清单须为 problem、responsibility 或 task");
	bool given = false;
	it.region_code = api_string(in, "region_code", !source_kind, 15, &given);
	it.title = api_string(in, "title", !title, 200, NULL);
	if (!it.title)
		it.title = title;
	read_owner(req, in, &it.owner_unit, &it.owner_user_id);
	it.deadline = api_string(in, "deadline", false, 10, NULL);
	if (it.deadline && !base_valid_date(it.deadline))
		api_field_error(in, "deadline", "date", "须为 YYYY-MM-DD 格式的日期");
	it.photos = api_photos_field(req, in, "photos");
	if (source_kind) {
		it.source_kind = source_kind;
		it.source_id = source_id;
		it.source_n = source_n;
	} else
		read_source(req, in, &it.source_kind, &it.source_id);
	if (it.region_code) {
		if (region_level_of(it.region_code) == REGION_NONE ||
		    strncmp(it.region_code, c->region_code, strlen(c->region_code)))
			api_field_error(in, "region_code", "region",
			                "须为专项整治区划内的区划代码");
		else
			api_region_field(req, in, "region_code", it.region_code, CAMPAIGN_MANAGERS);
	}
	if (!api_input_end(req, in))
		return;
	if (strcmp(c->status, "active") != 0) {
		api_problem(req, 409, "专项整治已结束，不能再添加事项");
		return;
	}
	it.state = citem_state_code(CITEM_OPEN);
	it.created_by = ctx->who.user_id;
	it.created_at = it.updated_at = time_now();
	enum db_result r = store_citems_insert(ctx->db, &it);
	if (r == DB_CONSTRAINT && source_n) {
		api_problem(req, 409, "该会议决定已转为专项整治事项");
		return;
	}
	struct citem_event e = {.item_id = it.id,
	                        .at = it.created_at,
	                        .actor_id = ctx->who.user_id,
	                        .actor = ctx->who.name,
	                        .action = "create",
	                        .to_state = it.state,
	                        .photos = it.photos};
	if (r == DB_OK) {
		e.item_id = it.id;
		r = store_citem_events_add(ctx->db, &e);
	}
	if (!api_stored(req, r))
		return;
	ctx->audit_object = arena_printf(&req->arena, "campaign_item:%lld", (long long)it.id);
	api_json(req, 201, citem_json(&it, base_today(&req->arena)));
}

void campaigns_items_create_h(struct http_req *req)
{
	struct campaign_row c;
	struct api_input in;
	if (!campaign_from_param(req, "id", &c) || !api_input_begin(req, &in))
		return;
	campaign_item_create(req, &in, &c, NULL, 0, 0, NULL);
	api_input_free(&in);
}

void campaigns_items_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct campaign_row c;
	int limit;
	int64_t before;
	if (!campaign_from_param(req, "id", &c) || !api_limit(req, &limit) ||
	    !api_cursor_id(req, &before))
		return;
	const char *list = http_query(req, "list"), *state = http_query(req, "state");
	const char *region = http_query(req, "region");
	enum citem_list l;
	enum citem_state s;
	if (list && *list && !citem_list_parse(list, &l)) {
		api_problem(req, 400, "list 须为 problem、responsibility 或 task");
		return;
	}
	if (state && *state && !citem_state_parse(state, &s)) {
		api_problem(req, 400, "state 须为 open、assigned、done 或 verified");
		return;
	}
	const char *scopes[MAX_SCOPES];
	size_t ns;
	if (region && *region) {
		if (!campaign_region_query(req, &c, region))
			return;
		scopes[0] = region;
		ns = 1;
	} else
		ns = campaign_scopes(req, c.region_code, scopes);
	struct citem_row *all =
	    arena_alloc(&req->arena, sizeof *all * (size_t)(limit + 1) * (ns + 1));
	size_t total = 0;
	for (size_t k = 0; k < ns; k++) {
		struct citem_row *rows;
		size_t n;
		enum db_result r = store_citems_list(
		    ctx->db, &req->arena, c.id, scopes[k], list && *list ? list : NULL,
		    state && *state ? state : NULL, before, limit + 1, &rows, &n);
		if (!api_stored(req, r))
			return;
		total = api_rows_merge(all, total, rows, n, sizeof *rows);
	}
	api_rows_newest_first(all, total, sizeof *all);
	api_respond_id_page(req, all, total, sizeof *all, limit, citem_render);
}

/* Whether the caller may act with one of roles on item it: a grant with one of those roles
 * reaches its region — for a department grant, only when the department's unit owns it. */
static bool citem_reached(const struct api_ctx *ctx, unsigned roles, const struct citem_row *it)
{
	const unsigned dept = ROLE_BIT(ROLE_DEPARTMENT);
	if (api_reaches(ctx, roles & ~dept, it->region_code))
		return true;
	return roles & dept && api_reaches(ctx, dept, it->region_code) &&
	       citem_unit_owns(it->owner_unit, ctx->who.unit);
}

static bool citem_visible(struct http_req *req, const void *obj)
{
	return citem_reached(api_ctx(req), CAMPAIGN_DOERS, obj);
}

API_LOADER(citem, "专项整治事项", CAMPAIGN_DOERS, citem_visible, struct citem_row, store_citems_get,
           region_code)

/* GET /api/v1/campaign-items: the caller's own items across campaigns — those owned by their
 * user, and for a department those its unit owns — in the regions of their grants, newest
 * first (a department's 责任清单 and a grid worker's 任务). */
void campaign_items_mine_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t before;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &before))
		return;
	const char *state = http_query(req, "state");
	enum citem_state s;
	if (state && *state && !citem_state_parse(state, &s)) {
		api_problem(req, 400, "state 须为 open、assigned、done 或 verified");
		return;
	}
	struct citem_row *all =
	    arena_alloc(&req->arena, sizeof *all * (size_t)(limit + 1) * (ctx->who.ngrants + 1));
	size_t total = 0;
	for (size_t k = 0; k < ctx->who.ngrants; k++) {
		const struct grant *g = &ctx->who.grants[k];
		bool dept = g->role == ROLE_DEPARTMENT;
		const char *unit = dept && ctx->who.unit[0] ? ctx->who.unit : NULL;
		int64_t user = dept ? 0 : ctx->who.user_id;
		if (!(ROLE_BIT(g->role) & CAMPAIGN_DOERS) || (!unit && !user))
			continue;
		struct citem_row *rows;
		size_t n;
		enum db_result r = store_citems_owned(ctx->db, &req->arena, g->region_code, unit,
		                                      user, state && *state ? state : NULL, before,
		                                      limit + 1, &rows, &n);
		if (!api_stored(req, r))
			return;
		total = api_rows_merge(all, total, rows, n, sizeof *rows);
	}
	api_rows_newest_first(all, total, sizeof *all);
	api_respond_id_page(req, all, total, sizeof *all, limit, citem_render);
}

static json_t *with_events(struct http_req *req, const struct citem_row *it)
{
	json_t *o = citem_json(it, base_today(&req->arena));
	struct campaign_row c;
	if (store_campaigns_get(api_ctx(req)->db, &req->arena, it->campaign_id, &c) == DB_ROW)
		json_set_str(o, "campaign_title", c.title);
	struct citem_event *ev;
	size_t n;
	json_t *arr = json_array();
	if (store_citem_events_list(api_ctx(req)->db, &req->arena, it->id, &ev, &n) == DB_OK)
		for (size_t i = 0; i < n; i++) {
			json_t *e = json_object();
			json_set_time(e, "at", ev[i].at);
			if (ev[i].actor_id)
				json_set_int(e, "actor_id", ev[i].actor_id);
			json_set_str(e, "actor", ev[i].actor);
			json_set_str(e, "action", ev[i].action);
			json_set_str(e, "from", ev[i].from_state);
			json_set_str(e, "to", ev[i].to_state);
			json_set_str(e, "comment", ev[i].comment);
			json_object_set_new(e, "photos", photos_json(ev[i].photos));
			json_array_append_new(arr, e);
		}
	json_object_set_new(o, "events", arr);
	return o;
}

void campaign_items_get_h(struct http_req *req)
{
	struct citem_row it;
	if (citem_from_path(req, &it))
		api_json(req, 200, with_events(req, &it));
}

/* The transition act takes item it through for the caller, or NULL after answering why not:
 * a state that does not allow it (409), a role that may not (403), the doer verifying (409),
 * or a missing comment or owner (422). */
static const struct citem_transition *citem_allowed(struct http_req *req,
                                                    const struct citem_row *it,
                                                    enum citem_action act, const char *comment,
                                                    bool has_owner)
{
	struct api_ctx *ctx = api_ctx(req);
	enum citem_state from;
	bool known = citem_state_parse(it->state, &from);
	const struct citem_transition *t = known ? citem_flow_lookup(from, act) : NULL;
	if (!t) {
		api_problem(req, 409,
		            arena_printf(&req->arena, "当前状态（%s）不能执行该操作",
		                         known ? citem_state_name_zh(from) : it->state));
		return NULL;
	}
	if (!citem_reached(ctx, t->roles, it)) {
		api_problem(req, 403, "您的角色不能对该事项执行此操作");
		return NULL;
	}
	if (citem_self_verify(act, it->done_by, ctx->who.user_id)) {
		api_problem(req, 409, "销号须由完成人以外的人员核验：您不能核验自己完成的事项");
		return NULL;
	}
	switch (citem_flow_missing(t->needs, comment, has_owner)) {
	case CNEED_COMMENT:
		api_field_problem(req, "comment", "required", "退回须说明原因");
		return NULL;
	case CNEED_OWNER:
		api_field_problem(req, "owner_unit", "required", "交办须指定责任单位或责任人");
		return NULL;
	case CNEED_NOTHING:
		break;
	}
	return t;
}

/* Moves it along t, recording who did it and when; photos are the doer's evidence. */
static void citem_apply(struct api_ctx *ctx, struct citem_row *it, const struct citem_transition *t,
                        enum citem_action act, int64_t now, const char *photos)
{
	it->state = citem_state_code(t->next);
	if (act == CACT_DONE) {
		it->done_by = ctx->who.user_id;
		it->done_at = now;
		if (photos)
			it->photos = photos;
	}
	if (act == CACT_VERIFY) {
		it->verified_by = ctx->who.user_id;
		it->verified_at = now;
	}
	it->updated_at = now;
}

void campaign_items_action_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct citem_row it;
	struct api_input in;
	if (!citem_from_path(req, &it) || !api_input_begin(req, &in))
		return;
	const char *action = api_string(&in, "action", true, 16, NULL);
	const char *comment = api_string(&in, "comment", false, 500, NULL);
	const char *photos = api_photos_field(req, &in, "photos");
	const char *unit;
	int64_t user;
	read_owner(req, &in, &unit, &user);
	enum citem_action act = CACT_ASSIGN;
	if (action && !citem_action_parse(action, &act))
		api_field_error(&in, "action", "enum", "操作须为 assign、done、verify 或 return");
	if (!api_input_end(req, &in))
		goto out;
	const char *new_unit = unit ? unit : it.owner_unit;
	int64_t new_user = user ? user : it.owner_user_id;
	const struct citem_transition *t =
	    citem_allowed(req, &it, act, comment, (new_unit && *new_unit) || new_user);
	if (!t)
		goto out;
	int64_t now = time_now();
	const char *from_code = it.state;
	if (act == CACT_ASSIGN) {
		it.owner_unit = new_unit;
		it.owner_user_id = new_user;
	}
	citem_apply(ctx, &it, t, act, now, photos);
	struct citem_event e = {.item_id = it.id,
	                        .at = now,
	                        .actor_id = ctx->who.user_id,
	                        .actor = ctx->who.name,
	                        .action = citem_action_code(act),
	                        .from_state = from_code,
	                        .to_state = it.state,
	                        .comment = comment,
	                        .photos = photos};
	enum db_result r = store_citems_update(ctx->db, &it);
	if (r == DB_OK)
		r = store_citem_events_add(ctx->db, &e);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "campaign_item:%lld", (long long)it.id);
	ctx->audit_detail = arena_printf(&req->arena, "action=%s", citem_action_code(act));
	api_json(req, 200, with_events(req, &it));
out:
	api_input_free(&in);
}
