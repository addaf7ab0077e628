/* POST /api/v1/cases: reporting. A report is checked against what the caller's roles at
 * the grid may declare, routed by the responsibility list and, with a group-commit writer,
 * acknowledged only once durable (many reports share one commit). */
#include "api/api.h"
#include "api/cases/cases.h"
#include "api/idempotency.h"
#include "core/json.h"
#include "core/seal.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "domain/idnum.h"
#include "store/base/base.h"
#include "store/command/recurring.h"
#include "store/platform/audit.h"
#include "store/batch.h"
#include "store/platform/regions.h"

#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char *const sources[] = {"resident",  "patrol",  "hotline",
                                      "reception", "open311", "building"};
static const char *const sources_zh[] = {"居民反映",   "网格巡查",     "12345 热线",
                                         "接待日来访", "Open311 接入", "楼栋长报告"};

/* Who may declare each source: residents report as residents; staff record patrols, building
 * reports and reception visits; the 12345 hotline is entered at the desks; open311 only comes
 * through the Open311 endpoint. */
static unsigned source_roles(const char *code)
{
	const unsigned staff = ROLES_ANY & ~ROLE_BIT(ROLE_RESIDENT);
	if (strcmp(code, "resident") == 0)
		return ROLES_ANY;
	if (strcmp(code, "hotline") == 0)
		return ROLES_MANAGERS;
	if (strcmp(code, "open311") == 0)
		return 0;
	return staff;
}

/* Staff who take in reports may declare a matter major (大事, handled at the street). */
#define MAJOR_ROLES                                                                                \
	(ROLES_MANAGERS | ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_GRID_LEADER) |                 \
	 ROLE_BIT(ROLE_GRID_WORKER))

/* The roles of the caller's grants that reach region code. */
static unsigned roles_at(const struct api_ctx *ctx, const char *code)
{
	unsigned roles = 0;
	for (size_t i = 0; i < ctx->who.ngrants; i++) {
		const struct grant *g = &ctx->who.grants[i];
		if (g->role == ROLE_ADMIN || region_covers(g->region_code, code))
			roles |= ROLE_BIT(g->role);
	}
	return roles;
}

static const char *source_zh(const char *code)
{
	/* Not declarable on POST /cases: only a meeting's dispatch sets it (api/command/). */
	if (strcmp(code, "meeting") == 0)
		return "联席会议决定";
	for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
		if (strcmp(code, sources[i]) == 0)
			return sources_zh[i];
	return code;
}

static const char tracking_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

static void make_tracking_code(char out[13])
{
	unsigned char raw[12];
	randombytes_buf(raw, sizeof raw);
	for (int i = 0; i < 12; i++)
		out[i] = tracking_alphabet[raw[i] % 32];
	out[12] = '\0';
}

/* The level a new case is handled at: minor at the grid, private at the community
 * (mediation), major at the street (joint handling). */
static enum region_level initial_level(enum case_tier t)
{
	return t == TIER_MINOR ? REGION_GRID : t == TIER_PRIVATE ? REGION_COMMUNITY : REGION_STREET;
}

/* A lookup found nothing usable: 503 when the store failed, else the 422 on field. False. */
static bool refuse_lookup(struct http_req *req, enum db_result r, const char *detail,
                          const char *field, const char *code, const char *message)
{
	if (r != DB_ROW && r != DB_DONE)
		api_store_error(req, r);
	else
		api_problem_at(req, 422, detail, field, code, message);
	return false;
}

/* The category must be in use and the grid active; false after responding (422, or 503
 * when the store fails). */
static bool check_category_grid(struct http_req *req, const struct case_report *rep,
                                struct category_row *cat)
{
	struct api_ctx *ctx = api_ctx(req);
	enum db_result r = store_categories_get(ctx->db, &req->arena, rep->category, cat);
	if (r != DB_ROW || !cat->active)
		return refuse_lookup(req, r, "事件类别不存在或已停用", "category", "unknown",
		                     "事件类别不存在或已停用");
	struct region_row grid;
	r = store_regions_get(ctx->db, &req->arena, rep->region_code, &grid);
	if (r != DB_ROW || grid.level != REGION_GRID || strcmp(grid.status, "active") != 0)
		return refuse_lookup(req, r, "事件须发生在一个在用的网格内", "region_code", "grid",
		                     "须为在用网格的 15 位代码");
	if (rep->building_id) {
		struct building_row b;
		r = store_buildings_get(ctx->db, &req->arena, rep->building_id, &b);
		if (r != DB_ROW || strcmp(b.region_code, rep->region_code) != 0)
			return refuse_lookup(req, r, "楼栋不在事件所在网格内", "building_id",
			                     "grid", "须为事件所在网格内的楼栋");
	}
	return true;
}

/* plain sealed into the request's arena (*out, *len); false when no key is loaded. */
static bool seal_into(struct arena *a, const char *plain, size_t plen, const unsigned char **out,
                      size_t *len)
{
	unsigned char *sealed = NULL;
	if (!seal_encrypt(plain, plen, &sealed, len))
		return false;
	unsigned char *copy = arena_alloc(a, *len);
	memcpy(copy, sealed, *len);
	free(sealed);
	*out = copy;
	return true;
}

/* Who reported stays sealed on an anonymous report: the reporting resident's account and any
 * name and phone given. Only an audited reveal opens it (GET /cases/{id}?reveal=true). */
static bool seal_anonymous(struct arena *a, const struct case_report *rep, struct case_row *c)
{
	json_t *id = json_object();
	if (rep->reporter_user_id) {
		json_set_int(id, "user_id", rep->reporter_user_id);
		json_set_str(id, "username", rep->actor);
	}
	json_set_str(id, "name",
	             rep->reporter_name      ? rep->reporter_name
	             : rep->reporter_user_id ? rep->actor
	                                     : NULL);
	json_set_str(id, "phone",
	             rep->reporter_phone && *rep->reporter_phone ? rep->reporter_phone : NULL);
	size_t plen;
	char *plain = json_to_string(id, &plen);
	json_decref(id);
	bool ok = seal_into(a, plain, plen, &c->reporter_sealed, &c->reporter_sealed_len);
	sodium_memzero(plain, plen);
	free(plain);
	return ok;
}

/* The reporter as the case keeps them: sealed when anonymous, else the name and the sealed
 * phone. False when no key is loaded to seal with. */
static bool keep_reporter(struct arena *a, const struct case_report *rep, struct case_row *c)
{
	bool phone = rep->reporter_phone && *rep->reporter_phone;
	if (rep->anonymous)
		return !(rep->reporter_user_id || rep->reporter_name || phone) ||
		       seal_anonymous(a, rep, c);
	c->reporter_name = rep->reporter_name;
	return !phone || seal_into(a, rep->reporter_phone, strlen(rep->reporter_phone),
	                           &c->reporter_phone, &c->reporter_phone_len);
}

static bool case_prepare(struct http_req *req, const struct case_report *rep, struct case_row *out)
{
	struct api_ctx *ctx = api_ctx(req);
	struct case_row *c = out;
	memset(c, 0, sizeof(*c));
	int64_t now = time_now();
	struct category_row cat;
	if (!check_category_grid(req, rep, &cat))
		return false;
	c->category = rep->category;
	c->tier = rep->has_tier ? rep->tier : cat.default_tier;
	c->status = CASE_REPORTED;
	c->level = initial_level(c->tier);
	c->region_code = rep->region_code;
	c->description = rep->description;
	c->source = rep->source;
	c->has_location = rep->has_location;
	c->lat = rep->lat;
	c->lon = rep->lon;
	c->address = rep->address;
	c->building_id = rep->building_id;
	c->anonymous = rep->anonymous;
	c->publish_description = rep->publish_description;
	c->reporter_user_id = rep->reporter_user_id;
	if (!keep_reporter(&req->arena, rep, c)) {
		api_problem(req, 503, "加密密钥未就绪，暂时无法保存个人信息");
		return false;
	}
	c->created_at = c->updated_at = now;
	enum db_result r = case_route(ctx, &req->arena, c, now, NULL);
	if (!api_stored(req, r))
		return false;
	return true;
}

/* The recurring-problem rule of the serve settings (NULL: the defaults). */
static const struct recur_rule *recur_rule_of(const struct api_ctx *ctx)
{
	return ctx->cfg ? &ctx->cfg->recurring : NULL;
}

/* The writing half of a report: number, row, first timeline entry, notification. Runs
 * in the caller's write transaction, or in a group-commit batch on the writer thread. */
static enum db_result case_commit(struct db *db, struct arena *a, struct case_row *c,
                                  const struct case_report *rep, const struct recur_rule *rule)
{
	/* Number: SJ + local date + a daily serial. */
	char day[TIME_RFC3339_LEN], prefix[16], tracking[13];
	time_format(c->created_at, day);
	snprintf(prefix, sizeof prefix, "SJ%.4s%.2s%.2s", day, day + 5, day + 8);
	int64_t serial = 0;
	enum db_result r = store_cases_last_serial(db, prefix, &serial);
	if (r != DB_OK)
		return r;
	c->number = arena_printf(a, "%s%06lld", prefix, (long long)serial + 1);
	make_tracking_code(tracking);
	c->tracking_code = arena_strdup(a, tracking);
	r = store_cases_insert(db, c);
	struct case_event_row e = {0};
	e.case_id = c->id;
	e.at = c->created_at;
	e.actor_id = rep->actor_id;
	e.actor = rep->actor;
	if (c->anonymous && rep->reporter_user_id && rep->actor_id == rep->reporter_user_id) {
		/* An anonymous resident's own entry names no one (the identity is sealed). */
		e.actor_id = 0;
		e.actor = ANONYMOUS_ACTOR;
	}
	e.role = rep->actor_role;
	e.action = "report";
	e.from_state = -1;
	e.to_state = CASE_REPORTED;
	e.note = arena_printf(a, "来源：%s", source_zh(rep->source));
	e.unit = c->unit;
	e.photos = rep->photos;
	if (r == DB_OK)
		r = store_case_events_add(db, &e);
	if (r == DB_OK)
		r = case_webhook_event(db, a, c, &e);
	if (r == DB_OK)
		r = case_notify(db, c, "accept", case_desk_role(c->level), case_level_region(a, c),
		                NULL, 0, "新事件待受理");
	/* Recurring problems are kept as cases arrive, in the report's own transaction. */
	if (r == DB_OK)
		r = store_recurring_note(db, a, c, rule);
	return r;
}

bool case_report_create(struct http_req *req, const struct case_report *rep, struct case_row *out)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!case_prepare(req, rep, out))
		return false;
	enum db_result r = case_commit(ctx->db, &req->arena, out, rep, recur_rule_of(ctx));
	if (!api_stored(req, r))
		return false;
	ctx->audit_object = arena_printf(&req->arena, "case:%lld", (long long)out->id);
	ctx->audit_detail = arena_printf(&req->arena, "number=%s", out->number);
	return true;
}

/* A report handed to the group-commit writer: the case and its audit entry. */
struct report_job {
	struct http_req *req;
	const struct case_report *rep;
	struct case_row *c;
	struct audit_entry audit;
	struct case_report rep_copy;
	struct case_row c_copy;
	struct api_input in;
	struct batch_job bj;
	bool answered; /* by its Idempotency-Key: the kept answer, or a refusal */
};

static enum db_result report_job_run(struct db *db, void *arg)
{
	struct report_job *j = arg;
	/* A repeated report (its Idempotency-Key) is answered here, on the one writer, so ten
	 * copies of one report in one batch still make one case. */
	if (idem_check(j->req, db) == IDEM_ANSWERED) {
		j->answered = true;
		return DB_OK;
	}
	enum db_result r =
	    case_commit(db, &j->req->arena, j->c, j->rep, recur_rule_of(api_ctx(j->req)));
	if (r != DB_OK)
		return r;
	j->audit.object = arena_printf(&j->req->arena, "case:%lld", (long long)j->c->id);
	j->audit.detail = arena_printf(&j->req->arena, "number=%s", j->c->number);
	r = store_audit_append(db, &j->audit);
	struct api_ctx *ctx = api_ctx(j->req);
	if (r != DB_OK || !ctx->idem)
		return r;
	/* With a key the answer is built here, on the writer's connection in the job's savepoint,
	 * and kept with the key in the same transaction: a client that went away before the
	 * answer finds it when it sends the report again. */
	struct db *own = ctx->db;
	ctx->db = db;
	json_t *o = case_json(ctx, &j->req->arena, j->c, false);
	json_object_set_new(o, "possible_duplicates",
	                    case_duplicates_json(ctx, &j->req->arena, j->c));
	ctx->db = own;
	api_json(j->req, 201, o);
	return idem_keep(j->req, db);
}

static void report_done(void *arg)
{
	struct report_job *j = arg;
	http_wake(j->req);
}

/* Runs once the connection is suspended: hand the report to the writer. */
static void report_submit(struct http_req *req)
{
	struct report_job *j = api_ctx(req)->pending;
	j->bj.fn = report_job_run;
	j->bj.arg = j;
	j->bj.done = report_done;
	j->bj.done_arg = j;
	store_batch_submit(api_writer(), &j->bj);
}

/* Back on the request's worker thread after the commit: answer. */
static void report_finish(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct report_job *j = ctx->pending;
	if (j->bj.result == DB_OK && (j->answered || req->responded)) {
		/* answered by its key, or built with it on the writer (audited there) */
		if (req->status < 400)
			ctx->audited = true;
	} else if (j->bj.result != DB_OK) {
		req->nhdrs = 0;
		api_store_error(req, j->bj.result);
	} else {
		ctx->audited = true;
		/* One read transaction for the answer's reads (names, duplicates), not one each. */
		bool snap = db_begin_read(ctx->db) == DB_OK;
		json_t *o = case_json(ctx, &req->arena, j->c, false);
		json_object_set_new(o, "possible_duplicates",
		                    case_duplicates_json(ctx, &req->arena, j->c));
		if (snap)
			db_commit(ctx->db);
		api_json(req, 201, o);
	}
	api_input_free(&j->in);
}

/* The object member name of the body, or NULL when absent, null, or not an object (a type
 * error recorded with shape as its message). */
static json_t *member_object(struct api_input *in, const char *name, const char *shape)
{
	json_t *o = json_object_get(in->body, name);
	if (!o || json_is_null(o))
		return NULL;
	if (!json_is_object(o)) {
		in->type_error = true;
		api_field_error(in, name, "type", shape);
		return NULL;
	}
	return o;
}

/* Reads location {lat, lon, address}; errors are recorded in in. */
static void read_location(struct api_input *in, struct case_report *rep)
{
	json_t *loc = member_object(in, "location", "应为对象 {lat, lon, address}");
	if (!loc)
		return;
	json_t *lat = json_object_get(loc, "lat"), *lon = json_object_get(loc, "lon");
	if (lat || lon) {
		if (!json_is_number(lat) || !json_is_number(lon)) {
			in->type_error = true;
			api_field_error(in, "location", "type", "lat 和 lon 应为数字");
			return;
		}
		rep->lat = json_number_value(lat);
		rep->lon = json_number_value(lon);
		if (rep->lat < -90 || rep->lat > 90 || rep->lon < -180 || rep->lon > 180 ||
		    isnan(rep->lat) || isnan(rep->lon)) {
			api_field_error(in, "location", "range", "经纬度超出范围");
			return;
		}
		rep->has_location = true;
	}
	json_t *saved = in->body;
	in->body = loc;
	rep->address = api_string(in, "address", false, 200, NULL);
	in->body = saved;
}

/* Reads reporter {name, phone} into rep. */
static void read_reporter(struct api_input *in, struct case_report *rep)
{
	json_t *reporter = member_object(in, "reporter", "应为对象 {name, phone}");
	if (!reporter)
		return;
	json_t *saved = in->body;
	in->body = reporter;
	rep->reporter_name = api_string(in, "name", false, 32, NULL);
	rep->reporter_phone = api_string(in, "phone", false, 20, NULL);
	in->body = saved;
	if (rep->reporter_phone && *rep->reporter_phone && phone_problem(rep->reporter_phone))
		api_field_error(in, "reporter.phone", "format",
		                "电话号码格式不正确（11 位手机号或座机号）");
}

/* Reads the report's fields; false after responding. */
static bool read_report(struct http_req *req, struct api_input *in, struct case_report *rep)
{
	struct api_ctx *ctx = api_ctx(req);
	memset(rep, 0, sizeof(*rep));
	rep->category = api_string(in, "category", true, 64, NULL);
	rep->description = api_string(in, "description", true, 2000, NULL);
	rep->region_code = api_string(in, "region_code", true, 15, NULL);
	rep->source = api_string(in, "source", false, 16, NULL);
	const char *tier = api_string(in, "tier", false, 16, NULL);
	api_bool(in, "anonymous", &rep->anonymous, NULL);
	api_bool(in, "publish_description", &rep->publish_description, NULL);
	read_location(in, rep);
	read_reporter(in, rep);
	api_int(in, "building_id", false, 1, INT64_MAX, &rep->building_id, NULL);
	if (!rep->source)
		rep->source = api_roles(ctx) & ROLE_BIT(ROLE_RESIDENT) ? "resident" : "patrol";
	bool known = false;
	for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
		known = known || strcmp(rep->source, sources[i]) == 0;
	if (!known)
		api_field_error(
		    in, "source", "enum",
		    "来源须为 resident、patrol、hotline、reception、open311 或 building");
	if (tier && *tier) {
		if (!case_tier_parse(tier, &rep->tier))
			api_field_error(in, "tier", "enum", "层级须为 minor、private 或 major");
		else
			rep->has_tier = true;
	}
	rep->photos = api_photos_field(req, in, "photos");
	if (rep->region_code && region_level_of(rep->region_code) != REGION_GRID)
		api_field_error(in, "region_code", "grid", "须为 15 位网格代码");
	return api_input_end(req, in);
}

/* What the caller's roles at that grid may declare: a resident reports as a resident and
 * cannot send a matter straight to the street as major. False after responding 403. */
static bool check_reporter_roles(struct http_req *req, const struct case_report *rep)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!api_reaches(ctx, ROLES_ANY, rep->region_code)) {
		api_problem(req, 403, "只能上报您所在区划内的事件");
		return false;
	}
	unsigned here = roles_at(ctx, rep->region_code);
	if (!(source_roles(rep->source) & here)) {
		api_problem(req, 403,
		            arena_printf(&req->arena, "您的角色不能以“%s”为来源上报事件",
		                         source_zh(rep->source)));
		return false;
	}
	if (rep->has_tier && rep->tier == TIER_MAJOR && !(here & MAJOR_ROLES)) {
		api_problem(req, 403,
		            "您的角色不能将事件直接定为大事（major），请按类别默认层级上报");
		return false;
	}
	return true;
}

void case_report_actor(struct api_ctx *ctx, struct case_report *rep)
{
	if (api_roles(ctx) == ROLE_BIT(ROLE_RESIDENT))
		rep->reporter_user_id = ctx->who.user_id;
	rep->actor = ctx->who.name;
	rep->actor_id = ctx->who.user_id;
	rep->actor_role = role_code(ROLE_COUNT);
	for (int r = 0; r < ROLE_COUNT; r++)
		if (api_roles(ctx) & ROLE_BIT(r)) {
			rep->actor_role = role_code((enum role)r);
			break;
		}
}

/* Hands a prepared report to the group-commit writer: acknowledged only once durable; many
 * reports share one commit, and no worker thread waits for it (the connection is suspended
 * meanwhile). The job keeps the parsed body, where the report's strings live. */
static void defer_report(struct http_req *req, const struct case_report *rep,
                         const struct case_row *c, const struct api_input *in)
{
	struct api_ctx *ctx = api_ctx(req);
	struct report_job *job = arena_alloc(&req->arena, sizeof(*job));
	memset(job, 0, sizeof(*job));
	job->req = req;
	job->rep_copy = *rep;
	job->rep = &job->rep_copy;
	job->c_copy = *c;
	job->c = &job->c_copy;
	job->in = *in;
	job->audit.user_id = ctx->who.user_id;
	job->audit.username = ctx->who.token_id
	                          ? arena_printf(&req->arena, "token:%s", ctx->who.name)
	                          : ctx->who.name;
	job->audit.action = "case.report";
	job->audit.result = 201;
	job->audit.ip = req->ip;
	ctx->pending = job;
	http_defer(req, report_submit, report_finish);
}

void cases_report_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct case_report rep;
	struct case_row c;
	if (!read_report(req, &in, &rep) || !check_reporter_roles(req, &rep))
		goto out;
	case_report_actor(ctx, &rep);
	if (api_writer()) {
		/* The checks and routing read in one transaction (HTTP_RAW: the guard opened none).
		 */
		enum db_result r = db_begin_read(ctx->db);
		if (r != DB_OK) {
			api_store_error(req, r);
			goto out;
		}
		bool ok = case_prepare(req, &rep, &c);
		db_commit(ctx->db);
		if (!ok)
			goto out;
		defer_report(req, &rep, &c, &in);
		return; /* the job keeps the parsed body until report_finish frees it */
	}
	if (!case_report_create(req, &rep, &c))
		goto out;
	json_t *o = case_json(ctx, &req->arena, &c, false);
	json_object_set_new(o, "possible_duplicates", case_duplicates_json(ctx, &req->arena, &c));
	api_json(req, 201, o);
out:
	api_input_free(&in);
}
