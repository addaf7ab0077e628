/* /api/v1/callback-samples: case callbacks (回访抽查, against 报喜不报忧) — a reproducible
 * random sample (domain/sample.c, the seed recorded) of the cases closed in a month under a
 * region, called back by phone; each outcome is recorded (a change needs a reason and keeps
 * the history); a contradicted callback flags the case (a timeline entry, "callback" on the
 * case) and counts against its handling unit and in the facts callback_done and
 * callback_contradicted (docs/indicators.md). The items carry no personal data: whoever
 * calls back opens the case itself, under the case's own rules. */
#include "api/base/base.h"
#include "api/command/command.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/indicator.h"
#include "domain/region.h"
#include "domain/sample.h"
#include "store/cases/cases.h"
#include "store/command/callbacks.h"
#include "store/platform/regions.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The month [*from, *to) (UTC seconds) of a YYYYMM. */
void callbacks_month_range(int month, int64_t *from, int64_t *to)
{
	struct period p = {PERIOD_MONTH, month, month};
	int prev = month % 100 == 1 ? (month / 100 - 1) * 100 + 12 : month - 1;
	struct period q = {PERIOD_MONTH, prev, prev};
	*to = period_end(&p);
	*from = period_end(&q);
}

/* The seed field: an integer ≥ 0 or a string of digits (up to 2^64 − 1); absent: a random
 * one below 2^53 (a JSON number reads it back exactly). Its decimal text in arena memory. */
const char *callbacks_read_seed(struct http_req *req, struct api_input *in, uint64_t *seed)
{
	json_t *v = json_object_get(in->body, "seed");
	if (!v || json_is_null(v)) {
		unsigned char raw[8];
		randombytes_buf(raw, sizeof raw);
		uint64_t s = 0;
		for (int i = 0; i < 8; i++)
			s = s << 8 | raw[i];
		*seed = s & ((UINT64_C(1) << 53) - 1);
	} else if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*seed = (uint64_t)json_integer_value(v);
	} else if (!json_is_string(v) || !sample_seed_parse(json_string_value(v), seed)) {
		api_field_error(in, "seed", "format", "seed 须为非负整数");
		return NULL;
	}
	return arena_printf(&req->arena, "%" PRIu64, *seed);
}

json_t *callbacks_period_json(int64_t period)
{
	char p[16];
	snprintf(p, sizeof p, "%04d-%02d", (int)(period / 100 % 10000), (int)(period % 100));
	return json_string(p);
}

/* The margin of error of x of n out of N as JSON (null when n is 0). */
json_t *callbacks_margin_json(int64_t x, int64_t n, int64_t N)
{
	double m;
	return sample_margin(x, n, N, &m) ? json_real(m) : json_null();
}

/* Counts as {n, confirmed, contradicted, unreachable, reached, contradiction_rate, margin}:
 * the rate is contradicted / reached (null when none was reached) and its margin at 95 %
 * out of population. */
static json_t *counts_json(int64_t n, int64_t confirmed, int64_t contradicted, int64_t unreachable,
                           int64_t population)
{
	json_t *o = json_object();
	int64_t reached = confirmed + contradicted;
	json_set_int(o, "n", n);
	json_set_int(o, "confirmed", confirmed);
	json_set_int(o, "contradicted", contradicted);
	json_set_int(o, "unreachable", unreachable);
	json_set_int(o, "pending", n - reached - unreachable);
	json_set_int(o, "reached", reached);
	json_set_int(o, "population", population);
	json_object_set_new(o, "contradiction_rate",
	                    reached ? json_real((double)contradicted / (double)reached)
	                            : json_null());
	json_object_set_new(o, "margin", callbacks_margin_json(contradicted, reached, population));
	return o;
}

static json_t *sample_json(const struct callback_sample_row *s)
{
	json_t *o = json_object();
	json_set_int(o, "id", s->id);
	json_set_str(o, "region_code", s->region_code);
	json_set_str(o, "region_name", s->region_name);
	json_object_set_new(o, "period", callbacks_period_json(s->period));
	json_set_int(o, "size", s->size);
	json_set_str(o, "seed", s->seed);
	json_set_int(o, "population", s->population);
	json_set_int(o, "drawn", s->drawn);
	json_set_int(o, "recorded", s->recorded);
	json_set_int(o, "contradicted", s->contradicted);
	json_set_str(o, "created_by_name", s->created_by_name);
	json_set_time(o, "created_at", s->created_at);
	return o;
}

bool callback_list_scopes(struct http_req *req, struct scopes *sc)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *region = http_query(req, "region");
	if (region && region_level_of(region) == REGION_NONE) {
		api_problem(req, 400, "region 须为有效的区划代码");
		return false;
	}
	if (region && !api_reaches(ctx, CALLBACK_STAFF, region)) {
		api_problem(req, 403, "该区划超出您的数据范围");
		return false;
	}
	/* without ?region: every region the caller holds a callback role in (admin: all) */
	base_scopes(ctx, CALLBACK_STAFF, region, sc);
	return true;
}

API_ITEM(sample_item, sample_json)
API_LOADER(sample, "回访抽样", CALLBACK_STAFF, NULL, struct callback_sample_row,
           store_callback_samples_get, region_code)

void callback_samples_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct scopes sc;
	int limit;
	int64_t before = 0;
	if (!callback_list_scopes(req, &sc) || !api_limit(req, &limit) ||
	    !api_cursor_id(req, &before))
		return;
	struct callback_sample_row *rows;
	size_t n = 0;
	if (!api_stored(req, store_callback_samples_list(ctx->db, &req->arena, &sc, before,
	                                                 limit + 1, &rows, &n)))
		return;
	api_respond_id_page(req, rows, n, sizeof *rows, limit, sample_item);
}

/* The region field: an existing region the caller reaches with a callback role. */
const char *callbacks_read_region(struct http_req *req, struct api_input *in, unsigned roles)
{
	const char *code = api_string(in, "region_code", true, 15, NULL);
	if (!code)
		return NULL;
	api_region_field(req, in, "region_code", code, roles);
	return code;
}

/* Reads the month field "YYYY-MM" as YYYYMM (0 when wrong). */
int callbacks_read_period(struct api_input *in)
{
	const char *period = api_string(in, "period", true, 7, NULL);
	struct period p;
	if (period && (!period_parse(period, &p) || p.type != PERIOD_MONTH)) {
		api_field_error(in, "period", "format", "period 须为 YYYY-MM");
		return 0;
	}
	return period ? p.first : 0;
}

static json_t *sample_full_json(struct http_req *req, const struct callback_sample_row *s);

void callback_samples_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct callback_sample_row s;
	memset(&s, 0, sizeof s);
	s.region_code = callbacks_read_region(req, &in, CALLBACK_STAFF);
	s.period = callbacks_read_period(&in);
	api_int(&in, "size", true, 1, 1000, &s.size, NULL);
	uint64_t seed = 0;
	s.seed = callbacks_read_seed(req, &in, &seed);
	if (!api_input_end(req, &in))
		goto out;
	int64_t from, to;
	callbacks_month_range((int)s.period, &from, &to);
	struct callback_case *pop;
	size_t n = 0;
	if (!api_stored(req, store_callback_population(ctx->db, &req->arena, s.region_code, from,
	                                               to, &pop, &n)))
		goto out;
	if (n == 0) {
		api_problem_at(req, 422, "该区划该月没有已办结的事件", "period", "empty",
		               "该区划该月没有已办结的事件");
		goto out;
	}
	int64_t *ids = arena_alloc(&req->arena, n * sizeof *ids);
	if (!ids) {
		api_store_error(req, DB_ERROR);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		ids[i] = pop[i].id;
	size_t k = sample_draw(ids, n, (size_t)s.size, seed);
	s.population = (int64_t)n;
	s.drawn = (int64_t)k;
	s.created_by = ctx->who.user_id;
	s.created_at = time_now();
	enum db_result r = store_callback_samples_insert(ctx->db, &s);
	/* the population per handling unit, in the same transaction as the draw */
	if (r == DB_OK)
		r = store_callback_units_fill(ctx->db, s.id, s.region_code, from, to);
	/* the items in the order drawn: pop is sorted by id, so a binary search finds each */
	for (size_t i = 0; i < k && r == DB_OK; i++) {
		size_t lo = 0, hi = n;
		while (lo + 1 < hi) {
			size_t mid = (lo + hi) / 2;
			if (pop[mid].id <= ids[i])
				lo = mid;
			else
				hi = mid;
		}
		struct callback_item_row it = {.sample_id = s.id,
		                               .case_id = ids[i],
		                               .position = (int64_t)i + 1,
		                               .region_code = pop[lo].region_code,
		                               .unit = pop[lo].unit};
		r = store_callback_items_insert(ctx->db, &it);
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "callback_sample:%lld", (long long)s.id);
	if (!api_stored(req, store_callback_samples_get(ctx->db, &req->arena, s.id, &s) == DB_ROW
	                         ? DB_OK
	                         : DB_ERROR))
		goto out;
	api_json(req, 201, sample_full_json(req, &s));
out:
	api_input_free(&in);
}

static json_t *item_json(const struct callback_item_row *it, const struct callback_history_row *h,
                         size_t nh)
{
	json_t *o = json_object();
	json_set_int(o, "case_id", it->case_id);
	json_set_str(o, "case_number", it->number);
	json_set_int(o, "position", it->position);
	json_set_str(o, "region_code", it->region_code);
	json_set_str(o, "category", it->category);
	json_set_str(o, "category_name", it->category_name);
	if (it->unit && *it->unit)
		json_set_str(o, "unit", it->unit);
	else
		json_object_set_new(o, "unit", json_null());
	json_set_time(o, "closed_at", it->closed_at);
	json_object_set_new(o, "outcome", it->outcome ? json_string(it->outcome) : json_null());
	json_object_set_new(o, "note", it->note ? json_string(it->note) : json_null());
	json_set_time(o, "recorded_at", it->recorded_at);
	json_t *hist = json_array();
	for (size_t i = 0; i < nh; i++) {
		if (h[i].case_id != it->case_id)
			continue;
		json_t *e = json_object();
		json_set_str(e, "outcome", h[i].outcome);
		json_object_set_new(e, "note", h[i].note ? json_string(h[i].note) : json_null());
		json_object_set_new(e, "reason",
		                    h[i].reason ? json_string(h[i].reason) : json_null());
		json_set_str(e, "by", h[i].user_name);
		json_set_time(e, "at", h[i].at);
		json_array_append_new(hist, e);
	}
	json_object_set_new(o, "history", hist);
	return o;
}

static json_t *sample_full_json(struct http_req *req, const struct callback_sample_row *s)
{
	struct api_ctx *ctx = api_ctx(req);
	json_t *o = sample_json(s);
	struct callback_item_row *items = NULL;
	struct callback_history_row *hist = NULL;
	struct callback_unit_row *units = NULL;
	size_t ni = 0, nh = 0, nu = 0;
	if (store_callback_items_list(ctx->db, &req->arena, s->id, &items, &ni) != DB_OK)
		ni = 0;
	if (store_callback_history(ctx->db, &req->arena, s->id, &hist, &nh) != DB_OK)
		nh = 0;
	if (store_callback_units_result(ctx->db, &req->arena, s->id, &units, &nu) != DB_OK)
		nu = 0;
	json_t *arr = json_array();
	for (size_t i = 0; i < ni; i++)
		json_array_append_new(arr, item_json(&items[i], hist, nh));
	json_object_set_new(o, "items", arr);
	json_t *ua = json_array();
	int64_t n = 0, c = 0, x = 0, u = 0;
	for (size_t i = 0; i < nu; i++) {
		json_t *e = counts_json(units[i].n, units[i].confirmed, units[i].contradicted,
		                        units[i].unreachable, units[i].population);
		json_object_set_new(e, "unit",
		                    *units[i].unit ? json_string(units[i].unit) : json_null());
		json_array_append_new(ua, e);
		n += units[i].n;
		c += units[i].confirmed;
		x += units[i].contradicted;
		u += units[i].unreachable;
	}
	json_t *result = json_object();
	json_object_set_new(result, "units", ua);
	json_object_set_new(result, "total", counts_json(n, c, x, u, s->population));
	json_object_set_new(o, "result", result);
	return o;
}

void callback_samples_get_h(struct http_req *req)
{
	struct callback_sample_row s;
	if (sample_from_path(req, &s))
		api_json(req, 200, sample_full_json(req, &s));
}

/* The role code of the caller's first callback grant over region (for the timeline). */
static const char *callback_role(const struct api_ctx *ctx)
{
	for (size_t i = 0; i < ctx->who.ngrants; i++)
		if (ROLE_BIT(ctx->who.grants[i].role) & CALLBACK_STAFF)
			return role_code(ctx->who.grants[i].role);
	return NULL;
}

void callback_items_record_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct callback_sample_row s;
	if (!sample_from_path(req, &s))
		return;
	int64_t case_id;
	if (!api_path_id(req, "case_id", "回访事项", &case_id))
		return;
	struct callback_item_row it;
	enum db_result r = store_callback_items_get(ctx->db, &req->arena, s.id, case_id, &it);
	if (r == DB_DONE) {
		api_problem(req, 404, "回访事项不存在");
		return;
	}
	if (!api_stored(req, r == DB_ROW ? DB_OK : r))
		return;
	struct api_input in;
	if (!api_write_begin(req, CALLBACK_STAFF, s.region_code, "该回访抽样不在您的管理范围内",
	                     &in))
		return;
	const char *was = it.outcome;
	const char *outcome = api_string(&in, "outcome", true, 20, NULL);
	if (outcome && strcmp(outcome, "confirmed") != 0 && strcmp(outcome, "contradicted") != 0 &&
	    strcmp(outcome, "unreachable") != 0)
		api_field_error(&in, "outcome", "enum",
		                "outcome 须为 confirmed、contradicted 或 unreachable");
	const char *note = api_string(&in, "note", false, 1000, NULL);
	const char *reason = api_string(&in, "reason", false, 500, NULL);
	if (was && (!reason || !*reason))
		api_field_error(&in, "reason", "required", "修改已记录的回访结果须说明原因");
	if (!api_input_end(req, &in))
		goto out;
	it.outcome = outcome;
	it.note = note;
	it.recorded_by = ctx->who.user_id;
	it.recorded_at = time_now();
	r = store_callback_items_record(ctx->db, &it, was, was ? reason : NULL, ctx->who.name);
	bool now_x = strcmp(outcome, "contradicted") == 0;
	bool was_x = was && strcmp(was, "contradicted") == 0;
	if (r == DB_OK && now_x != was_x) {
		/* the case's timeline: no note (it may name the person called), only the fact */
		struct case_event_row e;
		memset(&e, 0, sizeof e);
		e.case_id = it.case_id;
		e.at = it.recorded_at;
		e.actor_id = ctx->who.user_id;
		e.actor = ctx->who.name;
		e.role = callback_role(ctx);
		e.action = "callback";
		e.from_state = e.to_state = -1;
		e.comment =
		    now_x ? "回访核实：群众反映与办结记录不符" : "回访结果更正：不再认定与记录不符";
		e.unit = it.unit && *it.unit ? it.unit : NULL;
		r = store_case_events_add(ctx->db, &e);
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "callback_item:%lld:%lld", (long long)s.id,
	                                 (long long)it.case_id);
	/* the body is freed before the audit entry is written: copies in the request's arena */
	ctx->audit_detail = was ? arena_printf(&req->arena, "%s → %s", was, outcome)
	                        : arena_printf(&req->arena, "%s", outcome);
	struct callback_history_row *hist = NULL;
	size_t nh = 0;
	if (store_callback_items_get(ctx->db, &req->arena, s.id, case_id, &it) != DB_ROW ||
	    store_callback_history(ctx->db, &req->arena, s.id, &hist, &nh) != DB_OK) {
		api_store_error(req, DB_ERROR);
		goto out;
	}
	api_json(req, 200, item_json(&it, hist, nh));
out:
	api_input_free(&in);
}
