/* /api/v1/sweeps/{id}/visits: the door-to-door visits of a sweep (扫楼). A visit is one
 * transaction: occupants are added, changed or moved out through base_resident_apply()
 * (versioned as "sweep"), hazards become cases through the case loop (case_report_create()) or
 * rectification items, and the house's use and verified_at are updated; any error rolls
 * all of it back. */
#include "api/base/base.h"
#include "api/cases/cases.h"
#include "core/json.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "domain/region.h"
#include "store/base/sweeps.h"

#include <stdlib.h>
#include <string.h>

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

/* Copies an entry's field errors into the visit's, under prefix ("occupants[2]."). */
static void entry_errors(struct http_req *req, struct api_input *in, const char *prefix,
                         const struct api_input *sub)
{
	size_t k;
	json_t *e;
	json_array_foreach(sub->errors, k, e)
	{
		const char *f = json_string_value(json_object_get(e, "field"));
		api_field_error(in, arena_printf(&req->arena, "%s%s", prefix, f ? f : ""),
		                json_string_value(json_object_get(e, "code")),
		                json_string_value(json_object_get(e, "message")));
	}
	in->type_error = in->type_error || sub->type_error;
}

/* The resident an occupant entry names: none for add, else one living in house h. */
static bool occupant_target(struct api_ctx *ctx, struct arena *a, struct api_input *sub,
                            json_t *occ, const char *action, const struct house_row *h,
                            struct resident_row *row)
{
	memset(row, 0, sizeof *row);
	if (!action || (strcmp(action, "add") != 0 && strcmp(action, "update") != 0 &&
	                strcmp(action, "moved_out") != 0)) {
		api_field_error(sub, "action", "enum", "须为 add、update 或 moved_out");
		return false;
	}
	if (strcmp(action, "add") == 0)
		return true;
	json_t *rid = json_object_get(occ, "resident_id");
	if (!json_is_integer(rid) ||
	    store_residents_get(ctx->db, a, json_integer_value(rid), row) != DB_ROW ||
	    row->house_id != h->id) {
		api_field_error(sub, "resident_id", "unknown", "该房屋中没有这位居民");
		return false;
	}
	return true;
}

/* Saves an occupant's change and notes it in done. */
static bool occupant_save(struct api_ctx *ctx, struct arena *a, struct api_input *sub,
                          const char *action, struct resident_row *row, json_t *before,
                          json_t *done)
{
	row->verified_at = time_now();
	enum db_result r = base_resident_save(ctx, a, row, "sweep", before);
	if (r == DB_CONSTRAINT) {
		api_field_error(sub, "id_number", "duplicate", "该身份证号已登记");
		return false;
	}
	if (r != DB_OK) {
		api_field_error(sub, "resident", "store", "保存失败");
		return false;
	}
	json_t *d = json_object();
	json_set_str(d, "action", action);
	json_set_int(d, "resident_id", row->id);
	json_set_str(d, "name", row->name);
	json_array_append_new(done, d);
	return true;
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
	bool ok = occupant_target(ctx, &req->arena, &sub, occ, action, h, &row);
	json_t *before = NULL;
	if (ok) {
		struct resident_change ch;
		base_resident_read(&req->arena, &sub, &ch);
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
		     base_resident_apply(ctx, &req->arena, &sub, "", &ch, &row) &&
		     occupant_save(ctx, &req->arena, &sub, action, &row, before, done);
	}
	if (before)
		json_decref(before);
	entry_errors(req, in, prefix, &sub);
	json_decref(sub.errors);
	return ok;
}

/* A hazard reported as a case, through the case loop; false after it responded. */
static bool hazard_case(struct http_req *req, const struct house_row *h, const char *desc,
                        const char *category, json_t *d)
{
	struct api_ctx *ctx = api_ctx(req);
	struct case_report rep;
	memset(&rep, 0, sizeof rep);
	rep.category = category ? category : "safety";
	rep.description = desc;
	rep.region_code = h->region_code;
	rep.source = "patrol";
	rep.address = arena_printf(&req->arena, "%s%s%s", h->building_name, h->unit, h->room);
	rep.building_id = h->building_id;
	rep.actor = ctx->who.name;
	rep.actor_id = ctx->who.user_id;
	rep.actor_role = "grid_worker";
	struct case_row c;
	if (!case_report_create(req, &rep, &c))
		return false;
	json_set_int(d, "case_id", c.id);
	json_set_str(d, "case_number", c.number);
	return true;
}

/* A hazard made a rectification item of the sweep, with its first event. */
static enum db_result hazard_rectify(struct api_ctx *ctx, const struct house_row *h,
                                     const struct sweep_row *s, const char *desc,
                                     const char *deadline, int64_t now, json_t *d)
{
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
	if (store_rectifications_insert(ctx->db, &r) != DB_OK ||
	    (e.rectification_id = r.id, store_rectification_events_add(ctx->db, &e)) != DB_OK)
		return DB_ERROR;
	json_set_int(d, "rectification_id", r.id);
	return DB_OK;
}

/* One hazard: a case (through the case loop) or a rectification item, or just a note. */
static bool visit_hazard(struct http_req *req, struct api_input *in, size_t i, json_t *hz,
                         const struct house_row *h, const struct sweep_row *s, json_t *done,
                         int64_t now, bool *responded)
{
	const char *f = arena_printf(&req->arena, "hazards[%zu]", i);
	const char *desc = json_string_value(json_object_get(hz, "description"));
	const char *action = json_string_value(json_object_get(hz, "action"));
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
	bool ok = true;
	if (strcmp(action, "case") == 0)
		ok = hazard_case(req, h, desc, json_string_value(json_object_get(hz, "category")),
		                 d);
	else if (strcmp(action, "rectify") == 0 &&
	         hazard_rectify(api_ctx(req), h, s, desc, deadline, now, d) != DB_OK) {
		api_store_error(req, DB_ERROR);
		ok = false;
	}
	if (!ok) {
		json_decref(d);
		*responded = true;
		return false;
	}
	json_array_append_new(done, d);
	return true;
}

/* The visit's own fields (house, outcome, use, note, photos) and the shapes of its occupants
 * and hazards; *use is the house use's index, -1 when not given. */
static void visit_read(struct http_req *req, struct api_input *in, struct visit_row *v,
                       int64_t *house_id, int *use)
{
	memset(v, 0, sizeof *v);
	*house_id = 0;
	api_int(in, "house_id", true, 1, INT64_MAX, house_id, NULL);
	v->outcome = api_string(in, "outcome", true, 16, NULL);
	v->use = api_string(in, "use", false, 32, NULL);
	v->note = api_string(in, "note", false, 1000, NULL);
	v->photos = api_photos_field(req, in, "photos");
	if (v->outcome && strcmp(v->outcome, "visited") != 0 &&
	    strcmp(v->outcome, "nobody_home") != 0 && strcmp(v->outcome, "refused") != 0)
		api_field_error(in, "outcome", "enum", "须为 visited、nobody_home 或 refused");
	*use = v->use ? code_lookup(house_use_codes, HOUSE_USE_COUNT, v->use) : -1;
	if (v->use && *use < 0)
		api_field_error(in, "use", "enum", "房屋用途不在代码表中");
	json_t *occs = json_object_get(in->body, "occupants");
	json_t *hazards = json_object_get(in->body, "hazards");
	if (occs && !json_is_null(occs) && (!json_is_array(occs) || json_array_size(occs) > 50))
		api_field_error(in, "occupants", "type", "应为数组（最多 50 人）");
	if (hazards && !json_is_null(hazards) &&
	    (!json_is_array(hazards) || json_array_size(hazards) > 20))
		api_field_error(in, "hazards", "type", "应为数组（最多 20 项）");
}

/* The visited house: one the caller reaches (else 403 wherever it is) that the sweep covers
 * (else a rule of the data, 422). */
static void visit_house(struct http_req *req, struct api_input *in, const struct sweep_row *s,
                        int64_t house_id, struct house_row *h)
{
	struct api_ctx *ctx = api_ctx(req);
	if (house_id <= 0)
		return;
	if (store_houses_get(ctx->db, &req->arena, house_id, h) != DB_ROW)
		api_field_error(in, "house_id", "unknown", "房屋不存在");
	else if (!api_reaches(ctx, BASE_WRITERS, h->region_code))
		api_field_error(in, "house_id", "scope", "您的角色无权登记该房屋的走访");
	else if (!region_covers(s->region_code, h->region_code))
		api_field_error(in, "house_id", "unknown", "该房屋不在本次扫楼范围内");
}

/* The versions the occupant changes were based on (optional "version" of an update or a
 * moved_out entry: the resident's version the client loaded), all checked before anything is
 * written: a resident of this house changed by someone else since → 409 version_conflict naming
 * occupants[i].version, with the resident as it is now. False after responding. */
static bool visit_versions(struct http_req *req, struct api_input *in, const struct house_row *h)
{
	struct api_ctx *ctx = api_ctx(req);
	json_t *occs = json_object_get(in->body, "occupants");
	for (size_t i = 0; json_is_array(occs) && i < json_array_size(occs); i++) {
		json_t *occ = json_array_get(occs, i);
		json_t *ver = json_object_get(occ, "version");
		const char *action = json_string_value(json_object_get(occ, "action"));
		if (!ver || json_is_null(ver) || !action || strcmp(action, "add") == 0)
			continue;
		const char *field = arena_printf(&req->arena, "occupants[%zu].version", i);
		if (!json_is_integer(ver) || json_integer_value(ver) < 0) {
			in->type_error = true;
			api_field_error(in, field, "type", "应为记录的版本（非负整数）");
			continue;
		}
		json_t *rid = json_object_get(occ, "resident_id");
		struct resident_row row;
		if (!json_is_integer(rid) ||
		    store_residents_get(ctx->db, &req->arena, json_integer_value(rid), &row) !=
		        DB_ROW ||
		    row.house_id != h->id || row.version == json_integer_value(ver))
			continue; /* an unknown resident is visit_occupant's to name */
		api_version_conflict(req, row.version, resident_json(ctx, &req->arena, &row, false),
		                     field);
		return false;
	}
	return true;
}

/* Occupants, then hazards; false when a hazard already responded. */
static bool visit_entries(struct http_req *req, struct api_input *in, const struct sweep_row *s,
                          const struct house_row *h, json_t *occupants_done, json_t *hazards_done,
                          int64_t now)
{
	json_t *occs = json_object_get(in->body, "occupants");
	json_t *hazards = json_object_get(in->body, "hazards");
	for (size_t i = 0; json_is_array(occs) && i < json_array_size(occs); i++)
		visit_occupant(req, in, i, json_array_get(occs, i), h, occupants_done);
	if (json_array_size(in->errors) != 0 || !json_is_array(hazards))
		return true;
	bool responded = false;
	for (size_t i = 0; i < json_array_size(hazards); i++)
		if (!visit_hazard(req, in, i, json_array_get(hazards, i), h, s, hazards_done, now,
		                  &responded) &&
		    responded)
			return false;
	return true;
}

/* A visit confirms the house (visited) and may change its use (versioned when it does). */
static enum db_result visit_touch_house(struct api_ctx *ctx, struct arena *a, struct house_row *h,
                                        const char *outcome, int use, int64_t now)
{
	if (strcmp(outcome, "visited") != 0 && use < 0)
		return DB_OK;
	json_t *before = NULL;
	bool changed = use >= 0 && strcmp(h->use, house_use_codes[use].code) != 0;
	if (changed) {
		before = house_snapshot(a, h);
		h->use = house_use_codes[use].code;
	}
	if (strcmp(outcome, "visited") == 0)
		h->verified_at = now;
	enum db_result r =
	    changed ? base_house_save(ctx, a, h, "sweep", before) : store_houses_update(ctx->db, h);
	if (before)
		json_decref(before);
	return r;
}

/* Records the visit with what it did and links the sweep's items of the house to it. */
static enum db_result visit_record(struct api_ctx *ctx, struct visit_row *v,
                                   const struct sweep_row *s, const struct house_row *h, int use,
                                   json_t *occupants_done, json_t *hazards_done, int64_t now)
{
	v->sweep_id = s->id;
	v->house_id = h->id;
	v->region_code = h->region_code;
	v->visitor_id = ctx->who.user_id;
	v->visitor = ctx->who.name;
	v->at = now;
	v->use = use >= 0 ? house_use_codes[use].code : NULL;
	/* malloc'd text, the caller's to free */
	v->occupants = json_to_string(occupants_done, NULL);
	v->hazards = json_to_string(hazards_done, NULL);
	enum db_result r = store_visits_insert(ctx->db, v);
	if (r == DB_OK)
		r = store_rectifications_link_visit(ctx->db, s->id, h->id, v->id, now);
	return r;
}

void sweeps_visit_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct sweep_row s;
	if (!base_sweep_load(req, &s))
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
	int64_t house_id;
	int use;
	visit_read(req, &in, &v, &house_id, &use);
	struct house_row h;
	memset(&h, 0, sizeof h);
	visit_house(req, &in, &s, house_id, &h);
	int64_t now = time_now();
	if (json_array_size(in.errors) == 0 &&
	    (!visit_versions(req, &in, &h) ||
	     (json_array_size(in.errors) == 0 &&
	      !visit_entries(req, &in, &s, &h, occupants_done, hazards_done, now))))
		goto out;
	if (!api_input_end(req, &in))
		goto out;
	enum db_result r = visit_touch_house(ctx, &req->arena, &h, v.outcome, use, now);
	if (!api_stored(req, r))
		goto out;
	r = visit_record(ctx, &v, &s, &h, use, occupants_done, hazards_done, now);
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
	free((char *)v.occupants);
	free((char *)v.hazards);
out:
	json_decref(occupants_done);
	json_decref(hazards_done);
	api_input_free(&in);
}

void sweeps_visits_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct sweep_row s;
	if (!base_sweep_load(req, &s))
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
		enum db_result r = store_visits_list(ctx->db, &req->arena, s.id, house_id,
		                                     sc.prefix[k], before, limit, &rows, &n);
		if (!api_stored(req, r))
			return;
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
