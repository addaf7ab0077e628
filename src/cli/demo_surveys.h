/* Demo callbacks (回访抽查) and a satisfaction survey (满意度测评) for jiceng demo. */
#ifndef JICENG_CLI_DEMO_SURVEYS_H
#define JICENG_CLI_DEMO_SURVEYS_H

#include <stdint.h>

#include "store/db.h"

/* Draws a callback sample of last month's closed cases in 阳光社区 (seed 20261201) with its
 * outcomes recorded — a few contradicted, flagged on their cases — and a survey of 阳光社区's
 * households (5 per grid, seed 2026) with most of them answered, inside the caller's
 * transaction, unless the database has a sample already. Returns how many items and responses
 * were made, or -1 on a store error. */
int demo_surveys(struct db *db, int64_t now);

#endif
