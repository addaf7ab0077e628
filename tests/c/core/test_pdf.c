/* Unit tests for src/core/pdf: a printable table becomes a PDF whose pages follow the rows
 * (the header repeated), and whose text — Chinese included — is real text a reader can
 * extract (checked with pdftotext when poppler-utils is installed, as make deps does). Page counts
 * are asserted as ranges: they follow the font's metrics, not the test. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/pdf.h"

/* The /Count of the page tree: how many pages the file has. */
static int page_count(const char *pdf, size_t len)
{
	int n = -1;
	for (size_t i = 0; i + 6 < len; i++)
		if (memcmp(pdf + i, "/Count ", 7) == 0)
			n = atoi(pdf + i + 7);
	return n;
}

static struct pdf_table *table(size_t rows, bool landscape)
{
	static const char *const head[] = {"区划", "指标", "数值"};
	static const double widths[] = {2, 3, 1};
	struct pdf_table *t =
	    pdf_table_new("考核评价 2026-11", "阳光街道 · 导出于 2026-12-01", 3, head, widths);
	assert_non_null(t);
	if (landscape)
		pdf_table_landscape(t);
	for (size_t i = 0; i < rows; i++) {
		char region[64], value[32];
		snprintf(region, sizeof region, "阳光社区第%zu网格", i + 1);
		snprintf(value, sizeof value, "%zu.5", i);
		const char *cells[] = {region, "按时办结率（办结数 / 应办结数 × 100）", value};
		const uint32_t shade[] = {0, 0, i % 2 ? 0xd9f2d9 : 0};
		assert_true(pdf_table_row(t, cells, shade));
	}
	return t;
}

/* The page's MediaBox width: 595 portrait, 841 landscape. */
static int media_width(const char *pdf, size_t len)
{
	for (size_t i = 0; i + 16 < len; i++)
		if (memcmp(pdf + i, "/MediaBox [ 0 0 ", 16) == 0)
			return atoi(pdf + i + 16);
	return -1;
}

static void test_pages_follow_rows(void **state)
{
	(void)state;
	char *pdf;
	size_t len;
	assert_true(pdf_table_finish(table(3, true), &pdf, &len));
	assert_true(len > 1000);
	assert_memory_equal(pdf, "%PDF-", 5);
	assert_int_equal(page_count(pdf, len), 1);
	assert_int_equal(media_width(pdf, len), 841);
	free(pdf);
	/* 200 rows: about 13 landscape pages; more in portrait, whose columns wrap more */
	assert_true(pdf_table_finish(table(200, true), &pdf, &len));
	int landscape = page_count(pdf, len);
	assert_in_range(landscape, 6, 25);
	free(pdf);
	assert_true(pdf_table_finish(table(200, false), &pdf, &len));
	assert_int_equal(media_width(pdf, len), 595);
	int portrait = page_count(pdf, len);
	assert_in_range(portrait, 6, 40);
	free(pdf);
	/* no rows: one page with the heading */
	assert_true(pdf_table_finish(table(0, false), &pdf, &len));
	assert_int_equal(page_count(pdf, len), 1);
	free(pdf);
}

/* The text pdftotext reads from pdf (the static buffer), without spaces and line breaks:
 * pdftotext drops the spaces between Chinese characters, keeps others, and breaks wrapped
 * cells. Page breaks (\f) stay. */

static const char *extract(const char *pdf, size_t len)
{
	char path[] = "/tmp/jiceng-pdf-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pdf, len), (ssize_t)len);
	close(fd);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s -", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	static char text[1 << 18];
	size_t n = fread(text, 1, sizeof text - 1, p), k = 0;
	for (size_t i = 0; i < n; i++)
		if (text[i] != ' ' && text[i] != '\n')
			text[k++] = text[i];
	text[k] = '\0';
	pclose(p);
	unlink(path);
	return text;
}

static void test_text_is_extractable(void **state)
{
	(void)state;
	if (system("command -v pdftotext >/dev/null 2>&1") != 0) {
		fprintf(stderr, "pdftotext missing (poppler-utils): text check skipped\n");
		skip();
	}
	char *pdf;
	size_t len;
	assert_true(pdf_table_finish(table(60, true), &pdf, &len));
	int pages = page_count(pdf, len);
	assert_in_range(pages, 2, 8);
	const char *text = extract(pdf, len);
	free(pdf);
	assert_non_null(strstr(text, "考核评价2026-11"));
	assert_non_null(strstr(text, "阳光街道"));
	assert_non_null(strstr(text, "阳光社区第1网格"));
	assert_non_null(strstr(text, "阳光社区第60网格"));
	assert_non_null(strstr(text, "59.5"));
	char want[64];
	snprintf(want, sizeof want, "第1页/共%d页", pages);
	assert_non_null(strstr(text, want));
	snprintf(want, sizeof want, "第%d页/共%d页", pages, pages);
	assert_non_null(strstr(text, want));
	/* the title and the header row on every page: one of each per page break (\f) */
	int breaks = 0, titles = 0, headers = 0;
	for (const char *c = text; (c = strchr(c, '\f')); c++)
		breaks++;
	for (const char *c = text; (c = strstr(c, "考核评价2026-11")); c++)
		titles++;
	for (const char *c = text; (c = strstr(c, "区划")); c++)
		headers++;
	assert_int_equal(breaks, pages);
	assert_int_equal(titles, pages);
	assert_int_equal(headers, pages);
}

static void test_refusals(void **state)
{
	(void)state;
	const char *const head[] = {"a"};
	assert_null(pdf_table_new("t", NULL, 0, head, NULL));
	assert_null(pdf_table_new("t", NULL, PDF_MAX_COLUMNS + 1, head, NULL));
	struct pdf_table *t = pdf_table_new("t", NULL, 1, head, NULL);
	const char *bad[] = {"\xff\xfe"};
	assert_false(pdf_table_row(t, bad, NULL));
	pdf_table_free(t);
	assert_null(pdf_table_new("\xff", NULL, 1, head, NULL));
	assert_null(pdf_table_new("t", NULL, 1, bad, NULL));
	pdf_table_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pages_follow_rows),
	    cmocka_unit_test(test_text_is_extractable),
	    cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
