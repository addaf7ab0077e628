/* Streamed answers (inside http/ only): the server's registry of open streams, the
 * MHD content reader that suspends an idle connection, and the ticker thread that writes
 * heartbeats and ends streams past their age. http.h has what the api layer sees. */
#ifndef JICENG_HTTP_STREAM_H
#define JICENG_HTTP_STREAM_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "http/http.h"

struct http_streams;

/* The registry of a server allowing max open streams, with heartbeat_s seconds between
 * heartbeats of an idle stream (0: 15). NULL when out of memory. */
struct http_streams *http_streams_new(unsigned max, unsigned heartbeat_s);
/* Ends every stream (each finishes what it buffered, then its answer ends) and refuses new
 * ones; the connections are resumed, as MHD must not stop with suspended connections. */
void http_streams_close_all(struct http_streams *r);
/* Stops the ticker and frees the registry; every stream must be gone (see _count). */
void http_streams_free(struct http_streams *r);
unsigned http_streams_count(struct http_streams *r);

/* The registry of the server a request came to (server.c). */
struct http_streams *http_server_streams(void *server);

/* The MHD response of the request's stream: the response owns the stream from then on.
 * NULL when MHD cannot make one (the stream is released). */
struct MHD_Response *http_stream_response(struct http_req *req);
/* Drops a stream that never became a response (the request ended otherwise). */
void http_stream_release(struct http_stream *st);

#endif
