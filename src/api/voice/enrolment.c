/* Residents' accounts (户码 enrolment): staff issue a household code in person; a member of
 * the household signs up with it on the phone by name and phone and gets a resident account
 * at the household's grid, linked to their resident record and household.
 *
 * A code enrols any active member of its household (API.md), each member once (one account per
 * resident), until it expires (30 days) or is revoked; issuing a new code revokes the old.
 * A failed enrolment answers one 422 whatever was wrong (no such code, revoked, expired, no
 * matching member, member already enrolled) and costs an attempt of the sign-in limiter. */
#include "api/voice/voice.h"
#include "core/json.h"
#include "core/seal.h"
#include "core/timeutil.h"
#include "domain/enrolment.h"
#include "domain/idnum.h"
#include "domain/password.h"

#include <sodium.h>
#include <string.h>

/* Read over the household by base readers (404 beyond), issued by ENROL_ISSUERS (else 403). */
API_LOADER(enrol_household, "户", BASE_READERS, NULL, struct household_row, store_households_get,
           region_code)

static bool household_for_codes(struct http_req *req, struct household_row *hh)
{
	if (!enrol_household_from_path(req, hh))
		return false;
	if (api_reaches(api_ctx(req), ENROL_ISSUERS, hh->region_code))
		return true;
	api_problem(req, 403, "您的角色无权为该户发放或吊销户码");
	return false;
}

void enrolment_code_issue_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct household_row hh;
	if (!household_for_codes(req, &hh))
		return;
	int64_t now = time_now(), expires = now + (int64_t)ENROL_VALID_DAYS * 86400, id = 0;
	char code[ENROL_CODE_LEN + 1];
	enum db_result r = DB_CONSTRAINT;
	/* A new code colliding with a stored one is all but impossible; try again if so. */
	for (int attempt = 0; attempt < 3 && r == DB_CONSTRAINT; attempt++) {
		for (int i = 0; i < ENROL_CODE_LEN; i++)
			code[i] = ENROL_ALPHABET[randombytes_uniform(ENROL_ALPHABET_LEN)];
		code[ENROL_CODE_LEN] = 0;
		unsigned char hash[SEAL_INDEX_LEN];
		seal_index("enrolment_code", code, hash);
		r = store_enrolment_codes_issue(ctx->db, hash, hh.id, hh.region_code,
		                                ctx->who.user_id, now, expires, &id);
	}
	if (!api_stored(req, r))
		return;
	ctx->audit_object = arena_printf(&req->arena, "household:%lld", (long long)hh.id);
	ctx->audit_detail = arena_printf(&req->arena, "enrolment_code:%lld", (long long)id);
	json_t *o = json_object();
	json_set_str(o, "code", code);
	json_set_time(o, "expires_at", expires);
	json_set_int(o, "household_id", hh.id);
	api_json(req, 201, o);
	sodium_memzero(code, sizeof code);
}

void enrolment_code_revoke_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct household_row hh;
	if (!household_for_codes(req, &hh))
		return;
	enum db_result r =
	    store_enrolment_codes_revoke(ctx->db, hh.id, ctx->who.user_id, time_now());
	if (r == DB_DONE) {
		api_problem(req, 404, "该户没有有效的户码");
		return;
	}
	if (!api_stored(req, r))
		return;
	ctx->audit_object = arena_printf(&req->arena, "household:%lld", (long long)hh.id);
	api_no_content(req);
}

static bool username_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 64)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-' || *p == '@'))
			return false;
	return true;
}

/* In the open write transaction: the code, its household and the matching member, then the
 * account, its link and the code's count. DB_OK with *u filled; DB_DONE when the code or the
 * member does not hold (one answer for all); DB_CONSTRAINT when the username is taken. */
static enum db_result enrol(struct http_req *req, const char *canon, const char *name,
                            const unsigned char phone_idx[SEAL_INDEX_LEN], int64_t now,
                            struct user_row *u)
{
	struct api_ctx *ctx = api_ctx(req);
	struct enrolment_code_row c;
	struct household_row hh;
	int64_t resident_id = 0;
	unsigned char code_hash[SEAL_INDEX_LEN];
	seal_index("enrolment_code", canon ? canon : "", code_hash);
	enum db_result r =
	    canon ? store_enrolment_codes_find(ctx->db, &req->arena, code_hash, now, &c) : DB_DONE;
	if (r == DB_ROW)
		r = store_households_get(ctx->db, &req->arena, c.household_id, &hh);
	if (r == DB_ROW)
		r = store_enrolment_match(ctx->db, c.household_id, name, phone_idx, &resident_id);
	if (r != DB_ROW)
		return r;
	u->grants[0].role = ROLE_RESIDENT;
	snprintf(u->grants[0].region_code, sizeof u->grants[0].region_code, "%s", hh.region_code);
	u->ngrants = 1;
	u->created_at = u->updated_at = now;
	r = store_users_insert(ctx->db, u);
	if (r == DB_OK)
		r = store_user_resident_link(ctx->db, u->id, resident_id, hh.id, now);
	if (r == DB_OK)
		r = store_enrolment_codes_used(ctx->db, c.id);
	if (r == DB_OK) {
		u->resident_id = resident_id;
		u->household_id = hh.id;
		ctx->audit_detail = arena_printf(&req->arena, "household:%lld resident:%lld",
		                                 (long long)hh.id, (long long)resident_id);
	}
	return r == DB_DONE ? DB_ERROR : r;
}

void enrolments_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_signin_attempt_allowed(req) || !api_input_begin(req, &in))
		return;
	const char *code = api_string(&in, "code", true, 40, NULL);
	const char *name = api_string(&in, "name", true, 64, NULL);
	const char *phone = api_string(&in, "phone", true, 64, NULL);
	struct user_row u;
	memset(&u, 0, sizeof u);
	u.username = api_string(&in, "username", true, 64, NULL);
	const char *password = api_string(&in, "password", true, 256, NULL);
	if (phone && phone_problem(phone))
		api_field_error(&in, "phone", "format", "电话号码格式不正确");
	if (u.username && !username_ok(u.username))
		api_field_error(&in, "username", "format", "用户名为 2–64 位字母、数字或 _ . - @");
	const char *why = password ? password_problem(password) : NULL;
	if (why)
		api_field_error(&in, "password", why, password_problem_zh(why));
	if (!api_input_end(req, &in))
		goto out;
	ctx->audit_username = arena_strdup(&req->arena, u.username);
	char canon[ENROL_CODE_MAX + 1];
	bool well_formed = enrol_code_normalize(code, canon, sizeof canon);
	/* The password is hashed before anything is looked up, outside the write lock: every
	 * attempt costs the same, whatever it gets wrong. */
	char hash[128];
	if (!api_password_hash(password, hash)) {
		api_problem(req, 503, "系统繁忙，请稍后再试");
		goto out;
	}
	u.password_hash = hash;
	u.display_name = name;
	unsigned char phone_idx[SEAL_INDEX_LEN];
	seal_index("phone", resident_phone_digits(&req->arena, phone), phone_idx);
	int64_t now = time_now();
	if (db_begin_write(ctx->db) != DB_OK) {
		api_problem(req, 503, "系统繁忙，请稍后再试");
		goto out;
	}
	enum db_result r = enrol(req, well_formed ? canon : NULL, name, phone_idx, now, &u);
	if (r == DB_OK)
		r = db_commit(ctx->db);
	if (r != DB_OK)
		db_rollback(ctx->db);
	if (r == DB_DONE) {
		ctx->audit_detail = "refused";
		api_problem_at(req, 422, "户码无效或已失效，或姓名、电话与该户登记的成员不符",
		               "code", "refused",
		               "户码无效或已失效，或姓名、电话与该户登记的成员不符");
	} else if (r == DB_CONSTRAINT) {
		api_problem_at(req, 409, "用户名已存在", "username", "taken", "用户名已存在");
	} else if (api_stored(req, r)) {
		ctx->audit_user_id = u.id;
		ctx->audit_object = arena_printf(&req->arena, "user:%lld", (long long)u.id);
		json_t *body = json_object();
		json_object_set_new(body, "user", api_user_json(ctx, &req->arena, &u));
		api_json(req, 201, body);
	}
	sodium_memzero(hash, sizeof hash);
out:
	api_input_free(&in);
}

/* ---- unlinking an account (staff) ---- */

static enum db_result linked_user_load(struct http_req *req, int64_t id, void *out,
                                       const char **region)
{
	(void)region;
	return store_users_get(api_ctx(req)->db, &req->arena, id, out);
}

/* Admin sees every account; other issuers only one speaking for a resident in their scope. */
static bool linked_user_visible(struct http_req *req, const void *obj)
{
	struct api_ctx *ctx = api_ctx(req);
	const struct user_row *u = obj;
	if (api_is_admin(ctx))
		return true;
	struct resident_row res;
	return u->resident_id &&
	       store_residents_get(ctx->db, &req->arena, u->resident_id, &res) == DB_ROW &&
	       api_reaches(ctx, ENROL_ISSUERS, res.region_code);
}

static const struct api_loader linked_user_loader = {
    .what = "用户",
    .load = linked_user_load,
    .visible = linked_user_visible,
};

void users_resident_unlink_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct user_row u;
	if (!api_load(req, &linked_user_loader, &u))
		return;
	ctx->audit_object = arena_printf(&req->arena, "user:%lld", (long long)u.id);
	if (u.resident_id)
		ctx->audit_detail =
		    arena_printf(&req->arena, "resident:%lld", (long long)u.resident_id);
	enum db_result r = store_user_resident_link(ctx->db, u.id, 0, 0, time_now());
	if (!api_stored(req, r))
		return;
	api_no_content(req);
}
