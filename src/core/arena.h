/* Per-request bump allocator: everything a request allocates is freed in one
 * call when the request ends (the h2o memory-pool habit). Not thread-safe:
 * an arena belongs to one request on one thread. */
#ifndef JICENG_CORE_ARENA_H
#define JICENG_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
