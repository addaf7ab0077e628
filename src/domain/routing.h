/* The responsibility list (权责清单): rules (category, tier, region level or a
 * specific region) → handling unit and accept/handle deadlines. The most
 * specific matching rule routes a case. A case is handled at a level (grid,
 * community, street, district) that rises when it is escalated. */
#ifndef JICENG_DOMAIN_ROUTING_H
#define JICENG_DOMAIN_ROUTING_H

#include <stddef.h>
#include <stdint.h>

#include "domain/case_flow.h"
#include "domain/region.h"

struct routing_rule {
	int64_t id;
	const char *category;    /* NULL: any category */
	int tier;                /* enum case_tier, or -1 for any */
	int level;               /* the case's handling level (enum region_level), or -1 for any */
	const char *region_code; /* NULL: any region; else the rule covers that subtree */
	const char *unit;        /* the handling unit, e.g. "城管执法" */
	int64_t accept_hours, handle_hours;
};

/* Index of the most specific rule matching the case, or -1. Ties go to the lower index. */
long routing_match(const struct routing_rule *rules, size_t n, const char *category,
                   enum case_tier tier, enum region_level level, const char *region_code);
/* Specificity score of one rule against a case, or -1 when it does not match. */
int routing_score(const struct routing_rule *r, const char *category, enum case_tier tier,
                  enum region_level level, const char *region_code);

#endif
