/* XLSX writing goes through libxlsxwriter, which only writes to a path: a private
 * temporary file that is read back (or handed over as a descriptor) and removed.
 * Reading is in core/xlsx.c. */
#include "core/xlsx.h"
#include "core/xlsx_int.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* ------------------------------------------------------------------ writing */

#define MIN_WIDTH 8
#define MAX_WIDTH 50

struct xlsx_writer {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *text;
	int fd;
	bool failed;
	lxw_row_t rows;
	int ncols;
	unsigned char width[XLSX_MAX_COLUMNS]; /* widest line, in Latin-letter widths */
	struct buf esc;
	char dir[MAX_PATH_LEN - 32];
	char path[MAX_PATH_LEN];
};

static void writer_discard(struct xlsx_writer *w)
{
	if (w->fd >= 0) {
		close(w->fd);
		unlink(w->path);
	}
	buf_free(&w->esc);
	free(w);
}

struct xlsx_writer *xlsx_writer_new(const char *sheet_name)
{
	if (sheet_name && !sheet_name[0])
		return NULL;
	struct xlsx_writer *w = xcalloc(1, sizeof(*w));
	w->fd = -1;
	buf_init(&w->esc);
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !tmp[0] || strlen(tmp) >= sizeof(w->dir))
		tmp = "/tmp";
	snprintf(w->dir, sizeof(w->dir), "%s", tmp);
	snprintf(w->path, sizeof(w->path), "%s/jiceng-xlsx-XXXXXX", w->dir);
	w->fd = mkstemp(w->path);
	if (w->fd < 0) {
		writer_discard(w);
		return NULL;
	}
	/* constant_memory: rows go to a temporary file as they are written, so a big export
	 * does not sit in memory (strings are then stored inline in the sheet). */
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = w->dir};
	w->wb = workbook_new_opt(w->path, &opt);
	if (!w->wb) {
		writer_discard(w);
		return NULL;
	}
	const char *name = sheet_name ? sheet_name : "Sheet1";
	if (workbook_validate_sheet_name(w->wb, name) != LXW_NO_ERROR ||
	    !(w->ws = workbook_add_worksheet(w->wb, name)) ||
	    !(w->text = workbook_add_format(w->wb)) || !(w->head = workbook_add_format(w->wb))) {
		lxw_workbook_free(w->wb);
		writer_discard(w);
		return NULL;
	}
	format_set_num_format(w->text, "@"); /* what people type in later stays text too */
	format_set_num_format(w->head, "@");
	format_set_bold(w->head);
	worksheet_freeze_panes(w->ws, 1, 0);
	return w;
}

/* True when s is valid UTF-8 (control characters allowed: the library escapes them). */
static bool valid_utf8(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_sequence_len(p);
		if (!n)
			return false;
		p += n;
	}
	return true;
}

/* Display width of the widest line of s: CJK and other non-ASCII characters count 2. */
static size_t display_width(const char *s)
{
	size_t widest = 0, cur = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n') {
			cur = 0;
			continue;
		}
		if ((*p & 0xC0) != 0x80)
			cur += *p < 0x80 ? 1 : 2;
		if (cur > widest)
			widest = cur;
	}
	return widest;
}

/* s with what libxlsxwriter leaves as is but a reader would change escaped: a literal
 * _xHHHH_ gets its '_' written as _x005F_, and U+FFFE/U+FFFF (not allowed in XML) are
 * written as escapes. Returns s itself when nothing needs escaping. */
static const char *escape_cell(struct buf *b, const char *s)
{
	if (!strchr(s, '_') && !strchr(s, 0xEF))
		return s;
	b->len = 0;
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		if (s[i] == '_' && xlsx_escape_at(s + i, len - i) >= 0) {
			buf_puts(b, "_x005F_");
			i++;
		} else if ((unsigned char)s[i] == 0xEF && i + 2 < len &&
		           (unsigned char)s[i + 1] == 0xBF &&
		           ((unsigned char)s[i + 2] == 0xBE || (unsigned char)s[i + 2] == 0xBF)) {
			buf_puts(b, (unsigned char)s[i + 2] == 0xBE ? "_xFFFE_" : "_xFFFF_");
			i += 3;
		} else {
			buf_append(b, s + i, 1);
			i++;
		}
	}
	buf_reserve(b, 0);
	b->data[b->len] = '\0';
	return b->data;
}

bool xlsx_writer_row(struct xlsx_writer *w, const char *const *cells, int ncells)
{
	if (w->failed)
		return false;
	if (ncells < 0 || ncells > XLSX_MAX_COLUMNS || w->rows >= XLSX_MAX_ROWS) {
		w->failed = true;
		return false;
	}
	for (int i = 0; i < ncells; i++) {
		const char *s = cells[i];
		if (!s || !s[0])
			continue;
		if (!valid_utf8(s)) {
			w->failed = true;
			return false;
		}
		const char *out = escape_cell(&w->esc, s);
		if (worksheet_write_string(w->ws, w->rows, (lxw_col_t)i, out,
		                           w->rows == 0 ? w->head : w->text) != LXW_NO_ERROR) {
			w->failed = true;
			return false;
		}
		size_t dw = display_width(s);
		if (dw > w->width[i])
			w->width[i] = dw > 255 ? 255 : (unsigned char)dw;
		if (i >= w->ncols)
			w->ncols = i + 1;
	}
	w->rows++;
	return true;
}

bool xlsx_writer_finish_fd(struct xlsx_writer *w, int *fd, size_t *len)
{
	*fd = -1;
	*len = 0;
	if (w->failed) {
		lxw_workbook_free(w->wb);
		writer_discard(w);
		return false;
	}
	for (int i = 0; i < w->ncols; i++) {
		int width = w->width[i] + 2;
		width = width < MIN_WIDTH ? MIN_WIDTH : width > MAX_WIDTH ? MAX_WIDTH : width;
		worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i, width, w->text);
	}
	bool ok = workbook_close(w->wb) == LXW_NO_ERROR; /* frees the workbook */
	/* Our own descriptor sees what the library wrote: it rewrote the same inode. */
	struct stat st;
	if (ok && (fstat(w->fd, &st) != 0 || st.st_size <= 0 || lseek(w->fd, 0, SEEK_SET) != 0))
		ok = false;
	if (ok) {
		*fd = w->fd;
		*len = (size_t)st.st_size;
		unlink(w->path);
		w->fd = -1;
	}
	writer_discard(w);
	return ok;
}

bool xlsx_writer_finish(struct xlsx_writer *w, char **out, size_t *outlen)
{
	*out = NULL;
	*outlen = 0;
	int fd;
	size_t size;
	if (!xlsx_writer_finish_fd(w, &fd, &size))
		return false;
	char *bytes = xmalloc(size);
	size_t got = 0;
	while (got < size) {
		ssize_t n = read(fd, bytes + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got != size) {
		free(bytes);
		return false;
	}
	*out = bytes;
	*outlen = size;
	return true;
}

void xlsx_writer_free(struct xlsx_writer *w)
{
	if (!w)
		return;
	lxw_workbook_free(w->wb);
	writer_discard(w);
}
