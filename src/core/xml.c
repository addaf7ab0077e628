/* Escaping lives here, in the output layer, never at call sites. */
#include "core/xml.h"
#include "core/text.h"

#include <string.h>

void xml_escape(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		switch (*p) {
		case '&':
			buf_puts(b, "&amp;");
			p++;
			continue;
		case '<':
			buf_puts(b, "&lt;");
			p++;
			continue;
		case '>':
			buf_puts(b, "&gt;");
			p++;
			continue;
		case '"':
			buf_puts(b, "&quot;");
			p++;
			continue;
		case '\'':
			buf_puts(b, "&apos;");
			p++;
			continue;
		default:
			break;
		}
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') {
			p++;
			continue;
		}
		size_t n = utf8_sequence_len(p);
		/* XML 1.0 cannot carry U+FFFE and U+FFFF (EF BF BE/BF) either. */
		if (!n || (n == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)) {
			p += n ? n : 1;
			continue;
		}
		buf_append(b, p, n);
		p += n;
	}
}

void xml_element(struct buf *b, const char *name, const char *text)
{
	if (!text) {
		buf_printf(b, "<%s/>", name);
		return;
	}
	buf_printf(b, "<%s>", name);
	xml_escape(b, text);
	buf_printf(b, "</%s>", name);
}
