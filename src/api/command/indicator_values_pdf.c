/* GET /api/v1/indicators/{code}/values?format=pdf: an indicator's table for a region and
 * its children (indicator_values.c answers the same numbers as JSON) as a printable PDF in
 * Chinese (core/pdf.h, A4 portrait): region, numerator, denominator, value shaded by its
 * band, too few, and with compare=yoy the year before and the change. */
#include "api/base/export.h"
#include "api/command/command.h"
#include "core/json.h"
#include "core/pdf.h"
#include "core/timeutil.h"
#include "store/command/indicators.h"

#include <stdio.h>
#include <string.h>

enum { IV_COLUMNS = 9 };

static const char *num_text(struct http_req *req, json_t *v, bool integer)
{
	if (!json_is_number(v))
		return "—";
	if (integer)
		return arena_printf(&req->arena, "%lld", (long long)json_integer_value(v));
	return arena_printf(&req->arena, "%.2f", json_number_value(v));
}

static uint32_t band_shade(const char *band)
{
	if (!band)
		return 0;
	return strcmp(band, "green") == 0    ? 0xdff3df
	       : strcmp(band, "yellow") == 0 ? 0xfff3cc
	       : strcmp(band, "red") == 0    ? 0xfde2e2
	                                     : 0;
}

static const char *band_text(const char *band)
{
	if (!band)
		return "";
	return strcmp(band, "green") == 0    ? "绿"
	       : strcmp(band, "yellow") == 0 ? "黄"
	       : strcmp(band, "red") == 0    ? "红"
	                                     : "";
}

void indicator_values_pdf(struct http_req *req, const struct indicator_row *ind,
                          const char *region_name, json_t *o)
{
	bool yoy = json_object_get(o, "previous_period") != NULL;
	const char *period = json_string_value(json_object_get(o, "period"));
	const char *region = json_string_value(json_object_get(o, "region"));
	const char *title = arena_printf(&req->arena, "%s %s", ind->name, period);
	char now[TIME_RFC3339_LEN];
	time_format(time_now(), now);
	const char *subtitle = arena_printf(
	    &req->arena, "%s（%s） · 分子 %s / 分母 %s × %lld%s · 导出于 %.10s %.5s",
	    region_name ? region_name : "", region, ind->numerator, ind->denominator,
	    (long long)ind->factor,
	    yoy ? arena_printf(&req->arena, " · 同比 %s",
	                       json_string_value(json_object_get(o, "previous_period")))
	        : "",
	    now, now + 11);
	const char *head[IV_COLUMNS] = {"区划代码", "名称", "分子",    "分母",
	                                "数值",     "色标", "样本不足"};
	double widths[IV_COLUMNS] = {1.5, 2.4, 0.9, 0.9, 1, 0.6, 0.9, 1, 1};
	int nc = 7;
	if (yoy) {
		head[nc++] = "去年同期";
		head[nc++] = "变化";
	}
	struct pdf_table *t = pdf_table_new(title, subtitle, nc, head, widths);
	if (!t) {
		json_decref(o);
		api_store_error(req, DB_ERROR);
		return;
	}
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(o, "items"), i, it)
	{
		const char *band = json_string_value(json_object_get(it, "band"));
		const char *name = json_string_value(json_object_get(it, "region_name"));
		const char *cells[IV_COLUMNS] = {
		    json_string_value(json_object_get(it, "region_code")),
		    i == 0 ? arena_printf(&req->arena, "%s（合计）", name ? name : "") : name,
		    num_text(req, json_object_get(it, "numerator"), true),
		    num_text(req, json_object_get(it, "denominator"), true),
		    num_text(req, json_object_get(it, "value"), false),
		    band_text(band),
		    json_is_true(json_object_get(it, "too_few")) ? "是" : ""};
		uint32_t shade[IV_COLUMNS] = {0};
		shade[4] = shade[5] = band_shade(band);
		if (yoy) {
			cells[7] = num_text(
			    req, json_object_get(json_object_get(it, "previous"), "value"), false);
			cells[8] = num_text(req, json_object_get(it, "change"), false);
		}
		if (!pdf_table_row(t, cells, shade)) {
			pdf_table_free(t);
			json_decref(o);
			api_store_error(req, DB_ERROR);
			return;
		}
	}
	const char *name =
	    arena_printf(&req->arena, "indicator-%s-%s-%s", ind->code, region, period);
	const char *zh_name = arena_printf(&req->arena, "%s-%s-%s", ind->name,
	                                   region_name ? region_name : region, period);
	json_decref(o);
	char *pdf;
	size_t len;
	if (!pdf_table_finish(t, &pdf, &len)) {
		api_store_error(req, DB_ERROR);
		return;
	}
	export_send_pdf(req, pdf, len, name, zh_name);
}
