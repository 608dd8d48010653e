/*
 * sclass_bench.c - your size-class allocator against glibc's malloc and
 * free, on mixed sizes from 16 to 1024 bytes.  The same batches as
 * bench/pool_bench.c, each block of a random size.
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
#include "sizeclass.h"
#include "batch.h"
#include "wb/bench.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <stdint.h>
#include <stdlib.h>

struct batch {
	void *p[BATCH];
	size_t len[BATCH];     /* request sizes */
	unsigned order[BATCH]; /* the free order, a permutation */
	struct sc *sc;
	uintptr_t sink;
};

static void malloc_mixed(void *arg)
{
	struct batch *b = arg;

	for (unsigned i = 0; i < BATCH; i++) {
		b->p[i] = malloc(b->len[i]);
		*(uintptr_t *)b->p[i] = i;
	}
	for (unsigned i = 0; i < BATCH; i++)
		free(b->p[b->order[i]]);
	WB_KEEP(b->p[0]);
}

static void sc_mixed(void *arg)
{
	struct batch *b = arg;

	for (unsigned i = 0; i < BATCH; i++) {
		b->p[i] = sc_alloc(b->sc, b->len[i]);
		*(uintptr_t *)b->p[i] = i;
	}
	for (unsigned i = 0; i < BATCH; i++) {
		unsigned k = b->order[i];

		sc_free(b->sc, b->p[k], b->len[k]);
	}
	WB_KEEP(b->p[0]);
}

/*
 * The threshold is in lab.conf ([bench sclass] min), with the figures it
 * was calibrated from.
 */
TEST(sclass_speedup)
{
	static struct batch b;
	struct wb_bench bench = {
		.baseline_name = "glibc malloc + free (16..1024 bytes)",
		.baseline = malloc_mixed,
		.candidate_name = "sc_alloc + sc_free (16..1024 bytes)",
		.candidate = sc_mixed,
		.arg = &b,
		.rounds = 21,
		.warmup = 3,
		.round_ms = 10,
		.pin_cpu = -1,
		.cpu_time = 1,
	};
	struct wb_bench_result r;
	struct sc_stats st;
	struct wb_rand rnd;
	size_t fp;

	batch_order(b.order, 0x5c1a);
	wb_rand_seed(&rnd, 0x512e5);
	/* Sizes 16..1024, small ones more often, as in real programs. */
	for (unsigned i = 0; i < BATCH; i++)
		b.len[i] = wb_rand_below(&rnd, 4) != 0
				   ? 16 + (size_t)wb_rand_below(&rnd, 113)
				   : 16 + (size_t)wb_rand_below(&rnd, 1009);
	b.sc = sc_create();
	CHECK(b.sc != NULL, "sc_create() returned NULL");
	for (unsigned i = 0; i < BATCH; i++)
		b.p[i] = sc_alloc(b.sc, b.len[i]);
	batch_check(b.p, "sc_alloc", SC_ALIGN);
	for (unsigned i = 0; i < BATCH; i++) {
		unsigned k = b.order[i];

		sc_free(b.sc, b.p[k], b.len[k]);
	}
	fp = sc_footprint(b.sc);
	sc_mixed(&b);
	sc_stats(b.sc, &st);
	CHECK(sc_footprint(b.sc) == fp && st.live == 0, "a second batch of "
	      "%d allocations after freeing the first: footprint %zu -> %zu, "
	      "%zu blocks live: expected no growth and none live",
	      BATCH, fp, sc_footprint(b.sc), st.live);

	wb_bench_run(&bench, &r);
	wb_bench_report("speedup", &r);
	sc_destroy(b.sc);
}
