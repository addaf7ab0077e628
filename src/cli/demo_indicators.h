/* Demo evaluation data for jiceng demo: manual figures from outside systems. */
#ifndef JICENG_CLI_DEMO_INDICATORS_H
#define JICENG_CLI_DEMO_INDICATORS_H

#include <stdint.h>

#include "store/db.h"

/* Adds the last six months' figures of the police (criminal cases per community) and the fire
 * brigade (fire hazards found and rectified per street), entered by 幸福街道's staff and
 * approved by the district command centre, the current month's fire figures still pending
 * (inside the caller's transaction), unless the database has figures already. Returns how many
 * figures were made, or -1 on a store error. */
int demo_indicators(struct db *db, int64_t now);

#endif
