/* application/x-www-form-urlencoded bodies (Open311 posts): http_form for
 * several keys over an arbitrary body, compared with a simple reference
 * decoder. The body is not NUL-terminated, as it arrives from the network. */
#include "fuzz_common.h"

#include <stdbool.h>

#include "http/http.h"

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes [s, s+n) into out (n+1 bytes); returns the decoded length. */
static size_t ref_decode(const unsigned char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] == '+') {
			out[o++] = ' ';
			i++;
		} else if (s[i] == '%' && i + 3 <= n && hexval(s[i + 1]) >= 0 &&
		           hexval(s[i + 2]) >= 0) {
			out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 3;
		} else {
			out[o++] = (char)s[i++];
		}
	}
	out[o] = '\0';
	return o;
}

/* The first pair whose decoded key equals name exactly (a key holding a decoded NUL
 * names no field); its decoded value. */
static bool ref_form(const unsigned char *body, size_t size, const char *name, char *out)
{
	char *key = xmalloc(size + 1);
	size_t p = 0;
	bool found = false;
	while (p < size) {
		size_t fe = p;
		while (fe < size && body[fe] != '&')
			fe++;
		size_t eq = p;
		while (eq < fe && body[eq] != '=')
			eq++;
		size_t klen = ref_decode(body + p, eq - p, key);
		if (klen == strlen(name) && strcmp(key, name) == 0) {
			if (eq < fe)
				ref_decode(body + eq + 1, fe - eq - 1, out);
			else
				out[0] = '\0';
			found = true;
			break;
		}
		p = fe + 1;
	}
	free(key);
	return found;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	static const char *const names[] = {
	    "service_code", "description", "lat", "long", "a", "first name", "", "email", "x[0]"};
	/* An exact-size heap copy so reading past body_len is caught by ASan. */
	char *body = xmalloc(size ? size : 1);
	if (size)
		memcpy(body, data, size);
	struct http_req req;
	memset(&req, 0, sizeof req);
	arena_init(&req.arena);
	req.body = body;
	req.body_len = size;
	char *want = xmalloc(size + 1);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *got = http_form(&req, names[i]);
		bool found = ref_form((const unsigned char *)body, size, names[i], want);
		FUZZ_CHECK((got != NULL) == found, "key \"%s\": got %s, reference %s", names[i],
		           got ? "a value" : "NULL", found ? "a value" : "NULL");
		if (got) {
			FUZZ_CHECK(strlen(got) <= size, "value longer than the body");
			FUZZ_CHECK(strcmp(got, want) == 0, "key \"%s\": got \"%s\", want \"%s\"",
			           names[i], got, want);
		}
	}
	free(want);
	arena_free(&req.arena);
	free(body);
	return 0;
}
