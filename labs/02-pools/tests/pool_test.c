/*
 * pool_test.c - task 1: the fixed-size pool.
 *
 * Each test checks one property of the contract in include/pool.h.  The
 * pool's memory comes from mmap, which ASan does not watch, so the tests
 * check what ASan cannot: they fill every block with a pattern of its
 * own and look for damage, compare addresses for overlap, and ask the
 * kernel (msync) whether a chunk is still mapped after pool_destroy().
 */
#define _GNU_SOURCE
#include "pool.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static struct pool *create(size_t size)
{
	struct pool *p = pool_create(size);

	CHECK(p != NULL, "pool_create(%zu): expected a pool, got NULL (errno "
	      "%d)", size, errno);
	return p;
}

static void *alloc(struct pool *p, size_t i)
{
	void *b = pool_alloc(p);

	CHECK(b != NULL, "pool_alloc() number %zu (block size %zu): expected "
	      "a block, got NULL", i, pool_block_size(p));
	return b;
}

/* Fill a block with bytes that depend on its number: damage by a
 * neighbour, or by the pool itself, shows as a wrong byte. */
static void fill(void *b, size_t len, size_t tag)
{
	unsigned char *c = b;

	for (size_t i = 0; i < len; i++)
		c[i] = (unsigned char)(tag * 31 + i * 7 + 1);
}

static void check_fill(const void *b, size_t len, size_t tag, const char *when)
{
	const unsigned char *c = b;

	for (size_t i = 0; i < len; i++) {
		unsigned char want = (unsigned char)(tag * 31 + i * 7 + 1);

		CHECK(c[i] == want,
		      "%s: block %zu (at %p, %zu bytes) changed while it was "
		      "allocated: byte %zu is 0x%02x, expected 0x%02x (another "
		      "block overlaps it, or the pool wrote into a live block)",
		      when, tag, b, len, i, c[i], want);
	}
}

static int cmp_ptr(const void *x, const void *y)
{
	uintptr_t a = *(const uintptr_t *)x, b = *(const uintptr_t *)y;

	return a < b ? -1 : a > b;
}

/* Sorted, consecutive live blocks must lie at least a block apart. */
static void check_no_overlap(void **blocks, size_t n, size_t len,
			     const char *what)
{
	uintptr_t *a = malloc(n * sizeof *a);

	CHECK(a != NULL, "test setup: out of memory");
	for (size_t i = 0; i < n; i++)
		a[i] = (uintptr_t)blocks[i];
	qsort(a, n, sizeof *a, cmp_ptr);
	for (size_t i = 1; i < n; i++)
		CHECK(a[i] - a[i - 1] >= len,
		      "%s: live blocks at %p and %p are %zu bytes apart, but "
		      "each is %zu bytes: they overlap (or the same block was "
		      "handed out twice)",
		      what, (void *)a[i - 1], (void *)a[i],
		      (size_t)(a[i] - a[i - 1]), len);
	free(a);
}

/* Is the page holding addr mapped?  msync fails with ENOMEM on a page
 * that is not. */
static int page_mapped(const void *addr)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *pg = (void *)((uintptr_t)addr & ~(uintptr_t)(page - 1));

	return msync(pg, page, MS_ASYNC) == 0 || errno != ENOMEM;
}

static void shuffle(struct wb_rand *r, void **v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)wb_rand_below(r, i);
		void *t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

TEST(pool_block_size_rounded)
{
	static const size_t sizes[] = {1, 8, 15, 16, 17, 24, 40, 64, 100,
				       1000, 4096, 4097, POOL_MAX_BLOCK};

	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		struct pool *p = create(sizes[k]);
		size_t want = (sizes[k] + POOL_ALIGN - 1) / POOL_ALIGN * POOL_ALIGN;
		char what[96];

		snprintf(what, sizeof what, "pool_block_size() of "
			 "pool_create(%zu): %zu rounded up to a multiple of %d",
			 sizes[k], sizes[k], POOL_ALIGN);
		CHECK_UINT(what, want, pool_block_size(p));
		snprintf(what, sizeof what, "pool_footprint() of a new "
			 "pool_create(%zu), before any pool_alloc()", sizes[k]);
		CHECK_UINT(what, 0, pool_footprint(p));
		pool_destroy(p);
	}
}

TEST(pool_rejects_bad_sizes)
{
	static const size_t bad[] = {0, POOL_MAX_BLOCK + 1, SIZE_MAX,
				     SIZE_MAX - 1, SIZE_MAX - 14,
				     SIZE_MAX - 15, SIZE_MAX / 2 + 1};
	struct pool *p;

	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		errno = 0;
		p = pool_create(bad[k]);
		if (p != NULL) {
			size_t got = pool_block_size(p);

			pool_destroy(p);
			CHECK(0, "pool_create(%zu = 0x%zx): expected NULL (%s), "
			      "got a pool of %zu-byte blocks%s",
			      bad[k], bad[k],
			      bad[k] == 0 ? "a pool of nothing"
					  : "larger than POOL_MAX_BLOCK",
			      got,
			      got < 64 ? ": rounding the size up wrapped "
					 "around past SIZE_MAX" : "");
		}
		CHECK(errno == EINVAL,
		      "pool_create(%zu) returned NULL with errno %d (%s), "
		      "expected EINVAL", bad[k], errno, strerror(errno));
	}
	/* NULL in, nothing happens: like free(NULL). */
	p = create(32);
	pool_free(p, NULL);
	CHECK_UINT("pool_footprint() after pool_free(p, NULL)", 0,
		   pool_footprint(p));
	CHECK(pool_alloc(p) != NULL, "pool_alloc() after pool_free(p, NULL) "
	      "returned NULL");
	pool_destroy(p);
	pool_destroy(NULL);
}

TEST(pool_blocks_aligned)
{
	static const size_t sizes[] = {1, 7, 8, 12, 24, 40, 56, 100, 200,
				       1000, 3000, 5000, 70000};

	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		struct pool *p = create(sizes[k]);

		/* Enough blocks to need a second chunk. */
		size_t n = 2 * POOL_CHUNK / pool_block_size(p) + 20;

		for (size_t i = 0; i < n; i++) {
			uintptr_t a = (uintptr_t)alloc(p, i);

			CHECK(a % POOL_ALIGN == 0,
			      "pool_create(%zu): block %zu is at %p, %zu bytes "
			      "past a multiple of %d: expected every block "
			      "%d-aligned (round the block size up, not just "
			      "the first block's address)",
			      sizes[k], i, (void *)a, (size_t)(a % POOL_ALIGN),
			      POOL_ALIGN, POOL_ALIGN);
		}
		pool_destroy(p);
	}
}

TEST(pool_no_overlap)
{
	static const size_t sizes[] = {16, 24, 64, 100, 4000};
	enum { N = 6000 };
	void **v = malloc(N * sizeof *v);

	CHECK(v != NULL, "test setup: out of memory");
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		struct pool *p = create(sizes[k]);
		char what[96];

		for (size_t i = 0; i < N; i++)
			v[i] = alloc(p, i);
		snprintf(what, sizeof what, "%d blocks from pool_create(%zu)",
			 N, sizes[k]);
		check_no_overlap(v, N, sizes[k], what);
		pool_destroy(p);
	}
	free(v);
}

TEST(pool_contents_preserved)
{
	enum { SLOTS = 3000, STEPS = 60000 };
	struct wb_rand r;
	void **slot = calloc(SLOTS, sizeof *slot);
	size_t *tag = calloc(SLOTS, sizeof *tag);
	struct pool *p = create(40);
	size_t len = 40, next_tag = 1;

	CHECK(slot != NULL && tag != NULL, "test setup: out of memory");
	wb_rand_seed(&r, 0x9001);
	/* Random allocations and frees; every live block holds its own
	 * pattern, checked when it is freed and at the end. */
	for (size_t s = 0; s < STEPS; s++) {
		size_t i = (size_t)wb_rand_below(&r, SLOTS);

		if (slot[i] == NULL) {
			slot[i] = alloc(p, s);
			tag[i] = next_tag++;
			fill(slot[i], len, tag[i]);
		} else {
			check_fill(slot[i], len, tag[i], "before pool_free");
			pool_free(p, slot[i]);
			slot[i] = NULL;
		}
	}
	for (size_t i = 0; i < SLOTS; i++)
		if (slot[i] != NULL)
			check_fill(slot[i], len, tag[i], "at the end");
	pool_destroy(p);
	free(slot);
	free(tag);
}

TEST(pool_reuses_freed_blocks)
{
	enum { N = 1000, ROUNDS = 300 };
	struct wb_rand r;
	void **v = malloc(N * sizeof *v);
	struct pool *p = create(64);
	size_t first = 0;
	void *b;

	CHECK(v != NULL, "test setup: out of memory");
	wb_rand_seed(&r, 0x7e05e);
	for (int round = 0; round < ROUNDS; round++) {
		for (size_t i = 0; i < N; i++)
			v[i] = alloc(p, i);
		shuffle(&r, v, N);
		for (size_t i = 0; i < N; i++)
			pool_free(p, v[i]);
		if (round == 0)
			first = pool_footprint(p);
		CHECK(pool_footprint(p) == first,
		      "round %d of allocating %d blocks of 64 bytes and "
		      "freeing them all: the footprint is %zu bytes, it was "
		      "%zu after round 0: expected no growth (freed blocks "
		      "must be handed out again; is the free list losing "
		      "blocks?)",
		      round, N, pool_footprint(p), first);
	}
	/* The most direct form: free one block, get one back, no growth. */
	b = alloc(p, 0);
	for (int i = 0; i < 100000; i++) {
		pool_free(p, b);
		b = alloc(p, (size_t)i);
	}
	CHECK_UINT("pool_footprint() after 100000 pool_free + pool_alloc "
		   "pairs", first, pool_footprint(p));
	pool_destroy(p);
	free(v);
}

TEST(pool_grows_on_demand)
{
	static const size_t sizes[] = {16, 48, 64, 1024, 9000, 100000};
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		struct pool *p = create(sizes[k]);
		size_t bs = pool_block_size(p), before = pool_mapped_total();
		size_t n = 4 * POOL_CHUNK / bs + 3, fp, chunk, limit;

		/* a chunk: POOL_CHUNK, or 8 blocks rounded to pages */
		chunk = POOL_CHUNK + 8 * bs + page;
		for (size_t i = 0; i < n; i++)
			alloc(p, i);
		fp = pool_footprint(p);
		/* the blocks themselves, a header per chunk, and at most
		 * one chunk not yet used up */
		limit = n * bs + n * bs / 8 + chunk + page;
		CHECK(fp >= n * bs && fp <= limit,
		      "pool_create(%zu) after %zu allocations: footprint %zu "
		      "bytes, expected between %zu (the blocks) and %zu (the "
		      "blocks, chunk headers and one partly used chunk): "
		      "chunks should be mapped only when needed, and hold "
		      "many blocks",
		      sizes[k], n, fp, n * bs, limit);
		CHECK(fp % page == 0,
		      "pool_create(%zu): footprint %zu is not a multiple of "
		      "the page size %zu (it counts mapped bytes)",
		      sizes[k], fp, page);
		CHECK(pool_mapped_total() == before + fp,
		      "pool_create(%zu): pool_mapped_total() is %zu, expected "
		      "%zu before the pool plus its footprint %zu = %zu",
		      sizes[k], pool_mapped_total(), before, fp, before + fp);
		pool_destroy(p);
	}
}

TEST(pool_destroy_releases)
{
	enum { N = 5000, POOLS = 3 };
	static void *first[POOLS], *last[POOLS];
	size_t before = pool_mapped_total();
	struct pool *p[POOLS];

	for (int k = 0; k < POOLS; k++) {
		p[k] = create(k == 0 ? 32 : k == 1 ? 200 : 5000);
		first[k] = alloc(p[k], 0);
		for (size_t i = 1; i < N; i++)
			last[k] = alloc(p[k], i);
		/* free some, keep some: destroy must not care */
		pool_free(p[k], first[k]);
	}
	for (int k = 0; k < POOLS; k++) {
		size_t total = pool_mapped_total(), fp = pool_footprint(p[k]);

		pool_destroy(p[k]);
		CHECK(pool_mapped_total() == total - fp,
		      "pool_destroy() of a pool with footprint %zu: "
		      "pool_mapped_total() went from %zu to %zu, expected %zu "
		      "(every chunk unmapped)",
		      fp, total, pool_mapped_total(), total - fp);
		CHECK(!page_mapped(first[k]) && !page_mapped(last[k]),
		      "after pool_destroy(), the page of the %s block (%p) is "
		      "still mapped: expected every chunk unmapped",
		      page_mapped(first[k]) ? "first" : "last",
		      page_mapped(first[k]) ? first[k] : last[k]);
	}
	CHECK_UINT("pool_mapped_total() after destroying every pool", before,
		   pool_mapped_total());
}
