/* Store tests: announcements (社区资讯, store/voice/announcements.c) — one read back field for
 * field with its read count and the reader's read time; a read recorded once per account (a
 * second changes nothing) and the count equal to a recount; a resident's list (published, at
 * the grid or a region above it, newest first, from a cursor, at most limit); the staff walk
 * over scopes in (region_code, id) order from a cursor. */
#include "store_fixture.h"

#include "store/stmt.h"
#include "store/voice/voice.h"

#define GRID2      "110101001001002" /* a second grid of the community */
#define COMMUNITY2 "110101001002"    /* another community of the street */

static void seed(struct fixture *f)
{
	seed_grid(f->db);
	insert_region(f->db, GRID2, "110101001001", "第二网格");
	insert_region(f->db, COMMUNITY2, "110101001", "另一社区");
}

static int64_t add(struct fixture *f, const char *region, int64_t publish_at)
{
	struct announcement_row n = {.region_code = region,
	                             .title = "停水通知",
	                             .body = "周六停水",
	                             .publish_at = publish_at,
	                             .created_at = NOW,
	                             .updated_at = NOW};
	assert_int_equal(store_announcements_insert(f->db, &n), DB_OK);
	assert_true(n.id > 0);
	return n.id;
}

static void test_insert_get(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t u = add_user(f->db, "staff", false);
	struct announcement_row n = {.region_code = "110101001001",
	                             .title = "垃圾分类",
	                             .body = "本周起定时定点",
	                             .publish_at = NOW + 60,
	                             .created_by = u,
	                             .created_at = NOW,
	                             .updated_at = NOW + 1};
	assert_int_equal(store_announcements_insert(f->db, &n), DB_OK);
	struct announcement_row got;
	assert_int_equal(store_announcements_get(f->db, &f->a, n.id, 0, &got), DB_ROW);
	assert_int_equal(got.id, n.id);
	assert_string_equal(got.region_code, "110101001001");
	assert_string_equal(got.region_name, "多福巷社区");
	assert_string_equal(got.title, "垃圾分类");
	assert_string_equal(got.body, "本周起定时定点");
	assert_int_equal(got.publish_at, NOW + 60);
	assert_int_equal(got.created_by, u);
	assert_int_equal(got.created_at, NOW);
	assert_int_equal(got.updated_at, NOW + 1);
	assert_int_equal(got.reads, 0);
	assert_int_equal(got.read_at, 0);
	int64_t anon = add(f, GRID, NOW);
	assert_int_equal(store_announcements_get(f->db, &f->a, anon, u, &got), DB_ROW);
	assert_int_equal(got.created_by, 0);
	assert_int_equal(store_announcements_get(f->db, &f->a, anon + 100, u, &got), DB_DONE);
	n.region_code = "110199"; /* no such region */
	assert_int_equal(store_announcements_insert(f->db, &n), DB_CONSTRAINT);
}

static int64_t reads_of(struct fixture *f, int64_t id)
{
	int64_t n = -1;
	assert_int_equal(
	    sql_int(f->db, "SELECT count(*) FROM announcement_reads WHERE announcement_id = ?",
	            ARGS(ARG_INT(id)), &n),
	    DB_OK);
	return n;
}

static void test_reads(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t u = add_user(f->db, "reader1", false), v = add_user(f->db, "reader2", false);
	int64_t id = add(f, GRID, NOW), other = add(f, GRID, NOW);
	/* Read once: the second read keeps the first time. */
	assert_int_equal(store_announcements_read(f->db, id, u, NOW + 10), DB_OK);
	assert_int_equal(store_announcements_read(f->db, id, u, NOW + 20), DB_OK);
	assert_int_equal(store_announcements_read(f->db, id, v, NOW + 30), DB_OK);
	struct announcement_row got;
	assert_int_equal(store_announcements_get(f->db, &f->a, id, u, &got), DB_ROW);
	assert_int_equal(got.reads, 2);
	assert_int_equal(got.reads, reads_of(f, id));
	assert_int_equal(got.read_at, NOW + 10);
	assert_int_equal(store_announcements_get(f->db, &f->a, id, v, &got), DB_ROW);
	assert_int_equal(got.read_at, NOW + 30);
	assert_int_equal(store_announcements_get(f->db, &f->a, id, 0, &got), DB_ROW);
	assert_int_equal(got.read_at, 0);
	assert_int_equal(got.reads, 2);
	assert_int_equal(store_announcements_get(f->db, &f->a, other, u, &got), DB_ROW);
	assert_int_equal(got.reads, 0);
	assert_int_equal(got.read_at, 0);
}

static void test_for_grid(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t u = add_user(f->db, "resident", false);
	/* Above the grid: the district, the street, the community; the grid itself; beside it:
	 * the other grid and the other community; one not yet published. */
	int64_t district = add(f, "110101", NOW - 50);
	int64_t street = add(f, "110101001", NOW - 40);
	int64_t community = add(f, "110101001001", NOW - 30);
	add(f, GRID2, NOW - 20);
	add(f, COMMUNITY2, NOW - 20);
	int64_t grid = add(f, GRID, NOW);
	add(f, GRID, NOW + 1);
	assert_int_equal(store_announcements_read(f->db, street, u, NOW), DB_OK);
	struct announcement_row *rows;
	size_t n;
	assert_int_equal(store_announcements_for_grid(f->db, &f->a, GRID, NOW, u, 0, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 4);
	const int64_t want[] = {grid, community, street, district};
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(rows[i].id, want[i]);
		assert_int_equal(rows[i].read_at, rows[i].id == street ? NOW : 0);
	}
	assert_int_equal(rows[2].reads, 1);
	/* From a cursor, at most limit. */
	assert_int_equal(
	    store_announcements_for_grid(f->db, &f->a, GRID, NOW, u, community, 1, &rows, &n),
	    DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, street);
	assert_int_equal(
	    store_announcements_for_grid(f->db, &f->a, GRID, NOW, u, district, 10, &rows, &n),
	    DB_OK);
	assert_int_equal(n, 0);
	/* Later the scheduled one shows; the other grid sees its own and the ones above. */
	assert_int_equal(
	    store_announcements_for_grid(f->db, &f->a, GRID, NOW + 1, 0, 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 5);
	assert_int_equal(rows[0].read_at, 0);
	assert_int_equal(
	    store_announcements_for_grid(f->db, &f->a, GRID2, NOW, 0, 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 4);
	assert_string_equal(rows[0].region_code, GRID2);
}

static void test_walk(void **state)
{
	struct fixture *f = *state;
	seed(f);
	int64_t g1 = add(f, GRID, NOW), c1 = add(f, "110101001001", NOW), g2 = add(f, GRID2, NOW);
	int64_t g1b = add(f, GRID, NOW), other = add(f, COMMUNITY2, NOW);
	add(f, "110101001", NOW); /* the street: above both scopes */
	struct scopes sc = {.prefix = {"110101001001"}, .n = 1};
	struct page_after start = {"", 0};
	struct announcement_row *rows;
	size_t n;
	assert_int_equal(store_announcements_walk(f->db, &f->a, &sc, start, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 4);
	const int64_t want[] = {c1, g1, g1b, g2};
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(rows[i].id, want[i]);
		assert_int_equal(rows[i].read_at, 0);
	}
	/* Pages of two from the cursor. */
	assert_int_equal(store_announcements_walk(f->db, &f->a, &sc, start, 2, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	struct page_after next = {rows[1].region_code, rows[1].id};
	assert_int_equal(store_announcements_walk(f->db, &f->a, &sc, next, 2, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, g1b);
	assert_int_equal(rows[1].id, g2);
	/* Two scopes in order; the street's above both stays out. */
	struct scopes both = {.prefix = {"110101001001", COMMUNITY2}, .n = 2};
	assert_int_equal(store_announcements_walk(f->db, &f->a, &both, start, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 5);
	assert_int_equal(rows[4].id, other);
	struct page_after last = {rows[3].region_code, rows[3].id};
	assert_int_equal(store_announcements_walk(f->db, &f->a, &both, last, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {T(test_insert_get), T(test_reads), T(test_for_grid),
	                                   T(test_walk)};
	return RUN(tests);
}
