/* Tables of codes indexed by an enum: the API's code (or Chinese name) of each value, in
 * the enum's order. Every such enum is parsed and printed the same way: a code that is not
 * in the table (or no code) parses to nothing, and a value out of range prints as "". */
#ifndef JICENG_DOMAIN_CODES_H
#define JICENG_DOMAIN_CODES_H

#include <stdbool.h>

/* The index of s in codes[0..n), or -1 when s is NULL or not there. */
int codes_find(const char *const *codes, int n, const char *s);

/* codes[i], or "" when i is not in [0, n). */
const char *codes_at(const char *const *codes, int n, int i);

/* Defines `bool NAME_parse(const char *s, TYPE *out)` (sets *out only on success) and
 * `const char *NAME_code(TYPE v)` over the table CODES of COUNT codes. */
#define CODES_PARSE_AND_CODE(NAME, TYPE, COUNT, CODES)                                             \
	bool NAME##_parse(const char *s, TYPE *out)                                                \
	{                                                                                          \
		int i = codes_find(CODES, COUNT, s);                                               \
		if (i >= 0)                                                                        \
			*out = (TYPE)i;                                                            \
		return i >= 0;                                                                     \
	}                                                                                          \
	const char *NAME##_code(TYPE v)                                                            \
	{                                                                                          \
		return codes_at(CODES, COUNT, (int)v);                                             \
	}

/* Defines `const char *NAME_name_zh(TYPE v)` over the table NAMES of COUNT names. */
#define CODES_NAME_ZH(NAME, TYPE, COUNT, NAMES)                                                    \
	const char *NAME##_name_zh(TYPE v)                                                         \
	{                                                                                          \
		return codes_at(NAMES, COUNT, (int)v);                                             \
	}

#endif
