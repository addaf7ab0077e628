/* Random samples (回访抽查, 满意度测评): a seeded, portable generator (splitmix64 seeding
 * xoshiro256**; never rand()), a reproducible draw of k out of n ids, and the margin of error
 * of a proportion at 95 % with the finite population correction (docs/indicators.md,
 * "Samples"). The same seed and population give the same sample on any machine. */
#ifndef JICENG_DOMAIN_SAMPLE_H
#define JICENG_DOMAIN_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sample_rng {
	uint64_t s[4];
};

/* splitmix64: the next value of the sequence kept in *x (also how the seed spreads). */
uint64_t sample_splitmix64(uint64_t *x);
/* Seeds r: its four words are the first four outputs of splitmix64 from seed. */
void sample_seed(struct sample_rng *r, uint64_t seed);
/* xoshiro256**: the next 64 bits. */
uint64_t sample_next(struct sample_rng *r);
/* A uniform integer in [0, bound) without modulo bias (bound > 0; 0 when bound is 0). */
uint64_t sample_below(struct sample_rng *r, uint64_t bound);

/* Draws min(k, n) of the n ids: sorts ids ascending in place (the fixed order), then a partial
 * Fisher–Yates shuffle seeded with seed leaves the sample in ids[0 .. result), in the order
 * drawn. Duplicate ids are the caller's to avoid. */
size_t sample_draw(int64_t *ids, size_t n, size_t k, uint64_t seed);

/* The margin of error at 95 % of the proportion x / n drawn from a population of N:
 * 1.96 · sqrt(p(1 − p) / n) · sqrt((N − n) / (N − 1)); without the correction when N is 0
 * (unknown) or 1 (a whole population of one: 0). False (JSON null) when n is 0 or the counts
 * are out of range (x < 0, x > n, N > 0 and N < n). */
bool sample_margin(int64_t x, int64_t n, int64_t N, double *out);

/* Parses a seed given as decimal digits (up to 2^64 − 1); false when malformed. */
bool sample_seed_parse(const char *s, uint64_t *out);

/* Whether a survey of month period (YYYYMM) takes residents' own answers in month now_month
 * (YYYYMM): during its month and the month after it (a resident cannot answer ahead of it or
 * after that). */
bool survey_open(int64_t period, int64_t now_month);

#endif
