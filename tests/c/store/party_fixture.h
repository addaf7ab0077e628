/* What the party store tests set up the same way: an organisation of the party tree
 * (store_party_orgs_insert), checked. It brings store_fixture.h. */
#ifndef JICENG_TEST_PARTY_FIXTURE_H
#define JICENG_TEST_PARTY_FIXTURE_H

#include "store_fixture.h"

#include "store/party/party.h"

static inline int64_t add_org(struct fixture *f, const char *name, enum party_kind kind,
                              int64_t parent, const char *region)
{
	struct party_org_row o = {.name = name,
	                          .kind = kind,
	                          .parent_id = parent,
	                          .region_code = region,
	                          .active = true,
	                          .created_at = NOW,
	                          .updated_at = NOW};
	assert_int_equal(store_party_orgs_insert(f->db, &o), DB_OK);
	assert_true(o.id > 0);
	return o.id;
}

#endif
