/* The schema migrations, one file each, in the order store/migrate.c applies them:
 * store_migration_N for SQLite and store_migration_N_pg, the same step for PostgreSQL
 * (the same tables, columns in the same order, constraints, indexes and triggers).
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
extern const char store_migration_9[];
extern const char store_migration_10[];
extern const char store_migration_11[];
extern const char store_migration_12[];
extern const char store_migration_13[];
extern const char store_migration_14[];
extern const char store_migration_15[];
extern const char store_migration_16[];
extern const char store_migration_17[];
extern const char store_migration_18[];
extern const char store_migration_19[];
extern const char store_migration_20[];
extern const char store_migration_21[];
extern const char store_migration_22[];
extern const char store_migration_23[];
extern const char store_migration_24[];
extern const char store_migration_25[];
extern const char store_migration_26[];
extern const char store_migration_27[];
extern const char store_migration_28[];
extern const char store_migration_29[];
extern const char store_migration_30[];
extern const char store_migration_31[];
extern const char store_migration_32[];
extern const char store_migration_33[];
extern const char store_migration_34[];
extern const char store_migration_35[];

extern const char store_migration_1_pg[];
extern const char store_migration_2_pg[];
extern const char store_migration_3_pg[];
extern const char store_migration_4_pg[];
extern const char store_migration_5_pg[];
extern const char store_migration_6_pg[];
extern const char store_migration_7_pg[];
extern const char store_migration_8_pg[];
extern const char store_migration_9_pg[];
extern const char store_migration_10_pg[];
extern const char store_migration_11_pg[];
extern const char store_migration_12_pg[];
extern const char store_migration_13_pg[];
extern const char store_migration_14_pg[];
extern const char store_migration_15_pg[];
extern const char store_migration_16_pg[];
extern const char store_migration_17_pg[];
extern const char store_migration_18_pg[];
extern const char store_migration_19_pg[];
extern const char store_migration_20_pg[];
extern const char store_migration_21_pg[];
extern const char store_migration_22_pg[];
extern const char store_migration_23_pg[];
extern const char store_migration_24_pg[];
extern const char store_migration_25_pg[];
extern const char store_migration_26_pg[];
extern const char store_migration_27_pg[];
extern const char store_migration_28_pg[];
extern const char store_migration_29_pg[];
extern const char store_migration_30_pg[];
extern const char store_migration_31_pg[];
extern const char store_migration_32_pg[];
extern const char store_migration_33_pg[];
extern const char store_migration_34_pg[];
extern const char store_migration_35_pg[];

#endif
