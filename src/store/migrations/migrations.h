/* The schema migrations, one file each, in the order store/migrate.c applies them.
 * A released migration is never edited: a change is a new file and a new entry. */
#ifndef JICENG_STORE_MIGRATIONS_H
#define JICENG_STORE_MIGRATIONS_H

extern const char store_migration_1[];
extern const char store_migration_2[];
extern const char store_migration_3[];
extern const char store_migration_4[];
extern const char store_migration_5[];
extern const char store_migration_6[];
extern const char store_migration_7[];
extern const char store_migration_8[];

#endif
