/* Migration 33: a recurring problem (反复发生问题) can be taken up as a deliberation topic (议题)
 * as well as a campaign item; topic_id names the topic made of it (NULL: none). A problem is
 * taken once, either way (status 'taken'). */
#include "store/migrations/migrations.h"

/* The topic page names the problem it came from. */
#define TOPIC_INDEX                                                                                \
	"CREATE INDEX recurring_problems_topic ON recurring_problems(topic_id) "                   \
	"WHERE topic_id IS NOT NULL;"

const char store_migration_33[] =
    "ALTER TABLE recurring_problems ADD COLUMN topic_id INTEGER REFERENCES topics(id);" TOPIC_INDEX;

const char store_migration_33_pg[] =
    "ALTER TABLE recurring_problems ADD COLUMN topic_id BIGINT REFERENCES topics(id);" TOPIC_INDEX;
