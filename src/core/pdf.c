/* The printable table (core/pdf.h): two passes over the rows with Pango on a cairo PDF
 * surface — the first measures every row and breaks the pages, so the footer can say how many
 * there are; the second draws, with the rows' heights kept from the first. One Pango layout
 * is set anew for each text: no layout is held per cell or per row. */
#include "core/pdf.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

/* A4 in points (portrait), margins, and the type sizes. */
#define A4_SHORT  595.28
#define A4_LONG   841.89
#define MARGIN    36.0
#define PAD       4.0
#define FONT      "Noto Sans CJK SC"
#define BODY_PT   9
#define TITLE_PT  15
#define SUB_PT    9
#define FOOTER_PT 8
#define FOOTER    "第 %d 页 / 共 %d 页"

struct pdf_row {
	char **cells;
	uint32_t *shade; /* NULL: none in the row */
};

struct pdf_table {
	char *title, *subtitle;
	int ncols;
	char **headers;
	double page_w, page_h;
	double widths[PDF_MAX_COLUMNS]; /* relative until pdf_table_finish, then in points */
	struct pdf_row *rows;
	size_t nrows, cap;
};

static char *dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

struct pdf_table *pdf_table_new(const char *title, const char *subtitle, int ncols,
                                const char *const *headers, const double *widths)
{
	if (ncols < 1 || ncols > PDF_MAX_COLUMNS)
		return NULL;
	if ((title && !text_valid_utf8(title)) || (subtitle && !text_valid_utf8(subtitle)))
		return NULL;
	for (int i = 0; i < ncols; i++)
		if (headers[i] && !text_valid_utf8(headers[i]))
			return NULL;
	struct pdf_table *t = xcalloc(1, sizeof *t);
	t->title = dup_or_empty(title);
	t->subtitle = dup_or_empty(subtitle);
	t->ncols = ncols;
	t->page_w = A4_SHORT;
	t->page_h = A4_LONG;
	t->headers = xcalloc((size_t)ncols, sizeof *t->headers);
	for (int i = 0; i < ncols; i++) {
		t->headers[i] = dup_or_empty(headers[i]);
		t->widths[i] = widths && widths[i] > 0 ? widths[i] : 1.0;
	}
	return t;
}

void pdf_table_landscape(struct pdf_table *t)
{
	t->page_w = A4_LONG;
	t->page_h = A4_SHORT;
}

bool pdf_table_row(struct pdf_table *t, const char *const *cells, const uint32_t *shade)
{
	if (t->nrows >= PDF_MAX_ROWS)
		return false;
	for (int i = 0; i < t->ncols; i++)
		if (cells[i] && !text_valid_utf8(cells[i]))
			return false;
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->rows = xrealloc(t->rows, t->cap * sizeof *t->rows);
	}
	struct pdf_row *r = &t->rows[t->nrows++];
	r->cells = xcalloc((size_t)t->ncols, sizeof *r->cells);
	r->shade = NULL;
	for (int i = 0; i < t->ncols; i++)
		r->cells[i] = dup_or_empty(cells[i]);
	if (shade) {
		r->shade = xcalloc((size_t)t->ncols, sizeof *r->shade);
		memcpy(r->shade, shade, (size_t)t->ncols * sizeof *shade);
	}
	return true;
}

void pdf_table_free(struct pdf_table *t)
{
	if (!t)
		return;
	for (size_t r = 0; r < t->nrows; r++) {
		for (int i = 0; i < t->ncols; i++)
			free(t->rows[r].cells[i]);
		free(t->rows[r].cells);
		free(t->rows[r].shade);
	}
	for (int i = 0; i < t->ncols; i++)
		free(t->headers[i]);
	free(t->headers);
	free(t->rows);
	free(t->title);
	free(t->subtitle);
	free(t);
}

/* The drawing state: one layout, set anew for each text (a layout per cell would make a
 * Pango context, and look the fonts up, every time). */
struct pen {
	cairo_t *cr;
	PangoLayout *l;
	PangoFontDescription *body, *bold, *title, *sub, *small;
};

static PangoLayout *layout(struct pen *p, const char *text, PangoFontDescription *font,
                           double width)
{
	PangoLayout *l = p->l;
	pango_layout_set_font_description(l, font);
	pango_layout_set_width(l, width > 0 ? (int)(width * PANGO_SCALE) : -1);
	pango_layout_set_alignment(l, PANGO_ALIGN_LEFT);
	pango_layout_set_text(l, text, -1);
	return l;
}

static double text_height(struct pen *p, const char *text, PangoFontDescription *font, double width)
{
	int w, h;
	pango_layout_get_size(layout(p, text, font, width), &w, &h);
	return (double)h / PANGO_SCALE;
}

static void text_at(struct pen *p, const char *text, PangoFontDescription *font, double x, double y,
                    double width, double grey)
{
	PangoLayout *l = layout(p, text, font, width);
	cairo_set_source_rgb(p->cr, grey, grey, grey);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
}

/* A row's height: its tallest cell and the padding. */
static double row_height(struct pen *p, const struct pdf_table *t, char *const *cells,
                         PangoFontDescription *font)
{
	double h = 0;
	for (int i = 0; i < t->ncols; i++) {
		double c = text_height(p, cells[i], font, t->widths[i] - 2 * PAD);
		if (c > h)
			h = c;
	}
	return h + 2 * PAD;
}

static void draw_row(struct pen *p, const struct pdf_table *t, char *const *cells,
                     const uint32_t *shade, PangoFontDescription *font, double y, double h,
                     uint32_t fill_all)
{
	double x = MARGIN;
	for (int i = 0; i < t->ncols; i++) {
		uint32_t fill = shade && shade[i] ? shade[i] : fill_all;
		cairo_rectangle(p->cr, x, y, t->widths[i], h);
		if (fill) {
			cairo_set_source_rgb(p->cr, ((fill >> 16) & 0xff) / 255.0,
			                     ((fill >> 8) & 0xff) / 255.0, (fill & 0xff) / 255.0);
			cairo_fill_preserve(p->cr);
		}
		cairo_set_source_rgb(p->cr, 0.6, 0.6, 0.6);
		cairo_set_line_width(p->cr, 0.5);
		cairo_stroke(p->cr);
		text_at(p, cells[i], font, x + PAD, y + PAD, t->widths[i] - 2 * PAD, 0.1);
		x += t->widths[i];
	}
}

/* The top of the table on every page (below the title and subtitle). */
static double draw_heading(struct pen *p, const struct pdf_table *t, bool draw)
{
	double y = MARGIN, w = t->page_w - 2 * MARGIN;
	double th = text_height(p, t->title, p->title, w);
	if (draw)
		text_at(p, t->title, p->title, MARGIN, y, w, 0.0);
	y += th + 2;
	if (*t->subtitle) {
		double sh = text_height(p, t->subtitle, p->sub, w);
		if (draw)
			text_at(p, t->subtitle, p->sub, MARGIN, y, w, 0.4);
		y += sh;
	}
	return y + 8;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	buf_append(closure, (const char *)data, len);
	return CAIRO_STATUS_SUCCESS;
}

/* Pass one (draw false) measures the rows into heights and counts the pages; pass two draws
 * them, npages known. */
static int lay_out(struct pen *p, const struct pdf_table *t, bool draw, int npages, double *heights)
{
	double bottom = t->page_h - MARGIN - 14; /* room for the footer */
	double hh = row_height(p, t, t->headers, p->bold);
	int page = 0;
	size_t r = 0;
	do {
		double y = draw_heading(p, t, draw);
		if (draw)
			draw_row(p, t, t->headers, NULL, p->bold, y, hh, 0xeef1f6);
		y += hh;
		bool any = false;
		while (r < t->nrows) {
			if (!draw)
				heights[r] = row_height(p, t, t->rows[r].cells, p->body);
			double h = heights[r];
			/* a row taller than a page still goes on one page (clipped), never loops */
			if (any && y + h > bottom)
				break;
			if (draw)
				draw_row(p, t, t->rows[r].cells, t->rows[r].shade, p->body, y, h,
				         0);
			y += h;
			r++;
			any = true;
		}
		page++;
		if (draw) {
			char foot[64];
			snprintf(foot, sizeof foot, FOOTER, page, npages);
			PangoLayout *l = layout(p, foot, p->small, t->page_w - 2 * MARGIN);
			pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
			cairo_set_source_rgb(p->cr, 0.4, 0.4, 0.4);
			cairo_move_to(p->cr, MARGIN, t->page_h - MARGIN - 8);
			pango_cairo_show_layout(p->cr, l);
			cairo_show_page(p->cr);
		}
	} while (r < t->nrows);
	return page;
}

static PangoFontDescription *font(const char *family, int pt, bool bold)
{
	PangoFontDescription *f = pango_font_description_new();
	pango_font_description_set_family(f, family);
	/* in points on the page: a cairo PDF surface's unit is the point, and Pango's default
	 * resolution of 96 dpi would make a 9 pt size 12 */
	pango_font_description_set_absolute_size(f, pt * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(f, PANGO_WEIGHT_BOLD);
	return f;
}

bool pdf_table_finish(struct pdf_table *t, char **out, size_t *len)
{
	double sum = 0;
	for (int i = 0; i < t->ncols; i++)
		sum += t->widths[i];
	for (int i = 0; i < t->ncols; i++)
		t->widths[i] = t->widths[i] / sum * (t->page_w - 2 * MARGIN);
	struct buf b;
	buf_init(&b);
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, &b, t->page_w, t->page_h);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, t->title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "jiceng");
	cairo_t *cr = cairo_create(s);
	bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
	if (ok) {
		struct pen p = {.cr = cr,
		                .l = pango_cairo_create_layout(cr),
		                .body = font(FONT, BODY_PT, false),
		                .bold = font(FONT, BODY_PT, true),
		                .title = font(FONT, TITLE_PT, true),
		                .sub = font(FONT, SUB_PT, false),
		                .small = font(FONT, FOOTER_PT, false)};
		/* CJK breaks between characters, Latin between words */
		pango_layout_set_wrap(p.l, PANGO_WRAP_WORD_CHAR);
		double *heights = xcalloc(t->nrows ? t->nrows : 1, sizeof *heights);
		int npages = lay_out(&p, t, false, 0, heights);
		lay_out(&p, t, true, npages, heights);
		free(heights);
		g_object_unref(p.l);
		pango_font_description_free(p.body);
		pango_font_description_free(p.bold);
		pango_font_description_free(p.title);
		pango_font_description_free(p.sub);
		pango_font_description_free(p.small);
	}
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_status_t st = cairo_surface_status(s);
	ok = ok && st == CAIRO_STATUS_SUCCESS;
	if (!ok)
		log_error("pdf: %s", cairo_status_to_string(st));
	cairo_surface_destroy(s);
	pdf_table_free(t);
	if (!ok) {
		buf_free(&b);
		return false;
	}
	*out = buf_detach(&b, len);
	return true;
}
