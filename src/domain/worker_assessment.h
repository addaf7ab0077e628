/* Grid worker assessment (网格员考核): the pure rules of one grid worker's month — the five
 * measures (reports, verified sweep visits, care visits, on-time handling, callback failures),
 * the value each gives from its counts, and the default scheme that scores them with the
 * ranking machinery of domain/ranking.c (points from floor to target, ties, red and black
 * lists). No I/O: store/command/worker_assessment.c counts, api/command/worker_assessments.c
 * calls these. Definitions: docs/indicators.md, "Grid worker assessment". */
#ifndef JICENG_DOMAIN_WORKER_ASSESSMENT_H
#define JICENG_DOMAIN_WORKER_ASSESSMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum worker_measure {
	WM_REPORTS,         /* cases the worker reported in the month */
	WM_SWEEPS_VERIFIED, /* sweep visits with outcome visited the worker made */
	WM_CARE_VISITS,     /* care visits the worker recorded */
	WM_ON_TIME, /* of the cases the worker handled, closed and handled by the deadline */
	WM_CALLBACK_FAILURE, /* callbacks contradicting the worker's handling */
	WM_COUNT
};

/* The counts behind one worker's month. */
struct worker_counts {
	int64_t reports, sweeps_verified, care_visits;
	int64_t handled, handled_on_time; /* on-time rate: on_time / handled × 100 */
	int64_t callbacks_reached, callbacks_contradicted;
};

/* One item of a scheme: a measure with its weight and the values of no and full points. */
struct worker_item {
	enum worker_measure measure;
	double weight, floor, target;
	bool higher;
};

/* The measure's code ("reports", "sweeps_verified", "care_visits", "on_time_rate",
 * "callback_failures"), or NULL past the end. */
const char *worker_measure_code(enum worker_measure m);
/* Its Chinese and English names. */
const char *worker_measure_name(enum worker_measure m);
const char *worker_measure_name_en(enum worker_measure m);
/* The measure of a code; false when code names none. */
bool worker_measure_parse(const char *code, enum worker_measure *out);

/* The value of measure m over c: a count as it is; the on-time rate handled_on_time / handled
 * × 100 (false: no value when nothing was handled). *num and *den: the counts behind it (den 1
 * for a count). */
bool worker_measure_value(enum worker_measure m, const struct worker_counts *c, int64_t *num,
                          int64_t *den, double *value);

/* The default scheme: its items (weights add up to 100) and the size of the red and black
 * lists. */
const struct worker_item *worker_scheme_default(size_t *n);
enum { WORKER_SCHEME_TOP = 3 };

/* The points of every item of scheme[0..n) for c into points[] (no value: 0) and their sum,
 * rounded to 0.01. has[i]: whether item i had a value. */
double worker_score(const struct worker_item *scheme, size_t n, const struct worker_counts *c,
                    double *points, bool *has);

#endif
