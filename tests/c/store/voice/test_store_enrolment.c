/* Residents' accounts: the link of an account to its resident and household. */
#include "store_fixture.h"
#include "store/base/base.h"
#include "store/voice/voice.h"

static int64_t add_household(struct fixture *f)
{
	struct household_row hh = {
	    .region_code = GRID, .number = "A1", .created_at = NOW, .updated_at = NOW};
	assert_int_equal(store_households_insert(f->db, &hh), DB_OK);
	return hh.id;
}

static int64_t add_resident(struct fixture *f, const char *name, int64_t household)
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

static int64_t add_resident_phone(struct fixture *f, const char *name, int64_t household,
                                  unsigned char fill)
{
	struct resident_row r;
	memset(&r, 0, sizeof r);
	r.region_code = GRID;
	r.household_id = household;
	r.name = name;
	r.residency = "registered";
	r.tags = "";
	r.status = "active";
	memset(r.phone_index, fill, SEAL_INDEX_LEN);
	r.has_phone_index = true;
	r.created_at = r.updated_at = NOW;
	assert_int_equal(store_residents_insert(f->db, &r), DB_OK);
	return r.id;
}

static void test_link(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t hh = add_household(f), hh2 = add_household(f);
	int64_t res = add_resident(f, "张三", hh);
	int64_t u = add_user(f->db, "zhangsan", false), v = add_user(f->db, "lisi", false);
	struct user_row got;
	assert_int_equal(store_users_get(f->db, &f->a, u, &got), DB_ROW);
	assert_int_equal(got.resident_id, 0);
	assert_int_equal(got.household_id, 0);
	assert_int_equal(store_user_resident_link(f->db, u, res, hh, NOW), DB_OK);
	assert_int_equal(store_users_get(f->db, &f->a, u, &got), DB_ROW);
	assert_int_equal(got.resident_id, res);
	assert_int_equal(got.household_id, hh);
	/* One account per resident. */
	assert_int_equal(store_user_resident_link(f->db, v, res, hh, NOW), DB_CONSTRAINT);
	assert_int_equal(store_user_resident_link(f->db, u + 100, res, hh, NOW), DB_DONE);
	/* The account follows the resident's household ... */
	int64_t lost = -1;
	assert_int_equal(store_user_resident_follow(f->db, res, true, hh2, &lost), DB_OK);
	assert_int_equal(lost, 0);
	int64_t rid, hid;
	assert_int_equal(store_user_resident_get(f->db, u, &rid, &hid), DB_ROW);
	assert_int_equal(rid, res);
	assert_int_equal(hid, hh2);
	/* ... and loses the link when the resident is no longer active. */
	assert_int_equal(store_user_resident_follow(f->db, res, false, hh2, &lost), DB_OK);
	assert_int_equal(lost, 1);
	assert_int_equal(store_user_resident_get(f->db, u, &rid, &hid), DB_ROW);
	assert_int_equal(rid, 0);
	assert_int_equal(hid, 0);
	/* Set again, then cleared by staff (resident 0 clears the household too). */
	assert_int_equal(store_user_resident_link(f->db, v, res, hh, NOW), DB_OK);
	assert_int_equal(store_user_resident_link(f->db, v, 0, hh, NOW), DB_OK);
	assert_int_equal(store_users_get(f->db, &f->a, v, &got), DB_ROW);
	assert_int_equal(got.resident_id, 0);
	assert_int_equal(got.household_id, 0);
	assert_int_equal(store_user_resident_get(f->db, v + 100, &rid, &hid), DB_DONE);
}

static void test_codes(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t hh = add_household(f), hh2 = add_household(f);
	int64_t res = add_resident_phone(f, "王五", hh, 0x11);
	add_resident_phone(f, "赵六", hh2, 0x22);
	unsigned char h1[SEAL_INDEX_LEN], h2[SEAL_INDEX_LEN], phone[SEAL_INDEX_LEN];
	memset(h1, 1, sizeof h1);
	memset(h2, 2, sizeof h2);
	memset(phone, 0x11, sizeof phone);
	int64_t id1, id2;
	assert_int_equal(
	    store_enrolment_codes_issue(f->db, h1, hh, GRID, 0, NOW, NOW + 86400, &id1), DB_OK);
	struct enrolment_code_row c;
	assert_int_equal(store_enrolment_codes_find(f->db, &f->a, h1, NOW, &c), DB_ROW);
	assert_int_equal(c.household_id, hh);
	assert_int_equal(c.uses, 0);
	/* Expired: not found. */
	assert_int_equal(store_enrolment_codes_find(f->db, &f->a, h1, NOW + 86400, &c), DB_DONE);
	/* A new code revokes the old. */
	assert_int_equal(
	    store_enrolment_codes_issue(f->db, h2, hh, GRID, 0, NOW, NOW + 86400, &id2), DB_OK);
	assert_int_equal(store_enrolment_codes_find(f->db, &f->a, h1, NOW, &c), DB_DONE);
	assert_int_equal(store_enrolment_codes_of_household(f->db, &f->a, hh, &c), DB_ROW);
	assert_int_equal(c.id, id2);
	/* The match: name and phone of an active member of that household, not yet enrolled. */
	int64_t rid;
	assert_int_equal(store_enrolment_match(f->db, hh, "王五", phone, &rid), DB_ROW);
	assert_int_equal(rid, res);
	assert_int_equal(store_enrolment_match(f->db, hh, "赵六", phone, &rid), DB_DONE);
	assert_int_equal(store_enrolment_match(f->db, hh2, "王五", phone, &rid), DB_DONE);
	memset(phone, 0x22, sizeof phone);
	assert_int_equal(store_enrolment_match(f->db, hh, "王五", phone, &rid), DB_DONE);
	memset(phone, 0x11, sizeof phone);
	int64_t u = add_user(f->db, "wangwu", false);
	assert_int_equal(store_user_resident_link(f->db, u, res, hh, NOW), DB_OK);
	assert_int_equal(store_enrolment_match(f->db, hh, "王五", phone, &rid), DB_DONE);
	assert_int_equal(store_enrolment_codes_used(f->db, id2), DB_OK);
	assert_int_equal(store_enrolment_codes_find(f->db, &f->a, h2, NOW, &c), DB_ROW);
	assert_int_equal(c.uses, 1);
	/* Revoked: not found; a second revoke finds nothing. */
	assert_int_equal(store_enrolment_codes_revoke(f->db, hh, 0, NOW), DB_OK);
	assert_int_equal(store_enrolment_codes_find(f->db, &f->a, h2, NOW, &c), DB_DONE);
	assert_int_equal(store_enrolment_codes_revoke(f->db, hh, 0, NOW), DB_DONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {T(test_link), T(test_codes)};
	return RUN(tests);
}
