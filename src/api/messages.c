/* The catalogue of problem details and its lookup (see api/messages.h). The tables are at the
 * end of the file, one entry a line, in the format scripts/messages.mjs reads and prints. */
#include "api/messages.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/text.h"
#include "http/http.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

enum { MAX_VALUES = 6, MAX_DEPTH = 3 };

/* ---- Accept-Language ---- */

/* A q value ("1", "0.8", "0.125") in thousandths; 1000 when malformed, as if absent. */
static int parse_q(const char *p, size_t n)
{
	if (n == 0 || (p[0] != '0' && p[0] != '1'))
		return 1000;
	int q = (p[0] - '0') * 1000;
	if (n > 1 && p[1] == '.') {
		int scale = 100;
		for (size_t i = 2; i < n && i < 5 && isdigit((unsigned char)p[i]); i++, scale /= 10)
			q += (p[i] - '0') * scale;
	}
	return q > 1000 ? 1000 : q;
}

/* True when the language range names lang ("en", "en-GB"; not "eng"). */
static bool range_is(const char *tag, size_t n, const char *lang)
{
	size_t l = strlen(lang);
	return n >= l && strncasecmp(tag, lang, l) == 0 && (n == l || tag[l] == '-');
}

bool msg_prefers_english(const char *h)
{
	if (!h)
		return false;
	int en = 0, zh = 0, en_pos = -1, zh_pos = -1, pos = 0;
	const char *p = h;
	while (*p) {
		const char *item = p;
		while (*p && *p != ',')
			p++;
		/* item .. p: "tag;q=0.8" with optional spaces */
		const char *end = p;
		if (*p)
			p++;
		while (item < end && (*item == ' ' || *item == '\t'))
			item++;
		const char *tag = item;
		while (item < end && *item != ';' && *item != ' ' && *item != '\t')
			item++;
		size_t tag_len = (size_t)(item - tag);
		if (tag_len == 0)
			continue;
		int q = 1000;
		const char *qp = NULL;
		for (const char *s = item; s + 2 < end; s++)
			if (*s == ';') {
				const char *t = s + 1;
				while (t < end && *t == ' ')
					t++;
				if (end - t > 2 && (t[0] == 'q' || t[0] == 'Q') && t[1] == '=')
					qp = t + 2;
			}
		if (qp) {
			size_t qn = 0;
			while (qp + qn < end && qp[qn] != ' ' && qp[qn] != ';')
				qn++;
			q = parse_q(qp, qn);
		}
		if (range_is(tag, tag_len, "en") && q > en) {
			en = q;
			if (en_pos < 0)
				en_pos = pos;
		} else if (range_is(tag, tag_len, "zh") && q > zh) {
			zh = q;
			if (zh_pos < 0)
				zh_pos = pos;
		}
		pos++;
	}
	/* Chinese first: English only when it is preferred outright or, at equal weight,
	 * named first. */
	return en > 0 && (en > zh || (en == zh && en_pos < zh_pos));
}

/* ---- matching a detail against an entry ---- */

struct values {
	const char *s[MAX_VALUES];
	size_t n[MAX_VALUES];
	int count;
};

/* The length of the printf conversion at p ("%s", "%lld", "%zu"), 0 when there is none;
 * *numeric tells whether it prints an integer. */
static size_t conversion(const char *p, bool *numeric)
{
	if (p[0] != '%' || p[1] == '%')
		return 0;
	size_t i = 1;
	while (p[i] && strchr("-+ #0123456789.", p[i]))
		i++;
	while (p[i] && strchr("hlLjzt", p[i]))
		i++;
	if (p[i] == 's')
		*numeric = false;
	else if (p[i] && strchr("diux", p[i]))
		*numeric = true;
	else
		return 0;
	return i + 1;
}

static size_t char_len(const char *t)
{
	size_t n = utf8_sequence_len((const unsigned char *)t);
	if (n == 0)
		return 1; /* not UTF-8: byte by byte */
	for (size_t i = 1; i < n; i++)
		if (!t[i])
			return i;
	return n;
}

/* Whether text t matches pattern p, the conversions taking the shortest values that let the
 * rest match; v collects them. */
static bool match(const char *p, const char *t, struct values *v)
{
	for (;;) {
		bool numeric = false;
		size_t k = conversion(p, &numeric);
		if (k) {
			if (v->count == MAX_VALUES || !*t)
				return false;
			int slot = v->count;
			for (const char *e = t; *e;) {
				if (numeric &&
				    !(isdigit((unsigned char)*e) || (e == t && *e == '-')))
					break;
				e += char_len(e);
				v->count = slot + 1;
				v->s[slot] = t;
				v->n[slot] = (size_t)(e - t);
				if (match(p + k, e, v))
					return true;
			}
			v->count = slot;
			return false;
		}
		if (p[0] == '%' && p[1] == '%') {
			if (*t != '%')
				return false;
			p += 2;
			t++;
			continue;
		}
		if (!*p)
			return !*t;
		if (*p != *t)
			return false;
		p++;
		t++;
	}
}

/* The bytes of zh outside its conversions: the more, the more specific the pattern. */
static size_t fixed_len(const char *zh, bool *has_conversion)
{
	size_t n = 0;
	*has_conversion = false;
	for (const char *p = zh; *p;) {
		bool numeric;
		size_t k = conversion(p, &numeric);
		if (k) {
			*has_conversion = true;
			p += k;
		} else {
			n++;
			p++;
		}
	}
	return n;
}

/* Patterns (entries with conversions), most specific first; built once. */
static size_t *patterns, npatterns;
static pthread_once_t patterns_once = PTHREAD_ONCE_INIT;

static size_t pattern_fixed(size_t i)
{
	bool conv;
	return fixed_len(msg_catalogue[i].zh, &conv);
}

static void build_patterns(void)
{
	patterns = xmalloc(sizeof *patterns * (msg_ncatalogue + 1));
	for (size_t i = 0; i < msg_ncatalogue; i++) {
		bool conv;
		if (fixed_len(msg_catalogue[i].zh, &conv) > 0 && conv)
			patterns[npatterns++] = i;
	}
	/* insertion sort: a few dozen patterns, once */
	for (size_t i = 1; i < npatterns; i++) {
		size_t x = patterns[i], fx = pattern_fixed(x), j = i;
		while (j > 0 && pattern_fixed(patterns[j - 1]) < fx) {
			patterns[j] = patterns[j - 1];
			j--;
		}
		patterns[j] = x;
	}
}

static bool has_chinese(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0xE3 && (unsigned char)s[i] <= 0xE9)
			return true; /* lead bytes of U+3000..U+9FFF */
	return false;
}

static const struct msg_entry *translate(struct arena *a, const char *text, bool english,
                                         const char **out, int depth);

/* A value filled into a detail, in English: a known noun, a nested detail, else as it is
 * (numbers, codes, names). */
static const char *value_en(struct arena *a, const char *s, size_t n, int depth)
{
	char *v = arena_strndup(a, s, n);
	for (size_t i = 0; i < msg_nnouns; i++)
		if (strcmp(msg_nouns[i].zh, v) == 0)
			return msg_nouns[i].en;
	const char *t;
	if (has_chinese(v, n) && depth < MAX_DEPTH && translate(a, v, true, &t, depth + 1))
		return t;
	return v;
}

/* en with {1}, {2}, ... replaced by the values in English. */
static const char *fill(struct arena *a, const char *en, const struct values *v, int depth)
{
	struct buf b;
	buf_init(&b);
	for (const char *p = en; *p; p++) {
		if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}') {
			int i = p[1] - '1';
			if (i < v->count)
				buf_puts(&b, value_en(a, v->s[i], v->n[i], depth));
			p += 2;
		} else {
			buf_append(&b, p, 1);
		}
	}
	size_t len;
	char *s = buf_detach(&b, &len);
	/* A sentence that starts with a value ("{1} not found") starts with a capital. */
	if (en[0] == '{' && len && islower((unsigned char)s[0]))
		s[0] = (char)toupper((unsigned char)s[0]);
	char *r = arena_strndup(a, s, len);
	free(s);
	return r;
}

static const struct msg_entry *translate(struct arena *a, const char *text, bool english,
                                         const char **out, int depth)
{
	*out = text;
	for (size_t i = 0; i < msg_ncatalogue; i++)
		if (strcmp(msg_catalogue[i].zh, text) == 0) {
			bool conv;
			fixed_len(msg_catalogue[i].zh, &conv);
			if (conv)
				continue; /* a pattern; matched below */
			if (english)
				*out = msg_catalogue[i].en;
			return &msg_catalogue[i];
		}
	pthread_once(&patterns_once, build_patterns);
	for (size_t k = 0; k < npatterns; k++) {
		const struct msg_entry *e = &msg_catalogue[patterns[k]];
		struct values v = {0};
		if (!match(e->zh, text, &v))
			continue;
		if (english)
			*out = fill(a, e->en, &v, depth);
		return e;
	}
	return NULL;
}

const struct msg_entry *msg_translate(struct arena *a, const char *text, bool english,
                                      const char **out)
{
	return translate(a, text, english, out, 0);
}

const char *api_localize(struct http_req *req, const char *text, const char **code)
{
	bool english = msg_prefers_english(http_header(req, "Accept-Language"));
	const char *out;
	const struct msg_entry *e = msg_translate(&req->arena, text, english, &out);
	*code = e ? e->code : NULL;
	return out;
}

void api_localize_body(struct http_req *req, json_t *body)
{
	const char *code, *detail = json_string_value(json_object_get(body, "detail"));
	if (detail) {
		const char *t = api_localize(req, detail, &code);
		json_set_str(body, "code", code ? code : http_status_code(422));
		if (t != detail)
			json_set_str(body, "detail", t);
	}
	size_t i;
	json_t *e;
	json_t *errors = json_object_get(body, "errors");
	json_array_foreach(errors, i, e)
	{
		const char *m = json_string_value(json_object_get(e, "message"));
		if (!m)
			continue;
		const char *t = api_localize(req, m, &code);
		if (t != m)
			json_set_str(e, "message", t);
	}
}

/* ---- the catalogue ----
 * {code, zh, en}: code is stable (clients key on it), zh exactly as the source writes the
 * detail, en in the style of the UI. `node scripts/messages.mjs` prints the details in src/api
 * that are missing here, in this format. */
/* clang-format off */
const struct msg_entry msg_catalogue[] = {
	{"region_code_format", "region 须为 6、9、12 或 15 位区划代码", "region must be a region code of 6, 9, 12 or 15 digits"},
	{"cursor_invalid", "cursor 无效", "Invalid cursor"},
	{"grid_code_format", "须为 15 位网格代码", "Must be a 15-digit grid code"},
	{"grid_not_found", "网格不存在或已撤销", "Grid not found or dissolved"},
	{"grid_out_of_scope", "该网格超出您的管辖范围", "This grid is outside your area"},
	{"cadre_not_found", "干部不存在", "Cadre not found"},
	{"building_not_found", "楼栋不存在", "Building not found"},
	{"building_outside_community", "楼栋须在所派驻的社区内", "The building must be in the community the cadre is assigned to"},
	{"kind_invalid", "kind 取值无效", "Invalid kind"},
	{"name_required", "姓名不能为空", "Name cannot be empty"},
	{"cadre_kind_enum", "类型须为 sinking、judge、prosecutor、police 或 lawyer", "Kind must be sinking, judge, prosecutor, police or lawyer"},
	{"cadre_assignment", "干部派驻到村（社区）", "Cadres are assigned to a village (community)"},
	{"region_not_found", "区划不存在", "Region not found"},
	{"user_not_found", "用户不存在", "User not found"},
	{"party_member_not_found", "党员不存在", "Party member not found"},
	{"required", "此项为必填", "This field is required"},
	{"legal_adviser_lawyer", "法律顾问须由律师担任", "A legal adviser must be a lawyer"},
	{"cadre_status_enum", "状态须为 active 或 ended", "Status must be active or ended"},
	{"community_out_of_scope", "该社区不在您的管理范围内", "This community is outside your area"},
	{"cadre_out_of_scope", "该干部不在您的管理范围内", "This cadre is outside your area"},
	{"new_community_out_of_scope", "新的派驻社区不在您的管理范围内", "The new community is outside your area"},
	{"service_hours_own_only", "只能登记本人或所管理干部的服务时长", "You can record service hours only for yourself or the cadres you manage"},
	{"from_date_format", "from 须为 YYYY-MM-DD 日期", "from must be a date in YYYY-MM-DD format"},
	{"cadre_id_positive", "cadre_id 须为正整数", "cadre_id must be a positive integer"},
	{"time_format", "时间格式须为 HH:MM", "Time must be in HH:MM format"},
	{"end_before_start", "结束时间须晚于开始时间", "The end time must be later than the start time"},
	{"slots_array", "应为时段数组", "Must be an array of time slots"},
	{"slots_too_many", "时段最多 48 个", "At most 48 time slots"},
	{"slot_object", "应为 {starts, ends, capacity}", "Must be an object {starts, ends, capacity}"},
	{"slot_outside_hours", "时段须在接待时间之内，且结束晚于开始", "Time slots must fall within the reception hours and end after they start"},
	{"reception_own_only", "只能发布本人或所管理干部的接待日", "You can publish reception days only for yourself or the cadres you manage"},
	{"cadre_assignment_ended", "该干部已结束派驻", "This cadre's assignment has ended"},
	{"reception_not_found", "接待日不存在", "Reception day not found"},
	{"reception_cancel_own_only", "只能取消本人或所管理干部的接待日", "You can cancel reception days only for yourself or the cadres you manage"},
	{"reception_cancelled", "接待日已取消", "This reception day has been cancelled"},
	{"reception_residents_only", "只有本社区居民可以预约接待日", "Only residents of this community can book this reception day"},
	{"reception_slot_unknown", "该接待日没有这个时段", "This reception day has no such time slot"},
	{"reception_past", "接待日已过", "This reception day has passed"},
	{"reception_slot_full", "该时段已约满", "This time slot is fully booked"},
	{"reception_one_per_day", "您已预约了当天的接待，每人每天限约一次", "You already have a booking on that day; one booking per person per day"},
	{"booking_not_found", "预约不存在", "Booking not found"},
	{"booking_cancelled", "预约已取消", "This booking has been cancelled"},
	{"case_not_found", "事件不存在", "Case not found"},
	{"reveal_forbidden", "当前角色无权查看完整的个人信息", "Your role may not view full personal information"},
	{"bool_param", "%s 须为 true 或 false", "{1} must be true or false"},
	{"region_param_invalid", "region 须为有效的区划代码", "region must be a valid region code"},
	{"region_outside_data_scope", "该区划超出您的数据范围", "This region is outside your data scope"},
	{"status_param_invalid", "status 取值无效", "Invalid status"},
	{"category_unknown_or_inactive", "事件类别不存在或已停用", "Category not found or no longer in use"},
	{"case_grid_required", "事件须发生在一个在用的网格内", "A case must be located in an active grid"},
	{"active_grid_code", "须为在用网格的 15 位代码", "Must be the 15-digit code of an active grid"},
	{"seal_key_not_ready", "加密密钥未就绪，暂时无法保存个人信息", "The encryption key is not ready; personal information cannot be saved right now"},
	{"location_object", "应为对象 {lat, lon, address}", "Must be an object {lat, lon, address}"},
	{"lat_lon_numbers", "lat 和 lon 应为数字", "lat and lon must be numbers"},
	{"lat_lon_range", "经纬度超出范围", "Latitude or longitude out of range"},
	{"reporter_object", "应为对象 {name, phone}", "Must be an object {name, phone}"},
	{"phone_format_detail", "电话号码格式不正确（11 位手机号或座机号）", "Invalid phone number (an 11-digit mobile or a landline number)"},
	{"case_source_enum", "来源须为 resident、patrol、hotline、reception、open311 或 building", "Source must be resident, patrol, hotline, reception, open311 or building"},
	{"case_tier_enum", "层级须为 minor、private 或 major", "Tier must be minor, private or major"},
	{"case_report_own_region", "只能上报您所在区划内的事件", "You can report cases only within your own area"},
	{"action_unknown", "未知的操作", "Unknown action"},
	{"rating_enum", "评价须为 satisfied、basic 或 unsatisfied", "Rating must be satisfied, basic or unsatisfied"},
	{"case_merged", "该事件已并入其他事件，请在原事件上办理", "This case was merged into another; please act on the original case"},
	{"case_action_not_allowed", "事件当前为“%s”，不能执行“%s”", "Action “{2}” is not possible while the case is “{1}”"},
	{"case_action_role", "您的角色不能对该事件执行“%s”", "Your role cannot “{1}” this case"},
	{"comment_required_detail", "此操作须填写说明", "This action requires a comment"},
	{"comment_required", "请填写说明或理由", "Enter a comment or reason"},
	{"rating_required_detail", "评价须选择满意、基本满意或不满意", "Choose a rating: satisfied, basic or unsatisfied"},
	{"rating_required", "请选择评价", "Choose a rating"},
	{"merge_into_required_detail", "合并须指明原事件", "A merge must name the original case"},
	{"merge_into_required", "请填写原事件编号 id", "Enter the id of the original case"},
	{"dispatch_unit_required_detail", "派遣须指明处置单位", "Dispatching requires a handling unit"},
	{"dispatch_unit_required", "请填写处置单位", "Enter the handling unit"},
	{"reopen_too_late", "结案已超过 7 天，不能再申请重新办理", "The case was closed more than 7 days ago and can no longer be reopened"},
	{"escalate_at_district", "事件已在区级处置，不能再上报", "The case is already handled at district level and cannot be escalated"},
	{"merge_into_self", "不能合并到事件自身", "A case cannot be merged into itself"},
	{"merge_into_not_found_detail", "要合并到的原事件不存在", "The case to merge into was not found"},
	{"merge_into_not_found", "原事件不存在", "Original case not found"},
	{"merge_into_closed", "原事件已办结，请直接重新上报或办理", "The original case is closed; report again or reopen it instead"},
	{"tracking_code_not_found", "查询码不存在", "Tracking code not found"},
	{"category_code_format", "代码为 2–32 位小写字母、数字或下划线，以字母开头", "Codes are 2–32 lowercase letters, digits or underscores, starting with a letter"},
	{"name_empty", "名称不能为空", "Name cannot be empty"},
	{"category_code_exists", "类别代码已存在", "This category code already exists"},
	{"category_not_found", "类别不存在", "Category not found"},
	{"address_invalid_chars", "楼栋、单元或房号含有无效字符", "Building, unit or room contains invalid characters"},
	{"address_too_long", "楼栋最多 50 字，单元和房号最多 20 字", "Building: at most 50 characters; unit and room: at most 20 characters"},
	{"building_save_failed", "楼栋保存失败", "The building could not be saved"},
	{"house_read_failed", "房屋读取失败", "The house could not be read"},
	{"house_save_failed", "房屋保存失败", "The house could not be saved"},
	{"invalid_chars", "含有无效字符", "Contains invalid characters"},
	{"masked_value", "这是脱敏后的值，不能导入；请填写完整号码", "This is a masked value and cannot be imported; enter the full number"},
	{"building_room_together", "楼栋和房号须同时填写", "Building and room must be given together"},
	{"address_fields_invalid", "楼栋、单元、房号或户号含有无效字符或过长", "Building, unit, room or household contains invalid characters or is too long"},
	{"id_number_exists_elsewhere", "该身份证号已在您管辖范围以外登记", "This ID number is already registered outside your area"},
	{"house_columns_required", "网格代码、楼栋和房号为必填", "Grid code, building and room are required"},
	{"house_use_enum_zh", "房屋用途须为 自住、出租、群租、网约房、住改商 或 空置", "Use must be one of the Chinese use names in the template (owner-occupied, rented, group rental, short let, business or empty)"},
	{"area_range", "面积须为 0–100000 之间的数", "Area must be a number from 0 to 100000"},
	{"too_long", "内容过长", "Too long"},
	{"employees_nonnegative", "从业人数须为非负整数", "Employees must be a non-negative integer"},
	{"uscc_exists_elsewhere", "该统一社会信用代码已在您管辖范围以外登记", "This unified social credit code is already registered outside your area"},
	{"database_busy", "数据库忙，请稍后再试", "The database is busy; please try again later"},
	{"xlsx_unreadable", "XLSX 文件无法读取", "The XLSX file cannot be read"},
	{"csv_not_utf8", "CSV 须为 UTF-8 编码的文本（可在表格软件中另存为 CSV UTF-8）", "The CSV must be UTF-8 text (save it as \"CSV UTF-8\" in your spreadsheet program)"},
	{"csv_row_format", "CSV 格式错误：引号未闭合或列数超过 64", "Malformed CSV: an unclosed quote or more than 64 columns"},
	{"header_unreadable", "首行表头无法解析", "The header row cannot be read"},
	{"header_required_columns", "首行须为表头，且包含必填列：%s", "The first row must be a header row with the required columns: {1}"},
	{"columns_residents", "姓名、网格代码", "name, grid code"},
	{"columns_houses", "网格代码、楼栋、房号", "grid code, building, room"},
	{"columns_organisations", "名称、类型、网格代码", "name, kind, grid code"},
	{"import_seal_key_missing", "个人信息加密密钥未加载，导入已全部撤销，请联系系统管理员", "The encryption key for personal information is not loaded; the import was rolled back. Contact your system administrator"},
	{"import_write_failed", "写入数据库失败，导入已全部撤销，请稍后再试", "Writing to the database failed; the import was rolled back. Please try again later"},
	{"format_enum", "format 须为 csv 或 xlsx", "format must be csv or xlsx"},
	{"dry_run_bool", "dry_run 须为 true 或 false", "dry_run must be true or false"},
	{"mode_enum", "mode 须为 all_or_nothing 或 partial", "mode must be all_or_nothing or partial"},
	{"upload_type", "请上传 CSV（text/csv）或 XLSX 文件", "Upload a CSV (text/csv) or XLSX file"},
	{"resource_not_found", "资源不存在", "Resource not found"},
	{"upload_empty", "请上传文件内容", "No file content was uploaded"},
	{"import_rejected", "导入未完成：%lld 行中有 %lld 行错误，未写入任何数据", "Import not completed: {2} of {1} rows have errors; nothing was written"},
	{"export_full_managers_only", "只有社区及以上管理人员可以导出完整的个人信息", "Only community-level managers and above may export full personal information"},
	{"export_failed", "导出文件生成失败，请稍后再试", "The export file could not be created; please try again later"},
	{"template_failed", "模板文件生成失败，请稍后再试", "The template file could not be created; please try again later"},
	{"import_not_found", "导入记录不存在", "Import not found"},
	{"out_of_memory", "内存不足", "Out of memory"},
	{"grid_must_exist", "须为现有的网格", "Must be an existing grid"},
	{"team_role_enum", "角色须为 supervisor、grid_leader、grid_worker 或 building_leader", "Role must be supervisor, grid_leader, grid_worker or building_leader"},
	{"building_in_grid", "楼栋须在该网格内", "The building must be in this grid"},
	{"building_leader_building", "楼栋长须指定楼栋", "A building leader must be given a building"},
	{"building_leaders_only", "只有楼栋长对应楼栋", "Only building leaders are assigned a building"},
	{"grid_out_of_management", "该网格不在您的管理范围内", "This grid is outside your area"},
	{"team_member_not_found", "网格服务团队成员不存在", "Grid team member not found"},
	{"token_invalid", "API 令牌无效或已吊销", "The API token is invalid or revoked"},
	{"sign_in_required", "请先登录", "Please sign in"},
	{"session_expired", "登录已失效，请重新登录", "Your session has expired; please sign in again"},
	{"session_idle", "长时间未操作，登录已超时，请重新登录", "You were signed out after a period of inactivity; please sign in again"},
	{"database_unavailable", "数据库暂时不可用，请稍后再试", "The database is temporarily unavailable; please try again later"},
	{"csrf_token", "缺少或错误的 CSRF 令牌（X-CSRF-Token）", "Missing or wrong CSRF token (X-CSRF-Token)"},
	{"role_forbidden", "当前角色无权执行此操作", "Your role may not do this"},
	{"save_failed_retry", "保存失败，请稍后重试", "Saving failed; please try again later"},
	{"building_name_exists", "该网格内已有同名楼栋", "A building with this name already exists in this grid"},
	{"building_edit_forbidden", "您的角色无权修改该楼栋", "Your role may not change this building"},
	{"room_required", "房号不能为空", "Room cannot be empty"},
	{"house_use_enum", "用途须为 owner_occupied、rented、group_rental、short_let、business 或 empty", "Use must be owner_occupied, rented, group_rental, short_let, business or empty"},
	{"building_out_of_scope", "该楼栋超出您的管辖范围", "This building is outside your area"},
	{"room_exists", "该楼栋单元内已有此房号", "This room already exists in this building and unit"},
	{"house_use_unknown", "use 不在房屋用途代码表中", "use is not a house use code"},
	{"building_id_positive", "building_id 须为正整数", "building_id must be a positive integer"},
	{"house_not_found", "房屋不存在", "House not found"},
	{"house_edit_forbidden", "您的角色无权修改该房屋", "Your role may not change this house"},
	{"head_in_grid", "户主须为本网格的居民", "The head of household must be a resident of this grid"},
	{"head_not_member", "户主须为本户成员或居住在本户房屋的在册居民", "The head must be a member of this household or a registered resident living in its house"},
	{"house_out_of_scope", "该房屋超出您的管辖范围", "This house is outside your area"},
	{"household_not_found", "户不存在", "Household not found"},
	{"household_edit_forbidden", "您的角色无权修改该户", "Your role may not change this household"},
	{"notification_not_found", "通知不存在", "Notification not found"},
	{"uscc_format", "统一社会信用代码须为 18 位且校验位正确（GB 32100）", "The unified social credit code must have 18 characters and a valid check character (GB 32100)"},
	{"org_kind_enum", "类型须为 enterprise、individual、social_org、institution、government 或 other", "Kind must be enterprise, individual, social_org, institution, government or other"},
	{"org_status_enum", "状态须为 active（在营）或 closed（已注销）", "Status must be active or closed"},
	{"phone_format", "电话号码格式不正确", "Invalid phone number"},
	{"seal_key_unavailable", "加密密钥不可用", "The encryption key is unavailable"},
	{"grid_or_house_required", "须填写所在网格或房屋", "Enter the grid or the house"},
	{"uscc_exists", "该统一社会信用代码已登记", "This unified social credit code is already registered"},
	{"organisation_not_found", "单位不存在", "Organisation not found"},
	{"reveal_bool", "reveal 须为 true 或 false", "reveal must be true or false"},
	{"reveal_phone_forbidden", "您的角色无权查看完整的联系电话", "Your role may not view the full phone number"},
	{"organisation_edit_forbidden", "您的角色无权修改该单位", "Your role may not change this organisation"},
	{"org_kind_unknown", "kind 不在单位类型代码表中", "kind is not an organisation kind code"},
	{"q_bytes", "q 须为 1–200 字节的文本", "q must be text of 1–200 bytes"},
	{"pairing_not_found", "结对共建不存在", "Pairing not found"},
	{"region_param_required", "请用 region 参数指定区划", "Name the region with the region parameter"},
	{"party_org_not_found", "党组织不存在", "Party organisation not found"},
	{"pairing_unit_org", "须为县（区）级单位的党组织（登记了单位名称）", "Must be the party organisation of a district-level unit (with a unit name registered)"},
	{"pairing_community_org", "须为村（社区）党组织", "Must be a village (community) party organisation"},
	{"pairing_end_before_start", "结束日期不能早于签订日期", "The end date cannot be earlier than the signing date"},
	{"community_org_out_of_scope", "该社区党组织不在您的管理范围内", "This community party organisation is outside your area"},
	{"pairing_exists", "这两个党组织已经结对", "These two party organisations are already paired"},
	{"pairing_edit_forbidden", "当前角色无权修改该结对共建", "Your role may not change this pairing"},
	{"pairing_active_exists", "这两个党组织已有生效的结对", "These two party organisations already have an active pairing"},
	{"pairing_unit_side_only", "只有结对单位一方可以登记", "Only the unit side of the pairing can record this"},
	{"pairing_forbidden", "当前角色无权操作该结对共建", "Your role may not act on this pairing"},
	{"pairing_ended", "该结对共建已结束", "This pairing has ended"},
	{"commitment_not_found", "承诺事项不存在", "Commitment not found"},
	{"commitment_action_enum", "动作须为 start、complete、verify、close 或 reopen", "Action must be start, complete, verify, close or reopen"},
	{"commitment_close_unverified", "承诺事项须经社区核验后才能销号", "A commitment must be verified by the community before it is closed"},
	{"commitment_action_not_allowed", "承诺事项当前为“%s”，不能%s", "The commitment is “{1}” and cannot be {2}"},
	{"commitment_unit_side_only", "只有结对单位一方可以推进和报完成", "Only the unit side can start a commitment and report it done"},
	{"commitment_community_side_only", "只有社区一方可以核验、销号或退回", "Only the community side can verify, close or send back"},
	{"reopen_reason_required", "退回须说明原因", "Give a reason for sending it back"},
	{"content_required", "内容不能为空", "Content cannot be empty"},
	{"item_status_enum", "状态须为 open 或 done", "Status must be open or done"},
	{"pairing_list_enum", "清单须为 problem、responsibility 或 task", "List must be problem, responsibility or task"},
	{"pairing_item_not_found", "清单事项不存在", "List item not found"},
	{"party_center_not_found", "党员中心户不存在", "Party member centre household not found"},
	{"party_center_out_of_scope", "该党员中心户不在您的管理范围内", "This party member centre household is outside your area"},
	{"contact_same_community", "联系户须与中心户在同一社区", "Contact households must be in the same community as the centre household"},
	{"contact_own_household", "不能联系自身所在户", "A centre household cannot contact its own household"},
	{"center_household_required", "须指定中心户所在的户", "Name the household of the centre household"},
	{"branch_or_group", "须为党支部或党小组", "Must be a party branch or party group"},
	{"household_ids_array", "应为户编号数组", "Must be an array of household ids"},
	{"contacts_too_many", "联系户最多 200 户", "At most 200 contact households"},
	{"household_id_type", "应为户编号", "Must be a household id"},
	{"household_out_of_scope", "该户不在您的管理范围内", "This household is outside your area"},
	{"center_transferred_out", "已转出的党员不能作为党员中心户", "A party member who has transferred out cannot run a centre household"},
	{"center_exists", "该党员或该户已是党员中心户", "This party member or household is already a centre household"},
	{"contact_taken_id", "户 %lld 已由其他党员中心户联系", "Household {1} is already contacted by another centre household"},
	{"contact_taken", "该户已由党员中心户联系", "This household is already contacted by a centre household"},
	{"contact_not_found", "联系户不存在", "Contact household not found"},
	{"party_org_dissolved", "党组织已撤销", "The party organisation has been dissolved"},
	{"membership_branch", "党员组织关系须在党支部（含网格党支部、功能型党支部）", "A member's organisation must be a party branch (including grid and functional branches)"},
	{"group_in_branch", "党小组须是所在党支部下的党小组", "The party group must belong to the member's branch"},
	{"org_id_positive", "org_id 须为正整数", "org_id must be a positive integer"},
	{"member_person_required", "党员须关联一位居民（resident_id）或一名工作人员（user_id）", "A party member must be linked to a resident (resident_id) or a staff user (user_id)"},
	{"resident_not_found", "居民不存在", "Resident not found"},
	{"member_status_new_enum", "状态须为 full（正式）或 probationary（预备）", "Status must be full or probationary"},
	{"party_org_out_of_scope", "该党组织不在您的管理范围内", "This party organisation is outside your area"},
	{"member_exists", "该居民或用户已登记为党员", "This resident or user is already registered as a party member"},
	{"membership_out_of_scope", "该党员的组织关系不在您的管理范围内", "This member's party organisation is outside your area"},
	{"member_status_enum", "状态须为 full、probationary 或 transferred_out", "Status must be full, probationary or transferred_out"},
	{"member_full_to_probationary", "正式党员不能改为预备党员", "A full member cannot become a probationary member"},
	{"transfer_target_out_of_scope", "转入的党组织不在您的管理范围内", "The organisation transferred into is outside your area"},
	{"transfer_in_first", "已转出的党员须先转入", "A member who transferred out must first transfer in"},
	{"functional_branch_only", "只能加入功能型党支部", "Members can join only functional party branches"},
	{"functional_branch_out_of_scope", "该功能型党支部不在您的管理范围内", "This functional party branch is outside your area"},
	{"functional_transferred_out", "已转出的党员不能加入功能型党支部", "A member who has transferred out cannot join a functional party branch"},
	{"membership_same_branch", "该党员的组织关系已在此党支部", "This member already belongs to this branch"},
	{"functional_member_exists", "该党员已在此功能型党支部", "This member is already in this functional party branch"},
	{"functional_member_missing", "该党员不在此功能型党支部", "This member is not in this functional party branch"},
	{"party_org_level", "该类型党组织不能设在此级区划（如网格党支部须设在网格）", "This kind of party organisation cannot be set up at this region level (a grid branch belongs in a grid)"},
	{"party_org_parent_required_kind", "该类型党组织须隶属上级党组织", "This kind of party organisation must have a parent organisation"},
	{"party_org_parent_required", "须指定上级党组织", "Choose a parent party organisation"},
	{"party_org_nesting", "该类型党组织不能设在所选上级党组织之下", "This kind of party organisation cannot be placed under the chosen parent"},
	{"party_org_region_in_parent", "所在区划须在上级党组织的区划之内", "The region must be within the parent organisation's region"},
	{"building_groups_only", "只有党小组可以对应楼栋", "Only a party group can be tied to a building"},
	{"building_in_group_grid", "楼栋须在党小组所在的网格内", "The building must be in the party group's grid"},
	{"parent_id_positive", "parent_id 须为正整数", "parent_id must be a positive integer"},
	{"party_org_kind_invalid", "党组织类型无效", "Invalid party organisation kind"},
	{"region_out_of_management", "该区划不在您的管理范围内", "This region is outside your area"},
	{"party_org_parent_dissolved", "上级党组织已撤销", "The parent party organisation has been dissolved"},
	{"building_group_exists", "该楼栋已有党小组", "This building already has a party group"},
	{"party_org_status_enum", "状态须为 active 或 dissolved", "Status must be active or dissolved"},
	{"party_org_has_children", "该党组织下还有下级党组织，不能撤销", "This party organisation still has child organisations and cannot be dissolved"},
	{"party_org_has_members", "该党组织还有党员，请先转移党员组织关系", "This party organisation still has members; transfer them first"},
	{"party_org_restore_parent_dissolved", "上级党组织已撤销，不能恢复", "The parent organisation has been dissolved; this one cannot be restored"},
	{"party_org_move_parent_required", "须指定新的上级党组织（或 null 表示无上级）", "Choose the new parent organisation (or null for none)"},
	{"party_org_move_cycle", "不能移到自身或其下级党组织之下", "An organisation cannot be moved under itself or its descendants"},
	{"target_region_out_of_scope", "目标区划不在您的管理范围内", "The target region is outside your area"},
	{"building_group_move", "对应楼栋的党小组不能移出楼栋所在网格", "A building's party group cannot leave the grid of its building"},
	{"party_org_move_descendants", "其下级党组织设在目标区划之外，不能整体迁移", "Some child organisations lie outside the target region; the organisation cannot be moved as a whole"},
	{"structure_region_level", "结构检查按社区汇总：region 须为区、街道或社区", "The structure check sums up by community: region must be a district, street or community"},
	{"region_not_found_or_out_of_scope", "该区划不存在或超出您的数据范围", "Region not found or outside your data scope"},
	{"date_format", "日期格式须为 YYYY-MM-DD", "Dates must be in YYYY-MM-DD format"},
	{"number_type", "应为数字", "Must be a number"},
	{"hours_positive", "应为大于 0 的小时数", "Must be a number of hours greater than 0"},
	{"hours_day_range", "应为大于 0 且不超过 24 的小时数", "Must be a number of hours greater than 0 and at most 24"},
	{"photo_empty", "缺少图片内容", "The image is missing"},
	{"photo_type", "只接受 JPEG、PNG 或 WebP 图片", "Only JPEG, PNG or WebP images are accepted"},
	{"photo_save_failed", "图片保存失败，请稍后重试", "The image could not be saved; please try again later"},
	{"photo_not_found", "图片不存在", "Image not found"},
	{"photo_file_missing", "图片文件缺失", "The image file is missing"},
	{"photo_read_failed", "图片读取失败", "The image could not be read"},
	{"photos_too_many", "最多 9 张图片", "At most 9 images"},
	{"photo_ids_array", "应为图片编号数组", "Must be an array of image ids"},
	{"photo_upload_first", "图片不存在，请先上传", "Image not found; upload it first"},
	{"rectify_methods_array", "应为整治方式代码数组", "Must be an array of rectification method codes"},
	{"rectify_method_enum", "整治方式须为 phone、interview、home_visit、public_servant 或 joint_enforcement", "Methods must be phone, interview, home_visit, public_servant or joint_enforcement"},
	{"date_type", "须为 YYYY-MM-DD 格式的日期", "Must be a date in YYYY-MM-DD format"},
	{"rectify_status_param", "status 须为 open、rectifying、rectified 或 verified", "status must be open, rectifying, rectified or verified"},
	{"overdue_bool", "overdue 须为 true 或 false", "overdue must be true or false"},
	{"rectification_not_found", "整治事项不存在", "Rectification item not found"},
	{"rectify_action_enum", "须为 start、rectified、verify 或 reject", "Must be start, rectified, verify or reject"},
	{"rectify_verify_managers", "只有社区及以上管理人员可以核验销号", "Only community-level managers and above can verify and close"},
	{"rectification_forbidden", "您的角色无权处理该整治事项", "Your role may not act on this rectification item"},
	{"rectify_action_not_allowed", "当前状态（%s）不能执行该操作", "This action is not possible in the current state ({1})"},
	{"region_code_invalid_or_missing", "区划代码无效或不存在", "Invalid or unknown region code"},
	{"region_out_of_scope_or_role", "该区划超出您的数据范围或权限", "This region is outside your data scope or permissions"},
	{"parent_param_invalid", "parent 须为有效的区划代码", "parent must be a valid region code"},
	{"geometry_type", "边界须为 GeoJSON Polygon 或 MultiPolygon 几何对象", "The boundary must be a GeoJSON Polygon or MultiPolygon geometry"},
	{"geometry_rings", "边界坐标须为闭合的经纬度环（每环至少 4 个点，首尾相同）", "Boundary coordinates must be closed rings of longitude/latitude (at least 4 points each, first and last the same)"},
	{"region_code_digits", "区划代码须为 6（区）、9（街道）、12（社区）或 15（网格）位数字", "A region code has 6 (district), 9 (street), 12 (community) or 15 (grid) digits"},
	{"region_code_exists", "区划代码 %s 已存在", "Region code {1} already exists"},
	{"region_parent_level", "上级区划须为上一级，且本级代码以上级代码开头", "The parent must be one level up, and the code must start with the parent's code"},
	{"region_create_scope", "只能在您管辖的区划下新增下级区划", "You can add regions only under regions you manage"},
	{"region_parent_not_found", "上级区划不存在", "Parent region not found"},
	{"region_parent_dissolved", "上级区划已撤销，不能新增下级", "The parent region has been dissolved; no regions can be added under it"},
	{"region_dissolved", "该区划已撤销，不能修改", "This region has been dissolved and cannot be changed"},
	{"region_code_immutable", "区划代码和上级不能修改；请用拆分或合并调整网格", "Region code and parent cannot be changed; split or merge grids instead"},
	{"object_type", "应为对象", "Must be an object"},
	{"new_grid_code_prefix_detail", "新网格代码须为 15 位，且以所属社区代码开头", "A new grid code must have 15 digits and start with its community's code"},
	{"grid_code_duplicate", "网格代码重复", "Duplicate grid code"},
	{"split_grids_only", "只有网格可以拆分", "Only grids can be split"},
	{"split_managers_only", "只有所属社区及以上的管理人员可以拆分网格", "Only managers of the grid's community or above can split a grid"},
	{"split_dissolved", "该网格已撤销，不能再拆分", "This grid has been dissolved and cannot be split"},
	{"split_into_array", "into 须为新网格数组", "into must be an array of new grids"},
	{"split_count", "拆分须产生 2 到 50 个新网格", "A split must produce 2 to 50 new grids"},
	{"codes_array", "codes 须为网格代码数组", "codes must be an array of grid codes"},
	{"merge_count", "合并须包含 2 到 50 个网格", "A merge must include 2 to 50 grids"},
	{"merge_into_object", "into 须为新网格对象", "into must be a new grid object"},
	{"codes_grids_only", "codes 中须全部为网格代码", "All codes must be grid codes"},
	{"codes_grid_format", "须全部为 15 位网格代码", "All must be 15-digit grid codes"},
	{"codes_duplicate", "codes 中有重复的网格", "codes contains the same grid twice"},
	{"grid_code_not_found", "网格 %s 不存在", "Grid {1} not found"},
	{"grid_code_dissolved", "网格 %s 已撤销", "Grid {1} has been dissolved"},
	{"merge_same_community", "只能合并同一社区内的网格", "Only grids of the same community can be merged"},
	{"new_grid_code_prefix", "新网格代码须以所属社区代码开头", "A new grid code must start with its community's code"},
	{"merge_managers_only", "只有所属社区及以上的管理人员可以合并网格", "Only managers of the grids' community or above can merge grids"},
	{"house_not_in_grid", "房屋不在所填网格内", "The house is not in the given grid"},
	{"household_mismatch", "户与房屋或网格不一致", "The household does not match the house or grid"},
	{"tags_restricted", "您的角色无权设置特殊人群标签", "Your role may not set special-care tags"},
	{"tags_array_max", "标签须为字符串数组（最多 16 个）", "Tags must be an array of strings (at most 16)"},
	{"tags_array", "标签须为字符串数组", "Tags must be an array of strings"},
	{"id_number_exists", "该身份证号已登记", "This ID number is already registered"},
	{"reveal_id_forbidden", "您的角色无权查看完整的身份证号和电话", "Your role may not view full ID numbers and phone numbers"},
	{"resident_edit_forbidden", "您的角色无权修改该居民信息", "Your role may not change this resident"},
	{"id_number_invalid", "身份证号格式或校验位不正确", "Invalid ID number format or check digit"},
	{"q_chars", "q 须为 50 字以内的文本", "q must be text of at most 50 characters"},
	{"residency_enum", "residency 须为 registered、floating 或 foreign", "residency must be registered, floating or foreign"},
	{"tag_unknown", "tag 不在可筛选的标签代码表中", "tag is not a filterable tag code"},
	{"resident_status_param", "status 须为 active、moved_out、deceased 或 all", "status must be active, moved_out, deceased or all"},
	{"house_household_id_positive", "house_id / household_id 须为正整数", "house_id / household_id must be positive integers"},
	{"category_not_found_case", "事件类别不存在", "Case category not found"},
	{"handling_level_enum", "处置层级须为 grid、community、street 或 district", "The handling level must be grid, community, street or district"},
	{"region_out_of_scope", "该区划超出您的管辖范围", "This region is outside your area"},
	{"rule_not_found", "规则不存在", "Rule not found"},
	{"rule_region_out_of_scope", "该规则的区划超出您的管辖范围", "This rule's region is outside your area"},
	{"csv_utf8", "CSV 须为 UTF-8 文本", "The CSV must be UTF-8 text"},
	{"rules_header", "首行须为表头，至少包含 unit、accept_hours、handle_hours 列", "The first row must be a header row with at least the columns unit, accept_hours and handle_hours"},
	{"rules_import_rejected", "导入未完成：%d 行中有错误，未写入任何规则", "Import not completed: {1} rows have errors; no rules were written"},
	{"csv_quotes", "引号未闭合或列数过多", "Unclosed quote or too many columns"},
	{"login_failed", "用户名或密码错误", "Wrong username or password"},
	{"account_locked_retry", "连续登录失败次数过多，账户已锁定，请 %lld 分钟后再试", "Too many failed sign-ins; the account is locked. Try again in {1} minutes"},
	{"system_busy", "系统繁忙，请稍后再试", "The system is busy; please try again later"},
	{"account_disabled", "账户已停用，请联系管理员", "This account is disabled; contact your administrator"},
	{"account_locked", "连续 %lld 次登录失败，账户已锁定 %lld 分钟", "{1} failed sign-ins in a row; the account is locked for {2} minutes"},
	{"token_no_session", "API 令牌没有可退出的登录会话", "An API token has no session to sign out of"},
	{"end_before_start_date", "结束日期不能早于开始日期", "The end date cannot be earlier than the start date"},
	{"sweep_status_param", "status 须为 open 或 closed", "status must be open or closed"},
	{"sweep_not_found", "扫楼行动不存在", "Building sweep not found"},
	{"sweep_edit_owner_only", "只有发起区划的管理人员可以修改扫楼行动", "Only managers of the region that started the sweep can change it"},
	{"sweep_end_date", "须为不早于开始日期的 YYYY-MM-DD 日期", "Must be a YYYY-MM-DD date no earlier than the start date"},
	{"sweep_status_enum", "状态须为 open 或 closed", "Status must be open or closed"},
	{"visit_state_param", "state 须为 pending、visited 或 all", "state must be pending, visited or all"},
	{"occupant_action_enum", "须为 add、update 或 moved_out", "Must be add, update or moved_out"},
	{"occupant_not_in_house", "该房屋中没有这位居民", "This resident does not live in this house"},
	{"save_failed", "保存失败", "Saving failed"},
	{"hazard_description", "须填写 500 字以内的隐患描述", "Describe the hazard in at most 500 characters"},
	{"hazard_action_enum", "须为 case、rectify 或 none", "Must be case, rectify or none"},
	{"sweep_closed", "该扫楼行动已结束，不能再登记走访", "This sweep has ended; no more visits can be recorded"},
	{"visit_result_enum", "须为 visited、nobody_home 或 refused", "Must be visited, nobody_home or refused"},
	{"house_use_not_in_codes", "房屋用途不在代码表中", "The house use is not in the code list"},
	{"occupants_array", "应为数组（最多 50 人）", "Must be an array (at most 50 people)"},
	{"hazards_array", "应为数组（最多 20 项）", "Must be an array (at most 20 items)"},
	{"house_not_in_sweep", "该房屋不在本次扫楼范围内", "This house is not part of this sweep"},
	{"visit_forbidden", "您的角色无权登记该房屋的走访", "Your role may not record visits to this house"},
	{"house_id_positive", "house_id 须为正整数", "house_id must be a positive integer"},
	{"stale_days_range", "stale_days 须为 1–3650 的整数", "stale_days must be an integer from 1 to 3650"},
	{"region_not_in_sweep", "该区划不在本次扫楼范围内", "This region is not part of this sweep"},
	{"region_out_of_jurisdiction", "该区划不在您的管辖范围内", "This region is outside your area"},
	{"grants_required", "须至少授予一项角色", "Grant at least one role"},
	{"token_not_found", "令牌不存在", "Token not found"},
	{"grant_region_not_found", "区划 %s 不存在", "Region {1} not found"},
	{"object_not_found", "对象不存在", "Object not found"},
	{"username_format", "用户名为 2–64 位字母、数字或 _ . - @", "Usernames are 2–64 letters, digits or _ . - @"},
	{"department_unit_required", "职能部门用户须填写所属单位", "Department users must name their unit"},
	{"username_exists", "用户名已存在", "This username already exists"},
	{"disable_self", "不能停用自己的账户", "You cannot disable your own account"},
	{"store_error", "数据存储暂时出错，请稍后再试", "A storage error occurred; please try again later"},
	{"body_missing", "缺少 JSON 请求体", "Missing JSON request body"},
	{"json_syntax", "JSON 格式错误（第 %d 行第 %d 列）", "Malformed JSON (line {1}, column {2})"},
	{"body_not_object", "请求体须为 JSON 对象", "The request body must be a JSON object"},
	{"seal_key_missing", "个人信息加密密钥未加载，暂时无法保存，请联系系统管理员", "The encryption key for personal information is not loaded, so nothing can be saved; contact your system administrator"},
	{"field_type", "请求字段类型错误", "Wrong field type in the request"},
	{"validation_failed", "提交的内容未通过校验", "The submitted data did not pass validation"},
	{"string_type", "应为字符串", "Must be a string"},
	{"empty", "此项不能为空", "This field cannot be empty"},
	{"max_chars", "最多 %zu 个字符", "At most {1} characters"},
	{"integer_type", "应为整数", "Must be an integer"},
	{"integer_range", "应在 %lld 到 %lld 之间", "Must be between {1} and {2}"},
	{"boolean_type", "应为 true 或 false", "Must be true or false"},
	{"array_type", "应为数组", "Must be an array"},
	{"grants_too_many", "授权最多 32 项", "At most 32 grants"},
	{"grant_object", "应为 {\"role\": 字符串, \"region_code\": 字符串}", "Must be {\"role\": string, \"region_code\": string}"},
	{"role_unknown", "未知角色", "Unknown role"},
	{"region_code_invalid", "区划代码无效", "Invalid region code"},
	{"limit_range", "limit 须为 1 到 200 之间的整数", "limit must be an integer from 1 to 200"},
	{"cursor_not_issued", "cursor 无效：请使用上一页返回的 next_cursor", "Invalid cursor: use the next_cursor of the previous page"},
	{"not_found_what", "%s不存在", "{1} not found"},
	{"query_int_range", "%s 须为 %lld 到 %lld 之间的整数", "{1} must be an integer from {2} to {3}"},
	{"query_id", "%s 须为正整数编号", "{1} must be a positive integer id"},
	{"body_too_large", "请求体过大", "The request body is too large"},
	{"method_not_allowed", "此地址不支持该请求方法", "This address does not support this request method"},
	{"route_not_found", "请求的地址不存在", "No such address"},
	{"content_type", "请求体须为 %s", "The request body must be {1}"},
	{"no_response", "服务器未能生成响应", "The server could not produce a response"},
	/* field messages of src/domain/person.c and reasons of the XLSX reader (src/core/xlsx.c) */
	{"required_short", "必填", "Required"},
	{"utf8_text", "须为有效的 UTF-8 文本，不含控制字符", "Must be valid UTF-8 text without control characters"},
	{"residency_enum_field", "户籍类型须为 registered、floating 或 foreign", "Residency must be registered, floating or foreign"},
	{"id_number_required", "户籍和流动人口须填写身份证号", "Registered and floating residents need an ID number"},
	{"relation_unknown", "与户主关系不在代码表中", "The relation to the head of household is not in the code list"},
	{"resident_status_enum", "状态须为 active、moved_out 或 deceased", "Status must be active, moved_out or deceased"},
	{"tag_not_in_codes", "标签不在代码表中", "A tag is not in the code list"},
	{"id_number_length", "身份证号须为 18 位", "An ID number has 18 characters"},
	{"id_number_digits", "身份证号前 17 位须为数字，末位为数字或 X", "The first 17 characters of an ID number are digits, the last a digit or X"},
	{"id_number_birth_date", "身份证号中的出生日期无效", "The date of birth in the ID number is invalid"},
	{"id_number_checksum", "身份证号校验位不正确", "Wrong ID number check digit"},
	{"xlsx_row_number", "工作表的行号无效（第 %zu 行之后）", "Invalid row number in the worksheet (after row {1})"},
	{"xlsx_too_many_rows", "工作表超过 %d 行", "The worksheet has more than {1} rows"},
	{"xlsx_cell_ref", "第 %zu 行的单元格引用无效", "Invalid cell reference in row {1}"},
	{"xlsx_shared_string_ref", "第 %zu 行引用了不存在的共享字符串", "Row {1} refers to a shared string that does not exist"},
	{"xlsx_cell_order", "第 %zu 行的单元格重复或顺序颠倒", "Repeated or out-of-order cells in row {1}"},
	{"xlsx_too_many_columns", "第 %zu 行超过 %d 列上限", "Row {1} exceeds the limit of {2} columns"},
	{"xlsx_too_many_strings", "共享字符串超过 %u 个", "More than {1} shared strings"},
	{"xlsx_strings_too_large", "共享字符串总量超过 %u MiB", "Shared strings exceed {1} MiB in total"},
	{"xlsx_nesting", "%s 的 XML 嵌套过深", "The XML in {1} is nested too deeply"},
	{"xlsx_shared_string_long", "第 %zu 个共享字符串过长", "Shared string {1} is too long"},
	{"xlsx_cell_text_long", "第 %zu 行的单元格文本过长", "A cell's text in row {1} is too long"},
	{"xlsx_doctype", "%s 含有 DOCTYPE 声明，不是有效的 XLSX 文件", "{1} contains a DOCTYPE declaration; not a valid XLSX file"},
	{"xlsx_damaged", "XLSX 文件已损坏（%s：%s）", "The XLSX file is damaged ({1}: {2})"},
	{"xlsx_out_of_memory", "内存不足，无法读取 XLSX", "Out of memory while reading the XLSX file"},
	{"xlsx_too_large", "XLSX 文件解压后超过 %u MiB 上限", "The XLSX file exceeds {1} MiB when unpacked"},
	{"xlsx_xml_error", "XLSX 内容格式错误（%s 第 %lu 行：%s）", "Malformed XLSX content ({1} line {2}: {3})"},
	{"xlsx_no_sheet", "XLSX 文件中找不到工作表", "No worksheet found in the XLSX file"},
	{"xlsx_legacy", "这是旧版 Excel（.xls）或加密的文件，请另存为 .xlsx 后再导入", "This is an old Excel (.xls) or encrypted file; save it as .xlsx and import again"},
	{"xlsx_invalid", "不是有效的 XLSX 文件", "Not a valid XLSX file"},
	{"xlsx_invalid_reason", "不是有效的 XLSX 文件（%s）", "Not a valid XLSX file ({1})"},
	/* returned by domain/password.c (password_problem_zh) */
	{"password_too_long", "密码过长（最多 256 字节）", "The password is too long (at most 256 bytes)"},
	{"password_too_short", "密码至少 10 个字符", "The password must have at least 10 characters"},
	{"password_weak", "密码须包含大写字母、小写字母、数字、符号中的至少三类", "The password must contain at least three of: uppercase letters, lowercase letters, digits, symbols"},
	{"case_source_not_allowed", "您的角色不能以“%s”为来源上报事件", "Your role cannot report a case with the source “{1}”"},
	{"case_major_not_allowed", "您的角色不能将事件直接定为大事（major），请按类别默认层级上报", "Your role cannot report a case as major; report it at the category's default tier"},
	{"public_reply_not_allowed", "公开答复只能在处置完成、结案或不予受理时填写", "A public reply can only be written when the case is handled, closed or rejected"},
	{"category_private_not_public", "默认层级为私事（private）的类别不能公开", "A category whose default tier is private cannot be public"},
	{"care_tags_column_only", "特殊人群标签列只能填写特殊人群标签，其他标签请填在“标签”列", "The special-care tags column takes only special-care tags; put other tags in the tags column"},
	{"party_group_not_found", "党小组不存在", "Party group not found"},
	{"building_group_restore_clash", "该楼栋已有党小组，不能恢复", "The building already has a party group; this one cannot be restored"},
	{"grid_branch_groups_stay", "其下有对应楼栋的党小组，楼栋不随迁移，请先调整或撤销这些党小组", "Party groups of buildings sit below it and buildings do not move; move or dissolve those groups first"},
	{"photo_check_unavailable", "图片暂时无法核对，请稍后重试", "Photos cannot be checked right now; please try again later"},
	{"resident_household_out_of_scope", "该户超出您的管辖范围", "The household is outside your area"},
	{"reveal_lookup_only", "reveal 只能用于单个居民：请按身份证号查询，或打开该居民后查看", "reveal is for one resident at a time: look up by ID number, or open the resident"},
	{"lookup_rate_limited", "按身份证号或电话查询过于频繁（每 %d 分钟最多 %d 次），请 %lld 秒后再试", "Too many lookups by ID number or phone (at most {2} every {1} minutes); try again in {3} seconds"},
	{"reveal_one_only", "reveal 只能用于单个居民：请打开该居民后查看完整信息", "reveal is for one resident at a time: open the resident to see the full record"},
	{"write_out_of_scope", "提交的内容超出您的管辖范围", "The request names something outside your area"},
	{"cursor_one_page", "cursor 无效：该列表只有一页", "Invalid cursor: this list has only one page"},
	{"audit_write_failed", "审计记录未能写入，操作未完成，请稍后重试", "The audit record could not be written, so the action was not completed; please try again later"},
	{"sign_in_rate_limited", "登录尝试过于频繁，请 %lld 秒后再试", "Too many sign-in attempts; try again in {1} seconds"},
	{"party_member_out_of_scope", "该党员超出您的管辖范围", "The party member is outside your area"},
	{"party_resident_out_of_scope", "该居民超出您的管辖范围", "The resident is outside your area"},
	{"party_org_target_out_of_scope", "该党组织超出您的管辖范围", "The party organisation is outside your area"},
};
/* clang-format on */
const size_t msg_ncatalogue = sizeof msg_catalogue / sizeof msg_catalogue[0];

/* {zh, en}: the words filled into details: what was not found ("%s不存在"), states and
 * actions ("事件当前为“%s”，不能执行“%s”"). Lower case; a detail starting with one gets a
 * capital. */
/* clang-format off */
const struct msg_noun msg_nouns[] = {
	{"干部", "cadre"},
	{"接待日", "reception day"},
	{"预约", "booking"},
	{"网格服务团队成员", "grid team member"},
	{"结对共建", "pairing"},
	{"承诺事项", "commitment"},
	{"清单事项", "list item"},
	{"党员中心户", "party member centre household"},
	{"联系户", "contact household"},
	{"党员", "party member"},
	{"党组织", "party organisation"},
	{"居民", "resident"},
	{"房屋", "house"},
	{"楼栋", "building"},
	{"户", "household"},
	{"单位", "organisation"},
	{"事件", "case"},
	{"事件类别", "case category"},
	{"类别", "category"},
	{"导入记录", "import"},
	{"整治事项", "rectification item"},
	{"扫楼行动", "building sweep"},
	{"区划", "region"},
	{"网格", "grid"},
	{"用户", "user"},
	{"令牌", "token"},
	{"通知", "notification"},
	{"规则", "rule"},
	{"图片", "image"},
	{"已上报", "reported"},
	{"已受理", "accepted"},
	{"不予受理", "rejected"},
	{"已派遣", "dispatched"},
	{"处置中", "in progress"},
	{"已处置", "handled"},
	{"已核查", "verified"},
	{"已结案", "closed"},
	{"受理", "accept"},
	{"派遣", "dispatch"},
	{"开始处置", "start"},
	{"上报上级", "escalate"},
	{"退回", "return"},
	{"处置完成", "finish"},
	{"核查", "verify"},
	{"重新办理", "reopen"},
	{"评价", "rate"},
	{"结案", "close"},
	{"合并", "merge"},
	{"督办", "supervise"},
	{"已承诺", "committed"},
	{"推进中", "in progress"},
	{"已完成待核验", "done, awaiting verification"},
	{"已核验", "verified"},
	{"已销号", "closed"},
	{"开始推进", "started"},
	{"报完成", "reported done"},
	{"核验", "verified"},
	{"销号", "closed"},
	{"退回重办", "sent back"},
	{"待整改", "open"},
	{"整改中", "rectifying"},
	{"已整改待核验", "rectified, awaiting verification"},
};
/* clang-format on */
const size_t msg_nnouns = sizeof msg_nouns / sizeof msg_nouns[0];
