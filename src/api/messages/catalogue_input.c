/* The catalogue's details of input every resource shares (api/util.c, http/): bodies, JSON, field
 * types, queries, cursors, dates and times, routes. {code, zh, en} as api/messages.h says; one part
 * of the catalogue, joined in api/messages.c. */
#include "api/messages/parts.h"

/* clang-format off */
const struct msg_entry msg_catalogue_input[] = {
	{"cursor_invalid", "cursor 无效", "Invalid cursor"},
	{"kind_invalid", "kind 取值无效", "Invalid kind"},
	{"name_required", "姓名不能为空", "Name cannot be empty"},
	{"required", "此项为必填", "This field is required"},
	{"community_out_of_scope", "该社区不在您的管理范围内", "This community is outside your area"},
	{"from_date_format", "from 须为 YYYY-MM-DD 日期", "from must be a date in YYYY-MM-DD format"},
	{"time_format", "时间格式须为 HH:MM", "Time must be in HH:MM format"},
	{"end_before_start", "结束时间须晚于开始时间", "The end time must be later than the start time"},
	{"bool_param", "%s 须为 true 或 false", "{1} must be true or false"},
	{"action_unknown", "未知的操作", "Unknown action"},
	{"name_empty", "名称不能为空", "Name cannot be empty"},
	{"invalid_chars", "含有无效字符", "Contains invalid characters"},
	{"out_of_memory", "内存不足", "Out of memory"},
	{"save_failed_retry", "保存失败，请稍后重试", "Saving failed; please try again later"},
	{"q_bytes", "q 须为 1–200 字节的文本", "q must be text of 1–200 bytes"},
	{"community_org_out_of_scope", "该社区党组织不在您的管理范围内", "This community party organisation is outside your area"},
	{"q_chars", "q 须为 50 字以内的文本", "q must be text of at most 50 characters"},
	{"end_before_start_date", "结束日期不能早于开始日期", "The end date cannot be earlier than the start date"},
	{"save_failed", "保存失败", "Saving failed"},
	{"body_missing", "缺少 JSON 请求体", "Missing JSON request body"},
	{"json_syntax", "JSON 格式错误（第 %d 行第 %d 列）", "Malformed JSON (line {1}, column {2})"},
	{"body_not_object", "请求体须为 JSON 对象", "The request body must be a JSON object"},
	{"field_type", "请求字段类型错误", "Wrong field type in the request"},
	{"validation_failed", "提交的内容未通过校验", "The submitted data did not pass validation"},
	{"string_type", "应为字符串", "Must be a string"},
	{"empty", "此项不能为空", "This field cannot be empty"},
	{"max_chars", "最多 %zu 个字符", "At most {1} characters"},
	{"integer_type", "应为整数", "Must be an integer"},
	{"integer_range", "应在 %lld 到 %lld 之间", "Must be between {1} and {2}"},
	{"boolean_type", "应为 true 或 false", "Must be true or false"},
	{"array_type", "应为数组", "Must be an array"},
	{"limit_range", "limit 须为 1 到 200 之间的整数", "limit must be an integer from 1 to 200"},
	{"cursor_not_issued", "cursor 无效：请使用上一页返回的 next_cursor", "Invalid cursor: use the next_cursor of the previous page"},
	{"not_found_what", "%s不存在", "{1} not found"},
	{"query_int_range", "%s 须为 %lld 到 %lld 之间的整数", "{1} must be an integer from {2} to {3}"},
	{"query_id", "%s 须为正整数编号", "{1} must be a positive integer id"},
	{"body_too_large", "请求体过大", "The request body is too large"},
	{"method_not_allowed", "此地址不支持该请求方法", "This address does not support this request method"},
	{"route_not_found", "请求的地址不存在", "No such address"},
	{"no_response", "服务器未能生成响应", "The server could not produce a response"},
	{"required_short", "必填", "Required"},
	{"utf8_text", "须为有效的 UTF-8 文本，不含控制字符", "Must be valid UTF-8 text without control characters"},
	{"cursor_one_page", "cursor 无效：该列表只有一页", "Invalid cursor: this list has only one page"},
	{"time_format_rfc3339", "时间须为带时区的 RFC 3339 格式", "Times must be RFC 3339 with an offset"},
};
/* clang-format on */
const size_t msg_ncatalogue_input = sizeof msg_catalogue_input / sizeof msg_catalogue_input[0];
