/* The storage interface's dispatch: db_open picks the backend from the target
 * (a postgres:// URL or a SQLite path), and every other call goes to the table
 * of the backend that made the connection or statement. */
#include "store/backend.h"

#include <string.h>

bool db_target_is_url(const char *target)
{
	return strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0;
}

struct db *db_open(const char *target, const struct db_options *opt, char *err, size_t errlen)
{
	if (db_target_is_url(target))
		return db_pg_open(target, opt, err, errlen);
	return db_sqlite_open(target, opt, err, errlen);
}

void db_close(struct db *db)
{
	if (db)
		db->ops->close(db);
}

enum db_kind db_kind(const struct db *db)
{
	return db->ops->kind;
}

const char *db_errmsg(struct db *db)
{
	return db->ops->errmsg(db);
}

enum db_result db_set(struct db *db, enum db_setting setting, bool on)
{
	return db->ops->set(db, setting, on);
}

struct db_stmt *db_prepare(struct db *db, const char *sql)
{
	return db->ops->prepare(db, sql);
}

void db_done(struct db_stmt *st)
{
	if (st)
		st->ops->done(st);
}

void db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	st->ops->bind_int(st, idx, v);
}

void db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	st->ops->bind_text(st, idx, s);
}

void db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n)
{
	st->ops->bind_blob(st, idx, p, n);
}

void db_bind_null(struct db_stmt *st, int idx)
{
	st->ops->bind_null(st, idx);
}

void db_bind_null_as(struct db_stmt *st, int idx, enum db_value_kind type)
{
	st->ops->bind_null_as(st, idx, type);
}

void db_bind_double(struct db_stmt *st, int idx, double v)
{
	st->ops->bind_double(st, idx, v);
}

enum db_result db_step(struct db_stmt *st)
{
	return st->ops->step(st);
}

bool db_col_null(struct db_stmt *st, int col)
{
	return st->ops->col_null(st, col);
}

int64_t db_col_int(struct db_stmt *st, int col)
{
	return st->ops->col_int(st, col);
}

double db_col_double(struct db_stmt *st, int col)
{
	return st->ops->col_double(st, col);
}

const char *db_col_text(struct db_stmt *st, int col)
{
	return st->ops->col_text(st, col);
}

const void *db_col_blob(struct db_stmt *st, int col, size_t *n)
{
	return st->ops->col_blob(st, col, n);
}

int db_col_count(struct db_stmt *st)
{
	return st->ops->col_count(st);
}

const char *db_col_name(struct db_stmt *st, int col)
{
	return st->ops->col_name(st, col);
}

enum db_value_kind db_col_kind(struct db_stmt *st, int col)
{
	return st->ops->col_kind(st, col);
}

enum db_result db_exec(struct db *db, const char *sql)
{
	return db->ops->exec(db, sql);
}

enum db_result db_begin_read(struct db *db)
{
	return db->ops->begin_read(db);
}

enum db_result db_begin_write(struct db *db)
{
	return db->ops->begin_write(db);
}

enum db_result db_commit(struct db *db)
{
	return db->ops->commit(db);
}

void db_rollback(struct db *db)
{
	db->ops->rollback(db);
}

bool db_in_transaction(struct db *db)
{
	return db->ops->in_transaction(db);
}

int64_t db_last_id(struct db *db)
{
	return db->ops->last_id(db);
}

int64_t db_changes(struct db *db)
{
	return db->ops->changes(db);
}
