/* Ray casting: count edge crossings of a ray from the point to +x. */
#include "domain/geo.h"

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
