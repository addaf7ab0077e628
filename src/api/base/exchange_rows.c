/* The row readers of an import: one data row of residents, houses or organisations,
 * checked completely — by the same functions as the JSON API (base_resident_apply(),
 * base_org_read(), the grid and reach checks) — before its first write, so a bad row leaves
 * nothing behind. Rows find or create buildings, houses and households; an ID number or
 * credit code already registered updates that record. Everything a row reads lives in the
 * row's arena (st->row). */
#include "api/base/exchange_int.h"

#include "core/csv.h"
#include "core/json.h"
#include "core/seal.h"
#include "core/text.h"

#include <stdlib.h>
#include <string.h>

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
				char *t = arena_strdup(st->row, v);
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
	char *t = arena_strdup(st->row, v);
	text_trim(t);
	if (*t)
		json_object_set_new(in->body, key, json_string(t));
	return true;
}

/* ---- buildings and houses ---- */

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

/* The row names the house remembered from the row before. */
static bool same_house(const struct import_state *st, const char *grid, const char *building,
                       const char *unit, const char *room)
{
	return st->last_house.valid && !st->house_defaults.set &&
	       strcmp(st->last_house.grid, grid) == 0 &&
	       strcmp(st->last_house.building, building) == 0 &&
	       strcmp(st->last_house.unit, unit) == 0 && strcmp(st->last_house.room, room) == 0;
}

/* The building a row names: the one remembered, found, or created (versioned like every
 * change; "after" is read back from the building itself). */
static bool row_building(struct import_state *st, struct api_input *in, const char *grid,
                         const char *building, struct building_row *b)
{
	struct api_ctx *ctx = st->ctx;
	enum db_result r;
	if (st->last_building.id && strcmp(st->last_building.grid, grid) == 0 &&
	    strcmp(st->last_building.name, building) == 0) {
		memset(b, 0, sizeof *b);
		b->id = st->last_building.id;
		b->region_code = grid;
		b->name = building;
		r = DB_ROW;
	} else
		r = store_buildings_find(ctx->db, st->row, grid, building, b);
	if (r == DB_DONE) {
		memset(b, 0, sizeof *b);
		b->region_code = grid;
		b->name = building;
		b->created_at = b->updated_at = st->now;
		r = store_buildings_insert(ctx->db, b) == DB_OK &&
		            base_version(ctx, "building", b->id, 1, "import", NULL, NULL) == DB_OK
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
		st->last_building.id = b->id;
	}
	return true;
}

/* A new house of building b, with the fields a house row gives it. */
static void new_house(const struct import_state *st, const struct building_row *b, const char *unit,
                      const char *room, struct house_row *h)
{
	memset(h, 0, sizeof *h);
	h->region_code = b->region_code;
	h->building_id = b->id;
	h->building_name = b->name;
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
}

/* The building (created when new) and house (created when new) a row names. */
static bool row_house(struct import_state *st, struct api_input *in, const char *grid,
                      const char *building, const char *unit, const char *room, struct house_row *h,
                      bool *created)
{
	struct api_ctx *ctx = st->ctx;
	*created = false;
	if (!base_check_grid(ctx, st->row, in, "region_code", grid, BASE_WRITERS))
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
	if (same_house(st, grid, building, u, room)) {
		*h = st->last_house.h;
		return true;
	}
	struct building_row b;
	if (!row_building(st, in, grid, building, &b))
		return false;
	enum db_result r = store_houses_find(ctx->db, st->row, b.id, u, room, h);
	if (r == DB_ROW) {
		remember_house(st, grid, building, u, room, h);
		return true;
	}
	if (r != DB_DONE) {
		api_field_error(in, "room", "store", "房屋读取失败");
		st->store_failed = true;
		return false;
	}
	new_house(st, &b, unit, room, h);
	if (base_house_save(ctx, st->row, h, "import", NULL) != DB_OK) {
		api_field_error(in, "room", "store", "房屋保存失败");
		st->store_failed = true;
		return false;
	}
	*created = true;
	remember_house(st, grid, building, u, room, h);
	return true;
}

/* ---- residents ---- */

/* A head row names its household's head. A household this import created has its version
 * already (read back from the household); one that existed gets a version for the change. */
static enum db_result import_head(struct import_state *st, int64_t household_id, int64_t head_id)
{
	struct api_ctx *ctx = st->ctx;
	bool known = st->last_household.id == household_id;
	if (known && st->last_household.head_id == head_id)
		return DB_OK;
	if (!known || !st->last_household.created) {
		struct household_row hh;
		enum db_result r = store_households_get(ctx->db, st->row, household_id, &hh);
		if (r != DB_ROW)
			return DB_ERROR;
		if (hh.head_id == head_id)
			return DB_OK;
		json_t *before = household_snapshot(&hh);
		r = base_version_next(ctx, "household", household_id, "import", before, NULL);
		json_decref(before);
		if (r != DB_OK)
			return r;
	}
	if (known)
		st->last_household.head_id = head_id;
	return store_households_set_head(ctx->db, household_id, head_id, st->now);
}

/* The household numbered number in house h: the one remembered, found, or created. */
static enum db_result row_household(struct import_state *st, const struct house_row *h,
                                    const char *number, int64_t *id)
{
	struct api_ctx *ctx = st->ctx;
	if (st->last_household.id && st->last_household.house_id == h->id &&
	    strcmp(st->last_household.number, number) == 0) {
		*id = st->last_household.id;
		return DB_OK;
	}
	struct household_row hh;
	bool made = false;
	enum db_result r = store_households_find(ctx->db, st->row, h->id, number, &hh);
	if (r == DB_DONE) {
		memset(&hh, 0, sizeof hh);
		hh.region_code = h->region_code;
		hh.house_id = h->id;
		hh.number = number;
		hh.created_at = hh.updated_at = st->now;
		made = true;
		r = store_households_insert(ctx->db, &hh) == DB_OK &&
		            base_version(ctx, "household", hh.id, 1, "import", NULL, NULL) == DB_OK
		        ? DB_ROW
		        : DB_ERROR;
	}
	*id = hh.id;
	r = r == DB_ROW ? DB_OK : DB_ERROR;
	st->last_household.id = 0;
	if (r == DB_OK && strlen(number) < sizeof st->last_household.number) {
		st->last_household.house_id = h->id;
		st->last_household.id = hh.id;
		st->last_household.head_id = hh.head_id;
		st->last_household.created = made;
		strcpy(st->last_household.number, number);
	}
	return r;
}

/* The resident's columns into ch (the rules come later, in base_resident_apply). */
static bool resident_cells(struct import_state *st, struct api_input *in, const char **cells, int n,
                           struct resident_change *ch)
{
	static const char *const keys[] = {"name",     "id_number", "phone", "residency",
	                                   "relation", "status",    "note"};
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
		if (!put(st, in, cells, n, keys[k]))
			return false;
	/* A masked export cannot come back in: say so rather than "bad format". */
	static const char *const sealed[] = {"id_number", "phone"};
	for (size_t k = 0; k < 2; k++) {
		const char *v = json_string_value(json_object_get(in->body, sealed[k]));
		if (v && strchr(v, '*')) {
			api_field_error(in, sealed[k], "masked",
			                "这是脱敏后的值，不能导入；请填写完整号码");
			return false;
		}
	}
	base_resident_read(st->row, in, ch);
	return json_array_size(in->errors) == 0;
}

/* The special-care column holds special-care tags only. */
static bool care_tags_valid(struct api_input *in, const char *care)
{
	uint32_t bits = 0;
	if (care && tags_parse_list(care, &bits, NULL, 0))
		for (int t = 0; t < TAG_COUNT; t++)
			if ((bits & (1u << t)) && !tag_defs[t].restricted) {
				api_field_error(in, "care_tags", "enum",
				                "特殊人群标签列只能填写特殊人群标签，其他标"
				                "签请填在“标签”列");
				return false;
			}
	return true;
}

/* Building and room come together; with unit and household number, valid and short. */
static bool place_valid(struct api_input *in, const char *building, const char *unit,
                        const char *room, const char *number)
{
	if ((building || room) && !(building && room)) {
		api_field_error(in, building ? "room" : "building", "required",
		                "楼栋和房号须同时填写");
		return false;
	}
	if (building && (!text_valid_utf8(building) || (unit && !text_valid_utf8(unit)) ||
	                 !text_valid_utf8(room) || (number && !text_valid_utf8(number)) ||
	                 text_chars(building) > 50 || (unit && text_chars(unit) > 20) ||
	                 text_chars(room) > 20 || (number && text_chars(number) > 32))) {
		api_field_error(in, "building", "encoding",
		                "楼栋、单元、房号或户号含有无效字符或过长");
		return false;
	}
	return true;
}

/* An ID number already registered updates that resident (when the caller may): loads it into
 * row with its snapshot in *before. False after an error. */
static bool resident_existing(struct import_state *st, struct api_input *in,
                              const struct resident_change *ch, struct resident_row *row,
                              json_t **before)
{
	struct api_ctx *ctx = st->ctx;
	if (!ch->f.id_number)
		return true;
	char id[24];
	id_number_normalise(ch->f.id_number, id, sizeof id);
	struct citizen_id cid;
	if (citizen_id_problem(id, &cid))
		return true;
	unsigned char idx[SEAL_INDEX_LEN];
	seal_index("id_number", id, idx);
	if (store_residents_by_id_index(ctx->db, st->row, idx, row) != DB_ROW)
		return true;
	/* The same answer as POST /residents gives for a duplicate, wherever the record lives:
	 * never whether it is inside or outside the caller's scope, nor where. */
	if (!api_reaches(ctx, BASE_WRITERS, row->region_code)) {
		api_field_error(in, "id_number", "duplicate", "该身份证号已登记");
		return false;
	}
	*before = resident_snapshot(st->row, row);
	return true;
}

/* The 标签 column replaces the ordinary tags only; the special-care tags change only through
 * their own column (which only a full export carries), so a re-imported export never clears
 * what it did not show. A row that changes tags therefore carries the special-care tags it
 * keeps: the column's, or the ones the resident has. False when they cannot be opened. */
static bool resident_tags(struct import_state *st, struct api_input *in, const char **cells, int n,
                          const struct resident_row *row, struct resident_change *ch)
{
	const char *tags = cell(st, cells, n, "tags");
	bool care_column = has_column(st, "care_tags");
	bool creating = row->id == 0;
	if (!tags && !care_column)
		return true;
	const char *plain = tags ? tags : !creating && row->tags ? row->tags : "";
	const char *kept = "";
	if (care_column) {
		const char *care = cell(st, cells, n, "care_tags");
		kept = care ? care : "";
	} else if (!creating && api_reaches(st->ctx, BASE_RESTRICTED, row->region_code) &&
	           row->restricted_sealed.n) {
		kept = base_open(st->row, row->restricted_sealed);
		if (!kept) {
			api_field_error(in, "tags", "unavailable", "加密密钥不可用");
			in->unavailable = true;
			return false;
		}
	}
	ch->f.tags = arena_printf(st->row, "%s,%s", plain, kept);
	ch->tags_given = true;
	return true;
}

/* Puts the resident in the house (and household) the row names; false when a write failed. */
static bool resident_place(struct import_state *st, struct api_input *in, const char **cells, int n,
                           struct resident_row *row)
{
	const char *building = cell(st, cells, n, "building");
	const char *number = cell(st, cells, n, "household");
	if (!building)
		return true;
	struct house_row h;
	bool house_created;
	if (!row_house(st, in, row->region_code, building, cell(st, cells, n, "unit"),
	               cell(st, cells, n, "room"), &h, &house_created))
		return false;
	row->house_id = h.id;
	row->household_id = 0;
	return !number || row_household(st, &h, number, &row->household_id) == DB_OK;
}

void exchange_row_resident(struct import_state *st, struct api_input *in, const char **cells, int n)
{
	struct resident_change ch;
	if (!resident_cells(st, in, cells, n, &ch))
		return;
	if (has_column(st, "care_tags") && !care_tags_valid(in, cell(st, cells, n, "care_tags")))
		return;
	ch.region_code = cell(st, cells, n, "region_code");
	ch.has_region = true;
	if (!place_valid(in, cell(st, cells, n, "building"), cell(st, cells, n, "unit"),
	                 cell(st, cells, n, "room"), cell(st, cells, n, "household")))
		return;
	struct resident_row row;
	memset(&row, 0, sizeof row);
	json_t *before = NULL;
	if (!resident_existing(st, in, &ch, &row, &before))
		return;
	bool creating = row.id == 0;
	if (!resident_tags(st, in, cells, n, &row, &ch)) {
		json_decref(before);
		return;
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
	if (!base_resident_apply(st->ctx, st->row, in, "", &ch, &row)) {
		json_decref(before);
		return;
	}
	/* Every rule was checked: what fails from here is a write. */
	bool ok = resident_place(st, in, cells, n, &row) &&
	          base_resident_save(st->ctx, st->row, &row, "import", before) == DB_OK;
	json_decref(before);
	if (!ok) {
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

/* ---- houses ---- */

/* The fields of a house row, checked; false after an error. */
static bool house_fields(struct import_state *st, struct api_input *in, const char **cells, int n,
                         int *use, double *area)
{
	const char *grid = cell(st, cells, n, "region_code");
	const char *building = cell(st, cells, n, "building");
	const char *room = cell(st, cells, n, "room");
	const char *u = cell(st, cells, n, "use");
	const char *ar = cell(st, cells, n, "area");
	const char *address = cell(st, cells, n, "address");
	const char *note = cell(st, cells, n, "note");
	const char *fields[] = {grid, building, room, u, ar, address, note};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (fields[i] && !text_valid_utf8(fields[i])) {
			api_field_error(in, "address", "encoding", "含有无效字符");
			return false;
		}
	if (!grid || !building || !room) {
		api_field_error(in,
		                !grid       ? "region_code"
		                : !building ? "building"
		                            : "room",
		                "required", "网格代码、楼栋和房号为必填");
		return false;
	}
	*use = -1;
	if (u && (*use = code_lookup(house_use_codes, HOUSE_USE_COUNT, u)) < 0) {
		api_field_error(in, "use", "enum",
		                "房屋用途须为 自住、出租、群租、网约房、住改商 或 空置");
		return false;
	}
	*area = -1;
	if (ar) {
		char *end;
		*area = strtod(ar, &end);
		if (end == ar || *end || *area < 0 || *area > 100000) {
			api_field_error(in, "area", "range", "面积须为 0–100000 之间的数");
			return false;
		}
	}
	if ((address && text_chars(address) > 200) || (note && text_chars(note) > 500)) {
		api_field_error(in, address && text_chars(address) > 200 ? "address" : "note",
		                "too_long", "内容过长");
		return false;
	}
	return true;
}

void exchange_row_house(struct import_state *st, struct api_input *in, const char **cells, int n)
{
	int u;
	double a;
	if (!house_fields(st, in, cells, n, &u, &a))
		return;
	const char *area = cell(st, cells, n, "area");
	const char *address = cell(st, cells, n, "address");
	const char *note = cell(st, cells, n, "note");
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
	    row_house(st, in, cell(st, cells, n, "region_code"), cell(st, cells, n, "building"),
	              cell(st, cells, n, "unit"), cell(st, cells, n, "room"), &h, &created);
	st->house_defaults.set = false;
	if (!found)
		return;
	if (created) {
		st->res->created++;
		return;
	}
	json_t *before = house_snapshot(st->row, &h);
	if (u >= 0)
		h.use = house_use_codes[u].code;
	if (area)
		h.area = a;
	if (address)
		h.address = address;
	if (note)
		h.note = note;
	h.verified_at = st->now;
	enum db_result r = base_house_save(st->ctx, st->row, &h, "import", before);
	json_decref(before);
	if (r != DB_OK) {
		st->store_failed = true;
		return;
	}
	st->res->updated++;
}

/* ---- organisations ---- */

void exchange_row_org(struct import_state *st, struct api_input *in, const char **cells, int n)
{
	struct api_ctx *ctx = st->ctx;
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
	if (uscc && store_orgs_by_uscc(ctx->db, st->row, uscc, &o) == DB_ROW) {
		/* As POST /organisations answers a duplicate: not where the record lives. */
		if (!api_reaches(ctx, BASE_WRITERS, o.region_code)) {
			api_field_error(in, "uscc", "duplicate", "该统一社会信用代码已登记");
			return;
		}
		before = org_snapshot(st->row, &o);
	}
	bool creating = o.id == 0;
	base_org_read(ctx, st->row, in, &o, creating);
	if (json_array_size(in->errors)) {
		json_decref(before);
		return;
	}
	enum db_result r = base_org_save(ctx, st->row, &o, "import", before);
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
