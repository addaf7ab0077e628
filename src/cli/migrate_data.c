/* jiceng migrate-data: copies a whole database between SQLite and PostgreSQL, then
 * shows the copy is exact (row counts and a checksum per table, and the audit
 * chain verified on the copy). Also the engine of `jiceng backup` for a
 * PostgreSQL database, whose consistent copy is a SQLite file. */
#include "cli/cli.h"
#include "core/log.h"
#include "store/copy.h"
#include "store/platform/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: jiceng migrate-data --from DB --to DB [--key-file FILE]\n"
	           "Copies every table of DB (a SQLite file or a postgres:// URL) into the other,\n"
	           "which must be new (a SQLite file that does not exist yet) or empty (a\n"
	           "PostgreSQL database with no jiceng tables or empty ones). Then compares row\n"
	           "counts and checksums table by table and verifies the audit chain on the copy.\n"
	           "One side must be SQLite. Both sides use the same key file.\n");
}

static void show_progress(void *arg, const char *table, int64_t rows, bool done)
{
	(void)arg;
	if (done)
		fprintf(stderr, "  %-28s %10lld rows\n", table, (long long)rows);
	else
		fprintf(stderr, "  %-28s %10lld rows …\r", table, (long long)rows);
}

int cli_copy_database(const char *from_path, const char *to_path, const char *cmd)
{
	if (!db_target_is_url(to_path)) {
		/* A new file, made 0600 and refused if it exists (no race with O_EXCL). */
		int fd = open(to_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			fprintf(stderr, "jiceng %s: %s: %s\n", cmd, to_path,
			        errno == EEXIST ? "already exists" : strerror(errno));
			return 1;
		}
		close(fd);
	}
	if (!cli_load_key(from_path))
		goto fail_file;
	struct db *from = cli_open_db(from_path, false);
	if (!from)
		goto fail_file;
	struct db *to = cli_open_db(to_path, true);
	if (!to) {
		db_close(from);
		goto fail_file;
	}
	int rc = 1;
	char err[512];
	struct store_copy_report *plan = calloc(3, sizeof(*plan));
	if (!plan) {
		fprintf(stderr, "jiceng %s: out of memory\n", cmd);
		goto done;
	}
	struct store_copy_report *got_from = plan + 1, *got_to = plan + 2;
	struct db *sqlite_side = db_kind(from) == DB_SQLITE ? from : to;
	if (db_kind(from) == db_kind(to) && db_kind(from) == DB_POSTGRES) {
		fprintf(stderr,
		        "jiceng %s: one side must be a SQLite file (for PostgreSQL to "
		        "PostgreSQL use pg_dump)\n",
		        cmd);
		goto done;
	}
	if (!store_copy_tables(sqlite_side, plan, err, sizeof err) ||
	    !store_copy(from, to, plan, show_progress, NULL, got_from, err, sizeof err)) {
		fprintf(stderr, "jiceng %s: %s\n", cmd, err);
		goto done;
	}
	if (!store_copy_sums(to, plan, got_to, err, sizeof err)) {
		fprintf(stderr, "jiceng %s: cannot check the copy: %s\n", cmd, err);
		goto done;
	}
	int bad = 0;
	for (size_t t = 0; t < plan->n; t++) {
		const struct store_table_sum *a = &got_from->tables[t], *b = &got_to->tables[t];
		if (a->rows != b->rows || a->sum != b->sum) {
			fprintf(stderr,
			        "jiceng %s: table %s differs: %lld rows (%016llx) → %lld rows "
			        "(%016llx)\n",
			        cmd, a->name, (long long)a->rows, (unsigned long long)a->sum,
			        (long long)b->rows, (unsigned long long)b->sum);
			bad++;
		}
	}
	int64_t checked = 0, bad_id = 0;
	enum db_result ar = store_audit_verify(to, &checked, &bad_id);
	if (ar != DB_OK || bad_id) {
		fprintf(stderr,
		        "jiceng %s: the audit chain of the copy does not verify (entry %lld)\n",
		        cmd, (long long)bad_id);
		bad++;
	}
	if (!bad) {
		int64_t rows = 0;
		for (size_t t = 0; t < plan->n; t++)
			rows += got_to->tables[t].rows;
		printf("copied %zu tables, %lld rows; counts and checksums match; audit chain of "
		       "%lld entries verified\n",
		       plan->n, (long long)rows, (long long)checked);
		rc = 0;
	}
done:
	free(plan);
	db_close(from);
	db_close(to);
	if (rc != 0 && !db_target_is_url(to_path))
		unlink(to_path);
	return rc;
fail_file:
	if (!db_target_is_url(to_path))
		unlink(to_path);
	return 1;
}

int cli_migrate_data(int argc, char **argv)
{
	if (cli_help_asked(argc, argv)) {
		usage(stdout);
		return 0;
	}
	const char *from = NULL, *to = NULL, *v;
	for (int i = 1; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "--from")))
			from = v;
		else if ((v = cli_opt(argc, argv, &i, "--to")))
			to = v;
		else {
			fprintf(stderr, "jiceng migrate-data: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (!from || !to) {
		usage(stderr);
		return 2;
	}
	return cli_copy_database(from, to, "migrate-data");
}
