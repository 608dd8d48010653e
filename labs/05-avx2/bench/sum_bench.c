/*
 * sum_bench.c - vec_sum against scalar_sum on 2048 doubles (16 KB,
 * resident in L1), interleaved in this process on the thread's CPU
 * clock.
 *
 * The scalar loop is one dependency chain of additions: about one
 * element per vaddsd latency (4 cycles).  AVX2 with enough independent
 * accumulators does two 4-wide additions per cycle, 32 times as many
 * elements; with a single accumulator it is still one chain, 4 elements
 * per 4 cycles: about 4x, whatever the width.
 */
#include "scalar.h"
#include "vecmath.h"
#include "wb/bench.h"
#include "wb/test.h"

enum { N = 2048 };

static double data[N] __attribute__((aligned(64)));

static void with_scalar(void *arg)
{
	(void)arg;
	WB_KEEP(scalar_sum(data, N));
}

static void with_vec(void *arg)
{
	(void)arg;
	WB_KEEP(vec_sum(data, N));
}

/* The threshold is in lab.conf ([bench sum] min). */
TEST(sum_speedup)
{
	for (int i = 0; i < N; i++)
		data[i] = (double)(i % 97) * 0.25 - 7;
	struct wb_bench bench = {
		.baseline_name = "scalar_sum, 2048 doubles",
		.baseline = with_scalar,
		.candidate_name = "vec_sum, 2048 doubles",
		.candidate = with_vec,
		.rounds = 21,
		.warmup = 3,
		.round_ms = 10,
		.pin_cpu = -1,
		.cpu_time = 1,
	};
	struct wb_bench_result r;

	wb_bench_run(&bench, &r);
	wb_note("vec_sum: %.2f ns for 2048 doubles, %.2f doubles per ns",
		r.cand_ns_per_op, N / r.cand_ns_per_op);
	wb_bench_report("speedup", &r);
}
