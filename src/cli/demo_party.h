/* Demo party building and pairing data for jiceng demo. */
#ifndef JICENG_CLI_DEMO_PARTY_H
#define JICENG_CLI_DEMO_PARTY_H

#include <stdint.h>

#include "store/db.h"

/* Adds the demo district's party organisations, members, 党员中心户, pairings with
 * commitments and activities, cadres with reception days and the grid service teams
 * (inside the caller's transaction) unless the district has party organisations already;
 * also the pairing-unit sign-in gongjian. Returns how many organisations were made, or -1
 * on a store error. */
int demo_party(struct db *db, int64_t now);

#endif
