/* Base data rules (人、房、企): the code tables for residents, houses and
 * organisations, the field checks every entry path shares (the JSON API, CSV
 * and XLSX import, sweep visits), and how personal data is masked. Pure. */
#ifndef JICENG_DOMAIN_PERSON_H
#define JICENG_DOMAIN_PERSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/idnum.h"

/* One broken rule, named by field; codes are stable, messages are for people. */
struct field_error {
	const char *field, *code, *message;
};

enum { FIELD_ERRORS_MAX = 24 };

struct field_errors {
	struct field_error e[FIELD_ERRORS_MAX];
	int n;
};

void field_errors_add(struct field_errors *errs, const char *field, const char *code,
                      const char *message);

/* ---- code tables: code (stored and sent) and Chinese name ---- */

struct code_name {
	const char *code, *name;
};

enum residency { RESIDENCY_REGISTERED, RESIDENCY_FLOATING, RESIDENCY_FOREIGN, RESIDENCY_COUNT };
extern const struct code_name residency_codes[RESIDENCY_COUNT];

enum house_use {
	HOUSE_OWNER_OCCUPIED,
	HOUSE_RENTED,
	HOUSE_GROUP_RENTAL,
	HOUSE_SHORT_LET,
	HOUSE_BUSINESS,
	HOUSE_EMPTY,
	HOUSE_USE_COUNT
};
extern const struct code_name house_use_codes[HOUSE_USE_COUNT];

enum { RELATION_COUNT = 9, ORG_KIND_COUNT = 6, RESIDENT_STATUS_COUNT = 3 };
extern const struct code_name relation_codes[RELATION_COUNT];
extern const struct code_name org_kind_codes[ORG_KIND_COUNT];
extern const struct code_name resident_status_codes[RESIDENT_STATUS_COUNT];

/* Tags. The special-care groups (特殊人群, GB/T 31000) are restricted: stored
 * sealed and shown only to the roles that look after them. */
struct tag_def {
	const char *code, *name;
	bool restricted;
};
enum { TAG_COUNT = 15, TAGS_MAX = 16 };
extern const struct tag_def tag_defs[TAG_COUNT];

/* Index of code (or of its Chinese name) in a table of n; -1 when unknown. */
int code_lookup(const struct code_name *table, int n, const char *code);
int tag_lookup(const char *code);
/* Bits of tag_defs indices from a list separated by , ; 、 or spaces; false on an unknown tag
 * (its text copied into bad). */
bool tags_parse_list(const char *list, uint32_t *bits, char *bad, size_t badlen);
/* The comma-separated codes of the bits selected by restricted. */
void tags_format(uint32_t bits, bool restricted, char *out, size_t outlen);

/* ---- residents ---- */

/* A resident as it arrives, all text (absent = NULL). */
struct resident_fields {
	const char *name, *id_number, *phone, *residency, *relation, *status, *note;
	const char *tags; /* a list, see tags_parse_list */
};

struct resident_checked {
	struct citizen_id cid;
	bool has_id;
	enum residency residency;
	int relation; /* -1: none */
	int status;   /* index in resident_status_codes, -1: unchanged */
	uint32_t tags;
};

/* Checks a resident. creating: name and residency are required and so is id_number unless
 * the resident is foreign. Adds one error per broken field. */
void resident_check(const struct resident_fields *in, bool creating, struct resident_checked *out,
                    struct field_errors *errs);

/* A text field: valid UTF-8 without control characters, at most maxchars characters, and not
 * blank when required. Returns false (and records an error) when broken. */
bool text_field_check(const char *field, const char *s, bool required, size_t maxchars,
                      struct field_errors *errs);

/* ---- masking ---- */

/* "999***********123X": the first 3 and last 4 characters kept. */
void mask_id_number(const char *id, char *out, size_t outlen);
/* "138****5678": the first 3 and last 4 digits kept. */
void mask_phone(const char *phone, char *out, size_t outlen);
/* "张**": a person's name for a viewer who may not read the resident record — the first
 * character (the surname, as selection labels show it) and two stars whatever the length;
 * "**" for an empty or broken name. Cut to outlen, never within a character. */
void mask_name(const char *name, char *out, size_t outlen);
/* Normalises a citizen ID for storage and lookup: upper-case x, trimmed. */
void id_number_normalise(const char *in, char *out, size_t outlen);

/* The birth date as a masked answer shows it: "1987-**-**", the year only ("" when the year
 * is unknown, 0). Why the year and no more: a masked ID number shows 3 + 4 of its 18
 * characters (999***********123X), so the sequence and the check character are known and
 * what is hidden is the rest of the address code (3 digits) and the birth date (8 digits).
 * With the full birth date in clear, only the 3 address digits remain, and the check
 * character leaves about 1 in 11 of them: <= 91 candidates, which the ID-number lookup then
 * confirms one by one. With the year alone, the month and day come back: 1 000 x 365 / 11 ~=
 * 33 000 candidates when the address digits are unknown. The address is not always
 * unknown: someone registered where he was born has the county code of the district, and
 * then 365 / 11 ~= 33 remain. That last step is stopped not by the mask but by the lookup
 * itself: every lookup by ID number or phone is audited and limited per user (see
 * lookup_take), so trying even 33 candidates leaves a trail and takes a quarter of an hour;
 * a role that may reveal has no need to guess. Showing less of the ID number would need a
 * mask other than API.md's. */
void mask_birth_date(int year, char *out, size_t outlen);

/* ---- the lookup limit ---- */

/* A sliding-window limit: stamps holds the times (seconds, 0 = unused) of the last cap
 * events of one caller. Takes one event at now when fewer than cap happened in the last
 * window seconds (true), else leaves stamps as they are and sets *retry_after to the seconds
 * until the oldest of them leaves the window (false). Phones: a masked phone shows 7 of 11
 * digits (138****5678), so 10^4 lookups find the number; at 30 per 10 minutes that is more
 * than two days of lookups, every one of them in the audit log. */
bool lookup_take(int64_t *stamps, int cap, int64_t now, int64_t window, int64_t *retry_after);

/* ---- group-rental rectification (五个一批) ---- */

enum { RECTIFY_METHOD_COUNT = 5, RECTIFY_STATUS_COUNT = 4 };
extern const struct code_name rectify_method_codes[RECTIFY_METHOD_COUNT];
extern const struct code_name rectify_status_codes[RECTIFY_STATUS_COUNT];

enum rectify_status { RECTIFY_OPEN, RECTIFY_RECTIFYING, RECTIFY_RECTIFIED, RECTIFY_VERIFIED };
enum rectify_action {
	RECTIFY_START,
	RECTIFY_DONE,
	RECTIFY_VERIFY,
	RECTIFY_REJECT,
	RECTIFY_ACTIONS
};
extern const char *const rectify_action_codes[RECTIFY_ACTIONS];

/* The state an action leads to from status, or -1 when the action is not allowed there.
 * verify (the tick-off, 销号) only follows rectified; reject sends rectified back. */
int rectify_next(enum rectify_status status, enum rectify_action action);

/* A percentage with one decimal as tenths (rate_tenths(1, 3) = 333); 0 when den is 0. */
int64_t rate_tenths(int64_t num, int64_t den);

#endif
