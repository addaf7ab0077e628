/* The demo's grid workers (网格员) at work, for the grid worker assessment (网格员考核): who
 * works a grid, and care targets with the visits its worker made; and a census survey of the
 * demo resident's grid that the residents answer on the phone. */
#ifndef JICENG_CLI_DEMO_WORKERS_H
#define JICENG_CLI_DEMO_WORKERS_H

#include <stdint.h>

#include "core/arena.h"
#include "store/db.h"

/* The demo grid worker of grid (the first user with a grid_worker grant on it; "wangge" for a
 * grid without one): its id (0 when unknown) and, in *username, its username. */
int64_t demo_grid_worker(struct db *db, struct arena *a, const char *grid, const char **username);
/* The id of the user username, 0 when there is none (a resident's name, "回访"). */
int64_t demo_user_id(struct db *db, const char *username);

/* Care targets (独居老人) in each grid of 阳光社区 that has a worker, with that worker's visits
 * over this month and the last; and a survey of every household of 阳光社区's first grid
 * (per_grid = all of them) open this month, unanswered, so the demo residents can answer it
 * on the phone. Unless made before. The number of visits made, or -1 on a store error. */
int demo_workers(struct db *db, int64_t now);

#endif
