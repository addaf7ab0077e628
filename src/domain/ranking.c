/* Ranking schemes: the pure rules (see domain/ranking.h). */
#include "domain/ranking.h"

#include <math.h>
#include <string.h>

double ranking_round(double v)
{
	return round(v * 100) / 100;
}

double ranking_points(bool has_value, double value, double floor, double target, bool higher,
                      double weight)
{
	if (!has_value || !ranking_item_ok(higher, floor, target, weight))
		return 0;
	double share;
	if (higher)
		share = value >= target  ? 1
		        : value <= floor ? 0
		                         : (value - floor) / (target - floor);
	else
		share = value <= target  ? 1
		        : value >= floor ? 0
		                         : (floor - value) / (floor - target);
	return ranking_round(weight * share);
}

bool ranking_item_ok(bool higher, double floor, double target, double weight)
{
	if (!(weight > 0 && weight <= 1000) || !isfinite(floor) || !isfinite(target))
		return false;
	return higher ? floor < target : floor > target;
}

static long long key(double v)
{
	return llround(v * 100);
}

bool ranking_tied(double a, double b)
{
	return key(a) == key(b);
}

void ranking_rank(const double *totals, size_t n, int top, int *rank, int *list)
{
	for (size_t i = 0; i < n; i++) {
		int higher = 0, lower = 0;
		for (size_t j = 0; j < n; j++) {
			if (key(totals[j]) > key(totals[i]))
				higher++;
			else if (key(totals[j]) < key(totals[i]))
				lower++;
		}
		rank[i] = higher + 1;
		list[i] = top > 0 && higher < top ? 1 : top > 0 && lower < top ? -1 : 0;
	}
}

void ranking_order(const int *rank, size_t n, size_t *order)
{
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		while (j > 0 && rank[order[j - 1]] > rank[i]) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
}

double ranking_mean(const double *totals, const bool *has, size_t n, int *counted)
{
	double sum = 0;
	int c = 0;
	for (size_t i = 0; i < n; i++)
		if (has[i]) {
			sum += totals[i];
			c++;
		}
	*counted = c;
	return c ? ranking_round(sum / c) : 0;
}

int ranking_level_len(const char *level)
{
	if (level && strcmp(level, "community") == 0)
		return 12;
	if (level && strcmp(level, "street") == 0)
		return 9;
	return 0;
}
