/* POST /api/v1/cases/{id}/actions: every action is checked against the domain state
 * machine (domain/case_flow.c: the roles, the next state and the needs of each action) and
 * the caller's roles at the case's region, then applied by its own small function below and
 * recorded as one timeline entry. The guard's transaction makes a refused action change
 * nothing. */
#include "api/api.h"
#include "api/cases/cases.h"
#include "core/json.h"
#include "core/timeutil.h"

#include <string.h>

/* The fields of an action request. */
struct action_input {
	const char *action, *comment, *unit, *rating, *public_reply, *photos;
	int64_t into;
	enum case_action act;
	enum case_rating rate;
};

/* One action under way: what its function reads and what it leaves for the timeline. */
struct action_run {
	struct http_req *req;
	struct api_ctx *ctx;
	const struct action_input *in;
	struct case_row *c;
	struct case_row orig; /* merge: the original case */
	int64_t now;
	enum case_state from;
	enum role as;
	const char *event_unit, *note; /* the timeline entry's unit and system note */
	bool answered;                 /* the function responded with an error */
};

static const char *rating_zh(enum case_rating r)
{
	return r == RATING_SATISFIED ? "满意" : r == RATING_BASIC ? "基本满意" : "不满意";
}

/* Refuses the action with status and detail; nothing is written. */
static enum db_result refuse(struct action_run *x, int status, const char *detail)
{
	api_problem(x->req, status, detail);
	x->answered = true;
	return DB_OK;
}

/* Notifies the desk of the case's level. */
static enum db_result notify_desk(struct action_run *x, const char *kind, const char *unit,
                                  const char *title)
{
	return case_notify(x->ctx->db, x->c, kind, case_desk_role(x->c->level),
	                   case_level_region(&x->req->arena, x->c), unit, 0, title);
}

/* The reply for the public, where the action tells the result. */
static void keep_public_reply(struct action_run *x)
{
	if (x->in->public_reply)
		x->c->public_reply = x->in->public_reply;
}

static enum db_result act_accept(struct action_run *x)
{
	x->c->accepted_at = x->now;
	return DB_OK;
}

/* Reject and close: the case ends, and the result may be told to the public. */
static enum db_result act_conclude(struct action_run *x)
{
	x->c->closed_at = x->now;
	keep_public_reply(x);
	return DB_OK;
}

static enum db_result act_dispatch(struct action_run *x)
{
	struct case_row *c = x->c;
	if (x->in->unit && *x->in->unit)
		c->unit = x->in->unit;
	x->event_unit = c->unit;
	return case_notify(x->ctx->db, c, "handle", "department",
	                   case_level_region(&x->req->arena, c), c->unit, 0, "新派遣事件待处置");
}

static enum db_result act_start(struct action_run *x)
{
	(void)x;
	return DB_OK;
}

static enum db_result act_escalate(struct action_run *x)
{
	struct case_row *c = x->c;
	if (c->level == REGION_DISTRICT)
		return refuse(x, 409, "事件已在区级处置，不能再上报");
	c->level = (enum region_level)(c->level - 1);
	bool matched = true;
	enum db_result r = case_route(x->ctx, &x->req->arena, c, x->now, &matched);
	x->event_unit = c->unit;
	if (!matched)
		x->note = arena_printf(&x->req->arena,
		                       "%s级权责清单无匹配规则：原处置单位已清空，由受理人指派",
		                       region_level_name_zh(c->level));
	if (r == DB_OK)
		r = notify_desk(x, "accept", NULL, "上报事件待受理");
	return r;
}

static enum db_result act_return(struct action_run *x)
{
	return notify_desk(x, "returned", NULL, "事件被退回，请重新派遣");
}

static enum db_result act_handle(struct action_run *x)
{
	x->c->handled_at = x->now;
	x->c->result = x->in->comment;
	keep_public_reply(x);
	return case_notify(x->ctx->db, x->c, "verify", "grid_worker", x->c->region_code, NULL, 0,
	                   "事件已处置，请核查");
}

static enum db_result act_verify(struct action_run *x)
{
	if (!x->c->reporter_user_id)
		return DB_OK;
	return case_notify(x->ctx->db, x->c, "rate", NULL, NULL, NULL, x->c->reporter_user_id,
	                   "您反映的问题已处理，请评价");
}

static enum db_result act_feedback(struct action_run *x)
{
	struct case_row *c = x->c;
	c->rating = x->in->rate;
	c->status = case_flow_after_feedback(x->in->rate);
	x->note = arena_printf(&x->req->arena, "评价：%s", rating_zh(x->in->rate));
	if (c->status != CASE_CLOSED)
		return notify_desk(x, "reopened", NULL, "群众不满意，事件重新办理");
	c->closed_at = x->now;
	return DB_OK;
}

static enum db_result act_reopen(struct action_run *x)
{
	struct case_row *c = x->c;
	/* A resident acts only on their own report, and reopens only within the window. */
	if (x->as == ROLE_RESIDENT && !case_reopen_allowed(c->closed_at, x->now))
		return refuse(x, 409, "结案已超过 7 天，不能再申请重新办理");
	c->closed_at = 0;
	if (x->from == CASE_CLOSED && x->as == ROLE_RESIDENT)
		c->rating = RATING_UNSATISFIED;
	return notify_desk(x, "reopened", NULL, "事件重新办理");
}

static enum db_result act_merge(struct action_run *x)
{
	struct case_row *c = x->c;
	if (x->in->into == c->id) {
		api_field_problem(x->req, "into", "self", "不能合并到事件自身");
		x->answered = true;
		return DB_OK;
	}
	enum db_result r = store_cases_get(x->ctx->db, &x->req->arena, x->in->into, &x->orig);
	if (r == DB_DONE || (r == DB_ROW && !case_roles_for(x->ctx, &x->orig))) {
		api_problem_at(x->req, 422, "要合并到的原事件不存在", "into", "unknown",
		               "原事件不存在");
		x->answered = true;
		return DB_OK;
	}
	if (r != DB_ROW)
		return r;
	if (!case_state_open(x->orig.status))
		return refuse(x, 409, "原事件已办结，请直接重新上报或办理");
	c->merged_into = x->orig.id;
	c->closed_at = x->now;
	x->note = arena_printf(&x->req->arena, "并入 %s", x->orig.number);
	return DB_OK;
}

static enum db_result act_supervise(struct action_run *x)
{
	x->c->supervised = true;
	x->c->supervise_note = x->in->comment;
	return notify_desk(x, "supervise", x->c->unit, "事件被督办");
}

/* One function per action, beside domain/case_flow.c's state table. A new action in
 * case_flow.h stops the build here until it has its function. */
_Static_assert(CASE_ACTION_COUNT == 13, "every case action needs its function in apply[]");
static enum db_result (*const apply[CASE_ACTION_COUNT])(struct action_run *) = {
    [ACT_ACCEPT] = act_accept,       [ACT_REJECT] = act_conclude,   [ACT_DISPATCH] = act_dispatch,
    [ACT_START] = act_start,         [ACT_ESCALATE] = act_escalate, [ACT_RETURN] = act_return,
    [ACT_HANDLE] = act_handle,       [ACT_VERIFY] = act_verify,     [ACT_REOPEN] = act_reopen,
    [ACT_FEEDBACK] = act_feedback,   [ACT_CLOSE] = act_conclude,    [ACT_MERGE] = act_merge,
    [ACT_SUPERVISE] = act_supervise,
};

/* Reads the request's fields; false after responding. */
static bool read_action(struct http_req *req, struct api_input *in, struct action_input *ai)
{
	memset(ai, 0, sizeof(*ai));
	ai->action = api_string(in, "action", true, 16, NULL);
	ai->comment = api_string(in, "comment", false, 2000, NULL);
	ai->unit = api_string(in, "unit", false, 64, NULL);
	ai->rating = api_string(in, "rating", false, 16, NULL);
	ai->public_reply = api_string(in, "public_reply", false, 500, NULL);
	api_int(in, "into", false, 1, INT64_MAX, &ai->into, NULL);
	ai->photos = api_photos_field(req, in, "photos");
	ai->act = ACT_ACCEPT;
	ai->rate = RATING_NONE;
	if (ai->action && !case_action_parse(ai->action, &ai->act))
		api_field_error(in, "action", "enum", "未知的操作");
	if (ai->rating && *ai->rating && !case_rating_parse(ai->rating, &ai->rate))
		api_field_error(in, "rating", "enum", "评价须为 satisfied、basic 或 unsatisfied");
	/* The reply for the public is written when the result is told: handle, close, reject. */
	if (ai->public_reply && ai->action && !case_action_takes_public_reply(ai->act))
		api_field_error(in, "public_reply", "not_allowed",
		                "公开答复只能在处置完成、结案或不予受理时填写");
	return api_input_end(req, in);
}

/* The state table's verdict on the action: the roles of the caller it allows, or 0 after
 * responding 409 (state), 403 (role) or 422 (a need unmet). */
static unsigned check_action(struct http_req *req, const struct case_row *c, unsigned roles,
                             const struct action_input *ai)
{
	const struct case_transition *t = case_flow_lookup(c->status, ai->act);
	if (t && case_action_blocked(c->merged_into, ai->act)) {
		api_problem(req, 409, "该事件已并入其他事件，请在原事件上办理");
		return 0;
	}
	if (!t) {
		api_problem(req, 409,
		            arena_printf(&req->arena, "事件当前为“%s”，不能执行“%s”",
		                         case_state_name_zh(c->status),
		                         case_action_name_zh(ai->act)));
		return 0;
	}
	if (!(t->roles & roles)) {
		api_problem(req, 403,
		            arena_printf(&req->arena, "您的角色不能对该事件执行“%s”",
		                         case_action_name_zh(ai->act)));
		return 0;
	}
	/* A dispatch may keep the unit the case already has. */
	struct case_supplied s = {.comment = ai->comment,
	                          .unit = ai->unit && *ai->unit ? ai->unit : c->unit,
	                          .rating = ai->rate,
	                          .into = ai->into};
	const struct case_need_info *miss = case_flow_missing(t->needs, &s);
	if (miss) {
		api_problem_at(req, 422, miss->detail, miss->field, "required", miss->message);
		return 0;
	}
	return t->roles & roles;
}

/* The timeline entries of the action: the case's, and the original's on a merge. */
static enum db_result record_action(struct action_run *x)
{
	const struct case_row *c = x->c;
	struct case_event_row e = {0};
	e.case_id = c->id;
	e.at = x->now;
	e.actor_id = x->ctx->who.user_id;
	e.actor = x->ctx->who.name;
	if (c->anonymous && c->reporter_user_id && x->ctx->who.user_id == c->reporter_user_id) {
		/* The anonymous reporter's own entries (feedback, reopen) name no one. */
		e.actor_id = 0;
		e.actor = ANONYMOUS_ACTOR;
	}
	e.role = role_code(x->as);
	e.action = case_action_code(x->in->act);
	e.from_state = x->from;
	e.to_state = c->status;
	/* The comment is what the person wrote; the rating and the system's note stand apart. */
	e.comment = x->in->comment;
	e.rating = x->in->act == ACT_FEEDBACK ? (int)x->in->rate : 0;
	e.note = x->note;
	e.unit = x->event_unit;
	e.photos = x->in->photos;
	enum db_result r = store_case_events_add(x->ctx->db, &e);
	if (r == DB_OK)
		r = case_webhook_event(x->ctx->db, &x->req->arena, c, &e);
	if (r == DB_OK && x->in->act == ACT_MERGE) {
		struct case_event_row oe = e;
		oe.case_id = x->orig.id;
		oe.from_state = x->orig.status;
		oe.to_state = x->orig.status;
		oe.note = arena_printf(&x->req->arena, "重复事件 %s 并入本事件", c->number);
		r = store_case_events_add(x->ctx->db, &oe);
		if (r == DB_OK)
			r = case_webhook_event(x->ctx->db, &x->req->arena, &x->orig, &oe);
	}
	return r;
}

/* Applies a checked action to c and records it; false after responding. */
static bool run_action(struct action_run *x, unsigned allowed)
{
	struct case_row *c = x->c;
	x->now = time_now();
	x->from = c->status;
	x->as = case_acting_role(allowed);
	c->status = case_flow_lookup(c->status, x->in->act)->next;
	enum db_result r = apply[x->in->act](x);
	if (x->answered)
		return false;
	if (r == DB_OK) {
		c->updated_at = x->now;
		r = store_cases_update(x->ctx->db, c);
	}
	if (r == DB_OK)
		r = record_action(x);
	if (r != DB_OK) {
		api_store_error(x->req, r);
		return false;
	}
	x->ctx->audit_object = arena_printf(&x->req->arena, "case:%lld", (long long)c->id);
	x->ctx->audit_detail =
	    arena_printf(&x->req->arena, "%s: %s -> %s", case_action_code(x->in->act),
	                 case_state_code(x->from), case_state_code(c->status));
	return true;
}

/* The answer: the case as the action left it, timeline included. */
static void action_answer(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const int64_t *id = ctx->answer_arg;
	struct case_row c;
	enum db_result r = store_cases_get(ctx->db, &req->arena, *id, &c);
	if (r != DB_ROW) {
		api_store_error(req, r == DB_DONE ? DB_ERROR : r);
		return;
	}
	api_json(req, 200, case_full_json(ctx, &req->arena, &c, case_roles_for(ctx, &c), false));
}

void cases_action_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct case_row c;
	unsigned roles, allowed;
	struct api_input in;
	if (!case_from_path(req, &c, &roles) || !api_input_begin(req, &in))
		return;
	struct action_input ai;
	struct action_run x = {.req = req, .ctx = ctx, .in = &ai, .c = &c};
	if (read_action(req, &in, &ai) && (allowed = check_action(req, &c, roles, &ai)) != 0 &&
	    run_action(&x, allowed)) {
		int64_t *id = arena_alloc(&req->arena, sizeof *id);
		*id = c.id;
		api_answer_after(req, 200, action_answer, id);
	}
	api_input_free(&in);
}
