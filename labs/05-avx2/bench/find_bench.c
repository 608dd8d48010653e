/*
 * find_bench.c - byte_find against scalar_find on 1 MB that holds no
 * match, so both read it all; glibc's memchr is timed too and shown in
 * a note, for comparison, not graded.
 */
#include "bytes.h"
#include "scalar.h"
#include "wb/bench.h"
#include "wb/test.h"

#include <string.h>

enum { N = 1 << 20 };

static unsigned char buf[N] __attribute__((aligned(64)));
/* Through a volatile pointer, so gcc cannot call its own idea of memchr. */
static void *(*volatile glibc_memchr)(const void *, int, size_t) = memchr;

static void with_scalar(void *arg)
{
	(void)arg;
	WB_KEEP(scalar_find(buf, '\n', N));
}

static void with_vec(void *arg)
{
	(void)arg;
	WB_KEEP(byte_find(buf, '\n', N));
}

static void with_glibc(void *arg)
{
	(void)arg;
	WB_KEEP(glibc_memchr(buf, '\n', N));
}

/* The threshold is in lab.conf ([bench find] min). */
TEST(find_speedup)
{
	memset(buf, 'a', N);
	struct wb_bench vs_glibc = {
		.baseline_name = "glibc memchr, 1 MB, no match",
		.baseline = with_glibc,
		.candidate_name = "byte_find, 1 MB, no match",
		.candidate = with_vec,
		.rounds = 9,
		.warmup = 2,
		.round_ms = 10,
		.pin_cpu = -1,
		.cpu_time = 1,
	};
	struct wb_bench_result g;

	wb_bench_run(&vs_glibc, &g);
	wb_note("glibc memchr: %.1f GB/s; byte_find: %.1f GB/s (%.2f of glibc's "
		"speed; not graded)", N / g.base_ns_per_op, N / g.cand_ns_per_op,
		g.median);

	struct wb_bench bench = vs_glibc;
	bench.baseline_name = "scalar_find, 1 MB, no match";
	bench.baseline = with_scalar;
	bench.rounds = 15;
	struct wb_bench_result r;

	wb_bench_run(&bench, &r);
	wb_bench_report("speedup", &r);
}
