/* Store tests: migration 34 on the rows of a database at version 33 — reception days' slots
 * and bookings move into service_slots / service_bookings (kind 'reception', the day linked,
 * local times, the linked account's person), their old ids still name them through
 * reception_moved_ids, the new ids lie above every old one, one booking per person and day
 * holds, the old tables are gone and new rows take fresh ids. On SQLite (a temporary file)
 * and, with $JICENG_TEST_PG_URL (scripts/pg-api-tests.sh runs it so), on a fresh PostgreSQL
 * database. */
#include "pg_fixture.h"
#include "store_fixture.h"

#include "store/base/base.h"
#include "store/party/pairings.h"
#include "store/services/services.h"
#include "store/stmt.h"

#include <time.h>

/* Seconds since the epoch of "YYYY-MM-DD HH:MM" in Asia/Shanghai. */
static int64_t local_time(int y, int mo, int d, int h, int mi)
{
	struct tm tm = {
	    .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};
	return (int64_t)timegm(&tm) - 8 * 3600;
}

static int64_t insert(struct db *db, const char *sql, const struct sql_arg *args, size_t n)
{
	int64_t id = 0;
	assert_int_equal(sql_insert(db, sql, args, n, &id), DB_OK);
	return id;
}

static int64_t old_slot(struct db *db, int64_t day, const char *starts, const char *ends,
                        int64_t capacity)
{
	return insert(
	    db, "INSERT INTO reception_slots(day_id, starts, ends, capacity) VALUES (?, ?, ?, ?)",
	    ARGS(ARG_INT(day), ARG_TEXT(starts), ARG_TEXT(ends), ARG_INT(capacity)));
}

static int64_t old_booking(struct db *db, int64_t slot, int64_t day, int64_t user,
                           const char *topic, const char *status)
{
	return insert(db,
	              "INSERT INTO reception_bookings(slot_id, day_id, user_id, topic, status, "
	              "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	              ARGS(ARG_INT(slot), ARG_INT(day), ARG_INT(user), ARG_OPT_TEXT(topic),
	                   ARG_TEXT(status), ARG_INT(NOW), ARG_INT(NOW)));
}

static int64_t person(struct db *db, const char *name, int64_t household)
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
	assert_int_equal(store_residents_insert(db, &r), DB_OK);
	return r.id;
}

static int64_t day_of(struct db *db, int64_t cadre, const char *held_on, bool cancelled)
{
	struct reception_day_row d = {.cadre_id = cadre,
	                              .region_code = "110101001001",
	                              .held_on = held_on,
	                              .starts = "09:00",
	                              .ends = "11:00",
	                              .place = "社区会议室",
	                              .created_at = NOW,
	                              .updated_at = NOW};
	assert_int_equal(store_reception_days_insert(db, &d), DB_OK);
	if (cancelled)
		assert_int_equal(store_reception_days_cancel(db, d.id, NOW), DB_OK);
	return d.id;
}

/* db at version 33, empty: the rows of a street office that used reception days, then the
 * step, then what the reception routes and the services read. */
static void check_migration(struct db *db, struct arena *a)
{
	assert_true(store_migrate_to(db, 33));
	seed_grid(db);
	struct household_row hh = {
	    .region_code = GRID, .number = "A1", .created_at = NOW, .updated_at = NOW};
	assert_int_equal(store_households_insert(db, &hh), DB_OK);
	int64_t r1 = person(db, "张三", hh.id);
	int64_t linked = add_user(db, "linked", false), plain = add_user(db, "plain", false);
	assert_int_equal(store_user_resident_link(db, linked, r1, hh.id, NOW), DB_OK);
	struct cadre_row c = {.name = "孙检察官",
	                      .unit = "区人民检察院",
	                      .kind = CADRE_PROSECUTOR,
	                      .region_code = "110101001001",
	                      .active = true,
	                      .created_at = NOW,
	                      .updated_at = NOW};
	assert_int_equal(store_cadres_insert(db, &c), DB_OK);
	/* a service slot and booking made before: their ids are kept */
	int64_t sslot =
	    insert(db,
	           "INSERT INTO service_slots(service, region_code, starts_at, ends_at, "
	           "capacity, status, created_at, updated_at) VALUES ('体检', ?, ?, ?, "
	           "5, 'open', ?, ?)",
	           ARGS(ARG_TEXT(GRID), ARG_INT(NOW + 86400), ARG_INT(NOW + 90000), ARG_INT(NOW),
	                ARG_INT(NOW)));
	int64_t sbook = insert(db,
	                       "INSERT INTO service_bookings(slot_id, region_code, person, status, "
	                       "reminded_at, created_at, updated_at) VALUES (?, ?, 'user:99', "
	                       "'booked', 0, ?, ?)",
	                       ARGS(ARG_INT(sslot), ARG_TEXT(GRID), ARG_INT(NOW), ARG_INT(NOW)));
	int64_t d1 = day_of(db, c.id, "2099-01-05", false),
	        d2 = day_of(db, c.id, "2099-02-01", true);
	int64_t s1 = old_slot(db, d1, "09:00", "09:30", 1),
	        s2 = old_slot(db, d1, "09:30", "11:00", 3);
	int64_t s3 = old_slot(db, d2, "09:00", "11:00", 10);
	int64_t b1 = old_booking(db, s1, d1, linked, "邻里纠纷", "booked");
	int64_t b2 = old_booking(db, s2, d1, plain, NULL, "booked");
	int64_t b3 = old_booking(db, s2, d1, linked, NULL, "cancelled");
	int64_t b4 = old_booking(db, s3, d2, plain, "物业", "booked");

	assert_true(store_migrate_run(db));

	/* the slots: kind, day, local times, capacity and the count of live bookings */
	struct service_slot_row s;
	assert_int_equal(store_service_slot_of_day(db, a, d1, s1, &s), DB_ROW);
	assert_string_equal(s.kind, "reception");
	assert_int_equal(s.reception_day_id, d1);
	assert_string_equal(s.service, "孙检察官接待日");
	assert_string_equal(s.place, "社区会议室");
	assert_string_equal(s.region_code, "110101001001");
	assert_int_equal(s.starts_at, local_time(2099, 1, 5, 9, 0));
	assert_int_equal(s.ends_at, local_time(2099, 1, 5, 9, 30));
	assert_int_equal(s.capacity, 1);
	assert_int_equal(s.booked, 1);
	assert_false(s.cancelled);
	int64_t new_s1 = s.id;
	assert_true(new_s1 > s3 && new_s1 > sslot);
	assert_int_equal(store_service_slot_of_day(db, a, d1, new_s1, &s), DB_ROW); /* new id */
	assert_int_equal(store_service_slot_of_day(db, a, d2, s1, &s), DB_DONE);    /* other day */
	assert_int_equal(store_service_slot_of_day(db, a, d2, s3, &s), DB_ROW);
	assert_true(s.cancelled); /* the day was cancelled: so is its slot */
	struct service_slot_row *slots;
	size_t n;
	assert_int_equal(store_service_slots_of_day(db, a, d1, &slots, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(slots[1].booked, 1);
	assert_int_equal(slots[1].ends_at - slots[1].starts_at, 90 * 60);
	assert_int_equal(store_service_slots_get(db, a, sslot, &s), DB_ROW); /* kept */
	assert_string_equal(s.kind, "service");
	assert_int_equal(s.reception_day_id, 0);

	/* the bookings: an old id names its booking; the linked account's person is its resident */
	struct service_booking_row b;
	assert_int_equal(store_reception_booking_get(db, a, b1, &b), DB_ROW);
	assert_int_equal(b.slot_id, new_s1);
	assert_int_equal(b.reception_day_id, d1);
	assert_int_equal(b.user_id, linked);
	assert_int_equal(b.resident_id, r1);
	assert_string_equal(b.person, arena_printf(a, "resident:%lld", (long long)r1));
	assert_string_equal(b.topic, "邻里纠纷");
	assert_string_equal(b.resident_name, "张三");
	assert_int_equal(b.attended, -1);
	assert_int_equal(b.reminded_at, 0);
	assert_false(b.cancelled);
	int64_t new_b1 = b.id;
	assert_true(new_b1 > b4 && new_b1 > sbook);
	assert_int_equal(store_reception_booking_get(db, a, new_b1, &b), DB_ROW); /* new id */
	assert_int_equal(store_reception_booking_get(db, a, b2, &b), DB_ROW);
	assert_string_equal(b.person, arena_printf(a, "user:%lld", (long long)plain));
	assert_int_equal(b.resident_id, 0);
	assert_null(b.topic);
	assert_int_equal(store_reception_booking_get(db, a, b3, &b), DB_ROW);
	assert_true(b.cancelled);
	assert_int_equal(store_reception_booking_get(db, a, b4, &b), DB_ROW);
	assert_int_equal(b.reception_day_id, d2);
	/* a service booking is no reception booking, under its id or a moved one's */
	assert_int_equal(store_service_bookings_get(db, a, sbook, &b), DB_ROW);
	assert_string_equal(b.kind, "service");
	struct service_booking_row *rows;
	assert_int_equal(store_reception_bookings_of_user(db, a, linked, r1, &rows, &n), DB_OK);
	assert_int_equal(n, 2); /* b1 and the cancelled b3 */
	assert_int_equal(store_service_bookings_of_day(db, a, d1, &rows, &n), DB_OK);
	assert_int_equal(n, 2);

	/* one live booking per person and day, on the other slot too */
	struct service_booking_row again = {.slot_id = slots[1].id,
	                                    .reception_day_id = d1,
	                                    .region_code = "110101001001",
	                                    .person =
	                                        arena_printf(a, "resident:%lld", (long long)r1),
	                                    .created_at = NOW};
	assert_int_equal(store_service_bookings_insert(db, &again), DB_CONSTRAINT);

	/* the old tables are gone; new rows take ids past the moved ones (PostgreSQL's
	 * sequences followed) */
	assert_int_not_equal(db_exec(db, "SELECT 1 FROM reception_bookings"), DB_OK);
	assert_int_not_equal(db_exec(db, "SELECT 1 FROM reception_slots"), DB_OK);
	struct service_slot_row fresh = {.service = "x",
	                                 .region_code = GRID,
	                                 .starts_at = NOW,
	                                 .ends_at = NOW + 60,
	                                 .capacity = 1,
	                                 .created_at = NOW,
	                                 .updated_at = NOW};
	assert_int_equal(store_service_slots_insert(db, &fresh), DB_OK);
	assert_true(fresh.id > slots[1].id && fresh.id > new_s1);
	struct service_booking_row nb = {
	    .slot_id = fresh.id, .region_code = GRID, .person = "user:7", .created_at = NOW};
	assert_int_equal(store_service_bookings_insert(db, &nb), DB_OK);
	assert_true(nb.id > new_b1);
}

static void test_sqlite(void **state)
{
	struct fixture *f = *state;
	check_migration(f->db, &f->a);
}

/* ---- PostgreSQL ---- */

static void test_postgres(void **state)
{
	(void)state;
	if (!pg_base_url()) {
		fprintf(stderr, "test_migrate_reception: PostgreSQL skipped: JICENG_TEST_PG_URL is "
		                "unset\n");
		skip();
	}
	char name[64], url[512];
	snprintf(name, sizeof name, "jiceng_m34_%ld", (long)getpid());
	pg_fresh_database(name, url, sizeof url);
	struct db *db = open_url(url);
	assert_int_equal(db_kind(db), DB_POSTGRES);
	struct arena a;
	arena_init(&a);
	check_migration(db, &a);
	arena_free(&a);
	db_close(db);
	pg_drop_database(name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_sqlite, setup_unmigrated, teardown),
	    cmocka_unit_test(test_postgres),
	};
	return RUN(tests);
}
