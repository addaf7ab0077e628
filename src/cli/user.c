/* jiceng user add: create a staff account from the command line. */
#include "cli/cli.h"
#include "core/mem.h"
#include "domain/region.h"
#include "store/platform/audit.h"
#include "store/platform/regions.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: jiceng user add --db PATH --username NAME --password-file FILE\n"
	           "                       --role ROLE [--region CODE] [--display-name TEXT]"
	           " [--unit TEXT]\n"
	           "Roles: admin district street community supervisor grid_leader grid_worker\n"
	           "       building_leader department cadre resident\n");
}

int cli_user(int argc, char **argv)
{
	if (argc < 2 || cli_help_asked(argc, argv)) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "add") != 0) {
		fprintf(stderr, "jiceng user: unknown action %s (expected: add)\n", argv[1]);
		return 2;
	}
	const char *db_path = NULL, *name = NULL, *pw_file = NULL, *role = NULL, *region = "",
	           *display = NULL, *unit = NULL, *v;
	for (int i = 2; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "--db")))
			db_path = v;
		else if ((v = cli_opt(argc, argv, &i, "--username")))
			name = v;
		else if ((v = cli_opt(argc, argv, &i, "--password-file")))
			pw_file = v;
		else if ((v = cli_opt(argc, argv, &i, "--role")))
			role = v;
		else if ((v = cli_opt(argc, argv, &i, "--region")))
			region = v;
		else if ((v = cli_opt(argc, argv, &i, "--display-name")))
			display = v;
		else if ((v = cli_opt(argc, argv, &i, "--unit")))
			unit = v;
		else {
			fprintf(stderr, "jiceng user add: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (!db_path || !name || !pw_file || !role) {
		fprintf(stderr, "jiceng user add: --db, --username, --password-file and --role are "
		                "required\n");
		return 2;
	}
	if (strcmp(role, "admin") != 0 && region_level_of(region) == REGION_NONE) {
		fprintf(stderr, "jiceng user add: --region must be a valid region code for %s\n",
		        role);
		return 2;
	}
	char *pw = cli_read_secret(pw_file);
	if (!pw)
		return 1;
	struct db *db = cli_load_key(db_path) ? cli_open_db(db_path, false) : NULL;
	int rc = 1;
	if (db && db_begin_write(db) == DB_OK) {
		struct arena a;
		arena_init(&a);
		struct region_row reg;
		bool region_ok =
		    strcmp(role, "admin") == 0 || store_regions_get(db, &a, region, &reg) == DB_ROW;
		arena_free(&a);
		int r = region_ok ? cli_add_user(db, name, display ? display : name, pw, role,
		                                 region, unit)
		                  : -1;
		if (!region_ok)
			fprintf(stderr, "jiceng user add: region %s does not exist\n", region);
		if (r == 1)
			fprintf(stderr, "jiceng user add: user %s already exists\n", name);
		if (r == 0) {
			struct audit_entry e = {.action = "user.create",
			                        .object = name,
			                        .username = "cli",
			                        .result = 201,
			                        .detail = "jiceng user add"};
			if (store_audit_append(db, &e) == DB_OK && db_commit(db) == DB_OK) {
				printf("created user %s\n", name);
				rc = 0;
			}
		}
		if (rc)
			db_rollback(db);
	}
	sodium_memzero(pw, strlen(pw));
	free(pw);
	db_close(db);
	return rc;
}
