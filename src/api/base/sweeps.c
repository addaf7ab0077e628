/* /api/v1/sweeps: door-to-door sweeps (扫楼). A campaign over a region gives
 * every grid a worklist of its houses; a visit records the house's use, its
 * occupants (added, updated, moved out — through the same rules as the
 * residents API), hazards (each may open a case or a rectification item) and
 * photos, all in one transaction; progress counts houses visited per region
 * ("一户不漏") and records not verified for N days. */
#include "api/base/base.h"
#include "api/cases/cases.h"
#include "core/json.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "domain/region.h"
#include "store/platform/regions.h"
#include "store/base/sweeps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The caller reaches some part of region with a base-data role. */
static bool overlaps_scope(const struct api_ctx *ctx, const char *region)
{
	struct scopes sc;
	base_scopes(ctx, BASE_READERS, region, &sc);
	return sc.n > 0;
}

static json_t *sweep_json(const struct sweep_row *s)
{
	json_t *o = json_object();
	json_set_int(o, "id", s->id);
	json_set_str(o, "name", s->name);
	json_set_str(o, "region_code", s->region_code);
	json_set_str(o, "starts_on", s->starts_on);
	json_set_str(o, "ends_on", s->ends_on);
	json_set_str(o, "status", s->status);
	json_set_str(o, "note", s->note);
	json_set_time(o, "created_at", s->created_at);
	json_set_time(o, "updated_at", s->updated_at);
	return o;
}

/* Adds houses, visited and rate over the part of the sweep the caller sees. */
static bool add_totals(struct http_req *req, const struct sweep_row *s, json_t *o)
{
	struct api_ctx *ctx = api_ctx(req);
	struct scopes sc;
	base_scopes(ctx, BASE_READERS, s->region_code, &sc);
	int64_t houses = 0, visited = 0;
	for (int i = 0; i < sc.n; i++) {
		struct coverage_row *rows;
		size_t n;
		if (sweep_coverage(ctx->db, &req->arena, s->id, sc.prefix[i],
		                   (int)strlen(sc.prefix[i]), &rows, &n) != DB_OK)
			return false;
		for (size_t k = 0; k < n; k++) {
			houses += rows[k].houses;
			visited += rows[k].visited;
		}
	}
	json_set_int(o, "houses", houses);
	json_set_int(o, "visited", visited);
	json_object_set_new(o, "rate", json_real((double)rate_tenths(visited, houses) / 10.0));
	return true;
}

void sweeps_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct sweep_row s;
	memset(&s, 0, sizeof s);
	s.name = api_string(&in, "name", true, 100, NULL);
	s.region_code = api_string(&in, "region_code", true, 15, NULL);
	s.starts_on = api_string(&in, "starts_on", true, 10, NULL);
	s.ends_on = api_string(&in, "ends_on", true, 10, NULL);
	s.note = api_string(&in, "note", false, 500, NULL);
	if (s.starts_on && !base_valid_date(s.starts_on))
		api_field_error(&in, "starts_on", "date", "须为 YYYY-MM-DD 格式的日期");
	if (s.ends_on && !base_valid_date(s.ends_on))
		api_field_error(&in, "ends_on", "date", "须为 YYYY-MM-DD 格式的日期");
	else if (s.starts_on && s.ends_on && strcmp(s.ends_on, s.starts_on) < 0)
		api_field_error(&in, "ends_on", "range", "结束日期不能早于开始日期");
	if (s.region_code) {
		struct region_row reg;
		if (regions_get(ctx->db, &req->arena, s.region_code, &reg) != DB_ROW)
			api_field_error(&in, "region_code", "unknown", "区划不存在");
		else if (!api_reaches(ctx, BASE_MANAGERS, s.region_code))
			api_field_error(&in, "region_code", "scope", "该区划超出您的管辖范围");
	}
	if (!api_input_end(req, &in))
		goto out;
	s.status = "open";
	s.created_by = ctx->who.user_id;
	s.created_at = s.updated_at = time_now();
	enum db_result r = sweeps_insert(ctx->db, &s);
	if (r != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	ctx->audit_object = arena_printf(&req->arena, "sweep:%lld", (long long)s.id);
	json_t *o = sweep_json(&s);
	add_totals(req, &s, o);
	api_json(req, 201, o);
out:
	api_input_free(&in);
}

void sweeps_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *status = http_query(req, "status");
	if (status && *status && strcmp(status, "open") != 0 && strcmp(status, "closed") != 0) {
		api_problem(req, 400, "status 须为 open 或 closed");
		return;
	}
	/* Paged like every list (newest first, the cursor an id): a malformed limit or a cursor
	 * the server did not hand out is 400, never ignored. */
	int limit;
	int64_t before;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &before))
		return;
	struct sweep_row *rows;
	size_t n;
	enum db_result r =
	    sweeps_all(ctx->db, &req->arena, status && *status ? status : NULL, 200, &rows, &n);
	if (r != DB_OK) {
		api_store_error(req, r);
		return;
	}
	json_t *items = json_array();
	const char *next = NULL;
	int64_t last = 0;
	for (size_t i = 0; i < n; i++) {
		if ((before && rows[i].id >= before) || !overlaps_scope(ctx, rows[i].region_code))
			continue;
		if ((int)json_array_size(items) == limit) {
			next = arena_printf(&req->arena, "%lld", (long long)last);
			break;
		}
		json_t *o = sweep_json(&rows[i]);
		add_totals(req, &rows[i], o);
		json_array_append_new(items, o);
		last = rows[i].id;
	}
	api_json(req, 200, api_list(items, next));
}

static enum db_result sweep_load(struct http_req *req, int64_t id, void *out, const char **region)
{
	struct sweep_row *s = out;
	enum db_result r = sweeps_get(api_ctx(req)->db, &req->arena, id, s);
	*region = r == DB_ROW ? s->region_code : NULL;
	return r;
}

/* A sweep is seen by whoever reaches some part of its region (a grid worker sees a district's
 * sweep through their grid's worklist). */
static bool sweep_visible(struct http_req *req, const void *obj)
{
	return overlaps_scope(api_ctx(req), ((const struct sweep_row *)obj)->region_code);
}

static const struct api_loader sweep_loader = {
    .what = "扫楼行动", .roles = BASE_READERS, .load = sweep_load, .visible = sweep_visible};

static bool load_sweep(struct http_req *req, struct sweep_row *s)
{
	return api_load(req, &sweep_loader, s);
}

void sweeps_get_h(struct http_req *req)
{
	struct sweep_row s;
	if (!load_sweep(req, &s))
		return;
	json_t *o = sweep_json(&s);
	if (!add_totals(req, &s, o)) {
		json_decref(o);
		api_store_error(req, DB_ERROR);
		return;
	}
	api_json(req, 200, o);
}

void sweeps_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct sweep_row s;
	if (!load_sweep(req, &s))
		return;
	if (!api_reaches(ctx, BASE_MANAGERS, s.region_code)) {
		api_problem(req, 403, "只有发起区划的管理人员可以修改扫楼行动");
		return;
	}
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	bool has_note;
	const char *name = api_string(&in, "name", false, 100, NULL);
	const char *ends = api_string(&in, "ends_on", false, 10, NULL);
	const char *status = api_string(&in, "status", false, 10, NULL);
	const char *note = api_string(&in, "note", false, 500, &has_note);
	if (ends && (!base_valid_date(ends) || strcmp(ends, s.starts_on) < 0))
		api_field_error(&in, "ends_on", "date", "须为不早于开始日期的 YYYY-MM-DD 日期");
	if (status && strcmp(status, "open") != 0 && strcmp(status, "closed") != 0)
		api_field_error(&in, "status", "enum", "状态须为 open 或 closed");
	if (!api_input_end(req, &in))
		goto out;
	if (name)
		s.name = name;
	if (ends)
		s.ends_on = ends;
	if (status)
		s.status = status;
	if (has_note)
		s.note = note;
	s.updated_at = time_now();
	enum db_result r = sweeps_update(ctx->db, &s);
	if (r != DB_OK) {
		api_store_error(req, r);
		goto out;
	}
	ctx->audit_object = arena_printf(&req->arena, "sweep:%lld", (long long)s.id);
	json_t *o = sweep_json(&s);
	add_totals(req, &s, o);
	api_json(req, 200, o);
out:
	api_input_free(&in);
}

static json_t *visit_json(const struct visit_row *v)
{
	json_t *o = json_object();
	json_set_int(o, "id", v->id);
	json_set_int(o, "sweep_id", v->sweep_id);
	json_set_int(o, "house_id", v->house_id);
	if (v->house_label)
		json_set_str(o, "house_label", v->house_label);
	json_set_str(o, "region_code", v->region_code);
	json_set_time(o, "at", v->at);
	json_set_str(o, "outcome", v->outcome);
	json_set_str(o, "use", v->use);
	json_set_str(o, "note", v->note);
	json_set_str(o, "visitor", v->visitor);
	json_object_set_new(o, "occupants",
	                    v->occupants ? json_loads(v->occupants, 0, NULL) : json_array());
	json_object_set_new(o, "hazards",
	                    v->hazards ? json_loads(v->hazards, 0, NULL) : json_array());
	json_object_set_new(o, "photos", v->photos ? json_loads(v->photos, 0, NULL) : json_array());
	return o;
}

void sweeps_worklist_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct sweep_row s;
	if (!load_sweep(req, &s))
		return;
	const char *region;
	int limit;
	struct page_after after;
	if (!base_region_param(req, &region) || !api_limit(req, &limit) ||
	    !base_cursor(req, &after))
		return;
	const char *state = http_query(req, "state");
	if (state && strcmp(state, "all") == 0)
		state = NULL;
	else if (state && strcmp(state, "pending") != 0 && strcmp(state, "visited") != 0) {
		api_problem(req, 400, "state 须为 pending、visited 或 all");
		return;
	}
	/* The sweep's region, narrowed to the requested one and to the caller's reach. */
	const char *within = s.region_code;
	if (region && region_covers(s.region_code, region))
		within = region;
	else if (region && !region_covers(region, s.region_code)) {
		api_json(req, 200, api_list(json_array(), NULL));
		return;
	}
	struct scopes sc;
	base_scopes(ctx, BASE_READERS, within, &sc);
	struct work_item *rows;
	size_t n;
	enum db_result r =
	    sweep_worklist(ctx->db, &req->arena, s.id, &sc, state, after, limit, &rows, &n);
	if (r != DB_OK) {
		api_store_error(req, r);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = house_json(&req->arena, &rows[i].house);
		if (rows[i].visit.id) {
			json_t *v = json_object();
			json_set_int(v, "id", rows[i].visit.id);
			json_set_time(v, "at", rows[i].visit.at);
			json_set_str(v, "outcome", rows[i].visit.outcome);
			json_set_str(v, "visitor", rows[i].visit.visitor);
			json_object_set_new(o, "visit", v);
		} else {
			json_object_set_new(o, "visit", json_null());
		}
		json_array_append_new(items, o);
	}
	api_json(req, 200,
	         api_list(items,
	                  n ? base_next_cursor(&req->arena, n, limit, rows[n - 1].house.region_code,
	                                       rows[n - 1].house.id)
	                    : NULL));
}

/* One occupant entry of a visit: add, update or moved_out, through the residents rules. */
static bool visit_occupant(struct http_req *req, struct api_input *in, size_t i, json_t *occ,
                           const struct house_row *h, json_t *done)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *prefix = arena_printf(&req->arena, "occupants[%zu].", i);
	if (!json_is_object(occ)) {
		api_field_error(in, arena_printf(&req->arena, "occupants[%zu]", i), "type",
		                "应为对象");
		in->type_error = true;
		return false;
	}
	const char *action = json_string_value(json_object_get(occ, "action"));
	struct api_input sub = {.body = occ, .errors = json_array()};
	struct resident_row row;
	memset(&row, 0, sizeof row);
	bool ok = true;
	if (!action || (strcmp(action, "add") != 0 && strcmp(action, "update") != 0 &&
	                strcmp(action, "moved_out") != 0)) {
		api_field_error(&sub, "action", "enum", "须为 add、update 或 moved_out");
		ok = false;
	} else if (strcmp(action, "add") != 0) {
		json_t *rid = json_object_get(occ, "resident_id");
		if (!json_is_integer(rid) ||
		    residents_get(ctx->db, &req->arena, json_integer_value(rid), &row) != DB_ROW ||
		    row.house_id != h->id) {
			api_field_error(&sub, "resident_id", "unknown", "该房屋中没有这位居民");
			ok = false;
		}
	}
	json_t *before = NULL;
	if (ok) {
		struct resident_change ch;
		residents_read_change(&req->arena, &sub, &ch);
		if (strcmp(action, "add") == 0) {
			row.status = "active";
			ch.has_house = true;
			ch.house_id = h->id;
			if (!ch.tags_given) {
				ch.tags_given = true;
				ch.f.tags = "";
			}
		} else {
			before = resident_snapshot(&req->arena, &row);
			if (strcmp(action, "moved_out") == 0)
				ch.f.status = "moved_out";
		}
		ok = json_array_size(sub.errors) == 0 &&
		     residents_apply(api_ctx(req), &req->arena, &sub, "", &ch, &row);
	}
	if (ok) {
		row.verified_at = time_now();
		enum db_result r = residents_save(api_ctx(req), &req->arena, &row, "sweep", before);
		if (r == DB_CONSTRAINT) {
			api_field_error(&sub, "id_number", "duplicate", "该身份证号已登记");
			ok = false;
		} else if (r != DB_OK) {
			api_field_error(&sub, "resident", "store", "保存失败");
			ok = false;
		} else {
			json_t *d = json_object();
			json_set_str(d, "action", action);
			json_set_int(d, "resident_id", row.id);
			json_set_str(d, "name", row.name);
			json_array_append_new(done, d);
		}
	}
	if (before)
		json_decref(before);
	size_t k;
	json_t *e;
	json_array_foreach(sub.errors, k, e)
	{
		const char *f = json_string_value(json_object_get(e, "field"));
		api_field_error(in, arena_printf(&req->arena, "%s%s", prefix, f ? f : ""),
		                json_string_value(json_object_get(e, "code")),
		                json_string_value(json_object_get(e, "message")));
	}
	in->type_error = in->type_error || sub.type_error;
	json_decref(sub.errors);
	return ok;
}

/* One hazard: a case (through the case loop) or a rectification item, or just a note. */
static bool visit_hazard(struct http_req *req, struct api_input *in, size_t i, json_t *hz,
                         const struct house_row *h, const struct sweep_row *s, json_t *done,
                         int64_t now, bool *responded)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *f = arena_printf(&req->arena, "hazards[%zu]", i);
	const char *desc = json_string_value(json_object_get(hz, "description"));
	const char *action = json_string_value(json_object_get(hz, "action"));
	const char *category = json_string_value(json_object_get(hz, "category"));
	const char *deadline = json_string_value(json_object_get(hz, "deadline"));
	if (!json_is_object(hz) || !desc || !text_valid_utf8(desc) || !*desc ||
	    text_chars(desc) > 500) {
		api_field_error(in, arena_printf(&req->arena, "%s.description", f), "required",
		                "须填写 500 字以内的隐患描述");
		return false;
	}
	if (!action)
		action = "none";
	if (strcmp(action, "case") != 0 && strcmp(action, "rectify") != 0 &&
	    strcmp(action, "none") != 0) {
		api_field_error(in, arena_printf(&req->arena, "%s.action", f), "enum",
		                "须为 case、rectify 或 none");
		return false;
	}
	if (deadline && !base_valid_date(deadline)) {
		api_field_error(in, arena_printf(&req->arena, "%s.deadline", f), "date",
		                "须为 YYYY-MM-DD 格式的日期");
		return false;
	}
	json_t *d = json_object();
	json_set_str(d, "description", desc);
	json_set_str(d, "action", action);
	if (strcmp(action, "case") == 0) {
		struct case_report rep;
		memset(&rep, 0, sizeof rep);
		rep.category = category ? category : "safety";
		rep.description = desc;
		rep.region_code = h->region_code;
		rep.source = "patrol";
		rep.address =
		    arena_printf(&req->arena, "%s%s%s", h->building_name, h->unit, h->room);
		rep.actor = ctx->who.name;
		rep.actor_id = ctx->who.user_id;
		rep.actor_role = "grid_worker";
		struct case_row c;
		if (!cases_create(req, &rep, &c)) {
			json_decref(d);
			*responded = true;
			return false;
		}
		json_set_int(d, "case_id", c.id);
		json_set_str(d, "case_number", c.number);
	} else if (strcmp(action, "rectify") == 0) {
		struct rectification_row r;
		memset(&r, 0, sizeof r);
		r.house_id = h->id;
		r.region_code = h->region_code;
		r.sweep_id = s->id;
		r.problem = desc;
		r.status = "open";
		r.deadline = deadline;
		r.created_by = ctx->who.user_id;
		r.created_at = r.updated_at = now;
		struct rectification_event e = {.at = r.created_at,
		                                .actor_id = ctx->who.user_id,
		                                .actor = ctx->who.name,
		                                .action = "create",
		                                .to_status = "open",
		                                .comment = "扫楼发现"};
		if (rectifications_insert(ctx->db, &r) != DB_OK ||
		    (e.rectification_id = r.id, rectification_events_add(ctx->db, &e)) != DB_OK) {
			json_decref(d);
			api_store_error(req, DB_ERROR);
			*responded = true;
			return false;
		}
		json_set_int(d, "rectification_id", r.id);
	}
	json_array_append_new(done, d);
	return true;
}

void sweeps_visit_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct sweep_row s;
	if (!load_sweep(req, &s))
		return;
	if (strcmp(s.status, "open") != 0) {
		api_problem(req, 409, "该扫楼行动已结束，不能再登记走访");
		return;
	}
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	json_t *occupants_done = json_array(), *hazards_done = json_array();
	struct visit_row v;
	memset(&v, 0, sizeof v);
	int64_t house_id = 0;
	api_int(&in, "house_id", true, 1, INT64_MAX, &house_id, NULL);
	v.outcome = api_string(&in, "outcome", true, 16, NULL);
	v.use = api_string(&in, "use", false, 32, NULL);
	v.note = api_string(&in, "note", false, 1000, NULL);
	v.photos = api_photos_field(req, &in, "photos");
	if (v.outcome && strcmp(v.outcome, "visited") != 0 &&
	    strcmp(v.outcome, "nobody_home") != 0 && strcmp(v.outcome, "refused") != 0)
		api_field_error(&in, "outcome", "enum", "须为 visited、nobody_home 或 refused");
	int use = v.use ? code_lookup(house_use_codes, HOUSE_USE_COUNT, v.use) : -1;
	if (v.use && use < 0)
		api_field_error(&in, "use", "enum", "房屋用途不在代码表中");
	json_t *occs = json_object_get(in.body, "occupants");
	json_t *hazards = json_object_get(in.body, "hazards");
	if (occs && !json_is_null(occs) && (!json_is_array(occs) || json_array_size(occs) > 50))
		api_field_error(&in, "occupants", "type", "应为数组（最多 50 人）");
	if (hazards && !json_is_null(hazards) &&
	    (!json_is_array(hazards) || json_array_size(hazards) > 20))
		api_field_error(&in, "hazards", "type", "应为数组（最多 20 项）");
	struct house_row h;
	if (house_id > 0) {
		/* A house outside the caller's reach is out of scope (403) wherever it is; one the
		 * caller reaches but the sweep does not cover breaks a rule of the data (422). */
		if (houses_get(ctx->db, &req->arena, house_id, &h) != DB_ROW)
			api_field_error(&in, "house_id", "unknown", "房屋不存在");
		else if (!api_reaches(ctx, BASE_WRITERS, h.region_code))
			api_field_error(&in, "house_id", "scope", "您的角色无权登记该房屋的走访");
		else if (!region_covers(s.region_code, h.region_code))
			api_field_error(&in, "house_id", "unknown", "该房屋不在本次扫楼范围内");
	}
	bool responded = false;
	int64_t now = time_now();
	if (json_array_size(in.errors) == 0) {
		size_t i;
		json_t *x;
		for (i = 0; json_is_array(occs) && i < json_array_size(occs); i++)
			visit_occupant(req, &in, i, json_array_get(occs, i), &h, occupants_done);
		if (json_array_size(in.errors) == 0 && json_is_array(hazards))
			json_array_foreach(hazards, i, x)
			{
				if (!visit_hazard(req, &in, i, x, &h, &s, hazards_done, now,
				                  &responded) &&
				    responded)
					break;
			}
	}
	if (responded || !api_input_end(req, &in))
		goto out;
	if (strcmp(v.outcome, "visited") == 0 || use >= 0) {
		json_t *before = NULL;
		bool changed = use >= 0 && strcmp(h.use, house_use_codes[use].code) != 0;
		if (changed) {
			before = house_snapshot(&req->arena, &h);
			h.use = house_use_codes[use].code;
		}
		if (strcmp(v.outcome, "visited") == 0)
			h.verified_at = now;
		enum db_result r = changed
		                       ? houses_save(api_ctx(req), &req->arena, &h, "sweep", before)
		                       : houses_update(ctx->db, &h);
		if (before)
			json_decref(before);
		if (r != DB_OK) {
			api_store_error(req, r);
			goto out;
		}
	}
	v.sweep_id = s.id;
	v.house_id = h.id;
	v.region_code = h.region_code;
	v.visitor_id = ctx->who.user_id;
	v.visitor = ctx->who.name;
	v.at = now;
	v.use = use >= 0 ? house_use_codes[use].code : NULL;
	char *occ_text = json_to_string(occupants_done, NULL);
	char *hz_text = json_to_string(hazards_done, NULL);
	v.occupants = occ_text;
	v.hazards = hz_text;
	enum db_result r = visits_insert(ctx->db, &v);
	if (r == DB_OK)
		r = rectifications_link_visit(ctx->db, s.id, h.id, v.id, now);
	if (r == DB_OK) {
		v.house_label =
		    arena_printf(&req->arena, "%s%s%s", h.building_name, h.unit, h.room);
		ctx->audit_object = arena_printf(&req->arena, "sweep:%lld", (long long)s.id);
		ctx->audit_detail = arena_printf(&req->arena, "visit=%lld house=%lld",
		                                 (long long)v.id, (long long)h.id);
		api_json(req, 201, visit_json(&v));
	} else {
		api_store_error(req, r);
	}
	free(occ_text);
	free(hz_text);
out:
	json_decref(occupants_done);
	json_decref(hazards_done);
	api_input_free(&in);
}

void sweeps_visits_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct sweep_row s;
	if (!load_sweep(req, &s))
		return;
	int limit;
	int64_t before;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &before))
		return;
	int64_t house_id;
	if (!api_query_id(req, "house_id", &house_id))
		return;
	struct scopes sc;
	base_scopes(ctx, BASE_READERS, s.region_code, &sc);
	/* Each scope's newest visits, merged newest first, so the cursor (an id) never skips
	 * a newer visit of another scope. */
	struct visit_row *all = NULL;
	size_t nall = 0;
	for (int k = 0; k < sc.n; k++) {
		struct visit_row *rows;
		size_t n;
		enum db_result r = visits_list(ctx->db, &req->arena, s.id, house_id, sc.prefix[k],
		                               before, limit, &rows, &n);
		if (r != DB_OK) {
			api_store_error(req, r);
			return;
		}
		struct visit_row *merged =
		    arena_alloc(&req->arena, sizeof *merged * (nall + n + 1));
		size_t i = 0, j = 0, m = 0;
		while (i < nall || j < n)
			merged[m++] =
			    j >= n || (i < nall && all[i].id > rows[j].id) ? all[i++] : rows[j++];
		all = merged;
		nall = m;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < nall && (int)i < limit; i++)
		json_array_append_new(items, visit_json(&all[i]));
	const char *next = (int)nall > limit || ((int)nall == limit && limit > 0)
	                       ? arena_printf(&req->arena, "%lld", (long long)all[limit - 1].id)
	                       : NULL;
	api_json(req, 200, api_list(items, next));
}

static const char *region_name(struct http_req *req, const char *code)
{
	struct region_row reg;
	if (regions_get(api_ctx(req)->db, &req->arena, code, &reg) == DB_ROW)
		return reg.name;
	return NULL;
}

static int child_len(const char *code)
{
	size_t n = strlen(code);
	return n == 6 ? 9 : n == 9 ? 12 : 15;
}

void sweeps_progress_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct sweep_row s;
	if (!load_sweep(req, &s))
		return;
	const char *region;
	if (!base_region_param(req, &region))
		return;
	int64_t stale_days = 90;
	if (!api_query_int(req, "stale_days", 1, 3650, &stale_days, NULL))
		return;
	/* The region shown: the one asked for, else the sweep's, narrowed to the caller. */
	const char *within = region ? region : s.region_code;
	if (!region_covers(s.region_code, within) && !region_covers(within, s.region_code)) {
		api_problem(req, 404, "该区划不在本次扫楼范围内");
		return;
	}
	if (region_covers(within, s.region_code))
		within = s.region_code;
	struct scopes sc;
	base_scopes(ctx, BASE_READERS, within, &sc);
	if (sc.n == 0) {
		api_problem(req, 404, "该区划不在您的管辖范围内");
		return;
	}
	if (sc.n == 1)
		within = sc.prefix[0];
	json_t *items = json_array();
	int64_t houses = 0, visited = 0, stale_r = 0, stale_h = 0;
	int64_t cutoff = time_now() - (int64_t)stale_days * 86400;
	for (int k = 0; k < sc.n; k++) {
		const char *p = sc.prefix[k];
		int glen = sc.n == 1 ? child_len(p) : (int)strlen(p);
		if (glen > 15)
			glen = 15;
		struct coverage_row *rows;
		size_t n;
		int64_t sr = 0, sh = 0;
		if (sweep_coverage(ctx->db, &req->arena, s.id, p, glen, &rows, &n) != DB_OK ||
		    stale_counts(ctx->db, p, cutoff, &sr, &sh) != DB_OK) {
			json_decref(items);
			api_store_error(req, DB_ERROR);
			return;
		}
		stale_r += sr;
		stale_h += sh;
		for (size_t i = 0; i < n; i++) {
			houses += rows[i].houses;
			visited += rows[i].visited;
			json_t *o = json_object();
			json_set_str(o, "region_code", rows[i].region_code);
			json_set_str(o, "name", region_name(req, rows[i].region_code));
			json_set_str(o, "level",
			             region_level_code(region_level_of(rows[i].region_code)));
			json_set_int(o, "houses", rows[i].houses);
			json_set_int(o, "visited", rows[i].visited);
			json_set_int(o, "never_visited", rows[i].houses - rows[i].visited);
			json_object_set_new(
			    o, "rate",
			    json_real((double)rate_tenths(rows[i].visited, rows[i].houses) / 10.0));
			json_array_append_new(items, o);
		}
	}
	json_t *totals = json_object();
	json_set_int(totals, "houses", houses);
	json_set_int(totals, "visited", visited);
	json_set_int(totals, "never_visited", houses - visited);
	json_object_set_new(totals, "rate", json_real((double)rate_tenths(visited, houses) / 10.0));
	json_set_int(totals, "stale_residents", stale_r);
	json_set_int(totals, "stale_houses", stale_h);
	json_set_int(totals, "stale_days", stale_days);
	json_t *o = json_object();
	json_set_int(o, "sweep_id", s.id);
	json_set_str(o, "region_code", within);
	json_set_str(o, "region_name", region_name(req, within));
	json_object_set_new(o, "totals", totals);
	json_object_set_new(o, "items", items);
	api_json(req, 200, o);
}
