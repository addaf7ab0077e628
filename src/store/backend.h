/* What a storage backend provides behind store/db.h: one table of functions per
 * backend (store/sqlite.c, store/pg.c). Every connection and statement starts
 * with its backend's table, so store/db.c dispatches each call with one
 * indirect jump. Internal to store/. */
#ifndef JICENG_STORE_BACKEND_H
#define JICENG_STORE_BACKEND_H

#include "store/db.h"

struct db_ops {
	enum db_kind kind;
	void (*close)(struct db *db);
	const char *(*errmsg)(struct db *db);
	enum db_result (*set)(struct db *db, enum db_setting setting, bool on);
	struct db_stmt *(*prepare)(struct db *db, const char *sql);
	void (*done)(struct db_stmt *st);
	void (*bind_int)(struct db_stmt *st, int idx, int64_t v);
	void (*bind_text)(struct db_stmt *st, int idx, const char *s);
	void (*bind_blob)(struct db_stmt *st, int idx, const void *p, size_t n);
	void (*bind_null)(struct db_stmt *st, int idx);
	void (*bind_null_as)(struct db_stmt *st, int idx, enum db_value_kind type);
	void (*bind_double)(struct db_stmt *st, int idx, double v);
	enum db_result (*step)(struct db_stmt *st);
	bool (*col_null)(struct db_stmt *st, int col);
	int64_t (*col_int)(struct db_stmt *st, int col);
	double (*col_double)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col);
	const void *(*col_blob)(struct db_stmt *st, int col, size_t *n);
	int (*col_count)(struct db_stmt *st);
	const char *(*col_name)(struct db_stmt *st, int col);
	enum db_value_kind (*col_kind)(struct db_stmt *st, int col);
	enum db_result (*exec)(struct db *db, const char *sql);
	enum db_result (*begin_read)(struct db *db);
	enum db_result (*begin_write)(struct db *db);
	enum db_result (*commit)(struct db *db);
	void (*rollback)(struct db *db);
	bool (*in_transaction)(struct db *db);
	int64_t (*last_id)(struct db *db);
	int64_t (*changes)(struct db *db);
};

/* The head of every backend's connection and statement. */
struct db {
	const struct db_ops *ops;
};
struct db_stmt {
	const struct db_ops *ops;
};

struct db *db_sqlite_open(const char *path, const struct db_options *opt, char *err, size_t errlen);
struct db *db_pg_open(const char *url, const struct db_options *opt, char *err, size_t errlen);

#endif
