/* /api/v1/party/members: party members (党员). A member links to a resident or a staff user,
 * belongs to one branch as the primary membership (组织关系) and to any number of functional
 * branches (下沉力量, 社会力量); status 正式/预备, transfers in and out. Every change is one
 * entry of the member's append-only history. */
#include "api/party/party.h"
#include "api/base/export.h"
#include "core/timeutil.h"
#include "store/platform/users.h"

#include <stdlib.h>
#include <string.h>

/* One entry of the member's append-only history. */
static bool member_event(struct http_req *req, int64_t member_id, const char *action,
                         int64_t from_org, int64_t to_org, const char *from_status,
                         const char *to_status, const char *detail)
{
	struct party_event_row e = {.ref_id = member_id,
	                            .action = action,
	                            .from_ref = from_org,
	                            .to_ref = to_org,
	                            .from_status = from_status,
	                            .to_status = to_status,
	                            .detail = detail};
	return party_history_add(req, store_party_member_events_add, &e);
}

/* Whether the caller sees the member: its primary branch's region or one of its functional
 * branches' regions lies in the caller's scope. */
static bool member_visible(struct http_req *req, const void *obj)
{
	struct api_ctx *ctx = api_ctx(req);
	const struct party_member_row *m = obj;
	if (api_reaches(ctx, PARTY_STAFF, m->region_code))
		return true;
	struct party_membership_row *ms;
	size_t n;
	if (store_party_memberships_list(ctx->db, &req->arena, m->id, &ms, &n) != DB_OK)
		return false;
	for (size_t i = 0; i < n; i++)
		if (api_reaches(ctx, PARTY_STAFF, ms[i].region_code))
			return true;
	return false;
}

/* Every handler naming a member loads it here: a member out of sight answers like a missing
 * one, before anything is read from the body or changed. */
API_LOADER(member, "党员", 0, member_visible, struct party_member_row, store_party_members_get,
           region_code)

/* The member with memberships and history. */
static json_t *member_full_json(struct http_req *req, const struct party_member_row *m)
{
	struct api_ctx *ctx = api_ctx(req);
	json_t *o = party_member_json(m);
	json_t *arr = json_array();
	struct party_membership_row *ms;
	size_t n;
	if (store_party_memberships_list(ctx->db, &req->arena, m->id, &ms, &n) == DB_OK)
		for (size_t i = 0; i < n; i++) {
			json_t *j = json_object();
			json_set_int(j, "org_id", ms[i].org_id);
			json_set_str(j, "org_name", ms[i].org_name);
			json_set_str(j, "kind", party_kind_code(ms[i].kind));
			json_set_str(j, "kind_name", party_kind_name_zh(ms[i].kind));
			json_set_str(j, "region_code", ms[i].region_code);
			json_set_time(j, "joined_at", ms[i].joined_at);
			json_array_append_new(arr, j);
		}
	json_object_set_new(o, "functional", arr);
	json_t *hist = json_array();
	struct party_event_row *ev;
	if (store_party_member_events_list(ctx->db, &req->arena, m->id, &ev, &n) == DB_OK)
		for (size_t i = 0; i < n; i++) {
			json_t *e = json_object();
			json_set_time(e, "at", ev[i].at);
			json_set_str(e, "actor", ev[i].actor);
			json_set_str(e, "action", ev[i].action);
			party_set_id(e, "from_org_id", ev[i].from_ref);
			party_set_id(e, "to_org_id", ev[i].to_ref);
			json_set_str(e, "from_status", ev[i].from_status);
			json_set_str(e, "to_status", ev[i].to_status);
			json_set_str(e, "detail", ev[i].detail);
			json_array_append_new(hist, e);
		}
	json_object_set_new(o, "history", hist);
	return o;
}

/* A primary branch: holds members, active. Records the error on field. */
static bool check_branch(struct api_input *in, const char *field, const struct party_org_row *o)
{
	if (!o->active) {
		api_field_error(in, field, "dissolved", "党组织已撤销");
		return false;
	}
	if (!party_kind_holds_members(o->kind)) {
		api_field_error(in, field, "kind",
		                "党员组织关系须在党支部（含网格党支部、功能型党支部）");
		return false;
	}
	return true;
}

/* A 党小组 of the primary branch for group_id. */
static void check_group(struct http_req *req, struct api_input *in, int64_t group_id,
                        int64_t org_id)
{
	struct party_org_row g;
	if (store_party_orgs_get(api_ctx(req)->db, &req->arena, group_id, &g) != DB_ROW ||
	    g.kind != PARTY_GROUP || g.parent_id != org_id || !g.active)
		api_field_error(in, "group_id", "unknown", "党小组须是所在党支部下的党小组");
}

/* The filters of the member list and the roster: org_id (members of an organisation the
 * caller sees), group_id (members of a 党小组) or region (the caller's scope with one of
 * roles), status, q. False after responding. */
static bool member_filter(struct http_req *req, unsigned roles, struct party_member_filter *f)
{
	struct api_ctx *ctx = api_ctx(req);
	f->status = -1;
	int64_t org_id, group_id;
	if (!api_query_id(req, "org_id", &org_id) || !api_query_id(req, "group_id", &group_id))
		return false;
	if (org_id || group_id) {
		struct party_org_row o;
		if (org_id && !party_load_org(req, org_id, false, &o))
			return false;
		if (org_id && !api_reaches(ctx, roles, o.region_code)) {
			api_problem(req, 404, "党组织不存在");
			return false;
		}
		if (group_id) {
			if (!party_load_org(req, group_id, false, &o))
				return false;
			if (o.kind != PARTY_GROUP || !api_reaches(ctx, roles, o.region_code)) {
				api_problem(req, 404, "党小组不存在");
				return false;
			}
		}
		f->org_id = org_id;
		f->group_id = group_id;
		f->region = "";
	} else if (!party_region_query(req, roles, true, &f->region)) {
		return false;
	}
	const char *s = http_query(req, "status");
	if (s) {
		enum party_member_status st;
		if (!party_member_status_parse(s, &st)) {
			api_problem(req, 400, "status 取值无效");
			return false;
		}
		f->status = st;
	}
	f->q = http_query(req, "q");
	if (f->q && (!*f->q || strlen(f->q) > 64))
		f->q = NULL;
	return true;
}

/* The answer of every write to a member: audited under its id, read back whole. */
static void respond_member(struct http_req *req, int status, struct party_member_row *m)
{
	party_audit(req, "party_member", m->id);
	store_party_members_get(api_ctx(req)->db, &req->arena, m->id, m);
	api_json(req, status, member_full_json(req, m));
}

API_ITEM(member_item, party_member_json)

void party_members_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t after;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &after))
		return;
	struct party_member_filter f = {.status = -1};
	if (!member_filter(req, PARTY_STAFF, &f))
		return;
	f.after_id = after;
	f.limit = limit + 1;
	struct party_member_row *rows;
	size_t n;
	enum db_result r = store_party_members_list(ctx->db, &req->arena, &f, &rows, &n);
	party_respond_page(req, r, rows, n, sizeof *rows, limit, member_item);
}

/* The roster's columns: no ID numbers, no phones. */
static const char *const roster_titles[] = {
    "姓名",     "性别",     "所属党组织", "组织类型",     "党小组",     "所在区划", "区划代码",
    "党员状态", "入党日期", "转入",       "功能型党支部", "党员中心户", "备注"};

enum { ROSTER_PAGE = 500 };

/* Writes every member f selects to the sink, a page at a time. */
static bool roster_rows(struct http_req *req, struct sink *s, struct party_member_filter *f)
{
	struct api_ctx *ctx = api_ctx(req);
	f->after_id = 0;
	f->limit = ROSTER_PAGE;
	for (;;) {
		struct arena page;
		arena_init(&page);
		struct party_roster_row *rows;
		size_t n;
		if (store_party_members_roster(ctx->db, &page, f, &rows, &n) != DB_OK) {
			arena_free(&page);
			return false;
		}
		for (size_t i = 0; i < n; i++) {
			const struct party_roster_row *r = &rows[i];
			const char *gender = NULL;
			if (r->gender && strcmp(r->gender, "male") == 0)
				gender = "男";
			else if (r->gender && strcmp(r->gender, "female") == 0)
				gender = "女";
			const char *cells[] = {
			    r->m.name,        gender,
			    r->m.org_name,    party_kind_name_zh(r->org_kind),
			    r->m.group_name,  r->region_name,
			    r->m.region_code, party_member_status_name_zh(r->m.status),
			    r->m.joined_on,   r->m.transferred_in ? "是" : "否",
			    r->functional,    r->center ? "是" : "否",
			    r->m.note};
			sink_row(s, cells, (int)(sizeof cells / sizeof cells[0]));
			s->rows++;
		}
		bool more = n == ROSTER_PAGE;
		if (more)
			f->after_id = rows[n - 1].m.id;
		arena_free(&page);
		if (!more || s->failed)
			return !s->failed;
	}
}

void party_members_export_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct party_member_filter f = {.status = -1};
	bool xlsx;
	/* The roster is the whole membership of a region: managers of that region only. */
	if (!export_format_param(req, &xlsx) || !member_filter(req, ROLES_MANAGERS, &f))
		return;
	struct sink s;
	int fd;
	size_t len;
	if (!sink_start(&s, "党员花名册", xlsx)) {
		api_problem(req, 503, "导出文件生成失败，请稍后再试");
		return;
	}
	sink_header(&s, roster_titles, (int)(sizeof roster_titles / sizeof roster_titles[0]));
	if (!roster_rows(req, &s, &f)) {
		sink_free(&s);
		api_problem(req, 503, "导出文件生成失败，请稍后再试");
		return;
	}
	if (!sink_finish(&s, &fd, &len)) {
		api_problem(req, 503, "导出文件生成失败，请稍后再试");
		return;
	}
	ctx->audit_action = "party_member.export";
	ctx->audit_object =
	    f.region && *f.region ? arena_printf(&req->arena, "region:%s", f.region) : "region:*";
	ctx->audit_detail = arena_printf(&req->arena, "rows=%lld format=%s", (long long)s.rows,
	                                 xlsx ? "xlsx" : "csv");
	if (f.org_id)
		ctx->audit_detail = arena_printf(&req->arena, "%s org=%lld", ctx->audit_detail,
		                                 (long long)f.org_id);
	if (f.group_id)
		ctx->audit_detail = arena_printf(&req->arena, "%s group=%lld", ctx->audit_detail,
		                                 (long long)f.group_id);
	export_send_file(req, fd, len, xlsx, "party-members");
}

/* The person a new member is: a resident (in the caller's scope: 403 "scope" otherwise)
 * or a staff user, at least one; the name defaults to theirs. */
static void read_member_person(struct http_req *req, struct api_input *in,
                               struct party_member_row *m)
{
	struct api_ctx *ctx = api_ctx(req);
	bool has_res, has_user;
	size_t errors_before = json_array_size(in->errors);
	party_id_field(in, "resident_id", false, &m->resident_id, &has_res);
	party_id_field(in, "user_id", false, &m->user_id, &has_user);
	/* Present is not enough: {"resident_id": null} links nobody. */
	if (!m->resident_id && !m->user_id && json_array_size(in->errors) == errors_before)
		api_field_error(in, "resident_id", "required",
		                "党员须关联一位居民（resident_id）或一名工作人员（user_id）");
	if (m->resident_id) {
		struct party_base_ref res;
		/* A resident of another region is a target outside the caller's scope: 403
		 * (API.md); one that does not exist breaks a rule of the data: 422. */
		if (store_party_resident_ref(ctx->db, &req->arena, m->resident_id, &res) != DB_ROW)
			api_field_error(in, "resident_id", "unknown", "居民不存在");
		else if (!api_reaches(ctx, PARTY_STAFF, res.region_code))
			api_field_error(in, "resident_id", "scope", "该居民超出您的管辖范围");
		else if (!m->name)
			m->name = res.name;
	}
	if (m->user_id) {
		struct user_row u;
		if (store_users_get(ctx->db, &req->arena, m->user_id, &u) != DB_ROW)
			api_field_error(in, "user_id", "unknown", "用户不存在");
		else if (!m->name)
			m->name = u.display_name;
	}
}

void party_members_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct party_member_row m;
	memset(&m, 0, sizeof m);
	m.name = api_string(&in, "name", false, 32, NULL);
	read_member_person(req, &in, &m);
	struct party_org_row org;
	bool org_ok = party_org_target(req, &in, "org_id", true, ROLES_MANAGERS, &org, NULL) &&
	              check_branch(&in, "org_id", &org);
	if (party_id_field(&in, "group_id", false, &m.group_id, NULL) && org_ok)
		check_group(req, &in, m.group_id, org.id);
	m.status = MEMBER_FULL;
	const char *status = api_string(&in, "status", false, 20, NULL);
	if (status &&
	    (!party_member_status_parse(status, &m.status) || m.status == MEMBER_TRANSFERRED_OUT))
		api_field_error(&in, "status", "enum",
		                "状态须为 full（正式）或 probationary（预备）");
	m.joined_on = party_date_field(&in, "joined_on", false, NULL);
	api_bool(&in, "transferred_in", &m.transferred_in, NULL);
	m.note = api_string(&in, "note", false, 500, NULL);
	if (!m.name && json_array_size(in.errors) == 0)
		api_field_error(&in, "name", "required", "此项为必填");
	if (!api_input_end(req, &in))
		goto out;
	if (!api_reaches(ctx, ROLES_MANAGERS, org.region_code)) {
		api_problem(req, 403, "该党组织不在您的管理范围内");
		goto out;
	}
	m.org_id = org.id;
	m.region_code = org.region_code;
	m.created_at = m.updated_at = time_now();
	enum db_result r = store_party_members_insert(ctx->db, &m);
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409, "该居民或用户已登记为党员");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	if (!member_event(req, m.id, m.transferred_in ? "transfer_in" : "join", 0, m.org_id, NULL,
	                  party_member_status_code(m.status), NULL))
		goto out;
	respond_member(req, 201, &m);
out:
	api_input_free(&in);
}

void party_members_get_h(struct http_req *req)
{
	struct party_member_row m;
	if (!member_from_path(req, &m))
		return;
	api_json(req, 200, member_full_json(req, &m));
}

/* Reads the changeable fields of a PATCH into m: name, joined_on, note, transferred_in,
 * status, the primary branch (org_id; a move leaves the 党小组) and the 党小组 (group_id;
 * null: none). */
static void read_member_patch(struct http_req *req, struct api_input *in,
                              struct party_member_row *m)
{
	bool has;
	const char *v = api_string(in, "name", false, 32, &has);
	if (v)
		m->name = v;
	else if (has && json_array_size(in->errors) == 0)
		api_field_error(in, "name", "required", "姓名不能为空");
	v = party_date_field(in, "joined_on", false, &has);
	if (has)
		m->joined_on = v;
	v = api_string(in, "note", false, 500, &has);
	if (has)
		m->note = v && *v ? v : NULL;
	api_bool(in, "transferred_in", &m->transferred_in, NULL);
	const char *status = api_string(in, "status", false, 20, NULL);
	if (status && !party_member_status_parse(status, &m->status))
		api_field_error(in, "status", "enum",
		                "状态须为 full、probationary 或 transferred_out");
	struct party_org_row org;
	bool org_present = false;
	if (party_org_field(req, in, "org_id", false, &org, &org_present) &&
	    check_branch(in, "org_id", &org) && org.id != m->org_id) {
		m->org_id = org.id;
		m->region_code = org.region_code;
		m->group_id = 0;
	}
	json_t *gj = json_object_get(in->body, "group_id");
	if (gj && json_is_null(gj))
		m->group_id = 0;
	else if (party_id_field(in, "group_id", false, &m->group_id, NULL))
		check_group(req, in, m->group_id, m->org_id);
}

/* Whether the member may change from before to m: false after responding 409 (正式 back to
 * 预备, a move while transferred out) or 403 (a move to a branch the caller does not
 * manage). */
static bool member_change_ok(struct http_req *req, const struct party_member_row *before,
                             const struct party_member_row *m)
{
	if (!party_member_status_change_ok(before->status, m->status)) {
		api_problem(req, 409, "正式党员不能改为预备党员");
		return false;
	}
	if (m->org_id == before->org_id)
		return true;
	if (!api_reaches(api_ctx(req), ROLES_MANAGERS, m->region_code)) {
		api_problem(req, 403, "转入的党组织不在您的管理范围内");
		return false;
	}
	if (before->status == MEMBER_TRANSFERRED_OUT && m->status == MEMBER_TRANSFERRED_OUT) {
		api_problem(req, 409, "已转出的党员须先转入");
		return false;
	}
	return true;
}

/* A member who leaves leaves the functional branches too (history keeps them). */
static bool leave_functional_all(struct http_req *req, const struct party_member_row *m)
{
	struct api_ctx *ctx = api_ctx(req);
	struct party_membership_row *ms;
	size_t n;
	if (store_party_memberships_list(ctx->db, &req->arena, m->id, &ms, &n) != DB_OK)
		return true;
	for (size_t i = 0; i < n; i++) {
		store_party_memberships_remove(ctx->db, m->id, ms[i].org_id);
		if (!member_event(req, m->id, "leave_functional", ms[i].org_id, 0, NULL, NULL,
		                  ms[i].org_name))
			return false;
	}
	return true;
}

/* Writes the change from before to m and its history entry; false after responding. */
static bool save_member_patch(struct http_req *req, struct party_member_row *m,
                              const struct party_member_row *before)
{
	struct api_ctx *ctx = api_ctx(req);
	bool moved = m->org_id != before->org_id;
	bool out_now =
	    m->status == MEMBER_TRANSFERRED_OUT && before->status != MEMBER_TRANSFERRED_OUT;
	bool back_in =
	    before->status == MEMBER_TRANSFERRED_OUT && m->status != MEMBER_TRANSFERRED_OUT;
	/* When the new primary branch was one of its functional branches, the one membership
	 * that remains is the primary one. */
	if (moved)
		(void)store_party_memberships_remove(ctx->db, m->id, m->org_id);
	if (back_in)
		m->transferred_in = true;
	m->updated_at = time_now();
	enum db_result r = store_party_members_update(ctx->db, m);
	if (!api_stored(req, r))
		return false;
	if (out_now && !leave_functional_all(req, m))
		return false;
	const char *action = out_now                       ? "transfer_out"
	                     : back_in                     ? "transfer_in"
	                     : moved                       ? "move"
	                     : m->status != before->status ? "status"
	                                                   : "update";
	return member_event(req, m->id, action, moved || out_now ? before->org_id : 0,
	                    moved || back_in ? m->org_id : 0,
	                    party_member_status_code(before->status),
	                    party_member_status_code(m->status), NULL);
}

void party_members_patch_h(struct http_req *req)
{
	struct party_member_row m;
	if (!member_from_path(req, &m))
		return;
	struct api_input in;
	if (!api_write_begin(req, ROLES_MANAGERS, m.region_code,
	                     "该党员的组织关系不在您的管理范围内", &in))
		return;
	struct party_member_row before = m;
	read_member_patch(req, &in, &m);
	if (!api_input_end(req, &in) || !member_change_ok(req, &before, &m) ||
	    !save_member_patch(req, &m, &before))
		goto out;
	respond_member(req, 200, &m);
out:
	api_input_free(&in);
}

void party_members_join_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct party_member_row m;
	struct api_input in;
	if (!member_from_path(req, &m) || !api_input_begin(req, &in))
		return;
	struct party_org_row org;
	if (party_org_field(req, &in, "org_id", true, &org, NULL)) {
		if (!party_kind_functional(org.kind))
			api_field_error(&in, "org_id", "kind", "只能加入功能型党支部");
		else if (!org.active)
			api_field_error(&in, "org_id", "dissolved", "党组织已撤销");
	}
	if (!api_input_end(req, &in))
		goto out;
	if (!api_reaches(ctx, ROLES_MANAGERS, org.region_code)) {
		api_problem(req, 403, "该功能型党支部不在您的管理范围内");
		goto out;
	}
	if (m.status == MEMBER_TRANSFERRED_OUT) {
		api_problem(req, 409, "已转出的党员不能加入功能型党支部");
		goto out;
	}
	if (m.org_id == org.id) {
		api_problem(req, 409, "该党员的组织关系已在此党支部");
		goto out;
	}
	enum db_result r = store_party_memberships_add(ctx->db, m.id, org.id, time_now());
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409, "该党员已在此功能型党支部");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	if (!member_event(req, m.id, "join_functional", 0, org.id, NULL, NULL, org.name))
		goto out;
	party_audit(req, "party_member", m.id);
	ctx->audit_detail = arena_printf(&req->arena, "org=%lld", (long long)org.id);
	api_json(req, 201, member_full_json(req, &m));
out:
	api_input_free(&in);
}

void party_members_leave_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct party_member_row m;
	int64_t org_id;
	struct party_org_row org;
	if (!member_from_path(req, &m) || !api_path_id(req, "org_id", "党组织", &org_id) ||
	    !party_load_org(req, org_id, true, &org))
		return;
	enum db_result r = store_party_memberships_remove(ctx->db, m.id, org.id);
	if (r == DB_DONE) {
		api_problem(req, 404, "该党员不在此功能型党支部");
		return;
	}
	if (!api_stored(req, r))
		return;
	if (!member_event(req, m.id, "leave_functional", org.id, 0, NULL, NULL, org.name))
		return;
	party_audit(req, "party_member", m.id);
	ctx->audit_detail = arena_printf(&req->arena, "org=%lld", (long long)org.id);
	api_no_content(req);
}
