/* Store tests: the dashboard's counts (store/command/), on a temporary database brought to
 * the newest schema by the real migrations: the triggers keep case_days through inserts,
 * closures, reopenings, moves and deletes, and the open counts group by child. */
#include "store_fixture.h"

#include "store/cases/cases.h"
#include "store/command/dashboard.h"
#include "store/stmt.h"

#define GRID2 "110101001001002"
#define DAY   ((NOW + 8 * 3600) / 86400)

static int64_t add_case(struct fixture *f, const char *number, const char *grid,
                        const char *category, int64_t created_at)
{
	struct case_row c;
	memset(&c, 0, sizeof c);
	c.number = number;
	c.tracking_code = number + 2;
	c.category = category;
	c.status = CASE_REPORTED;
	c.level = REGION_GRID;
	c.region_code = grid;
	c.description = "楼道堆物";
	c.source = "web";
	c.accept_due = created_at + 3600;
	c.handle_due = created_at + 86400;
	c.created_at = c.updated_at = created_at;
	assert_int_equal(store_cases_insert(f->db, &c), DB_OK);
	return c.id;
}

static void set_state(struct fixture *f, int64_t id, enum case_state s, int64_t closed_at)
{
	struct case_row c;
	assert_int_equal(store_cases_get(f->db, &f->a, id, &c), DB_ROW);
	c.status = s;
	c.closed_at = closed_at;
	assert_int_equal(store_cases_update(f->db, &c), DB_OK);
}

static struct dashboard_day one_day(struct fixture *f, const char *region, int64_t day)
{
	struct dashboard_day *d;
	size_t n;
	assert_int_equal(store_dashboard_days(f->db, &f->a, region, day, day, &d, &n), DB_OK);
	struct dashboard_day none = {day, 0, 0};
	return n ? d[0] : none;
}

static void test_days_follow_cases(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	insert_region(f->db, GRID2, "110101001001", "第二网格");
	int64_t a = add_case(f, "SJ2026112300001", GRID, "environment", NOW);
	add_case(f, "SJ2026112300002", GRID2, "environment", NOW);
	add_case(f, "SJ2026112300003", GRID, "property", NOW - 86400);
	struct dashboard_day d = one_day(f, "110101", DAY);
	assert_int_equal(d.reported, 2);
	assert_int_equal(d.closed, 0);
	assert_int_equal(one_day(f, "110101", DAY - 1).reported, 1);
	assert_int_equal(one_day(f, GRID2, DAY).reported, 1);

	/* Closed today: counted on the day of closed_at; reopened: taken back. */
	set_state(f, a, CASE_CLOSED, NOW + 60);
	assert_int_equal(one_day(f, "110101", DAY).closed, 1);
	set_state(f, a, CASE_HANDLING, NOW + 60);
	assert_int_equal(one_day(f, "110101", DAY).closed, 0);
	set_state(f, a, CASE_CLOSED, NOW + 86400);
	assert_int_equal(one_day(f, "110101", DAY).closed, 0);
	assert_int_equal(one_day(f, "110101", DAY + 1).closed, 1);

	/* Edge: a range of days reads each day once, in order; absent days are absent. */
	struct dashboard_day *days;
	size_t n;
	assert_int_equal(store_dashboard_days(f->db, &f->a, "110101", DAY - 5, DAY + 5, &days, &n),
	                 DB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(days[0].day, DAY - 1);
	assert_int_equal(days[2].day, DAY + 1);

	/* Edge: a case moved to another grid (as a grid merge moves them) takes its counts along.
	 */
	assert_int_equal(sql_run(f->db, "UPDATE cases SET region_code = ? WHERE id = ?",
	                         ARGS(ARG_TEXT(GRID2), ARG_INT(a))),
	                 DB_OK);
	assert_int_equal(one_day(f, GRID, DAY).reported, 0);
	assert_int_equal(one_day(f, GRID2, DAY).reported, 2);
	assert_int_equal(one_day(f, GRID2, DAY + 1).closed, 1);
	assert_int_equal(one_day(f, GRID, DAY + 1).closed, 0);

	/* Edge: deleting a case takes its counts away. */
	assert_int_equal(sql_run(f->db, "DELETE FROM cases WHERE id = ?", ARGS(ARG_INT(a))), DB_OK);
	assert_int_equal(one_day(f, GRID2, DAY).reported, 1);
	assert_int_equal(one_day(f, GRID2, DAY + 1).closed, 0);
}

static void test_open_by_child(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	insert_region(f->db, GRID2, "110101001001", "第二网格");
	int64_t a = add_case(f, "SJ2026112300001", GRID, "environment", NOW - 7200);  /* overdue */
	int64_t b = add_case(f, "SJ2026112300002", GRID2, "environment", NOW - 3000); /* warning */
	add_case(f, "SJ2026112300003", GRID2, "property", NOW);                       /* fresh */
	int64_t c = add_case(f, "SJ2026112300004", GRID2, "property", NOW);
	set_state(f, c, CASE_REJECTED, 0); /* not open */
	struct case_row row;
	assert_int_equal(store_cases_get(f->db, &f->a, b, &row), DB_ROW);
	row.supervised = true;
	assert_int_equal(store_cases_update(f->db, &row), DB_OK);
	(void)a;

	struct dashboard_open *o;
	size_t n;
	assert_int_equal(store_dashboard_open(f->db, &f->a, "110101001001", 15, NOW, &o, &n),
	                 DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(o[0].code, GRID);
	assert_int_equal(o[0].open, 1);
	assert_int_equal(o[0].overdue, 1);
	assert_int_equal(o[0].warning, 0);
	assert_string_equal(o[1].code, GRID2);
	assert_int_equal(o[1].open, 2);
	assert_int_equal(o[1].overdue, 0);
	assert_int_equal(o[1].warning, 1);
	assert_int_equal(o[1].supervised, 1);
	/* The region as one group. */
	assert_int_equal(store_dashboard_open(f->db, &f->a, "110101", 6, NOW, &o, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(o[0].open, 3);
	/* Edge: a region with no cases has no groups. */
	assert_int_equal(store_dashboard_open(f->db, &f->a, "110102", 9, NOW, &o, &n), DB_OK);
	assert_int_equal(n, 0);

	struct dashboard_category *cats;
	assert_int_equal(
	    store_dashboard_categories(f->db, &f->a, "110101", DAY - 1, DAY, &cats, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(cats[0].category, "environment"); /* most open first */
	assert_int_equal(cats[0].open, 2);
	assert_int_equal(cats[0].reported, 2);
	assert_string_equal(cats[1].category, "property");
	assert_int_equal(cats[1].open, 1);
	assert_int_equal(cats[1].reported, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_days_follow_cases),
	    T(test_open_by_child),
	};
	return RUN(tests);
}
