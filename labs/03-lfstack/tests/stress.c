/*
 * stress.c - see stress.h.
 */
#include "stress.h"

#include "wb/rand.h"
#include "wb/test.h"

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZED 1
#endif
#endif

long stress_scaled(long ops)
{
#ifdef SANITIZED
	return ops / 8;
#else
	return ops;
#endif
}

void stress_thread_init(struct stress_thread *t, int id, bool recycle,
			size_t pushes)
{
	memset(t, 0, sizeof *t);
	t->id = id;
	t->recycle = recycle;
	t->nfresh = pushes;
	t->fresh = calloc(pushes ? pushes : 1, sizeof *t->fresh);
	CHECK(t->fresh != NULL, "test setup: no memory for %zu nodes", pushes);
}

void stress_thread_free(struct stress_thread *t)
{
	free(t->fresh);
	t->fresh = NULL;
}

static struct lf_node *stress_node(struct stress_thread *t)
{
	struct lf_node *n = t->spare;

	if (n) {
		t->spare = atomic_load_explicit(&n->next, memory_order_relaxed);
		return n;
	}
	CHECK(t->nused < t->nfresh, "test bug: thread %d ran out of nodes",
	      t->id);
	return &t->fresh[t->nused++];
}

static void stress_popped(struct stress_thread *t, struct lf_node *n)
{
	if (!t->recycle)
		return;
	atomic_store_explicit(&n->next, t->spare, memory_order_relaxed);
	t->spare = n;
}

void stress_push(const struct stack_ops *ops, void *stack,
		 struct stress_thread *t, uintptr_t value)
{
	struct lf_node *n;

	if (ops->push) {
		ops->push(stack, t, value);
		return;
	}
	n = stress_node(t);
	n->value = value;
	ops->push_node(stack, n);
}

bool stress_pop(const struct stack_ops *ops, void *stack,
		struct stress_thread *t, uintptr_t *value)
{
	struct lf_node *n;

	if (ops->pop)
		return ops->pop(stack, t, value);
	if (!(n = ops->pop_node(stack)))
		return false;
	*value = n->value;
	stress_popped(t, n);
	return true;
}

void stress_pause(uint64_t r)
{
	/* Mostly no pause; sometimes a short spin; rarely a yield, which
	 * on a machine with fewer CPUs than threads is what lets another
	 * thread run in the middle of an operation. */
	if ((r & 15) == 0) {
		for (volatile unsigned i = 0; i < ((r >> 8) & 127); i++)
			;
	} else if ((r & 4095) == 1) {
		sched_yield();
	}
}

struct worker {
	struct stress_thread t;
	const struct stack_ops *ops;
	void *stack;
	long nops;
	uint64_t seed;
	atomic_int *start;
	int nthreads;
	uintptr_t *log;   /* values this thread popped */
	size_t npopped;
	uint32_t npushed;
};

static uintptr_t make_value(int thread, uint32_t seq)
{
	return ((uintptr_t)(thread + 1) << 32) | seq;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct wb_rand r;

	wb_rand_seed(&r, w->seed);
	if (w->ops->enter)
		w->ops->enter(w->stack, &w->t);
	/* Start together, so that the operations overlap. */
	atomic_fetch_add(w->start, 1);
	while (atomic_load(w->start) < w->nthreads)
		sched_yield(); /* fewer CPUs than threads */
	for (long i = 0; i < w->nops; i++) {
		uint64_t x = wb_rand_u64(&r);

		if (x >> 63) {
			stress_push(w->ops, w->stack, &w->t,
				    make_value(w->t.id, w->npushed++));
		} else if (stress_pop(w->ops, w->stack, &w->t,
				      &w->log[w->npopped])) {
			w->npopped++;
		}
		stress_pause(x);
	}
	if (w->ops->leave)
		w->ops->leave(w->stack, &w->t);
	return NULL;
}

/* Mark one popped value in the per-thread bitmaps; fail on a value that
 * was never pushed or is seen a second time. */
static void mark(uint8_t **seen, const struct worker *w, int nthreads,
		 uintptr_t v, const char *who)
{
	long th = (long)(v >> 32) - 1;
	uint32_t seq = (uint32_t)v;

	CHECK(th >= 0 && th < nthreads && seq < w[th].npushed,
	      "%s popped 0x%lx, a value no thread pushed: the stack handed "
	      "out a node that was not (or no longer) on it",
	      who, (unsigned long)v);
	CHECK(!(seen[th][seq / 8] & (1u << (seq % 8))),
	      "%s popped 0x%lx (thread %ld's push #%u) a second time: one "
	      "push came out of the stack twice",
	      who, (unsigned long)v, th, seq);
	seen[th][seq / 8] |= (uint8_t)(1u << (seq % 8));
}

static void check_exactly_once(struct worker *w, int n,
			       const uintptr_t *drained, size_t ndrained)
{
	uint8_t *seen[8];

	for (int i = 0; i < n; i++)
		seen[i] = calloc(w[i].npushed / 8 + 1, 1);
	for (int i = 0; i < n; i++)
		for (size_t k = 0; k < w[i].npopped; k++) {
			char who[32];

			snprintf(who, sizeof who, "thread %d", i);
			mark(seen, w, n, w[i].log[k], who);
		}
	for (size_t k = 0; k < ndrained; k++)
		mark(seen, w, n, drained[k], "the final drain");
	for (int i = 0; i < n; i++)
		for (uint32_t s = 0; s < w[i].npushed; s++)
			CHECK(seen[i][s / 8] & (1u << (s % 8)),
			      "thread %d's push #%u (value 0x%lx) was never "
			      "popped, not even by the final drain: the "
			      "stack lost it", i, s,
			      (unsigned long)make_value(i, s));
	for (int i = 0; i < n; i++)
		free(seen[i]);
}

long stress_run(const struct stack_ops *ops, void *stack, int threads,
		long nops, uint64_t seed)
{
	struct worker w[8];
	pthread_t tid[8];
	atomic_int start = 0;
	struct stress_thread main_t;
	uintptr_t *drained, v;
	size_t ndrained = 0;
	long total = 0;

	CHECK(threads >= 1 && threads <= 8, "test bug: %d threads", threads);
	for (int i = 0; i < threads; i++) {
		memset(&w[i], 0, sizeof w[i]);
		stress_thread_init(&w[i].t, i, ops->recycle, (size_t)nops);
		w[i].ops = ops;
		w[i].stack = stack;
		w[i].nops = nops;
		w[i].seed = seed + (uint64_t)i;
		w[i].start = &start;
		w[i].nthreads = threads;
		w[i].log = calloc((size_t)nops + 1, sizeof *w[i].log);
		CHECK(w[i].log != NULL, "test setup: out of memory");
	}
	for (int i = 0; i < threads; i++)
		CHECK(pthread_create(&tid[i], NULL, work, &w[i]) == 0,
		      "test setup: pthread_create failed");
	for (int i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);

	for (int i = 0; i < threads; i++)
		total += w[i].npushed;
	drained = calloc((size_t)total + 1, sizeof *drained);
	stress_thread_init(&main_t, threads, false, 0);
	if (ops->enter)
		ops->enter(stack, &main_t);
	while (ndrained <= (size_t)total && stress_pop(ops, stack, &main_t, &v))
		drained[ndrained++] = v;
	if (ops->leave)
		ops->leave(stack, &main_t);
	stress_thread_free(&main_t);
	CHECK(ndrained <= (size_t)total,
	      "the final drain popped more than the %ld values ever pushed: "
	      "the stack has a cycle or hands out nodes twice", total);

	check_exactly_once(w, threads, drained, ndrained);
	wb_note("%s: %d threads, %ld operations, %ld pushes, every value "
		"popped exactly once", ops->name, threads, nops * threads, total);
	for (int i = 0; i < threads; i++) {
		free(w[i].log);
		stress_thread_free(&w[i].t);
	}
	free(drained);
	return total;
}
