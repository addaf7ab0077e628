/* A whole database copied table by table between backends (SQLite ↔ PostgreSQL),
 * and the per-table row counts and checksums that show a copy is exact. Used by
 * `jiceng migrate-data` and by `jiceng backup` of a PostgreSQL database. */
#ifndef JICENG_STORE_COPY_H
#define JICENG_STORE_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

enum { STORE_COPY_MAX_TABLES = 128 };

struct store_table_sum {
	char name[64];
	int64_t rows;
	uint64_t sum; /* order-independent: the sum of a hash of each row's values */
};

struct store_copy_report {
	struct store_table_sum tables[STORE_COPY_MAX_TABLES];
	size_t n;
};

/* Called after each table (and every chunk of a big one) with the rows copied so far. */
typedef void (*store_copy_progress_fn)(void *arg, const char *table, int64_t rows, bool done);

/* The application's tables in the order they were created (parents before children),
 * read from the SQLite side's catalogue: from or to must be SQLite. */
bool store_copy_tables(struct db *sqlite_side, struct store_copy_report *out, char *err,
                       size_t errlen);

/* Copies every row of the tables in plan from one database to the other, whose schema
 * must be at the same version (both opened through the migrations) and which must hold
 * no user, region or audit entry. The source is read in one snapshot, and source_sums
 * gets its counts and checksums from that same snapshot. false with a reason in err. */
bool store_copy(struct db *from, struct db *to, const struct store_copy_report *plan,
                store_copy_progress_fn progress, void *arg, struct store_copy_report *source_sums,
                char *err, size_t errlen);

/* Counts and checksums each table of plan in db into out (same tables, same order). */
bool store_copy_sums(struct db *db, const struct store_copy_report *plan,
                     struct store_copy_report *out, char *err, size_t errlen);

#endif
