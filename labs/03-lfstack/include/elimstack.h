/*
 * elimstack.h - task 6 (bonus): a tagged stack with an elimination array.
 *
 * Under contention most CAS attempts on the head fail, and every thread
 * fights over one cache line.  But a push and a pop that collide cancel
 * out: the pop can simply take the pusher's node, and the stack need
 * never know.  An elimination array is where they meet:
 *
 *   push(A): CAS on head fails  ->  offer A in a slot, wait a little
 *   pop():   CAS on head fails  ->  look at the slots, take A if offered
 *
 *   slot:   0  --push offers-->  A  --pop takes-->  ELIM_TAKEN  --push clears-->  0
 *                                A  --push withdraws (no pop came)-->  0
 *
 * The pair linearizes at the pop's CAS on the slot: the push first, then
 * the pop, both still in progress at that moment.  The more threads
 * collide, the more pairs leave through the array instead of the head.
 *
 * The rules, which the tests rely on:
 *  - push: one CAS attempt on the head (before_cas fires first); if it
 *    fails, offer the node in a slot whose offer is 0, then fire
 *    `offered`, then wait up to ELIM_SPINS checks for a pop to take it;
 *    taken: clear the slot and return; not taken: withdraw it (CAS it
 *    back to 0; if that fails, a pop took it after all) and start again.
 *    If no slot is free, start again.
 *  - pop: one CAS attempt on the head (before_cas fires first; an empty
 *    stack returns NULL at once); if it fails, look at every slot once
 *    and take the first node on offer (CAS it to ELIM_TAKEN, count one
 *    elimination); if none, start again.
 */
#ifndef ELIMSTACK_H
#define ELIMSTACK_H

#include "tagstack.h"

#define ELIM_SLOTS 4
#define ELIM_SPINS 256
#define ELIM_TAKEN ((uintptr_t)1) /* never a node's address: nodes are aligned */

struct elim_slot {
	_Alignas(64) _Atomic(uintptr_t) offer; /* 0, a node, or ELIM_TAKEN */
};

struct elimstack {
	_Alignas(16) union tag_head head;    /* as in task 3 */
	struct elim_slot slot[ELIM_SLOTS];
	atomic_ulong eliminated;             /* pairs that met in a slot */
	struct lf_hook before_cas;           /* before each CAS on head */
	struct lf_hook offered;              /* a push's node is in a slot */
};

/* An empty stack, every slot 0, no hooks. */
void elim_init(struct elimstack *s);

void elim_push(struct elimstack *s, struct lf_node *n);

/* NULL when the stack is empty. */
struct lf_node *elim_pop(struct elimstack *s);

/* Push/pop pairs that met in the array so far. */
unsigned long elim_count(struct elimstack *s);

#endif
