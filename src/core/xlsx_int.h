/* Shared by the XLSX reader (core/xlsx.c) and writer (core/xlsx_write.c), not by callers. */
#ifndef JICENG_CORE_XLSX_INT_H
#define JICENG_CORE_XLSX_INT_H

#include <stddef.h>

/* Longest path of a part inside the package, or of the writer's temporary file. */
#define MAX_PATH_LEN 512

/* The code point of an OOXML escape "_xHHHH_" at s (len bytes left), or -1 when there is
 * none: the reader decodes them, the writer escapes a literal one so it reads back as
 * itself. */
long xlsx_escape_at(const char *s, size_t len);

#endif
