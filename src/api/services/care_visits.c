/* /api/v1/care-targets/{id}/visits: a care visit (关爱走访) recorded by a grid worker of the
 * target's grid or staff above, with a note and photos; a need found on the visit becomes a
 * case in the same transaction ("raise_case", through the case loop's case_report_create),
 * linked back from the visit. */
#include "api/cases/cases.h"
#include "api/services/services.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/care.h"
#include "domain/deadline.h"

#include <string.h>

static json_t *visit_json(const struct care_visit_row *v)
{
	json_t *o = json_object();
	char d[11];
	json_set_int(o, "id", v->id);
	json_set_int(o, "target_id", v->target_id);
	deadline_format_date(v->visited_day, d);
	json_set_str(o, "visited_on", d);
	json_set_str(o, "note", v->note);
	json_t *photos = v->photos ? json_loads(v->photos, 0, NULL) : NULL;
	json_object_set_new(o, "photos", photos ? photos : json_array());
	if (v->case_id)
		json_set_int(o, "case_id", v->case_id);
	else
		json_object_set_new(o, "case_id", json_null());
	json_set_str(o, "visitor", v->user_name);
	json_set_time(o, "created_at", v->created_at);
	return o;
}

json_t *care_visits_json(struct http_req *req, int64_t target_id)
{
	struct care_visit_row *rows;
	size_t n = 0;
	json_t *a = json_array();
	if (store_care_visits_list(api_ctx(req)->db, &req->arena, target_id, &rows, &n) == DB_OK)
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, visit_json(&rows[i]));
	return a;
}

/* Any target that exists: the handler decides 403 (not service staff over its grid, wherever
 * it is and whatever its kind) before 404 (a restricted kind the caller may not see). */
static bool target_exists(struct http_req *req, const void *obj)
{
	(void)req;
	(void)obj;
	return true;
}

API_LOADER(any_target, "关爱对象", 0, target_exists, struct care_target_row, store_care_targets_get,
           region_code)

/* The visit's day: "visited_on" (a visit written up later), today when absent, never in the
 * future. */
static void read_visit_day(struct api_input *in, struct care_visit_row *v)
{
	const char *on = api_string(in, "visited_on", false, 10, NULL);
	int64_t today = care_day_of(time_now());
	v->visited_day = today;
	if (on && !deadline_parse_date(on, &v->visited_day))
		api_field_error(in, "visited_on", "format", "日期格式须为 YYYY-MM-DD");
	else if (on && v->visited_day > today)
		api_field_error(in, "visited_on", "range", "走访日期不能晚于今天");
}

/* "raise_case": {category, description}, or absent. */
static bool read_raise_case(struct api_input *in, const char **category, const char **description)
{
	json_t *rc = json_object_get(in->body, "raise_case");
	if (!rc || json_is_null(rc))
		return false;
	if (!json_is_object(rc)) {
		in->type_error = true;
		api_field_error(in, "raise_case", "type", "应为 {category, description}");
		return false;
	}
	struct api_input sub = {.body = rc, .errors = in->errors};
	*category = api_string(&sub, "category", true, 40, NULL);
	*description = api_string(&sub, "description", true, 2000, NULL);
	in->type_error = in->type_error || sub.type_error;
	return true;
}

/* The case raised from a visit, in the visit's transaction; false after responding. */
static bool raise_case(struct http_req *req, const struct care_target_row *t, const char *category,
                       const char *description, const char *photos, int64_t *case_id)
{
	struct api_ctx *ctx = api_ctx(req);
	struct case_report rep;
	memset(&rep, 0, sizeof rep);
	rep.category = category;
	rep.description = description;
	rep.region_code = t->region_code;
	rep.source = "patrol";
	rep.photos = photos;
	case_report_actor(ctx, &rep);
	rep.reporter_user_id = 0;
	struct case_row c;
	if (!case_report_create(req, &rep, &c))
		return false;
	*case_id = c.id;
	return true;
}

void care_visits_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct care_target_row t;
	if (!any_target_from_path(req, &t))
		return;
	if (!api_reaches(ctx, SERVICE_STAFF, t.region_code)) {
		api_problem(req, 403, "只有该网格的网格员及上级工作人员可以登记走访");
		return;
	}
	if (!care_target_seen(req, &t)) {
		api_problem(req, 404, "关爱对象不存在");
		return;
	}
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct care_visit_row v;
	memset(&v, 0, sizeof v);
	v.note = api_string(&in, "note", true, 2000, NULL);
	v.photos = api_photos_field(req, &in, "photos");
	read_visit_day(&in, &v);
	const char *category = NULL, *description = NULL;
	bool with_case = read_raise_case(&in, &category, &description);
	if (!api_input_end(req, &in))
		goto out;
	if (t.ended) {
		api_problem(req, 409, "关爱对象已结束帮扶");
		goto out;
	}
	if (with_case && !raise_case(req, &t, category, description, v.photos, &v.case_id))
		goto out;
	v.target_id = t.id;
	v.region_code = t.region_code;
	v.user_id = ctx->who.user_id;
	v.created_at = time_now();
	enum db_result r = store_care_visits_insert(ctx->db, &v);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "care_visit:%lld", (long long)v.id);
	if (v.case_id)
		ctx->audit_detail = arena_printf(&req->arena, "target=%lld case=%lld",
		                                 (long long)t.id, (long long)v.case_id);
	store_care_targets_get(ctx->db, &req->arena, t.id, &t);
	json_t *o = visit_json(&v);
	json_object_set_new(o, "target", care_target_json(&t, care_day_of(time_now())));
	api_json(req, 201, o);
out:
	api_input_free(&in);
}
