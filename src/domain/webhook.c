/* Webhook subscriptions' rules (see webhook.h). */
#include "domain/webhook.h"

#include <string.h>

static const char *const types[] = {
    "case.report",   "case.accept", "case.reject", "case.dispatch",  "case.start",
    "case.escalate", "case.return", "case.handle", "case.verify",    "case.reopen",
    "case.feedback", "case.close",  "case.merge",  "case.supervise",
};

const char *webhook_event_type(size_t i)
{
	return i < sizeof types / sizeof types[0] ? types[i] : NULL;
}

bool webhook_event_known(const char *type)
{
	for (size_t i = 0; type && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(types[i], type) == 0)
			return true;
	return false;
}

static bool prefix_nocase(const char *s, const char *p)
{
	for (; *p; s++, p++) {
		char c = *s >= 'A' && *s <= 'Z' ? (char)(*s + 32) : *s;
		if (c != *p)
			return false;
	}
	return true;
}

bool webhook_url_ok(const char *url)
{
	if (!url)
		return false;
	size_t n = strlen(url);
	if (n == 0 || n > WEBHOOK_URL_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c <= 0x20 || c == 0x7f)
			return false;
	}
	const char *host;
	if (prefix_nocase(url, "https://"))
		host = url + 8;
	else if (prefix_nocase(url, "http://"))
		host = url + 7;
	else
		return false;
	size_t hl = strcspn(host, "/?#");
	if (hl == 0 || memchr(host, '@', hl) || memchr(host, '\\', hl))
		return false;
	/* A port, when given, is 1..65535 digits after the host (IPv6 literals keep their
	 * colons inside brackets). */
	const char *end = host + hl, *colon = NULL;
	if (host[0] == '[') {
		const char *close = memchr(host, ']', hl);
		if (!close || close == host + 1)
			return false;
		if (close + 1 < end) {
			if (close[1] != ':')
				return false;
			colon = close + 1;
		}
	} else {
		colon = memchr(host, ':', hl);
		if (colon == host)
			return false;
	}
	if (colon) {
		long port = 0;
		const char *p = colon + 1;
		if (p == end || end - p > 5)
			return false;
		for (; p < end; p++) {
			if (*p < '0' || *p > '9')
				return false;
			port = port * 10 + (*p - '0');
		}
		if (port < 1 || port > 65535)
			return false;
	}
	return true;
}

int64_t webhook_retry_delay_ms(int attempts, int64_t base_ms)
{
	static const int64_t factor[WEBHOOK_MAX_ATTEMPTS - 1] = {1, 3, 12, 60, 360, 1080, 2160};
	if (attempts < 1 || attempts >= WEBHOOK_MAX_ATTEMPTS)
		return -1;
	return base_ms * factor[attempts - 1];
}
