/* Text checks for outside input: UTF-8 validity, lengths in characters, digits. */
#ifndef JICENG_CORE_TEXT_H
#define JICENG_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the valid UTF-8 sequence at p (1–4), or 0 when it is not valid. */
size_t utf8_sequence_len(const unsigned char *p);
/* True when s is valid UTF-8 without control characters other than \t \n \r. */
bool text_valid_utf8(const char *s);
/* Number of code points in valid UTF-8 s. */
size_t text_chars(const char *s);
bool text_all_digits(const char *s, size_t len);
/* The value of the n ASCII digits at s in *out; false when one of them is not a digit. */
bool text_digits_value(const char *s, int n, int *out);
/* The value of hexadecimal digit c (either case), or -1. */
int text_hex_value(int c);
/* Trims ASCII whitespace in place and returns s. */
char *text_trim(char *s);

#endif
