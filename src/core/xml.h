/* A minimal XML writer for the Open311 responses: elements with escaped text. */
#ifndef JICENG_CORE_XML_H
#define JICENG_CORE_XML_H

#include "core/buf.h"

/* Appends s with & < > " ' escaped and invalid UTF-8 or control characters dropped
 * (XML 1.0 cannot carry them). */
void xml_escape(struct buf *b, const char *s);
/* <name>escaped text</name>; NULL text gives an empty element <name/>. */
void xml_element(struct buf *b, const char *name, const char *text);

#endif
