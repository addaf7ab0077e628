/* Selections (评选): the arithmetic of votes over nominations (see selection.h). */
#include "domain/selection.h"

#include <stdio.h>
#include <string.h>

bool selection_mask_valid(int64_t mask, int noptions, int seats)
{
	if (mask <= 0 || noptions <= 0 || noptions > SELECTION_MAX_OPTIONS || seats <= 0)
		return false;
	if (noptions < 63 && (mask >> noptions) != 0)
		return false;
	int chosen = 0;
	for (int i = 0; i < noptions; i++)
		chosen += (int)((mask >> i) & 1);
	return chosen >= 1 && chosen <= seats;
}

void selection_tally(int64_t mask, int64_t weight, int64_t *counts, int noptions)
{
	for (int i = 0; i < noptions && i < SELECTION_MAX_OPTIONS; i++)
		if ((mask >> i) & 1)
			counts[i] += weight;
}

int selection_elect(const int64_t *counts, int n, int seats, enum selection_place *out, bool *tie)
{
	*tie = false;
	int elected = 0;
	for (int i = 0; i < n; i++) {
		/* Its rank: how many have more votes, how many as many (itself included). */
		int above = 0, same = 0;
		for (int j = 0; j < n; j++) {
			above += counts[j] > counts[i];
			same += counts[j] == counts[i];
		}
		if (counts[i] <= 0 || above >= seats)
			out[i] = SELECT_NOT;
		else if (above + same <= seats)
			out[i] = SELECT_ELECTED;
		else
			out[i] = SELECT_TIED;
		elected += out[i] == SELECT_ELECTED;
		*tie = *tie || out[i] == SELECT_TIED;
	}
	return elected;
}

const char *selection_place_code(enum selection_place p)
{
	return p == SELECT_ELECTED ? "elected" : p == SELECT_TIED ? "tied" : "";
}

/* The length of the UTF-8 character at s (0 when broken). */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = *s < 0x80             ? 1
	           : (*s & 0xe0) == 0xc0 ? 2
	           : (*s & 0xf0) == 0xe0 ? 3
	           : (*s & 0xf8) == 0xf0 ? 4
	                                 : 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

void selection_household_label(const char *building, const char *unit, const char *room,
                               const char *head_name, char *buf, size_t size)
{
	char surname[8] = "";
	if (head_name && *head_name) {
		size_t n = utf8_len((const unsigned char *)head_name);
		memcpy(surname, head_name, n);
		surname[n] = '\0';
	}
	static const char family[] = "\xe5\xae\xb6"; /* 家 */
	bool has_unit = unit && *unit, has_room = room && *room;
	snprintf(buf, size, "%s%s%s%s %s**%s", building ? building : "", has_unit ? unit : "",
	         has_unit && has_room ? "-" : "", has_room ? room : "", surname, family);
}
