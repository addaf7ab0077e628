/* GB 11643: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, check "10X98765432"[Σ mod 11].
 * GB 32100: alphabet without I O Z S V, weights 3^i mod 31, check 31 − Σ mod 31. */
#include "domain/idnum.h"

#include <string.h>

static const int id_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

char citizen_id_check_char(const char *first17)
{
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (first17[i] - '0') * id_weights[i];
	return "10X98765432"[sum % 11];
}

static bool leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

const char *citizen_id_problem(const char *id, struct citizen_id *out)
{
	if (!id || strlen(id) != 18)
		return "length";
	for (int i = 0; i < 17; i++)
		if (id[i] < '0' || id[i] > '9')
			return "format";
	char last = id[17] == 'x' ? 'X' : id[17];
	if (!((last >= '0' && last <= '9') || last == 'X'))
		return "format";
	int y = (id[6] - '0') * 1000 + (id[7] - '0') * 100 + (id[8] - '0') * 10 + (id[9] - '0');
	int m = (id[10] - '0') * 10 + (id[11] - '0');
	int d = (id[12] - '0') * 10 + (id[13] - '0');
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1850 || y > 2100 || m < 1 || m > 12 || d < 1)
		return "date";
	int maxd = mdays[m - 1] + (m == 2 && leap_year(y));
	if (d > maxd)
		return "date";
	if (citizen_id_check_char(id) != last)
		return "checksum";
	if (out) {
		out->year = y;
		out->month = m;
		out->day = d;
		out->gender = ((id[16] - '0') % 2) ? 'M' : 'F';
	}
	return NULL;
}

static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int uscc_weights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                     29, 25, 13, 8,  24, 10, 30, 28};

static int uscc_value(char c)
{
	const char *p = c ? strchr(uscc_alphabet, c) : NULL;
	return p ? (int)(p - uscc_alphabet) : -1;
}

char uscc_check_char(const char *first17)
{
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += uscc_value(first17[i]) * uscc_weights[i];
	int c = 31 - sum % 31;
	return uscc_alphabet[c == 31 ? 0 : c];
}

const char *uscc_problem(const char *code)
{
	if (!code || strlen(code) != 18)
		return "length";
	for (int i = 0; i < 18; i++)
		if (uscc_value(code[i]) < 0)
			return "format";
	return uscc_check_char(code) == code[17] ? NULL : "checksum";
}

const char *phone_problem(const char *phone)
{
	if (!phone)
		return "format";
	size_t n = strlen(phone), digits = 0;
	if (n == 11 && phone[0] == '1' && phone[1] >= '3' && phone[1] <= '9') {
		for (size_t i = 0; i < n; i++)
			if (phone[i] < '0' || phone[i] > '9')
				return "format";
		return NULL;
	}
	if (n < 7 || n > 20 || phone[0] == '-' || phone[n - 1] == '-')
		return "format";
	for (size_t i = 0; i < n; i++) {
		if (phone[i] >= '0' && phone[i] <= '9')
			digits++;
		else if (phone[i] != '-' || phone[i + 1] == '-')
			return "format";
	}
	return digits >= 7 ? NULL : "format";
}
