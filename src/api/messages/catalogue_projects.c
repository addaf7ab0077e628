/* The catalogue's details of 民生项目 (api/projects/): projects, milestones, spending and links.
 * {code, zh, en} as api/messages.h says; one part of the catalogue, joined in api/messages.c. */
#include "api/messages/parts.h"

/* clang-format off */
const struct msg_entry msg_catalogue_projects[] = {
	{"project_state_query", "state 须为 planned、underway、completed、accepted 或 suspended", "state must be planned, underway, completed, accepted or suspended"},
	{"project_kind_invalid", "kind 须为 livelihood、renovation、purchase 或 other", "kind must be livelihood, renovation, purchase or other"},
	{"project_link_kind_invalid", "link_kind 须为 topic、campaign 或 commitment", "link_kind must be topic, campaign or commitment"},
	{"project_link_pair", "link_kind 与 link_id 须同时给出", "link_kind and link_id must be given together"},
	{"project_link_unavailable", "暂时无法读取关联记录", "The linked record cannot be read right now"},
	{"project_link_unknown", "关联的记录不存在", "The linked record does not exist"},
	{"project_link_scope", "关联的记录超出您的数据范围", "The linked record is outside your data scope"},
	{"project_action_invalid", "action 须为 start、complete、accept、suspend 或 resume", "action must be start, complete, accept, suspend or resume"},
	{"project_action_state", "项目当前状态不允许此操作", "The project's state does not allow this action"},
	{"project_action_forbidden", "您不能对该项目执行此操作", "You cannot take this action on the project"},
	{"project_suspend_reason", "暂停项目须说明原因", "Suspending a project needs a reason"},
	{"project_edit_forbidden", "您不能修改该项目", "You cannot change this project"},
	{"project_accepted_final", "项目已验收，不能再修改", "The project has been accepted and can no longer change"},
	{"project_milestone_unknown", "里程碑不存在", "Milestone not found"},
	{"project_over_budget", "支出合计将超出预算，须说明超预算原因", "The total would exceed the budget; give an over-budget reason"},
	{"project_dates_order", "计划完成日期不能早于计划开始日期", "The planned end cannot be before the planned start"},
	{"project_budget_reason", "预算低于已支出金额，须说明调减原因", "The budget would fall below what is spent; give a reason for lowering it"},
	{"project_edit_conflict", "项目已被他人修改，请刷新后再保存", "Someone else changed the project; reload it before saving"},
};
/* clang-format on */
const size_t msg_ncatalogue_projects =
    sizeof msg_catalogue_projects / sizeof msg_catalogue_projects[0];
