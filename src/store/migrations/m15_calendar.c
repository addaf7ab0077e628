/* Migration 15: the working-day calendar (China's statutory holidays and 调休). */
#include "store/migrations/migrations.h"

// clang-format off
/* calendar_days holds one row per local date (YYYY-MM-DD, Asia/Shanghai) that differs from the
 * Monday–Friday rule: 'holiday' is a weekday off, 'workday' a weekend day worked (调休); the
 * api refuses any other pairing of kind and weekday, so every row changes something.
 * provisional = 1 marks rows seeded from the statutory dates before the State Council has
 * published that year's schedule; an admin's edit clears it. calendar_version has one row
 * whose version every change bumps in the same transaction: each node re-reads the calendar
 * when it sees a new version (api/platform/calendar.c).
 *
 * Seeded: 2026 as published (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04), 2027
 * provisional — the statutory days of 《全国年节及纪念日放假办法》 (元旦 1, 春节 4 from 除夕, 清明 1,
 * 劳动节 2, 端午 1, 中秋 1, 国庆 3) on their 2027 dates, and for a statutory day on a weekend
 * the next weekday off (补假), with no 调休 workdays: those come with the published notice. */
#define CALENDAR_SEED \
    "INSERT INTO calendar_days(day, kind, name, provisional, updated_at) VALUES " \
    "('2026-01-01','holiday','元旦',0,0),('2026-01-02','holiday','元旦',0,0)," \
    "('2026-01-04','workday','元旦调休上班',0,0)," \
    "('2026-02-14','workday','春节调休上班',0,0)," \
    "('2026-02-16','holiday','春节',0,0),('2026-02-17','holiday','春节',0,0)," \
    "('2026-02-18','holiday','春节',0,0),('2026-02-19','holiday','春节',0,0)," \
    "('2026-02-20','holiday','春节',0,0),('2026-02-23','holiday','春节',0,0)," \
    "('2026-02-28','workday','春节调休上班',0,0)," \
    "('2026-04-06','holiday','清明节',0,0)," \
    "('2026-05-01','holiday','劳动节',0,0),('2026-05-04','holiday','劳动节',0,0)," \
    "('2026-05-05','holiday','劳动节',0,0),('2026-05-09','workday','劳动节调休上班',0,0)," \
    "('2026-06-19','holiday','端午节',0,0)," \
    "('2026-09-20','workday','国庆节调休上班',0,0)," \
    "('2026-09-25','holiday','中秋节',0,0)," \
    "('2026-10-01','holiday','国庆节',0,0),('2026-10-02','holiday','国庆节',0,0)," \
    "('2026-10-05','holiday','国庆节',0,0),('2026-10-06','holiday','国庆节',0,0)," \
    "('2026-10-07','holiday','国庆节',0,0),('2026-10-10','workday','国庆节调休上班',0,0)," \
    "('2027-01-01','holiday','元旦',1,0)," \
    "('2027-02-05','holiday','春节',1,0),('2027-02-08','holiday','春节',1,0)," \
    "('2027-02-09','holiday','春节（补假）',1,0),('2027-02-10','holiday','春节（补假）',1,0)," \
    "('2027-04-05','holiday','清明节',1,0)," \
    "('2027-05-03','holiday','劳动节（补假）',1,0),('2027-05-04','holiday','劳动节（补假）',1,0)," \
    "('2027-06-09','holiday','端午节',1,0)," \
    "('2027-09-15','holiday','中秋节',1,0)," \
    "('2027-10-01','holiday','国庆节',1,0)," \
    "('2027-10-04','holiday','国庆节（补假）',1,0),('2027-10-05','holiday','国庆节（补假）',1,0);" \
    "INSERT INTO calendar_version(id, version) VALUES (1, 1);"

const char store_migration_15[] =
    "CREATE TABLE calendar_days("
    "  day TEXT PRIMARY KEY CHECK (length(day) = 10),"
    "  kind TEXT NOT NULL CHECK (kind IN ('holiday','workday')),"
    "  name TEXT NOT NULL,"
    "  provisional INTEGER NOT NULL DEFAULT 0 CHECK (provisional IN (0,1)),"
    "  updated_by INTEGER,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE TABLE calendar_version("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  version INTEGER NOT NULL);"
    CALENDAR_SEED;

const char store_migration_15_pg[] =
    "CREATE TABLE calendar_days("
    "  day TEXT COLLATE \"C\" PRIMARY KEY CHECK (length(day) = 10),"
    "  kind TEXT NOT NULL CHECK (kind IN ('holiday','workday')),"
    "  name TEXT NOT NULL,"
    "  provisional BIGINT NOT NULL DEFAULT 0 CHECK (provisional IN (0,1)),"
    "  updated_by BIGINT,"
    "  updated_at BIGINT NOT NULL);"
    "CREATE TABLE calendar_version("
    "  id BIGINT PRIMARY KEY CHECK (id = 1),"
    "  version BIGINT NOT NULL);"
    CALENDAR_SEED;
// clang-format on
