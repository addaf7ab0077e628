/* Migration 29: services know the person behind a resident account (users.resident_id,
 * migration 22). Online requests record the applicant's resident; a linked account's own
 * bookings hold the place for its resident ('resident:<id>'), so a booking by staff and one
 * by the resident — or by another account that came to speak for the same person — collide
 * as one person under the partial unique index of migration 21. */
#include "store/migrations/migrations.h"

// clang-format off
/* service_requests_resident: a person's requests, whichever account made them.
 *
 * The requests made before this step by a linked account get its resident. A live booking
 * an account linked now made for itself ('user:<id>') is moved to its resident, unless that
 * person already holds a live place on the slot (then the account's booking stays as it
 * was: nothing is cancelled behind anyone's back). */
#define SERVICES_PEOPLE \
    "CREATE INDEX service_requests_resident ON service_requests(resident_id, id);" \
    "CREATE INDEX service_bookings_person ON service_bookings(person, status);" \
    "UPDATE service_requests SET resident_id = (SELECT u.resident_id FROM users u " \
    "WHERE u.id = service_requests.user_id) WHERE resident_id IS NULL;" \
    "UPDATE service_bookings SET " \
    "resident_id = (SELECT u.resident_id FROM users u WHERE u.id = service_bookings.user_id), " \
    "person = 'resident:' || CAST((SELECT u.resident_id FROM users u " \
    "WHERE u.id = service_bookings.user_id) AS TEXT) " \
    "WHERE status = 'booked' AND person LIKE 'user:%' AND EXISTS (SELECT 1 FROM users u " \
    "WHERE u.id = service_bookings.user_id AND u.resident_id IS NOT NULL) " \
    "AND NOT EXISTS (SELECT 1 FROM service_bookings o, users u WHERE " \
    "u.id = service_bookings.user_id AND o.slot_id = service_bookings.slot_id AND " \
    "o.status = 'booked' AND o.person = 'resident:' || CAST(u.resident_id AS TEXT));"

const char store_migration_29[] = SERVICES_PEOPLE;

const char store_migration_29_pg[] = SERVICES_PEOPLE;
// clang-format on
