/* /api/v1/indicators: indicator definitions (考核评价, DHIS2-style numerator / denominator over
 * counted facts) and their values per region and period. A value adds up the raw counts of
 * migration 20's facts over the region's subtree (codes nest by prefix) and only then divides
 * (domain/indicator.c): never the mean of the children's rates. */
#include "api/command/command.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/indicator.h"
#include "store/command/indicators.h"
#include "store/platform/regions.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void set_real_or_null(json_t *o, const char *key, bool has, double v)
{
	json_object_set_new(o, key, has ? json_real(round(v * 10000) / 10000) : json_null());
}

static json_t *indicator_json(const struct indicator_row *r)
{
	json_t *o = json_object();
	json_set_str(o, "code", r->code);
	json_set_str(o, "name", r->name);
	json_set_str(o, "name_en", r->name_en);
	if (r->description)
		json_set_str(o, "description", r->description);
	json_set_str(o, "numerator", r->numerator);
	json_set_str(o, "denominator", r->denominator);
	json_set_int(o, "factor", r->factor);
	json_set_str(o, "direction", r->direction);
	set_real_or_null(o, "target", r->has_target, r->target);
	if (r->has_bands) {
		json_t *b = json_object();
		json_object_set_new(b, "green", json_real(r->green));
		json_object_set_new(b, "yellow", json_real(r->yellow));
		json_object_set_new(o, "bands", b);
	} else
		json_object_set_new(o, "bands", json_null());
	json_set_str(o, "period_type", r->period_type);
	json_set_int(o, "min_denominator", r->min_denominator);
	if (r->case_filter)
		json_set_str(o, "case_filter", r->case_filter);
	else
		json_object_set_new(o, "case_filter", json_null());
	json_set_bool(o, "builtin", r->builtin);
	return o;
}

static json_t *facts_json(void)
{
	static const char *const kinds[] = {"count", "stock", "sweep", "manual"};
	json_t *arr = json_array();
	const struct fact_def *f;
	for (size_t i = 0; (f = indicator_fact_at(i)); i++) {
		json_t *o = json_object();
		json_set_str(o, "code", f->code);
		json_set_str(o, "name", f->name);
		json_set_str(o, "name_en", f->name_en);
		json_set_str(o, "kind", kinds[f->kind]);
		json_array_append_new(arr, o);
	}
	return arr;
}

void indicators_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct indicator_row *rows;
	size_t n = 0;
	if (!api_unpaged(req))
		return;
	if (!api_stored(req, store_indicators_list(ctx->db, &req->arena, &rows, &n)))
		return;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, indicator_json(&rows[i]));
	json_t *o = api_list(items, NULL);
	json_object_set_new(o, "facts", facts_json());
	api_json(req, 200, o);
}

/* The definition named by {code}; false after answering 404 or 503. */
static bool indicator_from_path(struct http_req *req, struct indicator_row *out)
{
	const char *code = http_param(req, "code");
	enum db_result r = DB_DONE;
	if (indicator_code_ok(code))
		r = store_indicators_get(api_ctx(req)->db, &req->arena, code, out);
	if (r == DB_ROW)
		return true;
	if (r == DB_DONE)
		api_problem(req, 404, "指标不存在");
	else
		api_store_error(req, r);
	return false;
}

/* An optional number field; false when absent or null. */
static bool read_number(struct api_input *in, const char *field, double *out, bool *present)
{
	json_t *v = json_object_get(in->body, field);
	if (present)
		*present = v != NULL;
	if (!v || json_is_null(v))
		return false;
	if (!json_is_number(v)) {
		in->type_error = true;
		api_field_error(in, field, "type", "应为数字");
		return false;
	}
	*out = json_number_value(v);
	if (!isfinite(*out) || fabs(*out) > 1e12) {
		api_field_error(in, field, "range", "数值超出范围");
		return false;
	}
	return true;
}

static void read_fact(struct api_input *in, const char *field, const char **out)
{
	bool present;
	const char *s = api_string(in, field, false, 40, &present);
	if (!present)
		return;
	if (!s || !indicator_fact(s))
		api_field_error(in, field, "unknown", "未知的统计事实");
	else
		*out = s;
}

/* Reads the fields of a definition present in the body over r (a create has every required
 * one). */
static void read_definition(struct api_input *in, struct indicator_row *r, bool create)
{
	const char *s;
	bool present;
	if ((s = api_string(in, "name", create, 60, NULL)))
		r->name = s;
	if ((s = api_string(in, "name_en", create, 100, NULL)))
		r->name_en = s;
	if ((s = api_string(in, "description", false, 500, &present)) || present)
		r->description = s;
	read_fact(in, "numerator", &r->numerator);
	read_fact(in, "denominator", &r->denominator);
	if (create && !json_object_get(in->body, "numerator"))
		api_field_error(in, "numerator", "required", "此项为必填");
	if (create && !json_object_get(in->body, "denominator"))
		api_field_error(in, "denominator", "required", "此项为必填");
	int64_t factor;
	if (api_int(in, "factor", false, 1, 100000, &factor, &present) && present) {
		if (indicator_factor_ok(factor))
			r->factor = factor;
		else
			api_field_error(in, "factor", "enum",
			                "系数须为 1、100、1000、10000 或 100000");
	}
	if ((s = api_string(in, "direction", false, 10, NULL))) {
		if (strcmp(s, "higher") == 0 || strcmp(s, "lower") == 0)
			r->direction = s;
		else
			api_field_error(in, "direction", "enum", "方向须为 higher 或 lower");
	}
	enum period_type pt;
	if ((s = api_string(in, "period_type", false, 10, NULL))) {
		if (period_type_parse(s, &pt))
			r->period_type = s;
		else
			api_field_error(in, "period_type", "enum",
			                "周期须为 month、quarter 或 year");
	}
	int64_t mind;
	if (api_int(in, "min_denominator", false, 0, 1000000, &mind, &present) && present)
		r->min_denominator = mind;
	double v;
	if (read_number(in, "target", &v, &present))
		r->has_target = true, r->target = v;
	else if (present && json_is_null(json_object_get(in->body, "target")))
		r->has_target = false;
	json_t *b = json_object_get(in->body, "bands");
	if (json_is_null(b))
		r->has_bands = false;
	else if (b && !json_is_object(b)) {
		in->type_error = true;
		api_field_error(in, "bands", "type", "应为对象 {green, yellow}");
	} else if (b) {
		json_t *g = json_object_get(b, "green"), *y = json_object_get(b, "yellow");
		if (!json_is_number(g) || !json_is_number(y))
			api_field_error(in, "bands", "required", "须给出 green 和 yellow 两个数值");
		else
			r->has_bands = true, r->green = json_number_value(g),
			r->yellow = json_number_value(y);
	}
	if (r->has_bands && r->direction &&
	    !indicator_bands_ok(strcmp(r->direction, "higher") == 0, r->green, r->yellow))
		api_field_error(in, "bands", "order",
		                "色带顺序与方向不符（越高越好时 green ≥ yellow）");
}

void indicators_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct indicator_row r = {.factor = 100, .direction = "higher", .period_type = "month"};
	r.code = api_string(&in, "code", true, 40, NULL);
	if (r.code && !indicator_code_ok(r.code))
		api_field_error(&in, "code", "format",
		                "代码须为 2–40 位小写字母、数字或下划线，以字母开头");
	read_definition(&in, &r, true);
	if (!api_input_end(req, &in))
		goto out;
	r.created_at = r.updated_at = time_now();
	enum db_result res = store_indicators_insert(ctx->db, &r);
	if (res == DB_CONSTRAINT) {
		api_problem(req, 409, "指标代码已存在");
		goto out;
	}
	if (!api_stored(req, res))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "indicator:%s", r.code);
	api_json(req, 201, indicator_json(&r));
out:
	api_input_free(&in);
}

void indicators_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct indicator_row r;
	if (!indicator_from_path(req, &r))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	const char *num = r.numerator, *den = r.denominator;
	read_definition(&in, &r, false);
	if (!api_input_end(req, &in))
		goto out;
	if (r.builtin && (strcmp(num, r.numerator) != 0 || strcmp(den, r.denominator) != 0)) {
		api_problem(req, 409, "内置指标的分子分母不能修改");
		goto out;
	}
	r.updated_at = time_now();
	if (!api_stored(req, store_indicators_update(ctx->db, &r)))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "indicator:%s", r.code);
	api_json(req, 200, indicator_json(&r));
out:
	api_input_free(&in);
}
