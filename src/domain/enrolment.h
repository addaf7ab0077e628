/* Household codes (户码) as people type them: an alphabet without look-alikes (no 0/O, 1/I/L). */
#ifndef JICENG_DOMAIN_ENROLMENT_H
#define JICENG_DOMAIN_ENROLMENT_H

#include <stdbool.h>
#include <stddef.h>

#define ENROL_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
enum {
	ENROL_ALPHABET_LEN = sizeof ENROL_ALPHABET - 1,
	ENROL_CODE_LEN = 10, /* what is issued: 31^10, about 2^49.5 */
	ENROL_CODE_MIN = 8,  /* what is accepted */
	ENROL_CODE_MAX = 12,
	ENROL_VALID_DAYS = 30,
};

/* The code as typed (any case, spaces and hyphens anywhere) in canonical form into out (at
 * least ENROL_CODE_MAX + 1 bytes); false when it cannot be a code. */
bool enrol_code_normalize(const char *typed, char *out, size_t outlen);

#endif
