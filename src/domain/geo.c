/* Ray casting: count edge crossings of a ray from the point to +x. */
#include "domain/geo.h"

#include <math.h>

bool geo_point_in_ring(const double *xy, size_t n, double x, double y)
{
	bool inside = false;
	if (n < 3)
		return false;
	for (size_t i = 0, j = n - 1; i < n; j = i++) {
		double xi = xy[2 * i], yi = xy[2 * i + 1], xj = xy[2 * j], yj = xy[2 * j + 1];
		if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
			inside = !inside;
	}
	return inside;
}

double geo_distance_m(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371008.8, rad = 3.14159265358979323846 / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double h = sin(dlat / 2) * sin(dlat / 2) +
	           cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * r * asin(sqrt(h < 1 ? h : 1));
}
