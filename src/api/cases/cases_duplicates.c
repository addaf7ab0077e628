/* Likely duplicates of a case: GET /api/v1/cases/{id}/duplicates and the list a report
 * answers with. */
#include "api/api.h"
#include "api/cases/cases.h"
#include "core/json.h"

#include <math.h>
#include <string.h>

/* Great-circle distance in metres. */
static double distance_m(double lat1, double lon1, double lat2, double lon2)
{
	const double rad = 3.14159265358979323846 / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double h = sin(dlat / 2) * sin(dlat / 2) +
	           cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * 6371000.0 * asin(sqrt(h));
}

/* Likely duplicates of c: same category, still open, within 50 m or in the same grid. */
json_t *case_duplicates_json(struct api_ctx *ctx, struct arena *a, const struct case_row *c)
{
	json_t *arr = json_array();
	struct case_row *rows;
	size_t n;
	if (store_cases_open_nearby(ctx->db, a, c, &rows, &n) != DB_OK)
		return arr;
	for (size_t i = 0; i < n && json_array_size(arr) < 10; i++) {
		bool near = false;
		double d = -1;
		if (c->has_location && rows[i].has_location) {
			d = distance_m(c->lat, c->lon, rows[i].lat, rows[i].lon);
			near = d <= 50.0;
		}
		if (!near && strcmp(rows[i].region_code, c->region_code) != 0)
			continue;
		if (!case_roles_for(ctx, &rows[i]))
			continue;
		json_t *o = json_object();
		json_set_int(o, "id", rows[i].id);
		json_set_str(o, "number", rows[i].number);
		json_set_str(o, "status", case_state_code(rows[i].status));
		json_set_str(o, "description", rows[i].description);
		if (d >= 0)
			json_object_set_new(o, "distance_m", json_integer((json_int_t)d));
		else
			json_object_set_new(o, "distance_m", json_null());
		json_array_append_new(arr, o);
	}
	return arr;
}

void cases_duplicates_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct case_row c;
	unsigned roles;
	if (!case_from_path(req, &c, &roles))
		return;
	api_json(req, 200, api_list(case_duplicates_json(ctx, &req->arena, &c), NULL));
}
