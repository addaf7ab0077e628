/* Code arithmetic only: the tree itself lives in the store. */
#include "domain/region.h"

#include <string.h>

static const int level_len[] = {6, 9, 12, 15};

enum region_level region_level_of(const char *code)
{
	if (!code)
		return REGION_NONE;
	size_t n = strlen(code);
	for (size_t i = 0; i < n; i++)
		if (code[i] < '0' || code[i] > '9')
			return REGION_NONE;
	for (int l = REGION_DISTRICT; l <= REGION_GRID; l++) {
		if ((int)n != level_len[l])
			continue;
		/* The last segment is a serial: all zeros would name the parent itself. */
		int seg = l == REGION_DISTRICT ? 6 : 3;
		bool zero = true;
		for (size_t i = n - (size_t)seg; i < n; i++)
			zero = zero && code[i] == '0';
		if (l == REGION_DISTRICT) {
			/* Province and county parts must be non-zero (GB/T 2260). */
			if (memcmp(code, "00", 2) == 0 || memcmp(code + 4, "00", 2) == 0)
				return REGION_NONE;
			return REGION_DISTRICT;
		}
		return zero ? REGION_NONE : (enum region_level)l;
	}
	return REGION_NONE;
}

const char *region_level_code(enum region_level l)
{
	static const char *codes[] = {"district", "street", "community", "grid"};
	return l >= REGION_DISTRICT && l <= REGION_GRID ? codes[l] : "";
}

const char *region_level_name_zh(enum region_level l)
{
	static const char *names[] = {"区", "街道", "社区", "网格"};
	return l >= REGION_DISTRICT && l <= REGION_GRID ? names[l] : "";
}

bool region_level_parse(const char *s, enum region_level *out)
{
	for (int l = REGION_DISTRICT; l <= REGION_GRID; l++)
		if (s && strcmp(s, region_level_code((enum region_level)l)) == 0) {
			*out = (enum region_level)l;
			return true;
		}
	return false;
}

int region_parent_len(enum region_level l)
{
	return l > REGION_DISTRICT && l <= REGION_GRID ? level_len[l - 1] : 0;
}

const char *region_child_problem(const char *child, const char *parent)
{
	enum region_level cl = region_level_of(child);
	if (cl == REGION_NONE)
		return "invalid_code";
	if (cl == REGION_DISTRICT)
		return parent && *parent ? "district_has_no_parent" : NULL;
	if (!parent || !*parent)
		return "parent_required";
	enum region_level pl = region_level_of(parent);
	if (pl != cl - 1)
		return "parent_level";
	if (strncmp(child, parent, strlen(parent)) != 0)
		return "parent_prefix";
	return NULL;
}

bool region_covers(const char *ancestor, const char *code)
{
	if (!ancestor || !code)
		return false;
	size_t a = strlen(ancestor), c = strlen(code);
	return a <= c && memcmp(ancestor, code, a) == 0;
}

bool region_households_valid(int64_t n)
{
	return n >= 0 && n <= 100000;
}
