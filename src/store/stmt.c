/* The statement helpers of store/stmt.h: the only place in store/ that binds
 * parameters and steps statements for the store files. */
#include "store/stmt.h"

#include <string.h>

void sql_bind(struct db_stmt *st, int first, const struct sql_arg *args, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int idx = first + (int)i;
		switch (args[i].kind) {
		case SQL_INT:
			db_bind_int(st, idx, args[i].i);
			break;
		case SQL_TEXT:
			db_bind_text(st, idx, args[i].p);
			break;
		case SQL_REAL:
			db_bind_double(st, idx, args[i].d);
			break;
		case SQL_BLOB:
			db_bind_blob(st, idx, args[i].p, args[i].n);
			break;
		case SQL_NULL:
			db_bind_null_as(st, idx,
			                args[i].type == SQL_INT    ? DB_V_INT
			                : args[i].type == SQL_TEXT ? DB_V_TEXT
			                : args[i].type == SQL_REAL ? DB_V_REAL
			                : args[i].type == SQL_BLOB ? DB_V_BLOB
			                                           : DB_V_NULL);
			break;
		}
	}
}

struct db_stmt *sql_open(struct db *db, const char *sql, const struct sql_arg *args, size_t n)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (st)
		sql_bind(st, 1, args, n);
	return st;
}

enum db_result sql_run(struct db *db, const char *sql, const struct sql_arg *args, size_t n)
{
	struct db_stmt *st = sql_open(db, sql, args, n);
	if (!st)
		return DB_ERROR;
	enum db_result r = db_step(st);
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

enum db_result sql_change(struct db *db, const char *sql, const struct sql_arg *args, size_t n)
{
	enum db_result r = sql_run(db, sql, args, n);
	if (r == DB_OK && db_changes(db) == 0)
		return DB_DONE;
	return r;
}

enum db_result sql_insert(struct db *db, const char *sql, const struct sql_arg *args, size_t n,
                          int64_t *id)
{
	enum db_result r = sql_run(db, sql, args, n);
	if (r == DB_OK && id)
		*id = db_last_id(db);
	return r;
}

enum db_result sql_one(struct db *db, struct arena *a, const char *sql, const struct sql_arg *args,
                       size_t n, sql_read_fn read, void *out)
{
	struct db_stmt *st = sql_open(db, sql, args, n);
	if (!st)
		return DB_ERROR;
	enum db_result r = db_step(st);
	if (r == DB_ROW)
		read(st, a, out);
	db_done(st);
	return r;
}

enum db_result sql_all(struct db *db, struct arena *a, const char *sql, const struct sql_arg *args,
                       size_t n, sql_read_fn read, size_t rowsize, int limit, void **rows,
                       size_t *nrows)
{
	size_t cap = 16;
	*nrows = 0;
	*rows = arena_alloc(a, rowsize * cap);
	struct db_stmt *st = sql_open(db, sql, args, n);
	if (!st)
		return DB_ERROR;
	enum db_result r = DB_DONE;
	while ((limit < 0 || *nrows < (size_t)limit) && (r = db_step(st)) == DB_ROW) {
		if (*nrows == cap) {
			void *bigger = arena_alloc(a, rowsize * cap * 2);
			memcpy(bigger, *rows, rowsize * cap);
			*rows = bigger;
			cap *= 2;
		}
		char *row = (char *)*rows + rowsize * (*nrows)++;
		memset(row, 0, rowsize);
		read(st, a, row);
	}
	if (r == DB_ROW)
		r = DB_DONE; /* stopped at the limit */
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

enum db_result sql_int(struct db *db, const char *sql, const struct sql_arg *args, size_t n,
                       int64_t *out)
{
	*out = 0;
	struct db_stmt *st = sql_open(db, sql, args, n);
	if (!st)
		return DB_ERROR;
	enum db_result r = db_step(st);
	if (r == DB_ROW && !db_col_null(st, 0))
		*out = db_col_int(st, 0);
	db_done(st);
	return r == DB_ROW || r == DB_DONE ? DB_OK : r;
}

enum db_result sql_exists(struct db *db, const char *sql, const struct sql_arg *args, size_t n,
                          bool *out)
{
	*out = false;
	struct db_stmt *st = sql_open(db, sql, args, n);
	if (!st)
		return DB_ERROR;
	enum db_result r = db_step(st);
	*out = r == DB_ROW;
	db_done(st);
	return r == DB_ROW || r == DB_DONE ? DB_OK : r;
}

const char *sql_str(struct db_stmt *st, struct arena *a, int col)
{
	return db_col_null(st, col) ? NULL : arena_strdup(a, db_col_text(st, col));
}

struct sealed sql_sealed(struct db_stmt *st, struct arena *a, int col)
{
	struct sealed s = {NULL, 0};
	if (db_col_null(st, col))
		return s;
	size_t n;
	const void *p = db_col_blob(st, col, &n);
	unsigned char *copy = arena_alloc(a, n ? n : 1);
	if (n)
		memcpy(copy, p, n);
	s.p = copy;
	s.n = n;
	return s;
}

bool sql_index(struct db_stmt *st, int col, unsigned char out[SEAL_INDEX_LEN])
{
	if (db_col_null(st, col))
		return false;
	size_t n;
	const void *p = db_col_blob(st, col, &n);
	if (n != SEAL_INDEX_LEN)
		return false;
	memcpy(out, p, SEAL_INDEX_LEN);
	return true;
}

const char *sql_prefix_end(struct arena *a, const char *prefix)
{
	return arena_printf(a, "%s;", prefix ? prefix : "");
}

/* ---- newest first over scopes ---- */

static int64_t row_id(const void *row)
{
	int64_t id;
	memcpy(&id, row, sizeof id);
	return id;
}

enum db_result sql_newest(struct db *db, struct arena *a, const char *sql, const struct scopes *sc,
                          int64_t before, int limit, sql_read_fn read, size_t rowsize, void **rows,
                          size_t *n)
{
	*n = 0;
	size_t cap = (size_t)(limit > 0 ? limit : 1) * (size_t)(sc->n > 0 ? sc->n : 1);
	char *all = arena_alloc(a, rowsize * cap);
	char *tmp = arena_alloc(a, rowsize);
	*rows = all;
	for (int s = 0; s < sc->n; s++) {
		void *got;
		size_t m = 0;
		const char *lo = sc->prefix[s], *hi = sql_prefix_end(a, lo);
		enum db_result r = sql_all(
		    db, a, sql, ARGS(ARG_TEXT(lo), ARG_TEXT(hi), ARG_INT(before), ARG_INT(limit)),
		    read, rowsize, limit, &got, &m);
		if (r != DB_OK)
			return r;
		for (size_t i = 0; i < m; i++) {
			const char *row = (const char *)got + rowsize * i;
			bool seen = false;
			for (size_t j = 0; j < *n && !seen; j++)
				seen = row_id(all + rowsize * j) == row_id(row);
			if (!seen)
				memcpy(all + rowsize * (*n)++, row, rowsize);
		}
	}
	/* newest first: an insertion sort (at most limit rows of each of a few scopes) */
	for (size_t i = 1; i < *n; i++) {
		memcpy(tmp, all + rowsize * i, rowsize);
		size_t j = i;
		for (; j > 0 && row_id(all + rowsize * (j - 1)) < row_id(tmp); j--)
			memcpy(all + rowsize * j, all + rowsize * (j - 1), rowsize);
		memcpy(all + rowsize * j, tmp, rowsize);
	}
	if (limit > 0 && *n > (size_t)limit)
		*n = (size_t)limit;
	return DB_OK;
}

/* ---- the scope walker ---- */

/* sql takes ?1 lo, ?2 hi, ?3 after code, ?4 after id (never before lo: "(code, id) > (?3, ?4)
 * AND code < ?2" is the whole range, and an index on (code, id) seeks straight to it), filters
 * from ?5 on, and the limit last (?limit_idx). Walks the scopes in order from after, up to
 * limit rows. */
enum db_result sql_walk(struct db *db, struct arena *a, const char *sql, int limit_idx,
                        const struct scopes *sc, struct page_after after, int limit,
                        const struct sql_arg *filters, size_t nfilters, sql_read_fn read,
                        size_t rowsize, void **rows, size_t *n)
{
	*n = 0;
	*rows = arena_alloc(a, rowsize * (size_t)(limit > 0 ? limit : 1));
	const char *acode = after.code ? after.code : "";
	for (int s = 0; s < sc->n && (int)*n < limit; s++) {
		const char *p = sc->prefix[s];
		const char *lo = p;
		const char *hi = *p ? arena_printf(a, "%s:", p) : "~";
		if (strcmp(hi, acode) <= 0)
			continue; /* this scope lies wholly before the cursor */
		/* The cursor alone is the lower bound: the scope's start when the cursor lies
		 * before it. Given "region_code >= lo" as well, SQLite seeks to lo and steps over
		 * every row of the cursor's region up to its id: each page of a big export cost
		 * more than the one before. */
		bool before = strcmp(acode, lo) < 0;
		struct db_stmt *st =
		    sql_open(db, sql,
		             ARGS(ARG_TEXT(lo), ARG_TEXT(hi), ARG_TEXT(before ? lo : acode),
		                  ARG_INT(before ? 0 : after.id)));
		if (!st)
			return DB_ERROR;
		sql_bind(st, 5, filters, nfilters);
		db_bind_int(st, limit_idx, limit - (int)*n);
		enum db_result r;
		while ((r = db_step(st)) == DB_ROW)
			read(st, a, (char *)*rows + rowsize * (*n)++);
		db_done(st);
		if (r != DB_DONE)
			return r;
	}
	return DB_OK;
}
