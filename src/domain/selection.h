/* Selections (评选: 最美家庭, 文明楼栋) as pure arithmetic: a vote of a selection chooses up to
 * `seats` of the ballot's options (the accepted nominations) and is kept as a bit mask (bit i:
 * option i); the count per option; who is elected — the top `seats` by votes, where nominees
 * tied at the last place are all reported as tied and none of them elected (a tie is never
 * broken silently), and a nominee without a vote is never elected; and the public label of a
 * nominated household ("3栋201 张**家": the masked surname of its head). */
#ifndef JICENG_DOMAIN_SELECTION_H
#define JICENG_DOMAIN_SELECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SELECTION_MAX_SEATS   30
#define SELECTION_MAX_OPTIONS 60

enum selection_place { SELECT_NOT, SELECT_ELECTED, SELECT_TIED };

/* Whether mask chooses 1 … seats of noptions options and nothing else. */
bool selection_mask_valid(int64_t mask, int noptions, int seats);
/* Adds `weight` votes of `mask` to counts[0..noptions). */
void selection_tally(int64_t mask, int64_t weight, int64_t *counts, int noptions);
/* The place of every option into out[0..n); returns the number elected. *tie says whether
 * some options are tied at the last place (then fewer than seats are elected). */
int selection_elect(const int64_t *counts, int n, int seats, enum selection_place *out, bool *tie);
const char *selection_place_code(enum selection_place p);

/* The public label of a household: "<building><unit>-<room> <surname>**家" (the unit and room
 * part left out when empty, the surname — the first character of the head's name — left out
 * when none); at most size bytes with its NUL. */
void selection_household_label(const char *building, const char *unit, const char *room,
                               const char *head_name, char *buf, size_t size);

#endif
