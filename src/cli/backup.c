/* jiceng backup: a consistent copy of a live database (VACUUM INTO), plus its key file. */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_backup(int argc, char **argv)
{
	if (cli_help_asked(argc, argv)) {
		printf("usage: jiceng backup --db PATH|URL --out FILE\n"
		       "Writes a consistent copy of the database to FILE while it may be in use;\n"
		       "a PostgreSQL database is copied into the SQLite file FILE.\n"
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
	/* A PostgreSQL database is copied, in one snapshot, into a new SQLite file: a backup
	 * any node can restore with migrate-data, or serve as it is. */
	if (db_target_is_url(db_path))
		return cli_copy_database(db_path, out, "backup");
	/* The copy is created empty and 0600 before SQLite writes a byte into it (VACUUM INTO
	 * accepts an empty file); O_EXCL also refuses an existing file without a race. */
	int fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			fprintf(stderr, "jiceng backup: %s already exists\n", out);
		else
			fprintf(stderr, "jiceng backup: cannot create %s: %s\n", out,
			        strerror(errno));
		return 1;
	}
	close(fd);
	struct db *db = cli_open_db(db_path, false);
	if (!db) {
		unlink(out);
		return 1;
	}
	struct db_stmt *st = db_prepare(db, "VACUUM INTO ?");
	enum db_result r = DB_ERROR;
	if (st) {
		db_bind_text(st, 1, out);
		r = db_step(st);
		db_done(st);
	}
	db_close(db);
	if (r != DB_DONE) {
		unlink(out);
		fprintf(stderr, "jiceng backup: cannot write %s\n", out);
		return 1;
	}
	printf("backup written to %s\n", out);
	return 0;
}
