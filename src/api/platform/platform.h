/* Helpers the platform handlers share (api/platform/). */
#ifndef JICENG_API_PLATFORM_H
#define JICENG_API_PLATFORM_H

#include "api/api.h"
#include "core/json.h"
#include "store/platform/regions.h"

/* The stored geometry as a JSON object (the caller owns it), or NULL when none is stored or
 * what is stored is not an object (region_geometry.c). */
json_t *region_geometry_stored(const struct region_row *r);
/* A GeoJSON Polygon or MultiPolygon (geometry only) in field of obj, checked (422 recorded in
 * in otherwise) and re-serialised compactly into a; NULL when absent, null or wrong.
 * present (optional) tells whether the key was there at all. */
const char *region_geometry_field(struct api_input *in, json_t *obj, const char *field,
                                  struct arena *a, bool *present);

#endif
