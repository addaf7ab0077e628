/* /api/v1/meetings: joint meetings (联席会议) — date, region, units present, topics and
 * decisions — and a decision turned into a campaign item (source kind meeting, with the
 * decision's number) or dispatched as a case (派发案件, source meeting, linked in
 * meeting_cases), which the meeting then lists beside the decision. */
#include "api/base/base.h"
#include "api/cases/cases.h"
#include "api/command/command.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/campaign_flow.h"
#include "domain/region.h"
#include "store/command/campaigns.h"
#include "store/platform/regions.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_ENTRIES = 50 };

static json_t *loads_array(const char *text)
{
	json_t *a = text ? json_loads(text, 0, NULL) : NULL;
	return a ? a : json_array();
}

static json_t *meeting_json(const struct meeting_row *m)
{
	json_t *o = json_object();
	json_set_int(o, "id", m->id);
	json_set_str(o, "region_code", m->region_code);
	json_set_str(o, "held_on", m->held_on);
	json_set_str(o, "title", m->title);
	json_object_set_new(o, "units", loads_array(m->units));
	json_object_set_new(o, "topics", loads_array(m->topics));
	json_set_time(o, "created_at", m->created_at);
	return o;
}

/* With decisions [{n, text, item_id, case_id}] (the campaign item made of it and the case
 * dispatched from it, or null). */
static json_t *meeting_full(struct http_req *req, const struct meeting_row *m)
{
	json_t *o = meeting_json(m), *dec = loads_array(m->decisions), *out = json_array(), *x;
	struct citem_row *items = NULL;
	size_t n = 0, i;
	struct meeting_case_row *cases = NULL;
	size_t nc = 0;
	if (store_citems_by_source(api_ctx(req)->db, &req->arena, "meeting", m->id, &items, &n) !=
	    DB_OK)
		n = 0;
	if (store_meeting_cases_list(api_ctx(req)->db, &req->arena, m->id, &cases, &nc) != DB_OK)
		nc = 0;
	json_array_foreach(dec, i, x)
	{
		json_t *d = json_object();
		json_set_int(d, "n", (int64_t)i + 1);
		json_set_str(d, "text", json_string_value(x));
		json_object_set_new(d, "item_id", json_null());
		for (size_t k = 0; k < n; k++)
			if (items[k].source_n == (int64_t)i + 1) {
				json_set_int(d, "item_id", items[k].id);
				json_set_int(d, "campaign_id", items[k].campaign_id);
			}
		json_object_set_new(d, "case_id", json_null());
		for (size_t k = 0; k < nc; k++)
			if (cases[k].decision_n == (int64_t)i + 1) {
				json_set_int(d, "case_id", cases[k].case_id);
				json_set_str(d, "case_number", cases[k].case_number);
			}
		json_array_append_new(out, d);
	}
	json_decref(dec);
	json_object_set_new(o, "decisions", out);
	return o;
}

API_ITEM(meeting_item, meeting_json)

/* A non-empty array of non-empty strings (each ≤ maxchars) as JSON text; NULL after an error. */
static const char *read_strings(struct http_req *req, struct api_input *in, const char *field,
                                bool required, size_t maxchars)
{
	json_t *a = json_object_get(in->body, field);
	if (!a || json_is_null(a)) {
		if (required)
			api_field_error(in, field, "required", "此项为必填");
		return required ? NULL : "[]";
	}
	if (!json_is_array(a) || json_array_size(a) > MAX_ENTRIES) {
		in->type_error = !json_is_array(a);
		api_field_error(in, field, "type", "应为字符串数组，最多 50 项");
		return NULL;
	}
	if (required && json_array_size(a) == 0) {
		api_field_error(in, field, "required", "此项为必填");
		return NULL;
	}
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x)
	{
		const char *s = json_string_value(x);
		if (!s || !*s || strlen(s) > maxchars * 4) {
			api_field_error(in, arena_printf(&req->arena, "%s[%zu]", field, i), "type",
			                "应为非空字符串");
			return NULL;
		}
	}
	char *s = json_to_string(a, NULL);
	const char *copy = arena_strdup(&req->arena, s);
	free(s);
	return copy;
}

void meetings_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct meeting_row m;
	memset(&m, 0, sizeof m);
	m.region_code = api_string(&in, "region_code", true, 15, NULL);
	m.held_on = api_string(&in, "held_on", true, 10, NULL);
	m.title = api_string(&in, "title", true, 200, NULL);
	if (m.held_on && !base_valid_date(m.held_on))
		api_field_error(&in, "held_on", "date", "须为 YYYY-MM-DD 格式的日期");
	m.units = read_strings(req, &in, "units", true, 100);
	m.topics = read_strings(req, &in, "topics", false, 500);
	m.decisions = read_strings(req, &in, "decisions", false, 1000);
	if (m.region_code)
		api_region_field(req, &in, "region_code", m.region_code, CAMPAIGN_MANAGERS);
	if (!api_input_end(req, &in))
		goto out;
	m.created_by = ctx->who.user_id;
	m.created_at = time_now();
	if (!api_stored(req, store_meetings_insert(ctx->db, &m)))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "meeting:%lld", (long long)m.id);
	api_json(req, 201, meeting_full(req, &m));
out:
	api_input_free(&in);
}

static bool meeting_visible(struct http_req *req, const void *obj)
{
	return campaign_region_visible(api_ctx(req),
	                               ((const struct meeting_row *)obj)->region_code);
}

API_LOADER(meeting, "会议", CAMPAIGN_WORKERS, meeting_visible, struct meeting_row,
           store_meetings_get, region_code)

void meetings_get_h(struct http_req *req)
{
	struct meeting_row m;
	if (meeting_from_path(req, &m))
		api_json(req, 200, meeting_full(req, &m));
}

void meetings_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t before;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &before))
		return;
	struct campaign_key keys[USER_MAX_GRANTS * 4];
	size_t nk = campaign_keys(req, keys);
	struct meeting_row *all =
	    arena_alloc(&req->arena, sizeof *all * (size_t)(limit + 1) * (nk + 1));
	size_t total = 0;
	for (size_t k = 0; k < nk; k++) {
		struct meeting_row *rows;
		size_t n;
		enum db_result r = store_meetings_list(ctx->db, &req->arena, keys[k].prefix,
		                                       keys[k].exact, before, limit + 1, &rows, &n);
		if (!api_stored(req, r))
			return;
		total = api_rows_merge(all, total, rows, n, sizeof *rows);
	}
	api_rows_newest_first(all, total, sizeof *all);
	api_respond_id_page(req, all, total, sizeof *all, limit, meeting_item);
}

/* The text of decision n of meeting m named by the path, or NULL after answering 404. */
static const char *decision_from_path(struct http_req *req, struct meeting_row *m, int64_t *n)
{
	if (!meeting_from_path(req, m) || !api_path_id(req, "n", "会议决定", n))
		return NULL;
	json_t *dec = loads_array(m->decisions);
	const char *text =
	    *n <= (int64_t)json_array_size(dec)
	        ? arena_strdup(&req->arena, json_string_value(json_array_get(dec, (size_t)*n - 1)))
	        : NULL;
	json_decref(dec);
	if (!text)
		api_problem(req, 404, "会议决定不存在");
	return text;
}

void meetings_decision_item_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct meeting_row m;
	int64_t n;
	const char *text = decision_from_path(req, &m, &n);
	if (!text)
		return;
	struct api_input in;
	if (!api_write_begin(req, CAMPAIGN_MANAGERS, m.region_code,
	                     "只有会议所在区划的管理人员可以转办会议决定", &in))
		return;
	int64_t cid = 0;
	api_int(&in, "campaign_id", true, 1, INT64_MAX, &cid, NULL);
	struct campaign_row c;
	bool found = false;
	if (cid > 0) {
		enum db_result r = store_campaigns_get(ctx->db, &req->arena, cid, &c);
		if (r != DB_ROW && r != DB_DONE) {
			in.unavailable = true;
			api_field_error(&in, "campaign_id", "unavailable",
			                "暂时无法核对，请稍后重试");
		} else if (r == DB_DONE || !campaign_region_visible(ctx, c.region_code))
			api_field_error(&in, "campaign_id", "unknown", "专项整治不存在");
		else
			found = true;
	}
	if (!found) {
		api_input_end(req, &in);
		api_input_free(&in);
		return;
	}
	/* The item lies where the meeting was held unless the body names a region. */
	if (!json_object_get(in.body, "region_code"))
		json_object_set_new(in.body, "region_code", json_string(m.region_code));
	campaign_item_create(req, &in, &c, "meeting", m.id, n, text);
	api_input_free(&in);
}

/* The case's grid: in the meeting's region and the caller's; errors recorded. */
static void check_case_grid(struct http_req *req, struct api_input *in, const struct meeting_row *m,
                            const char *grid)
{
	if (!grid)
		return;
	if (region_level_of(grid) != REGION_GRID)
		api_field_error(in, "region_code", "grid", "须为 15 位网格代码");
	else if (strncmp(grid, m->region_code, strlen(m->region_code)))
		api_field_error(in, "region_code", "region", "须为会议所在区划内的网格");
	else if (!api_reaches(api_ctx(req), CAMPAIGN_MANAGERS, grid))
		api_field_error(in, "region_code", "scope", "该区划不在您的管理范围内");
}

/* POST /meetings/{id}/decisions/{n}/case: the decision dispatched as a case through the same
 * report path as POST /cases (routing, number, timeline, notification), from the source
 * "meeting", which only this endpoint sets; a decision is dispatched once (409). */
void meetings_decision_case_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct meeting_row m;
	int64_t n;
	const char *text = decision_from_path(req, &m, &n);
	struct api_input in;
	if (!text || !api_write_begin(req, CAMPAIGN_MANAGERS, m.region_code,
	                              "只有会议所在区划的管理人员可以派发会议决定", &in))
		return;
	struct case_report rep;
	memset(&rep, 0, sizeof rep);
	rep.category = api_string(&in, "category", true, 64, NULL);
	rep.region_code = api_string(&in, "region_code", true, 15, NULL);
	rep.description = api_string(&in, "description", false, 2000, NULL);
	check_case_grid(req, &in, &m, rep.region_code);
	if (!api_input_end(req, &in))
		goto out;
	struct meeting_case_row *done = NULL;
	size_t nd = 0;
	if (!api_stored(req, store_meeting_cases_list(ctx->db, &req->arena, m.id, &done, &nd)))
		goto out;
	for (size_t i = 0; i < nd; i++)
		if (done[i].decision_n == n) {
			api_problem(req, 409, "该会议决定已派发为案件");
			goto out;
		}
	if (!rep.description || !*rep.description)
		rep.description = text;
	rep.source = "meeting";
	case_report_actor(ctx, &rep);
	struct case_row c;
	if (!case_report_create(req, &rep, &c))
		goto out;
	enum db_result r =
	    store_meeting_cases_insert(ctx->db, m.id, n, c.id, ctx->who.user_id, c.created_at);
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409, "该会议决定已派发为案件");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "meeting:%lld", (long long)m.id);
	ctx->audit_detail = arena_printf(&req->arena, "decision=%lld case=%lld number=%s",
	                                 (long long)n, (long long)c.id, c.number);
	json_t *o = case_json(ctx, &req->arena, &c, false);
	json_t *src = json_object();
	json_set_int(src, "id", m.id);
	json_set_int(src, "decision", n);
	json_set_str(src, "title", m.title);
	json_set_str(src, "held_on", m.held_on);
	json_object_set_new(o, "meeting", src);
	api_json(req, 201, o);
out:
	api_input_free(&in);
}
