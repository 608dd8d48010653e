/*
 * contended_bench.c - your tagged stack against a stack behind a mutex,
 * with two threads hammering it.
 *
 * Lock-free does not mean faster under contention: both threads fight
 * over one cache line either way, and a failed CAS is work thrown away,
 * where a waiting thread on a mutex at least stays out of the way.  On
 * two CPUs the mutex often wins (see the handout).  What lock-free
 * promises is progress: some thread always completes.  This bench was
 * meant to check throughput within a bound of the mutex's.
 *
 * Not graded, and why: on the 2-CPU machine this lab was calibrated on,
 * the two threads' CASes almost never fail (the cache line moves between
 * the cores, and that transfer, not failed CASes, is the cost), so a
 * stack with a badly tuned backoff measures the same as a good one, while
 * the ratio itself swings from 0.1 to 3 with the load on the machine.
 * A threshold would grade the neighbours.  Progress is graded anyway: a
 * stack that livelocks never finishes the stress tests.  Run it by hand
 * (from the lab directory, after make grade LAB=03 has built once):
 *
 *   gcc -O2 -mcx16 -pthread -Iinclude -Inaive -I../../common/include \
 *       bench/contended_bench.c src/tagstack.c naive/locked_stack.c \
 *       ../../common/test.c ../../common/bench.c ../../common/cpu.c \
 *       ../../common/icount.c -lm -o /tmp/contended && /tmp/contended
 *
 * One unit of work: both threads (this one and a helper parked between
 * units) start together and do PAIRS push+pop pairs each on the shared
 * stack; the unit ends when both are done.  "relative_throughput" =
 * mutex time / your time, on this thread's CPU clock (time spent
 * preempted by a neighbour does not count; cycles stalled waiting for
 * the cache line do).
 */
#include "locked_stack.h"
#include "tagstack.h"
#include "wb/bench.h"
#include "wb/test.h"

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>

enum { PAIRS = 2048 };

struct side {
	struct lf_node nodes[2];
	struct lf_node *held[2]; /* the node each thread pushes next */
	struct tagstack t;
	struct locked_stack m;
	bool use_mutex;
};

struct arena {
	struct side *side;
	atomic_uint go;      /* bumped by the main thread to start a unit */
	atomic_uint started; /* set to go by the helper as it starts */
	atomic_uint done;    /* bumped by the helper when its half is done */
	atomic_bool quit;
};

static struct arena A;

static void half(struct side *s, int who)
{
	struct lf_node *n = s->held[who];

	/* Two nodes in all, one held by each thread between operations.
	 * A thread pushes the node it holds and pops one, maybe the other
	 * thread's, which it holds from then on: the stack is never empty
	 * when a thread pops, and no node is pushed while it is on it. */
	for (int i = 0; i < PAIRS; i++) {
		if (s->use_mutex) {
			locked_push(&s->m, n);
			n = locked_pop(&s->m);
		} else {
			tagstack_push(&s->t, n);
			n = tagstack_pop(&s->t);
		}
	}
	s->held[who] = n;
}

static void *helper(void *arg)
{
	unsigned seen = 0;

	(void)arg;
	for (;;) {
		while (atomic_load(&A.go) == seen) {
			if (atomic_load(&A.quit))
				return NULL;
			sched_yield();
		}
		seen++;
		atomic_store(&A.started, seen);
		half(A.side, 1);
		atomic_fetch_add(&A.done, 1);
	}
}

static void unit(struct side *s)
{
	unsigned want = atomic_load(&A.done) + 1;

	A.side = s;
	/* Start together: without this handshake, this thread could do
	 * its whole half before the helper wakes, and nothing would
	 * contend at all. */
	unsigned go = atomic_fetch_add(&A.go, 1) + 1;

	while (atomic_load(&A.started) != go)
		;
	half(s, 0);
	while (atomic_load(&A.done) != want)
		sched_yield();
}

static struct side mutex_side = {.use_mutex = true}, tag_side;

static void with_mutex(void *arg)
{
	(void)arg;
	unit(&mutex_side);
}

static void with_tagstack(void *arg)
{
	(void)arg;
	unit(&tag_side);
}

TEST(contended_throughput)
{
	struct wb_bench bench = {
		.baseline_name = "mutex stack, 2 threads x 2048 push+pop",
		.baseline = with_mutex,
		.candidate_name = "tagstack, 2 threads x 2048 push+pop",
		.candidate = with_tagstack,
		.rounds = 15,
		.warmup = 2,
		.round_ms = 10,
		.pin_cpu = -1,
		.cpu_time = 1,
	};
	struct wb_bench_result r;
	pthread_t t;

	locked_init(&mutex_side.m);
	tagstack_init(&tag_side.t);
	for (int i = 0; i < 2; i++) {
		mutex_side.held[i] = &mutex_side.nodes[i];
		tag_side.held[i] = &tag_side.nodes[i];
	}
	CHECK(pthread_create(&t, NULL, helper, NULL) == 0, "pthread_create");
	wb_bench_run(&bench, &r);
	atomic_store(&A.quit, true);
	pthread_join(t, NULL);
	CHECK(tag_side.held[0] && tag_side.held[1] &&
	      tag_side.held[0] != tag_side.held[1] && !tag_side.t.head.ptr,
	      "after the run the two threads should hold one node each and "
	      "the stack be empty: a pop returned NULL or a node twice");
	wb_bench_report("relative_throughput", &r);
}
