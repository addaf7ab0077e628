/* A specific region beats any region (deeper beats shallower), a named
 * handling level beats any level, a named category beats any, and a named
 * tier beats any — in that order of weight. */
#include "domain/routing.h"

#include <string.h>

int routing_score(const struct routing_rule *r, const char *category, enum case_tier tier,
                  enum region_level level, const char *region_code)
{
	int score = 0;
	if (r->region_code && *r->region_code) {
		if (!region_covers(r->region_code, region_code))
			return -1;
		score += 1000 + (int)strlen(r->region_code) * 10;
	}
	if (r->level >= 0) {
		if (r->level != (int)level)
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
                   enum case_tier tier, enum region_level level, const char *region_code)
{
	long best = -1;
	int best_score = -1;
	for (size_t i = 0; i < n; i++) {
		int s = routing_score(&rules[i], category, tier, level, region_code);
		if (s > best_score) {
			best_score = s;
			best = (long)i;
		}
	}
	return best;
}
