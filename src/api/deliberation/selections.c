/* Selections (评选: 最美家庭, 文明楼栋): managers make a topic a selection with a number of places
 * (seats); while the topic is in discussion (民议) residents of its community and staff
 * nominate (提名) a household, a building of the community or a free-text name, with a reason;
 * staff accept or decline each nomination; the topic's ballot is then opened over the accepted
 * ones (ballots.c) and each voter chooses up to seats of them; the count and who is elected
 * (domain/selection.c, a tie at the last place reported, never broken) are frozen at close.
 * A nominated household is shown everywhere only by its label "3栋201 张**家". */
#include "api/deliberation/deliberation.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/selection.h"

#include <string.h>

static bool nomination_seen(struct http_req *req, const void *obj)
{
	const struct nomination_row *n = obj;
	struct topic_row t = {.region_code = n->region_code};
	return delib_topic_seen(req, &t);
}

API_LOADER(nomination, "提名", 0, nomination_seen, struct nomination_row, store_nominations_get,
           region_code)

static json_t *nomination_json(struct http_req *req, const struct nomination_row *n, bool staff)
{
	json_t *o = json_object();
	json_set_int(o, "id", n->id);
	json_set_int(o, "topic_id", n->topic_id);
	json_set_str(o, "nominee_kind", n->nominee_kind);
	/* Ids of the nominee only for staff; residents see the label. */
	if (staff && n->household_id)
		json_set_int(o, "household_id", n->household_id);
	if (staff && n->building_id)
		json_set_int(o, "building_id", n->building_id);
	/* A resident learns a household's label ("3栋201 张**家") only once staff accepted it, so
	 * that nominating ids one by one maps no household to its surname. */
	bool hide = !staff && strcmp(n->nominee_kind, "household") == 0 &&
	            strcmp(n->status, "accepted") != 0;
	json_set_str(o, "label", hide ? NULL : n->label);
	json_set_str(o, "reason", n->reason);
	json_set_str(o, "status", n->status);
	json_set_str(o, "review_note", n->review_note);
	json_set_bool(o, "mine", n->nominated_by && n->nominated_by == api_ctx(req)->who.user_id);
	json_set_time(o, "created_at", n->created_at);
	return o;
}

void topic_selection_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_row t;
	if (!delib_topic_from_path(req, &t))
		return;
	struct api_input in;
	if (!api_write_begin(req, DELIB_MANAGERS, t.region_code, "您不能为此议题设置评选", &in))
		return;
	int64_t seats = 0;
	api_int(&in, "seats", true, 1, SELECTION_MAX_SEATS, &seats, NULL);
	if (!api_input_end(req, &in))
		goto out;
	enum topic_stage s = TSTAGE_COUNT;
	topic_stage_parse(t.stage, &s);
	int64_t had = 0;
	struct ballot_row last;
	enum db_result r = store_selection_seats(ctx->db, t.id, &had);
	if (r == DB_ROW) {
		api_problem(req, 409, "该议题已是评选");
		goto out;
	}
	if (r == DB_DONE)
		r = delib_latest_ballot(ctx->db, &req->arena, t.id, &last);
	if (r == DB_ROW || topic_stage_final(s)) {
		api_problem(req, 409, "已有表决或已结束的议题不能改为评选");
		goto out;
	}
	int64_t now = time_now();
	if (r == DB_DONE)
		r = store_selection_insert(ctx->db, t.id, seats, ctx->who.user_id, now);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "topic:%lld", (long long)t.id);
	ctx->audit_detail = arena_printf(&req->arena, "seats:%lld", (long long)seats);
	json_t *o = json_object();
	json_set_int(o, "topic_id", t.id);
	json_set_int(o, "seats", seats);
	api_json(req, 201, o);
out:
	api_input_free(&in);
}

void topic_nominations_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_row t;
	if (!delib_topic_from_path(req, &t))
		return;
	int64_t seats = 0;
	enum db_result r = store_selection_seats(ctx->db, t.id, &seats);
	if (r == DB_DONE) {
		api_problem(req, 404, "该议题不是评选");
		return;
	}
	if (!api_stored(req, r == DB_ROW ? DB_OK : r))
		return;
	bool staff = api_reaches(ctx, DELIB_READERS, t.region_code);
	struct nomination_row *rows;
	size_t n;
	r = store_nominations_of_topic(ctx->db, &req->arena, t.id, NULL, &rows, &n);
	if (!api_stored(req, r))
		return;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		bool mine = rows[i].nominated_by && rows[i].nominated_by == ctx->who.user_id;
		/* Residents see the accepted nominations and their own. */
		if (staff || mine || strcmp(rows[i].status, "accepted") == 0)
			json_array_append_new(items, nomination_json(req, &rows[i], staff));
	}
	json_t *o = json_object();
	json_set_int(o, "topic_id", t.id);
	json_set_int(o, "seats", seats);
	json_object_set_new(o, "items", items);
	api_json(req, 200, o);
}

/* Whether the topic takes nominations now (answered 409 when not): it is a selection in its
 * discussion stage and no ballot has opened. */
static bool nominations_open(struct http_req *req, const struct topic_row *t)
{
	struct db *db = api_ctx(req)->db;
	int64_t seats = 0;
	enum db_result r = store_selection_seats(db, t->id, &seats);
	if (r == DB_DONE) {
		api_problem(req, 409, "该议题不是评选");
		return false;
	}
	if (!api_stored(req, r == DB_ROW ? DB_OK : r))
		return false;
	enum topic_stage s = TSTAGE_COUNT;
	topic_stage_parse(t->stage, &s);
	struct ballot_row last;
	r = delib_latest_ballot(db, &req->arena, t->id, &last);
	if (!topic_stage_comments(s) || r == DB_ROW) {
		api_problem(req, 409, "只能在议事阶段、投票开始前提名");
		return false;
	}
	if (r != DB_DONE) {
		api_store_error(req, r);
		return false;
	}
	return true;
}

/* The nominee's kind and label (a household as "1号楼1单元-101 杨**家"), and that it lies in
 * the topic's region: one outside it is as unknown as a missing one (answered 422). */
static bool nominee_of(struct http_req *req, const struct topic_row *t, const char *name,
                       struct nomination_row *n, char *label, size_t size)
{
	struct db *db = api_ctx(req)->db;
	const char *region = NULL;
	enum db_result r = DB_ROW;
	if (n->household_id) {
		struct household_place p;
		r = store_household_place(db, &req->arena, n->household_id, &p);
		region = r == DB_ROW ? p.region_code : NULL;
		if (region)
			selection_household_label(p.building, p.unit, p.room, p.head_name, label,
			                          size);
		n->nominee_kind = "household";
	} else if (n->building_id) {
		const char *bname = NULL;
		r = store_building_place(db, &req->arena, n->building_id, &region, &bname);
		if (r == DB_ROW)
			snprintf(label, size, "%s", bname ? bname : "");
		n->nominee_kind = "building";
	} else {
		region = t->region_code;
		snprintf(label, size, "%s", name);
		n->nominee_kind = "name";
	}
	if (r != DB_ROW && r != DB_DONE) {
		api_store_error(req, r);
		return false;
	}
	if (!region || strncmp(region, t->region_code, strlen(t->region_code)) != 0) {
		bool hh = n->household_id != 0;
		api_field_problem(req, hh ? "household_id" : "building_id", "not_found",
		                  hh ? "本社区没有这一户" : "本社区没有这栋楼");
		return false;
	}
	n->label = label;
	return true;
}

void topic_nominations_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_row t;
	if (!delib_topic_from_path(req, &t))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct nomination_row n = {.topic_id = t.id, .region_code = t.region_code};
	bool has_hh = false, has_b = false;
	api_int(&in, "household_id", false, 1, INT64_MAX, &n.household_id, &has_hh);
	api_int(&in, "building_id", false, 1, INT64_MAX, &n.building_id, &has_b);
	const char *name = api_string(&in, "name", false, 40, NULL);
	n.reason = api_string(&in, "reason", true, 500, NULL);
	if ((int)has_hh + (int)has_b + (int)(name != NULL) != 1)
		api_field_error(
		    &in, "household_id", "required",
		    "须且只能提名一户、一栋楼或一个名称（household_id、building_id 或 name）");
	bool staff = api_reaches(ctx, DELIB_STAFF, t.region_code);
	if (!staff && !(api_roles(ctx) & ROLE_BIT(ROLE_RESIDENT)))
		api_field_error(&in, "household_id", "scope", "您不能为此评选提名");
	char label[256];
	if (!api_input_end(req, &in) || !nominations_open(req, &t) ||
	    !nominee_of(req, &t, name, &n, label, sizeof label))
		goto out;
	bool dup = false;
	enum db_result r;
	if (!name &&
	    (r = store_nomination_exists(ctx->db, t.id, n.nominee_kind,
	                                 has_hh ? n.household_id : n.building_id, &dup)) != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	if (dup) {
		api_problem(req, 409, "已被提名");
		goto out;
	}
	n.nominated_by = ctx->who.user_id;
	n.created_at = time_now();
	if (!api_stored(req, store_nominations_insert(ctx->db, &n)))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "topic_nomination:%lld", (long long)n.id);
	ctx->audit_detail = arena_printf(&req->arena, "topic:%lld", (long long)t.id);
	store_nominations_get(ctx->db, &req->arena, n.id, &n);
	api_json(req, 201, nomination_json(req, &n, staff));
out:
	api_input_free(&in);
}

void topic_nominations_review_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct nomination_row n;
	if (!nomination_from_path(req, &n))
		return;
	struct api_input in;
	if (!api_write_begin(req, DELIB_STAFF, n.region_code, "您不能审核此提名", &in))
		return;
	const char *decision = api_string(&in, "decision", true, 20, NULL);
	const char *note = api_string(&in, "note", false, 500, NULL);
	if (decision && strcmp(decision, "accepted") != 0 && strcmp(decision, "declined") != 0)
		api_field_error(&in, "decision", "invalid", "decision 须为 accepted 或 declined");
	if (!api_input_end(req, &in))
		goto out;
	struct ballot_row b;
	enum db_result r = delib_latest_ballot(ctx->db, &req->arena, n.topic_id, &b);
	if (r == DB_ROW) {
		api_problem(req, 409, "评选已开始投票，不能再审核提名");
		goto out;
	}
	if (r == DB_DONE)
		r = store_nomination_review(ctx->db, n.id, decision, note, ctx->who.user_id,
		                            time_now());
	if (r == DB_DONE) {
		api_problem(req, 409, "该提名已审核");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "topic_nomination:%lld", (long long)n.id);
	ctx->audit_detail = arena_printf(&req->arena, "%s", decision);
	store_nominations_get(ctx->db, &req->arena, n.id, &n);
	api_json(req, 200, nomination_json(req, &n, true));
out:
	api_input_free(&in);
}
