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
 * snapshot. See docs/architecture.md "Layers". The statements are store/pg_stmt.c. */
#include "core/log.h"
#include "core/mem.h"
#include "store/pg_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static void pg_close(struct db *dbase)
{
	struct pg_db *db = (struct pg_db *)dbase;
	for (size_t i = 0; i < db->ncache; i++)
		pg_stmt_free(db->cache[i]);
	PQfinish(db->c);
	free(db->url);
	free(db);
}

/* After the server went away: a new connection, on which nothing is prepared yet.
 * Only between transactions (inside one, the transaction is lost either way). */
bool pg_reconnect(struct pg_db *db)
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
enum db_result pg_fail(struct pg_db *db, PGresult *r, const char *what)
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

const struct db_ops pg_ops = {
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
