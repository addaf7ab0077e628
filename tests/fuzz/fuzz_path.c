/* Request paths: http_match over the API's real route table (and a small table
 * with the Open311 {id}.{fmt} form), http_path_safe and http_mime_type. The
 * first input byte picks the method, the rest is the path. */
#include "fuzz_common.h"

#include <stdbool.h>

#include "api/api.h"
#include "http/http.h"

static void h_dummy(struct http_req *req)
{
	(void)req;
}

static const struct http_route extra_routes[] = {
    {"GET", "/open311/v2/services.json", h_dummy, 0, HTTP_PUBLIC, NULL},
    {"GET", "/open311/v2/services/{code}.{fmt}", h_dummy, 0, HTTP_PUBLIC, NULL},
    {"POST", "/open311/v2/requests.json", h_dummy, 0, HTTP_PUBLIC | HTTP_FORM, NULL},
    {"GET", "/open311/v2/requests/{id}.{fmt}", h_dummy, 0, HTTP_PUBLIC, NULL},
    {"GET", "/x/{a}/{b}/{c}/{d}/{e}/{f}/{g}", h_dummy, 0, 0, NULL},
    {"GET", "/", h_dummy, 0, 0, NULL},
};

static size_t count_char(const char *s, char c)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == c;
	return n;
}

static void check_match(const struct http_app *app, const char *method, const char *path)
{
	struct http_req req;
	memset(&req, 0, sizeof req);
	arena_init(&req.arena);
	bool mm = true;
	const struct http_route *r = http_match(app, &req, method, path, &mm);
	if (r) {
		FUZZ_CHECK(r >= app->routes && r < app->routes + app->nroutes,
		           "route outside table");
		const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
		FUZZ_CHECK(strcmp(r->method, want) == 0, "method %s matched route %s", method,
		           r->method);
		FUZZ_CHECK(count_char(r->pattern, '/') == count_char(path, '/'),
		           "pattern %s matched path with a different segment count", r->pattern);
		FUZZ_CHECK(req.nparams <= HTTP_MAX_PARAMS, "nparams %zu", req.nparams);
		FUZZ_CHECK(req.nparams == count_char(r->pattern, '{'), "param count for %s",
		           r->pattern);
		for (size_t i = 0; i < req.nparams; i++) {
			FUZZ_CHECK(req.params[i][0] != '\0', "empty parameter");
			FUZZ_CHECK(!strchr(req.params[i], '/'), "parameter spans segments");
			FUZZ_CHECK(strstr(path, req.params[i]) != NULL,
			           "parameter not from the path");
			FUZZ_CHECK(http_param(&req, req.param_names[i]) != NULL, "http_param");
		}
		/* Matching is a pure function of (method, path). */
		struct http_req again;
		memset(&again, 0, sizeof again);
		arena_init(&again.arena);
		bool mm2;
		FUZZ_CHECK(http_match(app, &again, method, path, &mm2) == r, "not deterministic");
		arena_free(&again.arena);
	} else {
		FUZZ_CHECK(req.nparams == 0, "params left after no match");
	}
	arena_free(&req.arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	static const char *const methods[] = {"GET",    "HEAD", "POST",    "PATCH",
	                                      "DELETE", "PUT",  "OPTIONS", "get"};
	const char *method = methods[data[0] % (sizeof methods / sizeof methods[0])];
	char *path = fuzz_cstr(data + 1, size - 1);

	check_match(api_app(), method, path);
	const struct http_app extra = {.routes = extra_routes,
	                               .nroutes = sizeof extra_routes / sizeof extra_routes[0]};
	check_match(&extra, method, path);

	if (http_path_safe(path)) {
		FUZZ_CHECK(path[0] == '/', "relative path accepted");
		FUZZ_CHECK(!strstr(path, ".."), "'..' accepted");
		FUZZ_CHECK(!strstr(path, "//"), "'//' accepted");
		FUZZ_CHECK(!strchr(path, '\\'), "backslash accepted");
		for (const unsigned char *p = (const unsigned char *)path; *p; p++)
			FUZZ_CHECK(*p >= 0x20, "control character accepted");
	}
	const char *mime = http_mime_type(path);
	FUZZ_CHECK(mime && strchr(mime, '/'), "mime type %s", mime ? mime : "(null)");
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(path, '.');
	if (!dot || (slash && slash > dot))
		FUZZ_CHECK(!strcmp(mime, "application/octet-stream"), "type without an extension");
	free(path);
	return 0;
}
