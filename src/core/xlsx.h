/* XLSX (Office Open XML spreadsheet) import and export for base data: a streaming reader
 * of a workbook's first sheet (libzip + expat) and a writer of text-only one-sheet
 * workbooks (libxlsxwriter). Cell text is UTF-8 both ways; Excel's _xHHHH_ escapes are
 * decoded on reading and used on writing, so any UTF-8 text round-trips exactly. */
#ifndef JICENG_CORE_XLSX_H
#define JICENG_CORE_XLSX_H

#include <stdbool.h>
#include <stddef.h>

enum {
	XLSX_MAX_COLUMNS = 64,       /* columns A..BL; a value further right is an error */
	XLSX_MAX_ROWS = 1048576,     /* Excel's limit */
	XLSX_MAX_CELL_BYTES = 262144 /* one cell's text (Excel allows 32767 characters) */
};

/* Reading: the first worksheet of a workbook held in memory, one row at a time.
 * cells[i] is column i (A = 0); the pointers are valid only during the call. */
typedef int (*xlsx_row_fn)(void *ctx, size_t row_number /* 1-based sheet row */, const char **cells,
                           int ncells);

/* Calls fn for every non-empty row in sheet order. Cells are NUL-terminated UTF-8: shared
 * strings (rich-text runs joined, phonetic runs left out), inline strings, numbers as their
 * text, booleans as "TRUE"/"FALSE", errors as "#N/A" etc., dates as the serial number text,
 * formulas as their cached result. Gaps between referenced cells (r="C5") are filled with ""
 * and trailing empty cells are dropped, so 1 <= ncells <= XLSX_MAX_COLUMNS and
 * cells[ncells - 1] is not empty. fn returning non-zero stops the walk.
 * Returns 0 after the last row, 1 when fn stopped the walk, and -1 on a broken, hostile or
 * unsupported file (not a zip, .xls, no sheet, malformed XML, a DOCTYPE, a value right of
 * column XLSX_MAX_COLUMNS, over 512 MiB unpacked, ...) with a one-line Chinese reason in
 * err (err may be NULL). Rows before the error have been passed to fn. */
int xlsx_read(const void *data, size_t len, xlsx_row_fn fn, void *ctx, char *err, size_t errlen);

/* Writing: rows of text cells into a one-sheet workbook, returned as bytes. Every cell is a
 * text cell (never a number or a formula, so "0371…", "99010519491231002X" and "=1+2" stay
 * as they are); the first row is the header (bold, frozen); column widths follow the text.
 * The workbook is built in a private temporary file under $TMPDIR (or /tmp). */
struct xlsx_writer;

/* sheet_name: 1 to 31 characters, none of []:*?/\ ; NULL gives "Sheet1".
 * NULL on an invalid name or when the temporary file cannot be made. */
struct xlsx_writer *xlsx_writer_new(const char *sheet_name);
/* Appends one row of ncells (0..XLSX_MAX_COLUMNS) cells; a NULL or "" cell is left empty.
 * False when a cell is not valid UTF-8 or longer than Excel allows, past XLSX_MAX_ROWS, or
 * after an earlier failure (which makes finishing fail too). */
bool xlsx_writer_row(struct xlsx_writer *w, const char *const *cells, int ncells);
/* Finishes the workbook; *out is malloc'd bytes, *outlen its size; the writer is freed either
 * way (and its temporary file removed). */
bool xlsx_writer_finish(struct xlsx_writer *w, char **out, size_t *outlen);
/* Finishes the workbook into an open descriptor (positioned at 0, its name already gone)
 * and its size, for sending from disk; the caller closes it. Freed either way. */
bool xlsx_writer_finish_fd(struct xlsx_writer *w, int *fd, size_t *len);
/* Abandons the workbook without finishing it; NULL is fine. */
void xlsx_writer_free(struct xlsx_writer *w);

#endif
