/* Volunteers' rules (志愿服务): places and the waiting list, check-in, hours and points. */
#include "domain/volunteer.h"

#include "domain/codes.h"

#include <ctype.h>
#include <string.h>

static const char *const status_codes[] = {"signed", "waiting", "cancelled"};

CODES_PARSE_AND_CODE(vol_status, enum vol_status, 3, status_codes)

enum vol_status vol_signup_place(int64_t signed_count, int64_t capacity)
{
	return signed_count < capacity ? VOL_SIGNED : VOL_WAITING;
}

static bool earlier(const struct vol_queued *a, const struct vol_queued *b)
{
	return a->created_at < b->created_at || (a->created_at == b->created_at && a->id < b->id);
}

size_t vol_promotions(const struct vol_queued *q, size_t n, int64_t signed_count, int64_t capacity,
                      size_t *out)
{
	size_t k = 0;
	while (signed_count + (int64_t)k < capacity) {
		/* the earliest waiting sign-up not picked yet */
		size_t best = n;
		for (size_t i = 0; i < n; i++) {
			if (q[i].status != VOL_WAITING)
				continue;
			bool taken = false;
			for (size_t j = 0; j < k && !taken; j++)
				taken = out[j] == i;
			if (!taken && (best == n || earlier(&q[i], &q[best])))
				best = i;
		}
		if (best == n)
			break;
		out[k++] = best;
	}
	return k;
}

bool vol_checkin_open(int64_t now, int64_t starts, int64_t ends)
{
	return now >= starts - VOL_CHECKIN_EARLY && now <= ends;
}

static const char code_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

void vol_checkin_code(const unsigned char rnd[VOL_CODE_LEN], char out[VOL_CODE_LEN + 1])
{
	for (int i = 0; i < VOL_CODE_LEN; i++)
		out[i] = code_alphabet[rnd[i] % (sizeof code_alphabet - 1)];
	out[VOL_CODE_LEN] = '\0';
}

bool vol_code_matches(const char *typed, const char *code)
{
	if (!typed || !code)
		return false;
	while (*typed == ' ')
		typed++;
	size_t n = strlen(code), m = strlen(typed);
	while (m > 0 && typed[m - 1] == ' ')
		m--;
	if (n == 0 || m != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (toupper((unsigned char)typed[i]) != toupper((unsigned char)code[i]))
			return false;
	return true;
}

bool vol_minutes_allowed(int64_t minutes, int64_t starts, int64_t ends)
{
	int64_t len = ends > starts ? (ends - starts + 59) / 60 : 0;
	if (len < 60)
		len = 60;
	return minutes >= 1 && minutes <= len;
}

int64_t vol_points_for(int64_t minutes)
{
	return minutes > 0 ? minutes * VOL_POINTS_PER_HOUR / 60 : 0;
}

bool vol_ledger_allows(int64_t balance, int64_t delta)
{
	if (delta >= 0)
		return balance >= 0 || balance + delta >= 0;
	return balance >= -delta;
}
