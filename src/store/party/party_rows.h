/* Row readers the party store files share (internal to store/party/). */
#ifndef JICENG_STORE_PARTY_ROWS_H
#define JICENG_STORE_PARTY_ROWS_H

#include "core/arena.h"
#include "store/db.h"

/* Reads a struct party_event_row: organisation and member events share the shape. */
void party_event_read(struct db_stmt *st, struct arena *a, void *row);

#endif
