/* What the import and export files share inside api/base/: the column tables of each kind
 * and the state of one import run, which the row readers (exchange_rows.c) fill. */
#ifndef JICENG_API_EXCHANGE_INT_H
#define JICENG_API_EXCHANGE_INT_H

#include "api/base/base.h"
#include "api/base/exchange.h"
#include "core/arena.h"
#include "core/buf.h"

struct column {
	const char *key, *zh, *alt;
};

enum { MAX_COLS = 16 };

struct kind_def {
	enum exchange_kind kind;
	const char *name, *zh, *file;
	const struct column *cols;
	int ncols;
	const char *required[4];
};

const struct kind_def *exchange_kind_def(enum exchange_kind k);
/* The kind named by the path: /api/v1/<kind>/import… */
bool exchange_kind_from_path(struct http_req *req, enum exchange_kind *out);

struct import_state {
	struct api_ctx *ctx;
	struct arena arena; /* the run's own: header texts */
	struct arena *row;  /* the current row's: everything a row reads or checks */
	const struct kind_def *def;
	struct exchange_options opt;
	int col[MAX_COLS];         /* file column of each defined column, -1: absent */
	const char *hdr[MAX_COLS]; /* header text as the file has it */
	bool header_done;
	struct exchange_result *res;
	struct buf report;
	bool header_error;
	bool store_failed; /* a write failed: the import stops and is rolled back */
	bool key_missing;  /* personal data cannot be sealed: likewise */
	struct {
		bool set;
		const char *use, *address, *note;
		double area;
	} house_defaults; /* the fields a house import row gives a house it creates */
	/* The last house a row named: spreadsheet rows of one house come together. */
	struct {
		char grid[16], building[160], unit[64], room[64];
		struct house_row h;
		struct arena arena;
		bool valid;
	} last_house;
	/* Likewise the last building and household: a new house of the same building, the next
	 * member of the same household, cost no lookup. */
	struct {
		char grid[16], name[160];
		int64_t id;
	} last_building;
	struct {
		int64_t house_id, id, head_id;
		char number[40];
		bool created; /* by this import */
	} last_household;
	int64_t now;
};

/* The row readers (exchange_rows.c): check one data row completely, then write it; errors go
 * to in, a failed write sets st->store_failed. */
void exchange_row_resident(struct import_state *st, struct api_input *in, const char **cells,
                           int n);
void exchange_row_house(struct import_state *st, struct api_input *in, const char **cells, int n);
void exchange_row_org(struct import_state *st, struct api_input *in, const char **cells, int n);

#endif
