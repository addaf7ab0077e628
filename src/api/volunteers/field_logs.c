/* /api/v1/field-logs: a grid worker's field log of visits and patrols (民情走访, 巡查) —
 * where (grid, address, optional point), when, what was seen, photos — from which a case is
 * raised in one call through the case loop (case_report_create, in the entry's
 * transaction, linked both ways); and the per-worker monthly view for the worker, their grid
 * leader and above. */
#include "api/cases/cases.h"
#include "api/volunteers/volunteers.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/care.h"
#include "domain/deadline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static json_t *log_json(const struct field_log_row *f)
{
	json_t *o = json_object();
	char d[11];
	json_set_int(o, "id", f->id);
	json_set_str(o, "kind", f->kind);
	json_set_str(o, "region_code", f->region_code);
	json_set_str(o, "region_name", f->region_name);
	json_t *loc = json_object();
	json_set_str(loc, "address", f->address);
	if (f->has_location) {
		json_object_set_new(loc, "lat", json_real(f->lat));
		json_object_set_new(loc, "lon", json_real(f->lon));
	}
	json_object_set_new(o, "location", loc);
	json_set_time(o, "seen_at", f->seen_at);
	deadline_format_date(f->day, d);
	json_set_str(o, "date", d);
	json_set_str(o, "note", f->note);
	json_t *photos = f->photos ? json_loads(f->photos, 0, NULL) : NULL;
	json_object_set_new(o, "photos", photos ? photos : json_array());
	if (f->case_id)
		json_set_int(o, "case_id", f->case_id);
	else
		json_object_set_new(o, "case_id", json_null());
	json_set_int(o, "user_id", f->user_id);
	json_set_str(o, "worker", f->user_name);
	json_set_time(o, "created_at", f->created_at);
	return o;
}

/* The entry's author; grid leaders and above over its grid. */
static bool log_seen(struct http_req *req, const void *obj)
{
	const struct field_log_row *f = obj;
	struct api_ctx *ctx = api_ctx(req);
	return (ctx->who.user_id && f->user_id == ctx->who.user_id) ||
	       api_reaches(ctx, FIELD_OVERSEERS, f->region_code);
}

API_LOADER(field_log, "走访巡查记录", 0, log_seen, struct field_log_row, store_field_logs_get,
           region_code)

/* location {lat, lon, address}, or absent. */
static void read_location(struct api_input *in, struct field_log_row *f)
{
	json_t *loc = json_object_get(in->body, "location");
	if (!loc || json_is_null(loc))
		return;
	if (!json_is_object(loc)) {
		in->type_error = true;
		api_field_error(in, "location", "type", "应为对象 {lat, lon, address}");
		return;
	}
	json_t *lat = json_object_get(loc, "lat"), *lon = json_object_get(loc, "lon");
	if (lat || lon) {
		if (!json_is_number(lat) || !json_is_number(lon)) {
			in->type_error = true;
			api_field_error(in, "location", "type", "lat 和 lon 应为数字");
			return;
		}
		f->lat = json_number_value(lat);
		f->lon = json_number_value(lon);
		if (f->lat < -90 || f->lat > 90 || f->lon < -180 || f->lon > 180 || isnan(f->lat) ||
		    isnan(f->lon)) {
			api_field_error(in, "location", "range", "经纬度超出范围");
			return;
		}
		f->has_location = true;
	}
	struct api_input sub = {.body = loc, .errors = in->errors};
	f->address = api_string(&sub, "address", false, 200, NULL);
	in->type_error = in->type_error || sub.type_error;
}

/* "raise_case" / a case body: {category, description}. */
static void read_case(struct api_input *in, json_t *body, const char **category,
                      const char **description)
{
	struct api_input sub = {.body = body, .errors = in->errors};
	*category = api_string(&sub, "category", true, 40, NULL);
	*description = api_string(&sub, "description", false, 2000, NULL);
	in->type_error = in->type_error || sub.type_error;
}

/* The case raised from the entry, in the request's transaction; false after responding. */
static bool raise_case(struct http_req *req, const struct field_log_row *f, const char *category,
                       const char *description, int64_t *case_id)
{
	struct api_ctx *ctx = api_ctx(req);
	struct case_report rep;
	memset(&rep, 0, sizeof rep);
	rep.category = category;
	rep.description = description && *description ? description : f->note;
	rep.region_code = f->region_code;
	rep.source = "patrol";
	rep.photos = f->photos;
	rep.address = f->address;
	rep.has_location = f->has_location;
	rep.lat = f->lat;
	rep.lon = f->lon;
	case_report_actor(ctx, &rep);
	rep.reporter_user_id = 0;
	struct case_row c;
	if (!case_report_create(req, &rep, &c))
		return false;
	*case_id = c.id;
	return true;
}

void field_logs_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct field_log_row f;
	memset(&f, 0, sizeof f);
	int64_t now = time_now();
	f.kind = api_string(&in, "kind", true, 10, NULL);
	if (f.kind && strcmp(f.kind, "visit") != 0 && strcmp(f.kind, "patrol") != 0)
		api_field_error(&in, "kind", "invalid", "类型须为 visit 或 patrol");
	f.region_code = api_string(&in, "region_code", true, 15, NULL);
	if (f.region_code)
		base_check_grid(ctx, &req->arena, &in, "region_code", f.region_code, FIELD_WRITERS);
	read_location(&in, &f);
	f.note = api_string(&in, "note", true, 2000, NULL);
	f.photos = api_photos_field(req, &in, "photos");
	const char *seen = api_string(&in, "seen_at", false, 40, NULL);
	f.seen_at = now;
	if (seen && !time_parse(seen, &f.seen_at))
		api_field_error(&in, "seen_at", "format", "时间须为带时区的 RFC 3339 格式");
	else if (seen && f.seen_at > now + 300)
		api_field_error(&in, "seen_at", "range", "时间不能晚于现在");
	else if (seen && f.seen_at < now - 31 * 86400)
		api_field_error(&in, "seen_at", "range", "只能补记 31 天内的走访巡查");
	json_t *rc = json_object_get(in.body, "raise_case");
	const char *category = NULL, *description = NULL;
	bool with_case = rc && !json_is_null(rc);
	if (with_case && !json_is_object(rc)) {
		in.type_error = true;
		api_field_error(&in, "raise_case", "type", "应为 {category, description}");
	} else if (with_case)
		read_case(&in, rc, &category, &description);
	if (!api_input_end(req, &in))
		goto out;
	f.day = care_day_of(f.seen_at);
	f.user_id = ctx->who.user_id;
	f.created_at = now;
	if (!f.user_id) {
		api_problem(req, 403, "走访巡查记录须由用户本人登记");
		goto out;
	}
	if (with_case && !raise_case(req, &f, category, description, &f.case_id))
		goto out;
	enum db_result r = store_field_logs_insert(ctx->db, &f);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "field_log:%lld", (long long)f.id);
	if (f.case_id)
		ctx->audit_detail = arena_printf(&req->arena, "case=%lld", (long long)f.case_id);
	store_field_logs_get(ctx->db, &req->arena, f.id, &f);
	api_json(req, 201, log_json(&f));
out:
	api_input_free(&in);
}

void field_logs_get_h(struct http_req *req)
{
	struct field_log_row f;
	if (!field_log_from_path(req, &f))
		return;
	api_json(req, 200, log_json(&f));
}

void field_logs_case_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct field_log_row f;
	if (!field_log_from_path(req, &f))
		return;
	bool own = ctx->who.user_id && f.user_id == ctx->who.user_id;
	if (!own && !api_reaches(ctx, FIELD_WRITERS, f.region_code)) {
		api_problem(req, 403, "只有记录人及上级工作人员可以据此上报事件");
		return;
	}
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	const char *category = NULL, *description = NULL;
	read_case(&in, in.body, &category, &description);
	if (!api_input_end(req, &in))
		goto out;
	if (f.case_id) {
		api_problem(req, 409, "该记录已上报事件");
		goto out;
	}
	int64_t case_id = 0;
	if (!raise_case(req, &f, category, description, &case_id))
		goto out;
	enum db_result r = store_field_logs_set_case(ctx->db, f.id, case_id);
	if (r == DB_DONE) {
		api_problem(req, 409, "该记录已上报事件");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "field_log:%lld", (long long)f.id);
	ctx->audit_detail = arena_printf(&req->arena, "case=%lld", (long long)case_id);
	store_field_logs_get(ctx->db, &req->arena, f.id, &f);
	api_json(req, 201, log_json(&f));
out:
	api_input_free(&in);
}

/* ?month=YYYY-MM (default: this month, Asia/Shanghai) as its first and last local day;
 * false after responding 400. */
static bool query_month(struct http_req *req, int64_t *first, int64_t *last, char month[8])
{
	const char *m = http_query(req, "month");
	char buf[11];
	if (m) {
		if (strlen(m) != 7 || m[4] != '-') {
			api_problem(req, 400, "month 须为 YYYY-MM");
			return false;
		}
		memcpy(buf, m, 7);
		memcpy(buf + 7, "-01", 4);
	} else {
		deadline_format_date(care_day_of(time_now()), buf);
		memcpy(buf + 7, "-01", 4);
	}
	if (!deadline_parse_date(buf, first)) {
		api_problem(req, 400, "month 须为 YYYY-MM");
		return false;
	}
	memcpy(month, buf, 7);
	month[7] = '\0';
	/* the first of the next month, less a day */
	int y = atoi(buf), mo = atoi(buf + 5) + 1;
	if (mo > 12) {
		mo = 1;
		y++;
	}
	char next[32];
	snprintf(next, sizeof next, "%04d-%02d-01", y, mo);
	int64_t nd;
	if (!deadline_parse_date(next, &nd)) {
		api_problem(req, 400, "month 须为 YYYY-MM");
		return false;
	}
	*last = nd - 1;
	return true;
}

/* The worker the query names (?user_id=, the caller when absent) and their entries of the
 * month the caller may see: all their own; another's only with a grid leader's grant or
 * above (403 otherwise), and only those under that grant's reach. */
static bool month_entries(struct http_req *req, int64_t *user_id, char month[8], int64_t *first,
                          int64_t *last, struct field_log_row **rows, size_t *n)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!api_query_id(req, "user_id", user_id) || !query_month(req, first, last, month))
		return false;
	if (!*user_id)
		*user_id = ctx->who.user_id;
	bool own = *user_id == ctx->who.user_id;
	if (!own && !(api_roles(ctx) & FIELD_OVERSEERS)) {
		api_problem(req, 403, "只能查看本人的走访巡查记录");
		return false;
	}
	struct field_log_row *all;
	size_t m = 0;
	if (!api_stored(req, store_field_logs_of_user(ctx->db, &req->arena, *user_id, *first, *last,
	                                              &all, &m)))
		return false;
	*n = 0;
	*rows = all;
	for (size_t i = 0; i < m; i++)
		if (own || api_reaches(ctx, FIELD_OVERSEERS, all[i].region_code))
			(*rows)[(*n)++] = all[i];
	return true;
}

API_ITEM(log_item, log_json)

void field_logs_list_h(struct http_req *req)
{
	if (!api_unpaged(req))
		return;
	int64_t uid, first, last;
	char month[8];
	struct field_log_row *rows;
	size_t n;
	if (!month_entries(req, &uid, month, &first, &last, &rows, &n))
		return;
	api_respond_rows(req, rows, n, sizeof *rows, log_item, NULL);
}

void field_logs_monthly_h(struct http_req *req)
{
	int64_t uid, first, last;
	char month[8];
	struct field_log_row *rows;
	size_t n;
	if (!month_entries(req, &uid, month, &first, &last, &rows, &n))
		return;
	json_t *days = json_array();
	int64_t visits = 0, patrols = 0, cases = 0;
	const char *name = NULL;
	for (int64_t d = first; d <= last; d++) {
		int64_t v = 0, p = 0, c = 0;
		for (size_t i = 0; i < n; i++) {
			if (rows[i].day != d)
				continue;
			name = rows[i].user_name;
			if (strcmp(rows[i].kind, "visit") == 0)
				v++;
			else
				p++;
			if (rows[i].case_id)
				c++;
		}
		char ds[11];
		deadline_format_date(d, ds);
		json_t *o = json_object();
		json_set_str(o, "date", ds);
		json_set_int(o, "visits", v);
		json_set_int(o, "patrols", p);
		json_set_int(o, "entries", v + p);
		json_set_int(o, "cases", c);
		json_array_append_new(days, o);
		visits += v;
		patrols += p;
		cases += c;
	}
	json_t *o = json_object();
	json_set_int(o, "user_id", uid);
	json_set_str(o, "worker", name);
	json_set_str(o, "month", month);
	json_set_int(o, "entries", visits + patrols);
	json_set_int(o, "visits", visits);
	json_set_int(o, "patrols", patrols);
	json_set_int(o, "cases", cases);
	json_object_set_new(o, "days", days);
	api_json(req, 200, o);
}

void field_logs_workers_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!api_unpaged(req))
		return;
	const char *region;
	int64_t first, last;
	char month[8];
	if (!base_region_param(req, &region) || !query_month(req, &first, &last, month))
		return;
	struct scopes sc;
	base_scopes(ctx, FIELD_OVERSEERS, region, &sc);
	json_t *items = json_array();
	for (int i = 0; i < sc.n; i++) {
		struct field_worker_row *ws;
		size_t n = 0;
		enum db_result r = store_field_logs_workers(ctx->db, &req->arena, sc.prefix[i],
		                                            first, last, &ws, &n);
		if (!api_stored(req, r)) {
			json_decref(items);
			return;
		}
		for (size_t j = 0; j < n; j++) {
			json_t *o = json_object();
			json_set_int(o, "user_id", ws[j].user_id);
			json_set_str(o, "worker", ws[j].name);
			json_set_int(o, "entries", ws[j].entries);
			json_set_int(o, "visits", ws[j].visits);
			json_set_int(o, "patrols", ws[j].patrols);
			json_set_int(o, "cases", ws[j].cases);
			json_array_append_new(items, o);
		}
	}
	json_t *o = api_list(items, NULL);
	json_set_str(o, "month", month);
	api_json(req, 200, o);
}
