/* A streaming JSON writer for hot list pages: values go straight into a buf in the order they
 * are written, with no tree, no hash tables and no per-value allocation. What it writes is
 * what jansson's compact dump (core/json.h json_to_string) writes for the same values in the
 * same order: keys in insertion order, strings escaped alike (\b \f \n \r \t, other controls
 * as \u00XX, non-ASCII as is), reals as "%.10g" with ".0" added when it would read as an
 * integer. Two differences, both on values the store never holds: invalid UTF-8 becomes
 * U+FFFD (jansson refuses such a string), and a non-finite real is written as null. */
#ifndef JICENG_CORE_JSONW_H
#define JICENG_CORE_JSONW_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"

enum { JW_MAX_DEPTH = 32 };

struct jw {
	struct buf *b;
	int depth;
	bool after_key;               /* a key was written: its value comes next */
	bool has_items[JW_MAX_DEPTH]; /* the open container at each depth has a member */
};

void jw_init(struct jw *w, struct buf *b);
void jw_obj(struct jw *w); /* { */
void jw_obj_end(struct jw *w);
void jw_arr(struct jw *w); /* [ */
void jw_arr_end(struct jw *w);
/* A key inside an object: the next call writes its value. */
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s); /* NULL: null */
void jw_int(struct jw *w, int64_t v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
void jw_real(struct jw *w, double v);
void jw_time(struct jw *w, int64_t t); /* RFC 3339 in the service's zone; 0: null */
/* A jansson value, dumped in place (NULL: null). */
void jw_json(struct jw *w, const json_t *j);

/* Key and value in one call. */
void jw_kstr(struct jw *w, const char *key, const char *s);
void jw_kint(struct jw *w, const char *key, int64_t v);
void jw_kbool(struct jw *w, const char *key, bool v);
void jw_knull(struct jw *w, const char *key);
void jw_ktime(struct jw *w, const char *key, int64_t t);

#endif
