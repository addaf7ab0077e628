/* libmicrohttpd glue: epoll with a thread pool, one http_req per request,
 * body accumulation under a limit, dispatch through the route table, and the
 * access log. A response is queued only once the request is complete, never
 * on the first callback: queueing early makes MHD drop keep-alive. */
#include "http/http.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "http/metrics.h"
#include "http/stream.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

struct http_server {
	struct MHD_Daemon *d;
	struct http_options opt;
	char proxy[INET6_ADDRSTRLEN]; /* the trusted proxy in inet_ntop's spelling, or "" */
	const struct http_app *app;
	atomic_int inflight;
	struct http_metrics *metrics;
	struct http_streams *streams;
	struct http_cidr allow[HTTP_MAX_CIDRS]; /* who may read the metrics */
	size_t nallow;
};

/* A request the trusted proxy passed on: the client is the last X-Forwarded-For entry (the
 * one the proxy itself appended; earlier ones are the client's own say), kept only when it is
 * a numeric address; X-Forwarded-Proto: https says TLS ended at the proxy. */
static void from_proxy(struct http_req *req, struct MHD_Connection *conn)
{
	const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
	if (xff) {
		const char *last = strrchr(xff, ',');
		last = last ? last + 1 : xff;
		last += strspn(last, " \t");
		size_t n = strcspn(last, " \t");
		char addr[INET6_ADDRSTRLEN];
		unsigned char bin[sizeof(struct in6_addr)];
		if (n > 0 && n < sizeof addr) {
			memcpy(addr, last, n);
			addr[n] = '\0';
			if (inet_pton(AF_INET, addr, bin) == 1 ||
			    inet_pton(AF_INET6, addr, bin) == 1)
				req->ip = arena_strdup(&req->arena, addr);
		}
	}
	const char *proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
	req->https = proto && strcasecmp(proto, "https") == 0;
}

static struct http_req *req_new(struct http_server *s, struct MHD_Connection *conn,
                                const char *method, const char *url)
{
	struct http_req *req = xcalloc(1, sizeof(*req));
	arena_init(&req->arena);
	req->conn = conn;
	req->server = s;
	req->method = arena_strdup(&req->arena, method);
	req->path = arena_strdup(&req->arena, url);
	req->start_ns = time_mono_ns();
	req->status = 0;
	req->render_error = s->app->render_error;
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char ip[INET6_ADDRSTRLEN] = "";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET,
			          &((const struct sockaddr_in *)(const void *)sa)->sin_addr, ip,
			          sizeof ip);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
			          &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, ip,
			          sizeof ip);
	}
	req->ip = arena_strdup(&req->arena, ip);
	if (s->proxy[0] && strcmp(ip, s->proxy) == 0)
		from_proxy(req, conn);
	atomic_fetch_add(&s->inflight, 1);
	return req;
}

static bool has_body_method(const char *m)
{
	return strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0;
}

/* The media type of Content-Type without parameters, compared case-insensitively. */
static bool content_type_is(const struct http_req *req, const char *want)
{
	const char *ct = http_header(req, "Content-Type");
	if (!ct)
		return false;
	size_t n = strlen(want);
	return strncasecmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static size_t body_limit(const struct http_server *s, const struct http_req *req)
{
	return req->route && req->route->body_limit ? req->route->body_limit : s->opt.body_limit;
}

/* The app's after hook, once per request. It may itself defer (http_defer, e.g. to wait for
 * its audit entry's group commit): then the request is suspended with its answer built, and
 * the hook's resume function finishes it; after does not run again. */
static void run_after(struct http_server *s, struct http_req *req)
{
	req->after_ran = true;
	if (s->app->after)
		s->app->after(req);
	if (req->deferred)
		return;
	if (!req->responded)
		http_problem(req, 500, "服务器未能生成响应", NULL);
}

static void dispatch(struct http_server *s, struct http_req *req)
{
	if (req->body_too_large) {
		http_problem(req, 413, "请求体过大", NULL);
		return;
	}
	const struct http_route *route = req->route;
	bool mismatch = req->method_mismatch;
	if (!route) {
		bool api = strncmp(req->path, "/api/", 5) == 0 ||
		           strncmp(req->path, "/open311/", 9) == 0 ||
		           strcmp(req->path, "/api") == 0;
		if (mismatch) {
			http_problem(req, 405, "此地址不支持该请求方法", NULL);
			http_add_header(req, "Allow", http_allowed_methods(s->app, req, req->path));
			return;
		}
		if (!api && (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0) &&
		    http_static(req, &s->opt))
			return;
		http_problem(req, 404, "请求的地址不存在", NULL);
		return;
	}
	if (has_body_method(req->method) && req->body_len > 0 && !(route->flags & HTTP_BINARY)) {
		const char *want = route->flags & HTTP_FORM  ? "application/x-www-form-urlencoded"
		                   : route->flags & HTTP_CSV ? "text/csv"
		                                             : "application/json";
		if (!content_type_is(req, want)) {
			http_problem(req, 415, arena_printf(&req->arena, "请求体须为 %s", want),
			             NULL);
			return;
		}
	}
	bool go = s->app->before ? s->app->before(req) : true;
	if (go && !req->responded)
		route->handler(req);
	if (req->deferred && !req->responded)
		return; /* finished in finish_deferred() */
	req->deferred = false;
	run_after(s, req);
}

void http_defer(struct http_req *req, void (*on_suspended)(struct http_req *),
                void (*resume)(struct http_req *))
{
	req->deferred = true;
	req->on_suspended = on_suspended;
	req->resume = resume;
}

void http_wake(struct http_req *req)
{
	MHD_resume_connection(req->conn);
}

/* The second half of a deferred request, on its worker thread after http_wake. */
static void finish_deferred(struct http_server *s, struct http_req *req)
{
	req->deferred = false;
	req->resume(req);
	if (!req->after_ran)
		run_after(s, req);
	else if (!req->responded)
		http_problem(req, 500, "服务器未能生成响应", NULL);
}

struct http_streams *http_server_streams(void *server)
{
	return server ? ((struct http_server *)server)->streams : NULL;
}

static enum MHD_Result queue(struct MHD_Connection *conn, struct http_req *req)
{
	struct MHD_Response *resp;
	if (req->stream) {
		resp = http_stream_response(req);
		if (!resp)
			return MHD_NO;
	} else if (req->resp_fd > 0) {
		resp = MHD_create_response_from_fd64(req->resp_len, req->resp_fd);
		if (!resp)
			return MHD_NO;
		req->resp_fd = 0; /* MHD closes it with the response */
	} else {
		resp = MHD_create_response_from_buffer(req->resp_len, req->resp,
		                                       req->resp_static ? MHD_RESPMEM_PERSISTENT
		                                                        : MHD_RESPMEM_MUST_FREE);
		if (!resp)
			return MHD_NO;
		if (!req->resp_static)
			req->resp = NULL; /* MHD owns it now */
	}
	if (req->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, req->content_type);
	for (size_t i = 0; i < req->nhdrs; i++)
		MHD_add_response_header(resp, req->hdr_names[i], req->hdr_values[i]);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	enum MHD_Result r = MHD_queue_response(conn, (unsigned)req->status, resp);
	MHD_destroy_response(resp);
	return r;
}

/* Ends one pass of the access handler: suspends a deferred request (before its background
 * work starts, so a quick wake-up cannot come first), or queues the answer. */
static enum MHD_Result suspend_or_queue(struct MHD_Connection *conn, struct http_req *req)
{
	if (req->deferred) {
		req->suspended = true;
		MHD_suspend_connection(conn);
		req->on_suspended(req);
		return MHD_YES;
	}
	return queue(conn, req);
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *upload,
                                 size_t *upload_size, void **con_cls)
{
	(void)version;
	struct http_server *s = cls;
	struct http_req *req = *con_cls;
	if (!req) {
		req = req_new(s, conn, method, url);
		*con_cls = req;
		/* The route is known before the body arrives, so its own size limit applies. */
		req->route = http_match(s->app, req, req->method, req->path, &req->method_mismatch);
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		                                             MHD_HTTP_HEADER_CONTENT_LENGTH);
		unsigned long long declared = cl ? strtoull(cl, NULL, 10) : 0;
		if (declared > body_limit(s, req))
			req->body_too_large = true;
		/* A body up to 64 MiB is read and dropped so that the client, still sending, gets
		 * the 413 rather than a reset; beyond that, answer at once and close. */
		if (declared > body_limit(s, req) && declared > 64ULL * 1024 * 1024) {
			dispatch(s, req);
			return queue(conn, req);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (req->responded) { /* already refused: drain */
			*upload_size = 0;
			return MHD_YES;
		}
		if (req->body_len + *upload_size > body_limit(s, req)) {
			req->body_too_large = true;
		} else if (!req->body_too_large) {
			req->body = xrealloc(req->body, req->body_len + *upload_size + 1);
			memcpy(req->body + req->body_len, upload, *upload_size);
			req->body_len += *upload_size;
			req->body[req->body_len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (req->suspended) { /* woken up: the background work is done */
		req->suspended = false;
		finish_deferred(s, req);
		return suspend_or_queue(conn, req);
	}
	if (req->responded)
		return MHD_YES;
	dispatch(s, req);
	return suspend_or_queue(conn, req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)conn;
	(void)toe;
	struct http_server *s = cls;
	struct http_req *req = *con_cls;
	if (!req)
		return;
	double ms = (double)(time_mono_ns() - req->start_ns) / 1e6;
	int status = req->status ? req->status : 499;
	log_access(req->method, req->path, status, ms, req->user_id, req->ip);
	size_t route = req->route ? (size_t)(req->route - s->app->routes) : s->app->nroutes;
	http_metrics_observe(s->metrics, route, status, time_mono_ns() - req->start_ns);
	if (s->app->release)
		s->app->release(req);
	if (req->stream) /* opened, but the request ended before its answer went out */
		http_stream_release(req->stream);
	free(req->body);
	if (!req->resp_static)
		free(req->resp);
	if (req->resp_fd > 0)
		close(req->resp_fd);
	arena_free(&req->arena);
	free(req);
	*con_cls = NULL;
	atomic_fetch_sub(&s->inflight, 1);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_warn("http: %s", msg);
}

struct http_server *http_start(const struct http_options *opt, const struct http_app *app,
                               char *err, size_t errlen)
{
	struct sockaddr_in6 a6;
	struct sockaddr_in a4;
	struct sockaddr *sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
	                 MHD_USE_ERROR_LOG | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME;
	memset(&a4, 0, sizeof a4);
	memset(&a6, 0, sizeof a6);
	if (inet_pton(AF_INET, opt->host, &a4.sin_addr) == 1) {
		a4.sin_family = AF_INET;
		a4.sin_port = htons((uint16_t)opt->port);
		sa = (struct sockaddr *)&a4;
	} else if (inet_pton(AF_INET6, opt->host, &a6.sin6_addr) == 1) {
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons((uint16_t)opt->port);
		sa = (struct sockaddr *)&a6;
		flags |= MHD_USE_IPv6;
	} else {
		snprintf(err, errlen, "listen address must be a numeric IP: %s", opt->host);
		return NULL;
	}
	unsigned char bin[sizeof(struct in6_addr)];
	char proxy[INET6_ADDRSTRLEN] = "";
	if (opt->trusted_proxy) {
		int af = inet_pton(AF_INET, opt->trusted_proxy, bin) == 1    ? AF_INET
		         : inet_pton(AF_INET6, opt->trusted_proxy, bin) == 1 ? AF_INET6
		                                                             : 0;
		if (!af || !inet_ntop(af, bin, proxy, sizeof proxy)) {
			snprintf(err, errlen, "trusted proxy must be a numeric IP: %s",
			         opt->trusted_proxy);
			return NULL;
		}
	}
	const char *allow = opt->metrics_allow ? opt->metrics_allow : "127.0.0.1/32,::1/128";
	struct http_cidr cidrs[HTTP_MAX_CIDRS];
	/* "none": nobody, the page is off. */
	int nallow =
	    strcmp(allow, "none") == 0 ? 0 : http_cidr_parse_list(allow, cidrs, HTTP_MAX_CIDRS);
	if (nallow < 0) {
		snprintf(err, errlen,
		         "metrics allow-list must be up to %d addresses or CIDR networks "
		         "separated by commas: %s",
		         HTTP_MAX_CIDRS, allow);
		return NULL;
	}
	struct http_metrics *metrics = http_metrics_new(app->nroutes);
	if (!metrics) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	struct http_streams *streams = http_streams_new(opt->max_streams, opt->stream_heartbeat);
	if (!streams) {
		http_metrics_free(metrics);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	struct http_server *s = xcalloc(1, sizeof(*s));
	s->opt = *opt;
	s->metrics = metrics;
	s->streams = streams;
	memcpy(s->allow, cidrs, sizeof cidrs);
	s->nallow = (size_t)nallow;
	memcpy(s->proxy, proxy, sizeof proxy);
	s->app = app;
	atomic_init(&s->inflight, 0);
	s->d = MHD_start_daemon(
	    flags, (uint16_t)opt->port, NULL, NULL, on_access, s, MHD_OPTION_EXTERNAL_LOGGER,
	    on_mhd_log, NULL, MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned)(opt->threads ? opt->threads : 2), MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)opt->conn_timeout, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)opt->max_connections, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024),
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024, MHD_OPTION_NOTIFY_COMPLETED,
	    on_completed, s, MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errlen, "cannot listen on %s:%d (address in use or not permitted)",
		         opt->host, opt->port);
		http_metrics_free(s->metrics);
		http_streams_free(s->streams);
		free(s);
		return NULL;
	}
	return s;
}

void http_stop(struct http_server *s, int grace_ms)
{
	if (!s)
		return;
	MHD_socket fd = MHD_quiesce_daemon(s->d);
	/* Streams never finish by themselves: end them (and resume their connections, which
	 * MHD must not be stopped with) so that they count down like the other requests. */
	http_streams_close_all(s->streams);
	/* Let requests already being handled finish and send their responses. */
	for (int waited = 0; waited < grace_ms && atomic_load(&s->inflight) > 0; waited += 10) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(s->d);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	http_metrics_free(s->metrics);
	http_streams_free(s->streams);
	free(s);
}

const char *http_query(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

bool http_metrics_allowed(const struct http_req *req)
{
	const struct http_server *s = req->server;
	return s && http_cidr_match(s->allow, s->nallow, req->ip);
}

void http_metrics_write(const struct http_req *req, struct buf *out)
{
	const struct http_server *s = req->server;
	if (!s)
		return;
	http_metrics_render(s->metrics, s->app->routes, s->app->nroutes, out);
	buf_printf(out,
	           "# HELP jiceng_http_requests_in_flight Requests received and not yet "
	           "finished (this one included).\n"
	           "# TYPE jiceng_http_requests_in_flight gauge\n"
	           "jiceng_http_requests_in_flight %d\n"
	           "# HELP jiceng_http_streams_open Streamed answers open (server-sent events).\n"
	           "# TYPE jiceng_http_streams_open gauge\n"
	           "jiceng_http_streams_open %u\n",
	           atomic_load(&s->inflight), http_streams_count(s->streams));
}
