/* Store tests: sessions and API tokens (store/platform/auth.c), on a temporary database
 * brought to the newest schema by the real migrations. */
#include "store_fixture.h"

#include "store/platform/auth.h"
#include "store/platform/users.h"

/* ---------------------------------------------------------------- sessions */

static void fill_hash(unsigned char h[AUTH_HASH_LEN], unsigned char seed)
{
	for (int i = 0; i < AUTH_HASH_LEN; i++)
		h[i] = (unsigned char)(seed * 31 + i);
}

static void test_sessions(void **state)
{
	struct fixture *f = *state;
	int64_t uid = add_user(f->db, "zhang.san", false);
	unsigned char h1[AUTH_HASH_LEN], h2[AUTH_HASH_LEN], h3[AUTH_HASH_LEN];
	fill_hash(h1, 1);
	fill_hash(h2, 2);
	fill_hash(h3, 3);
	const char *csrf = "csrf-0123456789abcdefghijklmnopqrstuvwxyzABC";
	int64_t sid = 0, sid2 = 0;
	assert_int_equal(
	    store_sessions_insert(f->db, h1, uid, csrf, NOW, NOW + 43200, "10.0.0.1", &sid), DB_OK);
	assert_true(sid > 0);
	assert_int_equal(store_sessions_insert(f->db, h2, uid, csrf, NOW, NOW + 43200, NULL, &sid2),
	                 DB_OK);
	assert_int_not_equal(sid, sid2);
	/* The same secret hash twice is refused. */
	int64_t dup = 0;
	assert_int_equal(store_sessions_insert(f->db, h1, uid, csrf, NOW, NOW + 1, NULL, &dup),
	                 DB_CONSTRAINT);
	/* A session for a user who does not exist: foreign key. */
	assert_int_equal(store_sessions_insert(f->db, h3, uid + 99, csrf, NOW, NOW + 1, NULL, &dup),
	                 DB_CONSTRAINT);

	struct principal p;
	assert_int_equal(store_sessions_lookup(f->db, h1, &p), DB_ROW);
	assert_int_equal(p.session_id, sid);
	assert_int_equal(p.user_id, uid);
	assert_int_equal(p.token_id, 0);
	assert_string_equal(p.name, "zhang.san");
	assert_string_equal(p.csrf, csrf);
	assert_int_equal(p.last_seen, NOW);
	assert_int_equal(p.expires_at, NOW + 43200);
	assert_int_equal(p.ngrants, 1);
	assert_int_equal(p.grants[0].role, ROLE_GRID_WORKER);
	assert_string_equal(p.grants[0].region_code, "110101001001001");
	assert_int_equal(store_sessions_lookup(f->db, h3, &p), DB_DONE);
	assert_int_equal(p.user_id, 0);

	assert_int_equal(store_sessions_touch(f->db, sid, NOW + 300), DB_OK);
	assert_int_equal(store_sessions_lookup(f->db, h1, &p), DB_ROW);
	assert_int_equal(p.last_seen, NOW + 300);
	assert_int_equal(store_sessions_lookup(f->db, h2, &p), DB_ROW);
	assert_int_equal(p.last_seen, NOW); /* only the touched session moved */

	assert_int_equal(store_sessions_delete(f->db, sid), DB_OK);
	assert_int_equal(store_sessions_lookup(f->db, h1, &p), DB_DONE);
	assert_int_equal(store_sessions_lookup(f->db, h2, &p), DB_ROW);
	assert_int_equal(store_sessions_delete_user(f->db, uid), DB_OK);
	assert_int_equal(store_sessions_lookup(f->db, h2, &p), DB_DONE);
}

static void test_sessions_disabled_user_and_purge(void **state)
{
	struct fixture *f = *state;
	int64_t off = add_user(f->db, "disabled.user", true);
	int64_t on = add_user(f->db, "enabled.user", false);
	unsigned char h1[AUTH_HASH_LEN], h2[AUTH_HASH_LEN], h3[AUTH_HASH_LEN];
	fill_hash(h1, 11);
	fill_hash(h2, 12);
	fill_hash(h3, 13);
	int64_t id;
	assert_int_equal(store_sessions_insert(f->db, h1, off, "c", NOW, NOW + 100, NULL, &id),
	                 DB_OK);
	struct principal p;
	assert_int_equal(store_sessions_lookup(f->db, h1, &p),
	                 DB_DONE); /* disabled: no principal */
	/* Purge: expired, or idle past the cutoff. */
	assert_int_equal(store_sessions_insert(f->db, h2, on, "c", NOW, NOW + 100, NULL, &id),
	                 DB_OK);
	assert_int_equal(store_sessions_insert(f->db, h3, on, "c", NOW, NOW + 10000, NULL, &id),
	                 DB_OK);
	assert_int_equal(store_sessions_touch(f->db, id, NOW + 500), DB_OK);
	assert_int_equal(store_sessions_purge(f->db, NOW + 200, NOW + 100), DB_OK);
	assert_int_equal(store_sessions_lookup(f->db, h2, &p), DB_DONE); /* expired */
	assert_int_equal(store_sessions_lookup(f->db, h3, &p), DB_ROW);  /* alive and recent */
	assert_int_equal(store_sessions_purge(f->db, NOW + 200, NOW + 600), DB_OK);
	assert_int_equal(store_sessions_lookup(f->db, h3, &p), DB_DONE); /* idle */
}

/* ---------------------------------------------------------------- tokens */

static void test_tokens(void **state)
{
	struct fixture *f = *state;
	int64_t uid = add_user(f->db, "admin", false);
	unsigned char h1[AUTH_HASH_LEN], h2[AUTH_HASH_LEN], h9[AUTH_HASH_LEN];
	fill_hash(h1, 21);
	fill_hash(h2, 22);
	fill_hash(h9, 29);
	struct token_row t;
	memset(&t, 0, sizeof t);
	t.name = "12345 热线对接";
	t.created_by = uid;
	t.created_at = NOW;
	t.grants[0] = mk_grant(ROLE_DEPARTMENT, "110101");
	t.grants[1] = mk_grant(ROLE_STREET, "110101001");
	t.ngrants = 2;
	assert_int_equal(store_tokens_insert(f->db, &t, h1), DB_OK);
	assert_true(t.id > 0);
	int64_t first = t.id;
	struct token_row t2;
	memset(&t2, 0, sizeof t2);
	t2.name = "无人创建";
	t2.created_at = NOW + 1;
	assert_int_equal(store_tokens_insert(f->db, &t2, h2), DB_OK);
	struct token_row t3 = t2;
	assert_int_equal(store_tokens_insert(f->db, &t3, h2), DB_CONSTRAINT); /* same secret */

	struct principal p;
	assert_int_equal(store_tokens_lookup(f->db, h1, &p), DB_ROW);
	assert_int_equal(p.token_id, first);
	assert_int_equal(p.user_id, 0);
	assert_int_equal(p.session_id, 0);
	assert_string_equal(p.name, "12345 热线对接");
	assert_int_equal(p.ngrants, 2);
	bool dept = false, street = false;
	for (size_t i = 0; i < p.ngrants; i++) {
		if (p.grants[i].role == ROLE_DEPARTMENT)
			dept = strcmp(p.grants[i].region_code, "110101") == 0;
		if (p.grants[i].role == ROLE_STREET)
			street = strcmp(p.grants[i].region_code, "110101001") == 0;
	}
	assert_true(dept && street);
	assert_int_equal(store_tokens_lookup(f->db, h2, &p), DB_ROW);
	assert_int_equal(p.ngrants, 0);
	assert_int_equal(store_tokens_lookup(f->db, h9, &p), DB_DONE);

	struct token_row *rows;
	size_t n;
	assert_int_equal(store_tokens_list(f->db, &f->a, 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, first);
	assert_int_equal(rows[0].created_by, uid);
	assert_int_equal(rows[0].ngrants, 2);
	assert_int_equal(rows[1].created_by, 0);
	assert_int_equal(store_tokens_list(f->db, &f->a, first, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 1);

	assert_int_equal(store_tokens_revoke(f->db, first, NOW + 5), DB_OK);
	assert_int_equal(store_tokens_lookup(f->db, h1, &p), DB_DONE);
	assert_int_equal(store_tokens_revoke(f->db, first, NOW + 6), DB_DONE); /* already revoked */
	assert_int_equal(store_tokens_revoke(f->db, first + 1000, NOW + 6), DB_DONE);
	assert_int_equal(store_tokens_list(f->db, &f->a, 0, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].name, "无人创建");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_sessions),
	    T(test_sessions_disabled_user_and_purge),
	    T(test_tokens),
	};
	return RUN(tests);
}
