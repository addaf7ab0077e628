/* The storage interface: a backend-neutral statement API. SQL is written once
 * with '?' placeholders in the dialect both SQLite and PostgreSQL accept; a
 * backend prepares (and caches) statements, binds parameters and steps rows.
 * The SQLite backend is store/sqlite.c; a libpq backend implements the same
 * functions. One struct db is one connection and belongs to one thread. */
#ifndef JICENG_STORE_DB_H
#define JICENG_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

enum db_result {
	DB_OK = 0,
	DB_ROW,        /* db_step produced a row */
	DB_DONE,       /* db_step finished */
	DB_CONSTRAINT, /* a unique/foreign-key/check constraint refused the write */
	DB_BUSY,       /* the database stayed locked past the busy timeout */
	DB_ERROR,      /* anything else; the message is in db_errmsg() */
};

/* Which backend a connection talks to. Queries never ask (store/dialect.h names the
 * differences); the schema (store/migrate.c) and the few whole-database operations
 * (backup, bulk copy) do. */
enum db_kind {
	DB_SQLITE,
	DB_POSTGRES,
};

/* Whether target names a PostgreSQL database ("postgres://…" or "postgresql://…")
 * rather than a SQLite file. */
bool db_target_is_url(const char *target);

/* Connection settings that only one backend has; the other ignores them. */
enum db_setting {
	DB_SECURE_DELETE, /* SQLite: overwrite deleted content (PostgreSQL: vacuum's business) */
	DB_BULK_LOAD,     /* SQLite: no foreign-key checks, a big page cache (one-off imports) */
};

struct db_options {
	bool read_only;
	bool create; /* create the file when missing */
};

/* Opens path; on failure returns NULL and writes a one-line reason into err. */
struct db *db_open(const char *path, const struct db_options *opt, char *err, size_t errlen);
void db_close(struct db *db);
enum db_kind db_kind(const struct db *db);
/* Turns a backend-only setting on or off for this connection. */
enum db_result db_set(struct db *db, enum db_setting setting, bool on);
const char *db_errmsg(struct db *db);

/* A prepared statement from this connection's cache (keyed by the SQL text);
 * give it back with db_done(). NULL on a preparation error (a bug: logged). */
struct db_stmt *db_prepare(struct db *db, const char *sql);
void db_done(struct db_stmt *st);

/* What a value is: a column's in the current row, or the type of a NULL parameter. */
enum db_value_kind { DB_V_NULL, DB_V_INT, DB_V_REAL, DB_V_TEXT, DB_V_BLOB };

/* Parameters are numbered from 1, in the order of the '?' placeholders. */
void db_bind_int(struct db_stmt *st, int idx, int64_t v);
void db_bind_text(struct db_stmt *st, int idx, const char *s); /* NULL binds NULL */
void db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n);
void db_bind_null(struct db_stmt *st, int idx);
/* A NULL of a known type. SQLite has no use for it; PostgreSQL must know the type of a
 * parameter that the query only tests before it compares it, as in "? IS NULL OR col = ?". */
void db_bind_null_as(struct db_stmt *st, int idx, enum db_value_kind type);
void db_bind_double(struct db_stmt *st, int idx, double v);

enum db_result db_step(struct db_stmt *st);
bool db_col_null(struct db_stmt *st, int col);
int64_t db_col_int(struct db_stmt *st, int col);
double db_col_double(struct db_stmt *st, int col);
const char *db_col_text(struct db_stmt *st, int col); /* valid until the next step */
const void *db_col_blob(struct db_stmt *st, int col, size_t *n);

/* For the few generic readers (a whole-database copy): how many columns the
 * statement's rows have, each one's name, and what the current row's value is. */
int db_col_count(struct db_stmt *st);
const char *db_col_name(struct db_stmt *st, int col);
enum db_value_kind db_col_kind(struct db_stmt *st, int col);

/* Runs one statement with no parameters and no rows (DDL, pragmas). */
enum db_result db_exec(struct db *db, const char *sql);

/* Transactions: read (a consistent snapshot for several reads) and write
 * (takes the write lock up front, so no upgrade deadlocks). */
enum db_result db_begin_read(struct db *db);
enum db_result db_begin_write(struct db *db);
enum db_result db_commit(struct db *db);
void db_rollback(struct db *db);
bool db_in_transaction(struct db *db);

int64_t db_last_id(struct db *db);
int64_t db_changes(struct db *db);

#endif
