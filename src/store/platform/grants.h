/* Reading grant rows, shared by the user and token stores (internal to store/platform/). */
#ifndef JICENG_STORE_GRANTS_H
#define JICENG_STORE_GRANTS_H

#include <stddef.h>
#include <stdint.h>

#include "store/platform/users.h"

/* Runs sql (one parameter: the owner's id; columns role, region_code) and reads the
 * grants into g[0..USER_MAX_GRANTS), skipping unknown roles. DB_OK or an error. */
enum db_result store_grants_read(struct db *db, const char *sql, int64_t owner, struct grant *g,
                                 size_t *n);

#endif
