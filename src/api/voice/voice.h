/* Residents' voice (issue 14), api/voice/: household codes and enrolment of resident accounts
 * (enrolment.c), announcements (announcements.c). */
#ifndef JICENG_API_VOICE_H
#define JICENG_API_VOICE_H

#include "api/base/base.h"
#include "store/voice/voice.h"

/* Who issues and revokes a household's code and unlinks an account: community staff and
 * above, grid leaders and grid workers over the household's grid (as base-data writers). */
#define ENROL_ISSUERS BASE_WRITERS
/* Who publishes announcements over a region: community staff and above, grid leaders. */
#define ANNOUNCE_WRITERS (ROLES_MANAGERS | ROLE_BIT(ROLE_GRID_LEADER))
/* Who lists announcements with their read counts (staff in scope). */
#define ANNOUNCE_READERS BASE_READERS

void enrolment_code_issue_h(struct http_req *req);
void enrolment_code_revoke_h(struct http_req *req);
void enrolments_create_h(struct http_req *req);
void users_resident_unlink_h(struct http_req *req);
void announcements_list_h(struct http_req *req);
void announcements_create_h(struct http_req *req);
void announcements_get_h(struct http_req *req);

#endif
