/* Migration 34: reception days (接待日) become one kind of appointment slot. A day stays a row
 * of reception_days (its cadre, date, hours, place, topic, status); its sub-slots become
 * service_slots of kind 'reception' and their bookings service_bookings, so one machinery
 * books, cancels, reminds and marks attendance for both, and reception_slots and
 * reception_bookings are dropped.
 *
 * service_slots.kind: 'service' (published at /service-slots) or 'reception' (a reception
 * day's slot, reception_day_id naming the day; written only by /reception-days).
 * service_bookings.reception_day_id: the day of a reception slot's booking, copied from the
 * slot, so that a partial unique index keeps one live booking per person and day (as
 * reception_bookings_one did per account and day). service_bookings.topic: what the person
 * wants to raise (a reception booking's topic).
 *
 * Ids. The moved rows get new ids above every id of the old and the new table (old id + the
 * two tables' highest ids), so a reception slot or booking id handed out after this step is
 * never an id the reception API handed out before it. reception_moved_ids maps each old id to
 * its new one; the reception routes look a slot_id or a booking id up there first, so an id a
 * phone kept from before the upgrade still names the same booking. PostgreSQL's identity
 * sequences are moved past the ids written here.
 *
 * Times: a day's date and "HH:MM" hours are Asia/Shanghai (UTC+8, no daylight saving): the
 * seconds since the epoch are the date and time read as UTC, less eight hours. The person of a
 * moved booking is the account's resident when the account is linked now ('resident:<id>', as
 * migration 29 did for service bookings), else 'user:<id>'; old reception bookings had no
 * reminders and no attendance (reminded_at 0, attended NULL). */
#include "store/migrations/migrations.h"

// clang-format off
#define RECEPTION_SLOTS(INT, TEXT, EPOCH_OF, SEQUENCES) \
    "ALTER TABLE service_slots ADD COLUMN kind TEXT" TEXT " NOT NULL DEFAULT 'service' " \
    "CHECK (kind IN ('service','reception'));" \
    "ALTER TABLE service_slots ADD COLUMN reception_day_id " INT " REFERENCES reception_days(id);" \
    "ALTER TABLE service_bookings ADD COLUMN reception_day_id " INT \
    " REFERENCES reception_days(id);" \
    "ALTER TABLE service_bookings ADD COLUMN topic TEXT" TEXT ";" \
    "CREATE INDEX service_slots_reception ON service_slots(reception_day_id, starts_at) " \
    "WHERE reception_day_id IS NOT NULL;" \
    "CREATE UNIQUE INDEX service_bookings_day_one ON service_bookings(reception_day_id, person) " \
    "WHERE status = 'booked' AND reception_day_id IS NOT NULL;" \
    "CREATE INDEX service_bookings_reception ON service_bookings(reception_day_id, id) " \
    "WHERE reception_day_id IS NOT NULL;" \
    "CREATE TABLE reception_moved_ids(" \
    "  what TEXT" TEXT " NOT NULL CHECK (what IN ('slot','booking'))," \
    "  old_id " INT " NOT NULL," \
    "  new_id " INT " NOT NULL," \
    "  PRIMARY KEY (what, old_id));" \
    "INSERT INTO reception_moved_ids(what, old_id, new_id) SELECT 'slot', id, id + " \
    "(SELECT coalesce(max(id), 0) FROM service_slots) + " \
    "(SELECT coalesce(max(id), 0) FROM reception_slots) FROM reception_slots;" \
    "INSERT INTO reception_moved_ids(what, old_id, new_id) SELECT 'booking', id, id + " \
    "(SELECT coalesce(max(id), 0) FROM service_bookings) + " \
    "(SELECT coalesce(max(id), 0) FROM reception_bookings) FROM reception_bookings;" \
    "INSERT INTO service_slots(id, service, region_code, place, starts_at, ends_at, capacity, " \
    "status, created_by, created_at, updated_at, kind, reception_day_id) " \
    "SELECT m.new_id, c.name || '接待日', d.region_code, d.place, " EPOCH_OF("s.starts") ", " \
    EPOCH_OF("s.ends") ", s.capacity, d.status, d.created_by, d.created_at, d.updated_at, " \
    "'reception', d.id FROM reception_slots s JOIN reception_days d ON d.id = s.day_id " \
    "JOIN cadres c ON c.id = d.cadre_id " \
    "JOIN reception_moved_ids m ON m.what = 'slot' AND m.old_id = s.id;" \
    "INSERT INTO service_bookings(id, slot_id, region_code, person, user_id, resident_id, " \
    "booked_by, status, attended, reminded_at, created_at, updated_at, reception_day_id, topic) " \
    "SELECT m.new_id, ms.new_id, d.region_code, CASE WHEN u.resident_id IS NULL THEN " \
    "'user:' || CAST(b.user_id AS TEXT) ELSE 'resident:' || CAST(u.resident_id AS TEXT) END, " \
    "b.user_id, u.resident_id, b.user_id, b.status, NULL, 0, b.created_at, b.updated_at, " \
    "b.day_id, b.topic FROM reception_bookings b JOIN reception_days d ON d.id = b.day_id " \
    "JOIN users u ON u.id = b.user_id " \
    "JOIN reception_moved_ids m ON m.what = 'booking' AND m.old_id = b.id " \
    "JOIN reception_moved_ids ms ON ms.what = 'slot' AND ms.old_id = b.slot_id;" \
    "DROP TABLE reception_bookings;" \
    "DROP TABLE reception_slots;" \
    SEQUENCES

#define SQLITE_EPOCH(hhmm) \
    "(CAST(strftime('%s', d.held_on || ' ' || " hhmm ") AS INTEGER) - 28800)"
#define PG_EPOCH(hhmm) \
    "(CAST(EXTRACT(EPOCH FROM CAST(d.held_on || ' ' || " hhmm " AS TIMESTAMP)) AS BIGINT) - 28800)"
#define PG_FOLLOW(table) \
    "SELECT setval(pg_get_serial_sequence('" table "', 'id'), " \
    "coalesce((SELECT max(id) FROM " table "), 0) + 1, false);"

const char store_migration_34[] =
    RECEPTION_SLOTS("INTEGER", "", SQLITE_EPOCH, "");

const char store_migration_34_pg[] =
    RECEPTION_SLOTS("BIGINT", " COLLATE \"C\"", PG_EPOCH,
                    PG_FOLLOW("service_slots") PG_FOLLOW("service_bookings"));
// clang-format on
