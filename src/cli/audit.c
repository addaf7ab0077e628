/* jiceng audit verify: walk the audit hash chain and report the first break.
 * jiceng audit head: print the chain's head (last entry's id and hash) for safekeeping
 * elsewhere. The chain is keyed by PATH.key, which lies beside the database: whoever holds
 * both can rewrite the whole log and its chain consistently. A head kept where that attacker
 * cannot reach (another machine, a ticket, a print-out) is what such a rewrite cannot match:
 * verify --head checks that the chain still holds that entry with that hash. */
#include "cli/cli.h"
#include "store/platform/audit.h"

#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: jiceng audit verify --db PATH [--head ID:HASH]\n"
	           "       jiceng audit head --db PATH\n"
	           "verify checks that no audit entry was changed, removed or reordered; with\n"
	           "--head, also that entry ID still has the chain hash HASH (a head printed\n"
	           "earlier by 'audit head' and kept away from this machine: the chain's key lies\n"
	           "beside the database, so only a head kept elsewhere shows a rewrite by someone\n"
	           "holding both). head prints the last entry's ID:HASH.\n");
}

static void hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* "ID:HASH" with ID > 0 and HASH hex of the chain hash's length. */
static bool parse_head(const char *s, int64_t *id, char want[2 * AUDIT_HASH_LEN + 1])
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (s[0] < '1' || s[0] > '9' || *end != ':' || v <= 0 ||
	    strlen(end + 1) != 2 * AUDIT_HASH_LEN ||
	    strspn(end + 1, "0123456789abcdef") != 2 * AUDIT_HASH_LEN)
		return false;
	*id = v;
	memcpy(want, end + 1, 2 * AUDIT_HASH_LEN + 1);
	return true;
}

int cli_audit(int argc, char **argv)
{
	bool verify = argc >= 2 && strcmp(argv[1], "verify") == 0;
	bool head = argc >= 2 && strcmp(argv[1], "head") == 0;
	if (argc < 2 || cli_help_asked(argc, argv) || (!verify && !head)) {
		usage(argc < 2 || !cli_help_asked(argc, argv) ? stderr : stdout);
		return cli_help_asked(argc, argv) ? 0 : 2;
	}
	const char *db_path = NULL, *head_arg = NULL, *v;
	for (int i = 2; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "--db"))) {
			db_path = v;
		} else if (verify && (v = cli_opt(argc, argv, &i, "--head"))) {
			head_arg = v;
		} else {
			fprintf(stderr, "jiceng audit %s: unknown option %s\n", argv[1], argv[i]);
			return 2;
		}
	}
	if (!db_path) {
		fprintf(stderr, "jiceng audit %s: --db PATH is required\n", argv[1]);
		return 2;
	}
	int64_t head_id = 0;
	char head_want[2 * AUDIT_HASH_LEN + 1] = "";
	if (head_arg && !parse_head(head_arg, &head_id, head_want)) {
		fprintf(stderr,
		        "jiceng audit verify: --head must be ID:HASH as 'audit head' prints it\n");
		return 2;
	}
	if (!cli_load_key(db_path))
		return 1;
	struct db *db = cli_open_db(db_path, false);
	if (!db)
		return 1;
	unsigned char hash[AUDIT_HASH_LEN];
	char got[2 * AUDIT_HASH_LEN + 1];
	if (head) {
		int64_t id = 0;
		enum db_result r = store_audit_hash_at(db, &id, hash);
		db_close(db);
		if (r == DB_DONE) {
			fprintf(stderr, "jiceng audit head: the audit log is empty\n");
			return 1;
		}
		if (r != DB_ROW) {
			fprintf(stderr, "jiceng audit head: cannot read the audit log\n");
			return 1;
		}
		hex(hash, sizeof hash, got);
		printf("%lld:%s\n", (long long)id, got);
		return 0;
	}
	int64_t checked, bad;
	enum db_result r = store_audit_verify(db, &checked, &bad);
	enum db_result hr = DB_ROW;
	if (r == DB_OK && head_id) {
		int64_t id = head_id;
		hr = store_audit_hash_at(db, &id, hash);
		if (hr == DB_ROW)
			hex(hash, sizeof hash, got);
	}
	db_close(db);
	if (r == DB_OK && head_id && (hr != DB_ROW || strcmp(got, head_want) != 0)) {
		if (hr == DB_ROW || hr == DB_DONE)
			fprintf(
			    stderr,
			    "jiceng audit verify: the chain is consistent but entry %lld %s: the "
			    "log was rewritten since that head was taken\n",
			    (long long)head_id,
			    hr == DB_DONE ? "is gone" : "differs from the head");
		else
			fprintf(stderr, "jiceng audit verify: cannot read the audit log\n");
		return 1;
	}
	if (r == DB_OK) {
		printf("audit chain intact: %lld entries%s\n", (long long)checked,
		       head_id ? ", and it holds the given head" : "");
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
