/* Demo residents' accounts and announcements for jiceng demo. */
#ifndef JICENG_CLI_DEMO_VOICE_H
#define JICENG_CLI_DEMO_VOICE_H

#include <stdint.h>

#include "store/db.h"

/* Links the demo resident jumin to a member of a household of its grid and adds jumin2..jumin4
 * (password password), each linked to a member of another household of 阳光社区, and a few
 * announcements unless there are some already (inside the caller's transaction). Returns how
 * many accounts were linked, or -1 on a store error. */
int demo_voice(struct db *db, const char *password, int64_t now);

#endif
