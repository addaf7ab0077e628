/* The server's own counters (inside http/ only): requests by route and status code and a
 * latency histogram per route, counted lock-free when a request ends, and the address
 * allow-list of the metrics page. http.h has what the api layer sees of them. */
#ifndef JICENG_HTTP_METRICS_H
#define JICENG_HTTP_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "http/http.h"

struct http_metrics;

/* Counters for a route table of nroutes routes (plus one slot for requests no route
 * matched: the web UI's files and unknown paths); NULL when out of memory. */
struct http_metrics *http_metrics_new(size_t nroutes);
void http_metrics_free(struct http_metrics *m);
/* Counts one finished request: route index (nroutes for none), status, duration. */
void http_metrics_observe(struct http_metrics *m, size_t route, int status, int64_t ns);
/* Appends the counters in the Prometheus text format. */
void http_metrics_render(const struct http_metrics *m, const struct http_route *routes,
                         size_t nroutes, struct buf *out);

#endif
