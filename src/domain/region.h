/* Region codes (统计用区划代码) and the rules of the administrative tree:
 * district 6 digits, street 9, community 12, grid 15; each code extends its parent's. */
#ifndef JICENG_DOMAIN_REGION_H
#define JICENG_DOMAIN_REGION_H

#include <stdbool.h>
#include <stdint.h>

enum region_level {
	REGION_NONE = -1,
	REGION_DISTRICT,
	REGION_STREET,
	REGION_COMMUNITY,
	REGION_GRID
};

enum { REGION_CODE_MAX = 15 };

/* Level of a syntactically valid code, or REGION_NONE (wrong length, non-digits, zero serial). */
enum region_level region_level_of(const char *code);
const char *region_level_code(enum region_level l);
const char *region_level_name_zh(enum region_level l);
bool region_level_parse(const char *s, enum region_level *out);
/* Why a child code does not fit under parent (NULL when it fits). */
const char *region_child_problem(const char *child, const char *parent);
/* Length of a parent code for a level (district has none: 0). */
int region_parent_len(enum region_level l);
/* True when ancestor is code itself or one of its ancestors (prefix over whole levels). */
bool region_covers(const char *ancestor, const char *code);
/* Planned household counts: the norm is 300–700 per grid; hard bounds reject nonsense. */
bool region_households_valid(int64_t n);

#endif
