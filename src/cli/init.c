/* jiceng init: a new database, its key file, and optionally the admin user. */
#include "cli/cli.h"
#include "core/mem.h"
#include "domain/password.h"
#include "store/platform/audit.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Removes PATH and its SQLite companions, for an init that failed after creating them. */
static void remove_database(const char *db_path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	char path[4096];
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(path, sizeof path, "%s%s", db_path, suffixes[i]);
		unlink(path);
	}
}

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
	/* The password is checked before anything is created: a refused password leaves no
	 * database behind that a second attempt would then find half made. */
	const char *why = pw ? password_problem(pw) : NULL;
	if (why) {
		fprintf(stderr, "jiceng init: password for admin: %s\n", password_problem_zh(why));
		sodium_memzero(pw, strlen(pw));
		free(pw);
		return 1;
	}
	char keypath[4096];
	if (!cli_key_path(db_path, keypath, sizeof keypath)) {
		free(pw);
		return 2;
	}
	/* A PostgreSQL database is made by its administrator and never removed here. */
	bool made_db = !db_target_is_url(db_path) && access(db_path, F_OK) != 0;
	bool made_key = access(keypath, F_OK) != 0;
	struct db *db = cli_open_db(db_path, true);
	if (!db) {
		if (made_db)
			remove_database(db_path);
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
				store_audit_append(db, &e);
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
	if (rc == 0) {
		printf("initialised %s\n", db_path);
	} else {
		/* Only what this run created goes: an existing database or key is never removed. */
		if (made_db)
			remove_database(db_path);
		if (made_key)
			unlink(keypath);
	}
	return rc;
}
