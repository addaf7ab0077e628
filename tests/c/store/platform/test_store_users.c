/* Store tests: users and grants (store/platform/users.c), on a temporary database
 * brought to the newest schema by the real migrations. */
#include "store_fixture.h"

#include "store/platform/users.h"

/* ---------------------------------------------------------------- users */

static void test_users_round_trip(void **state)
{
	struct fixture *f = *state;
	struct user_row u;
	memset(&u, 0, sizeof u);
	u.username = "wang.wu";
	u.display_name = "王五";
	u.unit = "东华门街道";
	u.password_hash = "hash-1";
	u.created_at = NOW;
	u.updated_at = NOW + 1;
	u.grants[0] = mk_grant(ROLE_GRID_WORKER, "110101001001001");
	u.grants[1] = mk_grant(ROLE_COMMUNITY, "110101001002");
	u.grants[2] = mk_grant(ROLE_COMMUNITY, "110101001002"); /* duplicate: ignored */
	u.ngrants = 3;
	assert_int_equal(store_users_insert(f->db, &u), DB_OK);
	assert_true(u.id > 0);
	assert_int_equal(store_users_count(f->db), 1);

	struct user_row got;
	assert_int_equal(store_users_by_name(f->db, &f->a, "wang.wu", &got), DB_ROW);
	assert_int_equal(got.id, u.id);
	assert_string_equal(got.username, "wang.wu");
	assert_string_equal(got.display_name, "王五");
	assert_string_equal(got.unit, "东华门街道");
	assert_string_equal(got.password_hash, "hash-1");
	assert_false(got.disabled);
	assert_int_equal(got.failed_count, 0);
	assert_int_equal(got.locked_until, 0);
	assert_int_equal(got.created_at, NOW);
	assert_int_equal(got.updated_at, NOW + 1);
	assert_int_equal(got.ngrants, 2);
	/* Ordered by role code: "community" < "grid_worker". */
	assert_int_equal(got.grants[0].role, ROLE_COMMUNITY);
	assert_string_equal(got.grants[0].region_code, "110101001002");
	assert_int_equal(got.grants[1].role, ROLE_GRID_WORKER);
	assert_string_equal(got.grants[1].region_code, "110101001001001");

	struct user_row by_id;
	assert_int_equal(store_users_get(f->db, &f->a, u.id, &by_id), DB_ROW);
	assert_string_equal(by_id.username, "wang.wu");
	assert_int_equal(by_id.ngrants, 2);

	assert_int_equal(store_users_by_name(f->db, &f->a, "nobody", &got), DB_DONE);
	assert_int_equal(store_users_by_name(f->db, &f->a, "WANG.WU", &got), DB_DONE);
	assert_int_equal(store_users_get(f->db, &f->a, u.id + 100, &got), DB_DONE);

	/* Update, failures, grants replaced. */
	by_id.display_name = "王五（调岗）";
	by_id.unit = NULL;
	by_id.disabled = true;
	by_id.updated_at = NOW + 50;
	assert_int_equal(store_users_update(f->db, &by_id), DB_OK);
	assert_int_equal(store_users_set_failures(f->db, u.id, 3, NOW + 900), DB_OK);
	struct grant admin = mk_grant(ROLE_ADMIN, "");
	assert_int_equal(store_users_set_grants(f->db, u.id, &admin, 1), DB_OK);
	assert_int_equal(store_users_get(f->db, &f->a, u.id, &got), DB_ROW);
	assert_string_equal(got.display_name, "王五（调岗）");
	assert_null(got.unit);
	assert_true(got.disabled);
	assert_int_equal(got.failed_count, 3);
	assert_int_equal(got.locked_until, NOW + 900);
	assert_int_equal(got.updated_at, NOW + 50);
	assert_int_equal(got.ngrants, 1);
	assert_int_equal(got.grants[0].role, ROLE_ADMIN);
	assert_string_equal(got.grants[0].region_code, "");
	assert_int_equal(store_users_set_grants(f->db, u.id, NULL, 0), DB_OK);
	assert_int_equal(store_users_get(f->db, &f->a, u.id, &got), DB_ROW);
	assert_int_equal(got.ngrants, 0);
}

static void test_users_duplicate_name(void **state)
{
	struct fixture *f = *state;
	add_user(f->db, "li.si", false);
	struct user_row u;
	memset(&u, 0, sizeof u);
	u.username = "li.si";
	u.display_name = "另一个李四";
	u.password_hash = "x";
	u.created_at = u.updated_at = NOW;
	assert_int_equal(store_users_insert(f->db, &u), DB_CONSTRAINT);
	assert_int_equal(store_users_count(f->db), 1);
	/* Case differs: a different username. */
	u.username = "Li.Si";
	assert_int_equal(store_users_insert(f->db, &u), DB_OK);
	assert_int_equal(store_users_count(f->db), 2);
}

static void test_users_list(void **state)
{
	struct fixture *f = *state;
	int64_t ids[5];
	static const char *const names[] = {"zhang.san", "li.si", "wang.wu", "zhao.liu", "sun.qi"};
	for (int i = 0; i < 5; i++)
		ids[i] = add_user(f->db, names[i], false);
	struct user_row *rows;
	size_t n;
	assert_int_equal(store_users_list(f->db, &f->a, NULL, 0, 2, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, ids[0]);
	assert_int_equal(rows[1].id, ids[1]);
	assert_int_equal(rows[0].ngrants, 1);
	assert_int_equal(store_users_list(f->db, &f->a, NULL, rows[1].id, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[2].username, "sun.qi");
	assert_int_equal(store_users_list(f->db, &f->a, "wu", 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].username, "wang.wu");
	assert_int_equal(store_users_list(f->db, &f->a, "测试", 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 5); /* matches the display name */
	assert_int_equal(store_users_list(f->db, &f->a, "%", 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 0); /* no LIKE wildcards */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_users_round_trip),
	    T(test_users_duplicate_name),
	    T(test_users_list),
	};
	return RUN(tests);
}
