/*
 * linearize.h - record short concurrent histories of a stack and check
 * each against the sequential specification of a stack.
 *
 * A history is linearizable when every operation can be given one
 * instant between its invocation and its response such that, taken in
 * the order of those instants, the operations are a legal run of a
 * plain sequential stack.  The checker searches for such an order (the
 * Wing & Gong algorithm, with Lowe's memo of states already tried).
 */
#ifndef LINEARIZE_H
#define LINEARIZE_H

#include "stress.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LIN_MAX_OPS 48 /* per history */

struct lin_op {
	int thread;
	bool push;        /* else pop */
	bool ok;          /* pop: found a value (else: saw the stack empty) */
	uintptr_t value;  /* push: pushed; pop: popped, when ok */
	uint64_t inv, res; /* logical times of invocation and response */
};

/* Is the history linearizable?  If not, writes the history, one
 * operation a line, into why (at most cap bytes). */
bool lin_check(const struct lin_op *ops, int n, char *why, size_t cap);

/*
 * `rounds` times: `threads` threads each do `ops_per_thread` random
 * operations on the empty `stack` at the same time, recording a
 * history; the main thread then drains the stack and checks the
 * history.  Ends the test with the first non-linearizable history.
 */
void lin_run(const struct stack_ops *ops, void *stack, int threads,
	     int ops_per_thread, int rounds, uint64_t seed);

#endif
