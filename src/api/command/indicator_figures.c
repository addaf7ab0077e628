/* /api/v1/indicator-figures: manual figures from outside systems (criminal cases from the
 * police, fire hazards from the fire brigade) entered by staff for a region in their scope
 * and month, approved by a second person (the one who entered it: 409), counted in the
 * indicators only once approved (a trigger of migration 20 adds an approved figure to its
 * fact); a correction makes it pending again. The guard audits every write. */
#include "api/command/command.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/indicator.h"
#include "store/command/indicators.h"
#include "store/platform/regions.h"

#include <stdio.h>
#include <string.h>

#define FIGURE_ROLES ROLES_MANAGERS

static json_t *figure_json(const struct figure_row *f)
{
	json_t *o = json_object();
	json_set_int(o, "id", f->id);
	json_set_str(o, "fact", f->fact);
	const struct fact_def *d = indicator_fact(f->fact);
	if (d)
		json_set_str(o, "fact_name", d->name);
	json_set_str(o, "region_code", f->region_code);
	char p[16];
	snprintf(p, sizeof p, "%04d-%02d", (int)(f->period / 100 % 10000), (int)(f->period % 100));
	json_set_str(o, "period", p);
	json_set_int(o, "value", f->value);
	json_set_str(o, "source", f->source);
	if (f->note)
		json_set_str(o, "note", f->note);
	else
		json_object_set_new(o, "note", json_null());
	json_set_str(o, "status", f->status);
	json_set_int(o, "entered_by", f->entered_by);
	json_set_str(o, "entered_by_name", f->entered_by_name);
	if (f->approved_by) {
		json_set_int(o, "approved_by", f->approved_by);
		json_set_str(o, "approved_by_name", f->approved_by_name);
	} else {
		json_object_set_new(o, "approved_by", json_null());
		json_object_set_new(o, "approved_by_name", json_null());
	}
	json_set_time(o, "approved_at", f->approved_at);
	json_set_time(o, "created_at", f->created_at);
	json_set_time(o, "updated_at", f->updated_at);
	return o;
}

API_ITEM(figure_item, figure_json)
API_LOADER(figure, "数据", FIGURE_ROLES, NULL, struct figure_row, store_figures_get, region_code)

void indicator_figures_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *region = http_query(req, "region");
	const char *status = http_query(req, "status"), *fact = http_query(req, "fact");
	if (region && region_level_of(region) == REGION_NONE) {
		api_problem(req, 400, "region 须为有效的区划代码");
		return;
	}
	if (region && !api_reaches(ctx, FIGURE_ROLES, region)) {
		api_problem(req, 403, "该区划超出您的数据范围");
		return;
	}
	if (status && strcmp(status, "pending") != 0 && strcmp(status, "approved") != 0) {
		api_problem(req, 400, "status 须为 pending 或 approved");
		return;
	}
	int limit;
	int64_t before = 0;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &before))
		return;
	/* without ?region: the caller's first grant with a figure role (admin: everything) */
	if (!region)
		for (size_t i = 0; i < ctx->who.ngrants && !region; i++)
			if (ROLE_BIT(ctx->who.grants[i].role) & FIGURE_ROLES)
				region = ctx->who.grants[i].region_code;
	struct figure_row *rows;
	size_t n = 0;
	if (!api_stored(req, store_figures_list(ctx->db, &req->arena, region ? region : "", status,
	                                        fact, before, limit + 1, &rows, &n)))
		return;
	api_respond_id_page(req, rows, n, sizeof *rows, limit, figure_item);
}

/* Reads value, source and note into f (a create reads every one). */
static void read_figure(struct api_input *in, struct figure_row *f)
{
	int64_t v;
	if (api_int(in, "value", true, 0, 1000000000, &v, NULL))
		f->value = v;
	const char *s = api_string(in, "source", true, 100, NULL);
	if (s)
		f->source = s;
	f->note = api_string(in, "note", false, 500, NULL);
}

void indicator_figures_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct figure_row f;
	memset(&f, 0, sizeof f);
	f.fact = api_string(&in, "fact", true, 40, NULL);
	const struct fact_def *d = f.fact ? indicator_fact(f.fact) : NULL;
	if (f.fact && (!d || d->kind != FACT_MANUAL))
		api_field_error(&in, "fact", "unknown", "须为可手工填报的统计事实");
	f.region_code = api_string(&in, "region_code", true, 15, NULL);
	const char *period = api_string(&in, "period", true, 7, NULL);
	struct period p;
	if (period && (!period_parse(period, &p) || p.type != PERIOD_MONTH))
		api_field_error(&in, "period", "format", "period 须为 YYYY-MM");
	else if (period)
		f.period = p.first;
	read_figure(&in, &f);
	if (f.region_code)
		api_region_field(req, &in, "region_code", f.region_code, FIGURE_ROLES);
	if (!api_input_end(req, &in))
		goto out;
	f.status = "pending";
	f.entered_by = ctx->who.user_id;
	f.entered_by_name = ctx->who.name;
	f.created_at = f.updated_at = time_now();
	enum db_result r = store_figures_insert(ctx->db, &f);
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409, "该区划该月的这项数据已经录入，请更正原记录");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "indicator_figure:%lld", (long long)f.id);
	api_json(req, 201, figure_json(&f));
out:
	api_input_free(&in);
}

void indicator_figures_get_h(struct http_req *req)
{
	struct figure_row f;
	if (figure_from_path(req, &f))
		api_json(req, 200, figure_json(&f));
}

/* A correction: new value, source or note, entered by the caller and pending approval. */
void indicator_figures_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct figure_row f;
	if (!figure_from_path(req, &f))
		return;
	struct api_input in;
	if (!api_write_begin(req, FIGURE_ROLES, f.region_code, "该数据不在您的管理范围内", &in))
		return;
	int64_t v;
	bool present;
	if (api_int(&in, "value", false, 0, 1000000000, &v, &present) && present)
		f.value = v;
	const char *s = api_string(&in, "source", false, 100, &present);
	if (s)
		f.source = s;
	else if (present)
		api_field_error(&in, "source", "required", "此项不能为空");
	s = api_string(&in, "note", false, 500, &present);
	if (present)
		f.note = s;
	if (!api_input_end(req, &in))
		goto out;
	f.status = "pending";
	f.entered_by = ctx->who.user_id;
	f.entered_by_name = ctx->who.name;
	f.approved_by = 0;
	f.approved_by_name = NULL;
	f.approved_at = 0;
	f.updated_at = time_now();
	if (!api_stored(req, store_figures_correct(ctx->db, &f)))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "indicator_figure:%lld", (long long)f.id);
	api_json(req, 200, figure_json(&f));
out:
	api_input_free(&in);
}

void indicator_figures_approve_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct figure_row f;
	if (!figure_from_path(req, &f))
		return;
	if (!api_reaches(ctx, FIGURE_ROLES, f.region_code)) {
		api_problem(req, 403, "该数据不在您的管理范围内");
		return;
	}
	if (strcmp(f.status, "approved") == 0) {
		api_problem(req, 409, "该数据已审核");
		return;
	}
	if (f.entered_by == ctx->who.user_id) {
		api_problem(req, 409, "录入人不能审核自己录入的数据");
		return;
	}
	int64_t now = time_now();
	enum db_result r =
	    store_figures_approve(ctx->db, f.id, ctx->who.user_id, ctx->who.name, now);
	if (r == DB_DONE) {
		api_problem(req, 409, "该数据已审核");
		return;
	}
	if (!api_stored(req, r))
		return;
	f.status = "approved";
	f.approved_by = ctx->who.user_id;
	f.approved_by_name = ctx->who.name;
	f.approved_at = f.updated_at = now;
	ctx->audit_object = arena_printf(&req->arena, "indicator_figure:%lld", (long long)f.id);
	api_json(req, 200, figure_json(&f));
}
