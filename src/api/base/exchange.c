/* The kinds of base data that go in and out as CSV and XLSX — residents, houses and
 * organisations — and their columns, the formats neighbourhood offices keep this data in.
 * Columns are matched by their Chinese header (as exported) or the API field name. The
 * import runs in exchange_import.c (its rows in exchange_rows.c), the export in
 * exchange_export.c, the import records in imports.c. */
#include "api/base/exchange_int.h"

#include <string.h>

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
     * make. A file without this column never changes them (resident_tags, exchange_rows.c). */
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

const struct kind_def *exchange_kind_def(enum exchange_kind k)
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
bool exchange_kind_from_path(struct http_req *req, enum exchange_kind *out)
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

const char *exchange_kind_name(enum exchange_kind kind)
{
	return kinds[kind].name;
}
