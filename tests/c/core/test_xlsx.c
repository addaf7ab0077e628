/* Unit tests for src/core/xlsx: writer → reader round trips, hand-made workbooks (shared and
 * inline strings, numbers, sparse rows, other sheet names), and broken or hostile files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "core/buf.h"
#include "core/mem.h"
#include "core/xlsx.h"

/* ------------------------------------------------------------- helpers */

/* Rows as read: each row is its number and its cells joined with '|' (cells hold no '|' in
 * the tests that use this), one row per line. */
struct collect {
	struct buf out;
	int rows;
	int stop_after; /* 0: never stop */
	/* the cells of every row, for exact comparisons */
	char **cells[64];
	int ncells[64];
	size_t numbers[64];
};

static int collect_row(void *ctx, size_t row_number, const char **cells, int ncells)
{
	struct collect *c = ctx;
	assert_true(ncells >= 1 && ncells <= XLSX_MAX_COLUMNS);
	assert_true(cells[ncells - 1][0] != '\0');
	buf_printf(&c->out, "%zu:", row_number);
	for (int i = 0; i < ncells; i++) {
		assert_non_null(cells[i]);
		buf_printf(&c->out, "%s%s", i ? "|" : "", cells[i]);
	}
	buf_puts(&c->out, "\n");
	if (c->rows < 64) {
		c->cells[c->rows] = xcalloc((size_t)ncells, sizeof(char *));
		for (int i = 0; i < ncells; i++)
			c->cells[c->rows][i] = xstrdup(cells[i]);
		c->ncells[c->rows] = ncells;
		c->numbers[c->rows] = row_number;
	}
	c->rows++;
	return c->stop_after && c->rows >= c->stop_after;
}

static void collect_init(struct collect *c)
{
	memset(c, 0, sizeof(*c));
	buf_init(&c->out);
	buf_puts(&c->out, "");
}

static void collect_free(struct collect *c)
{
	for (int r = 0; r < c->rows && r < 64; r++) {
		for (int i = 0; i < c->ncells[r]; i++)
			free(c->cells[r][i]);
		free(c->cells[r]);
	}
	buf_free(&c->out);
}

/* A zip made in memory from name/content pairs (NULL-terminated list). */
static char *make_zip(size_t *len, const char *const *files)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	zip_source_keep(src);
	zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	for (int i = 0; files[i]; i += 2) {
		zip_source_t *s = zip_source_buffer(za, files[i + 1], strlen(files[i + 1]), 0);
		assert_non_null(s);
		assert_true(zip_file_add(za, files[i], s, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(za), 0);
	assert_int_equal(zip_source_open(src), 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
	zip_int64_t size = zip_source_tell(src);
	assert_true(size > 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
	char *data = xmalloc((size_t)size);
	assert_int_equal(zip_source_read(src, data, (zip_uint64_t)size), size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*len = (size_t)size;
	return data;
}

/* One entry of a zip held in memory, as a malloc'd string (NULL when missing). */
static char *zip_entry(const char *data, size_t len, const char *name)
{
	zip_source_t *src = zip_source_buffer_create(data, len, 0, NULL);
	assert_non_null(src);
	zip_t *za = zip_open_from_source(src, ZIP_RDONLY, NULL);
	assert_non_null(za);
	zip_stat_t st;
	char *text = NULL;
	if (zip_stat(za, name, 0, &st) == 0) {
		zip_file_t *zf = zip_fopen(za, name, 0);
		assert_non_null(zf);
		text = xmalloc((size_t)st.size + 1);
		assert_int_equal(zip_fread(zf, text, st.size), (zip_int64_t)st.size);
		text[st.size] = '\0';
		zip_fclose(zf);
	}
	zip_discard(za);
	return text;
}

static const char WORKBOOK[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/></Relationships>";

#define SHEET_HEAD                                                                                 \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                             \
	"<worksheet "                                                                              \
	"xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
#define SHEET_TAIL "</sheetData></worksheet>"
#define SST_HEAD                                                                                   \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                             \
	"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"

/* Reads a workbook of workbook.xml, its rels, the given shared strings (may be NULL) and
 * sheet1.xml; returns xlsx_read's result, rows in c. */
static int read_sheet(struct collect *c, const char *sst, const char *sheet, char *err,
                      size_t errlen)
{
	const char *files[] = {"xl/workbook.xml",
	                       WORKBOOK,
	                       "xl/_rels/workbook.xml.rels",
	                       RELS,
	                       "xl/worksheets/sheet1.xml",
	                       sheet,
	                       sst ? "xl/sharedStrings.xml" : NULL,
	                       sst,
	                       NULL};
	size_t len;
	char *zip = make_zip(&len, files);
	int rc = xlsx_read(zip, len, collect_row, c, err, errlen);
	free(zip);
	return rc;
}

/* ------------------------------------------------------------- round trips */

enum { RT_COLS = 8 };
static const char *const RT_ROWS[] = {
    "姓名",
    "公民身份号码",
    "联系电话",
    "住址",
    "备注",
    "序号",
    "公式样",
    "空白后",
    "张三",
    "99010519491231002X",
    "013812345678",
    "幸福路 1 号，3 栋 \"东\" 单元",
    "a,b,\"c\"",
    "0001",
    "=1+2",
    NULL,
    "李四·阿依古丽",
    "990105200002290011",
    "+86 138 0000 0000",
    "",
    "多行\n第二行\r\n第三行",
    "1.50",
    "-5",
    "@SUM(A1)",
    " 前后空格 ",
    "\t制表",
    "_x0041_ 字面",
    "_x005F_x0041_",
    "控制\x01字符\x1f",
    "12345678901234567890",
    "😀 emoji",
    "\xEF\xBF\xBE 非字符",
};

static void test_round_trip(void **state)
{
	(void)state;
	char dir[] = "/tmp/test-xlsx-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *old = getenv("TMPDIR") ? xstrdup(getenv("TMPDIR")) : NULL;
	setenv("TMPDIR", dir, 1);

	int nrows = (int)(sizeof(RT_ROWS) / sizeof(RT_ROWS[0]) / RT_COLS);
	struct xlsx_writer *w = xlsx_writer_new("居民信息");
	assert_non_null(w);
	for (int r = 0; r < nrows; r++)
		assert_true(xlsx_writer_row(w, RT_ROWS + r * RT_COLS, RT_COLS));
	/* An empty row is kept as a row (the reader skips it) and trailing empties vanish. */
	const char *blank[] = {NULL, "", NULL};
	assert_true(xlsx_writer_row(w, blank, 3));
	const char *last[] = {"末行", NULL, ""};
	assert_true(xlsx_writer_row(w, last, 3));
	char *out;
	size_t len;
	assert_true(xlsx_writer_finish(w, &out, &len));

	/* The writer left nothing behind in its temporary directory. */
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d)))
		files += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	assert_int_equal(files, 0);
	rmdir(dir);
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);

	struct collect c;
	collect_init(&c);
	char err[200];
	assert_int_equal(xlsx_read(out, len, collect_row, &c, err, sizeof(err)), 0);
	assert_int_equal(c.rows, nrows + 1);
	for (int r = 0; r < nrows; r++) {
		assert_int_equal(c.numbers[r], (size_t)r + 1);
		int want = RT_COLS;
		while (want > 0 &&
		       (!RT_ROWS[r * RT_COLS + want - 1] || !RT_ROWS[r * RT_COLS + want - 1][0]))
			want--;
		assert_int_equal(c.ncells[r], want);
		for (int i = 0; i < want; i++) {
			const char *s = RT_ROWS[r * RT_COLS + i];
			assert_string_equal(c.cells[r][i], s ? s : "");
		}
	}
	assert_int_equal(c.numbers[nrows], (size_t)nrows + 2); /* the blank row was skipped */
	assert_int_equal(c.ncells[nrows], 1);
	assert_string_equal(c.cells[nrows][0], "末行");

	/* Every cell is a string; nothing became a formula or a number. */
	char *sheet = zip_entry(out, len, "xl/worksheets/sheet1.xml");
	assert_non_null(sheet);
	assert_null(strstr(sheet, "<f>"));
	assert_null(strstr(sheet, "<f "));
	assert_non_null(strstr(sheet, "t=\"inlineStr\""));
	assert_non_null(strstr(sheet, "<col "));  /* column widths */
	assert_non_null(strstr(sheet, "<pane ")); /* the header row is frozen */
	for (const char *p = sheet; (p = strstr(p, "<c ")); p++) {
		const char *end = strchr(p, '>');
		assert_non_null(end);
		char *tag = xstrndup(p, (size_t)(end - p));
		assert_non_null(strstr(tag, "t=\"inlineStr\""));
		free(tag);
	}
	free(sheet);
	char *styles = zip_entry(out, len, "xl/styles.xml");
	assert_non_null(styles);
	assert_non_null(strstr(styles, "<b/>"));
	free(styles);
	char *wb = zip_entry(out, len, "xl/workbook.xml");
	assert_non_null(strstr(wb, "name=\"居民信息\""));
	free(wb);

	collect_free(&c);
	free(out);
}

static void test_round_trip_many_rows(void **state)
{
	(void)state;
	/* Enough rows that the sheet XML spans many read chunks. */
	enum { N = 3000 };
	struct xlsx_writer *w = xlsx_writer_new(NULL);
	assert_non_null(w);
	for (int r = 0; r < N; r++) {
		char a[32], b[64];
		snprintf(a, sizeof(a), "%06d", r);
		snprintf(b, sizeof(b), "第%d户 幸福小区 %d 栋", r, r % 40);
		const char *cells[] = {a, b, "99010519491231002X", r % 3 ? "党员" : NULL, "备注"};
		assert_true(xlsx_writer_row(w, cells, 5));
	}
	char *out;
	size_t len;
	assert_true(xlsx_writer_finish(w, &out, &len));
	struct collect c;
	collect_init(&c);
	assert_int_equal(xlsx_read(out, len, collect_row, &c, NULL, 0), 0);
	assert_int_equal(c.rows, N);
	assert_non_null(strstr(c.out.data,
	                       "\n3000:002999|第2999户 幸福小区 39 栋|99010519491231002X|"
	                       "党员|备注\n"));
	assert_non_null(
	    strstr(c.out.data, "\n3:000002|第2户 幸福小区 2 栋|99010519491231002X|党员|"));
	assert_non_null(
	    strstr(c.out.data, "\n4:000003|第3户 幸福小区 3 栋|99010519491231002X||备注\n"));
	collect_free(&c);
	free(out);
}

static void test_writer_errors(void **state)
{
	(void)state;
	assert_null(xlsx_writer_new("a/b"));
	assert_null(xlsx_writer_new("[x]"));
	assert_null(xlsx_writer_new("12345678901234567890123456789012")); /* 32 characters */
	assert_null(xlsx_writer_new(""));

	/* Invalid UTF-8 fails the row and the workbook. */
	struct xlsx_writer *w = xlsx_writer_new("表");
	assert_non_null(w);
	const char *ok[] = {"a"};
	assert_true(xlsx_writer_row(w, ok, 1));
	const char *bad[] = {"x", "\xC3\x28"};
	assert_false(xlsx_writer_row(w, bad, 2));
	assert_false(xlsx_writer_row(w, ok, 1));
	char *out = (char *)1;
	size_t len = 1;
	assert_false(xlsx_writer_finish(w, &out, &len));
	assert_null(out);
	assert_int_equal(len, 0);

	/* Too many columns, and abandoning a writer. */
	w = xlsx_writer_new("表");
	assert_non_null(w);
	const char *many[XLSX_MAX_COLUMNS + 1] = {0};
	assert_false(xlsx_writer_row(w, many, XLSX_MAX_COLUMNS + 1));
	xlsx_writer_free(w);
	xlsx_writer_free(NULL);

	/* A row of exactly XLSX_MAX_COLUMNS cells is fine, and reads back. */
	w = xlsx_writer_new("表");
	assert_non_null(w);
	for (int i = 0; i < XLSX_MAX_COLUMNS; i++)
		many[i] = "格";
	assert_true(xlsx_writer_row(w, many, XLSX_MAX_COLUMNS));
	assert_true(xlsx_writer_finish(w, &out, &len));
	struct collect c;
	collect_init(&c);
	assert_int_equal(xlsx_read(out, len, collect_row, &c, NULL, 0), 0);
	assert_int_equal(c.rows, 1);
	assert_int_equal(c.ncells[0], XLSX_MAX_COLUMNS);
	collect_free(&c);
	free(out);

	/* Longer than Excel's 32767 characters. */
	w = xlsx_writer_new(NULL);
	assert_non_null(w);
	char *huge = xmalloc(40000);
	memset(huge, 'a', 39999);
	huge[39999] = '\0';
	const char *hc[] = {huge};
	assert_false(xlsx_writer_row(w, hc, 1));
	xlsx_writer_free(w);
	free(huge);
}

/* ------------------------------------------------------------- crafted workbooks */

static void test_shared_inline_numbers(void **state)
{
	(void)state;
	const char *sst =
	    SST_HEAD "<si><t>姓名</t></si>"
	             "<si><r><rPr><b/></rPr><t>富</t></r><r><t xml:space=\"preserve\"> 文本 "
	             "</t></r><rPh sb=\"0\" eb=\"1\"><t>フリガナ</t></rPh></si>"
	             "<si><t>a_x000D_b_x005F_x0041_</t></si>"
	             "<si><t/></si>"
	             "</sst>";
	const char *sheet = SHEET_HEAD
	    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
	    "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c></row>"
	    "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>内联</t></is></c>"
	    "<c r=\"B2\"><v>42</v></c><c r=\"C2\" s=\"3\"><v>44927</v></c>"
	    "<c r=\"D2\" t=\"b\"><v>1</v></c><c r=\"E2\" t=\"b\"><v>0</v></c>"
	    "<c r=\"F2\" t=\"e\"><v>#N/A</v></c>"
	    "<c r=\"G2\" t=\"str\"><f>A1&amp;\"x\"</f><v>姓名x</v></c>"
	    "<c r=\"H2\"><f>1+1</f><v>2</v></c>"
	    "<c r=\"I2\" t=\"inlineStr\"><is><r><t>多</t></r><r><t>段</t></r></is></c>"
	    "<c r=\"J2\"><v>1.5E-3</v></c></row>" SHEET_TAIL;
	struct collect c;
	collect_init(&c);
	char err[200] = "unchanged";
	assert_int_equal(read_sheet(&c, sst, sheet, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_string_equal(c.out.data, "1:姓名|富 文本 |a\rb_x0041_\n"
	                                "2:内联|42|44927|TRUE|FALSE|#N/A|姓名x|2|多段|1.5E-3\n");
	collect_free(&c);
}

static void test_sparse_sheet(void **state)
{
	(void)state;
	const char *sheet = SHEET_HEAD
	    "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"C2\"><v>3</v></c></row>"
	    "<row r=\"3\"><c r=\"B3\" s=\"1\"/><c r=\"C3\"><v></v></c></row>"
	    "<row r=\"5\" spans=\"1:5\"><c r=\"E5\" t=\"inlineStr\"><is><t>五</t></is></c>"
	    "<c r=\"F5\" s=\"2\"/><c r=\"BZ5\" s=\"2\"/></row>"
	    "<row><c><v>a</v></c><c><v>b</v></c><c r=\"E6\"><v>e</v></c><c><v>f</v></c></row>"
	    "<row r=\"7\"><c r=\"bl7\"><v>last</v></c></row>" SHEET_TAIL;
	struct collect c;
	collect_init(&c);
	char err[200];
	assert_int_equal(read_sheet(&c, NULL, sheet, err, sizeof(err)), 0);
	const char *want = "2:1||3\n5:||||五\n6:a|b|||e|f\n7:||||";
	assert_memory_equal(c.out.data, want, strlen(want));
	assert_int_equal(c.rows, 4);
	assert_int_equal(c.ncells[3], 64); /* BL is column 64 */
	assert_string_equal(c.cells[3][63], "last");
	collect_free(&c);
}

static void test_workbook_relationships(void **state)
{
	(void)state;
	/* The first sheet in tab order is rId7, an absolute target with ".." in it; a decoy
	 * sheet1.xml must be ignored, and the shared strings have another name. */
	const char *files[] = {
	    "xl/workbook.xml",
	    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	    "xmlns:rel=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	    "<sheets><sheet name=\"户籍\" sheetId=\"3\" rel:id=\"rId7\"/>"
	    "<sheet name=\"Sheet1\" sheetId=\"1\" rel:id=\"rId1\"/></sheets></workbook>",
	    "xl/_rels/workbook.xml.rels",
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	    "<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	    "<Relationship Id=\"rId9\" Type=\"x/hyperlink\" Target=\"http://example.invalid/\" "
	    "TargetMode=\"External\"/>"
	    "<Relationship Id=\"rId7\" Type=\"x/worksheet\" "
	    "Target=\"/xl/worksheets/../worksheets/./data.xml\"/>"
	    "<Relationship Id=\"rId8\" Type=\"x/sharedStrings\" Target=\"strings.xml\"/>"
	    "</Relationships>",
	    "xl/worksheets/sheet1.xml",
	    SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>decoy</v></c></row>" SHEET_TAIL,
	    "xl/worksheets/data.xml",
	    "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
	    "<x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c></x:row>"
	    "</x:sheetData></x:worksheet>",
	    "xl/strings.xml",
	    SST_HEAD "<si><t>真的</t></si></sst>",
	    NULL};
	size_t len;
	char *zip = make_zip(&len, files);
	struct collect c;
	collect_init(&c);
	char err[200];
	assert_int_equal(xlsx_read(zip, len, collect_row, &c, err, sizeof(err)), 0);
	assert_string_equal(c.out.data, "1:真的\n");
	collect_free(&c);
	free(zip);

	/* No workbook.xml at all: xl/worksheets/sheet1.xml is read. */
	const char *bare[] = {"xl/worksheets/sheet1.xml",
	                      SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>7</v></c></row>" SHEET_TAIL,
	                      NULL};
	zip = make_zip(&len, bare);
	collect_init(&c);
	assert_int_equal(xlsx_read(zip, len, collect_row, &c, err, sizeof(err)), 0);
	assert_string_equal(c.out.data, "1:7\n");
	collect_free(&c);
	free(zip);
}

static void test_callback_stops(void **state)
{
	(void)state;
	const char *sheet = SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
	                               "<row r=\"2\"><c r=\"A2\"><v>2</v></c></row>"
	                               "<row r=\"3\"><c r=\"A3\"><v>3</v></c></row>" SHEET_TAIL;
	struct collect c;
	collect_init(&c);
	c.stop_after = 2;
	char err[200];
	assert_int_equal(read_sheet(&c, NULL, sheet, err, sizeof(err)), 1);
	assert_int_equal(c.rows, 2);
	assert_string_equal(c.out.data, "1:1\n2:2\n");
	collect_free(&c);
}

/* ------------------------------------------------------------- broken and hostile input */

static void expect_error(const char *sst, const char *sheet, const char *needle)
{
	struct collect c;
	collect_init(&c);
	char err[300] = "";
	assert_int_equal(read_sheet(&c, sst, sheet, err, sizeof(err)), -1);
	if (!strstr(err, needle))
		fail_msg("error \"%s\" does not mention \"%s\"", err, needle);
	collect_free(&c);
}

static void test_too_many_columns(void **state)
{
	(void)state;
	expect_error(NULL, SHEET_HEAD "<row r=\"1\"><c r=\"BM1\"><v>x</v></c></row>" SHEET_TAIL,
	             "64 列");
	struct buf b;
	buf_init(&b);
	buf_puts(&b, SHEET_HEAD "<row>");
	for (int i = 0; i < XLSX_MAX_COLUMNS + 1; i++)
		buf_puts(&b, "<c t=\"inlineStr\"><is><t>x</t></is></c>");
	buf_puts(&b, "</row>" SHEET_TAIL);
	expect_error(NULL, b.data, "64 列");
	buf_free(&b);
	/* Rows before the bad one were delivered. */
	struct collect c;
	collect_init(&c);
	assert_int_equal(read_sheet(&c, NULL,
	                            SHEET_HEAD
	                            "<row r=\"1\"><c r=\"A1\"><v>ok</v></c></row>"
	                            "<row r=\"2\"><c r=\"XFD2\"><v>1</v></c></row>" SHEET_TAIL,
	                            NULL, 0),
	                 -1);
	assert_int_equal(c.rows, 1);
	collect_free(&c);
	expect_error(NULL, SHEET_HEAD "<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>" SHEET_TAIL,
	             "引用无效");
	expect_error(NULL, SHEET_HEAD "<row r=\"1\"><c r=\"A1B\"><v>1</v></c></row>" SHEET_TAIL,
	             "引用无效");
	expect_error(
	    NULL,
	    SHEET_HEAD
	    "<row r=\"1\"><c r=\"B1\"><v>1</v></c><c r=\"A1\"><v>1</v></c></row>" SHEET_TAIL,
	    "顺序");
	expect_error(NULL, SHEET_HEAD "<row r=\"0\"><c><v>1</v></c></row>" SHEET_TAIL, "行号");
	expect_error(NULL, SHEET_HEAD "<row r=\"1048577\"><c><v>1</v></c></row>" SHEET_TAIL,
	             "行号");
}

static void test_hostile_xml(void **state)
{
	(void)state;
	expect_error(
	    NULL,
	    "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
	    "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
	    "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&lol2;</t></is></c></row>"
	    "</sheetData></worksheet>",
	    "DOCTYPE");
	expect_error(
	    NULL,
	    "<!DOCTYPE worksheet SYSTEM \"file:///etc/passwd\"><worksheet><sheetData/></worksheet>",
	    "DOCTYPE");
	expect_error("<?xml version=\"1.0\"?><!DOCTYPE sst><sst><si><t>a</t></si></sst>",
	             SHEET_HEAD SHEET_TAIL, "DOCTYPE");
	/* Invalid UTF-8, an undefined entity, unbalanced tags. */
	expect_error(NULL,
	             SHEET_HEAD
	             "<row><c t=\"inlineStr\"><is><t>\xC3\x28</t></is></c></row>" SHEET_TAIL,
	             "格式错误");
	expect_error(
	    NULL, SHEET_HEAD "<row><c t=\"inlineStr\"><is><t>&nbsp;</t></is></c></row>" SHEET_TAIL,
	    "格式错误");
	expect_error(NULL, SHEET_HEAD "<row><c><v>1</v></row>" SHEET_TAIL, "格式错误");
	expect_error(NULL, SHEET_HEAD "<row><c><v>1</v></c></row>", "格式错误");
	/* Shared string references out of range or not numbers. */
	expect_error(SST_HEAD "<si><t>a</t></si></sst>",
	             SHEET_HEAD "<row><c t=\"s\"><v>1</v></c></row>" SHEET_TAIL, "共享字符串");
	expect_error(NULL, SHEET_HEAD "<row><c t=\"s\"><v>0</v></c></row>" SHEET_TAIL,
	             "共享字符串");
	expect_error(SST_HEAD "<si><t>a</t></si></sst>",
	             SHEET_HEAD "<row><c t=\"s\"><v>-0</v></c></row>" SHEET_TAIL, "共享字符串");
	/* A cell too long. */
	struct buf b;
	buf_init(&b);
	buf_puts(&b, SHEET_HEAD "<row><c t=\"inlineStr\"><is><t>");
	for (int i = 0; i < XLSX_MAX_CELL_BYTES / 8 + 1; i++)
		buf_puts(&b, "abcdefgh");
	buf_puts(&b, "</t></is></c></row>" SHEET_TAIL);
	expect_error(NULL, b.data, "过长");
	buf_free(&b);
	/* Deep nesting. */
	buf_init(&b);
	buf_puts(&b, SHEET_HEAD);
	for (int i = 0; i < 200; i++)
		buf_puts(&b, "<x>");
	for (int i = 0; i < 200; i++)
		buf_puts(&b, "</x>");
	buf_puts(&b, SHEET_TAIL);
	expect_error(NULL, b.data, "嵌套");
	buf_free(&b);
}

static void test_garbage(void **state)
{
	(void)state;
	char err[300];
	struct collect c;
	collect_init(&c);
	/* Not a zip, empty, an old .xls. */
	assert_int_equal(xlsx_read("hello, world", 12, collect_row, &c, err, sizeof(err)), -1);
	assert_true(strstr(err, "不是有效的 XLSX 文件") != NULL);
	assert_int_equal(xlsx_read(NULL, 0, collect_row, &c, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
	char junk[4096];
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 7 + 3);
	assert_int_equal(xlsx_read(junk, sizeof(junk), collect_row, &c, err, sizeof(err)), -1);
	assert_true(strstr(err, "不是有效的 XLSX 文件") != NULL);
	memcpy(junk, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
	assert_int_equal(xlsx_read(junk, sizeof(junk), collect_row, &c, err, sizeof(err)), -1);
	assert_true(strstr(err, ".xls") != NULL);
	/* NULL err is fine. */
	assert_int_equal(xlsx_read("hello, world", 12, collect_row, &c, NULL, 0), -1);

	/* A zip without a sheet. */
	const char *nosheet[] = {"readme.txt", "not a workbook", NULL};
	size_t len;
	char *zip = make_zip(&len, nosheet);
	assert_int_equal(xlsx_read(zip, len, collect_row, &c, err, sizeof(err)), -1);
	assert_true(strstr(err, "找不到工作表") != NULL);
	free(zip);

	/* A real workbook cut short, and one with a damaged byte in every position of a stretch. */
	const char *cells[] = {"姓名", "电话"};
	struct xlsx_writer *w = xlsx_writer_new(NULL);
	assert_non_null(w);
	for (int i = 0; i < 50; i++)
		assert_true(xlsx_writer_row(w, cells, 2));
	char *out;
	assert_true(xlsx_writer_finish(w, &out, &len));
	for (size_t cut = 0; cut < len; cut += len / 64 + 1) {
		err[0] = '\0';
		assert_int_equal(xlsx_read(out, cut, collect_row, &c, err, sizeof(err)), -1);
		assert_true(err[0] != '\0');
	}
	char *copy = xmalloc(len);
	for (size_t pos = 0; pos < len; pos += 13) {
		memcpy(copy, out, len);
		copy[pos] ^= 0x5A;
		/* Any outcome but a crash: most fail, a byte in unused metadata may not matter. */
		int rc = xlsx_read(copy, len, collect_row, &c, err, sizeof(err));
		assert_true(rc == 0 || rc == -1);
		if (rc == -1)
			assert_true(err[0] != '\0');
	}
	free(copy);
	free(out);
	collect_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_round_trip_many_rows),
	    cmocka_unit_test(test_writer_errors),  cmocka_unit_test(test_shared_inline_numbers),
	    cmocka_unit_test(test_sparse_sheet),   cmocka_unit_test(test_workbook_relationships),
	    cmocka_unit_test(test_callback_stops), cmocka_unit_test(test_too_many_columns),
	    cmocka_unit_test(test_hostile_xml),    cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
