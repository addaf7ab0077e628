/* /api/v1/regions: the administrative tree (district → street → community →
 * grid), with grid split and merge that retire, never delete, so whatever was
 * recorded under an old grid keeps its place in history. */
#include "api/platform/platform.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "store/platform/regions.h"

#include <stdlib.h>
#include <string.h>

enum { SPLIT_MAX = 50 };

/* The one rendering of a region, written straight into text: GET of a single region is
 * the hottest read, and a generic JSON tree costs more than the query behind it. */
static void region_write(struct buf *b, const struct region_row *r)
{
	char created[TIME_RFC3339_LEN], updated[TIME_RFC3339_LEN];
	time_format(r->created_at, created);
	time_format(r->updated_at, updated);
	buf_puts(b, "{\"code\":");
	json_write_string(b, r->code);
	buf_puts(b, ",\"name\":");
	json_write_string(b, r->name);
	buf_printf(b, ",\"level\":\"%s\",\"parent_code\":", region_level_code(r->level));
	if (r->parent_code)
		json_write_string(b, r->parent_code);
	else
		buf_puts(b, "null");
	if (r->planned_households >= 0)
		buf_printf(b, ",\"planned_households\":%lld", (long long)r->planned_households);
	else
		buf_puts(b, ",\"planned_households\":null");
	/* Stored geometry is compact JSON that this program validated and wrote itself, copied
	 * as it is once it parses as an object. */
	buf_puts(b, ",\"geometry\":");
	json_t *g = region_geometry_stored(r);
	buf_puts(b, g ? r->geometry : "null");
	json_decref(g);
	buf_puts(b, ",\"status\":");
	json_write_string(b, r->status);
	buf_printf(b, ",\"child_count\":%lld,\"created_at\":\"%s\",\"updated_at\":\"%s\"}",
	           (long long)r->child_count, created, updated);
}

/* The same rendering as a tree, for lists and write answers: built once from the row (not
 * written as text and parsed back), with the same fields as region_write. */
static json_t *region_json(const struct region_row *r)
{
	json_t *o = json_object();
	json_set_str(o, "code", r->code);
	json_set_str(o, "name", r->name);
	json_set_str(o, "level", region_level_code(r->level));
	json_object_set_new(o, "parent_code",
	                    r->parent_code ? json_string(r->parent_code) : json_null());
	json_object_set_new(o, "planned_households",
	                    r->planned_households >= 0 ? json_integer(r->planned_households)
	                                               : json_null());
	json_t *g = region_geometry_stored(r);
	json_object_set_new(o, "geometry", g ? g : json_null());
	json_set_str(o, "status", r->status);
	json_set_int(o, "child_count", r->child_count);
	json_set_time(o, "created_at", r->created_at);
	json_set_time(o, "updated_at", r->updated_at);
	return o;
}

/* Loads the region named by the path, or responds 403 (outside scope) / 404. */
static bool load_path_region(struct http_req *req, unsigned roles, struct region_row *out)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *code = http_param(req, "code");
	if (region_level_of(code) == REGION_NONE) {
		api_problem(req, 404, "区划代码无效或不存在");
		return false;
	}
	if (!api_reaches(ctx, roles, code)) {
		api_problem(req, 403, "该区划超出您的数据范围或权限");
		return false;
	}
	enum db_result r = store_regions_get(ctx->db, &req->arena, code, out);
	if (r == DB_DONE) {
		api_problem(req, 404, "区划不存在");
		return false;
	}
	if (r != DB_ROW) {
		api_store_error(req, r);
		return false;
	}
	return true;
}

void regions_get_h(struct http_req *req)
{
	struct region_row r;
	if (!load_path_region(req, ROLES_ANY, &r))
		return;
	struct buf b;
	buf_init(&b);
	region_write(&b, &r);
	size_t len;
	char *body = buf_detach(&b, &len);
	http_respond(req, 200, "application/json; charset=utf-8", body, len);
}

/* The caller's roots: admin sees the top of the tree, others their grant regions. */
static void list_roots(struct http_req *req, int limit)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *after;
	if (!api_cursor(req, &after))
		return;
	json_t *items = json_array();
	const char *next = NULL;
	if (api_is_admin(ctx)) {
		struct region_row *rows;
		size_t n;
		enum db_result r =
		    store_regions_children(ctx->db, &req->arena, NULL, after, limit + 1, &rows, &n);
		if (r != DB_OK) {
			json_decref(items);
			api_store_error(req, r);
			return;
		}
		for (size_t i = 0; i < n && i < (size_t)limit; i++)
			json_array_append_new(items, region_json(&rows[i]));
		if (n > (size_t)limit)
			next = rows[limit - 1].code;
		api_json(req, 200, api_list(items, next));
		return;
	}
	/* Grant regions in code order, skipping any covered by another grant. */
	const struct grant *g = ctx->who.grants;
	size_t ng = ctx->who.ngrants, count = 0;
	const char *emitted = after ? after : "";
	for (;;) {
		const char *best = NULL;
		for (size_t i = 0; i < ng; i++) {
			const char *c = g[i].region_code;
			if (!*c || strcmp(c, emitted) <= 0 || (best && strcmp(c, best) >= 0))
				continue;
			bool covered = false;
			for (size_t j = 0; j < ng; j++)
				covered = covered || (j != i && g[j].region_code[0] &&
				                      strcmp(g[j].region_code, c) != 0 &&
				                      region_covers(g[j].region_code, c));
			if (!covered)
				best = c;
		}
		if (!best)
			break;
		if (count == (size_t)limit) {
			next = emitted;
			break;
		}
		struct region_row row;
		if (store_regions_get(ctx->db, &req->arena, best, &row) == DB_ROW) {
			json_array_append_new(items, region_json(&row));
			count++;
		}
		emitted = best;
	}
	api_json(req, 200, api_list(items, next ? arena_strdup(&req->arena, next) : NULL));
}

void regions_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	if (!api_limit(req, &limit))
		return;
	const char *parent = http_query(req, "parent");
	if (!parent) {
		list_roots(req, limit);
		return;
	}
	if (region_level_of(parent) == REGION_NONE) {
		api_problem(req, 400, "parent 须为有效的区划代码");
		return;
	}
	if (!api_reaches(ctx, ROLES_ANY, parent)) {
		api_problem(req, 403, "该区划超出您的数据范围或权限");
		return;
	}
	const char *after;
	if (!api_cursor(req, &after))
		return;
	struct region_row *rows;
	size_t n;
	enum db_result r =
	    store_regions_children(ctx->db, &req->arena, parent, after, limit + 1, &rows, &n);
	if (!api_stored(req, r))
		return;
	json_t *items = json_array();
	for (size_t i = 0; i < n && i < (size_t)limit; i++)
		json_array_append_new(items, region_json(&rows[i]));
	api_json(req, 200, api_list(items, n > (size_t)limit ? rows[limit - 1].code : NULL));
}

/* Reads one region spec (code, name, planned_households, geometry) from obj. */
static bool region_spec(struct api_input *in, json_t *obj, const char *prefix, struct arena *a,
                        struct region_row *r)
{
	json_t *saved = in->body;
	in->body = obj;
	size_t before = json_array_size(in->errors);
	memset(r, 0, sizeof(*r));
	r->code = api_string(in, "code", true, 15, NULL);
	r->name = api_string(in, "name", true, 64, NULL);
	r->planned_households = -1;
	int64_t hh;
	if (api_int(in, "planned_households", false, 0, 100000, &hh, NULL))
		r->planned_households = hh;
	r->geometry = region_geometry_field(in, obj, "geometry", a, NULL);
	in->body = saved;
	if (r->code && region_level_of(r->code) == REGION_NONE)
		api_field_error(in, arena_printf(a, "%scode", prefix), "format",
		                "区划代码须为 6（区）、9（街道）、12（社区）或 15（网格）位数字");
	/* Fields named inside a nested object carry its prefix. */
	for (size_t i = before; i < json_array_size(in->errors); i++) {
		json_t *e = json_array_get(in->errors, i);
		const char *f = json_string_value(json_object_get(e, "field"));
		if (f && *prefix && strncmp(f, prefix, strlen(prefix)) != 0)
			json_object_set_new(e, "field",
			                    json_string(arena_printf(a, "%s%s", prefix, f)));
	}
	return json_array_size(in->errors) == before;
}

static const char *codes_json(struct arena *a, const char **codes, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_string(codes[i]));
	char *s = json_to_string(arr, NULL);
	json_decref(arr);
	const char *copy = arena_strdup(a, s);
	free(s);
	return copy;
}

static enum db_result add_event(struct api_ctx *ctx, struct arena *a, const char *kind,
                                const char **from, size_t nfrom, const char **to, size_t nto,
                                const char *detail)
{
	struct region_event e = {0};
	e.at = time_now();
	e.kind = kind;
	e.actor_id = ctx->who.user_id;
	e.from_codes = codes_json(a, from, nfrom);
	e.to_codes = codes_json(a, to, nto);
	e.detail = detail;
	const char **all = arena_alloc(a, sizeof(char *) * (nfrom + nto + 1));
	if (nfrom)
		memcpy(all, from, sizeof(char *) * nfrom);
	if (nto)
		memcpy(all + nfrom, to, sizeof(char *) * nto);
	return store_regions_event_add(ctx->db, &e, all, nfrom + nto);
}

/* Inserts r under parent; responds and returns false on a conflict or error. */
static bool insert_region(struct http_req *req, struct region_row *r, const char *parent)
{
	struct api_ctx *ctx = api_ctx(req);
	r->level = region_level_of(r->code);
	r->parent_code = parent;
	r->created_at = r->updated_at = time_now();
	r->status = "active";
	enum db_result res = store_regions_insert(ctx->db, r);
	if (res == DB_CONSTRAINT) {
		api_problem(req, 409, arena_printf(&req->arena, "区划代码 %s 已存在", r->code));
		return false;
	}
	if (!api_stored(req, res))
		return false;
	return true;
}

void regions_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct region_row r;
	region_spec(&in, in.body, "", &req->arena, &r);
	const char *parent = api_string(&in, "parent_code", false, 15, NULL);
	if (parent && !*parent)
		parent = NULL;
	if (r.code && region_level_of(r.code) != REGION_NONE) {
		const char *why = region_child_problem(r.code, parent);
		if (why)
			api_field_error(&in, "parent_code", why,
			                "上级区划须为上一级，且本级代码以上级代码开头");
	}
	if (!api_input_end(req, &in))
		goto out;
	if (!parent ? !api_is_admin(ctx) : !api_reaches(ctx, ROLES_MANAGERS, parent)) {
		api_problem(req, 403, "只能在您管辖的区划下新增下级区划");
		goto out;
	}
	if (parent) {
		struct region_row p;
		enum db_result res = store_regions_get(ctx->db, &req->arena, parent, &p);
		if (res == DB_DONE) {
			http_problem(req, 422, "上级区划不存在",
			             "[{\"field\":\"parent_code\",\"code\":\"unknown\","
			             "\"message\":\"上级区划不存在\"}]");
			goto out;
		}
		if (res != DB_ROW) {
			api_store_error(req, res);
			goto out;
		}
		if (strcmp(p.status, "active") != 0) {
			api_problem(req, 409, "上级区划已撤销，不能新增下级");
			goto out;
		}
	}
	if (!insert_region(req, &r, parent))
		goto out;
	const char *to[] = {r.code};
	enum db_result res = add_event(ctx, &req->arena, "create", NULL, 0, to, 1, r.name);
	if (!api_stored(req, res))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "region:%s", r.code);
	store_regions_get(ctx->db, &req->arena, r.code, &r);
	api_json(req, 201, region_json(&r));
out:
	api_input_free(&in);
}

void regions_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct region_row r;
	if (!load_path_region(req, ROLES_MANAGERS, &r))
		return;
	if (strcmp(r.status, "active") != 0) {
		api_problem(req, 409, "该区划已撤销，不能修改");
		return;
	}
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	bool has_name, has_hh, has_geo;
	const char *name = api_string(&in, "name", false, 64, &has_name);
	int64_t hh = -1;
	api_int(&in, "planned_households", false, 0, 100000, &hh, &has_hh);
	const char *geo = region_geometry_field(&in, in.body, "geometry", &req->arena, &has_geo);
	if (has_name && (!name || !*name) && json_array_size(in.errors) == 0)
		api_field_error(&in, "name", "required", "名称不能为空");
	if (json_object_get(in.body, "code") || json_object_get(in.body, "parent_code"))
		api_field_error(&in, "code", "immutable",
		                "区划代码和上级不能修改；请用拆分或合并调整网格");
	if (!api_input_end(req, &in))
		goto out;
	struct buf detail;
	buf_init(&detail);
	if (has_name && strcmp(name, r.name) != 0) {
		buf_printf(&detail, "name: %s -> %s; ", r.name, name);
		r.name = name;
	}
	if (has_hh) {
		buf_printf(&detail, "planned_households: %lld -> %lld; ",
		           (long long)r.planned_households, (long long)hh);
		r.planned_households = hh;
	}
	if (has_geo) {
		buf_puts(&detail, "geometry; ");
		r.geometry = geo;
	}
	r.updated_at = time_now();
	enum db_result res = store_regions_update(ctx->db, &r);
	const char *codes[] = {r.code};
	if (res == DB_OK)
		res = add_event(ctx, &req->arena, "update", codes, 1, codes, 1,
		                detail.data ? arena_strdup(&req->arena, detail.data) : NULL);
	buf_free(&detail);
	if (!api_stored(req, res))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "region:%s", r.code);
	store_regions_get(ctx->db, &req->arena, r.code, &r);
	api_json(req, 200, region_json(&r));
out:
	api_input_free(&in);
}

/* Parses "into": an array of 2..SPLIT_MAX grid specs under community. */
static size_t parse_new_grids(struct http_req *req, struct api_input *in, json_t *arr,
                              const char *community, struct region_row *out)
{
	size_t n = 0, i;
	json_t *item;
	json_array_foreach(arr, i, item)
	{
		const char *prefix = arena_printf(&req->arena, "into[%zu].", i);
		if (!json_is_object(item)) {
			in->type_error = true;
			api_field_error(in, arena_printf(&req->arena, "into[%zu]", i), "type",
			                "应为对象");
			continue;
		}
		struct region_row *r = &out[n];
		if (!region_spec(in, item, prefix, &req->arena, r))
			continue;
		if (region_child_problem(r->code, community)) {
			api_field_error(in, arena_printf(&req->arena, "%scode", prefix),
			                "parent_prefix",
			                "新网格代码须为 15 位，且以所属社区代码开头");
			continue;
		}
		for (size_t j = 0; j < n; j++)
			if (strcmp(out[j].code, r->code) == 0)
				api_field_error(in, arena_printf(&req->arena, "%scode", prefix),
				                "duplicate", "网格代码重复");
		n++;
	}
	return n;
}

/* Retires the grids from (in the same write that inserted to) and records the change;
 * false after responding. */
static bool retire_grids(struct http_req *req, const char *kind, const char **from, size_t nfrom,
                         const char **to, size_t nto)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t now = time_now();
	enum db_result res = DB_OK;
	for (size_t i = 0; i < nfrom && res == DB_OK; i++)
		res = store_regions_retire(ctx->db, from[i], now);
	if (res == DB_OK)
		res = add_event(ctx, &req->arena, kind, from, nfrom, to, nto, NULL);
	if (!api_stored(req, res))
		return false;
	return true;
}

/* The regions named by codes as they now are, read back for the answer. */
static json_t *regions_read_back(struct http_req *req, const char **codes, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		struct region_row r;
		if (store_regions_get(api_ctx(req)->db, &req->arena, codes[i], &r) == DB_ROW)
			json_array_append_new(arr, region_json(&r));
	}
	return arr;
}

void regions_split_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct region_row old;
	if (!load_path_region(req, ROLES_ANY, &old))
		return;
	if (old.level != REGION_GRID) {
		api_field_problem(req, "code", "not_grid", "只有网格可以拆分");
		return;
	}
	if (!api_reaches(ctx, ROLES_MANAGERS, old.parent_code)) {
		api_problem(req, 403, "只有所属社区及以上的管理人员可以拆分网格");
		return;
	}
	if (strcmp(old.status, "active") != 0) {
		api_problem(req, 409, "该网格已撤销，不能再拆分");
		return;
	}
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	json_t *into = json_object_get(in.body, "into");
	struct region_row *grids = arena_alloc(&req->arena, sizeof(*grids) * SPLIT_MAX);
	size_t n = 0;
	if (!json_is_array(into)) {
		in.type_error = into != NULL;
		api_field_error(&in, "into", into ? "type" : "required", "into 须为新网格数组");
	} else if (json_array_size(into) < 2 || json_array_size(into) > SPLIT_MAX) {
		api_field_error(&in, "into", "count", "拆分须产生 2 到 50 个新网格");
	} else {
		n = parse_new_grids(req, &in, into, old.parent_code, grids);
	}
	if (!api_input_end(req, &in))
		goto out;
	const char **to = arena_alloc(&req->arena, sizeof(char *) * n);
	for (size_t i = 0; i < n; i++) {
		if (!insert_region(req, &grids[i], old.parent_code))
			goto out;
		to[i] = grids[i].code;
	}
	const char *from[] = {old.code};
	if (!retire_grids(req, "split", from, 1, to, n))
		goto out;
	json_t *created = regions_read_back(req, to, n);
	store_regions_get(ctx->db, &req->arena, old.code, &old);
	json_t *o = json_object();
	json_object_set_new(o, "retired", region_json(&old));
	json_object_set_new(o, "created", created);
	ctx->audit_object = arena_printf(&req->arena, "region:%s", old.code);
	ctx->audit_detail = arena_printf(&req->arena, "split into %zu grids", n);
	api_json(req, 200, o);
out:
	api_input_free(&in);
}

/* Reads a merge body: "codes" (2..SPLIT_MAX entries, checked later one by one) and "into",
 * the new grid's spec, into neu. */
static json_t *read_merge(struct api_input *in, struct arena *a, struct region_row *neu)
{
	json_t *codes = json_object_get(in->body, "codes");
	json_t *into = json_object_get(in->body, "into");
	size_t n = json_is_array(codes) ? json_array_size(codes) : 0;
	memset(neu, 0, sizeof *neu);
	if (!json_is_array(codes)) {
		in->type_error = codes != NULL;
		api_field_error(in, "codes", codes ? "type" : "required", "codes 须为网格代码数组");
	} else if (n < 2 || n > SPLIT_MAX) {
		api_field_error(in, "codes", "count", "合并须包含 2 到 50 个网格");
	}
	if (!json_is_object(into)) {
		in->type_error = into != NULL;
		api_field_error(in, "into", into ? "type" : "required", "into 须为新网格对象");
	} else {
		region_spec(in, into, "into.", a, neu);
	}
	return codes;
}

/* Loads the grids to merge into olds and their codes into from, each checked in turn: a grid
 * code (422), not named twice (422), in the caller's reach (403), existing (404), active
 * (409), all of one community (422). The community, or NULL after responding. */
static const char *merged_grids(struct http_req *req, json_t *codes, struct region_row *olds,
                                const char **from)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *community = NULL;
	for (size_t i = 0; i < json_array_size(codes); i++) {
		const char *c = json_string_value(json_array_get(codes, i));
		if (!c || region_level_of(c) != REGION_GRID) {
			http_problem(req, 422, "codes 中须全部为网格代码",
			             "[{\"field\":\"codes\",\"code\":\"format\","
			             "\"message\":\"须全部为 15 位网格代码\"}]");
			return NULL;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(from[j], c) == 0) {
				api_field_problem(req, "codes", "duplicate",
				                  "codes 中有重复的网格");
				return NULL;
			}
		if (!api_reaches(ctx, ROLES_MANAGERS, c)) {
			api_problem(req, 403, "该网格超出您的管辖范围");
			return NULL;
		}
		enum db_result res = store_regions_get(ctx->db, &req->arena, c, &olds[i]);
		if (res == DB_DONE) {
			api_problem(req, 404, arena_printf(&req->arena, "网格 %s 不存在", c));
			return NULL;
		}
		if (res != DB_ROW) {
			api_store_error(req, res);
			return NULL;
		}
		if (strcmp(olds[i].status, "active") != 0) {
			api_problem(req, 409, arena_printf(&req->arena, "网格 %s 已撤销", c));
			return NULL;
		}
		if (community && strcmp(community, olds[i].parent_code) != 0) {
			api_field_problem(req, "codes", "community", "只能合并同一社区内的网格");
			return NULL;
		}
		community = olds[i].parent_code;
		from[i] = olds[i].code;
	}
	return community;
}

void regions_merge_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct region_row *olds = arena_alloc(&req->arena, sizeof(*olds) * SPLIT_MAX);
	const char **from = arena_alloc(&req->arena, sizeof(char *) * SPLIT_MAX);
	struct region_row neu;
	json_t *codes = read_merge(&in, &req->arena, &neu);
	if (!api_input_end(req, &in))
		goto out;
	size_t n = json_array_size(codes);
	const char *community = merged_grids(req, codes, olds, from);
	if (!community)
		goto out;
	if (region_child_problem(neu.code, community)) {
		http_problem(req, 422, "新网格代码须以所属社区代码开头",
		             "[{\"field\":\"into.code\",\"code\":\"parent_prefix\","
		             "\"message\":\"新网格代码须为 15 位，且以所属社区代码开头\"}]");
		goto out;
	}
	if (!api_reaches(ctx, ROLES_MANAGERS, community)) {
		api_problem(req, 403, "只有所属社区及以上的管理人员可以合并网格");
		goto out;
	}
	const char *to[] = {neu.code};
	if (!insert_region(req, &neu, community) || !retire_grids(req, "merge", from, n, to, 1))
		goto out;
	json_t *retired = regions_read_back(req, from, n);
	store_regions_get(ctx->db, &req->arena, neu.code, &neu);
	json_t *o = json_object();
	json_object_set_new(o, "retired", retired);
	json_object_set_new(o, "created", region_json(&neu));
	ctx->audit_object = arena_printf(&req->arena, "region:%s", neu.code);
	ctx->audit_detail = arena_printf(&req->arena, "merged %zu grids", n);
	api_json(req, 200, o);
out:
	api_input_free(&in);
}

void regions_history_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct region_row r;
	if (!load_path_region(req, ROLES_ANY, &r))
		return;
	struct region_event *ev;
	size_t n;
	enum db_result res = store_regions_history(ctx->db, &req->arena, r.code, &ev, &n);
	if (!api_stored(req, res))
		return;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_set_time(o, "at", ev[i].at);
		json_set_str(o, "kind", ev[i].kind);
		json_t *from = json_loads(ev[i].from_codes, 0, NULL);
		json_t *to = json_loads(ev[i].to_codes, 0, NULL);
		json_object_set_new(o, "from", from ? from : json_array());
		json_object_set_new(o, "to", to ? to : json_array());
		json_set_str(o, "actor", ev[i].actor);
		json_set_str(o, "detail", ev[i].detail);
		json_array_append_new(items, o);
	}
	api_json(req, 200, api_list(items, NULL));
}

bool api_region_field(struct http_req *req, struct api_input *in, const char *field,
                      const char *code, unsigned roles)
{
	struct api_ctx *ctx = api_ctx(req);
	struct region_row reg;
	enum db_result r = region_level_of(code) == REGION_NONE
	                       ? DB_DONE
	                       : store_regions_get(ctx->db, &req->arena, code, &reg);
	if (r != DB_ROW && r != DB_DONE) {
		in->unavailable = true;
		api_field_error(in, field, "unavailable", "暂时无法核对，请稍后重试");
	} else if (r == DB_DONE)
		api_field_error(in, field, "unknown", "区划不存在");
	else if (roles && !api_reaches(ctx, roles, code))
		api_field_error(in, field, "scope", "该区划不在您的管理范围内");
	else
		return true;
	return false;
}
