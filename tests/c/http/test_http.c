/* Unit tests for src/http: route matching, form bodies, static path safety, MIME types,
 * the metrics allow-list and the metrics text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "http/http.h"
#include "http/metrics.h"

static void h_dummy(struct http_req *req)
{
	(void)req;
}

/* A table shaped like the API's, plus the {id}.{fmt} form Open311 uses. */
static const struct http_route routes[] = {
    {"GET", "/healthz", h_dummy, 0, HTTP_PUBLIC, NULL},                           /* 0 */
    {"GET", "/api/v1/regions", h_dummy, 0, 0, NULL},                              /* 1 */
    {"POST", "/api/v1/regions", h_dummy, 0, HTTP_WRITE, "region.create"},         /* 2 */
    {"POST", "/api/v1/regions/merge", h_dummy, 0, HTTP_WRITE, "region.merge"},    /* 3 */
    {"GET", "/api/v1/regions/{code}", h_dummy, 0, 0, NULL},                       /* 4 */
    {"PATCH", "/api/v1/regions/{code}", h_dummy, 0, HTTP_WRITE, "region.update"}, /* 5 */
    {"POST", "/api/v1/regions/{code}/split", h_dummy, 0, HTTP_WRITE, NULL},       /* 6 */
    {"GET", "/api/v1/regions/{code}/history", h_dummy, 0, 0, NULL},               /* 7 */
    {"DELETE", "/api/v1/tokens/{id}", h_dummy, 0, HTTP_WRITE, NULL},              /* 8 */
    {"GET", "/open311/v2/requests/{id}.{fmt}", h_dummy, 0, HTTP_PUBLIC, NULL},    /* 9 */
    {"GET", "/a/{p1}/{p2}/{p3}/{p4}/{p5}/{p6}", h_dummy, 0, 0, NULL},             /* 10 */
    {"GET", "/b/{p1}/{p2}/{p3}/{p4}/{p5}/{p6}/{p7}", h_dummy, 0, 0, NULL},        /* 11 */
    {"GET", "/", h_dummy, 0, 0, NULL},                                            /* 12 */
};

static const struct http_app app = {.routes = routes, .nroutes = sizeof routes / sizeof routes[0]};

struct fixture {
	struct http_req req;
};

static int setup(void **state)
{
	static struct fixture f;
	memset(&f, 0, sizeof f);
	arena_init(&f.req.arena);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(&f->req.arena);
	return 0;
}

static int route_index(const struct http_route *r)
{
	return r ? (int)(r - routes) : -1;
}

static int match(struct http_req *req, const char *method, const char *path, bool *mismatch)
{
	bool mm = true;
	const struct http_route *r = http_match(&app, req, method, path, &mm);
	if (mismatch)
		*mismatch = mm;
	if (r)
		req->route = r;
	return route_index(r);
}

/* ---------------------------------------------------------------- http_match */

static void test_match_static(void **state)
{
	struct http_req *req = &((struct fixture *)*state)->req;
	bool mm;
	assert_int_equal(match(req, "GET", "/healthz", &mm), 0);
	assert_false(mm);
	assert_int_equal(req->nparams, 0);
	assert_int_equal(match(req, "GET", "/api/v1/regions", &mm), 1);
	assert_int_equal(match(req, "POST", "/api/v1/regions", &mm), 2);
	assert_int_equal(match(req, "POST", "/api/v1/regions/merge", &mm), 3);
	assert_int_equal(req->nparams, 0);
	assert_int_equal(match(req, "GET", "/", &mm), 12);
	/* Unknown paths: no route and no method mismatch. */
	assert_int_equal(match(req, "GET", "/healthz2", &mm), -1);
	assert_false(mm);
	assert_int_equal(match(req, "GET", "/health", &mm), -1);
	assert_int_equal(match(req, "GET", "/api/v1", &mm), -1);
	assert_int_equal(match(req, "GET", "/api/v2/regions", &mm), -1);
	assert_int_equal(match(req, "GET", "/API/v1/regions", &mm), -1); /* case-sensitive */
	assert_int_equal(match(req, "GET", "", &mm), -1);
	assert_int_equal(match(req, "GET", "healthz", &mm), -1);
	assert_false(mm);
}

static void test_match_params(void **state)
{
	struct http_req *req = &((struct fixture *)*state)->req;
	bool mm;
	assert_int_equal(match(req, "GET", "/api/v1/regions/110101001", &mm), 4);
	assert_false(mm);
	assert_int_equal(req->nparams, 1);
	assert_string_equal(req->param_names[0], "code");
	assert_string_equal(http_param(req, "code"), "110101001");
	assert_null(http_param(req, "id"));

	assert_int_equal(match(req, "PATCH", "/api/v1/regions/110101", &mm), 5);
	assert_string_equal(http_param(req, "code"), "110101");
	assert_int_equal(match(req, "POST", "/api/v1/regions/110101001/split", &mm), 6);
	assert_string_equal(http_param(req, "code"), "110101001");
	assert_int_equal(match(req, "GET", "/api/v1/regions/110101001/history", &mm), 7);
	assert_string_equal(http_param(req, "code"), "110101001");
	assert_int_equal(match(req, "DELETE", "/api/v1/tokens/42", &mm), 8);
	assert_string_equal(http_param(req, "id"), "42");
	/* A GET on the literal "merge" segment falls through to {code}. */
	assert_int_equal(match(req, "GET", "/api/v1/regions/merge", &mm), 4);
	assert_string_equal(http_param(req, "code"), "merge");
	/* Params are taken raw (no decoding), whatever the bytes. */
	assert_int_equal(match(req, "GET", "/api/v1/regions/%E4%B8%AD", &mm), 4);
	assert_string_equal(http_param(req, "code"), "%E4%B8%AD");
	assert_int_equal(match(req, "GET", "/api/v1/regions/a.b", &mm), 4);
	assert_string_equal(http_param(req, "code"), "a.b");
	/* An empty segment does not fill a parameter. */
	assert_int_equal(match(req, "GET", "/api/v1/regions//history", &mm), -1);
	assert_int_equal(req->nparams, 0);
	/* Extra segments do not match. */
	assert_int_equal(match(req, "GET", "/api/v1/regions/110101/history/x", &mm), -1);
	assert_int_equal(match(req, "GET", "/api/v1/regions/110101/splits", &mm), -1);
	assert_false(mm);
}

static void test_match_id_fmt(void **state)
{
	struct http_req *req = &((struct fixture *)*state)->req;
	bool mm;
	assert_int_equal(match(req, "GET", "/open311/v2/requests/123.json", &mm), 9);
	assert_int_equal(req->nparams, 2);
	assert_string_equal(http_param(req, "id"), "123");
	assert_string_equal(http_param(req, "fmt"), "json");
	/* Split at the last dot. */
	assert_int_equal(match(req, "GET", "/open311/v2/requests/a.b.xml", &mm), 9);
	assert_string_equal(http_param(req, "id"), "a.b");
	assert_string_equal(http_param(req, "fmt"), "xml");
	/* Both halves must be non-empty, and the dot is required. */
	assert_int_equal(match(req, "GET", "/open311/v2/requests/123", &mm), -1);
	assert_int_equal(match(req, "GET", "/open311/v2/requests/.json", &mm), -1);
	assert_int_equal(match(req, "GET", "/open311/v2/requests/123.", &mm), -1);
	assert_int_equal(match(req, "GET", "/open311/v2/requests/.", &mm), -1);
	assert_int_equal(match(req, "GET", "/open311/v2/requests/", &mm), -1);
	assert_int_equal(req->nparams, 0);
}

static void test_match_methods(void **state)
{
	struct http_req *req = &((struct fixture *)*state)->req;
	bool mm;
	/* HEAD is served by the GET route. */
	assert_int_equal(match(req, "HEAD", "/healthz", &mm), 0);
	assert_false(mm);
	assert_int_equal(match(req, "HEAD", "/api/v1/regions/110101", &mm), 4);
	assert_string_equal(http_param(req, "code"), "110101");
	/* The path exists, the method does not. */
	assert_int_equal(match(req, "DELETE", "/healthz", &mm), -1);
	assert_true(mm);
	assert_int_equal(req->nparams, 0);
	assert_int_equal(match(req, "PUT", "/api/v1/regions/110101", &mm), -1);
	assert_true(mm);
	assert_int_equal(match(req, "GET", "/api/v1/tokens/42", &mm), -1);
	assert_true(mm);
	assert_int_equal(match(req, "HEAD", "/api/v1/regions/110101/split", &mm), -1);
	assert_true(mm);
	assert_int_equal(match(req, "get", "/healthz", &mm), -1); /* methods are case-sensitive */
	assert_true(mm);
	/* The mismatch flag is reset on every call. */
	assert_int_equal(match(req, "GET", "/nothing", &mm), -1);
	assert_false(mm);
}

static void test_match_trailing_slash(void **state)
{
	struct http_req *req = &((struct fixture *)*state)->req;
	bool mm;
	assert_int_equal(match(req, "GET", "/healthz/", &mm), -1);
	assert_false(mm);
	assert_int_equal(match(req, "GET", "/api/v1/regions/", &mm), -1);
	assert_int_equal(match(req, "GET", "/api/v1/regions/110101/", &mm), -1);
	assert_int_equal(match(req, "GET", "//healthz", &mm), -1);
	assert_int_equal(match(req, "GET", "/healthz//", &mm), -1);
	assert_int_equal(match(req, "GET", "//", &mm), -1);
}

static void test_match_many_params(void **state)
{
	struct http_req *req = &((struct fixture *)*state)->req;
	bool mm;
	assert_int_equal(match(req, "GET", "/a/1/2/3/4/5/6", &mm), 10);
	assert_int_equal(req->nparams, HTTP_MAX_PARAMS);
	assert_string_equal(http_param(req, "p1"), "1");
	assert_string_equal(http_param(req, "p6"), "6");
	/* More parameters than a request can hold: no match rather than an overflow. */
	assert_int_equal(match(req, "GET", "/b/1/2/3/4/5/6/7", &mm), -1);
	assert_int_equal(req->nparams, 0);
}

/* ---------------------------------------------------------------- http_form */

static const char *form(struct http_req *req, const char *body, const char *name)
{
	req->body = (char *)body;
	req->body_len = strlen(body);
	return http_form(req, name);
}

static void test_form_basic(void **state)
{
	struct http_req *req = &((struct fixture *)*state)->req;
	const char *b = "service_code=001&lat=39.9&long=116.4&description=hello+world%21";
	assert_string_equal(form(req, b, "service_code"), "001");
	assert_string_equal(form(req, b, "lat"), "39.9");
	assert_string_equal(form(req, b, "long"), "116.4");
	assert_string_equal(form(req, b, "description"), "hello world!");
	assert_null(form(req, b, "missing"));
	assert_null(form(req, b, ""));
	assert_null(form(req, b, "service")); /* a prefix of a key is not that key */
	assert_null(form(req, b, "service_code="));
	/* No body at all. */
	req->body = NULL;
	req->body_len = 0;
	assert_null(http_form(req, "lat"));
	assert_null(form(req, "", "lat"));
}

static void test_form_decoding(void **state)
{
	struct http_req *req = &((struct fixture *)*state)->req;
	assert_string_equal(form(req, "q=%E4%B8%AD%E6%96%87", "q"), "中文");
	assert_string_equal(form(req, "q=%e4%b8%ad", "q"), "中"); /* lower-case hex */
	assert_string_equal(form(req, "q=a%2Bb", "q"), "a+b");    /* %2B is a plus */
	assert_string_equal(form(req, "q=a%26b%3Dc", "q"), "a&b=c");
	assert_string_equal(form(req, "q=++", "q"), "  ");
	/* Keys are decoded too. */
	assert_string_equal(form(req, "first+name=Li&x%5B0%5D=1", "first name"), "Li");
	assert_string_equal(form(req, "first+name=Li&x%5B0%5D=1", "x[0]"), "1");
	/* Broken escapes stay as they are. */
	assert_string_equal(form(req, "q=100%", "q"), "100%");
	assert_string_equal(form(req, "q=%4", "q"), "%4");
	assert_string_equal(form(req, "q=%zz", "q"), "%zz");
	assert_string_equal(form(req, "q=%G1x", "q"), "%G1x");
	assert_string_equal(form(req, "q=%%41", "q"), "%A");
	assert_string_equal(form(req, "q=%4%41", "q"), "%4A");
}

static void test_form_shapes(void **state)
{
	struct http_req *req = &((struct fixture *)*state)->req;
	/* Empty value, key without '=', empty pairs. */
	assert_string_equal(form(req, "a=&b=2", "a"), "");
	assert_string_equal(form(req, "a&b=2", "a"), "");
	assert_string_equal(form(req, "a&b=2", "b"), "2");
	assert_string_equal(form(req, "&&a=1&&", "a"), "1");
	assert_string_equal(form(req, "a=1=2", "a"), "1=2"); /* only the first '=' splits */
	assert_string_equal(form(req, "=v&a=1", "a"), "1");
	/* The first occurrence wins. */
	assert_string_equal(form(req, "a=1&a=2", "a"), "1");
	/* Keys that are prefixes or extensions of others. */
	const char *b = "ab=1&a=2&abc=3&b=4";
	assert_string_equal(form(req, b, "a"), "2");
	assert_string_equal(form(req, b, "ab"), "1");
	assert_string_equal(form(req, b, "abc"), "3");
	assert_string_equal(form(req, b, "b"), "4");
	assert_null(form(req, b, "bc"));
	/* body_len, not the NUL, bounds the body. */
	req->body = (char *)"a=1&b=2&c=3";
	req->body_len = 7;
	assert_string_equal(http_form(req, "b"), "2");
	assert_null(http_form(req, "c"));
	req->body_len = 6;
	assert_string_equal(http_form(req, "b"), "");
	req->body_len = 5;
	assert_string_equal(http_form(req, "b"), "");
	req->body_len = 3;
	assert_string_equal(http_form(req, "a"), "1");
	assert_null(http_form(req, "b"));
	/* A body that is not NUL-terminated at body_len. */
	char raw[8] = {'k', '=', 'v', 'v', 'X', 'X', 'X', 'X'};
	req->body = raw;
	req->body_len = 4;
	assert_string_equal(http_form(req, "k"), "vv");
	req->body_len = 8;
	assert_string_equal(http_form(req, "k"), "vvXXXX");
}

/* ---------------------------------------------------------------- static files */

static void test_path_safe(void **state)
{
	(void)state;
	assert_true(http_path_safe("/"));
	assert_true(http_path_safe("/index.html"));
	assert_true(http_path_safe("/assets/app.1234.js"));
	assert_true(http_path_safe("/a/b.c/d"));
	assert_true(http_path_safe("/中文.txt"));
	assert_true(http_path_safe("/.well-known/security.txt"));
	assert_false(http_path_safe(NULL));
	assert_false(http_path_safe(""));
	assert_false(http_path_safe("index.html"));
	assert_false(http_path_safe("./index.html"));
	assert_false(http_path_safe("../etc/passwd"));
	assert_false(http_path_safe("/.."));
	assert_false(http_path_safe("/../etc/passwd"));
	assert_false(http_path_safe("/assets/../../etc/passwd"));
	assert_false(http_path_safe("/assets/.."));
	assert_false(http_path_safe("//etc/passwd"));
	assert_false(http_path_safe("/assets//x.js"));
	assert_false(http_path_safe("/assets\\..\\x"));
	assert_false(http_path_safe("/a\\b"));
	assert_false(http_path_safe("/a\nb"));
	assert_false(http_path_safe("/a\rb"));
	assert_false(http_path_safe("/a\tb"));
	assert_false(http_path_safe("/a\x01"));
	assert_false(http_path_safe("/a\x1f"));
}

static void test_mime_type(void **state)
{
	(void)state;
	assert_string_equal(http_mime_type("/index.html"), "text/html; charset=utf-8");
	assert_string_equal(http_mime_type("/assets/app.1234.js"),
	                    "text/javascript; charset=utf-8");
	assert_string_equal(http_mime_type("/m.mjs"), "text/javascript; charset=utf-8");
	assert_string_equal(http_mime_type("/assets/app.css"), "text/css; charset=utf-8");
	assert_string_equal(http_mime_type("/data.json"), "application/json; charset=utf-8");
	assert_string_equal(http_mime_type("/favicon.svg"), "image/svg+xml");
	assert_string_equal(http_mime_type("/a.png"), "image/png");
	assert_string_equal(http_mime_type("/a.jpg"), "image/jpeg");
	assert_string_equal(http_mime_type("/a.jpeg"), "image/jpeg");
	assert_string_equal(http_mime_type("/a.webp"), "image/webp");
	assert_string_equal(http_mime_type("/favicon.ico"), "image/x-icon");
	assert_string_equal(http_mime_type("/f.woff"), "font/woff");
	assert_string_equal(http_mime_type("/f.woff2"), "font/woff2");
	assert_string_equal(http_mime_type("/f.ttf"), "font/ttf");
	assert_string_equal(http_mime_type("/robots.txt"), "text/plain; charset=utf-8");
	assert_string_equal(http_mime_type("/app.js.map"), "application/json");
	assert_string_equal(http_mime_type("/grids.geojson"), "application/geo+json");
	assert_string_equal(http_mime_type("index.html"), "text/html; charset=utf-8");
	/* Unknown, missing, or a dot only in a directory name. */
	const char *bin = "application/octet-stream";
	assert_string_equal(http_mime_type("/a.exe"), bin);
	assert_string_equal(http_mime_type("/README"), bin);
	assert_string_equal(http_mime_type(""), bin);
	assert_string_equal(http_mime_type("/v1.2/readme"), bin);
	assert_string_equal(http_mime_type("/a.html/b"), bin);
	assert_string_equal(http_mime_type("/a.htm"), bin);
	assert_string_equal(http_mime_type("/a.html.bak"), bin);
	assert_string_equal(http_mime_type("/a."), bin);
	assert_string_equal(http_mime_type("/a.HTML"), bin); /* exact, lower-case extensions */
}

static void test_cidr(void **state)
{
	(void)state;
	struct http_cidr c[HTTP_MAX_CIDRS];
	assert_int_equal(http_cidr_parse_list("127.0.0.1/32,::1", c, HTTP_MAX_CIDRS), 2);
	assert_true(http_cidr_match(c, 2, "127.0.0.1"));
	assert_true(http_cidr_match(c, 2, "::1"));
	assert_true(http_cidr_match(c, 2, "::ffff:127.0.0.1")); /* IPv4 on a dual-stack socket */
	assert_false(http_cidr_match(c, 2, "127.0.0.2"));
	assert_false(http_cidr_match(c, 2, "::2"));
	assert_false(http_cidr_match(c, 2, ""));
	assert_false(http_cidr_match(c, 2, NULL));
	assert_false(http_cidr_match(c, 2, "not-an-ip"));

	assert_int_equal(http_cidr_parse_list(" 10.1.0.0/16 , 192.168.7.0/23,fd00::/8", c, 16), 3);
	assert_true(http_cidr_match(c, 3, "10.1.255.3"));
	assert_false(http_cidr_match(c, 3, "10.2.0.1"));
	assert_true(http_cidr_match(c, 3, "192.168.6.9")); /* /23: .6 and .7 */
	assert_true(http_cidr_match(c, 3, "192.168.7.200"));
	assert_false(http_cidr_match(c, 3, "192.168.8.1"));
	assert_true(http_cidr_match(c, 3, "fd12::5"));
	assert_false(http_cidr_match(c, 3, "fe80::1"));
	assert_false(http_cidr_match(c, 3, "::ffff:10.2.0.1"));

	assert_int_equal(http_cidr_parse_list("0.0.0.0/0", c, 16), 1);
	assert_true(http_cidr_match(c, 1, "203.0.113.9"));
	assert_false(http_cidr_match(c, 1, "2001:db8::1")); /* an IPv4 network holds no IPv6 */
	assert_int_equal(http_cidr_parse_list("::/0", c, 16), 1);
	assert_true(http_cidr_match(c, 1, "2001:db8::1"));

	const char *bad[] = {"",
	                     ",",
	                     "127.0.0.1,",
	                     "10.0.0.0/33",
	                     "::/129",
	                     "10.0.0/8",
	                     "10.0.0.0/-1",
	                     "10.0.0.0/",
	                     "localhost",
	                     "1.2.3.4 5.6.7.8",
	                     "10.0.0.0/8x",
	                     "1.2.3.4;5.6.7.8"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(http_cidr_parse_list(bad[i], c, 16), -1);
	assert_int_equal(http_cidr_parse_list("1.1.1.1,2.2.2.2,3.3.3.3", c, 2), -1); /* too many */
}

static void test_metrics_render(void **state)
{
	(void)state;
	struct http_metrics *m = http_metrics_new(app.nroutes);
	assert_non_null(m);
	http_metrics_observe(m, 4, 200, 3 * 1000 * 1000LL);  /* 3 ms */
	http_metrics_observe(m, 4, 200, 20 * 1000 * 1000LL); /* 20 ms */
	http_metrics_observe(m, 4, 404, 500 * 1000LL);       /* 0.5 ms */
	http_metrics_observe(m, 2, 418, 1000LL);             /* unknown code: its class */
	http_metrics_observe(m, app.nroutes, 404, 1000LL);   /* no route */
	struct buf b;
	buf_init(&b);
	http_metrics_render(m, routes, app.nroutes, &b);
	const char *t = b.data;
	assert_non_null(strstr(t, "# TYPE jiceng_http_requests_total counter\n"));
	assert_non_null(strstr(t, "jiceng_http_requests_total{method=\"GET\",route=\"/api/v1/"
	                          "regions/{code}\",class=\"2xx\",code=\"200\"} 2\n"));
	assert_non_null(
	    strstr(t, "route=\"/api/v1/regions/{code}\",class=\"4xx\",code=\"404\"} 1\n"));
	assert_non_null(strstr(t, "route=\"/api/v1/regions\",class=\"4xx\",code=\"4xx\"} 1\n"));
	assert_non_null(
	    strstr(t, "method=\"*\",route=\"(unmatched)\",class=\"4xx\",code=\"404\"} 1"));
	/* cumulative buckets: 0.5 ms ≤ 1 ms; 3 ms ≤ 5 ms; 20 ms ≤ 25 ms */
	const char *k = "jiceng_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/"
	                "v1/regions/{code}\",le=";
	char want[256];
	snprintf(want, sizeof want, "%s\"0.001\"} 1\n", k);
	assert_non_null(strstr(t, want));
	snprintf(want, sizeof want, "%s\"0.0025\"} 1\n", k);
	assert_non_null(strstr(t, want));
	snprintf(want, sizeof want, "%s\"0.005\"} 2\n", k);
	assert_non_null(strstr(t, want));
	snprintf(want, sizeof want, "%s\"0.025\"} 3\n", k);
	assert_non_null(strstr(t, want));
	snprintf(want, sizeof want, "%s\"+Inf\"} 3\n", k);
	assert_non_null(strstr(t, want));
	assert_non_null(strstr(t, "jiceng_http_request_duration_seconds_count{method=\"GET\","
	                          "route=\"/api/v1/regions/{code}\"} 3\n"));
	assert_non_null(strstr(t, "jiceng_http_request_duration_seconds_sum{method=\"GET\","
	                          "route=\"/api/v1/regions/{code}\"} 0.023500\n"));
	/* routes never called are not listed */
	assert_null(strstr(t, "route=\"/api/v1/tokens/{id}\""));
	buf_free(&b);
	http_metrics_free(m);
}

/* Each problem status has its title and machine code; others fall back by class. */
static void test_status_names(void **state)
{
	(void)state;
	assert_string_equal(http_status_title(404), "Not Found");
	assert_string_equal(http_status_code(404), "not_found");
	assert_string_equal(http_status_title(422), "Unprocessable Content");
	assert_string_equal(http_status_code(422), "unprocessable");
	assert_string_equal(http_status_title(503), "Service Unavailable");
	assert_string_equal(http_status_code(503), "unavailable");
	assert_string_equal(http_status_title(500), "Internal Server Error");
	assert_string_equal(http_status_code(502), "internal_error");
	assert_string_equal(http_status_title(418), "Error");
	assert_string_equal(http_status_code(418), "error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_match_static, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_match_params, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_match_id_fmt, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_match_methods, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_match_trailing_slash, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_match_many_params, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_form_basic, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_form_decoding, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_form_shapes, setup, teardown),
	    cmocka_unit_test(test_path_safe),
	    cmocka_unit_test(test_mime_type),
	    cmocka_unit_test(test_cidr),
	    cmocka_unit_test(test_metrics_render),
	    cmocka_unit_test(test_status_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
