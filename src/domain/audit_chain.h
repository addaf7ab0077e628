/* The audit chain: each entry's hash covers its fields and the previous
 * entry's hash, so an edited, removed or reordered entry breaks every hash
 * after it (等保 2.0: audit records protected from change or deletion). */
#ifndef JICENG_DOMAIN_AUDIT_CHAIN_H
#define JICENG_DOMAIN_AUDIT_CHAIN_H

#include <stdint.h>

enum { AUDIT_HASH_LEN = 32 };

struct audit_entry {
	int64_t id, at, user_id, result;
	const char *username, *action, *object, *ip, *detail;
};

/* hash = BLAKE2b-256(prev ‖ fields), fields length-prefixed so no two entries collide by
 * moving bytes between fields. */
void audit_chain_hash(const unsigned char prev[AUDIT_HASH_LEN], const struct audit_entry *e,
                      unsigned char out[AUDIT_HASH_LEN]);

#endif
