/* Demo base data (人、房、企, a sweep, rectification items) for jiceng demo. */
#ifndef JICENG_CLI_DEMO_BASE_H
#define JICENG_CLI_DEMO_BASE_H

#include <stdint.h>

#include "store/db.h"

/* Adds the demo district's buildings, houses, households, residents, organisations, a sweep
 * in progress and rectification items (inside the caller's transaction) unless residents
 * exist already or no key is loaded; returns the residents made, or -1 on a store error. */
int demo_base(struct db *db, int64_t now);

#endif
