/* GET /api/v1/rankings/export: the ranking table (live or a published version, as answered by
 * rankings.c) as a workbook (format=xlsx, the default) or as a printable PDF in Chinese
 * (format=pdf, core/pdf.h: A4 landscape, the title and the header row on every page, the
 * 红榜 / 黑榜 cells shaded, "第 N 页 / 共 M 页" at the foot). One table, two outputs: the
 * columns and cells are built once here for both. */
#include "api/base/export.h"
#include "api/command/command.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/pdf.h"
#include "core/timeutil.h"
#include "core/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* At most this many columns, in both outputs (the workbook's limit, within the PDF's). */
enum { RX_MAX_COLUMNS = XLSX_MAX_COLUMNS };
_Static_assert((int)PDF_MAX_COLUMNS >= (int)XLSX_MAX_COLUMNS, "a PDF takes every column");

static const char VALUE_SUFFIX[] = "（值）", POINTS_SUFFIX[] = "（得分）";
static const char MONTHLY[] = "月度评比", ANNUAL[] = "年度考评";

static const char *num_text(struct http_req *req, json_t *v)
{
	if (!json_is_number(v))
		return "";
	return arena_printf(&req->arena, "%.2f", json_number_value(v));
}

/* The header row into cells; its column count. widths (may be NULL) get relative widths. */
static int header_cells(struct http_req *req, json_t *o, bool annual, const char **cells,
                        double *widths)
{
	int nc = 0;
	double w[RX_MAX_COLUMNS];
	w[nc] = 0.6, cells[nc++] = "名次";
	w[nc] = 1.8, cells[nc++] = "区划代码";
	w[nc] = 1.6, cells[nc++] = "名称";
	size_t i;
	json_t *d;
	if (!annual)
		json_array_foreach(json_object_get(o, "indicators"), i, d)
		{
			if (nc + 2 > RX_MAX_COLUMNS - 5)
				break;
			const char *nm = json_string_value(json_object_get(d, "name"));
			w[nc] = 1,
			cells[nc++] = arena_printf(&req->arena, "%s%s", nm, VALUE_SUFFIX);
			w[nc] = 0.8,
			cells[nc++] = arena_printf(&req->arena, "%s%s", nm, POINTS_SUFFIX);
		}
	else {
		w[nc] = 1, cells[nc++] = "月度平均分";
		w[nc] = 0.8, cells[nc++] = "计入月数";
	}
	w[nc] = 0.8, cells[nc++] = "加减分";
	w[nc] = 0.8, cells[nc++] = "总分";
	w[nc] = 0.7, cells[nc++] = "红黑榜";
	w[nc] = 1.7, cells[nc++] = "并列";
	if (widths)
		memcpy(widths, w, sizeof w[0] * (size_t)nc);
	return nc;
}

/* One region's row into cells; its list (1 red, -1 black, 0 neither) in *list. short_ties:
 * more than three regions tied are counted, not listed (the PDF: a row of two hundred codes
 * would fill pages). */
static int row_cells(struct http_req *req, json_t *row, bool annual, bool short_ties,
                     const char **cells, int *list)
{
	int c = 0;
	cells[c++] = arena_printf(&req->arena, "%lld",
	                          (long long)json_integer_value(json_object_get(row, "rank")));
	cells[c++] = json_string_value(json_object_get(row, "region_code"));
	cells[c++] = json_string_value(json_object_get(row, "region_name"));
	size_t j;
	if (!annual) {
		json_t *x;
		json_array_foreach(json_object_get(row, "scores"), j, x)
		{
			if (c + 2 > RX_MAX_COLUMNS - 5)
				break;
			cells[c++] = json_is_null(json_object_get(x, "value"))
			                 ? "无数据"
			                 : num_text(req, json_object_get(x, "value"));
			cells[c++] = num_text(req, json_object_get(x, "points"));
		}
	} else {
		cells[c++] = num_text(req, json_object_get(row, "monthly_mean"));
		cells[c++] = arena_printf(
		    &req->arena, "%lld",
		    (long long)json_integer_value(json_object_get(row, "months_counted")));
	}
	cells[c++] = num_text(req, json_object_get(row, "adjustment_points"));
	cells[c++] = num_text(req, json_object_get(row, "total"));
	const char *l = json_string_value(json_object_get(row, "list"));
	*list = !l ? 0 : strcmp(l, "red") == 0 ? 1 : -1;
	cells[c++] = !*list ? "" : *list > 0 ? "红榜" : "黑榜";
	json_t *t, *tie = json_object_get(row, "tie_with");
	char *ties = "";
	if (short_ties && json_array_size(tie) > 3) {
		cells[c++] = arena_printf(&req->arena, "与 %zu 个区划并列", json_array_size(tie));
		return c;
	}
	json_array_foreach(tie, j, t) ties =
	    arena_printf(&req->arena, "%s%s%s", ties, *ties ? "、" : "", json_string_value(t));
	cells[c++] = ties;
	return c;
}

static void send_xlsx(struct http_req *req, json_t *o, bool annual, const char *name)
{
	const char *cells[RX_MAX_COLUMNS];
	struct sink s;
	if (!sink_start(&s, "评比", true)) {
		api_store_error(req, DB_ERROR);
		return;
	}
	sink_header(&s, cells, header_cells(req, o, annual, cells, NULL));
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(o, "items"), i, row)
	{
		int list;
		int c = row_cells(req, row, annual, false, cells, &list);
		sink_row(&s, cells, c);
	}
	int fd;
	size_t len;
	if (!sink_finish(&s, &fd, &len)) {
		api_store_error(req, DB_ERROR);
		return;
	}
	export_send_file(req, fd, len, true, name);
}

/* "2026-11-23T08:00:00+08:00" as "2026-11-23 08:00" (Asia/Shanghai). */
static const char *minute_text(struct http_req *req, const char *rfc3339)
{
	if (!rfc3339 || strlen(rfc3339) < 16)
		return "";
	char *s = arena_printf(&req->arena, "%.16s", rfc3339);
	s[10] = ' ';
	return s;
}

/* The heading: "<scheme> 月度评比 2026-11" and what the figures are (which version, when). */
static void pdf_heading(struct http_req *req, json_t *o, bool annual, const char **title,
                        const char **subtitle)
{
	json_t *sch = json_object_get(o, "scheme"), *par = json_object_get(o, "parent");
	const char *period = json_string_value(json_object_get(o, "period"));
	*title =
	    arena_printf(&req->arena, "%s %s %s", json_string_value(json_object_get(sch, "name")),
	                 annual ? ANNUAL : MONTHLY, period ? period : "");
	const char *pname = json_string_value(json_object_get(par, "name"));
	const char *pcode = json_string_value(json_object_get(par, "code"));
	char now[TIME_RFC3339_LEN];
	time_format(time_now(), now);
	const char *what =
	    json_is_true(json_object_get(o, "published"))
	        ? arena_printf(
	              &req->arena, "第 %lld 版，%s 发布（%s）",
	              (long long)json_integer_value(json_object_get(o, "version")),
	              minute_text(req, json_string_value(json_object_get(o, "published_at"))),
	              json_string_value(json_object_get(o, "published_by_name"))
	                  ? json_string_value(json_object_get(o, "published_by_name"))
	                  : "")
	        : "实时计算，未发布";
	*subtitle = arena_printf(&req->arena, "%s（%s） · %s · 导出于 %s", pname ? pname : "",
	                         pcode ? pcode : "", what, minute_text(req, now));
}

static void send_pdf(struct http_req *req, json_t *o, bool annual, const char *name)
{
	const char *cells[RX_MAX_COLUMNS], *title, *subtitle;
	double widths[RX_MAX_COLUMNS];
	pdf_heading(req, o, annual, &title, &subtitle);
	int nc = header_cells(req, o, annual, cells, widths);
	struct pdf_table *t = pdf_table_new(title, subtitle, nc, cells, widths);
	if (!t) {
		api_store_error(req, DB_ERROR);
		return;
	}
	pdf_table_landscape(t);
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(o, "items"), i, row)
	{
		int list;
		int c = row_cells(req, row, annual, true, cells, &list);
		uint32_t shade[RX_MAX_COLUMNS] = {0};
		if (list)
			shade[c - 2] = list > 0 ? 0xfde2e2 : 0xdddddd;
		if (!pdf_table_row(t, cells, shade)) {
			pdf_table_free(t);
			api_store_error(req, DB_ERROR);
			return;
		}
	}
	char *pdf;
	size_t len;
	if (!pdf_table_finish(t, &pdf, &len)) {
		api_store_error(req, DB_ERROR);
		return;
	}
	json_t *sch = json_object_get(o, "scheme");
	export_send_pdf(req, pdf, len, name,
	                arena_printf(&req->arena, "%s-%s-%s",
	                             json_string_value(json_object_get(sch, "name")),
	                             annual ? ANNUAL : MONTHLY,
	                             json_string_value(json_object_get(o, "period"))));
}

void ranking_export_send(struct http_req *req, json_t *o, bool pdf)
{
	bool annual = strcmp(json_string_value(json_object_get(o, "kind")), "annual") == 0;
	const char *name = arena_printf(
	    &req->arena, "ranking-%lld-%s",
	    (long long)json_integer_value(json_object_get(json_object_get(o, "scheme"), "id")),
	    json_string_value(json_object_get(o, "period")));
	if (pdf)
		send_pdf(req, o, annual, name);
	else
		send_xlsx(req, o, annual, name);
	json_decref(o);
}
