/* Recognises uploaded images by their content, never by the name or the
 * Content-Type the client claims. */
#ifndef JICENG_DOMAIN_MEDIA_H
#define JICENG_DOMAIN_MEDIA_H

#include <stddef.h>

/* "image/jpeg", "image/png" or "image/webp"; NULL for anything else. */
const char *media_sniff_image(const unsigned char *p, size_t n);
/* True for a 64-character lowercase hex SHA-256 name. */
int media_hash_valid(const char *s);

#endif
