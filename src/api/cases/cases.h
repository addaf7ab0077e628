/* Case helpers shared by the files of api/cases/ and by Open311: each is defined in the
 * file its comment names. */
#ifndef JICENG_API_CASES_H
#define JICENG_API_CASES_H

#include "api/api.h"
#include "core/jsonw.h"
#include "store/cases/cases.h"

/* cases.c: the roles the caller holds over this case: grants reaching its region, with
 * departments limited to their unit's cases and residents to their own reports (the rule is
 * case_flow_roles in domain/case_flow.c; this hands it the request's caller). */
unsigned case_roles_for(const struct api_ctx *ctx, const struct case_row *c);
/* cases.c: loads the case named by the path that the caller may see, with the caller's roles
 * over it, or responds 404. */
bool case_from_path(struct http_req *req, struct case_row *c, unsigned *roles);
/* Roles that may see a reporter's personal data (audited reveal), as for base data. */
#define CASE_REVEALERS (ROLES_MANAGERS | ROLE_BIT(ROLE_GRID_LEADER) | ROLE_BIT(ROLE_GRID_WORKER))
/* How the timeline names an anonymous reporter. */
#define ANONYMOUS_ACTOR "匿名反映人"

/* ---- cases_render.c ---- */
/* The case as an object, written in place (a list page writes its items this way); reveal
 * shows the reporter's phone, or an anonymous reporter's identity, in full. */
void case_write(struct jw *w, struct api_ctx *ctx, struct arena *a, const struct case_row *c,
                bool reveal);
/* The same object as a tree, for answers that add to it. */
json_t *case_json(struct api_ctx *ctx, struct arena *a, const struct case_row *c, bool reveal);
enum timeline_view {
	TL_STAFF,    /* everything */
	TL_REPORTER, /* the reporter: stages, times, units, roles, and their own entries in full */
	TL_PUBLIC,   /* anyone with the tracking code: stages, times and units only */
};
/* The timeline as staff, the reporter or the public read it. */
json_t *case_timeline_json(struct api_ctx *ctx, struct arena *a, const struct case_row *c,
                           enum timeline_view view);
/* The actions the caller (roles over c) may take on c now, as codes. */
json_t *case_allowed_json(const struct case_row *c, unsigned roles);
/* Whether the caller reads c only as its reporter (a resident). */
bool case_reporter_view(const struct api_ctx *ctx, const struct case_row *c);
/* The case as GET /cases/{id} answers it: the case, its timeline, the allowed actions. */
json_t *case_full_json(struct api_ctx *ctx, struct arena *a, const struct case_row *c,
                       unsigned roles, bool reveal);

/* ---- cases_routing.c ---- */
/* Routes c at its current level from now: unit, rule and deadlines; *matched (may be NULL)
 * tells whether a rule matched. */
enum db_result case_route(struct api_ctx *ctx, struct arena *a, struct case_row *c, int64_t now,
                          bool *matched);
enum db_result case_notify(struct db *db, const struct case_row *c, const char *kind,
                           const char *role, const char *region, const char *unit, int64_t user_id,
                           const char *title);
/* Queues the timeline entry e of c for the webhook subscriptions that asked for its event
 * type ("case.<action>") over c's region (api/platform/webhooks.h), in the caller's
 * transaction. The payload names no person: see docs/security.md. */
enum db_result case_webhook_event(struct db *db, struct arena *a, const struct case_row *c,
                                  const struct case_event_row *e);
/* The region code of the level a case is handled at: a prefix of its grid's code. */
const char *case_level_region(struct arena *a, const struct case_row *c);
/* Who must take in a case at its level. */
const char *case_desk_role(enum region_level l);

/* ---- cases_duplicates.c ---- */
/* Likely duplicates of c: same category, still open, within 50 m or in the same grid. */
json_t *case_duplicates_json(struct api_ctx *ctx, struct arena *a, const struct case_row *c);

/* ---- cases_report.c ---- */

struct case_report {
	const char *category, *description, *region_code, *source, *address;
	const char *reporter_name, *reporter_phone;
	bool anonymous, has_location, has_tier, publish_description;
	double lat, lon;
	enum case_tier tier;
	int64_t reporter_user_id;
	const char *actor, *actor_role;
	const char *photos; /* JSON array of photo hashes, or NULL */
	int64_t actor_id;
	int64_t building_id; /* the building it happened in (in the report's grid), 0: none */
};

/* Who the report is recorded under: the caller, as their most senior role (a resident also
 * as its reporter). */
void case_report_actor(struct api_ctx *ctx, struct case_report *rep);
/* Creates a routed case from a validated report; false after responding with an error. */
bool case_report_create(struct http_req *req, const struct case_report *rep, struct case_row *out);

#endif
