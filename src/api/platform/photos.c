/* /api/v1/photos: image uploads for case reports and handling steps. Files
 * are recognised by content (JPEG, PNG, WebP), named by their SHA-256 and kept in
 * the database (photo_data), so every node of a cluster serves what any node took. A photo is
 * attached only by someone who uploaded it, and read only by its uploaders and by those who can
 * read a record that references it (store/photos.h); every read is audited. */
#include "api/api.h"
#include "api/base/base.h"
#include "api/cases/cases.h"
#include "api/projects/projects.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/media.h"
#include "store/cases/cases.h"
#include "store/platform/photos.h"

#include <sodium.h>
#include <string.h>

/* Who uploads, for photo_uploads: the signed-in user, or an API token as minus its id (a token
 * has no user); 0 for neither. */
static int64_t uploader(const struct api_ctx *ctx)
{
	if (ctx->who.user_id)
		return ctx->who.user_id;
	return ctx->who.token_id ? -ctx->who.token_id : 0;
}

void photos_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *mime = media_sniff_image((const unsigned char *)req->body, req->body_len);
	if (!req->body_len) {
		api_problem(req, 400, "缺少图片内容");
		return;
	}
	if (!mime) {
		api_problem(req, 415, "只接受 JPEG、PNG 或 WebP 图片");
		return;
	}
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, (const unsigned char *)req->body, req->body_len);
	char hash[65];
	sodium_bin2hex(hash, sizeof hash, digest, sizeof digest);
	struct photo_row p = {.hash = hash,
	                      .mime = mime,
	                      .size = (int64_t)req->body_len,
	                      .created_at = time_now(),
	                      .created_by = ctx->who.user_id};
	enum db_result r = store_photos_add(ctx->db, &p);
	if (r == DB_OK)
		r = store_photo_data_put(ctx->db, hash, req->body, req->body_len);
	if (r == DB_OK && uploader(ctx))
		r = store_photo_uploads_add(ctx->db, hash, uploader(ctx), p.created_at);
	if (!api_stored(req, r))
		return;
	ctx->audit_object = arena_printf(&req->arena, "photo:%s", hash);
	json_t *o = json_object();
	json_set_str(o, "hash", hash);
	json_set_str(o, "mime", mime);
	json_set_int(o, "size", p.size);
	json_set_str(o, "url", arena_printf(&req->arena, "/api/v1/photos/%s", hash));
	api_json(req, 201, o);
}

/* Whether the caller may read the photo hash: an uploader, or someone who can read a record
 * that references it (a case as case_roles_for decides, a sweep visit or a campaign item by region
 * reach, a bonus or penalty item by the managers over its region, a project milestone's
 * evidence by whoever may read the project). */
static enum db_result photo_readable(struct http_req *req, const char *hash, bool *ok)
{
	struct api_ctx *ctx = api_ctx(req);
	*ok = false;
	if (uploader(ctx)) {
		enum db_result r = store_photo_uploaded_by(ctx->db, hash, uploader(ctx), ok);
		if (r != DB_OK || *ok)
			return r;
	}
	struct photo_ref *refs;
	size_t n;
	enum db_result r = store_photo_refs_list(ctx->db, &req->arena, hash, &refs, &n);
	if (r != DB_OK)
		return r;
	for (size_t i = 0; i < n && !*ok; i++) {
		if (strcmp(refs[i].kind, "case") == 0) {
			struct case_row c;
			memset(&c, 0, sizeof c);
			c.id = refs[i].ref_id;
			c.region_code = refs[i].region_code;
			c.unit = refs[i].unit;
			c.reporter_user_id = refs[i].reporter_user_id;
			*ok = case_roles_for(ctx, &c) != 0;
		} else if (strcmp(refs[i].kind, "service_request") == 0) {
			/* The applicant, readers over the applicant's grid, and the staff of the
			 * region handling the item (unit holds it). */
			*ok = (ctx->who.user_id && refs[i].reporter_user_id == ctx->who.user_id) ||
			      api_reaches(ctx, BASE_READERS, refs[i].region_code) ||
			      (refs[i].unit && api_reaches(ctx, ROLES_MANAGERS, refs[i].unit));
		} else if (strcmp(refs[i].kind, "ranking_adjustment") == 0) {
			/* evidence of a bonus or penalty item: the managers who read the item */
			*ok = api_reaches(ctx, ROLES_MANAGERS, refs[i].region_code);
		} else if (strcmp(refs[i].kind, "project_milestone") == 0) {
			*ok = project_roles_at(ctx, refs[i].region_code, refs[i].unit) &
			      PROJECT_READERS;
		} else {
			*ok = api_reaches(ctx, BASE_READERS, refs[i].region_code);
		}
	}
	return DB_OK;
}

void photos_get_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *hash = http_param(req, "hash");
	struct photo_row p;
	enum db_result r = DB_DONE;
	bool ok = false;
	if (media_hash_valid(hash))
		r = store_photos_get(ctx->db, &req->arena, hash, &p);
	if (r == DB_ROW)
		r = photo_readable(req, hash, &ok);
	if (r != DB_ROW && r != DB_DONE && r != DB_OK) {
		api_store_error(req, r);
		return;
	}
	if (!ok) {
		/* Missing and not the caller's to see answer alike. */
		api_problem(req, 404, "图片不存在");
		return;
	}
	ctx->audit_action = "photo.read";
	ctx->audit_object = arena_printf(&req->arena, "photo:%s", hash);
	const char *inm = http_header(req, "If-None-Match");
	char etag[70];
	snprintf(etag, sizeof etag, "\"%s\"", hash);
	http_add_header(req, "ETag", etag);
	http_add_header(req, "Cache-Control", "private, max-age=31536000, immutable");
	if (inm && strstr(inm, hash)) {
		http_respond(req, 304, NULL, NULL, 0);
		return;
	}
	char *data;
	size_t n;
	r = store_photo_data_get(ctx->db, hash, &data, &n);
	if (r == DB_DONE) {
		api_problem(req, 404, "图片文件缺失");
		return;
	}
	if (r != DB_ROW) {
		api_store_error(req, r);
		return;
	}
	http_respond(req, 200, p.mime, data, n);
}

const char *api_photos_field(struct http_req *req, struct api_input *in, const char *field)
{
	struct api_ctx *ctx = api_ctx(req);
	json_t *arr = json_object_get(in->body, field);
	if (!arr || json_is_null(arr))
		return NULL;
	if (!json_is_array(arr) || json_array_size(arr) > 9) {
		in->type_error = !json_is_array(arr);
		api_field_error(in, field, json_is_array(arr) ? "too_many" : "type",
		                json_is_array(arr) ? "最多 9 张图片" : "应为图片编号数组");
		return NULL;
	}
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		const char *h = json_string_value(v);
		bool mine = false;
		/* Only an uploader attaches a photo; someone else's hash answers like an unknown
		 * one (422), so the answer does not tell which photos exist. */
		enum db_result r = DB_OK;
		if (media_hash_valid(h) && uploader(ctx))
			r = store_photo_uploaded_by(ctx->db, h, uploader(ctx), &mine);
		if (r != DB_OK) {
			in->unavailable = true;
			api_field_error(in, field, "unavailable", "图片暂时无法核对，请稍后重试");
			return NULL;
		}
		if (!mine) {
			api_field_error(in, arena_printf(&req->arena, "%s[%zu]", field, i),
			                "unknown", "图片不存在，请先上传");
			return NULL;
		}
	}
	char *s = json_to_string(arr, NULL);
	const char *copy = arena_strdup(&req->arena, s);
	free(s);
	return copy;
}
