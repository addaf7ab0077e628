/* Sweeps, visits, coverage, rectification items and import records. */
#include "store/base/sweeps.h"

#include <string.h>

#include "store/dialect.h"
#include "store/stmt.h"

/* ---- sweeps ---- */

#define SWEEP_COLS                                                                                 \
	"id, name, region_code, starts_on, ends_on, status, note, coalesce(created_by, 0), "       \
	"created_at, updated_at"

static void sweep_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct sweep_row *s = row;
	memset(s, 0, sizeof *s);
	s->id = db_col_int(st, 0);
	s->name = sql_str(st, a, 1);
	s->region_code = sql_str(st, a, 2);
	s->starts_on = sql_str(st, a, 3);
	s->ends_on = sql_str(st, a, 4);
	s->status = sql_str(st, a, 5);
	s->note = sql_str(st, a, 6);
	s->created_by = db_col_int(st, 7);
	s->created_at = db_col_int(st, 8);
	s->updated_at = db_col_int(st, 9);
}

enum db_result store_sweeps_insert(struct db *db, struct sweep_row *s)
{
	return sql_insert(db,
	                  "INSERT INTO sweeps(name, region_code, starts_on, ends_on, status, note, "
	                  "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                  ARGS(ARG_TEXT(s->name), ARG_TEXT(s->region_code), ARG_TEXT(s->starts_on),
	                       ARG_TEXT(s->ends_on), ARG_TEXT(s->status ? s->status : "open"),
	                       ARG_OPT_TEXT(s->note), ARG_ID(s->created_by), ARG_INT(s->created_at),
	                       ARG_INT(s->updated_at)),
	                  &s->id);
}

enum db_result store_sweeps_get(struct db *db, struct arena *a, int64_t id, struct sweep_row *out)
{
	return sql_one(db, a, "SELECT " SWEEP_COLS " FROM sweeps WHERE id = ?", ARGS(ARG_INT(id)),
	               sweep_read, out);
}

enum db_result store_sweeps_update(struct db *db, const struct sweep_row *s)
{
	return sql_run(db,
	               "UPDATE sweeps SET name = ?, starts_on = ?, ends_on = ?, "
	               "status = ?, note = ?, updated_at = ? WHERE id = ?",
	               ARGS(ARG_TEXT(s->name), ARG_TEXT(s->starts_on), ARG_TEXT(s->ends_on),
	                    ARG_TEXT(s->status), ARG_OPT_TEXT(s->note), ARG_INT(s->updated_at),
	                    ARG_INT(s->id)));
}

enum db_result store_sweeps_all(struct db *db, struct arena *a, const char *status, int limit,
                                struct sweep_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " SWEEP_COLS " FROM sweeps WHERE (CAST(?1 AS TEXT) IS NULL OR "
	               "status = ?1) ORDER BY id DESC LIMIT ?2",
	               ARGS(ARG_OPT_TEXT(status), ARG_INT(limit)), sweep_read, sizeof **rows, -1,
	               (void **)rows, n);
}

/* ---- visits ---- */

#define VISIT_COLS                                                                                 \
	"v.id, v.sweep_id, v.house_id, v.region_code, coalesce(v.visitor_id, 0), v.visitor, "      \
	"v.at, "                                                                                   \
	"v.outcome, v.use, v.note, v.occupants, v.hazards, v.photos"

static void visit_read_at(struct db_stmt *st, struct arena *a, int c, struct visit_row *v)
{
	memset(v, 0, sizeof *v);
	v->id = db_col_int(st, c);
	v->sweep_id = db_col_int(st, c + 1);
	v->house_id = db_col_int(st, c + 2);
	v->region_code = sql_str(st, a, c + 3);
	v->visitor_id = db_col_int(st, c + 4);
	v->visitor = sql_str(st, a, c + 5);
	v->at = db_col_int(st, c + 6);
	v->outcome = sql_str(st, a, c + 7);
	v->use = sql_str(st, a, c + 8);
	v->note = sql_str(st, a, c + 9);
	v->occupants = sql_str(st, a, c + 10);
	v->hazards = sql_str(st, a, c + 11);
	v->photos = sql_str(st, a, c + 12);
}

static void visit_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct visit_row *v = row;
	visit_read_at(st, a, 0, v);
	v->house_label = sql_str(st, a, 13);
}

static void work_item_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct work_item *w = row;
	store_house_read(st, a, &w->house);
	if (db_col_null(st, 15))
		memset(&w->visit, 0, sizeof w->visit);
	else
		visit_read_at(st, a, 15, &w->visit);
}

enum db_result store_sweep_worklist(struct db *db, struct arena *a, int64_t sweep_id,
                                    const struct scopes *sc, const char *state,
                                    struct page_after after, int limit, struct work_item **rows,
                                    size_t *n)
{
	/* The last visit of this sweep per house; pending = no visit found anyone at home. */
	const char *every =
	    "SELECT " HOUSE_COLS ", " VISIT_COLS " FROM houses h JOIN buildings b ON b.id = "
	    "h.building_id LEFT JOIN sweep_visits v ON v.id = (SELECT max(id) FROM sweep_visits x "
	    "WHERE x.sweep_id = ?5 AND x.house_id = h.id) WHERE (h.region_code, h.id) > "
	    "(?3, ?4) AND h.region_code < ?2 AND " SQL_WALK_LO " ORDER BY h.region_code, h.id "
	    "LIMIT ?6";
	const char *sql_pending =
	    "SELECT " HOUSE_COLS ", " VISIT_COLS " FROM houses h JOIN buildings b ON b.id = "
	    "h.building_id LEFT JOIN sweep_visits v ON v.id = (SELECT max(id) FROM sweep_visits x "
	    "WHERE x.sweep_id = ?5 AND x.house_id = h.id) WHERE (h.region_code, h.id) > "
	    "(?3, ?4) AND h.region_code < ?2 AND " SQL_WALK_LO " AND NOT EXISTS (SELECT 1 FROM "
	    "sweep_visits y WHERE y.sweep_id = ?5 AND y.house_id = h.id AND y.outcome = 'visited') "
	    "ORDER BY h.region_code, h.id LIMIT ?6";
	const char *sql_visited =
	    "SELECT " HOUSE_COLS ", " VISIT_COLS " FROM houses h JOIN buildings b ON b.id = "
	    "h.building_id LEFT JOIN sweep_visits v ON v.id = (SELECT max(id) FROM sweep_visits x "
	    "WHERE x.sweep_id = ?5 AND x.house_id = h.id) WHERE (h.region_code, h.id) > "
	    "(?3, ?4) AND h.region_code < ?2 AND " SQL_WALK_LO " AND EXISTS (SELECT 1 FROM "
	    "sweep_visits y WHERE y.sweep_id = ?5 AND y.house_id = h.id AND y.outcome = 'visited') "
	    "ORDER BY h.region_code, h.id LIMIT ?6";
	const char *sql = !state                          ? every
	                  : strcmp(state, "pending") == 0 ? sql_pending
	                                                  : sql_visited;
	return sql_walk(db, a, sql, 6, sc, after, limit, ARGS(ARG_INT(sweep_id)), work_item_read,
	                sizeof **rows, (void **)rows, n);
}

enum db_result store_visits_insert(struct db *db, struct visit_row *v)
{
	return sql_insert(
	    db,
	    "INSERT INTO sweep_visits(sweep_id, house_id, region_code, visitor_id, visitor, at, "
	    "outcome, use, note, occupants, hazards, photos) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?)",
	    ARGS(ARG_INT(v->sweep_id), ARG_INT(v->house_id), ARG_TEXT(v->region_code),
	         ARG_ID(v->visitor_id), ARG_OPT_TEXT(v->visitor), ARG_INT(v->at),
	         ARG_TEXT(v->outcome), ARG_OPT_TEXT(v->use), ARG_OPT_TEXT(v->note),
	         ARG_OPT_TEXT(v->occupants), ARG_OPT_TEXT(v->hazards), ARG_OPT_TEXT(v->photos)),
	    &v->id);
}

enum db_result store_visits_list(struct db *db, struct arena *a, int64_t sweep_id, int64_t house_id,
                                 const char *region, int64_t before_id, int limit,
                                 struct visit_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT " VISIT_COLS ", b.name || h.unit || h.room FROM sweep_visits v JOIN houses h "
	    "ON h.id = v.house_id JOIN buildings b ON b.id = h.building_id WHERE v.sweep_id = ?1 "
	    "AND (CAST(?2 AS BIGINT) IS NULL OR v.house_id = ?2) AND v.region_code >= ?3 AND "
	    "v.region_code < ?3 "
	    "|| ':' AND (CAST(?4 AS BIGINT) = 0 OR v.id < ?4) ORDER BY v.id DESC LIMIT ?5",
	    ARGS(ARG_INT(sweep_id), ARG_ID(house_id), ARG_TEXT(region ? region : ""),
	         ARG_INT(before_id), ARG_INT(limit)),
	    visit_read, sizeof **rows, -1, (void **)rows, n);
}

static void coverage_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct coverage_row *c = row;
	c->region_code = sql_str(st, a, 0);
	c->houses = db_col_int(st, 1);
	c->visited = db_col_int(st, 2);
}

/* Per group: the houses this sweep (?2) found someone at home in. */
#define VISITED_COUNT                                                                              \
	SQL_COUNT_IF("EXISTS (SELECT 1 FROM sweep_visits v WHERE v.house_id = h.id AND "           \
	             "v.sweep_id = ?2 AND v.outcome = 'visited')")

enum db_result store_sweep_coverage(struct db *db, struct arena *a, int64_t sweep_id,
                                    const char *prefix, int group_len, struct coverage_row **rows,
                                    size_t *n)
{
	/* One index probe per house (sweep_visits_house), not a join against every visit. */
	return sql_all(db, a,
	               "SELECT substr(h.region_code, 1, ?1) AS g, count(*), " VISITED_COUNT
	               " FROM houses h WHERE h.region_code >= ?3 AND h.region_code < ?3 || ':' "
	               "GROUP BY g ORDER BY g",
	               ARGS(ARG_INT(group_len), ARG_INT(sweep_id), ARG_TEXT(prefix)), coverage_read,
	               sizeof **rows, -1, (void **)rows, n);
}

enum db_result store_stale_counts(struct db *db, const char *prefix, int64_t cutoff,
                                  int64_t *residents, int64_t *houses)
{
	struct db_stmt *st = sql_open(
	    db,
	    "SELECT (SELECT count(*) FROM residents WHERE region_code >= ?1 AND region_code < ?1 "
	    "|| ':' AND status = 'active' AND verified_at < ?2), (SELECT count(*) FROM houses "
	    "WHERE region_code >= ?1 AND region_code < ?1 || ':' AND verified_at < ?2)",
	    ARGS(ARG_TEXT(prefix), ARG_INT(cutoff)));
	if (!st)
		return DB_ERROR;
	enum db_result r = db_step(st);
	if (r == DB_ROW) {
		*residents = db_col_int(st, 0);
		*houses = db_col_int(st, 1);
	}
	db_done(st);
	return r == DB_ROW ? DB_OK : r;
}

/* ---- rectification ---- */

#define RECT_COLS                                                                                  \
	"r.id, r.house_id, coalesce(r.sweep_id, 0), coalesce(r.visit_id, 0), "                     \
	"coalesce(r.case_id, 0), coalesce(r.created_by, 0), coalesce(r.verified_by, 0), "          \
	"coalesce(r.verified_at, 0), r.created_at, r.updated_at, r.region_code, r.problem, "       \
	"r.methods, r.status, r.deadline, r.result, b.name || h.unit || h.room"
#define RECT_FROM                                                                                  \
	" FROM rectifications r JOIN houses h ON h.id = r.house_id JOIN buildings b ON b.id = "    \
	"h.building_id "

static void rect_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct rectification_row *r = row;
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, 0);
	r->house_id = db_col_int(st, 1);
	r->sweep_id = db_col_int(st, 2);
	r->visit_id = db_col_int(st, 3);
	r->case_id = db_col_int(st, 4);
	r->created_by = db_col_int(st, 5);
	r->verified_by = db_col_int(st, 6);
	r->verified_at = db_col_int(st, 7);
	r->created_at = db_col_int(st, 8);
	r->updated_at = db_col_int(st, 9);
	r->region_code = sql_str(st, a, 10);
	r->problem = sql_str(st, a, 11);
	r->methods = sql_str(st, a, 12);
	r->status = sql_str(st, a, 13);
	r->deadline = sql_str(st, a, 14);
	r->result = sql_str(st, a, 15);
	r->house_label = sql_str(st, a, 16);
}

enum db_result store_rectifications_insert(struct db *db, struct rectification_row *r)
{
	return sql_insert(
	    db,
	    "INSERT INTO rectifications(house_id, region_code, sweep_id, visit_id, case_id, "
	    "problem, methods, status, deadline, result, created_by, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_INT(r->house_id), ARG_TEXT(r->region_code), ARG_ID(r->sweep_id),
	         ARG_ID(r->visit_id), ARG_ID(r->case_id), ARG_TEXT(r->problem),
	         ARG_TEXT(r->methods ? r->methods : ""), ARG_TEXT(r->status ? r->status : "open"),
	         ARG_OPT_TEXT(r->deadline), ARG_OPT_TEXT(r->result), ARG_ID(r->created_by),
	         ARG_INT(r->created_at), ARG_INT(r->updated_at)),
	    &r->id);
}

enum db_result store_rectifications_get(struct db *db, struct arena *a, int64_t id,
                                        struct rectification_row *out)
{
	return sql_one(db, a, "SELECT " RECT_COLS RECT_FROM "WHERE r.id = ?", ARGS(ARG_INT(id)),
	               rect_read, out);
}

enum db_result store_rectifications_update(struct db *db, const struct rectification_row *r)
{
	return sql_run(
	    db,
	    "UPDATE rectifications SET methods = ?, status = ?, deadline = ?, result = ?, "
	    "verified_by = ?, verified_at = ?, updated_at = ? WHERE id = ?",
	    ARGS(ARG_TEXT(r->methods ? r->methods : ""), ARG_TEXT(r->status),
	         ARG_OPT_TEXT(r->deadline), ARG_OPT_TEXT(r->result), ARG_ID(r->verified_by),
	         ARG_ID(r->verified_at), ARG_INT(r->updated_at), ARG_INT(r->id)));
}

enum db_result store_rectifications_link_visit(struct db *db, int64_t sweep_id, int64_t house_id,
                                               int64_t visit_id, int64_t now)
{
	return sql_run(
	    db,
	    "UPDATE rectifications SET visit_id = ? WHERE sweep_id = ? AND house_id = ? AND "
	    "visit_id IS NULL AND created_at = ?",
	    ARGS(ARG_INT(visit_id), ARG_INT(sweep_id), ARG_INT(house_id), ARG_INT(now)));
}

enum db_result store_rectifications_list(struct db *db, struct arena *a, const struct scopes *sc,
                                         const char *status, bool overdue, const char *today,
                                         struct page_after after, int limit,
                                         struct rectification_row **rows, size_t *n)
{
	return sql_walk(
	    db, a,
	    "SELECT " RECT_COLS RECT_FROM
	    "WHERE (r.region_code, r.id) > (?3, ?4) AND r.region_code < ?2 AND " SQL_WALK_LO
	    " AND (CAST(?5 AS TEXT) IS "
	    "NULL OR r.status = ?5) AND (CAST(?6 AS TEXT) IS NULL OR "
	    "(r.status IN ('open', 'rectifying') AND r.deadline < ?6)) ORDER BY "
	    "r.region_code, r.id LIMIT ?7",
	    7, sc, after, limit, ARGS(ARG_OPT_TEXT(status), overdue ? ARG_TEXT(today) : ARG_NULL),
	    rect_read, sizeof **rows, (void **)rows, n);
}

enum db_result store_rectification_events_add(struct db *db, const struct rectification_event *e)
{
	return sql_run(
	    db,
	    "INSERT INTO rectification_events(rectification_id, at, actor_id, actor, action, "
	    "from_status, to_status, methods, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_INT(e->rectification_id), ARG_INT(e->at), ARG_ID(e->actor_id),
	         ARG_OPT_TEXT(e->actor), ARG_TEXT(e->action), ARG_OPT_TEXT(e->from_status),
	         ARG_TEXT(e->to_status), ARG_OPT_TEXT(e->methods), ARG_OPT_TEXT(e->comment)));
}

static void rect_event_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct rectification_event *e = row;
	memset(e, 0, sizeof *e);
	e->id = db_col_int(st, 0);
	e->rectification_id = db_col_int(st, 1);
	e->at = db_col_int(st, 2);
	e->actor_id = db_col_int(st, 3);
	e->actor = sql_str(st, a, 4);
	e->action = sql_str(st, a, 5);
	e->from_status = sql_str(st, a, 6);
	e->to_status = sql_str(st, a, 7);
	e->methods = sql_str(st, a, 8);
	e->comment = sql_str(st, a, 9);
}

enum db_result store_rectification_events_list(struct db *db, struct arena *a, int64_t id,
                                               struct rectification_event **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT id, rectification_id, at, coalesce(actor_id, 0), actor, action, from_status, "
	    "to_status, methods, comment FROM rectification_events WHERE rectification_id = ? "
	    "ORDER BY id",
	    ARGS(ARG_INT(id)), rect_event_read, sizeof **rows, -1, (void **)rows, n);
}

static void rect_counts_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct rectify_counts *c = row;
	c->region_code = sql_str(st, a, 0);
	c->total = db_col_int(st, 1);
	c->verified = db_col_int(st, 2);
	c->overdue = db_col_int(st, 3);
}

/* Per group: verified rectifications, and those open past their deadline (?3). */
#define VERIFIED SQL_COUNT_IF("status = 'verified'")
#define OVERDUE  SQL_COUNT_IF("status IN ('open', 'rectifying') AND deadline < ?3")

enum db_result store_rectification_counts(struct db *db, struct arena *a, const char *prefix,
                                          int group_len, const char *today,
                                          struct rectify_counts **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT substr(region_code, 1, ?1) AS g, count(*), " VERIFIED ", " OVERDUE
	               " FROM rectifications WHERE "
	               "region_code >= ?2 AND region_code < ?2 || ':' GROUP BY g ORDER BY g",
	               ARGS(ARG_INT(group_len), ARG_TEXT(prefix), ARG_TEXT(today)),
	               rect_counts_read, sizeof **rows, -1, (void **)rows, n);
}

/* ---- imports ---- */

#define IMPORT_COLS                                                                                \
	"id, kind, format, coalesce(user_id, 0), actor, at, dry_run, mode, status, rows, "         \
	"created, "                                                                                \
	"updated, failed"

static void import_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct import_row *r = row;
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, 0);
	r->kind = sql_str(st, a, 1);
	r->format = sql_str(st, a, 2);
	r->user_id = db_col_int(st, 3);
	r->actor = sql_str(st, a, 4);
	r->at = db_col_int(st, 5);
	r->dry_run = db_col_int(st, 6) != 0;
	r->mode = sql_str(st, a, 7);
	r->status = sql_str(st, a, 8);
	r->rows = db_col_int(st, 9);
	r->created = db_col_int(st, 10);
	r->updated = db_col_int(st, 11);
	r->failed = db_col_int(st, 12);
}

static void import_read_errors(struct db_stmt *st, struct arena *a, void *row)
{
	import_read(st, a, row);
	((struct import_row *)row)->errors = sql_str(st, a, 13);
}

enum db_result store_imports_insert(struct db *db, struct import_row *r)
{
	return sql_insert(
	    db,
	    "INSERT INTO imports(kind, format, user_id, actor, at, dry_run, mode, status, rows, "
	    "created, updated, failed, errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_TEXT(r->kind), ARG_TEXT(r->format), ARG_ID(r->user_id), ARG_OPT_TEXT(r->actor),
	         ARG_INT(r->at), ARG_INT(r->dry_run), ARG_TEXT(r->mode), ARG_TEXT(r->status),
	         ARG_INT(r->rows), ARG_INT(r->created), ARG_INT(r->updated), ARG_INT(r->failed),
	         ARG_OPT_TEXT(r->errors)),
	    &r->id);
}

enum db_result store_imports_get(struct db *db, struct arena *a, int64_t id, bool with_errors,
                                 struct import_row *out)
{
	return sql_one(db, a, "SELECT " IMPORT_COLS ", errors FROM imports WHERE id = ?",
	               ARGS(ARG_INT(id)), with_errors ? import_read_errors : import_read, out);
}

enum db_result store_imports_list(struct db *db, struct arena *a, int64_t user_id,
                                  int64_t before_id, int limit, struct import_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " IMPORT_COLS " FROM imports WHERE (CAST(?1 AS BIGINT) = 0 OR "
	               "user_id = ?1) AND (CAST(?2 AS BIGINT) = 0 OR "
	               "id < ?2) ORDER BY id DESC LIMIT ?3",
	               ARGS(ARG_INT(user_id), ARG_INT(before_id), ARG_INT(limit)), import_read,
	               sizeof **rows, -1, (void **)rows, n);
}
