/*
 * pool_bench.c - your fixed-size pool against glibc's malloc and free.
 * (bench/sclass_bench.c does the same for the size-class allocator.)
 *
 * One unit of work is a batch, the pattern of a server handling a burst
 * of small requests: allocate BATCH blocks, write a word into each, then
 * free them all in a shuffled order (not the reverse of the allocation
 * order, which would flatter every allocator with a LIFO cache).  The
 * free order is fixed in advance, so both sides do exactly the same
 * work.  wb/bench.h alternates baseline and candidate round after round
 * in this one process and reports the median of the per-round ratios
 * malloc time / your time as "speedup".
 *
 * All the work is on the calling thread, so the thread's CPU clock is
 * timed, not the wall clock: being preempted by a neighbour on a busy
 * machine does not count against either side.
 */
#include "pool.h"
#include "batch.h"
#include "wb/bench.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <stdint.h>
#include <stdlib.h>

enum { BLOCK = 64 };

struct batch {
	void *p[BATCH];
	unsigned order[BATCH]; /* the free order, a permutation */
	struct pool *pool;
	uintptr_t sink;
};

static void malloc_fixed(void *arg)
{
	struct batch *b = arg;

	for (unsigned i = 0; i < BATCH; i++) {
		b->p[i] = malloc(BLOCK);
		*(uintptr_t *)b->p[i] = i;
	}
	for (unsigned i = 0; i < BATCH; i++)
		free(b->p[b->order[i]]);
	WB_KEEP(b->p[0]);
}

static void pool_fixed(void *arg)
{
	struct batch *b = arg;

	for (unsigned i = 0; i < BATCH; i++) {
		b->p[i] = pool_alloc(b->pool);
		*(uintptr_t *)b->p[i] = i;
	}
	for (unsigned i = 0; i < BATCH; i++)
		pool_free(b->pool, b->p[b->order[i]]);
	WB_KEEP(b->p[0]);
}

/*
 * The threshold is in lab.conf ([bench pool] min), with the figures it
 * was calibrated from.
 */
TEST(pool_speedup)
{
	static struct batch b;
	struct wb_bench bench = {
		.baseline_name = "glibc malloc(64) + free",
		.baseline = malloc_fixed,
		.candidate_name = "pool_alloc + pool_free (64-byte blocks)",
		.candidate = pool_fixed,
		.arg = &b,
		.rounds = 21,
		.warmup = 3,
		.round_ms = 10,
		.pin_cpu = -1,
		.cpu_time = 1,
	};
	struct wb_bench_result r;
	size_t fp;

	batch_order(b.order, 0xba7c4);
	b.pool = pool_create(BLOCK);
	CHECK(b.pool != NULL, "pool_create(%d) returned NULL", BLOCK);
	for (unsigned i = 0; i < BATCH; i++)
		b.p[i] = pool_alloc(b.pool);
	batch_check(b.p, "pool_alloc", POOL_ALIGN);
	for (unsigned i = 0; i < BATCH; i++)
		pool_free(b.pool, b.p[b.order[i]]);
	fp = pool_footprint(b.pool);
	pool_fixed(&b);
	CHECK(pool_footprint(b.pool) == fp, "a second batch of %d "
	      "allocations after freeing the first grew the footprint from "
	      "%zu to %zu: freed blocks are not reused", BATCH, fp,
	      pool_footprint(b.pool));

	wb_bench_run(&bench, &r);
	wb_bench_report("speedup", &r);
	pool_destroy(b.pool);
}
