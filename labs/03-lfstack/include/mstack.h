/*
 * mstack.h - task 1: a stack behind a mutex, with a blocking pop.
 *
 * The reference point for the rest of the lab.  One mutex makes every
 * operation trivially atomic, and it buys something a lock-free stack
 * cannot offer cheaply: a pop that sleeps until a node arrives, on a
 * condition variable, instead of spinning.
 */
#ifndef MSTACK_H
#define MSTACK_H

#include "lf_node.h"

#include <pthread.h>
#include <stddef.h>

struct mstack {
	pthread_mutex_t lock;
	pthread_cond_t nonempty; /* signalled by push; waits on CLOCK_MONOTONIC */
	struct lf_node *top;     /* guarded by lock */
	size_t size;             /* guarded by lock */
};

/* An empty stack.  Returns 0, or an errno value if the mutex or the
 * condition variable cannot be made.  The condition variable must wait
 * on CLOCK_MONOTONIC, so that setting the wall clock does not stretch
 * or cut a timeout. */
int mstack_init(struct mstack *s);

/* Frees what mstack_init made.  The stack must not be in use; nodes
 * still on it belong to their owners and are not touched. */
void mstack_destroy(struct mstack *s);

/* Push n (owned by the caller; the stack links it through n->next) and
 * wake one thread waiting in mstack_pop_wait(), if any. */
void mstack_push(struct mstack *s, struct lf_node *n);

/* The node pushed last, unlinked; NULL when the stack is empty. */
struct lf_node *mstack_pop(struct mstack *s);

/* Like mstack_pop(), but when the stack is empty, wait until a node is
 * pushed or `timeout_ns` nanoseconds have passed (measured on
 * CLOCK_MONOTONIC from the call), whichever comes first.  Returns NULL
 * only on timeout, and never earlier than timeout_ns after the call.
 * timeout_ns <= 0 means do not wait. */
struct lf_node *mstack_pop_wait(struct mstack *s, long long timeout_ns);

/* The number of nodes on the stack at some instant during the call. */
size_t mstack_size(struct mstack *s);

#endif
