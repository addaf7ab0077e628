/* Selections (评选): a topic's seats and its nominations (migration 31). */
#include "store/deliberation/deliberation.h"

#include <string.h>

#include "store/stmt.h"

#define S(col) sql_str(st, a, col)

enum db_result store_selection_seats(struct db *db, int64_t topic_id, int64_t *seats)
{
	*seats = 0;
	enum db_result r = sql_int(db, "SELECT seats FROM topic_selections WHERE topic_id = ?",
	                           ARGS(ARG_INT(topic_id)), seats);
	if (r != DB_OK)
		return r;
	return *seats > 0 ? DB_ROW : DB_DONE;
}

enum db_result store_selection_insert(struct db *db, int64_t topic_id, int64_t seats,
                                      int64_t user_id, int64_t now)
{
	return sql_run(db,
	               "INSERT INTO topic_selections(topic_id, seats, created_by, created_at) "
	               "VALUES (?, ?, ?, ?)",
	               ARGS(ARG_INT(topic_id), ARG_INT(seats), ARG_ID(user_id), ARG_INT(now)));
}

#define NOMINATION_COLS                                                                            \
	"id, topic_id, coalesce(household_id, 0), coalesce(building_id, 0), "                      \
	"coalesce(nominated_by, 0), coalesce(reviewed_by, 0), coalesce(reviewed_at, 0), "          \
	"created_at, region_code, nominee_kind, label, reason, status, review_note"

static void nomination_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct nomination_row *n = p;
	n->id = db_col_int(st, 0);
	n->topic_id = db_col_int(st, 1);
	n->household_id = db_col_int(st, 2);
	n->building_id = db_col_int(st, 3);
	n->nominated_by = db_col_int(st, 4);
	n->reviewed_by = db_col_int(st, 5);
	n->reviewed_at = db_col_int(st, 6);
	n->created_at = db_col_int(st, 7);
	n->region_code = S(8);
	n->nominee_kind = S(9);
	n->label = S(10);
	n->reason = S(11);
	n->status = S(12);
	n->review_note = S(13);
}

enum db_result store_nominations_insert(struct db *db, struct nomination_row *n)
{
	return sql_insert(db,
	                  "INSERT INTO topic_nominations(topic_id, region_code, nominee_kind, "
	                  "household_id, building_id, label, reason, status, nominated_by, "
	                  "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
	                  ARGS(ARG_INT(n->topic_id), ARG_TEXT(n->region_code),
	                       ARG_TEXT(n->nominee_kind), ARG_ID(n->household_id),
	                       ARG_ID(n->building_id), ARG_TEXT(n->label), ARG_TEXT(n->reason),
	                       ARG_ID(n->nominated_by), ARG_INT(n->created_at)),
	                  &n->id);
}

enum db_result store_nominations_get(struct db *db, struct arena *a, int64_t id,
                                     struct nomination_row *out)
{
	return sql_one(db, a, "SELECT " NOMINATION_COLS " FROM topic_nominations WHERE id = ?",
	               ARGS(ARG_INT(id)), nomination_read, out);
}

enum db_result store_nominations_of_topic(struct db *db, struct arena *a, int64_t topic_id,
                                          const char *status, struct nomination_row **rows,
                                          size_t *n)
{
	return sql_all(db, a,
	               "SELECT " NOMINATION_COLS " FROM topic_nominations WHERE topic_id = ?1 "
	               "AND (?2 = '' OR status = ?2) ORDER BY id LIMIT 200",
	               ARGS(ARG_INT(topic_id), ARG_TEXT(status ? status : "")), nomination_read,
	               sizeof **rows, 200, (void **)rows, n);
}

enum db_result store_nomination_review(struct db *db, int64_t id, const char *status,
                                       const char *note, int64_t user_id, int64_t now)
{
	return sql_change(
	    db,
	    "UPDATE topic_nominations SET status = ?, review_note = ?, "
	    "reviewed_by = ?, reviewed_at = ? WHERE id = ? AND status = 'pending'",
	    ARGS(ARG_TEXT(status), ARG_OPT_TEXT(note), ARG_ID(user_id), ARG_INT(now), ARG_INT(id)));
}

enum db_result store_nomination_exists(struct db *db, int64_t topic_id, const char *kind,
                                       int64_t nominee_id, bool *out)
{
	return sql_exists(db,
	                  "SELECT 1 FROM topic_nominations WHERE topic_id = ?1 AND status <> "
	                  "'declined' AND ((?2 = 'household' AND household_id = ?3) OR "
	                  "(?2 = 'building' AND building_id = ?3))",
	                  ARGS(ARG_INT(topic_id), ARG_TEXT(kind), ARG_INT(nominee_id)), out);
}

static void place_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct household_place *h = p;
	h->region_code = S(0);
	h->building = S(1);
	h->unit = S(2);
	h->room = S(3);
	h->head_name = S(4);
}

enum db_result store_household_place(struct db *db, struct arena *a, int64_t household_id,
                                     struct household_place *out)
{
	/* The head, or else the first active member in the register's order. */
	return sql_one(db, a,
	               "SELECT h.region_code, b.name, ho.unit, ho.room, coalesce((SELECT r.name "
	               "FROM residents r WHERE r.id = h.head_id), (SELECT r.name FROM residents r "
	               "WHERE r.household_id = h.id AND r.status = 'active' ORDER BY r.id LIMIT "
	               "1)) FROM households h LEFT JOIN houses ho ON ho.id = h.house_id LEFT JOIN "
	               "buildings b ON b.id = ho.building_id WHERE h.id = ?",
	               ARGS(ARG_INT(household_id)), place_read, out);
}

struct building_place {
	const char *region_code, *name;
};

static void building_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct building_place *b = p;
	b->region_code = S(0);
	b->name = S(1);
}

enum db_result store_building_place(struct db *db, struct arena *a, int64_t building_id,
                                    const char **region_code, const char **name)
{
	struct building_place b = {0};
	enum db_result r = sql_one(db, a, "SELECT region_code, name FROM buildings WHERE id = ?",
	                           ARGS(ARG_INT(building_id)), building_read, &b);
	*region_code = b.region_code;
	*name = b.name;
	return r;
}
