/* The rules of recurring problems: what a place is, when two cases share one, and when
 * enough of them fall into one window. */
#include "domain/recurring.h"
#include "domain/geo.h"

bool recur_rule_normalise(struct recur_rule *r)
{
	if (r->min_cases == 0)
		r->min_cases = RECUR_DEFAULT_CASES;
	if (r->weeks == 0)
		r->weeks = RECUR_DEFAULT_WEEKS;
	return r->min_cases >= 2 && r->min_cases <= 100 && r->weeks >= 1 && r->weeks <= 52;
}

int64_t recur_window(const struct recur_rule *r)
{
	return (int64_t)r->weeks * 7 * 86400;
}

bool recur_has_place(const struct recur_place *p)
{
	return p->building_id > 0 || p->has_point;
}

bool recur_same_place(const struct recur_place *a, const struct recur_place *b)
{
	if (a->building_id > 0 && a->building_id == b->building_id)
		return true;
	return a->has_point && b->has_point &&
	       geo_distance_m(a->lat, a->lon, b->lat, b->lon) <= RECUR_RADIUS_M;
}

bool recur_joins(const struct recur_rule *r, int64_t first, int64_t last, int64_t t)
{
	int64_t w = recur_window(r);
	return t >= first - w && t <= last + w;
}

size_t recur_group(const struct recur_rule *r, const struct recur_case *c,
                   const struct recur_case *cands, size_t n, bool *member, long *anchor)
{
	int64_t w = recur_window(r);
	for (size_t i = 0; i < n; i++)
		member[i] = false;
	*anchor = -1;
	if (!recur_has_place(&c->place))
		return 0;
	/* The best window [s, s + w] holding c: its start is c's time or a candidate's, so
	 * trying each of them finds it (n is bounded by RECUR_MAX_CANDIDATES). */
	int64_t best_start = c->at;
	size_t best = 0;
	for (size_t k = 0; k <= n; k++) {
		int64_t s = k < n ? cands[k].at : c->at;
		if (s > c->at || c->at - s > w)
			continue;
		if (k < n && !recur_same_place(&c->place, &cands[k].place))
			continue;
		size_t count = 0;
		for (size_t i = 0; i < n; i++)
			if (cands[i].at >= s && cands[i].at <= s + w &&
			    recur_same_place(&c->place, &cands[i].place))
				count++;
		if (count > best || (count == best && s < best_start)) {
			best = count;
			best_start = s;
		}
	}
	if (best + 1 < (size_t)r->min_cases)
		return 0;
	int64_t first = c->at;
	for (size_t i = 0; i < n; i++) {
		member[i] = cands[i].at >= best_start && cands[i].at <= best_start + w &&
		            recur_same_place(&c->place, &cands[i].place);
		/* The earliest, the older id on a tie (c, being new, has the highest). */
		if (member[i] &&
		    (cands[i].at < first ||
		     (cands[i].at == first && (*anchor < 0 || cands[i].id < cands[*anchor].id)))) {
			first = cands[i].at;
			*anchor = (long)i;
		}
	}
	return best + 1;
}
