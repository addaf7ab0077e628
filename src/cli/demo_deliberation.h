/* Demo deliberation (协商议事) for jiceng demo. */
#ifndef JICENG_CLI_DEMO_DELIBERATION_H
#define JICENG_CLI_DEMO_DELIBERATION_H

#include <stdint.h>

#include "store/db.h"

/* Adds resident accounts linked to households of 阳光社区第一网格 (yishi1 and yishi2 of one
 * household, yishi3 and yishi4 of two others), six-step topics of 阳光社区 in every stage (one
 * deciding with an open ballot, the later ones with a closed ballot and its frozen result,
 * pledges, spending, tasks and ratings) and a village of 和平街道 running 四议两公开, inside the
 * caller's transaction, unless the database has topics already. Returns how many topics were
 * made, or -1 on a store error. */
int demo_deliberation(struct db *db, int64_t now);

#endif
