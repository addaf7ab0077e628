/* Household codes (户码): only a keyed hash of each code is stored. */
#include "store/voice/voice.h"

#include <string.h>

#include "store/stmt.h"

#define CODE_COLS                                                                                  \
	"id, household_id, region_code, coalesce(issued_by, 0), expires_at, status, uses, "        \
	"created_at"

static void code_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct enrolment_code_row *c = p;
	memset(c, 0, sizeof *c);
	c->id = db_col_int(st, 0);
	c->household_id = db_col_int(st, 1);
	c->region_code = sql_str(st, a, 2);
	c->issued_by = db_col_int(st, 3);
	c->expires_at = db_col_int(st, 4);
	c->status = sql_str(st, a, 5);
	c->uses = db_col_int(st, 6);
	c->created_at = db_col_int(st, 7);
}

enum db_result store_enrolment_codes_revoke(struct db *db, int64_t household_id, int64_t by,
                                            int64_t now)
{
	return sql_change(db,
	                  "UPDATE enrolment_codes SET status = 'revoked', revoked_by = ?, "
	                  "revoked_at = ? WHERE household_id = ? AND status = 'active'",
	                  ARGS(ARG_NONZERO(by), ARG_INT(now), ARG_INT(household_id)));
}

enum db_result store_enrolment_codes_issue(struct db *db, const unsigned char hash[SEAL_INDEX_LEN],
                                           int64_t household_id, const char *region_code,
                                           int64_t issued_by, int64_t now, int64_t expires_at,
                                           int64_t *id)
{
	enum db_result r = store_enrolment_codes_revoke(db, household_id, issued_by, now);
	if (r != DB_OK && r != DB_DONE)
		return r;
	return sql_insert(db,
	                  "INSERT INTO enrolment_codes(code_hash, household_id, region_code, "
	                  "issued_by, expires_at, status, uses, created_at) "
	                  "VALUES (?, ?, ?, ?, ?, 'active', 0, ?)",
	                  ARGS(ARG_BLOB(hash, SEAL_INDEX_LEN), ARG_INT(household_id),
	                       ARG_TEXT(region_code), ARG_NONZERO(issued_by), ARG_INT(expires_at),
	                       ARG_INT(now)),
	                  id);
}

enum db_result store_enrolment_codes_find(struct db *db, struct arena *a,
                                          const unsigned char hash[SEAL_INDEX_LEN], int64_t now,
                                          struct enrolment_code_row *out)
{
	return sql_one(db, a,
	               "SELECT " CODE_COLS " FROM enrolment_codes WHERE code_hash = ? AND "
	               "status = 'active' AND expires_at > ?",
	               ARGS(ARG_BLOB(hash, SEAL_INDEX_LEN), ARG_INT(now)), code_read, out);
}

enum db_result store_enrolment_codes_of_household(struct db *db, struct arena *a,
                                                  int64_t household_id,
                                                  struct enrolment_code_row *out)
{
	return sql_one(db, a,
	               "SELECT " CODE_COLS " FROM enrolment_codes WHERE household_id = ? AND "
	               "status = 'active'",
	               ARGS(ARG_INT(household_id)), code_read, out);
}

enum db_result store_enrolment_codes_used(struct db *db, int64_t id)
{
	return sql_change(db, "UPDATE enrolment_codes SET uses = uses + 1 WHERE id = ?",
	                  ARGS(ARG_INT(id)));
}

enum db_result store_enrolment_match(struct db *db, int64_t household_id, const char *name,
                                     const unsigned char phone_index[SEAL_INDEX_LEN],
                                     int64_t *resident_id)
{
	*resident_id = 0;
	bool found = false;
	enum db_result r = sql_int(
	    db,
	    "SELECT r.id FROM residents r WHERE r.household_id = ? AND r.status = 'active' "
	    "AND r.name = ? AND r.phone_index = ? AND NOT EXISTS (SELECT 1 FROM users u "
	    "WHERE u.resident_id = r.id) ORDER BY r.id LIMIT 1",
	    ARGS(ARG_INT(household_id), ARG_TEXT(name), ARG_BLOB(phone_index, SEAL_INDEX_LEN)),
	    resident_id);
	found = *resident_id > 0;
	if (r != DB_OK)
		return r;
	return found ? DB_ROW : DB_DONE;
}

static void member_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct enrol_member *m = p;
	m->household_id = db_col_int(st, 0);
	m->region_code = sql_str(st, a, 1);
	m->resident_id = db_col_int(st, 2);
}

enum db_result store_enrolment_free_members(struct db *db, struct arena *a, const char *prefix,
                                            int limit, struct enrol_member **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT h.id, h.region_code, min(r.id) FROM households h JOIN residents r ON "
	    "r.household_id = h.id WHERE substr(h.region_code, 1, length(?1)) = ?1 AND "
	    "r.status = 'active' AND NOT EXISTS (SELECT 1 FROM users u WHERE "
	    "u.household_id = h.id) GROUP BY h.id, h.region_code ORDER BY h.id LIMIT ?2",
	    ARGS(ARG_TEXT(prefix), ARG_INT((int64_t)limit)), member_read, sizeof **rows, limit,
	    (void **)rows, n);
}
