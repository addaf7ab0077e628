/* Import and export of residents, houses and organisations as CSV and XLSX,
 * the formats neighbourhood offices keep this data in. Columns are matched by
 * their Chinese header (as exported) or the API field name. Every row goes
 * through the same rules as the JSON API and is checked completely before its
 * first write, so a bad row leaves nothing behind; the whole import sits in a
 * savepoint so a dry run or a refused all-or-nothing import writes nothing but
 * its own record — which keeps the row-by-row error report for download. Exports
 * respect the caller's data scope and masking; a full (revealed) export is
 * for community staff and above and is audited. */
#include "api/base/exchange.h"
#include "api/messages.h"

#include "api/base/base.h"
#include "api/base/export.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/json.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "core/xlsx.h"
#include "domain/region.h"
#include "store/base/sweeps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct column {
	const char *key, *zh, *alt;
};

static const struct column resident_cols[] = {
    {"name", "姓名", NULL},
    {"id_number", "身份证号", "公民身份号码"},
    {"gender", "性别", NULL},
    {"birth_date", "出生日期", NULL},
    {"phone", "联系电话", "手机号"},
    {"region_code", "网格代码", "网格编码"},
    {"building", "楼栋", NULL},
    {"unit", "单元", NULL},
    {"room", "房号", "门牌号"},
    {"household", "户号", NULL},
    {"relation", "与户主关系", NULL},
    {"residency", "人口类型", "户籍类型"},
    {"tags", "标签", NULL},
    {"status", "状态", NULL},
    {"note", "备注", NULL},
    /* The special-care (restricted) tags: only in a full export, which only managers may
     * make. A file without this column never changes them (see import_resident). */
    {"care_tags", "特殊人群标签", NULL},
};

static const struct column house_cols[] = {
    {"region_code", "网格代码", "网格编码"},
    {"building", "楼栋", NULL},
    {"unit", "单元", NULL},
    {"room", "房号", "门牌号"},
    {"use", "房屋用途", "用途"},
    {"area", "面积", "建筑面积"},
    {"address", "地址", NULL},
    {"note", "备注", NULL},
    {"occupants", "在住人数", NULL},
};

static const struct column org_cols[] = {
    {"name", "名称", "单位名称"},    {"uscc", "统一社会信用代码", "信用代码"},
    {"kind", "类型", "单位类型"},    {"region_code", "网格代码", "网格编码"},
    {"industry", "行业", NULL},      {"legal_person", "法定代表人", "负责人"},
    {"phone", "联系电话", NULL},     {"address", "地址", NULL},
    {"employees", "从业人数", NULL}, {"status", "状态", NULL},
};

enum { MAX_COLS = 16 };

struct kind_def {
	enum exchange_kind kind;
	const char *name, *zh, *file;
	const struct column *cols;
	int ncols;
	const char *required[4];
};

static const struct kind_def kinds[] = {
    {EXCHANGE_RESIDENTS,
     "residents",
     "人口",
     "residents",
     resident_cols,
     (int)(sizeof resident_cols / sizeof resident_cols[0]),
     {"name", "region_code"}},
    {EXCHANGE_HOUSES,
     "houses",
     "房屋",
     "houses",
     house_cols,
     (int)(sizeof house_cols / sizeof house_cols[0]),
     {"region_code", "building", "room"}},
    {EXCHANGE_ORGS,
     "organisations",
     "单位",
     "organisations",
     org_cols,
     (int)(sizeof org_cols / sizeof org_cols[0]),
     {"name", "kind", "region_code"}},
};

static const struct kind_def *kind_def(enum exchange_kind k)
{
	return &kinds[k];
}

bool exchange_kind_parse(const char *s, enum exchange_kind *out)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(s, kinds[i].name) == 0) {
			*out = kinds[i].kind;
			return true;
		}
	return false;
}

/* The kind named by the path: /api/v1/<kind>/import… */
static bool kind_from_path(struct http_req *req, enum exchange_kind *out)
{
	const char *p = req->path + strlen("/api/v1/");
	const char *slash = strchr(p, '/');
	char name[32];
	size_t n = slash ? (size_t)(slash - p) : strlen(p);
	if (n >= sizeof name)
		return false;
	memcpy(name, p, n);
	name[n] = 0;
	return exchange_kind_parse(name, out);
}

/* ---- import ---- */

struct import_state {
	struct http_req *req;
	const struct kind_def *def;
	struct exchange_options opt;
	int col[MAX_COLS];         /* file column of each defined column, -1: absent */
	const char *hdr[MAX_COLS]; /* header text as the file has it */
	bool header_done;
	struct exchange_result *res;
	struct buf report;
	bool header_error;
	bool store_failed; /* a write failed: the import stops and is rolled back */
	bool key_missing;  /* personal data cannot be sealed: likewise */
	struct {
		bool set;
		const char *use, *address, *note;
		double area;
	} house_defaults; /* the fields a house import row gives a house it creates */
	/* The last house a row named: spreadsheet rows of one house come together. */
	struct {
		char grid[16], building[160], unit[64], room[64];
		struct house_row h;
		struct arena arena;
		bool valid;
	} last_house;
	/* Likewise the last building and household: a new house of the same building, the next
	 * member of the same household, cost no lookup. */
	struct {
		char grid[16], name[160];
		int64_t id;
	} last_building;
	struct {
		int64_t house_id, id, head_id;
		char number[40];
		bool created; /* by this import */
	} last_household;
	int64_t now;
};

static void add_error(struct import_state *st, size_t row, int c, const char *field,
                      const char *code, const char *message)
{
	struct exchange_result *res = st->res;
	res->error_count++;
	const char *column = c >= 0 ? st->hdr[c] : NULL;
	if (json_array_size(res->errors) < EXCHANGE_ERRORS_SHOWN) {
		json_t *e = json_object();
		json_set_int(e, "row", (int64_t)row);
		json_set_str(e, "column", column);
		json_set_str(e, "field", field);
		json_set_str(e, "code", code);
		json_set_str(e, "message", message);
		json_array_append_new(res->errors, e);
	}
	char num[24];
	snprintf(num, sizeof num, "%zu", row);
	csv_field(&st->report, num, 0);
	csv_field(&st->report, column ? column : "", 0);
	csv_field(&st->report, field ? field : "", 0);
	csv_field(&st->report, code, 0);
	csv_field(&st->report, message, 1);
}

static int col_of_field(const struct import_state *st, const char *field)
{
	/* "occupants[0].id_number" style prefixes are not used here; match the key. */
	for (int c = 0; c < st->def->ncols; c++)
		if (field && strcmp(field, st->def->cols[c].key) == 0)
			return c;
	if (field && strcmp(field, "house_id") == 0)
		for (int c = 0; c < st->def->ncols; c++)
			if (strcmp(st->def->cols[c].key, "building") == 0)
				return c;
	return -1;
}

static const char *cell(const struct import_state *st, const char **cells, int n, const char *key)
{
	for (int c = 0; c < st->def->ncols; c++)
		if (strcmp(st->def->cols[c].key, key) == 0) {
			int fc = st->col[c];
			if (fc < 0 || fc >= n || !cells[fc])
				return NULL;
			/* A value an export guarded against formulas comes back as it was. */
			const char *v = csv_unguard(cells[fc]);
			size_t len = strlen(v);
			if (len && (v[0] == ' ' || v[0] == '\t' || v[len - 1] == ' ' ||
			            v[len - 1] == '\t' || v[len - 1] == '\r')) {
				/* Spreadsheet cells often carry stray spaces: trim a copy. */
				char *t = arena_strdup(&st->req->arena, v);
				v = text_trim(t);
			}
			return *v ? v : NULL;
		}
	return NULL;
}

/* The file has a column for key. */
static bool has_column(const struct import_state *st, const char *key)
{
	for (int c = 0; c < st->def->ncols; c++)
		if (strcmp(st->def->cols[c].key, key) == 0)
			return st->col[c] >= 0;
	return false;
}

static bool on_header(struct import_state *st, const char **cells, int n)
{
	for (int c = 0; c < st->def->ncols; c++) {
		st->col[c] = -1;
		for (int i = 0; i < n; i++) {
			char *h = arena_strdup(&st->req->arena, cells[i]);
			text_trim(h);
			const struct column *col = &st->def->cols[c];
			if (strcmp(h, col->key) == 0 || strcmp(h, col->zh) == 0 ||
			    (col->alt && strcmp(h, col->alt) == 0)) {
				st->col[c] = i;
				st->hdr[c] = h;
			}
		}
	}
	for (int r = 0; r < 4 && st->def->required[r]; r++) {
		bool found = false;
		for (int c = 0; c < st->def->ncols; c++)
			if (strcmp(st->def->cols[c].key, st->def->required[r]) == 0 &&
			    st->col[c] >= 0)
				found = true;
		if (!found) {
			st->header_error = true;
			return false;
		}
	}
	return true;
}

static void remember_house(struct import_state *st, const char *grid, const char *building,
                           const char *unit, const char *room, const struct house_row *h)
{
	st->last_house.valid = false;
	if (strlen(grid) >= sizeof st->last_house.grid ||
	    strlen(building) >= sizeof st->last_house.building ||
	    strlen(unit) >= sizeof st->last_house.unit ||
	    strlen(room) >= sizeof st->last_house.room)
		return;
	strcpy(st->last_house.grid, grid);
	strcpy(st->last_house.building, building);
	strcpy(st->last_house.unit, unit);
	strcpy(st->last_house.room, room);
	/* The row's strings live in the row's arena: copy them into the import's. */
	arena_free(&st->last_house.arena);
	arena_init(&st->last_house.arena);
	struct arena *a = &st->last_house.arena;
	st->last_house.h = *h;
	struct house_row *c = &st->last_house.h;
	c->region_code = arena_strdup(a, h->region_code);
	c->building_name = arena_strdup(a, h->building_name);
	c->unit = arena_strdup(a, h->unit ? h->unit : "");
	c->room = arena_strdup(a, h->room);
	c->address = h->address ? arena_strdup(a, h->address) : NULL;
	c->note = h->note ? arena_strdup(a, h->note) : NULL;
	c->use = arena_strdup(a, h->use);
	st->last_house.valid = true;
}

/* The building (created when new) and house (created when new) a row names. */
static bool row_house(struct import_state *st, struct api_input *in, const char *grid,
                      const char *building, const char *unit, const char *room, struct house_row *h,
                      bool *created)
{
	struct http_req *req = st->req;
	struct api_ctx *ctx = api_ctx(req);
	*created = false;
	if (!base_check_grid(req, in, "region_code", grid, BASE_WRITERS))
		return false;
	if (!text_valid_utf8(building) || (unit && !text_valid_utf8(unit)) ||
	    !text_valid_utf8(room)) {
		api_field_error(in, "building", "encoding", "楼栋、单元或房号含有无效字符");
		return false;
	}
	if (text_chars(building) > 50 || (unit && text_chars(unit) > 20) || text_chars(room) > 20) {
		api_field_error(in, "building", "too_long", "楼栋最多 50 字，单元和房号最多 20 字");
		return false;
	}
	const char *u = unit ? unit : "";
	if (st->last_house.valid && !st->house_defaults.set &&
	    strcmp(st->last_house.grid, grid) == 0 &&
	    strcmp(st->last_house.building, building) == 0 && strcmp(st->last_house.unit, u) == 0 &&
	    strcmp(st->last_house.room, room) == 0) {
		*h = st->last_house.h;
		return true;
	}
	struct building_row b;
	enum db_result r = DB_DONE;
	if (st->last_building.id && strcmp(st->last_building.grid, grid) == 0 &&
	    strcmp(st->last_building.name, building) == 0) {
		memset(&b, 0, sizeof b);
		b.id = st->last_building.id;
		b.region_code = grid;
		b.name = building;
		r = DB_ROW;
	} else
		r = buildings_find(ctx->db, &req->arena, grid, building, &b);
	if (r == DB_DONE) {
		memset(&b, 0, sizeof b);
		b.region_code = grid;
		b.name = building;
		b.created_at = b.updated_at = st->now;
		/* Versioned like every change; "after" is read back from the building itself. */
		r = buildings_insert(ctx->db, &b) == DB_OK &&
		            base_version(req, "building", b.id, 1, "import", NULL, NULL) == DB_OK
		        ? DB_ROW
		        : DB_ERROR;
	}
	if (r != DB_ROW) {
		api_field_error(in, "building", "store", "楼栋保存失败");
		st->store_failed = true;
		return false;
	}
	st->last_building.id = 0;
	if (strlen(grid) < sizeof st->last_building.grid &&
	    strlen(building) < sizeof st->last_building.name) {
		strcpy(st->last_building.grid, grid);
		strcpy(st->last_building.name, building);
		st->last_building.id = b.id;
	}
	r = houses_find(ctx->db, &req->arena, b.id, unit ? unit : "", room, h);
	if (r == DB_ROW) {
		remember_house(st, grid, building, u, room, h);
		return true;
	}
	if (r != DB_DONE) {
		api_field_error(in, "room", "store", "房屋读取失败");
		st->store_failed = true;
		return false;
	}
	memset(h, 0, sizeof *h);
	h->region_code = grid;
	h->building_id = b.id;
	h->building_name = b.name;
	h->unit = unit ? unit : "";
	h->room = room;
	h->use = "owner_occupied";
	h->area = -1;
	if (st->house_defaults.set) {
		if (st->house_defaults.use)
			h->use = st->house_defaults.use;
		h->area = st->house_defaults.area;
		h->address = st->house_defaults.address;
		h->note = st->house_defaults.note;
	}
	h->verified_at = st->now;
	if (houses_save(req, h, "import", NULL) != DB_OK) {
		api_field_error(in, "room", "store", "房屋保存失败");
		st->store_failed = true;
		return false;
	}
	*created = true;
	remember_house(st, grid, building, u, room, h);
	return true;
}

/* Sets key in body from the cell when present; false (and an error) on invalid UTF-8. */
static bool put(struct import_state *st, struct api_input *in, const char **cells, int n,
                const char *key)
{
	const char *v = cell(st, cells, n, key);
	if (!v)
		return true;
	if (!text_valid_utf8(v)) {
		api_field_error(in, key, "encoding", "含有无效字符");
		return false;
	}
	char *t = arena_strdup(&st->req->arena, v);
	text_trim(t);
	if (*t)
		json_object_set_new(in->body, key, json_string(t));
	return true;
}

/* A head row names its household's head. A household this import created has its version
 * already (read back from the household); one that existed gets a version for the change. */
static enum db_result import_head(struct import_state *st, int64_t household_id, int64_t head_id)
{
	struct http_req *req = st->req;
	struct api_ctx *ctx = api_ctx(req);
	bool known = st->last_household.id == household_id;
	if (known && st->last_household.head_id == head_id)
		return DB_OK;
	if (!known || !st->last_household.created) {
		struct household_row hh;
		enum db_result r = households_get(ctx->db, &req->arena, household_id, &hh);
		if (r != DB_ROW)
			return DB_ERROR;
		if (hh.head_id == head_id)
			return DB_OK;
		json_t *before = household_snapshot(&hh);
		r = base_version_next(req, "household", household_id, "import", before, NULL);
		json_decref(before);
		if (r != DB_OK)
			return r;
	}
	if (known)
		st->last_household.head_id = head_id;
	return households_set_head(ctx->db, household_id, head_id, st->now);
}

static void import_resident(struct import_state *st, struct api_input *in, const char **cells,
                            int n)
{
	struct http_req *req = st->req;
	struct api_ctx *ctx = api_ctx(req);
	static const char *const keys[] = {"name",     "id_number", "phone", "residency",
	                                   "relation", "status",    "note"};
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
		if (!put(st, in, cells, n, keys[k]))
			return;
	/* A masked export cannot come back in: say so rather than "bad format". */
	static const char *const sealed[] = {"id_number", "phone"};
	for (size_t k = 0; k < 2; k++) {
		const char *v = json_string_value(json_object_get(in->body, sealed[k]));
		if (v && strchr(v, '*')) {
			api_field_error(in, sealed[k], "masked",
			                "这是脱敏后的值，不能导入；请填写完整号码");
			return;
		}
	}
	struct resident_change ch;
	residents_read_change(&req->arena, in, &ch);
	if (json_array_size(in->errors))
		return;
	const char *tags = cell(st, cells, n, "tags");
	bool care_column = has_column(st, "care_tags");
	const char *care = care_column ? cell(st, cells, n, "care_tags") : NULL;
	if (care) {
		uint32_t bits = 0;
		if (tags_parse_list(care, &bits, NULL, 0))
			for (int t = 0; t < TAG_COUNT; t++)
				if ((bits & (1u << t)) && !tag_defs[t].restricted) {
					api_field_error(in, "care_tags", "enum",
					                "特殊人群标签列只能填写特殊人群标签，其他标"
					                "签请填在“标签”列");
					return;
				}
	}
	const char *grid = cell(st, cells, n, "region_code");
	ch.region_code = grid;
	ch.has_region = true;
	const char *building = cell(st, cells, n, "building");
	const char *unit = cell(st, cells, n, "unit");
	const char *room = cell(st, cells, n, "room");
	const char *number = cell(st, cells, n, "household");
	if ((building || room) && !(building && room)) {
		api_field_error(in, building ? "room" : "building", "required",
		                "楼栋和房号须同时填写");
		return;
	}
	if (building && (!text_valid_utf8(building) || (unit && !text_valid_utf8(unit)) ||
	                 !text_valid_utf8(room) || (number && !text_valid_utf8(number)) ||
	                 text_chars(building) > 50 || (unit && text_chars(unit) > 20) ||
	                 text_chars(room) > 20 || (number && text_chars(number) > 32))) {
		api_field_error(in, "building", "encoding",
		                "楼栋、单元、房号或户号含有无效字符或过长");
		return;
	}
	/* An ID number already registered updates that resident (when the caller may). */
	struct resident_row row;
	memset(&row, 0, sizeof row);
	json_t *before = NULL;
	if (ch.f.id_number) {
		char id[24];
		id_number_normalise(ch.f.id_number, id, sizeof id);
		struct citizen_id cid;
		if (!citizen_id_problem(id, &cid)) {
			unsigned char idx[SEAL_INDEX_LEN];
			seal_index("id_number", id, idx);
			if (residents_by_id_index(ctx->db, &req->arena, idx, &row) == DB_ROW) {
				/* The same answer as POST /residents gives for a duplicate,
				 * wherever the record lives: never whether it is inside or outside
				 * the caller's scope, nor where. */
				if (!api_reaches(ctx, BASE_WRITERS, row.region_code)) {
					api_field_error(in, "id_number", "duplicate",
					                "该身份证号已登记");
					return;
				}
				before = resident_snapshot(&req->arena, &row);
			}
		}
	}
	bool creating = row.id == 0;
	/* The 标签 column replaces the ordinary tags only; the special-care tags change only
	 * through their own column (which only a full export carries), so a re-imported export
	 * never clears what it did not show. A row that changes tags therefore carries the
	 * special-care tags it keeps: the column's, or the ones the resident has. */
	if (tags || care_column) {
		const char *plain = tags ? tags : !creating && row.tags ? row.tags : "";
		const char *kept = "";
		if (care_column)
			kept = care ? care : "";
		else if (!creating && api_reaches(ctx, BASE_RESTRICTED, row.region_code) &&
		         row.restricted_sealed.n) {
			kept = base_open(&req->arena, row.restricted_sealed);
			if (!kept) {
				api_field_error(in, "tags", "unavailable", "加密密钥不可用");
				in->unavailable = true;
				json_decref(before);
				return;
			}
		}
		ch.f.tags = arena_printf(&req->arena, "%s,%s", plain, kept);
		ch.tags_given = true;
	}
	if (creating) {
		row.status = "active";
		if (!ch.tags_given) {
			ch.tags_given = true;
			ch.f.tags = "";
		}
	}
	row.verified_at = st->now;
	/* Every rule first (the grid, reach, fields, tags); the house comes after. */
	if (!residents_apply(req, in, "", &ch, &row)) {
		json_decref(before);
		return;
	}
	enum db_result r = DB_OK;
	if (building) {
		struct house_row h;
		bool house_created;
		if (!row_house(st, in, row.region_code, building, unit, room, &h, &house_created)) {
			st->store_failed = true;
			json_decref(before);
			return;
		}
		row.house_id = h.id;
		row.household_id = 0;
		if (number && st->last_household.id && st->last_household.house_id == h.id &&
		    strcmp(st->last_household.number, number) == 0) {
			row.household_id = st->last_household.id;
		} else if (number) {
			struct household_row hh;
			bool made = false;
			r = households_find(ctx->db, &req->arena, h.id, number, &hh);
			if (r == DB_DONE) {
				memset(&hh, 0, sizeof hh);
				hh.region_code = h.region_code;
				hh.house_id = h.id;
				hh.number = number;
				hh.created_at = hh.updated_at = st->now;
				made = true;
				r = households_insert(ctx->db, &hh) == DB_OK &&
				            base_version(req, "household", hh.id, 1, "import", NULL,
				                         NULL) == DB_OK
				        ? DB_ROW
				        : DB_ERROR;
			}
			row.household_id = hh.id;
			r = r == DB_ROW ? DB_OK : DB_ERROR;
			st->last_household.id = 0;
			if (r == DB_OK && strlen(number) < sizeof st->last_household.number) {
				st->last_household.house_id = h.id;
				st->last_household.id = hh.id;
				st->last_household.head_id = hh.head_id;
				st->last_household.created = made;
				strcpy(st->last_household.number, number);
			}
		}
	}
	if (r == DB_OK)
		r = residents_save(req, &row, "import", before);
	json_decref(before);
	if (r != DB_OK) {
		st->store_failed = true;
		return;
	}
	if (row.household_id && row.relation && strcmp(row.relation, "head") == 0 &&
	    import_head(st, row.household_id, row.id) != DB_OK)
		st->store_failed = true;
	if (creating)
		st->res->created++;
	else
		st->res->updated++;
}

static void import_house(struct import_state *st, struct api_input *in, const char **cells, int n)
{
	struct http_req *req = st->req;
	const char *grid = cell(st, cells, n, "region_code");
	const char *building = cell(st, cells, n, "building");
	const char *room = cell(st, cells, n, "room");
	const char *use = cell(st, cells, n, "use");
	const char *area = cell(st, cells, n, "area");
	const char *address = cell(st, cells, n, "address");
	const char *note = cell(st, cells, n, "note");
	const char *fields[] = {grid, building, room, use, area, address, note};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (fields[i] && !text_valid_utf8(fields[i])) {
			api_field_error(in, "address", "encoding", "含有无效字符");
			return;
		}
	if (!grid || !building || !room) {
		api_field_error(in,
		                !grid       ? "region_code"
		                : !building ? "building"
		                            : "room",
		                "required", "网格代码、楼栋和房号为必填");
		return;
	}
	int u = -1;
	if (use && (u = code_lookup(house_use_codes, HOUSE_USE_COUNT, use)) < 0) {
		api_field_error(in, "use", "enum",
		                "房屋用途须为 自住、出租、群租、网约房、住改商 或 空置");
		return;
	}
	double a = -1;
	if (area) {
		char *end;
		a = strtod(area, &end);
		if (end == area || *end || a < 0 || a > 100000) {
			api_field_error(in, "area", "range", "面积须为 0–100000 之间的数");
			return;
		}
	}
	if ((address && text_chars(address) > 200) || (note && text_chars(note) > 500)) {
		api_field_error(in, address && text_chars(address) > 200 ? "address" : "note",
		                "too_long", "内容过长");
		return;
	}
	/* The building and house are found (or made) with every field at once, so a new house
	 * gets one version and a changed one a version whose before is what it was. */
	struct house_row h;
	bool created;
	st->house_defaults.use = u >= 0 ? house_use_codes[u].code : NULL;
	st->house_defaults.area = area ? a : -1;
	st->house_defaults.address = address;
	st->house_defaults.note = note;
	st->house_defaults.set = true;
	bool found =
	    row_house(st, in, grid, building, cell(st, cells, n, "unit"), room, &h, &created);
	st->house_defaults.set = false;
	if (!found)
		return;
	if (created) {
		st->res->created++;
		return;
	}
	json_t *before = house_snapshot(&req->arena, &h);
	if (u >= 0)
		h.use = house_use_codes[u].code;
	if (area)
		h.area = a;
	if (address)
		h.address = address;
	if (note)
		h.note = note;
	h.verified_at = st->now;
	enum db_result r = houses_save(req, &h, "import", before);
	json_decref(before);
	if (r != DB_OK) {
		st->store_failed = true;
		return;
	}
	st->res->updated++;
}

static void import_org(struct import_state *st, struct api_input *in, const char **cells, int n)
{
	struct http_req *req = st->req;
	struct api_ctx *ctx = api_ctx(req);
	static const char *const keys[] = {"name",        "uscc",     "kind",
	                                   "region_code", "industry", "legal_person",
	                                   "phone",       "address",  "status"};
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
		if (!put(st, in, cells, n, keys[k]))
			return;
	const char *emp = cell(st, cells, n, "employees");
	if (emp) {
		char *end;
		long long v = strtoll(emp, &end, 10);
		if (end == emp || *end || v < 0) {
			api_field_error(in, "employees", "range", "从业人数须为非负整数");
			return;
		}
		json_object_set_new(in->body, "employees", json_integer(v));
	}
	struct org_row o;
	memset(&o, 0, sizeof o);
	o.employees = -1;
	o.status = "active";
	json_t *before = NULL;
	const char *uscc = json_string_value(json_object_get(in->body, "uscc"));
	if (uscc && orgs_by_uscc(ctx->db, &req->arena, uscc, &o) == DB_ROW) {
		/* As POST /organisations answers a duplicate: not where the record lives. */
		if (!api_reaches(ctx, BASE_WRITERS, o.region_code)) {
			api_field_error(in, "uscc", "duplicate", "该统一社会信用代码已登记");
			return;
		}
		before = org_snapshot(&req->arena, &o);
	}
	bool creating = o.id == 0;
	orgs_read(req, in, &o, creating);
	if (json_array_size(in->errors)) {
		json_decref(before);
		return;
	}
	enum db_result r = orgs_save(req, &o, "import", before);
	json_decref(before);
	if (r != DB_OK) {
		st->store_failed = true;
		return;
	}
	if (creating)
		st->res->created++;
	else
		st->res->updated++;
}

static int on_row(void *arg, size_t line, const char **cells, int n)
{
	struct import_state *st = arg;
	if (!st->header_done) {
		st->header_done = true;
		return on_header(st, cells, n) ? 0 : 1;
	}
	bool blank = true;
	for (int i = 0; i < n && blank; i++) {
		const char *p = cells[i];
		while (*p == ' ' || *p == '\t')
			p++;
		blank = !*p;
	}
	if (blank)
		return 0;
	st->res->rows++;
	struct http_req *req = st->req;
	/* Each row gets its own arena, so memory stays flat over a million rows. A row is
	 * checked completely before its first write, so a row with errors leaves nothing
	 * behind without a savepoint per row (which would copy every touched page). */
	struct arena saved = req->arena;
	arena_init(&req->arena);
	struct api_input in = {.body = json_object(), .errors = json_array()};
	switch (st->def->kind) {
	case EXCHANGE_RESIDENTS:
		import_resident(st, &in, cells, n);
		break;
	case EXCHANGE_HOUSES:
		import_house(st, &in, cells, n);
		break;
	case EXCHANGE_ORGS:
		import_org(st, &in, cells, n);
		break;
	}
	/* No key to seal with is the server's trouble, not the row's: the import stops (503). */
	if (in.unavailable)
		st->key_missing = true;
	if (st->store_failed || st->key_missing) {
		api_input_free(&in);
		arena_free(&req->arena);
		req->arena = saved;
		return 1;
	}
	if (json_array_size(in.errors)) {
		st->res->failed++;
		size_t i;
		json_t *e;
		json_array_foreach(in.errors, i, e)
		{
			const char *f = json_string_value(json_object_get(e, "field"));
			add_error(st, line, col_of_field(st, f), f,
			          json_string_value(json_object_get(e, "code")),
			          json_string_value(json_object_get(e, "message")));
		}
	}
	api_input_free(&in);
	arena_free(&req->arena);
	req->arena = saved;
	if (st->opt.progress && st->res->rows % 10000 == 0)
		st->opt.progress(st->opt.progress_arg, st->res);
	return 0;
}

bool exchange_import(struct http_req *req, enum exchange_kind kind, const char *data, size_t len,
                     const struct exchange_options *opt, struct exchange_result *res)
{
	struct api_ctx *ctx = api_ctx(req);
	struct import_state st;
	memset(&st, 0, sizeof st);
	st.req = req;
	st.def = kind_def(kind);
	st.opt = *opt;
	st.res = res;
	st.now = time_now();
	memset(res, 0, sizeof *res);
	res->errors = json_array();
	arena_init(&st.last_house.arena);
	buf_init(&st.report);
	buf_puts(&st.report, "\xEF\xBB\xBF");
	buf_puts(&st.report, "行号,列,字段,错误代码,说明\r\n");
	if (db_exec(ctx->db, "SAVEPOINT import") != DB_OK) {
		snprintf(res->fatal, sizeof res->fatal, "数据库忙，请稍后再试");
		buf_free(&st.report);
		return false;
	}
	bool ok = true;
	if (opt->xlsx) {
		char err[160] = "";
		if (xlsx_read(data, len, on_row, &st, err, sizeof err) < 0) {
			snprintf(res->fatal, sizeof res->fatal, "%s",
			         err[0] ? err : "XLSX 文件无法读取");
			ok = false;
		}
	} else if (memchr(data, 0, len)) {
		snprintf(res->fatal, sizeof res->fatal,
		         "CSV 须为 UTF-8 编码的文本（可在表格软件中另存为 CSV UTF-8）");
		ok = false;
	} else {
		struct csv_reader rd;
		csv_reader_init(&rd, data, len);
		size_t line_at = 1; /* the line the next record starts on (for a broken one) */
		const char *counted = data;
		for (;;) {
			struct arena row_arena;
			arena_init(&row_arena);
			const char *fields[CSV_MAX_FIELDS];
			const char *record = rd.p;
			int nf = csv_next(&rd, &row_arena, fields);
			if (nf == 0) {
				arena_free(&row_arena);
				break;
			}
			if (nf < 0) {
				if (!st.header_done) {
					arena_free(&row_arena);
					snprintf(res->fatal, sizeof res->fatal, "首行表头无法解析");
					ok = false;
					break;
				}
				for (; counted < record; counted++)
					line_at += *counted == '\n';
				while (line_at && (*record == '\n' || *record == '\r'))
					line_at += *record++ == '\n'; /* blank lines before it */
				res->rows++;
				res->failed++;
				add_error(&st, line_at, -1, "row", "csv",
				          "CSV 格式错误：引号未闭合或列数超过 64");
				arena_free(&row_arena);
				break;
			}
			int stop = on_row(&st, rd.line, fields, nf);
			arena_free(&row_arena);
			if (opt->consumed && res->rows % 10000 == 0)
				opt->consumed(opt->progress_arg, (size_t)(rd.p - data));
			if (stop)
				break;
		}
	}
	if (ok && (!st.header_done || st.header_error)) {
		snprintf(res->fatal, sizeof res->fatal, "首行须为表头，且包含必填列：%s",
		         kind == EXCHANGE_RESIDENTS ? "姓名、网格代码"
		         : kind == EXCHANGE_HOUSES  ? "网格代码、楼栋、房号"
		                                    : "名称、类型、网格代码");
		ok = false;
	}
	if (ok && st.key_missing) {
		snprintf(res->fatal, sizeof res->fatal,
		         "个人信息加密密钥未加载，导入已全部撤销，请联系系统管理员");
		res->store_error = true;
		ok = false;
	}
	if (ok && st.store_failed) {
		snprintf(res->fatal, sizeof res->fatal,
		         "写入数据库失败，导入已全部撤销，请稍后再试");
		res->store_error = true;
		ok = false;
	}
	/* A dry run always reports (counts and errors); a real all-or-nothing import with a bad
	 * row is refused. */
	res->rejected = ok && res->failed > 0 && !opt->partial && !opt->dry_run;
	bool undo = !ok || opt->dry_run || res->rejected;
	if (undo)
		db_exec(ctx->db, "ROLLBACK TO import");
	db_exec(ctx->db, "RELEASE import");
	if (undo && !opt->dry_run && ok) {
		res->created = res->updated = 0;
	}
	size_t rlen;
	res->report = buf_detach(&st.report, &rlen);
	arena_free(&st.last_house.arena);
	return ok;
}

/* Records the import (always: a dry run or a refused import keeps its report too). */
enum db_result exchange_record(struct http_req *req, enum exchange_kind kind,
                               const struct exchange_options *opt, struct exchange_result *res)
{
	struct api_ctx *ctx = api_ctx(req);
	struct import_row r = {.kind = kind_def(kind)->name,
	                       .format = opt->xlsx ? "xlsx" : "csv",
	                       .user_id = ctx->who.user_id,
	                       .actor = ctx->who.name,
	                       .at = time_now(),
	                       .dry_run = opt->dry_run,
	                       .mode = opt->partial ? "partial" : "all_or_nothing",
	                       .status = opt->dry_run    ? "dry_run"
	                                 : res->rejected ? "rejected"
	                                                 : "done",
	                       .rows = res->rows,
	                       .created = res->created,
	                       .updated = res->updated,
	                       .failed = res->failed,
	                       .errors = res->error_count ? res->report : NULL};
	enum db_result rr = imports_insert(ctx->db, &r);
	res->import_id = r.id;
	return rr;
}

static json_t *result_json(struct http_req *req, enum exchange_kind kind,
                           const struct exchange_options *opt, const struct exchange_result *res)
{
	json_t *o = json_object();
	json_set_int(o, "id", res->import_id);
	json_set_str(o, "kind", kind_def(kind)->name);
	json_set_str(o, "format", opt->xlsx ? "xlsx" : "csv");
	json_set_int(o, "rows", res->rows);
	json_set_int(o, "created", res->created);
	json_set_int(o, "updated", res->updated);
	json_set_int(o, "failed", res->failed);
	json_set_bool(o, "dry_run", opt->dry_run);
	json_set_str(o, "mode", opt->partial ? "partial" : "all_or_nothing");
	json_set_int(o, "error_count", res->error_count);
	json_object_set(o, "errors", res->errors);
	json_set_str(o, "error_report",
	             res->error_count ? arena_printf(&req->arena, "/api/v1/imports/%lld/errors.csv",
	                                             (long long)res->import_id)
	                              : NULL);
	return o;
}

/* Reads format, dry_run and mode; false after responding 400. */
static bool import_options(struct http_req *req, struct exchange_options *opt)
{
	memset(opt, 0, sizeof *opt);
	const char *format = http_query(req, "format");
	const char *ct = http_header(req, "Content-Type");
	const char *dry = http_query(req, "dry_run");
	const char *mode = http_query(req, "mode");
	if (format && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0) {
		api_problem(req, 400, "format 须为 csv 或 xlsx");
		return false;
	}
	bool zip = req->body_len >= 4 && memcmp(req->body, "PK\x03\x04", 4) == 0;
	opt->xlsx = format ? strcmp(format, "xlsx") == 0
	                   : zip || (ct && strstr(ct, "spreadsheetml") != NULL);
	if (dry && strcmp(dry, "true") != 0 && strcmp(dry, "false") != 0) {
		api_problem(req, 400, "dry_run 须为 true 或 false");
		return false;
	}
	opt->dry_run = dry && strcmp(dry, "true") == 0;
	if (mode && strcmp(mode, "partial") != 0 && strcmp(mode, "all_or_nothing") != 0) {
		api_problem(req, 400, "mode 须为 all_or_nothing 或 partial");
		return false;
	}
	opt->partial = mode && strcmp(mode, "partial") == 0;
	if (ct && !opt->xlsx && !strstr(ct, "text/csv") &&
	    !strstr(ct, "application/octet-stream") && !strstr(ct, "text/plain")) {
		api_problem(req, 415, "请上传 CSV（text/csv）或 XLSX 文件");
		return false;
	}
	return true;
}

void exchange_import_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	enum exchange_kind kind;
	if (!kind_from_path(req, &kind)) {
		api_problem(req, 404, "资源不存在");
		return;
	}
	struct exchange_options opt;
	if (!import_options(req, &opt))
		return;
	if (!req->body_len) {
		api_problem(req, 400, "请上传文件内容");
		return;
	}
	struct exchange_result res;
	bool ok = exchange_import(req, kind, req->body, req->body_len, &opt, &res);
	if (!ok) {
		json_decref(res.errors);
		free(res.report);
		if (res.store_error)
			api_problem(req, 503, res.fatal);
		else
			api_field_problem(req, "file", "format", res.fatal);
		return;
	}
	enum db_result r = exchange_record(req, kind, &opt, &res);
	if (r != DB_OK) {
		json_decref(res.errors);
		free(res.report);
		api_store_error(req, r);
		return;
	}
	ctx->audit_object = arena_printf(&req->arena, "import:%lld", (long long)res.import_id);
	ctx->audit_detail =
	    arena_printf(&req->arena,
	                 "kind=%s rows=%lld created=%lld updated=%lld "
	                 "failed=%lld dry_run=%d",
	                 kind_def(kind)->name, (long long)res.rows, (long long)res.created,
	                 (long long)res.updated, (long long)res.failed, opt.dry_run);
	if (res.rejected) {
		/* Nothing written but the import's own record, which keeps the report. */
		ctx->keep_on_error = true;
		json_t *o = json_object();
		json_set_str(o, "type", "about:blank");
		json_set_str(o, "title", http_status_title(422));
		json_set_int(o, "status", 422);
		json_set_str(o, "detail",
		             arena_printf(&req->arena,
		                          "导入未完成：%lld 行中有 %lld 行错误，未写入任何数据",
		                          (long long)res.rows, (long long)res.failed));
		json_object_set(o, "errors", res.errors);
		json_set_int(o, "import_id", res.import_id);
		json_set_str(o, "error_report",
		             arena_printf(&req->arena, "/api/v1/imports/%lld/errors.csv",
		                          (long long)res.import_id));
		api_localize_body(req, o); /* detail and row messages in the client's language */
		size_t len;
		char *body = json_to_string(o, &len);
		json_decref(o);
		http_respond(req, 422, "application/problem+json", body, len);
	} else {
		json_t *result = result_json(req, kind, &opt, &res);
		api_localize_body(req, result);
		api_json(req, 200, result);
	}
	json_decref(res.errors);
	free(res.report);
}

/* ---- export ---- */

/* The header; the special-care column (the last of residents) only when care. */
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

static bool export_residents(struct http_req *req, struct sink *s, const struct scopes *sc,
                             bool reveal)
{
	struct api_ctx *ctx = api_ctx(req);
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
		if (residents_list(ctx->db, &page, &f, &rows, &n) != DB_OK) {
			arena_free(&page);
			return false;
		}
		for (size_t i = 0; i < n; i++) {
			const struct resident_row *r = &rows[i];
			if (r->house_id && r->house_id != h.id &&
			    houses_get(ctx->db, &req->arena, r->house_id, &h) != DB_ROW)
				h.id = 0;
			bool in_house = r->house_id && h.id == r->house_id;
			struct household_row hh = {.id = 0};
			if (r->household_id)
				households_get(ctx->db, &page, r->household_id, &hh);
			const char *id = reveal ? base_open(&page, r->id_sealed) : r->id_mask;
			const char *phone =
			    reveal ? base_open(&page, r->phone_sealed) : r->phone_mask;
			int res = code_lookup(residency_codes, RESIDENCY_COUNT, r->residency);
			int rel = code_lookup(relation_codes, RELATION_COUNT, r->relation);
			int stt =
			    code_lookup(resident_status_codes, RESIDENT_STATUS_COUNT, r->status);
			char *tagtext = tag_names(r->tags);
			/* The special-care tags travel only in a full export, and only for rows
			 * whose special-care tags the exporter may see. */
			char *caretext = NULL;
			if (reveal && api_reaches(ctx, BASE_RESTRICTED, r->region_code)) {
				const char *opened = base_open(&page, r->restricted_sealed);
				if (r->restricted_sealed.n && !opened) {
					/* Not openable: fail rather than export "none". */
					free(tagtext);
					arena_free(&page);
					return false;
				}
				caretext = tag_names(opened);
			}
			const char *cells[] = {
			    r->name,
			    id,
			    r->gender ? (strcmp(r->gender, "male") == 0 ? "男" : "女") : NULL,
			    resident_birth_text(&page, r, reveal), /* the year only when masked */
			    phone,
			    r->region_code,
			    in_house ? h.building_name : NULL,
			    in_house ? h.unit : NULL,
			    in_house ? h.room : NULL,
			    hh.id ? hh.number : NULL,
			    rel >= 0 ? relation_codes[rel].name : NULL,
			    res >= 0 ? residency_codes[res].name : NULL,
			    tagtext,
			    stt >= 0 ? resident_status_codes[stt].name : NULL,
			    r->note,
			    caretext};
			int ncells = (int)(sizeof cells / sizeof cells[0]);
			sink_row(s, cells, reveal ? ncells : ncells - 1);
			free(tagtext);
			free(caretext);
			s->rows++;
		}
		bool more = (int)n == f.limit;
		if (more) {
			f.after.code = arena_strdup(&req->arena, rows[n - 1].region_code);
			f.after.id = rows[n - 1].id;
		}
		arena_free(&page);
		if (!more || s->failed)
			return !s->failed;
	}
}

static bool export_houses(struct http_req *req, struct sink *s, const struct scopes *sc)
{
	struct api_ctx *ctx = api_ctx(req);
	struct page_after after = {"", 0};
	for (;;) {
		struct arena page;
		arena_init(&page);
		struct house_row *rows;
		size_t n;
		if (houses_list(ctx->db, &page, sc, 0, NULL, after, 500, &rows, &n) != DB_OK) {
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
			after.code = arena_strdup(&req->arena, rows[n - 1].region_code);
			after.id = rows[n - 1].id;
		}
		arena_free(&page);
		if (!more || s->failed)
			return !s->failed;
	}
}

static bool export_orgs(struct http_req *req, struct sink *s, const struct scopes *sc, bool reveal)
{
	struct api_ctx *ctx = api_ctx(req);
	struct page_after after = {"", 0};
	for (;;) {
		struct arena page;
		arena_init(&page);
		struct org_row *rows;
		size_t n;
		if (orgs_list(ctx->db, &page, sc, NULL, NULL, after, 500, &rows, &n) != DB_OK) {
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
			after.code = arena_strdup(&req->arena, rows[n - 1].region_code);
			after.id = rows[n - 1].id;
		}
		arena_free(&page);
		if (!more || s->failed)
			return !s->failed;
	}
}

bool exchange_export(struct http_req *req, enum exchange_kind kind, const struct scopes *sc,
                     bool reveal, bool xlsx, int *fd, size_t *len, int64_t *rows)
{
	const struct kind_def *def = kind_def(kind);
	struct sink s;
	*rows = 0;
	if (!sink_start(&s, def->zh, xlsx))
		return false;
	header_row(&s, def, reveal && kind == EXCHANGE_RESIDENTS);
	bool ok = kind == EXCHANGE_RESIDENTS ? export_residents(req, &s, sc, reveal)
	          : kind == EXCHANGE_HOUSES  ? export_houses(req, &s, sc)
	                                     : export_orgs(req, &s, sc, reveal);
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
	if (!kind_from_path(req, &kind)) {
		api_problem(req, 404, "资源不存在");
		return;
	}
	const struct kind_def *def = kind_def(kind);
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
	if (!exchange_export(req, kind, &sc, reveal, xlsx, &fd, &len, &rows)) {
		api_problem(req, 503, "导出文件生成失败，请稍后再试");
		return;
	}
	ctx->audit_detail = arena_printf(&req->arena, "kind=%s rows=%lld reveal=%d format=%s",
	                                 def->name, (long long)rows, reveal, xlsx ? "xlsx" : "csv");
	export_send_file(req, fd, len, xlsx, def->file);
}

void exchange_template_h(struct http_req *req)
{
	enum exchange_kind kind;
	if (!kind_from_path(req, &kind)) {
		api_problem(req, 404, "资源不存在");
		return;
	}
	const struct kind_def *def = kind_def(kind);
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

/* ---- import records ---- */

static json_t *import_json(struct http_req *req, const struct import_row *r)
{
	json_t *o = json_object();
	json_set_int(o, "id", r->id);
	json_set_str(o, "kind", r->kind);
	json_set_str(o, "format", r->format);
	json_set_str(o, "actor", r->actor);
	json_set_time(o, "at", r->at);
	json_set_bool(o, "dry_run", r->dry_run);
	json_set_str(o, "mode", r->mode);
	json_set_str(o, "status", r->status);
	json_set_int(o, "rows", r->rows);
	json_set_int(o, "created", r->created);
	json_set_int(o, "updated", r->updated);
	json_set_int(o, "failed", r->failed);
	json_set_str(o, "error_report",
	             r->failed ? arena_printf(&req->arena, "/api/v1/imports/%lld/errors.csv",
	                                      (long long)r->id)
	                       : NULL);
	return o;
}

void imports_list_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	int limit;
	int64_t before;
	if (!api_limit(req, &limit) || !api_cursor_id(req, &before))
		return;
	struct import_row *rows;
	size_t n;
	/* Imports are personal to who made them; admins see all. */
	int64_t user = api_is_admin(ctx) ? 0 : (ctx->who.user_id ? ctx->who.user_id : -1);
	enum db_result r = imports_list(ctx->db, &req->arena, user, before, limit, &rows, &n);
	if (r != DB_OK) {
		api_store_error(req, r);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, import_json(req, &rows[i]));
	api_json(req, 200,
	         api_list(items, (int)n == limit
	                             ? arena_printf(&req->arena, "%lld", (long long)rows[n - 1].id)
	                             : NULL));
}

static enum db_result import_load(struct http_req *req, int64_t id, void *out, const char **region,
                                  bool with_errors)
{
	*region = NULL;
	return imports_get(api_ctx(req)->db, &req->arena, id, with_errors, out);
}

static enum db_result import_load_plain(struct http_req *req, int64_t id, void *out,
                                        const char **region)
{
	return import_load(req, id, out, region, false);
}

static enum db_result import_load_errors(struct http_req *req, int64_t id, void *out,
                                         const char **region)
{
	return import_load(req, id, out, region, true);
}

/* Imports are personal to who made them; admins see all. */
static bool import_visible(struct http_req *req, const void *obj)
{
	struct api_ctx *ctx = api_ctx(req);
	const struct import_row *r = obj;
	return api_is_admin(ctx) || (r->user_id && r->user_id == ctx->who.user_id);
}

static const struct api_loader import_loader = {
    .what = "导入记录", .load = import_load_plain, .visible = import_visible};
static const struct api_loader import_errors_loader = {
    .what = "导入记录", .load = import_load_errors, .visible = import_visible};

static bool load_import(struct http_req *req, bool with_errors, struct import_row *r)
{
	return api_load(req, with_errors ? &import_errors_loader : &import_loader, r);
}

void imports_get_h(struct http_req *req)
{
	struct import_row r;
	if (load_import(req, false, &r))
		api_json(req, 200, import_json(req, &r));
}

void imports_errors_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	/* A download of an error report is audited, found or not. */
	ctx->audit_action = "import.errors";
	const char *idp = http_param(req, "id");
	ctx->audit_object = arena_printf(&req->arena, "import:%.20s", idp ? idp : "");
	struct import_row r;
	if (!load_import(req, true, &r))
		return;
	ctx->audit_detail =
	    arena_printf(&req->arena, "kind=%s failed=%lld", r.kind, (long long)r.failed);
	const char *text = r.errors ? r.errors : "\xEF\xBB\xBF行号,列,字段,错误代码,说明\r\n";
	size_t len = strlen(text);
	char *body = malloc(len + 1);
	if (!body) {
		api_problem(req, 503, "内存不足");
		return;
	}
	memcpy(body, text, len + 1);
	http_respond(req, 200, "text/csv; charset=utf-8", body, len);
	http_add_header(req, "Content-Disposition",
	                arena_printf(&req->arena, "attachment; filename=\"import-%lld-errors.csv\"",
	                             (long long)r.id));
}
