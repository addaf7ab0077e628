/* RFC 3339 timestamps from outside (query parameters, JSON bodies): time_parse
 * on arbitrary text; whatever it accepts must look like RFC 3339, and
 * time_format → time_parse must give the same instant back. */
#include "fuzz_common.h"

#include <stdbool.h>

#include "core/timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 128)
		return 0;
	char *s = fuzz_cstr(data, size);
	int64_t t = 0;
	if (time_parse(s, &t)) {
		size_t n = strlen(s);
		FUZZ_CHECK(n >= 20, "accepted %zu chars", n);
		FUZZ_CHECK(s[4] == '-' && s[7] == '-' && s[13] == ':' && s[16] == ':', "shape");
		char last = s[n - 1];
		FUZZ_CHECK(last == 'Z' || last == 'z' || (last >= '0' && last <= '9'),
		           "accepted trailing %c", last);
		/* Four-digit years and offsets under a day bound the instant. */
		FUZZ_CHECK(t >= -62167219200LL - 86400 && t <= 253402300799LL + 86400,
		           "instant %lld out of range", (long long)t);
		char out[TIME_RFC3339_LEN];
		time_format(t, out);
		int64_t back = 0;
		bool ok = time_parse(out, &back);
		FUZZ_CHECK(ok,
		           "time_parse(\"%s\") = %lld but its time_format \"%s\" does not parse", s,
		           (long long)t, out);
		FUZZ_CHECK(back == t, "round trip of \"%s\": %lld → \"%s\" → %lld", s, (long long)t,
		           out, (long long)back);
		char out2[TIME_RFC3339_LEN];
		time_format(back, out2);
		FUZZ_CHECK(strcmp(out, out2) == 0, "time_format not stable");
	}
	free(s);
	return 0;
}
