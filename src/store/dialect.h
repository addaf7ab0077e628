/* SQL that differs between backends, named in one place. Every query in store/
 * is shared SQL — the dialect SQLite and PostgreSQL both accept — except the
 * pieces below, which the queries spell through these names; a PostgreSQL
 * backend gives each its own text (the right-hand comments say which).
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
 *  - parameters: queries write '?' and '?N'; PostgreSQL wants '$N' (the backend
 *    rewrites the text once, when it prepares and caches it);
 *  - the id of a new row: sql_insert() reads last_insert_rowid() here; the
 *    PostgreSQL backend appends SQL_NEW_ID and reads the row it returns;
 *  - truth values: SQLite returns 0/1 for a comparison or EXISTS used as a value
 *    ("RETURNING locked_until = ?2", "EXISTS (…)" in store_party_members_roster);
 *    PostgreSQL returns a boolean, which its db_col_int must read as 0/1;
 *  - transactions and connection settings (BEGIN IMMEDIATE, PRAGMA …) live in
 *    the backend (store/sqlite.c), VACUUM INTO in cli/backup.c, and
 *    PRAGMA secure_delete around the sealing of birth dates in base/residents.c;
 *  - the schema (store/migrate.c) is per backend as a whole: triggers with
 *    RAISE(ABORT), json_each/json_valid/json_extract in CHECKs and triggers,
 *    WITHOUT ROWID tables, INTEGER PRIMARY KEY ids, PRAGMA user_version. */
#ifndef JICENG_STORE_DIALECT_H
#define JICENG_STORE_DIALECT_H

/* Insert unless a unique key already holds the row:
 *   SQL_INSERT_IGNORE "t(a, b) VALUES (?, ?)" SQL_IGNORE_END
 * PostgreSQL: "INSERT INTO" … " ON CONFLICT DO NOTHING". */
#define SQL_INSERT_IGNORE "INSERT OR IGNORE INTO"
#define SQL_IGNORE_END    ""

/* 1-based position of needle in hay, 0 when absent (substring search).
 * PostgreSQL: strpos(hay, needle). */
#define SQL_INSTR(hay, needle) "instr(" hay ", " needle ")"

/* The values of a group joined by sep. PostgreSQL: string_agg(x, sep). */
#define SQL_GROUP_CONCAT(x, sep) "group_concat(" x ", " sep ")"

/* Today's date in China (UTC+8) as 'YYYY-MM-DD'.
 * PostgreSQL: to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'). */
#define SQL_TODAY_CST "date('now', '+8 hours')"

/* How many rows of a group satisfy cond (SQLite sums the 0/1 a comparison yields).
 * PostgreSQL: count(*) FILTER (WHERE cond). SQLite gives NULL for an empty group,
 * PostgreSQL 0: the row readers read NULL as 0. */
#define SQL_COUNT_IF(cond) "sum(" cond ")"

/* The largest code point as a one-character string, to end a prefix range on text.
 * PostgreSQL: chr(1114111). */
#define SQL_CHAR_MAX "char(1114111)"

/* col in a form no index serves, to steer SQLite's planner to a better index.
 * PostgreSQL has no unary + on text and needs no hint: col. */
#define SQL_NO_INDEX(col) "+" col

/* What the PostgreSQL backend appends to an INSERT run by sql_insert(); SQLite
 * reads last_insert_rowid() instead, so here it is empty. */
#define SQL_NEW_ID ""

#endif
