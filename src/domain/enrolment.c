#include "domain/enrolment.h"

#include <string.h>

bool enrol_code_normalize(const char *typed, char *out, size_t outlen)
{
	size_t n = 0;
	if (!typed || outlen < ENROL_CODE_MAX + 1)
		return false;
	for (const char *p = typed; *p; p++) {
		char c = *p;
		if (c == ' ' || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!strchr(ENROL_ALPHABET, c) || n == ENROL_CODE_MAX)
			return false;
		out[n++] = c;
	}
	out[n] = 0;
	return n >= ENROL_CODE_MIN;
}
