/* jiceng backup: a consistent copy of a live database (VACUUM INTO), plus its key file. */
#include "cli/cli.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_backup(int argc, char **argv)
{
	if (cli_help_asked(argc, argv)) {
		printf("usage: jiceng backup --db PATH --out FILE\n"
		       "Writes a consistent copy of the database to FILE while it may be in use.\n"
		       "The key file PATH.key is needed to read personal data: keep a copy of it\n"
		       "apart from the backups.\n");
		return 0;
	}
	const char *db_path = NULL, *out = NULL, *v;
	for (int i = 1; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "--db")))
			db_path = v;
		else if ((v = cli_opt(argc, argv, &i, "--out")))
			out = v;
		else {
			fprintf(stderr, "jiceng backup: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (!db_path || !out) {
		fprintf(stderr, "jiceng backup: --db PATH and --out FILE are required\n");
		return 2;
	}
	if (access(out, F_OK) == 0) {
		fprintf(stderr, "jiceng backup: %s already exists\n", out);
		return 1;
	}
	struct db *db = cli_open_db(db_path, false);
	if (!db)
		return 1;
	struct db_stmt *st = db_prepare(db, "VACUUM INTO ?");
	enum db_result r = DB_ERROR;
	if (st) {
		db_bind_text(st, 1, out);
		r = db_step(st);
		db_done(st);
	}
	db_close(db);
	if (r != DB_DONE) {
		fprintf(stderr, "jiceng backup: cannot write %s\n", out);
		return 1;
	}
	chmod(out, 0600);
	printf("backup written to %s\n", out);
	return 0;
}
