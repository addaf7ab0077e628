/* /api/v1/calendar: the working-day calendar (China's statutory holidays and 调休) that every
 * case deadline is counted on, and the copy of it each node keeps.
 *
 * The copy: deadlines are computed on every report and escalation, so the calendar is not
 * read per request. One copy per process (a few dozen days a year) behind a mutex, because
 * every worker thread and the group-commit writer read it. A reader whose copy was checked
 * more than CHECK_NS ago reads the one-row version (calendar_version) and, only when it
 * changed, the days; so an edit made through any node is used by every node within
 * CHECK_NS of its commit (tests/api/calendar.test.mjs checks it through two nodes). An edit
 * also marks this node's copy for checking at once. Deadlines already stored are never
 * recomputed: a calendar change applies to deadlines computed after it. */
#include "api/api.h"
#include "core/json.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "domain/deadline.h"
#include "store/platform/calendar.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_NS 1000000000LL

static struct {
	pthread_mutex_t mu;
	bool loaded;
	int64_t version, checked_ns;
	struct calendar_day *days; /* malloc'd, sorted */
	size_t n;
} copy = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* Under copy.mu: the days into the request's arena (the copy may be replaced after unlock). */
static bool copy_out(struct arena *a, struct work_calendar *out)
{
	struct calendar_day *d = arena_alloc(a, sizeof *d * (copy.n ? copy.n : 1));
	if (!d)
		return false;
	if (copy.n)
		memcpy(d, copy.days, sizeof *d * copy.n);
	out->days = d;
	out->n = copy.n;
	return true;
}

enum db_result api_work_calendar(struct db *db, struct arena *a, struct work_calendar *out)
{
	int64_t now = time_mono_ns();
	pthread_mutex_lock(&copy.mu);
	if (copy.loaded && now - copy.checked_ns < CHECK_NS) {
		bool ok = copy_out(a, out);
		pthread_mutex_unlock(&copy.mu);
		return ok ? DB_OK : DB_ERROR;
	}
	pthread_mutex_unlock(&copy.mu);

	int64_t version;
	enum db_result r = store_calendar_version(db, &version);
	if (r != DB_OK)
		return r;
	pthread_mutex_lock(&copy.mu);
	if (copy.loaded && copy.version == version) {
		copy.checked_ns = now;
		bool ok = copy_out(a, out);
		pthread_mutex_unlock(&copy.mu);
		return ok ? DB_OK : DB_ERROR;
	}
	pthread_mutex_unlock(&copy.mu);

	struct work_calendar fresh;
	r = store_calendar_load(db, a, &fresh);
	if (r != DB_OK)
		return r;
	struct calendar_day *days = malloc(sizeof *days * (fresh.n ? fresh.n : 1));
	if (!days)
		return DB_ERROR;
	if (fresh.n)
		memcpy(days, fresh.days, sizeof *days * fresh.n);
	pthread_mutex_lock(&copy.mu);
	/* Versions only grow: a reader on an older snapshot must not replace a newer copy. */
	if (!copy.loaded || version >= copy.version) {
		free(copy.days);
		copy.days = days;
		copy.n = fresh.n;
		copy.version = version;
		copy.loaded = true;
		copy.checked_ns = now;
		days = NULL;
	}
	bool ok = copy_out(a, out);
	pthread_mutex_unlock(&copy.mu);
	free(days);
	return ok ? DB_OK : DB_ERROR;
}

/* After an edit on this node: the next reader checks the version at once. */
static void copy_stale(void)
{
	pthread_mutex_lock(&copy.mu);
	copy.checked_ns = INT64_MIN / 2;
	pthread_mutex_unlock(&copy.mu);
}

static json_t *day_json(const struct calendar_row *r)
{
	json_t *o = json_object();
	json_set_str(o, "date", r->day);
	json_set_str(o, "kind", r->kind);
	json_set_str(o, "name", r->name);
	json_set_bool(o, "provisional", r->provisional);
	json_set_time(o, "updated_at", r->updated_at);
	return o;
}

API_ITEM(day_item, day_json)

void calendar_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t year;
	bool has_year;
	if (!api_unpaged(req) || !api_query_int(req, "year", 1970, 9998, &year, &has_year))
		return;
	const char *from = NULL, *to = NULL;
	if (has_year) {
		from = arena_printf(&req->arena, "%04lld-01-01", (long long)year);
		to = arena_printf(&req->arena, "%04lld-01-01", (long long)year + 1);
	}
	struct calendar_row *rows;
	size_t n;
	enum db_result r = store_calendar_list(ctx->db, &req->arena, from, to, &rows, &n);
	if (!api_stored(req, r))
		return;
	api_respond_rows(req, rows, n, sizeof *rows, day_item, NULL);
}

/* The path's date, a real one; false after answering 422. */
static bool path_date(struct http_req *req, int64_t *day)
{
	if (deadline_parse_date(http_param(req, "date"), day))
		return true;
	api_field_problem(req, "date", "format", "日期须为有效的 YYYY-MM-DD 日期");
	return false;
}

void calendar_put_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t day;
	if (!path_date(req, &day))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct calendar_row row = {0};
	row.day = http_param(req, "date");
	row.kind = api_string(&in, "kind", true, 16, NULL);
	row.name = api_string(&in, "name", true, 32, NULL);
	bool weekend = deadline_weekday(day) >= 5;
	if (row.kind && strcmp(row.kind, "holiday") != 0 && strcmp(row.kind, "workday") != 0)
		api_field_error(&in, "kind", "enum", "kind 须为 holiday 或 workday");
	else if (row.kind && strcmp(row.kind, "holiday") == 0 && weekend)
		api_field_error(&in, "kind", "weekend_holiday",
		                "周六、周日本就休息：节假日（holiday）须在周一至周五");
	else if (row.kind && strcmp(row.kind, "workday") == 0 && !weekend)
		api_field_error(&in, "kind", "weekday_workday",
		                "周一至周五本就上班：调休上班日（workday）须在周六或周日");
	if (!api_input_end(req, &in))
		goto out;
	row.updated_by = ctx->who.user_id;
	row.updated_at = time_now();
	bool created;
	enum db_result r = store_calendar_put(ctx->db, &row, &created);
	if (!api_stored(req, r))
		goto out;
	copy_stale();
	ctx->audit_object = arena_printf(&req->arena, "calendar:%s", row.day);
	ctx->audit_detail = arena_printf(&req->arena, "kind=%s name=%s", row.kind, row.name);
	api_json(req, created ? 201 : 200, day_json(&row));
out:
	api_input_free(&in);
}

void calendar_delete_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int64_t day;
	if (!path_date(req, &day))
		return;
	const char *date = http_param(req, "date");
	enum db_result r = store_calendar_delete(ctx->db, date);
	if (r == DB_DONE) {
		api_problem(req, 404, "日历中没有该日期");
		return;
	}
	if (!api_stored(req, r))
		return;
	copy_stale();
	ctx->audit_object = arena_printf(&req->arena, "calendar:%s", date);
	api_no_content(req);
}
