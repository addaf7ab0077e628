/* The streaming JSON writer (see jsonw.h). */
#include "core/jsonw.h"
#include "core/json.h"
#include "core/text.h"
#include "core/timeutil.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends n bytes: the common case (room left) without a call into buf.c. */
static inline void put(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		buf_append(b, p, n);
		return;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void jw_init(struct jw *w, struct buf *b)
{
	memset(w, 0, sizeof *w);
	w->b = b;
}

/* Before a value or a key: the comma that separates it from the one before. */
static void sep(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth > 0) {
		/* Deeper than JW_MAX_DEPTH (never, in the service) shares the last slot. */
		int d = w->depth <= JW_MAX_DEPTH ? w->depth - 1 : JW_MAX_DEPTH - 1;
		if (w->has_items[d])
			put(w->b, ",", 1);
		w->has_items[d] = true;
	}
}

static void jw_open(struct jw *w, char c)
{
	sep(w);
	put(w->b, &c, 1);
	if (w->depth < JW_MAX_DEPTH)
		w->has_items[w->depth] = false;
	w->depth++;
}

static void jw_close(struct jw *w, char c)
{
	if (w->depth > 0)
		w->depth--;
	put(w->b, &c, 1);
}

void jw_obj(struct jw *w)
{
	jw_open(w, '{');
}

void jw_obj_end(struct jw *w)
{
	jw_close(w, '}');
}

void jw_arr(struct jw *w)
{
	jw_open(w, '[');
}

void jw_arr_end(struct jw *w)
{
	jw_close(w, ']');
}

/* s as a JSON string literal, escaped as jansson escapes it. Runs of bytes that need no
 * escape (printable ASCII and whole UTF-8 sequences: Chinese text is most of a case) are
 * copied at once. */
static void write_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF"; /* jansson writes \u001F */
	put(b, "\"", 1);
	const unsigned char *p = (const unsigned char *)s;
	for (;;) {
		size_t run = 0;
		for (;;) {
			unsigned char c = p[run];
			if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
				run++;
			} else if (c >= 0x80) {
				size_t n = utf8_sequence_len(p + run);
				if (!n)
					break;
				run += n;
			} else {
				break;
			}
		}
		if (run) {
			put(b, p, run);
			p += run;
		}
		unsigned char c = *p;
		if (!c)
			break;
		const char *short_escape = c == '"'    ? "\\\""
		                           : c == '\\' ? "\\\\"
		                           : c == '\b' ? "\\b"
		                           : c == '\f' ? "\\f"
		                           : c == '\n' ? "\\n"
		                           : c == '\r' ? "\\r"
		                           : c == '\t' ? "\\t"
		                                       : NULL;
		if (short_escape) {
			put(b, short_escape, 2);
		} else if (c < 0x20) {
			char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			put(b, e, 6);
		} else {
			put(b, "\xEF\xBF\xBD", 3); /* not UTF-8: U+FFFD */
		}
		p++;
	}
	put(b, "\"", 1);
}

void jw_key(struct jw *w, const char *key)
{
	sep(w);
	write_string(w->b, key);
	put(w->b, ":", 1);
	w->after_key = true;
}

void jw_str(struct jw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	sep(w);
	write_string(w->b, s);
}

void jw_int(struct jw *w, int64_t v)
{
	char s[24];
	int n = snprintf(s, sizeof s, "%" PRId64, v);
	sep(w);
	put(w->b, s, (size_t)n);
}

void jw_bool(struct jw *w, bool v)
{
	sep(w);
	if (v)
		put(w->b, "true", 4);
	else
		put(w->b, "false", 5);
}

void jw_null(struct jw *w)
{
	sep(w);
	put(w->b, "null", 4);
}

/* "%.10g" without printf for the reals a case holds (lat/lon: 1 ≤ |v| < 1e9 with a few
 * decimals): the ten significant digits come from one scaled product, taken only when it is
 * within 0.01 of an integer — its error is under 1.2e-6, so that integer is the correctly
 * rounded one. Anything else (ties near .5, other magnitudes) goes through snprintf. */
static bool real_fast(double v, char *out, size_t *len)
{
	static const double pow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
	double a = fabs(v);
	if (!(a >= 1.0 && a < 1e9))
		return false;
	int ip = 1; /* digits before the point */
	while (a >= pow10[ip])
		ip++;
	int dec = 10 - ip;
	double x = a * pow10[dec];
	double k = nearbyint(x);
	if (fabs(x - k) > 0.01 || k >= 1e10)
		return false;
	uint64_t m = (uint64_t)k, scale = (uint64_t)pow10[dec];
	uint64_t ipart = m / scale, frac = m % scale;
	while (dec > 0 && frac % 10 == 0) {
		frac /= 10;
		dec--;
	}
	int n = 0;
	if (v < 0)
		out[n++] = '-';
	char digits[12];
	int nd = 0;
	do {
		digits[nd++] = (char)('0' + ipart % 10);
		ipart /= 10;
	} while (ipart);
	while (nd)
		out[n++] = digits[--nd];
	if (dec == 0) {
		memcpy(out + n, ".0", 3);
		n += 2;
	} else {
		out[n++] = '.';
		for (int i = dec - 1; i >= 0; i--) {
			out[n + i] = (char)('0' + frac % 10);
			frac /= 10;
		}
		n += dec;
		out[n] = '\0';
	}
	*len = (size_t)n;
	return true;
}

void jw_real(struct jw *w, double v)
{
	if (!isfinite(v)) {
		jw_null(w);
		return;
	}
	/* jansson's jsonp_dtostr with JSON_REAL_PRECISION(10): "%.10g", ".0" when the text has
	 * neither '.' nor 'e', and an exponent without '+' or leading zeros. The decimal point
	 * is the C locale's (the service never changes LC_NUMERIC). */
	char s[40];
	size_t fast_len;
	if (real_fast(v, s, &fast_len)) {
		sep(w);
		put(w->b, s, fast_len);
		return;
	}
	int n = snprintf(s, sizeof s, "%.10g", v);
	if (n < 0 || (size_t)n >= sizeof s - 3) {
		jw_null(w);
		return;
	}
	size_t len = (size_t)n;
	if (!strchr(s, '.') && !strchr(s, 'e')) {
		memcpy(s + len, ".0", 3);
		len += 2;
	}
	char *e = strchr(s, 'e');
	if (e) {
		char *start = e + 1, *end = start + 1;
		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		if (end != start) {
			memmove(start, end, len - (size_t)(end - s) + 1);
			len -= (size_t)(end - start);
		}
	}
	sep(w);
	put(w->b, s, len);
}

void jw_time(struct jw *w, int64_t t)
{
	if (!t) {
		jw_null(w);
		return;
	}
	char s[TIME_RFC3339_LEN];
	time_format(t, s);
	jw_str(w, s);
}

void jw_json(struct jw *w, const json_t *j)
{
	if (!j) {
		jw_null(w);
		return;
	}
	size_t n;
	char *s = json_to_string(j, &n);
	sep(w);
	put(w->b, s, n);
	free(s);
}

void jw_kstr(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_str(w, s);
}

void jw_kint(struct jw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	jw_int(w, v);
}

void jw_kbool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_bool(w, v);
}

void jw_knull(struct jw *w, const char *key)
{
	jw_key(w, key);
	jw_null(w);
}

void jw_ktime(struct jw *w, const char *key, int64_t t)
{
	jw_key(w, key);
	jw_time(w, t);
}
