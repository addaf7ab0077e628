/* Export of residents, houses and organisations as CSV and XLSX (exchange_export, shared
 * with `jiceng export`) and the requests for an export and an empty import template. An
 * export respects the caller's data scope and masking; a full (revealed) export is for
 * community staff and above and is audited. Rows are read 500 at a time into the sink of
 * export.c, never held in memory. */
#include "api/base/exchange_int.h"
#include "api/base/export.h"

#include "core/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void header_row(struct sink *s, const struct kind_def *def, bool care)
{
	const char *cells[MAX_COLS];
	int n = 0;
	for (int c = 0; c < def->ncols; c++)
		if (care || strcmp(def->cols[c].key, "care_tags") != 0)
			cells[n++] = def->cols[c].zh;
	sink_header(s, cells, n);
}

/* A list of tag codes as their Chinese names, as a spreadsheet reader expects (malloc'd). */
static char *tag_names(const char *list)
{
	uint32_t bits = 0;
	tags_parse_list(list, &bits, NULL, 0);
	struct buf tb;
	buf_init(&tb);
	for (int t = 0; t < TAG_COUNT; t++)
		if (bits & (1u << t)) {
			if (tb.len)
				buf_puts(&tb, "、");
			buf_puts(&tb, tag_defs[t].name);
		}
	size_t tlen;
	return buf_detach(&tb, &tlen);
}

/* The cells of one resident; house is the row's house when it has one. tagtext and caretext
 * (malloc'd) are the caller's to free. False when special-care tags cannot be opened. */
static bool resident_cells(struct api_ctx *ctx, struct arena *page, const struct resident_row *r,
                           const struct house_row *house, bool reveal, const char *cells[16],
                           char **tagtext, char **caretext)
{
	struct household_row hh = {.id = 0};
	if (r->household_id)
		store_households_get(ctx->db, page, r->household_id, &hh);
	int res = code_lookup(residency_codes, RESIDENCY_COUNT, r->residency);
	int rel = code_lookup(relation_codes, RELATION_COUNT, r->relation);
	int stt = code_lookup(resident_status_codes, RESIDENT_STATUS_COUNT, r->status);
	*tagtext = tag_names(r->tags);
	*caretext = NULL;
	/* The special-care tags travel only in a full export, and only for rows whose
	 * special-care tags the exporter may see. */
	if (reveal && api_reaches(ctx, BASE_RESTRICTED, r->region_code)) {
		const char *opened = base_open(page, r->restricted_sealed);
		if (r->restricted_sealed.n && !opened)
			return false; /* not openable: fail rather than export "none" */
		*caretext = tag_names(opened);
	}
	const char *row[16] = {r->name,
	                       reveal ? base_open(page, r->id_sealed) : r->id_mask,
	                       r->gender ? (strcmp(r->gender, "male") == 0 ? "男" : "女") : NULL,
	                       resident_birth_text(page, r, reveal), /* the year only when masked */
	                       reveal ? base_open(page, r->phone_sealed) : r->phone_mask,
	                       r->region_code,
	                       house ? house->building_name : NULL,
	                       house ? house->unit : NULL,
	                       house ? house->room : NULL,
	                       hh.id ? hh.number : NULL,
	                       rel >= 0 ? relation_codes[rel].name : NULL,
	                       res >= 0 ? residency_codes[res].name : NULL,
	                       *tagtext,
	                       stt >= 0 ? resident_status_codes[stt].name : NULL,
	                       r->note,
	                       *caretext};
	memcpy(cells, row, sizeof row);
	return true;
}

static bool export_residents(struct api_ctx *ctx, struct arena *keep, struct sink *s,
                             const struct scopes *sc, bool reveal)
{
	struct resident_filter f;
	memset(&f, 0, sizeof f);
	f.scopes = *sc;
	f.status = "";
	f.limit = 500;
	f.after.code = "";
	struct house_row h = {.id = 0};
	for (;;) {
		struct arena page;
		arena_init(&page);
		struct resident_row *rows;
		size_t n;
		if (store_residents_list(ctx->db, &page, &f, &rows, &n) != DB_OK) {
			arena_free(&page);
			return false;
		}
		for (size_t i = 0; i < n; i++) {
			const struct resident_row *r = &rows[i];
			if (r->house_id && r->house_id != h.id &&
			    store_houses_get(ctx->db, keep, r->house_id, &h) != DB_ROW)
				h.id = 0;
			bool in_house = r->house_id && h.id == r->house_id;
			const char *cells[16];
			char *tagtext, *caretext;
			bool ok = resident_cells(ctx, &page, r, in_house ? &h : NULL, reveal, cells,
			                         &tagtext, &caretext);
			if (ok)
				sink_row(s, cells, reveal ? 16 : 15);
			free(tagtext);
			free(caretext);
			if (!ok) {
				arena_free(&page);
				return false;
			}
			s->rows++;
		}
		bool more = (int)n == f.limit;
		if (more) {
			f.after.code = arena_strdup(keep, rows[n - 1].region_code);
			f.after.id = rows[n - 1].id;
		}
		arena_free(&page);
		if (!more || s->failed)
			return !s->failed;
	}
}

static bool export_houses(struct api_ctx *ctx, struct arena *keep, struct sink *s,
                          const struct scopes *sc)
{
	struct page_after after = {"", 0};
	for (;;) {
		struct arena page;
		arena_init(&page);
		struct house_row *rows;
		size_t n;
		if (store_houses_list(ctx->db, &page, sc, 0, NULL, after, 500, &rows, &n) !=
		    DB_OK) {
			arena_free(&page);
			return false;
		}
		for (size_t i = 0; i < n; i++) {
			const struct house_row *h = &rows[i];
			int u = code_lookup(house_use_codes, HOUSE_USE_COUNT, h->use);
			char area[32] = "", occ[24];
			if (h->area >= 0)
				snprintf(area, sizeof area, "%g", h->area);
			snprintf(occ, sizeof occ, "%lld", (long long)h->occupants);
			const char *cells[] = {h->region_code,
			                       h->building_name,
			                       h->unit,
			                       h->room,
			                       u >= 0 ? house_use_codes[u].name : h->use,
			                       area,
			                       h->address,
			                       h->note,
			                       occ};
			sink_row(s, cells, (int)(sizeof cells / sizeof cells[0]));
			s->rows++;
		}
		bool more = n == 500;
		if (more) {
			after.code = arena_strdup(keep, rows[n - 1].region_code);
			after.id = rows[n - 1].id;
		}
		arena_free(&page);
		if (!more || s->failed)
			return !s->failed;
	}
}

static bool export_orgs(struct api_ctx *ctx, struct arena *keep, struct sink *s,
                        const struct scopes *sc, bool reveal)
{
	struct page_after after = {"", 0};
	for (;;) {
		struct arena page;
		arena_init(&page);
		struct org_row *rows;
		size_t n;
		if (store_orgs_list(ctx->db, &page, sc, NULL, NULL, after, 500, &rows, &n) !=
		    DB_OK) {
			arena_free(&page);
			return false;
		}
		for (size_t i = 0; i < n; i++) {
			const struct org_row *o = &rows[i];
			int k = code_lookup(org_kind_codes, ORG_KIND_COUNT, o->kind);
			char emp[24] = "";
			if (o->employees >= 0)
				snprintf(emp, sizeof emp, "%lld", (long long)o->employees);
			const char *cells[] = {
			    o->name,
			    o->uscc,
			    k >= 0 ? org_kind_codes[k].name : o->kind,
			    o->region_code,
			    o->industry,
			    o->legal_person,
			    reveal ? base_open(&page, o->phone_sealed) : o->phone_mask,
			    o->address,
			    emp,
			    strcmp(o->status, "active") == 0 ? "在营" : "已注销"};
			sink_row(s, cells, (int)(sizeof cells / sizeof cells[0]));
			s->rows++;
		}
		bool more = n == 500;
		if (more) {
			after.code = arena_strdup(keep, rows[n - 1].region_code);
			after.id = rows[n - 1].id;
		}
		arena_free(&page);
		if (!more || s->failed)
			return !s->failed;
	}
}

bool exchange_export(struct api_ctx *ctx, enum exchange_kind kind, const struct scopes *sc,
                     bool reveal, bool xlsx, int *fd, size_t *len, int64_t *rows)
{
	const struct kind_def *def = exchange_kind_def(kind);
	struct sink s;
	*rows = 0;
	if (!sink_start(&s, def->zh, xlsx))
		return false;
	header_row(&s, def, reveal && kind == EXCHANGE_RESIDENTS);
	/* What outlives a page: the cursor, the house of the last rows. */
	struct arena keep;
	arena_init(&keep);
	bool ok = kind == EXCHANGE_RESIDENTS ? export_residents(ctx, &keep, &s, sc, reveal)
	          : kind == EXCHANGE_HOUSES  ? export_houses(ctx, &keep, &s, sc)
	                                     : export_orgs(ctx, &keep, &s, sc, reveal);
	arena_free(&keep);
	*rows = s.rows;
	if (!ok) {
		sink_free(&s);
		return false;
	}
	return sink_finish(&s, fd, len);
}

void exchange_export_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	enum exchange_kind kind;
	if (!exchange_kind_from_path(req, &kind)) {
		api_problem(req, 404, "资源不存在");
		return;
	}
	const struct kind_def *def = exchange_kind_def(kind);
	const char *region;
	if (!base_region_param(req, &region))
		return;
	bool xlsx;
	if (!export_format_param(req, &xlsx))
		return;
	bool reveal;
	if (!api_query_bool(req, "reveal", &reveal))
		return;
	if (reveal && kind == EXCHANGE_HOUSES)
		reveal = false; /* houses hold nothing sealed */
	/* Singular like every other action name (resident.import, resident.reveal). Every export
	 * is audited with what it held (kind, region, rows, whether in clear), and so is a
	 * refused one. */
	static const char *const export_actions[] = {"resident.export", "house.export",
	                                             "organisation.export"};
	ctx->audit_action = export_actions[kind];
	ctx->audit_object = region ? arena_printf(&req->arena, "region:%s", region) : "region:*";
	ctx->audit_detail = arena_printf(&req->arena, "kind=%s rows=0 reveal=%d format=%s",
	                                 def->name, reveal, xlsx ? "xlsx" : "csv");
	/* A bulk export in clear is for community staff and above (GB/T 35273: approved and
	 * logged); everyone else exports masked values. */
	if (reveal && !(api_roles(ctx) & BASE_MANAGERS)) {
		api_problem(req, 403, "只有社区及以上管理人员可以导出完整的个人信息");
		return;
	}
	struct scopes sc;
	base_scopes(ctx, reveal ? BASE_MANAGERS : BASE_READERS, region, &sc);
	int fd;
	size_t len;
	int64_t rows;
	if (!exchange_export(ctx, kind, &sc, reveal, xlsx, &fd, &len, &rows)) {
		api_problem(req, 503, "导出文件生成失败，请稍后再试");
		return;
	}
	ctx->audit_detail = arena_printf(&req->arena, "kind=%s rows=%lld reveal=%d format=%s",
	                                 def->name, (long long)rows, reveal, xlsx ? "xlsx" : "csv");
	export_send_file(req, fd, len, xlsx, def->file);
}

void exchange_export_template_h(struct http_req *req)
{
	enum exchange_kind kind;
	if (!exchange_kind_from_path(req, &kind)) {
		api_problem(req, 404, "资源不存在");
		return;
	}
	const struct kind_def *def = exchange_kind_def(kind);
	bool xlsx;
	struct sink s;
	int fd;
	size_t len;
	if (!export_format_param(req, &xlsx))
		return;
	if (!sink_start(&s, def->zh, xlsx)) {
		api_problem(req, 503, "模板文件生成失败，请稍后再试");
		return;
	}
	header_row(&s, def, false);
	if (!sink_finish(&s, &fd, &len)) {
		api_problem(req, 503, "模板文件生成失败，请稍后再试");
		return;
	}
	export_send_file(req, fd, len, xlsx, arena_printf(&req->arena, "%s-template", def->file));
}
