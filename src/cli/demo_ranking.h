/* Demo ranking data for jiceng demo: schemes, bonus and penalty items, a published month. */
#ifndef JICENG_CLI_DEMO_RANKING_H
#define JICENG_CLI_DEMO_RANKING_H

#include <stdint.h>

#include "store/db.h"

/* Adds the demo district's ranking schemes (one for communities, one for streets), a few
 * bonus and penalty items and last month's published rankings, once; the count of records
 * made (0 when there were schemes already), -1 on error. */
int demo_ranking(struct db *db, int64_t now);

#endif
