/* Photos a version before migration 9 kept as files beside a SQLite database
 * (PATH.files/ab/abcd…) are copied into photo_data the first time the database is opened
 * by this version; each file is removed once its bytes are committed, so a crash in the
 * middle leaves every photo either in the database or still on disk. */
#include "cli/cli.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/mem.h"
#include "store/cases/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

enum { PHOTO_FILE_MAX = 16 << 20 };

/* The file's bytes (malloc'd) or NULL when it is missing or unreadable. */
static char *read_whole(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct stat st;
	char *data = NULL;
	if (fstat(fileno(f), &st) == 0 && st.st_size >= 0 && st.st_size <= PHOTO_FILE_MAX) {
		*n = (size_t)st.st_size;
		data = xmalloc(*n + 1);
		if (fread(data, 1, *n, f) != *n) {
			free(data);
			data = NULL;
		}
	}
	fclose(f);
	return data;
}

static bool copy_one(struct db *db, const char *path, const char *hash)
{
	size_t n = 0;
	char *data = read_whole(path, &n);
	if (!data)
		return false;
	bool ok = db_begin_write(db) == DB_OK;
	if (ok && store_photo_data_put(db, hash, data, n) != DB_OK) {
		db_rollback(db);
		ok = false;
	}
	free(data);
	return ok && db_commit(db) == DB_OK;
}

bool cli_photo_files_copy_in(struct db *db, const char *db_path)
{
	struct arena a;
	arena_init(&a);
	const char **hashes;
	size_t n;
	if (store_photos_without_data(db, &a, &hashes, &n) != DB_OK) {
		arena_free(&a);
		return false;
	}
	size_t copied = 0, missing = 0;
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++) {
		const char *path =
		    arena_printf(&a, "%s.files/%.2s/%s", db_path, hashes[i], hashes[i]);
		if (access(path, F_OK) != 0) {
			missing++;
			continue;
		}
		ok = copy_one(db, path, hashes[i]);
		if (ok) {
			unlink(path);
			copied++;
		}
	}
	if (copied)
		log_info("copied %zu photo files into the database", copied);
	if (missing)
		log_warn("%zu photos have no bytes in the database nor a file beside it", missing);
	arena_free(&a);
	return ok;
}
