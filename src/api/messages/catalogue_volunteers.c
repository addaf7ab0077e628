/* The catalogue's details of 志愿服务 and 民情走访 (api/volunteers/): teams, activities, hours,
 * points and field logs. {code, zh, en} as api/messages.h says; one part of the catalogue, joined
 * in api/messages.c. */
#include "api/messages/parts.h"

/* clang-format off */
const struct msg_entry msg_catalogue_volunteers[] = {
	{"team_role_enum", "角色须为 supervisor、grid_leader、grid_worker 或 building_leader", "Role must be supervisor, grid_leader, grid_worker or building_leader"},
	{"team_member_not_found", "网格服务团队成员不存在", "Grid team member not found"},
	{"hours_positive", "应为大于 0 的小时数", "Must be a number of hours greater than 0"},
	{"hours_day_range", "应为大于 0 且不超过 24 的小时数", "Must be a number of hours greater than 0 and at most 24"},
	{"vol_activity_too_long", "一次活动最长 7 天", "An activity lasts at most 7 days"},
	{"vol_activity_over", "活动已经结束", "The activity is already over"},
	{"vol_team_not_found", "志愿服务队不存在", "Volunteer team not found"},
	{"vol_activity_cancelled", "活动已取消", "The activity has been cancelled"},
	{"vol_activity_ended", "活动已结束", "The activity has ended"},
	{"vol_signup_duplicate", "已报名该活动，不能重复报名", "Already signed up for this activity"},
	{"vol_promoted_title", "候补转正：%s", "Off the waiting list: {1}"},
	{"vol_cancel_forbidden", "只能取消本人的报名或所管理区域的报名", "You can only cancel your own sign-ups or those in your area"},
	{"vol_signup_cancelled", "报名已取消", "The sign-up has been cancelled"},
	{"vol_cancel_too_late", "已签到或活动已结束，不能取消报名", "Checked in or the activity is over: the sign-up can no longer be cancelled"},
	{"vol_not_signed_up", "未报名该活动", "Not signed up for this activity"},
	{"vol_still_waiting", "仍在候补名单中，不能签到", "Still on the waiting list: cannot check in"},
	{"vol_checked_in", "已签到", "Already checked in"},
	{"vol_checkin_closed", "不在活动签到时间内", "Check-in is not open at this time"},
	{"vol_code_wrong", "签到码不正确", "Wrong check-in code"},
	{"vol_hours_organisers", "只有活动的组织者可以确认服务时长", "Only the activity's organisers can confirm service hours"},
	{"vol_hours_too_long", "服务时长不能超过活动时长", "Service time cannot exceed the activity's length"},
	{"vol_hours_not_checked_in", "未签到的报名不能确认时长", "Hours can only be confirmed for people who checked in"},
	{"vol_hours_confirmed", "服务时长已确认", "Service hours already confirmed"},
	{"vol_hours_after_end", "活动结束后才能确认时长", "Hours can be confirmed once the activity is over"},
	{"field_log_kind", "类型须为 visit 或 patrol", "kind must be visit or patrol"},
	{"field_log_future", "时间不能晚于现在", "The time cannot be in the future"},
	{"field_log_too_old", "只能补记 31 天内的走访巡查", "Only visits and patrols of the last 31 days can be recorded"},
	{"field_log_user_only", "走访巡查记录须由用户本人登记", "Field logs are recorded by a signed-in user"},
	{"field_log_case_forbidden", "只有记录人及上级工作人员可以据此上报事件", "Only the author and staff above can raise a case from this entry"},
	{"field_log_case_exists", "该记录已上报事件", "A case has already been raised from this entry"},
	{"month_format", "month 须为 YYYY-MM", "month must be YYYY-MM"},
	{"field_log_own_only", "只能查看本人的走访巡查记录", "You can only see your own field logs"},
	{"vol_person_required", "请给出 resident_id 或 user_id 之一", "Give one of resident_id or user_id"},
	{"vol_person_not_found", "志愿者不存在", "Volunteer not found"},
	{"vol_person_out_of_scope", "该志愿者不在您的管辖范围内", "This volunteer is outside your area"},
	{"vol_points_insufficient", "积分不足", "Not enough points"},
	{"vol_signup_near_only", "只有该区域的居民和工作人员可以报名", "Only residents and staff of this region can sign up"},
	{"vol_signup_self_only", "只能为本人报名", "You can only sign yourself up"},
	{"vol_person_one", "resident_id 与 user_id 只能给出一个", "Give only one of resident_id and user_id"},
	{"vol_team_level", "志愿服务队须设在社区或街道", "A volunteer team belongs to a community or a street"},
	{"vol_member_duplicate", "已是该服务队的队员", "Already a member of this team"},
	{"vol_leave_forbidden", "只能办理本人或所管理区域的队员退出", "You can only end your own membership or those in your area"},
	{"vol_member_left", "队员已退出", "The member has already left"},
};
/* clang-format on */
const size_t msg_ncatalogue_volunteers =
    sizeof msg_catalogue_volunteers / sizeof msg_catalogue_volunteers[0];
