/* /api/v1/projects: projects (民生实事, 老旧小区改造, 政府购买服务) at a region, with a
 * budget in fen, the unit responsible (a department's unit name, as campaigns name their
 * lead unit), planned dates, milestones with evidence photos, append-only spending and a
 * state moved only through domain/project_flow.c. A project may name what produced it: a
 * deliberation topic, a campaign or a pairing commitment, each checked to exist and lie in the
 * caller's scope; the list filters by that link (or by a pairing, for its commitments) so the
 * topic's, campaign's or pairing's page can show its projects. Community staff and up run
 * projects; the supervisor reads them; a department reads and reports on the projects its
 * unit is responsible for. Edits, milestones and spending: edit.c. */
#include "api/base/base.h"
#include "api/base/export.h"
#include "api/command/command.h"
#include "api/projects/projects.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/region.h"
#include "store/command/campaigns.h"
#include "store/deliberation/deliberation.h"
#include "store/party/pairings.h"
#include "store/platform/regions.h"
#include "store/projects/projects.h"

#include <stddef.h>
#include <string.h>

enum { EXPORT_MAX = 10000 };

unsigned project_roles_at(const struct api_ctx *ctx, const char *region, const char *unit)
{
	unsigned mine = 0;
	for (size_t i = 0; i < ctx->who.ngrants; i++) {
		const struct grant *g = &ctx->who.grants[i];
		if (!region || !region_covers(g->role == ROLE_ADMIN ? "" : g->region_code, region))
			continue;
		if (g->role == ROLE_DEPARTMENT &&
		    !(ctx->who.unit[0] && unit && strcmp(ctx->who.unit, unit) == 0))
			continue;
		mine |= ROLE_BIT(g->role);
	}
	return mine;
}

static unsigned project_roles(const struct api_ctx *ctx, const struct project_row *p)
{
	return project_roles_at(ctx, p->region_code, p->responsible_unit);
}

static bool project_visible(struct http_req *req, const void *obj)
{
	return project_roles(api_ctx(req), obj) & PROJECT_READERS;
}

API_LOADER(project, "项目", PROJECT_READERS, project_visible, struct project_row,
           store_projects_get, region_code)

bool project_load_path(struct http_req *req, struct project_row *p)
{
	return project_from_path(req, p);
}

json_t *project_json(const struct project_row *p)
{
	json_t *o = json_object();
	json_set_int(o, "id", p->id);
	json_set_str(o, "region_code", p->region_code);
	json_set_str(o, "region_name", p->region_name);
	json_set_str(o, "kind", p->kind);
	enum project_kind k;
	json_set_str(o, "kind_name",
	             project_kind_parse(p->kind, &k) ? project_kind_name_zh(k) : NULL);
	json_set_str(o, "title", p->title);
	json_set_str(o, "description", p->description);
	json_set_int(o, "budget_fen", p->budget_fen);
	json_set_int(o, "spent_fen", p->spent_fen);
	json_object_set_new(o, "over_budget", json_boolean(p->spent_fen > p->budget_fen));
	json_set_str(o, "responsible_unit", p->responsible_unit);
	json_set_str(o, "starts_on", p->starts_on);
	json_set_str(o, "ends_on", p->ends_on);
	json_set_str(o, "state", p->state);
	enum project_state s;
	json_set_str(o, "state_name",
	             project_state_parse(p->state, &s) ? project_state_name_zh(s) : NULL);
	json_set_int(o, "milestones", p->milestones);
	json_set_int(o, "milestones_done", p->milestones_done);
	json_set_int(o, "progress", project_progress(p->milestones_done, p->milestones));
	if (p->link_kind) {
		json_t *l = json_object();
		json_set_str(l, "kind", p->link_kind);
		json_set_int(l, "id", p->link_id);
		json_set_str(l, "title", p->link_title);
		if (p->link_pairing_id)
			json_set_int(l, "pairing_id", p->link_pairing_id);
		json_object_set_new(o, "link", l);
	} else {
		json_object_set_new(o, "link", json_null());
	}
	json_set_time(o, "created_at", p->created_at);
	json_set_time(o, "updated_at", p->updated_at);
	json_set_int(o, "version", p->version);
	return o;
}

API_ITEM(project_item, project_json)

static json_t *milestone_json(const struct project_milestone_row *m)
{
	json_t *o = json_object();
	json_set_int(o, "id", m->id);
	json_set_int(o, "project_id", m->project_id);
	json_set_str(o, "title", m->title);
	json_set_str(o, "due_on", m->due_on);
	if (m->done_on)
		json_set_str(o, "done_on", m->done_on);
	else
		json_object_set_new(o, "done_on", json_null());
	json_t *ph = m->photos ? json_loads(m->photos, 0, NULL) : NULL;
	json_object_set_new(o, "photos", ph ? ph : json_array());
	return o;
}

static json_t *spending_json(const struct project_spending_row *s)
{
	json_t *o = json_object();
	json_set_int(o, "id", s->id);
	json_set_int(o, "amount_fen", s->amount_fen);
	json_set_str(o, "spent_on", s->spent_on);
	json_set_str(o, "note", s->note);
	if (s->over_reason)
		json_set_str(o, "over_budget_reason", s->over_reason);
	else
		json_object_set_new(o, "over_budget_reason", json_null());
	json_set_time(o, "created_at", s->created_at);
	return o;
}

void project_respond_detail(struct http_req *req, int status, int64_t id)
{
	struct api_ctx *ctx = api_ctx(req);
	struct project_row p;
	struct project_milestone_row *ms;
	struct project_spending_row *sp;
	struct project_event_row *ev;
	size_t nm = 0, ns = 0, ne = 0;
	enum db_result r = store_projects_get(ctx->db, &req->arena, id, &p);
	if (r == DB_ROW)
		r = store_project_milestones_list(ctx->db, &req->arena, id, &ms, &nm);
	if (r == DB_OK)
		r = store_project_spending_list(ctx->db, &req->arena, id, &sp, &ns);
	if (r == DB_OK)
		r = store_project_events_list(ctx->db, &req->arena, id, &ev, &ne);
	if (!api_stored(req, r))
		return;
	json_t *o = project_json(&p);
	json_t *a = json_array();
	for (size_t i = 0; i < nm; i++)
		json_array_append_new(a, milestone_json(&ms[i]));
	json_object_set_new(o, "milestone_list", a);
	a = json_array();
	for (size_t i = 0; i < ns; i++)
		json_array_append_new(a, spending_json(&sp[i]));
	json_object_set_new(o, "spending", a);
	a = json_array();
	for (size_t i = 0; i < ne; i++) {
		json_t *e = json_object();
		json_set_time(e, "at", ev[i].at);
		json_set_str(e, "action", ev[i].action);
		json_set_str(e, "from", ev[i].from_state);
		json_set_str(e, "to", ev[i].to_state);
		json_set_str(e, "comment", ev[i].comment);
		json_set_str(e, "actor", ev[i].user_name);
		json_array_append_new(a, e);
	}
	json_object_set_new(o, "timeline", a);
	/* What the caller may do now, for the page's buttons. */
	unsigned mine = project_roles(ctx, &p);
	enum project_state s;
	json_t *acts = json_array();
	if (project_state_parse(p.state, &s))
		for (int k = 0; k < PROJ_ACTION_COUNT; k++) {
			const struct project_transition *t =
			    project_flow_lookup(s, (enum project_action)k);
			if (t && (t->roles & mine))
				json_array_append_new(
				    acts, json_string(project_action_code((enum project_action)k)));
		}
	json_object_set_new(o, "actions", acts);
	bool open = project_state_parse(p.state, &s) && project_open(s);
	/* can_edit: milestones and spending; can_edit_fields: the project itself (PATCH). */
	json_object_set_new(o, "can_edit", json_boolean((mine & PROJECT_DOERS) && open));
	json_object_set_new(o, "can_edit_fields", json_boolean((mine & PROJECT_MANAGERS) && open));
	api_json(req, status, o);
	api_etag(req, arena_printf(&req->arena, "%lld", (long long)p.version));
}

void projects_get_h(struct http_req *req)
{
	struct project_row p;
	if (project_from_path(req, &p))
		project_respond_detail(req, 200, p.id);
}

/* The filters of the list and the export; false after a 400. */
static bool read_filter(struct http_req *req, struct project_filter *f, struct scopes *sc,
                        const char *region)
{
	struct api_ctx *ctx = api_ctx(req);
	memset(f, 0, sizeof *f);
	enum project_state s;
	enum project_kind k;
	enum project_link l;
	f->state = http_query(req, "state");
	if (f->state && !project_state_parse(f->state, &s)) {
		api_problem(req, 400,
		            "state 须为 planned、underway、completed、accepted 或 suspended");
		return false;
	}
	f->kind = http_query(req, "kind");
	if (f->kind && !project_kind_parse(f->kind, &k)) {
		api_problem(req, 400, "kind 须为 livelihood、renovation、purchase 或 other");
		return false;
	}
	f->link_kind = http_query(req, "link_kind");
	if (f->link_kind && !project_link_parse(f->link_kind, &l)) {
		api_problem(req, 400, "link_kind 须为 topic、campaign 或 commitment");
		return false;
	}
	if (!api_query_id(req, "link_id", &f->link_id))
		return false;
	if (!api_query_id(req, "pairing_id", &f->pairing_id))
		return false;
	if ((f->link_kind != NULL) != (f->link_id != 0)) {
		api_problem(req, 400, "link_kind 与 link_id 须同时给出");
		return false;
	}
	/* A department sees only the projects of its own unit. */
	if (!(api_roles(ctx) & (PROJECT_READERS & ~ROLE_BIT(ROLE_DEPARTMENT))))
		f->unit = ctx->who.unit[0] ? ctx->who.unit : "\x01";
	base_scopes(ctx, PROJECT_READERS, region, sc);
	return true;
}

void projects_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct base_page pg;
	struct project_filter f;
	if (!base_page_query(req, &pg) || !read_filter(req, &f, &pg.sc, pg.region))
		return;
	struct project_row *rows;
	size_t n;
	enum db_result r =
	    store_projects_walk(ctx->db, &req->arena, &pg.sc, &f, pg.after, pg.limit, &rows, &n);
	base_respond_page(req, r, rows, n, sizeof *rows, offsetof(struct project_row, region_code),
	                  pg.limit, project_item);
}

static const char *yuan(struct arena *a, int64_t fen)
{
	return arena_printf(a, "%s%lld.%02lld", fen < 0 ? "-" : "",
	                    (long long)(fen < 0 ? -fen : fen) / 100,
	                    (long long)(fen < 0 ? -fen : fen) % 100);
}

/* GET /api/v1/projects/export: the filtered list as a workbook (format=xlsx, the default) or
 * CSV, at most EXPORT_MAX rows. */
void projects_export_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *region;
	struct scopes sc;
	struct project_filter f;
	bool xlsx = true;
	if (http_query(req, "format") && !export_format_param(req, &xlsx))
		return;
	if (!base_region_param(req, &region) || !read_filter(req, &f, &sc, region))
		return;
	struct project_row *rows;
	size_t n;
	enum db_result r = store_projects_walk(ctx->db, &req->arena, &sc, &f,
	                                       (struct page_after){"", 0}, EXPORT_MAX, &rows, &n);
	if (!api_stored(req, r))
		return;
	static const char *const titles[] = {"编号",         "区划代码", "区划", "类型",
	                                     "项目名称",     "责任单位", "状态", "预算（元）",
	                                     "已支出（元）", "进度（%）"};
	enum { NC = sizeof titles / sizeof titles[0] };
	struct sink s;
	if (!sink_start(&s, "项目", xlsx)) {
		api_store_error(req, DB_ERROR);
		return;
	}
	sink_header(&s, titles, NC);
	for (size_t i = 0; i < n; i++) {
		const struct project_row *p = &rows[i];
		enum project_kind k;
		enum project_state st;
		const char *cells[NC] = {
		    arena_printf(&req->arena, "%lld", (long long)p->id),
		    p->region_code,
		    p->region_name,
		    project_kind_parse(p->kind, &k) ? project_kind_name_zh(k) : p->kind,
		    p->title,
		    p->responsible_unit,
		    project_state_parse(p->state, &st) ? project_state_name_zh(st) : p->state,
		    yuan(&req->arena, p->budget_fen),
		    yuan(&req->arena, p->spent_fen),
		    arena_printf(&req->arena, "%d",
		                 project_progress(p->milestones_done, p->milestones))};
		sink_row(&s, cells, NC);
	}
	int fd;
	size_t len;
	if (!sink_finish(&s, &fd, &len)) {
		api_store_error(req, DB_ERROR);
		return;
	}
	export_send_file(req, fd, len, xlsx, "projects");
}

/* The link to what produced the project: it must exist (422) and lie in the caller's scope
 * (403). */
static void read_link(struct http_req *req, struct api_input *in, struct project_row *p)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *kind = api_string(in, "link_kind", false, 16, NULL);
	bool has;
	int64_t id = 0;
	api_int(in, "link_id", false, 1, INT64_MAX, &id, &has);
	if (!kind && !has)
		return;
	enum project_link l;
	if (!kind || !project_link_parse(kind, &l)) {
		api_field_error(in, "link_kind", "enum",
		                "link_kind 须为 topic、campaign 或 commitment");
		return;
	}
	if (!has) {
		api_field_error(in, "link_id", "required", "link_kind 与 link_id 须同时给出");
		return;
	}
	const char *region = NULL;
	enum db_result r;
	bool visible = false;
	if (l == PLINK_TOPIC) {
		struct topic_row t;
		r = store_topics_get(ctx->db, &req->arena, id, &t);
		if (r == DB_ROW)
			region = t.region_code, visible = api_reaches(ctx, PROJECT_READERS, region);
	} else if (l == PLINK_CAMPAIGN) {
		struct campaign_row c;
		r = store_campaigns_get(ctx->db, &req->arena, id, &c);
		if (r == DB_ROW)
			region = c.region_code, visible = campaign_region_visible(ctx, region);
	} else {
		struct commitment_row c;
		struct pairing_row pr;
		r = store_commitments_get(ctx->db, &req->arena, id, &c);
		if (r == DB_ROW)
			r = store_pairings_get(ctx->db, &req->arena, c.pairing_id, &pr);
		if (r == DB_ROW)
			region = pr.region_code,
			visible = api_reaches(ctx, PROJECT_READERS, region);
	}
	if (r != DB_ROW && r != DB_DONE) {
		api_field_error(in, "link_id", "unavailable", "暂时无法读取关联记录");
		in->unavailable = true;
	} else if (r == DB_DONE)
		api_field_error(in, "link_id", "unknown", "关联的记录不存在");
	else if (!visible)
		api_field_error(in, "link_id", "scope", "关联的记录超出您的数据范围");
	else {
		p->link_kind = project_link_code(l);
		p->link_id = id;
	}
}

void projects_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct project_row p;
	memset(&p, 0, sizeof p);
	p.region_code = api_string(&in, "region_code", true, 15, NULL);
	p.title = api_string(&in, "title", true, 100, NULL);
	p.description = api_string(&in, "description", false, 2000, NULL);
	p.responsible_unit = api_string(&in, "responsible_unit", true, 100, NULL);
	const char *kind = api_string(&in, "kind", true, 16, NULL);
	enum project_kind k;
	if (kind && !project_kind_parse(kind, &k))
		api_field_error(&in, "kind", "enum",
		                "kind 须为 livelihood、renovation、purchase 或 other");
	p.kind = kind;
	api_int(&in, "budget_fen", true, 0, PROJECT_BUDGET_MAX, &p.budget_fen, NULL);
	project_read_dates(&in, &p);
	if (p.region_code) {
		struct region_row reg;
		enum db_result r = store_regions_get(ctx->db, &req->arena, p.region_code, &reg);
		if (r != DB_ROW && r != DB_DONE) {
			api_input_free(&in);
			api_store_error(req, r);
			return;
		}
		if (r == DB_DONE)
			api_field_error(&in, "region_code", "unknown", "区划不存在");
		else if (!api_reaches(ctx, PROJECT_MANAGERS, p.region_code))
			api_field_error(&in, "region_code", "scope", "该区划不在您的管理范围内");
	}
	read_link(req, &in, &p);
	if (!api_input_end(req, &in))
		goto out;
	p.state = "planned";
	p.created_by = ctx->who.user_id;
	p.created_at = p.updated_at = time_now();
	if (!api_stored(req, store_projects_insert(ctx->db, &p)))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "project:%lld", (long long)p.id);
	project_respond_detail(req, 201, p.id);
out:
	api_input_free(&in);
}

void projects_action_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct project_row p;
	struct api_input in;
	if (!project_from_path(req, &p) || !api_input_begin(req, &in))
		return;
	const char *action = api_string(&in, "action", true, 16, NULL);
	const char *comment = api_string(&in, "comment", false, 500, NULL);
	enum project_action a;
	if (action && !project_action_parse(action, &a))
		api_field_error(&in, "action", "enum",
		                "action 须为 start、complete、accept、suspend 或 resume");
	if (!api_input_end(req, &in))
		goto out;
	enum project_state s;
	const struct project_transition *t =
	    project_state_parse(p.state, &s) ? project_flow_lookup(s, a) : NULL;
	if (!t) {
		api_problem(req, 409, "项目当前状态不允许此操作");
		goto out;
	}
	if (!(t->roles & project_roles(ctx, &p))) {
		api_problem(req, 403, "您不能对该项目执行此操作");
		goto out;
	}
	if (t->needs_comment && !(comment && *comment)) {
		api_field_problem(req, "comment", "required", "暂停项目须说明原因");
		goto out;
	}
	struct project_event_row e = {.project_id = p.id,
	                              .action = project_action_code(a),
	                              .from_state = p.state,
	                              .to_state = project_state_code(t->next),
	                              .comment = comment,
	                              .user_id = ctx->who.user_id,
	                              .at = time_now()};
	enum db_result r = store_projects_set_state(ctx->db, p.id, e.to_state, e.at);
	if (r == DB_OK)
		r = store_project_events_add(ctx->db, &e);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "project:%lld", (long long)p.id);
	ctx->audit_detail = e.action;
	project_respond_detail(req, 200, p.id);
out:
	api_input_free(&in);
}
