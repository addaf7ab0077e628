/* The text of a store/ query as PostgreSQL gets it (store/pg_sql.h). Pure string
 * work, unit-tested in tests/c/store/test_pg_sql.c. */
#include "store/pg_sql.h"
#include "core/mem.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct buf {
	char *p;
	size_t n, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		while (cap < b->n + n + 1)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

/* Drops each "/\*sqlite{*\/ … /\*}*\/" and unwraps each "/\*pg{ … }*\/" (store/dialect.h). */
char *pg_sql_dialect(const char *sql)
{
	static const char sq_open[] = "/*sqlite{*/", sq_close[] = "/*}*/";
	static const char pg_open[] = "/*pg{", pg_close[] = "}*/";
	struct buf b = {0};
	const char *p = sql;
	for (;;) {
		const char *s = strstr(p, sq_open), *g = strstr(p, pg_open);
		const char *next = s && (!g || s < g) ? s : g;
		if (!next) {
			buf_add(&b, p, strlen(p));
			break;
		}
		buf_add(&b, p, (size_t)(next - p));
		if (next == s) {
			const char *end = strstr(s, sq_close);
			if (!end)
				goto bad;
			p = end + sizeof sq_close - 1;
		} else {
			const char *end = strstr(g, pg_close);
			if (!end)
				goto bad;
			buf_add(&b, g + sizeof pg_open - 1,
			        (size_t)(end - g - (sizeof pg_open - 1)));
			p = end + sizeof pg_close - 1;
		}
	}
	return b.p ? b.p : xstrdup("");
bad:
	free(b.p);
	return NULL;
}

/* '?' → '$k' (one more than the highest so far, as SQLite numbers them) and '?N' → '$N',
 * outside string literals, quoted names and comments. *nparams gets the highest number. */
char *pg_sql_params(const char *sql, int *nparams)
{
	return pg_sql_params_typed(sql, nparams, NULL);
}

/* Whether p (just after a parameter) reads "IS NULL" or "IS NOT NULL". */
static bool tested_for_null(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t')
		p++;
	if (strncasecmp(p, "IS ", 3) != 0)
		return false;
	p += 3;
	while (*p == ' ')
		p++;
	if (strncasecmp(p, "NOT ", 4) == 0)
		p += 4;
	while (*p == ' ')
		p++;
	return strncasecmp(p, "NULL", 4) == 0;
}

char *pg_sql_params_typed(const char *sql, int *nparams, unsigned char *first_null_test)
{
	struct buf b = {0};
	int high = 0;
	for (const char *p = sql; *p;) {
		if (*p == '\'' || *p == '"') {
			char q = *p;
			const char *e = p + 1;
			while (*e && !(*e == q && e[1] != q))
				e += *e == q ? 2 : 1;
			if (*e)
				e++;
			buf_add(&b, p, (size_t)(e - p));
			p = e;
		} else if (p[0] == '-' && p[1] == '-') {
			const char *e = p + strcspn(p, "\n");
			buf_add(&b, p, (size_t)(e - p));
			p = e;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			e = e ? e + 2 : p + strlen(p);
			buf_add(&b, p, (size_t)(e - p));
			p = e;
		} else if (*p == '?') {
			int n = 0;
			const char *e = p + 1;
			while (isdigit((unsigned char)*e))
				n = n * 10 + (*e++ - '0');
			if (e == p + 1)
				n = high + 1;
			/* the first time this parameter appears, is it only tested for NULL? */
			if (first_null_test && n >= 1 && n <= PG_SQL_MAX_PARAMS &&
			    !first_null_test[n - 1])
				first_null_test[n - 1] = tested_for_null(e) ? 1 : 2;
			if (n > high)
				high = n;
			char num[16];
			int len = snprintf(num, sizeof num, "$%d", n);
			buf_add(&b, num, (size_t)len);
			p = e;
		} else {
			buf_add(&b, p, 1);
			p++;
		}
	}
	*nparams = high;
	return b.p ? b.p : xstrdup("");
}

/* The table of "INSERT INTO name…", or NULL when sql is no such INSERT. */
bool pg_sql_insert_table(const char *sql, char *name, size_t n)
{
	while (isspace((unsigned char)*sql))
		sql++;
	if (strncasecmp(sql, "INSERT INTO ", 12) != 0)
		return false;
	const char *t = sql + 12;
	while (isspace((unsigned char)*t))
		t++;
	size_t len = 0;
	while (t[len] && (isalnum((unsigned char)t[len]) || t[len] == '_'))
		len++;
	if (!len || len >= n)
		return false;
	memcpy(name, t, len);
	name[len] = '\0';
	return true;
}

/* Whether sql has word (upper case, as the queries write keywords) standing alone. */
bool pg_sql_has_word(const char *sql, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = sql; (p = strstr(p, word)); p += n)
		if ((p == sql || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[n]))
			return true;
	return false;
}
