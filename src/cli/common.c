/* Helpers the subcommands share: option parsing, opening the database, the key file. */
#include "cli/cli.h"
#include "api/api.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/seal.h"
#include "core/timeutil.h"
#include "domain/password.h"
#include "store/base/base.h"
#include "store/migrate.h"
#include "store/platform/users.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *cli_opt(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		fprintf(stderr, "jiceng: option %s needs a value\n", name);
		exit(2);
	}
	(*i)++;
	return argv[*i];
}

bool cli_help_asked(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

struct db *cli_open_db(const char *path, bool create)
{
	/* Everything this process writes from here on (database companions, backups, exports,
	 * spool files) holds personal data or is derived from it: nobody else may read it. The
	 * subcommands call this before any thread exists, so the process-wide mask is safe. */
	umask(077);
	struct stat st;
	if (!db_target_is_url(path) && stat(path, &st) == 0 && (st.st_mode & 077))
		fprintf(stderr,
		        "jiceng: warning: %s has mode %04o; group and others should have no access "
		        "(chmod 600 %s)\n",
		        path, (unsigned)(st.st_mode & 07777), path);
	char err[512];
	struct db_options opt = {.read_only = false, .create = create};
	struct db *db = db_open(path, &opt, err, sizeof err);
	if (!db) {
		fprintf(stderr, "jiceng: %s\n", err);
		return NULL;
	}
	if (!store_migrate_run(db)) {
		fprintf(stderr, "jiceng: cannot bring the database schema up to date: %s\n", path);
		db_close(db);
		return NULL;
	}
	/* Migration 6's data step needs the key: birth dates an older version kept in clear are
	 * sealed the first time the database is opened with its key (serve, import, export,
	 * audit, user); a no-op afterwards. */
	int64_t sealed = 0;
	if (seal_ready() && store_residents_seal_birth_dates(db, &sealed) != DB_OK) {
		fprintf(stderr, "jiceng: cannot seal the residents' birth dates: %s\n", path);
		db_close(db);
		return NULL;
	}
	if (sealed)
		log_info("sealed the birth dates of %lld residents", (long long)sealed);
	if (db_kind(db) == DB_SQLITE && !cli_photo_files_copy_in(db, path)) {
		fprintf(stderr, "jiceng: cannot copy the photo files into the database: %s\n",
		        path);
		db_close(db);
		return NULL;
	}
	return db;
}

/* Set once by main from --key-file before any thread starts; read-only afterwards. */
static const char *key_file_option;

void cli_set_key_file(const char *path)
{
	key_file_option = path;
}

bool cli_key_path(const char *db_path, char *out, size_t n)
{
	const char *env = getenv("JICENG_KEY_FILE");
	const char *named = key_file_option ? key_file_option : env && *env ? env : NULL;
	if (named) {
		snprintf(out, n, "%s", named);
		return true;
	}
	if (db_target_is_url(db_path)) {
		fprintf(stderr,
		        "jiceng: a PostgreSQL database needs its key file named: --key-file "
		        "FILE (or JICENG_KEY_FILE=FILE)\n");
		return false;
	}
	snprintf(out, n, "%s.key", db_path);
	return true;
}

bool cli_ensure_key(const char *db_path)
{
	char path[4096];
	if (!cli_key_path(db_path, path, sizeof path))
		return false;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return true;
		fprintf(stderr, "jiceng: cannot create key file %s: %s\n", path, strerror(errno));
		return false;
	}
	unsigned char key[32];
	randombytes_buf(key, sizeof key);
	bool ok = write(fd, key, sizeof key) == (ssize_t)sizeof key && fsync(fd) == 0;
	sodium_memzero(key, sizeof key);
	close(fd);
	if (!ok) {
		unlink(path);
		fprintf(stderr, "jiceng: cannot write key file %s\n", path);
	}
	return ok;
}

bool cli_load_key(const char *db_path)
{
	char path[4096], err[512];
	if (!cli_key_path(db_path, path, sizeof path))
		return false;
	if (!seal_load_key(path, err, sizeof err)) {
		fprintf(stderr, "jiceng: %s\n", err);
		return false;
	}
	return true;
}

char *cli_read_secret(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "jiceng: cannot read %s: %s\n", path, strerror(errno));
		return NULL;
	}
	char line[512];
	char *s = fgets(line, sizeof line, f);
	fclose(f);
	if (!s) {
		fprintf(stderr, "jiceng: %s is empty\n", path);
		return NULL;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return xstrdup(line);
}

int cli_add_user(struct db *db, const char *username, const char *display, const char *password,
                 const char *role, const char *region, const char *unit)
{
	struct arena a;
	arena_init(&a);
	struct user_row u;
	int rc = -1;
	if (store_users_by_name(db, &a, username, &u) == DB_ROW) {
		rc = 1;
		goto out;
	}
	const char *why = password_problem(password);
	if (why) {
		fprintf(stderr, "jiceng: password for %s: %s\n", username,
		        password_problem_zh(why));
		goto out;
	}
	memset(&u, 0, sizeof u);
	u.username = username;
	u.display_name = display;
	u.unit = unit;
	if (role) {
		if (!role_parse(role, &u.grants[0].role)) {
			fprintf(stderr, "jiceng: unknown role %s\n", role);
			goto out;
		}
		snprintf(u.grants[0].region_code, sizeof u.grants[0].region_code, "%s",
		         region ? region : "");
		u.ngrants = 1;
	}
	char hash[128];
	if (!api_password_hash(password, hash)) {
		fprintf(stderr, "jiceng: cannot hash password (out of memory)\n");
		goto out;
	}
	u.password_hash = hash;
	u.created_at = u.updated_at = time_now();
	if (store_users_insert(db, &u) != DB_OK) {
		fprintf(stderr, "jiceng: cannot create user %s\n", username);
		goto out;
	}
	rc = 0;
out:
	arena_free(&a);
	return rc;
}
