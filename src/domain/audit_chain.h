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

enum { AUDIT_KEY_LEN = 32 };

/* hash = BLAKE2b-256 keyed with key over prev ‖ fields, fields length-prefixed so no two
 * entries collide by moving bytes between fields. The key (from the key file, never in the
 * database) means someone who can write the database cannot re-chain edited entries. */
void audit_chain_hash(const unsigned char key[AUDIT_KEY_LEN],
                      const unsigned char prev[AUDIT_HASH_LEN], const struct audit_entry *e,
                      unsigned char out[AUDIT_HASH_LEN]);
/* The MAC of the chain's head (the last id and its hash), stored beside the chain so that
 * entries removed from the end are found too. */
void audit_head_mac(const unsigned char key[AUDIT_KEY_LEN], int64_t last_id,
                    const unsigned char hash[AUDIT_HASH_LEN], unsigned char out[AUDIT_HASH_LEN]);

#endif
