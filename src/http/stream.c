/* Streamed answers. A stream is a buffer of bytes waiting to be sent and the connection
 * they go to. MHD pulls from the buffer through a content reader; when it is empty the
 * reader suspends the connection, so an idle stream costs a socket and a few hundred bytes,
 * no thread and no polling. A write (any thread) appends and resumes the connection. One
 * lock per server guards every stream: writes are memory copies, so it is never held long.
 * A ticker thread writes heartbeats, which also find clients that went away (MHD sees a
 * suspended connection close only when it writes to it again), and ends old streams. */
#include "http/stream.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeutil.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { STREAM_BUFFER_MAX = 64 * 1024 };

struct http_stream {
	struct http_streams *reg;
	struct MHD_Connection *conn;
	struct http_stream *prev, *next;
	char *buf;
	size_t len, cap;
	int64_t opened_ns, written_ns;
	bool suspended; /* the reader suspended the connection: a write resumes it */
	bool closing;   /* send what is buffered, then end the answer */
	bool gone;      /* MHD is done with it: nothing may touch conn any more */
	struct http_stream_spec spec;
};

struct http_streams {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t ticker;
	bool ticker_running, stopping;
	unsigned max, heartbeat_s, n;
	struct http_stream *head;
};

/* Under the lock. */
static void resume(struct http_stream *st)
{
	if (st->suspended && !st->gone) {
		st->suspended = false;
		MHD_resume_connection(st->conn);
	}
}

/* Under the lock; false when the buffer would pass its bound (the stream then ends). */
static bool append(struct http_stream *st, const char *data, size_t len)
{
	if (st->closing)
		return false;
	if (st->len + len > STREAM_BUFFER_MAX) {
		st->closing = true;
		resume(st);
		return false;
	}
	if (st->len + len > st->cap) {
		size_t cap = st->cap ? st->cap : 1024;
		while (cap < st->len + len)
			cap *= 2;
		char *b = realloc(st->buf, cap);
		if (!b) {
			st->closing = true;
			resume(st);
			return false;
		}
		st->buf = b;
		st->cap = cap;
	}
	memcpy(st->buf + st->len, data, len);
	st->len += len;
	st->written_ns = time_mono_ns();
	resume(st);
	return true;
}

static void *ticker_main(void *arg)
{
	struct http_streams *r = arg;
	pthread_mutex_lock(&r->lock);
	while (!r->stopping) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&r->wake, &r->lock, &ts);
		if (r->stopping)
			break;
		int64_t now = time_mono_ns(), beat = (int64_t)r->heartbeat_s * 1000000000LL;
		for (struct http_stream *st = r->head; st; st = st->next) {
			if (st->closing || st->gone)
				continue;
			if (st->spec.max_age &&
			    now - st->opened_ns >= (int64_t)st->spec.max_age * 1000000000LL) {
				st->closing = true;
				resume(st);
			} else if (st->spec.heartbeat && now - st->written_ns >= beat) {
				append(st, st->spec.heartbeat, strlen(st->spec.heartbeat));
			}
		}
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

struct http_streams *http_streams_new(unsigned max, unsigned heartbeat_s)
{
	struct http_streams *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->wake, NULL);
	r->max = max;
	r->heartbeat_s = heartbeat_s ? heartbeat_s : 15;
	/* No streams allowed, no thread: the server then answers every stream with 503. */
	if (max > 0) {
		if (pthread_create(&r->ticker, NULL, ticker_main, r) != 0)
			log_warn("http: no stream ticker thread: heartbeats are off");
		else
			r->ticker_running = true;
	}
	return r;
}

void http_streams_close_all(struct http_streams *r)
{
	pthread_mutex_lock(&r->lock);
	r->stopping = true;
	pthread_cond_signal(&r->wake);
	for (struct http_stream *st = r->head; st; st = st->next) {
		st->closing = true;
		resume(st);
	}
	pthread_mutex_unlock(&r->lock);
}

unsigned http_streams_count(struct http_streams *r)
{
	pthread_mutex_lock(&r->lock);
	unsigned n = r->n;
	pthread_mutex_unlock(&r->lock);
	return n;
}

void http_streams_free(struct http_streams *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->stopping = true;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
	if (r->ticker_running)
		pthread_join(r->ticker, NULL);
	pthread_cond_destroy(&r->wake);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

struct http_stream *http_stream_open(struct http_req *req, const struct http_stream_spec *spec)
{
	struct http_streams *r = http_server_streams(req->server);
	struct http_stream *st = calloc(1, sizeof *st);
	bool full = true;
	if (r && st) {
		pthread_mutex_lock(&r->lock);
		full = r->stopping || r->n >= r->max;
		if (!full) {
			st->reg = r;
			st->conn = req->conn;
			st->spec = *spec;
			st->opened_ns = st->written_ns = time_mono_ns();
			st->next = r->head;
			if (r->head)
				r->head->prev = st;
			r->head = st;
			r->n++;
		}
		pthread_mutex_unlock(&r->lock);
	}
	if (full) {
		free(st);
		http_problem(req, 503, "实时推送的连接数已满，请稍后再试", NULL);
		http_add_header(req, "Retry-After", "10");
		return NULL;
	}
	http_respond(req, 200, spec->content_type, NULL, 0);
	req->stream = st;
	/* Neither browsers nor proxies may keep or hold back what is streamed (nginx reads
	 * X-Accel-Buffering even where proxy_buffering is on). */
	http_add_header(req, "Cache-Control", "no-cache, no-store");
	http_add_header(req, "X-Accel-Buffering", "no");
	return st;
}

bool http_stream_write(struct http_stream *st, const char *data, size_t len)
{
	struct http_streams *r = st->reg;
	pthread_mutex_lock(&r->lock);
	bool ok = !st->gone && append(st, data, len);
	pthread_mutex_unlock(&r->lock);
	return ok;
}

void http_stream_release(struct http_stream *st)
{
	if (!st)
		return;
	struct http_streams *r = st->reg;
	pthread_mutex_lock(&r->lock);
	st->gone = true; /* from here on nobody resumes its connection */
	pthread_mutex_unlock(&r->lock);
	/* Outside the lock: on_close takes its owner's lock, which a writer holds while it
	 * calls http_stream_write (and so takes this one). */
	if (st->spec.on_close)
		st->spec.on_close(st->spec.ctx);
	pthread_mutex_lock(&r->lock);
	if (st->prev)
		st->prev->next = st->next;
	else
		r->head = st->next;
	if (st->next)
		st->next->prev = st->prev;
	r->n--;
	pthread_mutex_unlock(&r->lock);
	free(st->buf);
	free(st);
}

/* MHD's content reader, on the connection's worker thread: what is buffered, or the end
 * once the stream is closing, or else suspend until a write resumes the connection. */
static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)pos;
	struct http_stream *st = cls;
	struct http_streams *r = st->reg;
	pthread_mutex_lock(&r->lock);
	ssize_t n;
	if (st->len) {
		size_t k = st->len < max ? st->len : max;
		memcpy(out, st->buf, k);
		memmove(st->buf, st->buf + k, st->len - k);
		st->len -= k;
		n = (ssize_t)k;
	} else if (st->closing) {
		n = MHD_CONTENT_READER_END_OF_STREAM;
	} else {
		/* Returning 0 without suspending would make MHD ask again at once: a busy loop. */
		st->suspended = true;
		MHD_suspend_connection(st->conn);
		n = 0;
	}
	pthread_mutex_unlock(&r->lock);
	return n;
}

static void stream_free(void *cls)
{
	http_stream_release(cls);
}

struct MHD_Response *http_stream_response(struct http_req *req)
{
	struct http_stream *st = req->stream;
	req->stream = NULL;
	struct MHD_Response *resp =
	    MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024, stream_read, st, stream_free);
	if (!resp)
		http_stream_release(st);
	return resp;
}
