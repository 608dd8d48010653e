/*
 * counters_bench.c - counting next to busy neighbours, padded against
 * packed slots.
 *
 * The timed thread calls counters_add(c, 0, 1) ADDS times: one unit of
 * work.  All the while, helper threads on another CPU add to slots 1, 2
 * and 3 of the same set without pause: they are the neighbours whose
 * writes steal the cache line.  The baseline is naive/counters_unpadded.c,
 * whose slots all share one line; the candidate is your counters.  Both
 * sides do the same work per add (a call, a load, a store), so the ratio
 * of their times is what the shared line costs.  wb/bench.h alternates
 * the two sides round after round and reports the median of the per-round
 * ratios as "speedup".
 *
 * Why it is built this way (measured on a 2-CPU virtual machine):
 *   - Only the timed thread's own adds are timed, never a wait for
 *     another thread.  Joining or waiting for a worker that the
 *     scheduler has parked for a few milliseconds would time the
 *     scheduler, not the cache: medians then ranged from 0.7 to 9.
 *   - False sharing only happens while a neighbour runs at the same
 *     moment on another core.  With one helper, a busy machine often
 *     parks it and the contention vanishes for that time; with three
 *     helpers sharing the other CPU, one of them is nearly always
 *     running there, even when another program competes for that CPU.
 *   - The timed thread and the helpers are pinned to two different CPUs
 *     when the affinity mask allows, so they never share a core (threads
 *     time-sliced on one core share its cache for free).
 *   - The timed thread's CPU clock is used, not the wall clock: with the
 *     other core busy the timed thread is sometimes preempted mid-round,
 *     and wall time then varied from 1.2 to 5 on the same code.  Cycles
 *     stalled on a line another core holds still count as CPU time.
 */
#define _GNU_SOURCE /* pthread_setaffinity_np, CPU_SET */
#include "counters.h"
#include "counters_unpadded.h"
#include "wb/bench.h"
#include "wb/cpu.h"
#include "wb/test.h"

#include <pthread.h>
#include <sched.h>

enum {
	ADDS = 1 << 14, /* adds per unit of work of the timed thread */
	CHUNK = 256,	/* adds a helper makes between looks at `target` */
	HELPERS = 3,	/* neighbours, on slots 1..HELPERS */
};

enum target { IDLE, PACKED, MINE, QUIT };

struct bench_state {
	struct counters *mine;
	struct ucounters *packed;
	int cpu[2]; /* timed thread, helpers; -1 for anywhere */
	_Atomic int target; /* which set the helpers hammer */
	_Atomic int helpers_running;
};

struct helper {
	pthread_t tid;
	struct bench_state *s;
	size_t slot;
};

static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

static void *helper_main(void *arg)
{
	struct helper *h = arg;
	struct bench_state *s = h->s;

	pin(s->cpu[1]);
	atomic_fetch_add(&s->helpers_running, 1);
	for (;;) {
		/* Follow the switches between the two sides within a
		 * microsecond: look at the target every CHUNK adds. */
		switch (atomic_load_explicit(&s->target, memory_order_relaxed)) {
		case PACKED:
			for (int k = 0; k < CHUNK; k++)
				ucounters_add(s->packed, h->slot, 1);
			break;
		case MINE:
			for (int k = 0; k < CHUNK; k++)
				counters_add(s->mine, h->slot, 1);
			break;
		case QUIT:
			return NULL;
		default:
			cpu_relax();
		}
	}
}

static void run_baseline(void *arg)
{
	struct bench_state *s = arg;

	atomic_store_explicit(&s->target, PACKED, memory_order_relaxed);
	for (int k = 0; k < ADDS; k++)
		ucounters_add(s->packed, 0, 1);
}

static void run_candidate(void *arg)
{
	struct bench_state *s = arg;

	atomic_store_explicit(&s->target, MINE, memory_order_relaxed);
	for (int k = 0; k < ADDS; k++)
		counters_add(s->mine, 0, 1);
}

/* The first two CPUs this process may use, or -1s if it has only one. */
static void pick_cpus(int cpu[2])
{
	cpu_set_t set;
	int k = 0;

	cpu[0] = cpu[1] = -1;
	if (sched_getaffinity(0, sizeof set, &set) != 0)
		return;
	for (int c = 0; c < CPU_SETSIZE && k < 2; c++)
		if (CPU_ISSET(c, &set))
			cpu[k++] = c;
	if (k < 2)
		cpu[0] = cpu[1] = -1;
}

/*
 * The threshold is in lab.conf ([bench counters] min), with the figures
 * it was calibrated from.
 */
TEST(counters_speedup)
{
	static struct bench_state s;
	static struct helper h[HELPERS];
	struct wb_bench b = {
		.baseline_name = "ucounters (slots side by side)",
		.baseline = run_baseline,
		.candidate_name = "your counters",
		.candidate = run_candidate,
		.arg = &s,
		.rounds = 21,
		.warmup = 2,
		.round_ms = 20,
		.pin_cpu = -1, /* pinned below, to cpu[0] */
		/* All timed work is on this thread; its CPU clock leaves out
		 * the time it waits while a neighbour has the CPU. */
		.cpu_time = 1,
	};
	struct wb_bench_result r;
	uint64_t before, after;

	if (wb_cpu_count() < 2)
		wb_skip("needs 2 CPUs to show false sharing; this process may "
			"use %d", wb_cpu_count());
	pick_cpus(s.cpu);
	s.mine = counters_create(HELPERS + 1);
	s.packed = ucounters_create(HELPERS + 1);
	CHECK(s.mine != NULL && s.packed != NULL,
	      "bench setup: counters_create(%d) returned NULL", HELPERS + 1);

	/* Correct first: one unit of work adds ADDS to slot 0. */
	before = atomic_load(counters_slot(s.mine, 0));
	run_candidate(&s);
	after = atomic_load(counters_slot(s.mine, 0));
	CHECK(after - before == ADDS,
	      "%d calls of counters_add(c, 0, 1): expected slot 0 to grow by "
	      "%d, got %llu", ADDS, ADDS, (unsigned long long)(after - before));

	atomic_store(&s.target, IDLE);
	for (int i = 0; i < HELPERS; i++) {
		h[i] = (struct helper){.s = &s, .slot = (size_t)i + 1};
		CHECK(pthread_create(&h[i].tid, NULL, helper_main, &h[i]) == 0,
		      "bench setup: pthread_create failed");
	}
	while (atomic_load(&s.helpers_running) < HELPERS)
		cpu_relax();
	pin(s.cpu[0]);

	wb_bench_run(&b, &r);
	wb_bench_report("speedup", &r);

	atomic_store(&s.target, QUIT);
	for (int i = 0; i < HELPERS; i++)
		pthread_join(h[i].tid, NULL);
	counters_destroy(s.mine);
	ucounters_destroy(s.packed);
}
