/* libFuzzer driver for the CSV reader (responsibility-list and base-data imports):
 * never reads past the input, and a record written back with csv_field reads the
 * same again — a field that starts like a formula (= + - @ TAB CR) comes back defused
 * with a leading quote, which csv_unguard (what the import applies) takes off again. */
#include "core/csv.h"
#include "fuzz_common.h"

#include <stdbool.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *copy = xmalloc(size ? size : 1);
	if (size)
		memcpy(copy, data, size); /* exact size: ASan sees any overread */
	struct arena a;
	arena_init(&a);
	struct csv_reader r;
	csv_reader_init(&r, copy, size);
	const char *fields[CSV_MAX_FIELDS];
	int n;
	while ((n = csv_next(&r, &a, fields)) > 0) {
		FUZZ_CHECK(n <= CSV_MAX_FIELDS, "too many fields: %d", n);
		bool has_nul_cut = memchr(copy, 0, size) != NULL;
		/* A leading BOM in the first field would be read as the file's BOM. */
		bool bom = strncmp(fields[0], "\xEF\xBB\xBF", 3) == 0;
		if (has_nul_cut || bom)
			continue;
		struct buf b;
		buf_init(&b);
		for (int i = 0; i < n; i++)
			csv_field(&b, fields[i], i + 1 == n);
		struct csv_reader r2;
		csv_reader_init(&r2, b.data, b.len);
		const char *again[CSV_MAX_FIELDS];
		int m = csv_next(&r2, &a, again);
		/* A record of one empty field writes as a blank line, which the reader skips. */
		if (!(n == 1 && fields[0][0] == '\0')) {
			FUZZ_CHECK(m == n, "round trip changed the field count: %d -> %d", n, m);
			for (int i = 0; i < n; i++) {
				bool risky = csv_formula_risk(fields[i]);
				FUZZ_CHECK(!risky || again[i][0] == '\'', "field %d not defused",
				           i);
				const char *back = risky ? csv_unguard(again[i]) : again[i];
				FUZZ_CHECK(strcmp(fields[i], back) == 0, "field %d changed", i);
			}
		}
		buf_free(&b);
	}
	arena_free(&a);
	free(copy);
	return 0;
}
