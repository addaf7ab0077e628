/* The catalogue's parts, one file per capability in api/messages/, joined into one list by
 * api/messages.c. A new capability adds its file here and to msg_parts[] there. */
#ifndef JICENG_API_MESSAGES_PARTS_H
#define JICENG_API_MESSAGES_PARTS_H

#include "api/messages.h"

#define MSG_PART(name)                                                                             \
	extern const struct msg_entry msg_catalogue_##name[];                                      \
	extern const size_t msg_ncatalogue_##name

MSG_PART(input);
MSG_PART(platform);
MSG_PART(base);
MSG_PART(cases);
MSG_PART(party);
MSG_PART(evaluation);
MSG_PART(deliberation);
MSG_PART(services);
MSG_PART(volunteers);
MSG_PART(projects);

#endif
