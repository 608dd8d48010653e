/*
 * treiber.h - task 2: the Treiber stack, lock-free with one CAS.
 *
 *   top --> [C] --> [B] --> [A] --> NULL
 *
 * push(n):  n->next = top; CAS(top: n->next -> n), retry on failure
 * pop():    t = top; next = t->next; CAS(top: t -> next), retry
 *
 * No thread ever waits for another: a failed CAS means some other
 * thread's CAS succeeded, so the system as a whole made progress.
 *
 * This stack is correct only while a node's address is never pushed
 * again after it was popped (task 3 shows why: the ABA problem).  Its
 * tests use every node once.
 */
#ifndef TREIBER_H
#define TREIBER_H

#include "lf_node.h"

struct treiber {
	_Atomic(struct lf_node *) top;
	/* Fired by treiber_pop() after it has read t->next and before its
	 * CAS on top, once per attempt (fn may be NULL: then nothing). */
	struct lf_hook before_cas;
};

/* An empty stack with no hook. */
void treiber_init(struct treiber *s);

/* Push n, owned by the caller until a pop returns it. */
void treiber_push(struct treiber *s, struct lf_node *n);

/* The node pushed last, unlinked; NULL when the stack is empty. */
struct lf_node *treiber_pop(struct treiber *s);

#endif
