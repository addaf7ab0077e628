/* Region codes nest by prefix, so subtree membership is a prefix test. */
#include "domain/grant.h"

unsigned grant_roles(const struct grant *g, size_t n)
{
	unsigned r = 0;
	for (size_t i = 0; i < n; i++)
		r |= ROLE_BIT(g[i].role);
	return r;
}

bool grant_reaches(const struct grant *g, size_t n, unsigned roles, const char *code)
{
	for (size_t i = 0; i < n; i++) {
		if (!(roles & ROLE_BIT(g[i].role)))
			continue;
		if (g[i].role == ROLE_ADMIN || region_covers(g[i].region_code, code))
			return true;
	}
	return false;
}

bool grant_overlaps(const struct grant *g, size_t n, unsigned roles, const char *code)
{
	for (size_t i = 0; i < n; i++) {
		if (!(roles & ROLE_BIT(g[i].role)))
			continue;
		if (g[i].role == ROLE_ADMIN || region_covers(g[i].region_code, code) ||
		    region_covers(code, g[i].region_code))
			return true;
	}
	return false;
}
