/* The background sender of the notification outbox. */
#ifndef JICENG_API_OUTBOX_H
#define JICENG_API_OUTBOX_H

#include "core/mem.h"

struct outbox;

/* Starts the sender: webhook NULL logs each notification, else POSTs it as JSON there. */
struct outbox *outbox_start(const char *db_path, const char *webhook);
/* Stops the thread after its current batch and frees everything. */
void outbox_stop(struct outbox *ob);

#endif
