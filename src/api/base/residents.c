/* /api/v1/residents: people (实有人口) with their ID numbers and phones sealed
 * at rest, found by blind index, masked in every response unless a role that
 * may see them asks to reveal — and then the reveal is audited. Special-care
 * tags are sealed too and shown only to community staff and above. */
#include "api/base/base.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/seal.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "store/platform/regions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *tags_array(const char *list)
{
	json_t *arr = json_array();
	uint32_t bits = 0;
	if (list && *list)
		tags_parse_list(list, &bits, NULL, 0);
	for (int i = 0; i < TAG_COUNT; i++)
		if (bits & (1u << i))
			json_array_append_new(arr, json_string(tag_defs[i].code));
	return arr;
}

/* The birth date in full only for a reveal (opened from its seal) or where this request
 * derived it from an ID number it was given (the caller has just typed it); else the year
 * alone, "1987-**-**" (see mask_birth_date for why). */
const char *resident_birth_text(struct arena *a, const struct resident_row *r, bool reveal)
{
	const char *full = r->birth_date;
	if (!full && reveal)
		full = base_open(a, r->birth_sealed);
	if (full)
		return full;
	char m[16];
	mask_birth_date((int)r->birth_year, m, sizeof m);
	return *m ? arena_strdup(a, m) : NULL;
}

json_t *resident_json(struct api_ctx *ctx, struct arena *a, const struct resident_row *r,
                      bool reveal)
{
	json_t *o = json_object();
	json_set_int(o, "id", r->id);
	json_set_str(o, "name", r->name);
	const char *id = reveal ? base_open(a, r->id_sealed) : NULL;
	const char *phone = reveal ? base_open(a, r->phone_sealed) : NULL;
	json_set_str(o, "id_number", id ? id : r->id_mask);
	json_set_str(o, "phone", phone ? phone : r->phone_mask);
	json_set_bool(o, "masked", !reveal);
	json_set_str(o, "birth_date", resident_birth_text(a, r, reveal));
	if (r->birth_year > 0)
		json_set_int(o, "birth_year", r->birth_year);
	else
		json_object_set_new(o, "birth_year", json_null());
	json_set_str(o, "gender", r->gender);
	json_set_str(o, "region_code", r->region_code);
	if (r->house_id)
		json_set_int(o, "house_id", r->house_id);
	else
		json_object_set_new(o, "house_id", json_null());
	if (r->household_id)
		json_set_int(o, "household_id", r->household_id);
	else
		json_object_set_new(o, "household_id", json_null());
	json_set_str(o, "relation", r->relation);
	json_set_str(o, "residency", r->residency);
	json_t *tags = tags_array(r->tags);
	if (ctx && api_reaches(ctx, BASE_RESTRICTED, r->region_code)) {
		const char *restricted = base_open(a, r->restricted_sealed);
		json_t *more = tags_array(restricted);
		json_array_extend(tags, more);
		json_decref(more);
	}
	json_object_set_new(o, "tags", tags);
	json_set_str(o, "status", r->status);
	json_set_str(o, "note", r->note);
	json_set_time(o, "verified_at", r->verified_at);
	json_set_int(o, "version", r->version);
	json_set_time(o, "created_at", r->created_at);
	json_set_time(o, "updated_at", r->updated_at);
	return o;
}

/* The snapshot kept in the version history: masked, without restricted tags. */
json_t *resident_snapshot(struct arena *a, const struct resident_row *r)
{
	struct resident_row masked = *r;
	masked.birth_date = NULL; /* the year only, even right after the ID number was given */
	json_t *o = resident_json(NULL, a, &masked, false);
	json_object_del(o, "masked");
	json_object_del(o, "version");
	json_object_del(o, "created_at");
	json_object_del(o, "updated_at");
	json_object_del(o, "verified_at");
	return o;
}

static void set_error(struct api_input *in, const char *prefix, const char *field, const char *code,
                      const char *msg)
{
	char f[96];
	snprintf(f, sizeof f, "%s%s", prefix, field);
	api_field_error(in, f, code, msg);
}

/* Seals a normalised value, with its blind index and mask, into the row's slots. */
static bool seal_with_index(struct arena *a, const char *domain, const char *clear,
                            struct sealed *s, unsigned char *idx, bool *has_idx, const char **mask)
{
	if (!clear || !*clear) {
		*s = (struct sealed){NULL, 0};
		*has_idx = false;
		*mask = NULL;
		return true;
	}
	if (!base_seal(a, clear, s))
		return false;
	seal_index(domain, clear, idx);
	*has_idx = true;
	char m[64];
	if (strcmp(domain, "id_number") == 0)
		mask_id_number(clear, m, sizeof m);
	else
		mask_phone(clear, m, sizeof m);
	*mask = arena_strdup(a, m);
	return true;
}

const char *resident_phone_digits(struct arena *a, const char *phone)
{
	char *out = arena_alloc(a, strlen(phone) + 1);
	size_t n = 0;
	for (const char *p = phone; *p; p++)
		if (*p >= '0' && *p <= '9')
			out[n++] = *p;
	out[n] = 0;
	return out;
}

/* Where the resident lives: a house (its grid follows) or a grid, and a household there.
 * ok: no errors so far (the grid is checked only then). Sets *region; false after errors. */
static bool resident_where(struct api_ctx *ctx, struct arena *a, struct api_input *in,
                           const char *prefix, const struct resident_change *ch, bool ok,
                           struct resident_row *row, const char **region)
{
	*region = row->region_code;
	if (ch->has_house && ch->house_id > 0) {
		struct house_row h;
		/* A house of another grid is a target outside the caller's scope: 403 (API.md),
		 * while a house that does not exist is a rule of the data: 422. */
		if (store_houses_get(ctx->db, a, ch->house_id, &h) != DB_ROW) {
			set_error(in, prefix, "house_id", "unknown", "房屋不存在");
			ok = false;
		} else if (!api_reaches(ctx, BASE_WRITERS, h.region_code)) {
			set_error(in, prefix, "house_id", "scope", "该房屋超出您的管辖范围");
			ok = false;
		} else if (ch->has_region && ch->region_code &&
		           strcmp(ch->region_code, h.region_code) != 0) {
			set_error(in, prefix, "house_id", "mismatch", "房屋不在所填网格内");
			ok = false;
		} else {
			*region = h.region_code;
			row->house_id = h.id;
		}
	} else if (ch->has_house) {
		row->house_id = 0;
	}
	if (ok && (!ch->has_house || ch->house_id <= 0) && ch->has_region) {
		char f[96];
		snprintf(f, sizeof f, "%sregion_code", prefix);
		if (base_check_grid(ctx, a, in, f, ch->region_code, BASE_WRITERS))
			*region = ch->region_code;
		else
			ok = false;
	}
	if (!*region) {
		if (ok)
			set_error(in, prefix, "region_code", "required", "须填写所在网格或房屋");
		return false;
	}
	if (ch->has_household && ch->household_id > 0) {
		struct household_row hh;
		if (store_households_get(ctx->db, a, ch->household_id, &hh) != DB_ROW) {
			set_error(in, prefix, "household_id", "unknown", "户不存在");
			ok = false;
		} else if (!api_reaches(ctx, BASE_WRITERS, hh.region_code)) {
			set_error(in, prefix, "household_id", "scope", "该户超出您的管辖范围");
			ok = false;
		} else if (strcmp(hh.region_code, *region) != 0 ||
		           (row->house_id && hh.house_id && hh.house_id != row->house_id)) {
			set_error(in, prefix, "household_id", "mismatch", "户与房屋或网格不一致");
			ok = false;
		} else {
			row->household_id = hh.id;
		}
	} else if (ch->has_household) {
		row->household_id = 0;
	}
	return ok;
}

/* Seals the ID number (with the birth date and gender it gives), the phone and the tags
 * into row; false when no key is loaded. */
static bool resident_seal(struct arena *a, const struct resident_change *ch,
                          const struct resident_checked *chk, bool may_restrict,
                          struct resident_row *row)
{
	if (ch->f.id_number) {
		char id[24] = "";
		if (chk->has_id) {
			id_number_normalise(ch->f.id_number, id, sizeof id);
			row->birth_date = arena_printf(a, "%04d-%02d-%02d", chk->cid.year,
			                               chk->cid.month, chk->cid.day);
			row->birth_year = chk->cid.year;
			if (!base_seal(a, row->birth_date, &row->birth_sealed))
				return false;
			row->gender = chk->cid.gender == 'M' ? "male" : "female";
		} else {
			row->birth_date = row->gender = NULL;
			row->birth_year = 0;
			row->birth_sealed = (struct sealed){NULL, 0};
		}
		if (!seal_with_index(a, "id_number", id, &row->id_sealed, row->id_index,
		                     &row->has_id_index, &row->id_mask))
			return false;
	}
	if (ch->f.phone) {
		const char *digits = resident_phone_digits(a, ch->f.phone);
		if (!seal_with_index(a, "phone", *digits ? ch->f.phone : "", &row->phone_sealed,
		                     row->phone_index, &row->has_phone_index, &row->phone_mask))
			return false;
		if (row->has_phone_index)
			seal_index("phone", digits, row->phone_index);
	}
	if (ch->tags_given) {
		char list[512];
		tags_format(chk->tags, false, list, sizeof list);
		row->tags = arena_strdup(a, list);
		if (may_restrict) {
			tags_format(chk->tags, true, list, sizeof list);
			if (!base_seal(a, list, &row->restricted_sealed))
				return false;
		}
	}
	return true;
}

bool base_resident_apply(struct api_ctx *ctx, struct arena *a, struct api_input *in,
                         const char *prefix, const struct resident_change *ch,
                         struct resident_row *row)
{
	bool creating = row->id == 0;
	struct field_errors errs = {.n = 0};
	struct resident_checked chk;
	resident_check(&ch->f, creating, &chk, &errs);
	if (!creating && ch->f.name && !*ch->f.name)
		field_errors_add(&errs, "name", "required", "姓名不能为空");
	base_add_errors(in, prefix, &errs);
	const char *region;
	bool ok = resident_where(ctx, a, in, prefix, ch, errs.n == 0, row, &region);
	if (!region)
		return false;
	bool may_restrict = api_reaches(ctx, BASE_RESTRICTED, region);
	uint32_t restricted_bits = 0;
	for (int i = 0; i < TAG_COUNT; i++)
		if (tag_defs[i].restricted)
			restricted_bits |= 1u << i;
	if (ch->tags_given && (chk.tags & restricted_bits) && !may_restrict) {
		set_error(in, prefix, "tags", "forbidden", "您的角色无权设置特殊人群标签");
		ok = false;
	}
	if (!ok)
		return false;

	/* Moved to another grid without naming a house: the old house and household stay
	 * behind (they belong to the old grid). */
	if (row->region_code && strcmp(row->region_code, region) != 0) {
		if (!ch->has_house)
			row->house_id = 0;
		if (!ch->has_household)
			row->household_id = 0;
	}
	row->region_code = region;
	if (ch->f.name)
		row->name = ch->f.name;
	if (ch->f.residency)
		row->residency = residency_codes[chk.residency].code;
	if (ch->f.relation)
		row->relation = chk.relation >= 0 ? relation_codes[chk.relation].code : NULL;
	if (chk.status >= 0)
		row->status = resident_status_codes[chk.status].code;
	if (ch->f.note)
		row->note = *ch->f.note ? ch->f.note : NULL;
	if (resident_seal(a, ch, &chk, may_restrict, row))
		return true;
	set_error(in, prefix, "id_number", "unavailable", "加密密钥不可用");
	in->unavailable = true;
	return false;
}

enum db_result base_resident_save(struct api_ctx *ctx, struct arena *a, struct resident_row *row,
                                  const char *action, json_t *before)
{
	bool fresh = base_stamp(row->id, &row->version, &row->created_at, &row->updated_at, NULL);
	enum db_result r =
	    fresh ? store_residents_insert(ctx->db, row) : store_residents_update(ctx->db, row);
	/* An account speaking for this resident follows the household, and loses the link (and
	 * with it the vote) at once when the resident moves out or dies. */
	int64_t unlinked = 0;
	if (r == DB_OK && !fresh)
		r = store_user_resident_follow(ctx->db, row->id, strcmp(row->status, "active") == 0,
		                               row->household_id, &unlinked);
	if (r != DB_OK)
		return r;
	/* An import's version row keeps no copy of what it wrote: the history reads it back from
	 * the next version's "before" or the record itself (base_history_respond). A million-row
	 * import is a quarter smaller and faster for it. */
	json_t *after = strcmp(action, "import") == 0 ? NULL : resident_snapshot(a, row);
	return base_version_after(ctx, "resident", row->id, row->version, action, before, after);
}

/* Reads a resident body (create: all rules; patch: only what is given). */
void base_resident_read(struct arena *a, struct api_input *in, struct resident_change *ch)
{
	memset(ch, 0, sizeof *ch);
	ch->f.name = api_string(in, "name", false, 1000, NULL);
	ch->f.id_number = api_string(in, "id_number", false, 64, NULL);
	ch->f.phone = api_string(in, "phone", false, 64, NULL);
	ch->f.residency = api_string(in, "residency", false, 32, NULL);
	ch->f.relation = api_string(in, "relation", false, 32, NULL);
	ch->f.status = api_string(in, "status", false, 32, NULL);
	ch->f.note = api_string(in, "note", false, 2000, NULL);
	ch->region_code = api_string(in, "region_code", false, 32, &ch->has_region);
	api_int(in, "house_id", false, 0, INT64_MAX, &ch->house_id, &ch->has_house);
	api_int(in, "household_id", false, 0, INT64_MAX, &ch->household_id, &ch->has_household);
	json_t *tags = json_object_get(in->body, "tags");
	if (tags && !json_is_null(tags)) {
		if (!json_is_array(tags) || json_array_size(tags) > TAGS_MAX) {
			api_field_error(in, "tags", "type", "标签须为字符串数组（最多 16 个）");
			in->type_error = !json_is_array(tags);
			return;
		}
		struct buf b;
		buf_init(&b);
		size_t i;
		json_t *t;
		json_array_foreach(tags, i, t)
		{
			const char *s = json_string_value(t);
			if (!s || strlen(s) > 60 || !text_valid_utf8(s) || strchr(s, ',')) {
				api_field_error(in, "tags", "type", "标签须为字符串数组");
				in->type_error = !json_is_string(t);
				buf_free(&b);
				return;
			}
			if (i)
				buf_puts(&b, ",");
			buf_puts(&b, s);
		}
		size_t len;
		char *joined = buf_detach(&b, &len);
		ch->f.tags = arena_strdup(a, joined ? joined : "");
		free(joined);
		ch->tags_given = true;
	}
}

void residents_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct resident_change ch;
	base_resident_read(&req->arena, &in, &ch);
	struct resident_row row;
	memset(&row, 0, sizeof row);
	if (!ch.tags_given) {
		ch.tags_given = true;
		ch.f.tags = "";
	}
	row.status = "active";
	row.verified_at = time_now();
	if (json_array_size(in.errors) == 0)
		base_resident_apply(ctx, &req->arena, &in, "", &ch, &row);
	if (!api_input_end(req, &in))
		goto out;
	enum db_result r = base_resident_save(ctx, &req->arena, &row, "create", NULL);
	if (base_saved(req, r, "id_number", "该身份证号已登记", "resident", row.id))
		api_json(req, 201, resident_json(ctx, &req->arena, &row, false));
out:
	api_input_free(&in);
}

API_LOADER(resident, "居民", BASE_READERS, NULL, struct resident_row, store_residents_get,
           region_code)

/* reveal=true: allowed roles only; false after responding 400 (not true/false) or 403. */
static bool want_reveal(struct http_req *req, const char *region, bool *reveal)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!api_query_bool(req, "reveal", reveal))
		return false;
	if (*reveal && !(region ? api_reaches(ctx, BASE_REVEALERS, region)
	                        : (api_roles(ctx) & BASE_REVEALERS) != 0)) {
		api_problem(req, 403, "您的角色无权查看完整的身份证号和电话");
		return false;
	}
	return true;
}

/* Every read of a person is audited (GB/T 35273: processing recorded), naming the record:
 * resident.read for the masked record and its history, resident.reveal for the full one. A
 * refused reveal is audited too, with the refusal's status. */
void residents_get_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct resident_row row;
	if (!resident_from_path(req, &row))
		return;
	ctx->audit_action = "resident.read";
	ctx->audit_object = arena_printf(&req->arena, "resident:%lld", (long long)row.id);
	const char *asked = http_query(req, "reveal");
	if (asked && strcmp(asked, "false") != 0)
		ctx->audit_action = "resident.reveal";
	bool reveal;
	if (!want_reveal(req, row.region_code, &reveal))
		return;
	api_json(req, 200, resident_json(ctx, &req->arena, &row, reveal));
	api_etag(req, arena_printf(&req->arena, "%lld", (long long)row.version));
}

void residents_patch_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct resident_row row;
	if (!resident_from_path(req, &row))
		return;
	struct api_input in;
	if (!api_write_begin(req, BASE_WRITERS, row.region_code, "您的角色无权修改该居民信息", &in))
		return;
	if (!api_if_match(req, row.version, resident_json(ctx, &req->arena, &row, false))) {
		api_input_free(&in);
		return;
	}
	struct resident_change ch;
	base_resident_read(&req->arena, &in, &ch);
	json_t *before = resident_snapshot(&req->arena, &row);
	if (json_array_size(in.errors) == 0)
		base_resident_apply(ctx, &req->arena, &in, "", &ch, &row);
	if (!api_input_end(req, &in))
		goto out;
	row.verified_at = time_now();
	enum db_result r = base_resident_save(ctx, &req->arena, &row, "update", before);
	if (base_saved(req, r, "id_number", "该身份证号已登记", "resident", row.id)) {
		api_json(req, 200, resident_json(ctx, &req->arena, &row, false));
		api_etag(req, arena_printf(&req->arena, "%lld", (long long)row.version));
	}
out:
	json_decref(before);
	api_input_free(&in);
}

void residents_history_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct resident_row row;
	if (!resident_from_path(req, &row))
		return;
	ctx->audit_action = "resident.read";
	ctx->audit_object = arena_printf(&req->arena, "resident:%lld", (long long)row.id);
	ctx->audit_detail = "history";
	base_history_respond(req, "resident", row.id, resident_snapshot(&req->arena, &row));
}

/* The filters of a page of residents (region, house, household, name, residency, tag,
 * status) within the caller's scopes; false after responding 400. */
static bool list_filter(struct http_req *req, struct resident_filter *f)
{
	memset(f, 0, sizeof *f);
	const char *region;
	if (!base_region_param(req, &region) || !api_limit(req, &f->limit) ||
	    !base_cursor(req, &f->after) || !api_query_id(req, "house_id", &f->house_id) ||
	    !api_query_id(req, "household_id", &f->household_id))
		return false;
	base_scopes(api_ctx(req), BASE_READERS, region, &f->scopes);
	f->q = http_query(req, "q");
	if (f->q && (!text_valid_utf8(f->q) || text_chars(f->q) > 50)) {
		api_problem(req, 400, "q 须为 50 字以内的文本");
		return false;
	}
	f->residency = http_query(req, "residency");
	if (f->residency && *f->residency &&
	    code_lookup(residency_codes, RESIDENCY_COUNT, f->residency) < 0) {
		api_problem(req, 400, "residency 须为 registered、floating 或 foreign");
		return false;
	}
	f->tag = http_query(req, "tag");
	if (f->tag && *f->tag) {
		int t = tag_lookup(f->tag);
		if (t < 0 || tag_defs[t].restricted) {
			api_problem(req, 400, "tag 不在可筛选的标签代码表中");
			return false;
		}
		f->tag = tag_defs[t].code;
	}
	f->status = http_query(req, "status");
	if (f->status && strcmp(f->status, "all") == 0)
		f->status = "";
	else if (f->status && *f->status &&
	         code_lookup(resident_status_codes, RESIDENT_STATUS_COUNT, f->status) < 0) {
		api_problem(req, 400, "status 须为 active、moved_out、deceased 或 all");
		return false;
	}
	return true;
}

/* Masked pages are audited too, once per page (resident.list, with how many rows and
 * whether a name was searched): they show names and masked numbers of many people, and a
 * name search aims at one. A page is human-paced, so one audit row each costs little. */
void residents_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *id_number = http_query(req, "id_number");
	const char *phone = http_query(req, "phone");
	bool lookup_by_id = id_number && *id_number;
	bool reveal;
	if (!api_query_bool(req, "reveal", &reveal))
		return;
	/* Reveal is for one record at a time: a page of 200 full ID numbers is a bulk export,
	 * which has its own audited route. */
	if (reveal && !lookup_by_id) {
		ctx->audit_action = "resident.reveal";
		ctx->audit_object = "resident:list";
		ctx->audit_detail = "refused=bulk";
		api_problem(req, 400, "reveal 只能用于单个居民：请打开该居民后查看完整信息");
		return;
	}
	if (reveal && !want_reveal(req, NULL, &reveal)) {
		ctx->audit_action = "resident.reveal";
		ctx->audit_object = "resident:lookup";
		ctx->audit_detail = "by=id_number";
		return;
	}
	if (lookup_by_id || (phone && *phone)) {
		base_resident_lookup(req, lookup_by_id ? id_number : NULL, phone, reveal);
		return;
	}
	struct resident_filter f;
	if (!list_filter(req, &f))
		return;
	struct resident_row *rows;
	size_t n;
	enum db_result r = store_residents_list(ctx->db, &req->arena, &f, &rows, &n);
	if (!api_stored(req, r))
		return;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, resident_json(ctx, &req->arena, &rows[i], false));
	ctx->audit_action = "resident.list";
	ctx->audit_object = "resident:list";
	ctx->audit_detail =
	    arena_printf(&req->arena, "rows=%zu%s", n, f.q && *f.q ? " search=name" : "");
	const char *next =
	    n ? base_next_cursor(&req->arena, n, f.limit, rows[n - 1].region_code, rows[n - 1].id)
	      : NULL;
	api_json(req, 200, api_list(items, next));
}
