/* Demo cases for jiceng demo. */
#ifndef JICENG_CLI_DEMO_CASES_H
#define JICENG_CLI_DEMO_CASES_H

#include <stdint.h>

#include "store/db.h"

/* Adds count generated cases (inside the caller's transaction) unless the database has
 * cases already; returns how many were made, or -1 on a store error. */
int demo_cases(struct db *db, int count, int64_t now);

#endif
