/* The whole-database copy of store/copy.h. Table and column names come from the
 * catalogue, never from outside, and are checked to be plain identifiers before
 * they are put into a statement's text; every value is a bound parameter. */
#include "store/copy.h"
#include "core/arena.h"
#include "core/log.h"
#include "store/dialect.h"
#include "store/stmt.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

enum { COPY_CHUNK = 5000, COPY_MAX_COLS = 64 };

static bool plain_name(const char *s)
{
	if (!s || !*s || strlen(s) >= 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* Whether table names a parent (a foreign key's table, not itself) among the first n of t
 * that is not yet placed (placed[i] false); -1 when the catalogue cannot be read. */
static int waits_for_parent(struct db *db, const char *table, const struct store_table_sum *t,
                            const bool *placed, size_t n)
{
	struct db_stmt *st = sql_open(
	    db, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)", ARGS(ARG_TEXT(table)));
	if (!st)
		return -1;
	int waits = 0;
	enum db_result r;
	while (!waits && (r = db_step(st)) == DB_ROW) {
		const char *parent = db_col_text(st, 0);
		for (size_t i = 0; i < n && parent; i++)
			if (!placed[i] && strcmp(t[i].name, parent) == 0 &&
			    strcmp(parent, table) != 0)
				waits = 1;
	}
	db_done(st);
	return waits;
}

/* Orders the tables so that every table comes after the tables its foreign keys name, keeping
 * creation order otherwise: creation order alone is not enough, since a table rebuilt by a
 * later migration (SQLite's create-copy-rename) is created after its children. */
static bool parents_first(struct db *db, struct store_copy_report *out)
{
	struct store_table_sum sorted[STORE_COPY_MAX_TABLES] = {0}; /* 10 kB */
	bool placed[STORE_COPY_MAX_TABLES] = {0};
	size_t k = 0;
	while (k < out->n) {
		size_t before = k;
		for (size_t i = 0; i < out->n; i++) {
			if (placed[i])
				continue;
			int w =
			    waits_for_parent(db, out->tables[i].name, out->tables, placed, out->n);
			if (w < 0)
				return false;
			if (!w) {
				sorted[k++] = out->tables[i];
				placed[i] = true;
				break; /* start again from the first: the earliest ready table goes
				          next */
			}
		}
		if (k == before)
			return false; /* a cycle of foreign keys */
	}
	memcpy(out->tables, sorted, sizeof sorted[0] * out->n);
	return true;
}

bool store_copy_tables(struct db *sqlite_side, struct store_copy_report *out, char *err,
                       size_t errlen)
{
	out->n = 0;
	if (db_kind(sqlite_side) != DB_SQLITE) {
		snprintf(err, errlen, "one side of a copy must be a SQLite file");
		return false;
	}
	/* Creation order: a table's parents were created before it. */
	struct db_stmt *st = sql_open(sqlite_side,
	                              "SELECT name FROM sqlite_master WHERE type = 'table' AND "
	                              "name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY rowid",
	                              NO_ARGS);
	if (!st) {
		snprintf(err, errlen, "cannot read the list of tables");
		return false;
	}
	enum db_result r;
	while ((r = db_step(st)) == DB_ROW) {
		const char *name = db_col_text(st, 0);
		if (!plain_name(name) || out->n == STORE_COPY_MAX_TABLES) {
			db_done(st);
			snprintf(err, errlen, "unexpected table %s", name ? name : "(null)");
			return false;
		}
		struct store_table_sum *t = &out->tables[out->n++];
		snprintf(t->name, sizeof t->name, "%s", name);
	}
	db_done(st);
	if (r != DB_DONE) {
		snprintf(err, errlen, "cannot read the list of tables");
		return false;
	}
	if (!parents_first(sqlite_side, out)) {
		snprintf(err, errlen, "cannot order the tables by their foreign keys");
		return false;
	}
	return true;
}

/* Whether table has a column "id" to page by (asked of the source). */
static bool has_id(struct db *db, struct arena *a, const char *table)
{
	struct db_stmt *st = db_prepare(db, arena_printf(a, "SELECT * FROM %s LIMIT 1", table));
	if (!st)
		return false;
	bool yes = false;
	if (db_step(st) == DB_ROW)
		for (int c = 0; c < db_col_count(st); c++)
			if (strcmp(db_col_name(st, c), "id") == 0)
				yes = true;
	db_done(st);
	return yes;
}

static void bind_value(struct db_stmt *to, int idx, struct db_stmt *from, int col)
{
	size_t n;
	const void *p;
	switch (db_col_kind(from, col)) {
	case DB_V_INT:
		db_bind_int(to, idx, db_col_int(from, col));
		break;
	case DB_V_REAL:
		db_bind_double(to, idx, db_col_double(from, col));
		break;
	case DB_V_TEXT:
		db_bind_text(to, idx, db_col_text(from, col));
		break;
	case DB_V_BLOB:
		p = db_col_blob(from, col, &n);
		db_bind_blob(to, idx, p ? p : "", n);
		break;
	case DB_V_NULL:
		db_bind_null(to, idx);
		break;
	}
}

/* The INSERT for the columns of the current row of from. */
static const char *insert_text(struct arena *a, const char *table, struct db_stmt *from)
{
	int n = db_col_count(from);
	if (n < 1 || n > COPY_MAX_COLS)
		return NULL;
	const char *cols = "", *marks = "";
	for (int c = 0; c < n; c++) {
		const char *name = db_col_name(from, c);
		if (!plain_name(name))
			return NULL;
		cols = arena_printf(a, "%s%s%s", cols, c ? ", " : "", name);
		marks = arena_printf(a, "%s%s?", marks, c ? ", " : "");
	}
	/* Rows a trigger of the target already made from an earlier table (photo_refs from
	 * case_events) are the same rows: kept once. */
	return arena_printf(a, SQL_INSERT_IGNORE " %s(%s) VALUES (%s)" SQL_IGNORE_END, table, cols,
	                    marks);
}

/* Copies the rows of one page of table (after id, or all rows when paged is false). */
static enum db_result copy_page(struct db *from, struct db *to, struct arena *a, const char *table,
                                bool paged, int64_t *after, int64_t *rows, bool *more)
{
	const char *sel =
	    paged ? arena_printf(a, "SELECT * FROM %s WHERE id > ? ORDER BY id LIMIT %d", table,
	                         COPY_CHUNK)
	          : arena_printf(a, "SELECT * FROM %s", table);
	struct db_stmt *src = db_prepare(from, sel);
	if (!src)
		return DB_ERROR;
	if (paged)
		db_bind_int(src, 1, *after);
	const char *ins = NULL;
	int idcol = -1, got = 0;
	enum db_result r;
	while ((r = db_step(src)) == DB_ROW) {
		if (!ins) {
			ins = insert_text(a, table, src);
			if (!ins) {
				db_done(src);
				return DB_ERROR;
			}
			for (int c = 0; c < db_col_count(src); c++)
				if (strcmp(db_col_name(src, c), "id") == 0)
					idcol = c;
		}
		struct db_stmt *dst = db_prepare(to, ins);
		if (!dst) {
			db_done(src);
			return DB_ERROR;
		}
		for (int c = 0; c < db_col_count(src); c++)
			bind_value(dst, c + 1, src, c);
		enum db_result w = db_step(dst);
		db_done(dst);
		if (w != DB_DONE) {
			db_done(src);
			return w;
		}
		if (idcol >= 0)
			*after = db_col_int(src, idcol);
		got++;
		(*rows)++;
	}
	db_done(src);
	*more = paged && got == COPY_CHUNK;
	return r == DB_DONE ? DB_OK : r;
}

/* PostgreSQL hands out ids from a sequence that rows copied with their own ids did not
 * move: it is set past the highest copied id. */
static enum db_result follow_ids(struct db *to, struct arena *a, const char *table)
{
	if (db_kind(to) != DB_POSTGRES)
		return DB_OK;
	return db_exec(to, arena_printf(a,
	                                "SELECT setval(pg_get_serial_sequence('%s', 'id'), "
	                                "coalesce((SELECT max(id) FROM %s), 0) + 1, false) "
	                                "WHERE pg_get_serial_sequence('%s', 'id') IS NOT NULL",
	                                table, table, table));
}

static bool sums_read(struct db *db, const struct store_copy_report *plan,
                      struct store_copy_report *out, char *err, size_t errlen);

bool store_copy(struct db *from, struct db *to, const struct store_copy_report *plan,
                store_copy_progress_fn progress, void *arg, struct store_copy_report *source_sums,
                char *err, size_t errlen)
{
	struct arena a;
	arena_init(&a);
	bool ok = false;
	/* A target holding anyone's work (a user, a region, an audit entry) is never written. */
	static const char *const kept[] = {"users", "regions", "audit"};
	for (size_t k = 0; k < sizeof kept / sizeof kept[0]; k++) {
		bool used;
		if (sql_exists(to, arena_printf(&a, "SELECT 1 FROM %s LIMIT 1", kept[k]), NO_ARGS,
		               &used) != DB_OK ||
		    used) {
			snprintf(err, errlen, "the target is not empty (table %s has rows)",
			         kept[k]);
			goto out;
		}
	}
	/* What the migrations seeded (categories, responsibilities) gives way to the source's
	 * rows: emptied children first, in one transaction. */
	if (db_begin_write(to) != DB_OK) {
		snprintf(err, errlen, "cannot write the target: %s", db_errmsg(to));
		goto out;
	}
	for (size_t t = plan->n; t-- > 0;) {
		if (db_exec(to, arena_printf(&a, "DELETE FROM %s", plan->tables[t].name)) !=
		    DB_OK) {
			snprintf(err, errlen, "cannot empty the target's table %s",
			         plan->tables[t].name);
			db_rollback(to);
			goto out;
		}
	}
	if (db_commit(to) != DB_OK) {
		snprintf(err, errlen, "cannot write the target: %s", db_errmsg(to));
		goto out;
	}
	if (db_begin_read(from) != DB_OK) {
		snprintf(err, errlen, "cannot read the source: %s", db_errmsg(from));
		goto out;
	}
	for (size_t t = 0; t < plan->n; t++) {
		const char *table = plan->tables[t].name;
		int64_t n = 0;
		bool paged = has_id(from, &a, table), more = true;
		int64_t after = 0;
		while (more) {
			if (db_begin_write(to) != DB_OK) {
				snprintf(err, errlen, "cannot write the target: %s", db_errmsg(to));
				goto rollback;
			}
			enum db_result r = copy_page(from, to, &a, table, paged, &after, &n, &more);
			if (r == DB_OK && !more && paged)
				r = follow_ids(to, &a, table);
			if (r != DB_OK) {
				snprintf(err, errlen, "cannot copy table %s: %s", table,
				         db_errmsg(to));
				db_rollback(to);
				goto rollback;
			}
			if (db_commit(to) != DB_OK) {
				snprintf(err, errlen, "cannot commit table %s: %s", table,
				         db_errmsg(to));
				goto rollback;
			}
			if (progress)
				progress(arg, table, n, !more);
			arena_free(&a);
			arena_init(&a);
		}
	}
	/* The source's sums come from the snapshot the copy was read from: a live database
	 * moves on meanwhile (a notification sent, a session touched). */
	ok = sums_read(from, plan, source_sums, err, errlen);
rollback:
	db_rollback(from);
out:
	arena_free(&a);
	return ok;
}

/* One value into the row's hash, tagged by kind so 1 and '1' differ. Integers and text
 * are what both backends store alike; a real is hashed by its shortest exact text. */
static void hash_value(crypto_generichash_state *h, struct db_stmt *st, int col)
{
	unsigned char tag;
	char num[40];
	size_t n = 0;
	const void *p = NULL;
	switch (db_col_kind(st, col)) {
	case DB_V_INT:
		tag = 'i';
		n = (size_t)snprintf(num, sizeof num, "%lld", (long long)db_col_int(st, col));
		p = num;
		break;
	case DB_V_REAL:
		tag = 'r';
		n = (size_t)snprintf(num, sizeof num, "%.17g", db_col_double(st, col));
		p = num;
		break;
	case DB_V_TEXT:
		tag = 't';
		p = db_col_text(st, col);
		n = p ? strlen(p) : 0;
		break;
	case DB_V_BLOB:
		tag = 'b';
		p = db_col_blob(st, col, &n);
		break;
	default:
		tag = 'n';
		break;
	}
	unsigned char len[8];
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(n >> (8 * i));
	crypto_generichash_update(h, &tag, 1);
	crypto_generichash_update(h, len, sizeof len);
	if (n)
		crypto_generichash_update(h, p, n);
}

/* The sums of plan's tables in db, inside the caller's transaction. */
static bool sums_read(struct db *db, const struct store_copy_report *plan,
                      struct store_copy_report *out, char *err, size_t errlen)
{
	struct arena a;
	arena_init(&a);
	out->n = 0;
	bool ok = true;
	for (size_t t = 0; ok && t < plan->n; t++) {
		struct store_table_sum *s = &out->tables[out->n++];
		*s = (struct store_table_sum){0};
		snprintf(s->name, sizeof s->name, "%s", plan->tables[t].name);
		/* Columns by name in the source's order, so both sides hash the same sequence. */
		struct db_stmt *st = db_prepare(db, arena_printf(&a, "SELECT * FROM %s", s->name));
		if (!st) {
			ok = false;
			break;
		}
		enum db_result r;
		int ncols = -1;
		const char *names[COPY_MAX_COLS];
		int order[COPY_MAX_COLS];
		while ((r = db_step(st)) == DB_ROW) {
			if (ncols < 0) {
				ncols = db_col_count(st);
				if (ncols > COPY_MAX_COLS)
					ncols = COPY_MAX_COLS;
				for (int c = 0; c < ncols; c++)
					names[c] = arena_strdup(&a, db_col_name(st, c));
				/* hash in column-name order: both backends agree on names */
				for (int c = 0; c < ncols; c++)
					order[c] = c;
				for (int i = 1; i < ncols; i++)
					for (int j = i; j > 0 && strcmp(names[order[j - 1]],
					                                names[order[j]]) > 0;
					     j--) {
						int tmp = order[j];
						order[j] = order[j - 1];
						order[j - 1] = tmp;
					}
			}
			crypto_generichash_state h;
			crypto_generichash_init(&h, NULL, 0, 8);
			for (int c = 0; c < ncols; c++)
				hash_value(&h, st, order[c]);
			unsigned char d[8];
			crypto_generichash_final(&h, d, sizeof d);
			uint64_t v = 0;
			for (int i = 0; i < 8; i++)
				v |= (uint64_t)d[i] << (8 * i);
			s->sum += v;
			s->rows++;
		}
		db_done(st);
		if (r != DB_DONE)
			ok = false;
		arena_free(&a);
		arena_init(&a);
	}
	if (!ok)
		snprintf(err, errlen, "cannot read %s: %s",
		         out->n ? out->tables[out->n - 1].name : "", db_errmsg(db));
	arena_free(&a);
	return ok;
}

bool store_copy_sums(struct db *db, const struct store_copy_report *plan,
                     struct store_copy_report *out, char *err, size_t errlen)
{
	if (db_begin_read(db) != DB_OK) {
		snprintf(err, errlen, "cannot read: %s", db_errmsg(db));
		return false;
	}
	bool ok = sums_read(db, plan, out, err, errlen);
	db_rollback(db);
	return ok;
}
