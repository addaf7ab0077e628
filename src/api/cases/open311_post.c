/* POST /open311/v2/requests.{fmt}: a service request becomes a case, reported through
 * case_report_create as from the source "open311", with an API token as api_key of a role that
 * takes in reports. */
#include "api/api.h"
#include "api/cases/cases.h"
#include "api/cases/open311.h"
#include "core/json.h"
#include "core/text.h"
#include "core/xml.h"
#include "domain/geo.h"
#include "domain/idnum.h"
#include "store/platform/regions.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Roles whose API tokens may submit service requests: the staff who take in reports from
 * outside channels (hotline systems, city apps). Building leaders, departments, cadres and
 * residents report through /api/v1/cases under their own names. */
#define SUBMIT_ROLES                                                                               \
	(ROLES_MANAGERS | ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_GRID_LEADER) |                 \
	 ROLE_BIT(ROLE_GRID_WORKER))

/* The grid whose boundary contains (lat, lon), among the grids the token reaches. */
static const char *grid_at(struct http_req *req, double lat, double lon)
{
	struct api_ctx *ctx = api_ctx(req);
	for (size_t g = 0; g < ctx->who.ngrants; g++) {
		const char *prefix =
		    ctx->who.grants[g].role == ROLE_ADMIN ? "" : ctx->who.grants[g].region_code;
		struct region_row *rows;
		size_t n;
		if (store_regions_grids_with_geometry(ctx->db, &req->arena, prefix, 5000, &rows,
		                                      &n) != DB_OK)
			return NULL;
		for (size_t i = 0; i < n; i++) {
			json_t *geo = json_loads(rows[i].geometry, 0, NULL);
			json_t *coords = json_object_get(geo, "coordinates");
			const char *type = json_string_value(json_object_get(geo, "type"));
			bool multi = type && strcmp(type, "MultiPolygon") == 0;
			bool hit = false;
			size_t np = multi ? json_array_size(coords) : 1;
			for (size_t k = 0; k < np && !hit; k++) {
				json_t *poly = multi ? json_array_get(coords, k) : coords;
				json_t *ring = json_array_get(poly, 0); /* the outer ring */
				size_t m = json_array_size(ring);
				double *xy =
				    arena_alloc(&req->arena, sizeof(double) * 2 * (m ? m : 1));
				for (size_t p = 0; p < m; p++) {
					json_t *pt = json_array_get(ring, p);
					xy[2 * p] = json_number_value(json_array_get(pt, 0));
					xy[2 * p + 1] = json_number_value(json_array_get(pt, 1));
				}
				hit = geo_point_in_ring(xy, m, lon, lat);
			}
			json_decref(geo);
			if (hit)
				return rows[i].code;
		}
	}
	return NULL;
}

/* Only requests are posted, with an api_key of a role that takes in reports; false after
 * responding. */
static bool check_submitter(struct http_req *req)
{
	if (strcmp(http_param(req, "resource"), "requests") != 0) {
		api_problem(req, 404, "only requests can be posted");
		return false;
	}
	bool keyed;
	if (!open311_read_key(req, http_form(req, "api_key"), &keyed))
		return false;
	if (!keyed) {
		api_problem(req, 403, "api_key is required");
		return false;
	}
	if (!(api_roles(api_ctx(req)) & SUBMIT_ROLES)) {
		api_problem(req, 403, "this api_key may not submit service requests");
		return false;
	}
	return true;
}

/* lat and long as decimal degrees into rep, or none when either is blank; false after
 * responding. */
static bool read_point(struct http_req *req, const char *lat, const char *lon,
                       struct case_report *rep)
{
	if (!(lat && lon && *lat && *lon))
		return true;
	char *e1, *e2;
	rep->lat = strtod(lat, &e1);
	rep->lon = strtod(lon, &e2);
	if (*e1 || *e2 || isnan(rep->lat) || isnan(rep->lon) || fabs(rep->lat) > 90 ||
	    fabs(rep->lon) > 180) {
		api_problem(req, 400, "lat and long must be decimal degrees");
		return false;
	}
	rep->has_location = true;
	return true;
}

/* Reads the form of a service request into rep; false after responding 400. */
static bool read_request_form(struct http_req *req, struct case_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->category = http_form(req, "service_code");
	rep->description = http_form(req, "description");
	rep->address = http_form(req, "address_string");
	const char *lat = http_form(req, "lat"), *lon = http_form(req, "long");
	const char *first = http_form(req, "first_name"), *last = http_form(req, "last_name");
	rep->reporter_phone = http_form(req, "phone");
	const char *problem = NULL;
	if (!rep->category || !*rep->category)
		problem = "service_code is required";
	else if (!rep->description || !*rep->description)
		problem = "description is required";
	const char *fields[] = {rep->category, rep->description,   rep->address, lat, lon, first,
	                        last,          rep->reporter_phone};
	for (size_t i = 0; !problem && i < sizeof fields / sizeof fields[0]; i++)
		if (fields[i] && (!text_valid_utf8(fields[i]) || text_chars(fields[i]) > 2000))
			problem = "a parameter is not valid UTF-8 or is too long";
	if (problem) {
		api_problem(req, 400, problem);
		return false;
	}
	if (!read_point(req, lat, lon, rep))
		return false;
	if (!rep->has_location && (!rep->address || !*rep->address))
		problem = "a location is required: lat and long, or address_string";
	else if (rep->reporter_phone && *rep->reporter_phone && phone_problem(rep->reporter_phone))
		problem = "phone is not a valid phone number";
	/* An extension to the spec's fields: the reporter lets the public read the description. */
	const char *publish = http_form(req, "publish_description");
	if (!problem && publish && *publish) {
		if (strcmp(publish, "true") != 0 && strcmp(publish, "false") != 0)
			problem = "publish_description must be true or false";
		rep->publish_description = publish[0] == 't';
	}
	if (problem) {
		api_problem(req, 400, problem);
		return false;
	}
	if (first || last)
		rep->reporter_name =
		    arena_printf(&req->arena, "%s%s", last ? last : "", first ? first : "");
	return true;
}

/* The created request in the spec's shape: its id and, as the notice, the case number. */
static void respond_created(struct http_req *req, enum fmt f, const struct case_row *c)
{
	struct buf b;
	buf_init(&b);
	if (f == FMT_JSON) {
		buf_printf(
		    &b, "[{\"service_request_id\":\"%lld\",\"service_notice\":", (long long)c->id);
		json_write_string(&b, c->number);
		buf_puts(&b, ",\"account_id\":null}]");
	} else {
		buf_printf(&b,
		           "<?xml version=\"1.0\" encoding=\"utf-8\"?><service_requests><request>"
		           "<service_request_id>%lld</service_request_id>",
		           (long long)c->id);
		xml_element(&b, "service_notice", c->number);
		buf_puts(&b, "<account_id/></request></service_requests>");
	}
	open311_respond(req, 201, f, &b);
}

void open311_post_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	enum fmt f;
	struct case_report rep;
	if (!open311_want_fmt(req, &f) || !check_submitter(req) || !read_request_form(req, &rep))
		return;
	/* The grid: by the point, else the token's only grid grant. */
	rep.region_code = rep.has_location ? grid_at(req, rep.lat, rep.lon) : NULL;
	if (!rep.region_code && ctx->who.ngrants == 1 &&
	    region_level_of(ctx->who.grants[0].region_code) == REGION_GRID)
		rep.region_code = ctx->who.grants[0].region_code;
	if (!rep.region_code) {
		api_problem(req, 400, "the location is outside every grid this api_key serves");
		return;
	}
	rep.source = "open311";
	rep.anonymous = !rep.reporter_name && !rep.reporter_phone;
	rep.actor = arena_printf(&req->arena, "token:%s", ctx->who.name);
	rep.actor_role = "open311";
	struct case_row c;
	if (case_report_create(req, &rep, &c))
		respond_created(req, f, &c);
}
