/* Region codes: region_level_of on each part of the input, region_child_problem
 * and region_covers on pairs, and the grant checks built on them. The input is
 * split at '|' (or NUL) into child, parent and a third code. */
#include "fuzz_common.h"

#include <stdbool.h>

#include "domain/grant.h"
#include "domain/region.h"

static size_t level_len(enum region_level l)
{
	static const size_t len[] = {6, 9, 12, 15};
	return l >= REGION_DISTRICT && l <= REGION_GRID ? len[l] : 0;
}

static void check_level(const char *code)
{
	enum region_level l = region_level_of(code);
	if (l == REGION_NONE)
		return;
	FUZZ_CHECK(l >= REGION_DISTRICT && l <= REGION_GRID, "level %d", (int)l);
	size_t n = strlen(code);
	FUZZ_CHECK(n == level_len(l), "level %d for %zu chars", (int)l, n);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(code[i] >= '0' && code[i] <= '9', "non-digit accepted");
	size_t serial = l == REGION_DISTRICT ? 2 : 3;
	bool zero = true;
	for (size_t i = n - serial; i < n; i++)
		zero = zero && code[i] == '0';
	FUZZ_CHECK(!zero, "zero serial accepted: %s", code);
	if (l == REGION_DISTRICT)
		FUZZ_CHECK(!(code[0] == '0' && code[1] == '0'), "province 00 accepted: %s", code);
	FUZZ_CHECK(region_parent_len(l) == (l == REGION_DISTRICT ? 0 : (int)level_len(l - 1)),
	           "region_parent_len");
	enum region_level back;
	FUZZ_CHECK(region_level_parse(region_level_code(l), &back) && back == l, "level code");
}

static void check_pair(const char *child, const char *parent)
{
	const char *why = region_child_problem(child, parent);
	enum region_level cl = region_level_of(child), pl = region_level_of(parent);
	if (!why) {
		FUZZ_CHECK(cl != REGION_NONE, "invalid child accepted");
		if (cl == REGION_DISTRICT) {
			FUZZ_CHECK(!*parent, "district accepted with a parent");
		} else {
			FUZZ_CHECK(pl == cl - 1, "child level %d under parent level %d", (int)cl,
			           (int)pl);
			FUZZ_CHECK(region_covers(parent, child),
			           "accepted child not covered by parent");
			FUZZ_CHECK(!region_covers(child, parent), "child covers its parent");
		}
	} else {
		FUZZ_CHECK(!strcmp(why, "invalid_code") || !strcmp(why, "district_has_no_parent") ||
		               !strcmp(why, "parent_required") || !strcmp(why, "parent_level") ||
		               !strcmp(why, "parent_prefix"),
		           "unknown reason %s", why);
	}
	/* covers is a prefix relation: reflexive, and antisymmetric on distinct codes. */
	FUZZ_CHECK(region_covers(child, child), "not reflexive");
	if (region_covers(child, parent) && region_covers(parent, child))
		FUZZ_CHECK(!strcmp(child, parent), "covers both ways on distinct codes");
	if (cl != REGION_NONE && pl != REGION_NONE && region_covers(parent, child))
		FUZZ_CHECK(pl <= cl, "a deeper code covers a shallower one");
}

static void check_grants(const char *a, const char *b, const char *c)
{
	struct grant g[2];
	memset(g, 0, sizeof g);
	g[0].role = ROLE_GRID_WORKER;
	snprintf(g[0].region_code, sizeof g[0].region_code, "%s", a);
	g[1].role = ROLE_ADMIN;
	unsigned gw = ROLE_BIT(ROLE_GRID_WORKER);
	bool reach = grant_reaches(g, 1, gw, b);
	FUZZ_CHECK(reach == region_covers(g[0].region_code, b), "grant_reaches != region_covers");
	bool over = grant_overlaps(g, 1, gw, b);
	FUZZ_CHECK(over ==
	               (region_covers(g[0].region_code, b) || region_covers(b, g[0].region_code)),
	           "grant_overlaps");
	FUZZ_CHECK(!reach || over, "reaches but does not overlap");
	FUZZ_CHECK(!grant_reaches(g, 1, ROLES_MANAGERS, b), "role filter ignored");
	FUZZ_CHECK(grant_reaches(g, 2, ROLES_ANY, c), "admin does not reach %s", c);
	FUZZ_CHECK(grant_roles(g, 2) == (gw | ROLE_BIT(ROLE_ADMIN)), "grant_roles");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 512)
		return 0;
	char *s = fuzz_cstr(data, size);
	char *parts[3] = {s, (char *)"", (char *)""};
	int np = 1;
	for (char *p = s; *p && np < 3; p++)
		if (*p == '|') {
			*p = '\0';
			parts[np++] = p + 1;
		}
	for (int i = 0; i < 3; i++)
		check_level(parts[i]);
	check_level(NULL);
	check_pair(parts[0], parts[1]);
	check_pair(parts[1], parts[0]);
	check_pair(parts[0], parts[2]);
	check_grants(parts[1], parts[0], parts[2]);
	free(s);
	return 0;
}
