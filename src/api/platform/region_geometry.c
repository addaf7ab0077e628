/* The geometry of a region (GeoJSON Polygon or MultiPolygon): checking what a client sends
 * and reading back what is stored. */
#include "api/platform/platform.h"
#include "core/log.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The stored geometry as a JSON object, or NULL when what is stored is not one: written by
 * an older version, another tool or a hand at the database. Such a region is still shown,
 * with geometry null, instead of breaking the answer or vanishing from a list. */
json_t *region_geometry_stored(const struct region_row *r)
{
	if (!r->geometry)
		return NULL;
	json_t *g = json_loads(r->geometry, 0, NULL);
	if (!json_is_object(g)) {
		json_decref(g);
		log_warn("region %s: stored geometry is not a JSON object; shown as null", r->code);
		return NULL;
	}
	return g;
}

/* A linear ring: ≥ 4 positions [lon, lat] in range, the last equal to the first. */
static bool ring_valid(json_t *ring)
{
	size_t n = json_array_size(ring);
	if (!json_is_array(ring) || n < 4 || n > 100000)
		return false;
	for (size_t i = 0; i < n; i++) {
		json_t *pt = json_array_get(ring, i);
		json_t *x = json_array_get(pt, 0), *y = json_array_get(pt, 1);
		if (!json_is_array(pt) || json_array_size(pt) < 2 || json_array_size(pt) > 3 ||
		    !json_is_number(x) || !json_is_number(y) || fabs(json_number_value(x)) > 180 ||
		    fabs(json_number_value(y)) > 90)
			return false;
	}
	json_t *first = json_array_get(ring, 0), *last = json_array_get(ring, n - 1);
	return json_number_value(json_array_get(first, 0)) ==
	           json_number_value(json_array_get(last, 0)) &&
	       json_number_value(json_array_get(first, 1)) ==
	           json_number_value(json_array_get(last, 1));
}

static bool polygon_valid(json_t *poly)
{
	size_t n = json_array_size(poly);
	if (!json_is_array(poly) || n < 1)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!ring_valid(json_array_get(poly, i)))
			return false;
	return true;
}

const char *region_geometry_field(struct api_input *in, json_t *obj, const char *field,
                                  struct arena *a, bool *present)
{
	json_t *g = json_object_get(obj, field);
	if (present)
		*present = g != NULL;
	if (!g || json_is_null(g))
		return NULL;
	const char *type = json_string_value(json_object_get(g, "type"));
	json_t *coords = json_object_get(g, "coordinates");
	if (!json_is_object(g) || !type || !json_is_array(coords) ||
	    (strcmp(type, "Polygon") != 0 && strcmp(type, "MultiPolygon") != 0)) {
		api_field_error(in, field, "geojson",
		                "边界须为 GeoJSON Polygon 或 MultiPolygon 几何对象");
		return NULL;
	}
	bool ok =
	    strcmp(type, "Polygon") == 0 ? polygon_valid(coords) : json_array_size(coords) > 0;
	for (size_t i = 0; ok && strcmp(type, "MultiPolygon") == 0 && i < json_array_size(coords);
	     i++)
		ok = polygon_valid(json_array_get(coords, i));
	if (!ok) {
		api_field_error(in, field, "geojson",
		                "边界坐标须为闭合的经纬度环（每环至少 4 个点，首尾相同）");
		return NULL;
	}
	char *s = json_to_string(g, NULL);
	const char *copy = arena_strdup(a, s);
	free(s);
	return copy;
}
