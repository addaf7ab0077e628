/* Base data rows. Every statement is prepared once per connection (the SQL
 * text is the cache key) with bound parameters; listings walk the caller's
 * region scopes in (region_code, id) order, see base.h. */
#include "store/base/base.h"

#include <stdlib.h>
#include <string.h>

#include "store/rows.h"

static struct sealed col_sealed(struct db_stmt *st, struct arena *a, int col)
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
static bool col_index(struct db_stmt *st, int col, unsigned char out[SEAL_INDEX_LEN])
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
static void bind_sealed(struct db_stmt *st, int idx, struct sealed s)
{
	if (s.p && s.n)
		db_bind_blob(st, idx, s.p, s.n);
	else
		db_bind_null(st, idx);
}
static void bind_index(struct db_stmt *st, int idx, bool has, const unsigned char *p)
{
	if (has)
		db_bind_blob(st, idx, p, SEAL_INDEX_LEN);
	else
		db_bind_null(st, idx);
}

#define RANGE " (region_code, id) > (?3, ?4) AND region_code < ?2 " /* see rows_walk */

/* ---- buildings ---- */

#define BUILDING_COLS                                                                              \
	"id, region_code, name, address, coalesce(floors, 0), created_at, updated_at, "            \
	"(SELECT count(*) FROM houses h WHERE h.building_id = buildings.id)"

static void building_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct building_row *b = row;
	memset(b, 0, sizeof *b);
	b->id = db_col_int(st, 0);
	b->region_code = rows_str(st, a, 1);
	b->name = rows_str(st, a, 2);
	b->address = rows_str(st, a, 3);
	b->floors = db_col_int(st, 4);
	b->created_at = db_col_int(st, 5);
	b->updated_at = db_col_int(st, 6);
	b->houses = db_col_int(st, 7);
}

enum db_result buildings_insert(struct db *db, struct building_row *b)
{
	struct db_stmt *st =
	    db_prepare(db, "INSERT INTO buildings(region_code, name, address, floors, "
	                   "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, b->region_code);
	db_bind_text(st, 2, b->name);
	rows_bind_text(st, 3, b->address);
	rows_bind_id(st, 4, b->floors);
	db_bind_int(st, 5, b->created_at);
	db_bind_int(st, 6, b->updated_at);
	enum db_result r = rows_finish(st);
	if (r == DB_OK)
		b->id = db_last_id(db);
	return r;
}

enum db_result buildings_get(struct db *db, struct arena *a, int64_t id, struct building_row *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " BUILDING_COLS " FROM buildings WHERE id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	return rows_one(st, a, building_read, out);
}

enum db_result buildings_find(struct db *db, struct arena *a, const char *grid, const char *name,
                              struct building_row *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " BUILDING_COLS
	                                    " FROM buildings WHERE region_code = ? AND name = ?");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, grid);
	db_bind_text(st, 2, name);
	return rows_one(st, a, building_read, out);
}

enum db_result buildings_update(struct db *db, const struct building_row *b)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "UPDATE buildings SET name = ?, address = ?, floors = ?, updated_at = ? WHERE id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, b->name);
	rows_bind_text(st, 2, b->address);
	rows_bind_id(st, 3, b->floors);
	db_bind_int(st, 4, b->updated_at);
	db_bind_int(st, 5, b->id);
	return rows_finish(st);
}

enum db_result buildings_list(struct db *db, struct arena *a, const struct scopes *sc,
                              struct page_after after, int limit, struct building_row **rows,
                              size_t *n)
{
	return rows_walk(db, a,
	                 "SELECT " BUILDING_COLS " FROM buildings WHERE" RANGE
	                 "ORDER BY region_code, id LIMIT ?5",
	                 5, sc, after, limit, NULL, NULL, building_read, sizeof **rows,
	                 (void **)rows, n);
}

/* ---- houses ---- */

void house_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct house_row *h = row;
	memset(h, 0, sizeof *h);
	h->id = db_col_int(st, 0);
	h->region_code = rows_str(st, a, 1);
	h->building_id = db_col_int(st, 2);
	h->building_name = rows_str(st, a, 3);
	h->unit = rows_str(st, a, 4);
	h->room = rows_str(st, a, 5);
	h->address = rows_str(st, a, 6);
	h->use = rows_str(st, a, 7);
	h->area = db_col_double(st, 8);
	h->note = rows_str(st, a, 9);
	h->verified_at = db_col_int(st, 10);
	h->version = db_col_int(st, 11);
	h->created_at = db_col_int(st, 12);
	h->updated_at = db_col_int(st, 13);
	h->occupants = db_col_int(st, 14);
}

enum db_result houses_insert(struct db *db, struct house_row *h)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO houses(region_code, building_id, unit, room, address, use, area, note, "
	    "verified_at, version, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, h->region_code);
	db_bind_int(st, 2, h->building_id);
	db_bind_text(st, 3, h->unit ? h->unit : "");
	db_bind_text(st, 4, h->room);
	rows_bind_text(st, 5, h->address);
	db_bind_text(st, 6, h->use ? h->use : "owner_occupied");
	if (h->area >= 0)
		db_bind_double(st, 7, h->area);
	else
		db_bind_null(st, 7);
	rows_bind_text(st, 8, h->note);
	db_bind_int(st, 9, h->verified_at);
	db_bind_int(st, 10, h->created_at);
	db_bind_int(st, 11, h->updated_at);
	enum db_result r = rows_finish(st);
	if (r == DB_OK) {
		h->id = db_last_id(db);
		h->version = 1;
	}
	return r;
}

enum db_result houses_get(struct db *db, struct arena *a, int64_t id, struct house_row *out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " HOUSE_COLS " FROM houses h JOIN buildings b ON b.id = "
	                   "h.building_id WHERE h.id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	return rows_one(st, a, house_read, out);
}

enum db_result houses_find(struct db *db, struct arena *a, int64_t building_id, const char *unit,
                           const char *room, struct house_row *out)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT " HOUSE_COLS " FROM houses h JOIN buildings b ON b.id = h.building_id "
	        "WHERE h.building_id = ? AND h.unit = ? AND h.room = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, building_id);
	db_bind_text(st, 2, unit ? unit : "");
	db_bind_text(st, 3, room);
	return rows_one(st, a, house_read, out);
}

enum db_result houses_update(struct db *db, const struct house_row *h)
{
	struct db_stmt *st = db_prepare(
	    db, "UPDATE houses SET unit = ?, room = ?, address = ?, use = ?, area = ?, note = ?, "
	        "verified_at = ?, version = ?, updated_at = ? WHERE id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, h->unit ? h->unit : "");
	db_bind_text(st, 2, h->room);
	rows_bind_text(st, 3, h->address);
	db_bind_text(st, 4, h->use);
	if (h->area >= 0)
		db_bind_double(st, 5, h->area);
	else
		db_bind_null(st, 5);
	rows_bind_text(st, 6, h->note);
	db_bind_int(st, 7, h->verified_at);
	db_bind_int(st, 8, h->version);
	db_bind_int(st, 9, h->updated_at);
	db_bind_int(st, 10, h->id);
	return rows_finish(st);
}

struct house_filter_args {
	int64_t building_id;
	const char *use;
};

static void house_bind(struct db_stmt *st, const void *arg)
{
	const struct house_filter_args *f = arg;
	rows_bind_id(st, 5, f->building_id);
	rows_bind_text(st, 6, f->use);
}

enum db_result houses_list(struct db *db, struct arena *a, const struct scopes *sc,
                           int64_t building_id, const char *use, struct page_after after, int limit,
                           struct house_row **rows, size_t *n)
{
	struct house_filter_args f = {building_id, use};
	return rows_walk(
	    db, a,
	    "SELECT " HOUSE_COLS " FROM houses h JOIN buildings b ON b.id = h.building_id "
	    "WHERE (h.region_code, h.id) > (?3, ?4) AND h.region_code < ?2 AND (?5 IS NULL OR "
	    "h.building_id = ?5) AND (?6 IS NULL OR h.use = ?6) "
	    "ORDER BY h.region_code, h.id LIMIT ?7",
	    7, sc, after, limit, house_bind, &f, house_read, sizeof **rows, (void **)rows, n);
}

/* ---- households ---- */

#define HOUSEHOLD_COLS                                                                             \
	"id, region_code, coalesce(house_id, 0), number, coalesce(head_id, 0), created_at, "       \
	"updated_at"

static void household_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct household_row *h = row;
	memset(h, 0, sizeof *h);
	h->id = db_col_int(st, 0);
	h->region_code = rows_str(st, a, 1);
	h->house_id = db_col_int(st, 2);
	h->number = rows_str(st, a, 3);
	h->head_id = db_col_int(st, 4);
	h->created_at = db_col_int(st, 5);
	h->updated_at = db_col_int(st, 6);
}

enum db_result households_insert(struct db *db, struct household_row *h)
{
	struct db_stmt *st =
	    db_prepare(db, "INSERT INTO households(region_code, house_id, number, "
	                   "head_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, h->region_code);
	rows_bind_id(st, 2, h->house_id);
	rows_bind_text(st, 3, h->number);
	rows_bind_id(st, 4, h->head_id);
	db_bind_int(st, 5, h->created_at);
	db_bind_int(st, 6, h->updated_at);
	enum db_result r = rows_finish(st);
	if (r == DB_OK)
		h->id = db_last_id(db);
	return r;
}

enum db_result households_get(struct db *db, struct arena *a, int64_t id, struct household_row *out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " HOUSEHOLD_COLS " FROM households WHERE id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	return rows_one(st, a, household_read, out);
}

enum db_result households_find(struct db *db, struct arena *a, int64_t house_id, const char *number,
                               struct household_row *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " HOUSEHOLD_COLS
	                                    " FROM households WHERE house_id = ? AND number = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, house_id);
	db_bind_text(st, 2, number);
	return rows_one(st, a, household_read, out);
}

enum db_result households_update(struct db *db, const struct household_row *h)
{
	struct db_stmt *st = db_prepare(db, "UPDATE households SET house_id = ?, number = ?, "
	                                    "head_id = ?, updated_at = ? WHERE id = ?");
	if (!st)
		return DB_ERROR;
	rows_bind_id(st, 1, h->house_id);
	rows_bind_text(st, 2, h->number);
	rows_bind_id(st, 3, h->head_id);
	db_bind_int(st, 4, h->updated_at);
	db_bind_int(st, 5, h->id);
	return rows_finish(st);
}

enum db_result households_set_head(struct db *db, int64_t id, int64_t head_id, int64_t at)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE households SET head_id = ?, updated_at = ? WHERE id = ?");
	if (!st)
		return DB_ERROR;
	rows_bind_id(st, 1, head_id);
	db_bind_int(st, 2, at);
	db_bind_int(st, 3, id);
	return rows_finish(st);
}

static void building_household_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct building_household *b = row;
	household_read(st, a, &b->hh);
	b->building = rows_str(st, a, 7);
	b->unit = rows_str(st, a, 8);
	b->room = rows_str(st, a, 9);
	b->head_name = rows_str(st, a, 10);
	b->house_households = db_col_int(st, 11);
}

enum db_result households_in_building(struct db *db, struct arena *a, int64_t building_id,
                                      struct building_household **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT hh.id, hh.region_code, coalesce(hh.house_id, 0), hh.number, "
	        "coalesce(hh.head_id, 0), hh.created_at, hh.updated_at, b.name, h.unit, h.room, "
	        "(SELECT name FROM residents r WHERE r.id = hh.head_id), "
	        "(SELECT count(*) FROM households x WHERE x.house_id = hh.house_id) "
	        "FROM houses h JOIN buildings b ON b.id = h.building_id "
	        "JOIN households hh ON hh.house_id = h.id WHERE h.building_id = ? "
	        "ORDER BY h.unit, length(h.room), h.room, hh.id LIMIT ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, building_id);
	db_bind_int(st, 2, BUILDING_HOUSEHOLDS_MAX);
	return rows_collect(st, a, building_household_read, sizeof **rows, (void **)rows, n);
}

enum db_result households_in_house(struct db *db, struct arena *a, int64_t house_id,
                                   struct household_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " HOUSEHOLD_COLS
	                                    " FROM households WHERE house_id = ? ORDER BY id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, house_id);
	return rows_collect(st, a, household_read, sizeof **rows, (void **)rows, n);
}

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
	r->region_code = rows_str(st, a, 1);
	r->house_id = db_col_int(st, 2);
	r->household_id = db_col_int(st, 3);
	r->relation = rows_str(st, a, 4);
	r->name = rows_str(st, a, 5);
	r->id_sealed = col_sealed(st, a, 6);
	r->has_id_index = col_index(st, 7, r->id_index);
	r->id_mask = rows_str(st, a, 8);
	r->phone_sealed = col_sealed(st, a, 9);
	r->has_phone_index = col_index(st, 10, r->phone_index);
	r->phone_mask = rows_str(st, a, 11);
	r->birth_year = db_col_int(st, 12);
	r->gender = rows_str(st, a, 13);
	r->residency = rows_str(st, a, 14);
	r->tags = rows_str(st, a, 15);
	r->restricted_sealed = col_sealed(st, a, 16);
	r->note = rows_str(st, a, 17);
	r->status = rows_str(st, a, 18);
	r->verified_at = db_col_int(st, 19);
	r->version = db_col_int(st, 20);
	r->created_at = db_col_int(st, 21);
	r->updated_at = db_col_int(st, 22);
	r->birth_sealed = col_sealed(st, a, 23);
}

/* Binds the columns insert and update share, from ?1 to ?20. */
static void resident_bind(struct db_stmt *st, const struct resident_row *r)
{
	db_bind_text(st, 1, r->region_code);
	rows_bind_id(st, 2, r->house_id);
	rows_bind_id(st, 3, r->household_id);
	rows_bind_text(st, 4, r->relation);
	db_bind_text(st, 5, r->name);
	bind_sealed(st, 6, r->id_sealed);
	bind_index(st, 7, r->has_id_index, r->id_index);
	rows_bind_text(st, 8, r->id_mask);
	bind_sealed(st, 9, r->phone_sealed);
	bind_index(st, 10, r->has_phone_index, r->phone_index);
	rows_bind_text(st, 11, r->phone_mask);
	rows_bind_id(st, 12, r->birth_year);
	rows_bind_text(st, 13, r->gender);
	db_bind_text(st, 14, r->residency);
	db_bind_text(st, 15, r->tags ? r->tags : "");
	bind_sealed(st, 16, r->restricted_sealed);
	rows_bind_text(st, 17, r->note);
	db_bind_text(st, 18, r->status ? r->status : "active");
	db_bind_int(st, 19, r->verified_at);
	bind_sealed(st, 20, r->birth_sealed);
}

enum db_result residents_insert(struct db *db, struct resident_row *r)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO residents(region_code, house_id, household_id, relation, name, "
	    "id_sealed, id_index, id_mask, phone_sealed, phone_index, phone_mask, birth_year, "
	    "gender, residency, tags, restricted_sealed, note, status, verified_at, birth_sealed, "
	    "version, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	    "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, 1, ?21, ?22)");
	if (!st)
		return DB_ERROR;
	resident_bind(st, r);
	db_bind_int(st, 21, r->created_at);
	db_bind_int(st, 22, r->updated_at);
	enum db_result res = rows_finish(st);
	if (res == DB_OK) {
		r->id = db_last_id(db);
		r->version = 1;
	}
	return res;
}

enum db_result residents_get(struct db *db, struct arena *a, int64_t id, struct resident_row *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " RESIDENT_COLS " FROM residents WHERE id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	return rows_one(st, a, resident_read, out);
}

enum db_result residents_update(struct db *db, const struct resident_row *r)
{
	struct db_stmt *st = db_prepare(
	    db, "UPDATE residents SET region_code = ?1, house_id = ?2, household_id = ?3, "
	        "relation = ?4, name = ?5, id_sealed = ?6, id_index = ?7, id_mask = ?8, "
	        "phone_sealed = ?9, phone_index = ?10, phone_mask = ?11, birth_year = ?12, "
	        "gender = ?13, residency = ?14, tags = ?15, restricted_sealed = ?16, note = ?17, "
	        "status = ?18, verified_at = ?19, birth_sealed = ?20, birth_date = NULL, "
	        "version = ?21, updated_at = ?22 WHERE id = ?23");
	if (!st)
		return DB_ERROR;
	resident_bind(st, r);
	db_bind_int(st, 21, r->version);
	db_bind_int(st, 22, r->updated_at);
	db_bind_int(st, 23, r->id);
	return rows_finish(st);
}

enum db_result residents_by_id_index(struct db *db, struct arena *a,
                                     const unsigned char idx[SEAL_INDEX_LEN],
                                     struct resident_row *out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " RESIDENT_COLS " FROM residents WHERE id_index = ?");
	if (!st)
		return DB_ERROR;
	db_bind_blob(st, 1, idx, SEAL_INDEX_LEN);
	return rows_one(st, a, resident_read, out);
}

enum db_result residents_by_phone_index(struct db *db, struct arena *a,
                                        const unsigned char idx[SEAL_INDEX_LEN], int limit,
                                        struct resident_row **rows, size_t *n)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " RESIDENT_COLS
	                   " FROM residents WHERE phone_index = ? ORDER BY id LIMIT ?");
	if (!st)
		return DB_ERROR;
	db_bind_blob(st, 1, idx, SEAL_INDEX_LEN);
	db_bind_int(st, 2, limit);
	return rows_collect(st, a, resident_read, sizeof **rows, (void **)rows, n);
}

static void resident_filter_bind(struct db_stmt *st, const void *arg)
{
	const struct resident_filter *f = arg;
	rows_bind_text(st, 5, f->residency);
	if (f->tag && *f->tag)
		db_bind_text(st, 6, f->tag);
	else
		db_bind_null(st, 6);
	if (!f->status)
		db_bind_text(st, 7, "active");
	else
		rows_bind_text(st, 7, f->status);
	rows_bind_id(st, 8, f->house_id);
	rows_bind_id(st, 9, f->household_id);
	if (f->q && *f->q)
		db_bind_text(st, 10, f->q);
}

#define RESIDENT_FILTERS                                                                           \
	" AND (?5 IS NULL OR residency = ?5) AND (?6 IS NULL OR instr(',' || tags || ',', ',' || " \
	"?6 || ',') > 0) AND (?7 IS NULL OR status = ?7) AND (?8 IS NULL OR house_id = ?8) AND "   \
	"(?9 IS NULL OR household_id = ?9) "

enum db_result residents_list(struct db *db, struct arena *a, const struct resident_filter *f,
                              struct resident_row **rows, size_t *n)
{
	if (f->q && *f->q) {
		/* Name prefix: the (name, region_code) index finds the few matches (the largest
		 * code point bounds the range), then they are sorted into page order. */
		return rows_walk(db, a,
		                 "SELECT " RESIDENT_COLS
		                 " FROM residents WHERE name >= ?10 AND name < ?10 || "
		                 "char(1114111) AND +region_code >= ?1 AND +region_code < ?2 AND "
		                 "(region_code, id) > "
		                 "(?3, ?4)" RESIDENT_FILTERS "ORDER BY region_code, id LIMIT ?11",
		                 11, &f->scopes, f->after, f->limit, resident_filter_bind, f,
		                 resident_read, sizeof **rows, (void **)rows, n);
	}
	return rows_walk(db, a,
	                 "SELECT " RESIDENT_COLS " FROM residents WHERE" RANGE RESIDENT_FILTERS
	                 "ORDER BY region_code, id LIMIT ?10",
	                 10, &f->scopes, f->after, f->limit, resident_filter_bind, f, resident_read,
	                 sizeof **rows, (void **)rows, n);
}

/* Rows per transaction of the data step: short write locks on a live district. */
enum { SEAL_BATCH = 500 };

static enum db_result seal_batches(struct db *db, int64_t *sealed);

enum db_result residents_seal_birth_dates(struct db *db, int64_t *sealed)
{
	*sealed = 0;
	if (!seal_ready())
		return DB_ERROR;
	/* Overwrite what is deleted or changed instead of leaving it in free space; only while
	 * this step runs (the connection goes on to serve a CLI command). */
	if (db_exec(db, "PRAGMA secure_delete=ON") != DB_OK)
		return DB_ERROR;
	enum db_result res = seal_batches(db, sealed);
	if (db_exec(db, "PRAGMA secure_delete=OFF") != DB_OK)
		res = DB_ERROR;
	return res;
}

static enum db_result seal_batches(struct db *db, int64_t *sealed)
{
	for (;;) {
		if (db_begin_write(db) != DB_OK)
			return DB_ERROR;
		struct db_stmt *sel = db_prepare(db, "SELECT id, birth_date FROM residents WHERE "
		                                     "birth_date IS NOT NULL ORDER BY id LIMIT ?");
		if (!sel) {
			db_rollback(db);
			return DB_ERROR;
		}
		db_bind_int(sel, 1, SEAL_BATCH);
		struct arena a;
		arena_init(&a);
		int64_t ids[SEAL_BATCH];
		const char *dates[SEAL_BATCH];
		int n = 0;
		enum db_result r = DB_DONE;
		while (n < SEAL_BATCH && (r = db_step(sel)) == DB_ROW) {
			ids[n] = db_col_int(sel, 0);
			dates[n++] = rows_str(sel, &a, 1);
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
			struct db_stmt *up = db_prepare(db, "UPDATE residents SET birth_sealed = "
			                                    "?, birth_date = NULL WHERE id = ?");
			if (!up) {
				free(box);
				ok = false;
				break;
			}
			if (box)
				db_bind_blob(up, 1, box, boxlen);
			else
				db_bind_null(up, 1);
			db_bind_int(up, 2, ids[i]);
			ok = rows_finish(up) == DB_OK;
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

/* ---- organisations ---- */

#define ORG_COLS                                                                                   \
	"id, region_code, coalesce(house_id, 0), name, uscc, kind, industry, legal_person, "       \
	"phone_sealed, phone_mask, address, coalesce(employees, -1), status, verified_at, "        \
	"version, created_at, updated_at"

static void org_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct org_row *o = row;
	memset(o, 0, sizeof *o);
	o->id = db_col_int(st, 0);
	o->region_code = rows_str(st, a, 1);
	o->house_id = db_col_int(st, 2);
	o->name = rows_str(st, a, 3);
	o->uscc = rows_str(st, a, 4);
	o->kind = rows_str(st, a, 5);
	o->industry = rows_str(st, a, 6);
	o->legal_person = rows_str(st, a, 7);
	o->phone_sealed = col_sealed(st, a, 8);
	o->phone_mask = rows_str(st, a, 9);
	o->address = rows_str(st, a, 10);
	o->employees = db_col_int(st, 11);
	o->status = rows_str(st, a, 12);
	o->verified_at = db_col_int(st, 13);
	o->version = db_col_int(st, 14);
	o->created_at = db_col_int(st, 15);
	o->updated_at = db_col_int(st, 16);
}

static void org_bind(struct db_stmt *st, const struct org_row *o)
{
	db_bind_text(st, 1, o->region_code);
	rows_bind_id(st, 2, o->house_id);
	db_bind_text(st, 3, o->name);
	rows_bind_text(st, 4, o->uscc);
	db_bind_text(st, 5, o->kind);
	rows_bind_text(st, 6, o->industry);
	rows_bind_text(st, 7, o->legal_person);
	bind_sealed(st, 8, o->phone_sealed);
	rows_bind_text(st, 9, o->phone_mask);
	rows_bind_text(st, 10, o->address);
	if (o->employees >= 0)
		db_bind_int(st, 11, o->employees);
	else
		db_bind_null(st, 11);
	db_bind_text(st, 12, o->status ? o->status : "active");
	db_bind_int(st, 13, o->verified_at);
}

enum db_result orgs_insert(struct db *db, struct org_row *o)
{
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO organisations(region_code, house_id, name, uscc, kind, industry, "
	        "legal_person, phone_sealed, phone_mask, address, employees, status, verified_at, "
	        "version, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	        "?11, ?12, ?13, 1, ?14, ?15)");
	if (!st)
		return DB_ERROR;
	org_bind(st, o);
	db_bind_int(st, 14, o->created_at);
	db_bind_int(st, 15, o->updated_at);
	enum db_result r = rows_finish(st);
	if (r == DB_OK) {
		o->id = db_last_id(db);
		o->version = 1;
	}
	return r;
}

enum db_result orgs_get(struct db *db, struct arena *a, int64_t id, struct org_row *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " ORG_COLS " FROM organisations WHERE id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	return rows_one(st, a, org_read, out);
}

enum db_result orgs_by_uscc(struct db *db, struct arena *a, const char *uscc, struct org_row *out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " ORG_COLS " FROM organisations WHERE uscc = ?");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, uscc);
	return rows_one(st, a, org_read, out);
}

enum db_result orgs_update(struct db *db, const struct org_row *o)
{
	struct db_stmt *st = db_prepare(
	    db, "UPDATE organisations SET region_code = ?1, house_id = ?2, name = ?3, uscc = ?4, "
	        "kind = ?5, industry = ?6, legal_person = ?7, phone_sealed = ?8, phone_mask = ?9, "
	        "address = ?10, employees = ?11, status = ?12, verified_at = ?13, version = ?14, "
	        "updated_at = ?15 WHERE id = ?16");
	if (!st)
		return DB_ERROR;
	org_bind(st, o);
	db_bind_int(st, 14, o->version);
	db_bind_int(st, 15, o->updated_at);
	db_bind_int(st, 16, o->id);
	return rows_finish(st);
}

struct org_filter_args {
	const char *q, *kind;
};

static void org_filter_bind(struct db_stmt *st, const void *arg)
{
	const struct org_filter_args *f = arg;
	rows_bind_text(st, 5, f->q);
	rows_bind_text(st, 6, f->kind);
}

enum db_result orgs_list(struct db *db, struct arena *a, const struct scopes *sc, const char *q,
                         const char *kind, struct page_after after, int limit,
                         struct org_row **rows, size_t *n)
{
	struct org_filter_args f = {q, kind};
	return rows_walk(
	    db, a,
	    "SELECT " ORG_COLS " FROM organisations WHERE" RANGE
	    "AND (?5 IS NULL OR instr(name, ?5) > 0 OR uscc = ?5) AND (?6 IS NULL OR kind = ?6) "
	    "ORDER BY region_code, id LIMIT ?7",
	    7, sc, after, limit, org_filter_bind, &f, org_read, sizeof **rows, (void **)rows, n);
}

/* ---- history ---- */

enum db_result versions_add(struct db *db, const struct version_row *v)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO record_versions(kind, record_id, version, at, actor_id, actor, action, "
	    "before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, v->kind);
	db_bind_int(st, 2, v->record_id);
	db_bind_int(st, 3, v->version);
	db_bind_int(st, 4, v->at);
	rows_bind_id(st, 5, v->actor_id);
	rows_bind_text(st, 6, v->actor);
	db_bind_text(st, 7, v->action);
	rows_bind_text(st, 8, v->before);
	rows_bind_text(st, 9, v->after);
	return rows_finish(st);
}

enum db_result versions_next(struct db *db, const char *kind, int64_t record_id, int64_t *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT coalesce(max(version), 0) + 1 FROM "
	                                    "record_versions WHERE kind = ? AND record_id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, kind);
	db_bind_int(st, 2, record_id);
	enum db_result r = db_step(st);
	*out = r == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return r == DB_ROW ? DB_OK : DB_ERROR;
}

static void version_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct version_row *v = row;
	memset(v, 0, sizeof *v);
	v->id = db_col_int(st, 0);
	v->kind = rows_str(st, a, 1);
	v->record_id = db_col_int(st, 2);
	v->version = db_col_int(st, 3);
	v->at = db_col_int(st, 4);
	v->actor_id = db_col_int(st, 5);
	v->actor = rows_str(st, a, 6);
	v->action = rows_str(st, a, 7);
	v->before = rows_str(st, a, 8);
	v->after = rows_str(st, a, 9);
}

enum db_result versions_list(struct db *db, struct arena *a, const char *kind, int64_t record_id,
                             struct version_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT id, kind, record_id, version, at, coalesce(actor_id, 0), actor, action, "
	        "before, after FROM record_versions WHERE kind = ? AND record_id = ? ORDER BY id");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, kind);
	db_bind_int(st, 2, record_id);
	return rows_collect(st, a, version_read, sizeof **rows, (void **)rows, n);
}
