/* /api/v1/categories: the case category code table (事件类别), each with its
 * default tier and whether its cases are public (readable through Open311 without a key);
 * admins edit it. */
#include "api/api.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "store/cases/cases.h"

#include <string.h>

static json_t *category_json(const struct category_row *c)
{
	json_t *o = json_object();
	json_set_str(o, "code", c->code);
	json_set_str(o, "name", c->name);
	json_set_str(o, "name_en", c->name_en);
	json_set_str(o, "description", c->description);
	json_set_str(o, "default_tier", case_tier_code(c->default_tier));
	json_set_bool(o, "active", c->active);
	json_set_bool(o, "public", c->is_public);
	json_set_int(o, "sort", c->sort);
	return o;
}

void categories_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	bool all;
	if (!api_unpaged(req) || !api_query_bool(req, "all", &all))
		return;
	struct category_row *rows;
	size_t n;
	enum db_result r = store_categories_list(ctx->db, &req->arena, !all, &rows, &n);
	if (!api_stored(req, r))
		return;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, category_json(&rows[i]));
	api_json(req, 200, api_list(items, NULL));
}

static bool code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 32 || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

/* Reads the editable fields into c; create requires code and name. */
static void read_category(struct api_input *in, struct category_row *c, bool create)
{
	bool has;
	const char *v;
	if (create) {
		c->code = api_string(in, "code", true, 32, NULL);
		if (c->code && !code_ok(c->code))
			api_field_error(in, "code", "format",
			                "代码为 2–32 位小写字母、数字或下划线，以字母开头");
	}
	v = api_string(in, "name", create, 32, &has);
	if (v)
		c->name = v;
	else if (has && !create)
		api_field_error(in, "name", "required", "名称不能为空");
	if ((v = api_string(in, "name_en", false, 64, NULL)))
		c->name_en = v;
	if ((v = api_string(in, "description", false, 500, NULL)))
		c->description = v;
	const char *tier = api_string(in, "default_tier", create, 16, NULL);
	if (tier && !case_tier_parse(tier, &c->default_tier))
		api_field_error(in, "default_tier", "enum", "层级须为 minor、private 或 major");
	bool active;
	if (api_bool(in, "active", &active, NULL))
		c->active = active;
	int64_t sort;
	if (api_int(in, "sort", false, 0, 100000, &sort, NULL))
		c->sort = sort;
	bool pub;
	if (api_bool(in, "public", &pub, NULL))
		c->is_public = pub;
	/* Private matters (私事: disputes, mediation) are never published. */
	if (c->is_public && c->default_tier == TIER_PRIVATE)
		api_field_error(in, "public", "private_tier",
		                "默认层级为私事（private）的类别不能公开");
}

void categories_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct category_row c = {.active = true, .sort = 100};
	read_category(&in, &c, true);
	if (!api_input_end(req, &in))
		goto out;
	c.updated_at = time_now();
	enum db_result r = store_categories_insert(ctx->db, &c);
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409, "类别代码已存在");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "category:%s", c.code);
	api_json(req, 201, category_json(&c));
out:
	api_input_free(&in);
}

void categories_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct category_row c;
	enum db_result r = store_categories_get(ctx->db, &req->arena, http_param(req, "code"), &c);
	if (r != DB_ROW) {
		if (r == DB_DONE)
			api_problem(req, 404, "类别不存在");
		else
			api_store_error(req, r);
		return;
	}
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	read_category(&in, &c, false);
	if (!api_input_end(req, &in))
		goto out;
	c.updated_at = time_now();
	r = store_categories_update(ctx->db, &c);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "category:%s", c.code);
	api_json(req, 200, category_json(&c));
out:
	api_input_free(&in);
}
