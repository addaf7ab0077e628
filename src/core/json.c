/* jansson glue and a minimal escaping writer. */
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "core/timeutil.h"

#include <stdlib.h>
#include <string.h>

static void *json_xmalloc(size_t n)
{
	return xmalloc(n);
}

void json_setup(void)
{
	json_set_alloc_funcs(json_xmalloc, free);
}

void json_write_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	buf_reserve(b, strlen(s) + 2);
	buf_append(b, "\"", 1);
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t run = 0;
		while (p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
			run++;
		if (run) {
			buf_append(b, p, run);
			p += run;
			continue;
		}
		unsigned char c = *p;
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			buf_append(b, e, 2);
			p++;
		} else if (c < 0x20) {
			char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			buf_append(b, e, 6);
			p++;
		} else {
			size_t n = utf8_sequence_len(p);
			if (n) {
				buf_append(b, p, n);
				p += n;
			} else {
				buf_append(b, "\xEF\xBF\xBD", 3);
				p++;
			}
		}
	}
	buf_append(b, "\"", 1);
}

char *json_to_string(const json_t *j, size_t *len)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(10));
	if (!s)
		s = xstrdup("null");
	if (len)
		*len = strlen(s);
	return s;
}

void json_set_str(json_t *obj, const char *key, const char *val)
{
	json_object_set_new(obj, key, val ? json_string(val) : json_null());
}

void json_set_int(json_t *obj, const char *key, int64_t val)
{
	json_object_set_new(obj, key, json_integer(val));
}

void json_set_bool(json_t *obj, const char *key, bool val)
{
	json_object_set_new(obj, key, json_boolean(val));
}

void json_set_time(json_t *obj, const char *key, int64_t t)
{
	if (!t) {
		json_object_set_new(obj, key, json_null());
		return;
	}
	char s[TIME_RFC3339_LEN];
	time_format(t, s);
	json_object_set_new(obj, key, json_string(s));
}
