/* Resident fields as an import row brings them: the input is split on '\n' into name,
 * id_number, phone, residency, relation, status, note and tags. Whatever resident_check
 * accepts must be consistent (an accepted ID number has a real date and the gender its
 * sequence says), tags must round-trip through their list form, and masks must never
 * leave more than 7 characters of a value in clear. */
#include "fuzz_common.h"

#include "domain/person.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_cstr(data, size);
	const char *part[8] = {NULL};
	char *p = copy;
	for (int i = 0; i < 8 && p; i++) {
		part[i] = p;
		char *nl = strchr(p, '\n');
		if (nl)
			*nl++ = 0;
		p = nl;
	}
	struct resident_fields f = {.name = part[0],
	                            .id_number = part[1],
	                            .phone = part[2],
	                            .residency = part[3],
	                            .relation = part[4],
	                            .status = part[5],
	                            .note = part[6],
	                            .tags = part[7]};
	for (int creating = 0; creating < 2; creating++) {
		struct resident_checked c;
		struct field_errors e = {.n = 0};
		resident_check(&f, creating, &c, &e);
		FUZZ_CHECK(e.n >= 0 && e.n <= FIELD_ERRORS_MAX, "error count %d", e.n);
		for (int i = 0; i < e.n; i++)
			FUZZ_CHECK(e.e[i].field && e.e[i].code && e.e[i].message,
			           "incomplete error");
		if (c.has_id) {
			FUZZ_CHECK(c.cid.month >= 1 && c.cid.month <= 12 && c.cid.day >= 1 &&
			               c.cid.day <= 31,
			           "accepted a bad date");
			FUZZ_CHECK(c.cid.gender == 'M' || c.cid.gender == 'F', "no gender");
		}
	}
	uint32_t bits;
	char bad[64];
	if (part[7] && tags_parse_list(part[7], &bits, bad, sizeof bad)) {
		char plain[512], restricted[512], joined[1100];
		tags_format(bits, false, plain, sizeof plain);
		tags_format(bits, true, restricted, sizeof restricted);
		snprintf(joined, sizeof joined, "%s,%s", plain, restricted);
		uint32_t again;
		FUZZ_CHECK(tags_parse_list(joined, &again, NULL, 0) && again == bits,
		           "tags did not round-trip");
	}
	for (int i = 0; i < 3; i++) {
		if (!part[i])
			continue;
		char m[256];
		mask_id_number(part[i], m, sizeof m);
		size_t clear = 0;
		for (const char *q = m; *q; q++)
			clear += *q != '*';
		FUZZ_CHECK(clear <= 7 || strlen(part[i]) >= sizeof m, "mask left %zu in clear",
		           clear);
		mask_phone(part[i], m, sizeof m);
	}
	free(copy);
	return 0;
}
