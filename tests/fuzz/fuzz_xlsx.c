/* libFuzzer driver for the XLSX reader (base-data imports): arbitrary bytes never crash it,
 * every row it yields is well-formed UTF-8 within the limits, a failure always says why, and
 * the first rows written back with the XLSX writer read the same again.
 * Input that does not look like a zip is also read as the sheet XML of a made-up workbook
 * (text before a NUL byte, if any, as its shared strings), so the XML paths get mutated
 * directly and not only through compressed, checksummed zip entries. */
#include "core/text.h"
#include "core/xlsx.h"
#include "fuzz_common.h"

#include <stdbool.h>
#include <zip.h>

enum { KEEP_ROWS = 4 };

struct rows {
	int seen;
	int stop_after; /* 0: never */
	size_t prev_row;
	int kept;
	char *cells[KEEP_ROWS][XLSX_MAX_COLUMNS];
	int ncells[KEEP_ROWS];
};

static bool utf8_ok(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_sequence_len(p);
		if (!n)
			return false;
		p += n;
	}
	return true;
}

static int on_row(void *ctx, size_t row_number, const char **cells, int ncells)
{
	struct rows *r = ctx;
	FUZZ_CHECK(row_number >= 1 && row_number <= XLSX_MAX_ROWS, "row number %zu", row_number);
	FUZZ_CHECK(ncells >= 1 && ncells <= XLSX_MAX_COLUMNS, "ncells %d", ncells);
	FUZZ_CHECK(cells[ncells - 1][0] != '\0', "trailing empty cell in row %zu", row_number);
	for (int i = 0; i < ncells; i++) {
		FUZZ_CHECK(cells[i] != NULL, "NULL cell %d", i);
		FUZZ_CHECK(strlen(cells[i]) <= XLSX_MAX_CELL_BYTES, "cell %d too long", i);
		FUZZ_CHECK(utf8_ok(cells[i]), "cell %d of row %zu is not UTF-8", i, row_number);
	}
	if (r->kept < KEEP_ROWS) {
		for (int i = 0; i < ncells; i++)
			r->cells[r->kept][i] = xstrdup(cells[i]);
		r->ncells[r->kept++] = ncells;
	}
	r->seen++;
	return r->stop_after && r->seen >= r->stop_after;
}

static void rows_free(struct rows *r)
{
	for (int k = 0; k < r->kept; k++)
		for (int i = 0; i < r->ncells[k]; i++)
			free(r->cells[k][i]);
	memset(r, 0, sizeof(*r));
}

/* Reads data, checks the outcome, and leaves the first rows in r. */
static void read_checked(const void *data, size_t size, int stop_after, struct rows *r)
{
	memset(r, 0, sizeof(*r));
	r->stop_after = stop_after;
	char err[256];
	memset(err, 'x', sizeof(err));
	int rc = xlsx_read(data, size, on_row, r, err, sizeof(err));
	FUZZ_CHECK(rc >= -1 && rc <= 1, "rc %d", rc);
	if (rc == -1)
		FUZZ_CHECK(err[0] != '\0' && memchr(err, '\0', sizeof(err)) != NULL,
		           "failure without a reason");
	FUZZ_CHECK((rc == 1) == (stop_after && r->seen >= stop_after), "stop: rc %d after %d rows",
	           rc, r->seen);
}

/* The kept rows written with the writer and read back are the same. */
static void round_trip(const struct rows *r)
{
	struct xlsx_writer *w = xlsx_writer_new("往返");
	FUZZ_CHECK(w != NULL, "writer_new failed");
	bool small = true;
	for (int k = 0; k < r->kept; k++) {
		for (int i = 0; i < r->ncells[k]; i++)
			small = small && strlen(r->cells[k][i]) <= 16000;
		if (!xlsx_writer_row(w, (const char *const *)r->cells[k], r->ncells[k])) {
			/* Only Excel's cell length limit may refuse a row that was read. */
			FUZZ_CHECK(!small, "writer refused row %d", k);
			xlsx_writer_free(w);
			return;
		}
	}
	char *out;
	size_t len;
	FUZZ_CHECK(xlsx_writer_finish(w, &out, &len), "writer_finish failed");
	struct rows again;
	read_checked(out, len, 0, &again);
	FUZZ_CHECK(again.seen == r->kept, "round trip: %d rows, read back %d", r->kept, again.seen);
	for (int k = 0; k < r->kept; k++) {
		FUZZ_CHECK(again.ncells[k] == r->ncells[k], "round trip: row %d cell count", k);
		for (int i = 0; i < r->ncells[k]; i++)
			FUZZ_CHECK(strcmp(again.cells[k][i], r->cells[k][i]) == 0,
			           "round trip: row %d cell %d changed", k, i);
	}
	rows_free(&again);
	free(out);
}

/* A stored (uncompressed) zip of the made-up workbook around sst and sheet. */
static char *wrap(const char *sst, size_t sst_len, const char *sheet, size_t sheet_len,
                  size_t *out_len)
{
	static const char workbook[] =
	    "<workbook xmlns:r=\"urn:r\"><sheets><sheet r:id=\"rId1\"/></sheets></workbook>";
	static const char rels[] =
	    "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
	    "<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\"sharedStrings.xml\"/>"
	    "</Relationships>";
	const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
	                       "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"};
	const char *bodies[] = {workbook, rels, sst, sheet};
	size_t lens[] = {sizeof(workbook) - 1, sizeof(rels) - 1, sst_len, sheet_len};

	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, NULL);
	FUZZ_CHECK(src != NULL, "zip_source_buffer_create");
	zip_source_keep(src);
	zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, NULL);
	FUZZ_CHECK(za != NULL, "zip_open_from_source");
	for (int i = 0; i < 4; i++) {
		zip_source_t *s = zip_source_buffer(za, bodies[i], lens[i], 0);
		FUZZ_CHECK(s != NULL, "zip_source_buffer");
		zip_int64_t idx = zip_file_add(za, names[i], s, 0);
		FUZZ_CHECK(idx >= 0, "zip_file_add");
		zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	}
	FUZZ_CHECK(zip_close(za) == 0, "zip_close");
	FUZZ_CHECK(zip_source_open(src) == 0, "zip_source_open");
	zip_source_seek(src, 0, SEEK_END);
	zip_int64_t size = zip_source_tell(src);
	FUZZ_CHECK(size > 0, "zip size");
	zip_source_seek(src, 0, SEEK_SET);
	char *bytes = xmalloc((size_t)size);
	FUZZ_CHECK(zip_source_read(src, bytes, (zip_uint64_t)size) == size, "zip_source_read");
	zip_source_close(src);
	zip_source_free(src);
	*out_len = (size_t)size;
	return bytes;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	int stop_after = size ? data[size - 1] % 8 : 0;
	struct rows r;

	/* The bytes as a workbook. */
	uint8_t *copy = xmalloc(size ? size : 1);
	if (size)
		memcpy(copy, data, size); /* exact size: ASan sees any overread */
	read_checked(copy, size, stop_after, &r);
	if (r.kept)
		round_trip(&r);
	rows_free(&r);
	free(copy);

	/* The bytes as sheet XML (and shared strings before a NUL byte). */
	if (size >= 2 && data[0] == 'P' && data[1] == 'K')
		return 0;
	static const char fixed_sst[] = "<sst><si><t>甲</t></si><si><r><t>乙</t></r>"
	                                "<r><t>_x000D__x0041_</t></r></si></sst>";
	const char *sst = fixed_sst, *sheet = (const char *)data;
	size_t sst_len = sizeof(fixed_sst) - 1, sheet_len = size;
	const uint8_t *nul = size ? memchr(data, 0, size) : NULL;
	if (nul) {
		sst = (const char *)data;
		sst_len = (size_t)(nul - data);
		sheet = (const char *)nul + 1;
		sheet_len = size - sst_len - 1;
	}
	size_t zlen;
	char *zip = wrap(sst, sst_len, sheet, sheet_len, &zlen);
	read_checked(zip, zlen, stop_after, &r);
	if (r.kept)
		round_trip(&r);
	rows_free(&r);
	free(zip);
	return 0;
}
