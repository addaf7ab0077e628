/* A spool: bytes written in order to a temporary file that has no name (made and unlinked
 * at once, mode 0600), then handed over as an open descriptor. A big export is built on
 * disk a buffer at a time instead of in memory, and sent from the file. */
#ifndef JICENG_CORE_SPOOL_H
#define JICENG_CORE_SPOOL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

struct spool {
	int fd;
	struct buf pending; /* written to the file when it grows past a chunk */
	size_t written;
	bool failed;
};

/* In $TMPDIR (or /tmp). False when no file could be made. */
bool spool_open(struct spool *s);
void spool_write(struct spool *s, const void *p, size_t n);
/* The buffer a caller may append to directly; spool_flush_if_full after. */
struct buf *spool_buf(struct spool *s);
void spool_flush_if_full(struct spool *s);
/* Writes what is pending and gives the descriptor, positioned at the start, and the
 * size; the caller closes it. On failure (or a failed write earlier) false, closed. */
bool spool_finish(struct spool *s, int *fd, size_t *len);
/* Drops an unfinished spool. */
void spool_discard(struct spool *s);

#endif
