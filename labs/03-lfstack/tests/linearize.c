/*
 * linearize.c - see linearize.h.
 */
#include "linearize.h"

#include "wb/rand.h"
#include "wb/test.h"

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The search state: which operations are placed, and the model stack. */
struct search {
	const struct lin_op *ops;
	int n;
	uintptr_t stack[LIN_MAX_OPS];
	int depth;
	/* Lowe's memo: (placed set, stack) pairs known to lead nowhere. */
	uint64_t *memo;
	size_t memo_cap, memo_len;
};

static uint64_t state_key(const struct search *s, uint64_t placed)
{
	uint64_t h = placed * 0x9e3779b97f4a7c15ull;

	for (int i = 0; i < s->depth; i++)
		h = (h ^ s->stack[i]) * 0x100000001b3ull;
	return h | 1; /* 0 marks an empty memo slot */
}

static bool memo_has(const struct search *s, uint64_t k)
{
	for (size_t i = k % s->memo_cap; s->memo[i]; i = (i + 1) % s->memo_cap)
		if (s->memo[i] == k)
			return true;
	return false;
}

static void memo_add(struct search *s, uint64_t k)
{
	size_t i;

	if (s->memo_len * 2 >= s->memo_cap)
		return; /* full enough: forget nothing, just stop remembering */
	for (i = k % s->memo_cap; s->memo[i]; i = (i + 1) % s->memo_cap)
		;
	s->memo[i] = k;
	s->memo_len++;
}

/* Apply op to the model; false if the stack's specification forbids it. */
static bool apply(struct search *s, const struct lin_op *op)
{
	if (op->push) {
		s->stack[s->depth++] = op->value;
		return true;
	}
	if (!op->ok)
		return s->depth == 0;
	if (s->depth == 0 || s->stack[s->depth - 1] != op->value)
		return false;
	s->depth--;
	return true;
}

static void undo(struct search *s, const struct lin_op *op, uintptr_t popped)
{
	if (op->push)
		s->depth--;
	else if (op->ok)
		s->stack[s->depth++] = popped;
}

/* Can the operations not in `placed` be ordered legally from here?  An
 * operation may go next only if no other unplaced one responded before
 * it was invoked: real-time order must be kept. */
static bool search(struct search *s, uint64_t placed)
{
	uint64_t first_res = UINT64_MAX, key;

	if (placed == (s->n == 64 ? ~0ull : (1ull << s->n) - 1))
		return true;
	key = state_key(s, placed);
	if (memo_has(s, key))
		return false;
	for (int i = 0; i < s->n; i++)
		if (!(placed >> i & 1) && s->ops[i].res < first_res)
			first_res = s->ops[i].res;
	for (int i = 0; i < s->n; i++) {
		const struct lin_op *op = &s->ops[i];
		uintptr_t top = s->depth ? s->stack[s->depth - 1] : 0;

		if ((placed >> i & 1) || op->inv > first_res || !apply(s, op))
			continue;
		if (search(s, placed | 1ull << i))
			return true;
		undo(s, op, top);
	}
	memo_add(s, key);
	return false;
}

static void describe(const struct lin_op *ops, int n, char *why, size_t cap)
{
	size_t len = 0;

	len += (size_t)snprintf(why, cap, "no sequential order of these "
				"operations is a legal stack run "
				"(times: [invoked, returned]):");
	for (int i = 0; i < n && len < cap; i++) {
		const struct lin_op *o = &ops[i];

		if (o->push)
			len += (size_t)snprintf(why + len, cap - len,
						"\n    T%d push(%#lx)  [%lu, %lu]",
						o->thread, (unsigned long)o->value,
						(unsigned long)o->inv,
						(unsigned long)o->res);
		else if (o->ok)
			len += (size_t)snprintf(why + len, cap - len,
						"\n    T%d pop -> %#lx  [%lu, %lu]",
						o->thread, (unsigned long)o->value,
						(unsigned long)o->inv,
						(unsigned long)o->res);
		else
			len += (size_t)snprintf(why + len, cap - len,
						"\n    T%d pop -> empty  [%lu, %lu]",
						o->thread, (unsigned long)o->inv,
						(unsigned long)o->res);
	}
}

bool lin_check(const struct lin_op *ops, int n, char *why, size_t cap)
{
	struct search s = {.ops = ops, .n = n, .memo_cap = 1 << 16};
	bool ok;

	if (n > LIN_MAX_OPS)
		n = LIN_MAX_OPS;
	s.n = n;
	s.memo = calloc(s.memo_cap, sizeof *s.memo);
	CHECK(s.memo != NULL, "test setup: out of memory");
	ok = search(&s, 0);
	free(s.memo);
	if (!ok)
		describe(ops, n, why, cap);
	return ok;
}

/* One round's shared state. */
struct round {
	const struct stack_ops *ops;
	void *stack;
	int nthreads, per_thread;
	atomic_int start;
	atomic_uint_fast64_t clock;
	struct lin_op hist[LIN_MAX_OPS];
	struct stress_thread t[LIN_MAX_OPS];
	uint64_t seed;
};

struct lin_worker {
	struct round *r;
	int id;
};

static void *lin_work(void *arg)
{
	struct lin_worker *w = arg;
	struct round *r = w->r;
	struct stress_thread *t = &r->t[w->id];
	struct wb_rand rnd;

	wb_rand_seed(&rnd, r->seed + (uint64_t)w->id);
	if (r->ops->enter)
		r->ops->enter(r->stack, t);
	atomic_fetch_add(&r->start, 1);
	while (atomic_load(&r->start) < r->nthreads)
		sched_yield(); /* fewer CPUs than threads */
	for (int k = 0; k < r->per_thread; k++) {
		struct lin_op *op = &r->hist[w->id * r->per_thread + k];
		uint64_t x = wb_rand_u64(&rnd);

		op->thread = w->id;
		op->push = x >> 63;
		op->value = ((uintptr_t)(w->id + 1) << 16) | (uintptr_t)k;
		op->inv = atomic_fetch_add(&r->clock, 1);
		if (op->push)
			stress_push(r->ops, r->stack, t, op->value);
		else
			op->ok = stress_pop(r->ops, r->stack, t, &op->value);
		op->res = atomic_fetch_add(&r->clock, 1);
		stress_pause(x);
	}
	if (r->ops->leave)
		r->ops->leave(r->stack, t);
	return NULL;
}

static void run_round(struct round *r)
{
	struct lin_worker w[8];
	pthread_t tid[8];

	for (int i = 0; i < r->nthreads; i++) {
		w[i].r = r;
		w[i].id = i;
		CHECK(pthread_create(&tid[i], NULL, lin_work, &w[i]) == 0,
		      "test setup: pthread_create failed");
	}
	for (int i = 0; i < r->nthreads; i++)
		pthread_join(tid[i], NULL);
}

/* Empty the stack between rounds, outside the history. */
static void drain(struct round *r, struct stress_thread *main_t)
{
	uintptr_t v;
	int n = 0;

	if (r->ops->enter)
		r->ops->enter(r->stack, main_t);
	while (stress_pop(r->ops, r->stack, main_t, &v))
		CHECK(++n <= LIN_MAX_OPS, "%s: more values came out of the "
		      "stack than went in during the round", r->ops->name);
	if (r->ops->leave)
		r->ops->leave(r->stack, main_t);
}

/* Did two operations of different threads overlap in time?  A round
 * where none did tests nothing a sequential test would not. */
static bool overlapped(const struct lin_op *h, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			if (h[i].thread != h[j].thread && h[i].inv < h[j].inv &&
			    h[j].inv < h[i].res)
				return true;
	return false;
}

void lin_run(const struct stack_ops *ops, void *stack, int threads,
	     int per_thread, int rounds, uint64_t seed)
{
	int busy = 0;

	struct round *r = calloc(1, sizeof *r);
	struct stress_thread main_t;
	char why[4096];
	int n = threads * per_thread;

	CHECK(r && threads <= 8 && n <= LIN_MAX_OPS, "test setup");
	r->ops = ops;
	r->stack = stack;
	r->nthreads = threads;
	r->per_thread = per_thread;
	stress_thread_init(&main_t, threads, false, 0);
	for (int round = 0; round < rounds; round++) {
		atomic_store(&r->start, 0);
		atomic_store(&r->clock, 0);
		memset(r->hist, 0, sizeof r->hist);
		r->seed = seed + (uint64_t)round * 131;
		for (int i = 0; i < threads; i++)
			stress_thread_init(&r->t[i], i, ops->recycle,
					   (size_t)per_thread);
		run_round(r);
		drain(r, &main_t);
		busy += overlapped(r->hist, n);
		CHECK(lin_check(r->hist, n, why, sizeof why),
		      "%s, round %d: a history that is not linearizable: %s",
		      ops->name, round, why);
		for (int i = 0; i < threads; i++)
			stress_thread_free(&r->t[i]);
	}
	stress_thread_free(&main_t);
	free(r);
	wb_note("%s: %d rounds of %d threads x %d operations (%d with "
		"operations overlapping in time), every history linearizable",
		ops->name, rounds, threads, per_thread, busy);
}
