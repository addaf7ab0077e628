/* How the PostgreSQL backend turns a query written for both backends into
 * PostgreSQL's text. Internal to store/; pure (no I/O). */
#ifndef JICENG_STORE_PG_SQL_H
#define JICENG_STORE_PG_SQL_H

#include <stdbool.h>
#include <stddef.h>

/* Drops each SQLite part of a dialect pair and puts the PostgreSQL part in its
 * place (SQL_DIALECT in store/dialect.h). NULL when the markers do not pair up. */
char *pg_sql_dialect(const char *sql);

/* '?' → '$k' (one more than the highest so far, as SQLite numbers them) and '?N' →
 * '$N', outside string literals, quoted names and comments; *nparams gets the
 * highest number. */
char *pg_sql_params(const char *sql, int *nparams);

enum { PG_SQL_MAX_PARAMS = 100 };

/* The same, and for each parameter N (up to PG_SQL_MAX_PARAMS), first_null_test[N - 1]
 * (zeroed by the caller) becomes 1 when its first appearance is "IS [NOT] NULL" — where
 * PostgreSQL cannot infer its type ("$1 IS NULL OR col = $1") — and 2 otherwise. */
char *pg_sql_params_typed(const char *sql, int *nparams, unsigned char *first_null_test);

/* Whether sql is "INSERT INTO name…"; name gets the table (at most n - 1 bytes). */
bool pg_sql_insert_table(const char *sql, char *name, size_t n);

/* Whether sql has word standing alone (case-sensitive: queries write keywords in
 * upper case). */
bool pg_sql_has_word(const char *sql, const char *word);

#endif
