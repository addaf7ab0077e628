/* Pure computation over an entry; storage and verification walk live in store/audit.c. */
#include "domain/audit_chain.h"

#include <sodium.h>
#include <string.h>

static void put_int(crypto_generichash_state *s, int64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)((uint64_t)v >> (8 * i));
	crypto_generichash_update(s, b, 8);
}

static void put_str(crypto_generichash_state *s, const char *str)
{
	size_t n = str ? strlen(str) : 0;
	put_int(s, str ? (int64_t)n : -1);
	if (n)
		crypto_generichash_update(s, (const unsigned char *)str, n);
}

void audit_chain_hash(const unsigned char key[AUDIT_KEY_LEN],
                      const unsigned char prev[AUDIT_HASH_LEN], const struct audit_entry *e,
                      unsigned char out[AUDIT_HASH_LEN])
{
	crypto_generichash_state s;
	crypto_generichash_init(&s, key, AUDIT_KEY_LEN, AUDIT_HASH_LEN);
	crypto_generichash_update(&s, prev, AUDIT_HASH_LEN);
	put_int(&s, e->id);
	put_int(&s, e->at);
	put_int(&s, e->user_id);
	put_int(&s, e->result);
	put_str(&s, e->username);
	put_str(&s, e->action);
	put_str(&s, e->object);
	put_str(&s, e->ip);
	put_str(&s, e->detail);
	crypto_generichash_final(&s, out, AUDIT_HASH_LEN);
}

void audit_head_mac(const unsigned char key[AUDIT_KEY_LEN], int64_t last_id,
                    const unsigned char hash[AUDIT_HASH_LEN], unsigned char out[AUDIT_HASH_LEN])
{
	crypto_generichash_state s;
	crypto_generichash_init(&s, key, AUDIT_KEY_LEN, AUDIT_HASH_LEN);
	crypto_generichash_update(&s, (const unsigned char *)"head", 4);
	put_int(&s, last_id);
	crypto_generichash_update(&s, hash, AUDIT_HASH_LEN);
	crypto_generichash_final(&s, out, AUDIT_HASH_LEN);
}
