/* Password policy (等保 2.0 complex passwords): ≥ 10 characters with 3 of the
 * 4 classes lower, upper, digit, other. */
#ifndef JICENG_DOMAIN_PASSWORD_H
#define JICENG_DOMAIN_PASSWORD_H

enum { PASSWORD_MIN_CHARS = 10, PASSWORD_MAX_BYTES = 256 };

/* NULL when acceptable, else a reason code: "too_short", "too_long", "too_simple". */
const char *password_problem(const char *pw);
const char *password_problem_zh(const char *code);

#endif
