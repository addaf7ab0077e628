/* The one statement idiom of store/: every query is a string literal (or a
 * literal from store/dialect.h), its parameters a typed list built with ARGS(),
 * and its rows read by a per-table row reader. The helpers prepare from the
 * connection's cache, bind, step and give the statement back, so no store file
 * calls db_bind_* or forgets a db_done. Internal to store/: api/ and cli/ call
 * the store functions, never these.
 *
 *	sql_run(db, "UPDATE users SET unit = ? WHERE id = ?", ARGS(ARG_TEXT(unit), ARG_INT(id)));
 *	sql_one(db, a, "SELECT " USER_COLS " FROM users WHERE id = ?", ARGS(ARG_INT(id)),
 *	        user_read, &row);
 *
 * A parameter's constructor says how a C value becomes SQL: ARG_INT and
 * ARG_TEXT bind as they are (ARG_TEXT(NULL) is NULL); ARG_OPT_TEXT binds NULL
 * for NULL or ""; ARG_ID binds NULL for an id ≤ 0 (no reference). The fields
 * are typed, so passing a pointer as an integer (or the reverse) does not
 * compile. */
#ifndef JICENG_STORE_STMT_H
#define JICENG_STORE_STMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/base/base.h"
#include "store/db.h"

enum sql_kind { SQL_NULL, SQL_INT, SQL_TEXT, SQL_REAL, SQL_BLOB };

struct sql_arg {
	enum sql_kind kind;
	enum sql_kind type; /* what the value is when it is not NULL: a NULL's type for a
	                     * backend that must know it (PostgreSQL, "? IS NULL OR …") */
	int64_t i;
	double d;
	const void *p; /* text or blob */
	size_t n;      /* blob length */
};

static inline struct sql_arg sql_arg_text(const char *s)
{
	return (struct sql_arg){.kind = s ? SQL_TEXT : SQL_NULL, .type = SQL_TEXT, .p = s};
}
static inline struct sql_arg sql_arg_opt_text(const char *s)
{
	return (struct sql_arg){.kind = s && *s ? SQL_TEXT : SQL_NULL, .type = SQL_TEXT, .p = s};
}
static inline struct sql_arg sql_arg_int(int64_t v)
{
	return (struct sql_arg){.kind = SQL_INT, .type = SQL_INT, .i = v};
}
static inline struct sql_arg sql_arg_id(int64_t v)
{
	return (struct sql_arg){.kind = v > 0 ? SQL_INT : SQL_NULL, .type = SQL_INT, .i = v};
}
static inline struct sql_arg sql_arg_nonzero(int64_t v)
{
	return (struct sql_arg){.kind = v != 0 ? SQL_INT : SQL_NULL, .type = SQL_INT, .i = v};
}
static inline struct sql_arg sql_arg_real(double v)
{
	return (struct sql_arg){.kind = SQL_REAL, .type = SQL_REAL, .d = v};
}
static inline struct sql_arg sql_arg_blob(const void *p, size_t n)
{
	return (struct sql_arg){.kind = SQL_BLOB, .type = SQL_BLOB, .p = p, .n = n};
}

#define ARG_INT(v)      sql_arg_int(v)
#define ARG_TEXT(s)     sql_arg_text(s)
#define ARG_OPT_TEXT(s) sql_arg_opt_text(s) /* NULL or "" → NULL */
#define ARG_ID(v)       sql_arg_id(v)       /* ≤ 0 → NULL */
#define ARG_NONZERO(v)  sql_arg_nonzero(v)  /* 0 → NULL */
#define ARG_BOOL(v)     sql_arg_int((v) ? 1 : 0)
#define ARG_REAL(v)     sql_arg_real(v)
#define ARG_BLOB(p, n)  sql_arg_blob((p), (n))
#define ARG_NULL        ((struct sql_arg){.kind = SQL_NULL})
/* Sealed personal data (core/seal.h): NULL when absent; a blind index when has. */
#define ARG_NULL_BLOB     ((struct sql_arg){.kind = SQL_NULL, .type = SQL_BLOB})
#define ARG_SEALED(s)     ((s).p && (s).n ? sql_arg_blob((s).p, (s).n) : ARG_NULL_BLOB)
#define ARG_INDEX(has, p) ((has) ? sql_arg_blob((p), SEAL_INDEX_LEN) : ARG_NULL_BLOB)

/* Expands to the two parameters (array, count) every helper takes after the SQL. */
#define ARGS(...)                                                                                  \
	(const struct sql_arg[]){__VA_ARGS__},                                                     \
	    sizeof((const struct sql_arg[]){__VA_ARGS__}) / sizeof(struct sql_arg)
#define NO_ARGS NULL, 0

/* A per-table row reader: copies the current row of st into *row (strings into a). */
typedef void (*sql_read_fn)(struct db_stmt *st, struct arena *a, void *row);

/* Binds args to ?first, ?first+1, … */
void sql_bind(struct db_stmt *st, int first, const struct sql_arg *args, size_t n);
/* Prepares sql and binds args from ?1: for the few loops that step rows themselves
 * (streaming, early stops); give the statement back with db_done. NULL on error. */
struct db_stmt *sql_open(struct db *db, const char *sql, const struct sql_arg *args, size_t n);

/* Runs a statement that returns no rows; DB_OK when done. */
enum db_result sql_run(struct db *db, const char *sql, const struct sql_arg *args, size_t n);
/* The same for an UPDATE or DELETE that must hit a row: DB_DONE when it matched none. */
enum db_result sql_change(struct db *db, const char *sql, const struct sql_arg *args, size_t n);
/* Runs an INSERT and gives the new row's id (how a backend learns it is its own
 * business: see store/dialect.h). */
enum db_result sql_insert(struct db *db, const char *sql, const struct sql_arg *args, size_t n,
                          int64_t *id);
/* Reads the first row into out: DB_ROW, DB_DONE (no row) or an error. */
enum db_result sql_one(struct db *db, struct arena *a, const char *sql, const struct sql_arg *args,
                       size_t n, sql_read_fn read, void *out);
/* Reads every row (up to limit; limit < 0: all) into a growing arena array; each row
 * is zeroed before read. DB_OK or an error. */
enum db_result sql_all(struct db *db, struct arena *a, const char *sql, const struct sql_arg *args,
                       size_t n, sql_read_fn read, size_t rowsize, int limit, void **rows,
                       size_t *nrows);
/* The first column of the first row as an integer (0 when there is no row or it is
 * NULL); DB_OK or an error. */
enum db_result sql_int(struct db *db, const char *sql, const struct sql_arg *args, size_t n,
                       int64_t *out);
/* Whether the statement returns a row; DB_OK or an error. */
enum db_result sql_exists(struct db *db, const char *sql, const struct sql_arg *args, size_t n,
                          bool *out);

/* Column readers for row readers. */
const char *sql_str(struct db_stmt *st, struct arena *a, int col);      /* NULL for SQL NULL */
struct sealed sql_sealed(struct db_stmt *st, struct arena *a, int col); /* {NULL, 0} for NULL */
/* Copies a blind index into out; false when NULL or not SEAL_INDEX_LEN long. */
bool sql_index(struct db_stmt *st, int col, unsigned char out[SEAL_INDEX_LEN]);

/* The end of the code-prefix range [prefix, end): prefix followed by a byte above '9'. */
const char *sql_prefix_end(struct arena *a, const char *prefix);

/* Newest first over several region scopes: sql takes ?1 lo, ?2 hi (a scope's range of
 * region codes), ?3 before (0: from the newest) and ?4 limit, and orders by id descending;
 * it runs once per scope and the pages are merged (a row reached from two scopes once), up
 * to limit rows. Each row's first member is its int64_t id. */
enum db_result sql_newest(struct db *db, struct arena *a, const char *sql, const struct scopes *sc,
                          int64_t before, int limit, sql_read_fn read, size_t rowsize, void **rows,
                          size_t *n);

/* The range condition of a walked table (columns region_code, id): the cursor is the
 * lower bound, the scope's end the upper (see sql_walk). */
/* ?1, the scope's start, in a term that filters nothing: the walk bounds rows by the cursor
 * alone (see sql_walk), but PostgreSQL infers a parameter's type from its uses and refuses
 * a statement that leaves one unused. */
#define SQL_WALK_LO    "CAST(?1 AS TEXT) IS NOT NULL"
#define SQL_WALK_RANGE " (region_code, id) > (?3, ?4) AND region_code < ?2 AND " SQL_WALK_LO " "

/* The region-scope walker. sql takes ?1 lo, ?2 hi, ?3 after code, ?4 after id, the
 * filters from ?5 on, and the limit last (?limit_idx). Walks the scopes in order from
 * after, up to limit rows. */
enum db_result sql_walk(struct db *db, struct arena *a, const char *sql, int limit_idx,
                        const struct scopes *sc, struct page_after after, int limit,
                        const struct sql_arg *filters, size_t nfilters, sql_read_fn read,
                        size_t rowsize, void **rows, size_t *n);

#endif
