/* Campaigns, their items and events, and joint meetings (see store/command/campaigns.h). A
 * region is a code prefix range [prefix, prefix followed by ';'). */
#include "store/command/campaigns.h"
#include "store/stmt.h"

#include <string.h>

#define CAMPAIGN_COLS                                                                              \
	"id, region_code, title, starts_on, ends_on, lead_unit, description, targets, status, "    \
	"created_by, created_at, updated_at"

static void campaign_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct campaign_row *c = row;
	c->id = db_col_int(st, 0);
	c->region_code = sql_str(st, a, 1);
	c->title = sql_str(st, a, 2);
	c->starts_on = sql_str(st, a, 3);
	c->ends_on = sql_str(st, a, 4);
	c->lead_unit = sql_str(st, a, 5);
	c->description = sql_str(st, a, 6);
	c->targets = sql_str(st, a, 7);
	c->status = sql_str(st, a, 8);
	c->created_by = db_col_int(st, 9);
	c->created_at = db_col_int(st, 10);
	c->updated_at = db_col_int(st, 11);
}

enum db_result store_campaigns_insert(struct db *db, struct campaign_row *c)
{
	return sql_insert(
	    db,
	    "INSERT INTO campaigns(region_code, title, starts_on, ends_on, lead_unit, "
	    "description, targets, status, created_by, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_TEXT(c->region_code), ARG_TEXT(c->title), ARG_TEXT(c->starts_on),
	         ARG_TEXT(c->ends_on), ARG_TEXT(c->lead_unit), ARG_OPT_TEXT(c->description),
	         ARG_TEXT(c->targets), ARG_TEXT(c->status), ARG_ID(c->created_by),
	         ARG_INT(c->created_at), ARG_INT(c->updated_at)),
	    &c->id);
}

enum db_result store_campaigns_get(struct db *db, struct arena *a, int64_t id,
                                   struct campaign_row *out)
{
	return sql_one(db, a, "SELECT " CAMPAIGN_COLS " FROM campaigns WHERE id = ?",
	               ARGS(ARG_INT(id)), campaign_read, out);
}

enum db_result store_campaigns_update(struct db *db, const struct campaign_row *c)
{
	return sql_change(
	    db,
	    "UPDATE campaigns SET title = ?, starts_on = ?, ends_on = ?, lead_unit = ?, "
	    "description = ?, targets = ?, status = ?, updated_at = ? WHERE id = ?",
	    ARGS(ARG_TEXT(c->title), ARG_TEXT(c->starts_on), ARG_TEXT(c->ends_on),
	         ARG_TEXT(c->lead_unit), ARG_OPT_TEXT(c->description), ARG_TEXT(c->targets),
	         ARG_TEXT(c->status), ARG_INT(c->updated_at), ARG_INT(c->id)));
}

/* The upper bound of a range: exact (the code itself) or the prefix's subtree. */
static const char *range_end(struct arena *a, const char *prefix, bool exact)
{
	return exact ? arena_printf(a, "%s%c", prefix, 1) : sql_prefix_end(a, prefix);
}

enum db_result store_campaigns_list(struct db *db, struct arena *a, const char *prefix, bool exact,
                                    int64_t before, int limit, struct campaign_row **rows,
                                    size_t *n)
{
	return sql_all(db, a,
	               "SELECT " CAMPAIGN_COLS " FROM campaigns WHERE region_code >= ?1 AND "
	               "region_code < ?2 AND (?3 = 0 OR id < ?3) ORDER BY id DESC LIMIT ?4",
	               ARGS(ARG_TEXT(prefix), ARG_TEXT(range_end(a, prefix, exact)),
	                    ARG_INT(before), ARG_INT(limit)),
	               campaign_read, sizeof **rows, -1, (void **)rows, n);
}

#define CITEM_COLS                                                                                 \
	"id, campaign_id, list, region_code, title, owner_unit, owner_user_id, deadline, photos, " \
	"source_kind, source_id, source_n, state, done_by, done_at, verified_by, verified_at, "    \
	"created_by, created_at, updated_at"

static void citem_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct citem_row *i = row;
	i->id = db_col_int(st, 0);
	i->campaign_id = db_col_int(st, 1);
	i->list = sql_str(st, a, 2);
	i->region_code = sql_str(st, a, 3);
	i->title = sql_str(st, a, 4);
	i->owner_unit = sql_str(st, a, 5);
	i->owner_user_id = db_col_int(st, 6);
	i->deadline = sql_str(st, a, 7);
	i->photos = sql_str(st, a, 8);
	i->source_kind = sql_str(st, a, 9);
	i->source_id = db_col_int(st, 10);
	i->source_n = db_col_int(st, 11);
	i->state = sql_str(st, a, 12);
	i->done_by = db_col_int(st, 13);
	i->done_at = db_col_int(st, 14);
	i->verified_by = db_col_int(st, 15);
	i->verified_at = db_col_int(st, 16);
	i->created_by = db_col_int(st, 17);
	i->created_at = db_col_int(st, 18);
	i->updated_at = db_col_int(st, 19);
}

enum db_result store_citems_insert(struct db *db, struct citem_row *i)
{
	return sql_insert(
	    db,
	    "INSERT INTO campaign_items(campaign_id, list, region_code, title, owner_unit, "
	    "owner_user_id, deadline, photos, source_kind, source_id, source_n, state, created_by, "
	    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    ARGS(ARG_INT(i->campaign_id), ARG_TEXT(i->list), ARG_TEXT(i->region_code),
	         ARG_TEXT(i->title), ARG_OPT_TEXT(i->owner_unit), ARG_ID(i->owner_user_id),
	         ARG_OPT_TEXT(i->deadline), ARG_OPT_TEXT(i->photos), ARG_OPT_TEXT(i->source_kind),
	         ARG_ID(i->source_id), ARG_ID(i->source_n), ARG_TEXT(i->state),
	         ARG_ID(i->created_by), ARG_INT(i->created_at), ARG_INT(i->updated_at)),
	    &i->id);
}

enum db_result store_citems_get(struct db *db, struct arena *a, int64_t id, struct citem_row *out)
{
	return sql_one(db, a, "SELECT " CITEM_COLS " FROM campaign_items WHERE id = ?",
	               ARGS(ARG_INT(id)), citem_read, out);
}

enum db_result store_citems_update(struct db *db, const struct citem_row *i)
{
	return sql_change(
	    db,
	    "UPDATE campaign_items SET owner_unit = ?, owner_user_id = ?, photos = ?, "
	    "state = ?, done_by = ?, done_at = ?, verified_by = ?, verified_at = ?, "
	    "updated_at = ? WHERE id = ?",
	    ARGS(ARG_OPT_TEXT(i->owner_unit), ARG_ID(i->owner_user_id), ARG_OPT_TEXT(i->photos),
	         ARG_TEXT(i->state), ARG_ID(i->done_by), ARG_NONZERO(i->done_at),
	         ARG_ID(i->verified_by), ARG_NONZERO(i->verified_at), ARG_INT(i->updated_at),
	         ARG_INT(i->id)));
}

enum db_result store_citems_list(struct db *db, struct arena *a, int64_t campaign_id,
                                 const char *prefix, const char *list, const char *state,
                                 int64_t before, int limit, struct citem_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " CITEM_COLS " FROM campaign_items WHERE campaign_id = ?1 AND "
	               "region_code >= ?2 AND region_code < ?3 AND (?4 IS NULL OR list = ?4) AND "
	               "(?5 IS NULL OR state = ?5) AND (?6 = 0 OR id < ?6) ORDER BY id DESC "
	               "LIMIT ?7",
	               ARGS(ARG_INT(campaign_id), ARG_TEXT(prefix),
	                    ARG_TEXT(sql_prefix_end(a, prefix)), ARG_OPT_TEXT(list),
	                    ARG_OPT_TEXT(state), ARG_INT(before), ARG_INT(limit)),
	               citem_read, sizeof **rows, -1, (void **)rows, n);
}

enum db_result store_citems_owned(struct db *db, struct arena *a, const char *prefix,
                                  const char *unit, int64_t owner_user_id, const char *state,
                                  int64_t before, int limit, struct citem_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " CITEM_COLS " FROM campaign_items WHERE region_code >= ?1 AND "
	               "region_code < ?2 AND ((?3 IS NOT NULL AND owner_unit = ?3) OR "
	               "(?4 <> 0 AND owner_user_id = ?4)) AND (?5 IS NULL OR state = ?5) AND "
	               "(?6 = 0 OR id < ?6) ORDER BY id DESC LIMIT ?7",
	               ARGS(ARG_TEXT(prefix), ARG_TEXT(sql_prefix_end(a, prefix)),
	                    ARG_OPT_TEXT(unit), ARG_INT(owner_user_id), ARG_OPT_TEXT(state),
	                    ARG_INT(before), ARG_INT(limit)),
	               citem_read, sizeof **rows, -1, (void **)rows, n);
}

enum db_result store_citems_by_source(struct db *db, struct arena *a, const char *kind, int64_t id,
                                      struct citem_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " CITEM_COLS " FROM campaign_items WHERE source_kind = ? AND "
	               "source_id = ? ORDER BY id",
	               ARGS(ARG_TEXT(kind), ARG_INT(id)), citem_read, sizeof **rows, -1,
	               (void **)rows, n);
}

static void progress_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct citem_progress *p = row;
	p->code = sql_str(st, a, 0);
	p->total = db_col_int(st, 1);
	p->verified = db_col_int(st, 2);
	p->overdue = db_col_int(st, 3);
}

enum db_result store_citems_progress(struct db *db, struct arena *a, int64_t campaign_id,
                                     const char *prefix, size_t child_len, const char *today,
                                     struct citem_progress **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT substr(region_code, 1, ?4), count(*),"
	    " sum(CASE WHEN state = 'verified' THEN 1 ELSE 0 END),"
	    " sum(CASE WHEN state <> 'verified' AND deadline IS NOT NULL AND deadline < ?5"
	    "   THEN 1 ELSE 0 END) "
	    "FROM campaign_items WHERE campaign_id = ?1 AND region_code >= ?2 AND region_code < ?3"
	    " GROUP BY substr(region_code, 1, ?4) ORDER BY 1",
	    ARGS(ARG_INT(campaign_id), ARG_TEXT(prefix), ARG_TEXT(sql_prefix_end(a, prefix)),
	         ARG_INT((int64_t)child_len), ARG_TEXT(today)),
	    progress_read, sizeof **rows, -1, (void **)rows, n);
}

enum db_result store_citem_events_add(struct db *db, const struct citem_event *e)
{
	return sql_run(db,
	               "INSERT INTO campaign_item_events(item_id, at, actor_id, actor, action, "
	               "from_state, to_state, comment, photos) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	               ARGS(ARG_INT(e->item_id), ARG_INT(e->at), ARG_ID(e->actor_id),
	                    ARG_OPT_TEXT(e->actor), ARG_TEXT(e->action),
	                    ARG_OPT_TEXT(e->from_state), ARG_TEXT(e->to_state),
	                    ARG_OPT_TEXT(e->comment), ARG_OPT_TEXT(e->photos)));
}

static void event_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct citem_event *e = row;
	e->id = db_col_int(st, 0);
	e->item_id = db_col_int(st, 1);
	e->at = db_col_int(st, 2);
	e->actor_id = db_col_int(st, 3);
	e->actor = sql_str(st, a, 4);
	e->action = sql_str(st, a, 5);
	e->from_state = sql_str(st, a, 6);
	e->to_state = sql_str(st, a, 7);
	e->comment = sql_str(st, a, 8);
	e->photos = sql_str(st, a, 9);
}

enum db_result store_citem_events_list(struct db *db, struct arena *a, int64_t item_id,
                                       struct citem_event **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT id, item_id, at, actor_id, actor, action, from_state, to_state, "
	               "comment, photos FROM campaign_item_events WHERE item_id = ? ORDER BY id",
	               ARGS(ARG_INT(item_id)), event_read, sizeof **rows, -1, (void **)rows, n);
}

static void region_read(struct db_stmt *st, struct arena *a, void *row)
{
	*(const char **)row = sql_str(st, a, 0);
}

enum db_result store_citem_source_region(struct db *db, struct arena *a, const char *kind,
                                         int64_t id, const char **region)
{
	const char *sql = NULL;
	if (strcmp(kind, "case") == 0)
		sql = "SELECT region_code FROM cases WHERE id = ?";
	else if (strcmp(kind, "sweep_visit") == 0)
		sql = "SELECT region_code FROM sweep_visits WHERE id = ?";
	else if (strcmp(kind, "rectification_item") == 0)
		sql = "SELECT region_code FROM rectifications WHERE id = ?";
	else if (strcmp(kind, "commitment") == 0)
		sql = "SELECT p.region_code FROM pairing_commitments c JOIN pairings p ON "
		      "p.id = c.pairing_id WHERE c.id = ?";
	else if (strcmp(kind, "meeting") == 0)
		sql = "SELECT region_code FROM meetings WHERE id = ?";
	else if (strcmp(kind, "recurring_problem") == 0)
		sql = "SELECT region_code FROM recurring_problems WHERE id = ?";
	if (!sql)
		return DB_DONE;
	return sql_one(db, a, sql, ARGS(ARG_INT(id)), region_read, region);
}

#define MEETING_COLS                                                                               \
	"id, region_code, held_on, title, units, topics, decisions, created_by, created_at"

static void meeting_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct meeting_row *m = row;
	m->id = db_col_int(st, 0);
	m->region_code = sql_str(st, a, 1);
	m->held_on = sql_str(st, a, 2);
	m->title = sql_str(st, a, 3);
	m->units = sql_str(st, a, 4);
	m->topics = sql_str(st, a, 5);
	m->decisions = sql_str(st, a, 6);
	m->created_by = db_col_int(st, 7);
	m->created_at = db_col_int(st, 8);
}

enum db_result store_meetings_insert(struct db *db, struct meeting_row *m)
{
	return sql_insert(db,
	                  "INSERT INTO meetings(region_code, held_on, title, units, topics, "
	                  "decisions, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	                  ARGS(ARG_TEXT(m->region_code), ARG_TEXT(m->held_on), ARG_TEXT(m->title),
	                       ARG_TEXT(m->units), ARG_TEXT(m->topics), ARG_TEXT(m->decisions),
	                       ARG_ID(m->created_by), ARG_INT(m->created_at)),
	                  &m->id);
}

enum db_result store_meetings_get(struct db *db, struct arena *a, int64_t id,
                                  struct meeting_row *out)
{
	return sql_one(db, a, "SELECT " MEETING_COLS " FROM meetings WHERE id = ?",
	               ARGS(ARG_INT(id)), meeting_read, out);
}

enum db_result store_meetings_list(struct db *db, struct arena *a, const char *prefix, bool exact,
                                   int64_t before, int limit, struct meeting_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT " MEETING_COLS " FROM meetings WHERE region_code >= ?1 AND "
	               "region_code < ?2 AND (?3 = 0 OR id < ?3) ORDER BY id DESC LIMIT ?4",
	               ARGS(ARG_TEXT(prefix), ARG_TEXT(range_end(a, prefix, exact)),
	                    ARG_INT(before), ARG_INT(limit)),
	               meeting_read, sizeof **rows, -1, (void **)rows, n);
}

static void meeting_case_read(struct db_stmt *st, struct arena *a, void *row)
{
	struct meeting_case_row *m = row;
	m->meeting_id = db_col_int(st, 0);
	m->decision_n = db_col_int(st, 1);
	m->case_id = db_col_int(st, 2);
	m->case_number = sql_str(st, a, 3);
	m->meeting_title = sql_str(st, a, 4);
	m->held_on = sql_str(st, a, 5);
}

enum db_result store_meeting_cases_insert(struct db *db, int64_t meeting_id, int64_t n,
                                          int64_t case_id, int64_t by, int64_t at)
{
	return sql_run(
	    db,
	    "INSERT INTO meeting_cases(meeting_id, decision_n, case_id, created_by, "
	    "created_at) VALUES (?, ?, ?, ?, ?)",
	    ARGS(ARG_INT(meeting_id), ARG_INT(n), ARG_INT(case_id), ARG_ID(by), ARG_INT(at)));
}

enum db_result store_meeting_cases_list(struct db *db, struct arena *a, int64_t meeting_id,
                                        struct meeting_case_row **rows, size_t *n)
{
	return sql_all(db, a,
	               "SELECT mc.meeting_id, mc.decision_n, mc.case_id, c.number, CAST(NULL AS "
	               "TEXT), CAST(NULL AS TEXT) "
	               "FROM meeting_cases mc JOIN cases c ON c.id = mc.case_id "
	               "WHERE mc.meeting_id = ? ORDER BY mc.decision_n",
	               ARGS(ARG_INT(meeting_id)), meeting_case_read, sizeof **rows, -1,
	               (void **)rows, n);
}

enum db_result store_meeting_cases_by_case(struct db *db, struct arena *a, int64_t case_id,
                                           struct meeting_case_row *out)
{
	return sql_one(db, a,
	               "SELECT mc.meeting_id, mc.decision_n, mc.case_id, CAST(NULL AS TEXT), "
	               "m.title, m.held_on "
	               "FROM meeting_cases mc JOIN meetings m ON m.id = mc.meeting_id "
	               "WHERE mc.case_id = ?",
	               ARGS(ARG_INT(case_id)), meeting_case_read, out);
}
