/* Validators for national identifiers: citizen ID numbers (GB 11643) and
 * unified social credit codes (GB 32100). Pure functions over strings. */
#ifndef JICENG_DOMAIN_IDNUM_H
#define JICENG_DOMAIN_IDNUM_H

#include <stdbool.h>

struct citizen_id {
	int year, month, day;
	char gender; /* 'M' (odd sequence) or 'F' */
};

/* NULL when valid (and *out filled), else "length", "format", "date" or "checksum". */
const char *citizen_id_problem(const char *id, struct citizen_id *out);
/* The check character for the first 17 digits. */
char citizen_id_check_char(const char *first17);
/* NULL when valid, else "length", "format" or "checksum". */
const char *uscc_problem(const char *code);
char uscc_check_char(const char *first17);
/* Phone numbers: an 11-digit mobile (1[3-9]…) or a landline of 7–20 digits with optional
 * '-' separators and a leading area code. NULL when valid, else "format". */
const char *phone_problem(const char *phone);

#endif
