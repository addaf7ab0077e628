/* Cadres (下沉干部), their service hours and the coverage report. */
#include "store/party/pairings.h"
#include "store/party/party.h"

#include <string.h>

#include "store/dialect.h"
#include "store/stmt.h"

#define S(col) sql_str(st, a, col)

/* ---- cadres ---- */

/* Hours served: reception days held (not cancelled, on or before today) plus service
 * entries. */
#define CADRE_COLS                                                                                 \
	"c.id, coalesce(c.user_id, 0), coalesce(c.member_id, 0), coalesce(c.building_id, 0), "     \
	"c.name, c.unit, c.region_code, c.started_on, c.note, c.kind, c.legal_adviser, c.status, " \
	"c.created_at, c.updated_at, (SELECT name FROM regions WHERE code = c.region_code), "      \
	"(SELECT name FROM buildings WHERE id = c.building_id), "                                  \
	"(SELECT coalesce(sum(hours), 0) FROM cadre_service s WHERE s.cadre_id = c.id) + "         \
	"(SELECT coalesce(sum((CAST(substr(ends, 1, 2) AS INTEGER) * 60 + CAST(substr(ends, 4, "   \
	"2) "                                                                                      \
	"AS INTEGER) - CAST(substr(starts, 1, 2) AS INTEGER) * 60 - CAST(substr(starts, 4, 2) AS " \
	"INTEGER)) / 60.0), 0) FROM reception_days d WHERE d.cadre_id = c.id AND d.status = "      \
	"'open' AND d.held_on <= " SQL_TODAY_CST ")"

static void cadre_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct cadre_row *c = p;
	memset(c, 0, sizeof *c); /* sql_one does not zero the row */
	c->id = db_col_int(st, 0);
	c->user_id = db_col_int(st, 1);
	c->member_id = db_col_int(st, 2);
	c->building_id = db_col_int(st, 3);
	c->name = S(4);
	c->unit = S(5);
	c->region_code = S(6);
	c->started_on = S(7);
	c->note = S(8);
	enum cadre_kind k = CADRE_SINKING;
	cadre_kind_parse(db_col_text(st, 9), &k);
	c->kind = k;
	c->legal_adviser = db_col_int(st, 10) != 0;
	c->active = strcmp(db_col_text(st, 11), "active") == 0;
	c->created_at = db_col_int(st, 12);
	c->updated_at = db_col_int(st, 13);
	c->region_name = S(14);
	c->building_name = S(15);
	c->hours = db_col_double(st, 16);
}

enum db_result store_cadres_insert(struct db *db, struct cadre_row *c)
{
	return sql_insert(
	    db,
	    "INSERT INTO cadres(name, kind, unit, user_id, member_id, region_code, building_id, "
	    "legal_adviser, started_on, status, note, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)",
	    ARGS(ARG_TEXT(c->name), ARG_TEXT(cadre_kind_code(c->kind)), ARG_TEXT(c->unit),
	         ARG_NONZERO(c->user_id), ARG_NONZERO(c->member_id), ARG_TEXT(c->region_code),
	         ARG_NONZERO(c->building_id), ARG_INT((int64_t)c->legal_adviser),
	         ARG_TEXT(c->started_on), ARG_TEXT(c->note), ARG_INT(c->created_at),
	         ARG_INT(c->updated_at)),
	    &c->id);
}

enum db_result store_cadres_get(struct db *db, struct arena *a, int64_t id, struct cadre_row *out)
{
	return sql_one(db, a, "SELECT " CADRE_COLS " FROM cadres c WHERE c.id = ?",
	               ARGS(ARG_INT(id)), cadre_read, out);
}

enum db_result store_cadres_update(struct db *db, const struct cadre_row *c)
{
	return sql_run(db,
	               "UPDATE cadres SET name = ?, unit = ?, kind = ?, region_code = ?, "
	               "building_id = ?, legal_adviser = ?, status = ?, note = ?, updated_at = ? "
	               "WHERE id = ?",
	               ARGS(ARG_TEXT(c->name), ARG_TEXT(c->unit),
	                    ARG_TEXT(cadre_kind_code(c->kind)), ARG_TEXT(c->region_code),
	                    ARG_NONZERO(c->building_id), ARG_INT((int64_t)c->legal_adviser),
	                    ARG_TEXT(c->active ? "active" : "ended"), ARG_TEXT(c->note),
	                    ARG_INT(c->updated_at), ARG_INT(c->id)));
}

enum db_result store_cadres_list(struct db *db, struct arena *a, const struct cadre_filter *f,
                                 struct cadre_row **rows, size_t *n)
{
	const char *region = f->region ? f->region : "";
	return sql_all(
	    db, a,
	    "SELECT " CADRE_COLS " FROM cadres c WHERE c.region_code >= ?1 AND "
	    "c.region_code < ?2 AND c.status = 'active' AND (CAST(?3 AS TEXT) IS NULL OR c.kind = "
	    "?3) AND "
	    "(?4 = 0 OR c.kind != 'sinking') AND (CAST(?5 AS BIGINT) = 0 OR c.user_id = ?5) AND "
	    "c.id > ?6 "
	    "ORDER BY c.id LIMIT ?7",
	    ARGS(ARG_TEXT(region), ARG_TEXT(sql_prefix_end(a, region)),
	         ARG_TEXT(f->kind >= 0 ? cadre_kind_code((enum cadre_kind)f->kind) : NULL),
	         ARG_INT((int64_t)(f->kind == -2)), ARG_INT(f->user_id), ARG_INT(f->after_id),
	         ARG_INT((int64_t)f->limit)),
	    cadre_read, sizeof(**rows), f->limit, (void **)rows, n);
}

enum db_result store_cadre_service_add(struct db *db, int64_t cadre_id, const char *served_on,
                                       double hours, const char *what, int64_t by, int64_t now)
{
	return sql_run(db,
	               "INSERT INTO cadre_service(cadre_id, served_on, hours, what, created_by, "
	               "created_at) VALUES (?, ?, ?, ?, ?, ?)",
	               ARGS(ARG_INT(cadre_id), ARG_TEXT(served_on), ARG_REAL(hours), ARG_TEXT(what),
	                    ARG_NONZERO(by), ARG_INT(now)));
}

static void ccov_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct cadre_coverage_row *c = p;
	c->code = S(0);
	c->name = S(1);
	c->cadres = db_col_int(st, 2);
	c->judges = db_col_int(st, 3);
	c->prosecutors = db_col_int(st, 4);
	c->police = db_col_int(st, 5);
	c->lawyers = db_col_int(st, 6);
	c->legal_advisers = db_col_int(st, 7);
}

/* How many active cadres of each of 三官一律 (judges, prosecutors, police, lawyers). */
#define JUDGES      SQL_COUNT_IF("c.kind = 'judge'")
#define PROSECUTORS SQL_COUNT_IF("c.kind = 'prosecutor'")
#define POLICE      SQL_COUNT_IF("c.kind = 'police'")
#define LAWYERS     SQL_COUNT_IF("c.kind = 'lawyer'")

enum db_result store_cadres_coverage(struct db *db, struct arena *a, const char *region,
                                     struct cadre_coverage_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT r.code, r.name, count(c.id), coalesce(" JUDGES ", 0), coalesce(" PROSECUTORS
	    ", 0), coalesce(" POLICE ", 0), coalesce(" LAWYERS ", 0), "
	    "coalesce(sum(c.legal_adviser), 0) FROM "
	    "regions r LEFT JOIN cadres c ON c.region_code = r.code AND c.status = 'active' "
	    "WHERE r.level = 2 AND r.status = 'active' AND r.code >= ? AND r.code < ? "
	    "GROUP BY r.code ORDER BY r.code",
	    ARGS(ARG_TEXT(region), ARG_TEXT(sql_prefix_end(a, region))), ccov_read, sizeof(**rows),
	    -1, (void **)rows, n);
}
