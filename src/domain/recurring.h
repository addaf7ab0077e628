/* Recurring problems (反复发生问题): cases of one category at one place — the same building,
 * or within 50 m — reaching N within M weeks. The rules over plain values; the store keeps the
 * problems as cases arrive (store/command/recurring.c). */
#ifndef JICENG_DOMAIN_RECURRING_H
#define JICENG_DOMAIN_RECURRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RECUR_DEFAULT_CASES 3
#define RECUR_DEFAULT_WEEKS 8
#define RECUR_RADIUS_M      50.0
/* Candidates read per new case: the newest of its category in its community and window. */
#define RECUR_MAX_CANDIDATES 200

/* N cases within M weeks make a problem (serve settings recurring_cases, recurring_weeks). */
struct recur_rule {
	int min_cases; /* 2 … 100 */
	int weeks;     /* 1 … 52 */
};

/* Where a case happened: a building, a point, both or neither. */
struct recur_place {
	int64_t building_id; /* 0: none */
	bool has_point;
	double lat, lon;
};

struct recur_case {
	int64_t id, at; /* at: created, UTC seconds */
	struct recur_place place;
};

/* The rule with 0 members replaced by the defaults; false when out of range. */
bool recur_rule_normalise(struct recur_rule *r);
/* The window in seconds. */
int64_t recur_window(const struct recur_rule *r);
/* A case without a building and without a point has no place and never recurs. */
bool recur_has_place(const struct recur_place *p);
/* The same place: the same building, or points at most RECUR_RADIUS_M apart. */
bool recur_same_place(const struct recur_place *a, const struct recur_place *b);
/* Whether a case at t joins a problem whose cases span [first, last]: it lies within one
 * window of them (before the first or after the last), so a problem grows while the cases
 * keep coming and ends when a whole window passes without one. */
bool recur_joins(const struct recur_rule *r, int64_t first, int64_t last, int64_t t);
/* A new case c against the candidates (its category and community, in no problem yet, within
 * a window of it): marks in member[] the candidates at c's place that fall, with c, into one
 * window holding the most of them; returns the group's size counting c when it reaches
 * min_cases (else 0, and member[] all false). *anchor is the index of the group's earliest
 * case, -1 when that is c itself. */
size_t recur_group(const struct recur_rule *r, const struct recur_case *c,
                   const struct recur_case *cands, size_t n, bool *member, long *anchor);

#endif
