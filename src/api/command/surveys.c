/* /api/v1/surveys: satisfaction surveys (满意度测评) — per grid a reproducible random sample
 * of the active households (domain/sample.c, the seed recorded), a short questionnaire whose
 * answers callback staff enter by phone (one response per household), and the results per
 * question with n and the margin of error, in total and per grid, with no personal data.
 * Residents answering themselves need accounts linked to a household (not yet). */
#include "api/base/base.h"
#include "api/command/command.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/region.h"
#include "domain/indicator.h"
#include "domain/sample.h"
#include "store/command/surveys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SURVEY_MAX_QUESTIONS 20
#define SURVEY_MAX_OPTIONS   10

static json_t *survey_json(const struct survey_row *s)
{
	json_t *o = json_object();
	json_set_int(o, "id", s->id);
	json_set_str(o, "title", s->title);
	json_set_str(o, "region_code", s->region_code);
	json_set_str(o, "region_name", s->region_name);
	json_object_set_new(o, "period", callbacks_period_json(s->period));
	json_set_int(o, "per_grid", s->per_grid);
	json_set_str(o, "seed", s->seed);
	json_t *q = s->questions ? json_loads(s->questions, 0, NULL) : NULL;
	json_object_set_new(o, "questions", q ? q : json_array());
	json_set_int(o, "population", s->population);
	json_set_int(o, "drawn", s->drawn);
	json_set_int(o, "responses", s->responses);
	json_set_str(o, "created_by_name", s->created_by_name);
	json_set_time(o, "created_at", s->created_at);
	return o;
}

API_ITEM(survey_item, survey_json)
API_LOADER(survey, "测评", CALLBACK_STAFF, NULL, struct survey_row, store_surveys_get, region_code)

void surveys_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct scopes sc;
	int limit;
	int64_t before = 0;
	if (!callback_list_scopes(req, &sc) || !api_limit(req, &limit) ||
	    !api_cursor_id(req, &before))
		return;
	struct survey_row *rows;
	size_t n = 0;
	if (!api_stored(
	        req, store_surveys_list(ctx->db, &req->arena, &sc, before, limit + 1, &rows, &n)))
		return;
	api_respond_id_page(req, rows, n, sizeof *rows, limit, survey_item);
}

/* The questions field: 1–20 of {text (1–200), options: 2–10 texts (1–50)}, as clean JSON
 * text (arena); NULL after a field error. */
static const char *read_questions(struct http_req *req, struct api_input *in)
{
	json_t *qs = json_object_get(in->body, "questions");
	size_t nq = json_is_array(qs) ? json_array_size(qs) : 0;
	if (!nq || nq > SURVEY_MAX_QUESTIONS) {
		api_field_error(in, "questions", "format", "questions 须为 1–20 个问题");
		return NULL;
	}
	json_t *clean = json_array();
	for (size_t i = 0; i < nq; i++) {
		json_t *q = json_array_get(qs, i);
		json_t *text = json_is_object(q) ? json_object_get(q, "text") : NULL;
		json_t *opts = json_is_object(q) ? json_object_get(q, "options") : NULL;
		size_t no = json_is_array(opts) ? json_array_size(opts) : 0;
		bool ok = json_is_string(text) && json_string_length(text) > 0 &&
		          json_string_length(text) <= 600 && no >= 2 && no <= SURVEY_MAX_OPTIONS;
		for (size_t j = 0; ok && j < no; j++) {
			json_t *op = json_array_get(opts, j);
			ok = json_is_string(op) && json_string_length(op) > 0 &&
			     json_string_length(op) <= 150;
		}
		if (!ok) {
			json_decref(clean);
			api_field_error(in, "questions", "format",
			                "每个问题须有题目和 2–10 个选项");
			return NULL;
		}
		json_t *c = json_object();
		json_object_set(c, "text", text);
		json_object_set(c, "options", opts);
		json_array_append_new(clean, c);
	}
	char *s = json_dumps(clean, JSON_COMPACT);
	json_decref(clean);
	const char *out = s ? arena_printf(&req->arena, "%s", s) : NULL;
	free(s);
	if (!out)
		api_field_error(in, "questions", "format", "questions 须为 1–20 个问题");
	return out;
}

static json_t *survey_full_json(struct http_req *req, const struct survey_row *s);

void surveys_create_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	struct survey_row s;
	memset(&s, 0, sizeof s);
	s.title = api_string(&in, "title", true, 100, NULL);
	s.region_code = callbacks_read_region(req, &in, CALLBACK_STAFF);
	s.period = callbacks_read_period(&in);
	api_int(&in, "per_grid", true, 1, 200, &s.per_grid, NULL);
	uint64_t seed = 0;
	s.seed = callbacks_read_seed(req, &in, &seed);
	s.questions = read_questions(req, &in);
	if (!api_input_end(req, &in))
		goto out;
	struct survey_household *pop;
	size_t n = 0;
	if (!api_stored(req,
	                store_survey_population(ctx->db, &req->arena, s.region_code, &pop, &n)))
		goto out;
	if (n == 0) {
		api_problem_at(req, 422, "该区划没有在册住户", "region_code", "empty",
		               "该区划没有在册住户");
		goto out;
	}
	int64_t *ids = arena_alloc(&req->arena, n * sizeof *ids);
	if (!ids) {
		api_store_error(req, DB_ERROR);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		ids[i] = pop[i].id;
	s.population = (int64_t)n;
	s.created_by = ctx->who.user_id;
	s.created_at = time_now();
	/* each grid's households (pop is by grid, then id) drawn with the seed */
	size_t drawn = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && strcmp(pop[j].grid, pop[i].grid) == 0)
			j++;
		drawn += sample_draw(ids + i, j - i, (size_t)s.per_grid, seed);
		i = j;
	}
	s.drawn = (int64_t)drawn;
	enum db_result r = store_surveys_insert(ctx->db, &s);
	for (size_t i = 0; i < n && r == DB_OK;) {
		size_t j = i;
		while (j < n && strcmp(pop[j].grid, pop[i].grid) == 0)
			j++;
		size_t k = j - i < (size_t)s.per_grid ? j - i : (size_t)s.per_grid;
		for (size_t m = 0; m < k && r == DB_OK; m++) {
			struct survey_sampled h = {.household_id = ids[i + m],
			                           .grid = pop[i].grid,
			                           .position = (int64_t)m + 1,
			                           .population = (int64_t)(j - i)};
			r = store_survey_households_insert(ctx->db, s.id, &h);
		}
		i = j;
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "survey:%lld", (long long)s.id);
	if (!api_stored(req, store_surveys_get(ctx->db, &req->arena, s.id, &s) == DB_ROW
	                         ? DB_OK
	                         : DB_ERROR))
		goto out;
	api_json(req, 201, survey_full_json(req, &s));
out:
	api_input_free(&in);
}

/* The survey with its sampled households per grid (addresses only for grids the caller's
 * callback grants reach). */
static json_t *survey_full_json(struct http_req *req, const struct survey_row *s)
{
	struct api_ctx *ctx = api_ctx(req);
	json_t *o = survey_json(s);
	struct survey_sampled *hs = NULL;
	size_t n = 0;
	if (store_survey_households_list(ctx->db, &req->arena, s->id, &hs, &n) != DB_OK)
		n = 0;
	json_t *grids = json_array(), *g = NULL, *list = NULL;
	const char *cur = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!cur || strcmp(cur, hs[i].grid) != 0) {
			cur = hs[i].grid;
			g = json_object();
			json_set_str(g, "grid_code", hs[i].grid);
			json_set_str(g, "grid_name", hs[i].grid_name);
			json_set_int(g, "population", hs[i].population);
			list = json_array();
			json_object_set_new(g, "households", list);
			json_array_append_new(grids, g);
		}
		if (!api_reaches(ctx, CALLBACK_STAFF, hs[i].grid))
			continue;
		json_t *h = json_object();
		json_set_int(h, "household_id", hs[i].household_id);
		json_set_int(h, "position", hs[i].position);
		json_set_str(h, "address", hs[i].address);
		json_set_bool(h, "answered", hs[i].answered);
		json_array_append_new(list, h);
	}
	json_object_set_new(o, "grids", grids);
	return o;
}

void surveys_get_h(struct http_req *req)
{
	struct survey_row s;
	if (survey_from_path(req, &s))
		api_json(req, 200, survey_full_json(req, &s));
}

/* The answers field: one option index per question of s into answers[]; the number of
 * questions (a field error when they do not fit). */
static size_t read_answers(struct api_input *in, const struct survey_row *s, int64_t *answers)
{
	json_t *qs = json_loads(s->questions ? s->questions : "[]", 0, NULL);
	size_t nq = json_array_size(qs);
	json_t *ans = json_object_get(in->body, "answers");
	bool ok = json_is_array(ans) && json_array_size(ans) == nq && nq <= SURVEY_MAX_QUESTIONS;
	for (size_t i = 0; ok && i < nq; i++) {
		json_t *a = json_array_get(ans, i);
		size_t no = json_array_size(json_object_get(json_array_get(qs, i), "options"));
		ok = json_is_integer(a) && json_integer_value(a) >= 0 &&
		     (size_t)json_integer_value(a) < no;
		if (ok)
			answers[i] = json_integer_value(a);
	}
	json_decref(qs);
	if (!ok)
		api_field_error(in, "answers", "format", "answers 须为每个问题的选项序号");
	return nq;
}

void surveys_respond_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct survey_row s;
	if (!survey_from_path(req, &s))
		return;
	struct api_input in;
	if (!api_write_begin(req, CALLBACK_STAFF, s.region_code, "该测评不在您的管理范围内", &in))
		return;
	int64_t hid = 0;
	api_int(&in, "household_id", true, 1, INT64_MAX, &hid, NULL);
	const char *channel = api_string(&in, "channel", false, 10, NULL);
	if (channel && strcmp(channel, "phone") != 0)
		api_field_error(&in, "channel", "enum", "channel 须为 phone");
	int64_t answers[SURVEY_MAX_QUESTIONS];
	size_t nq = read_answers(&in, &s, answers);
	json_t *ans = json_object_get(in.body, "answers");
	struct survey_sampled h;
	if (hid && !json_array_size(in.errors)) {
		enum db_result r = store_survey_households_get(ctx->db, &req->arena, s.id, hid, &h);
		if (r != DB_ROW && r != DB_DONE) {
			api_input_free(&in);
			api_store_error(req, r);
			return;
		}
		if (r == DB_DONE)
			api_field_error(&in, "household_id", "not_sampled",
			                "该住户不在本次测评样本中");
		else if (!api_reaches(ctx, CALLBACK_STAFF, h.grid))
			api_field_error(&in, "household_id", "scope", "该住户不在您的管辖范围内");
	}
	if (!api_input_end(req, &in))
		goto out;
	char *aj = json_dumps(ans, JSON_COMPACT);
	const char *answers_json = aj ? arena_printf(&req->arena, "%s", aj) : NULL;
	free(aj);
	if (!answers_json) {
		api_store_error(req, DB_ERROR);
		goto out;
	}
	int64_t now = time_now();
	enum db_result r =
	    store_survey_responses_insert(ctx->db, s.id, hid, h.grid, answers, nq, answers_json,
	                                  channel ? channel : "phone", ctx->who.user_id, now);
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409, "该住户已经答过本次测评");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object =
	    arena_printf(&req->arena, "survey_response:%lld:%lld", (long long)s.id, (long long)hid);
	json_t *o = json_object();
	json_set_int(o, "survey_id", s.id);
	json_set_int(o, "household_id", hid);
	json_set_str(o, "grid_code", h.grid);
	json_object_set_new(o, "answers", json_deep_copy(ans));
	json_set_str(o, "channel", channel ? channel : "phone");
	json_set_time(o, "created_at", now);
	api_json(req, 201, o);
out:
	api_input_free(&in);
}

/* {n, population, options: [{option, count, share, margin}]} of one question over the counts
 * of grid (NULL: all grids). */
static json_t *question_json(json_t *options, const struct survey_count *c, size_t nc, int64_t q,
                             const char *grid, int64_t population)
{
	size_t no = json_array_size(options);
	int64_t counts[SURVEY_MAX_OPTIONS] = {0}, n = 0;
	for (size_t i = 0; i < nc; i++)
		if (c[i].question == q && (!grid || strcmp(c[i].grid, grid) == 0) &&
		    c[i].answer >= 0 && (size_t)c[i].answer < no && no <= SURVEY_MAX_OPTIONS) {
			counts[c[i].answer] += c[i].n;
			n += c[i].n;
		}
	json_t *o = json_object();
	json_set_int(o, "n", n);
	json_set_int(o, "population", population);
	json_t *arr = json_array();
	for (size_t j = 0; j < no && j < SURVEY_MAX_OPTIONS; j++) {
		json_t *e = json_object();
		json_object_set(e, "option", json_array_get(options, j));
		json_set_int(e, "count", counts[j]);
		json_object_set_new(e, "share",
		                    n ? json_real((double)counts[j] / (double)n) : json_null());
		json_object_set_new(e, "margin", callbacks_margin_json(counts[j], n, population));
		json_array_append_new(arr, e);
	}
	json_object_set_new(o, "options", arr);
	return o;
}

void surveys_results_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct survey_row s;
	if (!survey_from_path(req, &s))
		return;
	struct survey_count *c = NULL;
	struct survey_grid *g = NULL;
	size_t nc = 0, ng = 0;
	if (!api_stored(req, store_survey_counts(ctx->db, &req->arena, s.id, &c, &nc)) ||
	    !api_stored(req, store_survey_grids(ctx->db, &req->arena, s.id, &g, &ng)))
		return;
	json_t *qs = json_loads(s.questions ? s.questions : "[]", 0, NULL);
	json_t *out = json_array();
	for (size_t q = 0; q < json_array_size(qs); q++) {
		json_t *qq = json_array_get(qs, q);
		json_t *opts = json_object_get(qq, "options");
		json_t *o = json_object();
		json_set_int(o, "question", (int64_t)q);
		json_object_set(o, "text", json_object_get(qq, "text"));
		json_object_set_new(o, "total",
		                    question_json(opts, c, nc, (int64_t)q, NULL, s.population));
		json_t *grids = json_array();
		for (size_t i = 0; i < ng; i++) {
			json_t *e =
			    question_json(opts, c, nc, (int64_t)q, g[i].grid, g[i].population);
			json_set_str(e, "grid_code", g[i].grid);
			json_set_str(e, "grid_name", g[i].name);
			json_array_append_new(grids, e);
		}
		json_object_set_new(o, "grids", grids);
		json_array_append_new(out, o);
	}
	json_decref(qs);
	json_t *o = json_object();
	json_set_int(o, "survey_id", s.id);
	json_set_str(o, "title", s.title);
	json_object_set_new(o, "period", callbacks_period_json(s.period));
	json_set_int(o, "population", s.population);
	json_set_int(o, "drawn", s.drawn);
	json_set_int(o, "responses", s.responses);
	json_object_set_new(o, "questions", out);
	api_json(req, 200, o);
}

/* ---- a resident's own answers (GET /me/surveys, POST /me/surveys/{id}/responses) ---- */

/* A survey is seen by a resident only when their linked household is in its sample. */
static bool survey_mine_visible(struct http_req *req, const void *obj)
{
	struct api_ctx *ctx = api_ctx(req);
	const struct survey_row *s = obj;
	int64_t hid = 0;
	struct survey_sampled h;
	return ctx->who.user_id && store_user_household(ctx->db, ctx->who.user_id, &hid) == DB_OK &&
	       hid && store_survey_households_get(ctx->db, &req->arena, s->id, hid, &h) == DB_ROW;
}

API_LOADER(survey_mine, "测评", 0, survey_mine_visible, struct survey_row, store_surveys_get,
           region_code)

/* What a resident sees of a survey: no sample, no seed, no counts. */
static json_t *survey_mine_json(const struct survey_row *s, bool answered, bool open)
{
	json_t *o = json_object();
	json_set_int(o, "id", s->id);
	json_set_str(o, "title", s->title);
	json_set_str(o, "region_name", s->region_name);
	json_object_set_new(o, "period", callbacks_period_json(s->period));
	json_t *q = s->questions ? json_loads(s->questions, 0, NULL) : NULL;
	json_object_set_new(o, "questions", q ? q : json_array());
	json_set_bool(o, "answered", answered);
	json_set_bool(o, "open", open);
	return o;
}

void me_surveys_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	if (!api_unpaged(req))
		return;
	int64_t hid = 0;
	if (!api_stored(req, store_user_household(ctx->db, ctx->who.user_id, &hid)))
		return;
	struct survey_mine *rows = NULL;
	size_t n = 0;
	if (hid &&
	    !api_stored(req, store_surveys_of_household(ctx->db, &req->arena, hid, &rows, &n)))
		return;
	int64_t now_month = period_of(PERIOD_MONTH, time_now()).first;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		if (survey_open(rows[i].s.period, now_month))
			json_array_append_new(items,
			                      survey_mine_json(&rows[i].s, rows[i].answered, true));
	api_json(req, 200, api_list(items, NULL));
}

void me_surveys_respond_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	struct survey_row s;
	if (!survey_mine_from_path(req, &s))
		return;
	int64_t hid = 0;
	struct survey_sampled h;
	enum db_result r = store_user_household(ctx->db, ctx->who.user_id, &hid);
	if (r == DB_OK)
		r = store_survey_households_get(ctx->db, &req->arena, s.id, hid, &h);
	if (r != DB_ROW) {
		api_store_error(req, r == DB_DONE || r == DB_OK ? DB_ERROR : r);
		return;
	}
	if (!survey_open(s.period, period_of(PERIOD_MONTH, time_now()).first)) {
		api_problem(req, 409, "该测评已结束或尚未开始");
		return;
	}
	struct api_input in;
	if (!api_input_begin(req, &in))
		return;
	int64_t answers[SURVEY_MAX_QUESTIONS];
	size_t nq = read_answers(&in, &s, answers);
	json_t *ans = json_object_get(in.body, "answers");
	if (!api_input_end(req, &in))
		goto out;
	char *aj = json_dumps(ans, JSON_COMPACT);
	const char *answers_json = aj ? arena_printf(&req->arena, "%s", aj) : NULL;
	free(aj);
	if (!answers_json) {
		api_store_error(req, DB_ERROR);
		goto out;
	}
	int64_t now = time_now();
	r = store_survey_responses_insert(ctx->db, s.id, hid, h.grid, answers, nq, answers_json,
	                                  "resident", ctx->who.user_id, now);
	if (r == DB_CONSTRAINT) {
		api_problem(req, 409, "您家已经答过本次测评");
		goto out;
	}
	if (!api_stored(req, r))
		goto out;
	ctx->audit_object = arena_printf(&req->arena, "survey_response:%lld", (long long)s.id);
	json_t *o = json_object();
	json_set_int(o, "survey_id", s.id);
	json_object_set_new(o, "answers", json_deep_copy(ans));
	json_set_str(o, "channel", "resident");
	json_set_time(o, "created_at", now);
	api_json(req, 201, o);
out:
	api_input_free(&in);
}
