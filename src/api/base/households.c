/* /api/v1/households: the households (户) living in a house, with their head (户主), who
 * must be a member or live in the house; every change is versioned. */
#include "api/base/base.h"
#include "core/json.h"
#include "core/timeutil.h"

#include <string.h>

json_t *household_json(const struct household_row *h)
{
	json_t *o = json_object();
	json_set_int(o, "id", h->id);
	json_set_str(o, "region_code", h->region_code);
	if (h->house_id)
		json_set_int(o, "house_id", h->house_id);
	else
		json_object_set_new(o, "house_id", json_null());
	json_set_str(o, "number", h->number);
	if (h->head_id)
		json_set_int(o, "head_id", h->head_id);
	else
		json_object_set_new(o, "head_id", json_null());
	json_set_time(o, "updated_at", h->updated_at);
	return o;
}

json_t *household_snapshot(const struct household_row *h)
{
	json_t *o = household_json(h);
	json_object_del(o, "updated_at");
	return o;
}

/* head_id names an active resident of the same grid the caller reaches who is a member of
 * the household or lives in its house; *head is that resident. A resident of the house who is
 * not yet a member becomes one with the head (join_household), in the same transaction. */
static bool check_head(struct http_req *req, struct api_input *in, int64_t head_id,
                       const struct household_row *hh, struct resident_row *head)
{
	struct api_ctx *ctx = api_ctx(req);
	if (store_residents_get(ctx->db, &req->arena, head_id, head) != DB_ROW ||
	    !api_reaches(ctx, BASE_READERS, head->region_code) ||
	    strcmp(head->region_code, hh->region_code) != 0) {
		api_field_error(in, "head_id", "unknown", "户主须为本网格的居民");
		return false;
	}
	bool member = hh->id && head->household_id == hh->id;
	bool housemate = hh->house_id && head->house_id == hh->house_id;
	if (strcmp(head->status, "active") != 0 || !(member || housemate)) {
		api_field_error(in, "head_id", "not_member",
		                "户主须为本户成员或居住在本户房屋的在册居民");
		return false;
	}
	return true;
}

/* The new head becomes a member of the household with the relation 户主 (a versioned change of
 * the resident, when there is one to make); a former head of the same household who is still
 * recorded as 户主 loses that relation (their relation to the new head is not known). */
static enum db_result make_head(struct http_req *req, struct resident_row *head,
                                int64_t household_id, int64_t old_head_id)
{
	struct api_ctx *ctx = api_ctx(req);
	enum db_result r = DB_OK;
	struct resident_row old;
	if (old_head_id && old_head_id != head->id &&
	    store_residents_get(ctx->db, &req->arena, old_head_id, &old) == DB_ROW &&
	    old.household_id == household_id && old.relation && strcmp(old.relation, "head") == 0) {
		json_t *before = resident_snapshot(&req->arena, &old);
		old.relation = NULL;
		r = base_resident_save(ctx, &req->arena, &old, "update", before);
		json_decref(before);
	}
	bool is_head = head->relation && strcmp(head->relation, "head") == 0;
	if (r != DB_OK || (head->household_id == household_id && is_head))
		return r;
	/* Leaving a household they headed leaves it without a head, not with an outsider. */
	struct household_row left;
	if (head->household_id && head->household_id != household_id &&
	    store_households_get(ctx->db, &req->arena, head->household_id, &left) == DB_ROW &&
	    left.head_id == head->id) {
		json_t *was = household_snapshot(&left);
		left.head_id = 0;
		left.updated_at = time_now();
		r = store_households_update(ctx->db, &left);
		if (r == DB_OK)
			r = base_version_consume(ctx, "household", left.id, "update", was,
			                         household_snapshot(&left));
		else
			json_decref(was);
		if (r != DB_OK)
			return r;
	}
	json_t *before = resident_snapshot(&req->arena, head);
	head->household_id = household_id;
	head->relation = "head";
	r = base_resident_save(ctx, &req->arena, head, "update", before);
	json_decref(before);
	return r;
}

void households_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct household_row hh;
	struct resident_row head;
	memset(&hh, 0, sizeof hh);
	api_int(&in, "house_id", true, 1, INT64_MAX, &hh.house_id, NULL);
	hh.number = api_string(&in, "number", false, 32, NULL);
	api_int(&in, "head_id", false, 1, INT64_MAX, &hh.head_id, NULL);
	struct house_row h;
	if (hh.house_id > 0) {
		if (store_houses_get(ctx->db, &req->arena, hh.house_id, &h) != DB_ROW)
			api_field_error(&in, "house_id", "unknown", "房屋不存在");
		else if (!api_reaches(ctx, BASE_WRITERS, h.region_code))
			api_field_error(&in, "house_id", "scope", "该房屋超出您的管辖范围");
		else {
			hh.region_code = h.region_code;
			if (hh.head_id)
				check_head(req, &in, hh.head_id, &hh, &head);
		}
	}
	if (!api_input_end(req, &in))
		goto out;
	hh.created_at = hh.updated_at = time_now();
	enum db_result r = store_households_insert(ctx->db, &hh);
	if (r == DB_OK && hh.head_id)
		r = make_head(req, &head, hh.id, 0);
	if (r == DB_OK)
		r = base_version_consume(ctx, "household", hh.id, "create", NULL,
		                         household_snapshot(&hh));
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "household:%lld", (long long)hh.id);
	api_json(req, 201, household_json(&hh));
out:
	api_input_free(&in);
}

API_LOADER(household, "户", BASE_READERS, NULL, struct household_row, store_households_get,
           region_code)

void households_get_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct household_row hh;
	if (!household_from_path(req, &hh))
		return;
	json_t *o = household_json(&hh);
	struct resident_filter f;
	memset(&f, 0, sizeof f);
	f.scopes.n = 1;
	f.scopes.prefix[0] = hh.region_code;
	f.household_id = hh.id;
	f.limit = 200;
	struct resident_row *rows;
	size_t n;
	if (store_residents_list(ctx->db, &req->arena, &f, &rows, &n) != DB_OK) {
		json_decref(o);
		api_store_error(req, DB_ERROR);
		return;
	}
	json_t *members = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(members, resident_json(ctx, &req->arena, &rows[i], false));
	json_object_set_new(o, "members", members);
	api_json(req, 200, o);
}

void households_history_h(struct http_req *req)
{
	struct household_row hh;
	if (!household_from_path(req, &hh))
		return;
	base_history_respond(req, "household", hh.id, household_snapshot(&hh));
}

void households_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct household_row hh;
	if (!household_from_path(req, &hh))
		return;
	struct api_input in;
	if (!api_write_begin(req, BASE_WRITERS, hh.region_code, "您的角色无权修改该户", &in))
		return;
	bool has_number, has_head;
	const char *number = api_string(&in, "number", false, 32, &has_number);
	int64_t head = 0;
	api_int(&in, "head_id", false, 0, INT64_MAX, &head, &has_head);
	struct resident_row head_row;
	if (has_head && head > 0)
		check_head(req, &in, head, &hh, &head_row);
	if (!api_input_end(req, &in))
		goto out;
	json_t *before = household_snapshot(&hh);
	int64_t old_head = hh.head_id;
	if (has_number)
		hh.number = number;
	if (has_head)
		hh.head_id = head;
	hh.updated_at = time_now();
	enum db_result r = store_households_update(ctx->db, &hh);
	if (r == DB_OK && has_head && head > 0)
		r = make_head(req, &head_row, hh.id, old_head);
	if (r == DB_OK)
		r = base_version_consume(ctx, "household", hh.id, "update", before,
		                         household_snapshot(&hh));
	else
		json_decref(before);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "household:%lld", (long long)hh.id);
	api_json(req, 200, household_json(&hh));
out:
	api_input_free(&in);
}
