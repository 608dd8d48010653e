/*
 * uncontended_bench.c - your Treiber stack against a stack behind a
 * mutex, on one thread.
 *
 * One unit of work: push BATCH nodes, then pop them all.  With no other
 * thread around, every CAS succeeds the first time, and the comparison
 * is of what one operation costs: one lock cmpxchg for the Treiber
 * stack, a lock and an unlock (two atomic read-modify-writes and the
 * calls around them) for the mutex.
 *
 * The metric "speedup" is mutex instructions / your instructions per
 * unit, counted by callgrind (wb/icount.h): exact, and the same on every
 * run.  The time ratio is measured too, interleaved in this process on
 * the thread's CPU clock, and reported as information only: on the
 * machine this lab was calibrated on, a load of top followed by a lock
 * cmpxchg on the same line costs more cycles than the mutex's lock
 * cmpxchg on a value it need not load first, and the mutex wins on time
 * (the handout has the figures and the reasons).
 */
#include "locked_stack.h"
#include "treiber.h"
#include "wb/bench.h"
#include "wb/icount.h"
#include "wb/test.h"

enum { BATCH = 64 };

struct work {
	struct lf_node nodes[BATCH];
	struct treiber t;
	struct locked_stack m;
};

static void with_mutex(void *arg)
{
	struct work *w = arg;

	for (int i = 0; i < BATCH; i++)
		locked_push(&w->m, &w->nodes[i]);
	for (int i = 0; i < BATCH; i++)
		WB_KEEP(locked_pop(&w->m));
}

static void with_treiber(void *arg)
{
	struct work *w = arg;

	for (int i = 0; i < BATCH; i++)
		treiber_push(&w->t, &w->nodes[i]);
	for (int i = 0; i < BATCH; i++)
		WB_KEEP(treiber_pop(&w->t));
}

/* The threshold is in lab.conf ([bench uncontended] min). */
TEST(uncontended_speedup)
{
	static struct work w;
	struct wb_bench bench = {
		.baseline_name = "mutex stack: 64 pushes + 64 pops",
		.baseline = with_mutex,
		.candidate_name = "treiber: 64 pushes + 64 pops",
		.candidate = with_treiber,
		.arg = &w,
		.rounds = 21,
		.warmup = 3,
		.round_ms = 10,
		.pin_cpu = -1,
		.cpu_time = 1,
	};
	struct wb_icount count = {
		.baseline_name = bench.baseline_name,
		.baseline = with_mutex,
		.candidate_name = bench.candidate_name,
		.candidate = with_treiber,
		.arg = &w,
		.calls = 2000,
	};
	struct wb_icount_result ic;
	struct wb_bench_result r;

	locked_init(&w.m);
	treiber_init(&w.t);
	with_treiber(&w);
	CHECK(treiber_pop(&w.t) == NULL, "after 64 pushes and 64 pops the "
	      "Treiber stack is not empty");
	wb_icount_run(&count, &ic);
	wb_bench_run(&bench, &r);
	wb_note("time ratio mutex / treiber = %.2f (middle half %.2f..%.2f): "
		"information only, not graded", r.median, r.p25, r.p75);
	wb_metric("speedup", ic.ratio);
}
