/* Reception days (接待日). Their slots and bookings are service slots and bookings
 * (store/services/slots.c). */
#include "store/party/pairings.h"
#include "store/party/party.h"

#include <string.h>

#include "store/dialect.h"
#include "store/stmt.h"

#define S(col) sql_str(st, a, col)

/* ---- reception days ---- */

#define DAY_COLS                                                                                   \
	"d.id, d.cadre_id, coalesce(d.created_by, 0), d.region_code, d.held_on, d.starts, "        \
	"d.ends, "                                                                                 \
	"d.place, d.topic, d.status, d.created_at, d.updated_at, c.name, c.unit, (SELECT name "    \
	"FROM regions WHERE code = d.region_code)"

static void day_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct reception_day_row *d = p;
	memset(d, 0, sizeof *d); /* sql_one does not zero the row */
	d->id = db_col_int(st, 0);
	d->cadre_id = db_col_int(st, 1);
	d->created_by = db_col_int(st, 2);
	d->region_code = S(3);
	d->held_on = S(4);
	d->starts = S(5);
	d->ends = S(6);
	d->place = S(7);
	d->topic = S(8);
	d->cancelled = strcmp(db_col_text(st, 9), "cancelled") == 0;
	d->created_at = db_col_int(st, 10);
	d->updated_at = db_col_int(st, 11);
	d->cadre_name = S(12);
	d->cadre_unit = S(13);
	d->region_name = S(14);
}

enum db_result store_reception_days_insert(struct db *db, struct reception_day_row *d)
{
	return sql_insert(
	    db,
	    "INSERT INTO reception_days(cadre_id, region_code, held_on, starts, ends, place, "
	    "topic, status, created_by, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
	    ARGS(ARG_INT(d->cadre_id), ARG_TEXT(d->region_code), ARG_TEXT(d->held_on),
	         ARG_TEXT(d->starts), ARG_TEXT(d->ends), ARG_TEXT(d->place), ARG_TEXT(d->topic),
	         ARG_NONZERO(d->created_by), ARG_INT(d->created_at), ARG_INT(d->updated_at)),
	    &d->id);
}

enum db_result store_reception_days_get(struct db *db, struct arena *a, int64_t id,
                                        struct reception_day_row *out)
{
	return sql_one(db, a,
	               "SELECT " DAY_COLS " FROM reception_days d JOIN cadres c ON c.id = "
	               "d.cadre_id WHERE d.id = ?",
	               ARGS(ARG_INT(id)), day_read, out);
}

enum db_result store_reception_days_cancel(struct db *db, int64_t id, int64_t now)
{
	return sql_run(
	    db, "UPDATE reception_days SET status = 'cancelled', updated_at = ? WHERE id = ?",
	    ARGS(ARG_INT(now), ARG_INT(id)));
}

enum db_result store_reception_days_list(struct db *db, struct arena *a, const char *region,
                                         const char *grid_of_resident, const char *from_date,
                                         int64_t cadre_id, int64_t after_id, int limit,
                                         struct reception_day_row **rows, size_t *n)
{
	/* A resident sees the days of the regions their grid lies in (its community, street,
	 * district, or the grid itself); staff see the days under their region. */
	const char *r = region ? region : "";
	return sql_all(
	    db, a,
	    "SELECT " DAY_COLS " FROM reception_days d JOIN cadres c ON c.id = d.cadre_id "
	    "WHERE CASE WHEN CAST(?3 AS TEXT) IS NOT NULL THEN substr(?3, 1, "
	    "length(d.region_code)) = "
	    "d.region_code ELSE d.region_code >= ?1 AND d.region_code < ?2 END AND "
	    "(CAST(?4 AS TEXT) IS NULL OR d.held_on >= ?4) AND (CAST(?5 AS BIGINT) = 0 OR "
	    "d.cadre_id = ?5) AND "
	    "(CAST(?3 AS TEXT) IS NULL OR d.status = 'open') AND d.id > ?6 ORDER BY d.id LIMIT ?7",
	    ARGS(ARG_TEXT(r), ARG_TEXT(sql_prefix_end(a, r)), ARG_TEXT(grid_of_resident),
	         ARG_TEXT(from_date), ARG_INT(cadre_id), ARG_INT(after_id),
	         ARG_INT((int64_t)limit)),
	    day_read, sizeof(**rows), limit, (void **)rows, n);
}
