/* PostgreSQL backend of the storage interface (libpq). The queries of store/
 * are written once, in the dialect both backends accept; this file turns a
 * query's text into PostgreSQL's at preparation — once per connection and
 * text, then cached like SQLite's statements:
 *   - the dialect pairs of store/dialect.h: the SQLite part is dropped and the
 *     PostgreSQL part, kept in a comment for SQLite, is put in its place;
 *   - '?' and '?N' parameters become '$N';
 *   - an INSERT into a table with an identity column "id" gets "RETURNING id",
 *     which gives db_last_id the new row's id without another round trip.
 * Parameters go as text (blobs as binary) with their types left to
 * PostgreSQL's inference from the query, as SQLite's affinity would.
 *
 * Transactions keep the isolation the handlers were written for on SQLite,
 * where one writer runs at a time and readers see a snapshot: a write
 * transaction takes one advisory lock that every node shares (so writes are
 * serialised across nodes, the audit chain never forks, a "read, check,
 * write" sequence holds), and a read transaction is a REPEATABLE READ
 * snapshot. See docs/architecture.md "Storage". */
#include "core/log.h"
#include "core/mem.h"
#include "store/backend.h"
#include "store/pg_sql.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	unsigned char *blob; /* the decoded bytea of the last col_blob */
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

static const struct db_ops pg_ops;

/* ---- connection ---- */

static void pg_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* notices (e.g. "relation already exists, skipping") are not errors */
}

/* A URL without its password, for messages. */
static void pg_safe_url(const char *url, char *out, size_t n)
{
	const char *at = strchr(url, '@');
	const char *scheme = strstr(url, "://");
	if (!at || !scheme) {
		snprintf(out, n, "%s", url);
		return;
	}
	const char *colon = memchr(scheme + 3, ':', (size_t)(at - scheme - 3));
	if (!colon) {
		snprintf(out, n, "%s", url);
		return;
	}
	snprintf(out, n, "%.*s:***%s", (int)(colon - url), url, at);
}

static PGconn *pg_connect(const char *url, char *err, size_t errlen)
{
	PGconn *c = PQconnectdb(url);
	if (!c) {
		snprintf(err, errlen, "cannot connect to the database: out of memory");
		return NULL;
	}
	if (PQstatus(c) != CONNECTION_OK) {
		char safe[256];
		pg_safe_url(url, safe, sizeof safe);
		const char *m = PQerrorMessage(c);
		size_t len = strcspn(m, "\n");
		snprintf(err, errlen, "cannot connect to the database %s: %.*s", safe, (int)len, m);
		PQfinish(c);
		return NULL;
	}
	PQsetNoticeProcessor(c, pg_quiet, NULL);
	PGresult *r = PQexec(c, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!ok) {
		snprintf(err, errlen, "cannot configure the database connection: %s",
		         PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	return c;
}

struct db *db_pg_open(const char *url, const struct db_options *opt, char *err, size_t errlen)
{
	(void)opt; /* a PostgreSQL database is created by its administrator, not by us */
	PGconn *c = pg_connect(url, err, errlen);
	if (!c)
		return NULL;
	struct pg_db *db = xcalloc(1, sizeof(*db));
	db->base.ops = &pg_ops;
	db->c = c;
	db->url = xstrdup(url);
	return &db->base;
}

static void stmt_clear_result(struct pg_stmt *st)
{
	PQclear(st->res);
	st->res = NULL;
	st->row = -1;
	st->nrows = 0;
	st->executed = false;
	free(st->blob);
	st->blob = NULL;
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

static void stmt_free(struct pg_stmt *st)
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

static void pg_close(struct db *dbase)
{
	struct pg_db *db = (struct pg_db *)dbase;
	for (size_t i = 0; i < db->ncache; i++)
		stmt_free(db->cache[i]);
	PQfinish(db->c);
	free(db->url);
	free(db);
}

/* After the server went away: a new connection, on which nothing is prepared yet.
 * Only between transactions (inside one, the transaction is lost either way). */
static bool pg_reconnect(struct pg_db *db)
{
	if (PQstatus(db->c) == CONNECTION_OK)
		return true;
	PQreset(db->c);
	if (PQstatus(db->c) != CONNECTION_OK)
		return false;
	PQsetNoticeProcessor(db->c, pg_quiet, NULL);
	PGresult *r = PQexec(db->c, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
	PQclear(r);
	for (size_t i = 0; i < db->ncache; i++)
		db->cache[i]->prepared = false;
	log_info("database connection re-established");
	return true;
}

static const char *pg_errmsg(struct db *dbase)
{
	struct pg_db *db = (struct pg_db *)dbase;
	return db->err[0] ? db->err : PQerrorMessage(db->c);
}

/* The result of a failed command as the interface's: constraint refusals (class 23)
 * apart, serialisation failures, deadlocks, lock time-outs and a lost server as
 * "busy" (the caller answers 503, the client may retry), the rest as errors. */
static enum db_result pg_fail(struct pg_db *db, PGresult *r, const char *what)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(db->c);
	snprintf(db->err, sizeof db->err, "%.*s", (int)strcspn(msg, "\n"), msg);
	if (state && strncmp(state, "23", 2) == 0)
		return DB_CONSTRAINT;
	if (PQstatus(db->c) != CONNECTION_OK || (state && strncmp(state, "08", 2) == 0)) {
		log_error("database unavailable (%s): %s", what, db->err);
		return DB_BUSY;
	}
	if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	              strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0))
		return DB_BUSY;
	log_error("database error (%s): %s [%s]", what, db->err, state ? state : "-");
	return DB_ERROR;
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

static struct db_stmt *pg_prepare(struct db *dbase, const char *sql)
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

static void pg_done(struct db_stmt *stbase)
{
	struct pg_stmt *st = (struct pg_stmt *)stbase;
	stmt_clear_result(st);
	stmt_clear_binds(st);
	if (!st->sql) {
		stmt_free(st);
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

static void pg_bind_int(struct db_stmt *stbase, int idx, int64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof num, "%lld", (long long)v);
	bind_value((struct pg_stmt *)stbase, idx, xstrdup(num), n, 0, PG_OID_INT8);
}

static void pg_bind_double(struct db_stmt *stbase, int idx, double v)
{
	char num[40];
	int n = snprintf(num, sizeof num, "%.17g", v);
	bind_value((struct pg_stmt *)stbase, idx, xstrdup(num), n, 0, PG_OID_FLOAT8);
}

static void pg_bind_text(struct db_stmt *stbase, int idx, const char *s)
{
	bind_value((struct pg_stmt *)stbase, idx, s ? xstrdup(s) : NULL, 0, 0, PG_OID_TEXT);
}

static void pg_bind_blob(struct db_stmt *stbase, int idx, const void *p, size_t n)
{
	char *copy = xmalloc(n ? n : 1);
	if (n)
		memcpy(copy, p, n);
	bind_value((struct pg_stmt *)stbase, idx, copy, (int)n, 1, PG_OID_BYTEA);
}

static void pg_bind_null(struct db_stmt *stbase, int idx)
{
	bind_value((struct pg_stmt *)stbase, idx, NULL, 0, 0, 0);
}

static void pg_bind_null_as(struct db_stmt *stbase, int idx, enum db_value_kind type)
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

static enum db_result pg_step(struct db_stmt *stbase)
{
	struct pg_stmt *st = (struct pg_stmt *)stbase;
	if (!st->executed) {
		enum db_result r = pg_execute(st);
		if (r != DB_ROW)
			return r;
	}
	free(st->blob);
	st->blob = NULL;
	if (!st->res || st->row + 1 >= st->nrows) {
		st->row = st->nrows;
		return DB_DONE;
	}
	st->row++;
	return DB_ROW;
}

static bool pg_col_null(struct db_stmt *stbase, int col)
{
	struct pg_stmt *st = (struct pg_stmt *)stbase;
	return !st->res || st->row < 0 || st->row >= st->nrows || col >= PQnfields(st->res) ||
	       PQgetisnull(st->res, st->row, col);
}

static int64_t pg_col_int(struct db_stmt *stbase, int col)
{
	struct pg_stmt *st = (struct pg_stmt *)stbase;
	if (pg_col_null(stbase, col))
		return 0;
	const char *v = PQgetvalue(st->res, st->row, col);
	if (PQftype(st->res, col) == PG_OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static double pg_col_double(struct db_stmt *stbase, int col)
{
	struct pg_stmt *st = (struct pg_stmt *)stbase;
	if (pg_col_null(stbase, col))
		return 0;
	const char *v = PQgetvalue(st->res, st->row, col);
	if (PQftype(st->res, col) == PG_OID_BOOL)
		return v[0] == 't';
	return strtod(v, NULL);
}

static const char *pg_col_text(struct db_stmt *stbase, int col)
{
	struct pg_stmt *st = (struct pg_stmt *)stbase;
	if (pg_col_null(stbase, col))
		return NULL;
	const char *v = PQgetvalue(st->res, st->row, col);
	if (PQftype(st->res, col) == PG_OID_BOOL)
		return v[0] == 't' ? "1" : "0"; /* as SQLite would print the 0/1 of a comparison */
	return v;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static const void *pg_col_blob(struct db_stmt *stbase, int col, size_t *n)
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
	free(st->blob);
	st->blob = xmalloc(out ? out : 1);
	for (size_t i = 0; i < out; i++) {
		int hi = hexval(v[2 + 2 * i]), lo = hexval(v[3 + 2 * i]);
		if (hi < 0 || lo < 0)
			return NULL;
		st->blob[i] = (unsigned char)(hi << 4 | lo);
	}
	*n = out;
	return st->blob;
}

static int pg_col_count(struct db_stmt *stbase)
{
	struct pg_stmt *st = (struct pg_stmt *)stbase;
	return st->res ? PQnfields(st->res) : 0;
}

static const char *pg_col_name(struct db_stmt *stbase, int col)
{
	struct pg_stmt *st = (struct pg_stmt *)stbase;
	return st->res ? PQfname(st->res, col) : NULL;
}

static enum db_value_kind pg_col_kind(struct db_stmt *stbase, int col)
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

/* ---- whole commands and transactions ---- */

static enum db_result pg_command(struct pg_db *db, const char *sql)
{
	db->err[0] = '\0';
	if (PQstatus(db->c) != CONNECTION_OK && PQtransactionStatus(db->c) != PQTRANS_INTRANS &&
	    !pg_reconnect(db))
		return pg_fail(db, NULL, "connect");
	PGresult *r = PQexec(db->c, sql);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		enum db_result e = pg_fail(db, r, "command");
		PQclear(r);
		return e;
	}
	/* COMMIT of a transaction an error had aborted answers "ROLLBACK". */
	bool rolled_back =
	    strcmp(PQcmdStatus(r), "ROLLBACK") == 0 && strncmp(sql, "COMMIT", 6) == 0;
	PQclear(r);
	if (rolled_back) {
		snprintf(db->err, sizeof db->err, "the transaction was rolled back after an error");
		return DB_ERROR;
	}
	return DB_OK;
}

static enum db_result pg_exec(struct db *dbase, const char *sql)
{
	struct pg_db *db = (struct pg_db *)dbase;
	char *text = pg_sql_dialect(sql);
	if (!text)
		return DB_ERROR;
	enum db_result r = pg_command(db, text);
	free(text);
	return r;
}

static enum db_result pg_set(struct db *dbase, enum db_setting setting, bool on)
{
	(void)dbase;
	(void)on;
	switch (setting) {
	case DB_SECURE_DELETE: /* deleted tuples are reclaimed by vacuum; nothing per connection */
	case DB_BULK_LOAD:     /* the import's batches are the right size for PostgreSQL as is */
		return DB_OK;
	}
	return DB_ERROR;
}

static enum db_result pg_begin_read(struct db *dbase)
{
	return pg_command((struct pg_db *)dbase, "BEGIN ISOLATION LEVEL REPEATABLE READ");
}

static enum db_result pg_begin_write(struct db *dbase)
{
	struct pg_db *db = (struct pg_db *)dbase;
	enum db_result r = pg_command(db, "BEGIN ISOLATION LEVEL READ COMMITTED; "
	                                  "SELECT pg_advisory_xact_lock(" PG_WRITER_LOCK ")");
	if (r != DB_OK && PQtransactionStatus(db->c) != PQTRANS_IDLE)
		pg_command(db, "ROLLBACK");
	return r;
}

static enum db_result pg_commit(struct db *dbase)
{
	struct pg_db *db = (struct pg_db *)dbase;
	enum db_result r = pg_command(db, "COMMIT");
	if (r != DB_OK && PQtransactionStatus(db->c) != PQTRANS_IDLE)
		pg_command(db, "ROLLBACK");
	return r;
}

static void pg_rollback(struct db *dbase)
{
	struct pg_db *db = (struct pg_db *)dbase;
	if (PQtransactionStatus(db->c) != PQTRANS_IDLE)
		pg_command(db, "ROLLBACK");
}

static bool pg_in_transaction(struct db *dbase)
{
	struct pg_db *db = (struct pg_db *)dbase;
	PGTransactionStatusType s = PQtransactionStatus(db->c);
	return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

static int64_t pg_last_id(struct db *dbase)
{
	return ((struct pg_db *)dbase)->last_id;
}

static int64_t pg_changes(struct db *dbase)
{
	return ((struct pg_db *)dbase)->changes;
}

static const struct db_ops pg_ops = {
    .kind = DB_POSTGRES,
    .close = pg_close,
    .errmsg = pg_errmsg,
    .set = pg_set,
    .prepare = pg_prepare,
    .done = pg_done,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .bind_null_as = pg_bind_null_as,
    .bind_double = pg_bind_double,
    .step = pg_step,
    .col_null = pg_col_null,
    .col_int = pg_col_int,
    .col_double = pg_col_double,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .col_count = pg_col_count,
    .col_name = pg_col_name,
    .col_kind = pg_col_kind,
    .exec = pg_exec,
    .begin_read = pg_begin_read,
    .begin_write = pg_begin_write,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .in_transaction = pg_in_transaction,
    .last_id = pg_last_id,
    .changes = pg_changes,
};
