#include "domain/person.h"

#include <stdio.h>
#include <string.h>

#include "core/text.h"

void field_errors_add(struct field_errors *errs, const char *field, const char *code,
                      const char *message)
{
	if (errs->n < FIELD_ERRORS_MAX)
		errs->e[errs->n++] = (struct field_error){field, code, message};
}

const struct code_name residency_codes[RESIDENCY_COUNT] = {
    {"registered", "户籍"},
    {"floating", "流动"},
    {"foreign", "境外"},
};

const struct code_name house_use_codes[HOUSE_USE_COUNT] = {
    {"owner_occupied", "自住"}, {"rented", "出租"},     {"group_rental", "群租"},
    {"short_let", "网约房"},    {"business", "住改商"}, {"empty", "空置"},
};

const struct code_name relation_codes[RELATION_COUNT] = {
    {"head", "户主"},        {"spouse", "配偶"},     {"child", "子女"},
    {"parent", "父母"},      {"grandchild", "孙辈"}, {"grandparent", "祖父母"},
    {"sibling", "兄弟姐妹"}, {"tenant", "租住人员"}, {"other", "其他"},
};

const struct code_name org_kind_codes[ORG_KIND_COUNT] = {
    {"enterprise", "企业"},      {"individual", "个体工商户"}, {"social_org", "社会组织"},
    {"institution", "事业单位"}, {"government", "机关"},       {"other", "其他"},
};

const struct code_name resident_status_codes[RESIDENT_STATUS_COUNT] = {
    {"active", "在住"},
    {"moved_out", "已迁出"},
    {"deceased", "已故"},
};

const struct tag_def tag_defs[TAG_COUNT] = {
    {"elderly_alone", "独居老人", false},
    {"elderly", "高龄老人", false},
    {"low_income", "低保", false},
    {"disabled", "残疾", false},
    {"veteran", "退役军人", false},
    {"party_member", "党员", false},
    {"left_behind_child", "留守儿童", false},
    {"volunteer", "志愿者", false},
    {"community_correction", "社区矫正人员", true},
    {"released_prisoner", "刑满释放人员", true},
    {"drug_user", "社区戒毒康复人员", true},
    {"mental_disorder", "严重精神障碍患者", true},
    {"aids_risk", "艾滋病危险性人员", true},
    {"key_youth", "重点青少年", true},
    {"key_petitioner", "重点信访人员", true},
};

const struct code_name rectify_method_codes[RECTIFY_METHOD_COUNT] = {
    {"phone", "电话沟通"},
    {"interview", "集中约谈"},
    {"home_visit", "入户动员"},
    {"public_servant", "公职人员带头整改"},
    {"joint_enforcement", "联合执法整治"},
};

const struct code_name rectify_status_codes[RECTIFY_STATUS_COUNT] = {
    {"open", "待整改"},
    {"rectifying", "整改中"},
    {"rectified", "已整改待核验"},
    {"verified", "已销号"},
};

const char *const rectify_action_codes[RECTIFY_ACTIONS] = {"start", "rectified", "verify",
                                                           "reject"};

int code_lookup(const struct code_name *table, int n, const char *code)
{
	if (!code)
		return -1;
	for (int i = 0; i < n; i++)
		if (strcmp(table[i].code, code) == 0 || strcmp(table[i].name, code) == 0)
			return i;
	return -1;
}

int tag_lookup(const char *code)
{
	for (int i = 0; i < TAG_COUNT; i++)
		if (strcmp(tag_defs[i].code, code) == 0 || strcmp(tag_defs[i].name, code) == 0)
			return i;
	return -1;
}

/* Separators people type between tags in a spreadsheet cell. */
static size_t separator_len(const char *p)
{
	if (*p == ',' || *p == ';' || *p == ' ' || *p == '|')
		return 1;
	if (strncmp(p, "、", 3) == 0 || strncmp(p, "，", 3) == 0 || strncmp(p, "；", 3) == 0)
		return 3;
	return 0;
}

bool tags_parse_list(const char *list, uint32_t *bits, char *bad, size_t badlen)
{
	*bits = 0;
	if (bad && badlen)
		bad[0] = 0;
	const char *p = list ? list : "";
	while (*p) {
		size_t sep = separator_len(p);
		if (sep) {
			p += sep;
			continue;
		}
		const char *start = p;
		while (*p && !separator_len(p))
			p++;
		char word[64];
		size_t len = (size_t)(p - start);
		if (len >= sizeof word) {
			if (bad && badlen)
				snprintf(bad, badlen, "%.*s", (int)(badlen - 1), start);
			return false;
		}
		memcpy(word, start, len);
		word[len] = 0;
		int t = tag_lookup(word);
		if (t < 0) {
			if (bad && badlen)
				snprintf(bad, badlen, "%s", word);
			return false;
		}
		*bits |= 1u << t;
	}
	return true;
}

void tags_format(uint32_t bits, bool restricted, char *out, size_t outlen)
{
	size_t used = 0;
	if (outlen)
		out[0] = 0;
	for (int i = 0; i < TAG_COUNT; i++) {
		if (!(bits & (1u << i)) || tag_defs[i].restricted != restricted)
			continue;
		int w =
		    snprintf(out + used, outlen - used, "%s%s", used ? "," : "", tag_defs[i].code);
		if (w < 0 || (size_t)w >= outlen - used)
			return;
		used += (size_t)w;
	}
}

bool text_field_check(const char *field, const char *s, bool required, size_t maxchars,
                      struct field_errors *errs)
{
	if (!s || !*s) {
		if (required)
			field_errors_add(errs, field, "required", "必填");
		return !required;
	}
	if (!text_valid_utf8(s)) {
		field_errors_add(errs, field, "encoding", "须为有效的 UTF-8 文本，不含控制字符");
		return false;
	}
	bool blank = true;
	for (const char *p = s; *p && blank; p++)
		blank = *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n';
	if (blank && required) {
		field_errors_add(errs, field, "required", "必填");
		return false;
	}
	if (text_chars(s) > maxchars) {
		field_errors_add(errs, field, "too_long", "内容过长");
		return false;
	}
	return true;
}

static const char *id_message(const char *problem)
{
	if (strcmp(problem, "length") == 0)
		return "身份证号须为 18 位";
	if (strcmp(problem, "format") == 0)
		return "身份证号前 17 位须为数字，末位为数字或 X";
	if (strcmp(problem, "date") == 0)
		return "身份证号中的出生日期无效";
	return "身份证号校验位不正确";
}

void resident_check(const struct resident_fields *in, bool creating, struct resident_checked *out,
                    struct field_errors *errs)
{
	memset(out, 0, sizeof *out);
	out->relation = -1;
	out->status = -1;
	text_field_check("name", in->name, creating, 50, errs);
	int res = in->residency ? code_lookup(residency_codes, RESIDENCY_COUNT, in->residency) : -1;
	if (in->residency && res < 0)
		field_errors_add(errs, "residency", "enum",
		                 "户籍类型须为 registered、floating 或 foreign");
	else if (!in->residency && creating)
		field_errors_add(errs, "residency", "required", "必填");
	out->residency = res < 0 ? RESIDENCY_REGISTERED : (enum residency)res;
	if (in->id_number && *in->id_number) {
		char id[24];
		id_number_normalise(in->id_number, id, sizeof id);
		const char *problem = citizen_id_problem(id, &out->cid);
		if (problem)
			field_errors_add(errs, "id_number",
			                 strcmp(problem, "checksum") == 0 ? "checksum" : problem,
			                 id_message(problem));
		else
			out->has_id = true;
	} else if (creating && out->residency != RESIDENCY_FOREIGN) {
		field_errors_add(errs, "id_number", "required", "户籍和流动人口须填写身份证号");
	}
	if (in->phone && *in->phone && phone_problem(in->phone))
		field_errors_add(errs, "phone", "format", "电话号码格式不正确");
	if (in->relation && *in->relation) {
		out->relation = code_lookup(relation_codes, RELATION_COUNT, in->relation);
		if (out->relation < 0)
			field_errors_add(errs, "relation", "enum", "与户主关系不在代码表中");
	}
	if (in->status && *in->status) {
		out->status = code_lookup(resident_status_codes, RESIDENT_STATUS_COUNT, in->status);
		if (out->status < 0)
			field_errors_add(errs, "status", "enum",
			                 "状态须为 active、moved_out 或 deceased");
	}
	text_field_check("note", in->note, false, 500, errs);
	if (in->tags) {
		char bad[64];
		if (!tags_parse_list(in->tags, &out->tags, bad, sizeof bad))
			field_errors_add(errs, "tags", "enum", "标签不在代码表中");
	}
}

void id_number_normalise(const char *in, char *out, size_t outlen)
{
	size_t n = 0;
	for (const char *p = in; *p && n + 1 < outlen; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		out[n++] = *p == 'x' ? 'X' : *p;
	}
	out[n] = 0;
}

/* Keeps head leading and tail trailing characters of an ASCII s, stars between. */
static void mask_keep(const char *s, size_t head, size_t tail, char *out, size_t outlen)
{
	size_t len = strlen(s);
	if (outlen == 0)
		return;
	if (len <= head + tail) {
		size_t n = len < outlen - 1 ? len : outlen - 1;
		memset(out, '*', n);
		out[n] = 0;
		return;
	}
	size_t o = 0;
	for (size_t i = 0; i < len && o + 1 < outlen; i++)
		out[o++] = (i < head || i >= len - tail) ? s[i] : '*';
	out[o] = 0;
}

void mask_id_number(const char *id, char *out, size_t outlen)
{
	mask_keep(id, 3, 4, out, outlen);
}

void mask_phone(const char *phone, char *out, size_t outlen)
{
	mask_keep(phone, 3, 4, out, outlen);
}

void mask_name(const char *name, char *out, size_t outlen)
{
	if (!outlen)
		return;
	size_t first = name ? utf8_sequence_len((const unsigned char *)name) : 0;
	if (first + 3 > outlen)
		first = 0;
	snprintf(out, outlen, "%.*s**", (int)first, first ? name : "");
}

void mask_birth_date(int year, char *out, size_t outlen)
{
	if (!outlen)
		return;
	if (year <= 0 || year > 9999)
		out[0] = '\0';
	else
		snprintf(out, outlen, "%04d-**-**", year);
}

bool lookup_take(int64_t *stamps, int cap, int64_t now, int64_t window, int64_t *retry_after)
{
	if (cap <= 0) {
		*retry_after = window;
		return false;
	}
	int oldest = 0;
	for (int i = 1; i < cap; i++)
		if (stamps[i] < stamps[oldest])
			oldest = i;
	/* Every slot holds an event still inside the window: the limit is reached. */
	if (stamps[oldest] > 0 && stamps[oldest] > now - window) {
		int64_t wait = stamps[oldest] + window - now;
		*retry_after = wait > 0 ? wait : 1;
		return false;
	}
	stamps[oldest] = now;
	*retry_after = 0;
	return true;
}

int rectify_next(enum rectify_status status, enum rectify_action action)
{
	switch (action) {
	case RECTIFY_START:
		return status == RECTIFY_OPEN ? RECTIFY_RECTIFYING : -1;
	case RECTIFY_DONE:
		return status == RECTIFY_OPEN || status == RECTIFY_RECTIFYING ? RECTIFY_RECTIFIED
		                                                              : -1;
	case RECTIFY_VERIFY:
		return status == RECTIFY_RECTIFIED ? RECTIFY_VERIFIED : -1;
	case RECTIFY_REJECT:
		return status == RECTIFY_RECTIFIED ? RECTIFY_RECTIFYING : -1;
	case RECTIFY_ACTIONS:
		break;
	}
	return -1;
}

int64_t rate_tenths(int64_t num, int64_t den)
{
	if (den <= 0)
		return 0;
	return (num * 1000 + den / 2) / den;
}
