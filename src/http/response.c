/* Responses: status, content type and body set together, and the one place
 * problem details are written. */
#include "http/http.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"

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

const char *http_status_title(int status)
{
	switch (status) {
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 409:
		return "Conflict";
	case 413:
		return "Content Too Large";
	case 415:
		return "Unsupported Media Type";
	case 422:
		return "Unprocessable Content";
	case 423:
		return "Locked";
	case 429:
		return "Too Many Requests";
	case 503:
		return "Service Unavailable";
	default:
		return status >= 500 ? "Internal Server Error" : "Error";
	}
}

void http_problem(struct http_req *req, int status, const char *detail, const char *errors_json)
{
	if (req->render_error && req->render_error(req, status, detail))
		return;
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "{\"type\":\"about:blank\",\"title\":\"%s\",\"status\":%d,\"detail\":",
	           http_status_title(status), status);
	json_write_string(&b, detail ? detail : http_status_title(status));
	if (errors_json) {
		buf_puts(&b, ",\"errors\":");
		buf_puts(&b, errors_json);
	}
	buf_puts(&b, "}");
	size_t len;
	char *body = buf_detach(&b, &len);
	http_respond(req, status, "application/problem+json; charset=utf-8", body, len);
}
