/* jiceng — 基层治理综合信息平台. main wires the layers together and hands
 * each subcommand its arguments. */
#include "cli/cli.h"
#include "core/json.h"
#include "core/log.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} commands[] = {
    {"serve", cli_serve, "serve the API, Open311 and the web UI"},
    {"init", cli_init, "create a database and its key file"},
    {"demo", cli_demo, "create or refresh the generated demo district"},
    {"user", cli_user, "manage users (user add)"},
    {"audit", cli_audit, "verify the audit log's hash chain (audit verify)"},
    {"backup", cli_backup, "write a consistent copy of a live database"},
    {"migrate-data", cli_migrate_data, "copy a whole database between SQLite and PostgreSQL"},
    {"import", cli_import, "import residents, houses or organisations from CSV/XLSX"},
    {"export", cli_export, "export residents, houses or organisations as CSV/XLSX"},
};

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: jiceng COMMAND [options]   (jiceng COMMAND --help for its options)\n"
	        "--db takes a SQLite file or a postgres:// URL; --key-file FILE (or\n"
	        "JICENG_KEY_FILE) names the key file, which is PATH.key beside a SQLite file.\n\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].help);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "jiceng: cannot initialise libsodium\n");
		return 1;
	}
	json_setup();
	/* --key-file FILE names a database's key file for every subcommand (API.md "Storage
	 * backends"): taken out here, so each subcommand parses only its own options. */
	int kept = 2;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--key-file") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "jiceng: option --key-file needs a value\n");
				return 2;
			}
			cli_set_key_file(argv[++i]);
		} else if (strncmp(argv[i], "--key-file=", 11) == 0) {
			cli_set_key_file(argv[i] + 11);
		} else {
			argv[kept++] = argv[i];
		}
	}
	argc = kept;
	argv[argc] = NULL;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "jiceng: unknown command '%s' (try jiceng --help)\n", argv[1]);
	return 2;
}
