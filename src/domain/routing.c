/* A specific region beats a region level, which beats any region; within
 * that, a named category beats any, and a named tier beats any. Deeper
 * regions beat shallower ones. */
#include "domain/routing.h"

#include <string.h>

int routing_score(const struct routing_rule *r, const char *category, enum case_tier tier,
		  const char *region_code)
{
	int score = 0;
	if (r->region_code && *r->region_code) {
		if (!region_covers(r->region_code, region_code))
			return -1;
		score += 1000 + (int)strlen(r->region_code) * 10;
	} else if (r->level >= 0) {
		/* A level rule matches when the case's region lies at or below that level. */
		enum region_level l = region_level_of(region_code);
		if (l == REGION_NONE || (int)l < r->level)
			return -1;
		score += 500;
	}
	if (r->category && *r->category) {
		if (!category || strcmp(r->category, category) != 0)
			return -1;
		score += 4;
	}
	if (r->tier >= 0) {
		if (r->tier != (int)tier)
			return -1;
		score += 2;
	}
	return score;
}

long routing_match(const struct routing_rule *rules, size_t n, const char *category,
		   enum case_tier tier, const char *region_code)
{
	long best = -1;
	int best_score = -1;
	for (size_t i = 0; i < n; i++) {
		int s = routing_score(&rules[i], category, tier, region_code);
		if (s > best_score) {
			best_score = s;
			best = (long)i;
		}
	}
	return best;
}
