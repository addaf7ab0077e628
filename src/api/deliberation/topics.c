/* /api/v1/topics: topics (议题) of the two procedures, their stages (advance), supports (附议)
 * and comments (民议) with moderation. The stage table is domain/topic_flow.c. */
#include "api/deliberation/deliberation.h"
#include "store/command/recurring.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/region.h"
#include "store/platform/regions.h"

#include <stdio.h>
#include <string.h>

const char *delib_resident_community(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!(api_roles(ctx) & ROLE_BIT(ROLE_RESIDENT)))
		return NULL;
	struct topic_voter v;
	const char *code = NULL;
	if (ctx->who.user_id &&
	    store_topic_voter(ctx->db, &req->arena, ctx->who.user_id, &v) == DB_OK &&
	    v.resident_id && v.region_code)
		code = v.region_code;
	for (size_t i = 0; !code && i < ctx->who.ngrants; i++)
		if (ctx->who.grants[i].role == ROLE_RESIDENT && ctx->who.grants[i].region_code[0])
			code = ctx->who.grants[i].region_code;
	if (!code || strlen(code) < 12)
		return NULL;
	return arena_printf(&req->arena, "%.12s", code);
}

unsigned delib_roles_over(const struct api_ctx *ctx, const char *region)
{
	unsigned roles = 0;
	for (size_t i = 0; i < ctx->who.ngrants; i++)
		if (region_covers(ctx->who.grants[i].region_code, region) ||
		    ctx->who.grants[i].role == ROLE_ADMIN)
			roles |= ROLE_BIT(ctx->who.grants[i].role);
	return roles;
}

bool delib_topic_seen(struct http_req *req, const void *obj)
{
	const struct topic_row *t = obj;
	struct api_ctx *ctx = api_ctx(req);
	if (api_reaches(ctx, DELIB_READERS, t->region_code))
		return true;
	const char *comm = delib_resident_community(req);
	return comm && strncmp(comm, t->region_code, 12) == 0;
}

API_LOADER(topic, "议题", 0, delib_topic_seen, struct topic_row, store_topics_get, region_code)

bool delib_topic_from_path(struct http_req *req, struct topic_row *t)
{
	return topic_from_path(req, t);
}

static bool comment_seen(struct http_req *req, const void *obj)
{
	const struct topic_comment_row *c = obj;
	struct topic_row t = {.region_code = c->region_code};
	return delib_topic_seen(req, &t);
}

API_LOADER(tcomment, "评论", 0, comment_seen, struct topic_comment_row, store_topic_comments_get,
           region_code)

static json_t *comment_json(struct http_req *req, const struct topic_comment_row *c, bool staff)
{
	(void)req;
	json_t *o = json_object();
	json_set_int(o, "id", c->id);
	json_set_bool(o, "hidden", c->hidden);
	json_set_str(o, "body", c->hidden && !staff ? NULL : c->body);
	json_set_str(o, "hidden_reason", c->hidden ? c->hidden_reason : NULL);
	json_set_str(o, "author", staff ? c->user_name : NULL);
	json_set_bool(o, "mine", c->user_id && c->user_id == api_ctx(req)->who.user_id);
	json_set_time(o, "created_at", c->created_at);
	return o;
}

json_t *delib_ratings_json(struct http_req *req, int64_t topic_id)
{
	int64_t r[3];
	json_t *o = json_object();
	if (store_topic_ratings(api_ctx(req)->db, topic_id, r) != DB_OK)
		r[0] = r[1] = r[2] = 0;
	json_set_int(o, "satisfied", r[0]);
	json_set_int(o, "basic", r[1]);
	json_set_int(o, "unsatisfied", r[2]);
	json_set_bool(o, "unsatisfied_majority",
	              topic_unsatisfied_majority(r[0] + r[1] + r[2], r[2]));
	return o;
}

static json_t *next_stages(struct http_req *req, const struct topic_row *t)
{
	json_t *a = json_array();
	enum topic_procedure p;
	enum topic_stage s;
	unsigned roles = delib_roles_over(api_ctx(req), t->region_code);
	if (!topic_procedure_parse(t->procedure, &p) || !topic_stage_parse(t->stage, &s))
		return a;
	for (int to = 0; to < TSTAGE_COUNT; to++) {
		const struct topic_move *m = topic_flow_lookup(p, s, (enum topic_stage)to);
		if (m && (m->roles & roles))
			json_array_append_new(a,
			                      json_string(topic_stage_code((enum topic_stage)to)));
	}
	return a;
}

static json_t *meeting_json(const struct topic_meeting_row *m)
{
	json_t *o = json_object();
	json_set_int(o, "id", m->id);
	json_set_int(o, "topic_id", m->topic_id);
	json_set_str(o, "stage", m->stage);
	json_set_str(o, "venue", m->venue);
	json_set_time(o, "held_at", m->held_at);
	json_set_str(o, "place", m->place);
	json_set_str(o, "minutes", m->minutes);
	json_t *photos = m->photos ? json_loads(m->photos, 0, NULL) : NULL;
	json_object_set_new(o, "photos", photos ? photos : json_array());
	json_set_int(o, "attendance", m->attendance);
	return o;
}

json_t *delib_meeting_json(const struct topic_meeting_row *m);
json_t *delib_meeting_json(const struct topic_meeting_row *m)
{
	return meeting_json(m);
}

static void add_details(struct http_req *req, json_t *o, const struct topic_row *t, bool staff)
{
	struct api_ctx *ctx = api_ctx(req);
	struct arena *a = &req->arena;
	json_t *tl = json_array();
	struct topic_event_row *ev;
	size_t n;
	if (store_topic_events_list(ctx->db, a, t->id, &ev, &n) == DB_OK)
		for (size_t i = 0; i < n; i++) {
			json_t *e = json_object();
			json_set_time(e, "at", ev[i].at);
			json_set_str(e, "from", ev[i].from_stage);
			json_set_str(e, "to", ev[i].to_stage);
			json_set_str(e, "comment", ev[i].comment);
			json_set_str(e, "actor", staff ? ev[i].user_name : NULL);
			if (ev[i].meeting_id)
				json_set_int(e, "meeting_id", ev[i].meeting_id);
			json_array_append_new(tl, e);
		}
	json_object_set_new(o, "timeline", tl);
	json_t *cs = json_array();
	struct topic_comment_row *c;
	if (store_topic_comments_list(ctx->db, a, t->id, &c, &n) == DB_OK)
		for (size_t i = 0; i < n; i++)
			json_array_append_new(cs, comment_json(req, &c[i], staff));
	json_object_set_new(o, "comments", cs);
	json_t *ms = json_array();
	struct topic_meeting_row *m;
	if (store_topic_meetings_list(ctx->db, a, t->id, &m, &n) == DB_OK)
		for (size_t i = 0; i < n; i++)
			json_array_append_new(ms, meeting_json(&m[i]));
	json_object_set_new(o, "meetings", ms);
	json_t *bs = json_array();
	struct ballot_row *b;
	if (store_ballots_of_topic(ctx->db, a, t->id, &b, &n) == DB_OK)
		for (size_t i = 0; i < n; i++)
			json_array_append_new(bs, delib_ballot_json(req, &b[i], true));
	json_object_set_new(o, "ballots", bs);
	json_object_set_new(o, "ledger", delib_ledger_json(req, t, staff));
	json_t *ts = json_array();
	struct topic_task_row *tk;
	if (store_topic_tasks_list(ctx->db, a, t->id, &tk, &n) == DB_OK)
		for (size_t i = 0; i < n; i++) {
			json_t *k = json_object();
			json_set_int(k, "id", tk[i].id);
			json_set_str(k, "title", tk[i].title);
			json_set_str(k, "owner", tk[i].owner);
			json_set_str(k, "deadline", tk[i].deadline);
			json_set_time(k, "done_at", tk[i].done_at);
			json_array_append_new(ts, k);
		}
	json_object_set_new(o, "tasks", ts);
	json_object_set_new(o, "ratings", delib_ratings_json(req, t->id));
	struct objection_row *ob;
	json_t *os = json_array();
	if (store_objections_list(ctx->db, a, t->id, &ob, &n) != DB_OK)
		n = 0;
	json_set_int(o, "objection_count", (int64_t)n);
	for (size_t i = 0; staff && i < n; i++) {
		json_t *x = json_object();
		json_set_int(x, "id", ob[i].id);
		json_set_str(x, "body", ob[i].body);
		json_set_time(x, "created_at", ob[i].created_at);
		json_array_append_new(os, x);
	}
	json_object_set_new(o, "objections", os);
}

json_t *delib_topic_json(struct http_req *req, const struct topic_row *t, bool full)
{
	struct api_ctx *ctx = api_ctx(req);
	bool staff = api_reaches(ctx, DELIB_READERS, t->region_code);
	json_t *o = json_object();
	enum topic_stage s = TSTAGE_PROPOSED;
	topic_stage_parse(t->stage, &s);
	json_set_int(o, "id", t->id);
	json_set_str(o, "title", t->title);
	json_set_str(o, "body", t->body);
	json_set_str(o, "region_code", t->region_code);
	json_set_str(o, "region_name", t->region_name);
	json_set_str(o, "procedure", t->procedure);
	json_set_str(o, "stage", t->stage);
	json_set_str(o, "stage_name", topic_stage_name_zh(s));
	json_set_int(o, "supports", t->supports);
	bool supported = false;
	if (ctx->who.user_id)
		store_topic_supported(ctx->db, t->id, ctx->who.user_id, &supported);
	json_set_bool(o, "supported", supported);
	json_set_str(o, "proposer", staff ? t->proposer_name : NULL);
	json_set_bool(o, "mine", t->proposer_id && t->proposer_id == ctx->who.user_id);
	json_set_time(o, "stage_since", t->stage_since);
	json_set_time(o, "public_until", t->public_until);
	json_set_bool(o, "in_publicity", t->public_until > time_now());
	json_set_time(o, "created_at", t->created_at);
	json_set_time(o, "updated_at", t->updated_at);
	json_object_set_new(o, "next_stages", next_stages(req, t));
	if (full) {
		add_details(req, o, t, staff);
		/* A selection (评选, selections.c): its number of places. */
		int64_t seats = 0;
		if (store_selection_seats(api_ctx(req)->db, t->id, &seats) == DB_ROW)
			json_set_int(o, "seats", seats);
		/* A topic made of a recurring problem (反复发生问题) names it to staff. */
		int64_t problem = 0;
		if (staff && store_recurring_of_topic(ctx->db, t->id, &problem) == DB_OK && problem)
			json_set_int(o, "recurring_problem_id", problem);
	}
	return o;
}

static json_t *topic_item(struct http_req *req, const void *row)
{
	return delib_topic_json(req, row, false);
}

void topics_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	const char *cur, *region = NULL, *stage = http_query(req, "stage");
	if (!api_limit(req, &limit) || !api_cursor(req, &cur) || !base_region_param(req, &region))
		return;
	enum topic_stage st;
	if (stage && !topic_stage_parse(stage, &st)) {
		api_problem(req, 400, "stage 不是有效的阶段");
		return;
	}
	const char *sort = http_query(req, "sort");
	if (sort && strcmp(sort, "supports") != 0 && strcmp(sort, "newest") != 0) {
		api_problem(req, 400, "sort 须为 supports 或 newest");
		return;
	}
	int64_t offset = 0;
	if (cur && sscanf(cur, "%lld", (long long *)&offset) != 1) {
		api_problem(req, 400, "cursor 无效");
		return;
	}
	struct scopes sc;
	base_scopes(ctx, DELIB_READERS, region, &sc);
	const char *comm = delib_resident_community(req);
	if (comm && sc.n < SCOPES_MAX &&
	    (!region || strncmp(region, comm, 12) == 0 ||
	     strncmp(comm, region, strlen(region)) == 0)) {
		bool covered = false;
		for (int i = 0; i < sc.n; i++)
			covered |= region_covers(sc.prefix[i], comm);
		if (!covered)
			sc.prefix[sc.n++] = region && strlen(region) > 12 ? region : comm;
	}
	struct topic_row *rows;
	size_t n;
	enum db_result r =
	    store_topics_list(ctx->db, &req->arena, &sc, region, stage,
	                      sort && !strcmp(sort, "newest"), offset, limit + 1, &rows, &n);
	if (!api_stored(req, r))
		return;
	const char *next = NULL;
	if (n > (size_t)limit) {
		n = (size_t)limit;
		next = arena_printf(&req->arena, "%lld", (long long)(offset + limit));
	}
	api_respond_rows(req, rows, n, sizeof *rows, topic_item, next);
}

/* Targets of 民筹 given in a body: money (元) and labour (hours). */
static void read_targets(struct api_input *in, struct topic_row *t, bool *given)
{
	bool m = false, l = false;
	api_int(in, "target_money", false, 0, 1000000000, &t->target_money, &m);
	api_int(in, "target_labour", false, 0, 10000000, &t->target_labour, &l);
	if (given)
		*given = m || l;
}

void topics_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct topic_row t;
	memset(&t, 0, sizeof t);
	t.title = api_string(&in, "title", true, 100, NULL);
	t.body = api_string(&in, "body", true, 5000, NULL);
	t.procedure = api_string(&in, "procedure", false, 20, NULL);
	if (!t.procedure)
		t.procedure = "six_step";
	enum topic_procedure p;
	if (!topic_procedure_parse(t.procedure, &p))
		api_field_error(&in, "procedure", "invalid", "procedure 须为 six_step 或 four_two");
	read_targets(&in, &t, NULL);
	t.region_code = api_string(&in, "region_code", true, 15, NULL);
	if (t.region_code) {
		struct region_row reg;
		size_t len = strlen(t.region_code);
		const char *comm = delib_resident_community(req);
		bool staff = api_reaches(ctx, DELIB_STAFF, t.region_code);
		if (store_regions_get(ctx->db, &req->arena, t.region_code, &reg) != DB_ROW)
			api_field_error(&in, "region_code", "unknown", "区域不存在");
		else if (len != 12 && len != 15)
			api_field_error(&in, "region_code", "level", "议题须属于社区或网格");
		else if (!staff && !(comm && strncmp(comm, t.region_code, 12) == 0))
			api_field_error(&in, "region_code", "scope", "只能在本社区提出议题");
	}
	if (!api_input_end(req, &in) || !api_stored(req, delib_topic_open(req, &t, time_now())))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "topic:%lld", (long long)t.id);
	store_topics_get(ctx->db, &req->arena, t.id, &t);
	api_json(req, 201, delib_topic_json(req, &t, true));
out:
	api_input_free(&in);
}

enum db_result delib_topic_open(struct http_req *req, struct topic_row *t, int64_t now)
{
	struct api_ctx *ctx = api_ctx(req);
	t->stage = "proposed";
	t->proposer_id = ctx->who.user_id;
	t->created_at = now;
	enum db_result r = store_topics_insert(ctx->db, t);
	struct topic_event_row e = {
	    .topic_id = t->id, .at = now, .user_id = ctx->who.user_id, .to_stage = "proposed"};
	if (r == DB_OK)
		r = store_topic_events_add(ctx->db, &e);
	return r;
}

void topics_get_h(struct http_req *req)
{
	struct topic_row t;
	if (!topic_from_path(req, &t))
		return;
	api_json(req, 200, delib_topic_json(req, &t, true));
}

static const char *need_detail(enum topic_need n)
{
	switch (n) {
	case TNEED_MEETING:
		return "本阶段须先召开议事会并记录会议纪要";
	case TNEED_BALLOT:
		return "本阶段须有已结束并获通过的表决";
	case TNEED_SATISFIED:
		return "评议不满意者过半或尚无评议，不能办结";
	case TNEED_UNSATISFIED:
		return "评议不满意者未过半，不能退回民办";
	default:
		return "请说明理由";
	}
}

/* The move from the topic's stage to next, answered 409 or 403 when there is none or the
 * caller's role may not make it. */
static const struct topic_move *topic_move_for(struct http_req *req, const struct topic_row *t,
                                               enum topic_stage next)
{
	enum topic_stage from = TSTAGE_COUNT;
	enum topic_procedure p = TPROC_SIX_STEP;
	topic_procedure_parse(t->procedure, &p);
	topic_stage_parse(t->stage, &from);
	const struct topic_move *m = topic_flow_lookup(p, from, next);
	if (!m) {
		api_problem(req, 409,
		            arena_printf(&req->arena, "议题处于“%s”阶段，不能转到“%s”",
		                         topic_stage_name_zh(from), topic_stage_name_zh(next)));
		return NULL;
	}
	if (!(m->roles & delib_roles_over(api_ctx(req), t->region_code))) {
		api_problem(req, 403, "您的角色不能推进此阶段");
		return NULL;
	}
	return m;
}

/* What the stage has (its ballot, meeting minutes, ratings) to judge a move's needs by.
 * Leaving the stage closes its ballot first: advancing is how staff end the vote, and a
 * refusal rolls the close back with everything else. */
static bool topic_facts_of(struct http_req *req, const struct topic_row *t, int64_t meeting,
                           int64_t now, struct topic_facts *f)
{
	struct db *db = api_ctx(req)->db;
	struct ballot_row b;
	enum db_result r = delib_latest_ballot(db, &req->arena, t->id, &b);
	if (r == DB_ROW && !b.closed)
		r = delib_ballot_close(db, &req->arena, &b, now) == DB_OK ? DB_ROW : DB_ERROR;
	if (r == DB_ROW && strcmp(b.stage, t->stage) == 0) {
		f->ballot_closed = true;
		f->ballot_passed = b.passed;
	}
	int64_t ratings[3] = {0, 0, 0};
	if ((r != DB_ROW && r != DB_DONE) ||
	    store_topic_meeting_minuted(db, t->id, t->stage, meeting, &f->meeting_minuted) !=
	        DB_OK ||
	    store_topic_ratings(db, t->id, ratings) != DB_OK) {
		api_store_error(req, r == DB_ROW || r == DB_DONE ? DB_ERROR : r);
		return false;
	}
	f->ratings = ratings[0] + ratings[1] + ratings[2];
	f->unsatisfied = ratings[2];
	return true;
}

void topics_advance_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_row t;
	if (!topic_from_path(req, &t))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	const char *to = api_string(&in, "to", true, 30, NULL);
	const char *comment = api_string(&in, "comment", false, 2000, NULL);
	int64_t meeting = 0, days = DELIB_PUBLIC_DAYS, now = time_now();
	api_int(&in, "meeting", false, 1, INT64_MAX, &meeting, NULL);
	api_int(&in, "publicity_days", false, 1, 90, &days, NULL);
	bool targets = false;
	struct topic_row tg = t;
	read_targets(&in, &tg, &targets);
	enum topic_stage next = TSTAGE_COUNT;
	if (to && !topic_stage_parse(to, &next))
		api_field_error(&in, "to", "invalid", "不是有效的阶段");
	const struct topic_move *m = NULL;
	struct topic_facts f = {.has_comment = comment && *comment};
	if (!api_input_end(req, &in) || !(m = topic_move_for(req, &t, next)) ||
	    !topic_facts_of(req, &t, meeting, now, &f))
		goto out;
	enum topic_need miss = topic_flow_missing(m->needs, &f);
	if (miss == TNEED_COMMENT) {
		api_field_problem(req, "comment", "required", need_detail(miss));
		goto out;
	}
	if (miss != TNEED_NOTHING) {
		api_problem(req, 409, need_detail(miss));
		goto out;
	}
	int64_t until = topic_stage_discloses(next) ? now + days * 86400 : 0;
	enum db_result r =
	    store_topics_set_stage(ctx->db, t.id, topic_stage_code(next), until, now);
	struct topic_event_row e = {.topic_id = t.id,
	                            .at = now,
	                            .user_id = ctx->who.user_id,
	                            .from_stage = t.stage,
	                            .to_stage = topic_stage_code(next),
	                            .comment = comment,
	                            .meeting_id = meeting};
	if (r == DB_OK)
		r = store_topic_events_add(ctx->db, &e);
	if (r == DB_OK && targets)
		r = store_topics_set_targets(ctx->db, t.id, tg.target_money, tg.target_labour);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "topic:%lld", (long long)t.id);
	ctx->audit_detail = arena_printf(&req->arena, "%s → %s", t.stage, topic_stage_code(next));
	store_topics_get(ctx->db, &req->arena, t.id, &t);
	api_json(req, 200, delib_topic_json(req, &t, true));
out:
	api_input_free(&in);
}

void topics_support_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_row t;
	if (!topic_from_path(req, &t))
		return;
	enum topic_stage s = TSTAGE_COUNT;
	topic_stage_parse(t.stage, &s);
	if (!topic_stage_supports(s)) {
		api_problem(req, 409, "只能附议尚在提议阶段的议题");
		return;
	}
	enum db_result r = store_topic_supports_add(ctx->db, t.id, ctx->who.user_id, time_now());
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409, "您已附议该议题");
		return;
	}
	if (!api_stored(req, r))
		return;
	ctx->audit_object = arena_printf(&req->arena, "topic:%lld", (long long)t.id);
	store_topics_get(ctx->db, &req->arena, t.id, &t);
	api_json(req, 201, delib_topic_json(req, &t, false));
}

void topic_comments_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_row t;
	if (!topic_from_path(req, &t))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct topic_comment_row c = {.topic_id = t.id, .region_code = t.region_code};
	c.body = api_string(&in, "body", true, 2000, NULL);
	if (!api_input_end(req, &in))
		goto out;
	enum topic_stage s = TSTAGE_COUNT;
	topic_stage_parse(t.stage, &s);
	if (!topic_stage_comments(s)) {
		api_problem(req, 409, "议题不在议事阶段，不能发表意见");
		goto out;
	}
	c.user_id = ctx->who.user_id;
	c.created_at = time_now();
	enum db_result r = store_topic_comments_insert(ctx->db, &c);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "topic_comment:%lld", (long long)c.id);
	store_topic_comments_get(ctx->db, &req->arena, c.id, &c);
	api_json(req, 201, comment_json(req, &c, api_reaches(ctx, DELIB_READERS, t.region_code)));
out:
	api_input_free(&in);
}

void topic_comments_hide_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_comment_row c;
	if (!tcomment_from_path(req, &c))
		return;
	struct api_input in;
	if (!api_write_begin(req, DELIB_MOVERS, c.region_code, "您不能管理此评论", &in))
		return;
	const char *reason = api_string(&in, "reason", true, 500, NULL);
	if (!api_input_end(req, &in))
		goto out;
	if (c.hidden) {
		api_problem(req, 409, "该评论已隐藏");
		goto out;
	}
	enum db_result r = store_topic_comments_hide(ctx->db, c.id, reason, ctx->who.user_id);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "topic_comment:%lld", (long long)c.id);
	/* the body is freed before the audit entry is written, the request's arena is not */
	ctx->audit_detail = reason ? arena_strdup(&req->arena, reason) : NULL;
	store_topic_comments_get(ctx->db, &req->arena, c.id, &c);
	api_json(req, 200, comment_json(req, &c, true));
out:
	api_input_free(&in);
}
