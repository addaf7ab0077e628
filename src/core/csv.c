/* A field never spans records except inside quotes; the reader copies each
 * field into the arena so the caller owns plain C strings. */
#include "core/csv.h"

#include <string.h>

void csv_reader_init(struct csv_reader *r, const char *data, size_t len)
{
	r->p = data;
	r->end = data + len;
	r->line = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		r->p += 3;
}

int csv_next(struct csv_reader *r, struct arena *a, const char **fields)
{
	/* Skip blank lines between records. */
	while (r->p < r->end && (*r->p == '\n' || *r->p == '\r')) {
		if (*r->p == '\n')
			r->line++;
		r->p++;
	}
	if (r->p >= r->end)
		return 0;
	r->line++;
	int n = 0;
	struct buf f;
	buf_init(&f);
	for (;;) {
		if (n == CSV_MAX_FIELDS) {
			buf_free(&f);
			return -1;
		}
		f.len = 0;
		buf_reserve(&f, 0);
		f.data[0] = '\0';
		if (r->p < r->end && *r->p == '"') {
			r->p++;
			for (;;) {
				if (r->p >= r->end) {
					buf_free(&f);
					return -1;
				}
				if (*r->p == '"') {
					if (r->p + 1 < r->end && r->p[1] == '"') {
						buf_append(&f, "\"", 1);
						r->p += 2;
						continue;
					}
					r->p++;
					break;
				}
				if (*r->p == '\n')
					r->line++;
				buf_append(&f, r->p, 1);
				r->p++;
			}
			/* Text after the closing quote up to the separator is kept as is. */
			while (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r')
				buf_append(&f, r->p++, 1);
		} else {
			const char *s = r->p;
			while (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r')
				r->p++;
			buf_append(&f, s, (size_t)(r->p - s));
		}
		fields[n++] = arena_strndup(a, f.data, f.len);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == '\r')
			r->p++;
		if (r->p < r->end && *r->p == '\n')
			r->p++;
		break;
	}
	buf_free(&f);
	return n;
}

bool csv_formula_risk(const char *s)
{
	/* TAB and CR are in OWASP's list: some spreadsheet programs drop a leading one and then
	 * read what follows (=, +, -, @) as a formula. */
	return s && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
	             s[0] == '\r');
}

const char *csv_unguard(const char *s)
{
	if (s && s[0] == '\'' && csv_formula_risk(s + 1))
		return s + 1;
	return s;
}

void csv_field(struct buf *b, const char *s, int last)
{
	if (!s)
		s = "";
	bool formula = csv_formula_risk(s);
	if (strpbrk(s, ",\"\r\n") || formula) {
		buf_puts(b, "\"");
		if (formula)
			buf_puts(b, "'");
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				buf_puts(b, "\"\"");
			else
				buf_append(b, p, 1);
		}
		buf_puts(b, "\"");
	} else {
		buf_puts(b, s);
	}
	buf_puts(b, last ? "\r\n" : ",");
}
