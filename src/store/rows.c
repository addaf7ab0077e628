/* Row helpers the store files share: optional binds, copying columns into an
 * arena, single-row and many-row reads, and the region-scope walker. */
#include "store/rows.h"

#include <string.h>

const char *rows_str(struct db_stmt *st, struct arena *a, int col)
{
	return db_col_null(st, col) ? NULL : arena_strdup(a, db_col_text(st, col));
}

void rows_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (s && *s)
		db_bind_text(st, idx, s);
	else
		db_bind_null(st, idx);
}

void rows_bind_id(struct db_stmt *st, int idx, int64_t v)
{
	if (v > 0)
		db_bind_int(st, idx, v);
	else
		db_bind_null(st, idx);
}

enum db_result rows_finish(struct db_stmt *st)
{
	enum db_result r = db_step(st);
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

/* ---- the scope walker ---- */

/* sql takes ?1 lo, ?2 hi, ?3 after code, ?4 after id (never before lo: "(code, id) > (?3, ?4)
 * AND code < ?2" is the whole range, and an index on (code, id) seeks straight to it), filters
 * from ?5 on (bound by bind), and the limit last (?limit_idx). Walks the scopes in order from
 * after, up to limit rows. */
enum db_result rows_walk(struct db *db, struct arena *a, const char *sql, int limit_idx,
                         const struct scopes *sc, struct page_after after, int limit, bind_fn bind,
                         const void *barg, read_fn read, size_t rowsize, void **rows, size_t *n)
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
		struct db_stmt *st = db_prepare(db, sql);
		if (!st)
			return DB_ERROR;
		db_bind_text(st, 1, lo);
		db_bind_text(st, 2, hi);
		db_bind_text(st, 3, before ? lo : acode);
		db_bind_int(st, 4, before ? 0 : after.id);
		if (bind)
			bind(st, barg);
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

enum db_result rows_one(struct db_stmt *st, struct arena *a, read_fn read, void *out)
{
	enum db_result r = db_step(st);
	if (r == DB_ROW)
		read(st, a, out);
	db_done(st);
	return r;
}
enum db_result rows_collect_max(struct db_stmt *st, struct arena *a, read_fn read, size_t rowsize,
                                int limit, void **rows, size_t *n)
{
	size_t cap = 16;
	*n = 0;
	*rows = arena_alloc(a, rowsize * cap);
	enum db_result r = DB_DONE;
	while ((limit < 0 || *n < (size_t)limit) && (r = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			void *bigger = arena_alloc(a, rowsize * cap * 2);
			memcpy(bigger, *rows, rowsize * cap);
			*rows = bigger;
			cap *= 2;
		}
		char *row = (char *)*rows + rowsize * (*n)++;
		memset(row, 0, rowsize);
		read(st, a, row);
	}
	if (r == DB_ROW)
		r = DB_DONE; /* stopped at the limit */
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

enum db_result rows_collect(struct db_stmt *st, struct arena *a, read_fn read, size_t rowsize,
                            void **rows, size_t *n)
{
	return rows_collect_max(st, a, read, rowsize, -1, rows, n);
}

const char *rows_prefix_end(struct arena *a, const char *prefix)
{
	return arena_printf(a, "%s;", prefix ? prefix : "");
}
