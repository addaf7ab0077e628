/* jiceng init: a new database, its key file, and optionally the admin user. */
#include "cli/cli.h"
#include "core/mem.h"
#include "store/audit.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: jiceng init --db PATH [--admin-password-file FILE]\n"
	           "Creates the database at PATH (schema applied) and its key file PATH.key\n"
	           "(mode 0600). With --admin-password-file, also creates the user 'admin'\n"
	           "with the password on the file's first line.\n");
}

int cli_init(int argc, char **argv)
{
	const char *db_path = NULL, *pw_file = NULL, *v;
	if (cli_help_asked(argc, argv)) {
		usage(stdout);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "--db")))
			db_path = v;
		else if ((v = cli_opt(argc, argv, &i, "--admin-password-file")))
			pw_file = v;
		else {
			fprintf(stderr, "jiceng init: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (!db_path) {
		fprintf(stderr, "jiceng init: --db PATH is required\n");
		return 2;
	}
	char *pw = NULL;
	if (pw_file && !(pw = cli_read_secret(pw_file)))
		return 1;
	struct db *db = cli_open_db(db_path, true);
	if (!db) {
		free(pw);
		return 1;
	}
	int rc = 0;
	if (!cli_ensure_key(db_path) || !cli_load_key(db_path))
		rc = 1;
	if (rc == 0 && pw) {
		if (db_begin_write(db) != DB_OK) {
			fprintf(stderr, "jiceng init: database is busy\n");
			rc = 1;
		} else {
			int r = cli_add_user(db, "admin", "系统管理员", pw, "admin", "", NULL);
			if (r == 0) {
				struct audit_entry e = {.action = "user.create",
				                        .object = "user:admin",
				                        .username = "cli",
				                        .result = 201,
				                        .detail = "jiceng init"};
				audit_append(db, &e);
			}
			if (r < 0 || db_commit(db) != DB_OK) {
				db_rollback(db);
				rc = 1;
			} else if (r == 1) {
				fprintf(stderr,
				        "jiceng init: user admin already exists; left as is\n");
			}
		}
	}
	if (pw) {
		sodium_memzero(pw, strlen(pw));
		free(pw);
	}
	db_close(db);
	if (rc == 0)
		printf("initialised %s\n", db_path);
	return rc;
}
