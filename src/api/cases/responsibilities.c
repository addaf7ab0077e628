/* /api/v1/responsibilities: the responsibility list (权责清单) — rules from
 * (category, tier, handling level, region) to a handling unit and deadlines.
 * Admins and the district command centre maintain it; rules are retired, never
 * deleted, because cases keep the rule that routed them. */
#include "api/api.h"
#include "core/csv.h"
#include "core/json.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "store/cases/cases.h"
#include "store/platform/regions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *rule_json(const struct rule_row *r)
{
	json_t *o = json_object();
	json_set_int(o, "id", r->rule.id);
	json_set_str(o, "category", r->rule.category);
	json_set_str(o, "tier",
	             r->rule.tier >= 0 ? case_tier_code((enum case_tier)r->rule.tier) : NULL);
	json_set_str(o, "level",
	             r->rule.level >= 0 ? region_level_code((enum region_level)r->rule.level)
	                                : NULL);
	json_set_str(o, "region_code", r->rule.region_code);
	json_set_str(o, "unit", r->rule.unit);
	json_set_int(o, "accept_hours", r->rule.accept_hours);
	json_set_int(o, "handle_hours", r->rule.handle_hours);
	json_set_str(o, "note", r->note);
	json_set_time(o, "updated_at", r->updated_at);
	return o;
}

void responsibilities_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!api_unpaged(req))
		return;
	struct rule_row *rows;
	size_t n;
	enum db_result r = store_rules_list(ctx->db, &req->arena, &rows, &n);
	if (!api_stored(req, r))
		return;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, rule_json(&rows[i]));
	api_json(req, 200, api_list(items, NULL));
}

/* Reads a rule's fields (all of them: a rule is replaced whole). */
static void read_rule(struct http_req *req, struct api_input *in, struct rule_row *r)
{
	struct api_ctx *ctx = api_ctx(req);
	bool has;
	r->rule.category = api_string(in, "category", false, 32, NULL);
	if (r->rule.category && !*r->rule.category)
		r->rule.category = NULL;
	if (r->rule.category) {
		struct category_row c;
		if (store_categories_get(ctx->db, &req->arena, r->rule.category, &c) != DB_ROW)
			api_field_error(in, "category", "unknown", "事件类别不存在");
	}
	const char *tier = api_string(in, "tier", false, 16, &has);
	r->rule.tier = -1;
	if (tier && *tier) {
		enum case_tier t;
		if (case_tier_parse(tier, &t))
			r->rule.tier = t;
		else
			api_field_error(in, "tier", "enum", "层级须为 minor、private 或 major");
	}
	const char *level = api_string(in, "level", false, 16, NULL);
	r->rule.level = -1;
	if (level && *level) {
		enum region_level l;
		if (region_level_parse(level, &l))
			r->rule.level = l;
		else
			api_field_error(in, "level", "enum",
			                "处置层级须为 grid、community、street 或 district");
	}
	r->rule.region_code = api_string(in, "region_code", false, 15, NULL);
	if (r->rule.region_code && !*r->rule.region_code)
		r->rule.region_code = NULL;
	if (r->rule.region_code)
		api_region_field(req, in, "region_code", r->rule.region_code, ROLES_MANAGERS);
	r->rule.unit = api_string(in, "unit", true, 64, NULL);
	api_int(in, "accept_hours", true, 0, 24 * 30, &r->rule.accept_hours, NULL);
	api_int(in, "handle_hours", true, 1, 24 * 365, &r->rule.handle_hours, NULL);
	r->note = api_string(in, "note", false, 200, NULL);
}

/* Reads a rule from the body; false after responding (and freeing the input). */
static bool read_rule_body(struct http_req *req, struct api_input *in, struct rule_row *r)
{
	if (!api_input_begin(req, in))
		return false;
	memset(r, 0, sizeof(*r));
	read_rule(req, in, r);
	if (api_input_end(req, in))
		return true;
	api_input_free(in);
	return false;
}

void responsibilities_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	struct rule_row r;
	if (!read_rule_body(req, &in, &r))
		return;
	r.created_at = r.updated_at = time_now();
	enum db_result res = store_rules_insert(ctx->db, &r);
	if (!api_stored(req, res))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "responsibility:%lld", (long long)r.rule.id);
	api_json(req, 201, rule_json(&r));
out:
	api_input_free(&in);
}

/* The whole list is readable by everyone signed in, so a rule's existence is no secret. */
static bool rule_visible(struct http_req *req, const void *obj)
{
	(void)req;
	(void)obj;
	return true;
}

API_LOADER(rule, "规则", 0, rule_visible, struct rule_row, store_rules_get, rule.region_code)

/* The rule named by the path exists and, when it names a region, the caller manages it (a write
 * outside the caller's scope is 403). */
static bool rule_in_reach(struct http_req *req, int64_t *id)
{
	struct api_ctx *ctx = api_ctx(req);
	struct rule_row r;
	if (!rule_from_path(req, &r))
		return false;
	if (r.rule.region_code && !api_reaches(ctx, ROLES_MANAGERS, r.rule.region_code)) {
		api_problem(req, 403, "该规则的区划超出您的管辖范围");
		return false;
	}
	*id = r.rule.id;
	return true;
}

void responsibilities_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t id;
	if (!rule_in_reach(req, &id))
		return;
	struct api_input in;
	struct rule_row r;
	if (!read_rule_body(req, &in, &r))
		return;
	r.rule.id = id;
	r.updated_at = time_now();
	enum db_result res = store_rules_update(ctx->db, &r);
	if (res == DB_DONE) {
		api_problem(req, 404, "规则不存在");
		goto out;
	}
	if (!api_stored(req, res))
		goto out;
	store_rules_get(ctx->db, &req->arena, id, &r);
	ctx->audit_object = arena_printf(&req->arena, "responsibility:%lld", (long long)id);
	api_json(req, 200, rule_json(&r));
out:
	api_input_free(&in);
}

void responsibilities_delete_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t id;
	if (!rule_in_reach(req, &id))
		return;
	enum db_result res = store_rules_retire(ctx->db, id, time_now());
	if (res == DB_DONE) {
		api_problem(req, 404, "规则不存在");
		return;
	}
	if (!api_stored(req, res))
		return;
	ctx->audit_object = arena_printf(&req->arena, "responsibility:%lld", (long long)id);
	api_no_content(req);
}

/* ---- CSV exchange: the list lives in spreadsheets today ---- */

static const char *const csv_columns[] = {"category", "tier",         "level",        "region_code",
                                          "unit",     "accept_hours", "handle_hours", "note"};
enum { CSV_COLUMNS = sizeof csv_columns / sizeof csv_columns[0] };

void responsibilities_export_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct rule_row *rows;
	size_t n;
	enum db_result r = store_rules_list(ctx->db, &req->arena, &rows, &n);
	if (!api_stored(req, r))
		return;
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "\xEF\xBB\xBF"); /* so spreadsheet programs read the Chinese as UTF-8 */
	for (size_t c = 0; c < CSV_COLUMNS; c++)
		csv_field(&b, csv_columns[c], c + 1 == CSV_COLUMNS);
	for (size_t i = 0; i < n; i++) {
		const struct routing_rule *ru = &rows[i].rule;
		char ah[24], hh[24];
		snprintf(ah, sizeof ah, "%lld", (long long)ru->accept_hours);
		snprintf(hh, sizeof hh, "%lld", (long long)ru->handle_hours);
		csv_field(&b, ru->category, 0);
		csv_field(&b, ru->tier >= 0 ? case_tier_code((enum case_tier)ru->tier) : "", 0);
		csv_field(&b, ru->level >= 0 ? region_level_code((enum region_level)ru->level) : "",
		          0);
		csv_field(&b, ru->region_code, 0);
		csv_field(&b, ru->unit, 0);
		csv_field(&b, ah, 0);
		csv_field(&b, hh, 0);
		csv_field(&b, rows[i].note, 1);
	}
	size_t len;
	char *body = buf_detach(&b, &len);
	http_respond(req, 200, "text/csv; charset=utf-8", body, len);
	http_add_header(req, "Content-Disposition",
	                "attachment; filename=\"responsibilities.csv\"");
}

/* Turns one CSV record into the JSON object the API takes, so the same rules check both. */
static json_t *row_object(const char **fields, int nf, const int *col)
{
	json_t *o = json_object();
	for (size_t c = 0; c < CSV_COLUMNS; c++) {
		if (col[c] < 0 || col[c] >= nf)
			continue;
		const char *v = fields[col[c]];
		bool hours = strcmp(csv_columns[c], "accept_hours") == 0 ||
		             strcmp(csv_columns[c], "handle_hours") == 0;
		char *end;
		long long num = hours ? strtoll(v, &end, 10) : 0;
		if (hours && *v && !*end)
			json_object_set_new(o, csv_columns[c], json_integer(num));
		else if (*v)
			json_object_set_new(o, csv_columns[c], json_string(v));
	}
	return o;
}

/* The import's options (?mode, ?dry_run) and a UTF-8 body; false after responding 400. */
static bool read_import_options(struct http_req *req, bool *partial, bool *dry_run)
{
	const char *mode = http_query(req, "mode");
	if (!api_query_bool(req, "dry_run", dry_run))
		return false;
	*partial = mode && strcmp(mode, "partial") == 0;
	if (mode && !*partial && strcmp(mode, "all_or_nothing") != 0) {
		api_problem(req, 400, "mode 须为 all_or_nothing 或 partial");
		return false;
	}
	if (!req->body_len || !text_valid_utf8(req->body)) {
		api_problem(req, 400, "CSV 须为 UTF-8 文本");
		return false;
	}
	return true;
}

/* Maps the header's names to the columns (col[c] = -1 when absent); false after responding
 * 422 when the header lacks what every rule needs. */
static bool read_header(struct http_req *req, struct csv_reader *rd, int col[CSV_COLUMNS])
{
	const char *fields[CSV_MAX_FIELDS];
	int nf = csv_next(rd, &req->arena, fields);
	for (size_t c = 0; c < CSV_COLUMNS; c++) {
		col[c] = -1;
		for (int i = 0; i < nf; i++)
			if (strcmp(text_trim((char *)fields[i]), csv_columns[c]) == 0)
				col[c] = i;
	}
	if (nf <= 0 || col[4] < 0 || col[5] < 0 || col[6] < 0) {
		api_field_problem(req, "header", "columns",
		                  "首行须为表头，至少包含 unit、accept_hours、handle_hours 列");
		return false;
	}
	return true;
}

/* One error of an import row, as the report lists it. */
static void add_row_error(struct http_req *req, json_t *errors, size_t line, const char *column,
                          json_t *code, json_t *message)
{
	json_t *e = json_object();
	json_set_int(e, "row", (int64_t)line);
	json_set_str(e, "field",
	             column ? arena_printf(&req->arena, "row[%zu].%s", line, column)
	                    : arena_printf(&req->arena, "row[%zu]", line));
	json_set_str(e, "column", column);
	json_object_set(e, "code", code);
	json_object_set(e, "message", message);
	json_array_append_new(errors, e);
}

/* An import under way: its columns and options, the errors so far, the rules created. */
struct rules_import {
	int col[CSV_COLUMNS];
	bool dry_run;
	int64_t now; /* one time for every rule of the import */
	json_t *errors;
	int created;
};

/* Checks one row and, unless a dry run, inserts its rule; the row's errors go to the
 * import's. */
static enum db_result import_row(struct http_req *req, struct rules_import *im, const char **fields,
                                 int nf, size_t line)
{
	struct api_input in = {.body = row_object(fields, nf, im->col), .errors = json_array()};
	struct rule_row r;
	memset(&r, 0, sizeof r);
	read_rule(req, &in, &r);
	size_t i;
	json_t *fe;
	json_array_foreach(in.errors, i, fe)
	{
		add_row_error(req, im->errors, line,
		              json_string_value(json_object_get(fe, "field")),
		              json_object_get(fe, "code"), json_object_get(fe, "message"));
	}
	enum db_result res = DB_OK;
	if (json_array_size(in.errors) == 0 && !im->dry_run) {
		r.created_at = r.updated_at = im->now;
		res = store_rules_insert(api_ctx(req)->db, &r);
		if (res == DB_OK)
			im->created++;
	}
	api_input_free(&in);
	return res;
}

void responsibilities_import_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	bool partial;
	struct rules_import im = {.now = time_now()};
	struct csv_reader rd;
	if (!read_import_options(req, &partial, &im.dry_run))
		return;
	csv_reader_init(&rd, req->body, req->body_len);
	if (!read_header(req, &rd, im.col))
		return;
	im.errors = json_array();
	int rows = 0, nf;
	const char *fields[CSV_MAX_FIELDS];
	while ((nf = csv_next(&rd, &req->arena, fields)) != 0) {
		rows++;
		if (nf < 0) {
			json_t *code = json_string("csv"),
			       *msg = json_string("引号未闭合或列数过多");
			add_row_error(req, im.errors, rd.line, NULL, code, msg);
			json_decref(code);
			json_decref(msg);
			break;
		}
		enum db_result res = import_row(req, &im, fields, nf, rd.line);
		if (res != DB_OK) {
			json_decref(im.errors);
			api_store_error(req, res);
			return;
		}
	}
	if (json_array_size(im.errors) > 0 && !partial) {
		/* All or nothing: the guard rolls the whole import back on this error. */
		char *errs = json_to_string(im.errors, NULL);
		json_decref(im.errors);
		http_problem(
		    req, 422,
		    arena_printf(&req->arena, "导入未完成：%d 行中有错误，未写入任何规则", rows),
		    errs);
		free(errs);
		return;
	}
	ctx->audit_detail = arena_printf(&req->arena, "rows=%d created=%d dry_run=%d", rows,
	                                 im.created, im.dry_run);
	json_t *o = json_object();
	json_set_int(o, "rows", rows);
	json_set_int(o, "created", im.dry_run ? 0 : im.created);
	json_set_bool(o, "dry_run", im.dry_run);
	json_object_set_new(o, "errors", im.errors);
	api_json(req, 200, o);
}
