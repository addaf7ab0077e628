/* jiceng audit verify: walk the audit hash chain and report the first break. */
#include "cli/cli.h"
#include "store/audit.h"

#include <string.h>

int cli_audit(int argc, char **argv)
{
	if (argc < 2 || cli_help_asked(argc, argv) || strcmp(argv[1], "verify") != 0) {
		fprintf(argc < 2 || !cli_help_asked(argc, argv) ? stderr : stdout,
		        "usage: jiceng audit verify --db PATH\n"
		        "Checks that no audit entry was changed, removed or reordered.\n");
		return cli_help_asked(argc, argv) ? 0 : 2;
	}
	const char *db_path = NULL, *v;
	for (int i = 2; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "--db")))
			db_path = v;
		else {
			fprintf(stderr, "jiceng audit verify: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (!db_path) {
		fprintf(stderr, "jiceng audit verify: --db PATH is required\n");
		return 2;
	}
	if (!cli_load_key(db_path))
		return 1;
	struct db *db = cli_open_db(db_path, false);
	if (!db)
		return 1;
	int64_t checked, bad;
	enum db_result r = audit_verify(db, &checked, &bad);
	db_close(db);
	if (r == DB_OK) {
		printf("audit chain intact: %lld entries\n", (long long)checked);
		return 0;
	}
	if (r == DB_CONSTRAINT)
		fprintf(stderr,
		        "jiceng audit verify: chain broken at entry %lld (%lld entries "
		        "before it are intact)\n",
		        (long long)bad, (long long)checked);
	else
		fprintf(stderr, "jiceng audit verify: cannot read the audit log\n");
	return 1;
}
