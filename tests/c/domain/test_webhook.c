/* Unit tests for src/domain/webhook.c: the addresses a subscription may name, the event
 * types (one per case action, checked against the case flow's own codes) and the retry
 * schedule written out as the documentation states it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/case_flow.h"
#include "domain/webhook.h"

static void urls(void **state)
{
	(void)state;
	const char *good[] = {"http://127.0.0.1:8080/hook", "https://example.org",
	                      "HTTPS://example.org/a?b=c#d", "http://[::1]:9000/x",
	                      "https://hooks.example.org:443/jiceng/cases"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_true(webhook_url_ok(good[i]));
	const char *bad[] = {NULL,
	                     "",
	                     "ftp://example.org/",
	                     "file:///etc/passwd",
	                     "javascript:alert(1)",
	                     "example.org/hook",
	                     "http://",
	                     "http:///path",
	                     "http://user:pw@example.org/",
	                     "http://example.org/a b",
	                     "http://example.org/\n",
	                     "http://example.org:0/",
	                     "http://example.org:65536/",
	                     "http://example.org:80a/",
	                     "http://example.org:/",
	                     "http://:80/",
	                     "http://[]/",
	                     "http://[::1/"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (webhook_url_ok(bad[i]))
			fail_msg("accepted %s", bad[i] ? bad[i] : "(null)");
	}
	char big[WEBHOOK_URL_MAX + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memcpy(big, "http://x/", 9);
	assert_false(webhook_url_ok(big));
	big[WEBHOOK_URL_MAX] = '\0';
	assert_true(webhook_url_ok(big));
}

static void event_types(void **state)
{
	(void)state;
	assert_true(webhook_event_known("case.report"));
	for (int a = 0; a < CASE_ACTION_COUNT; a++) {
		char t[64];
		snprintf(t, sizeof t, "case.%s", case_action_code((enum case_action)a));
		if (!webhook_event_known(t))
			fail_msg("no event type for %s", t);
	}
	size_t n = 0;
	while (webhook_event_type(n)) {
		/* store_webhooks_enqueue matches a type with LIKE: no wildcard may be in one. */
		assert_null(strpbrk(webhook_event_type(n), "%_\\\""));
		n++;
	}
	assert_int_equal(n, CASE_ACTION_COUNT + 1);
	assert_false(webhook_event_known("ping"));
	assert_false(webhook_event_known("case.Accept"));
	assert_false(webhook_event_known(NULL));
}

static void backoff(void **state)
{
	(void)state;
	/* 10 s, 30 s, 2 min, 10 min, 1 h, 3 h, 6 h, then failed after the eighth attempt. */
	const int64_t want[] = {10000, 30000, 120000, 600000, 3600000, 10800000, 21600000};
	for (int i = 0; i < 7; i++)
		assert_int_equal(webhook_retry_delay_ms(i + 1, WEBHOOK_BACKOFF_MS), want[i]);
	assert_int_equal(WEBHOOK_MAX_ATTEMPTS, 8);
	assert_int_equal(webhook_retry_delay_ms(8, WEBHOOK_BACKOFF_MS), -1);
	assert_int_equal(webhook_retry_delay_ms(0, WEBHOOK_BACKOFF_MS), -1);
	assert_int_equal(webhook_retry_delay_ms(2, 100), 300);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(urls),
	    cmocka_unit_test(event_types),
	    cmocka_unit_test(backoff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
