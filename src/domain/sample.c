/* Random samples: see sample.h. */
#include "domain/sample.h"

#include <math.h>
#include <stdlib.h>

uint64_t sample_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

void sample_seed(struct sample_rng *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = sample_splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t sample_next(struct sample_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t sample_below(struct sample_rng *r, uint64_t bound)
{
	if (bound == 0)
		return 0;
	/* reject the top partial block so every residue is equally likely */
	uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
	for (;;) {
		uint64_t v = sample_next(r);
		if (v < limit)
			return v % bound;
	}
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

size_t sample_draw(int64_t *ids, size_t n, size_t k, uint64_t seed)
{
	if (k > n)
		k = n;
	if (n > 1)
		qsort(ids, n, sizeof *ids, cmp_id);
	struct sample_rng r;
	sample_seed(&r, seed);
	for (size_t i = 0; i < k; i++) {
		size_t j = i + (size_t)sample_below(&r, (uint64_t)(n - i));
		int64_t t = ids[i];
		ids[i] = ids[j];
		ids[j] = t;
	}
	return k;
}

bool sample_margin(int64_t x, int64_t n, int64_t N, double *out)
{
	if (n <= 0 || x < 0 || x > n || N < 0 || (N > 0 && N < n))
		return false;
	double p = (double)x / (double)n;
	double m = 1.96 * sqrt(p * (1 - p) / (double)n);
	if (N == 1)
		m = 0;
	else if (N > 1)
		m *= sqrt((double)(N - n) / (double)(N - 1));
	*out = m;
	return true;
}

bool sample_seed_parse(const char *s, uint64_t *out)
{
	if (!s || !*s)
		return false;
	uint64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || p - s >= 20)
			return false;
		uint64_t d = (uint64_t)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

bool survey_open(int64_t period, int64_t now_month)
{
	int64_t next = period % 100 == 12 ? (period / 100 + 1) * 100 + 1 : period + 1;
	return now_month == period || now_month == next;
}
