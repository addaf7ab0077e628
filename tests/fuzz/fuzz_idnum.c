/* Citizen ID numbers (GB 11643) and unified social credit codes (GB 32100):
 * both validators on arbitrary text; whatever they accept must really be valid
 * by an independent reading of the standards, and re-deriving the check
 * character must give the one in the input. */
#include "fuzz_common.h"

#include <stdbool.h>

#include "domain/idnum.h"

static const char uscc_alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static bool ref_date_ok(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12 || d < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

static void check_citizen(const char *s)
{
	struct citizen_id c;
	memset(&c, 0, sizeof c);
	const char *why = citizen_id_problem(s, &c);
	if (why) {
		FUZZ_CHECK(!strcmp(why, "length") || !strcmp(why, "format") ||
		               !strcmp(why, "date") || !strcmp(why, "checksum"),
		           "unknown reason %s", why);
		if (strlen(s) != 18)
			FUZZ_CHECK(!strcmp(why, "length"), "%zu chars but reason %s", strlen(s),
			           why);
		return;
	}
	FUZZ_CHECK(strlen(s) == 18, "accepted %zu chars", strlen(s));
	for (int i = 0; i < 17; i++)
		FUZZ_CHECK(s[i] >= '0' && s[i] <= '9', "accepted non-digit at %d", i);
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (s[i] - '0') * w[i];
	char want = "10X98765432"[sum % 11];
	char last = s[17] == 'x' ? 'X' : s[17];
	FUZZ_CHECK(last == want, "accepted check %c, standard says %c", s[17], want);
	FUZZ_CHECK(citizen_id_check_char(s) == last, "citizen_id_check_char disagrees");
	int y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
	int m = (s[10] - '0') * 10 + (s[11] - '0');
	int d = (s[12] - '0') * 10 + (s[13] - '0');
	FUZZ_CHECK(c.year == y && c.month == m && c.day == d, "date fields wrong");
	FUZZ_CHECK(ref_date_ok(y, m, d), "accepted impossible date %04d-%02d-%02d", y, m, d);
	FUZZ_CHECK(c.gender == ((s[16] - '0') % 2 ? 'M' : 'F'), "gender %c", c.gender);
}

/* Any 17 digits, completed with their check character, fail only on the date. */
static void check_completed(const char *s)
{
	if (strlen(s) < 17)
		return;
	char id[19];
	for (int i = 0; i < 17; i++) {
		if (s[i] < '0' || s[i] > '9')
			return;
		id[i] = s[i];
	}
	id[17] = citizen_id_check_char(id);
	id[18] = '\0';
	const char *why = citizen_id_problem(id, NULL);
	FUZZ_CHECK(!why || !strcmp(why, "date"), "completed ID %s rejected: %s", id, why);
}

static void check_uscc(const char *s)
{
	const char *why = uscc_problem(s);
	if (why) {
		FUZZ_CHECK(!strcmp(why, "length") || !strcmp(why, "format") ||
		               !strcmp(why, "checksum"),
		           "unknown reason %s", why);
		return;
	}
	FUZZ_CHECK(strlen(s) == 18, "accepted %zu chars", strlen(s));
	static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
	int sum = 0;
	for (int i = 0; i < 18; i++) {
		const char *p = s[i] ? strchr(uscc_alpha, s[i]) : NULL;
		FUZZ_CHECK(p, "accepted character 0x%02x at %d", (unsigned char)s[i], i);
		if (i < 17)
			sum += (int)(p - uscc_alpha) * w[i];
	}
	int c = 31 - sum % 31;
	char want = uscc_alpha[c == 31 ? 0 : c];
	FUZZ_CHECK(s[17] == want, "accepted check %c, standard says %c", s[17], want);
	FUZZ_CHECK(uscc_check_char(s) == s[17], "uscc_check_char disagrees");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 256)
		return 0;
	char *s = fuzz_cstr(data, size);
	check_citizen(s);
	check_completed(s);
	check_uscc(s);
	free(s);
	return 0;
}
