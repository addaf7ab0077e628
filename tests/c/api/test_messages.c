/* Unit tests for src/api/messages.c: the language an Accept-Language value asks for, and the
 * catalogue of problem details (lookup, patterns, nouns, and the catalogue's own shape). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "api/messages.h"

static void test_accept_language(void **state)
{
	(void)state;
	/* Chinese unless English is preferred. */
	assert_false(msg_prefers_english(NULL));
	assert_false(msg_prefers_english(""));
	assert_false(msg_prefers_english("*"));
	assert_false(msg_prefers_english("fr-FR,de;q=0.8"));
	assert_false(msg_prefers_english("zh-CN"));
	assert_false(msg_prefers_english("zh-CN,zh;q=0.9,en;q=0.8"));
	assert_false(msg_prefers_english("zh, en"));           /* equal weight: the first named */
	assert_false(msg_prefers_english("en;q=0, zh;q=0.1")); /* q=0: not acceptable */
	assert_false(msg_prefers_english("eng"));              /* not the range "en" */
	assert_true(msg_prefers_english("en"));
	assert_true(msg_prefers_english("EN-gb"));
	assert_true(msg_prefers_english("en-US,en;q=0.9,zh-CN;q=0.8"));
	assert_true(msg_prefers_english("en, zh"));
	assert_true(msg_prefers_english("zh;q=0.5, en;q=0.9"));
	assert_true(msg_prefers_english(" fr , en ; q=0.7 ,zh;q=0.3"));
	assert_true(msg_prefers_english("de,en"));
}

static const char *en(struct arena *a, const char *zh, const char **code)
{
	const char *out = NULL;
	const struct msg_entry *e = msg_translate(a, zh, true, &out);
	*code = e ? e->code : NULL;
	return out;
}

static void test_translate(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	const char *code, *out;

	/* exact */
	assert_string_equal(en(&a, "请先登录", &code), "Please sign in");
	assert_string_equal(code, "sign_in_required");
	/* Chinese asked: the text as it is, the code all the same */
	const struct msg_entry *e = msg_translate(&a, "请先登录", false, &out);
	assert_non_null(e);
	assert_string_equal(out, "请先登录");
	assert_string_equal(e->code, "sign_in_required");

	/* a pattern with a noun, capitalised at the start of the sentence */
	assert_string_equal(en(&a, "网格不存在", &code), "Grid not found");
	assert_string_equal(code, "not_found_what");
	/* the more specific pattern wins over "%s不存在" */
	assert_string_equal(en(&a, "区划 999901 不存在", &code), "Region 999901 not found");
	assert_string_equal(code, "grant_region_not_found");
	/* numbers, in English order */
	assert_string_equal(en(&a, "导入未完成：120 行中有 3 行错误，未写入任何数据", &code),
	                    "Import not completed: 3 of 120 rows have errors; nothing was written");
	assert_string_equal(en(&a, "JSON 格式错误（第 1 行第 17 列）", &code),
	                    "Malformed JSON (line 1, column 17)");
	/* a numeric conversion takes digits only */
	assert_null(msg_translate(&a, "JSON 格式错误（第 一 行第 17 列）", true, &out));
	/* states and actions filled in */
	assert_string_equal(en(&a, "事件当前为“已结案”，不能执行“派遣”", &code),
	                    "Action “dispatch” is not possible while the case is “closed”");
	assert_string_equal(en(&a, "承诺事项当前为“已承诺”，不能销号", &code),
	                    "The commitment is “committed” and cannot be closed");
	/* a nested detail translated as a value */
	assert_string_equal(
	    en(&a, "首行须为表头，且包含必填列：姓名、网格代码", &code),
	    "The first row must be a header row with the required columns: name, grid code");
	/* a value that is data stays as it is */
	assert_string_equal(en(&a, "网格 999901001001009 已撤销", &code),
	                    "Grid 999901001001009 has been dissolved");

	/* unknown: NULL, the text unchanged */
	assert_null(msg_translate(&a, "从未出现过的说明", true, &out));
	assert_string_equal(out, "从未出现过的说明");
	assert_null(msg_translate(&a, "", true, &out));
	arena_free(&a);
}

static bool has_cjk(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0xE3 && (unsigned char)*s <= 0xE9)
			return true;
	return false;
}

/* Conversions in zh (printf) and the highest {n} in en. */
static int conversions(const char *zh)
{
	int n = 0;
	for (const char *p = zh; *p; p++)
		if (p[0] == '%') {
			if (p[1] == '%')
				p++;
			else
				n++;
		}
	return n;
}

static int highest_value(const char *en_text)
{
	int n = 0;
	for (const char *p = en_text; *p; p++)
		if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}' && p[1] - '0' > n)
			n = p[1] - '0';
	return n;
}

/* Every entry: a snake_case code, English without Chinese and with one {n} per value, and
 * the entry found again from its own text (no pattern shadows another). */
static void test_catalogue_shape(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	size_t n = msg_catalogue_size();
	assert_true(n > 300);
	assert_null(msg_catalogue_entry(n));
	for (size_t i = 0; i < n; i++) {
		const struct msg_entry *e = msg_catalogue_entry(i);
		char what[512];
		snprintf(what, sizeof what, "entry %zu %s", i, e->code);
		for (const char *p = e->code; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
				fail_msg("%s: code is not snake_case", what);
		if (has_cjk(e->en))
			fail_msg("%s: English has Chinese: %s", what, e->en);
		if (highest_value(e->en) != conversions(e->zh))
			fail_msg("%s: %d values in zh, {%d} in en", what, conversions(e->zh),
			         highest_value(e->en));
		for (size_t j = 0; j < i; j++) {
			if (strcmp(msg_catalogue_entry(j)->zh, e->zh) == 0)
				fail_msg("%s: zh repeated from entry %zu", what, j);
			if (strcmp(msg_catalogue_entry(j)->code, e->code) == 0)
				fail_msg("%s: code repeated from entry %zu", what, j);
		}
		/* the text as a handler would send it: %s → "X9", numbers → 7 */
		char sample[512];
		size_t len = 0;
		for (const char *p = e->zh; *p && len + 8 < sizeof sample; p++) {
			if (p[0] == '%' && p[1] != '%') {
				const char *q = p + 1;
				while (*q && strchr("-+ #0123456789.hlLjzt", *q))
					q++;
				len += (size_t)snprintf(sample + len, sizeof sample - len, "%s",
				                        *q == 's' ? "X9" : "7");
				p = q;
			} else {
				sample[len++] = *p;
			}
		}
		sample[len] = '\0';
		const char *out;
		const struct msg_entry *found = msg_translate(&a, sample, true, &out);
		if (found != e)
			fail_msg("%s: \"%s\" found %s", what, sample,
			         found ? found->code : "nothing");
		if (has_cjk(out))
			fail_msg("%s: translation of \"%s\" has Chinese: %s", what, sample, out);
	}
	for (size_t i = 0; i < msg_nnouns; i++)
		if (has_cjk(msg_nouns[i].en))
			fail_msg("noun %s: English has Chinese", msg_nouns[i].zh);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_accept_language),
	    cmocka_unit_test(test_translate),
	    cmocka_unit_test(test_catalogue_shape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
