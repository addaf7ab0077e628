/* Import and export of base data (residents, houses, organisations) as CSV and XLSX: the
 * application entry points the HTTP routes (exchange_import.c, exchange_export.c) and the
 * `jiceng import` / `jiceng export` commands (cli/exchange.c) both call. They take what the
 * work needs — the acting context (a connection and a principal: struct api_ctx, which holds
 * no HTTP request), options, the input bytes — and return a result struct; none of them
 * responds or reads a request. */
#ifndef JICENG_API_EXCHANGE_H
#define JICENG_API_EXCHANGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "api/api.h"

enum exchange_kind { EXCHANGE_RESIDENTS, EXCHANGE_HOUSES, EXCHANGE_ORGS };
enum { EXCHANGE_ERRORS_SHOWN = 200 };

struct exchange_result;
struct exchange_options {
	bool xlsx, dry_run, partial;
	/* Called every 10 000 rows (the command line shows progress). */
	void (*progress)(void *arg, const struct exchange_result *res);
	void *progress_arg;
	/* Called with how many bytes of a CSV file are done (a mapped file can let them go). */
	void (*consumed)(void *arg, size_t done);
};

struct exchange_result {
	int64_t rows, created, updated, failed, error_count, import_id;
	bool rejected;    /* all-or-nothing with errors: nothing written */
	bool store_error; /* the database failed: nothing written */
	json_t *errors;  /* the first EXCHANGE_ERRORS_SHOWN [{row, column, field, code, message}] */
	char *report;    /* the whole error report as CSV (malloc'd) */
	char fatal[256]; /* why the file could not be read at all */
};

bool exchange_kind_parse(const char *s, enum exchange_kind *out);
/* The kind's API name: "residents", "houses", "organisations". */
const char *exchange_kind_name(enum exchange_kind kind);
/* Imports a whole file inside the caller's write transaction, acting as ctx->who over
 * ctx->db. False when the file could not be read at all (res->fatal says why); row errors
 * are in res. Free res with exchange_result_free. */
bool exchange_import(struct api_ctx *ctx, enum exchange_kind kind, const char *data, size_t len,
                     const struct exchange_options *opt, struct exchange_result *res);
/* Writes the import's record (kept for dry runs and refused imports too: the report stays
 * downloadable); sets res->import_id. */
enum db_result exchange_record(struct api_ctx *ctx, enum exchange_kind kind,
                               const struct exchange_options *opt, struct exchange_result *res);
void exchange_result_free(struct exchange_result *res);

struct scopes;
/* The rows of kind under the scopes as CSV (with a BOM) or XLSX, masked unless reveal,
 * written to a nameless temporary file: *fd is open at its start (the caller closes it)
 * and *len its size. */
bool exchange_export(struct api_ctx *ctx, enum exchange_kind kind, const struct scopes *sc,
                     bool reveal, bool xlsx, int *fd, size_t *len, int64_t *rows);

#endif
