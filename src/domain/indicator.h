/* Indicators (考核评价): the pure rules — the catalogue of counted facts, periods (month,
 * quarter, year in Asia/Shanghai, as ranges of months YYYYMM), the value of a ratio with its
 * factor, the minimum denominator, the colour band, and the checks of a definition. The store
 * keeps the facts (migration 20); api/command/indicators.c adds them up and divides here. */
#ifndef JICENG_DOMAIN_INDICATOR_H
#define JICENG_DOMAIN_INDICATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How a fact is counted over a period. */
enum fact_kind {
	FACT_COUNT,  /* records per month: the period's months are summed */
	FACT_STOCK,  /* what there is now (period 0): the period does not matter */
	FACT_SWEEP,  /* houses visited in the region's latest sweep begun by the period's end */
	FACT_MANUAL, /* approved manual figures per month (indicator_figures) */
};

struct fact_def {
	const char *code, *name, *name_en;
	enum fact_kind kind;
};

/* The catalogue (docs/indicators.md); NULL when code names no fact. */
const struct fact_def *indicator_fact(const char *code);
/* The i-th fact; NULL past the end. */
const struct fact_def *indicator_fact_at(size_t i);

enum period_type { PERIOD_MONTH, PERIOD_QUARTER, PERIOD_YEAR };

/* A period as its first and last month, YYYYMM. */
struct period {
	enum period_type type;
	int first, last;
};

/* Parses "YYYY-MM", "YYYY-Qn" or "YYYY" (years 2000–2099); false when malformed. */
bool period_parse(const char *s, struct period *out);
/* Formats p as period_parse reads it (out holds 8 bytes). */
void period_format(const struct period *p, char out[8]);
/* The same period a year earlier. */
struct period period_previous_year(const struct period *p);
/* The period of type t that holds the day (Asia/Shanghai) of the instant t_utc. */
struct period period_of(enum period_type t, int64_t t_utc);
/* The last instant (UTC seconds, exclusive) of p: the first second of the next month, 00:00
 * Asia/Shanghai. */
int64_t period_end(const struct period *p);
/* "month" / "quarter" / "year" and back. */
const char *period_type_name(enum period_type t);
bool period_type_parse(const char *s, enum period_type *out);

/* The value of numerator / denominator × factor; false (no value, JSON null) when the
 * denominator is 0. */
bool indicator_value(int64_t numerator, int64_t denominator, int64_t factor, double *out);
/* Too few to judge: a denominator under the definition's minimum (a value is still given). */
bool indicator_too_few(int64_t denominator, int64_t min_denominator);

enum band { BAND_NONE, BAND_GREEN, BAND_YELLOW, BAND_RED };
/* The colour of value: for "higher is better" green at ≥ green, yellow at ≥ yellow, else red;
 * for "lower is better" green at ≤ green, yellow at ≤ yellow, else red. BAND_NONE when the
 * definition has no bands (has_bands false). */
enum band indicator_band(double value, bool higher, bool has_bands, double green, double yellow);
const char *band_name(enum band b);

/* The factors a definition may use. */
bool indicator_factor_ok(int64_t factor);
/* Whether green and yellow are in the order the direction needs (higher: green ≥ yellow). */
bool indicator_bands_ok(bool higher, double green, double yellow);
/* An indicator code: 2–40 of a-z, 0-9 and _, starting with a letter. */
bool indicator_code_ok(const char *code);

#endif
