/* application/x-www-form-urlencoded bodies (Open311 posts), decoded on demand. */
#include "core/text.h"
#include "http/http.h"

#include <stdbool.h>
#include <string.h>

/* Decodes [s, e) into the arena: '+' is a space, %XX a byte; a broken escape stays as is. */
static char *form_decode(struct arena *a, const char *s, const char *e, size_t *len)
{
	char *out = arena_alloc(a, (size_t)(e - s) + 1), *o = out;
	while (s < e) {
		if (*s == '+') {
			*o++ = ' ';
			s++;
		} else if (*s == '%' && e - s >= 3 && text_hex_value(s[1]) >= 0 &&
		           text_hex_value(s[2]) >= 0) {
			*o++ = (char)(text_hex_value(s[1]) * 16 + text_hex_value(s[2]));
			s += 3;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	if (len)
		*len = (size_t)(o - out);
	return out;
}

const char *http_form(struct http_req *req, const char *name)
{
	if (!req->body)
		return NULL;
	const char *p = req->body, *end = req->body + req->body_len;
	size_t nlen = strlen(name);
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *fe = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(fe - p));
		const char *ke = eq ? eq : fe;
		size_t klen;
		char *key = form_decode(&req->arena, p, ke, &klen);
		/* A key with an encoded NUL (%00) names no field. */
		if (klen == nlen && strlen(key) == nlen && memcmp(key, name, nlen) == 0)
			return eq ? form_decode(&req->arena, eq + 1, fe, NULL) : "";
		p = fe + 1;
	}
	return NULL;
}
