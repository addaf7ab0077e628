/* Lookups in the code tables of the domain's enums (codes.h). */
#include "domain/codes.h"

#include <string.h>

int codes_find(const char *const *codes, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(codes[i], s) == 0)
			return i;
	return -1;
}

const char *codes_at(const char *const *codes, int n, int i)
{
	return i >= 0 && i < n ? codes[i] : "";
}
