/* Migration 8: the case loop's public faces. */
#include "store/migrations/migrations.h"

// clang-format off
const char store_migration_8[] =
    /* migration 8: the case loop's public faces. Categories say whether their cases may be
     * read without a key (Open311); a reporter chooses to publish the description; handlers
     * write a reply for the public apart from the internal result; an anonymous reporter's
     * identity is kept sealed; a timeline entry keeps the rating and the system's own note
     * apart from what the person wrote. Demo tracking codes that could be derived
     * (DEMO00000001…) are replaced by random ones. */
    "ALTER TABLE categories ADD COLUMN public INTEGER NOT NULL DEFAULT 0;"
    "UPDATE categories SET public = 1 WHERE code IN ('environment', 'property', 'municipal', "
    "'safety', 'fire', 'illegal_construction', 'food_safety');"
    "ALTER TABLE cases ADD COLUMN publish_description INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE cases ADD COLUMN public_reply TEXT;"
    "ALTER TABLE cases ADD COLUMN reporter_sealed BLOB;"
    "ALTER TABLE case_events ADD COLUMN rating INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE case_events ADD COLUMN note TEXT;"
    "UPDATE cases SET tracking_code = "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + (random() & 31), 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + (random() & 31), 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + (random() & 31), 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + (random() & 31), 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + (random() & 31), 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + (random() & 31), 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + (random() & 31), 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + (random() & 31), 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + (random() & 31), 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + (random() & 31), 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + (random() & 31), 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + (random() & 31), 1) "
    "WHERE tracking_code LIKE 'DEMO%';";

/* PostgreSQL: the same columns and updates; random() there is a fraction in [0, 1). */
const char store_migration_8_pg[] =
    "ALTER TABLE categories ADD COLUMN public BIGINT NOT NULL DEFAULT 0;"
    "UPDATE categories SET public = 1 WHERE code IN ('environment', 'property', 'municipal', "
    "'safety', 'fire', 'illegal_construction', 'food_safety');"
    "ALTER TABLE cases ADD COLUMN publish_description BIGINT NOT NULL DEFAULT 0;"
    "ALTER TABLE cases ADD COLUMN public_reply TEXT COLLATE \"C\";"
    "ALTER TABLE cases ADD COLUMN reporter_sealed BYTEA;"
    "ALTER TABLE case_events ADD COLUMN rating BIGINT NOT NULL DEFAULT 0;"
    "ALTER TABLE case_events ADD COLUMN note TEXT COLLATE \"C\";"
    "UPDATE cases SET tracking_code = "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + floor(random() * 32)::int, 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + floor(random() * 32)::int, 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + floor(random() * 32)::int, 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + floor(random() * 32)::int, 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + floor(random() * 32)::int, 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + floor(random() * 32)::int, 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + floor(random() * 32)::int, 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + floor(random() * 32)::int, 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + floor(random() * 32)::int, 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + floor(random() * 32)::int, 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + floor(random() * 32)::int, 1) || "
    "substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + floor(random() * 32)::int, 1) "
    "WHERE tracking_code LIKE 'DEMO%';";
// clang-format on
