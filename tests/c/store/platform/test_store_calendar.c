/* Store tests: the working-day calendar (store/platform/calendar.c) on a temporary database
 * brought to the newest schema: the seeded days and version, a date range [from, to) read in
 * date order, a day set (new or changed, provisional cleared) and removed with the version
 * bumped by each change and by nothing else, the checks on a day's kind and length, and the
 * calendar loaded for the deadline arithmetic. */
#include "store_fixture.h"

#include "domain/deadline.h"
#include "store/platform/calendar.h"
#include "store/stmt.h"

static int64_t version(struct fixture *f)
{
	int64_t v = -1;
	assert_int_equal(store_calendar_version(f->db, &v), DB_OK);
	return v;
}

static int64_t recount(struct fixture *f)
{
	int64_t n = -1;
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM calendar_days", NO_ARGS, &n), DB_OK);
	return n;
}

static size_t range(struct fixture *f, const char *from, const char *to, struct calendar_row **rows)
{
	size_t n = 0;
	assert_int_equal(store_calendar_list(f->db, &f->a, from, to, rows, &n), DB_OK);
	return n;
}

static void test_seeded(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(version(f), 1);
	struct calendar_row *rows;
	size_t all = range(f, NULL, NULL, &rows);
	assert_int_equal(all, recount(f));
	assert_true(all > 30);
	for (size_t i = 1; i < all; i++)
		assert_true(strcmp(rows[i - 1].day, rows[i].day) < 0);
	/* 国庆 2026: the five weekdays off in [10-01, 10-08), the end excluded */
	assert_int_equal(range(f, "2026-10-01", "2026-10-08", &rows), 5);
	assert_string_equal(rows[0].day, "2026-10-01");
	assert_string_equal(rows[4].day, "2026-10-07");
	assert_string_equal(rows[2].kind, "holiday");
	assert_string_equal(rows[2].name, "国庆节");
	assert_false(rows[2].provisional);
	assert_int_equal(range(f, "2026-10-01", "2026-10-07", &rows), 4);
	assert_int_equal(range(f, "2026-10-08", "2026-10-11", &rows), 1);
	assert_string_equal(rows[0].kind, "workday");
	/* 2027 is seeded provisional; an empty range reads nothing */
	assert_int_equal(range(f, "2027-01-01", "2027-01-02", &rows), 1);
	assert_true(rows[0].provisional);
	assert_int_equal(range(f, "2026-07-01", "2026-09-01", &rows), 0);
}

static void test_put_delete(void **state)
{
	struct fixture *f = *state;
	int64_t before = recount(f);
	struct calendar_row day = {.day = "2026-12-31",
	                           .kind = "holiday",
	                           .name = "跨年",
	                           .provisional = true, /* ignored: a set day is not provisional */
	                           .updated_by = 5,
	                           .updated_at = NOW};
	bool created = false;
	assert_int_equal(store_calendar_put(f->db, &day, &created), DB_OK);
	assert_true(created);
	assert_int_equal(version(f), 2);
	assert_int_equal(recount(f), before + 1);
	struct calendar_row *rows;
	assert_int_equal(range(f, "2026-12-31", "2027-01-01", &rows), 1);
	assert_string_equal(rows[0].kind, "holiday");
	assert_string_equal(rows[0].name, "跨年");
	assert_false(rows[0].provisional);
	assert_int_equal(rows[0].updated_by, 5);
	assert_int_equal(rows[0].updated_at, NOW);

	/* a provisional day changed: one row still, confirmed, the version bumped again */
	struct calendar_row confirm = {.day = "2027-01-01",
	                               .kind = "holiday",
	                               .name = "元旦（已公布）",
	                               .updated_at = NOW + 1};
	assert_int_equal(store_calendar_put(f->db, &confirm, &created), DB_OK);
	assert_false(created);
	assert_int_equal(version(f), 3);
	assert_int_equal(recount(f), before + 1);
	assert_int_equal(range(f, "2027-01-01", "2027-01-02", &rows), 1);
	assert_false(rows[0].provisional);
	assert_string_equal(rows[0].name, "元旦（已公布）");
	assert_int_equal(rows[0].updated_by, 0); /* none given: NULL */

	/* refused writes change nothing, the version included */
	struct calendar_row bad = {.day = "2026-12-30", .kind = "party", .name = "x"};
	assert_int_equal(store_calendar_put(f->db, &bad, &created), DB_CONSTRAINT);
	bad.kind = "workday";
	bad.day = "2026-1-3";
	assert_int_equal(store_calendar_put(f->db, &bad, &created), DB_CONSTRAINT);
	assert_int_equal(version(f), 3);
	assert_int_equal(recount(f), before + 1);

	assert_int_equal(store_calendar_delete(f->db, "2026-12-31"), DB_OK);
	assert_int_equal(version(f), 4);
	assert_int_equal(recount(f), before);
	assert_int_equal(range(f, "2026-12-31", "2027-01-01", &rows), 0);
	assert_int_equal(store_calendar_delete(f->db, "2026-12-31"), DB_DONE);
	assert_int_equal(version(f), 4);
}

static void test_load(void **state)
{
	struct fixture *f = *state;
	/* a day that is no date (the api never writes one) is left out of the loaded calendar */
	bool created;
	struct calendar_row junk = {.day = "2026-13-40", .kind = "holiday", .name = "x"};
	assert_int_equal(store_calendar_put(f->db, &junk, &created), DB_OK);
	struct work_calendar cal;
	assert_int_equal(store_calendar_load(f->db, &f->a, &cal), DB_OK);
	assert_int_equal(cal.n, recount(f) - 1);
	for (size_t i = 1; i < cal.n; i++)
		assert_true(cal.days[i - 1].day < cal.days[i].day);
	int64_t national = deadline_day_of(2026, 10, 1), makeup = deadline_day_of(2026, 10, 10);
	size_t holidays = 0, workdays = 0;
	for (size_t i = 0; i < cal.n; i++) {
		if (cal.days[i].day == national) {
			assert_false(cal.days[i].workday);
			holidays++;
		} else if (cal.days[i].day == makeup) {
			assert_true(cal.days[i].workday);
			workdays++;
		}
	}
	assert_int_equal(holidays, 1);
	assert_int_equal(workdays, 1);
	/* as the deadline arithmetic reads it: a Thursday off, a Saturday worked */
	assert_false(deadline_is_working_day(&cal, national));
	assert_true(deadline_is_working_day(&cal, makeup));
	assert_true(deadline_is_working_day(NULL, national));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_seeded),
	    T(test_put_delete),
	    T(test_load),
	};
	return RUN(tests);
}
