/* Import of residents, houses and organisations from CSV and XLSX: the run
 * (exchange_import, shared with `jiceng import`) and the request that starts it
 * (POST /api/v1/<kind>/import). Every row goes through the same rules as the
 * JSON API and is checked completely before its first write (exchange_rows.c),
 * so a bad row leaves nothing behind; the whole import sits in a savepoint so a
 * dry run or a refused all-or-nothing import writes nothing but its own record —
 * which keeps the row-by-row error report for download. */
#include "api/base/exchange_int.h"
#include "api/messages.h"

#include "core/csv.h"
#include "core/json.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "core/xlsx.h"
#include "store/base/sweeps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the run ---- */

static void add_error(struct import_state *st, size_t row, int c, const char *field,
                      const char *code, const char *message)
{
	struct exchange_result *res = st->res;
	res->error_count++;
	const char *column = c >= 0 ? st->hdr[c] : NULL;
	if (json_array_size(res->errors) < EXCHANGE_ERRORS_SHOWN) {
		json_t *e = json_object();
		json_set_int(e, "row", (int64_t)row);
		json_set_str(e, "column", column);
		json_set_str(e, "field", field);
		json_set_str(e, "code", code);
		json_set_str(e, "message", message);
		json_array_append_new(res->errors, e);
	}
	char num[24];
	snprintf(num, sizeof num, "%zu", row);
	csv_field(&st->report, num, 0);
	csv_field(&st->report, column ? column : "", 0);
	csv_field(&st->report, field ? field : "", 0);
	csv_field(&st->report, code, 0);
	csv_field(&st->report, message, 1);
}

static int col_of_field(const struct import_state *st, const char *field)
{
	/* "occupants[0].id_number" style prefixes are not used here; match the key. */
	for (int c = 0; c < st->def->ncols; c++)
		if (field && strcmp(field, st->def->cols[c].key) == 0)
			return c;
	if (field && strcmp(field, "house_id") == 0)
		for (int c = 0; c < st->def->ncols; c++)
			if (strcmp(st->def->cols[c].key, "building") == 0)
				return c;
	return -1;
}

static bool on_header(struct import_state *st, const char **cells, int n)
{
	for (int c = 0; c < st->def->ncols; c++) {
		st->col[c] = -1;
		for (int i = 0; i < n; i++) {
			char *h = arena_strdup(&st->arena, cells[i]);
			text_trim(h);
			const struct column *col = &st->def->cols[c];
			if (strcmp(h, col->key) == 0 || strcmp(h, col->zh) == 0 ||
			    (col->alt && strcmp(h, col->alt) == 0)) {
				st->col[c] = i;
				st->hdr[c] = h;
			}
		}
	}
	for (int r = 0; r < 4 && st->def->required[r]; r++) {
		bool found = false;
		for (int c = 0; c < st->def->ncols; c++)
			if (strcmp(st->def->cols[c].key, st->def->required[r]) == 0 &&
			    st->col[c] >= 0)
				found = true;
		if (!found) {
			st->header_error = true;
			return false;
		}
	}
	return true;
}

/* Records a row's errors in the result and the report. */
static void row_errors(struct import_state *st, size_t line, json_t *errors)
{
	st->res->failed++;
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e)
	{
		const char *f = json_string_value(json_object_get(e, "field"));
		add_error(st, line, col_of_field(st, f), f,
		          json_string_value(json_object_get(e, "code")),
		          json_string_value(json_object_get(e, "message")));
	}
}

static int on_row(void *arg, size_t line, const char **cells, int n)
{
	struct import_state *st = arg;
	if (!st->header_done) {
		st->header_done = true;
		return on_header(st, cells, n) ? 0 : 1;
	}
	bool blank = true;
	for (int i = 0; i < n && blank; i++) {
		const char *p = cells[i];
		while (*p == ' ' || *p == '\t')
			p++;
		blank = !*p;
	}
	if (blank)
		return 0;
	st->res->rows++;
	/* Each row gets its own arena, so memory stays flat over a million rows. A row is
	 * checked completely before its first write, so a row with errors leaves nothing
	 * behind without a savepoint per row (which would copy every touched page). */
	struct arena row;
	arena_init(&row);
	st->row = &row;
	struct api_input in = {.body = json_object(), .errors = json_array()};
	switch (st->def->kind) {
	case EXCHANGE_RESIDENTS:
		exchange_row_resident(st, &in, cells, n);
		break;
	case EXCHANGE_HOUSES:
		exchange_row_house(st, &in, cells, n);
		break;
	case EXCHANGE_ORGS:
		exchange_row_org(st, &in, cells, n);
		break;
	}
	/* No key to seal with is the server's trouble, not the row's: the import stops (503). */
	if (in.unavailable)
		st->key_missing = true;
	bool stop = st->store_failed || st->key_missing;
	if (!stop && json_array_size(in.errors))
		row_errors(st, line, in.errors);
	api_input_free(&in);
	arena_free(&row);
	st->row = NULL;
	if (stop)
		return 1;
	if (st->opt.progress && st->res->rows % 10000 == 0)
		st->opt.progress(st->opt.progress_arg, st->res);
	return 0;
}

/* A record the CSV reader cannot parse ends the file: one error for it, on the line it
 * starts on (after any blank lines before it). */
static void csv_broken(struct import_state *st, const char *data, const char *record)
{
	size_t line_at = 1;
	for (const char *p = data; p < record; p++)
		line_at += *p == '\n';
	while (line_at && (*record == '\n' || *record == '\r'))
		line_at += *record++ == '\n';
	st->res->rows++;
	st->res->failed++;
	add_error(st, line_at, -1, "row", "csv", "CSV 格式错误：引号未闭合或列数超过 64");
}

/* Reads a CSV file row by row into on_row; false (res->fatal set) when it cannot be read. */
static bool read_csv(struct import_state *st, const char *data, size_t len)
{
	struct exchange_result *res = st->res;
	if (memchr(data, 0, len)) {
		snprintf(res->fatal, sizeof res->fatal,
		         "CSV 须为 UTF-8 编码的文本（可在表格软件中另存为 CSV UTF-8）");
		return false;
	}
	struct csv_reader rd;
	csv_reader_init(&rd, data, len);
	for (;;) {
		struct arena row_arena;
		arena_init(&row_arena);
		const char *fields[CSV_MAX_FIELDS];
		const char *record = rd.p;
		int nf = csv_next(&rd, &row_arena, fields);
		if (nf < 0 && !st->header_done) {
			arena_free(&row_arena);
			snprintf(res->fatal, sizeof res->fatal, "首行表头无法解析");
			return false;
		}
		if (nf < 0)
			csv_broken(st, data, record);
		int stop = nf > 0 ? on_row(st, rd.line, fields, nf) : 1;
		arena_free(&row_arena);
		if (nf > 0 && st->opt.consumed && res->rows % 10000 == 0)
			st->opt.consumed(st->opt.progress_arg, (size_t)(rd.p - data));
		if (stop)
			return true;
	}
}

/* Why a file that was read is still refused as a whole; false with res->fatal set. */
static bool import_whole(struct import_state *st, enum exchange_kind kind)
{
	struct exchange_result *res = st->res;
	if (!st->header_done || st->header_error) {
		snprintf(res->fatal, sizeof res->fatal, "首行须为表头，且包含必填列：%s",
		         kind == EXCHANGE_RESIDENTS ? "姓名、网格代码"
		         : kind == EXCHANGE_HOUSES  ? "网格代码、楼栋、房号"
		                                    : "名称、类型、网格代码");
		return false;
	}
	if (st->key_missing) {
		snprintf(res->fatal, sizeof res->fatal,
		         "个人信息加密密钥未加载，导入已全部撤销，请联系系统管理员");
		res->store_error = true;
		return false;
	}
	if (st->store_failed) {
		snprintf(res->fatal, sizeof res->fatal,
		         "写入数据库失败，导入已全部撤销，请稍后再试");
		res->store_error = true;
		return false;
	}
	return true;
}

bool exchange_import(struct api_ctx *ctx, enum exchange_kind kind, const char *data, size_t len,
                     const struct exchange_options *opt, struct exchange_result *res)
{
	struct import_state st;
	memset(&st, 0, sizeof st);
	st.ctx = ctx;
	st.def = exchange_kind_def(kind);
	st.opt = *opt;
	st.res = res;
	st.now = time_now();
	memset(res, 0, sizeof *res);
	res->errors = json_array();
	if (db_exec(ctx->db, "SAVEPOINT import") != DB_OK) {
		snprintf(res->fatal, sizeof res->fatal, "数据库忙，请稍后再试");
		return false;
	}
	arena_init(&st.arena);
	arena_init(&st.last_house.arena);
	buf_init(&st.report);
	buf_puts(&st.report, "\xEF\xBB\xBF");
	buf_puts(&st.report, "行号,列,字段,错误代码,说明\r\n");
	bool ok = true;
	if (opt->xlsx) {
		char err[160] = "";
		if (xlsx_read(data, len, on_row, &st, err, sizeof err) < 0) {
			snprintf(res->fatal, sizeof res->fatal, "%s",
			         err[0] ? err : "XLSX 文件无法读取");
			ok = false;
		}
	} else
		ok = read_csv(&st, data, len);
	ok = ok && import_whole(&st, kind);
	/* A dry run always reports (counts and errors); a real all-or-nothing import with a bad
	 * row is refused. */
	res->rejected = ok && res->failed > 0 && !opt->partial && !opt->dry_run;
	bool undo = !ok || opt->dry_run || res->rejected;
	if (undo)
		db_exec(ctx->db, "ROLLBACK TO import");
	db_exec(ctx->db, "RELEASE import");
	if (undo && !opt->dry_run && ok)
		res->created = res->updated = 0;
	size_t rlen;
	res->report = buf_detach(&st.report, &rlen);
	arena_free(&st.last_house.arena);
	arena_free(&st.arena);
	return ok;
}

/* Records the import (always: a dry run or a refused import keeps its report too). */
enum db_result exchange_record(struct api_ctx *ctx, enum exchange_kind kind,
                               const struct exchange_options *opt, struct exchange_result *res)
{
	struct import_row r = {.kind = exchange_kind_name(kind),
	                       .format = opt->xlsx ? "xlsx" : "csv",
	                       .user_id = ctx->who.user_id,
	                       .actor = ctx->who.name,
	                       .at = time_now(),
	                       .dry_run = opt->dry_run,
	                       .mode = opt->partial ? "partial" : "all_or_nothing",
	                       .status = opt->dry_run    ? "dry_run"
	                                 : res->rejected ? "rejected"
	                                                 : "done",
	                       .rows = res->rows,
	                       .created = res->created,
	                       .updated = res->updated,
	                       .failed = res->failed,
	                       .errors = res->error_count ? res->report : NULL};
	enum db_result rr = store_imports_insert(ctx->db, &r);
	res->import_id = r.id;
	return rr;
}

void exchange_result_free(struct exchange_result *res)
{
	json_decref(res->errors);
	free(res->report);
	res->errors = NULL;
	res->report = NULL;
}

/* ---- the request ---- */

static json_t *result_json(struct http_req *req, enum exchange_kind kind,
                           const struct exchange_options *opt, const struct exchange_result *res)
{
	json_t *o = json_object();
	json_set_int(o, "id", res->import_id);
	json_set_str(o, "kind", exchange_kind_name(kind));
	json_set_str(o, "format", opt->xlsx ? "xlsx" : "csv");
	json_set_int(o, "rows", res->rows);
	json_set_int(o, "created", res->created);
	json_set_int(o, "updated", res->updated);
	json_set_int(o, "failed", res->failed);
	json_set_bool(o, "dry_run", opt->dry_run);
	json_set_str(o, "mode", opt->partial ? "partial" : "all_or_nothing");
	json_set_int(o, "error_count", res->error_count);
	json_object_set(o, "errors", res->errors);
	json_set_str(o, "error_report",
	             res->error_count ? base_import_errors_url(&req->arena, res->import_id) : NULL);
	return o;
}

/* Reads format, dry_run and mode; false after responding 400. */
static bool import_options(struct http_req *req, struct exchange_options *opt)
{
	memset(opt, 0, sizeof *opt);
	const char *format = http_query(req, "format");
	const char *ct = http_header(req, "Content-Type");
	const char *dry = http_query(req, "dry_run");
	const char *mode = http_query(req, "mode");
	if (format && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0) {
		api_problem(req, 400, "format 须为 csv 或 xlsx");
		return false;
	}
	bool zip = req->body_len >= 4 && memcmp(req->body, "PK\x03\x04", 4) == 0;
	opt->xlsx = format ? strcmp(format, "xlsx") == 0
	                   : zip || (ct && strstr(ct, "spreadsheetml") != NULL);
	if (dry && strcmp(dry, "true") != 0 && strcmp(dry, "false") != 0) {
		api_problem(req, 400, "dry_run 须为 true 或 false");
		return false;
	}
	opt->dry_run = dry && strcmp(dry, "true") == 0;
	if (mode && strcmp(mode, "partial") != 0 && strcmp(mode, "all_or_nothing") != 0) {
		api_problem(req, 400, "mode 须为 all_or_nothing 或 partial");
		return false;
	}
	opt->partial = mode && strcmp(mode, "partial") == 0;
	if (ct && !opt->xlsx && !strstr(ct, "text/csv") &&
	    !strstr(ct, "application/octet-stream") && !strstr(ct, "text/plain")) {
		api_problem(req, 415, "请上传 CSV（text/csv）或 XLSX 文件");
		return false;
	}
	return true;
}

/* 422 for an all-or-nothing import with row errors: nothing written but the import's own
 * record, which keeps the report (the guard commits it). */
static void import_refused(struct http_req *req, const struct exchange_result *res)
{
	api_ctx(req)->keep_on_error = true;
	json_t *o = json_object();
	json_set_str(o, "type", "about:blank");
	json_set_str(o, "title", http_status_title(422));
	json_set_int(o, "status", 422);
	json_set_str(o, "detail",
	             arena_printf(&req->arena,
	                          "导入未完成：%lld 行中有 %lld 行错误，未写入任何数据",
	                          (long long)res->rows, (long long)res->failed));
	json_object_set(o, "errors", res->errors);
	json_set_int(o, "import_id", res->import_id);
	json_set_str(o, "error_report", base_import_errors_url(&req->arena, res->import_id));
	api_localize_body(req, o); /* detail and row messages in the client's language */
	size_t len;
	char *body = json_to_string(o, &len);
	json_decref(o);
	http_respond(req, 422, "application/problem+json", body, len);
}

void exchange_import_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	enum exchange_kind kind;
	if (!exchange_kind_from_path(req, &kind)) {
		api_problem(req, 404, "资源不存在");
		return;
	}
	struct exchange_options opt;
	if (!import_options(req, &opt))
		return;
	if (!req->body_len) {
		api_problem(req, 400, "请上传文件内容");
		return;
	}
	struct exchange_result res;
	if (!exchange_import(ctx, kind, req->body, req->body_len, &opt, &res)) {
		if (res.store_error)
			api_problem(req, 503, res.fatal);
		else
			api_field_problem(req, "file", "format", res.fatal);
		exchange_result_free(&res);
		return;
	}
	enum db_result r = exchange_record(ctx, kind, &opt, &res);
	if (r != DB_OK) {
		exchange_result_free(&res);
		api_store_error(req, r);
		return;
	}
	ctx->audit_object = arena_printf(&req->arena, "import:%lld", (long long)res.import_id);
	ctx->audit_detail = arena_printf(
	    &req->arena, "kind=%s rows=%lld created=%lld updated=%lld failed=%lld dry_run=%d",
	    exchange_kind_name(kind), (long long)res.rows, (long long)res.created,
	    (long long)res.updated, (long long)res.failed, opt.dry_run);
	if (res.rejected)
		import_refused(req, &res);
	else {
		json_t *result = result_json(req, kind, &opt, &res);
		api_localize_body(req, result);
		api_json(req, 200, result);
	}
	exchange_result_free(&res);
}
