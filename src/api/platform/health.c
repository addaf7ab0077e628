/* GET /healthz: answers once the server is ready; needs no credential. */
#include "api/api.h"

#include <string.h>

void health_get_h(struct http_req *req)
{
	static const char body[] = "{\"status\":\"ok\"}";
	req->status = 200;
	req->content_type = "application/json";
	req->resp = (char *)body;
	req->resp_len = sizeof body - 1;
	req->resp_static = true;
	req->responded = true;
}
