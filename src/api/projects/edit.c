/* Changes to a project: its own fields (PATCH, by the managers over it, at the version
 * If-Match names), its milestones (with evidence photos) and its append-only spending (by
 * those who do the work, the department responsible among them). Nothing changes once the
 * project is accepted (409). */
#include "api/base/base.h"
#include "api/projects/projects.h"
#include "core/json.h"
#include "core/timeutil.h"

#include <string.h>

/* Whether the caller, with a role in roles over the project, may change it (403), and the
 * project is not accepted yet (409). */
static bool project_may_change(struct http_req *req, const struct project_row *p, unsigned roles)
{
	if (!(project_roles_at(api_ctx(req), p->region_code, p->responsible_unit) & roles)) {
		api_problem(req, 403, "您不能修改该项目");
		return false;
	}
	enum project_state s;
	if (!project_state_parse(p->state, &s) || !project_open(s)) {
		api_problem(req, 409, "项目已验收，不能再修改");
		return false;
	}
	return true;
}

/* Opens a write on the project's milestones or spending: those who do the work, the
 * department responsible among them. */
static bool project_write_begin(struct http_req *req, struct project_row *p, bool load,
                                struct api_input *in)
{
	if (load && !project_load_path(req, p))
		return false;
	return project_may_change(req, p, PROJECT_DOERS) && api_input_begin(req, in);
}

static void check_date(struct api_input *in, const char *field, const char *v)
{
	if (v && !base_valid_date(v))
		api_field_error(in, field, "date", "须为 YYYY-MM-DD 格式的日期");
}

static bool given(const struct api_input *in, const char *field)
{
	return json_object_get(in->body, field) != NULL;
}

void project_read_dates(struct api_input *in, struct project_row *p)
{
	bool ok = true;
	static const char *const fields[] = {"starts_on", "ends_on"};
	const char **into[] = {&p->starts_on, &p->ends_on};
	for (int i = 0; i < 2; i++) {
		if (!given(in, fields[i]))
			continue;
		size_t before = json_array_size(in->errors);
		const char *v = api_string(in, fields[i], false, 10, NULL);
		check_date(in, fields[i], v && *v ? v : NULL);
		ok = ok && json_array_size(in->errors) == before;
		*into[i] = v && *v ? v : NULL;
	}
	if (ok && p->starts_on && p->ends_on && strcmp(p->ends_on, p->starts_on) < 0)
		api_field_error(in, "ends_on", "order", "计划完成日期不能早于计划开始日期");
}

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Adds name to the list of what an edit changed ("名称、预算"). */
static void changed(struct arena *a, const char **list, const char *name)
{
	*list = *list ? arena_printf(a, "%s、%s", *list, name) : name;
}

/* Reads the edit of p from in: only the fields given change; title, kind, budget and unit
 * cannot be emptied, description and the dates are cleared by null or "". */
static void read_edit(struct api_input *in, struct project_row *p)
{
	const char *v;
	if (given(in, "title") && (v = api_string(in, "title", true, 100, NULL)))
		p->title = v;
	if (given(in, "description")) {
		v = api_string(in, "description", false, 2000, NULL);
		p->description = v && *v ? v : NULL;
	}
	if (given(in, "kind") && (v = api_string(in, "kind", true, 16, NULL))) {
		enum project_kind k;
		if (project_kind_parse(v, &k))
			p->kind = v;
		else
			api_field_error(in, "kind", "enum",
			                "kind 须为 livelihood、renovation、purchase 或 other");
	}
	if (given(in, "budget_fen"))
		api_int(in, "budget_fen", true, 0, PROJECT_BUDGET_MAX, &p->budget_fen, NULL);
	if (given(in, "responsible_unit") &&
	    (v = api_string(in, "responsible_unit", true, 100, NULL)))
		p->responsible_unit = v;
	project_read_dates(in, p);
}

/* PATCH /api/v1/projects/{id}: the project's own fields, by the managers over its region (the
 * department responsible reports progress; it does not re-plan), while it is not accepted
 * (409), at the version If-Match names (409 with the project as it is now). A budget lowered
 * below what is already spent needs budget_reason. The timeline records what changed. */
void projects_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct project_row p;
	struct api_input in;
	if (!project_load_path(req, &p) || !project_may_change(req, &p, PROJECT_MANAGERS) ||
	    !api_if_match(req, p.version, project_json(&p)) || !api_input_begin(req, &in))
		return;
	struct project_row e = p;
	read_edit(&in, &e);
	const char *reason = api_string(&in, "budget_reason", false, 500, NULL);
	if (reason && !*reason)
		reason = NULL;
	if (e.budget_fen < p.budget_fen && e.budget_fen < p.spent_fen && !reason)
		api_field_error(&in, "budget_reason", "required",
		                "预算低于已支出金额，须说明调减原因");
	if (!api_input_end(req, &in))
		goto out;
	const char *what = NULL;
	struct arena *a = &req->arena;
	if (!same(e.title, p.title))
		changed(a, &what, "名称");
	if (!same(e.description, p.description))
		changed(a, &what, "说明");
	if (!same(e.kind, p.kind))
		changed(a, &what, "类型");
	if (e.budget_fen != p.budget_fen)
		changed(a, &what, "预算");
	if (!same(e.responsible_unit, p.responsible_unit))
		changed(a, &what, "责任单位");
	if (!same(e.starts_on, p.starts_on) || !same(e.ends_on, p.ends_on))
		changed(a, &what, "计划日期");
	if (!what) { /* nothing to change: the version stays */
		project_respond_detail(req, 200, p.id);
		goto out;
	}
	e.updated_at = time_now();
	enum db_result r = store_projects_edit(ctx->db, &e, reason);
	struct project_row now;
	if (r == DB_DONE && store_projects_get(ctx->db, a, p.id, &now) == DB_ROW) {
		/* Someone came first: another edit, or spending that the new budget falls below. */
		if (now.version != p.version)
			api_problem(req, 409, "项目已被他人修改，请刷新后再保存");
		else
			api_field_problem(req, "budget_reason", "required",
			                  "预算低于已支出金额，须说明调减原因");
		goto out;
	}
	struct project_event_row ev = {.project_id = p.id,
	                               .action = "edit",
	                               .from_state = p.state,
	                               .to_state = p.state,
	                               .comment =
	                                   reason ? arena_printf(a, "%s；%s", what, reason) : what,
	                               .user_id = ctx->who.user_id,
	                               .at = e.updated_at};
	if (r == DB_OK)
		r = store_project_events_add(ctx->db, &ev);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(a, "project:%lld", (long long)p.id);
	ctx->audit_detail = what;
	project_respond_detail(req, 200, p.id);
out:
	api_input_free(&in);
}

void project_milestones_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct project_row p;
	struct api_input in;
	if (!project_write_begin(req, &p, true, &in))
		return;
	struct project_milestone_row m;
	memset(&m, 0, sizeof m);
	m.project_id = p.id;
	m.title = api_string(&in, "title", true, 100, NULL);
	m.due_on = api_string(&in, "due_on", true, 10, NULL);
	check_date(&in, "due_on", m.due_on);
	if (!api_input_end(req, &in))
		goto out;
	m.created_at = m.updated_at = time_now();
	if (!api_stored(req, store_project_milestones_insert(ctx->db, &m)))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "project:%lld", (long long)p.id);
	project_respond_detail(req, 201, p.id);
out:
	api_input_free(&in);
}

void project_milestones_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct project_row p;
	struct api_input in;
	int64_t mid;
	if (!project_load_path(req, &p) || !api_path_id(req, "mid", "里程碑", &mid))
		return;
	struct project_milestone_row m;
	enum db_result r = store_project_milestones_get(ctx->db, &req->arena, mid, &m);
	if (r == DB_DONE || (r == DB_ROW && m.project_id != p.id)) {
		api_problem(req, 404, "里程碑不存在");
		return;
	}
	if (r != DB_ROW) {
		api_store_error(req, r);
		return;
	}
	if (!project_write_begin(req, &p, false, &in))
		return;
	const char *s;
	bool given = false;
	if ((s = api_string(&in, "title", false, 100, NULL)))
		m.title = s;
	if ((s = api_string(&in, "due_on", false, 10, NULL))) {
		check_date(&in, "due_on", s);
		m.due_on = s;
	}
	if ((s = api_string(&in, "done_on", false, 10, &given)) || given) {
		check_date(&in, "done_on", s && *s ? s : NULL);
		m.done_on = s && *s ? s : NULL;
	}
	if (json_object_get(in.body, "photos")) {
		const char *ph = api_photos_field(req, &in, "photos");
		if (ph)
			m.photos = ph;
	}
	if (!api_input_end(req, &in))
		goto out;
	m.updated_at = time_now();
	if (!api_stored(req, store_project_milestones_update(ctx->db, &m)))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "project:%lld", (long long)p.id);
	project_respond_detail(req, 200, p.id);
out:
	api_input_free(&in);
}

void project_spending_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct project_row p;
	struct api_input in;
	if (!project_write_begin(req, &p, true, &in))
		return;
	struct project_spending_row s;
	memset(&s, 0, sizeof s);
	s.project_id = p.id;
	api_int(&in, "amount_fen", true, 1, PROJECT_BUDGET_MAX, &s.amount_fen, NULL);
	s.spent_on = api_string(&in, "spent_on", true, 10, NULL);
	check_date(&in, "spent_on", s.spent_on);
	s.note = api_string(&in, "note", true, 200, NULL);
	s.over_reason = api_string(&in, "over_budget_reason", false, 500, NULL);
	if (s.over_reason && !*s.over_reason)
		s.over_reason = NULL;
	if (s.amount_fen > 0 &&
	    !project_spend_allowed(p.budget_fen, p.spent_fen, s.amount_fen, s.over_reason))
		api_field_error(&in, "over_budget_reason", "required",
		                "支出合计将超出预算，须说明超预算原因");
	if (!api_input_end(req, &in))
		goto out;
	s.created_by = ctx->who.user_id;
	s.created_at = time_now();
	enum db_result r = store_project_spending_add(ctx->db, &s);
	if (r == DB_DONE) {
		/* Another entry came first and took the room. */
		api_field_problem(req, "over_budget_reason", "required",
		                  "支出合计将超出预算，须说明超预算原因");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "project:%lld", (long long)p.id);
	project_respond_detail(req, 201, p.id);
out:
	api_input_free(&in);
}
