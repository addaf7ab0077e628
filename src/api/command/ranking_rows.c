/* The part of a ranking's answer that the community ranking (rankings.c) and the grid worker
 * assessment (worker_assessments.c) share: rows with their totals put in rank order, each with
 * its rank, the others it is tied with and its list (红榜 red, 黑榜 black). The ranking itself
 * (ranks, ties, lists) is domain/ranking.c's. */
#include "api/command/command.h"
#include "core/json.h"
#include "core/mem.h"
#include "domain/ranking.h"

void ranking_rows_json(struct arena *ar, json_t **rows, const double *totals, json_t **ids,
                       size_t n, int top, bool placed, json_t *o)
{
	size_t one = n ? n : 1;
	int *rank = arena_alloc(ar, sizeof(int) * one);
	int *list = arena_alloc(ar, sizeof(int) * one);
	size_t *order = arena_alloc(ar, sizeof(size_t) * one);
	ranking_rank(totals, n, top, rank, list);
	ranking_order(rank, n, order);
	json_t *items = json_array(), *red = json_array(), *black = json_array();
	for (size_t oi = 0; oi < n; oi++) {
		size_t i = order[oi];
		json_t *row = rows[i], *tie = json_array();
		if (!placed) { /* one's own row: no place among others */
			json_object_set_new(row, "rank", json_null());
			json_object_set_new(row, "list", json_null());
			json_object_set_new(row, "tie_with", tie);
			json_array_append_new(items, row);
			continue;
		}
		json_set_int(row, "rank", rank[i]);
		for (size_t j = 0; j < n; j++)
			if (j != i && ranking_tied(totals[j], totals[i]))
				json_array_append(tie, ids[j]);
		json_object_set_new(row, "tie_with", tie);
		json_object_set_new(row, "list",
		                    list[i] > 0   ? json_string("red")
		                    : list[i] < 0 ? json_string("black")
		                                  : json_null());
		if (list[i])
			json_array_append(list[i] > 0 ? red : black, ids[i]);
		json_array_append_new(items, row);
	}
	for (size_t i = 0; i < n; i++)
		json_decref(ids[i]);
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "red", red);
	json_object_set_new(o, "black", black);
}
