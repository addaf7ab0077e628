/* /api/v1/volunteer-ledger and /api/v1/volunteer-records: the append-only hours and points
 * ledger (积分) — confirmed hours add points (activities.c), staff spend them at a 爱心超市
 * as a negative entry that never takes a balance below zero — and a person's record (hours,
 * points, activities) with its printable certificate. Residents see only their own; staff
 * those of the people under their reach. */
#include "api/volunteers/volunteers.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/volunteer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *entry_json(const struct vol_ledger_row *e)
{
	json_t *o = json_object();
	json_set_int(o, "id", e->id);
	json_set_str(o, "kind", e->kind);
	json_set_int(o, "minutes", e->minutes);
	json_set_int(o, "points", e->points);
	if (e->activity_id)
		json_set_int(o, "activity_id", e->activity_id);
	else
		json_object_set_new(o, "activity_id", json_null());
	json_set_str(o, "title", e->title);
	json_set_str(o, "note", e->note);
	json_set_str(o, "region_code", e->region_code);
	json_set_time(o, "created_at", e->created_at);
	return o;
}

API_ITEM(entry_item, entry_json)

void vol_ledger_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!api_unpaged(req))
		return;
	struct vol_person p;
	const char *region;
	if (!vol_person_query(req, &p, &region))
		return;
	struct vol_ledger_row *rows = NULL;
	size_t n = 0;
	enum db_result r = store_vol_ledger_of_person(ctx->db, &req->arena, p.person, &rows, &n);
	if (!api_stored(req, r))
		return;
	api_respond_rows(req, rows, n, sizeof *rows, entry_item, NULL);
}

void vol_ledger_spend_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct vol_person p;
	memset(&p, 0, sizeof p);
	bool has_r = false, has_u = false;
	api_int(&in, "resident_id", false, 1, INT64_MAX, &p.resident_id, &has_r);
	api_int(&in, "user_id", false, 1, INT64_MAX, &p.user_id, &has_u);
	int64_t points = 0;
	api_int(&in, "points", true, 1, 1000000, &points, NULL);
	const char *note = api_string(&in, "note", true, 200, NULL);
	const char *region = NULL;
	if (json_array_size(in.errors) == 0) {
		if (has_r == has_u)
			api_field_error(&in, "resident_id", "required",
			                "请给出 resident_id 或 user_id 之一");
		else {
			p.person =
			    has_r ? arena_printf(&req->arena, "resident:%lld",
			                         (long long)p.resident_id)
			          : arena_printf(&req->arena, "user:%lld", (long long)p.user_id);
			region = vol_person_region(ctx, &req->arena, &p);
			if (!region)
				api_field_error(&in, has_r ? "resident_id" : "user_id", "unknown",
				                "志愿者不存在");
			else if (!api_reaches(ctx, VOL_STAFF, region))
				api_field_error(&in, has_r ? "resident_id" : "user_id", "scope",
				                "该志愿者不在您的管辖范围内");
		}
	}
	if (!api_input_end(req, &in))
		goto out;
	/* the balance is read in the write transaction (the writers' lock): two spends at
	 * once cannot both pass on the same points */
	int64_t balance = 0, minutes = 0;
	enum db_result r = store_vol_ledger_totals(ctx->db, p.person, &balance, &minutes);
	if (!api_stored(req, r))
		goto out;
	if (!vol_ledger_allows(balance, -points)) {
		api_field_problem(req, "points", "insufficient", "积分不足");
		goto out;
	}
	struct vol_ledger_row e = {.region_code = region,
	                           .person = p.person,
	                           .kind = "spend",
	                           .points = -points,
	                           .note = note,
	                           .created_by = ctx->who.user_id,
	                           .created_at = time_now()};
	r = store_vol_ledger_insert(ctx->db, &e);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "vol_ledger:%lld", (long long)e.id);
	ctx->audit_detail =
	    arena_printf(&req->arena, "%s points=-%lld", p.person, (long long)points);
	json_t *o = entry_json(&e);
	json_set_int(o, "balance", balance - points);
	api_json(req, 201, o);
out:
	api_input_free(&in);
}

/* The record of a person: totals and their activities. */
struct record {
	struct vol_person p;
	const char *region, *name;
	int64_t points, minutes, activities;
	struct vol_signup_row *rows;
	size_t n;
};

static bool load_record(struct http_req *req, struct record *rec)
{
	struct api_ctx *ctx = api_ctx(req);
	memset(rec, 0, sizeof *rec);
	if (!vol_person_query(req, &rec->p, &rec->region))
		return false;
	enum db_result r =
	    store_vol_ledger_totals(ctx->db, rec->p.person, &rec->points, &rec->minutes);
	if (r == DB_OK)
		r = store_vol_signups_of_person(ctx->db, &req->arena, rec->p.person, &rec->rows,
		                                &rec->n);
	if (!api_stored(req, r))
		return false;
	for (size_t i = 0; i < rec->n; i++) {
		if (!rec->name && rec->rows[i].name)
			rec->name = rec->rows[i].name;
		if (rec->rows[i].minutes >= 0)
			rec->activities++;
	}
	if (!rec->name && rec->p.user_id == ctx->who.user_id)
		rec->name = ctx->who.name;
	return true;
}

void vol_records_get_h(struct http_req *req)
{
	struct record rec;
	if (!load_record(req, &rec))
		return;
	json_t *o = json_object();
	json_set_str(o, "person", rec.p.resident_id ? "resident" : "account");
	if (rec.p.resident_id)
		json_set_int(o, "resident_id", rec.p.resident_id);
	else
		json_set_int(o, "user_id", rec.p.user_id);
	json_set_str(o, "name", rec.name);
	json_set_int(o, "minutes", rec.minutes);
	json_object_set_new(o, "hours", json_real((double)rec.minutes / 60.0));
	json_set_int(o, "points", rec.points);
	json_set_int(o, "activities_served", rec.activities);
	json_t *acts = json_array();
	for (size_t i = 0; i < rec.n; i++) {
		const struct vol_signup_row *s = &rec.rows[i];
		json_t *a = json_object();
		json_set_int(a, "signup_id", s->id);
		json_set_int(a, "activity_id", s->activity_id);
		json_set_str(a, "title", s->title);
		json_set_time(a, "starts_at", s->starts_at);
		json_set_str(a, "status", s->status);
		json_set_bool(a, "checked_in", s->checked_in_at != 0);
		if (s->minutes >= 0)
			json_set_int(a, "minutes", s->minutes);
		else
			json_object_set_new(a, "minutes", json_null());
		json_array_append_new(acts, a);
	}
	json_object_set_new(o, "activities", acts);
	api_json(req, 200, o);
}

/* Text escaped for HTML into b. */
static void html_text(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '<')
			buf_puts(b, "&lt;");
		else if (*s == '>')
			buf_puts(b, "&gt;");
		else if (*s == '&')
			buf_puts(b, "&amp;");
		else if (*s == '"')
			buf_puts(b, "&quot;");
		else
			buf_append(b, s, 1);
	}
}

void vol_certificate_h(struct http_req *req)
{
	struct record rec;
	if (!load_record(req, &rec))
		return;
	struct buf b;
	buf_init(&b);
	char today[TIME_RFC3339_LEN];
	time_format(time_now(), today);
	buf_puts(&b,
	         "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	         "<title>志愿服务证明 Volunteer service certificate</title><style>body{font-family:"
	         "serif;max-width:720px;margin:40px auto}h1{text-align:center}table{width:100%;"
	         "border-collapse:collapse}td,th{border:1px solid #999;padding:4px}</style>"
	         "</head><body><h1>志愿服务证明</h1><p>兹证明 <strong>");
	html_text(&b, rec.name ? rec.name : "");
	buf_printf(&b,
	           "</strong> 累计参加志愿服务活动 %lld 次，服务时长 %.1f 小时，现有积分 %lld。</p>"
	           "<table><tr><th>活动</th><th>日期</th><th>时长（分钟）</th></tr>",
	           (long long)rec.activities, (double)rec.minutes / 60.0, (long long)rec.points);
	for (size_t i = 0; i < rec.n; i++) {
		const struct vol_signup_row *s = &rec.rows[i];
		if (s->minutes < 0)
			continue;
		char at[TIME_RFC3339_LEN];
		time_format(s->starts_at, at);
		buf_puts(&b, "<tr><td>");
		html_text(&b, s->title);
		buf_printf(&b, "</td><td>%.10s</td><td>%lld</td></tr>", at, (long long)s->minutes);
	}
	buf_printf(&b, "</table><p style=\"text-align:right\">开具日期：%.10s</p></body></html>",
	           today);
	size_t len = 0;
	char *body = buf_detach(&b, &len);
	http_respond(req, 200, "text/html; charset=utf-8", body, len);
}
