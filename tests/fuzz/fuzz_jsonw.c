/* The streaming JSON writer (core/jsonw.c) against jansson: for any string and any real, what
 * it writes parses, and where jansson takes the value (valid UTF-8, a finite real) it is byte
 * for byte jansson's compact dump of the same document. */
#include "fuzz_common.h"

#include <jansson.h>
#include <math.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/jsonw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		json_setup();
		ready = true;
	}
	double r = 0;
	if (size >= sizeof r) {
		memcpy(&r, data, sizeof r);
		data += sizeof r;
		size -= sizeof r;
	}
	/* "%.10g" rounds values next to DBL_MAX above it, which no reader takes back; jansson's
	 * own dump does the same. */
	if (isfinite(r) && fabs(r) > 1.7976931e308)
		r = 0;
	char *s = fuzz_cstr(data, size);
	struct buf b;
	buf_init(&b);
	struct jw w;
	jw_init(&w, &b);
	jw_arr(&w);
	jw_str(&w, s);
	jw_obj(&w);
	jw_kstr(&w, s, s);
	jw_obj_end(&w);
	jw_real(&w, r);
	jw_arr_end(&w);

	json_error_t err;
	json_t *back = json_loadb(b.data, b.len, 0, &err);
	FUZZ_CHECK(back && json_is_array(back), "the writer's output does not parse: %s", err.text);
	json_decref(back);

	json_t *str = json_string(s), *real = isfinite(r) ? json_real(r) : json_null();
	if (str && real) {
		json_t *want = json_array(), *o = json_object();
		json_array_append(want, str);
		json_object_set(o, s, str);
		json_array_append_new(want, o);
		json_array_append(want, real);
		char *dump = json_to_string(want, NULL);
		FUZZ_CHECK(strcmp(dump, b.data) == 0, "writer and jansson differ:\n  %s\n  %s",
		           b.data, dump);
		free(dump);
		json_decref(want);
	}
	json_decref(str);
	json_decref(real);
	buf_free(&b);
	free(s);
	return 0;
}
