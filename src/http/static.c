/* The web UI: files compiled into the binary (with gzip variants and ETags
 * made at build time), or a directory while working on the UI. Paths without
 * a file fall back to index.html so the single-page app owns its routes. */
#include "http/http.h"
#include "core/mem.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *ext, *type;
} mime_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".ttf", "font/ttf"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json"},
    {".geojson", "application/geo+json"},
};

const char *http_mime_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (dot && (!slash || dot > slash))
		for (size_t i = 0; i < sizeof mime_types / sizeof mime_types[0]; i++)
			if (strcmp(dot, mime_types[i].ext) == 0)
				return mime_types[i].type;
	return "application/octet-stream";
}

bool http_path_safe(const char *path)
{
	if (!path || path[0] != '/')
		return false;
	if (strstr(path, "..") || strchr(path, '\\') || strstr(path, "//"))
		return false;
	for (const char *p = path; *p; p++)
		if ((unsigned char)*p < 0x20)
			return false;
	return true;
}

static bool accepts_gzip(const struct http_req *req)
{
	const char *ae = http_header(req, "Accept-Encoding");
	return ae && strstr(ae, "gzip");
}

static bool etag_matches(const struct http_req *req, const char *etag)
{
	const char *inm = http_header(req, "If-None-Match");
	return inm && etag && strstr(inm, etag);
}

static const struct http_asset *find_asset(const struct http_options *opt, const char *path)
{
	for (size_t i = 0; i < opt->nassets; i++)
		if (strcmp(opt->assets[i].path, path) == 0)
			return &opt->assets[i];
	return NULL;
}

/* A path the single-page app handles itself: no extension in its last segment. */
static bool spa_route(const char *path)
{
	const char *slash = strrchr(path, '/');
	return !strchr(slash ? slash : path, '.');
}

static void cache_headers(struct http_req *req, const char *etag, bool immutable)
{
	http_add_header(req, "Cache-Control",
	                immutable ? "public, max-age=31536000, immutable" : "no-cache");
	if (etag)
		http_add_header(req, "ETag", etag);
	http_add_header(req, "Vary", "Accept-Encoding");
	/* The built UI has no inline scripts, so the page may run only its own code. */
	http_add_header(req, "Content-Security-Policy",
	                "default-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; "
	                "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
	http_add_header(req, "Referrer-Policy", "same-origin");
}

static bool serve_asset(struct http_req *req, const struct http_asset *a)
{
	cache_headers(req, a->etag, a->immutable);
	if (etag_matches(req, a->etag)) {
		http_respond(req, 304, NULL, NULL, 0);
		return true;
	}
	bool gz = a->gz && accepts_gzip(req);
	req->status = 200;
	req->content_type = a->content_type;
	req->resp = (char *)(gz ? a->gz : a->data);
	req->resp_len = gz ? a->gzlen : a->len;
	req->resp_static = true;
	req->responded = true;
	if (gz)
		http_add_header(req, "Content-Encoding", "gzip");
	return true;
}

static char *read_file(const char *path, size_t *len, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) || st->st_size > 64 * 1024 * 1024) {
		close(fd);
		return NULL;
	}
	size_t n = (size_t)st->st_size, got = 0;
	char *data = xmalloc(n + 1);
	while (got < n) {
		ssize_t r = read(fd, data + got, n - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != n) {
		free(data);
		return NULL;
	}
	*len = n;
	return data;
}

static bool serve_dir(struct http_req *req, const char *root, const char *path)
{
	char full[4096];
	struct stat st;
	size_t len;
	const char *rel = strcmp(path, "/") == 0 ? "/index.html" : path;
	snprintf(full, sizeof full, "%s%s", root, rel);
	char *data = read_file(full, &len, &st);
	if (!data && spa_route(path)) {
		rel = "/index.html";
		snprintf(full, sizeof full, "%s/index.html", root);
		data = read_file(full, &len, &st);
	}
	if (!data)
		return false;
	char etag[64];
	snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)st.st_mtime,
	         (unsigned long long)st.st_size);
	cache_headers(req, etag, strncmp(rel, "/assets/", 8) == 0);
	if (etag_matches(req, etag)) {
		free(data);
		http_respond(req, 304, NULL, NULL, 0);
		return true;
	}
	http_respond(req, 200, http_mime_type(rel), data, len);
	return true;
}

bool http_static(struct http_req *req, const struct http_options *opt)
{
	const char *path = req->path;
	if (!http_path_safe(path))
		return false;
	if (opt->web_root)
		return serve_dir(req, opt->web_root, path);
	const struct http_asset *a = find_asset(opt, strcmp(path, "/") == 0 ? "/index.html" : path);
	if (!a && spa_route(path))
		a = find_asset(opt, "/index.html");
	return a ? serve_asset(req, a) : false;
}
