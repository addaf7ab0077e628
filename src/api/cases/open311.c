/* Open311 GeoReport v2 (/open311/v2/…): services are the case categories,
 * service requests are cases. Both formats of the spec — XML (.xml) and JSON
 * (.json) — and the spec's own error format. Posting (open311_post.c) needs an API token as
 * api_key of a role that takes in reports. Reading without a key shows only cases of public
 * categories, with a coarse location and the description only when the reporter chose to
 * publish it; a key of a role that may read a case shows it in full (scope applies). */
#include "api/api.h"
#include "api/cases/cases.h"
#include "api/cases/open311.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "core/text.h"
#include "core/xml.h"
#include "domain/idnum.h"
#include "domain/geo.h"
#include "store/platform/regions.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool parse_fmt(const char *s, enum fmt *f)
{
	if (s && strcmp(s, "xml") == 0)
		*f = FMT_XML;
	else if (s && strcmp(s, "json") == 0)
		*f = FMT_JSON;
	else
		return false;
	return true;
}

/* The format asked for by the path's suffix; XML when none can be read. */
static enum fmt path_fmt(const struct http_req *req)
{
	const char *dot = strrchr(req->path, '.');
	enum fmt f = FMT_XML;
	if (dot)
		parse_fmt(dot + 1, &f);
	return f;
}

void open311_respond(struct http_req *req, int status, enum fmt f, struct buf *b)
{
	size_t len;
	char *body = buf_detach(b, &len);
	http_respond(req, status,
	             f == FMT_XML ? "text/xml; charset=utf-8" : "application/json; charset=utf-8",
	             body, len);
}

/* The spec's errors: a list of {code, description}. Only 400, 403 and 404 are named by the
 * spec; other statuses keep their own number. */
bool open311_render_error(struct http_req *req, int status, const char *detail)
{
	if (strncmp(req->path, "/open311/", 9) != 0)
		return false;
	/* The spec names 400, 403 and 404; a broken rule of a request is a bad request there. */
	if (status == 422)
		status = 400;
	enum fmt f = path_fmt(req);
	struct buf b;
	buf_init(&b);
	if (f == FMT_XML) {
		buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?><errors><error>");
		buf_printf(&b, "<code>%d</code>", status);
		xml_element(&b, "description", detail);
		buf_puts(&b, "</error></errors>");
	} else {
		buf_printf(&b, "[{\"code\":%d,\"description\":", status);
		json_write_string(&b, detail);
		buf_puts(&b, "}]");
	}
	size_t len;
	char *body = buf_detach(&b, &len);
	http_respond(req, status,
	             f == FMT_XML ? "text/xml; charset=utf-8" : "application/json; charset=utf-8",
	             body, len);
	return true;
}

bool open311_want_fmt(struct http_req *req, enum fmt *f)
{
	if (!parse_fmt(http_param(req, "fmt"), f)) {
		api_problem(req, 404, "format must be .xml or .json");
		return false;
	}
	return true;
}

static void discovery(struct http_req *req, enum fmt f)
{
	struct buf b;
	buf_init(&b);
	const char *host = http_header(req, "Host");
	const char *url =
	    arena_printf(&req->arena, "http://%s/open311/v2/", host ? host : "localhost");
	if (f == FMT_JSON) {
		buf_puts(&b, "{\"changeset\":\"2026-11-23T00:00:00+08:00\",\"contact\":");
		json_write_string(&b, "区指挥中心 district command centre");
		buf_puts(&b, ",\"key_service\":");
		json_write_string(&b, "API keys are API tokens issued by the administrator");
		buf_puts(
		    &b,
		    ",\"endpoints\":[{\"specification\":\"http://wiki.open311.org/GeoReport_v2\""
		    ",\"url\":");
		json_write_string(&b, url);
		buf_puts(&b, ",\"changeset\":\"2026-11-23T00:00:00+08:00\",\"type\":\"production\","
		             "\"formats\":[\"text/xml\",\"application/json\"]}]}");
	} else {
		buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?><discovery>"
		             "<changeset>2026-11-23T00:00:00+08:00</changeset>");
		xml_element(&b, "contact", "区指挥中心 district command centre");
		xml_element(&b, "key_service",
		            "API keys are API tokens issued by the administrator");
		buf_puts(&b, "<endpoints><endpoint>"
		             "<specification>http://wiki.open311.org/GeoReport_v2</specification>");
		xml_element(&b, "url", url);
		buf_puts(&b,
		         "<changeset>2026-11-23T00:00:00+08:00</changeset><type>production</type>"
		         "<formats><format>text/xml</format><format>application/json</format>"
		         "</formats></endpoint></endpoints></discovery>");
	}
	open311_respond(req, 200, f, &b);
}

static void service_fields(struct buf *b, enum fmt f, const struct category_row *c)
{
	const char *group = c->default_tier == TIER_MAJOR     ? "大事"
	                    : c->default_tier == TIER_PRIVATE ? "私事"
	                                                      : "小事";
	if (f == FMT_JSON) {
		buf_puts(b, "{\"service_code\":");
		json_write_string(b, c->code);
		buf_puts(b, ",\"service_name\":");
		json_write_string(b, c->name);
		buf_puts(b, ",\"description\":");
		json_write_string(b,
		                  c->description && *c->description ? c->description : c->name_en);
		buf_puts(b, ",\"metadata\":false,\"type\":\"realtime\",\"keywords\":");
		json_write_string(b, c->name_en);
		buf_puts(b, ",\"group\":");
		json_write_string(b, group);
		buf_puts(b, "}");
	} else {
		buf_puts(b, "<service>");
		xml_element(b, "service_code", c->code);
		xml_element(b, "service_name", c->name);
		xml_element(b, "description",
		            c->description && *c->description ? c->description : c->name_en);
		buf_puts(b, "<metadata>false</metadata><type>realtime</type>");
		xml_element(b, "keywords", c->name_en);
		xml_element(b, "group", group);
		buf_puts(b, "</service>");
	}
}

static void services(struct http_req *req, enum fmt f)
{
	struct api_ctx *ctx = api_ctx(req);
	struct category_row *rows;
	size_t n;
	enum db_result r = store_categories_list(ctx->db, &req->arena, true, &rows, &n);
	if (!api_stored(req, r))
		return;
	struct buf b;
	buf_init(&b);
	buf_puts(&b, f == FMT_JSON ? "[" : "<?xml version=\"1.0\" encoding=\"utf-8\"?><services>");
	for (size_t i = 0; i < n; i++) {
		if (f == FMT_JSON && i)
			buf_puts(&b, ",");
		service_fields(&b, f, &rows[i]);
	}
	buf_puts(&b, f == FMT_JSON ? "]" : "</services>");
	open311_respond(req, 200, f, &b);
}

void open311_service_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	enum fmt f;
	if (!open311_want_fmt(req, &f))
		return;
	struct category_row c;
	enum db_result r = store_categories_get(ctx->db, &req->arena, http_param(req, "code"), &c);
	if (r != DB_ROW || !c.active) {
		if (r == DB_ROW || r == DB_DONE)
			api_problem(req, 404, "service_code not found");
		else
			api_store_error(req, r);
		return;
	}
	/* No service has extra attributes (metadata is false), so the definition is empty. */
	struct buf b;
	buf_init(&b);
	if (f == FMT_JSON) {
		buf_puts(&b, "{\"service_code\":");
		json_write_string(&b, c.code);
		buf_puts(&b, ",\"attributes\":[]}");
	} else {
		buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?><service_definition>");
		xml_element(&b, "service_code", c.code);
		buf_puts(&b, "<attributes/></service_definition>");
	}
	open311_respond(req, 200, f, &b);
}

/* Resolves the api_key (a form field on POST, a query parameter on GET) into the caller;
 * *keyed tells whether one was given. False after responding 403 to a key that is not valid. */
bool open311_read_key(struct http_req *req, const char *key, bool *keyed)
{
	struct api_ctx *ctx = api_ctx(req);
	*keyed = key && *key;
	if (!*keyed)
		return true;
	unsigned char hash[AUTH_HASH_LEN];
	api_hash_secret(key, hash);
	enum db_result r = store_tokens_lookup(ctx->db, hash, &ctx->who);
	if (r != DB_ROW) {
		memset(&ctx->who, 0, sizeof ctx->who);
		if (r == DB_DONE)
			api_problem(req, 403, "api_key is not valid");
		else
			api_store_error(req, r);
		return false;
	}
	ctx->authed = true;
	/* Reads with a key may show non-public cases in full: they are audited like any read of
	 * personal records through the API. */
	if (strcmp(req->method, "GET") == 0)
		ctx->audit_action = "open311.read";
	return true;
}

/* Whether anyone may read c without a key: a public category, and not a private matter. */
static bool public_case(struct http_req *req, const struct case_row *c)
{
	struct category_row cat;
	return c->tier != TIER_PRIVATE &&
	       store_categories_get(api_ctx(req)->db, &req->arena, c->category, &cat) == DB_ROW &&
	       cat.is_public;
}

enum view { VIEW_NONE, VIEW_PUBLIC, VIEW_FULL };

/* How the caller may read c: in full with a key whose grants reach it, the public face of a
 * public case, or not at all (404, as for an unknown id). */
static enum view view_of(struct http_req *req, bool keyed, const struct case_row *c)
{
	if (keyed && case_roles_for(api_ctx(req), c))
		return VIEW_FULL;
	return public_case(req, c) ? VIEW_PUBLIC : VIEW_NONE;
}

/* A coarse point for the public: the centre of the 0.003° cell (about 330 m × 290 m here)
 * that holds the point, so that a report cannot be traced to a door. */
static double coarse(double deg)
{
	const double cell = 0.003;
	return floor(deg / cell) * cell + cell / 2;
}

/* One service request, as GET requests shows it: never reporter data; the public view has a
 * coarse point, the community instead of the address, and the description only when the
 * reporter published it. */
static void request_fields(struct http_req *req, struct buf *b, enum fmt f,
                           const struct case_row *c, enum view view)
{
	struct api_ctx *ctx = api_ctx(req);
	struct category_row cat;
	const char *service_name =
	    store_categories_get(ctx->db, &req->arena, c->category, &cat) == DB_ROW ? cat.name
	                                                                            : c->category;
	char id[24], requested[TIME_RFC3339_LEN], updated[TIME_RFC3339_LEN],
	    expected[TIME_RFC3339_LEN], lat[32] = "", lon[32] = "";
	snprintf(id, sizeof id, "%lld", (long long)c->id);
	time_format(c->created_at, requested);
	time_format(c->updated_at, updated);
	time_format(c->handle_due, expected);
	bool full = view == VIEW_FULL;
	if (c->has_location) {
		snprintf(lat, sizeof lat, full ? "%.7f" : "%.4f", full ? c->lat : coarse(c->lat));
		snprintf(lon, sizeof lon, full ? "%.7f" : "%.4f", full ? c->lon : coarse(c->lon));
	}
	const char *address = c->address;
	if (!full) {
		struct region_row community;
		char code[16];
		snprintf(code, sizeof code, "%.12s", c->region_code);
		address = store_regions_get(ctx->db, &req->arena, code, &community) == DB_ROW
		              ? community.name
		              : NULL;
	}
	const char *description = full || c->publish_description ? c->description : NULL;
	const char *status = case_state_open(c->status) ? "open" : "closed";
	/* The reply written for the public, never the handler's internal result. */
	const char *notes = c->public_reply && *c->public_reply ? c->public_reply
	                    : c->status == CASE_REJECTED        ? "不予受理"
	                                                        : case_state_name_zh(c->status);
	const char *fields[][2] = {
	    {"service_request_id", id},
	    {"status", status},
	    {"status_notes", notes},
	    {"service_name", service_name},
	    {"service_code", c->category},
	    {"description", description},
	    {"agency_responsible", c->unit},
	    {"service_notice", c->number},
	    {"requested_datetime", requested},
	    {"updated_datetime", updated},
	    {"expected_datetime", expected},
	    {"address", address},
	    {"address_id", NULL},
	    {"zipcode", NULL},
	    {"lat", c->has_location ? lat : NULL},
	    {"long", c->has_location ? lon : NULL},
	    {"media_url", NULL},
	};
	size_t nf = sizeof fields / sizeof fields[0];
	if (f == FMT_JSON) {
		buf_puts(b, "{");
		for (size_t i = 0; i < nf; i++) {
			buf_printf(b, "%s\"%s\":", i ? "," : "", fields[i][0]);
			bool number = (strcmp(fields[i][0], "lat") == 0 ||
			               strcmp(fields[i][0], "long") == 0) &&
			              fields[i][1];
			if (number)
				buf_puts(b, fields[i][1]);
			else if (fields[i][1])
				json_write_string(b, fields[i][1]);
			else
				buf_puts(b, "null");
		}
		buf_puts(b, "}");
	} else {
		buf_puts(b, "<request>");
		for (size_t i = 0; i < nf; i++)
			xml_element(b, fields[i][0], fields[i][1]);
		buf_puts(b, "</request>");
	}
}

static void requests_out(struct http_req *req, enum fmt f, const struct case_row *rows,
                         const enum view *views, size_t n)
{
	struct buf b;
	buf_init(&b);
	buf_puts(&b, f == FMT_JSON
	                 ? "["
	                 : "<?xml version=\"1.0\" encoding=\"utf-8\"?><service_requests>");
	for (size_t i = 0; i < n; i++) {
		if (f == FMT_JSON && i)
			buf_puts(&b, ",");
		request_fields(req, &b, f, &rows[i], views[i]);
	}
	buf_puts(&b, f == FMT_JSON ? "]" : "</service_requests>");
	open311_respond(req, 200, f, &b);
}

/* The requests named by comma-separated ids: each looked up; unknown ones and those the
 * caller may not read are left out alike. */
static void requests_by_id(struct http_req *req, enum fmt f, const char *ids, bool keyed)
{
	struct api_ctx *ctx = api_ctx(req);
	struct case_row *rows = arena_alloc(&req->arena, sizeof(*rows) * 100);
	enum view *views = arena_alloc(&req->arena, sizeof(*views) * 100);
	size_t n = 0;
	const char *p = ids;
	while (*p && n < 100) {
		/* Digits only (at most 18): no sign, spaces or other suffixes read as a number. */
		size_t len = strspn(p, "0123456789");
		char *end = (char *)p + len;
		long long id = len && len <= 18 ? strtoll(p, NULL, 10) : 0;
		if (!len || len > 18 || (*end && *end != ',')) {
			api_problem(req, 400,
			            "service_request_id must be numbers separated by commas");
			return;
		}
		if (id > 0 && store_cases_get(ctx->db, &req->arena, id, &rows[n]) == DB_ROW &&
		    (views[n] = view_of(req, keyed, &rows[n])) != VIEW_NONE)
			n++;
		p = *end ? end + 1 : end;
	}
	requests_out(req, f, rows, views, n);
}

/* The window of start_date and end_date: 90 days up to now by default, 90 days from a lone
 * start or up to a lone end; false after responding. */
static bool read_window(struct http_req *req, int64_t *start, int64_t *end)
{
	int64_t now = time_now();
	*end = now + 1;
	*start = now - 90 * 86400;
	const char *s = http_query(req, "start_date"), *e = http_query(req, "end_date");
	if ((s && !time_parse(s, start)) || (e && !time_parse(e, end))) {
		api_problem(req, 400,
		            "start_date and end_date must be W3C datetimes with an offset");
		return false;
	}
	if (s && !e)
		*end = *start + 90 * 86400 < now + 1 ? *start + 90 * 86400 : now + 1;
	if (e && !s)
		*start = *end - 90 * 86400;
	if (*end <= *start) {
		api_problem(req, 400, "end_date must be after start_date");
		return false;
	}
	return true;
}

static void requests_list(struct http_req *req, enum fmt f)
{
	struct api_ctx *ctx = api_ctx(req);
	bool keyed;
	if (!open311_read_key(req, http_query(req, "api_key"), &keyed))
		return;
	const char *ids = http_query(req, "service_request_id");
	if (ids && *ids) {
		requests_by_id(req, f, ids, keyed);
		return;
	}
	int64_t start, end;
	if (!read_window(req, &start, &end))
		return;
	const char *status = http_query(req, "status");
	int want = -1; /* 1 open, 0 closed */
	if (status && *status) {
		if (strcmp(status, "open") == 0)
			want = 1;
		else if (strcmp(status, "closed") == 0)
			want = 0;
		else {
			api_problem(req, 400, "status must be open or closed");
			return;
		}
	}
	const char *code = http_query(req, "service_code");
	struct case_row *rows;
	size_t n;
	/* Without a key only public cases are read at all. */
	enum db_result r = store_cases_in_window(ctx->db, &req->arena, code && *code ? code : NULL,
	                                         start, end, !keyed, 1000, &rows, &n);
	if (!api_stored(req, r))
		return;
	enum view *views = arena_alloc(&req->arena, sizeof(*views) * (n ? n : 1));
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (want >= 0 && (int)case_state_open(rows[i].status) != want)
			continue;
		enum view v = view_of(req, keyed, &rows[i]);
		if (v == VIEW_NONE)
			continue;
		views[kept] = v;
		rows[kept++] = rows[i];
	}
	requests_out(req, f, rows, views, kept);
}

/* Set by open311_request_h before loading: whether an api_key was given. */
static bool request_visible(struct http_req *req, const void *obj)
{
	struct api_ctx *ctx = api_ctx(req);
	return view_of(req, ctx->authed, obj) != VIEW_NONE;
}

API_LOADER(request, "service request ", 0, request_visible, struct case_row, store_cases_get,
           region_code)

void open311_request_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	enum fmt f;
	if (!open311_want_fmt(req, &f))
		return;
	bool keyed;
	if (!open311_read_key(req, http_query(req, "api_key"), &keyed))
		return;
	ctx->authed = keyed;
	struct case_row c;
	if (!request_from_path(req, &c))
		return;
	enum view v = view_of(req, keyed, &c);
	requests_out(req, f, &c, &v, 1);
}

void open311_token_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	enum fmt f;
	if (!open311_want_fmt(req, &f))
		return;
	struct case_row c;
	const char *token = http_param(req, "token");
	if (strlen(token) != 12 ||
	    store_cases_by_tracking(ctx->db, &req->arena, token, &c) != DB_ROW) {
		api_problem(req, 404, "token not found");
		return;
	}
	struct buf b;
	buf_init(&b);
	if (f == FMT_JSON) {
		buf_printf(&b, "[{\"service_request_id\":\"%lld\",\"token\":", (long long)c.id);
		json_write_string(&b, c.tracking_code);
		buf_puts(&b, "}]");
	} else {
		buf_printf(&b,
		           "<?xml version=\"1.0\" encoding=\"utf-8\"?><service_requests><request>"
		           "<service_request_id>%lld</service_request_id>",
		           (long long)c.id);
		xml_element(&b, "token", c.tracking_code);
		buf_puts(&b, "</request></service_requests>");
	}
	open311_respond(req, 200, f, &b);
}

void open311_get_h(struct http_req *req)
{
	enum fmt f;
	if (!open311_want_fmt(req, &f))
		return;
	const char *res = http_param(req, "resource");
	if (strcmp(res, "discovery") == 0)
		discovery(req, f);
	else if (strcmp(res, "services") == 0)
		services(req, f);
	else if (strcmp(res, "requests") == 0)
		requests_list(req, f);
	else
		api_problem(req, 404, "unknown resource");
}
