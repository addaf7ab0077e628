/* Request counters and latency histograms per route, kept in relaxed atomics so that
 * counting never takes a lock on the request path, and the CIDR allow-list of the metrics
 * page. Everything lives in the server's own struct http_metrics: no global state. */
#include "http/metrics.h"
#include "core/mem.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The status codes the server answers, each counted in its own slot; any other code is
 * counted under its class ("2xx") in the five slots after them. */
static const int known_codes[] = {200, 201, 204, 206, 301, 302, 304, 400, 401, 403, 404, 405,
                                  409, 410, 413, 415, 422, 423, 429, 499, 500, 502, 503};
enum {
	NKNOWN = sizeof known_codes / sizeof known_codes[0],
	NCODES = NKNOWN + 5,
};

/* Upper bounds of the latency buckets in microseconds (le in seconds when rendered); the
 * last bucket, +Inf, is implicit. */
static const int64_t bucket_us[] = {1000,   2500,   5000,    10000,   25000,   50000,   100000,
                                    250000, 500000, 1000000, 2500000, 5000000, 10000000};
enum { NBUCKETS = sizeof bucket_us / sizeof bucket_us[0] + 1 };

struct route_counters {
	atomic_uint_fast64_t codes[NCODES];
	atomic_uint_fast64_t buckets[NBUCKETS]; /* not cumulative; summed when rendered */
	atomic_uint_fast64_t sum_us;
};

struct http_metrics {
	size_t nroutes;
	struct route_counters r[]; /* nroutes + 1: the last counts requests no route matched */
};

struct http_metrics *http_metrics_new(size_t nroutes)
{
	struct http_metrics *m =
	    calloc(1, sizeof(*m) + (nroutes + 1) * sizeof(struct route_counters));
	if (!m)
		return NULL;
	m->nroutes = nroutes;
	for (size_t i = 0; i <= nroutes; i++) {
		for (size_t c = 0; c < NCODES; c++)
			atomic_init(&m->r[i].codes[c], 0);
		for (size_t b = 0; b < NBUCKETS; b++)
			atomic_init(&m->r[i].buckets[b], 0);
		atomic_init(&m->r[i].sum_us, 0);
	}
	return m;
}

void http_metrics_free(struct http_metrics *m)
{
	free(m);
}

static size_t code_slot(int status)
{
	for (size_t i = 0; i < NKNOWN; i++)
		if (known_codes[i] == status)
			return i;
	int cls = status / 100;
	return NKNOWN + (size_t)(cls >= 1 && cls <= 5 ? cls - 1 : 4);
}

void http_metrics_observe(struct http_metrics *m, size_t route, int status, int64_t ns)
{
	if (!m)
		return;
	struct route_counters *c = &m->r[route < m->nroutes ? route : m->nroutes];
	int64_t us = ns > 0 ? ns / 1000 : 0;
	size_t b = 0;
	while (b < NBUCKETS - 1 && us > bucket_us[b])
		b++;
	atomic_fetch_add_explicit(&c->codes[code_slot(status)], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->sum_us, (uint_fast64_t)us, memory_order_relaxed);
}

/* A label value with \, " and newlines escaped as the text format asks. */
static void put_label(struct buf *out, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			buf_printf(out, "\\%c", *v);
		else if (*v == '\n')
			buf_puts(out, "\\n");
		else
			buf_append(out, v, 1);
	}
}

static void put_route(struct buf *out, const char *method, const char *pattern)
{
	buf_puts(out, "method=\"");
	put_label(out, method);
	buf_puts(out, "\",route=\"");
	put_label(out, pattern);
	buf_puts(out, "\"");
}

void http_metrics_render(const struct http_metrics *m, const struct http_route *routes,
                         size_t nroutes, struct buf *out)
{
	if (!m)
		return;
	size_t n = nroutes < m->nroutes ? nroutes : m->nroutes;
	buf_puts(out, "# HELP jiceng_http_requests_total Requests answered, by route pattern "
	              "and status code.\n# TYPE jiceng_http_requests_total counter\n");
	for (size_t i = 0; i <= n; i++) {
		const struct route_counters *c = &m->r[i == n ? m->nroutes : i];
		const char *method = i == n ? "*" : routes[i].method;
		const char *pattern = i == n ? "(unmatched)" : routes[i].pattern;
		for (size_t s = 0; s < NCODES; s++) {
			uint_fast64_t v = atomic_load_explicit(&c->codes[s], memory_order_relaxed);
			if (!v)
				continue;
			char code[8];
			if (s < NKNOWN)
				snprintf(code, sizeof code, "%d", known_codes[s]);
			else
				snprintf(code, sizeof code, "%zuxx", s - NKNOWN + 1);
			buf_puts(out, "jiceng_http_requests_total{");
			put_route(out, method, pattern);
			buf_printf(out, ",class=\"%cxx\",code=\"%s\"} %llu\n", code[0], code,
			           (unsigned long long)v);
		}
	}
	buf_puts(out, "# HELP jiceng_http_request_duration_seconds Time from the request's "
	              "first byte to its end, by route pattern.\n"
	              "# TYPE jiceng_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i <= n; i++) {
		const struct route_counters *c = &m->r[i == n ? m->nroutes : i];
		const char *method = i == n ? "*" : routes[i].method;
		const char *pattern = i == n ? "(unmatched)" : routes[i].pattern;
		uint_fast64_t b[NBUCKETS], total = 0;
		for (size_t k = 0; k < NBUCKETS; k++) {
			b[k] = atomic_load_explicit(&c->buckets[k], memory_order_relaxed);
			total += b[k];
		}
		if (!total)
			continue;
		uint_fast64_t cum = 0;
		for (size_t k = 0; k < NBUCKETS; k++) {
			cum += b[k];
			buf_puts(out, "jiceng_http_request_duration_seconds_bucket{");
			put_route(out, method, pattern);
			if (k < NBUCKETS - 1)
				buf_printf(out, ",le=\"%g\"} %llu\n", (double)bucket_us[k] / 1e6,
				           (unsigned long long)cum);
			else
				buf_printf(out, ",le=\"+Inf\"} %llu\n", (unsigned long long)cum);
		}
		uint_fast64_t sum = atomic_load_explicit(&c->sum_us, memory_order_relaxed);
		buf_puts(out, "jiceng_http_request_duration_seconds_sum{");
		put_route(out, method, pattern);
		buf_printf(out, "} %.6f\n", (double)sum / 1e6);
		buf_puts(out, "jiceng_http_request_duration_seconds_count{");
		put_route(out, method, pattern);
		buf_printf(out, "} %llu\n", (unsigned long long)cum);
	}
}

/* ---- the allow-list ---- */

/* One address, or a network "addr/prefix"; false when it is neither. */
static bool cidr_parse(const char *text, size_t len, struct http_cidr *out)
{
	char s[INET6_ADDRSTRLEN + 8];
	if (len == 0 || len >= sizeof s)
		return false;
	memcpy(s, text, len);
	s[len] = '\0';
	char *slash = strchr(s, '/');
	long prefix = -1;
	if (slash) {
		*slash = '\0';
		char *end;
		if (!slash[1] || slash[1] == '-' || slash[1] == '+')
			return false;
		prefix = strtol(slash + 1, &end, 10);
		if (*end)
			return false;
	}
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, out->addr) == 1) {
		out->family = AF_INET;
		if (prefix > 32)
			return false;
		out->prefix = prefix < 0 ? 32 : (unsigned)prefix;
	} else if (inet_pton(AF_INET6, s, out->addr) == 1) {
		out->family = AF_INET6;
		if (prefix > 128)
			return false;
		out->prefix = prefix < 0 ? 128 : (unsigned)prefix;
	} else {
		return false;
	}
	return true;
}

int http_cidr_parse_list(const char *text, struct http_cidr *out, size_t max)
{
	size_t n = 0;
	const char *p = text;
	for (;;) {
		p += strspn(p, " \t");
		size_t len = strcspn(p, ", \t");
		if (len == 0 || n == max || !cidr_parse(p, len, &out[n]))
			return -1;
		n++;
		p += len;
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		if (*p != ',')
			return -1;
		p++;
	}
	return (int)n;
}

static bool prefix_equal(const unsigned char *a, const unsigned char *b, unsigned bits)
{
	size_t whole = bits / 8;
	if (memcmp(a, b, whole) != 0)
		return false;
	unsigned rest = bits % 8;
	if (!rest)
		return true;
	unsigned char mask = (unsigned char)(0xFFu << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

bool http_cidr_match(const struct http_cidr *list, size_t n, const char *ip)
{
	unsigned char a4[4], a6[16];
	bool is4 = ip && inet_pton(AF_INET, ip, a4) == 1;
	bool is6 = ip && !is4 && inet_pton(AF_INET6, ip, a6) == 1;
	/* An IPv4 client of a dual-stack socket arrives as ::ffff:a.b.c.d. */
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
	if (is6 && memcmp(a6, mapped, sizeof mapped) == 0) {
		memcpy(a4, a6 + 12, 4);
		is4 = true;
	}
	for (size_t i = 0; i < n; i++) {
		if (list[i].family == AF_INET && is4 &&
		    prefix_equal(list[i].addr, a4, list[i].prefix))
			return true;
		if (list[i].family == AF_INET6 && is6 &&
		    prefix_equal(list[i].addr, a6, list[i].prefix))
			return true;
	}
	return false;
}
