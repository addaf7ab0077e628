/* XLSX reading streams the first sheet's XML out of the zip (libzip from memory, expat in
 * chunks) and hands each row to the caller; shared strings are loaded first into one pool.
 * Hostile input is bounded: unpacked bytes, shared strings, cell text, XML depth, columns
 * and rows all have limits, and a DOCTYPE (the way to entity tricks) is refused.
 * Writing is in core/xlsx_write.c. */
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
#include <expat.h>
#include <zip.h>

/* ------------------------------------------------------------------ reading */

#define MAX_UNPACKED       (512u * 1024 * 1024) /* bytes unpacked from all entries read */
#define MAX_SHARED_STRINGS (4u * 1024 * 1024)
#define MAX_SHARED_BYTES   (256u * 1024 * 1024)
#define MAX_DEPTH          128
#define READ_CHUNK         65536
#define NS_SEP             '\x01' /* between namespace URI and local name; not in any XML */

enum doc { DOC_WORKBOOK, DOC_RELS, DOC_SST, DOC_SHEET };

enum tag {
	T_OTHER,
	T_ROOT,
	T_SHEETS,
	T_SHEET,
	T_REL,
	T_SI,
	T_SHEETDATA,
	T_ROW,
	T_C,
	T_V,
	T_IS,
	T_R,
	T_T,
};

struct reader {
	zip_t *zip;
	XML_Parser parser;
	enum doc doc;
	const char *entry; /* the entry being parsed, for messages */
	size_t unpacked;
	char *err;
	size_t errlen;
	bool failed, stopped;
	unsigned char stack[MAX_DEPTH];
	int depth;
	/* workbook.xml and its relationships */
	char rid[128];
	bool have_rid;
	char sheet_path[MAX_PATH_LEN];
	char sst_path[MAX_PATH_LEN];
	/* shared strings: NUL-terminated strings in pool at offsets sst[i] */
	struct buf pool;
	size_t *sst;
	size_t nsst, capsst;
	/* text of the current shared string or cell; t_start is where the current <t> or <v> began
	 */
	struct buf text;
	size_t t_start;
	/* the current row: cell text in row (NUL-terminated), column i at off[i] or SIZE_MAX */
	size_t row_number, prev_row;
	struct buf row;
	size_t off[XLSX_MAX_COLUMNS];
	int ncells;   /* last non-empty column + 1 */
	int next_col; /* the column a cell without r="" takes */
	int cell_col;
	char cell_type;
	xlsx_row_fn fn;
	void *ctx;
};

__attribute__((format(printf, 2, 3))) static void fail(struct reader *rd, const char *fmt, ...)
{
	if (!rd->failed && rd->err && rd->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(rd->err, rd->errlen, fmt, ap);
		va_end(ap);
	}
	rd->failed = true;
	if (rd->parser)
		XML_StopParser(rd->parser, XML_FALSE);
}

static const char *local_name(const char *name)
{
	const char *sep = strrchr(name, NS_SEP);
	return sep ? sep + 1 : name;
}

/* The value of attribute local (namespaced or not, as asked), or NULL. */
static const char *attr(const char **atts, const char *local, bool namespaced)
{
	for (int i = 0; atts[i]; i += 2) {
		const char *sep = strrchr(atts[i], NS_SEP);
		if (namespaced ? sep && strcmp(sep + 1, local) == 0
		               : !sep && strcmp(atts[i], local) == 0)
			return atts[i + 1];
	}
	return NULL;
}

static enum tag classify(enum doc doc, int parent, const char *n)
{
	switch (doc) {
	case DOC_WORKBOOK:
		if (parent < 0)
			return strcmp(n, "workbook") == 0 ? T_ROOT : T_OTHER;
		if (parent == T_ROOT && strcmp(n, "sheets") == 0)
			return T_SHEETS;
		if (parent == T_SHEETS && strcmp(n, "sheet") == 0)
			return T_SHEET;
		return T_OTHER;
	case DOC_RELS:
		if (parent < 0)
			return strcmp(n, "Relationships") == 0 ? T_ROOT : T_OTHER;
		if (parent == T_ROOT && strcmp(n, "Relationship") == 0)
			return T_REL;
		return T_OTHER;
	case DOC_SST:
		if (parent < 0)
			return strcmp(n, "sst") == 0 ? T_ROOT : T_OTHER;
		if (parent == T_ROOT && strcmp(n, "si") == 0)
			return T_SI;
		if (parent == T_SI && strcmp(n, "r") == 0)
			return T_R;
		/* <t> of the string or of its runs; <rPh> phonetic runs are left out */
		if ((parent == T_SI || parent == T_R) && strcmp(n, "t") == 0)
			return T_T;
		return T_OTHER;
	case DOC_SHEET:
		if (parent < 0)
			return strcmp(n, "worksheet") == 0 ? T_ROOT : T_OTHER;
		if (parent == T_ROOT && strcmp(n, "sheetData") == 0)
			return T_SHEETDATA;
		if (parent == T_SHEETDATA && strcmp(n, "row") == 0)
			return T_ROW;
		if (parent == T_ROW && strcmp(n, "c") == 0)
			return T_C;
		if (parent == T_C && strcmp(n, "v") == 0)
			return T_V;
		if (parent == T_C && strcmp(n, "is") == 0)
			return T_IS;
		if (parent == T_IS && strcmp(n, "r") == 0)
			return T_R;
		if ((parent == T_IS || parent == T_R) && strcmp(n, "t") == 0)
			return T_T;
		return T_OTHER;
	}
	return T_OTHER;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The code unit of an Excel escape _xHHHH_ at s (len bytes left), or -1. */
long xlsx_escape_at(const char *s, size_t len)
{
	if (len < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
		return -1;
	long v = 0;
	for (int i = 2; i < 6; i++) {
		int h = hex_value(s[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static size_t put_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Decodes Excel's _xHHHH_ escapes in s[0..len) in place (the text only shrinks) and returns
 * the new length. _x0000_ and unpaired surrogates stay as they are. */
static size_t decode_escapes(char *s, size_t len)
{
	size_t i = 0, o = 0;
	while (i < len) {
		long v = s[i] == '_' ? xlsx_escape_at(s + i, len - i) : -1;
		if (v >= 0xD800 && v <= 0xDBFF) {
			long lo = xlsx_escape_at(s + i + 7, len - i - 7);
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				unsigned long cp = 0x10000 + (((unsigned long)v - 0xD800) << 10) +
				                   ((unsigned long)lo - 0xDC00);
				o += put_utf8(s + o, cp);
				i += 14;
				continue;
			}
		} else if (v > 0 && !(v >= 0xDC00 && v <= 0xDFFF)) {
			o += put_utf8(s + o, (unsigned long)v);
			i += 7;
			continue;
		}
		s[o++] = s[i++];
	}
	return o;
}

/* Resolves a relationship target against xl/ into out ("/x" is from the package root). */
static bool resolve_target(const char *target, char *out, size_t outlen)
{
	char joined[MAX_PATH_LEN];
	int n = target[0] == '/' ? snprintf(joined, sizeof(joined), "%s", target + 1)
	                         : snprintf(joined, sizeof(joined), "xl/%s", target);
	if (n < 0 || (size_t)n >= sizeof(joined) || (size_t)n >= outlen)
		return false;
	/* Normalise "." and ".." segments. */
	size_t o = 0;
	char *save = NULL;
	for (char *seg = strtok_r(joined, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			if (o == 0)
				return false;
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--; /* the slash before the dropped segment */
			continue;
		}
		size_t sl = strlen(seg);
		if (o + (o ? 1 : 0) + sl + 1 > outlen)
			return false;
		if (o)
			out[o++] = '/';
		memcpy(out + o, seg, sl);
		o += sl;
	}
	out[o] = '\0';
	return o > 0;
}

static void on_relationship(struct reader *rd, const char **atts)
{
	const char *id = attr(atts, "Id", false), *target = attr(atts, "Target", false);
	const char *type = attr(atts, "Type", false), *mode = attr(atts, "TargetMode", false);
	if (!id || !target || (mode && strcmp(mode, "External") == 0))
		return;
	if (rd->have_rid && !rd->sheet_path[0] && strcmp(id, rd->rid) == 0)
		resolve_target(target, rd->sheet_path, sizeof(rd->sheet_path));
	static const char sst_type[] = "/sharedStrings";
	size_t tl = type ? strlen(type) : 0;
	if (!rd->sst_path[0] && tl >= sizeof(sst_type) - 1 &&
	    strcmp(type + tl - (sizeof(sst_type) - 1), sst_type) == 0)
		resolve_target(target, rd->sst_path, sizeof(rd->sst_path));
}

/* Column index (A = 0) of a cell reference like "BC12", or -1. */
static int parse_cell_ref(const char *r)
{
	int col = 0, letters = 0;
	for (; (*r >= 'A' && *r <= 'Z') || (*r >= 'a' && *r <= 'z'); r++) {
		if (++letters > 3)
			return -1;
		col = col * 26 + ((*r | 0x20) - 'a' + 1);
	}
	if (!letters || col > 16384) /* XFD */
		return -1;
	for (; *r; r++)
		if (*r < '0' || *r > '9')
			return -1;
	return col - 1;
}

/* A decimal number of at most 10 digits, or -1. */
static long long parse_index(const char *s, size_t len)
{
	if (len == 0 || len > 10)
		return -1;
	long long v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static void begin_row(struct reader *rd, const char **atts)
{
	const char *r = attr(atts, "r", false);
	if (r) {
		long long n = parse_index(r, strlen(r));
		if (n < 1 || n > XLSX_MAX_ROWS) {
			fail(rd, "工作表的行号无效（第 %zu 行之后）", rd->prev_row);
			return;
		}
		rd->row_number = (size_t)n;
	} else {
		rd->row_number = rd->prev_row + 1;
		if (rd->row_number > XLSX_MAX_ROWS) {
			fail(rd, "工作表超过 %d 行", XLSX_MAX_ROWS);
			return;
		}
	}
	rd->row.len = 0;
	rd->ncells = 0;
	rd->next_col = 0;
}

static void end_row(struct reader *rd)
{
	rd->prev_row = rd->row_number;
	if (rd->ncells == 0)
		return;
	const char *cells[XLSX_MAX_COLUMNS];
	for (int i = 0; i < rd->ncells; i++)
		cells[i] = rd->off[i] == SIZE_MAX ? "" : rd->row.data + rd->off[i];
	if (rd->fn(rd->ctx, rd->row_number, cells, rd->ncells) != 0) {
		rd->stopped = true;
		XML_StopParser(rd->parser, XML_FALSE);
	}
}

static void begin_cell(struct reader *rd, const char **atts)
{
	const char *r = attr(atts, "r", false), *t = attr(atts, "t", false);
	if (r) {
		rd->cell_col = parse_cell_ref(r);
		if (rd->cell_col < 0) {
			fail(rd, "第 %zu 行的单元格引用无效", rd->row_number);
			return;
		}
	} else {
		rd->cell_col = rd->next_col;
	}
	rd->cell_type = 'n';
	if (t) {
		if (strcmp(t, "s") == 0)
			rd->cell_type = 's';
		else if (strcmp(t, "b") == 0)
			rd->cell_type = 'b';
		else if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0)
			rd->cell_type = 'i'; /* text that may hold _xHHHH_ escapes */
	}
	rd->text.len = 0;
}

static void end_cell(struct reader *rd)
{
	const char *val = rd->text.data ? rd->text.data : "";
	size_t len = rd->text.len;
	if (rd->cell_type == 's' && len) {
		long long i = parse_index(val, len);
		if (i < 0 || (size_t)i >= rd->nsst) {
			fail(rd, "第 %zu 行引用了不存在的共享字符串", rd->row_number);
			return;
		}
		val = rd->pool.data + rd->sst[i];
		len = strlen(val);
	} else if (rd->cell_type == 'b' && len == 1 && (val[0] == '0' || val[0] == '1')) {
		val = val[0] == '1' ? "TRUE" : "FALSE";
		len = strlen(val);
	}
	int col = rd->cell_col;
	if (col < rd->next_col) {
		fail(rd, "第 %zu 行的单元格重复或顺序颠倒", rd->row_number);
		return;
	}
	rd->next_col = col + 1;
	if (!len)
		return;
	if (col >= XLSX_MAX_COLUMNS) {
		fail(rd, "第 %zu 行超过 %d 列上限", rd->row_number, XLSX_MAX_COLUMNS);
		return;
	}
	for (int i = rd->ncells; i < col; i++)
		rd->off[i] = SIZE_MAX;
	rd->off[col] = rd->row.len;
	buf_append(&rd->row, val, len);
	buf_append(&rd->row, "", 1);
	rd->ncells = col + 1;
}

static void end_shared_string(struct reader *rd)
{
	if (rd->nsst >= MAX_SHARED_STRINGS) {
		fail(rd, "共享字符串超过 %u 个", MAX_SHARED_STRINGS);
		return;
	}
	if (rd->pool.len + rd->text.len + 1 > MAX_SHARED_BYTES) {
		fail(rd, "共享字符串总量超过 %u MiB", MAX_SHARED_BYTES >> 20);
		return;
	}
	if (rd->nsst == rd->capsst) {
		rd->capsst = rd->capsst ? rd->capsst * 2 : 1024;
		rd->sst = xrealloc(rd->sst, rd->capsst * sizeof(*rd->sst));
	}
	rd->sst[rd->nsst++] = rd->pool.len;
	buf_append(&rd->pool, rd->text.data ? rd->text.data : "", rd->text.len);
	buf_append(&rd->pool, "", 1);
}

static void XMLCALL on_start(void *ud, const char *name, const char **atts)
{
	struct reader *rd = ud;
	if (rd->failed || rd->stopped)
		return;
	if (rd->depth == MAX_DEPTH) {
		fail(rd, "%s 的 XML 嵌套过深", rd->entry);
		return;
	}
	int parent = rd->depth ? rd->stack[rd->depth - 1] : -1;
	enum tag tag = classify(rd->doc, parent, local_name(name));
	rd->stack[rd->depth++] = (unsigned char)tag;
	switch (tag) {
	case T_SHEET:
		if (!rd->have_rid) {
			const char *id = attr(atts, "id", true);
			if (id && strlen(id) < sizeof(rd->rid)) {
				strcpy(rd->rid, id);
				rd->have_rid = true;
			}
		}
		break;
	case T_REL:
		on_relationship(rd, atts);
		break;
	case T_SI:
		rd->text.len = 0;
		break;
	case T_ROW:
		begin_row(rd, atts);
		break;
	case T_C:
		begin_cell(rd, atts);
		break;
	case T_V:
	case T_T:
		rd->t_start = rd->text.len;
		break;
	default:
		break;
	}
}

static void XMLCALL on_end(void *ud, const char *name)
{
	(void)name;
	struct reader *rd = ud;
	if (rd->failed || rd->stopped || rd->depth == 0)
		return;
	enum tag tag = rd->stack[--rd->depth];
	switch (tag) {
	case T_T:
	case T_V:
		if (tag == T_T || rd->cell_type == 'i') {
			size_t n =
			    decode_escapes(rd->text.data ? rd->text.data + rd->t_start : NULL,
			                   rd->text.len - rd->t_start);
			rd->text.len = rd->t_start + n;
			if (rd->text.data)
				rd->text.data[rd->text.len] = '\0';
		}
		break;
	case T_SI:
		end_shared_string(rd);
		break;
	case T_C:
		end_cell(rd);
		break;
	case T_ROW:
		end_row(rd);
		break;
	default:
		break;
	}
}

static void XMLCALL on_text(void *ud, const char *s, int len)
{
	struct reader *rd = ud;
	if (rd->failed || rd->stopped || rd->depth == 0)
		return;
	int tag = rd->stack[rd->depth - 1];
	if (tag != T_T && tag != T_V)
		return;
	if (rd->text.len + (size_t)len > XLSX_MAX_CELL_BYTES) {
		if (rd->doc == DOC_SST)
			fail(rd, "第 %zu 个共享字符串过长", rd->nsst + 1);
		else
			fail(rd, "第 %zu 行的单元格文本过长", rd->row_number);
		return;
	}
	buf_append(&rd->text, s, (size_t)len);
}

static void XMLCALL on_doctype(void *ud, const char *name, const char *sysid, const char *pubid,
                               int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	struct reader *rd = ud;
	fail(rd, "%s 含有 DOCTYPE 声明，不是有效的 XLSX 文件", rd->entry);
}

static zip_int64_t locate(struct reader *rd, const char *name)
{
	return name[0] ? zip_name_locate(rd->zip, name, ZIP_FL_NOCASE) : -1;
}

/* Streams entry idx through expat with the handlers of doc. */
static void parse_entry(struct reader *rd, zip_int64_t idx, const char *name, enum doc doc)
{
	rd->entry = name;
	rd->doc = doc;
	rd->depth = 0;
	zip_file_t *zf = zip_fopen_index(rd->zip, (zip_uint64_t)idx, 0);
	if (!zf) {
		fail(rd, "XLSX 文件已损坏（%s：%s）", name, zip_strerror(rd->zip));
		return;
	}
	XML_Parser p = XML_ParserCreateNS(NULL, NS_SEP);
	if (!p) {
		zip_fclose(zf);
		fail(rd, "内存不足，无法读取 XLSX");
		return;
	}
	XML_SetUserData(p, rd);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
	rd->parser = p;
	for (;;) {
		void *chunk = XML_GetBuffer(p, READ_CHUNK);
		if (!chunk) {
			fail(rd, "内存不足，无法读取 XLSX");
			break;
		}
		zip_int64_t n = zip_fread(zf, chunk, READ_CHUNK);
		if (n < 0) {
			fail(rd, "XLSX 文件已损坏（%s：%s）", name, zip_file_strerror(zf));
			break;
		}
		if ((zip_uint64_t)n > MAX_UNPACKED - rd->unpacked) {
			fail(rd, "XLSX 文件解压后超过 %u MiB 上限", MAX_UNPACKED >> 20);
			break;
		}
		rd->unpacked += (size_t)n;
		if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
			if (!rd->failed && !rd->stopped)
				fail(rd, "XLSX 内容格式错误（%s 第 %lu 行：%s）", name,
				     (unsigned long)XML_GetCurrentLineNumber(p),
				     XML_ErrorString(XML_GetErrorCode(p)));
			break;
		}
		if (n == 0)
			break;
	}
	rd->parser = NULL;
	XML_ParserFree(p);
	zip_fclose(zf);
}

static void read_workbook(struct reader *rd)
{
	static const char fallback[] = "xl/worksheets/sheet1.xml";
	zip_int64_t idx = locate(rd, "xl/workbook.xml");
	if (idx >= 0)
		parse_entry(rd, idx, "xl/workbook.xml", DOC_WORKBOOK);
	if (!rd->failed && rd->have_rid) {
		idx = locate(rd, "xl/_rels/workbook.xml.rels");
		if (idx >= 0)
			parse_entry(rd, idx, "xl/_rels/workbook.xml.rels", DOC_RELS);
	}
	if (rd->failed)
		return;

	if (!rd->sst_path[0])
		strcpy(rd->sst_path, "xl/sharedStrings.xml");
	idx = locate(rd, rd->sst_path);
	if (idx >= 0)
		parse_entry(rd, idx, rd->sst_path, DOC_SST);
	if (rd->failed)
		return;

	idx = locate(rd, rd->sheet_path);
	if (idx < 0) {
		strcpy(rd->sheet_path, fallback);
		idx = locate(rd, rd->sheet_path);
	}
	if (idx < 0) {
		fail(rd, "XLSX 文件中找不到工作表");
		return;
	}
	parse_entry(rd, idx, rd->sheet_path, DOC_SHEET);
}

int xlsx_read(const void *data, size_t len, xlsx_row_fn fn, void *ctx, char *err, size_t errlen)
{
	struct reader *rd = xcalloc(1, sizeof(*rd));
	rd->err = err;
	rd->errlen = errlen;
	rd->fn = fn;
	rd->ctx = ctx;
	if (err && errlen)
		err[0] = '\0';
	buf_init(&rd->pool);
	buf_init(&rd->text);
	buf_init(&rd->row);

	static const unsigned char cfb[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	if (len >= sizeof(cfb) && memcmp(data, cfb, sizeof(cfb)) == 0) {
		fail(rd, "这是旧版 Excel（.xls）或加密的文件，请另存为 .xlsx 后再导入");
	} else if (len < 22) { /* shorter than a zip's end record */
		fail(rd, "不是有效的 XLSX 文件");
	} else {
		zip_error_t ze;
		zip_error_init(&ze);
		zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
		if (src) {
			rd->zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
			if (!rd->zip)
				zip_source_free(src);
		}
		if (rd->zip)
			read_workbook(rd);
		else
			fail(rd, "不是有效的 XLSX 文件（%s）", zip_error_strerror(&ze));
		zip_error_fini(&ze);
	}

	int rc = rd->failed ? -1 : rd->stopped ? 1 : 0;
	if (rd->zip)
		zip_discard(rd->zip);
	buf_free(&rd->pool);
	buf_free(&rd->text);
	buf_free(&rd->row);
	free(rd->sst);
	free(rd);
	return rc;
}
