/* Care targets (关爱对象): the kinds of people looked after, which of them are restricted
 * (the special-care groups of the resident tags), and when a visit is due. Days are local
 * day numbers (Asia/Shanghai, days from 1970-01-01; deadline_parse_date makes them). */
#ifndef JICENG_DOMAIN_CARE_H
#define JICENG_DOMAIN_CARE_H

#include <stdbool.h>
#include <stdint.h>

/* Days before the due day in which a target shows yellow (due soon). */
enum { CARE_SOON_DAYS = 7 };

enum care_alert { CARE_OK, CARE_DUE_SOON, CARE_OVERDUE };

/* A care kind is a resident tag that names people to look after (elderly_alone, disabled,
 * left_behind_child, …, and the special-care groups), by code or Chinese name; party
 * members and volunteers are no kind. Its code and name into *code / *name, whether it is
 * restricted into *restricted; false when it is no care kind. */
bool care_kind(const char *s, const char **code, const char **name, bool *restricted);

/* The local day of UTC seconds t. */
int64_t care_day_of(int64_t t);

/* The day a visit is next due: visit_every_days after the last visit, or after the plan's
 * start when there was none (last_visit_day 0). */
int64_t care_due_day(int64_t since_day, int64_t last_visit_day, int64_t every);

/* Red when the last visit (or the start) lies more than every days before as_of (the due
 * day is before as_of), yellow when it falls within CARE_SOON_DAYS from as_of on. */
enum care_alert care_alert_at(int64_t due_day, int64_t as_of_day);
const char *care_alert_code(enum care_alert a);

#endif
