/*
 * wb/rand.h - deterministic random data for tests and benchmarks.
 *
 * xoshiro256** seeded through splitmix64: fast, good enough for test
 * data, and the same sequence on every machine for a given seed, so a
 * failing case can be replayed.  Not for anything that needs secrecy.
 */
#ifndef WB_RAND_H
#define WB_RAND_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct wb_rand {
	uint64_t s[4];
};

static inline uint64_t wb_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static inline void wb_rand_seed(struct wb_rand *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = wb_splitmix64(&seed);
}

static inline uint64_t wb_rotl64(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t wb_rand_u64(struct wb_rand *r)
{
	uint64_t *s = r->s;
	uint64_t out = wb_rotl64(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = wb_rotl64(s[3], 45);
	return out;
}

/* Uniform in [0, n) for n > 0, without modulo bias (Lemire's method). */
static inline uint64_t wb_rand_below(struct wb_rand *r, uint64_t n)
{
	unsigned __int128 m = (unsigned __int128)wb_rand_u64(r) * n;
	uint64_t lo = (uint64_t)m;

	if (lo < n) {
		uint64_t floor = -n % n;
		while (lo < floor) {
			m = (unsigned __int128)wb_rand_u64(r) * n;
			lo = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

static inline void wb_rand_fill(struct wb_rand *r, void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len >= 8) {
		uint64_t v = wb_rand_u64(r);
		memcpy(p, &v, 8);
		p += 8;
		len -= 8;
	}
	if (len) {
		uint64_t v = wb_rand_u64(r);
		memcpy(p, &v, len);
	}
}

#endif
