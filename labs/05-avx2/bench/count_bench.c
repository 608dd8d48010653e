/*
 * count_bench.c - byte_count against scalar_count: the newlines of a
 * 1 MB text (L2-resident on most machines), interleaved in this
 * process on the thread's CPU clock.
 */
#include "bytes.h"
#include "scalar.h"
#include "wb/bench.h"
#include "wb/rand.h"
#include "wb/test.h"

enum { N = 1 << 20 };

static unsigned char text[N] __attribute__((aligned(64)));

static void with_scalar(void *arg)
{
	(void)arg;
	WB_KEEP(scalar_count(text, '\n', N));
}

static void with_vec(void *arg)
{
	(void)arg;
	WB_KEEP(byte_count(text, '\n', N));
}

/* The threshold is in lab.conf ([bench count] min). */
TEST(count_speedup)
{
	struct wb_rand rng;

	/* lines of 0 to 79 letters */
	wb_rand_seed(&rng, 64);
	for (size_t i = 0; i < N; i++)
		text[i] = wb_rand_below(&rng, 40) ? 'a' + i % 26 : '\n';
	struct wb_bench bench = {
		.baseline_name = "scalar_count, 1 MB",
		.baseline = with_scalar,
		.candidate_name = "byte_count, 1 MB",
		.candidate = with_vec,
		.rounds = 15,
		.warmup = 2,
		.round_ms = 10,
		.pin_cpu = -1,
		.cpu_time = 1,
	};
	struct wb_bench_result r;

	wb_bench_run(&bench, &r);
	wb_note("byte_count: %.1f GB/s; scalar_count: %.1f GB/s",
		N / r.cand_ns_per_op, N / r.base_ns_per_op);
	wb_bench_report("speedup", &r);
}
