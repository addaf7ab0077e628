/* Open311 GeoReport v2 helpers shared by open311.c (discovery, services, reading requests)
 * and open311_post.c (posting a request). */
#ifndef JICENG_API_OPEN311_H
#define JICENG_API_OPEN311_H

#include "api/api.h"
#include "core/buf.h"

enum fmt { FMT_XML, FMT_JSON };

/* The format named by the path's {fmt}; false after responding 404. */
bool open311_want_fmt(struct http_req *req, enum fmt *f);
/* Resolves the api_key (a form field on POST, a query parameter on GET) into the caller;
 * *keyed tells whether one was given. False after responding 403 to a key that is not valid. */
bool open311_read_key(struct http_req *req, const char *key, bool *keyed);
/* Responds with b's text as XML or JSON. */
void open311_respond(struct http_req *req, int status, enum fmt f, struct buf *b);

#endif
