/* Demo command-platform data for jiceng demo: a campaign and a joint meeting. */
#ifndef JICENG_CLI_DEMO_COMMAND_H
#define JICENG_CLI_DEMO_COMMAND_H

#include <stdint.h>

#include "store/db.h"

/* Adds a district-wide campaign (专项整治) with items on its three lists in every community,
 * in every state and with a different share ticked off (销号) per community so the campaign
 * map has something to show, and a joint meeting of 幸福街道 whose first decision became one
 * of the items (inside the caller's transaction) unless the database has a campaign already.
 * Returns how many items were made, or -1 on a store error. */
int demo_command(struct db *db, int64_t now);

#endif
