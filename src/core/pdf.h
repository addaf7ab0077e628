/* A printable table as a real PDF (text, not a picture): a title and a subtitle, a header row
 * repeated on every page, rows whose cells wrap within their column, optional cell shading,
 * and a page footer "第 N 页 / 共 M 页". A4, portrait or landscape; the text is set with Pango in
 * Noto Sans CJK (the fonts-noto-cjk package), the glyphs used embedded as a subset, so Chinese
 * prints and can be searched and copied on any machine. */
#ifndef JICENG_CORE_PDF_H
#define JICENG_CORE_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { PDF_MAX_COLUMNS = 64, PDF_MAX_ROWS = 20000 };

struct pdf_table;

/* ncols headers (1..PDF_MAX_COLUMNS); widths are relative column widths (NULL: equal). NULL
 * when ncols is out of range or a text is not UTF-8. */
struct pdf_table *pdf_table_new(const char *title, const char *subtitle, int ncols,
                                const char *const *headers, const double *widths);
/* Lays the table on A4 landscape pages (portrait is the default). */
void pdf_table_landscape(struct pdf_table *t);
/* Appends a row of the table's ncols cells (a NULL cell is empty); shade, when not NULL, gives
 * each cell's background as 0xRRGGBB, or 0 for none. False past PDF_MAX_ROWS or on text that
 * is not UTF-8. */
bool pdf_table_row(struct pdf_table *t, const char *const *cells, const uint32_t *shade);
/* Lays the table out and writes it: *out malloc'd bytes, *len their size; every page ends
 * with "第 N 页 / 共 M 页". The table is freed either way. */
bool pdf_table_finish(struct pdf_table *t, char **out, size_t *len);
/* Abandons the table; NULL is fine. */
void pdf_table_free(struct pdf_table *t);

#endif
