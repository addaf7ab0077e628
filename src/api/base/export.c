/* Spreadsheet exports: the CSV spool or XLSX workbook rows are written to, and the
 * response that sends the finished file from disk. */
#include "api/base/export.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/xlsx.h"

#include <string.h>

bool sink_start(struct sink *s, const char *sheet_name, bool xlsx)
{
	memset(s, 0, sizeof *s);
	s->csv.fd = -1;
	if (xlsx)
		return (s->xlsx = xlsx_writer_new(sheet_name)) != NULL;
	if (!spool_open(&s->csv))
		return false;
	spool_write(&s->csv, "\xEF\xBB\xBF", 3);
	return true;
}

void sink_row(struct sink *s, const char *const *cells, int n)
{
	if (s->xlsx) {
		if (!xlsx_writer_row(s->xlsx, cells, n))
			s->failed = true;
		return;
	}
	struct buf *b = spool_buf(&s->csv);
	for (int i = 0; i < n; i++)
		csv_field(b, cells[i] ? cells[i] : "", i + 1 == n);
	spool_flush_if_full(&s->csv);
}

void sink_header(struct sink *s, const char *const *titles, int n)
{
	sink_row(s, titles, n);
}

bool sink_finish(struct sink *s, int *fd, size_t *len)
{
	if (s->xlsx) {
		struct xlsx_writer *w = s->xlsx;
		s->xlsx = NULL;
		return xlsx_writer_finish_fd(w, fd, len);
	}
	if (s->failed) {
		spool_discard(&s->csv);
		return false;
	}
	return spool_finish(&s->csv, fd, len);
}

void sink_free(struct sink *s)
{
	if (s->xlsx)
		xlsx_writer_free(s->xlsx);
	else
		spool_discard(&s->csv);
	s->xlsx = NULL;
}

void export_send_file(struct http_req *req, int fd, size_t len, bool xlsx, const char *name)
{
	http_respond_fd(req, 200,
	                xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	                     : "text/csv; charset=utf-8",
	                fd, len);
	http_add_header(req, "Content-Disposition",
	                arena_printf(&req->arena, "attachment; filename=\"%s.%s\"", name,
	                             xlsx ? "xlsx" : "csv"));
}

void export_send_pdf(struct http_req *req, char *pdf, size_t len, const char *name,
                     const char *zh_name)
{
	http_respond(req, 200, "application/pdf", pdf, len);
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(zh_name);
	char *enc = arena_alloc(&req->arena, 3 * n + 1), *e = enc;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)zh_name[i];
		/* RFC 5987 attr-char: ALPHA DIGIT ! # $ & + - . ^ _ ` | ~ ; the rest encoded */
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_') {
			*e++ = (char)c;
		} else {
			*e++ = '%';
			*e++ = hex[c >> 4];
			*e++ = hex[c & 15];
		}
	}
	*e = '\0';
	http_add_header(req, "Content-Disposition",
	                arena_printf(&req->arena,
	                             "attachment; filename=\"%s.pdf\"; filename*=UTF-8''%s.pdf",
	                             name, enc));
}

bool export_format_param(struct http_req *req, bool *xlsx)
{
	const char *format = http_query(req, "format");
	if (format && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0) {
		api_problem(req, 400, "format 须为 csv 或 xlsx");
		return false;
	}
	*xlsx = format && strcmp(format, "xlsx") == 0;
	return true;
}
