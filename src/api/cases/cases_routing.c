/* Routing a case at its level by the responsibility list, and the notifications the
 * desks of each level receive. Shared by reporting and the actions. */
#include "api/api.h"
#include "api/cases/cases.h"
#include "api/platform/webhooks.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/deadline.h"
#include "store/platform/webhooks.h"

#include <stdlib.h>

/* Routes c at its current level from now: unit, rule and deadlines. When no rule matches at
 * this level the unit is cleared (*matched false): a unit of the level below would otherwise be
 * kept for a case that is no longer theirs. */
enum db_result case_route(struct api_ctx *ctx, struct arena *a, struct case_row *c, int64_t now,
                          bool *matched)
{
	struct rule_row *rules;
	size_t n;
	enum db_result r = store_rules_list(ctx->db, a, &rules, &n);
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
	struct work_calendar cal;
	r = api_work_calendar(ctx->db, a, &cal);
	if (r != DB_OK)
		return r;
	c->accept_due = deadline_add_working_hours(&cal, now, accept_h);
	/* 今日事今日毕: minor matters are due the same day. */
	c->handle_due = c->tier == TIER_MINOR ? deadline_end_of_day(now)
	                                      : deadline_add_working_hours(&cal, now, handle_h);
	if (c->handle_due < c->accept_due)
		c->handle_due = c->accept_due;
	return DB_OK;
}

enum db_result case_notify(struct db *db, const struct case_row *c, const char *kind,
                           const char *role, const char *region, const char *unit, int64_t user_id,
                           const char *title)
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
	return store_notifications_add(db, &n);
}

enum db_result case_webhook_event(struct db *db, struct arena *a, const struct case_row *c,
                                  const struct case_event_row *e)
{
	const char *type = arena_printf(a, "case.%s", e->action);
	/* What a case is and where it stands, never who: no description, address, location,
	 * reporter, comment or actor's name (free text and points may name a person). */
	json_t *cj = json_object();
	json_set_int(cj, "id", c->id);
	json_set_str(cj, "number", c->number);
	json_set_str(cj, "category", c->category);
	json_set_str(cj, "tier", case_tier_code(c->tier));
	json_set_str(cj, "status", case_state_code(c->status));
	json_set_str(cj, "level", region_level_code(c->level));
	json_set_str(cj, "region_code", c->region_code);
	json_set_str(cj, "unit", c->unit);
	json_set_bool(cj, "supervised", c->supervised);
	json_set_time(cj, "accept_due", c->accept_due);
	json_set_time(cj, "handle_due", c->handle_due);
	json_set_time(cj, "created_at", c->created_at);
	json_t *tj = json_object();
	json_set_str(tj, "action", e->action);
	json_set_str(tj, "from",
	             e->from_state >= 0 ? case_state_code((enum case_state)e->from_state) : NULL);
	json_set_str(tj, "to", case_state_code((enum case_state)e->to_state));
	json_set_str(tj, "role", e->role);
	json_set_str(tj, "unit", e->unit);
	json_t *o = json_object();
	json_set_str(o, "event", type);
	json_set_time(o, "occurred_at", e->at);
	json_object_set_new(o, "case", cj);
	json_object_set_new(o, "transition", tj);
	char *payload = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!payload)
		return DB_ERROR;
	enum db_result r = store_webhooks_enqueue(db, type, c->region_code, c->id, payload,
	                                          time_now(), webhook_now_ms());
	free(payload);
	return r;
}

/* The region code of the level a case is handled at: a prefix of its grid's code. */
const char *case_level_region(struct arena *a, const struct case_row *c)
{
	static const int len[] = {6, 9, 12, 15};
	int l = c->level >= REGION_DISTRICT && c->level <= REGION_GRID ? len[c->level] : 15;
	return arena_strndup(a, c->region_code, (size_t)l);
}

/* Who must take in a case at its level. */
const char *case_desk_role(enum region_level l)
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
