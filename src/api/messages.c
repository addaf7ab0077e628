/* The catalogue of problem details and its lookup (see api/messages.h). The entries are in
 * api/messages/, a file per capability, one entry a line in the format scripts/messages.mjs
 * reads and prints. */
#include "api/messages.h"
#include "api/messages/parts.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/text.h"
#include "http/http.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

enum { MAX_VALUES = 6, MAX_DEPTH = 3 };

/* ---- Accept-Language ---- */

/* A q value ("1", "0.8", "0.125") in thousandths; 1000 when malformed, as if absent. */
static int parse_q(const char *p, size_t n)
{
	if (n == 0 || (p[0] != '0' && p[0] != '1'))
		return 1000;
	int q = (p[0] - '0') * 1000;
	if (n > 1 && p[1] == '.') {
		int scale = 100;
		for (size_t i = 2; i < n && i < 5 && isdigit((unsigned char)p[i]); i++, scale /= 10)
			q += (p[i] - '0') * scale;
	}
	return q > 1000 ? 1000 : q;
}

/* True when the language range names lang ("en", "en-GB"; not "eng"). */
static bool range_is(const char *tag, size_t n, const char *lang)
{
	size_t l = strlen(lang);
	return n >= l && strncasecmp(tag, lang, l) == 0 && (n == l || tag[l] == '-');
}

bool msg_prefers_english(const char *h)
{
	if (!h)
		return false;
	int en = 0, zh = 0, en_pos = -1, zh_pos = -1, pos = 0;
	const char *p = h;
	while (*p) {
		const char *item = p;
		while (*p && *p != ',')
			p++;
		/* item .. p: "tag;q=0.8" with optional spaces */
		const char *end = p;
		if (*p)
			p++;
		while (item < end && (*item == ' ' || *item == '\t'))
			item++;
		const char *tag = item;
		while (item < end && *item != ';' && *item != ' ' && *item != '\t')
			item++;
		size_t tag_len = (size_t)(item - tag);
		if (tag_len == 0)
			continue;
		int q = 1000;
		const char *qp = NULL;
		for (const char *s = item; s + 2 < end; s++)
			if (*s == ';') {
				const char *t = s + 1;
				while (t < end && *t == ' ')
					t++;
				if (end - t > 2 && (t[0] == 'q' || t[0] == 'Q') && t[1] == '=')
					qp = t + 2;
			}
		if (qp) {
			size_t qn = 0;
			while (qp + qn < end && qp[qn] != ' ' && qp[qn] != ';')
				qn++;
			q = parse_q(qp, qn);
		}
		if (range_is(tag, tag_len, "en") && q > en) {
			en = q;
			if (en_pos < 0)
				en_pos = pos;
		} else if (range_is(tag, tag_len, "zh") && q > zh) {
			zh = q;
			if (zh_pos < 0)
				zh_pos = pos;
		}
		pos++;
	}
	/* Chinese first: English only when it is preferred outright or, at equal weight,
	 * named first. */
	return en > 0 && (en > zh || (en == zh && en_pos < zh_pos));
}

/* ---- matching a detail against an entry ---- */

struct values {
	const char *s[MAX_VALUES];
	size_t n[MAX_VALUES];
	int count;
};

/* The length of the printf conversion at p ("%s", "%lld", "%zu"), 0 when there is none;
 * *numeric tells whether it prints an integer. */
static size_t conversion(const char *p, bool *numeric)
{
	if (p[0] != '%' || p[1] == '%')
		return 0;
	size_t i = 1;
	while (p[i] && strchr("-+ #0123456789.", p[i]))
		i++;
	while (p[i] && strchr("hlLjzt", p[i]))
		i++;
	if (p[i] == 's')
		*numeric = false;
	else if (p[i] && strchr("diux", p[i]))
		*numeric = true;
	else
		return 0;
	return i + 1;
}

static size_t char_len(const char *t)
{
	size_t n = utf8_sequence_len((const unsigned char *)t);
	if (n == 0)
		return 1; /* not UTF-8: byte by byte */
	for (size_t i = 1; i < n; i++)
		if (!t[i])
			return i;
	return n;
}

/* Whether text t matches pattern p, the conversions taking the shortest values that let the
 * rest match; v collects them. */
static bool match(const char *p, const char *t, struct values *v)
{
	for (;;) {
		bool numeric = false;
		size_t k = conversion(p, &numeric);
		if (k) {
			if (v->count == MAX_VALUES || !*t)
				return false;
			int slot = v->count;
			for (const char *e = t; *e;) {
				if (numeric &&
				    !(isdigit((unsigned char)*e) || (e == t && *e == '-')))
					break;
				e += char_len(e);
				v->count = slot + 1;
				v->s[slot] = t;
				v->n[slot] = (size_t)(e - t);
				if (match(p + k, e, v))
					return true;
			}
			v->count = slot;
			return false;
		}
		if (p[0] == '%' && p[1] == '%') {
			if (*t != '%')
				return false;
			p += 2;
			t++;
			continue;
		}
		if (!*p)
			return !*t;
		if (*p != *t)
			return false;
		p++;
		t++;
	}
}

/* The bytes of zh outside its conversions: the more, the more specific the pattern. */
static size_t fixed_len(const char *zh, bool *has_conversion)
{
	size_t n = 0;
	*has_conversion = false;
	for (const char *p = zh; *p;) {
		bool numeric;
		size_t k = conversion(p, &numeric);
		if (k) {
			*has_conversion = true;
			p += k;
		} else {
			n++;
			p++;
		}
	}
	return n;
}

/* The parts in one list, and the patterns (entries with conversions) most specific first;
 * built once, on the first lookup (read-only after that, so threads share them). */
static const struct {
	const struct msg_entry *entries;
	const size_t *n;
} msg_parts[] = {
#define PART(name)                                                                                 \
	{                                                                                          \
		msg_catalogue_##name, &msg_ncatalogue_##name                                       \
	}
    PART(input),      PART(platform),     PART(base),     PART(cases),      PART(party),
    PART(evaluation), PART(deliberation), PART(services), PART(volunteers), PART(projects),
#undef PART
};
static const struct msg_entry **entries;
static size_t nentries, *patterns, npatterns;
static pthread_once_t catalogue_once = PTHREAD_ONCE_INIT;

static size_t pattern_fixed(size_t i)
{
	bool conv;
	return fixed_len(entries[i]->zh, &conv);
}

static void build_catalogue(void)
{
	size_t total = 0;
	for (size_t p = 0; p < sizeof msg_parts / sizeof msg_parts[0]; p++)
		total += *msg_parts[p].n;
	entries = xmalloc(sizeof *entries * (total + 1));
	for (size_t p = 0; p < sizeof msg_parts / sizeof msg_parts[0]; p++)
		for (size_t i = 0; i < *msg_parts[p].n; i++)
			entries[nentries++] = &msg_parts[p].entries[i];
	patterns = xmalloc(sizeof *patterns * (nentries + 1));
	for (size_t i = 0; i < nentries; i++) {
		bool conv;
		if (fixed_len(entries[i]->zh, &conv) > 0 && conv)
			patterns[npatterns++] = i;
	}
	/* insertion sort: a few dozen patterns, once */
	for (size_t i = 1; i < npatterns; i++) {
		size_t x = patterns[i], fx = pattern_fixed(x), j = i;
		while (j > 0 && pattern_fixed(patterns[j - 1]) < fx) {
			patterns[j] = patterns[j - 1];
			j--;
		}
		patterns[j] = x;
	}
}

size_t msg_catalogue_size(void)
{
	pthread_once(&catalogue_once, build_catalogue);
	return nentries;
}

const struct msg_entry *msg_catalogue_entry(size_t i)
{
	pthread_once(&catalogue_once, build_catalogue);
	return i < nentries ? entries[i] : NULL;
}

static bool has_chinese(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0xE3 && (unsigned char)s[i] <= 0xE9)
			return true; /* lead bytes of U+3000..U+9FFF */
	return false;
}

static const struct msg_entry *translate(struct arena *a, const char *text, bool english,
                                         const char **out, int depth);

/* A value filled into a detail, in English: a known noun, a nested detail, else as it is
 * (numbers, codes, names). */
static const char *value_en(struct arena *a, const char *s, size_t n, int depth)
{
	char *v = arena_strndup(a, s, n);
	for (size_t i = 0; i < msg_nnouns; i++)
		if (strcmp(msg_nouns[i].zh, v) == 0)
			return msg_nouns[i].en;
	const char *t;
	if (has_chinese(v, n) && depth < MAX_DEPTH && translate(a, v, true, &t, depth + 1))
		return t;
	return v;
}

/* en with {1}, {2}, ... replaced by the values in English. */
static const char *fill(struct arena *a, const char *en, const struct values *v, int depth)
{
	struct buf b;
	buf_init(&b);
	for (const char *p = en; *p; p++) {
		if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}') {
			int i = p[1] - '1';
			if (i < v->count)
				buf_puts(&b, value_en(a, v->s[i], v->n[i], depth));
			p += 2;
		} else {
			buf_append(&b, p, 1);
		}
	}
	size_t len;
	char *s = buf_detach(&b, &len);
	/* A sentence that starts with a value ("{1} not found") starts with a capital. */
	if (en[0] == '{' && len && islower((unsigned char)s[0]))
		s[0] = (char)toupper((unsigned char)s[0]);
	char *r = arena_strndup(a, s, len);
	free(s);
	return r;
}

static const struct msg_entry *translate(struct arena *a, const char *text, bool english,
                                         const char **out, int depth)
{
	*out = text;
	pthread_once(&catalogue_once, build_catalogue);
	for (size_t i = 0; i < nentries; i++)
		if (strcmp(entries[i]->zh, text) == 0) {
			bool conv;
			fixed_len(entries[i]->zh, &conv);
			if (conv)
				continue; /* a pattern; matched below */
			if (english)
				*out = entries[i]->en;
			return entries[i];
		}
	for (size_t k = 0; k < npatterns; k++) {
		const struct msg_entry *e = entries[patterns[k]];
		struct values v = {0};
		if (!match(e->zh, text, &v))
			continue;
		if (english)
			*out = fill(a, e->en, &v, depth);
		return e;
	}
	return NULL;
}

const struct msg_entry *msg_translate(struct arena *a, const char *text, bool english,
                                      const char **out)
{
	return translate(a, text, english, out, 0);
}

const char *api_localize(struct http_req *req, const char *text, const char **code)
{
	bool english = msg_prefers_english(http_header(req, "Accept-Language"));
	const char *out;
	const struct msg_entry *e = msg_translate(&req->arena, text, english, &out);
	*code = e ? e->code : NULL;
	return out;
}

void api_localize_body(struct http_req *req, json_t *body)
{
	const char *code, *detail = json_string_value(json_object_get(body, "detail"));
	if (detail) {
		const char *t = api_localize(req, detail, &code);
		json_set_str(body, "code", code ? code : http_status_code(422));
		if (t != detail)
			json_set_str(body, "detail", t);
	}
	size_t i;
	json_t *e;
	json_t *errors = json_object_get(body, "errors");
	json_array_foreach(errors, i, e)
	{
		const char *m = json_string_value(json_object_get(e, "message"));
		if (!m)
			continue;
		const char *t = api_localize(req, m, &code);
		if (t != m)
			json_set_str(e, "message", t);
	}
}
