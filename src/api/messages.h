/* The catalogue of problem details: every detail and field message the server sends, with a
 * stable code and its English. Handlers keep writing Chinese details; http_problem asks the
 * catalogue (through api_localize) for the code and, when the client prefers English, the
 * English text. scripts/messages.mjs lists details in src/api missing from it. */
#ifndef JICENG_API_MESSAGES_H
#define JICENG_API_MESSAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

struct http_req;

/* zh is the text as the source writes it, printf conversions (%s, %lld, %zu) standing for
 * the values filled in; en names them {1}, {2}, ... in the order zh has them. */
struct msg_entry {
	const char *code, *zh, *en;
};
/* Words filled into details ("%s不存在"), by themselves. */
struct msg_noun {
	const char *zh, *en;
};

/* The catalogue's entries (the parts in api/messages/ as one list, joined once): how many,
 * and the i-th. */
size_t msg_catalogue_size(void);
const struct msg_entry *msg_catalogue_entry(size_t i);

extern const struct msg_noun msg_nouns[];
extern const size_t msg_nnouns;

/* True when an Accept-Language value prefers English to Chinese (Chinese otherwise, also
 * when the header is absent, "*" or names neither). */
bool msg_prefers_english(const char *accept_language);

/* The entry text matches (exact first, else the pattern with the longest fixed text), or
 * NULL. With english, *out is its English with the values filled in (nouns and nested
 * details translated, the rest as they are), arena-allocated; else text. */
const struct msg_entry *msg_translate(struct arena *a, const char *text, bool english,
                                      const char **out);

/* The http_localizer the api layer installs: Accept-Language decides the language. */
const char *api_localize(struct http_req *req, const char *text, const char **code);

/* The same for a problem or result body built by hand: "detail" and every errors[].message
 * put into the request's language, "code" added when body has a detail. */
#include "core/json.h"
void api_localize_body(struct http_req *req, json_t *body);

#endif
