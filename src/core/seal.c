/* The master key is derived into separate subkeys for encryption and for
 * blind indexes. It is process-wide state set once at start-up, before any
 * worker thread exists, and only read afterwards. */
#include "core/seal.h"
#include "core/mem.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned char enc_key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
static unsigned char index_key[crypto_generichash_KEYBYTES];
static unsigned char audit_key[32];
static unsigned char tag_key[crypto_generichash_KEYBYTES];
static bool have_key;
/* Without a key file (tests of pure parts), tags are keyed by process-random bytes made once. */
static pthread_once_t tag_once = PTHREAD_ONCE_INIT;

static void tag_key_random(void)
{
	if (!have_key)
		randombytes_buf(tag_key, sizeof tag_key);
}

void seal_set_key(const unsigned char key[32])
{
	crypto_kdf_derive_from_key(enc_key, sizeof enc_key, 1, "jicengPI", key);
	crypto_kdf_derive_from_key(index_key, sizeof index_key, 2, "jicengBI", key);
	crypto_kdf_derive_from_key(audit_key, sizeof audit_key, 3, "jicengAU", key);
	crypto_kdf_derive_from_key(tag_key, sizeof tag_key, 4, "jicengTG", key);
	have_key = true;
}

bool seal_load_key(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot read key file %s: %s", path, strerror(errno));
		return false;
	}
	/* A key others can read may already have been copied: refuse rather than quietly
	 * tighten it, so the operator learns of it (and can rotate) instead of never knowing. */
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(err, errlen, "key file %s is not a regular file", path);
		return false;
	}
	if (st.st_mode & 077) {
		close(fd);
		snprintf(err, errlen,
		         "key file %s has mode %04o: group and others must have no access "
		         "(chmod 600 %s; if others could read it, treat the key as exposed)",
		         path, (unsigned)(st.st_mode & 07777), path);
		return false;
	}
	unsigned char key[32];
	ssize_t n = read(fd, key, sizeof key);
	close(fd);
	if (n != (ssize_t)sizeof key) {
		snprintf(err, errlen, "key file %s must hold 32 bytes", path);
		return false;
	}
	seal_set_key(key);
	sodium_memzero(key, sizeof key);
	return true;
}

bool seal_ready(void)
{
	return have_key;
}

/* Decisions (docs/security.md): a value sealed without associated data opens wherever it is
 * stored, so someone who can write the database could move a ciphertext to another row and
 * have it shown as that row's. The _ad variants bind the value to its place; the plain ones
 * stay for the rows already written and their callers until those switch. */
bool seal_encrypt_ad(const void *plain, size_t n, const void *ad, size_t adlen, unsigned char **out,
                     size_t *outlen)
{
	if (!have_key)
		return false;
	size_t nb = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	size_t len = nb + n + crypto_aead_xchacha20poly1305_ietf_ABYTES;
	unsigned char *buf = xmalloc(len);
	randombytes_buf(buf, nb);
	unsigned long long clen;
	crypto_aead_xchacha20poly1305_ietf_encrypt(buf + nb, &clen, plain, n, ad, adlen, NULL, buf,
	                                           enc_key);
	*out = buf;
	*outlen = nb + (size_t)clen;
	return true;
}

bool seal_encrypt(const void *plain, size_t n, unsigned char **out, size_t *outlen)
{
	return seal_encrypt_ad(plain, n, NULL, 0, out, outlen);
}

char *seal_decrypt_ad(const void *sealed, size_t n, const void *ad, size_t adlen, bool legacy,
                      bool *was_legacy)
{
	size_t nb = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	if (was_legacy)
		*was_legacy = false;
	if (!have_key || n < nb + crypto_aead_xchacha20poly1305_ietf_ABYTES)
		return NULL;
	const unsigned char *s = sealed;
	char *plain = xmalloc(n);
	unsigned long long plen;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)plain, &plen, NULL, s + nb,
	                                               n - nb, ad, adlen, s, enc_key) == 0) {
		plain[plen] = '\0';
		return plain;
	}
	/* A value sealed with ad never opens without it, so the fallback only ever lets rows
	 * written before binding through. */
	if (legacy && adlen > 0 &&
	    crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)plain, &plen, NULL, s + nb,
	                                               n - nb, NULL, 0, s, enc_key) == 0) {
		plain[plen] = '\0';
		if (was_legacy)
			*was_legacy = true;
		return plain;
	}
	sodium_memzero(plain, n);
	free(plain);
	return NULL;
}

char *seal_decrypt(const void *sealed, size_t n)
{
	return seal_decrypt_ad(sealed, n, NULL, 0, false, NULL);
}

void seal_index(const char *domain, const char *s, unsigned char out[SEAL_INDEX_LEN])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, index_key, sizeof index_key, SEAL_INDEX_LEN);
	crypto_generichash_update(&st, (const unsigned char *)domain, strlen(domain) + 1);
	crypto_generichash_update(&st, (const unsigned char *)s, strlen(s));
	crypto_generichash_final(&st, out, SEAL_INDEX_LEN);
}

bool seal_audit_key(unsigned char out[32])
{
	if (!have_key)
		return false;
	memcpy(out, audit_key, sizeof audit_key);
	return true;
}

void seal_tag(const char *domain, const void *p, size_t n, unsigned char out[SEAL_TAG_LEN])
{
	pthread_once(&tag_once, tag_key_random);
	crypto_generichash_state st;
	unsigned char full[crypto_generichash_BYTES_MIN];
	crypto_generichash_init(&st, tag_key, sizeof tag_key, sizeof full);
	crypto_generichash_update(&st, (const unsigned char *)domain, strlen(domain) + 1);
	crypto_generichash_update(&st, p, n);
	crypto_generichash_final(&st, full, sizeof full);
	memcpy(out, full, SEAL_TAG_LEN);
}
