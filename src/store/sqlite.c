/* SQLite backend of the storage interface: WAL journal, synchronous=FULL so an
 * acknowledged commit survives a crash, a busy timeout instead of lock errors,
 * and a per-connection cache of prepared statements. */
#include "store/backend.h"
#include "core/log.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { STMT_CACHE = 256 };

struct sq_stmt {
	struct db_stmt base;
	sqlite3_stmt *st;
	struct sq_db *db;
	const char *key; /* the caller's pointer: a fast first test, never trusted alone */
	char *sql;       /* the cache key: our own copy of the text (NULL: uncached) */
	uint64_t hash;   /* of the text */
	bool in_use;
};

struct sq_db {
	struct db base;
	sqlite3 *h;
	int txn_depth;
	struct sq_stmt cache[STMT_CACHE];
	/* Statements beyond the cache, or prepared while the cached one is in use. */
	size_t ncache;
};

static const struct db_ops sqlite_ops;
static void sq_close(struct db *dbase);
static enum db_result sq_exec(struct db *dbase, const char *sql);
static void sq_rollback(struct db *dbase);

/* Another connection holds the write lock (a writer of another thread or process; readers
 * never block in WAL mode): wait for it in short steps, up to about 10 s. SQLite's own
 * busy_timeout sleeps 1, 2, 5, 10 … 100 ms between tries, so a writer that just missed a
 * short transaction of another thread (a few hundred microseconds) slept for milliseconds,
 * and every request of a group-commit batch with it. */
static int busy_wait(void *arg, int count)
{
	(void)arg;
	enum { SHORT_TRIES = 400, LONG_TRIES = 10000 }; /* 400 × 50 µs, then 10 000 × 1 ms */
	if (count >= SHORT_TRIES + LONG_TRIES)
		return 0;
	struct timespec ts = {0, count < SHORT_TRIES ? 50000 : 1000000};
	nanosleep(&ts, NULL);
	return 1;
}

struct db *db_sqlite_open(const char *path, const struct db_options *opt, char *err, size_t errlen)
{
	int flags = SQLITE_OPEN_NOMUTEX;
	flags |= opt && opt->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (opt && opt->create) {
		flags |= SQLITE_OPEN_CREATE;
		/* The file is made here, empty and 0600, before SQLite writes a byte: SQLite would
		 * create it 0644 (less the umask), and it gives -wal, -shm and -journal the main
		 * file's mode, so they are 0600 too. ":memory:" and "" are no files. */
		if (path[0] && path[0] != ':') {
			int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
			if (fd < 0) {
				snprintf(err, errlen, "cannot create database %s: %s", path,
				         strerror(errno));
				return NULL;
			}
			close(fd);
		}
	}
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h, flags, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s", path,
		         h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_handler(h, busy_wait, NULL);
	struct sq_db *db = xcalloc(1, sizeof(*db));
	db->base.ops = &sqlite_ops;
	db->h = h;
	static const char *const pragmas[] = {
	    "PRAGMA journal_mode=WAL",  "PRAGMA synchronous=FULL",  "PRAGMA foreign_keys=ON",
	    "PRAGMA temp_store=MEMORY", "PRAGMA cache_size=-32768",
	};
	for (size_t i = 0; i < sizeof pragmas / sizeof pragmas[0]; i++) {
		if (opt && opt->read_only && i == 0)
			continue;
		if (sqlite3_exec(h, pragmas[i], NULL, NULL, NULL) != SQLITE_OK) {
			snprintf(err, errlen, "cannot configure database %s: %s", path,
			         sqlite3_errmsg(h));
			sq_close(&db->base);
			return NULL;
		}
	}
	return &db->base;
}

static enum db_result sq_set(struct db *dbase, enum db_setting setting, bool on)
{
	switch (setting) {
	case DB_SECURE_DELETE:
		return sq_exec(dbase, on ? "PRAGMA secure_delete=ON" : "PRAGMA secure_delete=OFF");
	case DB_BULK_LOAD:
		if (sq_exec(dbase, on ? "PRAGMA foreign_keys=OFF" : "PRAGMA foreign_keys=ON") !=
		    DB_OK)
			return DB_ERROR;
		return sq_exec(dbase, on ? "PRAGMA cache_size=-65536" : "PRAGMA cache_size=-32768");
	}
	return DB_ERROR;
}

static void sq_close(struct db *dbase)
{
	struct sq_db *db = (struct sq_db *)dbase;
	for (size_t i = 0; i < db->ncache; i++) {
		sqlite3_finalize(db->cache[i].st);
		free(db->cache[i].sql);
	}
	sqlite3_close(db->h);
	free(db);
}

static const char *sq_errmsg(struct db *dbase)
{
	struct sq_db *db = (struct sq_db *)dbase;
	return sqlite3_errmsg(db->h);
}

/* FNV-1a over the text. */
static uint64_t sql_hash(const char *sql)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

static struct db_stmt *cache_take(struct sq_stmt *s)
{
	s->in_use = true;
	return &s->base;
}

static struct db_stmt *sq_prepare(struct db *dbase, const char *sql)
{
	struct sq_db *db = (struct sq_db *)dbase;
	/* The cache is keyed by the text, never by the pointer alone: a caller that builds
	 * SQL into a reused buffer would otherwise get the statement of the buffer's former
	 * text. Call sites pass literals, so the same pointer with the same text is the
	 * common hit, checked first; the hash and a full compare cover the rest. */
	for (size_t i = 0; i < db->ncache; i++) {
		struct sq_stmt *s = &db->cache[i];
		if (!s->in_use && s->key == sql && strcmp(s->sql, sql) == 0)
			return cache_take(s);
	}
	uint64_t h = sql_hash(sql);
	for (size_t i = 0; i < db->ncache; i++) {
		struct sq_stmt *s = &db->cache[i];
		if (!s->in_use && s->hash == h && strcmp(s->sql, sql) == 0) {
			s->key = sql;
			return cache_take(s);
		}
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		log_error("prepare failed: %s", sqlite3_errmsg(db->h));
		return NULL;
	}
	if (db->ncache < STMT_CACHE) {
		struct sq_stmt *s = &db->cache[db->ncache++];
		s->base.ops = &sqlite_ops;
		s->st = st;
		s->db = db;
		s->key = sql;
		s->sql = xstrdup(sql);
		s->hash = h;
		s->in_use = true;
		return &s->base;
	}
	/* Cache full: an uncached statement, finalised by db_done. */
	struct sq_stmt *s = xcalloc(1, sizeof(*s));
	s->base.ops = &sqlite_ops;
	s->st = st;
	s->db = db;
	s->sql = NULL;
	s->in_use = true;
	return &s->base;
}

static void sq_done(struct db_stmt *stbase)
{
	struct sq_stmt *st = (struct sq_stmt *)stbase;
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
	if (!st->sql) {
		sqlite3_finalize(st->st);
		free(st);
		return;
	}
	st->in_use = false;
}

static void sq_bind_int(struct db_stmt *stbase, int idx, int64_t v)
{
	struct sq_stmt *st = (struct sq_stmt *)stbase;
	sqlite3_bind_int64(st->st, idx, v);
}

static void sq_bind_text(struct db_stmt *stbase, int idx, const char *s)
{
	struct sq_stmt *st = (struct sq_stmt *)stbase;
	if (s)
		sqlite3_bind_text(st->st, idx, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st->st, idx);
}

static void sq_bind_blob(struct db_stmt *stbase, int idx, const void *p, size_t n)
{
	struct sq_stmt *st = (struct sq_stmt *)stbase;
	sqlite3_bind_blob64(st->st, idx, p, n, SQLITE_TRANSIENT);
}

static void sq_bind_double(struct db_stmt *stbase, int idx, double v)
{
	struct sq_stmt *st = (struct sq_stmt *)stbase;
	sqlite3_bind_double(st->st, idx, v);
}

static void sq_bind_null(struct db_stmt *stbase, int idx)
{
	struct sq_stmt *st = (struct sq_stmt *)stbase;
	sqlite3_bind_null(st->st, idx);
}

static void sq_bind_null_as(struct db_stmt *stbase, int idx, enum db_value_kind type)
{
	(void)type;
	sq_bind_null(stbase, idx);
}

static enum db_result map_rc(struct sq_db *db, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_ROW:
		return DB_ROW;
	case SQLITE_DONE:
	case SQLITE_OK:
		return DB_DONE;
	case SQLITE_CONSTRAINT:
		return DB_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_BUSY;
	default:
		log_error("database error: %s", sqlite3_errmsg(db->h));
		return DB_ERROR;
	}
}

static enum db_result sq_step(struct db_stmt *stbase)
{
	struct sq_stmt *st = (struct sq_stmt *)stbase;
	return map_rc(st->db, sqlite3_step(st->st));
}

static bool sq_col_null(struct db_stmt *stbase, int col)
{
	struct sq_stmt *st = (struct sq_stmt *)stbase;
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

static int64_t sq_col_int(struct db_stmt *stbase, int col)
{
	struct sq_stmt *st = (struct sq_stmt *)stbase;
	return sqlite3_column_int64(st->st, col);
}

static double sq_col_double(struct db_stmt *stbase, int col)
{
	struct sq_stmt *st = (struct sq_stmt *)stbase;
	return sqlite3_column_double(st->st, col);
}

static const char *sq_col_text(struct db_stmt *stbase, int col)
{
	struct sq_stmt *st = (struct sq_stmt *)stbase;
	return (const char *)sqlite3_column_text(st->st, col);
}

static const void *sq_col_blob(struct db_stmt *stbase, int col, size_t *n)
{
	struct sq_stmt *st = (struct sq_stmt *)stbase;
	const void *p = sqlite3_column_blob(st->st, col);
	*n = (size_t)sqlite3_column_bytes(st->st, col);
	return p;
}

static int sq_col_count(struct db_stmt *stbase)
{
	return sqlite3_column_count(((struct sq_stmt *)stbase)->st);
}

static const char *sq_col_name(struct db_stmt *stbase, int col)
{
	return sqlite3_column_name(((struct sq_stmt *)stbase)->st, col);
}

static enum db_value_kind sq_col_kind(struct db_stmt *stbase, int col)
{
	switch (sqlite3_column_type(((struct sq_stmt *)stbase)->st, col)) {
	case SQLITE_INTEGER:
		return DB_V_INT;
	case SQLITE_FLOAT:
		return DB_V_REAL;
	case SQLITE_TEXT:
		return DB_V_TEXT;
	case SQLITE_BLOB:
		return DB_V_BLOB;
	default:
		return DB_V_NULL;
	}
}

static enum db_result sq_exec(struct db *dbase, const char *sql)
{
	struct sq_db *db = (struct sq_db *)dbase;
	char *msg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		log_error("exec failed: %s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return map_rc(db, rc) == DB_DONE ? DB_ERROR : map_rc(db, rc);
	}
	return DB_OK;
}

static enum db_result sq_simple(struct sq_db *db, const char *sql)
{
	struct db_stmt *st = sq_prepare(&db->base, sql);
	if (!st)
		return DB_ERROR;
	enum db_result r = sq_step(st);
	sq_done(st);
	return r == DB_DONE ? DB_OK : r;
}

static enum db_result sq_begin_read(struct db *dbase)
{
	struct sq_db *db = (struct sq_db *)dbase;
	enum db_result r = sq_simple(db, "BEGIN");
	if (r == DB_OK)
		db->txn_depth = 1;
	return r;
}

static enum db_result sq_begin_write(struct db *dbase)
{
	struct sq_db *db = (struct sq_db *)dbase;
	enum db_result r = sq_simple(db, "BEGIN IMMEDIATE");
	if (r == DB_OK)
		db->txn_depth = 1;
	return r;
}

static enum db_result sq_commit(struct db *dbase)
{
	struct sq_db *db = (struct sq_db *)dbase;
	enum db_result r = sq_simple(db, "COMMIT");
	if (r != DB_OK)
		sq_rollback(dbase);
	db->txn_depth = 0;
	return r;
}

static void sq_rollback(struct db *dbase)
{
	struct sq_db *db = (struct sq_db *)dbase;
	if (!sqlite3_get_autocommit(db->h))
		sq_simple(db, "ROLLBACK");
	db->txn_depth = 0;
}

static bool sq_in_transaction(struct db *dbase)
{
	struct sq_db *db = (struct sq_db *)dbase;
	return !sqlite3_get_autocommit(db->h);
}

static int64_t sq_last_id(struct db *dbase)
{
	struct sq_db *db = (struct sq_db *)dbase;
	return sqlite3_last_insert_rowid(db->h);
}

static int64_t sq_changes(struct db *dbase)
{
	struct sq_db *db = (struct sq_db *)dbase;
	return sqlite3_changes64(db->h);
}

static const struct db_ops sqlite_ops = {
    .kind = DB_SQLITE,
    .close = sq_close,
    .errmsg = sq_errmsg,
    .set = sq_set,
    .prepare = sq_prepare,
    .done = sq_done,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .bind_null_as = sq_bind_null_as,
    .bind_double = sq_bind_double,
    .step = sq_step,
    .col_null = sq_col_null,
    .col_int = sq_col_int,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .col_count = sq_col_count,
    .col_name = sq_col_name,
    .col_kind = sq_col_kind,
    .exec = sq_exec,
    .begin_read = sq_begin_read,
    .begin_write = sq_begin_write,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .in_transaction = sq_in_transaction,
    .last_id = sq_last_id,
    .changes = sq_changes,
};
