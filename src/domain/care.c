/* Care targets: kinds, restriction and due days (see care.h). */
#include "domain/care.h"
#include "domain/person.h"

#include <string.h>

bool care_kind(const char *s, const char **code, const char **name, bool *restricted)
{
	if (!s)
		return false;
	int t = tag_lookup(s);
	if (t < 0 || strcmp(tag_defs[t].code, "party_member") == 0 ||
	    strcmp(tag_defs[t].code, "volunteer") == 0)
		return false;
	*code = tag_defs[t].code;
	*name = tag_defs[t].name;
	*restricted = tag_defs[t].restricted;
	return true;
}

int64_t care_day_of(int64_t t)
{
	int64_t local = t + 8 * 3600;
	return local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
}

int64_t care_due_day(int64_t since_day, int64_t last_visit_day, int64_t every)
{
	int64_t base = last_visit_day > since_day ? last_visit_day : since_day;
	return base + every;
}

enum care_alert care_alert_at(int64_t due_day, int64_t as_of_day)
{
	if (due_day < as_of_day)
		return CARE_OVERDUE;
	if (due_day - as_of_day < CARE_SOON_DAYS)
		return CARE_DUE_SOON;
	return CARE_OK;
}

const char *care_alert_code(enum care_alert a)
{
	return a == CARE_OVERDUE ? "red" : a == CARE_DUE_SOON ? "yellow" : "none";
}
