/* /api/v1/recurring-problems: recurring problems (反复发生问题) — cases of one category at one
 * place reaching N within M weeks, kept by the store as cases arrive — listed in the caller's
 * scope, read with their cases (masked as in case lists), and taken up as a campaign item
 * whose source is the problem (once: a second time is 409). */
#include "api/base/base.h"
#include "api/cases/cases.h"
#include "api/command/command.h"
#include "api/deliberation/deliberation.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/campaign_flow.h"
#include "store/command/campaigns.h"
#include "store/command/recurring.h"

#include <stddef.h>
#include <string.h>

/* The cases a problem's answer carries at most (the newest). */
enum { MAX_CASES = 100 };

static const char *problem_place(const struct recurring_row *p)
{
	return p->address ? p->address : p->building_name ? p->building_name : p->region_code;
}

static json_t *recurring_json(const struct recurring_row *p, const struct recur_rule *rule)
{
	json_t *o = json_object();
	json_set_int(o, "id", p->id);
	json_set_str(o, "category", p->category);
	json_set_str(o, "category_name", p->category_name);
	json_set_str(o, "region_code", p->region_code);
	json_set_str(o, "region_name", p->region_name);
	json_t *place = json_object();
	if (p->building_id) {
		json_set_int(place, "building_id", p->building_id);
		json_set_str(place, "building_name", p->building_name);
	} else {
		json_object_set_new(place, "building_id", json_null());
		json_object_set_new(place, "building_name", json_null());
	}
	json_object_set_new(place, "lat", p->has_point ? json_real(p->lat) : json_null());
	json_object_set_new(place, "lon", p->has_point ? json_real(p->lon) : json_null());
	json_set_str(place, "address", p->address);
	json_object_set_new(o, "place", place);
	json_set_int(o, "case_count", p->case_count);
	json_set_int(o, "first_case_id", p->first_case_id);
	json_set_time(o, "first_at", p->first_at);
	json_set_time(o, "last_at", p->last_at);
	json_set_int(o, "window_weeks", rule->weeks);
	json_set_int(o, "min_cases", rule->min_cases);
	json_set_str(o, "status", p->status);
	json_set_str(o, "status_name",
	             strcmp(p->status, "taken") != 0 ? "待处置"
	             : p->topic_id                   ? "已转议题"
	                                             : "已转专项整治");
	if (p->item_id) {
		json_t *it = json_object();
		json_set_int(it, "id", p->item_id);
		json_set_int(it, "campaign_id", p->item_campaign_id);
		json_object_set_new(o, "campaign_item", it);
	} else
		json_object_set_new(o, "campaign_item", json_null());
	if (p->topic_id)
		json_set_int(o, "topic_id", p->topic_id);
	else
		json_object_set_new(o, "topic_id", json_null());
	json_set_time(o, "created_at", p->created_at);
	json_set_time(o, "updated_at", p->updated_at);
	return o;
}

/* The rule in force (zeros in the settings are the defaults). */
static struct recur_rule rule_of(const struct api_ctx *ctx)
{
	struct recur_rule r = ctx->cfg ? ctx->cfg->recurring : (struct recur_rule){0};
	if (!recur_rule_normalise(&r))
		r = (struct recur_rule){RECUR_DEFAULT_CASES, RECUR_DEFAULT_WEEKS};
	return r;
}

static json_t *recurring_item(struct http_req *req, const void *row)
{
	struct recur_rule r = rule_of(api_ctx(req));
	return recurring_json(row, &r);
}

API_LOADER(problem, "反复发生问题", RECURRING_READERS, NULL, struct recurring_row,
           store_recurring_get, region_code)

void recurring_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *region;
	int limit;
	struct page_after after;
	if (!base_region_param(req, &region) || !api_limit(req, &limit) ||
	    !base_cursor(req, &after))
		return;
	const char *status = http_query(req, "status");
	if (status && *status && strcmp(status, "open") != 0 && strcmp(status, "taken") != 0) {
		api_problem(req, 400, "status 须为 open 或 taken");
		return;
	}
	struct scopes sc;
	base_scopes(ctx, RECURRING_READERS, region, &sc);
	struct recurring_row *rows;
	size_t n;
	enum db_result r =
	    store_recurring_list(ctx->db, &req->arena, &sc, status, after, limit, &rows, &n);
	base_respond_page(req, r, rows, n, sizeof *rows,
	                  offsetof(struct recurring_row, region_code), limit, recurring_item);
}

/* The problem's cases the caller may read, newest first, each as case lists show it (the
 * reporter's phone masked, an anonymous reporter hidden). */
static json_t *cases_json(struct http_req *req, const struct recurring_row *p)
{
	struct api_ctx *ctx = api_ctx(req);
	json_t *out = json_array();
	int64_t *ids;
	size_t n;
	if (store_recurring_case_ids(ctx->db, &req->arena, p->id, MAX_CASES, &ids, &n) != DB_OK)
		return out;
	for (size_t i = 0; i < n; i++) {
		struct case_row c;
		if (store_cases_get(ctx->db, &req->arena, ids[i], &c) == DB_ROW &&
		    (case_roles_for(ctx, &c) & RECURRING_READERS))
			json_array_append_new(out, case_json(ctx, &req->arena, &c, false));
	}
	return out;
}

void recurring_get_h(struct http_req *req)
{
	struct recurring_row p;
	if (!problem_from_path(req, &p))
		return;
	struct recur_rule r = rule_of(api_ctx(req));
	json_t *o = recurring_json(&p, &r);
	json_object_set_new(o, "cases", cases_json(req, &p));
	api_json(req, 200, o);
}

/* What a campaign item or topic made of the problem is called by default. */
static const char *problem_title(struct http_req *req, const struct recurring_row *p)
{
	return arena_printf(&req->arena, "反复发生：%s · %s（%lld 件）",
	                    p->category_name ? p->category_name : p->category, problem_place(p),
	                    (long long)p->case_count);
}

/* The campaign named by campaign_id, visible to the caller; false after recording the error. */
static bool read_campaign(struct http_req *req, struct api_input *in, struct campaign_row *c)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t cid = 0;
	api_int(in, "campaign_id", true, 1, INT64_MAX, &cid, NULL);
	if (cid <= 0)
		return false;
	enum db_result r = store_campaigns_get(ctx->db, &req->arena, cid, c);
	if (r != DB_ROW && r != DB_DONE) {
		in->unavailable = true;
		api_field_error(in, "campaign_id", "unavailable", "暂时无法核对，请稍后重试");
	} else if (r == DB_DONE || !campaign_region_visible(ctx, c->region_code))
		api_field_error(in, "campaign_id", "unknown", "专项整治不存在");
	else
		return true;
	return false;
}

void recurring_campaign_item_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct recurring_row p;
	struct api_input in;
	struct campaign_row c;
	if (!problem_from_path(req, &p) ||
	    !api_write_begin(req, CAMPAIGN_MANAGERS, p.region_code,
	                     "只有问题所在区划的管理人员可以将其转为专项整治任务", &in))
		return;
	if (!read_campaign(req, &in, &c)) {
		api_input_end(req, &in);
		goto out;
	}
	/* Taken first, in the request's transaction: an item that is then refused rolls it back. */
	enum db_result r = store_recurring_take(ctx->db, p.id, time_now());
	if (r == DB_DONE) {
		api_problem(req, 409, "该反复发生问题已转为专项整治任务或议题");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	/* Defaults: the problem list, the problem's grid, "owner" as the owning unit. */
	if (!json_object_get(in.body, "list"))
		json_object_set_new(in.body, "list", json_string(citem_list_code(CLIST_PROBLEM)));
	if (!json_object_get(in.body, "region_code"))
		json_object_set_new(in.body, "region_code", json_string(p.region_code));
	json_t *owner = json_object_get(in.body, "owner");
	if (json_is_string(owner) && !json_object_get(in.body, "owner_unit"))
		json_object_set(in.body, "owner_unit", owner);
	else if (owner && !json_is_null(owner) && !json_is_string(owner)) {
		in.type_error = true; /* answered 400 with the item's other errors */
		api_field_error(&in, "owner", "type", "应为字符串");
	}
	campaign_item_create(req, &in, &c, citem_source_code(CSRC_RECURRING), p.id, 0,
	                     problem_title(req, &p));
	ctx->audit_detail = arena_printf(&req->arena, "recurring_problem:%lld", (long long)p.id);
out:
	api_input_free(&in);
}

/* The problem taken up as a deliberation topic (议题) at its grid, for the residents to decide
 * what to do about it (六步工作法); once, like a campaign item: a second time is 409. */
void recurring_topic_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct recurring_row p;
	struct api_input in;
	if (!problem_from_path(req, &p) ||
	    !api_write_begin(req, DELIB_MANAGERS, p.region_code,
	                     "只有问题所在区划的管理人员可以将其转为议题", &in))
		return;
	struct topic_row t;
	memset(&t, 0, sizeof t);
	t.title = api_string(&in, "title", false, 100, NULL);
	t.body = api_string(&in, "body", false, 5000, NULL);
	t.procedure = api_string(&in, "procedure", false, 20, NULL);
	enum topic_procedure proc;
	if (t.procedure && !topic_procedure_parse(t.procedure, &proc))
		api_field_error(&in, "procedure", "invalid", "procedure 须为 six_step 或 four_two");
	if (!api_input_end(req, &in))
		goto out;
	char first[TIME_RFC3339_LEN], last[TIME_RFC3339_LEN];
	time_format(p.first_at, first); /* the day in Asia/Shanghai: the first ten characters */
	time_format(p.last_at, last);
	first[10] = last[10] = '\0';
	if (!t.title)
		t.title = problem_title(req, &p);
	bool one_day = strcmp(first, last) == 0;
	const char *until = one_day ? "" : "至"; /* a span of days, or the one day */
	if (!t.body)
		t.body = arena_printf(
		    &req->arena,
		    "%s%s%s，%s在%s发生%lld件（反复发生问题 %lld 号）。提请居民协商解决办法。",
		    first, until, one_day ? "" : last,
		    p.category_name ? p.category_name : p.category, problem_place(&p),
		    (long long)p.case_count, (long long)p.id);
	t.procedure = t.procedure ? t.procedure : "six_step";
	t.region_code = p.region_code;
	int64_t now = time_now();
	enum db_result r = delib_topic_open(req, &t, now);
	if (r == DB_OK)
		r = store_recurring_take_topic(ctx->db, p.id, t.id, now);
	if (r == DB_DONE) {
		api_problem(req, 409, "该反复发生问题已转为专项整治任务或议题");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "topic:%lld", (long long)t.id);
	ctx->audit_detail = arena_printf(&req->arena, "recurring_problem:%lld", (long long)p.id);
	store_topics_get(ctx->db, &req->arena, t.id, &t);
	api_json(req, 201, delib_topic_json(req, &t, true));
out:
	api_input_free(&in);
}
