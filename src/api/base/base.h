/* Helpers the base-data resources share (residents, houses, organisations,
 * sweeps, rectifications, import and export): who may do what, the caller's
 * region scopes, page cursors, sealing personal data and writing versions. */
#ifndef JICENG_API_BASE_H
#define JICENG_API_BASE_H

#include "api/api.h"
#include "domain/person.h"
#include "store/base/base.h"

/* Who may read base data (masked), change it, reveal ID numbers and phones in full, and
 * see or set the restricted (special-care) tags. */
#define BASE_READERS                                                                               \
	(ROLES_MANAGERS | ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_GRID_LEADER) |                 \
	 ROLE_BIT(ROLE_GRID_WORKER) | ROLE_BIT(ROLE_BUILDING_LEADER))
#define BASE_WRITERS    (ROLES_MANAGERS | ROLE_BIT(ROLE_GRID_LEADER) | ROLE_BIT(ROLE_GRID_WORKER))
#define BASE_REVEALERS  BASE_WRITERS
#define BASE_RESTRICTED ROLES_MANAGERS
/* Who runs sweep campaigns and ticks off rectification items (销号). */
#define BASE_MANAGERS ROLES_MANAGERS

/* The regions the caller reaches with a role in roles, narrowed to region (NULL: all);
 * disjoint and in order. */
void base_scopes(const struct api_ctx *ctx, unsigned roles, const char *region, struct scopes *out);
/* The region query parameter: NULL when absent; false after responding 400 (bad code). */
bool base_region_param(struct http_req *req, const char **region);
/* cursor query parameter "CODE.ID"; false after responding 400. */
bool base_cursor(struct http_req *req, struct page_after *after);
/* The cursor for the page after the row (code, id), or NULL when the page was not full. */
const char *base_next_cursor(struct arena *a, size_t n, int limit, const char *code, int64_t id);
/* The query of a base-data list page. */
struct base_page {
	const char *region; /* the region parameter, NULL when absent */
	int limit;
	struct page_after after;
	struct scopes sc; /* the caller's BASE_READERS scopes, narrowed to region */
};
/* Reads region, limit and cursor and sets the scopes; false after responding 400. */
bool base_page_query(struct http_req *req, struct base_page *p);
/* Answers a list page from rows fetched with limit (size bytes each, the id their first member,
 * their region code at region_at): api_store_error when r is not DB_OK, else the rows rendered
 * by item and base_next_cursor after the last. */
void base_respond_page(struct http_req *req, enum db_result r, const void *rows, size_t n,
                       size_t size, size_t region_at, int limit, api_item_fn *item);

/* Seals a value into arena memory; false when no key is loaded or memory failed. */
bool base_seal(struct arena *a, const char *clear, struct sealed *out);
/* Opens a sealed value (arena copy), NULL when absent or not openable. */
const char *base_open(struct arena *a, struct sealed s);

/* A grid region that exists and is active, reached by the caller with roles. Records an
 * error on field when not: 422 for a code that is no active grid, code "scope" (which
 * api_input_end answers with 403) for a grid outside the caller's reach. */
bool base_check_grid(struct api_ctx *ctx, struct arena *a, struct api_input *in, const char *field,
                     const char *code, unsigned roles);

/* Appends a version row: kind ("resident", "house", "organisation"), the record, the new
 * version number, and JSON snapshots before (NULL on create) and after (NULL for an
 * import's row: base_history_respond reads it back). */
enum db_result base_version(struct api_ctx *ctx, const char *kind, int64_t id, int64_t version,
                            const char *action, json_t *before, json_t *after);
/* base_version for kinds that number their versions from the history itself (buildings,
 * households). */
enum db_result base_version_next(struct api_ctx *ctx, const char *kind, int64_t id,
                                 const char *action, json_t *before, json_t *after);
/* base_version taking ownership of after (before stays the caller's). */
enum db_result base_version_after(struct api_ctx *ctx, const char *kind, int64_t id,
                                  int64_t version, const char *action, json_t *before,
                                  json_t *after);
/* The stamps of a versioned record (resident, house, organisation) about to be written: for a
 * new one (id 0, true: insert it) created and updated now, else updated now with the next
 * version (false: update it). also (optional) is stamped now either way. */
bool base_stamp(int64_t id, int64_t *version, int64_t *created_at, int64_t *updated_at,
                int64_t *also);
/* base_version_next taking ownership of both snapshots (before NULL on create). */
enum db_result base_version_consume(struct api_ctx *ctx, const char *kind, int64_t id,
                                    const char *action, json_t *before, json_t *after);
/* Answers a record's history (GET …/{id}/history): its versions, oldest first. current is
 * the record's snapshot now (consumed; NULL for kinds whose versions always store "after"),
 * standing in for the "after" an import's last version did not store. */
void base_history_respond(struct http_req *req, const char *kind, int64_t id, json_t *current);

/* 409 for a value that must be unique (an ID number, a credit code, a room), naming the
 * field in errors[] like a 422 does. */
void base_duplicate(struct http_req *req, const char *field, const char *detail);
/* Where an import's rejected rows are read: GET /api/v1/imports/{id}/errors.csv. */
const char *base_import_errors_url(struct arena *a, int64_t import_id);
/* The outcome of saving a base-data record: false after responding 422 base_duplicate(field,
 * detail) for DB_CONSTRAINT or the store error; true when saved, the audit naming kind:id. */
bool base_saved(struct http_req *req, enum db_result r, const char *field, const char *detail,
                const char *kind, int64_t id);

/* Copies field errors from the domain into the input's errors (prefixing path, may be ""). */
void base_add_errors(struct api_input *in, const char *prefix, const struct field_errors *errs);

/* A "YYYY-MM-DD" date that exists. */
bool base_valid_date(const char *s);
/* Today in Asia/Shanghai as "YYYY-MM-DD". */
const char *base_today(struct arena *a);

/* The record rules below (base_resident_*, base_house_save, base_org_*, base_check_grid,
 * base_version*) take the acting context and an arena, never a request: the JSON handlers,
 * the import run (exchange_*.c) and the command line reach them alike. */

/* ---- residents (api/base/residents.c), shared with import and sweeps ---- */

struct resident_change {
	struct resident_fields f;
	const char *region_code;
	int64_t house_id, household_id;
	bool has_house, has_household, has_region;
	bool tags_given;
};

/* Applies a checked change to row (creating when row->id is 0): seals ID and phone, derives
 * birth date and gender, splits tags. Records field errors in in; the caller needs a writer's
 * grant over the target grid. */
bool base_resident_apply(struct api_ctx *ctx, struct arena *a, struct api_input *in,
                         const char *prefix, const struct resident_change *ch,
                         struct resident_row *row);
/* Writes a new (id 0) or changed resident with its version row; DB_CONSTRAINT on a duplicate
 * ID number. */
enum db_result base_resident_save(struct api_ctx *ctx, struct arena *a, struct resident_row *row,
                                  const char *action, json_t *before);
/* Reads a resident body into ch (only what is given; rules are checked by base_resident_apply). */
void base_resident_read(struct arena *a, struct api_input *in, struct resident_change *ch);
/* Phones are looked up by their digits alone. */
const char *resident_phone_digits(struct arena *a, const char *phone);
/* Answers an exact lookup by ID number (or else phone), audited and limited per user
 * (api/base/residents_lookup.c); reveal only with an ID number: at most one record. */
void base_resident_lookup(struct http_req *req, const char *id_number, const char *phone,
                          bool reveal);
/* The masked form kept in the version history (no restricted tags). */
json_t *resident_snapshot(struct arena *a, const struct resident_row *r);
json_t *resident_json(struct api_ctx *ctx, struct arena *a, const struct resident_row *r,
                      bool reveal);
/* The birth date as an answer shows it: in full for a reveal or where the request derived it
 * from the ID number it was given, else "1987-**-**" (the year only); NULL when unknown. */
const char *resident_birth_text(struct arena *a, const struct resident_row *r, bool reveal);

/* ---- houses (api/base/houses.c) ---- */
json_t *house_json(struct arena *a, const struct house_row *h);
/* The form kept in the version history. */
json_t *house_snapshot(struct arena *a, const struct house_row *h);
/* Writes a new (id 0) or changed house with its version row. */
enum db_result base_house_save(struct api_ctx *ctx, struct arena *a, struct house_row *h,
                               const char *action, json_t *before);

/* ---- organisations (api/base/organisations.c) ---- */
/* Reads an organisation's fields into o (creating: required ones must be there). */
void base_org_read(struct api_ctx *ctx, struct arena *a, struct api_input *in, struct org_row *o,
                   bool creating);
enum db_result base_org_save(struct api_ctx *ctx, struct arena *a, struct org_row *o,
                             const char *action, json_t *before);
json_t *org_snapshot(struct arena *a, const struct org_row *o);

/* ---- handlers ---- */
void residents_create_h(struct http_req *req);
void residents_list_h(struct http_req *req);
void residents_get_h(struct http_req *req);
void residents_patch_h(struct http_req *req);
void residents_history_h(struct http_req *req);
void buildings_create_h(struct http_req *req);
void buildings_list_h(struct http_req *req);
void buildings_get_h(struct http_req *req);
void buildings_households_h(struct http_req *req);
void buildings_history_h(struct http_req *req);
void buildings_patch_h(struct http_req *req);
void houses_create_h(struct http_req *req);
void houses_list_h(struct http_req *req);
void houses_get_h(struct http_req *req);
void houses_patch_h(struct http_req *req);
void houses_history_h(struct http_req *req);
void households_create_h(struct http_req *req);
void households_get_h(struct http_req *req);
void households_history_h(struct http_req *req);
/* ---- households (api/base/households.c), shared with buildings, houses and import ---- */
json_t *household_json(const struct household_row *h);
/* A household as its version rows keep it. */
json_t *household_snapshot(const struct household_row *h);
void households_patch_h(struct http_req *req);
void orgs_create_h(struct http_req *req);
void orgs_list_h(struct http_req *req);
void orgs_get_h(struct http_req *req);
void orgs_patch_h(struct http_req *req);
void orgs_history_h(struct http_req *req);
/* Loads the sweep named by the path's id, visible to the caller; false after 404/503. */
struct sweep_row;
bool base_sweep_load(struct http_req *req, struct sweep_row *s);
void sweeps_create_h(struct http_req *req);
void sweeps_list_h(struct http_req *req);
void sweeps_get_h(struct http_req *req);
void sweeps_patch_h(struct http_req *req);
void sweeps_worklist_h(struct http_req *req);
void sweeps_visit_h(struct http_req *req);
void sweeps_visits_h(struct http_req *req);
void sweeps_progress_h(struct http_req *req);
void rectifications_create_h(struct http_req *req);
void rectifications_list_h(struct http_req *req);
void rectifications_get_h(struct http_req *req);
void rectifications_action_h(struct http_req *req);
void rectifications_stats_h(struct http_req *req);
void base_codes_h(struct http_req *req);
void exchange_export_h(struct http_req *req);
void exchange_import_h(struct http_req *req);
void exchange_export_template_h(struct http_req *req);
void imports_list_h(struct http_req *req);
void imports_get_h(struct http_req *req);
void imports_errors_h(struct http_req *req);
#endif
