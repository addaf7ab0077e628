/* The PostgreSQL backend's statements: a per-connection cache of server-side
 * prepared statements keyed by the query's text, parameters sent as text (blobs as
 * binary), rows read from the result. How a query's text becomes PostgreSQL's is
 * store/pg_sql.c; the connection and transactions are store/pg.c. */
#include "core/text.h"
#include "core/log.h"
#include "core/mem.h"
#include "store/pg_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void free_blobs(struct pg_stmt *st)
{
	for (int i = 0; i < st->nblobs; i++) {
		free(st->blobs[i]);
		st->blobs[i] = NULL;
	}
}

static void stmt_clear_result(struct pg_stmt *st)
{
	PQclear(st->res);
	st->res = NULL;
	st->row = -1;
	st->nrows = 0;
	st->executed = false;
	free_blobs(st);
	free(st->blobs);
	st->blobs = NULL;
	st->nblobs = 0;
}

static void stmt_clear_binds(struct pg_stmt *st)
{
	for (int i = 0; i < st->nparams; i++) {
		free(st->vals[i]);
		st->vals[i] = NULL;
		st->lens[i] = 0;
		st->fmts[i] = 0;
	}
}

void pg_stmt_free(struct pg_stmt *st)
{
	stmt_clear_result(st);
	stmt_clear_binds(st);
	free(st->vals);
	free(st->lens);
	free(st->fmts);
	free(st->hints);
	free(st->typed);
	free(st->sql);
	free(st->pgsql);
	free(st);
}

/* Whether table has an identity column "id" (asked once per INSERT text and connection). */
static bool pg_has_identity_id(struct pg_db *db, const char *table)
{
	const char *vals[1] = {table};
	PGresult *r =
	    PQexecParams(db->c,
	                 "SELECT 1 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
	                 "WHERE c.relname = $1 AND a.attname = 'id' AND a.attidentity <> '' "
	                 "AND pg_table_is_visible(c.oid)",
	                 1, NULL, vals, NULL, NULL, 0);
	bool yes = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0;
	PQclear(r);
	return yes;
}

/* ---- statements ---- */

static uint64_t sql_hash(const char *sql)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

static struct pg_stmt *stmt_new(struct pg_db *db, const char *sql)
{
	char *dia = pg_sql_dialect(sql);
	if (!dia) {
		log_error("prepare failed: unbalanced dialect markers in: %s", sql);
		return NULL;
	}
	int np = 0;
	unsigned char null_first[PG_SQL_MAX_PARAMS] = {0};
	char *text = pg_sql_params_typed(dia, &np, null_first);
	free(dia);
	if (np > PG_MAX_PARAMS) {
		log_error("prepare failed: %d parameters", np);
		free(text);
		return NULL;
	}
	struct pg_stmt *st = xcalloc(1, sizeof(*st));
	st->base.ops = &pg_ops;
	st->db = db;
	st->nparams = np;
	st->row = -1;
	char table[64];
	if (pg_sql_insert_table(text, table, sizeof table) && !pg_sql_has_word(text, "RETURNING") &&
	    pg_has_identity_id(db, table)) {
		size_t n = strlen(text);
		while (n && (isspace((unsigned char)text[n - 1]) || text[n - 1] == ';'))
			n--;
		text[n] = '\0';
		char *with = xmalloc(n + sizeof " RETURNING id");
		memcpy(with, text, n);
		memcpy(with + n, " RETURNING id", sizeof " RETURNING id");
		free(text);
		text = with;
		st->returns_id = true;
	}
	st->pgsql = text;
	size_t slots = np ? (size_t)np : 1;
	st->vals = xcalloc(slots, sizeof(*st->vals));
	st->lens = xcalloc(slots, sizeof(*st->lens));
	st->fmts = xcalloc(slots, sizeof(*st->fmts));
	st->hints = xcalloc(slots, sizeof(*st->hints));
	st->typed = xcalloc(slots, sizeof(*st->typed));
	for (int i = 0; i < np; i++)
		st->typed[i] = null_first[i] == 1;
	return st;
}

struct db_stmt *pg_prepare(struct db *dbase, const char *sql)
{
	struct pg_db *db = (struct pg_db *)dbase;
	for (size_t i = 0; i < db->ncache; i++) {
		struct pg_stmt *s = db->cache[i];
		if (!s->in_use && s->key == sql && strcmp(s->sql, sql) == 0) {
			s->in_use = true;
			return &s->base;
		}
	}
	uint64_t h = sql_hash(sql);
	for (size_t i = 0; i < db->ncache; i++) {
		struct pg_stmt *s = db->cache[i];
		if (!s->in_use && s->hash == h && strcmp(s->sql, sql) == 0) {
			s->key = sql;
			s->in_use = true;
			return &s->base;
		}
	}
	if (PQstatus(db->c) != CONNECTION_OK && PQtransactionStatus(db->c) != PQTRANS_INTRANS &&
	    !pg_reconnect(db)) {
		snprintf(db->err, sizeof db->err, "the database is unavailable");
		return NULL;
	}
	struct pg_stmt *st = stmt_new(db, sql);
	if (!st)
		return NULL;
	st->in_use = true;
	if (db->ncache < PG_STMT_CACHE) {
		st->key = sql;
		st->sql = xstrdup(sql);
		st->hash = h;
		snprintf(st->name, sizeof st->name, "s%u", db->next_name++);
		db->cache[db->ncache++] = st;
	}
	return &st->base;
}

void pg_done(struct db_stmt *stbase)
{
	struct pg_stmt *st = (struct pg_stmt *)stbase;
	stmt_clear_result(st);
	stmt_clear_binds(st);
	if (!st->sql) {
		pg_stmt_free(st);
		return;
	}
	st->in_use = false;
}

static void bind_value(struct pg_stmt *st, int idx, char *v, int len, int fmt, unsigned type)
{
	if (idx < 1 || idx > st->nparams) {
		free(v);
		return;
	}
	free(st->vals[idx - 1]);
	st->vals[idx - 1] = v;
	st->lens[idx - 1] = len;
	st->fmts[idx - 1] = fmt;
	st->hints[idx - 1] = type;
}

void pg_bind_int(struct db_stmt *stbase, int idx, int64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof num, "%lld", (long long)v);
	bind_value((struct pg_stmt *)stbase, idx, xstrdup(num), n, 0, PG_OID_INT8);
}

void pg_bind_double(struct db_stmt *stbase, int idx, double v)
{
	char num[40];
	int n = snprintf(num, sizeof num, "%.17g", v);
	bind_value((struct pg_stmt *)stbase, idx, xstrdup(num), n, 0, PG_OID_FLOAT8);
}

void pg_bind_text(struct db_stmt *stbase, int idx, const char *s)
{
	bind_value((struct pg_stmt *)stbase, idx, s ? xstrdup(s) : NULL, 0, 0, PG_OID_TEXT);
}

void pg_bind_blob(struct db_stmt *stbase, int idx, const void *p, size_t n)
{
	char *copy = xmalloc(n ? n : 1);
	if (n)
		memcpy(copy, p, n);
	bind_value((struct pg_stmt *)stbase, idx, copy, (int)n, 1, PG_OID_BYTEA);
}

void pg_bind_null(struct db_stmt *stbase, int idx)
{
	bind_value((struct pg_stmt *)stbase, idx, NULL, 0, 0, 0);
}

void pg_bind_null_as(struct db_stmt *stbase, int idx, enum db_value_kind type)
{
	static const unsigned oid[] = {
	    [DB_V_NULL] = 0,           [DB_V_INT] = PG_OID_INT8,   [DB_V_REAL] = PG_OID_FLOAT8,
	    [DB_V_TEXT] = PG_OID_TEXT, [DB_V_BLOB] = PG_OID_BYTEA,
	};
	bind_value((struct pg_stmt *)stbase, idx, NULL, 0, 0, oid[type]);
}

/* Prepares st on the server. PostgreSQL types each parameter from the query; where it
 * cannot — a parameter first met in "IS NULL", as in "$1 IS NULL OR col = $1" — the
 * parameter is given the type of the value bound to it. Should PostgreSQL still name a
 * parameter it cannot type, that one is typed too and the preparation tried again. Inside
 * a transaction the preparation runs in a savepoint: a failed one would abort the
 * transaction (once per statement and connection: the statement is cached). */
static enum db_result pg_prepare_server(struct pg_stmt *st)
{
	struct pg_db *db = st->db;
	unsigned types[PG_MAX_PARAMS] = {0};
	for (int i = 0; i < st->nparams; i++)
		if (st->typed[i])
			types[i] = st->hints[i] ? st->hints[i] : PG_OID_TEXT;
	bool in_txn = PQtransactionStatus(db->c) == PQTRANS_INTRANS;
	for (int tries = 0; tries <= st->nparams; tries++) {
		if (in_txn)
			PQclear(PQexec(db->c, "SAVEPOINT jiceng_prepare"));
		PGresult *r = PQprepare(db->c, st->name, st->pgsql, st->nparams, types);
		if (PQresultStatus(r) == PGRES_COMMAND_OK) {
			PQclear(r);
			if (in_txn)
				PQclear(PQexec(db->c, "RELEASE SAVEPOINT jiceng_prepare"));
			st->prepared = true;
			return DB_OK;
		}
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
		const char *dollar = msg ? strchr(msg, '$') : NULL;
		int n = dollar ? atoi(dollar + 1) : 0;
		bool untyped =
		    state && (strcmp(state, "42P08") == 0 || strcmp(state, "42P18") == 0);
		if (in_txn)
			PQclear(PQexec(db->c, "ROLLBACK TO SAVEPOINT jiceng_prepare"));
		if (untyped && n >= 1 && n <= st->nparams && !types[n - 1]) {
			types[n - 1] = st->hints[n - 1] ? st->hints[n - 1] : PG_OID_TEXT;
			log_info("typed parameter $%d of: %s", n, st->pgsql);
			PQclear(r);
			continue;
		}
		enum db_result e = pg_fail(db, r, "prepare");
		if (e == DB_ERROR)
			log_error("in: %s", st->pgsql);
		PQclear(r);
		return e;
	}
	return DB_ERROR;
}

static enum db_result pg_execute(struct pg_stmt *st)
{
	struct pg_db *db = st->db;
	db->err[0] = '\0';
	/* An uncached statement is prepared unnamed, used once and replaced by the next. */
	if (!st->prepared) {
		enum db_result e = pg_prepare_server(st);
		if (e != DB_OK)
			return e;
		if (!st->sql)
			st->prepared = false;
	}
	PGresult *r = PQexecPrepared(db->c, st->name, st->nparams, (const char *const *)st->vals,
	                             st->lens, st->fmts, 0);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
		enum db_result e = pg_fail(db, r, "query");
		if (e == DB_ERROR)
			log_error("in: %s", st->pgsql);
		PQclear(r);
		return e;
	}
	const char *n = PQcmdTuples(r);
	if (n && *n)
		db->changes = strtoll(n, NULL, 10);
	st->executed = true;
	if (st->returns_id) {
		if (PQntuples(r) > 0)
			db->last_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		return DB_DONE;
	}
	st->res = r;
	st->nrows = s == PGRES_TUPLES_OK ? PQntuples(r) : 0;
	st->row = -1;
	return DB_ROW;
}

enum db_result pg_step(struct db_stmt *stbase)
{
	struct pg_stmt *st = (struct pg_stmt *)stbase;
	if (!st->executed) {
		enum db_result r = pg_execute(st);
		if (r != DB_ROW)
			return r;
	}
	free_blobs(st);
	if (!st->res || st->row + 1 >= st->nrows) {
		st->row = st->nrows;
		return DB_DONE;
	}
	st->row++;
	return DB_ROW;
}

bool pg_col_null(struct db_stmt *stbase, int col)
{
	struct pg_stmt *st = (struct pg_stmt *)stbase;
	return !st->res || st->row < 0 || st->row >= st->nrows || col >= PQnfields(st->res) ||
	       PQgetisnull(st->res, st->row, col);
}

int64_t pg_col_int(struct db_stmt *stbase, int col)
{
	struct pg_stmt *st = (struct pg_stmt *)stbase;
	if (pg_col_null(stbase, col))
		return 0;
	const char *v = PQgetvalue(st->res, st->row, col);
	if (PQftype(st->res, col) == PG_OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

double pg_col_double(struct db_stmt *stbase, int col)
{
	struct pg_stmt *st = (struct pg_stmt *)stbase;
	if (pg_col_null(stbase, col))
		return 0;
	const char *v = PQgetvalue(st->res, st->row, col);
	if (PQftype(st->res, col) == PG_OID_BOOL)
		return v[0] == 't';
	return strtod(v, NULL);
}

const char *pg_col_text(struct db_stmt *stbase, int col)
{
	struct pg_stmt *st = (struct pg_stmt *)stbase;
	if (pg_col_null(stbase, col))
		return NULL;
	const char *v = PQgetvalue(st->res, st->row, col);
	if (PQftype(st->res, col) == PG_OID_BOOL)
		return v[0] == 't' ? "1" : "0"; /* as SQLite would print the 0/1 of a comparison */
	return v;
}

const void *pg_col_blob(struct db_stmt *stbase, int col, size_t *n)
{
	struct pg_stmt *st = (struct pg_stmt *)stbase;
	*n = 0;
	if (pg_col_null(stbase, col))
		return NULL;
	const char *v = PQgetvalue(st->res, st->row, col);
	size_t len = (size_t)PQgetlength(st->res, st->row, col);
	if (PQftype(st->res, col) != PG_OID_BYTEA || len < 2 || v[0] != '\\' || v[1] != 'x') {
		*n = len;
		return v;
	}
	/* bytea in text form: "\x" and two hex digits a byte */
	size_t out = (len - 2) / 2;
	if (!st->blobs) {
		st->nblobs = PQnfields(st->res);
		st->blobs = xcalloc((size_t)st->nblobs, sizeof(*st->blobs));
	}
	free(st->blobs[col]);
	unsigned char *b = st->blobs[col] = xmalloc(out ? out : 1);
	for (size_t i = 0; i < out; i++) {
		int hi = text_hex_value(v[2 + 2 * i]), lo = text_hex_value(v[3 + 2 * i]);
		if (hi < 0 || lo < 0)
			return NULL;
		b[i] = (unsigned char)(hi << 4 | lo);
	}
	*n = out;
	return b;
}

int pg_col_count(struct db_stmt *stbase)
{
	struct pg_stmt *st = (struct pg_stmt *)stbase;
	return st->res ? PQnfields(st->res) : 0;
}

const char *pg_col_name(struct db_stmt *stbase, int col)
{
	struct pg_stmt *st = (struct pg_stmt *)stbase;
	return st->res ? PQfname(st->res, col) : NULL;
}

enum db_value_kind pg_col_kind(struct db_stmt *stbase, int col)
{
	struct pg_stmt *st = (struct pg_stmt *)stbase;
	if (pg_col_null(stbase, col))
		return DB_V_NULL;
	switch (PQftype(st->res, col)) {
	case PG_OID_BOOL:
	case PG_OID_INT8:
	case PG_OID_INT2:
	case PG_OID_INT4:
		return DB_V_INT;
	case PG_OID_FLOAT4:
	case PG_OID_FLOAT8:
	case PG_OID_NUMERIC:
		return DB_V_REAL;
	case PG_OID_BYTEA:
		return DB_V_BLOB;
	default:
		return DB_V_TEXT;
	}
}
