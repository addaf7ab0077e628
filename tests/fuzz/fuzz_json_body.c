/* JSON request bodies as the API reads them (api_input_begin: json_loadb with
 * JSON_REJECT_DUPLICATES), then every string checked the way api_string does
 * (no embedded NUL, text_valid_utf8, text_chars) and the document written back
 * and re-read unchanged. Reals are written with ten significant digits
 * (json_to_string), so they come back within that precision, and a real within
 * a hair of DBL_MAX rounds up past it and can no longer be read: no field of the
 * API takes such a number, and the fuzzer is told so rather than fooled. */
#include "fuzz_common.h"

#include <float.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/text.h"

static void check_string(const char *s, size_t len)
{
	/* api_string refuses strings with an embedded NUL; the rest must be sane. */
	size_t n = strlen(s);
	FUZZ_CHECK(n <= len, "strlen %zu > json_string_length %zu", n, len);
	if (n != len)
		return;
	/* jansson only accepts valid UTF-8, so the only reason for text_valid_utf8 to
	 * refuse is a control character. */
	bool ctrl = false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		ctrl = ctrl || (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7F;
	bool valid = text_valid_utf8(s);
	FUZZ_CHECK(valid == !ctrl, "text_valid_utf8 = %d on a jansson string (control: %d)", valid,
	           ctrl);
	size_t chars = text_chars(s);
	FUZZ_CHECK(chars <= n && (n == 0 || chars > 0) && chars * 4 >= n,
	           "text_chars %zu for %zu bytes", chars, n);
	/* The hot-path writer agrees with jansson about the same string. */
	struct buf b;
	buf_init(&b);
	json_write_string(&b, s);
	json_t *j = json_loadb(b.data, b.len, JSON_DECODE_ANY, NULL);
	FUZZ_CHECK(j && json_is_string(j) && strcmp(json_string_value(j), s) == 0,
	           "json_write_string does not round-trip a jansson string");
	json_decref(j);
	buf_free(&b);
}

static void walk(json_t *v, int depth)
{
	FUZZ_CHECK(depth <= 2100, "nesting deeper than jansson allows");
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *val;
		json_object_foreach(v, key, val)
		{
			check_string(key, strlen(key));
			walk(val, depth + 1);
		}
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *val;
		json_array_foreach(v, i, val) walk(val, depth + 1);
		break;
	}
	case JSON_STRING:
		check_string(json_string_value(v), json_string_length(v));
		break;
	default:
		break;
	}
}

/* Equal as json_equal, but reals only to the ten digits they are written with. */
static bool same(json_t *a, json_t *b)
{
	if (json_is_real(a) && json_is_real(b)) {
		double x = json_real_value(a), y = json_real_value(b);
		return fabs(x - y) <= 1e-9 * fmax(fabs(x), fabs(y));
	}
	if (json_typeof(a) != json_typeof(b))
		return false;
	if (json_is_array(a)) {
		if (json_array_size(a) != json_array_size(b))
			return false;
		for (size_t i = 0; i < json_array_size(a); i++)
			if (!same(json_array_get(a, i), json_array_get(b, i)))
				return false;
		return true;
	}
	if (json_is_object(a)) {
		if (json_object_size(a) != json_object_size(b))
			return false;
		const char *key;
		json_t *val;
		json_object_foreach(a, key, val)
		{
			json_t *other = json_object_get(b, key);
			if (!other || !same(val, other))
				return false;
		}
		return true;
	}
	return json_equal(a, b);
}

static bool has_edge_real(json_t *v)
{
	if (json_is_real(v))
		return fabs(json_real_value(v)) > DBL_MAX / (1 + 1e-9);
	const char *key;
	json_t *val;
	size_t i;
	if (json_is_object(v))
		json_object_foreach(v, key, val) if (has_edge_real(val)) return true;
	if (json_is_array(v))
		json_array_foreach(v, i, val) if (has_edge_real(val)) return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		json_setup();
		ready = true;
	}
	json_error_t err;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
	if (!doc) {
		FUZZ_CHECK(err.line >= -1 && err.column >= -1, "odd error position");
		return 0;
	}
	/* Without JSON_DECODE_ANY only arrays and objects are accepted. */
	FUZZ_CHECK(json_is_object(doc) || json_is_array(doc), "scalar accepted at top level");
	walk(doc, 0);
	/* What json_to_string writes reads back equal. */
	size_t len;
	char *s = json_to_string(doc, &len);
	FUZZ_CHECK(len == strlen(s), "json_to_string length");
	json_t *again = json_loadb(s, len, JSON_REJECT_DUPLICATES, &err);
	FUZZ_CHECK(again ? same(doc, again) : has_edge_real(doc),
	           "json_to_string output does not re-read: %s", again ? "different" : err.text);
	json_decref(again);
	free(s);
	json_decref(doc);
	return 0;
}
