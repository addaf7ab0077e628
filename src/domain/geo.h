/* Geometry over lon/lat pairs, enough to place a reported point in a grid and to tell how
 * far apart two reported points are. */
#ifndef JICENG_DOMAIN_GEO_H
#define JICENG_DOMAIN_GEO_H

#include <stdbool.h>
#include <stddef.h>

/* True when (x, y) lies inside the closed ring of n points xy[2*i], xy[2*i+1]
 * (even-odd rule; points on an edge may fall either way). */
bool geo_point_in_ring(const double *xy, size_t n, double x, double y);

/* The great-circle distance in metres between two points given in degrees (haversine on a
 * sphere of the mean Earth radius: within a few metres of the ellipsoid at district scale). */
double geo_distance_m(double lat1, double lon1, double lat2, double lon2);

#endif
