/*
 * tcache_test.c - task 4: a per-thread cache in front of a shared pool.
 *
 * The single-thread tests pin down the contract (alignment, distinct
 * blocks, the cache bound, flushing); the thread tests check that blocks
 * stay whole and distinct when several threads allocate and free at
 * once, and that an exiting thread gives its cache back.  Under
 * ThreadSanitizer, they also show whether the pool's shared state is
 * touched without the lock.
 */
#include "tcache.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
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

/* Each block gets a pattern derived from (owner, index); verify it
 * before giving the block back, so blocks that overlap or get handed
 * out twice show up as a broken pattern. */
static void fill(void *b, size_t size, uint64_t tag)
{
	uint64_t *w = b;

	for (size_t i = 0; i < size / 8; i++)
		w[i] = tag * 0x9e3779b97f4a7c15u + i;
}

static size_t broken_at(const void *b, size_t size, uint64_t tag)
{
	const uint64_t *w = b;

	for (size_t i = 0; i < size / 8; i++)
		if (w[i] != tag * 0x9e3779b97f4a7c15u + i)
			return i * 8;
	return SIZE_MAX;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (void *const *)a;
	uintptr_t y = (uintptr_t) * (void *const *)b;

	return x < y ? -1 : x > y;
}

TEST(tcache_create_rejects_bad_sizes)
{
	static const size_t bad[][2] = {
		{0, 8}, {16, 0}, {TC_MAX_BLOCK + 1, 8}, {64, TC_MAX_CACHE + 1},
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct tc_pool *p = tc_create(bad[i][0], bad[i][1]);

		CHECK(p == NULL, "tc_create(%zu, %zu): expected NULL, got a pool",
		      bad[i][0], bad[i][1]);
	}
	struct tc_pool *p = create(1, 1);
	tc_destroy(p);
	p = create(TC_MAX_BLOCK, TC_MAX_CACHE);
	tc_destroy(p);
	tc_destroy(NULL);
}

TEST(tcache_blocks_distinct_aligned)
{
	enum { N = 3000 };
	static const size_t sizes[] = {1, 16, 40, 100, 4096};

	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		size_t size = sizes[k];
		size_t rounded = (size + TC_ALIGN - 1) / TC_ALIGN * TC_ALIGN;
		struct tc_pool *p = create(size, 32);
		static void *blocks[N], *sorted[N];

		for (size_t i = 0; i < N; i++) {
			blocks[i] = alloc(p);
			CHECK((uintptr_t)blocks[i] % TC_ALIGN == 0,
			      "block size %zu: block %zu at %p: expected an "
			      "address aligned to %d, got one %zu past it",
			      size, i, blocks[i], TC_ALIGN,
			      (size_t)((uintptr_t)blocks[i] % TC_ALIGN));
			fill(blocks[i], rounded, i);
		}
		memcpy(sorted, blocks, sizeof blocks);
		qsort(sorted, N, sizeof sorted[0], cmp_ptr);
		for (size_t i = 1; i < N; i++) {
			size_t gap = (size_t)((char *)sorted[i] - (char *)sorted[i - 1]);

			CHECK(gap >= rounded,
			      "block size %zu (%zu rounded): blocks %p and %p "
			      "are %zu bytes apart: expected at least %zu "
			      "(distinct, non-overlapping blocks)",
			      size, rounded, sorted[i - 1], sorted[i], gap, rounded);
		}
		for (size_t i = 0; i < N; i++) {
			size_t at = broken_at(blocks[i], rounded, i);

			CHECK(at == SIZE_MAX, "block size %zu: block %zu (%p) "
			      "changed at byte %zu while it was allocated",
			      size, i, blocks[i], at);
			tc_free(p, blocks[i]);
		}
		tc_free(p, NULL);
		tc_destroy(p);
	}
}

TEST(tcache_reuses_freed_block)
{
	struct tc_pool *p = create(64, 8);
	void *a = alloc(p);
	void *b = alloc(p);
	size_t cached0 = tc_cached(p);

	tc_free(p, a);
	CHECK_UINT("tc_cached() after allocating two blocks and freeing one", 1 + cached0,
		   tc_cached(p));
	void *c = alloc(p);
	CHECK_PTR("tc_alloc right after tc_free (the cache is a stack: the "
		  "block just freed is the warmest)", a, c);
	tc_free(p, b);
	tc_free(p, c);
	tc_destroy(p);
}

TEST(tcache_cache_bounded)
{
	enum { CAP = 16, N = 10 * CAP };
	struct tc_pool *p = create(48, CAP);
	void *blocks[N];

	for (size_t i = 0; i < N; i++)
		blocks[i] = alloc(p);
	size_t before = tc_cached(p) + tc_shared_free(p);
	for (size_t i = 0; i < N; i++) {
		tc_free(p, blocks[i]);
		CHECK(tc_cached(p) <= CAP,
		      "after %zu frees, the thread's cache holds %zu blocks: "
		      "expected at most the bound, %d", i + 1, tc_cached(p), CAP);
	}
	size_t cached = tc_cached(p), shared = tc_shared_free(p);
	CHECK(cached + shared == before + N,
	      "after freeing all %d blocks: cache %zu + shared list %zu = %zu "
	      "free blocks, expected %zu (the %zu free before plus %d)",
	      N, cached, shared, cached + shared, before + N, before, N);
	CHECK(shared >= N - CAP,
	      "after freeing %d blocks with a cache bound of %d: expected at "
	      "least %d on the shared list, got %zu", N, CAP, N - CAP, shared);
	tc_destroy(p);
}

TEST(tcache_flush_returns_cache)
{
	enum { CAP = 32 };
	struct tc_pool *p = create(24, CAP);
	void *blocks[CAP];

	for (size_t i = 0; i < CAP; i++)
		blocks[i] = alloc(p);
	for (size_t i = 0; i < CAP / 2; i++)
		tc_free(p, blocks[i]);
	size_t cached = tc_cached(p), shared = tc_shared_free(p);
	CHECK(cached >= 1, "after %d frees: expected blocks in the cache, "
	      "got %zu", CAP / 2, cached);
	tc_flush(p);
	CHECK_UINT("tc_cached() after tc_flush", 0, tc_cached(p));
	CHECK_UINT("tc_shared_free() after tc_flush (before + what the cache "
		   "held)", shared + cached, tc_shared_free(p));
	tc_flush(p); /* an empty cache: nothing to do */
	for (size_t i = CAP / 2; i < CAP; i++)
		tc_free(p, blocks[i]);
	tc_destroy(p);
}

/* ---- threads ---- */

struct exit_arg {
	struct tc_pool *p;
	int n;
	size_t cached_at_exit;
};

static void *alloc_free_exit(void *arg)
{
	struct exit_arg *a = arg;
	void *blocks[256];

	for (int i = 0; i < a->n; i++)
		blocks[i] = tc_alloc(a->p);
	for (int i = 0; i < a->n; i++)
		tc_free(a->p, blocks[i]);
	a->cached_at_exit = tc_cached(a->p);
	return NULL; /* no tc_flush: exiting must be enough */
}

TEST(tcache_thread_exit_returns_cache)
{
	struct tc_pool *p = create(64, 64);
	struct exit_arg a = {p, 200, 0};
	pthread_t t;

	CHECK_INT("pthread_create", 0, pthread_create(&t, NULL, alloc_free_exit, &a));
	pthread_join(t, NULL);
	CHECK(a.cached_at_exit >= 1, "the thread's cache held %zu blocks when "
	      "it exited: expected some (its last frees)", a.cached_at_exit);
	size_t shared = tc_shared_free(p);
	CHECK(shared >= 200, "a thread allocated and freed 200 blocks and "
	      "exited without tc_flush: expected all 200 (or more, if it "
	      "refilled ahead) back on the shared list, got %zu", shared);
	CHECK_UINT("tc_cached() of the main thread, which never used the pool",
		   0, tc_cached(p));
	/* Ten more threads: the pool does not grow, the blocks go round. */
	for (int r = 0; r < 10; r++) {
		CHECK_INT("pthread_create", 0,
			  pthread_create(&t, NULL, alloc_free_exit, &a));
		pthread_join(t, NULL);
		CHECK(tc_shared_free(p) == shared, "after %d more such "
		      "threads: expected the same %zu blocks on the shared "
		      "list (reused, all returned), got %zu", r + 1, shared,
		      tc_shared_free(p));
	}
	tc_destroy(p);
}

enum { THREADS = 4, ROUNDS = 40000, LIVE = 64, BSIZE = 80 };

struct stress_arg {
	struct tc_pool *p;
	int id;
	void *left[LIVE]; /* blocks left for the main thread to free */
	uint64_t tags[LIVE];
	char err[200];
};

static void *stress(void *arg)
{
	struct stress_arg *a = arg;
	struct wb_rand r;
	void *live[LIVE] = {0};
	uint64_t tag[LIVE];
	uint64_t next = (uint64_t)a->id << 40;

	wb_rand_seed(&r, 1234 + a->id);
	for (int i = 0; i < ROUNDS && !a->err[0]; i++) {
		size_t k = wb_rand_below(&r, LIVE);

		if (live[k]) {
			size_t at = broken_at(live[k], BSIZE, tag[k]);

			if (at != SIZE_MAX) {
				snprintf(a->err, sizeof a->err, "thread %d: block "
					 "%p changed at byte %zu while allocated "
					 "(handed out twice, or overlapping)",
					 a->id, live[k], at);
				break;
			}
			tc_free(a->p, live[k]);
			live[k] = NULL;
		} else {
			live[k] = tc_alloc(a->p);
			if (!live[k]) {
				snprintf(a->err, sizeof a->err,
					 "thread %d: tc_alloc returned NULL", a->id);
				break;
			}
			tag[k] = next++;
			fill(live[k], BSIZE, tag[k]);
		}
	}
	memcpy(a->left, live, sizeof live);
	memcpy(a->tags, tag, sizeof tag);
	return NULL;
}

TEST(tcache_threads_blocks_intact)
{
	struct tc_pool *p = create(BSIZE, 16);
	static struct stress_arg a[THREADS];
	pthread_t t[THREADS];

	for (int i = 0; i < THREADS; i++) {
		a[i] = (struct stress_arg){.p = p, .id = i};
		CHECK_INT("pthread_create", 0, pthread_create(&t[i], NULL, stress, &a[i]));
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < THREADS; i++)
		CHECK(!a[i].err[0], "%s", a[i].err);
	/* The main thread frees what the workers left: frees from another
	 * thread than the one that allocated. */
	for (int i = 0; i < THREADS; i++)
		for (int k = 0; k < LIVE; k++) {
			if (!a[i].left[k])
				continue;
			size_t at = broken_at(a[i].left[k], BSIZE, a[i].tags[k]);

			CHECK(at == SIZE_MAX, "block %p left by thread %d changed "
			      "at byte %zu after the thread exited",
			      a[i].left[k], i, at);
			tc_free(p, a[i].left[k]);
		}
	tc_destroy(p);
}

struct xfer {
	struct tc_pool *p;
	void **blocks;
	int n;
	size_t max_cached;
};

static void *free_others(void *arg)
{
	struct xfer *x = arg;

	for (int i = 0; i < x->n; i++) {
		tc_free(x->p, x->blocks[i]);
		if (tc_cached(x->p) > x->max_cached)
			x->max_cached = tc_cached(x->p);
	}
	return NULL;
}

TEST(tcache_cross_thread_free)
{
	enum { N = 1000, CAP = 20 };
	struct tc_pool *p = create(32, CAP);
	static void *blocks[N];
	struct xfer x = {p, blocks, N, 0};
	pthread_t t;

	for (int i = 0; i < N; i++) {
		blocks[i] = alloc(p);
		fill(blocks[i], 32, (uint64_t)i);
	}
	CHECK_INT("pthread_create", 0, pthread_create(&t, NULL, free_others, &x));
	pthread_join(t, NULL);
	CHECK(x.max_cached <= CAP, "a thread freeing %d blocks it did not "
	      "allocate: its cache reached %zu blocks, expected at most %d",
	      N, x.max_cached, CAP);
	size_t free_now = tc_shared_free(p) + tc_cached(p);
	CHECK(free_now >= N, "after another thread freed all %d blocks and "
	      "exited: expected at least %d free blocks (shared list + this "
	      "thread's cache), got %zu", N, N, free_now);
	/* They are usable again, and distinct. */
	for (int i = 0; i < N; i++) {
		blocks[i] = alloc(p);
		fill(blocks[i], 32, (uint64_t)i + N);
	}
	for (int i = 0; i < N; i++) {
		size_t at = broken_at(blocks[i], 32, (uint64_t)i + N);

		CHECK(at == SIZE_MAX, "reallocated block %d (%p) changed at "
		      "byte %zu: handed out twice", i, blocks[i], at);
		tc_free(p, blocks[i]);
	}
	tc_destroy(p);
}
