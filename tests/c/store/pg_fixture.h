/* The PostgreSQL side of the store tests that run on both backends: fresh databases on the
 * cluster at $JICENG_TEST_PG_URL (scripts/pg-cluster.sh start DIR PORT prints one; the
 * PostgreSQL steps of make check set it). Without it the tests that need it are skipped. */
#ifndef JICENG_TEST_PG_FIXTURE_H
#define JICENG_TEST_PG_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"

/* The cluster's URL, or NULL when none is set. */
static inline const char *pg_base_url(void)
{
	const char *u = getenv("JICENG_TEST_PG_URL");
	return u && *u ? u : NULL;
}

/* The cluster's URL with its database name replaced by name (the path after the host,
 * before any '?'). */
static inline void pg_url_for(const char *name, char *out, size_t n)
{
	const char *base = pg_base_url();
	const char *host = strstr(base, "://");
	host = host ? host + 3 : base;
	size_t path = strcspn(host, "/?");
	const char *query = strchr(host, '?');
	snprintf(out, n, "%.*s/%s%s", (int)(host - base + (ptrdiff_t)path), base, name,
	         query ? query : "");
}

/* A database of either backend by its URL or path, created if missing; fails the test
 * when it cannot be opened. */
static inline struct db *open_url(const char *url)
{
	struct db_options opt = {.read_only = false, .create = true};
	char err[512] = "";
	struct db *db = db_open(url, &opt, err, sizeof err);
	if (!db)
		fprintf(stderr, "db_open %s: %s\n", url, err);
	assert_non_null(db);
	return db;
}

static inline void pg_admin_exec(const char *sql)
{
	char admin[512];
	pg_url_for("postgres", admin, sizeof admin);
	struct db *db = open_url(admin);
	assert_int_equal(db_exec(db, sql), DB_OK);
	db_close(db);
}

/* A fresh, empty UTF8 database called name on the cluster (dropped first if it is there);
 * its URL in url. */
static inline void pg_fresh_database(const char *name, char *url, size_t n)
{
	char sql[256];
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
	pg_admin_exec(sql);
	snprintf(sql, sizeof sql,
	         "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE "
	         "'C'",
	         name);
	pg_admin_exec(sql);
	pg_url_for(name, url, n);
}

static inline void pg_drop_database(const char *name)
{
	char sql[256];
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
	pg_admin_exec(sql);
}

#endif
