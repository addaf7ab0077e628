/* The PostgreSQL backend's own types, shared by its two files: store/pg.c (the
 * connection, errors, commands and transactions) and store/pg_stmt.c (prepared
 * statements, parameters, rows). Internal to those two. */
#ifndef JICENG_STORE_PG_INTERNAL_H
#define JICENG_STORE_PG_INTERNAL_H

#include "store/backend.h"
#include "store/pg_sql.h"

#include <libpq-fe.h>

enum {
	PG_STMT_CACHE = 512,
	PG_MAX_PARAMS = PG_SQL_MAX_PARAMS,
	PG_OID_BOOL = 16,
	PG_OID_BYTEA = 17,
	PG_OID_TEXT = 25,
	PG_OID_INT8 = 20,
	PG_OID_INT2 = 21,
	PG_OID_INT4 = 23,
	PG_OID_FLOAT4 = 700,
	PG_OID_FLOAT8 = 701,
	PG_OID_NUMERIC = 1700,
};

/* The advisory lock every write transaction holds: the database's one writer. */
#define PG_WRITER_LOCK "7411001"

struct pg_db;

struct pg_stmt {
	struct db_stmt base;
	struct pg_db *db;
	const char *key; /* the caller's pointer: a fast first test, never trusted alone */
	char *sql;       /* the cache key: our copy of the text as written (NULL: uncached) */
	uint64_t hash;
	bool in_use;
	char *pgsql;     /* the text PostgreSQL gets */
	char name[16];   /* the server-side statement; "" for an uncached one */
	bool prepared;   /* on this connection (reset when it reconnects) */
	bool returns_id; /* "RETURNING id" was added: the row gives db_last_id */
	int nparams;
	char **vals; /* bound values (owned), NULL for NULL */
	int *lens;
	int *fmts;
	unsigned *hints; /* the type of each bound value (0: unknown), for a parameter
	                  * PostgreSQL cannot type from the query alone */
	bool *typed;     /* which parameters are given their bound value's type */
	PGresult *res;
	int row, nrows;
	bool executed;
	unsigned char **blobs; /* each column's decoded bytea in the current row, kept until the
	                        * next step as SQLite keeps its column pointers */
	int nblobs;
};

struct pg_db {
	struct db base;
	PGconn *c;
	char *url;
	int64_t changes;
	int64_t last_id;
	unsigned next_name;
	struct pg_stmt *cache[PG_STMT_CACHE];
	size_t ncache;
	char err[512];
};

extern const struct db_ops pg_ops;

/* pg.c */
enum db_result pg_fail(struct pg_db *db, PGresult *r, const char *what);
bool pg_reconnect(struct pg_db *db);

/* pg_stmt.c */
void pg_stmt_free(struct pg_stmt *st);
struct db_stmt *pg_prepare(struct db *dbase, const char *sql);
void pg_done(struct db_stmt *stbase);
void pg_bind_int(struct db_stmt *stbase, int idx, int64_t v);
void pg_bind_double(struct db_stmt *stbase, int idx, double v);
void pg_bind_text(struct db_stmt *stbase, int idx, const char *s);
void pg_bind_blob(struct db_stmt *stbase, int idx, const void *p, size_t n);
void pg_bind_null(struct db_stmt *stbase, int idx);
void pg_bind_null_as(struct db_stmt *stbase, int idx, enum db_value_kind type);
enum db_result pg_step(struct db_stmt *stbase);
bool pg_col_null(struct db_stmt *stbase, int col);
int64_t pg_col_int(struct db_stmt *stbase, int col);
double pg_col_double(struct db_stmt *stbase, int col);
const char *pg_col_text(struct db_stmt *stbase, int col);
const void *pg_col_blob(struct db_stmt *stbase, int col, size_t *n);
int pg_col_count(struct db_stmt *stbase);
const char *pg_col_name(struct db_stmt *stbase, int col);
enum db_value_kind pg_col_kind(struct db_stmt *stbase, int col);

#endif
