/*
 * stats_test.c - task 5: the thread-cache pool's statistics.
 *
 * The counts are exact, so the tests compare them with what they did.
 * The thread test reads the statistics while four threads allocate and
 * free; under ThreadSanitizer it shows whether the counters are shared
 * without atomics.
 */
#define _GNU_SOURCE /* open_memstream */
#include "tcache.h"
#include "wb/test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct tc_pool *create(size_t block, size_t cap)
{
	struct tc_pool *p = tc_create(block, cap);

	CHECK(p != NULL, "tc_create(%zu, %zu): expected a pool, got NULL",
	      block, cap);
	return p;
}

static void *alloc(struct tc_pool *p)
{
	void *b = tc_alloc(p);

	CHECK(b != NULL, "tc_alloc: expected a block, got NULL");
	return b;
}

static struct tc_stats stats(struct tc_pool *p)
{
	struct tc_stats s;

	memset(&s, 0xa5, sizeof s); /* no field is zero by luck */
	tc_get_stats(p, &s);
	return s;
}

TEST(stats_fresh_pool_zero)
{
	struct tc_pool *p = create(100, 8);
	struct tc_stats s = stats(p);

	CHECK_UINT("allocs of a fresh pool", 0, s.allocs);
	CHECK_UINT("frees of a fresh pool", 0, s.frees);
	CHECK_UINT("cache_hits of a fresh pool", 0, s.cache_hits);
	CHECK_UINT("cache_misses of a fresh pool", 0, s.cache_misses);
	CHECK_UINT("bytes_in_use of a fresh pool", 0, s.bytes_in_use);
	CHECK_UINT("peak_bytes of a fresh pool", 0, s.peak_bytes);
	CHECK_NEAR("hit_rate of a fresh pool (0 when nothing was allocated)",
		   0.0, s.hit_rate, 0.0);
	tc_destroy(p);
}

TEST(stats_counts_and_bytes)
{
	/* 40-byte blocks are 48 bytes: bytes count the rounded size. */
	struct tc_pool *p = create(40, 8);
	void *b[100];

	for (int i = 0; i < 100; i++)
		b[i] = alloc(p);
	for (int i = 0; i < 30; i++)
		tc_free(p, b[i]);
	tc_free(p, NULL); /* not a free */
	struct tc_stats s = stats(p);
	CHECK_UINT("allocs after 100 tc_alloc", 100, s.allocs);
	CHECK_UINT("frees after 30 tc_free (and one of NULL)", 30, s.frees);
	CHECK_UINT("bytes_in_use with 70 blocks of 40 (48 rounded) bytes",
		   70 * 48, s.bytes_in_use);
	CHECK_UINT("cache_hits + cache_misses == allocs", s.allocs,
		   s.cache_hits + s.cache_misses);
	CHECK(s.footprint >= 100 * 48, "footprint with 100 blocks of 48 "
	      "bytes handed out: expected at least %d bytes, got %llu",
	      100 * 48, (unsigned long long)s.footprint);
	for (int i = 30; i < 100; i++)
		tc_free(p, b[i]);
	tc_destroy(p);
}

TEST(stats_peak_bytes)
{
	struct tc_pool *p = create(64, 4);
	void *b[50];

	for (int i = 0; i < 50; i++)
		b[i] = alloc(p);
	for (int i = 0; i < 50; i++)
		tc_free(p, b[i]);
	for (int i = 0; i < 20; i++)
		b[i] = alloc(p);
	struct tc_stats s = stats(p);
	CHECK_UINT("peak_bytes after 50 live blocks of 64, all freed, then 20 "
		   "again", 50 * 64, s.peak_bytes);
	CHECK_UINT("bytes_in_use with 20 blocks of 64 live", 20 * 64,
		   s.bytes_in_use);
	for (int i = 0; i < 20; i++)
		tc_free(p, b[i]);
	s = stats(p);
	CHECK_UINT("bytes_in_use after freeing everything", 0, s.bytes_in_use);
	CHECK_UINT("peak_bytes never goes down", 50 * 64, s.peak_bytes);
	tc_destroy(p);
}

TEST(stats_hit_rate)
{
	struct tc_pool *p = create(32, 8);
	void *b = alloc(p);

	/* Every later alloc finds the block just freed in the cache. */
	for (int i = 0; i < 99; i++) {
		tc_free(p, b);
		b = alloc(p);
	}
	tc_free(p, b);
	struct tc_stats s = stats(p);
	CHECK_UINT("allocs", 100, s.allocs);
	CHECK(s.cache_hits >= 99 && s.cache_hits <= 100,
	      "cache_hits of 100 allocs, 99 right after a free: expected 99 "
	      "or 100, got %llu", (unsigned long long)s.cache_hits);
	CHECK_UINT("cache_misses == allocs - cache_hits", 100 - s.cache_hits,
		   s.cache_misses);
	CHECK_NEAR("hit_rate == cache_hits / allocs",
		   (double)s.cache_hits / 100.0, s.hit_rate, 1e-12);
	tc_destroy(p);
}

TEST(stats_print_format)
{
	struct tc_pool *p = create(64, 8);
	void *b[4];
	char want[512];

	for (int i = 0; i < 4; i++)
		b[i] = alloc(p);
	tc_free(p, b[3]);
	b[3] = alloc(p); /* a hit: the block just freed */
	tc_free(p, b[0]);
	struct tc_stats s = stats(p);

	snprintf(want, sizeof want,
		 "allocs: 5\nfrees: 2\nbytes_in_use: 192\npeak_bytes: 256\n"
		 "cache_hits: %llu\ncache_misses: %llu\nhit_rate: %.1f%%\n"
		 "footprint: %llu\n",
		 (unsigned long long)s.cache_hits,
		 (unsigned long long)s.cache_misses, 100.0 * s.hit_rate,
		 (unsigned long long)s.footprint);

	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	CHECK(f != NULL, "open_memstream failed");
	int rc = tc_print_stats(p, f);
	fclose(f);
	CHECK_INT("tc_print_stats return value", 0, rc);
	CHECK_STR("tc_print_stats output", want, text);
	free(text);
	for (int i = 1; i < 4; i++)
		tc_free(p, b[i]);
	tc_destroy(p);
}

enum { THREADS = 4, PAIRS = 20000, KEEP = 10 };

struct worker {
	struct tc_pool *p;
	_Atomic int *go, *done;
	void *kept[KEEP];
};

static void *work(void *arg)
{
	struct worker *w = arg;
	void *held[8];

	while (!atomic_load(w->go))
		;
	for (int i = 0; i < PAIRS; i += 8) {
		for (int k = 0; k < 8; k++)
			held[k] = tc_alloc(w->p);
		for (int k = 0; k < 8; k++)
			tc_free(w->p, held[k]);
	}
	for (int k = 0; k < KEEP; k++)
		w->kept[k] = tc_alloc(w->p);
	atomic_fetch_add(w->done, 1);
	return NULL;
}

TEST(stats_exact_under_threads)
{
	struct tc_pool *p = create(64, 16);
	struct worker w[THREADS];
	pthread_t t[THREADS];
	_Atomic int go = 0, done = 0;
	uint64_t last_allocs = 0, last_frees = 0;

	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){.p = p, .go = &go, .done = &done};
		CHECK_INT("pthread_create", 0, pthread_create(&t[i], NULL, work, &w[i]));
	}
	atomic_store(&go, 1);
	/* Read while they run, until they are all done: each count only
	 * grows. */
	for (int r = 0; atomic_load(&done) < THREADS; r++) {
		struct tc_stats s = stats(p);

		CHECK(s.allocs >= last_allocs && s.frees >= last_frees,
		      "reading %d during the run: allocs went from %llu to "
		      "%llu, frees from %llu to %llu: counts never go down",
		      r, (unsigned long long)last_allocs,
		      (unsigned long long)s.allocs,
		      (unsigned long long)last_frees,
		      (unsigned long long)s.frees);
		last_allocs = s.allocs;
		last_frees = s.frees;
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);

	/* The threads have exited: their counts must still be there. */
	struct tc_stats s = stats(p);
	uint64_t allocs = THREADS * (uint64_t)(PAIRS + KEEP);
	CHECK_UINT("allocs by 4 threads that have exited", allocs, s.allocs);
	CHECK_UINT("frees by 4 threads that have exited",
		   THREADS * (uint64_t)PAIRS, s.frees);
	CHECK_UINT("bytes_in_use: 4 x 10 blocks of 64 still allocated",
		   THREADS * KEEP * 64, s.bytes_in_use);
	CHECK(s.peak_bytes >= THREADS * KEEP * 64 &&
	      s.peak_bytes <= THREADS * (KEEP + 8) * 64,
	      "peak_bytes: expected between %d and %d (each thread held at "
	      "most 10 blocks), got %llu", THREADS * KEEP * 64,
	      THREADS * (KEEP + 8) * 64, (unsigned long long)s.peak_bytes);
	CHECK_UINT("cache_hits + cache_misses == allocs", s.allocs,
		   s.cache_hits + s.cache_misses);
	CHECK(s.hit_rate > 0.5, "hit_rate of 4 threads allocating and freeing "
	      "8 blocks at a time with a cache of 16: expected most allocs to "
	      "hit, got %.3f", s.hit_rate);
	/* Frees from the main thread count too. */
	for (int i = 0; i < THREADS; i++)
		for (int k = 0; k < KEEP; k++)
			tc_free(p, w[i].kept[k]);
	s = stats(p);
	CHECK_UINT("frees after the main thread freed the 40 kept blocks",
		   THREADS * (uint64_t)PAIRS + THREADS * KEEP, s.frees);
	CHECK_UINT("bytes_in_use after that", 0, s.bytes_in_use);
	tc_destroy(p);
}
