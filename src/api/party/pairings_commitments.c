/* /api/v1/pairings/{id}/commitments: a pairing's commitment items (承诺事项), tracked to 销号.
 * The unit side (the unit's cadres or department staff at the community) records commitments
 * and completes them; the community side (community, street and district staff over the
 * community) verifies and closes them. The state machine is domain/party.c's; the pairing
 * itself is pairings.c's. */
#include "api/party/party.h"
#include "core/timeutil.h"

#include <string.h>

static json_t *allowed_json(enum commitment_state s, unsigned sides, bool active)
{
	json_t *a = json_array();
	for (int i = 0; active && i < COMMIT_ACTION_COUNT; i++) {
		const struct commitment_transition *t =
		    commitment_flow_lookup(s, (enum commitment_action)i);
		if (t && (t->sides & sides))
			json_array_append_new(
			    a, json_string(commitment_action_code((enum commitment_action)i)));
	}
	return a;
}

json_t *pairings_commitment_json(const struct commitment_row *c, unsigned sides, bool active)
{
	json_t *o = json_object();
	json_set_int(o, "id", c->id);
	json_set_int(o, "pairing_id", c->pairing_id);
	json_set_str(o, "problem", c->problem);
	json_set_str(o, "measure", c->measure);
	json_set_str(o, "responsible", c->responsible);
	json_set_str(o, "deadline", c->deadline);
	json_set_str(o, "status", commitment_state_code(c->status));
	json_set_str(o, "status_name", commitment_state_name_zh(c->status));
	json_set_str(o, "result", c->result);
	json_set_bool(o, "verified", c->verified_at != 0 && c->status >= COMMIT_VERIFIED);
	json_set_bool(o, "closed", c->status == COMMIT_CLOSED);
	json_set_time(o, "done_at", c->done_at);
	json_set_time(o, "verified_at", c->verified_at);
	json_set_time(o, "closed_at", c->closed_at);
	json_set_time(o, "created_at", c->created_at);
	json_set_time(o, "updated_at", c->updated_at);
	json_object_set_new(o, "allowed_actions", allowed_json(c->status, sides, active));
	return o;
}

static json_t *history_json(struct http_req *req, int64_t cid)
{
	struct commitment_event_row *ev;
	size_t n;
	json_t *a = json_array();
	if (store_commitment_events_list(api_ctx(req)->db, &req->arena, cid, &ev, &n) != DB_OK)
		return a;
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_object();
		json_set_time(e, "at", ev[i].at);
		json_set_str(e, "actor", ev[i].actor);
		json_set_str(e, "side", ev[i].side);
		json_set_str(e, "action", ev[i].action);
		json_set_str(e, "from", ev[i].from_status);
		json_set_str(e, "to", ev[i].to_status);
		json_set_str(e, "comment", ev[i].comment);
		json_array_append_new(a, e);
	}
	return a;
}

/* Appends one entry to the commitment's history: who, from which side, what, from and to
 * which state. */
static enum db_result commitment_event(struct api_ctx *ctx, const struct commitment_row *c,
                                       const char *side, const char *action,
                                       const char *from_status, const char *comment)
{
	struct commitment_event_row e = {.commitment_id = c->id,
	                                 .at = c->updated_at,
	                                 .actor_id = ctx->who.user_id,
	                                 .actor = party_actor(ctx),
	                                 .side = side,
	                                 .action = action,
	                                 .from_status = from_status,
	                                 .to_status = commitment_state_code(c->status),
	                                 .comment = comment};
	return store_commitment_events_add(ctx->db, &e);
}

/* The commitment with its history, as every commitment route answers. */
static void respond_commitment(struct http_req *req, int status, const struct commitment_row *c,
                               unsigned sides, bool active)
{
	json_t *o = pairings_commitment_json(c, sides, active);
	json_object_set_new(o, "history", history_json(req, c->id));
	api_json(req, status, o);
}

void pairings_commitments_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct pairing_row p;
	unsigned sides;
	struct api_input in;
	if (!pairings_load_for_write(req, &p, SIDE_UNIT, &sides, &in))
		return;
	struct commitment_row c;
	memset(&c, 0, sizeof c);
	c.pairing_id = p.id;
	c.problem = api_string(&in, "problem", true, 500, NULL);
	c.measure = api_string(&in, "measure", false, 500, NULL);
	c.responsible = api_string(&in, "responsible", true, 64, NULL);
	c.deadline = party_date_field(&in, "deadline", true, NULL);
	if (!api_input_end(req, &in))
		goto out;
	c.status = COMMIT_PROPOSED;
	c.created_by = ctx->who.user_id;
	c.created_at = c.updated_at = time_now();
	enum db_result r = store_commitments_insert(ctx->db, &c);
	if (r == DB_OK)
		r = commitment_event(ctx, &c, "unit", "create", NULL, NULL);
	if (!party_written(req, r, "pairing_commitment", c.id))
		goto out;
	respond_commitment(req, 201, &c, sides, true);
out:
	api_input_free(&in);
}

static bool load_commitment(struct http_req *req, const struct pairing_row *p,
                            struct commitment_row *c)
{
	int64_t cid;
	if (!api_path_id(req, "cid", "承诺事项", &cid))
		return false;
	enum db_result r = store_commitments_get(api_ctx(req)->db, &req->arena, cid, c);
	return party_found(req, r, r == DB_ROW && c->pairing_id == p->id, "承诺事项");
}

void pairings_commitments_get_h(struct http_req *req)
{
	struct pairing_row p;
	unsigned sides;
	struct commitment_row c;
	if (!pairings_load(req, &p, &sides) || !load_commitment(req, &p, &c))
		return;
	respond_commitment(req, 200, &c, sides, p.active);
}

/* The transition act takes the commitment through, for a caller acting for sides: NULL after
 * responding 409 (the pairing has ended, or no such step from this state), 403 (the other
 * side's step) or 422 (a send-back without its reason). */
static const struct commitment_transition *
commitment_step(struct http_req *req, const struct pairing_row *p, const struct commitment_row *c,
                enum commitment_action act, unsigned sides, const char *comment)
{
	if (!p->active) {
		api_problem(req, 409, "该结对共建已结束");
		return NULL;
	}
	const struct commitment_transition *t = commitment_flow_lookup(c->status, act);
	if (!t) {
		api_problem(req, 409,
		            act == COMMIT_CLOSE && c->status != COMMIT_CLOSED
		                ? "承诺事项须经社区核验后才能销号"
		                : arena_printf(&req->arena, "承诺事项当前为“%s”，不能%s",
		                               commitment_state_name_zh(c->status),
		                               commitment_action_name_zh(act)));
		return NULL;
	}
	if (!(t->sides & sides)) {
		api_problem(req, 403,
		            t->sides == SIDE_UNIT ? "只有结对单位一方可以推进和报完成"
		                                  : "只有社区一方可以核验、销号或退回");
		return NULL;
	}
	if (t->needs_comment && (!comment || !*comment)) {
		api_field_problem(req, "comment", "required", "退回须说明原因");
		return NULL;
	}
	return t;
}

/* Moves the commitment to t's state and stamps what the action records. */
static void commitment_apply(struct commitment_row *c, const struct commitment_transition *t,
                             enum commitment_action act, const char *result, int64_t user_id)
{
	int64_t now = time_now();
	c->status = t->next;
	c->updated_at = now;
	if (act == COMMIT_COMPLETE) {
		c->done_at = now;
		if (result)
			c->result = result;
	} else if (act == COMMIT_VERIFY) {
		c->verified_at = now;
		c->verified_by = user_id;
	} else if (act == COMMIT_CLOSE) {
		c->closed_at = now;
	} else if (act == COMMIT_REOPEN) {
		c->verified_at = 0;
		c->verified_by = 0;
	}
}

void pairings_commitments_action_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct pairing_row p;
	unsigned sides;
	struct commitment_row c;
	if (!pairings_load(req, &p, &sides) || !load_commitment(req, &p, &c))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	const char *action = api_string(&in, "action", true, 16, NULL);
	enum commitment_action act = COMMIT_START;
	if (action && !commitment_action_parse(action, &act))
		api_field_error(&in, "action", "enum",
		                "动作须为 start、complete、verify、close 或 reopen");
	const char *comment = api_string(&in, "comment", false, 500, NULL);
	const char *result = api_string(&in, "result", false, 500, NULL);
	if (!api_input_end(req, &in))
		goto out;
	const struct commitment_transition *t = commitment_step(req, &p, &c, act, sides, comment);
	if (!t)
		goto out;
	enum commitment_state from = c.status;
	commitment_apply(&c, t, act, result, ctx->who.user_id);
	enum db_result r = store_commitments_update(ctx->db, &c);
	if (r == DB_OK)
		r = commitment_event(ctx, &c, t->sides == SIDE_UNIT ? "unit" : "community",
		                     commitment_action_code(act), commitment_state_code(from),
		                     comment ? comment : result);
	if (!party_written(req, r, "pairing_commitment", c.id))
		goto out;
	ctx->audit_detail =
	    arena_printf(&req->arena, "%s: %s -> %s", commitment_action_code(act),
	                 commitment_state_code(from), commitment_state_code(c.status));
	respond_commitment(req, 200, &c, sides, true);
out:
	api_input_free(&in);
}
