/* SQL that differs between backends, named in one place. Every query in store/
 * is shared SQL — the dialect SQLite and PostgreSQL both accept — except the
 * pieces below, which the queries spell through these names.
 *
 * Each name expands to SQL_DIALECT(sqlite, pg): the SQLite text, followed by
 * the PostgreSQL text inside a comment SQLite skips. The PostgreSQL backend
 * (store/pg.c, store/pg_sql.c) drops the SQLite part and unwraps the other when
 * it prepares a statement, so one string literal serves both, and no query
 * holds an #ifdef or asks which backend runs it.
 *
 * Shared, so not named here: ON CONFLICT(col) DO UPDATE SET … = excluded.…
 * (upserts), RETURNING, row values "(a, b) > (?, ?)", WITH RECURSIVE, coalesce,
 * substr, length, CAST(… AS INTEGER), ||, LIMIT ?, SAVEPOINT.
 *
 * What shared SQL must keep to, for PostgreSQL prepares every statement with the
 * types of its parameters left to inference from their uses:
 *  - every parameter up to the highest is used (a bound one a query does without
 *    is named in a term that filters nothing, e.g. SQL_WALK_LO in store/stmt.h);
 *  - a parameter's first use gives its type: "(CAST(?3 AS TEXT) IS NULL OR x = ?3)",
 *    never "? IS NULL" or "SELECT ?" bare; an id compared with 0 first is cast to
 *    BIGINT ("CAST(?5 AS BIGINT) = 0 OR …"), or PostgreSQL reads it as a 32-bit integer;
 *  - an integer column is no truth value: "active = 1", never "WHERE active";
 *  - "x IN (SELECT id FROM cte)", never SQLite's "x IN cte";
 *  - every column beside an aggregate is grouped (or depends on a grouped primary
 *    key), in correlated subqueries too;
 *  - text compares and sorts bytewise (the prefix ranges "code >= ? AND code < ?;",
 *    SQL_CHAR_MAX): the PostgreSQL database must use the C collation.
 *
 * Per backend, but outside the queries:
 *  - parameters: queries write '?' and '?N'; the PostgreSQL backend rewrites
 *    them to '$N' once, when it prepares and caches the statement;
 *  - the id of a new row: sql_insert() reads last_insert_rowid() on SQLite; the
 *    PostgreSQL backend adds "RETURNING id" to an INSERT into a table with an
 *    identity column id and keeps what it returns;
 *  - truth values: SQLite returns 0/1 for a comparison or EXISTS used as a value;
 *    PostgreSQL returns a boolean, which its db_col_int reads as 0/1;
 *  - transactions and connection settings (BEGIN IMMEDIATE, PRAGMA …, advisory
 *    locks) live in the backends, switched by db_set() where a caller needs one;
 *  - the schema (store/migrate.c, store/migrations/) is per backend as a whole. */
#ifndef JICENG_STORE_DIALECT_H
#define JICENG_STORE_DIALECT_H

/* The SQLite text, then the PostgreSQL text for the PostgreSQL backend. Neither
 * may hold a comment; pg may not hold a closing brace followed by '*' '/'. */
#define SQL_DIALECT(sqlite, pg) "/*sqlite{*/" sqlite "/*}*/ /*pg{" pg "}*/"

/* Insert unless a unique key already holds the row:
 *   SQL_INSERT_IGNORE "t(a, b) VALUES (?, ?)" SQL_IGNORE_END
 * PostgreSQL: "INSERT INTO" … " ON CONFLICT DO NOTHING". */
#define SQL_INSERT_IGNORE SQL_DIALECT("INSERT OR IGNORE INTO", "INSERT INTO")
#define SQL_IGNORE_END    SQL_DIALECT("", " ON CONFLICT DO NOTHING")

/* 1-based position of needle in hay, 0 when absent (substring search).
 * PostgreSQL: strpos(hay, needle). */
#define SQL_INSTR(hay, needle)                                                                     \
	SQL_DIALECT("instr(" hay ", " needle ")", "strpos(" hay ", " needle ")")

/* The values of a group joined by sep. PostgreSQL: string_agg(x, sep). */
#define SQL_GROUP_CONCAT(x, sep)                                                                   \
	SQL_DIALECT("group_concat(" x ", " sep ")", "string_agg(" x ", " sep ")")

/* Today's date in China (UTC+8) as 'YYYY-MM-DD'.
 * PostgreSQL: to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'). */
#define SQL_TODAY_CST                                                                              \
	SQL_DIALECT("date('now', '+8 hours')",                                                     \
	            "to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')")

/* How many rows of a group satisfy cond (SQLite sums the 0/1 a comparison yields).
 * PostgreSQL: count(*) FILTER (WHERE cond). SQLite gives NULL for an empty group,
 * PostgreSQL 0: the row readers read NULL as 0. */
#define SQL_COUNT_IF(cond) SQL_DIALECT("sum(" cond ")", "count(*) FILTER (WHERE " cond ")")

/* The largest code point as a one-character string, to end a prefix range on text.
 * PostgreSQL: chr(1114111). */
#define SQL_CHAR_MAX SQL_DIALECT("char(1114111)", "chr(1114111)")

/* col in a form no index serves, to steer SQLite's planner to a better index.
 * PostgreSQL has no unary + on text and needs no hint: col. */
#define SQL_NO_INDEX(col) SQL_DIALECT("+" col, col)

#endif
