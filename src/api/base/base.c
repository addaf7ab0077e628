/* Shared helpers for the base-data resources; see base.h. */
#include "api/base/base.h"

#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/seal.h"
#include "core/text.h"
#include "core/timeutil.h"
#include <sodium.h>
#include "domain/region.h"
#include "store/base/sweeps.h"
#include "store/platform/regions.h"

static int prefix_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void base_scopes(const struct api_ctx *ctx, unsigned roles, const char *region, struct scopes *out)
{
	const char *cand[USER_MAX_GRANTS + 1];
	int n = 0;
	for (size_t i = 0; i < ctx->who.ngrants; i++) {
		const struct grant *g = &ctx->who.grants[i];
		if (!(ROLE_BIT(g->role) & roles))
			continue;
		const char *code = g->role == ROLE_ADMIN ? "" : g->region_code;
		if (!region)
			cand[n++] = code;
		else if (region_covers(code, region) || !*code)
			cand[n++] = region;
		else if (region_covers(region, code))
			cand[n++] = code;
	}
	/* Keep the prefixes no other one covers (and one of each repeat). */
	out->n = 0;
	for (int i = 0; i < n; i++) {
		bool covered = false;
		for (int j = 0; j < n && !covered; j++) {
			if (i == j)
				continue;
			bool same = strcmp(cand[i], cand[j]) == 0;
			covered =
			    same ? j < i
			         : (!*cand[j] || strncmp(cand[i], cand[j], strlen(cand[j])) == 0);
		}
		if (!covered && out->n < SCOPES_MAX)
			out->prefix[out->n++] = cand[i];
	}
	qsort(out->prefix, (size_t)out->n, sizeof out->prefix[0], prefix_cmp);
}

bool base_region_param(struct http_req *req, const char **region)
{
	const char *r = http_query(req, "region");
	*region = NULL;
	if (!r || !*r)
		return true;
	if (region_level_of(r) == REGION_NONE) {
		api_problem(req, 400, "region 须为 6、9、12 或 15 位区划代码");
		return false;
	}
	*region = r;
	return true;
}

bool base_cursor(struct http_req *req, struct page_after *after)
{
	after->code = "";
	after->id = 0;
	const char *c;
	if (!api_cursor(req, &c))
		return false;
	if (!c)
		return true;
	const char *dot = strchr(c, '.');
	size_t clen = dot ? (size_t)(dot - c) : 0;
	char *end = NULL;
	long long id = dot ? strtoll(dot + 1, &end, 10) : -1;
	if (!dot || clen == 0 || clen > REGION_CODE_MAX || !text_all_digits(c, clen) || !end ||
	    *end || id < 0 || end == dot + 1) {
		api_problem(req, 400, "cursor 无效");
		return false;
	}
	after->code = arena_printf(&req->arena, "%.*s", (int)clen, c);
	after->id = id;
	return true;
}

const char *base_next_cursor(struct arena *a, size_t n, int limit, const char *code, int64_t id)
{
	if ((int)n < limit || !code)
		return NULL;
	return arena_printf(a, "%s.%lld", code, (long long)id);
}

bool base_page_query(struct http_req *req, struct base_page *p)
{
	if (!base_region_param(req, &p->region) || !api_limit(req, &p->limit) ||
	    !base_cursor(req, &p->after))
		return false;
	base_scopes(api_ctx(req), BASE_READERS, p->region, &p->sc);
	return true;
}

/* The rows these pages are answered from: the cursor reads the id, their first member. */
_Static_assert(offsetof(struct building_row, id) == 0, "the id comes first");
_Static_assert(offsetof(struct house_row, id) == 0, "the id comes first");
_Static_assert(offsetof(struct rectification_row, id) == 0, "the id comes first");
_Static_assert(offsetof(struct org_row, id) == 0, "the id comes first");

void base_respond_page(struct http_req *req, enum db_result r, const void *rows, size_t n,
                       size_t size, size_t region_at, int limit, api_item_fn *item)
{
	if (!api_stored(req, r))
		return;
	const char *next = NULL;
	if (n) {
		const char *last = (const char *)rows + (n - 1) * size;
		/* A struct's first member is at its address: the last row's id. */
		const int64_t *id = (const void *)last;
		const char *const *code = (const void *)(last + region_at);
		next = base_next_cursor(&req->arena, n, limit, *code, *id);
	}
	api_respond_rows(req, rows, n, size, item, next);
}

bool base_seal(struct arena *a, const char *clear, struct sealed *out)
{
	out->p = NULL;
	out->n = 0;
	if (!clear || !*clear)
		return true;
	unsigned char *sealed;
	size_t n;
	if (!seal_encrypt(clear, strlen(clear), &sealed, &n))
		return false;
	unsigned char *copy = arena_alloc(a, n);
	memcpy(copy, sealed, n);
	free(sealed);
	out->p = copy;
	out->n = n;
	return true;
}

const char *base_open(struct arena *a, struct sealed s)
{
	if (!s.p || !s.n)
		return NULL;
	char *clear = seal_decrypt(s.p, s.n);
	if (!clear)
		return NULL;
	const char *copy = arena_strdup(a, clear);
	sodium_memzero(clear, strlen(clear));
	free(clear);
	return copy;
}

bool base_check_grid(struct api_ctx *ctx, struct arena *a, struct api_input *in, const char *field,
                     const char *code, unsigned roles)
{
	if (!code || region_level_of(code) != REGION_GRID) {
		api_field_error(in, field, "level", "须为 15 位网格代码");
		return false;
	}
	if (strcmp(ctx->grid_active, code) != 0) {
		struct region_row reg;
		if (store_regions_get(ctx->db, a, code, &reg) != DB_ROW ||
		    strcmp(reg.status, "active") != 0) {
			api_field_error(in, field, "unknown", "网格不存在或已撤销");
			return false;
		}
		snprintf(ctx->grid_active, sizeof ctx->grid_active, "%s", code);
	}
	if (!api_reaches(ctx, roles, code)) {
		api_field_error(in, field, "scope", "该网格超出您的管辖范围");
		return false;
	}
	return true;
}

enum db_result base_version(struct api_ctx *ctx, const char *kind, int64_t id, int64_t version,
                            const char *action, json_t *before, json_t *after)
{
	char *b = before ? json_to_string(before, NULL) : NULL;
	char *a = after ? json_to_string(after, NULL) : NULL;
	struct version_row v = {.kind = kind,
	                        .record_id = id,
	                        .version = version,
	                        .at = time_now(),
	                        .actor_id = ctx->who.user_id,
	                        .actor = ctx->who.name,
	                        .action = action,
	                        .before = b,
	                        .after = a};
	enum db_result r = store_versions_add(ctx->db, &v);
	free(b);
	free(a);
	return r;
}

enum db_result base_version_next(struct api_ctx *ctx, const char *kind, int64_t id,
                                 const char *action, json_t *before, json_t *after)
{
	int64_t version;
	enum db_result r = store_versions_next(ctx->db, kind, id, &version);
	return r == DB_OK ? base_version(ctx, kind, id, version, action, before, after) : r;
}

enum db_result base_version_after(struct api_ctx *ctx, const char *kind, int64_t id,
                                  int64_t version, const char *action, json_t *before,
                                  json_t *after)
{
	enum db_result r = base_version(ctx, kind, id, version, action, before, after);
	json_decref(after);
	return r;
}

bool base_stamp(int64_t id, int64_t *version, int64_t *created_at, int64_t *updated_at,
                int64_t *also)
{
	int64_t now = time_now();
	*updated_at = now;
	if (also)
		*also = now;
	if (id == 0)
		*created_at = now;
	else
		++*version;
	return id == 0;
}

enum db_result base_version_consume(struct api_ctx *ctx, const char *kind, int64_t id,
                                    const char *action, json_t *before, json_t *after)
{
	enum db_result r = base_version_next(ctx, kind, id, action, before, after);
	json_decref(before);
	json_decref(after);
	return r;
}

static json_t *versions_json(struct http_req *req, const char *kind, int64_t id,
                             const json_t *current)
{
	struct api_ctx *ctx = api_ctx(req);
	struct version_row *rows;
	size_t n;
	if (store_versions_list(ctx->db, &req->arena, kind, id, &rows, &n) != DB_OK)
		return NULL;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_set_int(o, "version", rows[i].version);
		json_set_time(o, "at", rows[i].at);
		json_set_str(o, "actor", rows[i].actor);
		json_set_str(o, "action", rows[i].action);
		json_object_set_new(o, "before",
		                    rows[i].before ? json_loads(rows[i].before, 0, NULL)
		                                   : json_null());
		/* A version stored without "after" (a bulk import's) ended in what the next version
		 * found before it, or, when it is the last, in the record as it stands. */
		json_t *after = NULL;
		if (rows[i].after)
			after = json_loads(rows[i].after, 0, NULL);
		else if (i + 1 < n && rows[i + 1].before)
			after = json_loads(rows[i + 1].before, 0, NULL);
		else if (i + 1 == n && current)
			after = json_deep_copy(current);
		json_object_set_new(o, "after", after ? after : json_null());
		json_array_append_new(items, o);
	}
	return api_list(items, NULL);
}

void base_history_respond(struct http_req *req, const char *kind, int64_t id, json_t *current)
{
	json_t *list = versions_json(req, kind, id, current);
	json_decref(current);
	if (list)
		api_json(req, 200, list);
	else
		api_store_error(req, DB_ERROR);
}

void base_add_errors(struct api_input *in, const char *prefix, const struct field_errors *errs)
{
	for (int i = 0; i < errs->n; i++) {
		char field[96];
		snprintf(field, sizeof field, "%s%s", prefix, errs->e[i].field);
		api_field_error(in, field, errs->e[i].code, errs->e[i].message);
	}
}

static json_t *codes_json(const struct code_name *t, int n)
{
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		json_t *o = json_object();
		json_set_str(o, "code", t[i].code);
		json_set_str(o, "name", t[i].name);
		json_array_append_new(arr, o);
	}
	return arr;
}

/* GET /api/v1/base/codes: the code tables forms and imports use. */
void base_codes_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	bool restricted = api_roles(ctx) & BASE_RESTRICTED;
	json_t *o = json_object();
	json_object_set_new(o, "residency", codes_json(residency_codes, RESIDENCY_COUNT));
	json_object_set_new(o, "house_use", codes_json(house_use_codes, HOUSE_USE_COUNT));
	json_object_set_new(o, "relation", codes_json(relation_codes, RELATION_COUNT));
	json_object_set_new(o, "org_kind", codes_json(org_kind_codes, ORG_KIND_COUNT));
	json_object_set_new(o, "resident_status",
	                    codes_json(resident_status_codes, RESIDENT_STATUS_COUNT));
	json_object_set_new(o, "rectify_method",
	                    codes_json(rectify_method_codes, RECTIFY_METHOD_COUNT));
	json_object_set_new(o, "rectify_status",
	                    codes_json(rectify_status_codes, RECTIFY_STATUS_COUNT));
	json_t *tags = json_array();
	for (int i = 0; i < TAG_COUNT; i++) {
		if (tag_defs[i].restricted && !restricted)
			continue;
		json_t *t = json_object();
		json_set_str(t, "code", tag_defs[i].code);
		json_set_str(t, "name", tag_defs[i].name);
		json_set_bool(t, "restricted", tag_defs[i].restricted);
		json_array_append_new(tags, t);
	}
	json_object_set_new(o, "tags", tags);
	api_json(req, 200, o);
}

/* A "YYYY-MM-DD" date that exists. */
bool base_valid_date(const char *s)
{
	int y, m, d;
	char tail;
	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return false;
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] + (m == 2 && leap);
}

/* Today in Asia/Shanghai as "YYYY-MM-DD". */
const char *base_today(struct arena *a)
{
	int64_t t = time_now() + 8 * 3600;
	int64_t days = t / 86400;
	/* civil from days (Howard Hinnant's algorithm) */
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	return arena_printf(a, "%04lld-%02lld-%02lld", (long long)(y + (m <= 2)), (long long)m,
	                    (long long)d);
}

void base_duplicate(struct http_req *req, const char *field, const char *detail)
{
	api_problem_at(req, 409, detail, field, "duplicate", detail);
}

const char *base_import_errors_url(struct arena *a, int64_t import_id)
{
	return arena_printf(a, "/api/v1/imports/%lld/errors.csv", (long long)import_id);
}

bool base_saved(struct http_req *req, enum db_result r, const char *field, const char *detail,
                const char *kind, int64_t id)
{
	if (r == DB_CONSTRAINT) {
		base_duplicate(req, field, detail);
		return false;
	}
	if (!api_stored(req, r))
		return false;
	api_ctx(req)->audit_object = arena_printf(&req->arena, "%s:%lld", kind, (long long)id);
	return true;
}
