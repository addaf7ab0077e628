/* Grid worker assessment (see domain/worker_assessment.h). */
#include "domain/worker_assessment.h"

#include "domain/indicator.h"
#include "domain/ranking.h"

#include <string.h>

static const struct {
	const char *code, *name, *name_en;
} MEASURES[WM_COUNT] = {
    [WM_REPORTS] = {"reports", "上报事件数", "Cases reported"},
    [WM_SWEEPS_VERIFIED] = {"sweeps_verified", "扫楼核实户数", "Sweep visits verified"},
    [WM_CARE_VISITS] = {"care_visits", "关爱走访次数", "Care visits"},
    [WM_ON_TIME] = {"on_time_rate", "按期办结率", "On-time handling rate"},
    [WM_CALLBACK_FAILURE] = {"callback_failures", "回访不实件数", "Callback failures"},
};

const char *worker_measure_code(enum worker_measure m)
{
	return (unsigned)m < WM_COUNT ? MEASURES[m].code : NULL;
}

const char *worker_measure_name(enum worker_measure m)
{
	return (unsigned)m < WM_COUNT ? MEASURES[m].name : NULL;
}

const char *worker_measure_name_en(enum worker_measure m)
{
	return (unsigned)m < WM_COUNT ? MEASURES[m].name_en : NULL;
}

bool worker_measure_parse(const char *code, enum worker_measure *out)
{
	for (int m = 0; code && m < WM_COUNT; m++)
		if (strcmp(MEASURES[m].code, code) == 0) {
			*out = (enum worker_measure)m;
			return true;
		}
	return false;
}

bool worker_measure_value(enum worker_measure m, const struct worker_counts *c, int64_t *num,
                          int64_t *den, double *value)
{
	*den = 1;
	switch (m) {
	case WM_REPORTS:
		*num = c->reports;
		break;
	case WM_SWEEPS_VERIFIED:
		*num = c->sweeps_verified;
		break;
	case WM_CARE_VISITS:
		*num = c->care_visits;
		break;
	case WM_ON_TIME:
		*num = c->handled_on_time;
		*den = c->handled;
		return indicator_value(*num, *den, 100, value);
	case WM_CALLBACK_FAILURE:
		*num = c->callbacks_contradicted;
		break;
	default:
		*num = 0;
		*value = 0;
		return false;
	}
	*value = (double)*num;
	return true;
}

/* Weights add up to 100: reports 20 (full at 8 a month), verified sweep visits 25 (full at
 * 40), care visits 15 (full at 8), on-time handling 25 (none at 60 %, full at 95 %),
 * callback failures 15 (full at none, none at 3). */
static const struct worker_item DEFAULT_SCHEME[] = {
    {WM_REPORTS, 20, 0, 8, true},           {WM_SWEEPS_VERIFIED, 25, 0, 40, true},
    {WM_CARE_VISITS, 15, 0, 8, true},       {WM_ON_TIME, 25, 60, 95, true},
    {WM_CALLBACK_FAILURE, 15, 3, 0, false},
};

const struct worker_item *worker_scheme_default(size_t *n)
{
	*n = sizeof DEFAULT_SCHEME / sizeof DEFAULT_SCHEME[0];
	return DEFAULT_SCHEME;
}

double worker_score(const struct worker_item *scheme, size_t n, const struct worker_counts *c,
                    double *points, bool *has)
{
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t num, den;
		double v = 0;
		has[i] = worker_measure_value(scheme[i].measure, c, &num, &den, &v);
		points[i] = ranking_points(has[i], v, scheme[i].floor, scheme[i].target,
		                           scheme[i].higher, scheme[i].weight);
		total += points[i];
	}
	return ranking_round(total);
}
