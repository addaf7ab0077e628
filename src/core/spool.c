#include "core/spool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SPOOL_CHUNK = 256 * 1024 };

bool spool_open(struct spool *s)
{
	memset(s, 0, sizeof *s);
	buf_init(&s->pending);
	const char *dir = getenv("TMPDIR");
	if (!dir || !dir[0])
		dir = "/tmp";
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/jiceng-spool-XXXXXX", dir) >= sizeof path)
		snprintf(path, sizeof path, "/tmp/jiceng-spool-XXXXXX");
	/* mkstemp makes it 0600; unlinked at once, it is gone with the last descriptor even
	 * if the process dies. */
	s->fd = mkstemp(path);
	if (s->fd < 0) {
		buf_free(&s->pending);
		return false;
	}
	unlink(path);
	return true;
}

static void flush(struct spool *s)
{
	size_t done = 0;
	while (!s->failed && done < s->pending.len) {
		ssize_t n = write(s->fd, s->pending.data + done, s->pending.len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			s->failed = true;
		else
			done += (size_t)n;
	}
	s->written += done;
	s->pending.len = 0;
}

void spool_write(struct spool *s, const void *p, size_t n)
{
	buf_append(&s->pending, p, n);
	spool_flush_if_full(s);
}

struct buf *spool_buf(struct spool *s)
{
	return &s->pending;
}

void spool_flush_if_full(struct spool *s)
{
	if (s->pending.len >= SPOOL_CHUNK)
		flush(s);
}

bool spool_finish(struct spool *s, int *fd, size_t *len)
{
	flush(s);
	buf_free(&s->pending);
	if (s->failed || lseek(s->fd, 0, SEEK_SET) != 0) {
		close(s->fd);
		s->fd = -1;
		return false;
	}
	*fd = s->fd;
	*len = s->written;
	s->fd = -1;
	return true;
}

void spool_discard(struct spool *s)
{
	buf_free(&s->pending);
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}
