/* Ranking schemes (考核方案): the pure rules of a monthly ranking (月度评比) and an annual
 * assessment (年度考评) — the points of one indicator between its floor and its target (linear,
 * in the indicator's direction; no value, no points), the checks of a scheme's items, the rank
 * with ties (equal totals share a rank, the next rank skips: 1, 1, 3), the red and black lists
 * (红榜/黑榜: top and bottom N) and the mean of the monthly totals. No I/O; the api computes the
 * values (api/command/rankings.c) and calls these. */
#ifndef JICENG_DOMAIN_RANKING_H
#define JICENG_DOMAIN_RANKING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { RANKING_MAX_ITEMS = 20, RANKING_MAX_TOP = 50 };

/* The points of a value (has_value false: no value, 0 points) for an item of weight w whose
 * full points are reached at target and none at floor: for "higher is better" (floor <
 * target) value ≥ target → w, ≤ floor → 0, between them w × (value − floor) / (target − floor);
 * for "lower is better" (floor > target) the mirror. Rounded to 0.01. */
double ranking_points(bool has_value, double value, double floor, double target, bool higher,
                      double weight);
/* Whether floor and target fit the direction (higher: floor < target; lower: floor > target)
 * and the weight is in (0, 1000]. */
bool ranking_item_ok(bool higher, double floor, double target, double weight);
/* Rounds to 0.01 (totals are compared at that precision: two totals that print alike tie). */
double ranking_round(double v);

/* The place of each of totals[0..n): rank[i] = 1 + how many totals are higher (competition
 * ranking: ties share a rank, the next one skips); list[i] = 1 for the red list (rank ≤ top),
 * -1 for the black list (fewer than top totals lower, and not on the red list), 0 otherwise. */
void ranking_rank(const double *totals, size_t n, int top, int *rank, int *list);
/* Whether two totals tie (equal at 0.01). */
bool ranking_tied(double a, double b);
/* An order of the indices 0..n-1 by rank, then by index (so codes in code order stay so). */
void ranking_order(const int *rank, size_t n, size_t *order);

/* The mean of the monthly totals that have data (has[i]); *counted how many did. 0 when none. */
double ranking_mean(const double *totals, const bool *has, size_t n, int *counted);

/* A scheme's level: "community" or "street", and the length of its regions' codes (12, 9);
 * 0 when level is neither. */
int ranking_level_len(const char *level);

#endif
