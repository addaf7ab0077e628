/* Store tests: appointment slots and bookings (store/services/slots.c) on a temporary
 * database brought to the newest schema by the real migrations — the booked count, one live
 * booking per person and slot (a cancelled one frees it), the day's list and the reminders;
 * the service catalogue and requests (store/services/requests.c) — items for a grid, the move
 * guarded by the state it leaves, the append-only timeline and its photos, the overdue walk;
 * migration 29 moving the rows of linked accounts to their person. */
#include "store_fixture.h"

#include "store/base/base.h"
#include "store/migrations/migrations.h"
#include "store/services/services.h"
#include "store/stmt.h"

static int64_t add_slot(struct fixture *f, int64_t starts, int64_t capacity)
{
	struct service_slot_row s = {.service = "老年证办理",
	                             .region_code = GRID,
	                             .place = "服务站",
	                             .starts_at = starts,
	                             .ends_at = starts + 3600,
	                             .capacity = capacity,
	                             .created_at = NOW,
	                             .updated_at = NOW};
	assert_int_equal(store_service_slots_insert(f->db, &s), DB_OK);
	return s.id;
}

static enum db_result book(struct fixture *f, int64_t slot, const char *person, int64_t *id)
{
	struct service_booking_row b = {
	    .slot_id = slot, .region_code = GRID, .person = person, .created_at = NOW};
	enum db_result r = store_service_bookings_insert(f->db, &b);
	*id = b.id;
	return r;
}

static void test_bookings(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t slot = add_slot(f, NOW + 7200, 2), b1, b2, b3;
	assert_int_equal(book(f, slot, "resident:1", &b1), DB_OK);
	assert_int_equal(book(f, slot, "resident:1", &b2), DB_CONSTRAINT);
	assert_int_equal(book(f, slot, "user:7", &b2), DB_OK);
	struct service_slot_row s;
	assert_int_equal(store_service_slots_get(f->db, &f->a, slot, &s), DB_ROW);
	assert_int_equal(s.booked, 2);
	assert_int_equal(s.capacity, 2);
	assert_int_equal(store_service_bookings_cancel(f->db, b1, NOW + 1), DB_OK);
	assert_int_equal(store_service_bookings_cancel(f->db, b1, NOW + 1), DB_DONE);
	assert_int_equal(store_service_slots_get(f->db, &f->a, slot, &s), DB_ROW);
	assert_int_equal(s.booked, 1);
	/* the cancelled place can be booked again by the same person */
	assert_int_equal(book(f, slot, "resident:1", &b3), DB_OK);
	struct service_booking_row b;
	assert_int_equal(store_service_bookings_get(f->db, &f->a, b3, &b), DB_ROW);
	assert_int_equal(b.attended, -1);
	assert_int_equal(store_service_bookings_attend(f->db, b3, true, NOW + 2), DB_OK);
	assert_int_equal(store_service_bookings_get(f->db, &f->a, b3, &b), DB_ROW);
	assert_int_equal(b.attended, 1);
	assert_string_equal(b.service, "老年证办理");
	/* the day's list: the live bookings of slots starting in the range */
	struct scopes sc = {.prefix = {"110101"}, .n = 1};
	struct service_booking_row *rows;
	size_t n;
	assert_int_equal(store_service_bookings_day(f->db, &f->a, &sc, NOW, NOW + 86400, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(
	    store_service_bookings_day(f->db, &f->a, &sc, NOW + 86400, NOW + 172800, &rows, &n),
	    DB_OK);
	assert_int_equal(n, 0);
	struct scopes other = {.prefix = {"110102"}, .n = 1};
	assert_int_equal(
	    store_service_bookings_day(f->db, &f->a, &other, NOW, NOW + 86400, &rows, &n), DB_OK);
	assert_int_equal(n, 0);
	/* reminders: only bookings by an account (none here) */
	assert_int_equal(store_service_reminders_due(f->db, &f->a, NOW, 86400, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 0);
}

/* The lists' filter: a kind (and a service) keeps those slots only, staff's walk and a
 * resident's list alike; no filter keeps both kinds. */
static void test_slot_filter(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t svc = add_slot(f, NOW + 7200, 2);
	struct service_slot_row r = {.service = "书记接待日",
	                             .region_code = GRID,
	                             .place = "党群服务中心",
	                             .starts_at = NOW + 7200,
	                             .ends_at = NOW + 10800,
	                             .capacity = 3,
	                             .kind = "reception",
	                             .created_at = NOW,
	                             .updated_at = NOW};
	assert_int_equal(store_service_slots_insert(f->db, &r), DB_OK);
	struct scopes sc = {.n = 1};
	sc.prefix[0] = "";
	const struct {
		const char *service, *kind;
		size_t n;
	} cases[] = {
	    {NULL, NULL, 2},         {NULL, "service", 1},           {NULL, "reception", 1},
	    {"老年证办理", NULL, 1}, {"老年证办理", "reception", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct service_slot_filter flt = {.service = cases[i].service,
		                                  .kind = cases[i].kind};
		struct service_slot_row *rows;
		size_t n = 0;
		assert_int_equal(store_service_slots_walk(f->db, &f->a, &sc, &flt,
		                                          (struct page_after){"", 0}, 50, &rows,
		                                          &n),
		                 DB_OK);
		assert_int_equal(n, cases[i].n);
		for (size_t k = 0; k < n; k++)
			if (cases[i].kind)
				assert_string_equal(rows[k].kind, cases[i].kind);
		flt.from = NOW;
		assert_int_equal(
		    store_service_slots_for_grid(f->db, &f->a, GRID, &flt, 0, 50, &rows, &n),
		    DB_OK);
		assert_int_equal(n, cases[i].n);
		if (n == 1)
			assert_int_equal(
			    rows[0].id,
			    cases[i].kind && !strcmp(cases[i].kind, "reception") ? r.id : svc);
	}
}

static void test_requests(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t user = add_user(f->db, "jumin_store", false);
	struct service_item_row comm = {.region_code = "110101001001",
	                                .level = "community",
	                                .name = "居住证明",
	                                .materials = "[\"身份证\"]",
	                                .time_limit_days = 3,
	                                .active = true,
	                                .created_at = NOW,
	                                .updated_at = NOW};
	assert_int_equal(store_service_items_insert(f->db, &comm), DB_OK);
	struct service_item_row street = comm;
	street.region_code = "110101001";
	street.level = "street";
	assert_int_equal(store_service_items_insert(f->db, &street), DB_OK);
	struct service_item_row dup = comm;
	assert_int_equal(store_service_items_insert(f->db, &dup), DB_CONSTRAINT);
	struct service_item_row off = comm;
	off.name = "停办";
	off.active = false;
	assert_int_equal(store_service_items_insert(f->db, &off), DB_OK);
	/* a resident of the grid: the community's and the street's active items */
	struct service_item_row *items;
	size_t n;
	assert_int_equal(store_service_items_for_grid(f->db, &f->a, GRID, 0, 10, &items, &n),
	                 DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(
	    store_service_items_for_grid(f->db, &f->a, "110101001002001", 0, 10, &items, &n),
	    DB_OK);
	assert_int_equal(n, 1); /* another community of the street: the street's only */
	struct scopes sc = {.prefix = {"110101001001"}, .n = 1};
	struct page_after start = {.code = "", .id = 0};
	assert_int_equal(store_service_items_walk(f->db, &f->a, &sc, false, start, 10, &items, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_service_items_walk(f->db, &f->a, &sc, true, start, 10, &items, &n),
	                 DB_OK);
	assert_int_equal(n, 2);

	struct service_request_row q = {.item_id = comm.id,
	                                .item_region = comm.region_code,
	                                .region_code = GRID,
	                                .user_id = user,
	                                .note = "开证明",
	                                .status = "submitted",
	                                .started_at = NOW,
	                                .due_at = NOW + 3 * 86400,
	                                .created_at = NOW,
	                                .updated_at = NOW};
	assert_int_equal(store_service_requests_insert(f->db, &q), DB_OK);
	const char *hashes[] = {"ab"};
	struct service_request_event_row e = {.request_id = q.id,
	                                      .at = NOW,
	                                      .user_id = user,
	                                      .role = "resident",
	                                      .action = "submit",
	                                      .to_status = "submitted",
	                                      .photos = "[\"ab\"]",
	                                      .hashes = hashes,
	                                      .nhashes = 1};
	assert_int_equal(store_service_request_events_add(f->db, &e), DB_OK);
	int64_t refs = 0;
	assert_int_equal(sql_int(f->db,
	                         "SELECT count(*) FROM service_request_photos WHERE hash = 'ab'",
	                         NO_ARGS, &refs),
	                 DB_OK);
	assert_int_equal(refs, 1);
	/* the timeline is append-only */
	assert_int_not_equal(sql_run(f->db, "DELETE FROM service_request_events", NO_ARGS), DB_OK);
	struct service_request_row got;
	assert_int_equal(store_service_requests_get(f->db, &f->a, q.id, &got), DB_ROW);
	assert_string_equal(got.item_name, "居住证明");
	assert_int_equal(got.time_limit_days, 3);
	/* overdue: running and due before the time asked */
	struct service_request_filter flt = {.overdue_at = NOW + 4 * 86400};
	struct service_request_row *rows;
	assert_int_equal(store_service_requests_walk(f->db, &f->a, &sc, &flt, start, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	flt.overdue_at = NOW + 2 * 86400;
	assert_int_equal(store_service_requests_walk(f->db, &f->a, &sc, &flt, start, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 0);
	/* a move only from the state it leaves */
	got.status = "accepted";
	got.updated_at = NOW + 1;
	assert_int_equal(store_service_requests_move(f->db, &got, "submitted"), DB_OK);
	assert_int_equal(store_service_requests_move(f->db, &got, "submitted"), DB_DONE);
	got.status = "more_needed";
	assert_int_equal(store_service_requests_move(f->db, &got, "accepted"), DB_OK);
	flt.overdue_at = NOW + 4 * 86400;
	assert_int_equal(store_service_requests_walk(f->db, &f->a, &sc, &flt, start, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 0); /* waiting for the applicant is not overdue */
	assert_int_equal(store_service_requests_of_user(f->db, &f->a, user, 0, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].status, "more_needed");
	struct service_request_event_row *ev;
	assert_int_equal(store_service_request_events_list(f->db, &f->a, q.id, &ev, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ev[0].action, "submit");
}

static void int_read(struct db_stmt *st, struct arena *a, void *row)
{
	(void)a;
	*(int64_t *)row = db_col_int(st, 0);
}

static int64_t count_of(struct fixture *f, const char *person, int64_t resident)
{
	int64_t *rows, n = 0;
	size_t m = 0;
	assert_int_equal(sql_all(f->db, &f->a,
	                         "SELECT count(*) FROM service_bookings WHERE person = ? AND "
	                         "coalesce(resident_id, 0) = ? AND status = 'booked'",
	                         ARGS(ARG_TEXT(person), ARG_INT(resident)), int_read, sizeof *rows,
	                         1, (void **)&rows, &m),
	                 DB_OK);
	if (m)
		n = rows[0];
	return n;
}

static int64_t add_person(struct fixture *f, const char *name, int64_t household)
{
	struct resident_row r;
	memset(&r, 0, sizeof r);
	r.region_code = GRID;
	r.household_id = household;
	r.name = name;
	r.residency = "registered";
	r.tags = "";
	r.status = "active";
	r.created_at = r.updated_at = NOW;
	assert_int_equal(store_residents_insert(f->db, &r), DB_OK);
	return r.id;
}

/* Migration 29 on rows made before it: requests of a linked account get its resident; the
 * live own bookings of linked accounts hold the place for their person, unless that person
 * already holds one on the slot; unlinked accounts and cancelled bookings stay as they were. */
static void test_people_migration(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	struct household_row hh = {
	    .region_code = GRID, .number = "A1", .created_at = NOW, .updated_at = NOW};
	assert_int_equal(store_households_insert(f->db, &hh), DB_OK);
	int64_t r1 = add_person(f, "甲", hh.id), r2 = add_person(f, "乙", hh.id);
	int64_t u1 = add_user(f->db, "linked1", false), u2 = add_user(f->db, "linked2", false),
	        u3 = add_user(f->db, "unlinked", false);
	assert_int_equal(store_user_resident_link(f->db, u1, r1, hh.id, NOW), DB_OK);
	assert_int_equal(store_user_resident_link(f->db, u2, r2, hh.id, NOW), DB_OK);
	int64_t slot = add_slot(f, NOW + 7200, 10), other = add_slot(f, NOW + 9000, 10);
	const char *p1 = arena_printf(&f->a, "user:%lld", (long long)u1);
	const char *p2 = arena_printf(&f->a, "user:%lld", (long long)u2);
	const char *p3 = arena_printf(&f->a, "user:%lld", (long long)u3);
	const char *q1 = arena_printf(&f->a, "resident:%lld", (long long)r1);
	const char *q2 = arena_printf(&f->a, "resident:%lld", (long long)r2);
	struct service_booking_row b[] = {
	    {.slot_id = slot, .region_code = GRID, .person = p1, .user_id = u1, .created_at = NOW},
	    {.slot_id = slot, .region_code = GRID, .person = p2, .user_id = u2, .created_at = NOW},
	    {.slot_id = slot,
	     .region_code = GRID,
	     .person = q2,
	     .resident_id = r2,
	     .created_at = NOW},
	    {.slot_id = slot, .region_code = GRID, .person = p3, .user_id = u3, .created_at = NOW},
	    {.slot_id = other, .region_code = GRID, .person = p1, .user_id = u1, .created_at = NOW},
	};
	for (size_t i = 0; i < sizeof b / sizeof b[0]; i++)
		assert_int_equal(store_service_bookings_insert(f->db, &b[i]), DB_OK);
	assert_int_equal(store_service_bookings_cancel(f->db, b[4].id, NOW + 1), DB_OK);
	struct service_item_row it = {.region_code = "110101001001",
	                              .level = "community",
	                              .name = "居住证明",
	                              .materials = "[]",
	                              .time_limit_days = 3,
	                              .active = true,
	                              .created_at = NOW,
	                              .updated_at = NOW};
	assert_int_equal(store_service_items_insert(f->db, &it), DB_OK);
	int64_t req[2];
	int64_t by[2] = {u1, u3};
	for (int i = 0; i < 2; i++) {
		struct service_request_row q = {.item_id = it.id,
		                                .item_region = it.region_code,
		                                .region_code = GRID,
		                                .user_id = by[i],
		                                .status = "submitted",
		                                .started_at = NOW,
		                                .due_at = NOW + 3 * 86400,
		                                .created_at = NOW,
		                                .updated_at = NOW};
		assert_int_equal(store_service_requests_insert(f->db, &q), DB_OK);
		req[i] = q.id;
	}
	/* the step again, as a database at version 28 would run it */
	assert_int_equal(db_exec(f->db, "DROP INDEX service_requests_resident; "
	                                "DROP INDEX service_bookings_person;"),
	                 DB_OK);
	assert_int_equal(db_exec(f->db, store_migration_29), DB_OK);
	struct service_request_row got;
	assert_int_equal(store_service_requests_get(f->db, &f->a, req[0], &got), DB_ROW);
	assert_int_equal(got.resident_id, r1);
	assert_int_equal(store_service_requests_get(f->db, &f->a, req[1], &got), DB_ROW);
	assert_int_equal(got.resident_id, 0);
	assert_int_equal(count_of(f, q1, r1), 1); /* u1's place now held for 甲 */
	assert_int_equal(count_of(f, p1, 0), 0);
	assert_int_equal(count_of(f, p2, 0), 1); /* 乙 held one already: u2's stays */
	assert_int_equal(count_of(f, q2, r2), 1);
	assert_int_equal(count_of(f, p3, 0), 1); /* unlinked: as it was */
	struct service_booking_row cancelled;
	assert_int_equal(store_service_bookings_get(f->db, &f->a, b[4].id, &cancelled), DB_ROW);
	assert_string_equal(cancelled.person, p1);
	/* and the own list of the linked account reads the places held for its person */
	struct service_booking_row *rows;
	size_t n;
	assert_int_equal(store_service_bookings_of_user(f->db, &f->a, u2, r2, 0, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_service_bookings_of_user(f->db, &f->a, u3, 0, 0, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {T(test_bookings), T(test_slot_filter), T(test_requests),
	                                   T(test_people_migration)};
	return RUN(tests);
}
