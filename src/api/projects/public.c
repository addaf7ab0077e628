/* The projects on the public disclosure page (公开, GET /api/v1/public/regions/{code}/
 * disclosures, api/deliberation/disclosure.c): those at the community (or grid) or below it
 * that are underway, completed or accepted — a planned or suspended one is not disclosed. Each
 * with what residents may check: name, kind, budget and spent, progress counted from the
 * milestones, state, the unit responsible, planned dates and the milestones with their dates.
 * No personal data: no names of people, no user ids, no history with its actors and comments,
 * no spending notes (they may name a payee), no description, and no photos (evidence is read
 * by those who may read the project; uploads keep their metadata). */
#include "api/projects/projects.h"
#include "core/json.h"

#include <string.h>

enum db_result projects_disclosed_json(struct http_req *req, const char *code, json_t **out)
{
	struct api_ctx *ctx = api_ctx(req);
	struct project_row *rows;
	size_t n;
	*out = NULL;
	enum db_result r = store_projects_public(ctx->db, &req->arena, code, &rows, &n);
	if (r != DB_OK)
		return r;
	json_t *list = json_array();
	for (size_t i = 0; i < n && r == DB_OK; i++) {
		const struct project_row *p = &rows[i];
		enum project_kind k;
		enum project_state s;
		json_t *o = json_object();
		json_set_int(o, "id", p->id);
		json_set_str(o, "title", p->title);
		json_set_str(o, "region_code", p->region_code);
		json_set_str(o, "region_name", p->region_name);
		json_set_str(o, "kind", p->kind);
		json_set_str(o, "kind_name",
		             project_kind_parse(p->kind, &k) ? project_kind_name_zh(k) : NULL);
		json_set_int(o, "budget_fen", p->budget_fen);
		json_set_int(o, "spent_fen", p->spent_fen);
		json_set_bool(o, "over_budget", p->spent_fen > p->budget_fen);
		json_set_str(o, "responsible_unit", p->responsible_unit);
		json_set_str(o, "state", p->state);
		json_set_str(o, "state_name",
		             project_state_parse(p->state, &s) ? project_state_name_zh(s) : NULL);
		json_set_str(o, "starts_on", p->starts_on);
		json_set_str(o, "ends_on", p->ends_on);
		json_set_int(o, "progress", project_progress(p->milestones_done, p->milestones));
		/* The topic that produced it, when it was one: its decision is on the same page. */
		if (p->link_kind && strcmp(p->link_kind, "topic") == 0)
			json_set_int(o, "topic_id", p->link_id);
		else
			json_object_set_new(o, "topic_id", json_null());
		struct project_milestone_row *ms;
		size_t nm = 0;
		r = store_project_milestones_list(ctx->db, &req->arena, p->id, &ms, &nm);
		json_t *ml = json_array();
		for (size_t j = 0; r == DB_OK && j < nm; j++) {
			json_t *m = json_object();
			json_set_str(m, "title", ms[j].title);
			json_set_str(m, "due_on", ms[j].due_on);
			json_set_str(m, "done_on", ms[j].done_on);
			json_array_append_new(ml, m);
		}
		json_object_set_new(o, "milestones", ml);
		json_array_append_new(list, o);
	}
	if (r != DB_OK) {
		json_decref(list);
		return r;
	}
	*out = list;
	return DB_OK;
}
