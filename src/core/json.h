/* JSON: jansson for documents (wired to the checked allocators), plus a small
 * escaping writer for hot paths and log lines. */
#ifndef JICENG_CORE_JSON_H
#define JICENG_CORE_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"

/* Routes jansson's allocations through xmalloc; call once before any thread starts. */
void json_setup(void);
/* Appends s as a JSON string literal (quoted, escaped); invalid UTF-8 becomes U+FFFD. */
void json_write_string(struct buf *b, const char *s);
/* Serialises j compactly into a freshly allocated string (caller frees). */
char *json_to_string(const json_t *j, size_t *len);
/* Object setters that steal nothing and accept NULL as JSON null. */
void json_set_str(json_t *obj, const char *key, const char *val);
void json_set_int(json_t *obj, const char *key, int64_t val);
void json_set_bool(json_t *obj, const char *key, bool val);
void json_set_time(json_t *obj, const char *key, int64_t t); /* 0 → null */

#endif
