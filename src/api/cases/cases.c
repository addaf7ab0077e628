/* /api/v1/cases: the case closed loop (事件闭环). Reporting routes a case by the
 * responsibility list; every action is checked against the domain state
 * machine and the caller's roles at the case's region, and appends one
 * timeline entry. The guard's transaction makes a refused action change
 * nothing. */
#include "api/api.h"
#include "api/cases/cases.h"
#include "core/json.h"
#include "core/seal.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "domain/deadline.h"
#include "domain/idnum.h"
#include "store/platform/audit.h"
#include "store/batch.h"
#include "store/platform/regions.h"

#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char *const sources[] = {"resident",  "patrol",  "hotline",
                                      "reception", "open311", "building"};
static const char *const sources_zh[] = {"居民反映",   "网格巡查",     "12345 热线",
                                         "接待日来访", "Open311 接入", "楼栋长报告"};

/* Who may declare each source: residents report as residents; staff record patrols, building
 * reports and reception visits; the 12345 hotline is entered at the desks; open311 only comes
 * through the Open311 endpoint. */
static unsigned source_roles(const char *code)
{
	const unsigned staff = ROLES_ANY & ~ROLE_BIT(ROLE_RESIDENT);
	if (strcmp(code, "resident") == 0)
		return ROLES_ANY;
	if (strcmp(code, "hotline") == 0)
		return ROLES_MANAGERS;
	if (strcmp(code, "open311") == 0)
		return 0;
	return staff;
}

/* Staff who take in reports may declare a matter major (大事, handled at the street). */
#define MAJOR_ROLES                                                                                \
	(ROLES_MANAGERS | ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_GRID_LEADER) |                 \
	 ROLE_BIT(ROLE_GRID_WORKER))

/* The roles of the caller's grants that reach region code. */
static unsigned roles_at(const struct api_ctx *ctx, const char *code)
{
	unsigned roles = 0;
	for (size_t i = 0; i < ctx->who.ngrants; i++) {
		const struct grant *g = &ctx->who.grants[i];
		if (g->role == ROLE_ADMIN || region_covers(g->region_code, code))
			roles |= ROLE_BIT(g->role);
	}
	return roles;
}

static const char *source_zh(const char *code)
{
	for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
		if (strcmp(code, sources[i]) == 0)
			return sources_zh[i];
	return code;
}

static const char *rating_zh(enum case_rating r)
{
	return r == RATING_SATISFIED ? "满意" : r == RATING_BASIC ? "基本满意" : "不满意";
}

unsigned cases_roles_for(const struct api_ctx *ctx, const struct case_row *c)
{
	unsigned roles = 0;
	for (size_t i = 0; i < ctx->who.ngrants; i++) {
		const struct grant *g = &ctx->who.grants[i];
		bool reach = g->role == ROLE_ADMIN || region_covers(g->region_code, c->region_code);
		if (!reach)
			continue;
		if (g->role == ROLE_DEPARTMENT) {
			if (c->unit && ctx->who.unit[0] && strcmp(c->unit, ctx->who.unit) == 0)
				roles |= ROLE_BIT(g->role);
		} else if (g->role == ROLE_RESIDENT) {
			if (c->reporter_user_id && c->reporter_user_id == ctx->who.user_id)
				roles |= ROLE_BIT(g->role);
		} else {
			roles |= ROLE_BIT(g->role);
		}
	}
	return roles;
}

/* The state whose deadline applies: taking in (accept) or handling. */
static void case_deadline(const struct case_row *c, int64_t now, json_t *o)
{
	json_t *d = json_object();
	json_set_time(d, "accept_due", c->accept_due);
	json_set_time(d, "handle_due", c->handle_due);
	enum deadline_level lvl = DEADLINE_OK;
	if (c->status == CASE_REPORTED)
		lvl = deadline_level(c->created_at, c->accept_due, now);
	else if (case_state_open(c->status))
		lvl = deadline_level(c->created_at, c->handle_due, now);
	json_set_str(d, "level", deadline_level_code(lvl));
	json_object_set_new(o, "deadlines", d);
	json_set_bool(o, "overdue", lvl == DEADLINE_RED);
}

/* "138****5678": the first three and last four digits of a phone number. */
static const char *mask_phone(struct arena *a, const char *p)
{
	size_t n = strlen(p);
	if (n < 8)
		return arena_strdup(a, "****");
	char *m = arena_strdup(a, p);
	for (size_t i = 3; i + 4 < n; i++)
		m[i] = '*';
	return m;
}

/* The sealed identity of an anonymous reporter ({user_id, username, name, phone}), opened for
 * an audited reveal; NULL when there is none or it cannot be opened. */
static json_t *sealed_reporter(const struct case_row *c)
{
	if (!c->reporter_sealed)
		return NULL;
	char *plain = seal_decrypt(c->reporter_sealed, c->reporter_sealed_len);
	if (!plain)
		return NULL;
	json_t *o = json_loads(plain, 0, NULL);
	sodium_memzero(plain, strlen(plain));
	free(plain);
	if (o && !json_is_object(o)) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

/* Whether the caller reads c only as its reporter (a resident): such a reader sees the public
 * face of the handling — stages, times, units, the public reply — not the internal record. */
static bool reporter_view(const struct api_ctx *ctx, const struct case_row *c)
{
	return cases_roles_for(ctx, c) == ROLE_BIT(ROLE_RESIDENT);
}

json_t *case_json(struct api_ctx *ctx, struct arena *a, const struct case_row *c, bool reveal)
{
	json_t *o = json_object();
	json_set_int(o, "id", c->id);
	json_set_str(o, "number", c->number);
	json_set_str(o, "status", case_state_code(c->status));
	json_set_str(o, "status_name", case_state_name_zh(c->status));
	json_set_str(o, "category", c->category);
	struct category_row cat;
	if (categories_get(ctx->db, a, c->category, &cat) == DB_ROW)
		json_set_str(o, "category_name", cat.name);
	json_set_str(o, "tier", case_tier_code(c->tier));
	json_set_str(o, "level", region_level_code(c->level));
	json_set_str(o, "region_code", c->region_code);
	struct region_row r;
	if (regions_get(ctx->db, a, c->region_code, &r) == DB_ROW)
		json_set_str(o, "region_name", r.name);
	json_set_str(o, "description", c->description);
	json_set_str(o, "source", c->source);
	if (c->has_location || c->address) {
		json_t *loc = json_object();
		if (c->has_location) {
			json_object_set_new(loc, "lat", json_real(c->lat));
			json_object_set_new(loc, "lon", json_real(c->lon));
		}
		json_set_str(loc, "address", c->address);
		json_object_set_new(o, "location", loc);
	} else {
		json_object_set_new(o, "location", json_null());
	}
	json_set_bool(o, "anonymous", c->anonymous);
	json_t *sealed = c->anonymous && reveal ? sealed_reporter(c) : NULL;
	if (sealed) {
		/* An anonymous reporter, shown only through an audited reveal. */
		json_object_set_new(o, "reporter", sealed);
	} else if (!c->anonymous && (c->reporter_name || c->reporter_phone)) {
		json_t *rep = json_object();
		json_set_str(rep, "name", c->reporter_name);
		char *phone = c->reporter_phone
		                  ? seal_decrypt(c->reporter_phone, c->reporter_phone_len)
		                  : NULL;
		json_set_str(rep, "phone", phone ? (reveal ? phone : mask_phone(a, phone)) : NULL);
		if (phone) {
			sodium_memzero(phone, strlen(phone));
			free(phone);
		}
		json_object_set_new(o, "reporter", rep);
	} else {
		json_object_set_new(o, "reporter", json_null());
	}
	json_set_str(o, "tracking_code", c->tracking_code);
	json_set_str(o, "unit", c->unit);
	if (c->rule_id)
		json_set_int(o, "rule_id", c->rule_id);
	else
		json_object_set_new(o, "rule_id", json_null());
	case_deadline(c, time_now(), o);
	json_set_bool(o, "supervised", c->supervised);
	json_set_str(o, "supervise_note", reporter_view(ctx, c) ? NULL : c->supervise_note);
	if (c->merged_into)
		json_set_int(o, "merged_into", c->merged_into);
	else
		json_object_set_new(o, "merged_into", json_null());
	json_set_str(o, "rating", c->rating ? case_rating_code(c->rating) : NULL);
	/* The handler's internal record stays with staff; the reporter reads the public reply. */
	json_set_str(o, "result", reporter_view(ctx, c) ? NULL : c->result);
	json_set_str(o, "public_reply", c->public_reply);
	json_set_bool(o, "publish_description", c->publish_description);
	json_set_time(o, "created_at", c->created_at);
	json_set_time(o, "updated_at", c->updated_at);
	json_set_time(o, "accepted_at", c->accepted_at);
	json_set_time(o, "handled_at", c->handled_at);
	json_set_time(o, "closed_at", c->closed_at);
	return o;
}

/* Who an entry names as its actor: an anonymous reporter's own entries name no one. Entries
 * are written that way; this also covers entries written before that rule. */
static const char *actor_shown(const struct case_row *c, const struct case_event_row *e)
{
	if (c->anonymous && c->reporter_user_id && e->actor_id == c->reporter_user_id)
		return ANONYMOUS_ACTOR;
	return e->actor;
}

enum timeline_view {
	TL_STAFF,    /* everything */
	TL_REPORTER, /* the reporter: stages, times, units, roles, and their own entries in full */
	TL_PUBLIC,   /* anyone with the tracking code: stages, times and units only */
};

/* The timeline as staff, the reporter or the public read it. */
static json_t *timeline_json(struct api_ctx *ctx, struct arena *a, const struct case_row *c,
                             enum timeline_view view)
{
	struct case_event_row *ev;
	size_t n;
	json_t *arr = json_array();
	if (case_events_list(ctx->db, a, c->id, &ev, &n) != DB_OK)
		return arr;
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_set_time(o, "at", ev[i].at);
		json_set_str(o, "action", ev[i].action);
		enum case_action act;
		json_set_str(o, "action_name",
		             case_action_parse(ev[i].action, &act)
		                 ? case_action_name_zh(act)
		                 : (strcmp(ev[i].action, "report") == 0 ? "上报" : ev[i].action));
		json_set_str(o, "from",
		             ev[i].from_state >= 0
		                 ? case_state_code((enum case_state)ev[i].from_state)
		                 : NULL);
		json_set_str(o, "to",
		             ev[i].to_state >= 0 ? case_state_code((enum case_state)ev[i].to_state)
		                                 : NULL);
		json_set_str(o, "rating",
		             ev[i].rating ? case_rating_code((enum case_rating)ev[i].rating)
		                          : NULL);
		/* The reporter's own entries are the resident's (only the reporter holds that role
		 * over a case). */
		bool own = view == TL_REPORTER && ev[i].role && strcmp(ev[i].role, "resident") == 0;
		if (view == TL_REPORTER && !own)
			json_set_str(o, "role", ev[i].role);
		if (view == TL_STAFF || own) {
			json_set_str(o, "actor", actor_shown(c, &ev[i]));
			json_set_str(o, "role", ev[i].role);
			json_set_str(o, "comment", ev[i].comment);
			json_set_str(o, "note", ev[i].note);
			json_set_str(o, "unit", ev[i].unit);
			json_t *ph = ev[i].photos ? json_loads(ev[i].photos, 0, NULL) : NULL;
			json_object_set_new(o, "photos", ph ? ph : json_array());
		} else {
			json_set_str(o, "unit", ev[i].unit);
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

/* Rules beyond the state table: a duplicate merged into another case stays closed. */
static bool action_blocked(const struct case_row *c, enum case_action a)
{
	return c->merged_into && a == ACT_REOPEN;
}

/* The actions the caller may take on c now, as codes. */
static json_t *allowed_json(const struct case_row *c, unsigned roles)
{
	json_t *acts = json_array();
	for (int a = 0; a < CASE_ACTION_COUNT; a++) {
		const struct case_transition *t = case_flow_lookup(c->status, (enum case_action)a);
		if (t && (t->roles & roles) && !action_blocked(c, (enum case_action)a))
			json_array_append_new(acts,
			                      json_string(case_action_code((enum case_action)a)));
	}
	return acts;
}

static enum db_result case_load(struct http_req *req, int64_t id, void *out, const char **region)
{
	struct case_row *c = out;
	enum db_result r = cases_get(api_ctx(req)->db, &req->arena, id, c);
	if (r == DB_ROW)
		*region = c->region_code;
	return r;
}

/* A case is visible to whoever holds a role over it (departments: their unit's cases,
 * residents: their own reports). */
static bool case_visible(struct http_req *req, const void *obj)
{
	return cases_roles_for(api_ctx(req), obj) != 0;
}

static const struct api_loader case_loader = {
    .what = "事件", .load = case_load, .visible = case_visible};

/* Loads the case named by the path that the caller may see, or responds 404. */
static bool load_case(struct http_req *req, struct case_row *c, unsigned *roles)
{
	if (!api_load(req, &case_loader, c))
		return false;
	*roles = cases_roles_for(api_ctx(req), c);
	return true;
}

void cases_get_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct case_row c;
	unsigned roles;
	if (!load_case(req, &c, &roles))
		return;
	bool want_reveal;
	if (!api_query_bool(req, "reveal", &want_reveal))
		return;
	if (want_reveal && !(roles & CASE_REVEALERS)) {
		api_problem(req, 403, "当前角色无权查看完整的个人信息");
		return;
	}
	json_t *o = case_json(ctx, &req->arena, &c, want_reveal);
	json_object_set_new(
	    o, "timeline",
	    timeline_json(ctx, &req->arena, &c, reporter_view(ctx, &c) ? TL_REPORTER : TL_STAFF));
	json_object_set_new(o, "allowed_actions", allowed_json(&c, roles));
	if (want_reveal) {
		/* The audit entry names whose data was shown: the reporter of this case. */
		json_t *rep = json_object_get(o, "reporter");
		const char *name = json_string_value(json_object_get(rep, "name"));
		json_int_t uid = json_integer_value(json_object_get(rep, "user_id"));
		ctx->audit_action = "case.reveal";
		ctx->audit_object = arena_printf(&req->arena, "case:%lld", (long long)c.id);
		ctx->audit_detail = arena_printf(
		    &req->arena, "reporter of %s%s: %s%s", c.number,
		    c.anonymous ? " (anonymous)" : "",
		    name ? name : (rep && !json_is_null(rep) ? "(no name)" : "(none)"),
		    uid ? arena_printf(&req->arena, " user:%lld", (long long)uid) : "");
	}
	api_json(req, 200, o);
}

/* ---- listing ---- */

/* One index range a listing runs over, with the restriction the grant behind it carries:
 * departments see their unit's cases, residents their own reports. */
struct list_scope {
	const char *region;
	const char *unit;
	int64_t reporter;
	bool reader; /* sees every case in the region */
};

/* The scopes of a listing: each grant's region (narrowed to the requested region), minus
 * scopes that a reader scope already covers. */
static size_t list_scopes(struct http_req *req, const char *region, struct list_scope *scopes)
{
	struct api_ctx *ctx = api_ctx(req);
	size_t n = 0;
	if (api_is_admin(ctx)) {
		scopes[n++] = (struct list_scope){.region = region ? region : "", .reader = true};
		return n;
	}
	for (size_t i = 0; i < ctx->who.ngrants && n < USER_MAX_GRANTS; i++) {
		const struct grant *g = &ctx->who.grants[i];
		struct list_scope sc = {.region = g->region_code, .reader = true};
		if (region && region_covers(g->region_code, region))
			sc.region = region;
		else if (region && !region_covers(region, g->region_code))
			continue;
		if (g->role == ROLE_DEPARTMENT) {
			sc.reader = false;
			sc.unit = ctx->who.unit[0] ? ctx->who.unit : "\x01"; /* no unit: nothing */
		} else if (g->role == ROLE_RESIDENT) {
			sc.reader = false;
			sc.reporter = ctx->who.user_id ? ctx->who.user_id : -1;
		}
		if (*sc.region)
			scopes[n++] = sc;
	}
	/* Drop a scope that a reader scope covers, and repeats (keeping the first). */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		bool covered = false;
		for (size_t j = 0; j < n && !covered; j++) {
			if (j == i)
				continue;
			bool same_region = strcmp(scopes[j].region, scopes[i].region) == 0;
			bool same = same_region && scopes[j].reader == scopes[i].reader &&
			            scopes[j].unit == scopes[i].unit &&
			            scopes[j].reporter == scopes[i].reporter;
			bool by_reader = scopes[j].reader &&
			                 region_covers(scopes[j].region, scopes[i].region) &&
			                 !(scopes[i].reader && same_region);
			covered = by_reader || (same && j < i);
		}
		if (!covered)
			scopes[kept++] = scopes[i];
	}
	return kept;
}

static void apply_scope(struct case_filter *f, const struct list_scope *sc)
{
	f->region = sc->region;
	f->unit = sc->unit;
	f->reporter_user_id = sc->reporter;
}

/* Reads the list filters shared by the listing and the counts. */
static bool read_filter(struct http_req *req, struct case_filter *f, const char **region)
{
	struct api_ctx *ctx = api_ctx(req);
	memset(f, 0, sizeof(*f));
	f->status = -1;
	f->now = time_now();
	*region = http_query(req, "region");
	if (*region && region_level_of(*region) == REGION_NONE) {
		api_problem(req, 400, "region 须为有效的区划代码");
		return false;
	}
	if (*region && !api_reaches(ctx, ROLES_ANY, *region)) {
		api_problem(req, 403, "该区划超出您的数据范围");
		return false;
	}
	const char *status = http_query(req, "status");
	if (status) {
		enum case_state s;
		if (!case_state_parse(status, &s)) {
			api_problem(req, 400, "status 取值无效");
			return false;
		}
		f->status = s;
	}
	f->category = http_query(req, "category");
	if (f->category && !*f->category)
		f->category = NULL;
	if (!api_query_bool(req, "overdue", &f->overdue) ||
	    !api_query_bool(req, "warning", &f->warning) ||
	    !api_query_bool(req, "supervised", &f->supervised))
		return false;
	return true;
}

void cases_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t before;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &before))
		return;
	struct case_filter f;
	const char *region;
	if (!read_filter(req, &f, &region))
		return;
	f.before_id = before;
	f.limit = limit + 1;
	struct list_scope scopes[USER_MAX_GRANTS];
	size_t ns = list_scopes(req, region, scopes);
	/* Each scope is an index range; merge their newest-first pages. */
	struct case_row *all =
	    arena_alloc(&req->arena, sizeof(*all) * (size_t)(limit + 1) * (ns ? ns : 1));
	size_t total = 0;
	for (size_t i = 0; i < ns; i++) {
		struct case_row *rows;
		size_t n;
		apply_scope(&f, &scopes[i]);
		enum db_result r = cases_list(ctx->db, &req->arena, &f, &rows, &n);
		if (r != DB_OK) {
			api_store_error(req, r);
			return;
		}
		/* A case can come from two scopes (a unit's case inside the caller's grid). */
		for (size_t k = 0; k < n; k++) {
			bool dup = false;
			for (size_t m = 0; m < total && !dup; m++)
				dup = all[m].id == rows[k].id;
			if (!dup)
				all[total++] = rows[k];
		}
	}
	/* Newest first across scopes (insertion sort: at most a few hundred rows). */
	for (size_t i = 1; i < total; i++) {
		struct case_row key = all[i];
		size_t j = i;
		while (j > 0 && all[j - 1].id < key.id) {
			all[j] = all[j - 1];
			j--;
		}
		all[j] = key;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < total && i < (size_t)limit; i++)
		json_array_append_new(items, case_json(ctx, &req->arena, &all[i], false));
	const char *next = total > (size_t)limit
	                       ? arena_printf(&req->arena, "%lld", (long long)all[limit - 1].id)
	                       : NULL;
	api_json(req, 200, api_list(items, next));
}

void cases_counts_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct case_filter f;
	const char *region;
	if (!read_filter(req, &f, &region))
		return;
	struct list_scope scopes[USER_MAX_GRANTS];
	size_t ns = list_scopes(req, region, scopes);
	int64_t total[CASE_STATE_COUNT] = {0}, overdue = 0, warning = 0;
	/* Sum the scopes; a restricted scope (a unit, one's own reports) loses what a reader
	 * scope inside it already counted, so no case is counted twice. */
	for (size_t i = 0; i < ns; i++) {
		for (size_t k = 0; k <= ns; k++) {
			int sign = 1;
			struct list_scope sc = scopes[i];
			if (k < ns) {
				if (k == i || scopes[i].reader || !scopes[k].reader ||
				    !region_covers(scopes[i].region, scopes[k].region))
					continue;
				sc.region = scopes[k].region;
				sign = -1;
			}
			int64_t counts[CASE_STATE_COUNT], od[CASE_STATE_COUNT],
			    wa[CASE_STATE_COUNT];
			apply_scope(&f, &sc);
			f.overdue = f.warning = false;
			enum db_result r = cases_count_by_status(ctx->db, &f, counts);
			f.overdue = true;
			if (r == DB_OK)
				r = cases_count_by_status(ctx->db, &f, od);
			f.overdue = false;
			f.warning = true;
			if (r == DB_OK)
				r = cases_count_by_status(ctx->db, &f, wa);
			if (r != DB_OK) {
				api_store_error(req, r);
				return;
			}
			for (int st = 0; st < CASE_STATE_COUNT; st++) {
				total[st] += sign * counts[st];
				overdue += sign * od[st];
				warning += sign * wa[st];
			}
		}
	}
	json_t *o = json_object(), *by = json_object();
	for (int s = 0; s < CASE_STATE_COUNT; s++)
		json_set_int(by, case_state_code((enum case_state)s), total[s]);
	json_object_set_new(o, "by_status", by);
	json_set_int(o, "overdue", overdue);
	json_set_int(o, "warning", warning);
	api_json(req, 200, o);
}

/* ---- reporting ---- */

static const char tracking_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

static void make_tracking_code(char out[13])
{
	unsigned char raw[12];
	randombytes_buf(raw, sizeof raw);
	for (int i = 0; i < 12; i++)
		out[i] = tracking_alphabet[raw[i] % 32];
	out[12] = '\0';
}

/* The level a new case is handled at: minor at the grid, private at the community
 * (mediation), major at the street (joint handling). */
static enum region_level initial_level(enum case_tier t)
{
	return t == TIER_MINOR ? REGION_GRID : t == TIER_PRIVATE ? REGION_COMMUNITY : REGION_STREET;
}

/* Routes c at its current level from now: unit, rule and deadlines. When no rule matches at
 * this level the unit is cleared (*matched false): a unit of the level below would otherwise be
 * kept for a case that is no longer theirs. */
static enum db_result route_case(struct api_ctx *ctx, struct arena *a, struct case_row *c,
                                 int64_t now, bool *matched)
{
	struct rule_row *rules;
	size_t n;
	enum db_result r = rules_list(ctx->db, a, &rules, &n);
	if (r != DB_OK)
		return r;
	struct routing_rule *flat = arena_alloc(a, sizeof(*flat) * (n ? n : 1));
	for (size_t i = 0; i < n; i++)
		flat[i] = rules[i].rule;
	long hit = routing_match(flat, n, c->category, c->tier, c->level, c->region_code);
	int64_t accept_h = 4, handle_h = 72;
	c->rule_id = 0;
	c->unit = NULL;
	if (matched)
		*matched = hit >= 0;
	if (hit >= 0) {
		c->rule_id = flat[hit].id;
		c->unit = flat[hit].unit;
		accept_h = flat[hit].accept_hours;
		handle_h = flat[hit].handle_hours;
	}
	c->accept_due = deadline_add_working_hours(now, accept_h);
	/* 今日事今日毕: minor matters are due the same day. */
	c->handle_due = c->tier == TIER_MINOR ? deadline_end_of_day(now)
	                                      : deadline_add_working_hours(now, handle_h);
	if (c->handle_due < c->accept_due)
		c->handle_due = c->accept_due;
	return DB_OK;
}

static enum db_result notify(struct db *db, const struct case_row *c, const char *kind,
                             const char *role, const char *region, const char *unit,
                             int64_t user_id, const char *title)
{
	struct notification_row n = {0};
	n.created_at = time_now();
	n.case_id = c->id;
	n.user_id = user_id;
	n.role = role;
	n.region_code = region;
	n.unit = unit;
	n.kind = kind;
	n.title = title;
	n.body = c->number;
	return notifications_add(db, &n);
}

/* The region code of the level a case is handled at: a prefix of its grid's code. */
static const char *level_region(struct arena *a, const struct case_row *c)
{
	static const int len[] = {6, 9, 12, 15};
	int l = c->level >= REGION_DISTRICT && c->level <= REGION_GRID ? len[c->level] : 15;
	return arena_strndup(a, c->region_code, (size_t)l);
}

/* Who must take in a case at its level. */
static const char *desk_role(enum region_level l)
{
	switch (l) {
	case REGION_GRID:
		return "grid_leader";
	case REGION_COMMUNITY:
		return "community";
	case REGION_STREET:
		return "street";
	default:
		return "district";
	}
}

static bool case_prepare(struct http_req *req, const struct case_report *rep, struct case_row *out)
{
	struct api_ctx *ctx = api_ctx(req);
	struct case_row *c = out;
	memset(c, 0, sizeof(*c));
	int64_t now = time_now();
	struct category_row cat;
	enum db_result r = categories_get(ctx->db, &req->arena, rep->category, &cat);
	if (r != DB_ROW || !cat.active) {
		if (r != DB_ROW && r != DB_DONE) {
			api_store_error(req, r);
			return false;
		}
		http_problem(req, 422, "事件类别不存在或已停用",
		             "[{\"field\":\"category\",\"code\":\"unknown\","
		             "\"message\":\"事件类别不存在或已停用\"}]");
		return false;
	}
	struct region_row grid;
	r = regions_get(ctx->db, &req->arena, rep->region_code, &grid);
	if (r != DB_ROW || grid.level != REGION_GRID || strcmp(grid.status, "active") != 0) {
		if (r != DB_ROW && r != DB_DONE) {
			api_store_error(req, r);
			return false;
		}
		http_problem(req, 422, "事件须发生在一个在用的网格内",
		             "[{\"field\":\"region_code\",\"code\":\"grid\","
		             "\"message\":\"须为在用网格的 15 位代码\"}]");
		return false;
	}
	c->category = rep->category;
	c->tier = rep->has_tier ? rep->tier : cat.default_tier;
	c->status = CASE_REPORTED;
	c->level = initial_level(c->tier);
	c->region_code = rep->region_code;
	c->description = rep->description;
	c->source = rep->source;
	c->has_location = rep->has_location;
	c->lat = rep->lat;
	c->lon = rep->lon;
	c->address = rep->address;
	c->anonymous = rep->anonymous;
	c->publish_description = rep->publish_description;
	c->reporter_user_id = rep->reporter_user_id;
	unsigned char *sealed = NULL;
	if (rep->anonymous && (rep->reporter_user_id || rep->reporter_name ||
	                       (rep->reporter_phone && *rep->reporter_phone))) {
		/* Who reported stays sealed: the reporting resident's account and any name and
		 * phone given. Only an audited reveal opens it (GET /cases/{id}?reveal=true). */
		json_t *id = json_object();
		if (rep->reporter_user_id) {
			json_set_int(id, "user_id", rep->reporter_user_id);
			json_set_str(id, "username", rep->actor);
		}
		json_set_str(id, "name",
		             rep->reporter_name      ? rep->reporter_name
		             : rep->reporter_user_id ? rep->actor
		                                     : NULL);
		json_set_str(id, "phone",
		             rep->reporter_phone && *rep->reporter_phone ? rep->reporter_phone
		                                                         : NULL);
		size_t plen, len;
		char *plain = json_to_string(id, &plen);
		json_decref(id);
		bool ok = seal_encrypt(plain, plen, &sealed, &len);
		sodium_memzero(plain, plen);
		free(plain);
		if (!ok) {
			api_problem(req, 503, "加密密钥未就绪，暂时无法保存个人信息");
			return false;
		}
		unsigned char *copy = arena_alloc(&req->arena, len);
		memcpy(copy, sealed, len);
		free(sealed);
		sealed = NULL;
		c->reporter_sealed = copy;
		c->reporter_sealed_len = len;
	}
	if (!rep->anonymous) {
		c->reporter_name = rep->reporter_name;
		if (rep->reporter_phone && *rep->reporter_phone) {
			size_t len;
			if (!seal_encrypt(rep->reporter_phone, strlen(rep->reporter_phone), &sealed,
			                  &len)) {
				api_problem(req, 503, "加密密钥未就绪，暂时无法保存个人信息");
				return false;
			}
			unsigned char *copy = arena_alloc(&req->arena, len);
			memcpy(copy, sealed, len);
			free(sealed);
			c->reporter_phone = copy;
			c->reporter_phone_len = len;
		}
	}
	c->created_at = c->updated_at = now;
	r = route_case(ctx, &req->arena, c, now, NULL);
	if (r != DB_OK) {
		api_store_error(req, r);
		return false;
	}
	return true;
}

/* The writing half of a report: number, row, first timeline entry, notification. Runs
 * in the caller's write transaction, or in a group-commit batch on the writer thread. */
static enum db_result case_commit(struct db *db, struct arena *a, struct case_row *c,
                                  const struct case_report *rep)
{
	/* Number: SJ + local date + a daily serial. */
	char day[TIME_RFC3339_LEN], prefix[16], tracking[13];
	time_format(c->created_at, day);
	snprintf(prefix, sizeof prefix, "SJ%.4s%.2s%.2s", day, day + 5, day + 8);
	int64_t serial = 0;
	enum db_result r = cases_last_serial(db, prefix, &serial);
	if (r != DB_OK)
		return r;
	c->number = arena_printf(a, "%s%06lld", prefix, (long long)serial + 1);
	make_tracking_code(tracking);
	c->tracking_code = arena_strdup(a, tracking);
	r = cases_insert(db, c);
	struct case_event_row e = {0};
	e.case_id = c->id;
	e.at = c->created_at;
	e.actor_id = rep->actor_id;
	e.actor = rep->actor;
	if (c->anonymous && rep->reporter_user_id && rep->actor_id == rep->reporter_user_id) {
		/* An anonymous resident's own entry names no one (the identity is sealed). */
		e.actor_id = 0;
		e.actor = ANONYMOUS_ACTOR;
	}
	e.role = rep->actor_role;
	e.action = "report";
	e.from_state = -1;
	e.to_state = CASE_REPORTED;
	e.note = arena_printf(a, "来源：%s", source_zh(rep->source));
	e.unit = c->unit;
	e.photos = rep->photos;
	if (r == DB_OK)
		r = case_events_add(db, &e);
	if (r == DB_OK)
		r = notify(db, c, "accept", desk_role(c->level), level_region(a, c), NULL, 0,
		           "新事件待受理");
	return r;
}

bool cases_create(struct http_req *req, const struct case_report *rep, struct case_row *out)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!case_prepare(req, rep, out))
		return false;
	enum db_result r = case_commit(ctx->db, &req->arena, out, rep);
	if (r != DB_OK) {
		api_store_error(req, r);
		return false;
	}
	ctx->audit_object = arena_printf(&req->arena, "case:%lld", (long long)out->id);
	ctx->audit_detail = arena_printf(&req->arena, "number=%s", out->number);
	return true;
}

/* A report handed to the group-commit writer: the case and its audit entry. */
struct report_job {
	struct http_req *req;
	const struct case_report *rep;
	struct case_row *c;
	struct audit_entry audit;
	struct case_report rep_copy;
	struct case_row c_copy;
	struct api_input in;
	struct batch_job bj;
};

static enum db_result report_job_run(struct db *db, void *arg)
{
	struct report_job *j = arg;
	enum db_result r = case_commit(db, &j->req->arena, j->c, j->rep);
	if (r != DB_OK)
		return r;
	j->audit.object = arena_printf(&j->req->arena, "case:%lld", (long long)j->c->id);
	j->audit.detail = arena_printf(&j->req->arena, "number=%s", j->c->number);
	return audit_append(db, &j->audit);
}

static void report_done(void *arg)
{
	struct report_job *j = arg;
	http_wake(j->req);
}

/* Runs once the connection is suspended: hand the report to the writer. */
static void report_submit(struct http_req *req)
{
	struct report_job *j = api_ctx(req)->pending;
	j->bj.fn = report_job_run;
	j->bj.arg = j;
	j->bj.done = report_done;
	j->bj.done_arg = j;
	batch_submit(api_writer(), &j->bj);
}

static json_t *duplicates_json(struct api_ctx *ctx, struct arena *a, const struct case_row *c);

/* Back on the request's worker thread after the commit: answer. */
static void report_finish(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct report_job *j = ctx->pending;
	if (j->bj.result != DB_OK) {
		api_store_error(req, j->bj.result);
	} else {
		ctx->audited = true;
		json_t *o = case_json(ctx, &req->arena, j->c, false);
		json_object_set_new(o, "possible_duplicates",
		                    duplicates_json(ctx, &req->arena, j->c));
		api_json(req, 201, o);
	}
	api_input_free(&j->in);
}

/* Great-circle distance in metres. */
static double distance_m(double lat1, double lon1, double lat2, double lon2)
{
	const double rad = 3.14159265358979323846 / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double h = sin(dlat / 2) * sin(dlat / 2) +
	           cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * 6371000.0 * asin(sqrt(h));
}

/* Likely duplicates of c: same category, still open, within 50 m or in the same grid. */
static json_t *duplicates_json(struct api_ctx *ctx, struct arena *a, const struct case_row *c)
{
	json_t *arr = json_array();
	struct case_row *rows;
	size_t n;
	if (cases_open_nearby(ctx->db, a, c->category, c->region_code, c->id, &rows, &n) != DB_OK)
		return arr;
	for (size_t i = 0; i < n && json_array_size(arr) < 10; i++) {
		bool near = false;
		double d = -1;
		if (c->has_location && rows[i].has_location) {
			d = distance_m(c->lat, c->lon, rows[i].lat, rows[i].lon);
			near = d <= 50.0;
		}
		if (!near && strcmp(rows[i].region_code, c->region_code) != 0)
			continue;
		if (!cases_roles_for(ctx, &rows[i]))
			continue;
		json_t *o = json_object();
		json_set_int(o, "id", rows[i].id);
		json_set_str(o, "number", rows[i].number);
		json_set_str(o, "status", case_state_code(rows[i].status));
		json_set_str(o, "description", rows[i].description);
		if (d >= 0)
			json_object_set_new(o, "distance_m", json_integer((json_int_t)d));
		else
			json_object_set_new(o, "distance_m", json_null());
		json_array_append_new(arr, o);
	}
	return arr;
}

/* Reads location {lat, lon, address}; false after recording an error. */
static void read_location(struct api_input *in, struct case_report *rep)
{
	json_t *loc = json_object_get(in->body, "location");
	if (!loc || json_is_null(loc))
		return;
	if (!json_is_object(loc)) {
		in->type_error = true;
		api_field_error(in, "location", "type", "应为对象 {lat, lon, address}");
		return;
	}
	json_t *lat = json_object_get(loc, "lat"), *lon = json_object_get(loc, "lon");
	if (lat || lon) {
		if (!json_is_number(lat) || !json_is_number(lon)) {
			in->type_error = true;
			api_field_error(in, "location", "type", "lat 和 lon 应为数字");
			return;
		}
		rep->lat = json_number_value(lat);
		rep->lon = json_number_value(lon);
		if (rep->lat < -90 || rep->lat > 90 || rep->lon < -180 || rep->lon > 180 ||
		    isnan(rep->lat) || isnan(rep->lon)) {
			api_field_error(in, "location", "range", "经纬度超出范围");
			return;
		}
		rep->has_location = true;
	}
	json_t *saved = in->body;
	in->body = loc;
	rep->address = api_string(in, "address", false, 200, NULL);
	in->body = saved;
}

void cases_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct case_report rep;
	memset(&rep, 0, sizeof rep);
	rep.category = api_string(&in, "category", true, 64, NULL);
	rep.description = api_string(&in, "description", true, 2000, NULL);
	rep.region_code = api_string(&in, "region_code", true, 15, NULL);
	rep.source = api_string(&in, "source", false, 16, NULL);
	const char *tier = api_string(&in, "tier", false, 16, NULL);
	api_bool(&in, "anonymous", &rep.anonymous, NULL);
	api_bool(&in, "publish_description", &rep.publish_description, NULL);
	read_location(&in, &rep);
	json_t *reporter = json_object_get(in.body, "reporter");
	if (reporter && !json_is_null(reporter)) {
		if (!json_is_object(reporter)) {
			in.type_error = true;
			api_field_error(&in, "reporter", "type", "应为对象 {name, phone}");
		} else {
			json_t *saved = in.body;
			in.body = reporter;
			rep.reporter_name = api_string(&in, "name", false, 32, NULL);
			rep.reporter_phone = api_string(&in, "phone", false, 20, NULL);
			in.body = saved;
			if (rep.reporter_phone && *rep.reporter_phone &&
			    phone_problem(rep.reporter_phone))
				api_field_error(&in, "reporter.phone", "format",
				                "电话号码格式不正确（11 位手机号或座机号）");
		}
	}
	if (!rep.source)
		rep.source = api_roles(ctx) & ROLE_BIT(ROLE_RESIDENT) ? "resident" : "patrol";
	bool known = false;
	for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
		known = known || strcmp(rep.source, sources[i]) == 0;
	if (!known)
		api_field_error(
		    &in, "source", "enum",
		    "来源须为 resident、patrol、hotline、reception、open311 或 building");
	if (tier && *tier) {
		if (!case_tier_parse(tier, &rep.tier))
			api_field_error(&in, "tier", "enum", "层级须为 minor、private 或 major");
		else
			rep.has_tier = true;
	}
	rep.photos = api_photos_field(req, &in, "photos");
	if (rep.region_code && region_level_of(rep.region_code) != REGION_GRID)
		api_field_error(&in, "region_code", "grid", "须为 15 位网格代码");
	if (!api_input_end(req, &in))
		goto out;
	if (!api_reaches(ctx, ROLES_ANY, rep.region_code)) {
		api_problem(req, 403, "只能上报您所在区划内的事件");
		goto out;
	}
	/* What the caller's roles at that grid may declare: a resident reports as a resident and
	 * cannot send a matter straight to the street as major. */
	unsigned here = roles_at(ctx, rep.region_code);
	if (!(source_roles(rep.source) & here)) {
		api_problem(req, 403,
		            arena_printf(&req->arena, "您的角色不能以“%s”为来源上报事件",
		                         source_zh(rep.source)));
		goto out;
	}
	if (rep.has_tier && rep.tier == TIER_MAJOR && !(here & MAJOR_ROLES)) {
		api_problem(req, 403,
		            "您的角色不能将事件直接定为大事（major），请按类别默认层级上报");
		goto out;
	}
	if (api_roles(ctx) == ROLE_BIT(ROLE_RESIDENT))
		rep.reporter_user_id = ctx->who.user_id;
	rep.actor = ctx->who.name;
	rep.actor_id = ctx->who.user_id;
	rep.actor_role = role_code(ROLE_COUNT);
	for (int r = 0; r < ROLE_COUNT; r++)
		if (api_roles(ctx) & ROLE_BIT(r)) {
			rep.actor_role = role_code((enum role)r);
			break;
		}
	struct case_row c;
	struct batch *writer = api_writer();
	if (!writer) {
		if (!cases_create(req, &rep, &c))
			goto out;
	} else {
		/* Acknowledged only once durable; many reports share one commit, and no worker
		 * thread waits for it (the connection is suspended meanwhile). */
		if (!case_prepare(req, &rep, &c))
			goto out;
		struct report_job *job = arena_alloc(&req->arena, sizeof(*job));
		memset(job, 0, sizeof(*job));
		job->req = req;
		job->rep_copy = rep;
		job->rep = &job->rep_copy;
		job->c_copy = c;
		job->c = &job->c_copy;
		job->in = in; /* the report's strings live in the parsed body: keep it */
		job->audit.user_id = ctx->who.user_id;
		job->audit.username = ctx->who.token_id
		                          ? arena_printf(&req->arena, "token:%s", ctx->who.name)
		                          : ctx->who.name;
		job->audit.action = "case.report";
		job->audit.result = 201;
		job->audit.ip = req->ip;
		ctx->pending = job;
		http_defer(req, report_submit, report_finish);
		return;
	}
	json_t *o = case_json(ctx, &req->arena, &c, false);
	json_object_set_new(o, "possible_duplicates", duplicates_json(ctx, &req->arena, &c));
	api_json(req, 201, o);
out:
	api_input_free(&in);
}

void cases_duplicates_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct case_row c;
	unsigned roles;
	if (!load_case(req, &c, &roles))
		return;
	api_json(req, 200, api_list(duplicates_json(ctx, &req->arena, &c), NULL));
}

/* ---- actions ---- */

/* The role an action is recorded under: the first of the caller's roles the
 * transition allows, in the order of the role list (most senior first). */
static enum role acting_role(unsigned allowed)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		if (allowed & ROLE_BIT(r))
			return (enum role)r;
	return ROLE_RESIDENT;
}

void cases_action_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct case_row c;
	unsigned roles;
	if (!load_case(req, &c, &roles))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	const char *action = api_string(&in, "action", true, 16, NULL);
	const char *comment = api_string(&in, "comment", false, 2000, NULL);
	const char *unit = api_string(&in, "unit", false, 64, NULL);
	const char *rating = api_string(&in, "rating", false, 16, NULL);
	const char *public_reply = api_string(&in, "public_reply", false, 500, NULL);
	int64_t into = 0;
	api_int(&in, "into", false, 1, INT64_MAX, &into, NULL);
	const char *photos = api_photos_field(req, &in, "photos");
	enum case_action act = ACT_ACCEPT;
	enum case_rating rate = RATING_NONE;
	if (action && !case_action_parse(action, &act))
		api_field_error(&in, "action", "enum", "未知的操作");
	if (rating && *rating && !case_rating_parse(rating, &rate))
		api_field_error(&in, "rating", "enum", "评价须为 satisfied、basic 或 unsatisfied");
	/* The reply for the public is written when the result is told: handle, close, reject. */
	if (public_reply && action && act != ACT_HANDLE && act != ACT_CLOSE && act != ACT_REJECT)
		api_field_error(&in, "public_reply", "not_allowed",
		                "公开答复只能在处置完成、结案或不予受理时填写");
	if (!api_input_end(req, &in))
		goto out;
	const struct case_transition *t = case_flow_lookup(c.status, act);
	if (t && action_blocked(&c, act)) {
		api_problem(req, 409, "该事件已并入其他事件，请在原事件上办理");
		goto out;
	}
	if (!t) {
		api_problem(req, 409,
		            arena_printf(&req->arena, "事件当前为“%s”，不能执行“%s”",
		                         case_state_name_zh(c.status), case_action_name_zh(act)));
		goto out;
	}
	unsigned allowed = t->roles & roles;
	if (!allowed) {
		api_problem(req, 403,
		            arena_printf(&req->arena, "您的角色不能对该事件执行“%s”",
		                         case_action_name_zh(act)));
		goto out;
	}
	/* What the action needs beyond role and state. */
	if ((t->needs & NEED_COMMENT) && (!comment || !*comment)) {
		http_problem(req, 422, "此操作须填写说明",
		             "[{\"field\":\"comment\",\"code\":\"required\",\"message\":"
		             "\"请填写说明或理由\"}]");
		goto out;
	}
	if ((t->needs & NEED_RATING) && rate == RATING_NONE) {
		http_problem(
		    req, 422, "评价须选择满意、基本满意或不满意",
		    "[{\"field\":\"rating\",\"code\":\"required\",\"message\":\"请选择评价\"}]");
		goto out;
	}
	if ((t->needs & NEED_INTO) && !into) {
		http_problem(req, 422, "合并须指明原事件",
		             "[{\"field\":\"into\",\"code\":\"required\",\"message\":"
		             "\"请填写原事件编号 id\"}]");
		goto out;
	}
	if ((t->needs & NEED_UNIT) && !(unit && *unit) && !(c.unit && *c.unit)) {
		http_problem(
		    req, 422, "派遣须指明处置单位",
		    "[{\"field\":\"unit\",\"code\":\"required\",\"message\":\"请填写处置单位\"}]");
		goto out;
	}
	int64_t now = time_now();
	enum case_state from = c.status;
	enum role as = acting_role(allowed);
	/* A resident acts only on their own report: feedback and reopen. */
	if (as == ROLE_RESIDENT && act == ACT_REOPEN && !case_reopen_allowed(c.closed_at, now)) {
		api_problem(req, 409, "结案已超过 7 天，不能再申请重新办理");
		goto out;
	}
	struct case_row orig;
	memset(&orig, 0, sizeof orig);
	enum db_result r = DB_OK;
	c.status = t->next;
	const char *event_unit = NULL, *note = NULL;
	bool matched = true;
	switch (act) {
	case ACT_ACCEPT:
		c.accepted_at = now;
		break;
	case ACT_REJECT:
		c.closed_at = now;
		if (public_reply)
			c.public_reply = public_reply;
		break;
	case ACT_DISPATCH:
		if (unit && *unit)
			c.unit = unit;
		event_unit = c.unit;
		r = notify(ctx->db, &c, "handle", "department", level_region(&req->arena, &c),
		           c.unit, 0, "新派遣事件待处置");
		break;
	case ACT_ESCALATE:
		if (c.level == REGION_DISTRICT) {
			api_problem(req, 409, "事件已在区级处置，不能再上报");
			goto out;
		}
		c.level = (enum region_level)(c.level - 1);
		r = route_case(ctx, &req->arena, &c, now, &matched);
		event_unit = c.unit;
		if (!matched)
			note = arena_printf(
			    &req->arena, "%s级权责清单无匹配规则：原处置单位已清空，由受理人指派",
			    region_level_name_zh(c.level));
		if (r == DB_OK)
			r = notify(ctx->db, &c, "accept", desk_role(c.level),
			           level_region(&req->arena, &c), NULL, 0, "上报事件待受理");
		break;
	case ACT_RETURN:
		r = notify(ctx->db, &c, "returned", desk_role(c.level),
		           level_region(&req->arena, &c), NULL, 0, "事件被退回，请重新派遣");
		break;
	case ACT_HANDLE:
		c.handled_at = now;
		c.result = comment;
		if (public_reply)
			c.public_reply = public_reply;
		r = notify(ctx->db, &c, "verify", "grid_worker", c.region_code, NULL, 0,
		           "事件已处置，请核查");
		break;
	case ACT_VERIFY:
		if (c.reporter_user_id)
			r = notify(ctx->db, &c, "rate", NULL, NULL, NULL, c.reporter_user_id,
			           "您反映的问题已处理，请评价");
		break;
	case ACT_FEEDBACK:
		c.rating = rate;
		c.status = case_flow_after_feedback(rate);
		if (c.status == CASE_CLOSED)
			c.closed_at = now;
		else
			r = notify(ctx->db, &c, "reopened", desk_role(c.level),
			           level_region(&req->arena, &c), NULL, 0,
			           "群众不满意，事件重新办理");
		break;
	case ACT_CLOSE:
		c.closed_at = now;
		if (public_reply)
			c.public_reply = public_reply;
		break;
	case ACT_REOPEN:
		c.closed_at = 0;
		if (from == CASE_CLOSED)
			c.rating = as == ROLE_RESIDENT ? RATING_UNSATISFIED : c.rating;
		r = notify(ctx->db, &c, "reopened", desk_role(c.level),
		           level_region(&req->arena, &c), NULL, 0, "事件重新办理");
		break;
	case ACT_MERGE: {
		if (into == c.id) {
			api_field_problem(req, "into", "self", "不能合并到事件自身");
			goto out;
		}
		r = cases_get(ctx->db, &req->arena, into, &orig);
		if (r == DB_DONE || (r == DB_ROW && !cases_roles_for(ctx, &orig))) {
			http_problem(req, 422, "要合并到的原事件不存在",
			             "[{\"field\":\"into\",\"code\":\"unknown\",\"message\":"
			             "\"原事件不存在\"}]");
			goto out;
		}
		if (r != DB_ROW)
			break;
		if (!case_state_open(orig.status)) {
			api_problem(req, 409, "原事件已办结，请直接重新上报或办理");
			goto out;
		}
		r = DB_OK;
		c.merged_into = orig.id;
		c.closed_at = now;
		break;
	}
	case ACT_SUPERVISE:
		c.supervised = true;
		c.supervise_note = comment;
		r = notify(ctx->db, &c, "supervise", desk_role(c.level),
		           level_region(&req->arena, &c), c.unit, 0, "事件被督办");
		break;
	default:
		break;
	}
	if (r != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	c.updated_at = now;
	r = cases_update(ctx->db, &c);
	struct case_event_row e = {0};
	e.case_id = c.id;
	e.at = now;
	e.actor_id = ctx->who.user_id;
	e.actor = ctx->who.name;
	if (c.anonymous && c.reporter_user_id && ctx->who.user_id == c.reporter_user_id) {
		/* The anonymous reporter's own entries (feedback, reopen) name no one. */
		e.actor_id = 0;
		e.actor = ANONYMOUS_ACTOR;
	}
	e.role = role_code(as);
	e.action = case_action_code(act);
	e.from_state = from;
	e.to_state = c.status;
	/* The comment is what the person wrote; the rating and the system's note stand apart. */
	e.comment = comment;
	e.rating = act == ACT_FEEDBACK ? (int)rate : 0;
	e.note = act == ACT_MERGE      ? arena_printf(&req->arena, "并入 %s", orig.number)
	         : act == ACT_FEEDBACK ? arena_printf(&req->arena, "评价：%s", rating_zh(rate))
	                               : note;
	e.unit = event_unit;
	e.photos = photos;
	if (r == DB_OK)
		r = case_events_add(ctx->db, &e);
	if (r == DB_OK && act == ACT_MERGE) {
		struct case_event_row oe = e;
		oe.case_id = orig.id;
		oe.from_state = orig.status;
		oe.to_state = orig.status;
		oe.note = arena_printf(&req->arena, "重复事件 %s 并入本事件", c.number);
		r = case_events_add(ctx->db, &oe);
	}
	if (r != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	ctx->audit_object = arena_printf(&req->arena, "case:%lld", (long long)c.id);
	ctx->audit_detail = arena_printf(&req->arena, "%s: %s -> %s", case_action_code(act),
	                                 case_state_code(from), case_state_code(c.status));
	roles = cases_roles_for(ctx, &c);
	json_t *o = case_json(ctx, &req->arena, &c, false);
	json_object_set_new(
	    o, "timeline",
	    timeline_json(ctx, &req->arena, &c, reporter_view(ctx, &c) ? TL_REPORTER : TL_STAFF));
	json_object_set_new(o, "allowed_actions", allowed_json(&c, roles));
	api_json(req, 200, o);
out:
	api_input_free(&in);
}

/* GET /api/v1/track/{code}: public tracking without an account — status and a
 * timeline of states and units, no personal data and no free-text comments. */
void cases_track_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *code = http_param(req, "code");
	struct case_row c;
	enum db_result r = DB_DONE;
	if (code && strlen(code) == 12)
		r = cases_by_tracking(ctx->db, &req->arena, code, &c);
	if (r != DB_ROW) {
		if (r == DB_DONE)
			api_problem(req, 404, "查询码不存在");
		else
			api_store_error(req, r);
		return;
	}
	json_t *o = json_object();
	json_set_str(o, "number", c.number);
	json_set_str(o, "status", case_state_code(c.status));
	json_set_str(o, "status_name", case_state_name_zh(c.status));
	struct category_row cat;
	json_set_str(o, "category", c.category);
	if (categories_get(ctx->db, &req->arena, c.category, &cat) == DB_ROW) {
		json_set_str(o, "category_name", cat.name);
		json_set_str(o, "category_name_en", cat.name_en);
	}
	json_set_str(o, "unit", c.unit);
	/* Only the reply written for the public: never the handler's internal result. */
	json_set_str(o, "public_reply", c.public_reply);
	json_set_str(o, "rating", c.rating ? case_rating_code(c.rating) : NULL);
	json_set_time(o, "created_at", c.created_at);
	json_set_time(o, "updated_at", c.updated_at);
	json_set_time(o, "closed_at", c.closed_at);
	json_object_set_new(o, "timeline", timeline_json(ctx, &req->arena, &c, TL_PUBLIC));
	api_json(req, 200, o);
}
