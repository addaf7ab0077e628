/* GET /api/v1/public/regions/{code}/disclosures without a session (公开): a community's
 * decisions, ballot results (closed ones only, as stored), pledge and spending totals and
 * evaluations, with the 公示 period of each topic; beside them its projects with budget,
 * progress and milestones (api/projects/public.c). No personal data: no names, no household
 * or resident ids, no comments or ledger notes of residents. */
#include "api/deliberation/deliberation.h"
#include "api/projects/projects.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "store/platform/regions.h"

#include <string.h>

/* A closed ballot as the public sees it: counts and outcome, never who voted. */
static json_t *disclosed_ballot_json(const struct ballot_row *b)
{
	json_t *x = json_object();
	json_set_str(x, "question", b->question);
	json_t *opts = json_loads(b->options, 0, NULL);
	json_object_set_new(x, "options", opts ? opts : json_array());
	json_set_str(x, "unit", b->unit);
	json_set_int(x, "eligible", b->eligible);
	json_set_int(x, "cast", b->cast_count);
	json_object_set_new(
	    x, "turnout",
	    json_real(b->eligible ? (double)b->cast_count / (double)b->eligible : 0.0));
	json_set_bool(x, "quorum_met", b->quorum_met);
	json_t *c = b->counts ? json_loads(b->counts, 0, NULL) : NULL;
	json_object_set_new(x, "counts", c ? c : json_array());
	json_set_bool(x, "passed", b->passed);
	json_set_time(x, "closed_at", b->closed_at);
	if (b->seats > 0) {
		/* A selection: the options are the nominees' labels ("3栋201 张**家"), the places
		 * "elected", "tied" or "". */
		json_set_int(x, "seats", b->seats);
		json_t *el = b->elected ? json_loads(b->elected, 0, NULL) : NULL;
		json_object_set_new(x, "elected", el ? el : json_array());
		json_set_bool(x, "tie", b->elected && strstr(b->elected, "\"tied\""));
	}
	return x;
}

static json_t *disclosed_ballots_json(struct http_req *req, int64_t topic_id)
{
	json_t *bs = json_array();
	struct ballot_row *b;
	size_t m;
	if (store_ballots_of_topic(api_ctx(req)->db, &req->arena, topic_id, &b, &m) == DB_OK)
		for (size_t k = 0; k < m; k++)
			if (b[k].closed)
				json_array_append_new(bs, disclosed_ballot_json(&b[k]));
	return bs;
}

/* The spending entries of the topic's ledger (amount, note, when). */
static json_t *disclosed_spending_json(struct http_req *req, int64_t topic_id)
{
	json_t *spending = json_array();
	struct ledger_row *l;
	size_t m;
	if (store_ledger_list(api_ctx(req)->db, &req->arena, topic_id, &l, &m) == DB_OK)
		for (size_t k = 0; k < m; k++) {
			if (strcmp(l[k].kind, "spend") != 0)
				continue;
			json_t *x = json_object();
			json_set_int(x, "amount", l[k].amount);
			json_set_str(x, "note", l[k].note);
			json_set_time(x, "at", l[k].created_at);
			json_array_append_new(spending, x);
		}
	return spending;
}

static json_t *disclosed_topic_json(struct http_req *req, const struct topic_row *t, int64_t now)
{
	enum topic_stage s = TSTAGE_COUNT;
	topic_stage_parse(t->stage, &s);
	json_t *o = json_object();
	json_set_int(o, "topic_id", t->id);
	json_set_str(o, "title", t->title);
	json_set_str(o, "region_code", t->region_code);
	json_set_str(o, "region_name", t->region_name);
	json_set_str(o, "procedure", t->procedure);
	json_set_str(o, "stage", t->stage);
	json_set_str(o, "stage_name", topic_stage_name_zh(s));
	json_set_int(o, "supports", t->supports);
	json_set_time(o, "stage_since", t->stage_since);
	json_set_time(o, "public_until", t->public_until);
	json_set_bool(o, "in_publicity", t->public_until > now);
	json_object_set_new(o, "ballots", disclosed_ballots_json(req, t->id));
	json_object_set_new(o, "ledger", delib_ledger_json(req, t, false));
	json_object_set_new(o, "spending", disclosed_spending_json(req, t->id));
	json_object_set_new(o, "evaluation", delib_ratings_json(req, t->id));
	return o;
}

void disclosures_get_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *code = http_param(req, "code");
	struct region_row reg;
	size_t len = code ? strlen(code) : 0;
	if (!code || (len != 12 && len != 15) ||
	    store_regions_get(ctx->db, &req->arena, code, &reg) != DB_ROW) {
		api_problem(req, 404, "区域不存在");
		return;
	}
	struct topic_row *rows;
	size_t n;
	enum db_result r = store_topics_disclosed(ctx->db, &req->arena, code, &rows, &n);
	if (!api_stored(req, r))
		return;
	int64_t now = time_now();
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, disclosed_topic_json(req, &rows[i], now));
	json_t *projects;
	r = projects_disclosed_json(req, code, &projects);
	if (!api_stored(req, r)) {
		json_decref(items);
		return;
	}
	json_t *body = json_object();
	json_set_str(body, "region_code", reg.code);
	json_set_str(body, "region_name", reg.name);
	json_object_set_new(body, "items", items);
	json_object_set_new(body, "projects", projects);
	api_json(req, 200, body);
}
