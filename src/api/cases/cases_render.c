/* How a case reads: its JSON for staff and for its reporter, the deadline level, the
 * timeline as staff, the reporter or the public see it, and the actions allowed now. */
#include "api/api.h"
#include "api/cases/cases.h"
#include "store/command/callbacks.h"
#include "core/json.h"
#include "core/jsonw.h"
#include "core/seal.h"
#include "core/timeutil.h"
#include "domain/deadline.h"
#include "store/command/campaigns.h"
#include "store/platform/regions.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* The state whose deadline applies: taking in (accept) or handling. */
static void case_deadline(struct jw *w, const struct case_row *c, int64_t now)
{
	enum deadline_level lvl = DEADLINE_OK;
	if (c->status == CASE_REPORTED)
		lvl = deadline_level(c->created_at, c->accept_due, now);
	else if (case_state_open(c->status))
		lvl = deadline_level(c->created_at, c->handle_due, now);
	jw_key(w, "deadlines");
	jw_obj(w);
	jw_ktime(w, "accept_due", c->accept_due);
	jw_ktime(w, "handle_due", c->handle_due);
	jw_kstr(w, "level", deadline_level_code(lvl));
	jw_obj_end(w);
	jw_kbool(w, "overdue", lvl == DEADLINE_RED);
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
bool case_reporter_view(const struct api_ctx *ctx, const struct case_row *c)
{
	return case_roles_for(ctx, c) == ROLE_BIT(ROLE_RESIDENT);
}

/* Category and region names by code, read once per request: a list page of 50 cases names
 * the same few categories and grids over and over. Kept in the request's arena (every caller
 * passes it), so nothing outlives the request and a renamed region shows at once. */
struct name_memo {
	bool region;
	const char *code, *name; /* name NULL: no such row */
	struct name_memo *next;
};

static const char *name_of(struct api_ctx *ctx, struct arena *a, bool region, const char *code)
{
	if (!code)
		return NULL;
	for (const struct name_memo *m = ctx->names; m; m = m->next)
		if (m->region == region && strcmp(m->code, code) == 0)
			return m->name;
	const char *name = NULL;
	enum db_result r;
	if (region) {
		r = store_regions_name(ctx->db, a, code, &name);
	} else {
		struct category_row row;
		r = store_categories_get(ctx->db, a, code, &row);
		if (r == DB_ROW)
			name = row.name;
	}
	if (r != DB_ROW && r != DB_DONE)
		return NULL; /* not remembered: a failed read is tried again */
	struct name_memo *m = arena_alloc(a, sizeof *m);
	m->region = region;
	m->code = arena_strdup(a, code);
	m->name = name;
	m->next = ctx->names;
	ctx->names = m;
	return name;
}

void case_write(struct jw *w, struct api_ctx *ctx, struct arena *a, const struct case_row *c,
                bool reveal)
{
	jw_obj(w);
	jw_kint(w, "id", c->id);
	jw_kstr(w, "number", c->number);
	jw_kstr(w, "status", case_state_code(c->status));
	jw_kstr(w, "status_name", case_state_name_zh(c->status));
	jw_kstr(w, "category", c->category);
	const char *category_name =
	    c->names_read ? c->category_name : name_of(ctx, a, false, c->category);
	if (category_name)
		jw_kstr(w, "category_name", category_name);
	jw_kstr(w, "tier", case_tier_code(c->tier));
	jw_kstr(w, "level", region_level_code(c->level));
	jw_kstr(w, "region_code", c->region_code);
	const char *region_name =
	    c->names_read ? c->region_name : name_of(ctx, a, true, c->region_code);
	if (region_name)
		jw_kstr(w, "region_name", region_name);
	jw_kstr(w, "description", c->description);
	jw_kstr(w, "source", c->source);
	jw_key(w, "location");
	if (c->has_location || c->address) {
		jw_obj(w);
		if (c->has_location) {
			jw_key(w, "lat");
			jw_real(w, c->lat);
			jw_key(w, "lon");
			jw_real(w, c->lon);
		}
		jw_kstr(w, "address", c->address);
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	jw_key(w, "building_id");
	if (c->building_id)
		jw_int(w, c->building_id);
	else
		jw_null(w);
	jw_kbool(w, "anonymous", c->anonymous);
	json_t *sealed = c->anonymous && reveal ? sealed_reporter(c) : NULL;
	jw_key(w, "reporter");
	if (sealed) {
		/* An anonymous reporter, shown only through an audited reveal. */
		jw_json(w, sealed);
		json_decref(sealed);
	} else if (!c->anonymous && (c->reporter_name || c->reporter_phone)) {
		jw_obj(w);
		jw_kstr(w, "name", c->reporter_name);
		/* The phone is sealed: opened here, shown masked unless revealed. */
		char *phone = c->reporter_phone
		                  ? seal_decrypt(c->reporter_phone, c->reporter_phone_len)
		                  : NULL;
		jw_kstr(w, "phone", phone ? (reveal ? phone : mask_phone(a, phone)) : NULL);
		if (phone) {
			sodium_memzero(phone, strlen(phone));
			free(phone);
		}
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	jw_kstr(w, "tracking_code", c->tracking_code);
	jw_kstr(w, "unit", c->unit);
	if (c->rule_id)
		jw_kint(w, "rule_id", c->rule_id);
	else
		jw_knull(w, "rule_id");
	case_deadline(w, c, time_now());
	jw_kbool(w, "supervised", c->supervised);
	bool reporter_view = case_reporter_view(ctx, c);
	jw_kstr(w, "supervise_note", reporter_view ? NULL : c->supervise_note);
	if (c->merged_into)
		jw_kint(w, "merged_into", c->merged_into);
	else
		jw_knull(w, "merged_into");
	jw_kstr(w, "rating", c->rating ? case_rating_code(c->rating) : NULL);
	/* The handler's internal record stays with staff; the reporter reads the public reply. */
	jw_kstr(w, "result", reporter_view ? NULL : c->result);
	jw_kstr(w, "public_reply", c->public_reply);
	jw_kbool(w, "publish_description", c->publish_description);
	jw_ktime(w, "created_at", c->created_at);
	jw_ktime(w, "updated_at", c->updated_at);
	jw_ktime(w, "accepted_at", c->accepted_at);
	jw_ktime(w, "handled_at", c->handled_at);
	jw_ktime(w, "closed_at", c->closed_at);
	jw_obj_end(w);
}

json_t *case_json(struct api_ctx *ctx, struct arena *a, const struct case_row *c, bool reveal)
{
	/* One writer for both: the object is written once and read back into a tree for the
	 * callers that add to it (one case, not a page). */
	struct buf b;
	buf_init(&b);
	struct jw w;
	jw_init(&w, &b);
	case_write(&w, ctx, a, c, reveal);
	json_t *o = json_loadb(b.data, b.len, 0, NULL);
	if (b.data)
		sodium_memzero(b.data, b.len); /* may hold a revealed phone */
	buf_free(&b);
	return o ? o : json_object();
}

/* Who an entry names as its actor: an anonymous reporter's own entries name no one. Entries
 * are written that way; this also covers entries written before that rule. */
static const char *actor_shown(const struct case_row *c, const struct case_event_row *e)
{
	if (c->anonymous && c->reporter_user_id && e->actor_id == c->reporter_user_id)
		return ANONYMOUS_ACTOR;
	return e->actor;
}

/* The timeline as staff, the reporter or the public read it. */
json_t *case_timeline_json(struct api_ctx *ctx, struct arena *a, const struct case_row *c,
                           enum timeline_view view)
{
	struct case_event_row *ev;
	size_t n;
	json_t *arr = json_array();
	if (store_case_events_list(ctx->db, a, c->id, &ev, &n) != DB_OK)
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

/* The actions the caller may take on c now, as codes. */
json_t *case_allowed_json(const struct case_row *c, unsigned roles)
{
	json_t *acts = json_array();
	for (int a = 0; a < CASE_ACTION_COUNT; a++) {
		const struct case_transition *t = case_flow_lookup(c->status, (enum case_action)a);
		if (t && (t->roles & roles) &&
		    !case_action_blocked(c->merged_into, (enum case_action)a))
			json_array_append_new(acts,
			                      json_string(case_action_code((enum case_action)a)));
	}
	return acts;
}

json_t *case_full_json(struct api_ctx *ctx, struct arena *a, const struct case_row *c,
                       unsigned roles, bool reveal)
{
	json_t *o = case_json(ctx, a, c, reveal);
	json_object_set_new(
	    o, "timeline",
	    case_timeline_json(ctx, a, c, case_reporter_view(ctx, c) ? TL_REPORTER : TL_STAFF));
	json_object_set_new(o, "allowed_actions", case_allowed_json(c, roles));
	/* A callback's finding (回访抽查): "contradicted" once any callback contradicted it. */
	const char *cb = NULL;
	if (store_case_callback(ctx->db, a, c->id, &cb) == DB_OK && cb)
		json_set_str(o, "callback", cb);
	else
		json_object_set_new(o, "callback", json_null());
	/* A case dispatched by a joint meeting links back to the meeting and its decision. */
	struct meeting_case_row mc;
	if (c->source && strcmp(c->source, "meeting") == 0 &&
	    store_meeting_cases_by_case(ctx->db, a, c->id, &mc) == DB_ROW) {
		json_t *m = json_object();
		json_set_int(m, "id", mc.meeting_id);
		json_set_int(m, "decision", mc.decision_n);
		json_set_str(m, "title", mc.meeting_title);
		json_set_str(m, "held_on", mc.held_on);
		json_object_set_new(o, "meeting", m);
	}
	return o;
}
