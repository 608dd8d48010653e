/*
 * lf_node.h - the node every stack of this lab links, and the test hook.
 *
 * A node is intrusive: the caller owns its memory and the stack only
 * threads it onto a list through `next`.  `next` is atomic although only
 * the node's owner writes it, because in a lock-free stack a thread may
 * read the `next` of a node that another thread has just popped and is
 * pushing again: a read and a write of the same word at the same time,
 * which C calls a data race (undefined behaviour) unless both are atomic.
 * Relaxed loads and stores cost nothing extra on x86.
 */
#ifndef LF_NODE_H
#define LF_NODE_H

#include <stdatomic.h>
#include <stdint.h>

struct lf_node {
	_Atomic(struct lf_node *) next;
	uintptr_t value; /* the payload; the stacks never touch it */
};

/*
 * A test hook: a function the stack calls at one exact point of an
 * operation, so that a test can run other operations *inside* a pending
 * one.  That is how the tests build an interleaving deterministically
 * (the ABA sequence, a node freed between a load and its use) instead of
 * hoping two threads happen to collide.  Each stack's header says where
 * its hooks fire.  A hook is set before any thread uses the stack and
 * cleared (fn = NULL) the same way; it is never changed concurrently.
 */
struct lf_hook {
	void (*fn)(void *arg);
	void *arg;
};

static inline void lf_hook_fire(const struct lf_hook *h)
{
	if (h->fn)
		h->fn(h->arg);
}

#endif
