/* Ballots (民决, 表决) of a topic: opened by managers with the register fixed at that moment,
 * one vote per household (or adult resident), replaced until close, paper votes by staff,
 * the result hidden while open and frozen on close; closing at closes_at is done by the
 * outbox thread (delib_close_due), or by the topic leaving the ballot's stage. */
#include "api/deliberation/deliberation.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/region.h"
#include "domain/selection.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTIONS 10

/* 同意, 不同意, 弃权 */
static const char default_options[] =
    "[\"\\u540c\\u610f\",\"\\u4e0d\\u540c\\u610f\",\"\\u5f03\\u6743\"]";

static int options_count(const char *options, int64_t seats)
{
	json_t *a = options ? json_loads(options, 0, NULL) : NULL;
	int n = a && json_is_array(a) ? (int)json_array_size(a) : 0;
	json_decref(a);
	int max = seats > 0 ? SELECTION_MAX_OPTIONS : MAX_OPTIONS;
	return n > max ? max : n;
}

/* A selection's count: every vote's mask adds one to each option it chose; then who is
 * elected (b->elected, a JSON array of places) and whether the last place is tied. */
static enum db_result selection_count(struct db *db, struct arena *a, const struct ballot_row *b,
                                      int64_t *counts, int n, const char **elected)
{
	int64_t *choices, *weights;
	size_t m;
	enum db_result r = store_ballot_choice_counts(db, a, b->id, &choices, &weights, &m);
	if (r != DB_OK)
		return r;
	for (size_t i = 0; i < m; i++)
		selection_tally(choices[i], weights[i], counts, n);
	enum selection_place places[SELECTION_MAX_OPTIONS];
	bool tie;
	selection_elect(counts, n, (int)b->seats, places, &tie);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_string(selection_place_code(places[i])));
	char *s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	*elected = s ? arena_printf(a, "%s", s) : NULL;
	free(s);
	return *elected ? DB_OK : DB_ERROR;
}

static void rule_of(const struct ballot_row *b, struct ballot_rule *r)
{
	ballot_unit_parse(b->unit, &r->unit);
	r->quorum = (struct share){b->quorum_num, b->quorum_den, b->quorum_more};
	r->threshold = (struct share){b->threshold_num, b->threshold_den, b->threshold_more};
}

enum db_result delib_ballot_count(struct db *db, struct arena *a, struct ballot_row *b)
{
	int n = options_count(b->options, b->seats);
	int64_t counts[SELECTION_MAX_OPTIONS] = {0};
	enum db_result r = b->seats > 0 ? selection_count(db, a, b, counts, n, &b->elected)
	                                : store_ballot_counts(db, b->id, counts, n);
	if (r == DB_OK)
		r = store_ballot_cast(db, b->id, &b->cast_count);
	if (r != DB_OK)
		return r;
	struct ballot_rule rule;
	rule_of(b, &rule);
	struct ballot_outcome o;
	ballot_outcome(&rule, b->eligible, counts, b->seats > 0 ? 0 : n, &o);
	if (b->seats > 0) {
		/* A selection: the quorum as for any ballot, on who voted; it passes when the
		 * quorum is met and someone is elected. */
		o.quorum_met =
		    b->eligible > 0 && share_reached(&rule.quorum, b->cast_count, b->eligible);
		o.passed = o.quorum_met && b->elected && strstr(b->elected, "\"elected\"");
	}
	b->quorum_met = o.quorum_met;
	b->passed = o.passed;
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_integer(counts[i]));
	char *s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	b->counts = s ? arena_printf(a, "%s", s) : "[]";
	free(s);
	return DB_OK;
}

enum db_result delib_ballot_close(struct db *db, struct arena *a, struct ballot_row *b, int64_t now)
{
	enum db_result r = delib_ballot_count(db, a, b);
	if (r == DB_OK)
		r = store_ballot_close(db, b, now);
	if (r == DB_OK) {
		b->closed = true;
		b->closed_at = now;
	}
	return r;
}

enum db_result delib_latest_ballot(struct db *db, struct arena *a, int64_t topic_id,
                                   struct ballot_row *out)
{
	struct ballot_row *rows;
	size_t n;
	enum db_result r = store_ballots_of_topic(db, a, topic_id, &rows, &n);
	if (r != DB_OK)
		return r;
	if (n == 0)
		return DB_DONE;
	*out = rows[0];
	return DB_ROW;
}

static double share_value(int64_t num, int64_t den)
{
	return den > 0 ? (double)num / (double)den : 0.0;
}

/* The voter (household or resident id) of a resident caller for ballot b; 0 when the account
 * is linked to no resident (or household). */
static int64_t caller_voter(struct http_req *req, const struct ballot_row *b)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_voter v;
	if (!ctx->who.user_id ||
	    store_topic_voter(ctx->db, &req->arena, ctx->who.user_id, &v) != DB_OK || !v.active)
		return 0;
	return strcmp(b->unit, "household") == 0 ? v.household_id : v.resident_id;
}

json_t *delib_ballot_json(struct http_req *req, const struct ballot_row *b0, bool with_mine)
{
	struct api_ctx *ctx = api_ctx(req);
	struct ballot_row b = *b0;
	int64_t now = time_now();
	bool closed = b.closed || now >= b.closes_at;
	/* Past closes_at the outbox thread closes it within seconds; until then the answer is what
	 * it will store (no vote is taken after closes_at). */
	if (!b.closed && closed && delib_ballot_count(ctx->db, &req->arena, &b) != DB_OK)
		closed = false;
	json_t *o = json_object();
	json_set_int(o, "id", b.id);
	json_set_int(o, "topic_id", b.topic_id);
	json_set_str(o, "stage", b.stage);
	json_set_str(o, "question", b.question);
	json_t *opts = b.options ? json_loads(b.options, 0, NULL) : NULL;
	json_object_set_new(o, "options", opts ? opts : json_array());
	json_set_str(o, "unit", b.unit);
	json_set_str(o, "preset", b.preset);
	json_object_set_new(o, "quorum", json_real(share_value(b.quorum_num, b.quorum_den)));
	json_set_str(o, "quorum_rule", b.quorum_more ? "more_than" : "at_least");
	json_object_set_new(o, "threshold",
	                    json_real(share_value(b.threshold_num, b.threshold_den)));
	json_set_str(o, "threshold_rule", b.threshold_more ? "more_than" : "at_least");
	json_set_bool(o, "secret", b.secret);
	json_set_time(o, "opens_at", b.opens_at);
	json_set_time(o, "closes_at", b.closes_at);
	json_set_str(o, "status", closed ? "closed" : "open");
	json_set_int(o, "eligible", b.eligible);
	if (!closed) {
		int64_t cast = 0;
		store_ballot_cast(ctx->db, b.id, &cast);
		json_set_int(o, "cast", cast);
	} else {
		json_set_int(o, "cast", b.cast_count);
		json_object_set_new(
		    o, "turnout",
		    json_real(b.eligible > 0 ? (double)b.cast_count / (double)b.eligible : 0.0));
		json_set_bool(o, "quorum_met", b.quorum_met);
		json_t *counts = b.counts ? json_loads(b.counts, 0, NULL) : NULL;
		json_object_set_new(o, "counts", counts ? counts : json_array());
		json_set_bool(o, "passed", b.passed);
		json_set_time(o, "closed_at", b.closed ? b.closed_at : b.closes_at);
		if (b.seats > 0) {
			json_t *el = b.elected ? json_loads(b.elected, 0, NULL) : NULL;
			json_object_set_new(o, "elected", el ? el : json_array());
			json_set_bool(o, "tie", b.elected && strstr(b.elected, "\"tied\""));
		}
	}
	if (b.seats > 0) {
		json_set_int(o, "seats", b.seats);
		json_t *ids = b.nominations ? json_loads(b.nominations, 0, NULL) : NULL;
		json_object_set_new(o, "nominations", ids ? ids : json_array());
	}
	if (with_mine && (api_roles(ctx) & ROLE_BIT(ROLE_RESIDENT))) {
		int64_t voter = caller_voter(req, &b), choice = -1;
		bool reg = false;
		if (voter)
			store_ballot_registered(ctx->db, b.id, voter, &reg);
		if (voter && reg)
			store_ballot_choice(ctx->db, b.id, voter, &choice);
		json_set_bool(o, "may_vote", reg && !closed);
		if (choice >= 0 && b.seats > 0) {
			json_t *mine = json_array();
			for (int i = 0; i < SELECTION_MAX_OPTIONS; i++)
				if ((choice >> i) & 1)
					json_array_append_new(mine, json_integer(i));
			json_object_set_new(o, "my_vote", mine);
		} else if (choice >= 0)
			json_set_int(o, "my_vote", choice);
		else
			json_object_set_new(o, "my_vote", json_null());
	}
	return o;
}

static bool read_share(struct api_input *in, const char *field, bool more_than, struct share *out,
                       bool *present)
{
	json_t *v = json_object_get(in->body, field);
	*present = v != NULL;
	if (!v)
		return false;
	if (!json_is_number(v) || !ballot_share_from(json_number_value(v), more_than, out)) {
		api_field_error(in, field, "range", "须为 0 到 1 之间的数");
		return false;
	}
	return true;
}

static const char *read_options(struct http_req *req, struct api_input *in)
{
	json_t *v = json_object_get(in->body, "options");
	if (!v)
		return default_options;
	size_t n = json_is_array(v) ? json_array_size(v) : 0;
	bool ok = n >= 2 && n <= MAX_OPTIONS;
	for (size_t i = 0; ok && i < n; i++) {
		json_t *s = json_array_get(v, i);
		ok = json_is_string(s) && json_string_length(s) > 0 && json_string_length(s) <= 200;
	}
	if (!ok) {
		api_field_error(in, "options", "invalid", "选项须为 2–10 个文本");
		return NULL;
	}
	char *s = json_dumps(v, JSON_COMPACT);
	const char *out = s ? arena_printf(&req->arena, "%s", s) : NULL;
	free(s);
	return out;
}

/* The options of a selection's ballot: the labels of its accepted nominations (b->options,
 * b->nominations); false (answered 409) when there are none or too many. */
static bool selection_options(struct http_req *req, int64_t topic_id, struct ballot_row *b)
{
	struct nomination_row *rows;
	size_t n = 0;
	enum db_result r = store_nominations_of_topic(api_ctx(req)->db, &req->arena, topic_id,
	                                              "accepted", &rows, &n);
	if (r != DB_OK) {
		api_store_error(req, r);
		return false;
	}
	if (n == 0 || n > SELECTION_MAX_OPTIONS) {
		api_problem(req, 409, "评选须有 1 到 60 个已接受的提名");
		return false;
	}
	json_t *labels = json_array(), *ids = json_array();
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(labels, json_string(rows[i].label));
		json_array_append_new(ids, json_integer(rows[i].id));
	}
	char *l = json_dumps(labels, JSON_COMPACT), *d = json_dumps(ids, JSON_COMPACT);
	json_decref(labels);
	json_decref(ids);
	b->options = l ? arena_printf(&req->arena, "%s", l) : NULL;
	b->nominations = d ? arena_printf(&req->arena, "%s", d) : NULL;
	free(l);
	free(d);
	if (!b->options || !b->nominations) {
		api_store_error(req, DB_ERROR);
		return false;
	}
	return true;
}

/* The counting rule of a new ballot from the body: a preset from the law, or a unit with an
 * optional quorum and threshold (field errors are left in the input). */
static void read_ballot_rule(struct api_input *in, struct ballot_row *b, struct ballot_rule *rule)
{
	const char *unit = api_string(in, "unit", false, 20, NULL);
	b->preset = api_string(in, "preset", false, 40, NULL);
	enum ballot_preset preset = BPRESET_NONE;
	struct share q, th;
	bool has_q, has_t;
	bool q_ok = read_share(in, "quorum", false, &q, &has_q);
	bool t_ok = read_share(in, "threshold", true, &th, &has_t);
	enum ballot_unit u = BALLOT_HOUSEHOLD;
	if (unit && !ballot_unit_parse(unit, &u))
		api_field_error(in, "unit", "invalid", "unit 须为 household 或 resident");
	if (b->preset && !ballot_preset_parse(b->preset, &preset))
		api_field_error(in, "preset", "invalid", "不是有效的法定表决规则");
	else if (b->preset) {
		ballot_preset_rule(preset, rule);
		if (has_q || has_t)
			api_field_error(in, "preset", "conflict",
			                "使用法定表决规则时不能另设法定人数和通过比例");
		if (unit && u != rule->unit)
			api_field_error(in, "unit", "conflict", "表决单位与法定表决规则不符");
	} else {
		rule->unit = u;
		if (q_ok)
			rule->quorum = q;
		if (t_ok)
			rule->threshold = th;
	}
}

static void read_closes_at(struct api_input *in, int64_t now, struct ballot_row *b)
{
	const char *closes = api_string(in, "closes_at", true, 40, NULL);
	if (closes && !time_parse(closes, &b->closes_at))
		api_field_error(in, "closes_at", "format", "时间须为带时区的 RFC 3339 格式");
	else if (closes && b->closes_at <= now)
		api_field_error(in, "closes_at", "past", "截止时间须晚于现在");
	else if (closes && b->closes_at > now + 90 * 86400)
		api_field_error(in, "closes_at", "range", "表决最长 90 天");
}

/* Whether a ballot may open on the topic now (answered 409 or 500 when not): the topic is not
 * over and no other ballot is running; a ballot past its time but not yet closed by the
 * outbox thread is closed here first. A selection's options are its accepted nominations. */
static bool ballot_may_open(struct http_req *req, const struct topic_row *t, int64_t now,
                            struct ballot_row *b)
{
	struct db *db = api_ctx(req)->db;
	enum topic_stage s = TSTAGE_COUNT;
	topic_stage_parse(t->stage, &s);
	struct ballot_row last;
	enum db_result r = delib_latest_ballot(db, &req->arena, t->id, &last);
	if (topic_stage_final(s)) {
		api_problem(req, 409, "议题已结束，不能发起表决");
		return false;
	}
	if (r == DB_ROW && !last.closed && last.closes_at > now) {
		api_problem(req, 409, "该议题已有进行中的表决");
		return false;
	}
	if (r == DB_ROW && !last.closed)
		r = delib_ballot_close(db, &req->arena, &last, now) == DB_OK ? DB_ROW : DB_ERROR;
	if (r == DB_ROW || r == DB_DONE)
		r = store_selection_seats(db, t->id, &b->seats);
	if (r == DB_ROW)
		return selection_options(req, t->id, b);
	if (r != DB_DONE) {
		api_store_error(req, r);
		return false;
	}
	return true;
}

static void ballot_fill(struct ballot_row *b, const struct topic_row *t,
                        const struct ballot_rule *rule, int64_t now, int64_t user_id)
{
	b->topic_id = t->id;
	b->region_code = t->region_code;
	b->stage = t->stage;
	b->unit = ballot_unit_code(rule->unit);
	b->quorum_num = rule->quorum.num;
	b->quorum_den = rule->quorum.den;
	b->quorum_more = rule->quorum.more_than;
	b->threshold_num = rule->threshold.num;
	b->threshold_den = rule->threshold.den;
	b->threshold_more = rule->threshold.more_than;
	b->opens_at = b->created_at = now;
	b->created_by = user_id;
}

void topic_ballots_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_row t;
	if (!delib_topic_from_path(req, &t))
		return;
	struct api_input in;
	if (!api_write_begin(req, DELIB_MANAGERS, t.region_code, "您不能为此议题发起表决", &in))
		return;
	struct ballot_row b;
	memset(&b, 0, sizeof b);
	int64_t now = time_now();
	b.question = api_string(&in, "question", true, 500, NULL);
	b.options = read_options(req, &in);
	struct ballot_rule rule = {BALLOT_HOUSEHOLD, {1, 2, false}, {1, 2, true}};
	read_ballot_rule(&in, &b, &rule);
	read_closes_at(&in, now, &b);
	api_bool(&in, "secret", &b.secret, NULL);
	if (!api_input_end(req, &in) || !ballot_may_open(req, &t, now, &b))
		goto out;
	ballot_fill(&b, &t, &rule, now, ctx->who.user_id);
	/* Adults: born in the year 18 years before this one or earlier (only the year of birth
	 * is kept in clear, migration 6). */
	char at[TIME_RFC3339_LEN];
	time_format(now, at);
	int year = atoi(at);
	enum db_result r = store_ballots_insert(ctx->db, &b);
	if (r == DB_OK)
		r = store_ballot_register_fill(ctx->db, &b, year - 18);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "ballot:%lld", (long long)b.id);
	ctx->audit_detail = arena_printf(&req->arena, "topic:%lld eligible:%lld", (long long)t.id,
	                                 (long long)b.eligible);
	store_ballots_get(ctx->db, &req->arena, b.id, &b);
	api_json(req, 201, delib_ballot_json(req, &b, false));
out:
	api_input_free(&in);
}

/* A selection's vote: the chosen options as a bit mask (the store's form), -1 when the list
 * is not of distinct option numbers. */
static int64_t read_choice_mask(const json_t *chosen)
{
	if (!json_is_array(chosen))
		return -1;
	int64_t mask = 0;
	size_t i;
	json_t *v;
	json_array_foreach(chosen, i, v)
	{
		int64_t k = json_is_integer(v) ? json_integer_value(v) : -1;
		if (k < 0 || k >= SELECTION_MAX_OPTIONS || (mask >> k) & 1)
			return -1;
		mask |= (int64_t)1 << k;
	}
	return mask;
}

struct vote_input {
	int64_t option, mask, household_id, resident_id;
	bool paper, has_option, has_household, has_resident;
	json_t *chosen; /* borrowed from the body */
};

static void read_vote(struct http_req *req, const struct topic_row *t, struct api_input *in,
                      struct vote_input *v)
{
	struct api_ctx *ctx = api_ctx(req);
	api_int(in, "option", false, 0, MAX_OPTIONS - 1, &v->option, &v->has_option);
	v->chosen = json_object_get(in->body, "options");
	v->mask = v->chosen ? read_choice_mask(v->chosen) : 0;
	if (v->mask < 0)
		api_field_error(in, "options", "invalid", "options 须为不重复的选项序号");
	else if (!v->has_option && !v->chosen)
		api_field_error(in, "option", "required", "请选择");
	api_bool(in, "paper", &v->paper, NULL);
	api_int(in, "household_id", false, 1, INT64_MAX, &v->household_id, &v->has_household);
	api_int(in, "resident_id", false, 1, INT64_MAX, &v->resident_id, &v->has_resident);
	if (v->paper && !api_reaches(ctx, DELIB_STAFF, t->region_code))
		api_field_error(in, "paper", "scope", "只有工作人员可以录入纸质选票");
	else if (!v->paper && (v->has_household || v->has_resident))
		api_field_error(in, "paper", "required", "为他人录入须是纸质选票（paper: true）");
	else if (!v->paper && !(api_roles(ctx) & ROLE_BIT(ROLE_RESIDENT)))
		api_field_error(in, "paper", "required", "工作人员只能录入纸质选票");
}

/* The voter a vote counts for (a household or a resident on the register), 0 when answered:
 * the caller's own, or the one a paper vote names. */
static int64_t vote_voter(struct http_req *req, const struct ballot_row *b,
                          const struct vote_input *v)
{
	bool household = strcmp(b->unit, "household") == 0;
	int64_t voter = 0;
	if (v->paper && !(household ? v->has_household : v->has_resident)) {
		api_field_problem(req, household ? "household_id" : "resident_id", "required",
		                  household ? "按户表决须填写 household_id"
		                            : "按人表决须填写 resident_id");
		return 0;
	}
	voter = !v->paper ? caller_voter(req, b) : household ? v->household_id : v->resident_id;
	bool reg = false;
	enum db_result r;
	if (voter && (r = store_ballot_registered(api_ctx(req)->db, b->id, voter, &reg)) != DB_OK) {
		api_store_error(req, r);
		return 0;
	}
	if (!reg)
		api_problem(req, 403, "不在本次表决的选民名册中");
	return reg ? voter : 0;
}

/* The ballot open for votes (answered 409 when none); the choice checked against it. */
static bool vote_ballot(struct http_req *req, int64_t topic_id, int64_t now, struct vote_input *v,
                        struct ballot_row *b)
{
	enum db_result r = delib_latest_ballot(api_ctx(req)->db, &req->arena, topic_id, b);
	if (r == DB_DONE || (r == DB_ROW && (b->closed || now >= b->closes_at))) {
		api_problem(req, 409, "没有进行中的表决");
		return false;
	}
	if (!api_stored(req, r == DB_ROW ? DB_OK : r))
		return false;
	int nopts = options_count(b->options, b->seats);
	if (b->seats > 0 && !selection_mask_valid(v->chosen ? v->mask : 0, nopts, (int)b->seats)) {
		api_field_problem(req, "options", "range", "须选择 1 到应选名额个被提名者");
		return false;
	}
	if (b->seats == 0 && (!v->has_option || v->option >= nopts)) {
		api_field_problem(req, "option", "range", "没有这个选项");
		return false;
	}
	if (b->seats > 0)
		v->option = v->mask;
	return true;
}

void topic_votes_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_row t;
	if (!delib_topic_from_path(req, &t))
		return;
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct vote_input v;
	memset(&v, 0, sizeof v);
	read_vote(req, &t, &in, &v);
	struct ballot_row b;
	int64_t now = time_now(), voter;
	if (!api_input_end(req, &in) || !vote_ballot(req, t.id, now, &v, &b) ||
	    !(voter = vote_voter(req, &b, &v)))
		goto out;
	int64_t before = -1;
	store_ballot_choice(ctx->db, b.id, voter, &before);
	enum db_result r =
	    store_ballot_vote(ctx->db, b.id, voter, v.option, ctx->who.user_id, v.paper, now);
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "ballot:%lld", (long long)b.id);
	/* The audit names the ballot, never the choice. */
	ctx->audit_detail = v.paper ? "paper" : NULL;
	json_t *o = json_object();
	json_set_int(o, "ballot_id", b.id);
	if (b.seats > 0)
		json_object_set(o, "options", v.chosen);
	else
		json_set_int(o, "option", v.option);
	json_set_bool(o, "replaced", before >= 0);
	json_set_bool(o, "paper", v.paper);
	api_json(req, 201, o);
out:
	api_input_free(&in);
}

void topic_result_get_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct topic_row t;
	if (!delib_topic_from_path(req, &t))
		return;
	int64_t id = 0;
	if (!api_query_id(req, "ballot", &id))
		return;
	struct ballot_row b;
	enum db_result r = id ? store_ballots_get(ctx->db, &req->arena, id, &b)
	                      : delib_latest_ballot(ctx->db, &req->arena, t.id, &b);
	if (r == DB_ROW && b.topic_id != t.id)
		r = DB_DONE;
	if (r == DB_DONE) {
		api_problem(req, 404, "表决不存在");
		return;
	}
	if (!api_stored(req, r == DB_ROW ? DB_OK : r))
		return;
	json_t *full = delib_ballot_json(req, &b, false);
	json_t *o = json_object();
	const char *keys[] = {"status",  "eligible", "cast",      "turnout",   "quorum_met",
	                      "counts",  "passed",   "closed_at", "id",        "question",
	                      "options", "unit",     "quorum",    "threshold", "closes_at",
	                      "secret",  "seats",    "elected",   "tie",       "nominations"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		json_t *v = json_object_get(full, keys[i]);
		if (v)
			json_object_set(o, strcmp(keys[i], "id") ? keys[i] : "ballot_id", v);
	}
	json_decref(full);
	api_json(req, 200, o);
}

size_t delib_close_due(struct db *db, int64_t now)
{
	struct arena a;
	arena_init(&a);
	struct ballot_row *rows;
	size_t n = 0, done = 0;
	/* A read first, so that a node with nothing due does not take the writers' lock every
	 * poll; the write transaction reads again (another node may have closed them). */
	if (store_ballots_due(db, &a, now, 1, &rows, &n) != DB_OK || n == 0 ||
	    db_begin_write(db) != DB_OK) {
		arena_free(&a);
		return 0;
	}
	enum db_result r = store_ballots_due(db, &a, now, 50, &rows, &n);
	for (size_t i = 0; r == DB_OK && i < n; i++) {
		r = delib_ballot_close(db, &a, &rows[i], rows[i].closes_at);
		done++;
	}
	if (r != DB_OK || db_commit(db) != DB_OK) {
		db_rollback(db);
		done = 0;
	}
	arena_free(&a);
	return done;
}
