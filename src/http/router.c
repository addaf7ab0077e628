/* Route matching over the table the api layer hands in. Linear: the table is
 * small and a segment compare is cheaper than building a trie per request. */
#include "http/http.h"

#include <string.h>

/* Matches one pattern segment [ps, pe) against a path segment [s, e). */
static bool match_segment(struct http_req *req, const char *ps, const char *pe, const char *s,
                          const char *e)
{
	if (*ps != '{') {
		return (size_t)(pe - ps) == (size_t)(e - s) && memcmp(ps, s, (size_t)(e - s)) == 0;
	}
	if (s == e)
		return false;
	/* "{id}.{fmt}" splits the path segment at its last dot. */
	const char *close = memchr(ps, '}', (size_t)(pe - ps));
	if (!close)
		return false;
	if (close + 1 < pe && close[1] == '.') {
		const char *dot = NULL;
		for (const char *p = s; p < e; p++)
			if (*p == '.')
				dot = p;
		if (!dot || dot == s || dot + 1 == e)
			return false;
		if (!match_segment(req, ps, close + 1, s, dot))
			return false;
		return match_segment(req, close + 2, pe, dot + 1, e);
	}
	if (req->nparams == HTTP_MAX_PARAMS)
		return false;
	req->param_names[req->nparams] =
	    arena_strndup(&req->arena, ps + 1, (size_t)(close - ps - 1));
	req->params[req->nparams] = arena_strndup(&req->arena, s, (size_t)(e - s));
	req->nparams++;
	return true;
}

static bool match_path(struct http_req *req, const char *pattern, const char *path)
{
	const char *p = pattern, *s = path;
	req->nparams = 0;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return false;
		p++;
		s++;
		const char *pe = strchr(p, '/'), *se = strchr(s, '/');
		if (!pe)
			pe = p + strlen(p);
		if (!se)
			se = s + strlen(s);
		if (!match_segment(req, p, pe, s, se))
			return false;
		p = pe;
		s = se;
	}
	return *p == '\0' && *s == '\0';
}

const struct http_route *http_match(const struct http_app *app, struct http_req *req,
                                    const char *method, const char *path, bool *method_mismatch)
{
	*method_mismatch = false;
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
	for (size_t i = 0; i < app->nroutes; i++) {
		const struct http_route *r = &app->routes[i];
		if (!match_path(req, r->pattern, path))
			continue;
		if (strcmp(r->method, m) == 0)
			return r;
		*method_mismatch = true;
	}
	req->nparams = 0;
	return NULL;
}

const char *http_param(const struct http_req *req, const char *name)
{
	for (size_t i = 0; i < req->nparams; i++)
		if (strcmp(req->param_names[i], name) == 0)
			return req->params[i];
	return NULL;
}

const char *http_allowed_methods(const struct http_app *app, struct http_req *req, const char *path)
{
	char *out = arena_alloc(&req->arena, 64);
	out[0] = '\0';
	size_t saved = req->nparams;
	for (size_t i = 0; i < app->nroutes; i++) {
		const struct http_route *r = &app->routes[i];
		if (!match_path(req, r->pattern, path) || strstr(out, r->method))
			continue;
		if (strlen(out) + strlen(r->method) + 3 > 64)
			break;
		if (*out)
			strcat(out, ", ");
		strcat(out, r->method);
		if (strcmp(r->method, "GET") == 0 && !strstr(out, "HEAD"))
			strcat(out, ", HEAD");
	}
	req->nparams = saved;
	return out;
}
