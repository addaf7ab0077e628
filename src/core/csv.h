/* RFC 4180 CSV: a reader that yields one record at a time from a buffer
 * (quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM skipped), and a
 * writer that quotes fields when needed. */
#ifndef JICENG_CORE_CSV_H
#define JICENG_CORE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"

enum { CSV_MAX_FIELDS = 64 };

struct csv_reader {
	const char *p, *end;
	size_t line; /* 1-based line where the last record started */
};

void csv_reader_init(struct csv_reader *r, const char *data, size_t len);
/* Reads the next record into fields (arena copies, NUL-terminated).
 * Returns the field count, 0 at the end, -1 on an unterminated quote or too many fields. */
int csv_next(struct csv_reader *r, struct arena *a, const char **fields);
/* True when a spreadsheet opening the cell would read it as a formula or shift it into one
 * (OWASP CSV injection): it starts with = + - @, a TAB (0x09) or a CR (0x0D). The one place
 * this rule lives; every CSV writer goes through csv_field. */
bool csv_formula_risk(const char *s);
/* Appends one field, quoted when it holds a comma, quote, CR or LF, or when csv_formula_risk
 * says so, in which case it is prefixed by ' so a spreadsheet shows it as text. */
void csv_field(struct buf *b, const char *s, int last);
/* A cell read back from a file: the ' csv_field put before a risky value is dropped, so an
 * export imports as what was exported. Anything else is returned as is. */
const char *csv_unguard(const char *s);

#endif
