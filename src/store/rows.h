/* Row helpers shared by the store files (not part of the storage interface). */
#ifndef JICENG_STORE_ROWS_H
#define JICENG_STORE_ROWS_H

#include "store/base/base.h"

typedef void (*bind_fn)(struct db_stmt *st, const void *arg);
typedef void (*read_fn)(struct db_stmt *st, struct arena *a, void *row);

const char *rows_str(struct db_stmt *st, struct arena *a, int col); /* NULL for SQL NULL */
void rows_bind_text(struct db_stmt *st, int idx, const char *s);    /* NULL or "" → NULL */
void rows_bind_id(struct db_stmt *st, int idx, int64_t v);          /* ≤ 0 → NULL */
/* Steps a statement that returns no rows and gives it back; DB_OK when done. */
enum db_result rows_finish(struct db_stmt *st);
/* Steps one row into out through read; returns DB_ROW, DB_DONE or an error. */
enum db_result rows_one(struct db_stmt *st, struct arena *a, read_fn read, void *out);
/* Steps every row into a growing arena array. */
enum db_result rows_collect(struct db_stmt *st, struct arena *a, read_fn read, size_t rowsize,
                            void **rows, size_t *n);
/* The same, stopping after limit rows (limit < 0: all); each row is zeroed before read. */
enum db_result rows_collect_max(struct db_stmt *st, struct arena *a, read_fn read, size_t rowsize,
                                int limit, void **rows, size_t *n);
/* The end of the code-prefix range [prefix, end): prefix followed by a byte above '9'. */
const char *rows_prefix_end(struct arena *a, const char *prefix);
/* sql takes ?1 lo, ?2 hi, ?3 after code, ?4 after id, filters from ?5 on (bound by bind),
 * and the limit at ?limit_idx. Walks the scopes in order from after, up to limit rows. */
enum db_result rows_walk(struct db *db, struct arena *a, const char *sql, int limit_idx,
                         const struct scopes *sc, struct page_after after, int limit, bind_fn bind,
                         const void *barg, read_fn read, size_t rowsize, void **rows, size_t *n);

#endif
