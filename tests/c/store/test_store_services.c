/* Store tests: appointment slots and bookings (store/services/slots.c) on a temporary
 * database brought to the newest schema by the real migrations — the booked count, one live
 * booking per person and slot (a cancelled one frees it), the day's list and the reminders. */
#include "store_fixture.h"

#include "store/services/services.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {T(test_bookings)};
	return RUN(tests);
}
