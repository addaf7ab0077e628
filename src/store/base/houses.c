/* Buildings, houses and households (房): rows and the scope-walked listings (see base.h). */
#include "store/base/base.h"

#include <string.h>

#include "store/dialect.h"
#include "store/stmt.h"

/* ---- buildings ---- */

#define BUILDING_COLS                                                                              \
	"id, region_code, name, address, coalesce(floors, 0), created_at, updated_at, "            \
	"(SELECT count(*) FROM houses h WHERE h.building_id = buildings.id)"

static void building_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct building_row *b = row;
	memset(b, 0, sizeof *b);
	b->id = db_col_int(st, 0);
	b->region_code = sql_str(st, a, 1);
	b->name = sql_str(st, a, 2);
	b->address = sql_str(st, a, 3);
	b->floors = db_col_int(st, 4);
	b->created_at = db_col_int(st, 5);
	b->updated_at = db_col_int(st, 6);
	b->houses = db_col_int(st, 7);
}

enum db_result store_buildings_insert(struct db *db, struct building_row *b)
{
	return sql_insert(db,
	                  "INSERT INTO buildings(region_code, name, address, floors, "
	                  "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
	                  ARGS(ARG_TEXT(b->region_code), ARG_TEXT(b->name),
	                       ARG_OPT_TEXT(b->address), ARG_ID(b->floors), ARG_INT(b->created_at),
	                       ARG_INT(b->updated_at)),
	                  &b->id);
}

enum db_result store_buildings_get(struct db *db, struct arena *a, int64_t id,
                                   struct building_row *out)
{
	return sql_one(db, a, "SELECT " BUILDING_COLS " FROM buildings WHERE id = ?",
	               ARGS(ARG_INT(id)), building_read, out);
}

enum db_result store_buildings_find(struct db *db, struct arena *a, const char *grid,
                                    const char *name, struct building_row *out)
{
	return sql_one(db, a,
	               "SELECT " BUILDING_COLS " FROM buildings WHERE region_code = ? AND name = ?",
	               ARGS(ARG_TEXT(grid), ARG_TEXT(name)), building_read, out);
}

enum db_result store_buildings_update(struct db *db, const struct building_row *b)
{
	return sql_run(
	    db,
	    "UPDATE buildings SET name = ?, address = ?, floors = ?, updated_at = ? WHERE id = ?",
	    ARGS(ARG_TEXT(b->name), ARG_OPT_TEXT(b->address), ARG_ID(b->floors),
	         ARG_INT(b->updated_at), ARG_INT(b->id)));
}

enum db_result store_buildings_list(struct db *db, struct arena *a, const struct scopes *sc,
                                    struct page_after after, int limit, struct building_row **rows,
                                    size_t *n)
{
	return sql_walk(db, a,
	                "SELECT " BUILDING_COLS " FROM buildings WHERE" SQL_WALK_RANGE
	                "ORDER BY region_code, id LIMIT ?5",
	                5, sc, after, limit, NO_ARGS, building_read, sizeof **rows, (void **)rows,
	                n);
}

/* ---- houses ---- */

void store_house_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct house_row *h = row;
	memset(h, 0, sizeof *h);
	h->id = db_col_int(st, 0);
	h->region_code = sql_str(st, a, 1);
	h->building_id = db_col_int(st, 2);
	h->building_name = sql_str(st, a, 3);
	h->unit = sql_str(st, a, 4);
	h->room = sql_str(st, a, 5);
	h->address = sql_str(st, a, 6);
	h->use = sql_str(st, a, 7);
	h->area = db_col_double(st, 8);
	h->note = sql_str(st, a, 9);
	h->verified_at = db_col_int(st, 10);
	h->version = db_col_int(st, 11);
	h->created_at = db_col_int(st, 12);
	h->updated_at = db_col_int(st, 13);
	h->occupants = db_col_int(st, 14);
}

/* The area column: NULL when unknown (< 0). */
static struct sql_arg house_area(const struct house_row *h)
{
	return h->area >= 0 ? ARG_REAL(h->area) : ARG_NULL;
}

enum db_result store_houses_insert(struct db *db, struct house_row *h)
{
	enum db_result r = sql_insert(
	    db,
	    "INSERT INTO houses(region_code, building_id, unit, room, address, use, area, note, "
	    "verified_at, version, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
	    ARGS(ARG_TEXT(h->region_code), ARG_INT(h->building_id),
	         ARG_TEXT(h->unit ? h->unit : ""), ARG_TEXT(h->room), ARG_OPT_TEXT(h->address),
	         ARG_TEXT(h->use ? h->use : "owner_occupied"), house_area(h), ARG_OPT_TEXT(h->note),
	         ARG_INT(h->verified_at), ARG_INT(h->created_at), ARG_INT(h->updated_at)),
	    &h->id);
	if (r == DB_OK)
		h->version = 1;
	return r;
}

enum db_result store_houses_get(struct db *db, struct arena *a, int64_t id, struct house_row *out)
{
	return sql_one(db, a,
	               "SELECT " HOUSE_COLS " FROM houses h JOIN buildings b ON b.id = "
	               "h.building_id WHERE h.id = ?",
	               ARGS(ARG_INT(id)), store_house_read, out);
}

enum db_result store_houses_find(struct db *db, struct arena *a, int64_t building_id,
                                 const char *unit, const char *room, struct house_row *out)
{
	return sql_one(db, a,
	               "SELECT " HOUSE_COLS
	               " FROM houses h JOIN buildings b ON b.id = h.building_id "
	               "WHERE h.building_id = ? AND h.unit = ? AND h.room = ?",
	               ARGS(ARG_INT(building_id), ARG_TEXT(unit ? unit : ""), ARG_TEXT(room)),
	               store_house_read, out);
}

enum db_result store_houses_update(struct db *db, const struct house_row *h)
{
	return sql_run(
	    db,
	    "UPDATE houses SET unit = ?, room = ?, address = ?, use = ?, area = ?, note = ?, "
	    "verified_at = ?, version = ?, updated_at = ? WHERE id = ?",
	    ARGS(ARG_TEXT(h->unit ? h->unit : ""), ARG_TEXT(h->room), ARG_OPT_TEXT(h->address),
	         ARG_TEXT(h->use), house_area(h), ARG_OPT_TEXT(h->note), ARG_INT(h->verified_at),
	         ARG_INT(h->version), ARG_INT(h->updated_at), ARG_INT(h->id)));
}

enum db_result store_houses_list(struct db *db, struct arena *a, const struct scopes *sc,
                                 int64_t building_id, const char *use, struct page_after after,
                                 int limit, struct house_row **rows, size_t *n)
{
	return sql_walk(
	    db, a,
	    "SELECT " HOUSE_COLS " FROM houses h JOIN buildings b ON b.id = h.building_id "
	    "WHERE (h.region_code, h.id) > (?3, ?4) AND h.region_code < ?2 AND " SQL_WALK_LO
	    " AND (CAST(?5 AS BIGINT) IS NULL OR "
	    "h.building_id = ?5) AND (CAST(?6 AS TEXT) IS NULL OR h.use = ?6) "
	    "ORDER BY h.region_code, h.id LIMIT ?7",
	    7, sc, after, limit, ARGS(ARG_ID(building_id), ARG_OPT_TEXT(use)), store_house_read,
	    sizeof **rows, (void **)rows, n);
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
	h->region_code = sql_str(st, a, 1);
	h->house_id = db_col_int(st, 2);
	h->number = sql_str(st, a, 3);
	h->head_id = db_col_int(st, 4);
	h->created_at = db_col_int(st, 5);
	h->updated_at = db_col_int(st, 6);
}

enum db_result store_households_insert(struct db *db, struct household_row *h)
{
	return sql_insert(db,
	                  "INSERT INTO households(region_code, house_id, number, "
	                  "head_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
	                  ARGS(ARG_TEXT(h->region_code), ARG_ID(h->house_id),
	                       ARG_OPT_TEXT(h->number), ARG_ID(h->head_id), ARG_INT(h->created_at),
	                       ARG_INT(h->updated_at)),
	                  &h->id);
}

enum db_result store_households_get(struct db *db, struct arena *a, int64_t id,
                                    struct household_row *out)
{
	return sql_one(db, a, "SELECT " HOUSEHOLD_COLS " FROM households WHERE id = ?",
	               ARGS(ARG_INT(id)), household_read, out);
}

enum db_result store_households_find(struct db *db, struct arena *a, int64_t house_id,
                                     const char *number, struct household_row *out)
{
	return sql_one(
	    db, a, "SELECT " HOUSEHOLD_COLS " FROM households WHERE house_id = ? AND number = ?",
	    ARGS(ARG_INT(house_id), ARG_TEXT(number)), household_read, out);
}

enum db_result store_households_update(struct db *db, const struct household_row *h)
{
	return sql_run(db,
	               "UPDATE households SET house_id = ?, number = ?, "
	               "head_id = ?, updated_at = ? WHERE id = ?",
	               ARGS(ARG_ID(h->house_id), ARG_OPT_TEXT(h->number), ARG_ID(h->head_id),
	                    ARG_INT(h->updated_at), ARG_INT(h->id)));
}

enum db_result store_households_set_head(struct db *db, int64_t id, int64_t head_id, int64_t at)
{
	return sql_run(db, "UPDATE households SET head_id = ?, updated_at = ? WHERE id = ?",
	               ARGS(ARG_ID(head_id), ARG_INT(at), ARG_INT(id)));
}

static void building_household_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct building_household *b = row;
	household_read(st, a, &b->hh);
	b->building = sql_str(st, a, 7);
	b->unit = sql_str(st, a, 8);
	b->room = sql_str(st, a, 9);
	b->head_name = sql_str(st, a, 10);
	b->house_households = db_col_int(st, 11);
}

enum db_result store_households_in_building(struct db *db, struct arena *a, int64_t building_id,
                                            struct building_household **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT hh.id, hh.region_code, coalesce(hh.house_id, 0), hh.number, "
	    "coalesce(hh.head_id, 0), hh.created_at, hh.updated_at, b.name, h.unit, h.room, "
	    "(SELECT name FROM residents r WHERE r.id = hh.head_id), "
	    "(SELECT count(*) FROM households x WHERE x.house_id = hh.house_id) "
	    "FROM houses h JOIN buildings b ON b.id = h.building_id "
	    "JOIN households hh ON hh.house_id = h.id WHERE h.building_id = ? "
	    "ORDER BY h.unit, length(h.room), h.room, hh.id LIMIT ?",
	    ARGS(ARG_INT(building_id), ARG_INT(BUILDING_HOUSEHOLDS_MAX)), building_household_read,
	    sizeof **rows, -1, (void **)rows, n);
}

enum db_result store_households_in_house(struct db *db, struct arena *a, int64_t house_id,
                                         struct household_row **rows, size_t *n)
{
	return sql_all(
	    db, a, "SELECT " HOUSEHOLD_COLS " FROM households WHERE house_id = ? ORDER BY id",
	    ARGS(ARG_INT(house_id)), household_read, sizeof **rows, -1, (void **)rows, n);
}
