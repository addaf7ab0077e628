/* Allocation wrappers that never return NULL: on exhaustion the process logs
 * and aborts, so callers need no NULL checks and no half-built objects exist. */
#ifndef JICENG_CORE_MEM_H
#define JICENG_CORE_MEM_H

#include <stddef.h>
#include <stdlib.h> /* free() pairs with these */

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
