/* Helpers the party-building handlers share (api/party/: party_*.c, pairings*.c, cadres.c,
 * reception*.c, grid_teams.c): the region a list or report covers, loading an organisation
 * the caller may see, typed fields (dates, ids, hours), renderings, histories and audit. */
#ifndef JICENG_API_PARTY_H
#define JICENG_API_PARTY_H

#include "api/api.h"
#include "core/json.h"
#include "store/party/party.h"
#include "store/party/pairings.h"
#include "store/platform/users.h"

/* Party data (the organisation tree, members, 党员中心户, the grid service team) is for the
 * region's own staff: managers and the grid roles that work with the grid branch. A county
 * unit (department staff, cadres) sees its own unit's organisations and pairings only, and a
 * cadre its own records; residents see none of it. */
#define PARTY_STAFF                                                                                \
	(ROLES_MANAGERS | ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_GRID_LEADER) |                 \
	 ROLE_BIT(ROLE_GRID_WORKER) | ROLE_BIT(ROLE_BUILDING_LEADER))
#define PARTY_UNIT (ROLE_BIT(ROLE_DEPARTMENT) | ROLE_BIT(ROLE_CADRE))

/* The region a list or report covers: ?region= (a valid code the caller reaches with one of
 * roles; 400 / 404 otherwise), else the one region the caller's grants name ("" for an
 * admin when allow_all). False after responding. */
bool party_region_query(struct http_req *req, unsigned roles, bool allow_all, const char **region);
/* The widest region among the caller's grants with one of roles when every other such grant
 * lies inside it ("" for an admin), else NULL. */
const char *party_default_region(struct http_req *req, unsigned roles);
/* Whether the caller may see an organisation: a staff grant reaching its region, or the
 * caller's unit being the organisation's unit (a county unit's own organisation). */
bool party_org_visible(const struct api_ctx *ctx, const struct party_org_row *o);
/* The end of loading an object by id that must also pass a check (belong to the parent the
 * path names, be in the caller's sight): true when r is DB_ROW and ok; otherwise responds
 * 404 "<what>不存在" (missing and failing the check answer alike) or the store error. */
bool party_found(struct http_req *req, enum db_result r, bool ok, const char *what);
/* Loads the organisation id; 404 when missing or out of sight, 403 with manage when the
 * caller does not manage its region. */
bool party_load_org(struct http_req *req, int64_t id, bool manage, struct party_org_row *o);
/* The organisation named by the path's {id} (api_load: strict id, party_org_visible, one
 * 404); with manage, 403 when the caller does not manage its region. */
bool party_load_org_path(struct http_req *req, bool manage, struct party_org_row *o);
/* The organisation named by body field (positive id): 422 naming the field when unknown or
 * out of sight. */
bool party_org_field(struct http_req *req, struct api_input *in, const char *field, bool required,
                     struct party_org_row *o, bool *present);
/* The organisation named by body field as the target of a write (positive id): 422
 * "unknown" when it does not exist, 403 "scope" when it lies outside the regions the caller
 * reaches with one of roles (API.md: out-of-scope targets are 403, not 422). */
bool party_org_target(struct http_req *req, struct api_input *in, const char *field, bool required,
                      unsigned roles, struct party_org_row *o, bool *present);

/* A staff account named in a body (a cadre, a grid team member): DB_ROW only when
 * one of its grants lies in a region the caller manages (an admin: any), so an id from
 * elsewhere answers like an unknown one and reveals no name. (Not for party members: a
 * functional branch enrols people whose accounts lie elsewhere.) */
enum db_result party_user_in_scope(struct http_req *req, int64_t id, struct user_row *u);

/* Typed body fields: a positive id; a "YYYY-MM-DD" date; hours (a number in (0, max]). */
bool party_id_field(struct api_input *in, const char *field, bool required, int64_t *id,
                    bool *present);
const char *party_date_field(struct api_input *in, const char *field, bool required, bool *present);
bool party_hours_field(struct api_input *in, const char *field, bool required, double max,
                       double *out);

/* Renderings. */
void party_set_id(json_t *o, const char *key, int64_t id); /* 0 → null */
void party_set_rate(json_t *o, const char *key, int64_t covered, int64_t total);
void party_set_hours(json_t *o, const char *key, double hours);
json_t *party_org_json(const struct party_org_row *o);
json_t *party_member_json(const struct party_member_row *m);
/* Answers a list page from rows fetched with limit + 1 (size bytes each, the id their first
 * member): api_store_error when r is not DB_OK, else the first limit rendered by item, and the
 * last kept id as the next cursor when there were more. */
void party_respond_page(struct http_req *req, enum db_result r, const void *rows, size_t n,
                        size_t size, int limit, api_item_fn *item);

/* GET /api/v1/party/members/export: the member roster (党员花名册) under the list's filters
 * and scope, every member, as CSV or XLSX; audited as party_member.export. */
void party_members_export_h(struct http_req *req);

/* The pairing named by the path's {id} and the sides (SIDE_* bits) the caller acts for
 * (pairings.c); for a write, by one of need's sides: 403 otherwise, 409 when it has ended,
 * and then, when in is not NULL, the request body begun into it (api_input_begin). */
bool pairings_load(struct http_req *req, struct pairing_row *p, unsigned *sides);
bool pairings_load_for_write(struct http_req *req, struct pairing_row *p, unsigned need,
                             unsigned *sides, struct api_input *in);
/* A commitment with the actions the caller's sides may take (pairings_commitments.c). */
json_t *pairings_commitment_json(const struct commitment_row *c, unsigned sides, bool active);

/* A cadre's reception days from today on (reception.c), for the cadre's own answer. */
json_t *reception_upcoming_json(struct http_req *req, int64_t cadre_id);
/* The service a reception day's slots offer, after the cadre's name ("张三接待日"). */
#define RECEPTION_SERVICE "接待日"
/* Today, and a time's date and "HH:MM", in Asia/Shanghai (reception.c). */
const char *reception_today(struct http_req *req);
const char *reception_local_date(struct http_req *req, int64_t at);
const char *reception_local_hhmm(struct http_req *req, int64_t at);
/* The day named by the path's {id}: staff and cadres over its community, residents under it
 * while it is open (*as_resident then), else 404 (reception.c). */
bool reception_load_day(struct http_req *req, struct reception_day_row *d, bool *as_resident);

/* The caller's name for histories. */
const char *party_actor(const struct api_ctx *ctx);
/* Names the object a write's audit entry is about: "<kind>:<id>". */
void party_audit(struct http_req *req, const char *kind, int64_t id);
/* The outcome of a write: false after answering the store error (r not DB_OK); true after
 * naming the audit object kind:id (party_audit). */
bool party_written(struct http_req *req, enum db_result r, const char *kind, int64_t id);
/* Appends e to a history through add (store_party_org_events_add, store_party_member_events_add),
 * stamped with the time and the caller; false after responding to a store error. */
bool party_history_add(struct http_req *req,
                       enum db_result (*add)(struct db *db, const struct party_event_row *e),
                       struct party_event_row *e);

#endif
