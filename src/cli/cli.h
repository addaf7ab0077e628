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
int cli_backup(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_export(int argc, char **argv);

/* Shared by the subcommands. */
/* Value of --name VALUE or --name=VALUE at argv[*i] (advancing *i); NULL if not that option. */
const char *cli_opt(int argc, char **argv, int *i, const char *name);
bool cli_help_asked(int argc, char **argv);
/* Opens an existing database (or creates it with create) and applies migrations. */
struct db *cli_open_db(const char *path, bool create);
/* Creates PATH.key (32 random bytes, mode 0600) unless it exists. */
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
