/* Case rows. Filters keep one SQL text per shape so statements stay cached;
 * a region filter is a code-prefix range, which the (status, region) and
 * (region, status) indexes serve directly. */
#include "store/cases/cases.h"

#include <stdio.h>
#include <string.h>

#define CASE_COLS                                                                                  \
	"id, number, tracking_code, category, tier, status, level, region_code, description, "     \
	"source, lat, lon, address, reporter_name, reporter_phone, anonymous, "                    \
	"coalesce(reporter_user_id, 0), unit, coalesce(rule_id, 0), accept_due, handle_due, "      \
	"supervised, supervise_note, coalesce(merged_into, 0), rating, result, created_at, "       \
	"updated_at, accepted_at, handled_at, closed_at, reporter_sealed, publish_description, "   \
	"public_reply"

static const char *col_str(struct db_stmt *st, struct arena *a, int col)
{
	return db_col_null(st, col) ? NULL : arena_strdup(a, db_col_text(st, col));
}

static void case_from_row(struct db_stmt *st, struct arena *a, struct case_row *c)
{
	memset(c, 0, sizeof(*c));
	c->id = db_col_int(st, 0);
	c->number = col_str(st, a, 1);
	c->tracking_code = col_str(st, a, 2);
	c->category = col_str(st, a, 3);
	c->tier = (enum case_tier)db_col_int(st, 4);
	c->status = (enum case_state)db_col_int(st, 5);
	c->level = (enum region_level)db_col_int(st, 6);
	c->region_code = col_str(st, a, 7);
	c->description = col_str(st, a, 8);
	c->source = col_str(st, a, 9);
	c->has_location = !db_col_null(st, 10) && !db_col_null(st, 11);
	if (c->has_location) {
		c->lat = db_col_double(st, 10);
		c->lon = db_col_double(st, 11);
	}
	c->address = col_str(st, a, 12);
	c->reporter_name = col_str(st, a, 13);
	if (!db_col_null(st, 14)) {
		size_t n;
		const void *p = db_col_blob(st, 14, &n);
		unsigned char *copy = arena_alloc(a, n ? n : 1);
		if (n)
			memcpy(copy, p, n);
		c->reporter_phone = copy;
		c->reporter_phone_len = n;
	}
	c->anonymous = db_col_int(st, 15) != 0;
	c->reporter_user_id = db_col_int(st, 16);
	c->unit = col_str(st, a, 17);
	c->rule_id = db_col_int(st, 18);
	c->accept_due = db_col_int(st, 19);
	c->handle_due = db_col_int(st, 20);
	c->supervised = db_col_int(st, 21) != 0;
	c->supervise_note = col_str(st, a, 22);
	c->merged_into = db_col_int(st, 23);
	c->rating = (enum case_rating)db_col_int(st, 24);
	c->result = col_str(st, a, 25);
	c->created_at = db_col_int(st, 26);
	c->updated_at = db_col_int(st, 27);
	c->accepted_at = db_col_int(st, 28);
	c->handled_at = db_col_int(st, 29);
	c->closed_at = db_col_int(st, 30);
	if (!db_col_null(st, 31)) {
		size_t n;
		const void *p = db_col_blob(st, 31, &n);
		unsigned char *copy = arena_alloc(a, n ? n : 1);
		if (n)
			memcpy(copy, p, n);
		c->reporter_sealed = copy;
		c->reporter_sealed_len = n;
	}
	c->publish_description = db_col_int(st, 32) != 0;
	c->public_reply = col_str(st, a, 33);
}

static void bind_opt_int(struct db_stmt *st, int idx, int64_t v)
{
	if (v)
		db_bind_int(st, idx, v);
	else
		db_bind_null(st, idx);
}

enum db_result cases_insert(struct db *db, struct case_row *c)
{
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO cases(number, tracking_code, category, tier, status, level, "
	        "region_code, description, source, lat, lon, address, reporter_name, "
	        "reporter_phone, anonymous, reporter_user_id, unit, rule_id, accept_due, "
	        "handle_due, created_at, updated_at, reporter_sealed, publish_description) "
	        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, c->number);
	db_bind_text(st, 2, c->tracking_code);
	db_bind_text(st, 3, c->category);
	db_bind_int(st, 4, c->tier);
	db_bind_int(st, 5, c->status);
	db_bind_int(st, 6, c->level);
	db_bind_text(st, 7, c->region_code);
	db_bind_text(st, 8, c->description);
	db_bind_text(st, 9, c->source);
	if (c->has_location) {
		db_bind_double(st, 10, c->lat);
		db_bind_double(st, 11, c->lon);
	} else {
		db_bind_null(st, 10);
		db_bind_null(st, 11);
	}
	db_bind_text(st, 12, c->address);
	db_bind_text(st, 13, c->reporter_name);
	if (c->reporter_phone)
		db_bind_blob(st, 14, c->reporter_phone, c->reporter_phone_len);
	else
		db_bind_null(st, 14);
	db_bind_int(st, 15, c->anonymous);
	bind_opt_int(st, 16, c->reporter_user_id);
	db_bind_text(st, 17, c->unit);
	bind_opt_int(st, 18, c->rule_id);
	db_bind_int(st, 19, c->accept_due);
	db_bind_int(st, 20, c->handle_due);
	db_bind_int(st, 21, c->created_at);
	db_bind_int(st, 22, c->updated_at);
	if (c->reporter_sealed)
		db_bind_blob(st, 23, c->reporter_sealed, c->reporter_sealed_len);
	else
		db_bind_null(st, 23);
	db_bind_int(st, 24, c->publish_description);
	enum db_result r = db_step(st);
	db_done(st);
	if (r != DB_DONE)
		return r;
	c->id = db_last_id(db);
	return DB_OK;
}

static enum db_result get_by(struct db *db, struct arena *a, const char *sql, int64_t id,
                             const char *code, struct case_row *out)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return DB_ERROR;
	if (code)
		db_bind_text(st, 1, code);
	else
		db_bind_int(st, 1, id);
	enum db_result r = db_step(st);
	if (r == DB_ROW)
		case_from_row(st, a, out);
	db_done(st);
	return r;
}

enum db_result cases_get(struct db *db, struct arena *a, int64_t id, struct case_row *out)
{
	return get_by(db, a, "SELECT " CASE_COLS " FROM cases WHERE id = ?", id, NULL, out);
}

enum db_result cases_by_tracking(struct db *db, struct arena *a, const char *code,
                                 struct case_row *out)
{
	return get_by(db, a, "SELECT " CASE_COLS " FROM cases WHERE tracking_code = ?", 0, code,
	              out);
}

enum db_result cases_update(struct db *db, const struct case_row *c)
{
	struct db_stmt *st = db_prepare(
	    db, "UPDATE cases SET status = ?, level = ?, unit = ?, rule_id = ?, accept_due = ?, "
	        "handle_due = ?, supervised = ?, supervise_note = ?, merged_into = ?, rating = ?, "
	        "result = ?, updated_at = ?, accepted_at = ?, handled_at = ?, closed_at = ?, "
	        "public_reply = ? WHERE id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, c->status);
	db_bind_int(st, 2, c->level);
	db_bind_text(st, 3, c->unit);
	bind_opt_int(st, 4, c->rule_id);
	db_bind_int(st, 5, c->accept_due);
	db_bind_int(st, 6, c->handle_due);
	db_bind_int(st, 7, c->supervised);
	db_bind_text(st, 8, c->supervise_note);
	bind_opt_int(st, 9, c->merged_into);
	db_bind_int(st, 10, c->rating);
	db_bind_text(st, 11, c->result);
	db_bind_int(st, 12, c->updated_at);
	db_bind_int(st, 13, c->accepted_at);
	db_bind_int(st, 14, c->handled_at);
	db_bind_int(st, 15, c->closed_at);
	db_bind_text(st, 16, c->public_reply);
	db_bind_int(st, 17, c->id);
	enum db_result r = db_step(st);
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

/* The shared filter tail: ?1..?11 as bound by bind_filter(). Overdue means past
 * the deadline that applies to the state; warning means past 80 % of it. */
#define FILTER_SQL " region_code >= ?1 AND region_code < ?2" FILTER_REST
/* The same filter with the region as a prefix test that no index serves, so that a wide
 * region (a street, the district) is read newest first through (status, id, region_code)
 * instead of sorting every matching row. */
#define FILTER_SQL_WIDE " substr(region_code, 1, length(?1)) = ?1 AND ?2 IS NOT NULL" FILTER_REST
#define FILTER_REST                                                                                \
	" AND (?3 IS NULL OR category = ?3)"                                                       \
	" AND (?4 IS NULL OR unit = ?4)"                                                           \
	" AND (?5 IS NULL OR reporter_user_id = ?5)"                                               \
	" AND (?6 = 0 OR (status = 0 AND accept_due < ?9) OR"                                      \
	"      (status IN (1, 3, 4, 5, 6) AND handle_due < ?9))"                                   \
	" AND (?7 = 0 OR (status = 0 AND ?9 <= accept_due AND"                                     \
	"        (?9 - created_at) * 5 >= (accept_due - created_at) * 4) OR"                       \
	"      (status IN (1, 3, 4, 5, 6) AND ?9 <= handle_due AND"                                \
	"        (?9 - created_at) * 5 >= (handle_due - created_at) * 4))"                         \
	" AND (?8 = 0 OR supervised = 1)"                                                          \
	" AND id < ?10"

static void bind_filter(struct db_stmt *st, const struct case_filter *f, char *upper)
{
	size_t n = strlen(f->region);
	memcpy(upper, f->region, n);
	upper[n] = ';'; /* the next byte after '9': the end of the prefix range */
	upper[n + 1] = '\0';
	db_bind_text(st, 1, f->region);
	db_bind_text(st, 2, upper);
	db_bind_text(st, 3, f->category);
	db_bind_text(st, 4, f->unit);
	if (f->reporter_user_id)
		db_bind_int(st, 5, f->reporter_user_id);
	else
		db_bind_null(st, 5);
	db_bind_int(st, 6, f->overdue);
	db_bind_int(st, 7, f->warning);
	db_bind_int(st, 8, f->supervised);
	db_bind_int(st, 9, f->now);
	db_bind_int(st, 10, f->before_id > 0 ? f->before_id : INT64_MAX);
}

enum db_result cases_list(struct db *db, struct arena *a, const struct case_filter *f,
                          struct case_row **rows, size_t *n)
{
	*n = 0;
	if (f->limit < 1)
		return DB_OK; /* SQLite would read a negative LIMIT as none */
	struct db_stmt *st =
	    f->status < 0 ? db_prepare(db, "SELECT " CASE_COLS " FROM cases WHERE" FILTER_SQL
	                                   " ORDER BY id DESC LIMIT ?12")
	    : strlen(f->region) <= 9
	        ? db_prepare(db, "SELECT " CASE_COLS
	                         " FROM cases WHERE status = ?11 AND" FILTER_SQL_WIDE
	                         " ORDER BY id DESC LIMIT ?12")
	        : db_prepare(db, "SELECT " CASE_COLS " FROM cases WHERE status = ?11 AND" FILTER_SQL
	                         " ORDER BY id DESC LIMIT ?12");
	if (!st)
		return DB_ERROR;
	char upper[32];
	bind_filter(st, f, upper);
	if (f->status >= 0)
		db_bind_int(st, 11, f->status);
	db_bind_int(st, 12, f->limit);
	*rows = arena_alloc(a, sizeof(**rows) * (size_t)(f->limit > 0 ? f->limit : 1));
	*n = 0;
	enum db_result r;
	while ((r = db_step(st)) == DB_ROW && *n < (size_t)f->limit)
		case_from_row(st, a, &(*rows)[(*n)++]);
	db_done(st);
	return r == DB_ERROR || r == DB_BUSY ? r : DB_OK;
}

enum db_result cases_count_by_status(struct db *db, const struct case_filter *f,
                                     int64_t counts[CASE_STATE_COUNT])
{
	struct db_stmt *st = db_prepare(db, "SELECT status, count(*) FROM cases WHERE" FILTER_SQL
	                                    " GROUP BY status");
	if (!st)
		return DB_ERROR;
	char upper[32];
	bind_filter(st, f, upper);
	memset(counts, 0, sizeof(int64_t) * CASE_STATE_COUNT);
	enum db_result r;
	while ((r = db_step(st)) == DB_ROW) {
		int64_t s = db_col_int(st, 0);
		if (s >= 0 && s < CASE_STATE_COUNT)
			counts[s] = db_col_int(st, 1);
	}
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

enum db_result cases_last_serial(struct db *db, const char *prefix, int64_t *serial)
{
	char upper[40];
	snprintf(upper, sizeof upper, "%s;", prefix);
	struct db_stmt *st = db_prepare(db, "SELECT max(number) FROM cases WHERE number >= ? "
	                                    "AND number < ?");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, prefix);
	db_bind_text(st, 2, upper);
	enum db_result r = db_step(st);
	*serial = 0;
	if (r == DB_ROW && !db_col_null(st, 0)) {
		const char *num = db_col_text(st, 0);
		size_t pl = strlen(prefix);
		if (strlen(num) > pl)
			sscanf(num + pl, "%lld", (long long *)serial);
	}
	db_done(st);
	return r == DB_ROW ? DB_OK : r;
}

enum db_result cases_open_nearby(struct db *db, struct arena *a, const char *category,
                                 const char *grid, int64_t exclude_id, struct case_row **rows,
                                 size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT " CASE_COLS " FROM cases WHERE category = ? AND status NOT IN (2, 7) "
	        "AND id <> ? AND region_code >= ? AND region_code < ? "
	        "ORDER BY id DESC LIMIT 100");
	if (!st)
		return DB_ERROR;
	/* Candidates from the grid's community: the caller keeps those within 50 m or in the
	 * same grid. */
	char community[16], upper[20];
	snprintf(community, sizeof community, "%.12s", grid);
	snprintf(upper, sizeof upper, "%s;", community);
	db_bind_text(st, 1, category);
	db_bind_int(st, 2, exclude_id);
	db_bind_text(st, 3, community);
	db_bind_text(st, 4, upper);
	*rows = arena_alloc(a, sizeof(**rows) * 100);
	*n = 0;
	enum db_result r;
	while ((r = db_step(st)) == DB_ROW && *n < 100)
		case_from_row(st, a, &(*rows)[(*n)++]);
	db_done(st);
	return r == DB_ERROR || r == DB_BUSY ? r : DB_OK;
}

enum db_result cases_in_window(struct db *db, struct arena *a, const char *category, int64_t start,
                               int64_t end, bool public_only, int limit, struct case_row **rows,
                               size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK; /* SQLite would read a negative LIMIT as none */
	struct db_stmt *st = db_prepare(db, "SELECT " CASE_COLS " FROM cases WHERE created_at >= ? "
	                                    "AND created_at < ? AND (?3 IS NULL OR category = ?3) "
	                                    "AND (?5 = 0 OR (tier <> 1 AND category IN "
	                                    "(SELECT code FROM categories WHERE public = 1))) "
	                                    "ORDER BY id DESC LIMIT ?4");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, start);
	db_bind_int(st, 2, end);
	db_bind_text(st, 3, category);
	db_bind_int(st, 4, limit);
	db_bind_int(st, 5, public_only);
	*rows = arena_alloc(a, sizeof(**rows) * (size_t)(limit > 0 ? limit : 1));
	*n = 0;
	enum db_result r;
	while ((r = db_step(st)) == DB_ROW && *n < (size_t)limit)
		case_from_row(st, a, &(*rows)[(*n)++]);
	db_done(st);
	return r == DB_ERROR || r == DB_BUSY ? r : DB_OK;
}

enum db_result case_events_add(struct db *db, const struct case_event_row *e)
{
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO case_events(case_id, at, actor_id, actor, role, action, from_state, "
	        "to_state, comment, unit, photos, rating, note) "
	        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, e->case_id);
	db_bind_int(st, 2, e->at);
	bind_opt_int(st, 3, e->actor_id);
	db_bind_text(st, 4, e->actor);
	db_bind_text(st, 5, e->role);
	db_bind_text(st, 6, e->action);
	if (e->from_state >= 0)
		db_bind_int(st, 7, e->from_state);
	else
		db_bind_null(st, 7);
	if (e->to_state >= 0)
		db_bind_int(st, 8, e->to_state);
	else
		db_bind_null(st, 8);
	db_bind_text(st, 9, e->comment);
	db_bind_text(st, 10, e->unit);
	db_bind_text(st, 11, e->photos);
	db_bind_int(st, 12, e->rating);
	db_bind_text(st, 13, e->note);
	enum db_result r = db_step(st);
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

enum db_result case_events_list(struct db *db, struct arena *a, int64_t case_id,
                                struct case_event_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT id, case_id, at, coalesce(actor_id, 0), actor, role, action, "
	        "coalesce(from_state, -1), coalesce(to_state, -1), comment, unit, photos, rating, "
	        "note "
	        "FROM case_events WHERE case_id = ? ORDER BY id LIMIT 500");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, case_id);
	*rows = arena_alloc(a, sizeof(**rows) * 500);
	*n = 0;
	enum db_result r;
	while ((r = db_step(st)) == DB_ROW && *n < 500) {
		struct case_event_row *e = &(*rows)[(*n)++];
		e->id = db_col_int(st, 0);
		e->case_id = db_col_int(st, 1);
		e->at = db_col_int(st, 2);
		e->actor_id = db_col_int(st, 3);
		e->actor = col_str(st, a, 4);
		e->role = col_str(st, a, 5);
		e->action = col_str(st, a, 6);
		e->from_state = (int)db_col_int(st, 7);
		e->to_state = (int)db_col_int(st, 8);
		e->comment = col_str(st, a, 9);
		e->unit = col_str(st, a, 10);
		e->photos = col_str(st, a, 11);
		e->rating = (int)db_col_int(st, 12);
		e->note = col_str(st, a, 13);
	}
	db_done(st);
	return r == DB_ERROR || r == DB_BUSY ? r : DB_OK;
}

#define CATEGORY_COLS                                                                              \
	"code, name, name_en, description, default_tier, active, sort, updated_at, public"

static void category_from_row(struct db_stmt *st, struct arena *a, struct category_row *c)
{
	c->code = col_str(st, a, 0);
	c->name = col_str(st, a, 1);
	c->name_en = col_str(st, a, 2);
	c->description = col_str(st, a, 3);
	c->default_tier = (enum case_tier)db_col_int(st, 4);
	c->active = db_col_int(st, 5) != 0;
	c->sort = db_col_int(st, 6);
	c->updated_at = db_col_int(st, 7);
	c->is_public = db_col_int(st, 8) != 0;
}

enum db_result categories_list(struct db *db, struct arena *a, bool active_only,
                               struct category_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " CATEGORY_COLS " FROM categories "
	                                    "WHERE (? = 0 OR active = 1) ORDER BY sort, code "
	                                    "LIMIT 500");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, active_only);
	*rows = arena_alloc(a, sizeof(**rows) * 500);
	*n = 0;
	enum db_result r;
	while ((r = db_step(st)) == DB_ROW && *n < 500)
		category_from_row(st, a, &(*rows)[(*n)++]);
	db_done(st);
	return r == DB_ERROR || r == DB_BUSY ? r : DB_OK;
}

enum db_result categories_get(struct db *db, struct arena *a, const char *code,
                              struct category_row *out)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " CATEGORY_COLS " FROM categories WHERE code = ?");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, code);
	enum db_result r = db_step(st);
	if (r == DB_ROW)
		category_from_row(st, a, out);
	db_done(st);
	return r;
}

static enum db_result category_write(struct db *db, const char *sql, const struct category_row *c)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, c->name);
	db_bind_text(st, 2, c->name_en ? c->name_en : "");
	db_bind_text(st, 3, c->description ? c->description : "");
	db_bind_int(st, 4, c->default_tier);
	db_bind_int(st, 5, c->active);
	db_bind_int(st, 6, c->sort);
	db_bind_int(st, 7, c->updated_at);
	db_bind_text(st, 8, c->code);
	db_bind_int(st, 9, c->is_public);
	enum db_result r = db_step(st);
	db_done(st);
	if (r == DB_DONE && db_changes(db) == 0)
		return DB_DONE;
	return r == DB_DONE ? DB_OK : r;
}

enum db_result categories_insert(struct db *db, const struct category_row *c)
{
	return category_write(db,
	                      "INSERT INTO categories(name, name_en, description, default_tier, "
	                      "active, sort, updated_at, code, public) "
	                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                      c);
}

enum db_result categories_update(struct db *db, const struct category_row *c)
{
	return category_write(
	    db,
	    "UPDATE categories SET name = ?1, name_en = ?2, description = ?3, "
	    "default_tier = ?4, active = ?5, sort = ?6, updated_at = ?7, public = ?9 "
	    "WHERE code = ?8",
	    c);
}

#define RULE_COLS                                                                                  \
	"id, category, coalesce(tier, -1), coalesce(level, -1), region_code, unit, accept_hours, " \
	"handle_hours, note, created_at, updated_at"

static void rule_from_row(struct db_stmt *st, struct arena *a, struct rule_row *r)
{
	memset(r, 0, sizeof(*r));
	r->rule.id = db_col_int(st, 0);
	r->rule.category = col_str(st, a, 1);
	r->rule.tier = (int)db_col_int(st, 2);
	r->rule.level = (int)db_col_int(st, 3);
	r->rule.region_code = col_str(st, a, 4);
	r->rule.unit = col_str(st, a, 5);
	r->rule.accept_hours = db_col_int(st, 6);
	r->rule.handle_hours = db_col_int(st, 7);
	r->note = col_str(st, a, 8);
	r->created_at = db_col_int(st, 9);
	r->updated_at = db_col_int(st, 10);
}

enum db_result rules_list(struct db *db, struct arena *a, struct rule_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " RULE_COLS " FROM responsibilities "
	                                    "WHERE active = 1 ORDER BY id LIMIT 5000");
	if (!st)
		return DB_ERROR;
	size_t cap = 64;
	*rows = arena_alloc(a, sizeof(**rows) * cap);
	*n = 0;
	enum db_result r;
	while ((r = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			struct rule_row *bigger = arena_alloc(a, sizeof(**rows) * cap * 2);
			memcpy(bigger, *rows, sizeof(**rows) * cap);
			*rows = bigger;
			cap *= 2;
		}
		rule_from_row(st, a, &(*rows)[(*n)++]);
	}
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

enum db_result rules_get(struct db *db, struct arena *a, int64_t id, struct rule_row *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " RULE_COLS " FROM responsibilities "
	                                    "WHERE id = ? AND active = 1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_result r = db_step(st);
	if (r == DB_ROW)
		rule_from_row(st, a, out);
	db_done(st);
	return r;
}

static void bind_rule(struct db_stmt *st, const struct rule_row *r)
{
	db_bind_text(st, 1, r->rule.category);
	if (r->rule.tier >= 0)
		db_bind_int(st, 2, r->rule.tier);
	else
		db_bind_null(st, 2);
	if (r->rule.level >= 0)
		db_bind_int(st, 3, r->rule.level);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, r->rule.region_code);
	db_bind_text(st, 5, r->rule.unit);
	db_bind_int(st, 6, r->rule.accept_hours);
	db_bind_int(st, 7, r->rule.handle_hours);
	db_bind_text(st, 8, r->note);
	db_bind_int(st, 9, r->updated_at);
}

enum db_result rules_insert(struct db *db, struct rule_row *r)
{
	struct db_stmt *st =
	    db_prepare(db, "INSERT INTO responsibilities(category, tier, level, region_code, unit, "
	                   "accept_hours, handle_hours, note, updated_at, created_at) "
	                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERROR;
	bind_rule(st, r);
	db_bind_int(st, 10, r->created_at);
	enum db_result res = db_step(st);
	db_done(st);
	if (res != DB_DONE)
		return res;
	r->rule.id = db_last_id(db);
	return DB_OK;
}

enum db_result rules_update(struct db *db, const struct rule_row *r)
{
	struct db_stmt *st = db_prepare(
	    db, "UPDATE responsibilities SET category = ?, tier = ?, level = ?, region_code = ?, "
	        "unit = ?, accept_hours = ?, handle_hours = ?, note = ?, updated_at = ? "
	        "WHERE id = ? AND active = 1");
	if (!st)
		return DB_ERROR;
	bind_rule(st, r);
	db_bind_int(st, 10, r->rule.id);
	enum db_result res = db_step(st);
	db_done(st);
	if (res == DB_DONE && db_changes(db) == 0)
		return DB_DONE;
	return res == DB_DONE ? DB_OK : res;
}

enum db_result rules_retire(struct db *db, int64_t id, int64_t now)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE responsibilities SET active = 0, updated_at = ? "
	                   "WHERE id = ? AND active = 1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, id);
	enum db_result res = db_step(st);
	db_done(st);
	if (res == DB_DONE && db_changes(db) == 0)
		return DB_DONE;
	return res == DB_DONE ? DB_OK : res;
}

enum db_result notifications_add(struct db *db, const struct notification_row *n)
{
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO notifications(created_at, case_id, user_id, role, region_code, unit, "
	        "kind, title, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, n->created_at);
	bind_opt_int(st, 2, n->case_id);
	bind_opt_int(st, 3, n->user_id);
	db_bind_text(st, 4, n->role);
	db_bind_text(st, 5, n->region_code);
	db_bind_text(st, 6, n->unit);
	db_bind_text(st, 7, n->kind);
	db_bind_text(st, 8, n->title);
	db_bind_text(st, 9, n->body);
	enum db_result r = db_step(st);
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

#define NOTE_COLS                                                                                  \
	"id, created_at, coalesce(case_id, 0), coalesce(user_id, 0), read_at, sent_at, role, "     \
	"region_code, unit, kind, title, body"

static void note_from_row(struct db_stmt *st, struct arena *a, struct notification_row *r)
{
	r->id = db_col_int(st, 0);
	r->created_at = db_col_int(st, 1);
	r->case_id = db_col_int(st, 2);
	r->user_id = db_col_int(st, 3);
	r->read_at = db_col_int(st, 4);
	r->sent_at = db_col_int(st, 5);
	r->role = col_str(st, a, 6);
	r->region_code = col_str(st, a, 7);
	r->unit = col_str(st, a, 8);
	r->kind = col_str(st, a, 9);
	r->title = col_str(st, a, 10);
	r->body = col_str(st, a, 11);
}

static enum db_result note_rows(struct db_stmt *st, struct arena *a, int limit,
                                struct notification_row **rows, size_t *n)
{
	*rows = arena_alloc(a, sizeof(**rows) * (size_t)(limit > 0 ? limit : 1));
	*n = 0;
	enum db_result r;
	while ((r = db_step(st)) == DB_ROW && *n < (size_t)limit)
		note_from_row(st, a, &(*rows)[(*n)++]);
	db_done(st);
	return r == DB_ERROR || r == DB_BUSY ? r : DB_OK;
}

enum db_result notifications_for(struct db *db, struct arena *a, int64_t user_id, const char *role,
                                 const char *region, const char *unit, int64_t before, int limit,
                                 struct notification_row **rows, size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK;
	struct db_stmt *st;
	if (role) {
		st = db_prepare(db, "SELECT " NOTE_COLS " FROM notifications WHERE role = ?1 AND "
		                    "region_code >= ?2 AND region_code < ?3 AND "
		                    "(unit IS NULL OR ?4 IS NULL OR unit = ?4) AND id < ?5 "
		                    "ORDER BY id DESC LIMIT ?6");
		if (!st)
			return DB_ERROR;
		char upper[24];
		snprintf(upper, sizeof upper, "%s;", region ? region : "");
		db_bind_text(st, 1, role);
		db_bind_text(st, 2, region ? region : "");
		db_bind_text(st, 3, upper);
		db_bind_text(st, 4, unit);
		db_bind_int(st, 5, before > 0 ? before : INT64_MAX);
		db_bind_int(st, 6, limit);
	} else {
		st = db_prepare(db, "SELECT " NOTE_COLS " FROM notifications WHERE user_id = ? AND "
		                    "id < ? ORDER BY id DESC LIMIT ?");
		if (!st)
			return DB_ERROR;
		db_bind_int(st, 1, user_id);
		db_bind_int(st, 2, before > 0 ? before : INT64_MAX);
		db_bind_int(st, 3, limit);
	}
	return note_rows(st, a, limit, rows, n);
}

enum db_result notifications_get(struct db *db, struct arena *a, int64_t id,
                                 struct notification_row *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " NOTE_COLS " FROM notifications WHERE id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_result r = db_step(st);
	if (r == DB_ROW)
		note_from_row(st, a, out);
	db_done(st);
	return r;
}

enum db_result notifications_mark_read(struct db *db, int64_t id, int64_t now)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE notifications SET read_at = ? WHERE id = ? AND read_at = 0");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, id);
	enum db_result r = db_step(st);
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

enum db_result notifications_unsent(struct db *db, struct arena *a, int limit,
                                    struct notification_row **rows, size_t *n)
{
	*n = 0;
	if (limit < 1)
		return DB_OK;
	struct db_stmt *st = db_prepare(db, "SELECT " NOTE_COLS " FROM notifications WHERE "
	                                    "sent_at = 0 AND attempts < 5 ORDER BY id LIMIT ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, limit);
	return note_rows(st, a, limit, rows, n);
}

enum db_result notifications_mark_sent(struct db *db, int64_t id, int64_t now, bool ok)
{
	struct db_stmt *st = db_prepare(db, "UPDATE notifications SET sent_at = ?, attempts = "
	                                    "attempts + 1 WHERE id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, ok ? now : 0);
	db_bind_int(st, 2, id);
	enum db_result r = db_step(st);
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

enum db_result photos_add(struct db *db, const struct photo_row *p)
{
	struct db_stmt *st = db_prepare(db, "INSERT OR IGNORE INTO photos(hash, mime, size, "
	                                    "created_at, created_by) VALUES (?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, p->hash);
	db_bind_text(st, 2, p->mime);
	db_bind_int(st, 3, p->size);
	db_bind_int(st, 4, p->created_at);
	bind_opt_int(st, 5, p->created_by);
	enum db_result r = db_step(st);
	db_done(st);
	return r == DB_DONE ? DB_OK : r;
}

enum db_result photos_get(struct db *db, struct arena *a, const char *hash, struct photo_row *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT hash, mime, size, created_at, "
	                                    "coalesce(created_by, 0) FROM photos WHERE hash = ?");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, hash);
	enum db_result r = db_step(st);
	if (r == DB_ROW) {
		out->hash = col_str(st, a, 0);
		out->mime = col_str(st, a, 1);
		out->size = db_col_int(st, 2);
		out->created_at = db_col_int(st, 3);
		out->created_by = db_col_int(st, 4);
	}
	db_done(st);
	return r;
}
