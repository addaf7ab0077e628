/* Helpers every handler shares: JSON responses, typed body fields with
 * field-level errors, list paging, secrets and password hashing. */
#include "api/api.h"
#include "core/json.h"
#include "core/jsonw.h"
#include "core/mem.h"
#include "core/seal.h"
#include "core/text.h"
#include "domain/password.h"
#include "store/platform/regions.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

void api_json(struct http_req *req, int status, json_t *body)
{
	size_t len;
	char *s = json_to_string(body, &len);
	json_decref(body);
	http_respond(req, status, "application/json; charset=utf-8", s, len);
}

void api_no_content(struct http_req *req)
{
	http_respond(req, 204, NULL, NULL, 0);
}

void api_problem(struct http_req *req, int status, const char *detail)
{
	http_problem(req, status, detail, NULL);
}

void api_field_problem(struct http_req *req, const char *field, const char *code,
                       const char *detail)
{
	api_problem_at(req, 422, detail, field, code, detail);
}

void api_problem_at(struct http_req *req, int status, const char *detail, const char *field,
                    const char *code, const char *message)
{
	json_t *arr = json_array(), *e = json_object();
	json_set_str(e, "field", field);
	json_set_str(e, "code", code);
	json_set_str(e, "message", message);
	json_array_append_new(arr, e);
	char *errs = json_to_string(arr, NULL);
	json_decref(arr);
	http_problem(req, status, detail, errs);
	free(errs);
}

void api_store_error(struct http_req *req, enum db_result r)
{
	if (r == DB_BUSY)
		api_problem(req, 503, "系统繁忙，请稍后再试");
	else
		api_problem(req, 503, "数据存储暂时出错，请稍后再试");
}

bool api_stored(struct http_req *req, enum db_result r)
{
	if (r == DB_OK)
		return true;
	api_store_error(req, r);
	return false;
}

bool api_write_begin(struct http_req *req, unsigned roles, const char *region, const char *detail,
                     struct api_input *in)
{
	if (!api_reaches(api_ctx(req), roles, region)) {
		api_problem(req, 403, detail);
		return false;
	}
	return api_input_begin(req, in);
}

bool api_input_begin(struct http_req *req, struct api_input *in)
{
	memset(in, 0, sizeof(*in));
	if (!req->body || req->body_len == 0) {
		api_problem(req, 400, "缺少 JSON 请求体");
		return false;
	}
	json_error_t jerr;
	in->body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!in->body) {
		http_problem(req, 400,
		             arena_printf(&req->arena, "JSON 格式错误（第 %d 行第 %d 列）",
		                          jerr.line, jerr.column),
		             NULL);
		return false;
	}
	if (!json_is_object(in->body)) {
		json_decref(in->body);
		in->body = NULL;
		api_problem(req, 400, "请求体须为 JSON 对象");
		return false;
	}
	in->errors = json_array();
	return true;
}

void api_input_free(struct api_input *in)
{
	json_decref(in->body);
	json_decref(in->errors);
	in->body = in->errors = NULL;
}

bool api_input_end(struct http_req *req, struct api_input *in)
{
	if (json_array_size(in->errors) == 0)
		return true;
	char *errs = json_to_string(in->errors, NULL);
	bool type = in->type_error;
	if (in->unavailable && !type)
		http_problem(req, 503, "个人信息加密密钥未加载，暂时无法保存，请联系系统管理员",
		             errs);
	else if (in->forbidden && !type)
		/* API.md: a write naming a target outside the caller's scope is 403, like any other
		 * out-of-scope write; 422 is for the rules of the data itself. */
		http_problem(req, 403, "提交的内容超出您的管辖范围", errs);
	else
		http_problem(req, type ? 400 : 422,
		             type ? "请求字段类型错误" : "提交的内容未通过校验", errs);
	free(errs);
	return false;
}

void api_field_error(struct api_input *in, const char *field, const char *code, const char *message)
{
	if (code && strcmp(code, "scope") == 0)
		in->forbidden = true;
	json_t *e = json_object();
	json_set_str(e, "field", field);
	json_set_str(e, "code", code);
	json_set_str(e, "message", message);
	json_array_append_new(in->errors, e);
}

static void type_error(struct api_input *in, const char *field, const char *message)
{
	in->type_error = true;
	api_field_error(in, field, "type", message);
}

const char *api_string(struct api_input *in, const char *field, bool required, size_t maxchars,
                       bool *present)
{
	json_t *v = json_object_get(in->body, field);
	if (present)
		*present = v != NULL;
	if (!v || json_is_null(v)) {
		if (required)
			api_field_error(in, field, "required", "此项为必填");
		return NULL;
	}
	if (!json_is_string(v)) {
		type_error(in, field, "应为字符串");
		return NULL;
	}
	const char *s = json_string_value(v);
	if (strlen(s) != json_string_length(v) || !text_valid_utf8(s)) {
		api_field_error(in, field, "encoding", "含有无效字符");
		return NULL;
	}
	size_t n = text_chars(s);
	bool blank = true;
	for (const char *p = s; *p; p++)
		blank = blank && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r');
	if (blank && (required || *s)) {
		/* Whitespace alone is never a value; an empty optional string means "none". */
		api_field_error(in, field, "required", "此项不能为空");
		return NULL;
	}
	if (n > maxchars) {
		char msg[64];
		snprintf(msg, sizeof msg, "最多 %zu 个字符", maxchars);
		api_field_error(in, field, "too_long", msg);
		return NULL;
	}
	return s;
}

bool api_int(struct api_input *in, const char *field, bool required, int64_t min, int64_t max,
             int64_t *out, bool *present)
{
	json_t *v = json_object_get(in->body, field);
	if (present)
		*present = v != NULL;
	if (!v || json_is_null(v)) {
		if (required)
			api_field_error(in, field, "required", "此项为必填");
		return false;
	}
	if (!json_is_integer(v)) {
		type_error(in, field, "应为整数");
		return false;
	}
	int64_t x = json_integer_value(v);
	if (x < min || x > max) {
		char msg[96];
		snprintf(msg, sizeof msg, "应在 %lld 到 %lld 之间", (long long)min, (long long)max);
		api_field_error(in, field, "range", msg);
		return false;
	}
	*out = x;
	return true;
}

bool api_bool(struct api_input *in, const char *field, bool *out, bool *present)
{
	json_t *v = json_object_get(in->body, field);
	if (present)
		*present = v != NULL;
	if (!v)
		return false;
	if (!json_is_boolean(v)) {
		type_error(in, field, "应为 true 或 false");
		return false;
	}
	*out = json_is_true(v);
	return true;
}

bool api_grants(struct api_input *in, const char *field, struct grant *g, size_t *n)
{
	json_t *arr = json_object_get(in->body, field);
	*n = 0;
	if (!arr || json_is_null(arr))
		return true;
	if (!json_is_array(arr)) {
		type_error(in, field, "应为数组");
		return false;
	}
	if (json_array_size(arr) > USER_MAX_GRANTS) {
		api_field_error(in, field, "too_many", "授权最多 32 项");
		return false;
	}
	size_t i;
	json_t *item;
	bool ok = true;
	json_array_foreach(arr, i, item)
	{
		char f[64];
		snprintf(f, sizeof f, "%s[%zu]", field, i);
		json_t *role = json_object_get(item, "role");
		json_t *region = json_object_get(item, "region_code");
		if (!json_is_object(item) || !json_is_string(role) ||
		    (region && !json_is_string(region) && !json_is_null(region))) {
			type_error(in, f, "应为 {\"role\": 字符串, \"region_code\": 字符串}");
			ok = false;
			continue;
		}
		struct grant *gr = &g[*n];
		if (!role_parse(json_string_value(role), &gr->role)) {
			api_field_error(in, f, "role", "未知角色");
			ok = false;
			continue;
		}
		const char *code = json_is_string(region) ? json_string_value(region) : "";
		if (gr->role != ROLE_ADMIN && region_level_of(code) == REGION_NONE) {
			api_field_error(in, f, "region_code", "区划代码无效");
			ok = false;
			continue;
		}
		if (strlen(code) > REGION_CODE_MAX)
			code = "";
		snprintf(gr->region_code, sizeof gr->region_code, "%s", code);
		(*n)++;
	}
	return ok;
}

bool api_limit(struct http_req *req, int *limit)
{
	const char *s = http_query(req, "limit");
	*limit = 50;
	if (!s)
		return true;
	/* Digits only: strtol would also take " 5" or "+5". */
	size_t n = strlen(s);
	long v = n >= 1 && n <= 3 && text_all_digits(s, n) ? strtol(s, NULL, 10) : 0;
	if (v < 1 || v > 200) {
		api_problem(req, 400, "limit 须为 1 到 200 之间的整数");
		return false;
	}
	*limit = (int)v;
	return true;
}

/* Cursors are opaque: the position (an id, or "CODE.ID", or a region code) followed by "~"
 * and a keyed tag over it, so a cursor the server did not hand out is refused (400) instead
 * of being read as some position. */
static char *cursor_seal(const char *inner)
{
	unsigned char tag[SEAL_TAG_LEN];
	seal_tag("cursor", inner, strlen(inner), tag);
	size_t enc =
	    sodium_base64_ENCODED_LEN(SEAL_TAG_LEN, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	size_t n = strlen(inner);
	char *out = xmalloc(n + 1 + enc);
	memcpy(out, inner, n);
	out[n] = '~';
	sodium_bin2base64(out + n + 1, enc, tag, SEAL_TAG_LEN,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

bool api_cursor(struct http_req *req, const char **inner)
{
	const char *s = http_query(req, "cursor");
	*inner = NULL;
	if (!s || !*s)
		return true;
	const char *t = strrchr(s, '~');
	if (t && t > s && (size_t)(t - s) <= 64) {
		char *pos = arena_printf(&req->arena, "%.*s", (int)(t - s), s);
		char *good = cursor_seal(pos);
		bool ok = strcmp(good, s) == 0;
		free(good);
		if (ok) {
			*inner = pos;
			return true;
		}
	}
	api_problem(req, 400, "cursor 无效：请使用上一页返回的 next_cursor");
	return false;
}

bool api_cursor_id(struct http_req *req, int64_t *after)
{
	const char *s;
	*after = 0;
	if (!api_cursor(req, &s))
		return false;
	if (!s)
		return true;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v < 0 || strlen(s) > 18) {
		api_problem(req, 400, "cursor 无效：请使用上一页返回的 next_cursor");
		return false;
	}
	*after = v;
	return true;
}

json_t *api_list(json_t *items, const char *next_cursor)
{
	json_t *o = json_object();
	json_object_set_new(o, "items", items);
	if (next_cursor) {
		char *c = cursor_seal(next_cursor);
		json_object_set_new(o, "next_cursor", json_string(c));
		free(c);
	} else {
		json_object_set_new(o, "next_cursor", json_null());
	}
	return o;
}

void api_respond_rows(struct http_req *req, const void *rows, size_t n, size_t size,
                      api_item_fn *item, const char *next_cursor)
{
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = item(req, (const char *)rows + i * size);
		if (o)
			json_array_append_new(items, o);
	}
	api_json(req, 200, api_list(items, next_cursor));
}

/* A row's id: a struct's first member is at its address. */
static int64_t row_id(const void *row)
{
	int64_t id;
	memcpy(&id, row, sizeof id);
	return id;
}

void api_respond_id_page(struct http_req *req, const void *rows, size_t n, size_t size, int limit,
                         api_item_fn *item)
{
	const char *next = NULL;
	if (n > (size_t)limit) {
		n = (size_t)limit;
		next = arena_printf(&req->arena, "%lld",
		                    (long long)row_id((const char *)rows + (n - 1) * size));
	}
	api_respond_rows(req, rows, n, size, item, next);
}

void api_respond_id_page_w(struct http_req *req, const void *rows, size_t n, size_t size, int limit,
                           api_write_fn *write)
{
	char *next = NULL;
	if (n > (size_t)limit) {
		n = (size_t)limit;
		char inner[24];
		snprintf(inner, sizeof inner, "%lld",
		         (long long)row_id((const char *)rows + (n - 1) * size));
		next = cursor_seal(inner);
	}
	struct buf b;
	buf_init(&b);
	buf_reserve(&b, 1024 * (n + 1)); /* about a case's size per row: one allocation */
	struct jw w;
	jw_init(&w, &b);
	/* The shape of api_list: {"items": [...], "next_cursor": ...}. */
	jw_obj(&w);
	jw_key(&w, "items");
	jw_arr(&w);
	for (size_t i = 0; i < n; i++)
		write(req, &w, (const char *)rows + i * size);
	jw_arr_end(&w);
	jw_kstr(&w, "next_cursor", next);
	jw_obj_end(&w);
	free(next);
	size_t len;
	char *body = buf_detach(&b, &len);
	http_respond(req, 200, "application/json; charset=utf-8", body, len);
}

size_t api_rows_merge(void *all, size_t total, const void *rows, size_t n, size_t size)
{
	for (size_t k = 0; k < n; k++) {
		const char *row = (const char *)rows + k * size;
		bool dup = false;
		for (size_t m = 0; m < total && !dup; m++)
			dup = row_id((const char *)all + m * size) == row_id(row);
		if (!dup)
			memcpy((char *)all + total++ * size, row, size);
	}
	return total;
}

static int newer_first(const void *a, const void *b)
{
	int64_t x = row_id(a), y = row_id(b);
	return (x < y) - (x > y);
}

void api_rows_newest_first(void *rows, size_t n, size_t size)
{
	if (n > 1)
		qsort(rows, n, size, newer_first);
}

bool api_unpaged(struct http_req *req)
{
	int limit;
	if (!api_limit(req, &limit))
		return false;
	if (http_query(req, "cursor")) {
		api_problem(req, 400, "cursor 无效：该列表只有一页");
		return false;
	}
	return true;
}

/* A positive decimal id of at most 18 digits, nothing else (no sign, spaces or suffix). */
static bool parse_id(const char *s, int64_t *id)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 18 || !text_all_digits(s, n))
		return false;
	long long v = strtoll(s, NULL, 10);
	if (v <= 0)
		return false;
	*id = v;
	return true;
}

bool api_path_id(struct http_req *req, const char *name, const char *what, int64_t *id)
{
	if (parse_id(http_param(req, name), id))
		return true;
	api_problem(req, 404, arena_printf(&req->arena, "%s不存在", what));
	return false;
}

bool api_load(struct http_req *req, const struct api_loader *l, void *out)
{
	int64_t id;
	if (!api_path_id(req, l->param ? l->param : "id", l->what, &id))
		return false;
	const char *region = NULL;
	enum db_result r = l->load(req, id, out, &region);
	if (r != DB_ROW && r != DB_DONE) {
		api_store_error(req, r);
		return false;
	}
	bool visible = false;
	if (r == DB_ROW)
		visible = l->visible ? l->visible(req, out)
		                     : region && api_reaches(api_ctx(req), l->roles, region);
	if (!visible) {
		/* The same answer whether the object is missing or outside the caller's scope. */
		api_problem(req, 404, arena_printf(&req->arena, "%s不存在", l->what));
		return false;
	}
	return true;
}

bool api_query_int(struct http_req *req, const char *name, int64_t min, int64_t max, int64_t *out,
                   bool *present)
{
	const char *s = http_query(req, name);
	if (present)
		*present = s != NULL;
	if (!s)
		return true;
	size_t n = strlen(s);
	bool neg = n > 0 && s[0] == '-';
	char *end = NULL;
	long long v = 0;
	bool ok = n > (size_t)neg && n <= 19 && text_all_digits(s + neg, n - neg);
	if (ok) {
		v = strtoll(s, &end, 10);
		ok = *end == '\0' && v >= min && v <= max;
	}
	if (!ok) {
		api_problem(req, 400,
		            arena_printf(&req->arena, "%s 须为 %lld 到 %lld 之间的整数", name,
		                         (long long)min, (long long)max));
		return false;
	}
	*out = v;
	return true;
}

bool api_query_id(struct http_req *req, const char *name, int64_t *out)
{
	const char *s = http_query(req, name);
	*out = 0;
	if (!s)
		return true;
	if (parse_id(s, out))
		return true;
	api_problem(req, 400, arena_printf(&req->arena, "%s 须为正整数编号", name));
	return false;
}

bool api_query_bool(struct http_req *req, const char *name, bool *out)
{
	const char *s = http_query(req, name);
	*out = false;
	if (!s)
		return true;
	if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0) {
		*out = s[0] == 't';
		return true;
	}
	api_problem(req, 400, arena_printf(&req->arena, "%s 须为 true 或 false", name));
	return false;
}

json_t *api_grants_json(struct api_ctx *ctx, struct arena *a, const struct grant *g, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_set_str(o, "role", role_code(g[i].role));
		json_set_str(o, "region_code", g[i].region_code[0] ? g[i].region_code : NULL);
		struct region_row r;
		const char *name = NULL;
		if (g[i].region_code[0] && ctx->db &&
		    store_regions_get(ctx->db, a, g[i].region_code, &r) == DB_ROW)
			name = r.name;
		json_set_str(o, "region_name", name);
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *api_user_json(struct api_ctx *ctx, struct arena *a, const struct user_row *u)
{
	json_t *o = json_object();
	json_set_int(o, "id", u->id);
	json_set_str(o, "username", u->username);
	json_set_str(o, "display_name", u->display_name);
	json_set_str(o, "unit", u->unit);
	json_set_bool(o, "disabled", u->disabled);
	json_set_time(o, "locked_until", u->locked_until > time(NULL) ? u->locked_until : 0);
	json_set_time(o, "created_at", u->created_at);
	json_set_time(o, "updated_at", u->updated_at);
	json_object_set_new(o, "resident_id",
	                    u->resident_id ? json_integer(u->resident_id) : json_null());
	json_object_set_new(o, "household_id",
	                    u->household_id ? json_integer(u->household_id) : json_null());
	json_object_set_new(o, "grants", api_grants_json(ctx, a, u->grants, u->ngrants));
	return o;
}

void api_random_token(char *out, size_t outlen)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, outlen, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void api_hash_secret(const char *secret, unsigned char out[AUTH_HASH_LEN])
{
	crypto_generichash(out, AUTH_HASH_LEN, (const unsigned char *)secret, strlen(secret), NULL,
	                   0);
}

bool api_password_hash(const char *pw, char out[128])
{
	_Static_assert(crypto_pwhash_STRBYTES <= 128, "hash buffer");
	return crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                         crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

bool api_password_verify(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

/* ---- record versions (ETag, If-Match) ---- */

void api_etag(struct http_req *req, const char *tag)
{
	http_add_header(req, "ETag", arena_printf(&req->arena, "\"%s\"", tag));
}

bool api_if_match(struct http_req *req, int64_t version, json_t *current)
{
	const char *h = http_header(req, "If-Match");
	if (!h || strcmp(h, "*") == 0) {
		json_decref(current);
		return true;
	}
	/* "3", W/"3" or a bare 3: the version GET answered as ETag (and in "version"). */
	if (strncmp(h, "W/", 2) == 0)
		h += 2;
	char *end;
	const char *p = *h == '"' ? h + 1 : h;
	errno = 0;
	long long sent = strtoll(p, &end, 10);
	if (end == p || errno || (*h == '"' ? strcmp(end, "\"") != 0 : *end != 0)) {
		json_decref(current);
		api_problem(req, 400, "If-Match 须为记录的版本（ETag）");
		return false;
	}
	if (sent == version) {
		json_decref(current);
		return true;
	}
	api_version_conflict(req, version, current, NULL);
	api_etag(req, arena_printf(&req->arena, "%lld", (long long)version));
	return false;
}

/* 409 with what the record is now, so the client can show both and let its user choose. */
void api_version_conflict(struct http_req *req, int64_t version, json_t *current, const char *field)
{
	char ver[24];
	snprintf(ver, sizeof ver, "%lld", (long long)version);
	const char *detail =
	    arena_printf(&req->arena, "记录已被他人修改（当前版本 %s），请核对后再保存", ver);
	if (field)
		api_problem_at(req, 409, detail, field, "version_conflict", detail);
	else
		http_problem(req, 409, detail, NULL);
	json_t *o = req->resp ? json_loadb(req->resp, req->resp_len, 0, NULL) : NULL;
	if (o) {
		json_object_set_new(o, "current_version", json_integer(version));
		json_object_set_new(o, "current", current ? current : json_null());
		current = NULL;
		size_t len;
		char *s = json_to_string(o, &len);
		json_decref(o);
		if (s)
			http_respond(req, 409, "application/problem+json; charset=utf-8", s, len);
	}
	json_decref(current);
}
