/* Store tests: who uploaded a photo and which records refer to it
 * (store/platform/photos.c), on a temporary database brought to the newest
 * schema by the real migrations. */
#include "store_fixture.h"

#include "store/cases/cases.h"
#include "store/platform/photos.h"
#include "store/stmt.h"

static void test_uploads(void **state)
{
	struct fixture *f = *state;
	int64_t uid = add_user(f->db, "uploader", false);
	int64_t other = add_user(f->db, "other", false);
	struct photo_row p = {.hash = "ff00", .mime = "image/jpeg", .size = 1, .created_at = NOW};
	assert_int_equal(store_photos_add(f->db, &p), DB_OK);
	assert_int_equal(store_photo_uploads_add(f->db, "ff00", uid, NOW), DB_OK);
	/* Edge: the same upload twice is a no-op. */
	assert_int_equal(store_photo_uploads_add(f->db, "ff00", uid, NOW + 1), DB_OK);
	bool yes = false;
	assert_int_equal(store_photo_uploaded_by(f->db, "ff00", uid, &yes), DB_OK);
	assert_true(yes);
	assert_int_equal(store_photo_uploaded_by(f->db, "ff00", other, &yes), DB_OK);
	assert_false(yes);
	int64_t n = 0;
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM photo_uploads", NO_ARGS, &n), DB_OK);
	assert_int_equal(n, 1);
}

static void test_refs(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	assert_int_equal(
	    sql_run(f->db,
	            "INSERT INTO cases(number, tracking_code, category, tier, status, level, "
	            "region_code, description, source, anonymous, unit, accept_due, handle_due, "
	            "created_at, updated_at) VALUES ('SJ1', 'T1', 'environment', 0, 0, 3, ?, 'd', "
	            "'web', 0, '网格', 0, 0, 0, 0)",
	            ARGS(ARG_TEXT(GRID))),
	    DB_OK);
	assert_int_equal(sql_run(f->db,
	                         "INSERT INTO photo_refs(hash, kind, ref_id) VALUES ('ff00', "
	                         "'case', 1)",
	                         NO_ARGS),
	                 DB_OK);
	struct photo_ref *rows;
	size_t n;
	assert_int_equal(store_photo_refs_list(f->db, &f->a, "ff00", &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].kind, "case");
	assert_string_equal(rows[0].region_code, GRID);
	assert_int_equal(rows[0].reporter_user_id, 0);
	assert_int_equal(store_photo_refs_list(f->db, &f->a, "0000", &rows, &n), DB_OK);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_uploads),
	    T(test_refs),
	};
	return RUN(tests);
}
