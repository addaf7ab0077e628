/* Characters are counted as code points so Chinese passphrases count fairly. */
#include "domain/password.h"
#include "core/text.h"

#include <string.h>

const char *password_problem(const char *pw)
{
	if (strlen(pw) > PASSWORD_MAX_BYTES)
		return "too_long";
	if (text_chars(pw) < PASSWORD_MIN_CHARS)
		return "too_short";
	int lower = 0, upper = 0, digit = 0, other = 0;
	for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
		if (*p >= 'a' && *p <= 'z')
			lower = 1;
		else if (*p >= 'A' && *p <= 'Z')
			upper = 1;
		else if (*p >= '0' && *p <= '9')
			digit = 1;
		else
			other = 1;
	}
	return lower + upper + digit + other >= 3 ? NULL : "too_simple";
}

const char *password_problem_zh(const char *code)
{
	if (!code)
		return "";
	if (strcmp(code, "too_long") == 0)
		return "密码过长（最多 256 字节）";
	if (strcmp(code, "too_short") == 0)
		return "密码至少 10 个字符";
	return "密码须包含大写字母、小写字母、数字、符号中的至少三类";
}
