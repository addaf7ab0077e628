/* Grants and data scope: a (role, region) grant reaches that region's whole
 * subtree and nothing else; admin reaches everything. */
#ifndef JICENG_DOMAIN_GRANT_H
#define JICENG_DOMAIN_GRANT_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/region.h"
#include "domain/role.h"

struct grant {
	enum role role;
	char region_code[REGION_CODE_MAX + 1];
};

/* The role set held by any grant, as ROLE_BIT()s. */
unsigned grant_roles(const struct grant *g, size_t n);
/* True when one of the grants whose role is in roles reaches code. */
bool grant_reaches(const struct grant *g, size_t n, unsigned roles, const char *code);
/* True when a grant with a role in roles reaches region code or any region under it —
 * used to decide whether the caller may see a node at all (e.g. an ancestor on the way down). */
bool grant_overlaps(const struct grant *g, size_t n, unsigned roles, const char *code);

#endif
