/* Residents (人): sealed personal data with blind indexes and masks, the filtered
 * scope walk, and the one-off sealing of the birth dates old versions kept in clear. */
#include "store/base/base.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/dialect.h"
#include "store/stmt.h"

/* ---- residents ---- */

#define RESIDENT_COLS                                                                              \
	"id, region_code, coalesce(house_id, 0), coalesce(household_id, 0), relation, name, "      \
	"id_sealed, id_index, id_mask, phone_sealed, phone_index, phone_mask, "                    \
	"coalesce(birth_year, 0), gender, residency, tags, restricted_sealed, note, status, "      \
	"verified_at, version, created_at, updated_at, birth_sealed"

static void resident_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct resident_row *r = row;
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, 0);
	r->region_code = sql_str(st, a, 1);
	r->house_id = db_col_int(st, 2);
	r->household_id = db_col_int(st, 3);
	r->relation = sql_str(st, a, 4);
	r->name = sql_str(st, a, 5);
	r->id_sealed = sql_sealed(st, a, 6);
	r->has_id_index = sql_index(st, 7, r->id_index);
	r->id_mask = sql_str(st, a, 8);
	r->phone_sealed = sql_sealed(st, a, 9);
	r->has_phone_index = sql_index(st, 10, r->phone_index);
	r->phone_mask = sql_str(st, a, 11);
	r->birth_year = db_col_int(st, 12);
	r->gender = sql_str(st, a, 13);
	r->residency = sql_str(st, a, 14);
	r->tags = sql_str(st, a, 15);
	r->restricted_sealed = sql_sealed(st, a, 16);
	r->note = sql_str(st, a, 17);
	r->status = sql_str(st, a, 18);
	r->verified_at = db_col_int(st, 19);
	r->version = db_col_int(st, 20);
	r->created_at = db_col_int(st, 21);
	r->updated_at = db_col_int(st, 22);
	r->birth_sealed = sql_sealed(st, a, 23);
}

enum { RESIDENT_SHARED = 20 };

/* The columns insert and update share, ?1 to ?20; the caller adds the rest after them. */
static void resident_args(const struct resident_row *r, struct sql_arg *out)
{
	const struct sql_arg args[RESIDENT_SHARED] = {
	    ARG_TEXT(r->region_code),
	    ARG_ID(r->house_id),
	    ARG_ID(r->household_id),
	    ARG_OPT_TEXT(r->relation),
	    ARG_TEXT(r->name),
	    ARG_SEALED(r->id_sealed),
	    ARG_INDEX(r->has_id_index, r->id_index),
	    ARG_OPT_TEXT(r->id_mask),
	    ARG_SEALED(r->phone_sealed),
	    ARG_INDEX(r->has_phone_index, r->phone_index),
	    ARG_OPT_TEXT(r->phone_mask),
	    ARG_ID(r->birth_year),
	    ARG_OPT_TEXT(r->gender),
	    ARG_TEXT(r->residency),
	    ARG_TEXT(r->tags ? r->tags : ""),
	    ARG_SEALED(r->restricted_sealed),
	    ARG_OPT_TEXT(r->note),
	    ARG_TEXT(r->status ? r->status : "active"),
	    ARG_INT(r->verified_at),
	    ARG_SEALED(r->birth_sealed),
	};
	memcpy(out, args, sizeof args);
}

enum db_result store_residents_insert(struct db *db, struct resident_row *r)
{
	struct sql_arg args[RESIDENT_SHARED + 2];
	resident_args(r, args);
	args[RESIDENT_SHARED] = ARG_INT(r->created_at);
	args[RESIDENT_SHARED + 1] = ARG_INT(r->updated_at);
	enum db_result res = sql_insert(
	    db,
	    "INSERT INTO residents(region_code, house_id, household_id, relation, name, "
	    "id_sealed, id_index, id_mask, phone_sealed, phone_index, phone_mask, birth_year, "
	    "gender, residency, tags, restricted_sealed, note, status, verified_at, birth_sealed, "
	    "version, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	    "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, 1, ?21, ?22)",
	    args, RESIDENT_SHARED + 2, &r->id);
	if (res == DB_OK)
		r->version = 1;
	return res;
}

enum db_result store_residents_get(struct db *db, struct arena *a, int64_t id,
                                   struct resident_row *out)
{
	return sql_one(db, a, "SELECT " RESIDENT_COLS " FROM residents WHERE id = ?",
	               ARGS(ARG_INT(id)), resident_read, out);
}

enum db_result store_residents_update(struct db *db, const struct resident_row *r)
{
	struct sql_arg args[RESIDENT_SHARED + 3];
	resident_args(r, args);
	args[RESIDENT_SHARED] = ARG_INT(r->version);
	args[RESIDENT_SHARED + 1] = ARG_INT(r->updated_at);
	args[RESIDENT_SHARED + 2] = ARG_INT(r->id);
	return sql_run(
	    db,
	    "UPDATE residents SET region_code = ?1, house_id = ?2, household_id = ?3, "
	    "relation = ?4, name = ?5, id_sealed = ?6, id_index = ?7, id_mask = ?8, "
	    "phone_sealed = ?9, phone_index = ?10, phone_mask = ?11, birth_year = ?12, "
	    "gender = ?13, residency = ?14, tags = ?15, restricted_sealed = ?16, note = ?17, "
	    "status = ?18, verified_at = ?19, birth_sealed = ?20, birth_date = NULL, "
	    "version = ?21, updated_at = ?22 WHERE id = ?23",
	    args, RESIDENT_SHARED + 3);
}

enum db_result store_residents_by_id_index(struct db *db, struct arena *a,
                                           const unsigned char idx[SEAL_INDEX_LEN],
                                           struct resident_row *out)
{
	return sql_one(db, a, "SELECT " RESIDENT_COLS " FROM residents WHERE id_index = ?",
	               ARGS(ARG_BLOB(idx, SEAL_INDEX_LEN)), resident_read, out);
}

enum db_result store_residents_by_phone_index(struct db *db, struct arena *a,
                                              const unsigned char idx[SEAL_INDEX_LEN], int limit,
                                              struct resident_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " RESIDENT_COLS
	               " FROM residents WHERE phone_index = ? ORDER BY id LIMIT ?",
	               ARGS(ARG_BLOB(idx, SEAL_INDEX_LEN), ARG_INT(limit)), resident_read,
	               sizeof **rows, -1, (void **)rows, n);
}

#define RESIDENT_FILTERS                                                                           \
	" AND (CAST(?5 AS TEXT) IS NULL OR residency = ?5) AND (CAST(?6 AS TEXT) IS NULL "         \
	"OR " SQL_INSTR(                                                                           \
	    "',' || tags || ','",                                                                  \
	    "',' || ?6 || ','") " > 0) AND (CAST(?7 AS TEXT) IS NULL OR status = ?7) AND "         \
	                        "(CAST(?8 AS BIGINT) IS NULL OR house_id = ?8) AND "               \
	                        "(CAST(?9 AS BIGINT) IS NULL OR household_id = ?9) "

/* The end of the name prefix range, then the scope tested without the region index: the
 * (name, region_code) index serves the query. */
#define REGION_UNINDEXED SQL_NO_INDEX("region_code")
#define NAME_PREFIX_END                                                                            \
	SQL_CHAR_MAX " AND " REGION_UNINDEXED " >= ?1 AND " REGION_UNINDEXED " < ?2 AND "

/* Name search. The (name, region_code) index holds every match's region and id (a common full
 * name in a street of 500 000 people: ~1 800), so page order comes from the index alone; only
 * the first ?12 candidates in that order are read from the table and filtered (the status and
 * the other filters need the row, each a random page read). When fewer than a page pass among
 * them, the scope is read again with no such bound. */
#define NAME_WINDOW_SQL                                                                            \
	"SELECT " RESIDENT_COLS " FROM (SELECT id AS k, region_code AS rc FROM residents "         \
	"WHERE name >= ?10 AND name < ?10 || " NAME_PREFIX_END "(region_code, id) > (?3, ?4) "     \
	"ORDER BY region_code, id LIMIT ?12) m JOIN residents ON residents.id = m.k "              \
	"WHERE 1 = 1" RESIDENT_FILTERS "ORDER BY m.rc, m.k LIMIT ?11"

static enum db_result name_walk(struct db *db, struct arena *a, const struct resident_filter *f,
                                const struct sql_arg *filters, size_t nfilters,
                                struct resident_row **rows, size_t *n)
{
	*n = 0;
	int limit = f->limit;
	*rows = arena_alloc(a, sizeof **rows * (size_t)(limit > 0 ? limit : 1));
	const char *acode = f->after.code ? f->after.code : "";
	for (int s = 0; s < f->scopes.n && (int)*n < limit; s++) {
		/* The scope's range and the cursor as sql_walk binds them. */
		const char *lo = f->scopes.prefix[s];
		const char *hi = *lo ? arena_printf(a, "%s:", lo) : "~";
		if (strcmp(hi, acode) <= 0)
			continue;
		bool before = strcmp(acode, lo) < 0;
		int need = limit - (int)*n;
		size_t start = *n;
		for (int64_t window = 2 * (int64_t)need + 8;; window = INT32_MAX) {
			struct db_stmt *st =
			    sql_open(db, NAME_WINDOW_SQL,
			             ARGS(ARG_TEXT(lo), ARG_TEXT(hi), ARG_TEXT(before ? lo : acode),
			                  ARG_INT(before ? 0 : f->after.id)));
			if (!st)
				return DB_ERROR;
			sql_bind(st, 5, filters, nfilters);
			db_bind_int(st, 11, need);
			db_bind_int(st, 12, window);
			enum db_result r;
			*n = start;
			while ((r = db_step(st)) == DB_ROW)
				resident_read(st, a, *rows + (*n)++);
			db_done(st);
			if (r != DB_DONE)
				return r;
			if ((int)(*n - start) == need || window == INT32_MAX)
				break;
		}
	}
	return DB_OK;
}

enum db_result store_residents_list(struct db *db, struct arena *a, const struct resident_filter *f,
                                    struct resident_row **rows, size_t *n)
{
	/* ?5 to ?9; ?10 is the name prefix when there is one. No status means the active. */
	const struct sql_arg filters[] = {
	    ARG_OPT_TEXT(f->residency),
	    ARG_OPT_TEXT(f->tag),
	    f->status ? ARG_OPT_TEXT(f->status) : ARG_TEXT("active"),
	    ARG_ID(f->house_id),
	    ARG_ID(f->household_id),
	    ARG_OPT_TEXT(f->q),
	};
	if (f->q && *f->q)
		return name_walk(db, a, f, filters, 6, rows, n);
	return sql_walk(db, a,
	                "SELECT " RESIDENT_COLS
	                " FROM residents WHERE" SQL_WALK_RANGE RESIDENT_FILTERS
	                "ORDER BY region_code, id LIMIT ?10",
	                10, &f->scopes, f->after, f->limit, filters, 5, resident_read,
	                sizeof **rows, (void **)rows, n);
}

/* Rows per transaction of the data step: short write locks on a live district. */
enum { SEAL_BATCH = 500 };

static enum db_result seal_batches(struct db *db, int64_t *sealed);

enum db_result store_residents_seal_birth_dates(struct db *db, int64_t *sealed)
{
	*sealed = 0;
	if (!seal_ready())
		return DB_ERROR;
	/* Overwrite what is deleted or changed instead of leaving it in free space; only while
	 * this step runs (the connection goes on to serve a CLI command). */
	if (db_set(db, DB_SECURE_DELETE, true) != DB_OK)
		return DB_ERROR;
	enum db_result res = seal_batches(db, sealed);
	if (db_set(db, DB_SECURE_DELETE, false) != DB_OK)
		res = DB_ERROR;
	return res;
}

static enum db_result seal_batches(struct db *db, int64_t *sealed)
{
	for (;;) {
		if (db_begin_write(db) != DB_OK)
			return DB_ERROR;
		struct db_stmt *sel = sql_open(db,
		                               "SELECT id, birth_date FROM residents WHERE "
		                               "birth_date IS NOT NULL ORDER BY id LIMIT ?",
		                               ARGS(ARG_INT(SEAL_BATCH)));
		if (!sel) {
			db_rollback(db);
			return DB_ERROR;
		}
		struct arena a;
		arena_init(&a);
		int64_t ids[SEAL_BATCH];
		const char *dates[SEAL_BATCH];
		int n = 0;
		enum db_result r = DB_DONE;
		while (n < SEAL_BATCH && (r = db_step(sel)) == DB_ROW) {
			ids[n] = db_col_int(sel, 0);
			dates[n++] = sql_str(sel, &a, 1);
		}
		db_done(sel);
		bool ok = r == DB_ROW || r == DB_DONE;
		for (int i = 0; ok && i < n; i++) {
			unsigned char *box = NULL;
			size_t boxlen = 0;
			const char *d = dates[i] ? dates[i] : "";
			/* "YYYY-MM-DD" as every version wrote it; anything else is kept sealed
			 * whole and its year left as migration 6 read it. */
			if (*d && !seal_encrypt(d, strlen(d), &box, &boxlen)) {
				ok = false;
				break;
			}
			ok = sql_run(db,
			             "UPDATE residents SET birth_sealed = ?, birth_date = NULL "
			             "WHERE id = ?",
			             ARGS(box ? ARG_BLOB(box, boxlen) : ARG_NULL,
			                  ARG_INT(ids[i]))) == DB_OK;
			free(box);
		}
		arena_free(&a);
		if (!ok) {
			db_rollback(db);
			return DB_ERROR;
		}
		if (db_commit(db) != DB_OK)
			return DB_ERROR;
		*sealed += n;
		if (n < SEAL_BATCH)
			return DB_OK;
	}
}
