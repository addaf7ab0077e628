/* /api/v1/campaigns: campaigns (专项整治) — a region, a period, a lead unit and targets per
 * region — created by managers for a region in their scope, and their progress per child
 * region for the board and the map (挂图作战). The items on the three lists are in
 * campaigns_items.c. */
#include "api/base/base.h"
#include "api/command/command.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/campaign_flow.h"
#include "domain/region.h"
#include "store/command/campaigns.h"
#include "store/platform/regions.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_TARGETS = 200, MAX_SCOPES = 16 };

bool campaign_region_visible(const struct api_ctx *ctx, const char *region)
{
	if (api_reaches(ctx, CAMPAIGN_WORKERS, region))
		return true;
	size_t len = strlen(region);
	for (size_t i = 0; i < ctx->who.ngrants; i++)
		if (ROLE_BIT(ctx->who.grants[i].role) & CAMPAIGN_WORKERS &&
		    strncmp(ctx->who.grants[i].region_code, region, len) == 0)
			return true;
	return false;
}

static bool campaign_visible(struct http_req *req, const void *obj)
{
	return campaign_region_visible(api_ctx(req),
	                               ((const struct campaign_row *)obj)->region_code);
}

static enum db_result campaign_load(struct http_req *req, int64_t id, void *out,
                                    const char **region)
{
	struct campaign_row *row = out;
	enum db_result r = store_campaigns_get(api_ctx(req)->db, &req->arena, id, row);
	*region = r == DB_ROW ? row->region_code : NULL;
	return r;
}

bool campaign_from_param(struct http_req *req, const char *param, struct campaign_row *out)
{
	const struct api_loader l = {.param = param,
	                             .what = "专项整治",
	                             .roles = CAMPAIGN_WORKERS,
	                             .load = campaign_load,
	                             .visible = campaign_visible};
	return api_load(req, &l, out);
}

bool campaign_region_query(struct http_req *req, const struct campaign_row *c, const char *region)
{
	if (region_level_of(region) == REGION_NONE ||
	    strncmp(region, c->region_code, strlen(c->region_code))) {
		api_problem(req, 400, "region 须为专项整治区划内的区划代码");
		return false;
	}
	if (!api_reaches(api_ctx(req), CAMPAIGN_WORKERS, region)) {
		api_problem(req, 403, "该区划超出您的数据范围");
		return false;
	}
	return true;
}

size_t campaign_scopes(struct http_req *req, const char *region, const char **out)
{
	struct api_ctx *ctx = api_ctx(req);
	if (api_reaches(ctx, CAMPAIGN_WORKERS, region)) {
		out[0] = region;
		return 1;
	}
	size_t n = 0, len = strlen(region);
	for (size_t i = 0; i < ctx->who.ngrants && n < MAX_SCOPES; i++)
		if (ROLE_BIT(ctx->who.grants[i].role) & CAMPAIGN_WORKERS &&
		    strncmp(ctx->who.grants[i].region_code, region, len) == 0)
			out[n++] = ctx->who.grants[i].region_code;
	return n;
}

size_t campaign_keys(struct http_req *req, struct campaign_key *out)
{
	struct api_ctx *ctx = api_ctx(req);
	size_t n = 0;
	for (size_t i = 0; i < ctx->who.ngrants; i++) {
		const struct grant *g = &ctx->who.grants[i];
		if (!(ROLE_BIT(g->role) & CAMPAIGN_WORKERS))
			continue;
		size_t len = strlen(g->region_code);
		/* each ancestor (6, 9, 12 digits) exactly, then the grant's subtree */
		for (size_t cut = 6; cut < len; cut += 3)
			out[n++] = (struct campaign_key){
			    arena_printf(&req->arena, "%.*s", (int)cut, g->region_code), true};
		out[n++] = (struct campaign_key){g->region_code, false};
	}
	return n;
}

static json_t *campaign_json(const struct campaign_row *c)
{
	json_t *o = json_object();
	json_set_int(o, "id", c->id);
	json_set_str(o, "region_code", c->region_code);
	json_set_str(o, "title", c->title);
	json_set_str(o, "starts_on", c->starts_on);
	json_set_str(o, "ends_on", c->ends_on);
	json_set_str(o, "lead_unit", c->lead_unit);
	json_set_str(o, "description", c->description);
	json_t *t = json_loads(c->targets ? c->targets : "[]", 0, NULL);
	json_object_set_new(o, "targets", t ? t : json_array());
	json_set_str(o, "status", c->status);
	json_set_time(o, "created_at", c->created_at);
	json_set_time(o, "updated_at", c->updated_at);
	return o;
}

API_ITEM(campaign_item, campaign_json)

/* The targets array [{region_code, target_count}] under region, as JSON text; NULL when
 * absent or wrong (errors recorded). */
static const char *read_targets(struct http_req *req, struct api_input *in, const char *region)
{
	json_t *t = json_object_get(in->body, "targets");
	if (!t || json_is_null(t))
		return NULL;
	if (!json_is_array(t) || json_array_size(t) > MAX_TARGETS) {
		in->type_error = !json_is_array(t);
		api_field_error(in, "targets", "type",
		                "应为 {region_code, target_count} 数组，最多 200 项");
		return NULL;
	}
	json_t *out = json_array(), *x;
	size_t i;
	json_array_foreach(t, i, x)
	{
		const char *code = json_string_value(json_object_get(x, "region_code"));
		json_t *cnt = json_object_get(x, "target_count");
		const char *field = arena_printf(&req->arena, "targets[%zu]", i);
		if (!json_is_object(x) || !code || !json_is_integer(cnt)) {
			in->type_error = true;
			api_field_error(in, field, "type", "应为 {region_code, target_count} 对象");
			break;
		}
		if (region_level_of(code) == REGION_NONE || strncmp(code, region, strlen(region))) {
			api_field_error(in, arena_printf(&req->arena, "%s.region_code", field),
			                "region", "目标区划须在专项整治的区划内");
			break;
		}
		json_int_t v = json_integer_value(cnt);
		if (v < 0 || v > 1000000) {
			api_field_error(in, arena_printf(&req->arena, "%s.target_count", field),
			                "range", "目标数须在 0 到 1000000 之间");
			break;
		}
		json_t *o = json_object();
		json_set_str(o, "region_code", code);
		json_set_int(o, "target_count", v);
		json_array_append_new(out, o);
	}
	char *s = json_to_string(out, NULL);
	json_decref(out);
	const char *copy = arena_strdup(&req->arena, s);
	free(s);
	return copy;
}

static void check_period(struct api_input *in, const char *starts, const char *ends)
{
	if (starts && !base_valid_date(starts))
		api_field_error(in, "starts_on", "date", "须为 YYYY-MM-DD 格式的日期");
	if (ends && !base_valid_date(ends))
		api_field_error(in, "ends_on", "date", "须为 YYYY-MM-DD 格式的日期");
	else if (starts && ends && strcmp(ends, starts) < 0)
		api_field_error(in, "ends_on", "range", "结束日期不能早于开始日期");
}

void campaigns_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct campaign_row c;
	memset(&c, 0, sizeof c);
	c.region_code = api_string(&in, "region_code", true, 15, NULL);
	c.title = api_string(&in, "title", true, 100, NULL);
	c.starts_on = api_string(&in, "starts_on", true, 10, NULL);
	c.ends_on = api_string(&in, "ends_on", true, 10, NULL);
	c.lead_unit = api_string(&in, "lead_unit", true, 100, NULL);
	c.description = api_string(&in, "description", false, 2000, NULL);
	check_period(&in, c.starts_on, c.ends_on);
	if (c.region_code &&
	    api_region_field(req, &in, "region_code", c.region_code, CAMPAIGN_MANAGERS))
		c.targets = read_targets(req, &in, c.region_code);
	if (!api_input_end(req, &in))
		goto out;
	if (!c.targets)
		c.targets = "[]";
	c.status = "active";
	c.created_by = ctx->who.user_id;
	c.created_at = c.updated_at = time_now();
	if (!api_stored(req, store_campaigns_insert(ctx->db, &c)))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "campaign:%lld", (long long)c.id);
	api_json(req, 201, campaign_json(&c));
out:
	api_input_free(&in);
}

void campaigns_get_h(struct http_req *req)
{
	struct campaign_row c;
	if (campaign_from_param(req, "id", &c))
		api_json(req, 200, campaign_json(&c));
}

void campaigns_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct campaign_row c;
	struct api_input in;
	if (!campaign_from_param(req, "id", &c) ||
	    !api_write_begin(req, CAMPAIGN_MANAGERS, c.region_code,
	                     "只有专项整治所在区划的管理人员可以修改", &in))
		return;
	const char *s;
	if ((s = api_string(&in, "title", false, 100, NULL)))
		c.title = s;
	if ((s = api_string(&in, "starts_on", false, 10, NULL)))
		c.starts_on = s;
	if ((s = api_string(&in, "ends_on", false, 10, NULL)))
		c.ends_on = s;
	if ((s = api_string(&in, "lead_unit", false, 100, NULL)))
		c.lead_unit = s;
	bool given = false;
	if ((s = api_string(&in, "description", false, 2000, &given)) || given)
		c.description = s;
	if ((s = read_targets(req, &in, c.region_code)))
		c.targets = s;
	if ((s = api_string(&in, "status", false, 16, NULL))) {
		if (strcmp(s, "active") && strcmp(s, "ended"))
			api_field_error(&in, "status", "enum", "状态须为 active 或 ended");
		else
			c.status = s;
	}
	check_period(&in, c.starts_on, c.ends_on);
	if (!api_input_end(req, &in))
		goto out;
	c.updated_at = time_now();
	if (!api_stored(req, store_campaigns_update(ctx->db, &c)))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "campaign:%lld", (long long)c.id);
	api_json(req, 200, campaign_json(&c));
out:
	api_input_free(&in);
}

/* Rows newest first from each scope (a region prefix, plus the ancestors of grants so a grid
 * worker sees the street's campaigns): merged and paged by id. */
void campaigns_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t before;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &before))
		return;
	struct campaign_key keys[USER_MAX_GRANTS * 4];
	size_t nk = campaign_keys(req, keys);
	struct campaign_row *all =
	    arena_alloc(&req->arena, sizeof *all * (size_t)(limit + 1) * (nk + 1));
	size_t total = 0;
	for (size_t k = 0; k < nk; k++) {
		struct campaign_row *rows;
		size_t n;
		enum db_result r =
		    store_campaigns_list(ctx->db, &req->arena, keys[k].prefix, keys[k].exact,
		                         before, limit + 1, &rows, &n);
		if (!api_stored(req, r))
			return;
		total = api_rows_merge(all, total, rows, n, sizeof *rows);
	}
	api_rows_newest_first(all, total, sizeof *all);
	api_respond_id_page(req, all, total, sizeof *all, limit, campaign_item);
}

/* The sum of the targets under code. */
static int64_t target_for(json_t *targets, const char *code)
{
	int64_t sum = 0;
	size_t i, len = strlen(code);
	json_t *x;
	json_array_foreach(targets, i, x)
	{
		const char *c = json_string_value(json_object_get(x, "region_code"));
		if (c && strncmp(c, code, len) == 0)
			sum += json_integer_value(json_object_get(x, "target_count"));
	}
	return sum;
}

static json_t *progress_json(const char *code, const char *name, const struct citem_progress *p,
                             json_t *targets)
{
	json_t *o = json_object();
	json_set_str(o, "region_code", code);
	if (name)
		json_set_str(o, "name", name);
	json_set_int(o, "total", p ? p->total : 0);
	json_set_int(o, "verified", p ? p->verified : 0);
	json_set_int(o, "overdue", p ? p->overdue : 0);
	json_set_int(o, "target", target_for(targets, code));
	return o;
}

void campaigns_progress_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct campaign_row c;
	if (!campaign_from_param(req, "id", &c) || !api_unpaged(req))
		return;
	const char *region = http_query(req, "region");
	if (region) {
		if (!campaign_region_query(req, &c, region))
			return;
	} else {
		const char *scopes[MAX_SCOPES];
		if (!campaign_scopes(req, c.region_code, scopes)) {
			api_problem(req, 403, "该区划超出您的数据范围");
			return;
		}
		region = scopes[0];
	}
	struct region_row reg, *kids = NULL;
	size_t nk = 0, nrows = 0;
	struct citem_progress *rows = NULL;
	const char *today = base_today(&req->arena);
	enum db_result r = store_regions_get(ctx->db, &req->arena, region, &reg);
	if (r == DB_DONE) {
		api_problem(req, 404, "区划不存在");
		return;
	}
	size_t len = strlen(region);
	if (r == DB_ROW)
		r = store_regions_children(ctx->db, &req->arena, region, NULL, 10000, &kids, &nk);
	/* One grouped range: per child, plus the items at the region itself (their group is the
	 * region's own code); the totals are the sum of the groups. */
	if (r == DB_OK)
		r = store_citems_progress(ctx->db, &req->arena, c.id, region,
		                          reg.level == REGION_GRID ? len : len + 3, today, &rows,
		                          &nrows);
	if (!api_stored(req, r))
		return;
	struct citem_progress sum = {.code = region};
	for (size_t i = 0; i < nrows; i++) {
		sum.total += rows[i].total;
		sum.verified += rows[i].verified;
		sum.overdue += rows[i].overdue;
	}
	json_t *targets = json_loads(c.targets ? c.targets : "[]", 0, NULL);
	if (!targets)
		targets = json_array();
	json_t *children = json_array();
	size_t k = 0;
	for (size_t i = 0; reg.level != REGION_GRID && i < nk; i++) {
		if (kids[i].status && strcmp(kids[i].status, "retired") == 0)
			continue;
		while (k < nrows && strcmp(rows[k].code, kids[i].code) < 0)
			k++;
		bool hit = k < nrows && strcmp(rows[k].code, kids[i].code) == 0;
		json_array_append_new(children, progress_json(kids[i].code, kids[i].name,
		                                              hit ? &rows[k] : NULL, targets));
	}
	json_t *o = json_object();
	json_set_int(o, "campaign_id", c.id);
	json_set_str(o, "region_code", region);
	json_set_str(o, "as_of", today);
	json_object_set_new(o, "totals", progress_json(region, reg.name, &sum, targets));
	json_object_set_new(o, "children", children);
	json_decref(targets);
	api_json(req, 200, o);
}
