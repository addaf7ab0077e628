/* The HTTP layer: a libmicrohttpd server, requests and responses, the route
 * table mechanics and static files. It knows no resource: routes, their
 * handlers and the before/after hooks (authentication, CSRF, scope,
 * transactions, audit) are handed in by the api layer. */
#ifndef JICENG_HTTP_HTTP_H
#define JICENG_HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

struct http_req;
typedef void (*http_handler)(struct http_req *req);

enum http_route_flag {
	HTTP_PUBLIC = 1 << 0, /* no credential needed */
	HTTP_WRITE = 1 << 1,  /* changes state: CSRF on cookie sessions, write transaction, audit */
	HTTP_FORM = 1 << 2,   /* body is application/x-www-form-urlencoded, not JSON */
	HTTP_RAW = 1 << 3,    /* the handler manages its own transactions */
	HTTP_BINARY = 1 << 4, /* the body is raw bytes the handler checks itself (uploads) */
	HTTP_CSV = 1 << 5,    /* the body is text/csv */
	HTTP_ONE_READ = 1 << 6, /* a read of one statement: no enclosing transaction needed */
	HTTP_GROUP = 1 << 7,    /* a write the app may run on its group-commit writer */
};

struct http_route {
	const char *method;  /* "GET", "POST", "PATCH", "DELETE", "PUT" */
	const char *pattern; /* "/api/v1/regions/{code}"; a {name} segment matches one segment,
	                        a trailing "{name}.{fmt}" splits at the last dot */
	http_handler handler;
	unsigned roles; /* opaque to http: interpreted by the before hook */
	unsigned flags;
	const char *action; /* audit action name, e.g. "region.create" */
	size_t body_limit;  /* bytes; 0: the server's default */
};

struct http_asset {
	const char *path; /* "/index.html", "/assets/app.1234.js" */
	const char *content_type;
	const unsigned char *data, *gz; /* gz NULL when compression does not pay */
	size_t len, gzlen;
	const char *etag; /* quoted */
	bool immutable;   /* content-hashed name: cache for a year */
};

struct http_app {
	const struct http_route *routes;
	size_t nroutes;
	/* Runs before the handler; returns false after setting the response to refuse. */
	bool (*before)(struct http_req *req);
	/* Runs after the handler (also when before refused), e.g. to commit and audit. */
	void (*after)(struct http_req *req);
	/* Runs when the request's memory is about to be freed. */
	void (*release)(struct http_req *req);
	/* Renders an error in a route family's own format (e.g. Open311); returns false to
	 * leave it to problem+json. */
	bool (*render_error)(struct http_req *req, int status, const char *detail);
};

struct http_options {
	const char *host;
	int port;
	unsigned threads;         /* worker threads in the pool */
	size_t body_limit;        /* bytes; larger bodies get 413 */
	unsigned conn_timeout;    /* seconds a connection may stay idle */
	unsigned max_connections; /* concurrent connections */
	const char *web_root;     /* serve the UI from this directory instead of the assets */
	/* The reverse proxy's address (numeric IP) or NULL: only from it are X-Forwarded-For
	 * (the client) and X-Forwarded-Proto (TLS in front) believed. */
	const char *trusted_proxy;
	/* Who may read the metrics page: "CIDR[,CIDR]" of client addresses (as req->ip names
	 * them), NULL for the default, this machine alone ("127.0.0.1/32,::1/128"). */
	const char *metrics_allow;
	/* Streamed answers (http_stream_open): how many may be open at once (0: none), and the
	 * seconds an idle one waits before its heartbeat (0: 15). */
	unsigned max_streams;
	unsigned stream_heartbeat;
	const struct http_asset *assets;
	size_t nassets;
};

struct http_server;

/* Starts listening; NULL (with a reason in err) when the address cannot be bound. */
struct http_server *http_start(const struct http_options *opt, const struct http_app *app,
                               char *err, size_t errlen);
/* Stops accepting, waits up to grace_ms for in-flight requests, then closes. */
void http_stop(struct http_server *s, int grace_ms);

/* ---- The request, as handlers see it ---- */

enum { HTTP_MAX_PARAMS = 6, HTTP_MAX_HEADERS = 8 };

struct http_req {
	struct arena arena; /* freed when the request ends */
	const char *method, *path;
	const struct http_route *route;
	const char *param_names[HTTP_MAX_PARAMS];
	const char *params[HTTP_MAX_PARAMS];
	size_t nparams;
	char *body;
	size_t body_len;
	const char *ip;  /* the client: the peer, or the one the trusted proxy names */
	bool https;      /* the trusted proxy received this request over TLS */
	void *app;       /* the api layer's per-request context */
	int64_t user_id; /* for the access log; 0 when anonymous */
	/* response */
	int status;
	const char *content_type;
	char *resp;
	size_t resp_len;
	bool resp_static; /* resp points at memory that outlives the request */
	int resp_fd;      /* > 0: the body is this open file (resp_len bytes from its start) */
	const char *hdr_names[HTTP_MAX_HEADERS], *hdr_values[HTTP_MAX_HEADERS];
	size_t nhdrs;
	/* deferred completion (http_defer) */
	void (*on_suspended)(struct http_req *req);
	void (*resume)(struct http_req *req);
	bool deferred, suspended, after_ran;
	struct http_stream *stream; /* http_stream_open's, until the response owns it */
	/* internal */
	bool (*render_error)(struct http_req *req, int status, const char *detail);
	void *conn;
	void *server;
	int64_t start_ns;
	bool body_too_large, responded, method_mismatch;
};

const char *http_param(const struct http_req *req, const char *name);
const char *http_query(const struct http_req *req, const char *name);
const char *http_header(const struct http_req *req, const char *name);
const char *http_cookie(const struct http_req *req, const char *name);
/* Form field of an application/x-www-form-urlencoded body (decoded, arena-owned). */
const char *http_form(struct http_req *req, const char *name);

/* Sets the response. body is malloc'd and becomes the request's (freed after sending). */
void http_respond(struct http_req *req, int status, const char *content_type, char *body,
                  size_t len);
/* Sets the response to the content of an open file (fd, positioned at 0, len bytes), sent
 * by the kernel without being read into memory; the request owns fd and closes it. */
void http_respond_fd(struct http_req *req, int status, const char *content_type, int fd,
                     size_t len);
void http_add_header(struct http_req *req, const char *name, const char *value);
/* Finishes the request later, without holding a worker thread: once the handler returns, the
 * connection is suspended and on_suspended(req) runs (start the background work there); when
 * that work is done, any thread calls http_wake(req), and resume(req) then builds the response
 * on the request's own worker thread, followed by the app's after hook. The after hook may
 * defer too (its answer already built): then its resume finishes the request, and after does
 * not run a second time. */
void http_defer(struct http_req *req, void (*on_suspended)(struct http_req *),
                void (*resume)(struct http_req *));
void http_wake(struct http_req *req);

/* ---- Streamed answers (e.g. server-sent events) ----
 * A handler answers with a stream that stays open after it returns: the connection is
 * suspended while there is nothing to send (no worker thread waits on it, nothing polls),
 * and resumed when some thread writes to it. The server bounds how many are open
 * (http_options.max_streams). MHD cannot see a suspended connection close: a client that
 * went away is noticed when a write to it fails, the second after it left (TCP answers the
 * first with a reset), so within two heartbeats. */
struct http_stream;
struct http_stream_spec {
	const char *content_type;
	/* Written after stream_heartbeat seconds without a write, e.g. ": \n\n" (NULL: none).
	 * Static text. */
	const char *heartbeat;
	unsigned
	    max_age; /* seconds after which the answer ends (the client reconnects); 0: never */
	void *ctx;
	/* Runs once when the stream is gone (client closed, server stopping, answer replaced),
	 * on any thread and without the server's locks held. After it returns nobody may name
	 * the stream again: whoever writes to it must forget it here, under its own lock. */
	void (*on_close)(void *ctx);
};
/* Answers the request (status 200) with a stream, which on_close will report gone. NULL,
 * after answering 503, when the server has its maximum of streams open (on_close does not
 * run then). Call it last in a handler: a later http_respond replaces the stream. */
struct http_stream *http_stream_open(struct http_req *req, const struct http_stream_spec *spec);
/* Queues len bytes on the stream and wakes its connection; any thread. False when the
 * stream is ending, or its client reads too slowly (more than 64 KiB waiting: the stream
 * is ended then). */
bool http_stream_write(struct http_stream *st, const char *data, size_t len);

/* RFC 9457 problem details; errors_json is a JSON array text or NULL. The body carries a
 * "code" member (a stable identifier of the detail) besides type, title, status, detail and
 * errors; detail and errors[].message are in the request's language (see http_localizer). */
void http_problem(struct http_req *req, int status, const char *detail, const char *errors_json);
/* Puts a detail or field message into the request's language and names its code (NULL when
 * the text is not one the app knows); returns the text to send (arena-owned or static). */
typedef const char *(*http_localizer)(struct http_req *req, const char *text, const char **code);
/* Set once before the server starts; without one, details go out as given. */
void http_set_localizer(http_localizer fn);
/* The code of a problem whose detail the localizer does not know: "not_found" for 404 etc. */
const char *http_status_code(int status);
const char *http_status_title(int status);

/* Route matching, exposed for tests: returns the route and fills params, or NULL;
 * *method_mismatch tells whether some route had the path but not the method. */
const struct http_route *http_match(const struct http_app *app, struct http_req *req,
                                    const char *method, const char *path, bool *method_mismatch);

/* The methods some route accepts at path, as an Allow header value ("GET, HEAD, POST"). */
const char *http_allowed_methods(const struct http_app *app, struct http_req *req,
                                 const char *path);

/* ---- The server's metrics ---- */

/* An address or network of an allow-list: family AF_INET or AF_INET6. */
struct http_cidr {
	int family;
	unsigned char addr[16];
	unsigned prefix;
};
enum { HTTP_MAX_CIDRS = 16 };
/* Parses "CIDR[,CIDR]" (a bare address is one host) into at most max entries: their
 * number, or -1 when an entry is malformed or there are too many. */
int http_cidr_parse_list(const char *text, struct http_cidr *out, size_t max);
/* True when the numeric address ip lies in one of the networks (an IPv4-mapped IPv6
 * address counts as its IPv4 address). */
bool http_cidr_match(const struct http_cidr *list, size_t n, const char *ip);
/* True when the request's client (req->ip) is on the server's metrics allow-list. */
bool http_metrics_allowed(const struct http_req *req);
/* Appends the server's own metrics in the Prometheus text format (version 0.0.4): requests
 * by route pattern and status, latency histograms, requests in flight. */
struct buf;
void http_metrics_write(const struct http_req *req, struct buf *out);

/* Static files: the embedded assets or a directory. Returns false if nothing matched. */
bool http_static(struct http_req *req, const struct http_options *opt);
/* Content type for a file name by its extension. */
const char *http_mime_type(const char *path);
/* True for a path safe to map onto a directory: absolute, no "..", no NUL/backslash. */
bool http_path_safe(const char *path);

#endif
