/* 民筹 (pledges of money or labour against a target, and spending, in one ledger), 民办 (tasks
 * with an owner and a deadline), 民评 (ratings by residents) and objections during a 公示
 * period. */
#include "api/deliberation/deliberation.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/deadline.h"

#include <string.h>

static enum topic_stage stage_of(const struct topic_row *t)
{
	enum topic_stage s = TSTAGE_COUNT;
	topic_stage_parse(t->stage, &s);
	return s;
}

json_t *delib_ledger_json(struct http_req *req, const struct topic_row *t, bool items)
{
	struct api_ctx *ctx = api_ctx(req);
	struct ledger_totals tot;
	if (store_ledger_totals(ctx->db, t->id, &tot) != DB_OK)
		memset(&tot, 0, sizeof tot);
	json_t *o = json_object();
	json_set_int(o, "target_money", t->target_money);
	json_set_int(o, "target_labour", t->target_labour);
	json_set_int(o, "pledged_money", tot.pledged_money);
	json_set_int(o, "pledged_labour", tot.pledged_labour);
	json_set_int(o, "spent_money", tot.spent_money);
	json_set_int(o, "pledges", tot.pledges);
	struct ledger_row *l;
	size_t n;
	if (items && store_ledger_list(ctx->db, &req->arena, t->id, &l, &n) == DB_OK) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *e = json_object();
			json_set_int(e, "id", l[i].id);
			json_set_str(e, "kind", l[i].kind);
			json_set_str(e, "resource", l[i].resource);
			json_set_int(e, "amount", l[i].amount);
			json_set_str(e, "note", l[i].note);
			json_set_time(e, "created_at", l[i].created_at);
			json_array_append_new(a, e);
		}
		json_object_set_new(o, "items", a);
	}
	return o;
}

static void ledger_add(struct http_req *req, const char *kind)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_row t;
	if (!delib_topic_from_path(req, &t))
		return;
	bool spend = strcmp(kind, "spend") == 0;
	struct api_input in;
	if (spend ? !api_write_begin(req, DELIB_MANAGERS, t.region_code, "您不能登记此议题的支出",
	                             &in)
	          : !api_input_begin(req, &in))
		return;
	struct ledger_row l = {.topic_id = t.id, .region_code = t.region_code, .kind = kind};
	l.resource = spend ? "money" : api_string(&in, "resource", true, 10, NULL);
	if (l.resource && strcmp(l.resource, "money") && strcmp(l.resource, "labour"))
		api_field_error(&in, "resource", "invalid", "resource 须为 money 或 labour");
	api_int(&in, "amount", true, 1, 100000000, &l.amount, NULL);
	l.note = api_string(&in, "note", spend, 500, NULL);
	if (!spend && !(api_roles(ctx) & ROLE_BIT(ROLE_RESIDENT)) &&
	    !api_reaches(ctx, DELIB_STAFF, t.region_code))
		api_field_error(&in, "resource", "scope", "您不能为此议题登记认筹");
	if (!api_input_end(req, &in))
		goto out;
	enum topic_stage s = stage_of(&t);
	if (spend ? !topic_stage_spends(s) : !topic_stage_pledges(s)) {
		api_problem(req, 409,
		            spend ? "议题不在实施阶段，不能登记支出"
		                  : "议题不在民筹阶段，不能认筹");
		goto out;
	}
	l.user_id = ctx->who.user_id;
	struct topic_voter v;
	if (!spend && store_topic_voter(ctx->db, &req->arena, ctx->who.user_id, &v) == DB_OK)
		l.household_id = v.household_id;
	l.created_at = time_now();
	enum db_result r = store_ledger_insert(ctx->db, &l);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "topic_ledger:%lld", (long long)l.id);
	json_t *o = json_object();
	json_set_int(o, "id", l.id);
	json_set_str(o, "kind", l.kind);
	json_set_str(o, "resource", l.resource);
	json_set_int(o, "amount", l.amount);
	json_object_set_new(o, "ledger", delib_ledger_json(req, &t, false));
	api_json(req, 201, o);
out:
	api_input_free(&in);
}

void topic_pledges_create_h(struct http_req *req)
{
	ledger_add(req, "pledge");
}

void topic_spending_create_h(struct http_req *req)
{
	ledger_add(req, "spend");
}

static json_t *task_json(const struct topic_task_row *k)
{
	json_t *o = json_object();
	json_set_int(o, "id", k->id);
	json_set_int(o, "topic_id", k->topic_id);
	json_set_str(o, "title", k->title);
	json_set_str(o, "owner", k->owner);
	json_set_str(o, "deadline", k->deadline);
	json_set_time(o, "done_at", k->done_at);
	return o;
}

void topic_tasks_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_row t;
	if (!delib_topic_from_path(req, &t))
		return;
	struct api_input in;
	if (!api_write_begin(req, DELIB_MANAGERS, t.region_code, "您不能为此议题分派任务", &in))
		return;
	struct topic_task_row k = {.topic_id = t.id, .region_code = t.region_code};
	k.title = api_string(&in, "title", true, 200, NULL);
	k.owner = api_string(&in, "owner", true, 100, NULL);
	k.deadline = api_string(&in, "deadline", true, 10, NULL);
	int64_t day;
	if (k.deadline && !deadline_parse_date(k.deadline, &day))
		api_field_error(&in, "deadline", "format", "deadline 须为 YYYY-MM-DD 日期");
	if (!api_input_end(req, &in))
		goto out;
	if (!topic_stage_spends(stage_of(&t))) {
		api_problem(req, 409, "议题不在实施阶段，不能分派任务");
		goto out;
	}
	k.created_by = ctx->who.user_id;
	k.created_at = time_now();
	enum db_result r = store_topic_tasks_insert(ctx->db, &k);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "topic_task:%lld", (long long)k.id);
	api_json(req, 201, task_json(&k));
out:
	api_input_free(&in);
}

API_LOADER(ttask, "任务", DELIB_STAFF, NULL, struct topic_task_row, store_topic_tasks_get,
           region_code)

void topic_tasks_done_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_task_row k;
	if (!ttask_from_path(req, &k))
		return;
	if (k.done_at) {
		api_problem(req, 409, "任务已完成");
		return;
	}
	int64_t now = time_now();
	enum db_result r = store_topic_tasks_done(ctx->db, k.id, now);
	if (!api_stored(req, r))
		return;
	ctx->audit_object = arena_printf(&req->arena, "topic_task:%lld", (long long)k.id);
	k.done_at = now;
	api_json(req, 200, task_json(&k));
}

void topic_ratings_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_row t;
	if (!delib_topic_from_path(req, &t))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	const char *rating = api_string(&in, "rating", true, 20, NULL);
	const char *comment = api_string(&in, "comment", false, 1000, NULL);
	enum topic_rating tr;
	if (rating && !topic_rating_parse(rating, &tr))
		api_field_error(&in, "rating", "invalid",
		                "rating 须为 satisfied、basic 或 unsatisfied");
	if (!api_input_end(req, &in))
		goto out;
	if (!topic_stage_rates(stage_of(&t))) {
		api_problem(req, 409, "议题不在民评阶段，不能评议");
		goto out;
	}
	enum db_result r =
	    store_topic_rate(ctx->db, t.id, ctx->who.user_id, rating, comment, time_now());
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "topic:%lld", (long long)t.id);
	api_json(req, 201, delib_ratings_json(req, t.id));
out:
	api_input_free(&in);
}

void topic_objections_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_row t;
	if (!delib_topic_from_path(req, &t))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct objection_row o = {.topic_id = t.id};
	o.body = api_string(&in, "body", true, 2000, NULL);
	if (!api_input_end(req, &in))
		goto out;
	int64_t now = time_now();
	if (t.public_until <= now) {
		api_problem(req, 409, "不在公示期内，不能提出异议");
		goto out;
	}
	o.user_id = ctx->who.user_id;
	o.created_at = now;
	enum db_result r = store_objections_insert(ctx->db, &o);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "topic_objection:%lld", (long long)o.id);
	json_t *j = json_object();
	json_set_int(j, "id", o.id);
	json_set_int(j, "topic_id", t.id);
	json_set_str(j, "body", o.body);
	json_set_time(j, "created_at", o.created_at);
	api_json(req, 201, j);
out:
	api_input_free(&in);
}
