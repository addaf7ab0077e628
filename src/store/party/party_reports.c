/* The counts of the structure and coverage reports. */
#include "store/party/party.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store/dialect.h"
#include "store/stmt.h"

enum db_result store_party_count(struct db *db, int64_t *out, const char *sql, const char *types,
                                 ...)
{
	/* Kept for cli/demo_party.c: the types string becomes typed parameters here, and the
	 * query runs through sql_int like the store's own counts. */
	struct sql_arg args[16];
	size_t n = 0;
	va_list ap;
	va_start(ap, types);
	for (; types && types[n] && n < sizeof args / sizeof args[0]; n++) {
		switch (types[n]) {
		case 't':
			args[n] = ARG_TEXT(va_arg(ap, const char *));
			break;
		case 'i':
			args[n] = ARG_INT(va_arg(ap, int64_t));
			break;
		case 'n':
			args[n] = ARG_NONZERO(va_arg(ap, int64_t));
			break;
		case 'd':
			args[n] = ARG_REAL(va_arg(ap, double));
			break;
		default:
			args[n] = ARG_NULL;
			break;
		}
	}
	va_end(ap);
	return sql_int(db, sql, args, n, out);
}

/* ---- reports ---- */

static void coverage_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_coverage_row *c = p;
	c->region_code = sql_str(st, a, 0);
	c->households = db_col_int(st, 1);
	c->covered = db_col_int(st, 2);
	c->centers = db_col_int(st, 3);
}

enum db_result store_party_coverage(struct db *db, struct arena *a, const char *region,
                                    int group_len, struct party_coverage_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "WITH hh AS (SELECT substr(h.region_code, 1, ?3) AS g, h.id AS id FROM households h "
	    "WHERE h.region_code >= ?1 AND h.region_code < ?2), "
	    "cov AS (SELECT household_id AS id FROM party_centers WHERE status = 'active' UNION "
	    "SELECT l.household_id FROM party_center_links l JOIN party_centers c ON "
	    "c.id = l.center_id AND c.status = 'active'), "
	    "cen AS (SELECT substr(region_code, 1, ?3) AS g, count(*) AS n FROM party_centers "
	    "WHERE "
	    "status = 'active' AND region_code >= ?1 AND region_code < ?2 GROUP BY 1), "
	    "agg AS (SELECT hh.g AS g, count(*) AS total, count(cov.id) AS covered FROM hh LEFT "
	    "JOIN cov ON cov.id = hh.id GROUP BY hh.g) "
	    "SELECT g, total, covered, coalesce((SELECT n FROM cen WHERE cen.g = agg.g), 0) FROM "
	    "agg "
	    "UNION ALL SELECT g, 0, 0, n FROM cen WHERE g NOT IN (SELECT g FROM agg) ORDER BY 1",
	    ARGS(ARG_TEXT(region), ARG_TEXT(sql_prefix_end(a, region)),
	         ARG_INT((int64_t)group_len)),
	    coverage_read, sizeof(**rows), -1, (void **)rows, n);
}

static void grid_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_grid_row *g = p;
	g->code = sql_str(st, a, 0);
	g->name = sql_str(st, a, 1);
	g->branches = db_col_int(st, 2);
}

enum db_result store_party_regions_under(struct db *db, struct arena *a, const char *prefix,
                                         int level, struct party_grid_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT code, name, 0 FROM regions WHERE code >= ? AND "
	    "code < ? AND level = ? AND status = 'active' ORDER BY "
	    "code LIMIT 5000",
	    ARGS(ARG_TEXT(prefix), ARG_TEXT(sql_prefix_end(a, prefix)), ARG_INT((int64_t)level)),
	    grid_read, sizeof(**rows), -1, (void **)rows, n);
}

enum db_result store_party_grid_branches(struct db *db, struct arena *a, const char *community,
                                         struct party_grid_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT r.code, r.name, (SELECT count(*) FROM party_orgs o WHERE o.region_code = "
	    "r.code AND o.kind = 'grid_branch' AND o.status = 'active') FROM regions r WHERE "
	    "r.parent_code = ? AND r.status = 'active' ORDER BY r.code",
	    ARGS(ARG_TEXT(community)), grid_read, sizeof(**rows), -1, (void **)rows, n);
}

static void building_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_building_row *b = p;
	b->id = db_col_int(st, 0);
	b->name = sql_str(st, a, 1);
	b->region_code = sql_str(st, a, 2);
	b->groups = db_col_int(st, 3);
	b->leaders = db_col_int(st, 4);
}

enum db_result store_party_buildings(struct db *db, struct arena *a, const char *region,
                                     struct party_building_row **rows, size_t *n)
{
	return sql_all(
	    db, a,
	    "SELECT b.id, b.name, b.region_code, (SELECT count(*) FROM party_orgs o WHERE "
	    "o.building_id = b.id AND o.kind = 'group' AND o.status = 'active'), (SELECT "
	    "count(*) FROM grid_team_members t WHERE t.building_id = b.id AND t.role = "
	    "'building_leader' AND t.status = 'active') FROM buildings b JOIN regions r ON "
	    "r.code = b.region_code AND r.status = 'active' WHERE b.region_code >= ? AND "
	    "b.region_code < ? ORDER BY b.region_code, b.id",
	    ARGS(ARG_TEXT(region), ARG_TEXT(sql_prefix_end(a, region))), building_read,
	    sizeof(**rows), -1, (void **)rows, n);
}

enum db_result store_party_centers_count(struct db *db, const char *region, int64_t *n)
{
	char upper[32];
	snprintf(upper, sizeof upper, "%s;", region);
	return sql_int(db,
	               "SELECT count(*) FROM party_centers WHERE status = 'active' AND "
	               "region_code >= ? AND region_code < ?",
	               ARGS(ARG_TEXT(region), ARG_TEXT(upper)), n);
}

static void functional_read(struct db_stmt *st, struct arena *a, void *p)
{
	struct party_functional_row *f = p;
	f->region_code = sql_str(st, a, 0);
	f->sinking = db_col_int(st, 1);
	f->social = db_col_int(st, 2);
	f->members = db_col_int(st, 3);
}

#define FUNCTIONAL_MEMBERS                                                                         \
	"fm AS (SELECT s.member_id AS member_id, s.org_id AS org_id FROM party_memberships s "     \
	"UNION SELECT m.id, m.org_id FROM party_members m), "                                      \
	"fo AS (SELECT id, kind, region_code FROM party_orgs WHERE status = 'active' AND kind IN " \
	"('functional_sinking', 'functional_social') AND region_code >= ?1 AND region_code < "     \
	"?2), "                                                                                    \
	"fmm AS (SELECT substr(fo.region_code, 1, ?3) AS g, fm.member_id AS member_id FROM fm "    \
	"JOIN fo ON fo.id = fm.org_id JOIN party_members m ON m.id = fm.member_id AND "            \
	"m.status != 'transferred_out') "

/* Per group: the sinking and the social functional branches (of fg, the branches with
 * their group, so that the members' subquery refers to the grouped column alone). */
#define SINKING_BRANCHES SQL_COUNT_IF("fg.kind = 'functional_sinking'")
#define SOCIAL_BRANCHES  SQL_COUNT_IF("fg.kind = 'functional_social'")

enum db_result store_party_functional_counts(struct db *db, struct arena *a, const char *region,
                                             int group_len, struct party_functional_row **rows,
                                             size_t *n, int64_t *total_members)
{
	const char *upper = sql_prefix_end(a, region);
	enum db_result r =
	    sql_all(db, a,
	            "WITH " FUNCTIONAL_MEMBERS
	            ", fg AS (SELECT substr(region_code, 1, ?3) AS g, kind FROM fo) "
	            "SELECT fg.g, " SINKING_BRANCHES ", " SOCIAL_BRANCHES
	            ", (SELECT count(DISTINCT member_id) FROM fmm WHERE fmm.g = fg.g) FROM fg "
	            "GROUP BY fg.g ORDER BY fg.g",
	            ARGS(ARG_TEXT(region), ARG_TEXT(upper), ARG_INT((int64_t)group_len)),
	            functional_read, sizeof(**rows), -1, (void **)rows, n);
	if (r != DB_OK)
		return r;
	return sql_int(db, "WITH " FUNCTIONAL_MEMBERS "SELECT count(DISTINCT member_id) FROM fmm",
	               ARGS(ARG_TEXT(region), ARG_TEXT(upper), ARG_INT((int64_t)group_len)),
	               total_members);
}
