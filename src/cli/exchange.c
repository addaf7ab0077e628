/* jiceng import / jiceng export: base data in and out of a database from the
 * command line, through the same entry points as the HTTP routes
 * (api/base/exchange.h: exchange_import, exchange_export), acting as the system
 * administrator. A CSV file is mapped and let go as rows
 * are done, so a million-row file does not sit in memory. */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/base/base.h"
#include "api/base/exchange.h"
#include "core/timeutil.h"
#include "domain/region.h"
#include "store/platform/audit.h"

/* The acting context of the command line: its connection and an admin grant. */
static void actor_init(struct api_ctx *ctx, struct db *db)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->db = db;
	ctx->authed = true;
	ctx->who.grants[0].role = ROLE_ADMIN;
	ctx->who.ngrants = 1;
	snprintf(ctx->who.name, sizeof ctx->who.name, "cli");
}

static bool is_xlsx_name(const char *path)
{
	size_t n = strlen(path);
	return n > 5 && strcmp(path + n - 5, ".xlsx") == 0;
}

struct mapped {
	const char *data;
	size_t len, released;
	int progress_every;
};

static void on_progress(void *arg, const struct exchange_result *res)
{
	(void)arg;
	fprintf(stderr, "\r%lld rows (%lld created, %lld updated, %lld failed)",
	        (long long)res->rows, (long long)res->created, (long long)res->updated,
	        (long long)res->failed);
}

static void on_consumed(void *arg, size_t done)
{
	struct mapped *m = arg;
	long page = sysconf(_SC_PAGESIZE);
	size_t upto = done - done % (size_t)page;
	if (upto > m->released) {
		madvise((char *)m->data + m->released, upto - m->released, MADV_DONTNEED);
		m->released = upto;
	}
}

/* The same action names the HTTP routes audit under (resident.import, house.export, …). */
static const char *action_name(enum exchange_kind kind, const char *verb)
{
	static char name[40];
	static const char *const singular[] = {"resident", "house", "organisation"};
	snprintf(name, sizeof name, "%s.%s", singular[kind], verb);
	return name;
}

static int audit_cli(struct db *db, const char *action, const char *object, int result,
                     const char *detail)
{
	struct audit_entry e = {.action = action,
	                        .object = object,
	                        .username = "cli",
	                        .result = result,
	                        .detail = detail};
	return store_audit_append(db, &e) == DB_OK ? 0 : -1;
}

/* What `jiceng import` was asked to do. */
struct import_args {
	const char *db_path, *kind_s, *file, *report;
	enum exchange_kind kind;
	struct exchange_options opt;
};

/* Reads the command line; -1 to go on, else the exit status. */
static int import_args(int argc, char **argv, struct import_args *a)
{
	if (cli_help_asked(argc, argv)) {
		printf("usage: jiceng import --db PATH --kind residents|houses|organisations FILE\n"
		       "                     [--format csv|xlsx] [--dry-run] [--partial]\n"
		       "                     [--errors REPORT.csv]\n"
		       "Imports base data from a CSV (UTF-8) or XLSX file with the same rules as\n"
		       "POST /api/v1/<kind>/import. All or nothing unless --partial; --dry-run\n"
		       "checks every row and writes nothing. Row errors go to --errors (or the\n"
		       "first few to stderr). Exit status 0 when every row was imported.\n");
		return 0;
	}
	const char *format = NULL, *v;
	memset(a, 0, sizeof *a);
	for (int i = 1; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "--db")))
			a->db_path = v;
		else if ((v = cli_opt(argc, argv, &i, "--kind")))
			a->kind_s = v;
		else if ((v = cli_opt(argc, argv, &i, "--format")))
			format = v;
		else if ((v = cli_opt(argc, argv, &i, "--errors")))
			a->report = v;
		else if (strcmp(argv[i], "--dry-run") == 0)
			a->opt.dry_run = true;
		else if (strcmp(argv[i], "--partial") == 0)
			a->opt.partial = true;
		else if (argv[i][0] != '-' && !a->file)
			a->file = argv[i];
		else {
			fprintf(stderr, "jiceng import: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (!a->db_path || !a->kind_s || !a->file) {
		fprintf(stderr, "jiceng import: --db PATH, --kind KIND and FILE are required\n");
		return 2;
	}
	if (!exchange_kind_parse(a->kind_s, &a->kind)) {
		fprintf(stderr,
		        "jiceng import: --kind must be residents, houses or organisations\n");
		return 2;
	}
	if (format && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0) {
		fprintf(stderr, "jiceng import: --format must be csv or xlsx\n");
		return 2;
	}
	a->opt.xlsx = format ? strcmp(format, "xlsx") == 0 : is_xlsx_name(a->file);
	return -1;
}

/* Maps the file to import, read front to back; false after saying why. */
static bool map_file(const char *file, struct mapped *m)
{
	int fd = open(file, O_RDONLY);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		fprintf(stderr, "jiceng import: %s: %s\n", file, strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	if (sb.st_size == 0) {
		fprintf(stderr, "jiceng import: %s is empty\n", file);
		close(fd);
		return false;
	}
	memset(m, 0, sizeof *m);
	m->len = (size_t)sb.st_size;
	void *p = mmap(NULL, m->len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		fprintf(stderr, "jiceng import: cannot map %s: %s\n", file, strerror(errno));
		return false;
	}
	m->data = p;
	madvise(p, m->len, MADV_SEQUENTIAL);
	return true;
}

/* Runs the import in one write transaction with its record and audit entry; false after
 * saying why nothing was written. */
static bool import_run(struct db *db, const struct import_args *a, const struct mapped *m,
                       const struct exchange_options *opt, struct exchange_result *res)
{
	struct api_ctx actor;
	actor_init(&actor, db);
	/* Foreign keys make every insert a multi-write statement with its own statement journal
	 * (a copy of each page it touches); the import finds or creates every parent row itself,
	 * so the command line turns the check off for its one transaction (it is a no-op inside
	 * one, hence before BEGIN). Twice as fast at 200 000 rows.
	 * A bigger page cache than the server's 32 MiB as well: fewer index pages spilled to the
	 * WAL and read back (measured: docs/performance.md). */
	db_set(db, DB_BULK_LOAD, true);
	if (db_begin_write(db) != DB_OK) {
		fprintf(stderr, "jiceng import: the database is busy\n");
		return false;
	}
	if (!exchange_import(&actor, a->kind, m->data, m->len, opt, res)) {
		db_rollback(db);
		fprintf(stderr, "jiceng import: %s\n", res->fatal);
		return false;
	}
	char detail[160];
	snprintf(detail, sizeof detail, "kind=%s rows=%lld created=%lld updated=%lld failed=%lld",
	         a->kind_s, (long long)res->rows, (long long)res->created, (long long)res->updated,
	         (long long)res->failed);
	if (exchange_record(&actor, a->kind, opt, res) != DB_OK ||
	    audit_cli(db, action_name(a->kind, "import"), opt->dry_run ? "cli:dry_run" : "cli",
	              res->rejected ? 422 : 200, detail) != 0 ||
	    db_commit(db) != DB_OK) {
		db_rollback(db);
		fprintf(stderr, "jiceng import: could not write the import\n");
		return false;
	}
	return true;
}

/* Row errors to the report file (0600 from the first byte, like every file the program
 * writes about personal data), or the first ten to stderr. */
static void print_errors(const struct exchange_result *res, const char *report)
{
	if (report) {
		int rfd = open(report, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		FILE *f = rfd >= 0 ? fdopen(rfd, "w") : NULL;
		if (!f && rfd >= 0)
			close(rfd);
		if (!f || fputs(res->report, f) == EOF || fclose(f) != 0)
			fprintf(stderr, "jiceng import: cannot write %s\n", report);
		else
			fprintf(stderr, "row errors written to %s\n", report);
		return;
	}
	size_t k;
	json_t *e;
	json_array_foreach(res->errors, k, e)
	{
		if (k >= 10)
			break;
		const char *column = json_string_value(json_object_get(e, "column"));
		fprintf(stderr, "row %lld, %s: %s\n",
		        (long long)json_integer_value(json_object_get(e, "row")),
		        column ? column : "-", json_string_value(json_object_get(e, "message")));
	}
}

int cli_import(int argc, char **argv)
{
	struct import_args a;
	int status = import_args(argc, argv, &a);
	if (status >= 0)
		return status;
	struct mapped m;
	if (!map_file(a.file, &m))
		return 1;
	if (!cli_load_key(a.db_path)) {
		munmap((void *)m.data, m.len);
		return 1;
	}
	struct db *db = cli_open_db(a.db_path, false);
	if (!db) {
		munmap((void *)m.data, m.len);
		return 1;
	}
	struct exchange_options opt = a.opt;
	opt.progress = isatty(2) ? on_progress : NULL;
	opt.consumed = opt.xlsx ? NULL : on_consumed;
	opt.progress_arg = &m;
	status = 1;
	struct exchange_result res;
	memset(&res, 0, sizeof res);
	int64_t t0 = time_mono_ns();
	if (import_run(db, &a, &m, &opt, &res)) {
		double secs = (double)(time_mono_ns() - t0) / 1e9;
		if (opt.progress)
			fputc('\n', stderr);
		printf("%s: %lld rows in %.2f s (%.0f rows/s): %lld created, %lld updated, %lld "
		       "failed%s\n",
		       a.file, (long long)res.rows, secs, secs > 0 ? (double)res.rows / secs : 0.0,
		       (long long)res.created, (long long)res.updated, (long long)res.failed,
		       opt.dry_run    ? " (dry run: nothing written)"
		       : res.rejected ? " (all or nothing: nothing written)"
		                      : "");
		if (res.error_count)
			print_errors(&res, a.report);
		struct rusage ru;
		if (getrusage(RUSAGE_SELF, &ru) == 0)
			printf("peak memory (max RSS): %ld MiB\n", ru.ru_maxrss / 1024);
		status = res.failed ? 1 : 0;
	}
	exchange_result_free(&res);
	db_close(db);
	munmap((void *)m.data, m.len);
	return status;
}

/* Copies the finished export (fd, len bytes) to path, replacing it only when complete. */
static bool copy_out(int fd, size_t len, const char *path)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.partial", path);
	int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0)
		return false;
	char chunk[65536];
	size_t done = 0;
	bool ok = true;
	while (ok && done < len) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		ok = n > 0;
		for (ssize_t w = 0; ok && w < n;) {
			ssize_t m = write(out, chunk + w, (size_t)(n - w));
			if (m < 0 && errno == EINTR)
				continue;
			ok = m > 0;
			w += ok ? m : 0;
		}
		done += ok ? (size_t)n : 0;
	}
	int saved = errno;
	ok = ok && fsync(out) == 0;
	ok = close(out) == 0 && ok;
	if (ok && rename(tmp, path) != 0)
		ok = false;
	if (!ok) {
		saved = saved ? saved : errno;
		unlink(tmp);
		errno = saved;
	}
	return ok;
}

/* What `jiceng export` was asked to do. */
struct export_args {
	const char *db_path, *kind_s, *out, *region;
	enum exchange_kind kind;
	bool reveal, xlsx;
};

/* Reads the command line; -1 to go on, else the exit status. */
static int export_args(int argc, char **argv, struct export_args *a)
{
	if (cli_help_asked(argc, argv)) {
		printf("usage: jiceng export --db PATH --kind residents|houses|organisations\n"
		       "                     --out FILE [--region CODE] [--format csv|xlsx] "
		       "[--reveal]\n"
		       "Writes base data as CSV (UTF-8 with BOM) or XLSX, ID numbers and phones\n"
		       "masked unless --reveal (audited).\n");
		return 0;
	}
	const char *format = NULL, *v;
	memset(a, 0, sizeof *a);
	for (int i = 1; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "--db")))
			a->db_path = v;
		else if ((v = cli_opt(argc, argv, &i, "--kind")))
			a->kind_s = v;
		else if ((v = cli_opt(argc, argv, &i, "--out")))
			a->out = v;
		else if ((v = cli_opt(argc, argv, &i, "--format")))
			format = v;
		else if ((v = cli_opt(argc, argv, &i, "--region")))
			a->region = v;
		else if (strcmp(argv[i], "--reveal") == 0)
			a->reveal = true;
		else {
			fprintf(stderr, "jiceng export: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (!a->db_path || !a->kind_s || !a->out || !exchange_kind_parse(a->kind_s, &a->kind)) {
		fprintf(stderr,
		        "jiceng export: --db PATH, --kind residents|houses|organisations and "
		        "--out FILE are required\n");
		return 2;
	}
	if (format && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0) {
		fprintf(stderr, "jiceng export: --format must be csv or xlsx\n");
		return 2;
	}
	if (a->region && region_level_of(a->region) == REGION_NONE) {
		fprintf(stderr,
		        "jiceng export: --region must be a 6, 9, 12 or 15 digit region code\n");
		return 2;
	}
	a->xlsx = format ? strcmp(format, "xlsx") == 0 : is_xlsx_name(a->out);
	return -1;
}

int cli_export(int argc, char **argv)
{
	struct export_args a;
	int status = export_args(argc, argv, &a);
	if (status >= 0)
		return status;
	if (!cli_load_key(a.db_path))
		return 1;
	struct db *db = cli_open_db(a.db_path, false);
	if (!db)
		return 1;
	struct api_ctx actor;
	actor_init(&actor, db);
	struct scopes sc = {.prefix = {a.region ? a.region : ""}, .n = 1};
	int fd = -1;
	size_t len = 0;
	int64_t rows = 0;
	status = 1;
	if (db_begin_read(db) != DB_OK ||
	    !exchange_export(&actor, a.kind, &sc, a.reveal, a.xlsx, &fd, &len, &rows)) {
		fprintf(stderr, "jiceng export: could not read the data\n");
		goto done;
	}
	db_rollback(db);
	if (!copy_out(fd, len, a.out)) {
		fprintf(stderr, "jiceng export: cannot write %s: %s\n", a.out, strerror(errno));
		goto done;
	}
	char detail[96];
	/* The same detail as the HTTP export's: what was exported, and whether in clear. */
	snprintf(detail, sizeof detail, "kind=%s rows=%lld reveal=%d", a.kind_s, (long long)rows,
	         a.reveal);
	if (db_begin_write(db) != DB_OK ||
	    audit_cli(db, action_name(a.kind, "export"), a.region ? a.region : "cli", 200,
	              detail) != 0 ||
	    db_commit(db) != DB_OK) {
		db_rollback(db);
		fprintf(stderr, "jiceng export: could not write the audit entry\n");
		goto done;
	}
	printf("%s: %lld rows\n", a.out, (long long)rows);
	status = 0;
done:
	if (fd >= 0)
		close(fd);
	db_close(db);
	return status;
}
