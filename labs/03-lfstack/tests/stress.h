/*
 * stress.h - drive a stack from several threads at once and check that
 * every value pushed is popped exactly once.
 *
 * Each stack of the lab plugs in through a struct stack_ops adapter
 * (its test file has one).  The driver owns the nodes of the intrusive
 * stacks, so that they outlive the threads: a node pushed by a thread
 * that has finished may still be on the stack when the main thread
 * drains it.
 */
#ifndef STRESS_H
#define STRESS_H

#include "lf_node.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One thread's view: its number, the adapter's per-thread context and
 * a supply of nodes for the intrusive stacks. */
struct stress_thread {
	int id;
	void *ctx;              /* the adapter's, e.g. a hazard record */
	bool recycle;           /* may popped nodes be pushed again? */
	struct lf_node *fresh;  /* never used before */
	size_t nfresh, nused;
	struct lf_node *spare;  /* popped, ready to push again */
};

/*
 * A stack of values gives push and pop.  A stack of intrusive nodes
 * gives push_node and pop_node instead, and the driver brings the nodes:
 * a fresh one for each push, or, with recycle, one popped earlier.
 */
struct stack_ops {
	const char *name;
	bool recycle; /* push popped nodes again (only where ABA is handled) */
	void (*enter)(void *stack, struct stress_thread *t); /* may be NULL */
	void (*leave)(void *stack, struct stress_thread *t); /* may be NULL */
	void (*push)(void *stack, struct stress_thread *t, uintptr_t value);
	bool (*pop)(void *stack, struct stress_thread *t, uintptr_t *value);
	void (*push_node)(void *stack, struct lf_node *n);
	struct lf_node *(*pop_node)(void *stack);
};

/* One push or pop through ops, whichever kind of stack it is. */
void stress_push(const struct stack_ops *ops, void *stack,
		 struct stress_thread *t, uintptr_t value);
bool stress_pop(const struct stack_ops *ops, void *stack,
		struct stress_thread *t, uintptr_t *value);

/* Make and free a thread's node supply (room for `pushes` nodes). */
void stress_thread_init(struct stress_thread *t, int id, bool recycle,
			size_t pushes);
void stress_thread_free(struct stress_thread *t);

/* A bounded random pause, so threads meet at many different points. */
void stress_pause(uint64_t r);

/*
 * `threads` threads each do `ops` operations on the empty `stack`, push
 * or pop at random (fair coin) with random pauses; then the main thread
 * pops until empty.  Ends the test with a failure naming the first value
 * popped twice, never pushed, or lost.  Returns the number of pushes.
 */
long stress_run(const struct stack_ops *ops, void *stack, int threads,
		long ops_per_thread, uint64_t seed);

/* Scale an operation count down under the sanitizers, which are 2-20x
 * slower, so that a test takes about as long in every build. */
long stress_scaled(long ops);

#endif
