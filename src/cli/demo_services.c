/* The demo district's services (服务下沉): what 阳光社区 and 幸福街道 do for residents, with
 * the demo resident's requests in every state (some overdue), and the community's slots over
 * the coming days with bookings of its residents, and the first grid's care targets (情暖夕阳)
 * with visits, some of them overdue. Deadlines count on the working-day calendar like the
 * server's. */
#include "cli/demo_services.h"
#include "core/arena.h"
#include "domain/service_flow.h"
#include "store/platform/calendar.h"
#include "store/platform/users.h"
#include "store/services/services.h"
#include "store/stmt.h"

#include <stdio.h>

#define COMM   "999901001001"
#define STREET "999901001"
#define GRID   "999901001001001"

static int64_t user_id(struct db *db, struct arena *a, const char *name)
{
	struct user_row u;
	return store_users_by_name(db, a, name, &u) == DB_ROW ? u.id : 0;
}

struct item_spec {
	const char *region, *level, *name, *materials;
	int64_t days;
};

static const struct item_spec item_specs[] = {
    {COMM, "community", "居住证明开具", "[\"身份证\",\"户口簿或租房合同\"]", 3},
    {COMM, "community", "老年优待证办理", "[\"身份证\",\"一寸照片\"]", 5},
    {COMM, "community", "困难群众临时救助申请", "[\"身份证\",\"困难情况说明\",\"收入证明\"]", 10},
    {STREET, "street", "高龄津贴申领", "[\"身份证\",\"户口簿\",\"银行卡\"]", 10},
    {STREET, "street", "残疾人两项补贴申请", "[\"身份证\",\"残疾人证\",\"户口簿\"]", 15},
};

/* A request's path: the actions after submit, by whom ('s' staff, 'r' the applicant). */
struct request_spec {
	int item;
	int days_ago; /* applied so many days ago */
	const char *note;
	const char *steps[5];
	const char *comments[5];
	int rating;
};

static const struct request_spec request_specs[] = {
    {0, 0, "租房居住，需开具居住证明办理入学", {NULL}, {NULL}, 0},
    {1, 2, "为父亲办理老年优待证", {"accept"}, {"已受理，证件制作中"}, 0},
    {2, 6, "家中突发重病，申请临时救助", {"ask_more"}, {"请补充医院诊断证明和费用清单"}, 0},
    {0,
     12,
     "开具居住证明",
     {"accept", "complete"},
     {"已受理", "证明已开具，请到社区服务站领取"},
     5},
    {3, 20, "申领高龄津贴", {"accept", "complete"}, {"已受理", "津贴已审核发放"}, 0},
    {4, 9, "申请残疾人两项补贴", {"refuse"}, {"申请人未持有残疾人证，请先办理残疾评定"}, 0},
    {1, 4, "办理老年优待证", {"withdraw"}, {NULL}, 0},
    {3, 30, "为母亲申领高龄津贴（已逾期未办）", {"accept"}, {"已受理"}, 0},
};

static const char *state_after(const char *action, const char *from)
{
	enum sreq_state s;
	enum sreq_action a;
	if (!sreq_state_parse(from, &s) || !sreq_action_parse(action, &a))
		return from;
	const struct sreq_transition *t = sreq_flow_lookup(s, a);
	return t ? sreq_state_code(t->next) : from;
}

static bool add_event(struct db *db, int64_t request, int64_t at, int64_t user, const char *role,
                      const char *action, const char *from, const char *to, const char *comment)
{
	struct service_request_event_row e = {.request_id = request,
	                                      .at = at,
	                                      .user_id = user,
	                                      .role = role,
	                                      .action = action,
	                                      .from_status = from,
	                                      .to_status = to,
	                                      .comment = comment};
	return store_service_request_events_add(db, &e) == DB_OK;
}

static bool add_request(struct db *db, const struct work_calendar *cal,
                        const struct service_item_row *items, const struct request_spec *rs,
                        int64_t resident, int64_t person, const int64_t staff[2], int64_t now)
{
	const struct service_item_row *it = &items[rs->item];
	int64_t at = now - rs->days_ago * 86400 - 3 * 3600;
	struct service_request_row q = {.item_id = it->id,
	                                .item_region = it->region_code,
	                                .region_code = GRID,
	                                .user_id = resident,
	                                .resident_id = person,
	                                .note = rs->note,
	                                .status = "submitted",
	                                .started_at = at,
	                                .due_at = sreq_due(cal, at, it->time_limit_days),
	                                .created_at = at,
	                                .updated_at = at};
	if (store_service_requests_insert(db, &q) != DB_OK ||
	    !add_event(db, q.id, at, resident, "resident", "submit", NULL, "submitted", rs->note))
		return false;
	bool street = it->region_code[9] == '\0';
	int64_t step_at = at;
	for (int i = 0; i < 5 && rs->steps[i]; i++) {
		const char *from = q.status;
		step_at += 3600 * (i + 1) * 5;
		if (step_at > now)
			step_at = now - 60 * (5 - i);
		q.status = state_after(rs->steps[i], from);
		bool mine = rs->steps[i][0] == 'w';
		if (!add_event(db, q.id, step_at, mine ? resident : staff[street],
		               mine ? "resident" : it->level, rs->steps[i], from, q.status,
		               rs->comments[i]))
			return false;
	}
	if (rs->rating && !add_event(db, q.id, step_at + 600, resident, "resident", "rate",
	                             "completed", "completed", "办理很快，态度很好"))
		return false;
	if (rs->rating) {
		q.rating = rs->rating;
		q.rating_comment = "办理很快，态度很好";
	}
	enum sreq_state st = SREQ_SUBMITTED;
	sreq_state_parse(q.status, &st);
	if (!sreq_state_open(st))
		q.closed_at = step_at;
	q.updated_at = step_at;
	return store_service_requests_move(db, &q, "submitted") == DB_OK;
}

static void id_read(struct db_stmt *st, struct arena *a, void *row)
{
	(void)a;
	*(int64_t *)row = db_col_int(st, 0);
}

/* Slots of the community over the next days, each with a few bookings of its residents. */
static bool add_slots(struct db *db, struct arena *a, int64_t staff, int64_t resident,
                      int64_t person, int64_t now)
{
	static const char *const services[] = {"老年证办理", "法律咨询", "社保业务代办", "义诊"};
	int64_t day0 = (now + 8 * 3600) / 86400 * 86400 - 8 * 3600; /* today 00:00 local */
	int64_t *residents;
	size_t nres = 0;
	if (sql_all(
	        db, a,
	        "SELECT id FROM residents WHERE region_code = ? AND status = 'active' ORDER BY id "
	        "LIMIT 12",
	        ARGS(ARG_TEXT(GRID)), id_read, sizeof *residents, 12, (void **)&residents,
	        &nres) != DB_OK)
		nres = 0;
	for (int d = 1; d <= 4; d++) {
		struct service_slot_row s = {.service = services[d - 1],
		                             .region_code = COMM,
		                             .place = "阳光社区党群服务中心",
		                             .starts_at = day0 + d * 86400 + 9 * 3600,
		                             .ends_at = day0 + d * 86400 + 11 * 3600,
		                             .capacity = 10,
		                             .created_by = staff,
		                             .created_at = now,
		                             .updated_at = now};
		if (store_service_slots_insert(db, &s) != DB_OK)
			return false;
		for (size_t i = 0; i < nres && i < (size_t)(2 + d); i++) {
			struct service_booking_row b = {.slot_id = s.id,
			                                .region_code = COMM,
			                                .resident_id =
			                                    residents[(i + (size_t)d) % nres],
			                                .booked_by = staff,
			                                .created_at = now};
			b.person = arena_printf(a, "resident:%lld", (long long)b.resident_id);
			enum db_result r = store_service_bookings_insert(db, &b);
			if (r != DB_OK && r != DB_CONSTRAINT)
				return false;
		}
		if (d == 1 && resident) {
			/* The demo resident's own place, held for the person it speaks for (a place
			 * staff booked for them already is theirs: DB_CONSTRAINT). */
			struct service_booking_row b = {.slot_id = s.id,
			                                .region_code = COMM,
			                                .user_id = resident,
			                                .resident_id = person,
			                                .booked_by = resident,
			                                .created_at = now};
			b.person = person ? arena_printf(a, "resident:%lld", (long long)person)
			                  : arena_printf(a, "user:%lld", (long long)resident);
			enum db_result r = store_service_bookings_insert(db, &b);
			if (r != DB_OK && r != DB_CONSTRAINT)
				return false;
		}
	}
	return true;
}

/* Care targets of the first grid (情暖夕阳): the plan started 60 days ago; visits on some
 * days before now, so that some are well looked after, some due within a week (yellow) and
 * some overdue (red). */
struct care_spec {
	const char *kind;
	int64_t every;
	int visited_days_ago[3]; /* 0 ends the list */
};

static const struct care_spec care_specs[] = {
    {"elderly_alone", 7, {2, 9, 16}},   /* visited two days ago: fine */
    {"elderly_alone", 7, {12, 19, 0}},  /* five days overdue */
    {"elderly", 14, {10, 24, 0}},       /* due in four days: yellow */
    {"disabled", 30, {0}},              /* never visited in 60 days: red */
    {"left_behind_child", 14, {5, 0}},  /* fine */
    {"elderly_alone", 7, {20, 27, 34}}, /* thirteen days overdue */
};

static const char *const care_notes[] = {
    "老人身体尚好，家中整洁，叮嘱按时服药。",
    "检查燃气和用电安全，更换了厨房灯泡。",
    "老人反映腿脚不便，已联系社区医生上门。",
};

static bool add_care(struct db *db, struct arena *a, int64_t staff, int64_t now)
{
	enum { N = sizeof care_specs / sizeof care_specs[0] };
	int64_t *residents;
	size_t nres = 0;
	/* Later residents of the grid than those the slots book. */
	if (sql_all(db, a,
	            "SELECT id FROM residents WHERE region_code = ? AND status = 'active' ORDER BY "
	            "id LIMIT ? OFFSET 20",
	            ARGS(ARG_TEXT(GRID), ARG_INT((int64_t)N)), id_read, sizeof *residents, N,
	            (void **)&residents, &nres) != DB_OK)
		return false;
	int64_t today = (now + 8 * 3600) / 86400;
	for (size_t i = 0; i < nres; i++) {
		const struct care_spec *cs = &care_specs[i];
		struct care_target_row t = {.resident_id = residents[i],
		                            .region_code = GRID,
		                            .kind = cs->kind,
		                            .every = cs->every,
		                            .since_day = today - 60,
		                            .created_by = staff,
		                            .created_at = now - 60 * 86400,
		                            .updated_at = now - 60 * 86400};
		enum db_result r = store_care_targets_insert(db, &t);
		if (r == DB_CONSTRAINT)
			continue;
		if (r != DB_OK)
			return false;
		for (int k = 2; k >= 0; k--) {
			int ago = cs->visited_days_ago[k];
			if (ago <= 0)
				continue;
			struct care_visit_row v = {.target_id = t.id,
			                           .region_code = GRID,
			                           .visited_day = today - ago,
			                           .note = care_notes[(i + (size_t)k) % 3],
			                           .user_id = staff,
			                           .created_at = now - ago * 86400};
			if (store_care_visits_insert(db, &v) != DB_OK)
				return false;
		}
	}
	return true;
}

int demo_services(struct db *db, int64_t now)
{
	struct arena a;
	arena_init(&a);
	int made = -1;
	struct scopes sc = {.prefix = {COMM}, .n = 1};
	struct page_after start = {.code = "", .id = 0};
	struct service_item_row *have;
	size_t n = 0;
	struct work_calendar cal;
	if (store_service_items_walk(db, &a, &sc, true, start, 1, &have, &n) != DB_OK ||
	    store_calendar_load(db, &a, &cal) != DB_OK)
		goto out;
	made = 0;
	if (n)
		goto out;
	int64_t staff[2] = {user_id(db, &a, "shequ"), user_id(db, &a, "jiedao")};
	int64_t resident = user_id(db, &a, "jumin");
	/* The person the demo resident's account speaks for (demo_voice links it first). */
	int64_t person = 0, household = 0;
	if (resident && store_user_resident_get(db, resident, &person, &household) != DB_ROW)
		person = 0;
	enum { NITEMS = sizeof item_specs / sizeof item_specs[0] };
	struct service_item_row items[NITEMS];
	for (size_t i = 0; i < NITEMS; i++) {
		items[i] = (struct service_item_row){.region_code = item_specs[i].region,
		                                     .level = item_specs[i].level,
		                                     .name = item_specs[i].name,
		                                     .materials = item_specs[i].materials,
		                                     .time_limit_days = item_specs[i].days,
		                                     .active = true,
		                                     .created_by = staff[i >= 3],
		                                     .created_at = now - 60 * 86400,
		                                     .updated_at = now - 60 * 86400};
		if (store_service_items_insert(db, &items[i]) != DB_OK) {
			made = -1;
			goto out;
		}
	}
	for (size_t i = 0; resident && i < sizeof request_specs / sizeof request_specs[0]; i++) {
		if (!add_request(db, &cal, items, &request_specs[i], resident, person, staff,
		                 now)) {
			made = -1;
			goto out;
		}
		made++;
	}
	if (!add_slots(db, &a, staff[0], resident, person, now) ||
	    !add_care(db, &a, user_id(db, &a, "wangge"), now))
		made = -1;
out:
	arena_free(&a);
	return made;
}
