/* The public tracking page: a case by its tracking code, without an account. */
#include "api/api.h"
#include "api/cases/cases.h"
#include "core/json.h"

#include <string.h>

/* GET /api/v1/track/{code}: public tracking without an account — status and a
 * timeline of states and units, no personal data and no free-text comments. */
void cases_track_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *code = http_param(req, "code");
	struct case_row c;
	enum db_result r = DB_DONE;
	if (code && strlen(code) == 12)
		r = store_cases_by_tracking(ctx->db, &req->arena, code, &c);
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
	if (store_categories_get(ctx->db, &req->arena, c.category, &cat) == DB_ROW) {
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
	json_object_set_new(o, "timeline", case_timeline_json(ctx, &req->arena, &c, TL_PUBLIC));
	api_json(req, 200, o);
}
