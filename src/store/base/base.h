/* Base data rows (人、房、企): buildings, houses, households, residents and
 * organisations, and the version history every change leaves. Personal data
 * arrives here already sealed (core/seal.h) with its blind index and mask; the
 * store never sees it in clear.
 *
 * Listings run over region scopes: disjoint code-prefix ranges, walked in
 * (region_code, id) order through the (region_code, id) indexes, so a page
 * costs the same for a grid and for a district. */
#ifndef JICENG_STORE_BASE_H
#define JICENG_STORE_BASE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/seal.h"
#include "store/db.h"

enum { SCOPES_MAX = 32 }; /* as many as a user may hold grants */

/* Disjoint region prefixes in ascending order; an empty prefix is everything. */
struct scopes {
	const char *prefix[SCOPES_MAX];
	int n;
};

/* Where a page starts: after (code, id); code "" starts at the beginning. */
struct page_after {
	const char *code;
	int64_t id;
};

struct sealed {
	const unsigned char *p;
	size_t n;
};

struct building_row {
	int64_t id, floors, created_at, updated_at;
	const char *region_code, *name, *address;
	int64_t houses; /* filled by listings */
};

struct house_row {
	int64_t id, building_id, verified_at, version, created_at, updated_at;
	const char *region_code, *building_name, *unit, *room, *address, *note, *use;
	double area;       /* < 0: unknown */
	int64_t occupants; /* active residents (filled by reads) */
};

struct household_row {
	int64_t id, house_id, head_id, created_at, updated_at;
	const char *region_code, *number;
};

/* A household of a building as pickers list it: where it lives and who heads it. */
struct building_household {
	struct household_row hh;
	const char *building, *unit, *room, *head_name;
	int64_t house_households; /* households sharing its house */
};
enum { BUILDING_HOUSEHOLDS_MAX = 2000 };
enum db_result store_households_in_building(struct db *db, struct arena *a, int64_t building_id,
                                            struct building_household **rows, size_t *n);

struct resident_row {
	int64_t id, house_id, household_id, verified_at, version, created_at, updated_at;
	/* Only the birth year is kept in clear (with the ID mask, the full date narrows an ID
	 * number to <= 91 candidates, see mask_birth_date); the date is sealed in birth_sealed.
	 * birth_date is the date in clear only in memory, where a request derived it from an ID
	 * number it was given or opened it for a reveal; the store never reads or writes it. */
	int64_t birth_year; /* 0: unknown */
	const char *region_code, *relation, *name, *id_mask, *phone_mask, *birth_date, *gender;
	const char *residency, *tags, *note, *status;
	struct sealed id_sealed, phone_sealed, restricted_sealed, birth_sealed;
	unsigned char id_index[SEAL_INDEX_LEN], phone_index[SEAL_INDEX_LEN];
	bool has_id_index, has_phone_index;
};

struct org_row {
	int64_t id, house_id, employees, verified_at, version, created_at, updated_at;
	const char *region_code, *name, *uscc, *kind, *industry, *legal_person, *phone_mask;
	const char *address, *status;
	struct sealed phone_sealed;
};

struct resident_filter {
	struct scopes scopes;
	const char *q;         /* name prefix */
	const char *residency; /* code */
	const char *tag;       /* a plain (unrestricted) tag code */
	const char *status;    /* NULL: active only; "" any */
	int64_t house_id, household_id;
	struct page_after after;
	int limit;
};

struct version_row {
	int64_t id, record_id, version, at, actor_id;
	const char *kind, *actor, *action, *before, *after;
};

/* ---- buildings ---- */
enum db_result store_buildings_insert(struct db *db, struct building_row *b);
enum db_result store_buildings_get(struct db *db, struct arena *a, int64_t id,
                                   struct building_row *out);
enum db_result store_buildings_find(struct db *db, struct arena *a, const char *grid,
                                    const char *name, struct building_row *out);
enum db_result store_buildings_update(struct db *db, const struct building_row *b);
enum db_result store_buildings_list(struct db *db, struct arena *a, const struct scopes *sc,
                                    struct page_after after, int limit, struct building_row **rows,
                                    size_t *n);

/* ---- houses ---- */
/* The columns store_house_read takes, from houses h JOIN buildings b (15 columns). */
#define HOUSE_COLS                                                                                 \
	"h.id, h.region_code, h.building_id, b.name, h.unit, h.room, h.address, h.use, "           \
	"coalesce(h.area, -1), h.note, h.verified_at, h.version, h.created_at, h.updated_at, "     \
	"(SELECT count(*) FROM residents r WHERE r.house_id = h.id AND r.status = 'active')"
struct db_stmt;
void store_house_read(struct db_stmt *st, struct arena *a, void *row); /* row: struct house_row */
enum db_result store_houses_insert(struct db *db, struct house_row *h);
enum db_result store_houses_get(struct db *db, struct arena *a, int64_t id, struct house_row *out);
enum db_result store_houses_find(struct db *db, struct arena *a, int64_t building_id,
                                 const char *unit, const char *room, struct house_row *out);
/* Writes use, address, area, note, unit, room, verified_at, version, updated_at. */
enum db_result store_houses_update(struct db *db, const struct house_row *h);
enum db_result store_houses_list(struct db *db, struct arena *a, const struct scopes *sc,
                                 int64_t building_id, const char *use, struct page_after after,
                                 int limit, struct house_row **rows, size_t *n);

/* ---- households ---- */
enum db_result store_households_insert(struct db *db, struct household_row *h);
enum db_result store_households_get(struct db *db, struct arena *a, int64_t id,
                                    struct household_row *out);
enum db_result store_households_find(struct db *db, struct arena *a, int64_t house_id,
                                     const char *number, struct household_row *out);
enum db_result store_households_update(struct db *db, const struct household_row *h);
/* Names the head of a household (one statement: the import does this per head row). */
enum db_result store_households_set_head(struct db *db, int64_t id, int64_t head_id, int64_t at);
enum db_result store_households_in_house(struct db *db, struct arena *a, int64_t house_id,
                                         struct household_row **rows, size_t *n);

/* ---- residents ---- */
/* DB_CONSTRAINT when the ID number is already registered. */
enum db_result store_residents_insert(struct db *db, struct resident_row *r);
enum db_result store_residents_get(struct db *db, struct arena *a, int64_t id,
                                   struct resident_row *out);
/* Writes every mutable column of r (the whole row is replaced). */
enum db_result store_residents_update(struct db *db, const struct resident_row *r);
enum db_result store_residents_by_id_index(struct db *db, struct arena *a,
                                           const unsigned char idx[SEAL_INDEX_LEN],
                                           struct resident_row *out);
enum db_result store_residents_by_phone_index(struct db *db, struct arena *a,
                                              const unsigned char idx[SEAL_INDEX_LEN], int limit,
                                              struct resident_row **rows, size_t *n);
enum db_result store_residents_list(struct db *db, struct arena *a, const struct resident_filter *f,
                                    struct resident_row **rows, size_t *n);
/* The data step of migration 6, run where the key is loaded (cli_open_db): seals each birth
 * date still kept in clear by an older version into birth_sealed and clears it, with SQLite's
 * secure_delete on so the old bytes are overwritten in the file. Idempotent; *sealed counts
 * the rows it changed. DB_ERROR when no key is loaded. */
enum db_result store_residents_seal_birth_dates(struct db *db, int64_t *sealed);

/* ---- organisations ---- */
enum db_result store_orgs_insert(struct db *db, struct org_row *o);
enum db_result store_orgs_get(struct db *db, struct arena *a, int64_t id, struct org_row *out);
enum db_result store_orgs_by_uscc(struct db *db, struct arena *a, const char *uscc,
                                  struct org_row *out);
enum db_result store_orgs_update(struct db *db, const struct org_row *o);
enum db_result store_orgs_list(struct db *db, struct arena *a, const struct scopes *sc,
                               const char *q, const char *kind, struct page_after after, int limit,
                               struct org_row **rows, size_t *n);

/* ---- history ---- */
enum db_result store_versions_add(struct db *db, const struct version_row *v);
/* The number the next version of a record takes (1 for the first): for kinds without a
 * version column of their own (buildings, households). */
enum db_result store_versions_next(struct db *db, const char *kind, int64_t record_id,
                                   int64_t *out);
enum db_result store_versions_list(struct db *db, struct arena *a, const char *kind,
                                   int64_t record_id, struct version_row **rows, size_t *n);

#endif
