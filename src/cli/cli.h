/* Subcommands of the jiceng program. Each parses its own options, prints a
 * one-line reason on stderr and returns non-zero on failure. */
#ifndef JICENG_CLI_CLI_H
#define JICENG_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "store/db.h"

int cli_init(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_migrate_data(int argc, char **argv);
/* Copies the database at from into a new SQLite file or an empty PostgreSQL database
 * and verifies the copy (cli/migrate_data.c); cmd names the command in messages. */
int cli_copy_database(const char *from, const char *to, const char *cmd);
int cli_backup(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_export(int argc, char **argv);

/* Shared by the subcommands. */
/* Value of --name VALUE or --name=VALUE at argv[*i] (advancing *i); NULL if not that option. */
const char *cli_opt(int argc, char **argv, int *i, const char *name);
bool cli_help_asked(int argc, char **argv);
/* Opens an existing database (or creates it with create) and applies migrations. */
struct db *cli_open_db(const char *path, bool create);
/* Copies photo files an older version kept beside a SQLite database into it (photo_files.c). */
bool cli_photo_files_copy_in(struct db *db, const char *db_path);
/* Creates PATH.key (32 random bytes, mode 0600) unless it exists. */
/* The key file of a database: --key-file FILE (any subcommand; main takes it out of
 * argv), else $JICENG_KEY_FILE, else PATH.key beside a SQLite file. A PostgreSQL URL
 * has no "beside": without either it is an error (false, reason on stderr). */
bool cli_key_path(const char *db_path, char *out, size_t n);
/* Sets the key file named on the command line (main, before any thread). */
void cli_set_key_file(const char *path);
bool cli_ensure_key(const char *db_path);
/* Loads PATH.key for personal data and the audit chain; false (reason printed) if missing. */
bool cli_load_key(const char *db_path);
/* Reads the first line of a file (a password), without the newline. */
char *cli_read_secret(const char *path);
/* Creates a user with one grant inside the caller's transaction; 0 on success,
 * 1 when the username exists, -1 on error (message printed). */
int cli_add_user(struct db *db, const char *username, const char *display, const char *password,
                 const char *role, const char *region, const char *unit);

#endif
