/* Projects, milestones, spending and the state history. */
#include "store/projects/projects.h"

#include <string.h>

#include "store/stmt.h"

#define S(col) sql_str(st, a, col)

/* link_title: the topic's or campaign's title or the commitment's problem; link_pairing: a
 * commitment's pairing (for the page that lists it). */
#define PROJECT_COLS                                                                               \
	"p.id, p.budget_fen, p.spent_fen, coalesce(p.link_id, 0), coalesce(p.created_by, 0), "     \
	"p.created_at, p.updated_at, (SELECT count(*) FROM project_milestones m WHERE "            \
	"m.project_id = p.id), (SELECT count(*) FROM project_milestones m WHERE m.project_id = "   \
	"p.id AND m.done_on IS NOT NULL), p.version, coalesce((SELECT c.pairing_id FROM "          \
	"pairing_commitments c WHERE p.link_kind = 'commitment' AND c.id = p.link_id), 0), "       \
	"p.region_code, (SELECT name FROM regions WHERE code = p.region_code), p.kind, p.title, "  \
	"p.description, p.responsible_unit, p.state, p.link_kind, p.starts_on, p.ends_on, CASE "   \
	"p.link_kind WHEN 'topic' THEN (SELECT t.title FROM topics t WHERE t.id = p.link_id) "     \
	"WHEN 'campaign' THEN (SELECT c.title FROM campaigns c WHERE c.id = p.link_id) WHEN "      \
	"'commitment' THEN (SELECT c.problem FROM pairing_commitments c WHERE c.id = p.link_id) "  \
	"END"

static void project_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct project_row *p = row;
	memset(p, 0, sizeof *p);
	p->id = db_col_int(st, 0);
	p->budget_fen = db_col_int(st, 1);
	p->spent_fen = db_col_int(st, 2);
	p->link_id = db_col_int(st, 3);
	p->created_by = db_col_int(st, 4);
	p->created_at = db_col_int(st, 5);
	p->updated_at = db_col_int(st, 6);
	p->milestones = db_col_int(st, 7);
	p->milestones_done = db_col_int(st, 8);
	p->version = db_col_int(st, 9);
	p->link_pairing_id = db_col_int(st, 10);
	p->region_code = S(11);
	p->region_name = S(12);
	p->kind = S(13);
	p->title = S(14);
	p->description = S(15);
	p->responsible_unit = S(16);
	p->state = S(17);
	p->link_kind = S(18);
	p->starts_on = S(19);
	p->ends_on = S(20);
	p->link_title = S(21);
}

enum db_result store_projects_insert(struct db *db, struct project_row *p)
{
	return sql_insert(
	    db,
	    "INSERT INTO projects(region_code, kind, title, description, budget_fen, spent_fen, "
	    "responsible_unit, state, link_kind, link_id, starts_on, ends_on, created_by, "
	    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_TEXT(p->region_code), ARG_TEXT(p->kind), ARG_TEXT(p->title),
	         ARG_OPT_TEXT(p->description), ARG_INT(p->budget_fen),
	         ARG_TEXT(p->responsible_unit), ARG_TEXT(p->state), ARG_OPT_TEXT(p->link_kind),
	         ARG_NONZERO(p->link_id), ARG_OPT_TEXT(p->starts_on), ARG_OPT_TEXT(p->ends_on),
	         ARG_NONZERO(p->created_by), ARG_INT(p->created_at), ARG_INT(p->updated_at)),
	    &p->id);
}

enum db_result store_projects_get(struct db *db, struct arena *a, int64_t id,
                                  struct project_row *out)
{
	return sql_one(db, a, "SELECT " PROJECT_COLS " FROM projects p WHERE p.id = ?",
	               ARGS(ARG_INT(id)), project_read, out);
}

enum db_result store_projects_set_state(struct db *db, int64_t id, const char *state, int64_t at)
{
	return sql_change(db,
	                  "UPDATE projects SET state = ?, updated_at = ?, version = version + 1 "
	                  "WHERE id = ?",
	                  ARGS(ARG_TEXT(state), ARG_INT(at), ARG_INT(id)));
}

enum db_result store_projects_edit(struct db *db, const struct project_row *p,
                                   const char *budget_reason)
{
	/* The version and the budget rule are checked by the update itself, so an edit and a
	 * spending entry or another edit at the same time cannot both pass. */
	return sql_change(
	    db,
	    "UPDATE projects SET title = ?1, description = ?2, kind = ?3, budget_fen = ?4, "
	    "responsible_unit = ?5, starts_on = ?6, ends_on = ?7, updated_at = ?8, version = "
	    "version + 1 WHERE id = ?9 AND version = ?10 AND (?4 >= spent_fen OR ?4 >= budget_fen "
	    "OR CAST(?11 AS TEXT) IS NOT NULL)",
	    ARGS(ARG_TEXT(p->title), ARG_OPT_TEXT(p->description), ARG_TEXT(p->kind),
	         ARG_INT(p->budget_fen), ARG_TEXT(p->responsible_unit), ARG_OPT_TEXT(p->starts_on),
	         ARG_OPT_TEXT(p->ends_on), ARG_INT(p->updated_at), ARG_INT(p->id),
	         ARG_INT(p->version), ARG_OPT_TEXT(budget_reason)));
}

enum db_result store_projects_walk(struct db *db, struct arena *a, const struct scopes *sc,
                                   const struct project_filter *f, struct page_after after,
                                   int limit, struct project_row **rows, size_t *n)
{
	return sql_walk(
	    db, a,
	    "SELECT " PROJECT_COLS " FROM projects p WHERE (p.region_code, p.id) > (?3, ?4) AND "
	    "p.region_code < ?2 AND " SQL_WALK_LO " AND (CAST(?5 AS TEXT) IS NULL OR p.state = ?5) "
	    "AND (CAST(?6 AS TEXT) IS NULL OR p.kind = ?6) "
	    "AND (CAST(?7 AS TEXT) IS NULL OR p.responsible_unit = ?7) "
	    "AND (CAST(?8 AS TEXT) IS NULL OR (p.link_kind = ?8 AND p.link_id = ?9)) "
	    "AND (CAST(?10 AS BIGINT) = 0 OR (p.link_kind = 'commitment' AND p.link_id IN "
	    "(SELECT c.id FROM pairing_commitments c WHERE c.pairing_id = ?10))) "
	    "ORDER BY p.region_code, p.id LIMIT ?11",
	    11, sc, after, limit,
	    ARGS(ARG_OPT_TEXT(f->state), ARG_OPT_TEXT(f->kind), ARG_OPT_TEXT(f->unit),
	         ARG_OPT_TEXT(f->link_kind), ARG_INT(f->link_id), ARG_INT(f->pairing_id)),
	    project_read, sizeof **rows, (void **)rows, n);
}

enum db_result store_projects_public(struct db *db, struct arena *a, const char *prefix,
                                     struct project_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " PROJECT_COLS " FROM projects p WHERE p.region_code >= ?1 AND "
	               "p.region_code < ?2 AND p.state IN ('underway', 'completed', 'accepted') "
	               "ORDER BY p.id DESC LIMIT ?3",
	               ARGS(ARG_TEXT(prefix), ARG_TEXT(sql_prefix_end(a, prefix)),
	                    ARG_INT(PROJECTS_PUBLIC_MAX)),
	               project_read, sizeof **rows, PROJECTS_PUBLIC_MAX, (void **)rows, n);
}

/* ---- milestones ---- */

#define MILESTONE_COLS "id, project_id, created_at, updated_at, title, due_on, done_on, photos"

static void milestone_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct project_milestone_row *m = row;
	memset(m, 0, sizeof *m);
	m->id = db_col_int(st, 0);
	m->project_id = db_col_int(st, 1);
	m->created_at = db_col_int(st, 2);
	m->updated_at = db_col_int(st, 3);
	m->title = S(4);
	m->due_on = S(5);
	m->done_on = S(6);
	m->photos = S(7);
}

enum db_result store_project_milestones_insert(struct db *db, struct project_milestone_row *m)
{
	return sql_insert(db,
	                  "INSERT INTO project_milestones(project_id, title, due_on, done_on, "
	                  "photos, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	                  ARGS(ARG_INT(m->project_id), ARG_TEXT(m->title), ARG_TEXT(m->due_on),
	                       ARG_OPT_TEXT(m->done_on), ARG_OPT_TEXT(m->photos),
	                       ARG_INT(m->created_at), ARG_INT(m->updated_at)),
	                  &m->id);
}

enum db_result store_project_milestones_get(struct db *db, struct arena *a, int64_t id,
                                            struct project_milestone_row *out)
{
	return sql_one(db, a, "SELECT " MILESTONE_COLS " FROM project_milestones WHERE id = ?",
	               ARGS(ARG_INT(id)), milestone_read, out);
}

enum db_result store_project_milestones_update(struct db *db, const struct project_milestone_row *m)
{
	return sql_change(db,
	                  "UPDATE project_milestones SET title = ?, due_on = ?, done_on = ?, "
	                  "photos = ?, updated_at = ? WHERE id = ?",
	                  ARGS(ARG_TEXT(m->title), ARG_TEXT(m->due_on), ARG_OPT_TEXT(m->done_on),
	                       ARG_OPT_TEXT(m->photos), ARG_INT(m->updated_at), ARG_INT(m->id)));
}

enum db_result store_project_milestones_list(struct db *db, struct arena *a, int64_t project_id,
                                             struct project_milestone_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " MILESTONE_COLS " FROM project_milestones WHERE project_id = ? "
	               "ORDER BY due_on, id",
	               ARGS(ARG_INT(project_id)), milestone_read, sizeof **rows, 500, (void **)rows,
	               n);
}

/* ---- spending ---- */

static void spending_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct project_spending_row *s = row;
	memset(s, 0, sizeof *s);
	s->id = db_col_int(st, 0);
	s->project_id = db_col_int(st, 1);
	s->amount_fen = db_col_int(st, 2);
	s->created_by = db_col_int(st, 3);
	s->created_at = db_col_int(st, 4);
	s->spent_on = S(5);
	s->note = S(6);
	s->over_reason = S(7);
}

enum db_result store_project_spending_add(struct db *db, struct project_spending_row *s)
{
	/* The conditional update is the check: it holds the project's row, so two entries at
	 * once cannot both pass the budget. */
	enum db_result r = sql_change(
	    db,
	    "UPDATE projects SET spent_fen = spent_fen + ?1 WHERE id = ?2 AND "
	    "(spent_fen + ?1 <= budget_fen OR CAST(?3 AS TEXT) IS NOT NULL)",
	    ARGS(ARG_INT(s->amount_fen), ARG_INT(s->project_id), ARG_OPT_TEXT(s->over_reason)));
	if (r != DB_OK)
		return r;
	return sql_insert(db,
	                  "INSERT INTO project_spending(project_id, amount_fen, spent_on, note, "
	                  "over_reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	                  ARGS(ARG_INT(s->project_id), ARG_INT(s->amount_fen),
	                       ARG_TEXT(s->spent_on), ARG_TEXT(s->note),
	                       ARG_OPT_TEXT(s->over_reason), ARG_NONZERO(s->created_by),
	                       ARG_INT(s->created_at)),
	                  &s->id);
}

enum db_result store_project_spending_list(struct db *db, struct arena *a, int64_t project_id,
                                           struct project_spending_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT id, project_id, amount_fen, coalesce(created_by, 0), created_at, "
	               "spent_on, note, over_reason FROM project_spending WHERE project_id = ? "
	               "ORDER BY id",
	               ARGS(ARG_INT(project_id)), spending_read, sizeof **rows, -1, (void **)rows,
	               n);
}

/* ---- events ---- */

static void event_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct project_event_row *e = row;
	memset(e, 0, sizeof *e);
	e->id = db_col_int(st, 0);
	e->project_id = db_col_int(st, 1);
	e->user_id = db_col_int(st, 2);
	e->at = db_col_int(st, 3);
	e->action = S(4);
	e->from_state = S(5);
	e->to_state = S(6);
	e->comment = S(7);
	e->user_name = S(8);
}

enum db_result store_project_events_add(struct db *db, const struct project_event_row *e)
{
	return sql_run(db,
	               "INSERT INTO project_events(project_id, action, from_state, to_state, "
	               "comment, user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	               ARGS(ARG_INT(e->project_id), ARG_TEXT(e->action), ARG_TEXT(e->from_state),
	                    ARG_TEXT(e->to_state), ARG_OPT_TEXT(e->comment),
	                    ARG_NONZERO(e->user_id), ARG_INT(e->at)));
}

enum db_result store_project_events_list(struct db *db, struct arena *a, int64_t project_id,
                                         struct project_event_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT e.id, e.project_id, coalesce(e.user_id, 0), e.at, e.action, "
	               "e.from_state, e.to_state, e.comment, (SELECT display_name FROM users u "
	               "WHERE u.id = e.user_id) FROM project_events e WHERE e.project_id = ? "
	               "ORDER BY e.id",
	               ARGS(ARG_INT(project_id)), event_read, sizeof **rows, -1, (void **)rows, n);
}
