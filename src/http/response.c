/* Responses: status, content type and body set together, and the one place
 * problem details are written. */
#include "http/http.h"
#include "http/stream.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void http_respond(struct http_req *req, int status, const char *content_type, char *body,
                  size_t len)
{
	if (req->resp && !req->resp_static)
		free(req->resp);
	if (req->resp_fd > 0)
		close(req->resp_fd);
	req->resp_fd = 0;
	if (req->stream) { /* an answer replacing a stream (e.g. its transaction failed) */
		http_stream_release(req->stream);
		req->stream = NULL;
	}
	req->status = status;
	req->content_type = content_type;
	req->resp = body;
	req->resp_len = len;
	req->resp_static = false;
	req->responded = true;
}

void http_respond_fd(struct http_req *req, int status, const char *content_type, int fd, size_t len)
{
	http_respond(req, status, content_type, NULL, len);
	req->resp_fd = fd;
}

void http_add_header(struct http_req *req, const char *name, const char *value)
{
	if (req->nhdrs == HTTP_MAX_HEADERS)
		return;
	req->hdr_names[req->nhdrs] = arena_strdup(&req->arena, name);
	req->hdr_values[req->nhdrs] = arena_strdup(&req->arena, value);
	req->nhdrs++;
}

/* The problem statuses the server answers: the title of each (RFC 9110's reason phrase) and
 * the machine code its problem details carry. */
static const struct {
	int status;
	const char *title, *code;
} statuses[] = {
    {400, "Bad Request", "bad_request"},
    {401, "Unauthorized", "unauthorized"},
    {403, "Forbidden", "forbidden"},
    {404, "Not Found", "not_found"},
    {405, "Method Not Allowed", "method_not_allowed"},
    {409, "Conflict", "conflict"},
    {413, "Content Too Large", "content_too_large"},
    {415, "Unsupported Media Type", "unsupported_media_type"},
    {422, "Unprocessable Content", "unprocessable"},
    {423, "Locked", "locked"},
    {429, "Too Many Requests", "too_many_requests"},
    {503, "Service Unavailable", "unavailable"},
};

static int status_index(int status)
{
	for (int i = 0; i < (int)(sizeof statuses / sizeof statuses[0]); i++)
		if (statuses[i].status == status)
			return i;
	return -1;
}

const char *http_status_title(int status)
{
	int i = status_index(status);
	if (i >= 0)
		return statuses[i].title;
	return status >= 500 ? "Internal Server Error" : "Error";
}

const char *http_status_code(int status)
{
	int i = status_index(status);
	if (i >= 0)
		return statuses[i].code;
	return status >= 500 ? "internal_error" : "error";
}

/* Set before the server's threads start and only read afterwards. */
static http_localizer localizer;

void http_set_localizer(http_localizer fn)
{
	localizer = fn;
}

/* errors[] with every message in the request's language; NULL when it cannot be parsed
 * (it is then sent as given). */
static char *localize_errors(struct http_req *req, const char *errors_json)
{
	json_t *arr = json_loads(errors_json, 0, NULL);
	if (!json_is_array(arr)) {
		json_decref(arr);
		return NULL;
	}
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e)
	{
		const char *m = json_string_value(json_object_get(e, "message"));
		if (!m)
			continue;
		const char *code = NULL;
		const char *t = localizer(req, m, &code);
		if (t != m)
			json_set_str(e, "message", t);
	}
	char *out = json_to_string(arr, NULL);
	json_decref(arr);
	return out;
}

void http_problem(struct http_req *req, int status, const char *detail, const char *errors_json)
{
	const char *text = detail ? detail : http_status_title(status);
	const char *code = NULL;
	char *errors = NULL;
	if (localizer) {
		text = localizer(req, text, &code);
		if (errors_json)
			errors = localize_errors(req, errors_json);
		/* The detail depends on Accept-Language: caches must keep the languages apart. */
		http_add_header(req, "Vary", "Accept-Language");
	}
	if (!code)
		code = http_status_code(status);
	if (req->render_error && req->render_error(req, status, text)) {
		free(errors);
		return;
	}
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "{\"type\":\"about:blank\",\"title\":\"%s\",\"status\":%d,\"code\":",
	           http_status_title(status), status);
	json_write_string(&b, code);
	buf_puts(&b, ",\"detail\":");
	json_write_string(&b, text);
	if (errors_json) {
		buf_puts(&b, ",\"errors\":");
		buf_puts(&b, errors ? errors : errors_json);
	}
	buf_puts(&b, "}");
	free(errors);
	size_t len;
	char *body = buf_detach(&b, &len);
	http_respond(req, status, "application/problem+json; charset=utf-8", body, len);
}
