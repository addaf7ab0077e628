/* Spreadsheet exports shared by the handlers that offer them (base data, the party member
 * roster): rows go a chunk at a time into a CSV spool (UTF-8 with a BOM) or an XLSX
 * workbook, both built in a nameless temporary file and sent from it, never held in
 * memory; format=csv|xlsx is read the same way everywhere. */
#ifndef JICENG_API_EXPORT_H
#define JICENG_API_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/api.h"
#include "core/spool.h"

struct xlsx_writer;

/* Where an export's rows go: a CSV spool or a workbook. */
struct sink {
	struct spool csv;
	struct xlsx_writer *xlsx;
	bool failed;
	int64_t rows; /* counted by the caller: data rows, not the header */
};

/* Opens a CSV spool (with a BOM, so spreadsheet programs read UTF-8) or a workbook whose one
 * sheet is called sheet_name. False when no temporary file could be made. */
bool sink_start(struct sink *s, const char *sheet_name, bool xlsx);
/* Appends a row of n cells; a NULL cell is empty. A failure is kept in s->failed. */
void sink_row(struct sink *s, const char *const *cells, int n);
/* The header row: n column titles. */
void sink_header(struct sink *s, const char *const *titles, int n);
/* The finished file as an open descriptor at its start (the caller closes it, or hands it to
 * export_send_file) and its size; the sink is spent either way. */
bool sink_finish(struct sink *s, int *fd, size_t *len);
/* Drops an unfinished sink. */
void sink_free(struct sink *s);

/* Responds 200 with the file as an attachment named name.csv or name.xlsx. */
void export_send_file(struct http_req *req, int fd, size_t len, bool xlsx, const char *name);
/* Responds 200 with pdf (malloc'd, taken) as application/pdf, an attachment named name.pdf
 * (ASCII) and zh_name.pdf (UTF-8, as filename* of RFC 5987, percent-encoded). */
void export_send_pdf(struct http_req *req, char *pdf, size_t len, const char *name,
                     const char *zh_name);
/* format=csv (the default) or format=xlsx; false after a 400. */
bool export_format_param(struct http_req *req, bool *xlsx);

#endif
