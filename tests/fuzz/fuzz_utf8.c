/* UTF-8 validation (utf8_sequence_len, text_valid_utf8, text_chars) against a
 * straightforward reference decoder written from RFC 3629, plus the JSON string
 * writer: its output must always be valid JSON that reads back to the input
 * (invalid bytes as U+FFFD). */
#include "fuzz_common.h"

#include <jansson.h>
#include <stdbool.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/text.h"

/* Decodes the sequence at p by value: length 1–4, or 0 when invalid (or NUL). */
static size_t ref_seq(const unsigned char *p, uint32_t *cp)
{
	unsigned char c = p[0];
	size_t n;
	uint32_t v, min;
	if (c == 0)
		return 0;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		n = 2, v = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, v = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0; /* also stops at the NUL */
		v = (v << 6) | (p[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

static bool ref_valid(const unsigned char *p, size_t *chars)
{
	size_t count = 0;
	while (*p) {
		uint32_t cp;
		size_t n = ref_seq(p, &cp);
		if (!n)
			return false;
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F)
			return false;
		p += n;
		count++;
	}
	*chars = count;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		json_setup();
		ready = true;
	}
	char *s = fuzz_cstr(data, size);
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s);

	/* Sequence lengths at every offset agree with the reference. */
	for (size_t i = 0; i <= len; i++) {
		uint32_t cp;
		size_t want = ref_seq(u + i, &cp);
		size_t got = utf8_sequence_len(u + i);
		FUZZ_CHECK(got == want,
		           "utf8_sequence_len at offset %zu (byte 0x%02x): got %zu, want %zu", i,
		           u[i], got, want);
	}

	size_t ref_chars = 0;
	bool want_valid = ref_valid(u, &ref_chars);
	bool valid = text_valid_utf8(s);
	FUZZ_CHECK(valid == want_valid, "text_valid_utf8: got %d, want %d", valid, want_valid);
	if (valid) {
		size_t chars = text_chars(s);
		FUZZ_CHECK(chars == ref_chars, "text_chars: got %zu, want %zu", chars, ref_chars);
	}
	FUZZ_CHECK(text_chars(s) <= len, "text_chars > strlen");

	/* The JSON writer: always parseable, exact for valid input. */
	struct buf b;
	buf_init(&b);
	json_write_string(&b, s);
	FUZZ_CHECK(b.len >= 2 && b.data[0] == '"' && b.data[b.len - 1] == '"', "not quoted");
	json_error_t err;
	json_t *j = json_loadb(b.data, b.len, JSON_DECODE_ANY, &err);
	FUZZ_CHECK(j && json_is_string(j), "json_write_string output does not parse: %s", err.text);
	const char *back = json_string_value(j);
	FUZZ_CHECK(strlen(back) == json_string_length(j), "NUL inside the written string");
	bool back_ok = true;
	for (const unsigned char *p = (const unsigned char *)back; *p;) {
		uint32_t cp;
		size_t n = ref_seq(p, &cp);
		if (!n) {
			back_ok = false;
			break;
		}
		p += n;
	}
	FUZZ_CHECK(back_ok, "json_write_string produced invalid UTF-8");
	/* Valid UTF-8 input (control characters included) reads back unchanged. */
	bool utf8_only = true;
	for (const unsigned char *p = u; *p;) {
		uint32_t cp;
		size_t n = ref_seq(p, &cp);
		if (!n) {
			utf8_only = false;
			break;
		}
		p += n;
	}
	if (utf8_only)
		FUZZ_CHECK(strcmp(back, s) == 0, "valid input changed by json_write_string");
	json_decref(j);
	buf_free(&b);
	free(s);
	return 0;
}
