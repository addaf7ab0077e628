/* Personal data at rest: authenticated encryption (XChaCha20-Poly1305) with the
 * key from the database's key file, and keyed hashes for blind indexes (exact
 * lookup of a value without storing it in clear). */
#ifndef JICENG_CORE_SEAL_H
#define JICENG_CORE_SEAL_H

#include <stdbool.h>
#include <stddef.h>

enum { SEAL_INDEX_LEN = 16 };

/* Loads the 32-byte master key from path (set once, before threads start). */
bool seal_load_key(const char *path, char *err, size_t errlen);
/* Uses a given key (tests). */
void seal_set_key(const unsigned char key[32]);
bool seal_ready(void);
/* Encrypts n bytes; *out is malloc'd (nonce ‖ ciphertext), *outlen set. */
bool seal_encrypt(const void *plain, size_t n, unsigned char **out, size_t *outlen);
/* Decrypts into a malloc'd NUL-terminated string; NULL when tampered or no key. */
char *seal_decrypt(const void *sealed, size_t n);
/* The same, bound to where the value lives: ad (e.g. "residents\0id_number\0" and the row's
 * id) is authenticated with it, so a ciphertext copied into another row or column no longer
 * opens. The format is that of seal_encrypt (nonce ‖ ciphertext). */
bool seal_encrypt_ad(const void *plain, size_t n, const void *ad, size_t adlen, unsigned char **out,
                     size_t *outlen);
/* Opens a value sealed with seal_encrypt_ad and the same ad. With legacy, a value sealed by
 * seal_encrypt (no ad) also opens, so stored rows keep working until they are rewritten;
 * *was_legacy (may be NULL) then says so, for the caller to re-seal it bound. */
char *seal_decrypt_ad(const void *sealed, size_t n, const void *ad, size_t adlen, bool legacy,
                      bool *was_legacy);
/* The key for the audit chain's MACs; false when no key is loaded. */
bool seal_audit_key(unsigned char out[32]);
/* A short keyed tag over n bytes in a domain ("cursor"), for values the server hands out
 * and must recognise when they come back. Keyed from the master key when one is loaded (so
 * every node agrees), else from a random key of this process. */
enum { SEAL_TAG_LEN = 9 };
void seal_tag(const char *domain, const void *p, size_t n, unsigned char out[SEAL_TAG_LEN]);
/* Keyed hash of s for exact-match lookup, in a domain ("id_number", "phone"). */
void seal_index(const char *domain, const char *s, unsigned char out[SEAL_INDEX_LEN]);

#endif
