/* SQLite backend of the storage interface: WAL journal, synchronous=FULL so an
 * acknowledged commit survives a crash, a busy timeout instead of lock errors,
 * and a per-connection cache of prepared statements. */
#include "store/db.h"
#include "core/log.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { STMT_CACHE = 256 };

struct db_stmt {
	sqlite3_stmt *st;
	struct db *db;
	const char *key; /* the caller's pointer: a fast first test, never trusted alone */
	char *sql;       /* the cache key: our own copy of the text (NULL: uncached) */
	uint64_t hash;   /* of the text */
	bool in_use;
};

struct db {
	sqlite3 *h;
	int txn_depth;
	struct db_stmt cache[STMT_CACHE];
	/* Statements beyond the cache, or prepared while the cached one is in use. */
	size_t ncache;
};

struct db *db_open(const char *path, const struct db_options *opt, char *err, size_t errlen)
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
	sqlite3_busy_timeout(h, 10000);
	struct db *db = xcalloc(1, sizeof(*db));
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
			db_close(db);
			return NULL;
		}
	}
	return db;
}

bool db_target_is_url(const char *target)
{
	return strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0;
}

enum db_kind db_kind(const struct db *db)
{
	(void)db;
	return DB_SQLITE;
}

enum db_result db_set(struct db *db, enum db_setting setting, bool on)
{
	switch (setting) {
	case DB_SECURE_DELETE:
		return db_exec(db, on ? "PRAGMA secure_delete=ON" : "PRAGMA secure_delete=OFF");
	case DB_BULK_LOAD:
		if (db_exec(db, on ? "PRAGMA foreign_keys=OFF" : "PRAGMA foreign_keys=ON") != DB_OK)
			return DB_ERROR;
		return db_exec(db, on ? "PRAGMA cache_size=-65536" : "PRAGMA cache_size=-32768");
	}
	return DB_ERROR;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->ncache; i++) {
		sqlite3_finalize(db->cache[i].st);
		free(db->cache[i].sql);
	}
	sqlite3_close(db->h);
	free(db);
}

const char *db_errmsg(struct db *db)
{
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

static struct db_stmt *cache_take(struct db_stmt *s)
{
	s->in_use = true;
	return s;
}

struct db_stmt *db_prepare(struct db *db, const char *sql)
{
	/* The cache is keyed by the text, never by the pointer alone: a caller that builds
	 * SQL into a reused buffer would otherwise get the statement of the buffer's former
	 * text. Call sites pass literals, so the same pointer with the same text is the
	 * common hit, checked first; the hash and a full compare cover the rest. */
	for (size_t i = 0; i < db->ncache; i++) {
		struct db_stmt *s = &db->cache[i];
		if (!s->in_use && s->key == sql && strcmp(s->sql, sql) == 0)
			return cache_take(s);
	}
	uint64_t h = sql_hash(sql);
	for (size_t i = 0; i < db->ncache; i++) {
		struct db_stmt *s = &db->cache[i];
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
		struct db_stmt *s = &db->cache[db->ncache++];
		s->st = st;
		s->db = db;
		s->key = sql;
		s->sql = xstrdup(sql);
		s->hash = h;
		s->in_use = true;
		return s;
	}
	/* Cache full: an uncached statement, finalised by db_done. */
	struct db_stmt *s = xcalloc(1, sizeof(*s));
	s->st = st;
	s->db = db;
	s->sql = NULL;
	s->in_use = true;
	return s;
}

void db_done(struct db_stmt *st)
{
	if (!st)
		return;
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
	if (!st->sql) {
		sqlite3_finalize(st->st);
		free(st);
		return;
	}
	st->in_use = false;
}

void db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	sqlite3_bind_int64(st->st, idx, v);
}

void db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (s)
		sqlite3_bind_text(st->st, idx, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st->st, idx);
}

void db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n)
{
	sqlite3_bind_blob64(st->st, idx, p, n, SQLITE_TRANSIENT);
}

void db_bind_double(struct db_stmt *st, int idx, double v)
{
	sqlite3_bind_double(st->st, idx, v);
}

void db_bind_null(struct db_stmt *st, int idx)
{
	sqlite3_bind_null(st->st, idx);
}

static enum db_result map_rc(struct db *db, int rc)
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

enum db_result db_step(struct db_stmt *st)
{
	return map_rc(st->db, sqlite3_step(st->st));
}

bool db_col_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

int64_t db_col_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

double db_col_double(struct db_stmt *st, int col)
{
	return sqlite3_column_double(st->st, col);
}

const char *db_col_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->st, col);
}

const void *db_col_blob(struct db_stmt *st, int col, size_t *n)
{
	const void *p = sqlite3_column_blob(st->st, col);
	*n = (size_t)sqlite3_column_bytes(st->st, col);
	return p;
}

enum db_result db_exec(struct db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		log_error("exec failed: %s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return map_rc(db, rc) == DB_DONE ? DB_ERROR : map_rc(db, rc);
	}
	return DB_OK;
}

static enum db_result db_simple(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return DB_ERROR;
	enum db_result r = db_step(st);
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

enum db_result db_begin_read(struct db *db)
{
	enum db_result r = db_simple(db, "BEGIN");
	if (r == DB_OK)
		db->txn_depth = 1;
	return r;
}

enum db_result db_begin_write(struct db *db)
{
	enum db_result r = db_simple(db, "BEGIN IMMEDIATE");
	if (r == DB_OK)
		db->txn_depth = 1;
	return r;
}

enum db_result db_commit(struct db *db)
{
	enum db_result r = db_simple(db, "COMMIT");
	if (r != DB_OK)
		db_rollback(db);
	db->txn_depth = 0;
	return r;
}

void db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		db_simple(db, "ROLLBACK");
	db->txn_depth = 0;
}

bool db_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(db->h);
}

int64_t db_last_id(struct db *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

int64_t db_changes(struct db *db)
{
	return sqlite3_changes64(db->h);
}
